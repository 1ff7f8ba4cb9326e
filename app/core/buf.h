/*
 * buf: a growable byte buffer on the heap, for response bodies and
 * rendered output.  A buf is reused across requests (buf_reset keeps its
 * memory), so the steady state allocates nothing.  The contents are
 * always NUL-terminated for convenience; len does not count the NUL.
 */
#ifndef GAZETTE_BUF_H
#define GAZETTE_BUF_H

#include <stddef.h>

struct buf {
	char	*ptr;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *b);
void	 buf_free(struct buf *b);
void	 buf_reset(struct buf *b);
void	 buf_append(struct buf *b, const void *data, size_t n);
void	 buf_puts(struct buf *b, const char *s);
void	 buf_putc(struct buf *b, char c);
void	 buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
