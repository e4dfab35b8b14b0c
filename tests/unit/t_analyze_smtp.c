/*
 * Unit tests for src/analyze/analyze_smtp.c and src/analyze/score.c over literal facts:
 * the verdicts that the lab cannot stage on loopback (a network that
 * blocks port 25, certificates about to expire, TLS 1.0) and the
 * score they get (the score's own rules: t_score.c).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/analyze_delivery.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "analyze/score.h"
#include "facts/smtp_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static struct mx_host hosts[2];
static struct mx_addr addrs[2];
static struct mx_set mx;
static struct probe_target targets[2];
static struct smtp_result results[2];
static struct tls_cert_facts chain[2];
static struct probe_facts facts;

/* Two exchangers, one address each, both probed with the given outcome. */
static void
setup(enum smtp_outcome o1, enum smtp_outcome o2)
{
	size_t i;

	memset(hosts, 0, sizeof(hosts));
	memset(addrs, 0, sizeof(addrs));
	memset(&mx, 0, sizeof(mx));
	memset(targets, 0, sizeof(targets));
	memset(results, 0, sizeof(results));
	memset(chain, 0, sizeof(chain));
	memset(&facts, 0, sizeof(facts));
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.hosts = hosts;
	mx.nhost = 2;
	for (i = 0; i < 2; i++) {
		hosts[i].name = i == 0 ? "mx1.ex.test" : "mx2.ex.test";
		hosts[i].pref = (uint16_t)(10 * (i + 1));
		hosts[i].group = (unsigned)i;
		hosts[i].addrs = &addrs[i];
		hosts[i].naddr = 1;
		addrs[i].family = AF_INET;
		addrs[i].addr[0] = 192;
		addrs[i].addr[1] = 0;
		addrs[i].addr[2] = (unsigned char)(2 + i);
		addrs[i].addr[3] = 1;
		inet_ntop(AF_INET, addrs[i].addr, addrs[i].text,
		    sizeof(addrs[i].text));
		targets[i].host = i;
		targets[i].smtp = &results[i];
		targets[i].ptr_out = DNS_TIMEOUT;
		results[i].outcome = i == 0 ? o1 : o2;
		results[i].why = "";
		results[i].step = SMTP_STEP_CONNECT;
		results[i].ms.total_ms = 100;
		chain[i].days_left = 300;
		strcpy(chain[i].not_after, "2027-09-01T00:00:00Z");
		results[i].tls.chain = &chain[i];
		results[i].tls.nchain = 1;
		results[i].tls.verify_ok = 1;
		results[i].tls.name_ok = 1;
		results[i].tls.version = "TLSv1.3";
		if (results[i].outcome == SMTP_OK) {
			results[i].banner.code = 220;
			results[i].tls_done = 1;
			results[i].starttls_offered = 1;
			results[i].ehlo_ok = results[i].ehlo_tls_ok = 1;
		}
	}
	facts.domain = "ex.test";
	facts.mx = &mx;
	facts.targets = targets;
	facts.ntargets = 2;
	facts.smtp_probed = 1;
}

static struct findings *
run(void)
{
	struct findings *fs = findings_new();

	analyze_smtp(&facts, NULL, fs);
	return fs;
}

static void
test_port25_blocked(void)
{
	struct findings *fs;
	struct score sc;

	setup(SMTP_CONNECT_TIMEOUT, SMTP_CONNECT_TIMEOUT);
	fs = run();
	ok(findings_has(fs, F_SMTP_PORT25_BLOCKED), "every connect timed out: "
	    "port 25 probably blocked here");
	ok(!findings_has(fs, F_SMTP_NONE_ANSWERS), "no CRITICAL verdict");
	ok(!findings_has(fs, F_SMTP_UNREACHABLE), "no per-address verdict");
	is_int(findings_status(fs), 3, "status UNKNOWN");
	score_compute(fs, &sc);
	ok(!sc.valid, "no score");
	score_free(&sc);
	findings_free(fs);

	/* One refused, one timed out: the network does pass port 25. */
	setup(SMTP_REFUSED, SMTP_CONNECT_TIMEOUT);
	fs = run();
	ok(!findings_has(fs, F_SMTP_PORT25_BLOCKED), "a refusal proves port "
	    "25 passes");
	ok(findings_has(fs, F_SMTP_NONE_ANSWERS), "then nothing answers is "
	    "a verdict");
	is_int(findings_status(fs), 2, "CRITICAL");
	score_compute(fs, &sc);
	ok(sc.valid && sc.value <= SCORE_CAP_DEAD, "score capped at %d (got "
	    "%d)", SCORE_CAP_DEAD, sc.value);
	is_str(sc.grade, "F", "grade F");
	score_free(&sc);
	findings_free(fs);
}

