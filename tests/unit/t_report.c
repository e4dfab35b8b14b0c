/*
 * Unit tests for src/report/report.c: the whole report from literal
 * facts: the JSON's top-level members (schema_version, status,
 * checked_at, mx_ttl null when unknown, mx[], findings, score, fixes),
 * the text report's first line and sections, --quiet, the --nagios
 * status line with its performance data and long output, and
 * report_rfc3339; hostile names and messages stay on their line, '|'
 * escaped on the Nagios line.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "parse/range.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("

static struct buf *b;

/* The number of lines of s before its first long-output line. */
static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

int
main(void)
{
	static char *banner[] = { "mx1.example.com ESMTP" };
	struct tls_cert_facts leaf = { "CN=mx1.example.com", "CN=CA", NULL,
	    0, 0, "RSA", 2048, "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
	    45, 0 };
	struct mx_addr a1[] = { { AF_INET, { 192, 0, 2, 1 }, "192.0.2.1",
	    300 } };
	struct mx_host hosts[] = {
		{ "mx1.example.com", 10, 0, 0, DNS_OK, DNS_OK, NULL, 0, a1,
		    1, 0, 0, 0, NULL },
		{ ".", 0, 1, 0, DNS_OK, DNS_OK, NULL, 0, NULL, 0, 0, 0, 0,
		    NULL },
	};
	struct mx_set mx = { "example.com", DNS_OK, NULL, 3600, 0, 0, 0, 0,
	    hosts, 1, 0, NULL, DNS_OK, NULL, 12, { 0 } };
	struct smtp_result sr = { .outcome = SMTP_OK, .why = "",
	    .addr = "192.0.2.1", .port = 25,
	    .banner = { 220, "", banner, 1, 0, 0, 1 }, .tls_done = 1,
	    .tls = { .version = "TLSv1.3", .cipher = "TLS_AES_128_GCM_SHA256",
	    .chain = &leaf, .nchain = 1, .verify_ok = 1,
	    .verify_error_str = "ok", .name_ok = 1 },
	    .ms = { 3, 10, 5, 20, 60 } };
	struct probe_target t = { 0, 0, PROBE_SKIP_NONE, &sr, 0, 0, 60,
	    DNS_OK, NULL, 0 };
	struct probe_facts f = { .domain = "example.com", .mx = &mx,
	    .targets = &t, .ntargets = 1, .smtp_probed = 1, .ms = 345,
	    .checked_at = 1796284800 };
	struct probe_facts fnone = { .domain = "example.org" };
	struct range warn = { 0, 1, 0, 80, 0 }, crit = { 0, 1, 0, 50, 0 };
	struct findings *fs, *fs0;
	struct score sc, sc0;
	struct report r = { 0 }, r0 = { 0 };
	struct json_object *o;
	char when[32], *line;
	const char *s;

	fs = findings_new();
	findings_add(fs, F_DMARC_MISSING, "_dmarc.example.com",
	    "No DMARC record at %s.", "_dmarc.example.com");
	findings_add(fs, F_SMTP_BANNER_NAME_MISMATCH, "mx1.example.com",
	    "The banner names %s.", "x" HOSTILE);
	score_compute(fs, &sc);
	r = (struct report){ &f, fs, &sc, findings_status(fs), 0, "1.2.3",
	    NULL, 0, NULL };
	fs0 = findings_new();
	findings_add(fs0, F_MX_LOOKUP_FAILED, "example.org",
	    "The MX records of %s could not be read.", "example.org");
	score_compute(fs0, &sc0);
	r0 = (struct report){ &fnone, fs0, &sc0, findings_status(fs0), -1,
	    NULL, NULL, 0, NULL };
	b = buf_new(REPORT_BUF_MAX);

	o = report_json(&r);
	ok(json_safe(o), "json: valid UTF-8 with a hostile message");
	is_str(json_plain(json_object_object_get(o, "schema_version")), "3",
	    "json: schema_version");
	is_str(json_plain(json_object_object_get(o, "status")),
	    "\"warning\"",
	    "json: status");
	is_str(json_plain(json_object_object_get(o, "exit_code")),
	    "1",
	    "json: exit_code");
	is_str(json_plain(json_object_object_get(o, "mxprobe_version")),
	    "\"1.2.3\"", "json: mxprobe_version");
	is_str(json_plain(json_object_object_get(o, "checked_at")),
	    "\"2026-12-03T08:00:00Z\"",
	    "json: checked_at in RFC 3339");
	is_str(json_plain(json_object_object_get(o, "mx_ttl")), "3600",
	    "json: mx_ttl");
	is_int(json_object_array_length(json_object_object_get(o, "mx")), 1,
	    "json: mx[], the null MX left out");
	is_str(json_plain(json_object_object_get(o, "elapsed_ms")), "345",
	    "json: elapsed_ms");
	ok(json_object_object_get(o, "spf") == NULL,
	    "json: no auth facts, no spf member");
	json_object_put(o);
	o = report_json(&r0);
	is_str(json_plain(json_object_object_get(o, "mx_ttl")), "null",
	    "json: no MX answer, mx_ttl null");
	is_str(json_plain(json_object_object_get(o, "mx_lookup")),
	    "\"timeout\"", "json: no MX answer, mx_lookup timeout");
	ok(json_object_object_get(o, "checked_at") == NULL,
	    "json: checked_at unknown, left out");
	json_object_put(o);

	buf_reset(b);
	report_text(&r, 0, b);
	s = buf_str(b);
	ok(text_safe(s), "text: hostile message, no control byte");
	line = xstrdup(s);
	is_str(strtok(line, "\n"),
	    "mxprobe report for example.com: WARNING, score 85/100 (B)",
	    "text: first line");
	free(line);
	ok(strstr(s, "\nVantage (this host)\n") != NULL &&
	    strstr(s, "\nMX\n") != NULL && strstr(s, "\nExchangers\n") !=
	    NULL && strstr(s, "\nFindings\n") != NULL &&
	    strstr(s, "\nScore\n") != NULL &&
	    strstr(s, "\nWhat to fix, most important first\n") != NULL,
	    "text: the sections in the report");
	ok(strstr(s, "The banner names x\\x1b[2J\\x0d\\x0aOK|") != NULL,
	    "text: the hostile message escaped");

	buf_reset(b);
	report_quiet(&r, b);
	is_str(buf_str(b),
	    "example.com WARNING score=85 grade=B findings=2 top=DMARC_MI"
	    "SSING: No DMARC record at _dmarc.example.com.\n",
	    "quiet: one line");
	buf_reset(b);
	report_quiet(&r0, b);
	is_str(buf_str(b),
	    "example.org UNKNOWN findings=1 top=MX_LOOKUP_FAILED: The MX "
	    "records of example.org could not be read.\n",
	    "quiet: no score");

	buf_reset(b);
	report_nagios(&r, &warn, &crit, b);
	s = buf_str(b);
	ok(text_safe(s), "nagios: no control byte");
	is_str(s,
	    "MXPROBE WARNING - example.com score 85/100 (B); DMARC_MISSIN"
	    "G: No DMARC record at _dmarc.example.com. | score=85;80:;50:"
	    ";0;100 findings=2;;;0 mx_time=12ms;;;0 total_time=345ms;;;0 "
	    "'mx1.example.com[192.0.2.1] connect'=3ms;;;0 'mx1.example.co"
	    "m[192.0.2.1] banner'=10ms;;;0 'mx1.example.com[192.0.2.1] tl"
	    "s'=20ms;;;0 'mx1.example.com[192.0.2.1] cert_days'=45;14:;0:"
	    "\n[warning] DMARC_MISSING: No DMARC record at _dmarc.example"
	    ".com.\n[info] SMTP_BANNER_NAME_MISMATCH: The banner names x\\"
	    "x1b[2J\\x0d\\x0aOK\\x7c\\xff\\xc3(.\n",
	    "nagios: status line, perfdata, long output");
	buf_reset(b);
	report_nagios(&r0, NULL, NULL, b);
	is_str(buf_str(b),
	    "MXPROBE UNKNOWN - example.org no score (the MX records could"
	    " not be read: no score); MX_LOOKUP_FAILED: The MX records of"
	    " example.org could not be read. | findings=1;;;0 total_time="
	    "0ms;;;0\n[unknown] MX_LOOKUP_FAILED: The MX records of examp"
	    "le.org could not be read.\n",
	    "nagios: no score, no ranges");

	/* A hostile exchanger name in the performance-data labels. */
	hosts[0].name = "mx" HOSTILE;
	buf_reset(b);
	report_nagios(&r, &warn, &crit, b);
	s = buf_str(b);
	ok(text_safe(s), "nagios: hostile name, no control byte");
	is_int(lines(s), 3, "nagios: hostile name, still three lines");
	ok(strstr(s, " 'mx_[2J__OK___([192.0.2.1] connect'=3ms;;;0") != NULL,
	    "nagios: hostile name, '_' for each byte in the label");

	is_int(report_rfc3339(0, when, sizeof(when)), 0, "rfc3339: epoch");
	is_str(when, "1970-01-01T00:00:00Z", "rfc3339: epoch text");
	is_int(report_rfc3339(1796284800, when, sizeof(when)), 0,
	    "rfc3339: 2026");
	is_str(when,
	    "2026-12-03T08:00:00Z",
	    "rfc3339: 2026 text");
	is_int(report_rfc3339(-1, when, sizeof(when)), -1,
	    "rfc3339: negative refused");
	is_int(report_rfc3339(0, when, 5), -1, "rfc3339: too small");

	score_free(&sc);
	score_free(&sc0);
	findings_free(fs);
	findings_free(fs0);
	buf_free(b);
	return tap_done();
}
