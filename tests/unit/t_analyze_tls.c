/*
 * Unit tests for src/analyze/analyze_tls.c over literal facts: one
 * exchanger address, its session as the probe would record it, and the
 * TLS_* findings analyze_tls_target() raises for it.
 */
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "facts/tls_facts.h"
#include "util/buf.h"
#include "findings_codes.h"
#include "tap.h"

static struct mx_host host;
static struct mx_addr addr;
static struct mx_set mx;
static struct probe_target target;
static struct smtp_result res, legacy;
static struct tls_cert_facts leaf;
static struct probe_facts facts;
static struct probe_tlsa tlsa;
static struct dns_rr tlsa_rr;
static char *sans[] = { "other.ex.test" };

#define SUBJ	"mx.ex.test[192.0.2.1]"

/* One exchanger with one address and a healthy TLS 1.3 session. */
static void
setup(enum smtp_outcome o)
{
	memset(&host, 0, sizeof(host));
	memset(&addr, 0, sizeof(addr));
	memset(&mx, 0, sizeof(mx));
	memset(&target, 0, sizeof(target));
	memset(&res, 0, sizeof(res));
	memset(&legacy, 0, sizeof(legacy));
	memset(&leaf, 0, sizeof(leaf));
	memset(&facts, 0, sizeof(facts));
	memset(&tlsa, 0, sizeof(tlsa));
	memset(&tlsa_rr, 0, sizeof(tlsa_rr));
	addr.family = AF_INET;
	addr.addr[0] = 192;
	addr.addr[2] = 2;
	addr.addr[3] = 1;
	strcpy(addr.text, "192.0.2.1");
	host.name = "mx.ex.test";
	host.pref = 10;
	host.addrs = &addr;
	host.naddr = 1;
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.hosts = &host;
	mx.nhost = 1;
	target.smtp = &res;
	res.outcome = o;
	res.why = "";
	res.banner.code = 220;
	res.ehlo_ok = 1;
	res.starttls_offered = o != SMTP_STARTTLS_NOT_OFFERED;
	res.tls_done = o == SMTP_OK;
	res.ehlo_tls_ok = o == SMTP_OK;
	leaf.subject = "CN=mx.ex.test";
	leaf.issuer = "CN=Test CA";
	leaf.days_left = 300;
	strcpy(leaf.not_after, "2027-10-01T00:00:00Z");
	res.tls.chain = &leaf;
	res.tls.nchain = 1;
	res.tls.verify_ok = 1;
	res.tls.verify_error_str = "ok";
	res.tls.name_ok = 1;
	res.tls.version = "TLSv1.3";
	res.tls.cipher = "TLS_AES_256_GCM_SHA384";
	facts.domain = "ex.test";
	facts.mx = &mx;
	facts.targets = &target;
	facts.ntargets = 1;
	facts.smtp_probed = 1;
}

/* Authenticated DANE-EE records for the exchanger. */
static void
setup_dane(void)
{
	mx.ad = 1;
	host.ad = 1;
	tlsa.asked = 1;
	tlsa.qname = "_25._tcp.mx.ex.test";
	tlsa.out = DNS_OK;
	tlsa.ad = 1;
	tlsa_rr.type = DNS_T_TLSA;
	tlsa_rr.u.tlsa.usage = 3;
	tlsa.rr = &tlsa_rr;
	tlsa.nrr = 1;
	facts.tlsa = &tlsa;
	facts.ntlsa = 1;
	res.tls.dane_checked = 1;
	res.tls.dane_secure = 1;
	res.tls.dane_ok = 1;
	res.tls.dane_usable = 1;
}

/* The codes raised, space-separated; *one is the first finding. */
static struct findings *
run(const struct analyze_opts *o, const char *want, const char *name)
{
	struct findings *fs = findings_new();
	struct buf *b = buf_new(256);

	analyze_tls_target(&facts, &target, o, fs);
	codes(fs, b);
	is_str(buf_str(b), want, name);
	buf_free(b);
	return fs;
}

static void
test_healthy(void)
{
	struct findings *fs;

	setup(SMTP_OK);
	fs = run(NULL, "", "TLS 1.3, valid certificate: no finding");
	findings_free(fs);

	setup(SMTP_CONNECT_TIMEOUT);
	res.tls_done = 0;
	fs = run(NULL, "", "an address that does not answer: no TLS verdict");
	findings_free(fs);

	setup(SMTP_OK);
	target.smtp = NULL;
	fs = run(NULL, "", "not probed: no finding");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls_done = 0;
	fs = run(NULL, "", "no handshake recorded: no certificate verdict");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.version = "TLSv1.2";
	fs = run(NULL, "", "TLS 1.2 is not old");
	findings_free(fs);
}

