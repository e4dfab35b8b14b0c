/* libFuzzer target: TXT text into the SPF record parser. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "parse/spf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spf_record *r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t pos = 0;

	r = spf_parse((const char *)data, size, &pos, why);
	spf_record_free(r);
	buf_free(why);
	return 0;
}
