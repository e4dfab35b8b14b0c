/* Unit tests for src/parse/mtasts.c: TXT, policy, MX matching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "parse/mtasts.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "tap.h"

/* --- TXT record -------------------------------------------------------- */

struct tcase {
	const char	*name;
	const char	*in;
	const char	*want;	/* "id=..." or "ERR@<offset>" */
};

static const struct tcase tcases[] = {
	{ "plain", "v=STSv1; id=20160831085700Z", "id=20160831085700Z" },
	{ "no spaces", "v=STSv1;id=abc", "id=abc" },
	{ "trailing separator", "v=STSv1; id=abc;", "id=abc" },
	{ "trailing separator and spaces", "v=STSv1; id=abc ; ", "id=abc" },
	{ "extension ignored", "v=STSv1; id=1; ext-a.b_c=val!", "id=1" },
	{ "32-char id", "v=STSv1; id=0123456789abcdef0123456789ABCDEF",
	    "id=0123456789abcdef0123456789ABCDEF" },

	{ "33-char id", "v=STSv1; id=0123456789abcdef0123456789ABCDEFx",
	    "ERR@12" },
	{ "id with dash", "v=STSv1; id=2024-01-01", "ERR@16" },
	{ "empty id", "v=STSv1; id=", "ERR@12" },
	{ "missing id", "v=STSv1;", "ERR@8" },
	{ "id twice", "v=STSv1; id=1; id=2", "ERR@15" },
	{ "wrong version", "v=STSv2; id=1", "ERR@0" },
	{ "lower-case version", "v=stsv1; id=1", "ERR@0" },
	{ "version not first", "id=1; v=STSv1", "ERR@0" },
	{ "leading space", " v=STSv1; id=1", "ERR@0" },
	{ "space around equals", "v=STSv1; id = 1", "ERR@11" },
	{ "no separator", "v=STSv1 id=1", "ERR@8" },
	{ "double separator", "v=STSv1;; id=1", "ERR@8" },
	{ "control char", "v=STSv1; id=1; x=a\001", "ERR@18" },
	{ "empty", "", "ERR@0" },
};

static void
test_txt(void)
{
	struct mtasts_txt *t;
	struct buf *b, *why;
	struct taglist_txt txt[3];
	size_t i, off, idx = 99;

	b = buf_new(1024);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(tcases) / sizeof(tcases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		if (mtasts_txt_parse(tcases[i].in, strlen(tcases[i].in), &t,
		    &off, why) == MTASTS_OK) {
			buf_printf(b, "id=%s", t->id);
			mtasts_txt_free(t);
		} else {
			if (buf_len(why) == 0)
				diag("%s: no reason", tcases[i].name);
			buf_printf(b, "ERR@%zu", off);
		}
		is_str(buf_str(b), tcases[i].want, tcases[i].name);
	}
	mtasts_txt_free(NULL);

	txt[0].data = "v=spf1 -all";
	txt[0].len = 11;
	txt[1].data = "v=STSv1; id=1";
	txt[1].len = 13;
	txt[2].data = "v=STSv1; id=2";
	txt[2].len = 13;
	is_int(mtasts_txt_select(txt, 1, &idx), 0, "select: none");
	is_int(mtasts_txt_select(txt, 2, &idx), 1, "select: one");
	is_int(idx, 1, "select: index");
	is_int(mtasts_txt_select(txt, 3, &idx), 2, "select: two");
	buf_free(b);
	buf_free(why);
}

/* --- policy ------------------------------------------------------------ */

struct pcase {
	const char	*name;
	const char	*in;
	const char	*want;	/* summary, or "ERR@line <n>" */
};

