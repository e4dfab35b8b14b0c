/*
 * Unit tests for src/report/report_dane.c: the top-level "dnssec", per
 * exchanger "tlsa" (name, lookup, dnssec, records with hex data; null
 * when not asked) and "dane_senders", per address "dane" in "tls"
 * (matched null when no record matched) and the "DNSSEC and DANE" text
 * (long data cut, match, mismatch, not checked); a hostile name and
 * reason come out escaped.
 */
#include <sys/socket.h>

#include <stdio.h>

#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("

static struct buf *b;

static const char *
text(const struct probe_facts *f)
{
	buf_reset(b);
	report_dane_text(f, b);
	return buf_str(b);
}

/* Exchanger h as report.c builds it: smtp first, then dane. */
static struct json_object *
host_json(const struct probe_facts *f, size_t h)
{
	struct json_object *o = json_object_new_object();

	report_smtp_json(f, h, o);
	report_dane_json(f, h, o);
	return o;
}

static const char *
tls_dane(struct json_object *host)
{
	struct json_object *e;

	e = json_object_array_get_idx(json_object_object_get(host, "smtp"),
	    0);
	return json_plain(json_object_object_get(json_object_object_get(e,
	    "tls"), "dane"));
}

int
main(void)
{
	static unsigned char d1[48] = { 0xde, 0xad, 0xbe, 0xef };
	static unsigned char d2[4] = { 0x01, 0x02, 0x03, 0x04 };
	struct dns_rr rr1[2], rr2[1];
	struct mx_addr a1[] = { { AF_INET, { 192, 0, 2, 1 }, "192.0.2.1",
	    300 } };
	struct mx_addr a2[] = { { AF_INET, { 192, 0, 2, 2 }, "192.0.2.2",
	    300 } };
	struct mx_host hosts[] = {
		{ "mx1.example.com", 10, 0, 0, DNS_OK, DNS_OK, NULL, 0, a1,
		    1, 1, 0, 0, NULL },
		{ "mx2.example.com", 20, 1, 0, DNS_OK, DNS_OK, NULL, 0, a2,
		    1, 1, 0, 0, NULL },
		{ "[192.0.2.3]", 30, 2, 1, DNS_OK, DNS_OK, NULL, 0, NULL,
		    0, 0, 0, 0, NULL },
	};
	struct mx_set mx = { "example.com", DNS_OK, NULL, 3600, 1, 0, 0, 0,
	    hosts, 3, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct smtp_result r1 = { .outcome = SMTP_OK, .why = "",
	    .tls_done = 1, .tls = { .version = "TLSv1.3",
	    .cipher = "TLS_AES_128_GCM_SHA256", .verify_error_str = "ok",
	    .dane_checked = 1, .dane_secure = 1, .dane_ok = 1,
	    .dane_usable = 2, .dane_depth = 0, .dane_usage = 3,
	    .dane_selector = 1, .dane_mtype = 1 }, .ms = { -1, -1, -1, -1,
	    -1 } };
	struct smtp_result r2 = { .outcome = SMTP_OK, .why = "",
	    .tls_done = 1, .tls = { .version = "TLSv1.3",
	    .cipher = "TLS_AES_128_GCM_SHA256", .verify_error_str = "ok",
	    .dane_checked = 1, .dane_secure = 1, .dane_usable = 1,
	    .dane_why = "no TLSA record matched" }, .ms = { -1, -1, -1, -1,
	    -1 } };
	struct probe_target targets[] = {
		{ 0, 0, PROBE_SKIP_NONE, &r1, 0, 0, 0, DNS_OK, NULL, 0 },
		{ 1, 0, PROBE_SKIP_NONE, &r2, 0, 0, 0, DNS_OK, NULL, 0 },
	};
	struct probe_tlsa tlsa[] = {
		{ 1, "_25._tcp.mx1.example.com", DNS_OK, 1, rr1, 2, 5 },
		{ 1, "_25._tcp.mx2.example.com", DNS_OK, 1, rr2, 1, 5 },
		{ 0, NULL, DNS_TIMEOUT, 0, NULL, 0, 0 },
	};
	struct probe_facts f = { .domain = "example.com", .mx = &mx,
	    .targets = targets, .ntargets = 2, .smtp_probed = 1,
	    .tlsa = tlsa, .ntlsa = 3 };
	struct json_object *o;
	const char *s;

	memset(rr1, 0, sizeof(rr1));
	memset(rr2, 0, sizeof(rr2));
	rr1[0].type = rr1[1].type = rr2[0].type = DNS_T_TLSA;
	rr1[0].u.tlsa.usage = 3;
	rr1[0].u.tlsa.selector = 1;
	rr1[0].u.tlsa.mtype = 1;
	rr1[0].u.tlsa.data = d1;
	rr1[0].u.tlsa.len = sizeof(d1);
	rr1[1].u.tlsa.usage = 2;
	rr1[1].u.tlsa.mtype = 2;
	rr1[1].u.tlsa.data = d2;
	rr1[1].u.tlsa.len = sizeof(d2);
	rr2[0] = rr1[0];

	b = buf_new(REPORT_BUF_MAX);
	o = json_object_new_object();
	report_dane_top_json(&f, o);
	check_json(o,
	    "{\"dnssec\":true}",
	    "dane json: dnssec of the MX answer");
	o = host_json(&f, 0);
	is_str(json_plain(json_object_object_get(o, "tlsa")),
	    "{\"name\":\"_25._tcp.mx1.example.com\",\"lookup\":\"ok\",\"d"
	    "nssec\":true,\"records\":[{\"usage\":3,\"selector\":1,\"mtyp"
	    "e\":1,\"data\":\"deadbeef00000000000000000000000000000000000"
	    "00000000000000000000000000000000000000000000000000000\"},{\""
	    "usage\":2,\"selector\":0,\"mtype\":2,\"data\":\"01020304\"}]"
	    "}",
	    "dane json: tlsa with two records");
	is_str(json_plain(json_object_object_get(o, "dane_senders")),
	    "\"deliver\"",
	    "dane json: dane_senders of a matching host");
	is_str(tls_dane(o),
	    "{\"checked\":true,\"ok\":true,\"dnssec\":true,\"matched\":{\""
	    "usage\":3,\"selector\":1,\"mtype\":1,\"depth\":0},\"why\":nu"
	    "ll,\"usable\":2,\"skipped\":0,\"unusable\":0}",
	    "dane json: a match");
	json_object_put(o);
	o = host_json(&f, 1);
	is_str(tls_dane(o),
	    "{\"checked\":true,\"ok\":false,\"dnssec\":true,\"matched\":n"
	    "ull,\"why\":\"no TLSA record matched\",\"usable\":1,\"skippe"
	    "d\":0,\"unusable\":0}",
	    "dane json: a mismatch, matched null");
	json_object_put(o);
	o = host_json(&f, 2);
	is_str(json_plain(json_object_object_get(o, "tlsa")), "null",
	    "dane json: tlsa not asked, null");
	json_object_put(o);
	is_str(text(&f),
	    "\nDNSSEC and DANE\n  MX answer authenticated (DNSSEC)\n  mx1"
	    ".example.com  TLSA OK, authenticated, 2 records\n      3 1 1"
	    " deadbeef000000000000000000000000000000000000000000000000000"
	    "00...  (DANE-EE)\n      2 0 2 01020304  (DANE-TA)\n      [19"
	    "2.0.2.1] DANE match: DANE-EE 1 1 at depth 0\n  mx2.example.c"
	    "om  TLSA OK, authenticated, 1 record\n      3 1 1 deadbeef00"
	    "000000000000000000000000000000000000000000000000000...  (DAN"
	    "E-EE)\n      [192.0.2.2] DANE mismatch: no TLSA record match"
	    "ed\n",
	    "dane text");

	hosts[1].name = "mx2" HOSTILE;
	r2.tls.dane_why = "why" HOSTILE;
	s = text(&f);
	ok(text_safe(s), "dane text: hostile name and reason, no control");
	is_str(s,
	    "\nDNSSEC and DANE\n  MX answer authenticated (DNSSEC)\n  mx1"
	    ".example.com  TLSA OK, authenticated, 2 records\n      3 1 1"
	    " deadbeef000000000000000000000000000000000000000000000000000"
	    "00...  (DANE-EE)\n      2 0 2 01020304  (DANE-TA)\n      [19"
	    "2.0.2.1] DANE match: DANE-EE 1 1 at depth 0\n  mx2\\x1b[2J\\"
	    "x0d\\x0aOK|\\xff\\xc3(  TLSA OK, authenticated, 1 record\n"
	    "      3 1 1 deadbeef0000000000000000000000000000000000000000"
	    "0000000000000...  (DANE-EE)\n      [192.0.2.2] DANE mismatch"
	    ": why\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3(\n",
	    "dane text: hostile name and reason escaped");
	o = host_json(&f, 1);
	ok(json_safe(o), "dane json: hostile reason, valid UTF-8");
	is_str(tls_dane(o),
	    "{\"checked\":true,\"ok\":false,\"dnssec\":true,\"matched\":n"
	    "ull,\"why\":\"why\\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\""
	    ",\"usable\":1,\"skipped\":0,\"unusable\":0}",
	    "dane json: hostile reason escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
