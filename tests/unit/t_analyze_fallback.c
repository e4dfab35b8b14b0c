/*
 * Unit tests for src/analyze/analyze_fallback.c over literal facts: up to
 * three exchangers with one address each (mx1 preference 10, mx2 20,
 * mx3 30, each its own group unless a case says otherwise), their
 * sessions as the probe would record them, and the FALLBACK_*,
 * FAILOVER_*, ASSUME_DOWN_NOT_MX and SMTP_UNTESTED_HERE findings.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "util/buf.h"
#include "findings_codes.h"
#include "tap.h"

#define NH	3

static struct mx_host hosts[NH];
static struct mx_addr addrs[NH];
static struct mx_set mx;
static struct probe_target targets[NH];
static struct smtp_result res[NH];
static struct probe_facts facts;

/* n exchangers in distinct /24s, each answering with TLS 1.3. */
static void
setup(size_t n)
{
	size_t i;

	memset(hosts, 0, sizeof(hosts));
	memset(addrs, 0, sizeof(addrs));
	memset(&mx, 0, sizeof(mx));
	memset(targets, 0, sizeof(targets));
	memset(res, 0, sizeof(res));
	memset(&facts, 0, sizeof(facts));
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.hosts = hosts;
	mx.nhost = n;
	for (i = 0; i < n; i++) {
		hosts[i].name = i == 0 ? "mx1.ex.test" : i == 1 ?
		    "mx2.ex.test" : "mx3.ex.test";
		hosts[i].pref = (uint16_t)(10 * (i + 1));
		hosts[i].group = (unsigned)i;
		hosts[i].addrs = &addrs[i];
		hosts[i].naddr = 1;
		addrs[i].family = AF_INET;
		addrs[i].addr[0] = 198;
		addrs[i].addr[1] = 51;
		addrs[i].addr[2] = (unsigned char)(100 + i);
		addrs[i].addr[3] = 1;
		inet_ntop(AF_INET, addrs[i].addr, addrs[i].text,
		    sizeof(addrs[i].text));
		targets[i].host = i;
		targets[i].smtp = &res[i];
		res[i].outcome = SMTP_OK;
		res[i].why = "";
		res[i].banner.code = 220;
		res[i].ehlo_ok = res[i].ehlo_tls_ok = 1;
		res[i].starttls_offered = 1;
		res[i].tls_done = 1;
		res[i].tls.verify_ok = 1;
		res[i].tls.name_ok = 1;
		res[i].tls.version = "TLSv1.3";
	}
	facts.domain = "ex.test";
	facts.mx = &mx;
	facts.targets = targets;
	facts.ntargets = n;
	facts.smtp_probed = 1;
}

static void
down(size_t i)
{
	res[i].outcome = SMTP_REFUSED;
	res[i].step = SMTP_STEP_CONNECT;
	res[i].banner.code = 0;
	res[i].ehlo_ok = res[i].ehlo_tls_ok = 0;
	res[i].starttls_offered = 0;
	res[i].tls_done = 0;
}

/* Both checks, as analyze_smtp() runs them; now: the host delivered to. */
static struct findings *
run(long now, const char *want, const char *name)
{
	struct findings *fs = findings_new();
	struct buf *b = buf_new(256);

	analyze_fallback_spread(&facts, fs);
	analyze_fallback(&facts, now, fs);
	codes(fs, b);
	is_str(buf_str(b), want, name);
	buf_free(b);
	return fs;
}

static void
test_spread(void)
{
	struct findings *fs;

	setup(2);
	fs = run(0, "", "two exchangers, two networks: no finding");
	findings_free(fs);

	setup(1);
	fs = run(0, "FALLBACK_SINGLE_EXCHANGER", "one exchanger");
	finding_says(fs, 0, "ex.test", "one exchanger on one address "
	    "(198.51.100.1): no fallback", "single");
	findings_free(fs);

	setup(2);
	addrs[1].addr[2] = 100;
	addrs[1].addr[3] = 2;
	strcpy(addrs[1].text, "198.51.100.2");
	fs = run(0, "FALLBACK_SAME_NETWORK", "two exchangers in one /24");
	finding_says(fs, 0, "ex.test", "All 2 addresses of the exchangers of "
	    "ex.test are in one /24 network (198.51.100.1)", "same network");
	findings_free(fs);

	/* One host with two addresses in one /24: one exchanger, not
	 * "one network for all" (that needs two hosts). */
	setup(2);
	hosts[0].naddr = 2;
	mx.nhost = 1;
	facts.ntargets = 1;
	addrs[1].addr[2] = 100;
	fs = run(0, "", "one host, two addresses in a /24: no spread "
	    "finding");
	findings_free(fs);

	setup(2);
	hosts[0].ip_literal = 1;
	fs = run(0, "FALLBACK_SINGLE_EXCHANGER", "an IP literal does not "
	    "count");
	findings_free(fs);

	setup(1);
	fs = findings_new();
	findings_add(fs, F_MX_NO_REDUNDANCY, "ex.test", "said before");
	analyze_fallback_spread(&facts, fs);
	is_int(findings_count(fs), 1, "MX_NO_REDUNDANCY already said: no "
	    "spread finding");
	findings_free(fs);

	setup(2);
	hosts[1].naddr = 0;
	fs = run(0, "FALLBACK_SINGLE_EXCHANGER", "a host without an address "
	    "does not count");
	findings_free(fs);
}

