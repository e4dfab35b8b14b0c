/*
 * t_spf - src/parse/spf.c (parser, record selection, macros, addresses).
 * The findings of literal trees (src/analyze/analyze_spf.c) and their
 * text and JSON: t_analyze_spf.c.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dns_wire.h"
#include "parse/spf.h"
#include "tap.h"

/* A canonical dump of a parsed record, to compare with the table. */
static void
dump(const struct spf_record *r, struct buf *b)
{
	const struct spf_mech *m;
	size_t i;

	for (i = 0; i < r->nmech; i++) {
		m = &r->mech[i];
		buf_printf(b, "%s%c%s", i ? " " : "", m->qual,
		    spf_mech_name(m->type));
		if (m->type == SPF_M_IP4 || m->type == SPF_M_IP6) {
			struct spf_ip ip = m->net;

			buf_printf(b, ":");
			spf_ip_format(&ip, b);
		}
		if (m->domain)
			buf_printf(b, ":%s", m->domain);
		if (m->cidr4 != 32)
			buf_printf(b, "/%d", m->cidr4);
		if (m->cidr6 != 128)
			buf_printf(b, "//%d", m->cidr6);
	}
	if (r->redirect)
		buf_printf(b, " redirect=%s", r->redirect);
	if (r->exp)
		buf_printf(b, " exp=%s", r->exp);
	buf_printf(b, " |terms=%u", r->dns_terms);
}

