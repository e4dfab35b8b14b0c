/*
 * Unit tests for src/report/report_tlsrpt.c: the TLS-RPT record in JSON
 * (state, record, rua[], error) and in text, from literal facts; hostile
 * record bytes come out escaped.
 */
#include <stdio.h>

#include "facts/dns_facts.h"
#include "parse/tlsrpt.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

REPORT_AREA(struct tlsrpt_facts, report_tlsrpt_text, report_tlsrpt_json)

int
main(void)
{
	static const struct taglist_txt two[] = {
		{ "v=TLSRPTv1; rua=mailto:a@example.com", 35 },
		{ "v=TLSRPTv1; rua=mailto:b@example.com", 35 },
	};
	struct tlsrpt_facts tf = { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=mailto:t@example.com,https://r.example/") };
	struct tlsrpt_facts tbad = { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=\xff") };
	struct tlsrpt_facts tnx = { "example.com", DNS_NXDOMAIN, NULL, 0 };
	struct tlsrpt_facts tfail = { "example.com", DNS_SERVFAIL, NULL, 0 };
	struct tlsrpt_facts ttwo = { "example.com", DNS_OK, two, 2 };
	struct tlsrpt_facts thost = { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=mailto:x@\x1b[2J\r\nCRITICAL|\0\xc3(") };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(json(&tf), "{\"state\":\"found\",\"record\":\"v=TLSRPTv1; "
	    "rua=mailto:t@example.com,https://r.example/\",\"rua\":"
	    "[\"mailto:t@example.com\",\"https://r.example/\"]}",
	    "tls-rpt: found");
	check_json(json(&tbad), "{\"state\":\"invalid\",\"record\":"
	    "\"v=TLSRPTv1; rua=\\\\xff\",\"error\":{\"offset\":16,\"reason\":"
	    "\"invalid character in URI\"}}",
	    "tls-rpt: invalid, 8-bit censored");
	check_json(json(&tnx), "{\"state\":\"missing\"}",
	    "tls-rpt json: missing");
	check_json(json(&tfail), "{\"state\":\"lookup-failed\"}",
	    "tls-rpt json: lookup failed");
	check_json(json(&ttwo), "{\"state\":\"multiple\"}",
	    "tls-rpt json: two records");

	is_str(text(&tf), "TLS-RPT: mailto:t@example.com https://r.example/\n",
	    "tls-rpt text: the rua URIs");
	is_str(text(&tbad), "TLS-RPT: invalid (invalid character in URI)\n",
	    "tls-rpt text: invalid");
	is_str(text(&tnx), "TLS-RPT: no record\n", "tls-rpt text: missing");
	is_str(text(&tfail), "TLS-RPT: lookup failed (SERVFAIL)\n",
	    "tls-rpt text: lookup failed");
	is_str(text(&ttwo), "TLS-RPT: several records (ignored)\n",
	    "tls-rpt text: two records");

	/* ESC, CR, LF, '|', NUL and a broken UTF-8 sequence in the record. */
	s = text(&thost);
	ok(text_safe(s), "tls-rpt text: hostile record, no control byte");
	o = json(&thost);
	ok(json_safe(o), "tls-rpt json: hostile record, valid UTF-8");
	is_str(json_object_get_string(json_object_object_get(o, "record")),
	    "v=TLSRPTv1; rua=mailto:x@\\x1b[2J\\x0d\\x0aCRITICAL|\\x00\\xc3(",
	    "tls-rpt json: hostile record escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
