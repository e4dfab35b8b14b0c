/*
 * frame - messages over a byte stream, each prefixed by its length.
 *
 * Purpose: the channel between a --batch run and its worker processes
 * (app/jobs.c). A report line may hold any byte, newlines and NULs
 * included, so a message is found by its length, never by a delimiter;
 * and a stream read(2) may return any part of a message, or several, so
 * the reader keeps what came until a whole message is there.
 *
 * Wire format: a 4-octet length in network byte order, then that many
 * octets of payload. Nothing else.
 *
 * API:
 *	frame_put(out, p, len)	append one message to out (a buf made
 *		with room: 0, or -1 when out's cap would be exceeded, then
 *		nothing is appended); len must be at most FRAME_MAX
 *	frame_reader_new(max)	a reader that takes messages of at most
 *		max octets (at most FRAME_MAX)
 *	frame_reader_free(r)	NULL is a no-op
 *	frame_reader_space(r, want, &len)  where to put the next bytes read:
 *		room for at least want octets (the buffer grows), its size
 *		in len
 *	frame_reader_got(r, n)	n octets were put there
 *	frame_reader_feed(r, p, n)  the two above in one: copy n octets in
 *	frame_reader_next(r, &p, &len)  1 and the next whole message (p is
 *		valid until the next call on r), 0 when more bytes are
 *		needed, -1 when the next message says it is longer than max
 *		(the stream is broken: nothing after it can be trusted)
 *	frame_reader_pending(r)	octets held that are no whole message yet
 *		(a stream that ends with pending > 0 was cut)
 *	frame_get_u32(p), frame_set_u32(p, v)  a 4-octet big-endian number
 *
 * Limits: a message is at most FRAME_MAX (1 GiB) octets; the reader
 * holds at most one message and the next read's worth.
 */
#ifndef MXPROBE_FRAME_H
#define MXPROBE_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct frame_reader;

#define FRAME_HDR	4
#define FRAME_MAX	((size_t)1 << 30)

int			 frame_put(struct buf *, const void *, size_t);
struct frame_reader	*frame_reader_new(size_t);
void			 frame_reader_free(struct frame_reader *);
unsigned char		*frame_reader_space(struct frame_reader *, size_t,
			    size_t *);
void			 frame_reader_got(struct frame_reader *, size_t);
void			 frame_reader_feed(struct frame_reader *,
			    const void *, size_t);
int			 frame_reader_next(struct frame_reader *,
			    const unsigned char **, size_t *);
size_t			 frame_reader_pending(const struct frame_reader *);
uint32_t		 frame_get_u32(const unsigned char *);
void			 frame_set_u32(unsigned char *, uint32_t);

#endif