static const struct pcase pcases[] = {
	{ "RFC example (CRLF)", "version: STSv1\r\nmode: enforce\r\n"
	    "mx: mail.example.com\r\nmx: *.example.net\r\n"
	    "mx: backupmx.example.com\r\nmax_age: 604800\r\n",
	    "enforce 604800 mail.example.com,*.example.net,"
	    "backupmx.example.com" },
	{ "LF, no final newline", "version: STSv1\nmode: testing\n"
	    "mx: MX.Example.COM\nmax_age: 86400",
	    "testing 86400 mx.example.com" },
	{ "mode none without mx", "version: STSv1\nmode: none\n"
	    "max_age: 0\n", "none 0 -" },
	{ "no space after colon, trailing blanks", "version:STSv1\n"
	    "mode:enforce \t\nmx:a.example\nmax_age:31557600\n",
	    "enforce 31557600 a.example" },
	{ "unknown key ignored", "version: STSv1\nmode: enforce\n"
	    "mx: a.example\nmax_age: 1\nfoo_bar: baz qux\n",
	    "enforce 1 a.example" },
	{ "blank lines skipped", "version: STSv1\n\nmode: enforce\n"
	    "mx: a.example\r\n\r\nmax_age: 10\n\n",
	    "enforce 10 a.example" },

	{ "empty", "", "ERR@line 0" },
	{ "version not first (any order, RFC 8461 ABNF)",
	    "mode: enforce\nmx: a.example\nversion: STSv1\nmax_age: 10\n",
	    "enforce 10 a.example" },
	{ "wrong version", "version: STSv2\n", "ERR@line 1" },
	{ "bad mode", "version: STSv1\nmode: enforcing\n", "ERR@line 2" },
	{ "mode case", "version: STSv1\nmode: Enforce\n", "ERR@line 2" },
	{ "mode twice", "version: STSv1\nmode: testing\nmode: enforce\n",
	    "ERR@line 3" },
	{ "max_age too big", "version: STSv1\nmode: none\n"
	    "max_age: 31557601\n", "ERR@line 3" },
	{ "max_age 11 digits", "version: STSv1\nmode: none\n"
	    "max_age: 00000000001\n", "ERR@line 3" },
	{ "max_age negative", "version: STSv1\nmode: none\nmax_age: -1\n",
	    "ERR@line 3" },
	{ "max_age missing", "version: STSv1\nmode: none\n", "ERR@line 0" },
	{ "mode missing", "version: STSv1\nmax_age: 1\n", "ERR@line 0" },
	{ "mx missing under enforce", "version: STSv1\nmode: enforce\n"
	    "max_age: 1\n", "ERR@line 0" },
	{ "bad mx", "version: STSv1\nmode: enforce\nmx: mail..example\n",
	    "ERR@line 3" },
	{ "mx wildcard in the middle", "version: STSv1\nmode: enforce\n"
	    "mx: mail.*.example\n", "ERR@line 3" },
	{ "mx bare star", "version: STSv1\nmode: enforce\nmx: *\n",
	    "ERR@line 3" },
	{ "no colon", "version: STSv1\nmode enforce\n", "ERR@line 2" },
	{ "space before colon", "version: STSv1\nmode : enforce\n",
	    "ERR@line 2" },
	{ "bare CR inside", "version: STSv1\rmode: enforce\n",
	    "ERR@line 1" },
	{ "NUL byte", "version: STSv1\nmode: en\0force\n", "ERR@line 2" },
	{ "8-bit byte", "version: STSv1\nmode: enforce\nmx: m\xc3\xa9.x\n",
	    "ERR@line 3" },
	{ "HTML error page", "<html><body>404</body></html>\n",
	    "ERR@line 1" },
};

static void
summary(const struct mtasts_policy *p, struct buf *b)
{
	size_t i;

	buf_printf(b, "%s %lu ", mtasts_mode_name(p->mode),
	    (unsigned long)p->max_age);
	if (p->nmx == 0)
		buf_printf(b, "-");
	for (i = 0; i < p->nmx; i++)
		buf_printf(b, "%s%s", i ? "," : "", p->mx[i]);
}

