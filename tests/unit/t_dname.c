/* Unit tests for src/util/dname.c: the name rules with each caller's
 * flags, equal and in_list. */
#include <stdio.h>
#include <string.h>

#include "util/dname.h"
#include "tap.h"

/* The flags each caller passes (see the callers named). */
#define CLI	(DNAME_FINAL_DOT | DNAME_UNDERSCORE)	/* cli, https, dmarc */
#define MTASTS	(DNAME_WILDCARD | DNAME_UNDERSCORE)	/* mtasts mx_pattern */
#define EHLO	(DNAME_HOSTNAME | DNAME_SMTP_LEN)	/* smtp_ehlo_name_valid */
#define SPF	(DNAME_FINAL_DOT | DNAME_ANY_OCTET)	/* spf_domain_valid */
#define SPF2	(SPF | DNAME_MULTILABEL)

#define is_intf(got, want, ...)	ok((int)(got) == (int)(want), __VA_ARGS__)

static const struct {
	const char	*name;
	const char	*in;
	int		 cli, mtasts, ehlo, spf, spf2;
} names[] = {
	{ "plain", "example.com", 1, 1, 1, 1, 1 },
	{ "mixed case, final dot", "Example.COM.", 1, 0, 0, 1, 1 },
	{ "one label", "example", 1, 1, 1, 1, 0 },
	{ "empty", "", 0, 0, 0, 0, 0 },
	{ "only a dot", ".", 0, 0, 0, 0, 0 },
	{ "two final dots", "example.com..", 0, 0, 0, 0, 0 },
	{ "empty label", "a..b", 0, 0, 0, 0, 0 },
	{ "leading dot", ".a.b", 0, 0, 0, 0, 0 },
	{ "underscore label", "_dmarc.example.com", 1, 1, 0, 1, 1 },
	{ "wildcard", "*.example.com", 0, 1, 0, 1, 1 },
	{ "wildcard alone", "*.", 0, 0, 0, 1, 0 },
	{ "wildcard inside", "a.*.example.com", 0, 0, 0, 1, 1 },
	{ "two wildcards", "*.*.example.com", 0, 0, 0, 1, 1 },
	{ "star without dot", "*example.com", 0, 0, 0, 1, 1 },
	{ "leading hyphen", "-a.example", 1, 1, 0, 1, 1 },
	{ "trailing hyphen", "a-.example", 1, 1, 0, 1, 1 },
	{ "hyphen at the end", "a.example-", 1, 1, 0, 1, 1 },
	{ "inner hyphen", "a-b.example", 1, 1, 1, 1, 1 },
	{ "space", "a b.example", 0, 0, 0, 1, 1 },
	{ "control character", "a\tb.example", 0, 0, 0, 1, 1 },
	{ "non-ASCII", "b\xc3\xbc" "cher.de", 0, 0, 0, 1, 1 },
	{ "A-label", "xn--bcher-kva.de", 1, 1, 1, 1, 1 },
	/* spf_domain_valid refuses a literal before asking dname. */
	{ "bracketed literal", "[192.0.2.1]", 0, 0, 0, 1, 1 },
	{ "digits only", "192.0.2.1", 1, 1, 1, 1, 1 },
};

/* A name of len octets: labels of 63, the last one shorter. */
static void
name_of(char *out, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = i % 64 == 63 ? '.' : 'a';
	if (len > 0 && out[len - 1] == '.')
		out[len - 1] = 'b';
	out[len] = '\0';
}

static const struct {
	const char	*name;
	size_t		 len;
	int		 dot;		/* a final dot after len octets */
	int		 cli, mtasts, ehlo, spf;
} lengths[] = {
	{ "253 octets", 253, 0, 1, 1, 1, 1 },
	{ "253 octets and the final dot", 253, 1, 1, 0, 0, 1 },
	{ "254 octets", 254, 0, 0, 0, 1, 0 },
	{ "255 octets", 255, 0, 0, 0, 1, 0 },
	{ "256 octets", 256, 0, 0, 0, 0, 0 },
};

