/*
 * harness_private.h: private to the integration harness (harness.c and
 * harness_http.c).  Scenarios include harness.h only, never this file.
 * The h_ prefix keeps these apart from app/core's xmalloc and friends,
 * which scenarios link too.
 */
#ifndef HARNESS_PRIVATE_H
#define HARNESS_PRIVATE_H

#include <stddef.h>

#define HTTP_TIMEOUT_MS		15000

/* A growable byte buffer, always NUL-terminated. */
struct bytes {
	char	*p;
	size_t	 len, cap;
};

/* malloc/realloc/strndup that abort on failure (harness.c). */
void	*h_xmalloc(size_t n);
void	*h_xrealloc(void *p, size_t n);
char	*h_xstrndup(const char *s, size_t n);

void	 h_bytes_add(struct bytes *b, const void *data, size_t n);
void	 h_bytes_printf(struct bytes *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The buffer's string (never NULL; the caller frees); b is left empty. */
char	*h_bytes_take(struct bytes *b);

/* The next source address number for browser_init(own_addr). */
int	 h_next_addr(void);

#endif /* HARNESS_PRIVATE_H */