static const struct {
	const char	*name;
	const char	*input;
	const char	*want;	/* dump, or "ERR <pos> <reason part>" */
} parse_cases[] = {
	{ "empty", "v=spf1", " |terms=0" },
	{ "case", "V=SpF1 -ALL", "-all |terms=0" },
	{ "qualifiers", "v=spf1 +a -mx ~ptr ?all",
	    "+a -mx ~ptr ?all |terms=3" },
	{ "two-spaces", "v=spf1 a  -all ", "+a -all |terms=1" },
	{ "ip4", "v=spf1 ip4:192.0.2.0/24 ip4:10.1.2.3",
	    "+ip4:192.0.2.0/24 +ip4:10.1.2.3 |terms=0" },
	{ "ip6", "v=spf1 ip6:2001:DB8::/32 ip6:::1.2.3.4",
	    "+ip6:2001:db8:://32 +ip6:::102:304 |terms=0" },
	{ "dual-cidr", "v=spf1 a/24//64 mx:example.com//48 a//0",
	    "+a/24//64 +mx:example.com//48 +a//0 |terms=3" },
	{ "domain-colon", "v=spf1 a:foo:bar/baz.example.com",
	    "+a:foo:bar/baz.example.com |terms=1" },
	{ "macro-domain", "v=spf1 exists:%{ir}.%{l1r-}.%{d2}.bl.example.org",
	    "+exists:%{ir}.%{l1r-}.%{d2}.bl.example.org |terms=1" },
	{ "macro-end", "v=spf1 include:_spf.%{d}",
	    "+include:_spf.%{d} |terms=1" },
	{ "trailing-dot", "v=spf1 include:_spf.example.com.",
	    "+include:_spf.example.com. |terms=1" },
	{ "idn-tld", "v=spf1 a:foo.example.xn--zckzah",
	    "+a:foo.example.xn--zckzah |terms=1" },
	{ "modifiers", "v=spf1 -all exp=why.%{d} redirect=_spf.example.com",
	    "-all redirect=_spf.example.com exp=why.%{d} |terms=1" },
	{ "unknown-modifier", "v=spf1 moo.cow-far_out=man:dog/cat -all",
	    "-all |terms=0" },
	{ "empty-unknown-modifier", "v=spf1 foo= -all", "-all |terms=0" },
	{ "not-v1", "v=spf10 -all", "ERR 1 does not start" },
	{ "nospace", "v=spf1-all", "ERR 1 does not start" },
	{ "unknown-mech", "v=spf1 ip4:1.2.3.4 -all moo",
	    "ERR 25 unknown mechanism \"moo\"" },
	{ "all-dot", "v=spf1 -all.", "ERR 12 unexpected '.'" },
	{ "all-arg", "v=spf1 -all:foo", "ERR 12 all takes no argument" },
	{ "all-cidr", "v=spf1 -all/8", "ERR 12 all takes no argument" },
	{ "redirect-mech", "v=spf1 redirect:example.com",
	    "ERR 8 \"redirect\" is a modifier" },
	{ "redirect-twice", "v=spf1 redirect=a.example redirect=b.example",
	    "ERR 27 redirect= given twice" },
	{ "exp-empty", "v=spf1 exp= -all", "ERR 12 empty domain" },
	{ "modifier-qualifier", "v=spf1 -redirect=example.com",
	    "ERR 8 must begin with a letter" },
	{ "modifier-digit", "v=spf1 1up=foo",
	    "ERR 8 must begin with a letter" },
	{ "modifier-empty-name", "v=spf1 =all",
	    "ERR 8 modifier without a name" },
	{ "modifier-bad-macro", "v=spf1 -all foo=%abc",
	    "ERR 17 '%' must be followed" },
	{ "include-empty", "v=spf1 include: -all", "ERR 16 include: empty" },
	{ "include-bare", "v=spf1 include", "ERR 15 include needs" },
	{ "include-cidr", "v=spf1 include:ip5.example.com/24",
	    "ERR 28 invalid top-level label \"com/24\"" },
	{ "exists-bare", "v=spf1 exists", "ERR 14 exists needs" },
	{ "ptr-cidr", "v=spf1 ptr/0 -all", "ERR 11 ptr needs" },
	{ "a-numeric", "v=spf1 a:111.222.33.44",
	    "ERR 21 top-level label \"44\" is all numeric" },
	{ "a-one-label", "v=spf1 a:museum", "ERR 10 one label only" },
	{ "a-one-label-dot", "v=spf1 a:museum.", "ERR 10 one label only" },
	{ "a-bad-toplabel", "v=spf1 a:example.-com",
	    "ERR 18 invalid top-level label" },
	{ "a-port", "v=spf1 a:example.com:8080",
	    "ERR 18 invalid top-level label" },
	{ "a-cidr4-33", "v=spf1 a/33 -all", "ERR 10 invalid IPv4 prefix" },
	{ "a-cidr6-129", "v=spf1 a//129 -all", "ERR 11 invalid IPv6 prefix" },
	{ "a-cidr4-slash-cidr", "v=spf1 a/24/64", "ERR 9 unexpected" },
	{ "ip4-leading-zero-cidr", "v=spf1 ip4:1.2.3.4/032",
	    "ERR 20 invalid prefix length" },
	{ "ip4-leading-zero", "v=spf1 ip4:01.2.3.4",
	    "ERR 12 invalid IPv4 address" },
	{ "ip4-short", "v=spf1 ip4:1.2.3", "ERR 12 invalid IPv4 address" },
	{ "ip4-port", "v=spf1 ip4:1.2.3.4:8080", "ERR 12 invalid IPv4" },
	{ "ip4-dual", "v=spf1 ip4:1.2.3.4//32", "ERR 20 invalid prefix" },
	{ "ip4-bare", "v=spf1 ip4", "ERR 11 ip4 needs" },
	{ "ip6-bad", "v=spf1 ip6::CAFE::BABE", "ERR 12 invalid IPv6" },
	{ "ip6-129", "v=spf1 ip6:::1/129", "ERR 16 invalid prefix" },
	{ "ip6-double-gap", "v=spf1 ip6:1::2::3", "ERR 12 invalid IPv6" },
	{ "macro-crt", "v=spf1 -all exp=%{r}.example.com",
	    "ERR 19 allowed only in explanation" },
	{ "macro-unknown-letter", "v=spf1 a:%{a}.example.com",
	    "ERR 12 unknown macro letter" },
	{ "macro-zero", "v=spf1 a:%{d0}.example.com",
	    "ERR 13 at least one part" },
	{ "macro-unterminated", "v=spf1 a:%{d.example.com",
	    "ERR 14 expected '}'" },
	{ "macro-paren", "v=spf1 -exists:%(ir).sbl.example.com",
	    "ERR 16 '%' must be followed" },
	{ "macro-trailing-pct", "v=spf1 exists:foo%.sbl.example.com",
	    "ERR 18 '%' must be followed" },
	{ "control-char", "v=spf1 a:ctrl.example.com\rptr -all",
	    "ERR 26 control character 0x0d" },
	{ "non-ascii", "v=spf1 \x80" "a:example.net -all",
	    "ERR 8 non-ASCII byte 0x80" },
	{ "newline", "v=spf1 ip4:192.0.2.5\n include:x.example",
	    "ERR 21 control character 0x0a" },
	{ "tab", "v=spf1\t-all", "ERR 1 does not start" },
};

