/*
 * Unit tests for src/util/esc.c: the escaping of network text for the
 * terminal, the --nagios line and JSON. Control bytes (C0, DEL, C1 raw
 * and in UTF-8) become \xNN, '\' is doubled, invalid UTF-8 is shown byte
 * by byte, valid UTF-8 (Japanese) is kept, '|' only for Nagios.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/esc.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*in;
	size_t		 len;
	int		 flags;
	const char	*want;
} cases[] = {
	{ "printable text kept", "v=DMARC1; p=reject", 18, 0,
	    "v=DMARC1; p=reject" },
	{ "empty", "", 0, 0, "" },
	{ "ESC sequence", "a\033[2Jb", 6, 0, "a\\x1b[2Jb" },
	{ "CR and LF", "x\r\ny", 4, 0, "x\\x0d\\x0ay" },
	{ "NUL inside", "a\0b", 3, 0, "a\\x00b" },
	{ "DEL", "\177", 1, 0, "\\x7f" },
	{ "TAB", "\t", 1, 0, "\\x09" },
	{ "backslash doubled", "a\\x1b", 5, 0, "a\\\\x1b" },
	{ "backslash kept for escaped input", "a\\046b\033", 7, ESC_ESCAPED,
	    "a\\046b\\x1b" },
	{ "raw C1 byte (CSI)", "\x9b" "31m", 4, 0, "\\x9b31m" },
	{ "C1 in UTF-8 (U+009B)", "\xc2\x9b" "31m", 5, 0, "\\xc2\\x9b31m" },
	{ "U+00A0 is not C1", "\xc2\xa0", 2, 0, "\xc2\xa0" },
	{ "Japanese kept", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9, 0,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" },
	{ "4-byte UTF-8 kept", "\xf0\x9f\x93\xa7", 4, 0, "\xf0\x9f\x93\xa7" },
	{ "invalid byte", "a\xff" "b", 3, 0, "a\\xffb" },
	{ "lone continuation byte", "\x80", 1, 0, "\\x80" },
	{ "truncated sequence", "\xe6\x97", 2, 0, "\\xe6\\x97" },
	{ "truncated before ASCII", "\xe6" "a", 2, 0, "\\xe6a" },
	{ "overlong slash", "\xc0\xaf", 2, 0, "\\xc0\\xaf" },
	{ "overlong 3-byte", "\xe0\x80\xaf", 3, 0, "\\xe0\\x80\\xaf" },
	{ "surrogate", "\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80" },
	{ "above U+10FFFF", "\xf4\x90\x80\x80", 4, 0,
	    "\\xf4\\x90\\x80\\x80" },
	{ "right-to-left override", "a\xe2\x80\xae" "b", 5, 0,
	    "a\\u202eb" },
	{ "line separator", "\xe2\x80\xa8", 3, 0, "\\u2028" },
	{ "pipe kept for the terminal", "a|b", 3, 0, "a|b" },
	{ "pipe escaped for Nagios", "OK | score=100", 14, ESC_NAGIOS,
	    "OK \\x7c score=100" },
	{ "Nagios: newline too", "x\nOK", 4, ESC_NAGIOS, "x\\x0aOK" },
};

int
main(void)
{
	struct buf *b;
	char *s;
	size_t i;
	unsigned char all[256];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s = esc_dup(cases[i].in, cases[i].len, cases[i].flags);
		is_str(s, cases[i].want, cases[i].name);
		free(s);
	}
	ok(esc_str(NULL, 0) == NULL, "esc_str(NULL) is NULL");

	/* Every byte value: the output is printable ASCII only. */
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	s = esc_dup((const char *)all, sizeof(all), 0);
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f)
			break;
	ok(s[i] == '\0' && strlen(s) == 95 - 1 + 2 + 161 * 4,
	    "all 256 byte values escape to printable ASCII (%zu bytes)",
	    strlen(s));
	free(s);

	b = buf_new(1024);
	esc_printf(b, 0, "[%s] %d %5u %-4s| %.*s %zu%% %c", "a\033b", -3,
	    7u, "x", 3, "\n\nXYZ", (size_t)9, '\r');
	is_str(buf_str(b), "[a\\x1bb] -3     7 x   | \\x0a\\x0aX 9% \\x0d",
	    "esc_printf escapes %s, %.*s and %c; other conversions print");
	buf_reset(b);
	esc_printf(b, ESC_NAGIOS, "%s|%*s|%-*s|", "a|b", 4, "|", 3, "z");
	is_str(buf_str(b), "a\\x7cb|\\x7c|z  |",
	    "esc_printf: Nagios flag, * widths after escaping");
	buf_reset(b);
	esc_printf(b, 0, "%ld %lld %lu %llu %x %02x %.1f", -5L, -6LL, 7UL,
	    8ULL, 255u, 10u, 0.25);
	is_str(buf_str(b), "-5 -6 7 8 ff 0a 0.2",
	    "esc_printf: integer and floating conversions");
	/* Numbered arguments, as a translation reorders them. */
	buf_reset(b);
	esc_printf(b, 0, "%3$s: %2$zu of %1$d (%3$s)", 10, (size_t)4,
	    "mx\033.example");
	is_str(buf_str(b), "mx\\x1b.example: 4 of 10 (mx\\x1b.example)",
	    "esc_printf: numbered arguments in another order, escaped");
	buf_reset(b);
	esc_printf(b, 0, "[%2$.*1$s] [%3$-*4$s] %5$ld", 2, "abcdef", "q", 3,
	    -7L);
	is_str(buf_str(b), "[ab] [q  ] -7",
	    "esc_printf: numbered width and precision arguments");
	buf_reset(b);
	esc_printf(b, 0, "%1$s %1$s %%%2$c", "\r", 'z');
	is_str(buf_str(b), "\\x0d \\x0d %z",
	    "esc_printf: one argument used twice, %% kept");
	buf_free(b);

	/* Capped buffer: stops at the cap, never overruns. */
	b = buf_new(5);
	esc_append(b, "\033\033\033", 3, 0);
	ok(buf_len(b) <= 5, "esc_append stops at the buffer's cap");
	buf_free(b);
	return tap_done();
}
