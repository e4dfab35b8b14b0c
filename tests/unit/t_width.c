/*
 * Unit tests for src/util/width.c: columns of ASCII, Japanese (2 each),
 * halfwidth Katakana (1 each), combining marks and zero-width characters
 * (0), emoji, invalid UTF-8 (1 a byte), mixed text, and width_pad().
 */
#include <string.h>

#include "util/buf.h"
#include "util/width.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*in;
	size_t		 want;
} cases[] = {
	{ "empty", "", 0 },
	{ "ASCII", "Transport", 9 },
	{ "Japanese", "日本語", 6 },
	{ "Hiragana and Katakana", "ひらがなカタカナ", 16 },
	{ "halfwidth Katakana", "ｶﾀｶﾅ", 4 },
	{ "fullwidth Latin", "ＡＢ", 4 },
	{ "Hangul", "한국어", 6 },
	{ "combining acute", "e\xcc\x81", 1 },
	{ "combining voiced mark", "\xe3\x81\x8b\xe3\x82\x99", 2 },
	{ "zero-width space", "a\xe2\x80\x8b" "b", 2 },
	{ "emoji", "\xf0\x9f\x93\xa7", 2 },
	{ "ideographic full stop", "。", 2 },
	{ "mixed", "MX 配送 ok", 10 },
	{ "Latin-1 letter", "caf\xc3\xa9", 4 },
	{ "invalid byte", "a\xff" "b", 3 },
	{ "cut sequence", "\xe6\x97", 2 },
	{ "overlong", "\xc0\xaf", 2 },
	{ "surrogate", "\xed\xa0\x80", 3 },
};

int
main(void)
{
	struct buf *b;
	size_t i;
	int32_t cp;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(width_str(cases[i].in) == cases[i].want, "%s: %zu columns",
		    cases[i].name, cases[i].want);

	ok(width_decode("\xe6\x97\xa5", 3, &cp) == 3 && cp == 0x65e5,
	    "decode: three bytes, U+65E5");
	ok(width_decode("\xe6\x97\xa5", 2, &cp) == 1 && cp == -1,
	    "decode: a cut sequence is one invalid byte");
	ok(width_n("日本語", 3) == 2, "width_n: a prefix");

	b = buf_new(256);
	width_pad(b, "SPF", 8);
	ok(strcmp(buf_str(b), "SPF     ") == 0, "pad ASCII to 8");
	buf_reset(b);
	width_pad(b, "送信", 8);
	ok(strcmp(buf_str(b), "送信    ") == 0,
	    "pad Japanese: 4 columns, 4 spaces");
	buf_reset(b);
	width_pad(b, "ｶﾀｶﾅ", 6);
	ok(strcmp(buf_str(b), "ｶﾀｶﾅ  ") == 0, "pad halfwidth Katakana");
	buf_reset(b);
	width_pad(b, "too wide", 3);
	ok(strcmp(buf_str(b), "too wide") == 0, "no padding when wider");
	buf_reset(b);
	width_pad(b, "", 2);
	ok(strcmp(buf_str(b), "  ") == 0, "pad the empty string");
	buf_free(b);
	return tap_done();
}
