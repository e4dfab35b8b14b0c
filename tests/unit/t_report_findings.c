/*
 * Unit tests for src/report/report_findings.c: the findings, score and
 * fixes in text (order by severity, points, colours only when asked,
 * each remedy once) and JSON (findings[], score with null value when
 * there is none, fixes[], the --list-findings catalogue), the top
 * finding, report_word; a finding message quoting hostile network text
 * comes out escaped.
 */
#include <stdio.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("

static struct buf *b;

typedef void (*render_fn)(const struct report *, struct buf *);

static const char *
render(render_fn fn, const struct report *r)
{
	buf_reset(b);
	fn(r, b);
	return buf_str(b);
}

static const char *
findings_text(const struct report *r, int colour)
{
	buf_reset(b);
	report_findings_text(r, colour, b);
	return buf_str(b);
}

int
main(void)
{
	struct findings *fs, *none;
	struct score sc, sc0;
	struct report r = { 0 }, r0 = { 0 };
	struct json_object *o;
	const char *s;

	fs = findings_new();
	findings_add(fs, F_TLSRPT_MISSING, "_smtp._tls.example.com",
	    "No TLS-RPT record at %s.", "_smtp._tls.example.com");
	findings_add(fs, F_TLS_NO_STARTTLS, "mx1.example.com",
	    "mx1.example.com does not offer STARTTLS (banner \"%s\").",
	    "220 mx1 " HOSTILE);
	findings_add(fs, F_DMARC_MISSING, "_dmarc.example.com",
	    "No DMARC record at %s.", "_dmarc.example.com");
	findings_add(fs, F_DMARC_MISSING, "_dmarc.example.com",
	    "Twice: the remedy is listed once.");
	score_compute(fs, &sc);
	r.fs = fs;
	r.score = &sc;
	none = findings_new();
	score_compute(none, &sc0);
	r0.fs = none;
	r0.score = &sc0;
	b = buf_new(REPORT_BUF_MAX);

	s = findings_text(&r, 0);
	ok(text_safe(s), "findings text: hostile message, no control byte");
	is_str(s,
	    "\nFindings\n  [warning] TLS_NO_STARTTLS  (-10)\n      mx1.ex"
	    "ample.com does not offer STARTTLS (banner \"220 mx1 \\x1b[2J"
	    "\\x0d\\x0aOK|\\xff\\xc3(\").\n  [warning] DMARC_MISSING  (-1"
	    "5)\n      No DMARC record at _dmarc.example.com.\n  [warning"
	    "] DMARC_MISSING  (-10)\n      Twice: the remedy is listed on"
	    "ce.\n  [info] TLSRPT_MISSING  (-1)\n      No TLS-RPT record "
	    "at _smtp._tls.example.com.\n",
	    "findings text: by severity, points, escaped message");
	s = findings_text(&r, 1);
	ok(strstr(s, "\033[33m[warning]\033[0m TLS_NO_STARTTLS") != NULL,
	    "findings text: colour when asked");
	ok(strchr(findings_text(&r, 0), '\033') == NULL,
	    "findings text: no colour otherwise");
	is_str(findings_text(&r0, 0), "\nFindings\n  none\n",
	    "findings text: none");
	is_str(render(report_score_text, &r),
	    "\nScore\n  70/100, grade C, delivery hygiene - mail is deliv"
	    "ered; what is left is hygiene: at least 70\n  reachability  "
	    "  35/35\n  fallback        15/15\n  transport       14/25\n"
	    "  authentication   0/25\n",
	    "score text");
	is_str(render(report_fixes_text, &r),
	    "\nWhat to fix, most important first\n  1. Publish a TXT reco"
	    "rd at _dmarc.<domain>, starting with \"v=DMARC1; p=none; rua"
	    "=mailto:dmarc-reports@<domain>\", read the reports, then tig"
	    "hten p=. [+15]\n     (DMARC_MISSING; RFC 7489 §6.1, §6.6.3"
	    ")\n  2. Enable STARTTLS with a certificate for the MX name ("
	    "Postfix: smtpd_tls_security_level = may). [+10]\n     (TLS_N"
	    "O_STARTTLS; RFC 3207)\n  3. Publish \"v=TLSRPTv1; rua=mailto"
	    ":tls-reports@<domain>\" at _smtp._tls.<domain> to learn abou"
	    "t TLS delivery failures. [+1]\n     (TLSRPT_MISSING; RFC 846"
	    "0 §3)\n",
	    "fixes text: most important first, each remedy once");
	is_str(render(report_fixes_text, &r0), "", "fixes text: none");
	is_str(report_top_finding(&r)->subject, "_dmarc.example.com",
	    "top finding: the first fix that is not INFO");
	ok(report_top_finding(&r0) == NULL, "top finding: none");

	o = report_findings_json(fs, &sc, 0);
	ok(json_safe(o), "findings json: hostile message, valid UTF-8");
	is_str(json_plain(json_object_array_get_idx(o, 1)),
	    "{\"code\":\"TLS_NO_STARTTLS\",\"severity\":\"warning\",\"cat"
	    "egory\":\"transport\",\"title\":\"An exchanger does not offe"
	    "r STARTTLS: mail to it travels in clear\",\"remedy\":\"Enabl"
	    "e STARTTLS with a certificate for the MX name (Postfix: smtp"
	    "d_tls_security_level = may).\",\"reference\":\"RFC 3207\",\""
	    "message\":\"mx1.example.com does not offer STARTTLS (banner "
	    "\\\"220 mx1 \\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\\\")."
	    "\",\"subject\":\"mx1.example.com\",\"points\":10}",
	    "findings json: one finding, message escaped");
	is_int(json_object_array_length(o), 4, "findings json: all four");
	json_object_put(o);
	check_json(report_score_json(&sc),
	    "{\"value\":70,\"grade\":\"C\",\"capped\":true,\"note\":\"mai"
	    "l is delivered; what is left is hygiene: at least 70\",\"cla"
	    "ss\":\"hygiene\",\"categories\":{\"reachability\":{\"weight\""
	    ":35,\"lost\":0},\"fallback\":{\"weight\":15,\"lost\":0},\"tr"
	    "ansport\":{\"weight\":25,\"lost\":11},\"authentication\":{\""
	    "weight\":25,\"lost\":25}}}",
	    "score json");
	check_json(report_score_json(&sc0),
	    "{\"value\":100,\"grade\":\"A\",\"capped\":false,\"note\":nul"
	    "l,\"class\":\"hygiene\",\"categories\":{\"reachability\":{\""
	    "weight\":35,\"lost\":0},\"fallback\":{\"weight\":15,\"lost\""
	    ":0},\"transport\":{\"weight\":25,\"lost\":0},\"authenticatio"
	    "n\":{\"weight\":25,\"lost\":0}}}",
	    "score json: no findings");
	check_json(report_fixes_json(&r),
	    "[{\"code\":\"DMARC_MISSING\",\"subject\":\"_dmarc.example.co"
	    "m\",\"remedy\":\"Publish a TXT record at _dmarc.<domain>, st"
	    "arting with \\\"v=DMARC1; p=none; rua=mailto:dmarc-reports@<"
	    "domain>\\\", read the reports, then tighten p=.\",\"points\""
	    ":15},{\"code\":\"TLS_NO_STARTTLS\",\"subject\":\"mx1.example"
	    ".com\",\"remedy\":\"Enable STARTTLS with a certificate for t"
	    "he MX name (Postfix: smtpd_tls_security_level = may).\",\"po"
	    "ints\":10},{\"code\":\"TLSRPT_MISSING\",\"subject\":\"_smtp."
	    "_tls.example.com\",\"remedy\":\"Publish \\\"v=TLSRPTv1; rua="
	    "mailto:tls-reports@<domain>\\\" at _smtp._tls.<domain> to le"
	    "arn about TLS delivery failures.\",\"points\":1}]",
	    "fixes json");
	o = report_catalogue_json();
	is_int(json_object_array_length(o), F__COUNT,
	    "catalogue json: every code");
	is_str(json_plain(json_object_array_get_idx(o, 0)),
	    "{\"code\":\"DOMAIN_NXDOMAIN\",\"severity\":\"critical\",\"ca"
	    "tegory\":\"dns\",\"title\":\"The domain does not exist\",\"r"
	    "emedy\":\"Register the domain or fix its delegation; check t"
	    "he spelling.\",\"reference\":\"RFC 5321 §5.1\",\"penalty\":"
	    "100}",
	    "catalogue json: the first entry");
	json_object_put(o);
	is_str(report_word("healthy"), "healthy", "report_word: English");
	is_str(report_word("not a word"), "not a word",
	    "report_word: other text as it is");
	ok(report_word(NULL) == NULL, "report_word: NULL");
	is_str(report_colour(0, SEV_CRITICAL), "", "no colour: empty");
	is_str(report_colour_reset(1), "\033[0m", "colour reset");

	score_free(&sc);
	score_free(&sc0);
	findings_free(fs);
	findings_free(none);
	buf_free(b);
	return tap_done();
}
