/*
 * Unit tests for src/analyze/analyze_verdict.c: each verdict from the
 * findings and facts it is decided by, and the RFC 3339 time of the JSON
 * report (src/report/report.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "facts/spf_facts.h"
#include "analyze/findings.h"
#include "analyze/analyze_delivery.h"
#include "analyze/analyze_verdict.h"
#include "parse/dkim.h"
#include "parse/mtasts.h"
#include "report/report.h"
#include "tap.h"

/* A findings list with the one code c (F__COUNT: none). */
static struct findings *
with(enum finding_code c)
{
	struct findings *fs = findings_new();

	if (c != F__COUNT)
		findings_add(fs, c, "example.com", "test");
	return fs;
}

static void
spf_case(const char *name, enum finding_code c, unsigned lookups,
    char all, const char *want, const char *want_policy)
{
	struct spf_analysis a;
	struct findings *fs = with(c);
	const char *v;
	char n[128];

	memset(&a, 0, sizeof(a));
	a.root = spf_node_new(NULL, "example.com", NULL);
	a.root->status = SPF_NODE_OK;
	a.lookups = lookups;
	a.all_qual = all;
	v = verdict_spf(&a, fs);
	snprintf(n, sizeof(n), "spf %s: verdict", name);
	is_str(v, want, n);
	snprintf(n, sizeof(n), "spf %s: policy", name);
	is_str(verdict_spf_policy(&a, v), want_policy, n);
	spf_node_free(a.root);
	findings_free(fs);
}

static void
test_spf(void)
{
	struct findings *fs = with(F__COUNT);

	spf_case("-all", F__COUNT, 3, '-', "valid", "fail");
	spf_case("~all", F__COUNT, 3, '~', "valid", "softfail");
	spf_case("?all", F__COUNT, 3, '?', "valid", "neutral");
	spf_case("+all", F_SPF_PASS_ALL, 1, '+', "valid", "pass");
	spf_case("no all", F_SPF_NO_ALL, 1, 0, "valid", "none");
	/* The facts alone decide permerror: 11 lookups, no finding. */
	spf_case("11 lookups", F__COUNT, 11, '-', "permerror", NULL);
	spf_case("void", F_SPF_TOO_MANY_VOID_LOOKUPS, 1, '-', "permerror",
	    NULL);
	spf_case("two records", F_SPF_MULTIPLE_RECORDS, 0, 0, "permerror",
	    NULL);
	spf_case("missing", F_SPF_MISSING, 0, 0, "none", NULL);
	spf_case("lookup failed", F_SPF_LOOKUP_FAILED, 0, '-', "temperror",
	    NULL);
	is_str(verdict_spf(NULL, fs), "temperror", "spf not finished");
	findings_free(fs);
}

static void
test_findings_only(void)
{
	static const struct {
		enum finding_code	 c;
		const char		*tlsrpt, *dmarc;
	} cases[] = {
		{ F__COUNT, "valid", "invalid" },
		{ F_TLSRPT_MISSING, "none", NULL },
		{ F_TLSRPT_SYNTAX, "invalid", NULL },
		{ F_TLSRPT_MULTIPLE, "invalid", NULL },
		{ F_TLSRPT_LOOKUP_FAILED, "temperror", NULL },
		{ F_DMARC_MISSING, NULL, "none" },
		{ F_DMARC_LOOKUP_FAILED, NULL, "temperror" },
		{ F_DMARC_SYNTAX_ERROR, NULL, "invalid" },
		{ F_DMARC_MULTIPLE_RECORDS, NULL, "invalid" },
	};
	struct findings *fs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fs = with(cases[i].c);
		if (cases[i].tlsrpt != NULL)
			is_str(verdict_tlsrpt(fs), cases[i].tlsrpt,
			    cases[i].c == F__COUNT ? "tlsrpt valid" :
			    finding_def(cases[i].c)->code);
		if (cases[i].dmarc != NULL)
			is_str(verdict_dmarc(NULL, fs), cases[i].dmarc,
			    cases[i].c == F__COUNT ? "dmarc without facts" :
			    finding_def(cases[i].c)->code);
		findings_free(fs);
	}
}