static void
test_parse(void)
{
	struct spf_record *r;
	struct buf *why, *d;
	size_t i, pos;
	char want[512];

	why = buf_new(BUF_WHY_MAX);
	d = buf_new(4096);
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		buf_reset(why);
		buf_reset(d);
		r = spf_parse(parse_cases[i].input,
		    strlen(parse_cases[i].input), &pos, why);
		if (r != NULL) {
			dump(r, d);
			spf_record_free(r);
		} else {
			buf_printf(d, "ERR %zu %s", pos, buf_str(why));
		}
		if (strncmp(parse_cases[i].want, "ERR ", 4) == 0) {
			/* "ERR pos reason-part": position exact, reason
			 * contains the part. */
			const char *sp;
			size_t plen;

			sp = strchr(parse_cases[i].want + 4, ' ');
			plen = (size_t)(sp - parse_cases[i].want);
			snprintf(want, sizeof(want), "%.*s", (int)plen,
			    parse_cases[i].want);
			ok(r == NULL && strncmp(buf_str(d), want, plen) == 0 &&
			    buf_str(d)[plen] == ' ' &&
			    strstr(buf_str(d) + plen, sp + 1) != NULL,
			    "parse %s", parse_cases[i].name);
			if (r != NULL || strstr(buf_str(d), sp + 1) == NULL ||
			    strncmp(buf_str(d), want, plen) != 0)
				diag("  got \"%s\", want \"%s\"", buf_str(d),
				    parse_cases[i].want);
		} else
			is_str(buf_str(d), parse_cases[i].want,
			    parse_cases[i].name);
	}
	buf_free(why);
	buf_free(d);
}

static void
test_parse_limits(void)
{
	struct buf *b = buf_new(20000), *why = buf_new(BUF_WHY_MAX);
	struct spf_record *r;
	size_t pos, i;

	/* Oversized record. */
	buf_printf(b, "v=spf1");
	while (buf_len(b) <= SPF_RECORD_MAX)
		buf_printf(b, " ip4:192.0.2.1");
	r = spf_parse(buf_str(b), buf_len(b), &pos, why);
	ok(r == NULL && pos == SPF_RECORD_MAX + 1 &&
	    strstr(buf_str(why), "longer") != NULL, "oversized record");
	/* Too many terms (each short). */
	buf_reset(b);
	buf_reset(why);
	buf_printf(b, "v=spf1");
	for (i = 0; i <= SPF_MAX_TERMS; i++)
		buf_printf(b, " a");
	r = spf_parse(buf_str(b), buf_len(b), &pos, why);
	ok(r == NULL && strstr(buf_str(why), "terms") != NULL,
	    "too many terms");
	/* A NUL inside the record. */
	buf_reset(why);
	r = spf_parse("v=spf1 a:foo.example.com\0", 25, &pos, why);
	ok(r == NULL && pos == 25, "NUL byte at its position");
	/* Record text with a length shorter than the string. */
	r = spf_parse("v=spf1 -all garbage", 11, &pos, why);
	ok(r != NULL && r->nmech == 1, "length is honoured");
	spf_record_free(r);
	spf_record_free(NULL);
	buf_free(b);
	buf_free(why);
}

static struct dns_rr
txt(const char *s)
{
	struct dns_rr rr;

	memset(&rr, 0, sizeof(rr));
	rr.type = DNS_T_TXT;
	rr.u.txt.data = (char *)s;
	rr.u.txt.len = strlen(s);
	return rr;
}

