/*
 * Unit tests for src/analyze/analyze_mtasts.c (the MTA-STS findings from
 * the TXT record, the policy and the exchangers) and the text its facts
 * render to (src/report/report_mtasts.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "parse/mtasts.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "findings_codes.h"
#include "tap.h"

/* --- analyzer ---------------------------------------------------------- */

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1
#define BODY(s)	s, sizeof(s) - 1
#define STS	DNS_OK, TXT1("v=STSv1; id=1")

#define ENFORCE "version: STSv1\nmode: enforce\nmx: *.example.com\n" \
	"max_age: 604800\n"
#define TESTING "version: STSv1\nmode: testing\nmx: *.example.com\n" \
	"max_age: 604800\n"

static const struct taglist_txt two[] = {
	{ "v=STSv1; id=1", 13 }, { "v=STSv1; id=2", 13 },
};
static const struct mtasts_mx mx_ok[] = {
	{ "mx1.example.com", 1 }, { "mx2.example.com", -1 },
};
static const struct mtasts_mx mx_out[] = {
	{ "mx1.example.com", 1 }, { "mx.other.net", 1 },
};
static const struct mtasts_mx mx_badcert[] = {
	{ "mx1.example.com", 0 },
};

struct acase {
	const char		*name;
	struct mtasts_facts	 f;
	const char		*want;
};

static const struct acase acases[] = {
	{ "good", { "example.com", DNS_OK, TXT1("v=STSv1; id=1"),
	    MTASTS_FETCH_OK, 200, NULL, BODY(ENFORCE), mx_ok, 2 }, "" },
	{ "missing", { "example.com", DNS_NXDOMAIN, NULL, 0,
	    MTASTS_FETCH_UNREACHABLE, 0, "no address", NULL, 0, mx_ok, 2 },
	    "MTASTS_MISSING" },
	{ "missing, not fetched", { "example.com", DNS_NODATA, NULL, 0,
	    MTASTS_FETCH_NOT_TRIED, 0, NULL, NULL, 0, mx_ok, 2 },
	    "MTASTS_MISSING" },
	{ "policy without TXT", { "example.com", DNS_NXDOMAIN, NULL, 0,
	    MTASTS_FETCH_OK, 200, NULL, BODY(ENFORCE), mx_ok, 2 },
	    "MTASTS_POLICY_WITHOUT_TXT" },
	{ "TXT syntax", { "example.com", DNS_OK, TXT1("v=STSv1; id=a-b"),
	    MTASTS_FETCH_OK, 200, NULL, BODY(ENFORCE), mx_ok, 2 },
	    "MTASTS_TXT_SYNTAX" },
	{ "two TXT", { "example.com", DNS_OK, two, 2, MTASTS_FETCH_OK, 200,
	    NULL, BODY(ENFORCE), mx_ok, 2 }, "MTASTS_TXT_SYNTAX" },
	{ "fetch: HTTP 404", { "example.com", STS, MTASTS_FETCH_HTTP_ERROR,
	    404, NULL, NULL, 0, mx_ok, 2 }, "MTASTS_POLICY_FETCH_FAILED" },
	{ "fetch: TLS", { "example.com", STS, MTASTS_FETCH_TLS_ERROR, 0,
	    "certificate has expired", NULL, 0, mx_ok, 2 },
	    "MTASTS_POLICY_FETCH_FAILED" },
	{ "fetch: too large", { "example.com", STS, MTASTS_FETCH_TOO_LARGE,
	    200, NULL, NULL, 0, mx_ok, 2 }, "MTASTS_POLICY_FETCH_FAILED" },
	{ "fetch: unreachable", { "example.com", STS,
	    MTASTS_FETCH_UNREACHABLE, 0, "connection refused", NULL, 0,
	    mx_ok, 2 }, "MTASTS_POLICY_FETCH_FAILED" },
	{ "fetch not tried", { "example.com", STS, MTASTS_FETCH_NOT_TRIED,
	    0, NULL, NULL, 0, mx_ok, 2 }, "" },
	{ "policy syntax", { "example.com", STS, MTASTS_FETCH_OK, 200, NULL,
	    BODY("version: STSv1\nmode: strict\n"), mx_ok, 2 },
	    "MTASTS_POLICY_SYNTAX" },
	{ "testing", { "example.com", STS, MTASTS_FETCH_OK, 200, NULL,
	    BODY(TESTING), mx_ok, 2 }, "MTASTS_TESTING" },
	{ "testing with problems", { "example.com", STS, MTASTS_FETCH_OK,
	    200, NULL, BODY(TESTING), mx_out, 2 }, "MTASTS_TESTING" },
	{ "mode none", { "example.com", STS, MTASTS_FETCH_OK, 200, NULL,
	    BODY("version: STSv1\nmode: none\nmax_age: 60\n"), mx_ok, 2 },
	    "MTASTS_MODE_NONE" },
	{ "MX not covered", { "example.com", STS, MTASTS_FETCH_OK, 200,
	    NULL, BODY(ENFORCE), mx_out, 2 }, "MTASTS_MX_NOT_COVERED" },
	{ "certificate invalid", { "example.com", STS, MTASTS_FETCH_OK, 200,
	    NULL, BODY(ENFORCE), mx_badcert, 1 }, "MTASTS_CERT_INVALID" },
	{ "max_age short", { "example.com", STS, MTASTS_FETCH_OK, 200, NULL,
	    BODY("version: STSv1\nmode: enforce\nmx: *.example.com\n"
	    "max_age: 3600\n"), mx_ok, 2 }, "MTASTS_MAX_AGE_SHORT" },
	{ "lookup failed", { "example.com", DNS_TIMEOUT, NULL, 0,
	    MTASTS_FETCH_OK, 200, NULL, BODY(ENFORCE), mx_ok, 2 },
	    "MTASTS_LOOKUP_FAILED" },
};