static void
test_mtasts(void)
{
	static const struct {
		enum finding_code	 c;
		enum mtasts_fetch	 fetch;
		const char		*want;
	} cases[] = {
		{ F__COUNT, MTASTS_FETCH_OK, "enforce" },
		{ F_MTASTS_TESTING, MTASTS_FETCH_OK, "testing" },
		{ F_MTASTS_MODE_NONE, MTASTS_FETCH_OK, "disabled" },
		{ F_MTASTS_POLICY_SYNTAX, MTASTS_FETCH_OK, "invalid-policy" },
		{ F_MTASTS_POLICY_FETCH_FAILED, MTASTS_FETCH_OK,
		    "policy-unreachable" },
		{ F__COUNT, MTASTS_FETCH_NOT_TRIED, "not-checked" },
		{ F_MTASTS_TXT_SYNTAX, MTASTS_FETCH_OK, "invalid-record" },
		{ F_MTASTS_POLICY_WITHOUT_TXT, MTASTS_FETCH_OK,
		    "invalid-record" },
		{ F_MTASTS_MISSING, MTASTS_FETCH_NOT_TRIED, "none" },
		{ F_MTASTS_LOOKUP_FAILED, MTASTS_FETCH_NOT_TRIED,
		    "temperror" },
	};
	struct mtasts_facts f;
	struct findings *fs;
	char n[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&f, 0, sizeof(f));
		f.domain = "example.com";
		f.fetch = cases[i].fetch;
		fs = with(cases[i].c);
		snprintf(n, sizeof(n), "mta-sts %zu: %s", i, cases[i].want);
		is_str(verdict_mtasts(&f, fs), cases[i].want, n);
		findings_free(fs);
	}
}

static void
test_dkim(void)
{
#define ED	"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define BAD	"v=DKIM1; k=rsa; p=!!"
	static const struct taglist_txt good[] = { { ED, sizeof(ED) - 1 } };
	static const struct taglist_txt bad[] = { { BAD, sizeof(BAD) - 1 } };
	struct dkim_selector sel;
	struct dkim_facts f;
	struct findings *fs;

	memset(&f, 0, sizeof(f));
	f.domain = "example.com";
	memset(&sel, 0, sizeof(sel));
	f.sel = &sel;
	f.nsel = 1;
	sel.selector = "s1";
	sel.outcome = DNS_OK;
	sel.txt = good;
	sel.ntxt = 1;
	fs = with(F__COUNT);
	is_str(verdict_dkim(&f, fs), "valid", "dkim usable key");
	findings_free(fs);
	sel.txt = bad;
	fs = with(F_DKIM_SYNTAX_ERROR);
	is_str(verdict_dkim(&f, fs), "invalid", "dkim key record, unusable");
	findings_free(fs);
	sel.outcome = DNS_SERVFAIL;
	sel.txt = NULL;
	sel.ntxt = 0;
	fs = with(F_DKIM_LOOKUP_FAILED);
	is_str(verdict_dkim(&f, fs), "temperror", "dkim lookup failed");
	findings_free(fs);
	sel.outcome = DNS_NXDOMAIN;
	fs = with(F_DKIM_NO_KEY_FOUND);
	is_str(verdict_dkim(&f, fs), "none-found", "dkim no key");
	findings_free(fs);
}

static void
test_dane(void)
{
	struct probe_facts pf;
	struct probe_tlsa t;
	struct dns_rr rr;
	struct findings *fs;

	memset(&pf, 0, sizeof(pf));
	memset(&t, 0, sizeof(t));
	memset(&rr, 0, sizeof(rr));
	fs = with(F__COUNT);
	is_str(verdict_dane(&pf, fs), "none", "dane: no TLSA asked");
	pf.tlsa = &t;
	pf.ntlsa = 1;
	t.asked = 1;
	t.out = DNS_NXDOMAIN;
	is_str(verdict_dane(&pf, fs), "none", "dane: no TLSA records");
	t.out = DNS_OK;
	t.ad = 1;
	t.rr = &rr;
	t.nrr = 1;
	pf.smtp_probed = 1;
	is_str(verdict_dane(&pf, fs), "valid", "dane: signed and no mismatch");
	pf.smtp_probed = 0;
	is_str(verdict_dane(&pf, fs), "not-checked", "dane: --dns-only");
	findings_free(fs);
	fs = with(F_DANE_MISMATCH);
	is_str(verdict_dane(&pf, fs), "mismatch", "dane: mismatch");
	findings_free(fs);
	fs = with(F_DANE_TLSA_WITHOUT_DNSSEC);
	is_str(verdict_dane(&pf, fs), "unsigned", "dane: unsigned TLSA");
	findings_free(fs);
	fs = with(F_DANE_LOOKUP_FAILED);
	is_str(verdict_dane(&pf, fs), "temperror", "dane: lookup failed");
	findings_free(fs);
}