static void
test_certificates(void)
{
	struct findings *fs;

	setup(SMTP_OK, SMTP_OK);
	fs = run();
	is_int(findings_count(fs), 0, "two healthy exchangers: no finding");
	findings_free(fs);

	setup(SMTP_OK, SMTP_OK);
	chain[0].days_left = 5;
	fs = run();
	ok(findings_has(fs, F_TLS_CERT_EXPIRES_SOON), "5 days left: expires "
	    "soon");
	ok(!findings_has(fs, F_TLS_CERT_EXPIRED), "not expired yet");
	findings_free(fs);

	setup(SMTP_OK, SMTP_OK);
	chain[0].days_left = -1;
	results[0].tls.verify_ok = 0;
	results[0].tls.verify_error_str = "certificate has expired";
	fs = run();
	ok(findings_has(fs, F_TLS_CERT_EXPIRED), "expired");
	ok(!findings_has(fs, F_TLS_CERT_EXPIRES_SOON), "expired is not "
	    "'expires soon'");
	ok(!findings_has(fs, F_TLS_CERT_UNTRUSTED), "expired is said once");
	findings_free(fs);

	setup(SMTP_OK, SMTP_OK);
	results[1].tls.version = "TLSv1";
	fs = run();
	ok(findings_has(fs, F_TLS_OLD_VERSION), "TLS 1.0 is old");
	ok(findings_has(fs, F_FALLBACK_BACKUP_WEAKER), "and a backup weaker "
	    "than the primary");
	findings_free(fs);
}

static void
test_outcomes(void)
{
	struct findings *fs;

	setup(SMTP_TIMEOUT, SMTP_OK);
	results[0].step = SMTP_STEP_EHLO;
	fs = run();
	ok(findings_has(fs, F_SMTP_TIMEOUT), "a step timed out");
	ok(findings_has(fs, F_SMTP_PRIMARY_DOWN), "primary down, backup "
	    "answers");
	is_int(analyze_delivery_host(&facts, 0), 1, "mail goes to the backup");
	findings_free(fs);

	setup(SMTP_NETWORK_ERROR, SMTP_OK);
	fs = run();
	ok(findings_has(fs, F_SMTP_UNREACHABLE), "network error is "
	    "unreachable");
	findings_free(fs);

	/* Not probed at all (--dns-only): no SMTP verdict whatsoever. */
	setup(SMTP_OK, SMTP_OK);
	targets[0].smtp = targets[1].smtp = NULL;
	facts.smtp_probed = 0;
	fs = run();
	is_int(findings_count(fs), 0, "--dns-only: no SMTP findings");
	is_int(analyze_host_answers(&facts, 0), -1, "host not probed");
	findings_free(fs);
}

static void
test_ehlo_name(void)
{
	struct findings *fs;
	char name[32];
	size_t i, n;

	ok(analyze_ehlo_name_fqdn("mail.example.com"), "mail.example.com is "
	    "an FQDN");
	ok(analyze_ehlo_name_fqdn("mail.example.com."), "so with the root "
	    "dot");
	ok(!analyze_ehlo_name_fqdn("localhost"), "localhost is not");
	ok(!analyze_ehlo_name_fqdn("probe"), "a short host name is not");
	ok(!analyze_ehlo_name_fqdn("probe."), "nor with a trailing dot");
	ok(!analyze_ehlo_name_fqdn(".example"), "a leading dot is not");
	ok(!analyze_ehlo_name_fqdn("[192.0.2.1]"), "an address literal is "
	    "not");
	ok(!analyze_ehlo_name_fqdn(""), "empty is not");
	ok(!analyze_ehlo_name_fqdn(NULL), "NULL is not");

	setup(SMTP_OK, SMTP_OK);
	strcpy(name, "probe");
	results[0].ehlo_name = results[1].ehlo_name = name;
	strcpy(results[0].source, "192.0.2.9");
	strcpy(results[1].source, "192.0.2.9");
	fs = run();
	for (i = n = 0; i < findings_count(fs); i++)
		if (findings_get(fs, i)->code == F_SMTP_EHLO_NOT_FQDN)
			n++;
	is_int((int)n, 1, "a short "
	    "EHLO name: one warning for the whole probe");
	is_int(findings_status(fs), 1, "status WARNING");
	findings_free(fs);

	strcpy(name, "probe.example.net");
	fs = run();
	ok(!findings_has(fs, F_SMTP_EHLO_NOT_FQDN), "an FQDN: no warning");
	findings_free(fs);
}

