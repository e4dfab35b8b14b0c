/*
 * Tests for src/analyze/analyze_dane.c: literal facts in, findings out. Each case
 * is one exchanger (mx.example.test, one address) with its TLSA answer,
 * the AD bits, and optionally a finished handshake's DANE result.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"
#include "tap.h"

enum tls_state { NO_TLS, DANE_NOT_RUN, DANE_PASS, DANE_FAIL };

struct acase {
	const char		*name;
	enum dns_outcome	 mx_out;
	int			 mx_ad;		/* MX answer AD */
	int			 host_ad;	/* address answers AD */
	int			 asked;
	enum dns_outcome	 tlsa_out;
	int			 tlsa_ad;
	const char		*usages;	/* one digit per TLSA RR */
	enum tls_state		 tls;
	int			 null_mx;
	const char		*want;		/* codes raised, in order,
						 * space separated */
	const char		*want_msg;	/* substring of some message */
};

static const struct acase cases[] = {
	{ "unsigned, no TLSA", DNS_OK, 0, 0, 1, DNS_NODATA, 0, "",
	  NO_TLS, 0, "DNSSEC_UNSIGNED", "not DNSSEC-authenticated" },
	{ "signed, no TLSA", DNS_OK, 1, 1, 1, DNS_NODATA, 1, "", NO_TLS, 0,
	  "DANE_MISSING", "mx.example.test publishes no TLSA" },
	{ "signed, TLSA NXDOMAIN", DNS_OK, 1, 1, 1, DNS_NXDOMAIN, 1, "",
	  NO_TLS, 0, "DANE_MISSING", NULL },
	{ "signed, DANE matches", DNS_OK, 1, 1, 1, DNS_OK, 1, "3",
	  DANE_PASS, 0, "", NULL },
	{ "signed, TLSA, not probed (--dns-only)", DNS_OK, 1, 1, 1, DNS_OK,
	  1, "33", NO_TLS, 0, "", NULL },
	{ "signed, DANE mismatch", DNS_OK, 1, 1, 1, DNS_OK, 1, "3",
	  DANE_FAIL, 0, "DANE_MISMATCH DANE_SENDERS_DEFER",
	  "192.0.2.1 (no matching DANE TLSA records)" },
	{ "TLSA not authenticated, chain mismatch too", DNS_OK, 0, 0, 1,
	  DNS_OK, 0, "3", DANE_FAIL, 0,
	  "DNSSEC_UNSIGNED DANE_TLSA_WITHOUT_DNSSEC", "the TLSA answer" },
	{ "TLSA authenticated, MX answer not", DNS_OK, 0, 1, 1, DNS_OK, 1,
	  "3", DANE_FAIL, 0, "DNSSEC_UNSIGNED DANE_TLSA_WITHOUT_DNSSEC",
	  "the domain's MX answer" },
	{ "TLSA authenticated, addresses not", DNS_OK, 1, 0, 1, DNS_OK, 1,
	  "3", DANE_PASS, 0, "DANE_TLSA_WITHOUT_DNSSEC",
	  "address answer" },
	{ "usage 1 only", DNS_OK, 1, 1, 1, DNS_OK, 1, "1", DANE_NOT_RUN, 0,
	  "DANE_USAGE_NOT_FOR_SMTP", "all 1 TLSA records" },
	{ "usage 0 beside 3", DNS_OK, 1, 1, 1, DNS_OK, 1, "03", DANE_PASS,
	  0, "DANE_USAGE_NOT_FOR_SMTP", "senders ignore those" },
	{ "usage 1 and a mismatching 2", DNS_OK, 1, 1, 1, DNS_OK, 1, "12",
	  DANE_FAIL, 0, "DANE_USAGE_NOT_FOR_SMTP DANE_MISMATCH "
	  "DANE_SENDERS_DEFER", NULL },
	{ "TLSA SERVFAIL in a signed domain", DNS_OK, 1, 1, 1, DNS_SERVFAIL,
	  0, "", NO_TLS, 0, "DANE_LOOKUP_FAILED", "DANE senders defer" },
	{ "TLSA timeout, unsigned", DNS_OK, 0, 0, 1, DNS_TIMEOUT, 0, "",
	  NO_TLS, 0, "DNSSEC_UNSIGNED DANE_LOOKUP_FAILED", "got TIMEOUT." },
	{ "host not asked (IP literal)", DNS_OK, 1, 1, 0, DNS_TIMEOUT, 0, "",
	  NO_TLS, 0, "", NULL },
	{ "MX lookup failed: nothing", DNS_SERVFAIL, 0, 0, 0, DNS_TIMEOUT,
	  0, "", NO_TLS, 0, "", NULL },
	{ "null MX: nothing", DNS_OK, 0, 0, 0, DNS_TIMEOUT, 0, "", NO_TLS, 1,
	  "", NULL },
};