static void
test_analyze(void)
{
	struct findings *fs;
	struct buf *b;
	size_t i, k;
	int seen[F__COUNT] = { 0 };
	const char *mc[] = { "MTASTS_MISSING", "MTASTS_TXT_SYNTAX",
	    "MTASTS_POLICY_FETCH_FAILED", "MTASTS_POLICY_WITHOUT_TXT",
	    "MTASTS_POLICY_SYNTAX", "MTASTS_TESTING", "MTASTS_MODE_NONE",
	    "MTASTS_MX_NOT_COVERED", "MTASTS_CERT_INVALID",
	    "MTASTS_MAX_AGE_SHORT", "MTASTS_LOOKUP_FAILED" };

	b = buf_new(4096);
	for (i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		fs = findings_new();
		analyze_mtasts(&acases[i].f, fs);
		buf_reset(b);
		codes(fs, b);
		is_str(buf_str(b), acases[i].want, acases[i].name);
		for (k = 0; k < findings_count(fs); k++)
			seen[findings_get(fs, k)->code] = 1;
		findings_free(fs);
	}
	for (i = 0; i < sizeof(mc) / sizeof(mc[0]); i++)
		ok(finding_by_name(mc[i]) >= 0 && seen[finding_by_name(mc[i])],
		    "%s raised by some case", mc[i]);

	/* Testing mode names what would break under enforce. */
	fs = findings_new();
	analyze_mtasts(&acases[13].f, fs);
	ok(findings_count(fs) == 1 && strstr(findings_get(fs, 0)->message,
	    "mx.other.net") != NULL, "testing message names the MX");
	findings_free(fs);
	/* Policy syntax names the line. */
	fs = findings_new();
	analyze_mtasts(&acases[11].f, fs);
	ok(strstr(findings_get(fs, 0)->message, "line 2") != NULL,
	    "policy syntax message names the line");
	findings_free(fs);
	/* Fetch failure carries the HTTP status. */
	fs = findings_new();
	analyze_mtasts(&acases[6].f, fs);
	ok(strstr(findings_get(fs, 0)->message, "HTTP 404") != NULL,
	    "fetch failure message names the status");
	findings_free(fs);

	buf_reset(b);
	report_mtasts_text(&acases[0].f, b);
	is_str(buf_str(b), "MTA-STS: id=1\n  policy: mode enforce, max_age "
	    "604800\n  mx *.example.com\n", "text rendering");
	buf_reset(b);
	report_mtasts_text(&acases[6].f, b);
	is_str(buf_str(b), "MTA-STS: id=1\n  policy: HTTP error, HTTP 404\n",
	    "text: fetch failure");
	buf_free(b);
}

int
main(void)
{
	test_analyze();
	return tap_done();
}
