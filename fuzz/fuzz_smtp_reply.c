/*
 * fuzz_smtp_reply - server bytes into smtp_reply_feed(), fed in pieces
 * of varying size as a socket would deliver them, then the EHLO keyword
 * parser over each complete reply. A reply stays within
 * SMTP_REPLY_LINES_MAX lines of SMTP_REPLY_LINE_MAX octets; an error has
 * a reason.
 */
#include <string.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/smtp_reply.h"

const char	fuzz_corpus[] = "smtp_reply";
const unsigned	fuzz_mutations = 30000;

static int
reply_ok(const struct smtp_reply *r)
{
	size_t i;

	if (r->ntext > SMTP_REPLY_LINES_MAX || r->code < 0 ||
	    r->code > 999)
		return 0;
	for (i = 0; i < r->ntext; i++)
		if (r->text[i] == NULL ||
		    strlen(r->text[i]) > SMTP_REPLY_LINE_MAX)
			return 0;
	return 1;
}

int
exercise(const uint8_t *p, size_t n)
{
	struct smtp_reply r;
	struct smtp_ehlo e;
	struct buf *why = buf_new(BUF_WHY_MAX);
	enum smtp_reply_status st;
	size_t off = 0, end = 0, used, piece;
	int good = 1;

	/*
	 * Bytes arrive in pieces (the first byte sets their size), and the
	 * unconsumed rest is offered again with the next piece, as
	 * smtp_session does with its input buffer.
	 */
	piece = 1 + (n > 0 ? p[0] % 61 : 0);
	smtp_reply_init(&r);
	while (good) {
		end = end + piece > n ? n : end + piece;
		used = 0;
		buf_reset(why);
		st = smtp_reply_feed(&r, (const char *)p + off, end - off,
		    &used, why);
		if (used > end - off)
			good = 0;
		off += used;
		if (st == SMTP_REPLY_ERROR) {
			good = good && buf_len(why) > 0;
			break;
		}
		if (st == SMTP_REPLY_DONE) {
			good = good && reply_ok(&r);
			smtp_ehlo_init(&e);
			if (smtp_ehlo_parse(&e, &r) != 0 &&
			    r.code / 100 == 2 && r.ntext > 0)
				good = 0;
			smtp_ehlo_clear(&e);
			smtp_reply_clear(&r);
			smtp_reply_init(&r);
		} else if (end == n)
			break;
	}
	smtp_reply_clear(&r);
	buf_free(why);
	return good;
}