/* The recipient test: one reply each to postmaster and to a random
 * local part, on each of the two exchangers. */
static struct findings *
rcpt_run(int pm1, int any1, int pm2, int any2)
{
	static char rnd[] = "0123456789abcdef@ex.test";

	setup(SMTP_OK, SMTP_OK);
	results[0].rcpt_tested = results[1].rcpt_tested = 1;
	results[0].mail_reply.code = results[1].mail_reply.code = 250;
	results[0].rcpt_reply.code = pm1;
	results[0].rcpt_any_reply.code = any1;
	results[1].rcpt_reply.code = pm2;
	results[1].rcpt_any_reply.code = any2;
	results[0].rcpt_any = results[1].rcpt_any = rnd;
	return run();
}

static void
test_rcpt(void)
{
	struct findings *fs;

	fs = rcpt_run(250, 550, 250, 550);
	ok(!findings_has(fs, F_SMTP_RCPT_REFUSED) &&
	    !findings_has(fs, F_SMTP_RCPT_BACKUP_REFUSED) &&
	    !findings_has(fs, F_SMTP_RCPT_DEFERRED) &&
	    !findings_has(fs, F_SMTP_RCPT_ACCEPTS_ANY) &&
	    !findings_has(fs, F_SMTP_RCPT_BACKUP_ACCEPTS_ANY),
	    "postmaster taken, random refused: no recipient finding");
	findings_free(fs);

	fs = rcpt_run(554, 0, 250, 550);
	ok(findings_has(fs, F_SMTP_RCPT_REFUSED), "primary refuses "
	    "postmaster: SMTP_RCPT_REFUSED");
	ok(!findings_has(fs, F_SMTP_RCPT_BACKUP_REFUSED), "not the backup's");
	is_int(findings_status(fs), 2, "CRITICAL");
	findings_free(fs);

	fs = rcpt_run(250, 550, 554, 0);
	ok(findings_has(fs, F_SMTP_RCPT_BACKUP_REFUSED), "backup refuses "
	    "postmaster: SMTP_RCPT_BACKUP_REFUSED");
	ok(!findings_has(fs, F_SMTP_RCPT_REFUSED), "not the primary's");
	is_int(findings_status(fs), 2, "CRITICAL");
	findings_free(fs);

	fs = rcpt_run(450, 0, 250, 550);
	ok(findings_has(fs, F_SMTP_RCPT_DEFERRED), "4xx: deferred");
	ok(!findings_has(fs, F_SMTP_RCPT_REFUSED), "not refused");
	findings_free(fs);

	fs = rcpt_run(250, 550, 250, 250);
	ok(findings_has(fs, F_SMTP_RCPT_BACKUP_ACCEPTS_ANY), "backup takes "
	    "what the primary refuses: backscatter warning");
	ok(!findings_has(fs, F_SMTP_RCPT_ACCEPTS_ANY), "no info as well");
	findings_free(fs);

	fs = rcpt_run(250, 250, 250, 250);
	ok(findings_has(fs, F_SMTP_RCPT_ACCEPTS_ANY), "all take anything: "
	    "info");
	ok(!findings_has(fs, F_SMTP_RCPT_BACKUP_ACCEPTS_ANY), "no "
	    "backscatter: the primary takes it too");
	findings_free(fs);

	/* Without the test nothing is said, whatever the replies. */
	fs = rcpt_run(554, 250, 554, 250);
	findings_free(fs);
	results[0].rcpt_tested = results[1].rcpt_tested = 0;
	fs = run();
	ok(!findings_has(fs, F_SMTP_RCPT_REFUSED) &&
	    !findings_has(fs, F_SMTP_RCPT_BACKUP_REFUSED),
	    "no test, no recipient finding");
	findings_free(fs);
}

