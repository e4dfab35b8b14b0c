/* libFuzzer target: server bytes into the SMTP reply and EHLO parsers. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "parse/smtp_reply.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reply r;
	struct smtp_ehlo e;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0, used;
	enum smtp_reply_status st = SMTP_REPLY_MORE;

	smtp_reply_init(&r);
	while (off < size && st == SMTP_REPLY_MORE) {
		used = 0;
		st = smtp_reply_feed(&r, (const char *)data + off, size - off,
		    &used, why);
		if (used == 0)
			break;
		off += used;
	}
	if (st == SMTP_REPLY_DONE) {
		smtp_ehlo_init(&e);
		smtp_ehlo_parse(&e, &r);
		smtp_ehlo_clear(&e);
	}
	smtp_reply_clear(&r);
	buf_free(why);
	return 0;
}
