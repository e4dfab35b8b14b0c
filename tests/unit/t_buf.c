/*
 * t_buf - src/util/buf.c: growth from the first 64 bytes to the cap, the
 * cap of every buffer (buf_append refuses and appends nothing; buf_printf
 * truncates at it), the NUL after the data, reset/consume/steal/free.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "tap.h"

static void __attribute__((format(printf, 2, 3)))
via_vprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void
test_new(void)
{
	struct buf *b;

	b = buf_new(10);
	is_int(buf_len(b), 0, "new: empty");
	is_str(buf_str(b), "", "new: the string is valid and empty");
	is_int(buf_max(b), 10, "new: the cap as given");
	buf_free(b);
	buf_free(NULL);
	ok(1, "free(NULL) is a no-op");
}

static void
test_growth(void)
{
	struct buf *b;
	char want[5001];
	size_t i;
	int fails = 0;

	/* One byte at a time across the 64-byte start and several
	 * doublings: the contents stay whole and NUL-terminated. */
	b = buf_new(5000);
	for (i = 0; i < 5000; i++) {
		want[i] = (char)('a' + i % 26);
		if (buf_append(b, &want[i], 1) != 0)
			fails++;
		if (buf_str(b)[i + 1] != '\0')
			fails++;
	}
	want[5000] = '\0';
	is_int(fails, 0, "growth: 5000 appends of one byte, each ended by NUL");
	is_int(buf_len(b), 5000, "growth: length");
	ok(memcmp(buf_str(b), want, 5001) == 0, "growth: contents");
	is_int(buf_append(b, "x", 1), -1, "growth: the cap is still the cap");
	buf_free(b);

	/* One large append well past the first allocation. */
	b = buf_new(100000);
	memset(want, 'z', 4999);
	want[4999] = '\0';
	is_int(buf_append(b, want, 4999), 0, "growth: 4999 bytes at once");
	is_int(buf_len(b), 4999, "growth: length");
	ok(strcmp(buf_str(b), want) == 0, "growth: contents");
	buf_free(b);

	/* A cap so large that max / 2 never stops the doubling. */
	b = buf_new(SIZE_MAX);
	is_int(buf_append(b, want, 4999), 0, "growth: cap SIZE_MAX");
	is_int(buf_len(b), 4999, "growth: cap SIZE_MAX, length");
	buf_free(b);
}

static void
test_cap(void)
{
	struct buf *b;

	b = buf_new(8);
	is_int(buf_append(b, "1234", 4), 0, "cap 8: 4 bytes");
	is_int(buf_append(b, "56789", 5), -1, "cap 8: 5 more refused");
	is_str(buf_str(b), "1234", "cap 8: nothing of them appended");
	is_int(buf_append(b, "5678", 4), 0, "cap 8: exactly to the cap");
	is_str(buf_str(b), "12345678", "cap 8: full");
	is_int(buf_append(b, "9", 1), -1, "cap 8: one byte past refused");
	is_int(buf_append(b, "", 0), 0, "cap 8: nothing still fits");
	is_int(buf_len(b), 8, "cap 8: length");
	buf_free(b);

	/* Caps below the 64-byte first allocation, and 0. */
	b = buf_new(63);
	is_int(buf_append(b, "0123456789012345678901234567890123456789"
	    "01234567890123456789012", 63), 0, "cap 63: 63 bytes");
	is_int(buf_append(b, "x", 1), -1, "cap 63: 64th refused");
	buf_free(b);
	b = buf_new(64);
	is_int(buf_append(b, "0123456789012345678901234567890123456789"
	    "012345678901234567890123", 64), 0, "cap 64: 64 bytes");
	is_int(buf_len(b), 64, "cap 64: length");
	is_int(buf_str(b)[64], '\0', "cap 64: NUL after the data");
	buf_free(b);
	b = buf_new(0);
	is_int(buf_append(b, "x", 1), -1, "cap 0: one byte refused");
	is_int(buf_append(b, "", 0), 0, "cap 0: nothing fits");
	buf_printf(b, "%s", "abc");
	is_str(buf_str(b), "", "cap 0: printf appends nothing");
	buf_free(b);

	/* Bytes, not strings: a NUL inside the data is kept. */
	b = buf_new(16);
	buf_append(b, "a\0b", 3);
	is_int(buf_len(b), 3, "embedded NUL: length 3");
	ok(memcmp(buf_str(b), "a\0b", 4) == 0, "embedded NUL: kept");
	buf_free(b);
}