/* No route from this host (no IPv6 here): UNKNOWN, not the server's
 * fault, no outage verdict. */
static void
test_no_route(void)
{
	struct findings *fs;

	setup(SMTP_NETWORK_ERROR, SMTP_NETWORK_ERROR);
	results[0].no_route = results[1].no_route = 1;
	results[0].why = results[1].why = "Network is unreachable";
	fs = run();
	ok(findings_has(fs, F_SMTP_NO_ROUTE_HERE), "no route here: "
	    "SMTP_NO_ROUTE_HERE");
	ok(!findings_has(fs, F_SMTP_UNREACHABLE), "not SMTP_UNREACHABLE");
	ok(!findings_has(fs, F_SMTP_NONE_ANSWERS), "not an outage");
	is_int(findings_status(fs), 3, "status UNKNOWN");
	findings_free(fs);

	/* The same error with a route is the server's. */
	setup(SMTP_OK, SMTP_NETWORK_ERROR);
	results[1].why = "No route to host";
	fs = run();
	ok(!findings_has(fs, F_SMTP_NO_ROUTE_HERE), "with a route: not "
	    "about this host");
	findings_free(fs);
}

/* How many findings with code c. */
static size_t
count_code(const struct findings *fs, enum finding_code c)
{
	size_t i, n = 0;

	for (i = 0; i < findings_count(fs); i++)
		if (findings_get(fs, i)->code == c)
			n++;
	return n;
}

/* The delivery model's state and untested flag of exchanger h. */
static void
state_is(size_t h, enum delivery_mx_state want, int untested,
    const char *name)
{
	struct delivery_facts df;

	if (!ok(analyze_delivery_facts(&facts, &df), "%s: modelled", name))
		return;
	is_int(df.mx[h].state, want, name);
	is_int(df.mx[h].untested_here, untested, name);
	analyze_delivery_facts_free(&df);
}

/* Address i not tried: the run's vantage says no route to its family. */
static void
unrouted(size_t i)
{
	targets[i].smtp = NULL;
	targets[i].skipped = PROBE_SKIP_NO_ROUTE_6;
	addrs[i].family = AF_INET6;
	memset(addrs[i].addr, 0, 16);
	addrs[i].addr[0] = 0x20;
	addrs[i].addr[1] = 0x01;
	addrs[i].addr[2] = 0x0d;
	addrs[i].addr[3] = 0xb8;
	addrs[i].addr[15] = (unsigned char)(i + 1);
	inet_ntop(AF_INET6, addrs[i].addr, addrs[i].text,
	    sizeof(addrs[i].text));
}

/* One exchanger with an A (target 0) and an AAAA (target 1). */
static void
dual_stack(enum smtp_outcome v4)
{
	setup(v4, SMTP_OK);
	mx.nhost = 1;
	hosts[0].naddr = 2;
	targets[1].host = 0;
	targets[1].addr = 1;
	unrouted(1);
}

/*
 * The class of "this host has no route" (no IPv6 here), with the address
 * not tried (the vantage) and with the connect failing here: never the
 * server's fault; the exchanger is judged by its other addresses, and
 * UNKNOWN only when nothing else could be tested.
 */