#define NCASES	(sizeof(cases) / sizeof(cases[0]))

static void
run(const struct acase *c)
{
	struct mx_set mx;
	struct mx_host host;
	struct mx_addr addr;
	struct probe_facts f;
	struct probe_tlsa t;
	struct probe_target tg;
	struct smtp_result res;
	struct dns_rr rr[4];
	unsigned char data[32];
	struct findings *fs;
	char got[256];
	size_t i;
	int msg_ok = 0;

	memset(&mx, 0, sizeof(mx));
	memset(&host, 0, sizeof(host));
	memset(&addr, 0, sizeof(addr));
	memset(&f, 0, sizeof(f));
	memset(&t, 0, sizeof(t));
	memset(&tg, 0, sizeof(tg));
	memset(&res, 0, sizeof(res));
	memset(rr, 0, sizeof(rr));
	memset(data, 0xab, sizeof(data));

	addr.family = AF_INET;
	snprintf(addr.text, sizeof(addr.text), "192.0.2.1");
	host.name = c->null_mx ? "." : "mx.example.test";
	host.ad = c->host_ad;
	host.addrs = &addr;
	host.naddr = 1;
	mx.domain = "example.test";
	mx.outcome = c->mx_out;
	mx.ad = c->mx_ad;
	mx.null_mx = c->null_mx;
	mx.nnull = c->null_mx ? 1 : 0;
	mx.hosts = &host;
	mx.nhost = 1;
	f.domain = "example.test";
	f.mx = &mx;
	t.asked = c->asked;
	t.qname = "_25._tcp.mx.example.test";
	t.out = c->tlsa_out;
	t.ad = c->tlsa_ad;
	for (i = 0; c->usages[i] != '\0' && i < 4; i++) {
		rr[i].type = DNS_T_TLSA;
		rr[i].u.tlsa.usage = (uint8_t)(c->usages[i] - '0');
		rr[i].u.tlsa.selector = 1;
		rr[i].u.tlsa.mtype = 1;
		rr[i].u.tlsa.data = data;
		rr[i].u.tlsa.len = sizeof(data);
	}
	t.rr = rr;
	t.nrr = i;
	f.tlsa = &t;
	f.ntlsa = 1;
	if (c->tls != NO_TLS) {
		res.outcome = SMTP_OK;
		res.tls_done = 1;
		res.tls.dane_checked = c->tls != DANE_NOT_RUN;
		res.tls.dane_ok = c->tls == DANE_PASS;
		res.tls.dane_why = c->tls == DANE_FAIL ?
		    "no matching DANE TLSA records" : NULL;
		tg.smtp = &res;
		f.targets = &tg;
		f.ntargets = 1;
		f.smtp_probed = 1;
	}

	fs = findings_new();
	analyze_dane(&f, fs);
	got[0] = '\0';
	for (i = 0; i < findings_count(fs); i++) {
		const struct finding *x = findings_get(fs, i);

		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
		    i ? " " : "", finding_def(x->code)->code);
		if (c->want_msg != NULL && strstr(x->message, c->want_msg))
			msg_ok = 1;
		if (i == 0)
			diag("  %s", x->message);
	}
	is_str(got, c->want, c->name);
	if (c->want_msg != NULL)
		ok(msg_ok, "  message says \"%s\"", c->want_msg);
	findings_free(fs);
}

int
main(void)
{
	const struct finding_def *d;
	size_t i;

	for (i = 0; i < NCASES; i++)
		run(&cases[i]);

	/* The catalogue entries the brief of each code relies on. */
	d = finding_def((enum finding_code)finding_by_name("DANE_MISMATCH"));
	ok(d->sev == SEV_WARNING && d->penalty == 20 &&
	    strcmp(d->category, "transport") == 0, "DANE_MISMATCH: warning, "
	    "transport, 20 points");
	d = finding_def((enum finding_code)finding_by_name(
	    "DANE_SENDERS_DEFER"));
	ok(d->sev == SEV_CRITICAL, "DANE_SENDERS_DEFER: critical (an outage "
	    "for DANE senders)");
	d = finding_def((enum finding_code)finding_by_name("DANE_MISSING"));
	ok(d->sev == SEV_INFO && d->penalty == 3, "DANE_MISSING: info, 3");
	d = finding_def((enum finding_code)finding_by_name("DNSSEC_UNSIGNED"));
	ok(d->sev == SEV_INFO && d->penalty == 0, "DNSSEC_UNSIGNED: info, 0");
	d = finding_def((enum finding_code)finding_by_name(
	    "DANE_LOOKUP_FAILED"));
	ok(d->sev == SEV_UNKNOWN, "DANE_LOOKUP_FAILED: unknown");
	return tap_done();
}