static void
test_down(void)
{
	struct findings *fs;

	setup(2);
	down(1);
	fs = run(0, "FALLBACK_BACKUP_DOWN", "backup refuses connections");
	finding_says(fs, 0, "mx2.ex.test", "The backup exchanger mx2.ex.test "
	    "(preference 20) does not answer.", "backup down");
	is_int(finding_def(F_FALLBACK_BACKUP_DOWN)->sev, SEV_WARNING,
	    "a backup down is a warning");
	findings_free(fs);

	setup(2);
	down(1);
	res[1].outcome = SMTP_BANNER_TEMPFAIL;
	fs = run(0, "", "backup refusing for now (4xx greeting): not down");
	findings_free(fs);

	setup(2);
	down(0);
	fs = run(1, "", "the primary down is not a fallback finding");
	findings_free(fs);

	setup(2);
	targets[1].smtp = NULL;
	fs = run(0, "", "backup not probed: no verdict");
	findings_free(fs);

	setup(2);
	down(1);
	targets[1].skipped = PROBE_SKIP_NO_ROUTE_6;
	fs = run(0, "", "backup not routable from here: no verdict");
	findings_free(fs);

	/* Equal preference, unequal health. */
	setup(3);
	hosts[1].group = 0;
	hosts[1].pref = 10;
	hosts[2].group = 1;
	down(1);
	fs = run(0, "FALLBACK_GROUP_UNEQUAL", "one of two at preference 10 "
	    "down");
	finding_says(fs, 0, "ex.test", "Of the exchangers with preference 10, "
	    "1 answer and 1 do not", "group unequal");
	findings_free(fs);

	setup(3);
	hosts[2].group = 1;
	hosts[2].pref = 20;
	down(2);
	fs = run(0, "FALLBACK_BACKUP_DOWN FALLBACK_GROUP_UNEQUAL", "a backup "
	    "group half down");
	finding_says(fs, 1, "ex.test", "preference 20, 1 answer and 1 do not",
	    "backup group");
	findings_free(fs);

	setup(2);
	hosts[1].group = 0;
	hosts[1].pref = 10;
	fs = run(0, "", "two equal exchangers, both up: no finding");
	findings_free(fs);
}

static void
test_parity(void)
{
	struct findings *fs;

	setup(2);
	res[1].starttls_offered = 0;
	res[1].tls_done = 0;
	res[1].outcome = SMTP_STARTTLS_NOT_OFFERED;
	fs = run(0, "FALLBACK_BACKUP_NO_STARTTLS", "backup without STARTTLS");
	finding_says(fs, 0, "mx2.ex.test", "The primary mx1.ex.test offers "
	    "STARTTLS, the backup mx2.ex.test does not", "no STARTTLS");
	findings_free(fs);

	setup(2);
	res[1].tls.verify_ok = 0;
	res[1].tls.verify_error_str = "self-signed certificate";
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup certificate untrusted");
	finding_says(fs, 0, "mx2.ex.test", "does not verify (self-signed "
	    "certificate); the primary's does", "weaker: verify");
	findings_free(fs);

	setup(2);
	res[1].tls.name_ok = 0;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup certificate misnamed");
	finding_says(fs, 0, "mx2.ex.test", "certificate does not match its "
	    "name", "weaker: name");
	findings_free(fs);

	setup(2);
	res[1].tls.version = "TLSv1.2";
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup TLS 1.2, primary 1.3");
	finding_says(fs, 0, "mx2.ex.test", "negotiates TLSv1.2, the primary "
	    "TLSv1.3", "weaker: version");
	findings_free(fs);

	setup(2);
	res[0].tls.version = "TLSv1.2";
	res[1].tls.version = "TLSv1.3";
	fs = run(0, "", "backup stronger than the primary: no finding");
	findings_free(fs);

	setup(2);
	res[1].tls_done = 0;
	res[1].outcome = SMTP_TLS_FAILED;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "TLS fails on the backup only");
	finding_says(fs, 0, "mx2.ex.test", "TLS works with the primary but "
	    "not with the backup mx2.ex.test", "weaker: no TLS");
	findings_free(fs);

	setup(2);
	res[0].ehlo_tls.ext[SMTP_EXT_SIZE] = 1;
	res[0].ehlo_tls.size = 52428800;
	res[1].ehlo_tls.ext[SMTP_EXT_SIZE] = 1;
	res[1].ehlo_tls.size = 10240000;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup SIZE smaller");
	finding_says(fs, 0, "mx2.ex.test", "takes messages up to 10240000 "
	    "octets, the primary up to 52428800", "weaker: SIZE");
	findings_free(fs);

	setup(2);
	res[0].ehlo_tls.ext[SMTP_EXT_SIZE] = 1;
	res[0].ehlo_tls.size = 52428800;
	res[1].ehlo_tls.ext[SMTP_EXT_SIZE] = 1;
	res[1].ehlo_tls.size = 0;
	fs = run(0, "", "backup SIZE without a limit: not smaller");
	findings_free(fs);

	setup(2);
	res[0].ehlo_tls.ext[SMTP_EXT_SMTPUTF8] = 1;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup lacks SMTPUTF8");
	finding_says(fs, 0, "mx2.ex.test", "lacks SMTPUTF8",
	    "weaker: SMTPUTF8");
	findings_free(fs);

	setup(2);
	res[0].ehlo_tls.ext[SMTP_EXT_8BITMIME] = 1;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "backup lacks 8BITMIME");
	finding_says(fs, 0, "mx2.ex.test", "lacks 8BITMIME",
	    "weaker: 8BITMIME");
	findings_free(fs);

	/* Without TLS the keywords before TLS count. */
	setup(2);
	res[0].tls_done = res[1].tls_done = 0;
	res[0].starttls_offered = res[1].starttls_offered = 0;
	res[0].outcome = res[1].outcome = SMTP_STARTTLS_NOT_OFFERED;
	res[0].ehlo.ext[SMTP_EXT_8BITMIME] = 1;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "in clear: EHLO before TLS "
	    "compared");
	findings_free(fs);

	setup(2);
	addrs[0].family = AF_INET6;
	fs = run(0, "FALLBACK_BACKUP_WEAKER", "primary has IPv6, backup not");
	finding_says(fs, 0, "mx2.ex.test", "The primary has an IPv6 address, "
	    "the backup mx2.ex.test does not", "weaker: IPv6");
	findings_free(fs);

	/* Compared with the host mail goes to now: the primary down, the
	 * second compared with the third. */
	setup(3);
	down(0);
	res[2].tls.version = "TLSv1.2";
	fs = run(1, "FALLBACK_BACKUP_WEAKER", "compared with the host now "
	    "delivered to");
	finding_says(fs, 0, "mx3.ex.test", "the primary TLSv1.3", "now: mx2");
	findings_free(fs);

	setup(2);
	res[1].tls.version = "TLSv1.2";
	fs = run(-1, "", "no host delivered to: no parity");
	findings_free(fs);
}