static void
test_starttls(void)
{
	struct findings *fs;

	setup(SMTP_STARTTLS_NOT_OFFERED);
	fs = run(NULL, "TLS_NO_STARTTLS", "STARTTLS not offered");
	finding_says(fs, 0, SUBJ, "does not offer STARTTLS: mail to it "
	    "travels in clear", "no STARTTLS");
	is_int(finding_def(findings_get(fs, 0)->code)->sev, SEV_WARNING,
	    "no STARTTLS is a warning");
	findings_free(fs);

	setup(SMTP_STARTTLS_NOT_OFFERED);
	res.helo_fallback = 1;
	fs = run(NULL, "TLS_NO_STARTTLS", "HELO only");
	finding_says(fs, 0, SUBJ, "it speaks only HELO", "HELO only");
	findings_free(fs);

	setup(SMTP_STARTTLS_REJECTED);
	res.starttls_code = 454;
	res.reject.code = 454;
	fs = run(NULL, "TLS_STARTTLS_REJECTED", "STARTTLS answered 454");
	finding_says(fs, 0, SUBJ, "offers STARTTLS but answers it with 454",
	    "454");
	findings_free(fs);

	/* 421 closes the session: the address does not answer, no TLS
	 * verdict (analyze_smtp says it tempfails). */
	setup(SMTP_STARTTLS_REJECTED);
	res.starttls_code = 421;
	res.reject.code = 421;
	fs = run(NULL, "", "STARTTLS answered 421: not answering");
	findings_free(fs);
}

static void
test_handshake(void)
{
	struct findings *fs;

	setup(SMTP_TLS_FAILED);
	res.why = "no shared cipher";
	fs = run(NULL, "TLS_HANDSHAKE_FAILED", "handshake failed");
	finding_says(fs, 0, SUBJ, "handshake with " SUBJ " fails: no shared "
	    "cipher. Most", "handshake failed");
	findings_free(fs);

	setup(SMTP_TLS_FAILED);
	res.why = NULL;
	fs = run(NULL, "TLS_HANDSHAKE_FAILED", "handshake failed, no reason");
	finding_says(fs, 0, SUBJ, "fails: -.", "no reason: \"-\"");
	findings_free(fs);

	setup(SMTP_TLS_FAILED);
	res.why = "protocol version";
	res.legacy = &legacy;
	legacy.tls_done = 0;
	fs = run(NULL, "TLS_HANDSHAKE_FAILED", "fails with legacy too");
	finding_says(fs, 0, SUBJ, "(and with TLS 1.0/1.1 allowed too)",
	    "legacy failed too");
	findings_free(fs);

	setup(SMTP_TLS_FAILED);
	res.why = "unsupported protocol";
	res.legacy = &legacy;
	legacy.tls_done = 1;
	legacy.tls.version = "TLSv1";
	legacy.tls.cipher = "AES128-SHA";
	fs = run(NULL, "TLS_LEGACY_ONLY", "only TLS 1.0 works");
	finding_says(fs, 0, SUBJ, "completes with TLSv1 AES128-SHA", "legacy "
	    "only");
	findings_free(fs);
}

