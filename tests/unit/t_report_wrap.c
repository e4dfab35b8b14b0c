/*
 * Unit tests for src/report/report_wrap.c: short lines kept, folding at
 * spaces with the line's indent, a hanging indent after "  1. " and
 * "[critical] ", Japanese folded between characters and never before
 * 。、」）, a token longer than the line kept whole, a quoted record
 * never cut, colour escapes counted 0, no line over the width.
 */
#include <string.h>

#include "util/buf.h"
#include "util/width.h"
#include "report/report.h"
#include "tap.h"

static struct buf *b;

static const char *
wrap(const char *in, size_t width)
{
	buf_reset(b);
	report_wrap(in, width, b);
	return buf_str(b);
}

/* 1 when no line of s is wider than width columns. */
static int
fits(const char *s, size_t width)
{
	const char *nl;

	for (;;) {
		nl = strchr(s, '\n');
		if (width_n(s, nl != NULL ? (size_t)(nl - s) : strlen(s)) >
		    width)
			return 0;
		if (nl == NULL)
			return 1;
		s = nl + 1;
	}
}

int
main(void)
{
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	is_str(wrap("short line\nsecond\n", 20), "short line\nsecond\n",
	    "short lines kept");
	is_str(wrap("", 40), "", "empty text");
	is_str(wrap("aaaa bbbb cccc dddd eeee ffff\n", 20),
	    "aaaa bbbb cccc dddd\neeee ffff\n", "folded at the last space");
	is_str(wrap("    aaaa bbbb cccc dddd eeee\n", 20),
	    "    aaaa bbbb cccc\n    dddd eeee\n", "continuation indented");
	is_str(wrap("  1. aaaa bbbb cccc dddd eeee\n", 20),
	    "  1. aaaa bbbb cccc\n     dddd eeee\n", "hanging after 1.");
	is_str(wrap("  [critical] aaa bbb ccc ddd\n", 26),
	    "  [critical] aaa bbb ccc\n             ddd\n",
	    "hanging after [critical]");
	is_str(wrap("  \033[31m[critical]\033[0m aaa bbb ccc ddd\n", 26),
	    "  \033[31m[critical]\033[0m aaa bbb ccc\n             ddd\n",
	    "colour escapes are 0 columns and never cut");
	is_str(wrap("aa mx1.averyveryverylonghostname.example bb\n", 20),
	    "aa\nmx1.averyveryverylonghostname.example\nbb\n",
	    "a token longer than the line stays whole");
	is_str(wrap("  \"v=spf1 ip4:192.0.2.1 -all\" ok\n", 20),
	    "  \"v=spf1 ip4:192.0.2.1 -all\"\n  ok\n",
	    "a quoted record is never cut");
	is_str(wrap("    record: v=spf1 include:_spf.example.com ip4:192.0.2.0/24 "
	    "-all\n", 40),
	    "    record:\n    v=spf1 include:_spf.example.com ip4:192.0.2.0/24 -all\n",
	    "a bare record is never cut");
	is_str(wrap("  DMARC: _dmarc.example.com \"v=DMARC1; p=reject; "
	    "rua=mailto:d@example.com\"\n", 30),
	    "  DMARC: _dmarc.example.com\n  \"v=DMARC1; p=reject; "
	    "rua=mailto:d@example.com\"\n", "a quoted record on its own line");
	is_str(wrap("aaa bbbv=x ccc ddd eee fff ggg\n", 20),
	    "aaa bbbv=x ccc ddd\neee fff ggg\n", "v= inside a word is no record");
	s = wrap("日本語の文章を折り返します。これは試験です。\n", 20);
	ok(fits(s, 20), "Japanese: no line over 20 columns");
	is_str(s,
	    "日本語の文章を折り返\nします。これは試験で\nす。\n",
	    "Japanese folded between characters");
	s = wrap("あいうえおかきくけこ。さしすせそ\n", 20);
	is_str(s, "あいうえおかきくけ\nこ。さしすせそ\n",
	    "never before 。");
	s = wrap("  受信者は「あいうえおかきくけこ」と言います\n", 20);
	ok(fits(s, 20), "indented Japanese fits");
	ok(strstr(s, "\n」") == NULL && strstr(s, "「\n") == NULL,
	    "never before 」 nor after 「");
	s = wrap("The MX host mail.example.com does not offer STARTTLS, so "
	    "mail to it travels in the clear over the Internet.\n", 60);
	ok(fits(s, 60), "English at 60: no line over 60");
	is_str(wrap("aaaa bbbb cccc dddd eeee ffff\n", 10),
	    "aaaa bbbb cccc dddd eeee ffff\n", "below the minimum: unfolded");
	s = wrap("ab 日本\xff\xfe語 cd\n", 20);
	is_str(s, "ab 日本\xff\xfe語 cd\n", "invalid bytes kept");
	buf_free(b);
	return tap_done();
}