static void
test_assume_down(void)
{
	static const char *a_mx1[] = { "mx1.ex.test", NULL };
	static const char *a_mx1dot[] = { "MX1.ex.test.", NULL };
	static const char *a_both[] = { "mx1.ex.test", "mx2.ex.test", NULL };
	static const char *a_other[] = { "mail.other.test", NULL };
	struct findings *fs;

	setup(2);
	facts.assume_down = a_mx1;
	fs = run(0, "", "mx1 assumed down, mx2 takes over");
	findings_free(fs);

	setup(2);
	facts.assume_down = a_mx1dot;
	down(1);
	fs = run(0, "FALLBACK_BACKUP_DOWN FAILOVER_NO_TAKEOVER", "mx1 assumed "
	    "down (any case, trailing dot), mx2 down");
	finding_says(fs, 1, "ex.test", "With MX1.ex.test. down, no other "
	    "exchanger of ex.test would take the mail.", "no takeover");
	is_int(finding_def(F_FAILOVER_NO_TAKEOVER)->sev, SEV_CRITICAL,
	    "no takeover is critical");
	findings_free(fs);

	setup(2);
	facts.assume_down = a_both;
	fs = run(0, "FAILOVER_NO_TAKEOVER", "every exchanger assumed down");
	finding_says(fs, 0, "ex.test", "With mx1.ex.test and the others "
	    "assumed down, no other exchanger", "no takeover, several");
	findings_free(fs);

	setup(2);
	facts.assume_down = a_other;
	fs = run(0, "ASSUME_DOWN_NOT_MX", "--assume-down names no exchanger");
	finding_says(fs, 0, "mail.other.test", "--assume-down mail.other.test "
	    "names no exchanger of ex.test; the rehearsal ignores it.", "not "
	    "an MX");
	findings_free(fs);

	/* mx2 could not be tested from here (no route): not known. */
	setup(2);
	facts.assume_down = a_mx1;
	down(1);
	targets[1].skipped = PROBE_SKIP_NO_ROUTE_6;
	targets[1].smtp = NULL;
	fs = run(0, "SMTP_UNTESTED_HERE", "the backup left is untested here");
	finding_says(fs, 0, "mx1.ex.test", "mx2.ex.test could not be tested "
	    "from here", "untested");
	findings_free(fs);

	setup(2);
	facts.assume_down = a_mx1;
	down(1);
	res[1].no_route = 1;
	fs = run(0, "SMTP_UNTESTED_HERE", "the connect failed here with no "
	    "route");
	findings_free(fs);
}

int
main(void)
{
	test_spread();
	test_down();
	test_parity();
	test_assume_down();
	return tap_done();
}
