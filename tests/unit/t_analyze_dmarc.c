/*
 * Unit tests for src/analyze/analyze_dmarc.c over literal facts: the
 * DMARC_* findings (RFC 7489) of the records found at _dmarc.<domain>
 * and _dmarc.<organisational domain>, the §7.1 authorisation lookups
 * and what SPF and DKIM say; and the text the facts render to
 * (src/report/report_dmarc.c).
 */
#include <libpsl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dmarc.h"
#include "analyze/findings.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "findings_codes.h"
#include "tap.h"

/* --- analyzer ---------------------------------------------------------- */

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

static const struct taglist_txt two_records[] = {
	{ "v=DMARC1; p=none", 16 },
	{ "v=DMARC1; p=reject", 18 },
};

static const struct taglist_txt auth_ok[] = { { "v=DMARC1", 8 } };

static const struct dmarc_ext ext_unauth[] = {
	{ "vendor.example", "example.com._report._dmarc.vendor.example",
	    { DNS_NXDOMAIN, NULL, 0 } },
};
static const struct dmarc_ext ext_auth[] = {
	{ "vendor.example", "example.com._report._dmarc.vendor.example",
	    { DNS_OK, auth_ok, 1 } },
};
static const struct dmarc_ext ext_fail[] = {
	{ "vendor.example", "example.com._report._dmarc.vendor.example",
	    { DNS_TIMEOUT, NULL, 0 } },
};

#define GOOD	"v=DMARC1; p=reject; rua=mailto:d@example.com"

struct acase {
	const char		*name;
	struct dmarc_facts	 f;
	const char		*want;	/* codes, space-separated, in order */
};

