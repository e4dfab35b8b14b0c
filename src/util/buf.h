/*
 * buf - growable byte buffer with a hard maximum.
 *
 * Purpose: network input, reason text ("why") and report assembly. Every
 * buffer has a cap set at creation (curl DYNBUF): a hostile peer that sends
 * an endless line makes buf_append() fail instead of eating memory.
 *
 * API:
 *	buf_new(max)		empty buffer holding at most max bytes
 *	buf_free(b)		NULL is a no-op
 *	buf_append(b, p, n)	0, or -1 when the cap would be exceeded
 *				(nothing is appended then)
 *	buf_printf(b, fmt, ...)	formatted append, truncated at the cap
 *	buf_vprintf(b, fmt, ap)	the same with a va_list
 *	buf_reset(b)		length 0, storage kept
 *	buf_consume(b, n)	drop n bytes from the front
 *	buf_str(b)		NUL-terminated contents (always valid)
 *	buf_len(b)
 *	buf_max(b)		the cap given to buf_new()
 *	buf_steal(b)		the contents as a malloc'd string (the
 *				caller frees it), b left empty; it ends at
 *				the first NUL, so bytes after an embedded
 *				NUL (buf_append() keeps them) are not in it
 * Returns: see above. The data is always NUL-terminated after its length.
 * BUGS: buf_consume() is O(len); fine for SMTP-sized buffers.
 */
#ifndef MXPROBE_BUF_H
#define MXPROBE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf;

#define BUF_WHY_MAX	1024

struct buf	*buf_new(size_t);
void		 buf_free(struct buf *);
int		 buf_append(struct buf *, const void *, size_t);
void		 buf_printf(struct buf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 buf_vprintf(struct buf *, const char *, va_list)
		    __attribute__((format(printf, 2, 0)));
void		 buf_reset(struct buf *);
void		 buf_consume(struct buf *, size_t);
const char	*buf_str(const struct buf *);
size_t		 buf_len(const struct buf *);
size_t		 buf_max(const struct buf *);
char		*buf_steal(struct buf *);

#endif
