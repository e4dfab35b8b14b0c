/* Unit tests for src/parse/dkim.c: key records, key decoding, analyzer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"
#include "parse/dkim.h"
#include "analyze/findings.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "tap.h"

/* Keys made with openssl genpkey for these tests. */
#define RSA512	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZvDEqrVuWI3zo/ZzZUsUZB+" \
	"2OE/6QQTIb9LOV9dZhNLacEPFaDL00qZ81SNNQM4fmJb4/wH1hfCHtBHC5MCAwEAAQ=="
#define RSA512_PKCS1 "MEgCQQDICLmbwxKq1bliN86P2c2VLFGQftjhP+kEEyG/SzlfXWYTS2n" \
	"BDxWgy9NKmfNUjTUDOH5iW+P8B9YXwh7QRwuTAgMBAAE="
#define RSA2048	"MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA9jkkdXXPGlkuj1rV" \
	"Q2Ueh3GWwKP85huxn8PmpSMSrty9QcRK6YX2h95urYulJwWjpfImdvCUvJL0NUff3yr" \
	"tbBLPATw/lgJoBRvuHQ0rEEOVERM36PrA7TmPLSIb8tlmCN9ZdCzqGCw8Jr5Uxv/ake" \
	"5kfz8IbGZSgnGUhWix2rho8xzOTUeZ9JuBF+IdReJF81ixOwEmj+w4qRgoDaz0cYbl7" \
	"boDW9f/KN3wjYEDJwKaV2vUPiA3HlftGJSTgI2RLAXw4Tmka4zpoqF/SRuNSf+rX9lF" \
	"EjUHcVj6yoyrXYs1JHBlfl6nQAUA5mYYhqdcOpmx0j1aKbyx6RE0sX+JWwIDAQAB"
#define ED_RAW	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED_SPKI	"MCowBQYDK2VwAyEAI1WY9qbXqt4IlcJWAI+rh2jRIpI9lRTcxznuzWoTS7Q="

struct pcase {
	const char	*name;
	const char	*in;
	const char	*want;	/* summary, or "ERR@<offset>" */
};

static const struct pcase pcases[] = {
	{ "rsa 2048", "v=DKIM1; k=rsa; p=" RSA2048,
	    "rsa 2048 h=- t=- email" },
	{ "no v, no k", "p=" RSA2048, "rsa 2048 h=- t=- email" },
	{ "rsa 512", "v=DKIM1; p=" RSA512, "rsa 512 h=- t=- email" },
	{ "ed25519", "v=DKIM1; k=ed25519; p=" ED_RAW,
	    "ed25519 256 h=- t=- email" },
	{ "folded base64", "v=DKIM1; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZ"
	    "vDEqrVuWI3zo/ZzZUsUZB+ 2OE/6QQTIb9LOV9dZhNLacEPFaDL00qZ81SNNQM4fm"
	    "Jb4/wH1hfC\r\n\tHtBHC5MCAwEAAQ==", "rsa 512 h=- t=- email" },
	{ "revoked", "v=DKIM1; p=", "revoked" },
	{ "revoked with spaces", "v=DKIM1; k=rsa; p= ;", "revoked" },
	{ "flags and hashes", "v=DKIM1; h=sha1:sha256; t=y:s; s=email; "
	    "n=hello; p=" RSA2048, "rsa 2048 h=1,256 t=y,s email" },
	{ "sha1 only", "v=DKIM1; h=sha1; p=" RSA2048,
	    "rsa 2048 h=1 t=- email" },
	{ "unknown hash kept with known", "h=sha256:sha512; p=" RSA2048,
	    "rsa 2048 h=256,other t=- email" },
	{ "unknown flag ignored", "t=x:y; p=" RSA2048,
	    "rsa 2048 h=- t=y email" },
	{ "service star", "s=*; p=" RSA2048, "rsa 2048 h=- t=- email" },
	{ "service other", "s=tlsrpt; p=" RSA2048,
	    "rsa 2048 h=- t=- noemail" },
	{ "unknown tag ignored", "v=DKIM1; x=1; p=" RSA2048,
	    "rsa 2048 h=- t=- email" },

	{ "v not first", "k=rsa; v=DKIM1; p=" RSA2048, "ERR@7" },
	{ "bad version", "v=DKIM2; p=" RSA2048, "ERR@2" },
	{ "unknown k", "v=DKIM1; k=dsa; p=" RSA2048, "ERR@11" },
	{ "k is case-sensitive", "k=RSA; p=" RSA2048, "ERR@2" },
	{ "missing p", "v=DKIM1; k=rsa", "ERR@14" },
	{ "only unknown hashes", "h=md5; p=" RSA2048, "ERR@2" },
	{ "empty hash item", "h=sha256::sha1; p=" RSA2048, "ERR@9" },
	{ "bad base64 char", "p=MFww*A==", "ERR@6" },
	{ "bad base64 length", "p=MFwwD", "ERR@7" },
	{ "data after padding", "p=MF==MFww", "ERR@6" },
	{ "triple padding", "p=M===", "ERR@3" },
	{ "not a key", "p=aGVsbG8gd29ybGQ=", "ERR@2" },
	{ "PKCS#1 instead of SPKI", "p=" RSA512_PKCS1, "ERR@2" },
	{ "truncated key", "p=" "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZvDEq"
	    "rVuWI3zo/ZzZUsUZB+", "ERR@2" },
	{ "ed25519 in SPKI", "k=ed25519; p=" ED_SPKI, "ERR@13" },
	{ "ed25519 key with k=rsa", "k=rsa; p=" ED_SPKI, "ERR@9" },
	{ "ed25519 too short", "k=ed25519; p=AAAA", "ERR@13" },
	{ "duplicate p", "p=; p=", "ERR@4" },
	{ "garbage", "hello", "ERR@5" },
	{ "NUL", "v=DKIM1; p=\0", "ERR@11" },
};