static const struct acase acases[] = {
	{ "good policy", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD) }, 0, { 0 }, NULL, 0, 1, 1, NULL }, "" },
	{ "missing (NXDOMAIN)", { "example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_MISSING" },
	{ "missing: only other TXT", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=spf1 -all") }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_MISSING" },
	{ "missing at both", { "a.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1, { DNS_NODATA, NULL, 0 }, NULL, 0,
	    1, 1, NULL }, "DMARC_MISSING" },
	{ "multiple", { "example.com", "example.com",
	    { DNS_OK, two_records, 2 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_MULTIPLE_RECORDS" },
	{ "syntax error", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=maybe") }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_SYNTAX_ERROR" },
	{ "NUL in record", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=none\0x") }, 0, { 0 }, NULL, 0, 1,
	    1, NULL }, "DMARC_SYNTAX_ERROR" },
	{ "policy none", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=none; rua=mailto:d@example.com") },
	    0, { 0 }, NULL, 0, 1, 1, NULL }, "DMARC_POLICY_NONE" },
	{ "pct partial", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD "; pct=20") }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_PCT_PARTIAL" },
	{ "pct with p=none is not reported twice", { "example.com",
	    "example.com", { DNS_OK, TXT1("v=DMARC1; p=none; pct=20; "
	    "rua=mailto:d@example.com") }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_POLICY_NONE" },
	{ "no rua", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=quarantine") }, 0, { 0 }, NULL, 0, 1,
	    1, NULL }, "DMARC_NO_RUA" },
	{ "external unauthorised", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") }, 0, { 0 },
	    ext_unauth, 1, 1, 1, NULL }, "DMARC_EXTERNAL_UNAUTHORIZED" },
	{ "external via ruf unauthorised", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD "; ruf=mailto:x@vendor.example") }, 0, { 0 },
	    ext_unauth, 1, 1, 1, NULL }, "DMARC_EXTERNAL_UNAUTHORIZED" },
	{ "external authorised", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") }, 0, { 0 },
	    ext_auth, 1, 1, 1, NULL }, "" },
	{ "external lookup failed", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") }, 0, { 0 },
	    ext_fail, 1, 1, 1, NULL }, "DMARC_LOOKUP_FAILED" },
	{ "external not queried: no verdict", { "example.com",
	    "example.com", { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") },
	    0, { 0 }, NULL, 0, 1, 1, NULL }, "" },
	{ "reject without SPF", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD) }, 0, { 0 }, NULL, 0, 0, 1, NULL },
	    "DMARC_REJECT_WITHOUT_AUTH" },
	{ "quarantine without DKIM", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=quarantine; "
	    "rua=mailto:d@example.com") }, 0, { 0 }, NULL, 0, 1, 0, NULL },
	    "DMARC_REJECT_WITHOUT_AUTH" },
	{ "reject, DKIM unknown: no verdict", { "example.com",
	    "example.com", { DNS_OK, TXT1(GOOD) }, 0, { 0 }, NULL, 0, 1, -1, NULL },
	    "" },
	{ "none without auth is fine", { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=none; rua=mailto:d@example.com") },
	    0, { 0 }, NULL, 0, 0, 0, NULL }, "DMARC_POLICY_NONE" },
	{ "inherited with sp", { "mail.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1,
	    { DNS_OK, TXT1(GOOD "; sp=none") }, NULL, 0, 1, 1, NULL },
	    "DMARC_INHERITED DMARC_POLICY_NONE" },
	{ "inherited without sp", { "mail.example.com", "example.com",
	    { DNS_NODATA, NULL, 0 }, 1, { DNS_OK, TXT1(GOOD) }, NULL, 0, 1,
	    1, NULL }, "DMARC_INHERITED" },
	{ "own lookup failed", { "example.com", "example.com",
	    { DNS_SERVFAIL, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_LOOKUP_FAILED" },
	{ "org lookup timed out", { "a.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1, { DNS_TIMEOUT, NULL, 0 }, NULL, 0,
	    1, 1, NULL }, "DMARC_LOOKUP_FAILED" },
	{ "org multiple", { "a.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1, { DNS_OK, two_records, 2 }, NULL,
	    0, 1, 1, NULL }, "DMARC_MULTIPLE_RECORDS" },
};

static void
test_analyze(void)
{
	struct findings *fs;
	struct buf *b;
	size_t i, k;
	int seen[F__COUNT] = { 0 };
	const char *dm[] = { "DMARC_MISSING", "DMARC_MULTIPLE_RECORDS",
	    "DMARC_SYNTAX_ERROR", "DMARC_POLICY_NONE", "DMARC_PCT_PARTIAL",
	    "DMARC_NO_RUA", "DMARC_EXTERNAL_UNAUTHORIZED",
	    "DMARC_REJECT_WITHOUT_AUTH", "DMARC_INHERITED",
	    "DMARC_LOOKUP_FAILED" };

	b = buf_new(4096);
	for (i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		fs = findings_new();
		analyze_dmarc(&acases[i].f, fs);
		buf_reset(b);
		codes(fs, b);
		is_str(buf_str(b), acases[i].want, acases[i].name);
		for (k = 0; k < findings_count(fs); k++) {
			seen[findings_get(fs, k)->code] = 1;
			if (findings_get(fs, k)->message[0] == '\0')
				ok(0, "%s: empty message", acases[i].name);
		}
		findings_free(fs);
	}
	for (i = 0; i < sizeof(dm) / sizeof(dm[0]); i++)
		ok(finding_by_name(dm[i]) >= 0 && seen[finding_by_name(dm[i])],
		    "%s raised by some case", dm[i]);

	/* The message names the offending offset. */
	fs = findings_new();
	analyze_dmarc(&acases[5].f, fs);
	ok(strstr(findings_get(fs, 0)->message, "offset 12") != NULL,
	    "syntax error message carries the offset");
	findings_free(fs);

	/* The inherited message names the subdomain policy. */
	fs = findings_new();
	analyze_dmarc(&acases[20].f, fs);
	ok(strstr(findings_get(fs, 0)->message, "sp=none") != NULL,
	    "inherited message names sp=none");
	findings_free(fs);
	fs = findings_new();
	analyze_dmarc(&acases[21].f, fs);
	ok(strstr(findings_get(fs, 0)->message, "no sp=") != NULL,
	    "inherited message says there is no sp=");
	findings_free(fs);

	/* Text rendering. */
	buf_reset(b);
	report_dmarc_text(&acases[20].f, b);
	ok(strstr(buf_str(b), "(inherited)") != NULL &&
	    strstr(buf_str(b), "sp=none") != NULL, "text: inherited, sp");
	buf_reset(b);
	report_dmarc_text(&acases[1].f, b);
	is_str(buf_str(b), "DMARC: no record\n", "text: missing");
	buf_free(b);
}

/* One finding's subject and the key part of its English message. */
struct mcase {
	const char		*name;
	struct dmarc_facts	 f;
	const char		*want;	/* codes, space-separated, in order */
	size_t			 k;	/* the finding checked */
	const char		*subject;
	const char		*text;
};

#define F(dom, txt, spf, dkim, pe) { dom, "example.com", \
	{ DNS_OK, TXT1(txt) }, 0, { 0 }, NULL, 0, spf, dkim, pe }

static const struct mcase mcases[] = {
	{ "missing, own only", { "example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_MISSING", 0, "example.com", "No DMARC record at "
	    "_dmarc.example.com. Receivers apply no policy and anyone can "
	    "send mail as example.com." },
	{ "missing at both", { "a.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1, { DNS_NODATA, NULL, 0 }, NULL, 0,
	    1, 1, NULL }, "DMARC_MISSING", 0, "a.example.com", "No DMARC "
	    "record at _dmarc.a.example.com nor at _dmarc.example.com." },
	{ "lookup failed", { "example.com", "example.com",
	    { DNS_SERVFAIL, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_LOOKUP_FAILED", 0, "example.com", "The DMARC record could "
	    "not be read (" },
	{ "multiple", { "example.com", "example.com",
	    { DNS_OK, two_records, 2 }, 0, { 0 }, NULL, 0, 1, 1, NULL },
	    "DMARC_MULTIPLE_RECORDS", 0, "_dmarc.example.com", "2 records "
	    "starting with v=DMARC1 at _dmarc.example.com: receivers ignore "
	    "them all" },
	{ "syntax", F("example.com", "v=DMARC1; p=maybe", 1, 1, NULL),
	    "DMARC_SYNTAX_ERROR", 0, "_dmarc.example.com", "Record: "
	    "\"v=DMARC1; p=maybe\"." },
	{ "none", F("example.com", "v=DMARC1; p=none; rua=mailto:d@example.com",
	    1, 1, NULL), "DMARC_POLICY_NONE", 0, "example.com", "DMARC policy "
	    "is none: monitoring only" },
	{ "pct", F("example.com", GOOD "; pct=20", 1, 1, NULL),
	    "DMARC_PCT_PARTIAL", 0, "example.com", "pct=20: the reject policy "
	    "applies to only 20% of failing mail." },
	{ "pct=100 is all", F("example.com", GOOD "; pct=100", 1, 1, NULL),
	    "", 0, NULL, NULL },
	{ "no rua", F("example.com", "v=DMARC1; p=reject", 1, 1, NULL),
	    "DMARC_NO_RUA", 0, "example.com", "No rua= address: you receive no "
	    "aggregate reports and cannot see who sends mail as example.com." },
	{ "external unauthorised", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") }, 0, { 0 },
	    ext_unauth, 1, 1, 1, NULL }, "DMARC_EXTERNAL_UNAUTHORIZED", 0,
	    "vendor.example", "Reports for example.com go to vendor.example, "
	    "another organisation, which has not authorised them: no "
	    "\"v=DMARC1\" TXT record at "
	    "example.com._report._dmarc.vendor.example (NXDOMAIN)" },
	{ "external lookup failed", { "example.com", "example.com",
	    { DNS_OK, TXT1(GOOD ",mailto:x@vendor.example") }, 0, { 0 },
	    ext_fail, 1, 1, 1, NULL }, "DMARC_LOOKUP_FAILED", 0,
	    "example.com._report._dmarc.vendor.example", "The report "
	    "authorisation record example.com._report._dmarc.vendor.example "
	    "could not be read (TIMEOUT)." },
	{ "reporting within the domain needs no authorisation",
	    F("example.com", GOOD ",mailto:e@sub.example.com", 1, 1, NULL), "",
	    0, NULL, NULL },
	{ "reject: neither, permerror", F("example.com", GOOD, 0, 0,
	    "2 SPF records"), "DMARC_REJECT_WITHOUT_AUTH", 0, "example.com",
	    "p=reject while the SPF policy ends in permerror (2 SPF records), "
	    "so SPF never passes, and no DKIM key was found: every message "
	    "fails DMARC" },
	{ "reject: neither", F("example.com", GOOD, 0, 0, NULL),
	    "DMARC_REJECT_WITHOUT_AUTH", 0, "example.com", "p=reject while no "
	    "SPF record is published and no DKIM key was found: every "
	    "message fails DMARC" },
	{ "reject: SPF permerror, DKIM in place", F("example.com", GOOD, 0,
	    1, "a syntax error"), "DMARC_REJECT_WITHOUT_AUTH", 0,
	    "example.com", "p=reject while the SPF policy ends in permerror "
	    "(a syntax error), so SPF never passes: mail that loses the "
	    "remaining mechanism" },
	{ "reject: no SPF, DKIM in place", F("example.com", GOOD, 0, 1, NULL),
	    "DMARC_REJECT_WITHOUT_AUTH", 0, "example.com", "p=reject while no "
	    "SPF record is published: mail that loses" },
	{ "quarantine: no DKIM", F("example.com", "v=DMARC1; p=quarantine; "
	    "rua=mailto:d@example.com", 1, 0, NULL),
	    "DMARC_REJECT_WITHOUT_AUTH", 0, "example.com", "p=quarantine "
	    "while no DKIM key was found: mail that loses" },
	{ "reject: both unknown", F("example.com", GOOD, -1, -1, NULL), "", 0,
	    NULL, NULL },
	{ "reject: DKIM unknown, no SPF", F("example.com", GOOD, 0, -1, NULL),
	    "DMARC_REJECT_WITHOUT_AUTH", 0, "example.com", "p=reject while no "
	    "SPF record is published: mail that loses" },
	{ "inherited sp=reject, no SPF", { "mail.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1,
	    { DNS_OK, TXT1("v=DMARC1; p=none; sp=reject; "
	    "rua=mailto:d@example.com") }, NULL, 0, 0, 1, NULL },
	    "DMARC_INHERITED DMARC_REJECT_WITHOUT_AUTH", 0, "mail.example.com",
	    "mail.example.com has no DMARC record of its own; the "
	    "organisational domain's record at _dmarc.example.com applies: "
	    "its subdomain policy sp=reject." },
	{ "inherited without sp", { "mail.example.com", "example.com",
	    { DNS_NODATA, NULL, 0 }, 1, { DNS_OK, TXT1(GOOD) }, NULL, 0, 1,
	    1, NULL }, "DMARC_INHERITED", 0, "mail.example.com", "it has no "
	    "sp=, so its p=reject applies to subdomains too." },
	{ "inherited, no rua: names the policy domain", { "mail.example.com",
	    "example.com", { DNS_NODATA, NULL, 0 }, 1,
	    { DNS_OK, TXT1("v=DMARC1; p=reject") }, NULL, 0, 1, 1, NULL },
	    "DMARC_INHERITED DMARC_NO_RUA", 1, "mail.example.com", "cannot "
	    "see who sends mail as example.com." },
};

static void
test_messages(void)
{
	const struct mcase *c;
	const struct finding *f;
	struct findings *fs;
	struct buf *b = buf_new(1024);
	size_t i;

	for (i = 0; i < sizeof(mcases) / sizeof(mcases[0]); i++) {
		c = &mcases[i];
		fs = findings_new();
		analyze_dmarc(&c->f, fs);
		buf_reset(b);
		codes(fs, b);
		is_str(buf_str(b), c->want, c->name);
		if (c->text != NULL && c->k < findings_count(fs)) {
			f = findings_get(fs, c->k);
			is_str(f->subject, c->subject, c->name);
			if (!ok(strstr(finding_message(f, 0), c->text) != NULL,
			    "%s: says \"%s\"", c->name, c->text))
				diag("  message: %s", finding_message(f, 0));
		}
		findings_free(fs);
	}
	buf_free(b);
}

int
main(void)
{
	psl_ctx_t *psl;

	/* The list mxprobe loads (app/env.c env_psl_load). */
	psl = psl_latest(NULL);
	dmarc_psl_set(psl);
	test_analyze();
	test_messages();
	dmarc_psl_set(NULL);
	psl_free(psl);
	return tap_done();
}