static void
test_printf(void)
{
	struct buf *b;
	char big[3001];

	b = buf_new(100);
	buf_printf(b, "%s=%d", "x", 42);
	is_str(buf_str(b), "x=42", "printf: formatted");
	buf_printf(b, "%s", "");
	is_str(buf_str(b), "x=42", "printf: an empty result appends nothing");
	via_vprintf(b, ", %c%c", 'o', 'k');
	is_str(buf_str(b), "x=42, ok", "vprintf: appends");
	buf_free(b);

	/* Truncated at the cap: as much as fits, then nothing more. */
	b = buf_new(8);
	buf_printf(b, "%s", "abc");
	buf_printf(b, "%s", "defghijk");
	is_str(buf_str(b), "abcdefgh", "printf: truncated at the cap");
	is_int(buf_len(b), 8, "printf: length is the cap");
	buf_printf(b, "%d", 1);
	is_str(buf_str(b), "abcdefgh", "printf: a full buffer takes nothing");
	is_int(buf_append(b, "x", 1), -1, "printf: full, append refused");
	buf_free(b);

	/* Growth through printf, past the first allocation. */
	memset(big, 'q', 3000);
	big[3000] = '\0';
	b = buf_new(10000);
	buf_printf(b, "%s", big);
	buf_printf(b, "%s", big);
	is_int(buf_len(b), 6000, "printf: grows (2 x 3000)");
	ok(buf_str(b)[5999] == 'q' && buf_str(b)[6000] == '\0',
	    "printf: contents and NUL");
	buf_printf(b, "%s%s", big, big);
	is_int(buf_len(b), 10000, "printf: 6000 + 6000 truncated at 10000");
	buf_free(b);

	/* BUF_WHY_MAX: the cap of the reason texts. */
	b = buf_new(BUF_WHY_MAX);
	buf_printf(b, "%s", big);
	is_int(buf_len(b), BUF_WHY_MAX, "printf: a reason is cut at "
	    "BUF_WHY_MAX");
	buf_free(b);
}

static void
test_reset_consume(void)
{
	struct buf *b;

	b = buf_new(32);
	buf_append(b, "hello world", 11);
	buf_consume(b, 6);
	is_str(buf_str(b), "world", "consume: drops from the front");
	is_int(buf_len(b), 5, "consume: length");
	buf_consume(b, 0);
	is_str(buf_str(b), "world", "consume 0: unchanged");
	buf_consume(b, 5);
	is_str(buf_str(b), "", "consume all: empty");
	buf_append(b, "abc", 3);
	buf_consume(b, 100);
	is_int(buf_len(b), 0, "consume more than held: empty");
	is_str(buf_str(b), "", "consume more than held: valid string");

	buf_append(b, "0123456789", 10);
	buf_reset(b);
	is_int(buf_len(b), 0, "reset: length 0");
	is_str(buf_str(b), "", "reset: empty string");
	is_int(buf_max(b), 32, "reset: the cap kept");
	is_int(buf_append(b, "0123456789012345678901234567890", 31), 0,
	    "reset: the whole cap is free again");
	buf_free(b);
}

static void
test_steal(void)
{
	struct buf *b;
	char *s;

	b = buf_new(64);
	buf_printf(b, "taken %d", 1);
	s = buf_steal(b);
	is_str(s, "taken 1", "steal: the contents");
	is_int(buf_len(b), 0, "steal: the buffer is left empty");
	is_str(buf_str(b), "", "steal: and valid");
	buf_append(b, "again", 5);
	is_str(buf_str(b), "again", "steal: the buffer is still usable");
	free(s);
	buf_reset(b);
	s = buf_steal(b);
	is_str(s, "", "steal of an empty buffer: \"\"");
	free(s);
	buf_free(b);
}

int
main(void)
{
	test_new();
	test_growth();
	test_cap();
	test_printf();
	test_reset_consume();
	test_steal();
	return tap_done();
}