static void
summary(const struct dkim_key *k, struct buf *b)
{
	if (k->revoked) {
		buf_printf(b, "revoked");
		return;
	}
	buf_printf(b, "%s %u h=", dkim_keytype_name(k->k), k->bits);
	if (k->h == 0)
		buf_printf(b, "-");
	else
		buf_printf(b, "%s%s%s%s%s", k->h & DKIM_H_SHA1 ? "1" : "",
		    (k->h & DKIM_H_SHA1) && (k->h & ~DKIM_H_SHA1) ? "," : "",
		    k->h & DKIM_H_SHA256 ? "256" : "",
		    (k->h & DKIM_H_SHA256) && (k->h & DKIM_H_OTHER) ? "," : "",
		    k->h & DKIM_H_OTHER ? "other" : "");
	buf_printf(b, " t=%s%s%s %s", k->t == 0 ? "-" : "",
	    k->t & DKIM_T_TESTING ? "y" : "",
	    k->t == (DKIM_T_TESTING | DKIM_T_STRICT) ? ",s" :
	    k->t == DKIM_T_STRICT ? "s" : "", k->email ? "email" : "noemail");
}

static void
test_parse(void)
{
	struct dkim_key *k;
	struct buf *b, *why;
	size_t i, off, len;
	char *big;

	b = buf_new(4096);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		len = strlen(pcases[i].in);
		if (strcmp(pcases[i].name, "NUL") == 0)
			len++;
		if (dkim_parse(pcases[i].in, len, &k, &off, why) == DKIM_OK) {
			summary(k, b);
			dkim_key_free(k);
		} else {
			if (buf_len(why) == 0)
				diag("%s: no reason", pcases[i].name);
			buf_printf(b, "ERR@%zu", off);
		}
		is_str(buf_str(b), pcases[i].want, pcases[i].name);
		if (strncmp(buf_str(b), "ERR", 3) == 0)
			diag("  why: %s", buf_str(why));
	}

	/* Oversized key: 8 KiB of base64 is more than DKIM_MAX_KEY. */
	big = malloc(12000);
	strcpy(big, "p=");
	memset(big + 2, 'A', 11000);
	big[11002] = '\0';
	buf_reset(why);
	ok(dkim_parse(big, strlen(big), &k, &off, why) == DKIM_SYNTAX,
	    "oversized key rejected: %s", buf_str(why));
	free(big);
	dkim_key_free(NULL);

	ok(dkim_is_key_record("v=DKIM1; p=", 11), "v=DKIM1 is a key record");
	ok(dkim_is_key_record("k=rsa; p=abc", 12), "p= makes a key record");
	ok(!dkim_is_key_record("v=spf1 -all", 11), "SPF is not");
	ok(!dkim_is_key_record("google-site-verification=x", 26),
	    "site verification is not");
	buf_free(b);
	buf_free(why);
}

