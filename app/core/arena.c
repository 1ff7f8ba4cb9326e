/*
 * arena: chunked bump allocation, reset per request.  Large requests
 * get a chunk of their own so one big upload does not waste a chunk.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "util.h"

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;	/* usable bytes in data[] */
	size_t			 used;
	_Alignas(max_align_t) unsigned char data[];
};

#define ALIGN	(_Alignof(max_align_t))

static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk	*c;

	if (size > SIZE_MAX - sizeof(*c))
		abort();
	c = xmalloc(sizeof(*c) + size);
	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void
arena_init(struct arena *a, size_t chunk_size)
{
	a->chunk_size = chunk_size < 1024 ? 1024 : chunk_size;
	a->head = a->first = chunk_new(a->chunk_size);
	a->total = 0;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk	*c, *next;

	if (a->head == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
#ifdef GAZETTE_TEST
		memset(c->data, 0xa5, c->used);
#endif
		if (c != a->first)
			free(c);
	}
	a->first->used = 0;
	a->first->next = NULL;
	a->head = a->first;
	a->total = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = a->first = NULL;
	a->total = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c = a->head;
	size_t			 off;

	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		abort();
	off = (c->used + ALIGN - 1) & ~(ALIGN - 1);
	if (off > c->size || c->size - off < n) {
		if (n > a->chunk_size / 4) {
			/* A big block: its own chunk, behind the current one. */
			struct arena_chunk *big = chunk_new(n);

			big->used = n;
			big->next = c->next;
			c->next = big;
			a->total += n;
			return big->data;
		}
		c = chunk_new(a->chunk_size);
		c->next = a->head;
		a->head = c;
		off = 0;
	}
	c->used = off + n;
	a->total += n;
	return c->data + off;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	return memset(arena_alloc(a, n), 0, n);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