static void
test_names(void)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		is_intf(dname_valid(names[i].in, CLI), names[i].cli,
		    "cli: %s", names[i].name);
		is_intf(dname_valid(names[i].in, MTASTS), names[i].mtasts,
		    "mtasts: %s", names[i].name);
		is_intf(dname_valid(names[i].in, EHLO), names[i].ehlo,
		    "ehlo: %s", names[i].name);
		is_intf(dname_valid(names[i].in, SPF), names[i].spf,
		    "spf: %s", names[i].name);
		is_intf(dname_valid(names[i].in, SPF2), names[i].spf2,
		    "spf, two labels: %s", names[i].name);
	}
}

static void
test_lengths(void)
{
	char n[300], label[80];
	size_t i;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		name_of(n, lengths[i].len);
		if (lengths[i].dot)
			strcat(n, ".");
		is_intf(dname_valid(n, CLI), lengths[i].cli, "cli: %s",
		    lengths[i].name);
		is_intf(dname_valid(n, MTASTS), lengths[i].mtasts,
		    "mtasts: %s", lengths[i].name);
		is_intf(dname_valid(n, EHLO), lengths[i].ehlo, "ehlo: %s",
		    lengths[i].name);
		is_intf(dname_valid(n, SPF), lengths[i].spf, "spf: %s",
		    lengths[i].name);
	}
	/* The wildcard is not counted: the name after "*." is. */
	n[0] = '*';
	n[1] = '.';
	name_of(n + 2, 253);
	is_int(dname_valid(n, MTASTS), 1, "mtasts: *. and 253 octets");
	name_of(n + 2, 254);
	is_int(dname_valid(n, MTASTS), 0, "mtasts: *. and 254 octets");

	memset(label, 'a', 63);
	strcpy(label + 63, ".com");
	is_int(dname_valid(label, CLI), 1, "a label of 63");
	memset(label, 'a', 64);
	strcpy(label + 64, ".com");
	is_int(dname_valid(label, CLI), 0, "a label of 64");
	is_int(dname_valid(label, SPF), 0, "a label of 64, any octet");
}

static const struct {
	const char		*name;
	const char		*in;
	enum dname_error	 want;
	size_t			 pos;
} errors[] = {
	{ "empty", "", DNAME_EMPTY, 0 },
	{ "final dot only", ".", DNAME_EMPTY, 0 },
	{ "empty label", "a..b", DNAME_EMPTY_LABEL, 2 },
	{ "trailing empty label", "a..", DNAME_EMPTY_LABEL, 2 },
	{ "bad octet", "ab$c.d", DNAME_BAD_OCTET, 2 },
	{ "non-ASCII", "a.\xc3\xa9", DNAME_BAD_OCTET, 2 },
	{ "first error wins", "a..$", DNAME_EMPTY_LABEL, 2 },
	{ "long label", "x.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaa.y", DNAME_LONG_LABEL, 2 },
};

static void
test_errors(void)
{
	size_t i, pos;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		pos = 999;
		is_intf(dname_check(errors[i].in, strlen(errors[i].in), CLI,
		    &pos), errors[i].want, "error: %s", errors[i].name);
		is_intf(pos, errors[i].pos, "error: %s: position",
		    errors[i].name);
	}
	is_int(dname_check("a-.b", 4, EHLO, NULL), DNAME_HYPHEN,
	    "hyphen before a dot");
	is_int(dname_check("-a", 2, EHLO, NULL), DNAME_HYPHEN,
	    "hyphen first");
	is_int(dname_check("example.com$", 11, CLI, NULL), DNAME_OK,
	    "only the len octets given are read");
	is_int(dname_check("a", 1, SPF2, NULL), DNAME_ONE_LABEL,
	    "one label where two are asked");
}

static void
test_equal(void)
{
	const char *list[] = { "mx1.example.com", "MX2.example.com.", NULL };

	ok(dname_equal("MX.Example.COM", "mx.example.com"), "equal: case");
	ok(dname_equal("mx.example.com.", "mx.example.com"),
	    "equal: final dot");
	ok(!dname_equal("mx.example.com..", "mx.example.com"),
	    "equal: only one final dot is ignored");
	ok(!dname_equal("mx.example.co", "mx.example.com"), "equal: prefix");
	ok(dname_equal(".", "."), "equal: the root");
	ok(dname_in_list(list, "mx2.example.com"), "in_list: found");
	ok(!dname_in_list(list, "mx3.example.com"), "in_list: not found");
	ok(!dname_in_list(NULL, "mx1.example.com"), "in_list: no list");
}

int
main(void)
{
	test_names();
	test_lengths();
	test_errors();
	test_equal();
	return tap_done();
}