/* --- RFC 8463 Appendix A data (tests/data/dkim/rfc8463-dns.json) ------- */

/* Concatenate the character-strings of the first TXT RR of name. */
static char *
json_txt(struct json_object *root, const char *name, size_t *nstr)
{
	struct json_object *o, *txt, *rr;
	struct buf *b;
	size_t i;
	char *s;

	if (!json_object_object_get_ex(root, name, &o) ||
	    !json_object_object_get_ex(o, "TXT", &txt) ||
	    (rr = json_object_array_get_idx(txt, 0)) == NULL)
		return NULL;
	b = buf_new(8192);
	*nstr = json_object_array_length(rr);
	for (i = 0; i < *nstr; i++)
		buf_printf(b, "%s", json_object_get_string(
		    json_object_array_get_idx(rr, i)));
	s = buf_steal(b);
	buf_free(b);
	return s;
}

static void
codes(const struct findings *fs, struct buf *b)
{
	size_t i;

	for (i = 0; i < findings_count(fs); i++)
		buf_printf(b, "%s%s", i ? " " : "",
		    finding_def(findings_get(fs, i)->code)->code);
}

static void
test_rfc8463(void)
{
	struct json_object *root, *o, *txt, *rr;
	struct dkim_key *k;
	struct buf *why, *b;
	struct findings *fs;
	struct taglist_txt t;
	struct dkim_selector sel;
	struct dkim_facts f;
	char path[4096], *bris, *test;
	const char *top, *first;
	size_t off, nstr = 0;

	top = getenv("top_srcdir");
	snprintf(path, sizeof(path), "%s/tests/data/dkim/rfc8463-dns.json",
	    top ? top : ".");
	root = json_object_from_file(path);
	if (!ok(root != NULL, "read %s", path))
		return;
	why = buf_new(BUF_WHY_MAX);
	b = buf_new(4096);

	bris = json_txt(root, "brisbane._domainkey.football.example.com",
	    &nstr);
	ok(bris != NULL, "brisbane record present");
	if (bris != NULL && dkim_parse(bris, strlen(bris), &k, &off, why) ==
	    DKIM_OK) {
		is_int(k->k, DKIM_K_ED25519, "brisbane is ed25519");
		is_int(k->bits, 256, "brisbane has 256 bits");
		ok(!k->revoked, "brisbane valid");
		dkim_key_free(k);
	} else
		ok(0, "brisbane parses: %s", buf_str(why));

	test = json_txt(root, "test._domainkey.football.example.com", &nstr);
	ok(test != NULL && nstr == 4, "test record is split in 4 strings");

	/* The first string alone is a truncated key: must not parse. */
	json_object_object_get_ex(root,
	    "test._domainkey.football.example.com", &o);
	json_object_object_get_ex(o, "TXT", &txt);
	rr = json_object_array_get_idx(txt, 0);
	first = json_object_get_string(json_object_array_get_idx(rr, 0));
	buf_reset(why);
	ok(dkim_parse(first, strlen(first), &k, &off, why) == DKIM_SYNTAX,
	    "first string alone does not decode (%s)", buf_str(why));

	buf_reset(why);
	if (test != NULL && dkim_parse(test, strlen(test), &k, &off, why) ==
	    DKIM_OK) {
		is_int(k->k, DKIM_K_RSA, "test is rsa");
		is_int(k->bits, 1024, "test has 1024 bits");
		dkim_key_free(k);
	} else
		ok(0, "reassembled test record parses: %s", buf_str(why));

	/* Analyzer over the test selector: weak key. */
	t.data = test;
	t.len = test ? strlen(test) : 0;
	sel.selector = "test";
	sel.outcome = DNS_OK;
	sel.txt = &t;
	sel.ntxt = 1;
	f.domain = "football.example.com";
	f.sel = &sel;
	f.nsel = 1;
	f.named = 1;
	fs = findings_new();
	analyze_dkim(&f, fs);
	codes(fs, b);
	is_str(buf_str(b), "DKIM_KEY_WEAK", "test selector: DKIM_KEY_WEAK");
	is_int(dkim_state(&f), 1, "a 1024-bit key is usable");
	findings_free(fs);

	/* brisbane alone: ed25519 only. */
	t.data = bris;
	t.len = bris ? strlen(bris) : 0;
	sel.selector = "brisbane";
	fs = findings_new();
	analyze_dkim(&f, fs);
	buf_reset(b);
	codes(fs, b);
	is_str(buf_str(b), "DKIM_ED25519_ONLY", "brisbane: ed25519 only");
	findings_free(fs);

	free(bris);
	free(test);
	json_object_put(root);
	buf_free(why);
	buf_free(b);
}

