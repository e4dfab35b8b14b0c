#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
	size_t	 max;
};

struct buf *
buf_new(size_t max)
{
	struct buf *b;

	b = xcalloc(1, sizeof(*b));
	b->max = max;
	b->size = max < 64 ? max + 1 : 64;
	b->data = xmalloc(b->size);
	b->data[0] = '\0';
	return b;
}

void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	free(b);
}

static void
grow(struct buf *b, size_t need)
{
	size_t n;

	if (need + 1 <= b->size)
		return;
	n = b->size;
	while (n < need + 1)
		n = n > b->max / 2 ? b->max + 1 : n * 2;
	b->data = xrealloc(b->data, n);
	b->size = n;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len)
		return -1;
	grow(b, b->len + n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	size_t room;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	room = b->max - b->len;
	if ((size_t)n > room)
		n = (int)room;
	grow(b, b->len + (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	b->data[b->len] = '\0';
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

const char *
buf_str(const struct buf *b)
{
	return b->data;
}

size_t
buf_len(const struct buf *b)
{
	return b->len;
}

size_t
buf_max(const struct buf *b)
{
	return b->max;
}

/* Hand the contents to the caller (free() it) and leave b empty. */
char *
buf_steal(struct buf *b)
{
	char *p;

	p = xstrndup(b->data, b->len);
	buf_reset(b);
	return p;
}