static void
test_certificate(void)
{
	struct findings *fs;
	struct analyze_opts o;

	setup(SMTP_OK);
	leaf.days_left = -3;
	strcpy(leaf.not_after, "2026-12-03T00:00:00Z");
	res.tls.verify_ok = 0;
	res.tls.verify_error_str = "certificate has expired";
	fs = run(NULL, "TLS_CERT_EXPIRED", "expired: said once");
	finding_says(fs, 0, SUBJ, "expired on 2026-12-03T00:00:00Z", "expired");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.verify_ok = 0;
	res.tls.verify_issuer_unknown = 1;
	fs = run(NULL, "TLS_CHAIN_INCOMPLETE", "leaf only");
	finding_says(fs, 0, SUBJ, "sends only its leaf certificate, issued by "
	    "CN=Test CA", "chain incomplete");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.verify_ok = 0;
	res.tls.verify_issuer_unknown = 1;
	leaf.self_signed = 1;
	leaf.issuer = leaf.subject;
	res.tls.verify_error_str = "self-signed certificate";
	fs = run(NULL, "TLS_CERT_UNTRUSTED", "self-signed: untrusted, not "
	    "incomplete");
	finding_says(fs, 0, SUBJ, "does not verify: self-signed certificate.",
	    "untrusted");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.verify_ok = 0;
	res.tls.verify_error_str = NULL;
	fs = run(NULL, "TLS_CERT_UNTRUSTED", "untrusted, no reason");
	finding_says(fs, 0, SUBJ, "does not verify. Opportunistic",
	    "untrusted, no reason");
	findings_free(fs);

	/* DANE-EE makes a private CA fine (RFC 7672 §3.1.1). */
	setup(SMTP_OK);
	setup_dane();
	res.tls.verify_ok = 0;
	res.tls.verify_error_str = "self-signed certificate";
	fs = run(NULL, "", "untrusted but DANE-authenticated: no finding");
	findings_free(fs);

	setup(SMTP_OK);
	setup_dane();
	res.tls.dane_ok = 0;
	res.tls.verify_ok = 0;
	res.tls.verify_error_str = "self-signed certificate";
	fs = run(NULL, "TLS_CERT_UNTRUSTED", "DANE mismatch: untrusted");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.name_ok = 0;
	leaf.san_dns = sans;
	leaf.nsan_dns = 1;
	fs = run(NULL, "TLS_CERT_NAME_MISMATCH", "wrong name, from the SAN");
	finding_says(fs, 0, SUBJ, "is not valid for mx.ex.test (it names "
	    "other.ex.test)", "name mismatch: SAN");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.name_ok = 0;
	leaf.subject = "CN=web.ex.test";
	fs = run(NULL, "TLS_CERT_NAME_MISMATCH", "wrong name, from the "
	    "subject");
	finding_says(fs, 0, SUBJ, "(it names CN=web.ex.test)", "name "
	    "mismatch: subject");
	findings_free(fs);

	setup(SMTP_OK);
	res.tls.name_ok = 0;
	res.tls.nchain = 0;
	fs = run(NULL, "TLS_CERT_NAME_MISMATCH", "no certificate at all");
	finding_says(fs, 0, SUBJ, "(it names nothing)", "name mismatch: no "
	    "chain");
	findings_free(fs);

	setup(SMTP_OK);
	leaf.days_left = 5;
	strcpy(leaf.not_after, "2026-12-11T00:00:00Z");
	fs = run(NULL, "TLS_CERT_EXPIRES_SOON", "5 days left");
	finding_says(fs, 0, SUBJ, "expires in 5 day(s), on "
	    "2026-12-11T00:00:00Z", "soon");
	findings_free(fs);

	setup(SMTP_OK);
	leaf.days_left = 14;
	fs = run(NULL, "", "14 days left: not below the default 14");
	findings_free(fs);

	memset(&o, 0, sizeof(o));
	o.cert_warn_days = 30;
	setup(SMTP_OK);
	leaf.days_left = 20;
	fs = run(&o, "TLS_CERT_EXPIRES_SOON", "--cert-warn-days 30: 20 left");
	findings_free(fs);

	o.cert_warn_days = ANALYZE_CERT_WARN_OFF;
	setup(SMTP_OK);
	leaf.days_left = 1;
	fs = run(&o, "", "--cert-warn-days off: no warning");
	findings_free(fs);

	o.cert_warn_days = 0;
	setup(SMTP_OK);
	leaf.days_left = 13;
	fs = run(&o, "TLS_CERT_EXPIRES_SOON", "cert_warn_days 0: the default");
	findings_free(fs);
}

static void
test_version(void)
{
	static const char *old[] = { "TLSv1", "TLSv1.1", "SSLv3" };
	struct findings *fs;
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		setup(SMTP_OK);
		res.tls.version = (char *)old[i];
		snprintf(name, sizeof(name), "%s is old", old[i]);
		fs = run(NULL, "TLS_OLD_VERSION", name);
		findings_free(fs);
	}
	setup(SMTP_OK);
	res.tls.version = "TLSv1.1";
	fs = run(NULL, "TLS_OLD_VERSION", "TLSv1.1");
	finding_says(fs, 0, SUBJ, SUBJ " negotiates TLSv1.1.", "old version "
	    "message");
	findings_free(fs);

	/* Several at once, in order. */
	setup(SMTP_OK);
	res.tls.verify_ok = 0;
	res.tls.verify_error_str = "unable to get local issuer certificate";
	res.tls.name_ok = 0;
	leaf.days_left = 2;
	res.tls.version = "TLSv1";
	fs = run(NULL, "TLS_CERT_UNTRUSTED TLS_CERT_NAME_MISMATCH "
	    "TLS_CERT_EXPIRES_SOON TLS_OLD_VERSION", "four at once");
	findings_free(fs);
}

int
main(void)
{
	test_healthy();
	test_starttls();
	test_handshake();
	test_certificate();
	test_version();
	return tap_done();
}