/* --- analyzer ---------------------------------------------------------- */

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

static const struct dkim_selector s_good[] = {
	{ "s1", DNS_OK, TXT1("v=DKIM1; p=" RSA2048) },
};
static const struct dkim_selector s_none[] = {
	{ "default", DNS_NXDOMAIN, NULL, 0 },
	{ "google", DNS_NODATA, NULL, 0 },
};
static const struct dkim_selector s_short[] = {
	{ "s1", DNS_OK, TXT1("p=" RSA512) },
};
static const struct dkim_selector s_revoked[] = {
	{ "old", DNS_OK, TXT1("v=DKIM1; p=") },
	{ "new", DNS_OK, TXT1("v=DKIM1; p=" RSA2048) },
};
static const struct dkim_selector s_testing[] = {
	{ "s1", DNS_OK, TXT1("v=DKIM1; t=y; p=" RSA2048) },
};
static const struct dkim_selector s_sha1[] = {
	{ "s1", DNS_OK, TXT1("v=DKIM1; h=sha1; p=" RSA2048) },
};
static const struct dkim_selector s_syntax[] = {
	{ "s1", DNS_OK, TXT1("v=DKIM1; p=!!!!") },
};
static const struct dkim_selector s_mixed[] = {
	{ "ed", DNS_OK, TXT1("v=DKIM1; k=ed25519; p=" ED_RAW) },
	{ "rsa", DNS_OK, TXT1("v=DKIM1; p=" RSA2048) },
};
static const struct dkim_selector s_fail[] = {
	{ "s1", DNS_SERVFAIL, NULL, 0 },
	{ "s2", DNS_NXDOMAIN, NULL, 0 },
};
static const struct dkim_selector s_wild[] = {
	{ "default", DNS_OK, TXT1("v=spf1 -all") },
};
static const struct dkim_selector s_key_and_other[] = {
	{ "s1", DNS_OK, (const struct taglist_txt[]){
	    { "google-site-verification=abc", 28 },
	    { "v=DKIM1; p=" RSA2048, sizeof("v=DKIM1; p=" RSA2048) - 1 } },
	    2 },
};
static const struct dkim_selector s_failone_found[] = {
	{ "s1", DNS_TIMEOUT, NULL, 0 },
	{ "s2", DNS_OK, TXT1("p=" RSA2048) },
};

struct acase {
	const char		*name;
	struct dkim_facts	 f;
	const char		*want;
	int			 state;
};