static void
test_vantage(void)
{
	struct findings *fs;
	size_t i;

	/* IPv6-only exchangers, not tried. */
	setup(SMTP_OK, SMTP_OK);
	unrouted(0);
	unrouted(1);
	fs = run();
	is_int(count_code(fs, F_SMTP_NO_ROUTE_HERE), 2,
	    "not tried: SMTP_NO_ROUTE_HERE for each address");
	ok(findings_has(fs, F_SMTP_UNTESTED_HERE), "nothing tested: "
	    "SMTP_UNTESTED_HERE");
	ok(!findings_has(fs, F_SMTP_UNREACHABLE) &&
	    !findings_has(fs, F_SMTP_NONE_ANSWERS) &&
	    !findings_has(fs, F_FALLBACK_BACKUP_DOWN) &&
	    !findings_has(fs, F_SMTP_PORT25_BLOCKED),
	    "nothing blamed on the domain");
	is_int(findings_status(fs), 3, "status UNKNOWN");
	findings_free(fs);
	state_is(0, DELIVERY_MX_UNKNOWN, 1, "IPv6-only primary: unknown, "
	    "untested here");

	/* A backup that is IPv6-only, the primary fine. */
	setup(SMTP_OK, SMTP_OK);
	unrouted(1);
	fs = run();
	ok(findings_has(fs, F_SMTP_NO_ROUTE_HERE), "backup not tried: "
	    "SMTP_NO_ROUTE_HERE");
	ok(!findings_has(fs, F_FALLBACK_BACKUP_DOWN), "the backup is not "
	    "down");
	ok(!findings_has(fs, F_SMTP_UNTESTED_HERE), "the primary was "
	    "tested: no SMTP_UNTESTED_HERE");
	is_int(findings_status(fs), 0, "status OK");
	is_int(analyze_host_answers(&facts, 1), -1, "the backup: not probed");
	findings_free(fs);
	state_is(1, DELIVERY_MX_UNKNOWN, 1, "IPv6-only backup: unknown, "
	    "untested here");

	/* The primary refuses, the backup is not tested: unknown. */
	setup(SMTP_REFUSED, SMTP_OK);
	unrouted(1);
	fs = run();
	ok(findings_has(fs, F_SMTP_UNTESTED_HERE), "primary down, backup "
	    "untested: SMTP_UNTESTED_HERE");
	ok(findings_has(fs, F_SMTP_UNREACHABLE), "the primary's refusal is "
	    "said");
	ok(!findings_has(fs, F_SMTP_NONE_ANSWERS), "no outage claimed");
	is_int(findings_status(fs), 3, "status UNKNOWN");
	findings_free(fs);

	/* Every IPv4 address timed out at connect, IPv6 has no route: the
	 * port-25 diagnosis still stands. */
	setup(SMTP_CONNECT_TIMEOUT, SMTP_NETWORK_ERROR);
	results[1].no_route = 1;
	results[1].why = "Network is unreachable";
	fs = run();
	ok(findings_has(fs, F_SMTP_PORT25_BLOCKED), "timeouts and no route: "
	    "SMTP_PORT25_BLOCKED");
	findings_free(fs);

	/* A dual-stack exchanger is judged by its IPv4 address, both
	 * ways, whether the IPv6 one was not tried or failed here. */
	for (i = 0; i < 2; i++) {
		dual_stack(SMTP_OK);
		if (i == 1) {
			targets[1].smtp = &results[1];
			targets[1].skipped = PROBE_SKIP_NONE;
			results[1].outcome = SMTP_NETWORK_ERROR;
			results[1].no_route = 1;
		}
		fs = run();
		ok(findings_has(fs, F_SMTP_NO_ROUTE_HERE) &&
		    !findings_has(fs, F_SMTP_UNTESTED_HERE) &&
		    !findings_has(fs, F_SMTP_UNREACHABLE),
		    "dual stack (%s), IPv4 answers: IPv6 not tested, no "
		    "verdict on it", i ? "connect failed" : "not tried");
		is_int(findings_status(fs), 0, "status OK");
		findings_free(fs);
		state_is(0, DELIVERY_MX_ACCEPTS, 0, "accepts, by its IPv4 "
		    "address");
	}
	dual_stack(SMTP_REFUSED);
	fs = run();
	ok(findings_has(fs, F_SMTP_NONE_ANSWERS) &&
	    !findings_has(fs, F_SMTP_UNTESTED_HERE), "dual stack, IPv4 "
	    "refused: down by its IPv4 address");
	findings_free(fs);
	state_is(0, DELIVERY_MX_DOWN, 0, "down, by its IPv4 address");
}

/*
 * An address left without a session: SMTP_CUT_SHORT (no verdict) when the
 * overall deadline came first or it was never finished, nothing about it
 * when it was skipped for a reason of its own (--dns-only, -4, a CDN
 * edge, ...). Every skip reason is held to one answer.
 */