static void
test_select(void)
{
	struct dns_rr rr[4];
	const struct dns_rr *got;
	size_t n;

	rr[0] = txt("google-site-verification=abc");
	rr[1] = txt("v=spf1 -all");
	rr[2] = txt("v=spf10 +all");
	rr[3] = txt("\xc2\x96");
	is_int(spf_select(rr, 4, &got, &n), SPF_SELECT_ONE, "select one");
	ok(got == &rr[1] && n == 1, "select picks the v=spf1 record");
	rr[2] = txt("V=SPF1 +all");
	is_int(spf_select(rr, 4, &got, &n), SPF_SELECT_MULTIPLE,
	    "select multiple (case-insensitive)");
	ok(got == NULL && n == 2, "multiple: no record, count 2");
	rr[1] = txt("v=spf1mx");
	rr[2] = txt("spf1");
	is_int(spf_select(rr, 4, &got, &n), SPF_SELECT_NONE, "select none");
	is_int(spf_select(rr, 0, &got, &n), SPF_SELECT_NONE, "no RRs");
	ok(spf_is_v1("v=spf1", 6) && !spf_is_v1("v=spf", 5) &&
	    spf_is_v1("v=spf1 a", 8) && !spf_is_v1("v=spf1\ta", 8),
	    "spf_is_v1");
}

static const struct {
	const char	*name;
	const char	*spec;
	int		 flags;
	const char	*want;
} macro_cases[] = {
	/* RFC 7208 §7.4 examples: sender strong-bad@email.example.com,
	 * IPv4 192.0.2.3, IPv6 2001:db8::cb01. */
	{ "s", "%{s}", 0, "strong-bad@email.example.com" },
	{ "o", "%{o}", 0, "email.example.com" },
	{ "d", "%{d}", 0, "email.example.com" },
	{ "d4", "%{d4}", 0, "email.example.com" },
	{ "d3", "%{d3}", 0, "email.example.com" },
	{ "d2", "%{d2}", 0, "example.com" },
	{ "d1", "%{d1}", 0, "com" },
	{ "dr", "%{dr}", 0, "com.example.email" },
	{ "d2r", "%{d2r}", 0, "example.email" },
	{ "l", "%{l}", 0, "strong-bad" },
	{ "l-", "%{l-}", 0, "strong.bad" },
	{ "lr", "%{lr}", 0, "strong-bad" },
	{ "lr-", "%{lr-}", 0, "bad.strong" },
	{ "l1r-", "%{l1r-}", 0, "strong" },
	{ "example1", "%{ir}.%{v}._spf.%{d2}", 0,
	    "3.2.0.192.in-addr._spf.example.com" },
	{ "example2", "%{lr-}.lp._spf.%{d2}", 0,
	    "bad.strong.lp._spf.example.com" },
	{ "example3", "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", 0,
	    "bad.strong.lp.3.2.0.192.in-addr._spf.example.com" },
	{ "example4", "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", 0,
	    "3.2.0.192.in-addr.strong.lp._spf.example.com" },
	{ "example5", "%{d2}.trusted-domains.example.net", 0,
	    "example.com.trusted-domains.example.net" },
	{ "escapes", "a%%b%_c%-d", 0, "a%b c%20d" },
	{ "upper", "%{L}", 0, "strong-bad" },
	{ "upper-s", "%{S}", 0, "strong-bad%40email.example.com" },
	{ "exp-c", "%{c} %{r} %{t}", SPF_MACRO_EXP,
	    "192.0.2.3 mx.example.org 1400000000" },
	{ "p-unknown", "%{p}", 0, "unknown" },
	{ "h", "%{h}", 0, "mail.example.org" },
	{ "domain-dot", "example.com.", SPF_MACRO_DOMAIN, "example.com" },
};

