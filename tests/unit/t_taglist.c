/* Unit tests for src/parse/taglist.c: RFC 6376 §3.2 tag=value lists. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/taglist.h"
#include "tap.h"

struct tcase {
	const char	*name;
	const char	*in;
	int		 flags;
	const char	*want;	/* "n=v|n=v" or "ERR@off" */
};

static const struct tcase cases[] = {
	{ "simple", "v=DKIM1; p=abc", 0, "v=DKIM1|p=abc" },
	{ "trailing semicolon", "a=1;", 0, "a=1" },
	{ "trailing semicolon and space", "a=1; \t", 0, "a=1" },
	{ "spaces around", "  a = 1 ;b=  2  ", 0, "a=1|b=2" },
	{ "folded value kept", "p=abc \r\n def", 0, "p=abc \r\n def" },
	{ "empty value", "p=", 0, "p=" },
	{ "underscore and digits", "a_1=x", 0, "a_1=x" },
	{ "empty record", "", 0, "ERR@0" },
	{ "only spaces", "   ", 0, "ERR@3" },
	{ "lone semicolon", ";", 0, "ERR@0" },
	{ "double semicolon", "a=1;;b=2", 0, "ERR@4" },
	{ "no equals", "a=1; b", 0, "ERR@6" },
	{ "name starts with digit", "1a=x", 0, "ERR@0" },
	{ "name with dash", "a-b=x", 0, "ERR@1" },
	{ "duplicate", "a=1; a=2", 0, "ERR@5" },
	{ "duplicate case-insensitive", "a=1; A=2", TAGLIST_NOCASE,
	    "ERR@5" },
	{ "case-sensitive distinct", "a=1; A=2", 0, "a=1|A=2" },
	{ "control char", "a=1\001", 0, "ERR@3" },
	{ "8-bit", "a=\xc3\xa9", 0, "ERR@2" },
	{ "equals in value", "a=b=c", 0, "a=b=c" },
};

static void
render(const struct taglist *tl, struct buf *b)
{
	size_t i;

	for (i = 0; i < taglist_count(tl); i++)
		buf_printf(b, "%s%s=%s", i ? "|" : "", taglist_at(tl, i)->name,
		    taglist_at(tl, i)->value);
}


/* field_next/field_value over RFC 8461/8460 field lists. */
static const struct fcase {
	const char	*in;		/* after a 2-byte "v=" stand-in */
	const char	*want;		/* "name=value|..." or "!OFF" */
} fcases[] = {
	{ "v;", "" },
	{ "v", "" },
	{ "v; id=1; x.y-z_=a:b ;", "id=1|x.y-z_=a:b|" },
	{ "v;id=abc", "id=abc|" },
	{ "v id=1", "!2" },		/* ";" expected */
	{ "v; =1", "!3" },		/* field name expected */
	{ "v; id 1", "!5" },		/* "=" right after the name */
	{ "v; id=", "!6" },		/* empty value */
	{ "v; id=a=b", "!7" },		/* "=" inside a value */
	{ "v; id=\x01", "!6" },
	{ "v; abcdefghijklmnopqrstuvwxyz0123456=1", "!35" },	/* > 32 */
};

static void
test_fields(void)
{
	struct buf *why = buf_new(BUF_WHY_MAX), *got = buf_new(256);
	struct field f;
	size_t i, pos, off;
	int rc;

	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const char *s = fcases[i].in;
		size_t len = strlen(s);

		buf_reset(got);
		buf_reset(why);
		pos = 1;
		off = 0;
		while ((rc = field_next(s, len, &pos, &f, &off, why)) == 1) {
			if ((rc = field_value(s, len, &pos, &f, &off,
			    why)) == -1)
				break;
			buf_printf(got, "%.*s=%.*s|", (int)f.nlen, s + f.name,
			    (int)f.vlen, s + f.value);
		}
		if (rc == -1) {
			buf_reset(got);
			buf_printf(got, "!%zu", off);
		}
		is_str(buf_str(got), fcases[i].want, s);
	}
	buf_free(why);
	buf_free(got);
}

/* taglist_items: records the items it is given; refuses "bad". */
static char items_seen[128];

static int
item_rec(const char *s, size_t n, void *arg)
{
	(void)arg;
	if (n == 3 && memcmp(s, "bad", 3) == 0)
		return 0;
	strncat(items_seen, "[", sizeof(items_seen) - strlen(items_seen) - 1);
	strncat(items_seen, s, n < sizeof(items_seen) -
	    strlen(items_seen) - 1 ? n : 0);
	strncat(items_seen, "]", sizeof(items_seen) - strlen(items_seen) - 1);
	return 1;
}