static void
test_policy(void)
{
	struct mtasts_policy *p;
	struct buf *b, *why;
	size_t i, line, len;
	char *big;

	b = buf_new(4096);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		len = strlen(pcases[i].in);
		if (strcmp(pcases[i].name, "NUL byte") == 0)
			len = 32;
		if (mtasts_policy_parse(pcases[i].in, len, &p, &line, why) ==
		    MTASTS_OK) {
			summary(p, b);
			mtasts_policy_free(p);
		} else {
			if (buf_len(why) == 0)
				diag("%s: no reason", pcases[i].name);
			buf_printf(b, "ERR@line %zu", line);
		}
		is_str(buf_str(b), pcases[i].want, pcases[i].name);
		if (strncmp(buf_str(b), "ERR", 3) == 0)
			diag("  why: %s", buf_str(why));
	}

	/* Oversized: 64 KiB + 1 is refused before any parsing. */
	big = malloc(MTASTS_POLICY_MAX + 2);
	memset(big, 'x', MTASTS_POLICY_MAX + 1);
	memcpy(big, "version: STSv1\n", 15);
	buf_reset(why);
	ok(mtasts_policy_parse(big, MTASTS_POLICY_MAX + 1, &p, &line, why) ==
	    MTASTS_SYNTAX && line == 0, "body over 64 KiB refused");
	/* Exactly 64 KiB of valid policy padded with an extension line. */
	strcpy(big, "version: STSv1\nmode: none\nmax_age: 5\npad: ");
	len = strlen(big);
	memset(big + len, 'p', MTASTS_POLICY_MAX - len - 1);
	big[MTASTS_POLICY_MAX - 1] = '\n';
	buf_reset(why);
	ok(mtasts_policy_parse(big, MTASTS_POLICY_MAX, &p, &line, why) ==
	    MTASTS_OK, "64 KiB policy accepted");
	mtasts_policy_free(p);
	/* Too many mx lines. */
	strcpy(big, "version: STSv1\nmode: enforce\nmax_age: 5\n");
	for (i = 0; i <= MTASTS_MAX_MX; i++)
		strcat(big, "mx: a.example\n");
	buf_reset(why);
	ok(mtasts_policy_parse(big, strlen(big), &p, &line, why) ==
	    MTASTS_SYNTAX && line == 4 + MTASTS_MAX_MX,
	    "more than %d mx lines refused", MTASTS_MAX_MX);
	free(big);
	mtasts_policy_free(NULL);
	buf_free(b);
	buf_free(why);
}

/* --- MX matching (§4.1) ------------------------------------------------ */

static const struct {
	const char	*pattern;
	const char	*host;
	int		 want;
} mcases[] = {
	{ "mail.example.com", "mail.example.com", 1 },
	{ "mail.example.com", "MAIL.Example.COM.", 1 },
	{ "mail.example.com.", "mail.example.com", 1 },
	{ "mail.example.com", "mail2.example.com", 0 },
	{ "mail.example.com", "example.com", 0 },
	{ "*.example.com", "mail.example.com", 1 },
	{ "*.example.com", "MX1.EXAMPLE.COM", 1 },
	{ "*.example.com", "example.com", 0 },
	{ "*.example.com", "a.b.example.com", 0 },
	{ "*.example.com", ".example.com", 0 },
	{ "*.example.com", "mailexample.com", 0 },
	{ "*.example.com", "mail.example.com.evil", 0 },
	{ "*.Example.COM", "x.example.com", 1 },
	{ "", "mail.example.com", 0 },
	{ "mail.example.com", "", 0 },
};

static void
test_match(void)
{
	size_t i;

	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++)
		is_int(mtasts_mx_match(mcases[i].pattern, mcases[i].host),
		    mcases[i].want, mcases[i].host[0] ? mcases[i].host :
		    "(empty host)");
	ok(!mtasts_mx_match(NULL, "a"), "NULL pattern");
}

int
main(void)
{
	test_txt();
	test_policy();
	test_match();
	return tap_done();
}