static const struct acase acases[] = {
	{ "good key", { "example.com", s_good, 1, 1 }, "", 1 },
	{ "nothing at guessed selectors", { "example.com", s_none, 2, 0 },
	    "DKIM_NO_KEY_FOUND", -1 },
	{ "nothing at named selectors", { "example.com", s_none, 2, 1 },
	    "DKIM_NO_KEY_FOUND", 0 },
	{ "no selectors at all", { "example.com", NULL, 0, 0 },
	    "DKIM_NO_KEY_FOUND", -1 },
	{ "512-bit key", { "example.com", s_short, 1, 1 },
	    "DKIM_KEY_TOO_SHORT", 0 },
	{ "revoked and good", { "example.com", s_revoked, 2, 1 },
	    "DKIM_KEY_REVOKED", 1 },
	{ "revoked only", { "example.com", s_revoked, 1, 1 },
	    "DKIM_KEY_REVOKED", 0 },
	{ "testing", { "example.com", s_testing, 1, 1 }, "DKIM_TESTING", 1 },
	{ "sha1 only", { "example.com", s_sha1, 1, 1 }, "DKIM_SHA1_ONLY", 0 },
	{ "syntax", { "example.com", s_syntax, 1, 1 }, "DKIM_SYNTAX_ERROR",
	    0 },
	{ "ed25519 and rsa", { "example.com", s_mixed, 2, 1 }, "", 1 },
	{ "ed25519 only", { "example.com", s_mixed, 1, 1 },
	    "DKIM_ED25519_ONLY", 1 },
	{ "named lookup failed", { "example.com", s_fail, 2, 1 },
	    "DKIM_LOOKUP_FAILED DKIM_NO_KEY_FOUND", -1 },
	{ "named lookup failed alone", { "example.com", s_fail, 1, 1 },
	    "DKIM_LOOKUP_FAILED", -1 },
	{ "guessed lookups failed", { "example.com", s_fail, 2, 0 },
	    "DKIM_LOOKUP_FAILED", -1 },
	{ "wildcard TXT at guessed selector", { "example.com", s_wild, 1,
	    0 }, "DKIM_NO_KEY_FOUND", -1 },
	{ "non-key TXT at named selector", { "example.com", s_wild, 1, 1 },
	    "DKIM_SYNTAX_ERROR", 0 },
	{ "named: key beside other TXT", { "example.com", s_key_and_other,
	    1, 1 }, "", 1 },
	{ "guessed: one failed, one found", { "example.com",
	    s_failone_found, 2, 0 }, "", 1 },
};

static void
test_analyze(void)
{
	struct findings *fs;
	struct buf *b;
	size_t i, k;
	int seen[F__COUNT] = { 0 };
	const char *dk[] = { "DKIM_NO_KEY_FOUND", "DKIM_KEY_TOO_SHORT",
	    "DKIM_KEY_WEAK", "DKIM_KEY_REVOKED", "DKIM_TESTING",
	    "DKIM_SHA1_ONLY", "DKIM_SYNTAX_ERROR", "DKIM_ED25519_ONLY",
	    "DKIM_LOOKUP_FAILED" };

	b = buf_new(4096);
	seen[F_DKIM_KEY_WEAK] = 1;	/* raised by test_rfc8463() */
	for (i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		fs = findings_new();
		analyze_dkim(&acases[i].f, fs);
		buf_reset(b);
		codes(fs, b);
		is_str(buf_str(b), acases[i].want, acases[i].name);
		is_int(dkim_state(&acases[i].f), acases[i].state,
		    acases[i].name);
		for (k = 0; k < findings_count(fs); k++)
			seen[findings_get(fs, k)->code] = 1;
		findings_free(fs);
	}
	for (i = 0; i < sizeof(dk) / sizeof(dk[0]); i++)
		ok(finding_by_name(dk[i]) >= 0 && seen[finding_by_name(dk[i])],
		    "%s raised by some case", dk[i]);

	buf_reset(b);
	report_dkim_text(&acases[5].f, b);
	is_str(buf_str(b), "DKIM old: revoked\nDKIM new: rsa 2048 bits\n",
	    "text rendering");
	buf_reset(b);
	report_dkim_text(&acases[1].f, b);
	is_str(buf_str(b), "DKIM: no key found at 2 selector(s)\n",
	    "text: none");
	buf_free(b);

	for (i = 0; dkim_default_selectors[i] != NULL; i++)
		;
	ok(i >= 30, "built-in selector list has %zu names", i);
	ok(strcmp(dkim_default_selectors[0], "default") == 0,
	    "list starts with default");
}

int
main(void)
{
	test_parse();
	test_rfc8463();
	test_analyze();
	return tap_done();
}