static void
check_items(const char *v, int sep, int flags, long want_off,
    const char *want_seen)
{
	long off;
	char d[96], shown[32];
	size_t i;

	/* The value as the description shows it: no line breaks in TAP. */
	for (i = 0; v[i] != '\0' && i < sizeof(shown) - 1; i++)
		shown[i] = v[i] == '\r' || v[i] == '\n' ? '~' : v[i];
	shown[i] = '\0';

	items_seen[0] = '\0';
	off = taglist_items(v, sep, flags, item_rec, NULL);
	snprintf(d, sizeof(d), "items of \"%s\" (flags %d): offset", shown,
	    flags);
	is_int((int)off, (int)want_off, d);
	snprintf(d, sizeof(d), "items of \"%s\" (flags %d): the items", shown,
	    flags);
	is_str(items_seen, want_seen, d);
}

int
main(void)
{
	struct taglist *tl;
	struct buf *b, *why;
	size_t i, off;
	char *many;
	struct taglist_txt t;

	test_fields();
	b = buf_new(4096);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		if (taglist_parse(cases[i].in, strlen(cases[i].in),
		    cases[i].flags, &tl, &off, why) == TAGLIST_OK) {
			render(tl, b);
			taglist_free(tl);
		} else {
			ok(buf_len(why) > 0, "%s: reason given", cases[i].name);
			buf_printf(b, "ERR@%zu", off);
		}
		is_str(buf_str(b), cases[i].want, cases[i].name);
	}

	/* NUL inside the record: an error, not a truncation. */
	buf_reset(why);
	ok(taglist_parse("a=1\0b=2", 7, 0, &tl, &off, why) == TAGLIST_SYNTAX &&
	    off == 3, "embedded NUL rejected at its offset");

	/* Too many tags. */
	many = malloc(TAGLIST_MAX_TAGS * 8 + 16);
	many[0] = '\0';
	for (i = 0; i <= TAGLIST_MAX_TAGS; i++)
		sprintf(many + strlen(many), "t%zu=1;", i);
	buf_reset(why);
	ok(taglist_parse(many, strlen(many), 0, &tl, &off, why) ==
	    TAGLIST_SYNTAX, "more than %d tags rejected", TAGLIST_MAX_TAGS);
	free(many);

	/* taglist_get */
	buf_reset(why);
	taglist_parse("V=1; p=2", 8, TAGLIST_NOCASE, &tl, &off, why);
	is_str(taglist_get(tl, "v")->value, "1", "nocase get");
	ok(taglist_get(tl, "x") == NULL, "absent tag is NULL");
	taglist_free(tl);
	taglist_free(NULL);

	t.data = "abc";
	t.len = 3;
	many = taglist_txt_str(&t);
	is_str(many, "abc", "txt_str copies");
	free(many);
	t.data = "a\0c";
	ok(taglist_txt_str(&t) == NULL, "txt_str refuses NUL");

	buf_free(b);
	buf_free(why);
	check_items("sha1:sha256", ':', 0, -1, "[sha1][sha256]");
	check_items(" a \t: b ", ':', 0, -1, "[a][b]");
	check_items("a:\r\n b", ':', 0, -1, "[a][\r\n b]");
	check_items("a:\r\n b", ':', TAGLIST_ITEM_FWS, -1, "[a][b]");
	check_items("a::b", ':', 0, -1, "[a][][b]");
	check_items("a::b", ':', TAGLIST_ITEM_NONEMPTY, 2, "[a]");
	check_items("", ':', TAGLIST_ITEM_NONEMPTY, 0, "");
	check_items("a: bad :c", ':', 0, 3, "[a]");
	check_items("x,y", ',', 0, -1, "[x][y]");

	ok(taglist_is_wsp(' ') && taglist_is_wsp('\t'), "WSP: SP and HTAB");
	ok(!taglist_is_wsp('\r') && !taglist_is_wsp('\n') &&
	    !taglist_is_wsp('a') && !taglist_is_wsp(0), "WSP: nothing else");
	ok(taglist_is_fws(' ') && taglist_is_fws('\t') &&
	    taglist_is_fws('\r') && taglist_is_fws('\n'), "FWS: SP, HTAB, CR "
	    "and LF");
	ok(!taglist_is_fws('\v') && !taglist_is_fws(';') &&
	    !taglist_is_fws(0), "FWS: nothing else");
	return tap_done();
}