/* spf_macro_uses: only a real %{x} macro counts (RFC 7208 §7.1). */
static void
test_macro_uses(void)
{
	static const struct {
		const char	*name, *spec, *letters;
		int		 want;
	} t[] = {
		{ "%% is a literal percent sign", "a%%b.example", "slipvh",
		    0 },
		{ "%_ is a literal space", "a%_b.example", "slipvh", 0 },
		{ "%- is a literal %20", "a%-b.example", "slipvh", 0 },
		{ "%%{s} is a literal, no macro", "%%{s}.example", "s", 0 },
		{ "%_{s} is a literal, no macro", "%_{s}.example", "s", 0 },
		{ "%-{s} is a literal, no macro", "%-{s}.example", "s", 0 },
		{ "%%%{s}: a literal, then a macro", "%%%{s}.example", "s",
		    1 },
		{ "%{l} is one of the letters", "%{l}.x.example", "slipvh",
		    1 },
		{ "%{ir}.%{v}: i is one of them", "%{ir}.%{v}._spf.example",
		    "i", 1 },
		{ "%{d} is not one of them", "_spf.%{d}", "slipvh", 0 },
		{ "%{O2r} is not one of them, any case", "%{O2r}.example",
		    "slipvh", 0 },
		{ "%{H} is, in upper case", "%{H}.example", "h", 1 },
		{ "a literal letter after %% is no macro", "%%s.example",
		    "s", 0 },
		{ "a cut %{ is no macro", "a.%{", "slipvh", 0 },
		{ "no % at all", "plain.example", "slipvh", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(spf_macro_uses(t[i].spec, t[i].letters), t[i].want,
		    t[i].name);
}

static void
test_macros(void)
{
	struct spf_macro_ctx ctx;
	struct spf_ip ip, ip6;
	struct buf *b = buf_new(4096), *why = buf_new(BUF_WHY_MAX);
	size_t i;
	int rc;

	spf_ip_parse("192.0.2.3", &ip);
	memset(&ctx, 0, sizeof(ctx));
	ctx.sender = "strong-bad@email.example.com";
	ctx.local = "strong-bad";
	ctx.sender_domain = "email.example.com";
	ctx.domain = "email.example.com";
	ctx.ip = &ip;
	ctx.helo = "mail.example.org";
	ctx.receiver = "mx.example.org";
	ctx.now = 1400000000;
	for (i = 0; i < sizeof(macro_cases) / sizeof(macro_cases[0]); i++) {
		buf_reset(b);
		rc = spf_macro_expand(macro_cases[i].spec, &ctx,
		    macro_cases[i].flags, b, why);
		is_str(rc == 0 ? buf_str(b) : "(error)", macro_cases[i].want,
		    macro_cases[i].name);
	}
	/* IPv6: %{i} nibbles (upper case, as RFC 7208 §7.4), %{c}, %{v}. */
	spf_ip_parse("2001:db8::cb01", &ip6);
	ctx.ip = &ip6;
	buf_reset(b);
	spf_macro_expand("%{ir}.%{v}._spf.%{d2}", &ctx, 0, b, why);
	is_str(buf_str(b), "1.0.B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.B.D.0.1.0.0.2.ip6._spf.example.com", "ipv6 %{ir}.%{v}");
	buf_reset(b);
	spf_macro_expand("%{c}", &ctx, SPF_MACRO_EXP, b, why);
	is_str(buf_str(b), "2001:db8::cb01", "ipv6 %{c}");
	/* Truncation to 253 octets from the left (§7.3). */
	ctx.domain = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example.com";
	buf_reset(b);
	spf_macro_expand("x.%{d}.%{d}.%{d}.%{d}.%{d}.tld", &ctx,
	    SPF_MACRO_DOMAIN, b, why);
	ok(buf_len(b) == 251 && strncmp(buf_str(b), "aaaa", 4) == 0 &&
	    strcmp(buf_str(b) + 247, ".tld") == 0,
	    "long expansion truncated to %zu octets at a label",
	    buf_len(b));
	/* Syntax errors are refused, not expanded. */
	buf_reset(b);
	is_int(spf_macro_expand("%{x}", &ctx, 0, b, why), -1,
	    "expand refuses a bad macro");
	is_int(spf_macro_expand("%{c}", &ctx, 0, b, why), -1,
	    "expand refuses %{c} outside exp");
	ok(spf_macro_uses("a.%{p}.b", "p") && !spf_macro_uses("%%{p}", "p") &&
	    spf_macro_uses("%{P2}", "p"), "spf_macro_uses");
	ok(spf_explain_valid("See %{c} at %{r}", 16, NULL) &&
	    !spf_explain_valid("The %{x}-files.", 15, NULL) &&
	    !spf_explain_valid("\xef\xbb\xbfhi", 5, NULL) &&
	    !spf_explain_valid("100%", 4, NULL), "spf_explain_valid");
	buf_free(b);
	buf_free(why);
}

static void
test_ip(void)
{
	struct spf_ip a, b;
	struct buf *o = buf_new(256);

	ok(spf_ip_parse("::FFFF:1.2.3.4", &a) == 0 && a.v == 4 &&
	    a.a[0] == 1 && a.a[3] == 4, "v4-mapped becomes v4");
	ok(spf_ip_parse("1.2.3.4", &b) == 0 && spf_ip_match(&a, &b, 32),
	    "match /32");
	spf_ip_parse("1.2.3.200", &b);
	ok(spf_ip_match(&a, &b, 24) && !spf_ip_match(&a, &b, 25),
	    "match /24 not /25");
	ok(spf_ip_match(&a, &b, 0), "/0 matches any v4");
	spf_ip_parse("2001:db8::1", &b);
	ok(!spf_ip_match(&a, &b, 0), "families never match");
	ok(spf_ip_parse("1.2.3", &a) == -1 && spf_ip_parse("1.2.3.256", &a) ==
	    -1 && spf_ip_parse("1::2::3", &a) == -1 &&
	    spf_ip_parse("", &a) == -1 && spf_ip_parse("1:2:3:4:5:6:7:8:9",
	    &a) == -1, "bad addresses refused");
	spf_ip_parse("2001:db8:0:0:1:0:0:1", &a);
	spf_ip_format(&a, o);
	is_str(buf_str(o), "2001:db8::1:0:0:1", "RFC 5952 form");
	buf_reset(o);
	spf_ip_parse("1.2.3.4", &a);
	spf_ip_reverse(&a, o);
	is_str(buf_str(o), "4.3.2.1.in-addr.arpa", "reverse v4");
	buf_reset(o);
	spf_ip_parse("2001:db8::1", &a);
	spf_ip_reverse(&a, o);
	is_str(buf_str(o), "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "8.b.d.0.1.0.0.2.ip6.arpa", "reverse v6");
	ok(spf_domain_valid("example.com", 1) &&
	    spf_domain_valid("example.com.", 1) &&
	    !spf_domain_valid("example", 1) && spf_domain_valid("example", 0) &&
	    !spf_domain_valid("a..b", 0) && !spf_domain_valid("[1.2.3.4]", 1) &&
	    !spf_domain_valid("", 0),
	    "spf_domain_valid");
	buf_free(o);
}

/*
 * Labels from..n-1 of the given lengths joined by dots, label i made of
 * the letter 'a' + i (so that a tail is recognisable), into b.
 */
static const char *
labels(char *b, const size_t *len, size_t from, size_t n)
{
	size_t i, k = 0;

	for (i = from; i < n; i++) {
		if (i > from)
			b[k++] = '.';
		memset(b + k, 'a' + (int)i, len[i]);
		k += len[i];
	}
	b[k] = '\0';
	return b;
}

/* Expand spec as a domain: the return code, the result in got. */
static int
as_domain(const char *spec, const struct spf_macro_ctx *ctx, char *got,
    struct buf *why)
{
	struct buf *b = buf_new(8192);
	int rc;

	buf_reset(why);
	rc = spf_macro_expand(spec, ctx, SPF_MACRO_DOMAIN, b, why);
	snprintf(got, 1024, "%s", buf_str(b));
	buf_free(b);
	return rc;
}

/*
 * §7.3: the name to ask for is cut from the left, label by label, to 253
 * octets; what the cut leaves must be a DNS name, or it is none (labels
 * over 63 octets, empty labels, a last label too long for any cut).
 */
static void
test_domain_cut(void)
{
	static const size_t l253[] = { 63, 63, 63, 61 };
	static const size_t l254[] = { 63, 63, 63, 62 };
	static const size_t l450[] = { 63, 63, 63, 63, 63, 63, 63, 2 };
	static const size_t lmid[] = { 1, 64, 3 };
	char spec[1024], want[1024], got[1024], local[80];
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct spf_macro_ctx ctx;
	struct spf_ip ip;

	memset(&ctx, 0, sizeof(ctx));
	spf_ip_parse("192.0.2.3", &ip);
	ctx.ip = &ip;
	ctx.domain = "example.com";
	labels(spec, l253, 0, 4);
	is_int(strlen(spec), 253, "a name of 253 octets");
	is_int(as_domain(spec, &ctx, got, why), 0, "253 octets: a name");
	is_str(got, spec, "253 octets: kept whole");
	strcat(spec, ".");
	is_int(as_domain(spec, &ctx, got, why), 0, "253 and a final dot");
	is_str(got, labels(want, l253, 0, 4), "the final dot dropped, nothing "
	    "cut");
	labels(spec, l254, 0, 4);
	is_int(as_domain(spec, &ctx, got, why), 0, "254 octets: a name");
	is_str(got, labels(want, l254, 1, 4), "254 octets: the first "
	    "label cut");
	is_int(strlen(got), 190, "254 octets: 190 left");
	labels(spec, l450, 0, 8);
	is_int(strlen(spec), 450, "a literal of 450 octets in labels");
	is_int(as_domain(spec, &ctx, got, why), 0, "450 octets: a name");
	is_str(got, labels(want, l450, 4, 8), "450 octets: four labels "
	    "cut from the left, 194 left");
	/* The fuzzer's find: one label of 445 after mail.: no cut fits. */
	snprintf(spec, sizeof(spec), "mail.%0445d", 5);
	memset(spec + 5, '5', 445);
	is_int(strlen(spec), 450, "mail. and a label of 445 octets");
	is_int(as_domain(spec, &ctx, got, why), SPF_EXPAND_NONAME,
	    "no cut fits: no name");
	ok(strlen(got) == 445 && strstr(buf_str(why), "445") != NULL,
	    "what is left and why (%s)", buf_str(why));
	/* A label over 63 octets within 253: not cut, no name. */
	labels(spec, lmid, 0, 3);
	is_int(as_domain(spec, &ctx, got, why), SPF_EXPAND_NONAME,
	    "a label of 64 octets: no name");
	ok(strstr(buf_str(why), "63") != NULL && strstr(buf_str(why),
	    "octet 3") != NULL, "the reason names the label (%s)",
	    buf_str(why));
	is_int(as_domain("a..example.com", &ctx, got, why),
	    SPF_EXPAND_NONAME, "an empty label: no name");
	/* A macro expanding beyond 253: cut the same way. */
	ctx.domain = labels(spec, l254, 0, 4);
	is_int(as_domain("%{d}", &ctx, got, why), 0, "%{d} of 254 octets");
	is_str(got, labels(want, l254, 1, 4), "%{d} of 254: first label "
	    "cut");
	ctx.domain = "example.com";
	memset(local, 'x', 70);
	local[70] = '\0';
	ctx.local = local;
	is_int(as_domain("%{l}._spf.%{d}", &ctx, got, why),
	    SPF_EXPAND_NONAME, "%{l} of 70 octets in a short name: no name");
	/* ... unless the cut takes that label away: 70 + 1 + 189. */
	labels(spec, l253, 1, 4);
	snprintf(want, sizeof(want), "%%{l}.%s", spec);
	is_int(as_domain(want, &ctx, got, why), 0, "%{l} of 70 before 189 "
	    "octets: the cut takes it");
	is_str(got, spec, "... and leaves the 189 octets after it");
	ctx.helo = "";
	is_int(as_domain("%{h}", &ctx, got, why), SPF_EXPAND_NONAME,
	    "an empty expansion: no name");
	buf_free(why);
}

int
main(void)
{
	test_parse();
	test_parse_limits();
	test_select();
	test_macros();
	test_macro_uses();
	test_domain_cut();
	test_ip();
	return tap_done();
}
