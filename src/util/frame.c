#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/frame.h"
#include "util/xalloc.h"

struct frame_reader {
	unsigned char	*b;
	size_t		 len;		/* octets held from off */
	size_t		 off;		/* start of the unread part */
	size_t		 cap;
	size_t		 max;		/* largest payload taken */
	size_t		 taken;		/* handed out by next: drop first */
};

uint32_t
frame_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
frame_set_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int
frame_put(struct buf *out, const void *p, size_t len)
{
	unsigned char h[FRAME_HDR];
	size_t before = buf_len(out);

	if (len > FRAME_MAX || buf_max(out) - before < FRAME_HDR + len)
		return -1;
	frame_set_u32(h, (uint32_t)len);
	if (buf_append(out, h, sizeof(h)) == -1 ||
	    buf_append(out, p, len) == -1)
		return -1;	/* not reached: the room was checked */
	return 0;
}

struct frame_reader *
frame_reader_new(size_t max)
{
	struct frame_reader *r = xcalloc(1, sizeof(*r));

	r->max = max < FRAME_MAX ? max : FRAME_MAX;
	r->cap = 4096;
	r->b = xmalloc(r->cap);
	return r;
}

void
frame_reader_free(struct frame_reader *r)
{
	if (r == NULL)
		return;
	free(r->b);
	free(r);
}

/* Drop what next handed out. */
static void
drop_taken(struct frame_reader *r)
{
	r->off += r->taken;
	r->len -= r->taken;
	r->taken = 0;
	if (r->len == 0)
		r->off = 0;
}

unsigned char *
frame_reader_space(struct frame_reader *r, size_t want, size_t *len)
{
	drop_taken(r);
	/* Moved to the front only before a read: once per read, not
	 * once per message. */
	if (r->off > 0) {
		memmove(r->b, r->b + r->off, r->len);
		r->off = 0;
	}
	if (r->cap - r->len < want) {
		while (r->cap - r->len < want)
			r->cap *= 2;
		r->b = xrealloc(r->b, r->cap);
	}
	*len = r->cap - r->len;
	return r->b + r->len;
}

void
frame_reader_got(struct frame_reader *r, size_t n)
{
	r->len += n;
}

void
frame_reader_feed(struct frame_reader *r, const void *p, size_t n)
{
	size_t room;

	memcpy(frame_reader_space(r, n, &room), p, n);
	frame_reader_got(r, n);
}

int
frame_reader_next(struct frame_reader *r, const unsigned char **p,
    size_t *len)
{
	size_t n;

	drop_taken(r);
	if (r->len < FRAME_HDR)
		return 0;
	n = frame_get_u32(r->b + r->off);
	if (n > r->max)
		return -1;
	if (r->len - FRAME_HDR < n)
		return 0;
	*p = r->b + r->off + FRAME_HDR;
	*len = n;
	r->taken = FRAME_HDR + n;
	return 1;
}

size_t
frame_reader_pending(const struct frame_reader *r)
{
	return r->len - r->taken;
}
