/*
 * Unit tests for src/report/report_smtp.c: per exchanger address the
 * "smtp" JSON (outcome, timings with null for a step not reached, banner,
 * EHLO before and after TLS, the TLS facts and chain, refusal, commands
 * sent, a target not probed), "failover", "delivery", and the
 * "Exchangers" and "Who receives mail" text; banners, EHLO names,
 * replies, reasons, certificate fields and PTR names from the network
 * come out escaped.
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
	report_smtp_text(f, NULL, b);
	return buf_str(b);
}

/* The "smtp" array of exchanger h. */
static struct json_object *
smtp_of(const struct probe_facts *f, size_t h)
{
	struct json_object *o = json_object_new_object();

	report_smtp_json(f, h, o);
	return o;
}

/* Member key of element i of o's "smtp", in one line. */
static const char *
member(struct json_object *o, size_t i, const char *key)
{
	struct json_object *a;

	a = json_object_array_get_idx(json_object_object_get(o, "smtp"), i);
	return json_plain(json_object_object_get(a, key));
}

int
main(void)
{
	static char *banner[] = { "mx1.example.com ESMTP ready" };
	static char *sent[] = { "EHLO probe.example.org", "STARTTLS",
	    "EHLO probe.example.org", "QUIT" };
	static char *rej[] = { "4.7.0 TLS not available now" };
	static char *evil_text[] = { "mx2 " HOSTILE };
	static char *san[] = { "mx1.example.com" };
	static char *evil_san[] = { "x" HOSTILE };
	struct tls_cert_facts leaf = { "CN=mx1.example.com",
	    "CN=Example CA", san, 1, 0, "RSA", 2048, "2026-01-01T00:00:00Z",
	    "2027-01-01T00:00:00Z", 30, 0 };
	struct tls_cert_facts evil_leaf = { "CN=" HOSTILE, "CN=ca" HOSTILE,
	    evil_san, 1, 0, "EC", 256, "2026-01-01T00:00:00Z",
	    "2027-01-01T00:00:00Z", 30, 1 };
	struct mx_addr a1[] = { { AF_INET, { 192, 0, 2, 1 }, "192.0.2.1",
	    300 } };
	struct mx_addr a2[] = { { AF_INET, { 192, 0, 2, 2 }, "192.0.2.2",
	    300 } };
	struct mx_addr a3[] = { { AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 },
	    "2001:db8::3", 300 } };
	struct mx_host hosts[] = {
		{ "mx1.example.com", 10, 0, 0, DNS_OK, DNS_OK, NULL, 0, a1,
		    1, 0, 0, 0, NULL },
		{ "mx2.example.com", 20, 1, 0, DNS_OK, DNS_OK, NULL, 0, a2,
		    1, 0, 0, 0, NULL },
		{ "mx3.example.com", 30, 2, 0, DNS_NODATA, DNS_OK, NULL, 0,
		    a3, 1, 0, 0, 0, NULL },
	};
	struct mx_set mx = { "example.com", DNS_OK, NULL, 3600, 0, 0, 0, 0,
	    hosts, 3, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct smtp_result r0 = {
		.outcome = SMTP_OK, .step = SMTP_STEP_EHLO_TLS, .why = "",
		.addr = "192.0.2.1", .port = 25, .source = "192.0.2.100",
		.ehlo_name = "probe.example.org", .mxhost = "mx1.example.com",
		.banner = { 220, "", banner, 1, 0, 0, 1 },
		.banner_host = "mx1.example.com",
		.ehlo_ok = 1, .ehlo = { "mx1.example.com",
		    { [SMTP_EXT_STARTTLS] = 1, [SMTP_EXT_SIZE] = 1 }, 1,
		    10240000, NULL, NULL, 0, 0 },
		.starttls_offered = 1, .starttls_code = 220, .tls_done = 1,
		.tls = { "TLSv1.3", "TLS_AES_256_GCM_SHA384", "X25519", &leaf,
		    1, 0, 1, 0, 0, "ok", "mx1.example.com", 1,
		    "mx1.example.com" },
		.ehlo_tls_ok = 1, .ehlo_tls = { "mx1.example.com",
		    { [SMTP_EXT_SIZE] = 1, [SMTP_EXT_AUTH] = 1 }, 1, 0,
		    "PLAIN", NULL, 0, 0 },
		.quit_code = 221, .ms = { 3, 10, 5, 20, 60 },
		.sent = sent, .nsent = 4,
	};
	struct smtp_result r1 = {
		.outcome = SMTP_STARTTLS_REJECTED, .step = SMTP_STEP_STARTTLS,
		.why = "STARTTLS refused", .addr = "192.0.2.2", .port = 25,
		.source = "192.0.2.100", .ehlo_name = "probe.example.org",
		.banner = { 220, "", evil_text, 1, 0, 0, 1 },
		.ehlo_ok = 1, .ehlo = { "mx2.example.com",
		    { [SMTP_EXT_STARTTLS] = 1 }, 1, 0, NULL, NULL, 0, 0 },
		.starttls_offered = 1, .starttls_code = 454,
		.reject = { 454, "4.7.0", rej, 1, 0, 0, 1 },
		.ms = { 2, 4, 3, -1, 15 }, .sent = sent, .nsent = 2,
	};
	struct probe_target targets[] = {
		{ 0, 0, PROBE_SKIP_NONE, &r0, 0, 0, 60, DNS_OK,
		    "mx1.example.com", 1 },
		{ 1, 0, PROBE_SKIP_NONE, &r1, 0, 0, 15, DNS_NXDOMAIN, NULL,
		    0 },
		{ 2, 0, PROBE_SKIP_FAMILY_4, NULL, 0, 0, 0, DNS_OK, NULL, 0 },
	};
	struct probe_facts f = { .domain = "example.com", .mx = &mx,
	    .targets = targets, .ntargets = 3, .smtp_probed = 1 };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	o = smtp_of(&f, 0);
	is_str(member(o, 0, "outcome"), "\"ok\"", "smtp json: outcome");
	is_str(member(o, 0, "timing"),
	    "{\"connect_ms\":3,\"banner_ms\":10,\"ehlo_ms\":5,\"tls_ms\":"
	    "20,\"total_ms\":60}",
	    "smtp json: timing");
	is_str(member(o, 0, "banner"),
	    "{\"code\":220,\"enhanced_code\":null,\"text\":[\"mx1.example"
	    ".com ESMTP ready\"]}",
	    "smtp json: banner");
	is_str(member(o, 0, "ehlo"),
	    "{\"name\":\"mx1.example.com\",\"extensions\":{\"STARTTLS\":t"
	    "rue,\"SIZE\":true,\"PIPELINING\":false,\"8BITMIME\":false,\""
	    "SMTPUTF8\":false,\"CHUNKING\":false,\"REQUIRETLS\":false,\"D"
	    "SN\":false,\"ENHANCEDSTATUSCODES\":false,\"AUTH\":false},\"s"
	    "ize\":10240000,\"auth\":null}",
	    "smtp json: ehlo before TLS");
	is_str(member(o, 0, "ehlo_tls"),
	    "{\"name\":\"mx1.example.com\",\"extensions\":{\"STARTTLS\":f"
	    "alse,\"SIZE\":true,\"PIPELINING\":false,\"8BITMIME\":false,\""
	    "SMTPUTF8\":false,\"CHUNKING\":false,\"REQUIRETLS\":false,\"D"
	    "SN\":false,\"ENHANCEDSTATUSCODES\":false,\"AUTH\":true},\"si"
	    "ze\":0,\"auth\":\"PLAIN\"}",
	    "smtp json: ehlo after TLS");
	is_str(member(o, 0, "tls"),
	    "{\"version\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384"
	    "\",\"group\":\"X25519\",\"verify_ok\":true,\"verify_error\":"
	    "\"ok\",\"name_checked\":\"mx1.example.com\",\"name_ok\":true"
	    ",\"name_matched\":\"mx1.example.com\",\"chain\":[{\"subject\""
	    ":\"CN=mx1.example.com\",\"issuer\":\"CN=Example CA\",\"san\""
	    ":[\"mx1.example.com\"],\"key_type\":\"RSA\",\"key_bits\":204"
	    "8,\"not_before\":\"2026-01-01T00:00:00Z\",\"not_after\":\"20"
	    "27-01-01T00:00:00Z\",\"days_left\":30,\"self_signed\":false}"
	    "]}",
	    "smtp json: tls and chain");
	is_str(member(o, 0, "refusal"), "null", "smtp json: no refusal");
	is_str(member(o, 0, "commands_sent"),
	    "[\"EHLO probe.example.org\",\"STARTTLS\",\"EHLO probe.exampl"
	    "e.org\",\"QUIT\"]",
	    "smtp json: commands sent");
	is_str(member(o, 0, "ptr"), "\"mx1.example.com\"", "smtp json: ptr");
	is_str(json_plain(json_object_object_get(o, "answers")), "true",
	    "smtp json: the host answers");
	json_object_put(o);
	o = smtp_of(&f, 1);
	is_str(member(o, 0, "timing"),
	    "{\"connect_ms\":2,\"banner_ms\":4,\"ehlo_ms\":3,\"tls_ms\":n"
	    "ull,\"total_ms\":15}",
	    "smtp json: tls_ms null");
	is_str(member(o, 0, "refusal"),
	    "{\"code\":454,\"enhanced_code\":\"4.7.0\",\"text\":[\"4.7.0 "
	    "TLS not available now\"],\"step\":\"starttls\",\"temporary\""
	    ":true,\"about_client\":false}",
	    "smtp json: the STARTTLS refusal");
	is_str(member(o, 0, "tls"), "null", "smtp json: no TLS");
	is_str(member(o, 0, "why"), "\"STARTTLS refused\"", "smtp json: why");
	json_object_put(o);
	check_json(smtp_of(&f, 2),
	    "{\"smtp\":[{\"address\":\"2001:db8::3\",\"ptr\":null,\"ptr_l"
	    "ookup\":\"ok\",\"fcrdns\":false,\"skipped\":\"-4 given\",\"o"
	    "utcome\":\"not-probed\",\"no_route\":false}],\"answers\":nul"
	    "l,\"assumed_down\":false}",
	    "smtp json: not probed (-4)");
	check_json(report_failover_json(&f),
	    "{\"delivers_to\":\"mx1.example.com\",\"assume_down\":[]}",
	    "failover json");
	o = report_delivery_json(&f);
	is_str(json_plain(json_object_object_get(o, "verdict")),
	    "\"healthy\"",
	    "delivery json: verdict");
	is_str(json_plain(json_object_object_get(o, "exchangers")),
	    "[{\"host\":\"mx1.example.com\",\"state\":\"accepts\",\"not_t"
	    "ested_here\":false},{\"host\":\"mx2.example.com\",\"state\":"
	    "\"accepts\",\"not_tested_here\":false},{\"host\":\"mx3.examp"
	    "le.com\",\"state\":\"unknown\",\"not_tested_here\":false}]",
	    "delivery json: exchangers");
	json_object_put(o);

	s = text(&f);
	is_str(s,
	    "\nExchangers\n  mx1.example.com [192.0.2.1]  OK in 60 ms\n"
	    "      from    192.0.2.100, EHLO probe.example.org\n      ban"
	    "ner  220 mx1.example.com ESMTP ready\n      tls     TLSv1.3 "
	    "TLS_AES_256_GCM_SHA384 X25519, certificate valid, name match"
	    "es\n      ptr     mx1.example.com (confirmed)\n  mx2.example"
	    ".com [192.0.2.2]  STARTTLS_REJECTED in 15 ms\n      from    "
	    "192.0.2.100, EHLO probe.example.org\n      banner  220 mx2 \\"
	    "x1b[2J\\x0d\\x0aOK|\\xff\\xc3(\n      why     STARTTLS refus"
	    "ed\n      refusal STARTTLS 454 4.7.0 TLS not available now\n"
	    "  mx3.example.com [2001:db8::3]  not probed: -4 given\n\n"
	    "Who receives mail (delivery healthy)\n  most senders (opport"
	    "unistic TLS): delivered to mx1.example.com\n    if mx1.examp"
	    "le.com fails: delivered to mx2.example.com\n",
	    "smtp text: the Exchangers and delivery sections");

	/* Hostile banner, reply, reason, EHLO name, certificate and PTR. */
	r0.banner.text = evil_text;
	r0.ehlo_name = "probe" HOSTILE;
	r0.ehlo.domain = "mx1" HOSTILE;
	r0.tls.chain = &evil_leaf;
	r0.tls.version = "TLSv1.3" HOSTILE;
	r0.tls.verify_ok = 0;
	r0.tls.verify_error_str = "bad" HOSTILE;
	r1.why = "why" HOSTILE;
	rej[0] = "4.7.0 no" HOSTILE;
	targets[0].ptr = "ptr" HOSTILE;
	s = text(&f);
	ok(text_safe(s), "smtp text: hostile network text, no control byte");
	ok(strstr(s, "\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3(") != NULL,
	    "smtp text: hostile network text escaped");
	is_str(s,
	    "\nExchangers\n  mx1.example.com [192.0.2.1]  OK in 60 ms\n"
	    "      from    192.0.2.100, EHLO probe\\x1b[2J\\x0d\\x0aOK|\\"
	    "xff\\xc3(\n      banner  220 mx2 \\x1b[2J\\x0d\\x0aOK|\\xff\\"
	    "xc3(\n      tls     TLSv1.3\\x1b[2J\\x0d\\x0aOK|\\xff\\xc3( "
	    "TLS_AES_256_GCM_SHA384 X25519, certificate bad\\x1b[2J\\x0d\\"
	    "x0aOK|\\xff\\xc3(, name matches\n      ptr     ptr\\x1b[2J\\"
	    "x0d\\x0aOK|\\xff\\xc3( (confirmed)\n  mx2.example.com [192.0"
	    ".2.2]  STARTTLS_REJECTED in 15 ms\n      from    192.0.2.100"
	    ", EHLO probe.example.org\n      banner  220 mx2 \\x1b[2J\\x0"
	    "d\\x0aOK|\\xff\\xc3(\n      why     why\\x1b[2J\\x0d\\x0aOK|"
	    "\\xff\\xc3(\n      refusal STARTTLS 454 4.7.0 no\\x1b[2J\\x0"
	    "d\\x0aOK|\\xff\\xc3(\n  mx3.example.com [2001:db8::3]  not p"
	    "robed: -4 given\n\nWho receives mail (delivery healthy)\n"
	    "  most senders (opportunistic TLS): delivered to mx1.example"
	    ".com\n    if mx1.example.com fails: delivered to mx2.example"
	    ".com\n",
	    "smtp text: hostile, whole");
	o = smtp_of(&f, 0);
	ok(json_safe(o), "smtp json: hostile banner, EHLO, TLS, valid UTF-8");
	is_str(member(o, 0, "banner"),
	    "{\"code\":220,\"enhanced_code\":null,\"text\":[\"mx2 \\\\x1b"
	    "[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\"]}",
	    "smtp json: hostile banner escaped");
	is_str(member(o, 0, "tls"),
	    "{\"version\":\"TLSv1.3\\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\"
	    "xc3(\",\"cipher\":\"TLS_AES_256_GCM_SHA384\",\"group\":\"X25"
	    "519\",\"verify_ok\":false,\"verify_error\":\"bad\\\\x1b[2J\\"
	    "\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\",\"name_checked\":\"mx1.exam"
	    "ple.com\",\"name_ok\":true,\"name_matched\":\"mx1.example.co"
	    "m\",\"chain\":[{\"subject\":\"CN=\\\\x1b[2J\\\\x0d\\\\x0aOK|"
	    "\\\\xff\\\\xc3(\",\"issuer\":\"CN=ca\\\\x1b[2J\\\\x0d\\\\x0a"
	    "OK|\\\\xff\\\\xc3(\",\"san\":[\"x\\\\x1b[2J\\\\x0d\\\\x0aOK|"
	    "\\\\xff\\\\xc3(\"],\"key_type\":\"EC\",\"key_bits\":256,\"no"
	    "t_before\":\"2026-01-01T00:00:00Z\",\"not_after\":\"2027-01-"
	    "01T00:00:00Z\",\"days_left\":30,\"self_signed\":true}]}",
	    "smtp json: hostile certificate");
	json_object_put(o);
	o = smtp_of(&f, 1);
	ok(json_safe(o), "smtp json: hostile reply, valid UTF-8");
	is_str(member(o, 0, "refusal"),
	    "{\"code\":454,\"enhanced_code\":\"4.7.0\",\"text\":[\"4.7.0 "
	    "no\\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\"],\"step\":\"s"
	    "tarttls\",\"temporary\":true,\"about_client\":false}",
	    "smtp json: hostile reply escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