static void
test_skipped(void)
{
	static const struct {
		enum probe_skip	 skip;
		int		 cut;
	} sk[] = {
		{ PROBE_SKIP_NONE, 1 },
		{ PROBE_SKIP_UNROUTABLE, 0 },
		{ PROBE_SKIP_DNS_ONLY, 0 },
		{ PROBE_SKIP_FAMILY_4, 0 },
		{ PROBE_SKIP_FAMILY_6, 0 },
		{ PROBE_SKIP_CDN, 0 },
		{ PROBE_SKIP_DEADLINE, 1 },
		{ PROBE_SKIP_NO_FD, 0 },
		{ PROBE_SKIP_NO_ROUTE_4, 0 },
		{ PROBE_SKIP_NO_ROUTE_6, 0 },
		{ PROBE_SKIP_ADDR_CAP, 1 },
	};
	const struct finding *f;
	struct findings *fs;
	char name[128];
	size_t i, k, n;

	is_int((int)(sizeof(sk) / sizeof(sk[0])), PROBE_SKIP_COUNT,
	    "skipped: every reason is placed");
	for (i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
		setup(SMTP_OK, SMTP_OK);
		targets[1].smtp = NULL;
		targets[1].skipped = sk[i].skip;
		fs = run();
		for (n = 0, k = 0; k < findings_count(fs); k++) {
			f = findings_get(fs, k);
			if (f->code == F_SMTP_CUT_SHORT &&
			    strcmp(f->subject, "mx2.ex.test[192.0.3.1]") == 0)
				n++;
		}
		snprintf(name, sizeof(name), "skipped (%s): SMTP_CUT_SHORT %s",
		    sk[i].skip == PROBE_SKIP_NONE ? "unfinished" :
		    probe_skip_name(sk[i].skip), sk[i].cut ? "raised" :
		    "not raised");
		is_int((int)n, sk[i].cut, name);
		findings_free(fs);
	}
}

/* The message of the first finding with this code; "" if none. */
static const char *
message_of(const struct findings *fs, enum finding_code code)
{
	const struct finding *f;
	size_t i;

	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		if (f->code == code)
			return finding_message(f, 0);
	}
	return "";
}

/*
 * The handshake completed, then the server ended the session during the
 * EHLO after TLS: a drop (not a TLS failure) whose message says how the
 * TLS stream ended, for each way it can end; the backup takes the mail.
 */
static void
test_dropped_in_tls(void)
{
	static const struct {
		enum tls_close close;
		const char *want;
	} cases[] = {
		{ TLS_CLOSE_TRUNCATED, "in the middle of a TLS record of its "
		    "reply to the EHLO after TLS (ehlo-tls): the reply was cut "
		    "(a truncated TLS record, no close_notify)" },
		{ TLS_CLOSE_UNCLEAN, "closed the connection without "
		    "close_notify before its reply to the EHLO after TLS" },
		{ TLS_CLOSE_NOTIFY, "ended the TLS session with close_notify "
		    "before its reply to the EHLO after TLS" },
		{ TLS_CLOSE_NONE, "then the connection ended during the EHLO "
		    "after TLS (ehlo-tls): Connection reset by peer during "
		    "ehlo-tls." },
	};
	struct findings *fs;
	const char *m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setup(SMTP_DROPPED, SMTP_OK);
		results[0].banner.code = 220;
		results[0].ehlo_ok = results[0].starttls_offered = 1;
		results[0].tls_done = 1;
		results[0].step = SMTP_STEP_EHLO_TLS;
		results[0].tls_close = cases[i].close;
		results[0].why = "Connection reset by peer during ehlo-tls";
		fs = run();
		m = message_of(fs, F_SMTP_DROPPED);
		if (!ok(strstr(m, cases[i].want) != NULL, "dropped after TLS, "
		    "close %s: the message says how",
		    tls_close_name(cases[i].close) != NULL ?
		    tls_close_name(cases[i].close) : "none"))
			diag("  got: %s", m);
		ok(strstr(m, "mx1.ex.test[192.0.2.1] completed the TLS "
		    "handshake (TLSv1.3)") != NULL, "the handshake is said "
		    "to have completed");
		ok(!findings_has(fs, F_TLS_HANDSHAKE_FAILED), "not a TLS "
		    "failure");
		ok(findings_has(fs, F_SMTP_PRIMARY_DOWN) &&
		    !findings_has(fs, F_SMTP_NONE_ANSWERS), "the backup takes "
		    "the mail");
		findings_free(fs);
	}
}

int
main(void)
{
	test_skipped();
	test_dropped_in_tls();
	test_ehlo_name();
	test_no_route();
	test_vantage();
	test_rcpt();
	test_port25_blocked();
	test_certificates();
	test_outcomes();
	return tap_done();
}
