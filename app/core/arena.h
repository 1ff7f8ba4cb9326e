/*
 * arena: a per-request bump allocator.  Everything a request needs
 * (strings copied from SQLite, parsed parameters, URLs, HDF staging)
 * comes from here and is released at once by arena_reset() at the end
 * of the request.  Handlers never free().  Not for process-lifetime data.
 */
#ifndef GAZETTE_ARENA_H
#define GAZETTE_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;		/* newest chunk first */
	struct arena_chunk	*first;		/* kept across resets */
	size_t			 chunk_size;	/* size of a normal chunk */
	size_t			 total;		/* bytes handed out since reset */
};

/* Set up an empty arena whose chunks hold chunk_size bytes. */
void	 arena_init(struct arena *a, size_t chunk_size);

/*
 * Release everything allocated since the last reset but keep the first
 * chunk for reuse.  In test builds (GAZETTE_TEST) released memory is
 * filled with 0xa5 so a pointer kept past its request fails loudly.
 */
void	 arena_reset(struct arena *a);

/* Free every chunk; the arena may be arena_init()ed again. */
void	 arena_free(struct arena *a);

/* n bytes, aligned for any type; never NULL (aborts on OOM). */
void	*arena_alloc(struct arena *a, size_t n);
void	*arena_zalloc(struct arena *a, size_t n);

/* Copies valid until the next arena_reset(). */
char	*arena_strdup(struct arena *a, const char *s);
char	*arena_strndup(struct arena *a, const char *s, size_t n);
char	*arena_printf(struct arena *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
