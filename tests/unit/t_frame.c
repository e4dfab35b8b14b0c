/*
 * Unit tests for src/util/frame.c: messages are found by their length,
 * whatever bytes they hold (newlines, NULs), however the stream is cut
 * into reads (every cut point of a stream of several messages), and a
 * length over the reader's maximum breaks the stream instead of making
 * it wait for a gigabyte.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/frame.h"
#include "tap.h"

struct msg {
	const char	*name;
	const char	*p;
	size_t		 len;
};

static const struct msg msgs[] = {
	{ "a JSON line", "{\"domain\":\"good.test\"}\n", 23 },
	{ "empty", "", 0 },
	{ "NULs and newlines", "a\0b\n\nc\0", 7 },
	{ "one octet", "\n", 1 },
	{ "four octets that look like a length", "\0\0\0\1", 4 },
};
#define NMSG	(sizeof(msgs) / sizeof(msgs[0]))

/* The stream of all msgs, in a buf. */
static struct buf *
stream(void)
{
	struct buf *b = buf_new(1 << 20);
	size_t i;

	for (i = 0; i < NMSG; i++)
		if (frame_put(b, msgs[i].p, msgs[i].len) == -1)
			return NULL;
	return b;
}

/* Feed s in pieces cut at cut1 and cut2; 1 when every message comes out
 * whole and in order, and nothing before its last octet. */
static int
check_cuts(const unsigned char *s, size_t len, size_t cut1, size_t cut2)
{
	struct frame_reader *r = frame_reader_new(1024);
	const unsigned char *p;
	size_t got = 0, plen, at[3], i, from = 0;
	int rc, okay = 1;

	at[0] = cut1;
	at[1] = cut2;
	at[2] = len;
	for (i = 0; i < 3; i++) {
		frame_reader_feed(r, s + from, at[i] - from);
		from = at[i];
		while ((rc = frame_reader_next(r, &p, &plen)) == 1) {
			if (got >= NMSG || plen != msgs[got].len ||
			    memcmp(p, msgs[got].p, plen) != 0)
				okay = 0;
			got++;
		}
		if (rc == -1)
			okay = 0;
	}
	if (got != NMSG || frame_reader_pending(r) != 0)
		okay = 0;
	frame_reader_free(r);
	return okay;
}

static void
test_cuts(void)
{
	struct buf *b = stream();
	const unsigned char *s = (const unsigned char *)buf_str(b);
	size_t len = buf_len(b), i, j, bad = 0, tried = 0;

	is_int(len, 4 * NMSG + 23 + 0 + 7 + 1 + 4, "stream: a 4-octet length "
	    "before each message, nothing else");
	for (i = 0; i <= len; i++)
		for (j = i; j <= len; j++) {
			tried++;
			if (!check_cuts(s, len, i, j))
				bad++;
		}
	ok(bad == 0, "every message whole and in order at each of the %zu "
	    "ways to cut the stream into three reads (%zu wrong)", tried,
	    bad);
	buf_free(b);
}

static void
test_bytewise(void)
{
	struct frame_reader *r = frame_reader_new(1024);
	struct buf *b = buf_new(64);
	const unsigned char *p;
	size_t i, plen;
	int early = 0, rc = 0;

	frame_put(b, msgs[2].p, msgs[2].len);
	for (i = 0; i < buf_len(b); i++) {
		frame_reader_feed(r, buf_str(b) + i, 1);
		rc = frame_reader_next(r, &p, &plen);
		if (i + 1 < buf_len(b) && rc != 0)
			early = 1;
		if (i + 1 < buf_len(b))
			ok(frame_reader_pending(r) == i + 1, "octet %zu: held, "
			    "pending", i + 1);
	}
	ok(!early, "one octet at a time: nothing before the last octet");
	ok(rc == 1 && plen == 7 && memcmp(p, "a\0b\n\nc\0", 7) == 0,
	    "then the message, NULs and newlines kept");
	is_int(frame_reader_next(r, &p, &plen), 0, "and nothing more");
	frame_reader_free(r);
	buf_free(b);
}

static void
test_limits(void)
{
	struct frame_reader *r = frame_reader_new(100);
	struct buf *b = buf_new(1 << 22), *small = buf_new(10);
	const unsigned char *p;
	unsigned char hdr[4], *big;
	size_t plen, i, n;
	int rc = 0;

	frame_set_u32(hdr, 101);
	frame_reader_feed(r, hdr, 4);
	is_int(frame_reader_next(r, &p, &plen), -1, "a length over the "
	    "maximum breaks the stream at once, before its octets come");
	frame_reader_free(r);

	frame_set_u32(hdr, 0x01020304);
	ok(hdr[0] == 1 && hdr[1] == 2 && hdr[2] == 3 && hdr[3] == 4,
	    "lengths are big-endian");
	is_int(frame_get_u32(hdr), 0x01020304, "and read back");

	is_int(frame_put(small, "0123456789", 7), -1, "frame_put: no room "
	    "for the header and the message");
	is_int(buf_len(small), 0, "frame_put: then nothing is appended");
	buf_free(small);

	/* 3 MB in one message, read in 64 KiB pieces as a socket gives. */
	n = 3 * 1000 * 1000;
	big = malloc(n);
	for (i = 0; i < n; i++)
		big[i] = (unsigned char)(i * 7);
	frame_put(b, big, n);
	frame_put(b, "after", 5);
	r = frame_reader_new(FRAME_MAX);
	for (i = 0; i < buf_len(b); i += 65536) {
		frame_reader_feed(r, buf_str(b) + i, buf_len(b) - i < 65536 ?
		    buf_len(b) - i : 65536);
		if (i + 65536 < n && frame_reader_next(r, &p, &plen) != 0)
			rc = -2;
	}
	ok(rc == 0, "a large message: nothing before it is all there");
	ok(frame_reader_next(r, &p, &plen) == 1 && plen == n &&
	    memcmp(p, big, n) == 0, "a large message comes whole");
	ok(frame_reader_next(r, &p, &plen) == 1 && plen == 5 &&
	    memcmp(p, "after", 5) == 0, "and the one after it too");
	frame_reader_free(r);

	/* A stream cut inside a message: pending says so. */
	r = frame_reader_new(1024);
	frame_reader_feed(r, buf_str(b) + buf_len(b) - 9, 6);
	is_int(frame_reader_next(r, &p, &plen), 0, "cut inside a message: "
	    "no message");
	is_int(frame_reader_pending(r), 6, "cut inside a message: pending");
	frame_reader_free(r);
	free(big);
	buf_free(b);
}

int
main(void)
{
	test_cuts();
	test_bytewise();
	test_limits();
	return tap_done();
}
