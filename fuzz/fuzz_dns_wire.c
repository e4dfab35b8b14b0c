/* libFuzzer target: DNS answers into dns_wire_parse(). See fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "parse/dns_wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_msg m;
	struct buf *why = buf_new(BUF_WHY_MAX);

	if (dns_wire_parse(data, size, &m, why) == 0)
		dns_wire_free(&m);
	buf_free(why);
	return 0;
}