static void
test_smtp(void)
{
	struct delivery_mx mx[3];
	struct delivery_facts df;

	memset(mx, 0, sizeof(mx));
	memset(&df, 0, sizeof(df));
	is_str(verdict_smtp_mx(DELIVERY_MX_ACCEPTS, 1), "accepted", "accepts");
	is_str(verdict_smtp_mx(DELIVERY_MX_TEMPFAIL, 1), "deferred",
	    "tempfail");
	is_str(verdict_smtp_mx(DELIVERY_MX_REFUSES, 1), "refused", "refuses");
	is_str(verdict_smtp_mx(DELIVERY_MX_DOWN, 1), "unreachable", "down");
	is_str(verdict_smtp_mx(DELIVERY_MX_UNKNOWN, 1), "cut-short",
	    "unknown");
	is_str(verdict_smtp_mx(DELIVERY_MX_ACCEPTS, 0), "not-probed",
	    "not probed");
	is_str(verdict_smtp(NULL, 1), "not-probed", "no exchangers");
	df.mx = mx;
	df.nmx = 3;
	mx[0].state = DELIVERY_MX_DOWN;
	mx[1].state = DELIVERY_MX_TEMPFAIL;
	mx[2].state = DELIVERY_MX_REFUSES;
	is_str(verdict_smtp(&df, 1), "deferred", "best of down, 421, 554");
	mx[2].state = DELIVERY_MX_ACCEPTS;
	is_str(verdict_smtp(&df, 1), "accepted", "one accepts");
	mx[1].state = DELIVERY_MX_DOWN;
	mx[2].state = DELIVERY_MX_DOWN;
	is_str(verdict_smtp(&df, 1), "unreachable", "all down");
	is_str(verdict_smtp(&df, 0), "not-probed", "--dns-only");
	/* Unknown for want of a route here: not cut short. */
	mx[1].state = DELIVERY_MX_UNKNOWN;
	mx[1].untested_here = 1;
	is_str(verdict_smtp_host(&mx[1], 1), "not-tested-here",
	    "no route to its addresses");
	is_str(verdict_smtp_host(&mx[1], 0), "not-probed",
	    "--dns-only first");
	is_str(verdict_smtp(&df, 1), "not-tested-here", "down, down and "
	    "untested: untested");
	mx[1].untested_here = 0;
	is_str(verdict_smtp_host(&mx[1], 1), "cut-short", "the deadline");
	mx[0].state = DELIVERY_MX_ACCEPTS;
	mx[1].untested_here = 1;
	is_str(verdict_smtp(&df, 1), "accepted", "one accepts, one "
	    "untested: accepted");
}

static void
test_rfc3339(void)
{
	char out[32];

	is_int(report_rfc3339(0, out, sizeof(out)), 0, "epoch");
	is_str(out, "1970-01-01T00:00:00Z", "epoch text");
	report_rfc3339(1796282102, out, sizeof(out));
	is_str(out, "2026-12-03T07:15:02Z", "a December morning");
	report_rfc3339(951782400, out, sizeof(out));
	is_str(out, "2000-02-29T00:00:00Z", "leap day of 2000");
	report_rfc3339(4107542399LL, out, sizeof(out));
	is_str(out, "2100-02-28T23:59:59Z", "2100 is no leap year");
	is_int(report_rfc3339(-1, out, sizeof(out)), -1, "negative");
	is_int(report_rfc3339(0, out, 20), -1, "no room");
}

int
main(void)
{
	test_spf();
	test_findings_only();
	test_mtasts();
	test_dkim();
	test_dane();
	test_smtp();
	test_rfc3339();
	return tap_done();
}
