/*
 * Unit tests for src/analyze/analyze_dkim.c (the DKIM findings over the
 * selectors found) and the text its facts render to
 * (src/report/report_dkim.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dkim.h"
#include "analyze/findings.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "dkim_keys.h"
#include "findings_codes.h"
#include "tap.h"

/* --- analyzer ---------------------------------------------------------- */

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1, NULL

static const struct dkim_selector s_good[] = {
	{ "s1", DNS_OK, TXT1("v=DKIM1; p=" RSA2048) },
};
static const struct dkim_selector s_none[] = {
	{ "default", DNS_NXDOMAIN, NULL, 0, NULL },
	{ "google", DNS_NODATA, NULL, 0, NULL },
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
	{ "s1", DNS_SERVFAIL, NULL, 0, NULL },
	{ "s2", DNS_NXDOMAIN, NULL, 0, NULL },
};
static const struct dkim_selector s_wild[] = {
	{ "default", DNS_OK, TXT1("v=spf1 -all") },
};
static const struct dkim_selector s_key_and_other[] = {
	{ "s1", DNS_OK, (const struct taglist_txt[]){
	    { "google-site-verification=abc", 28 },
	    { "v=DKIM1; p=" RSA2048, sizeof("v=DKIM1; p=" RSA2048) - 1 } },
	    2, NULL },
};
static const struct dkim_selector s_failone_found[] = {
	{ "s1", DNS_TIMEOUT, NULL, 0, NULL },
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
	seen[F_DKIM_KEY_WEAK] = 1;	/* raised by t_dkim's RFC 8463 vectors */
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
	is_str(buf_str(b), "DKIM: no key found at 2 selectors\n",
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
	test_analyze();
	return tap_done();
}
