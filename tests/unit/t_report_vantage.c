/*
 * Unit tests for src/report/report_vantage.c: "vantage" {ipv4, ipv6}
 * with route, source_address and why (null when unknown) and the text
 * section (route, no route with and without a loopback exchanger probed,
 * not checked, the EHLO name); a hostile EHLO name comes out escaped.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>

#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "facts/vantage_facts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

static struct buf *b;

static const char *
text(const struct probe_facts *f)
{
	buf_reset(b);
	report_vantage_text(f, b);
	return buf_str(b);
}

int
main(void)
{
	struct mx_addr lo[] = { { AF_INET, { 127, 0, 0, 1 }, "127.0.0.1",
	    60 } };
	struct mx_host h[] = { { "mx.example.com", 10, 0, 0, DNS_OK, DNS_OK,
	    NULL, 0, lo, 1, 0, 0, 0, NULL } };
	struct mx_set mx = { "example.com", DNS_OK, NULL, 60, 0, 0, 0, 0, h,
	    1, 0, NULL, DNS_OK, NULL, 0, { 0 } };
	struct smtp_result r = { .outcome = SMTP_OK, .source = "127.0.0.1",
	    .ehlo_name = "probe.example.org" };
	struct smtp_result evil = { .outcome = SMTP_OK, .source = "127.0.0.1",
	    .ehlo_name = "p\x1b[2J\r\n|\xff" };
	struct probe_target t = { 0, 0, PROBE_SKIP_NONE, &r, 0, 0, 0,
	    DNS_OK, NULL, 0 };
	struct probe_facts f = { .domain = "example.com" };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(report_vantage_json(&f),
	    "{\"ipv4\":{\"route\":\"not-checked\",\"source_address\":null"
	    ",\"why\":null},\"ipv6\":{\"route\":\"not-checked\",\"source_"
	    "address\":null,\"why\":null}}",
	    "vantage json: not checked, nulls");
	is_str(text(&f),
	    "\nVantage (this host)\n  IPv4    not checked: no connection "
	    "was due\n  IPv6    not checked: no connection was due\n",
	    "vantage text: not checked");

	f.vantage.v4.route = VANTAGE_ROUTE;
	snprintf(f.vantage.v4.source, sizeof(f.vantage.v4.source),
	    "192.0.2.9");
	f.vantage.v6.route = VANTAGE_NO_ROUTE;
	f.vantage.v6.sys_errno = ENETUNREACH;
	check_json(report_vantage_json(&f),
	    "{\"ipv4\":{\"route\":\"route\",\"source_address\":\"192.0.2."
	    "9\",\"why\":null},\"ipv6\":{\"route\":\"no-route\",\"source_"
	    "address\":null,\"why\":\"Network is unreachable\"}}",
	    "vantage json: a route and none");
	is_str(text(&f),
	    "\nVantage (this host)\n  IPv4    route to the internet, from"
	    " 192.0.2.9\n  IPv6    no route (Network is unreachable): AAA"
	    "A addresses are not tested from here, and say nothing about "
	    "the servers\n",
	    "vantage text: a route and none");

	f.mx = &mx;
	f.targets = &t;
	f.ntargets = 1;
	f.vantage.v4.route = VANTAGE_NO_ROUTE;
	f.vantage.v4.sys_errno = ENETUNREACH;
	f.vantage.v4.source[0] = '\0';
	f.vantage.v6.route = VANTAGE_ROUTE;
	is_str(text(&f),
	    "\nVantage (this host)\n  IPv4    no route (Network is unreac"
	    "hable): A addresses outside loopback are not tested from her"
	    "e, and say nothing about the servers\n  IPv6    route to the"
	    " internet\n  EHLO    probe.example.org\n",
	    "vantage text: loopback probed, EHLO name");

	t.smtp = &evil;
	s = text(&f);
	ok(text_safe(s), "vantage text: hostile EHLO name, no control byte");
	is_str(s, "\nVantage (this host)\n  IPv4    no route (Network is unreac"
	    "hable): A addresses outside loopback are not tested from her"
	    "e, and say nothing about the servers\n  IPv6    route to the"
	    " internet\n  EHLO    p\\x1b[2J\\x0d\\x0a|\\xff\n",
	    "vantage text: hostile EHLO name escaped");
	o = report_vantage_json(&f);
	ok(json_safe(o), "vantage json: valid UTF-8");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
