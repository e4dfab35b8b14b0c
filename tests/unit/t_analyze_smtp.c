/*
 * Unit tests for src/analyze/analyze_smtp.c and src/analyze/score.c over literal facts:
 * the verdicts that the lab cannot stage on loopback (a network that
 * blocks port 25, certificates about to expire, TLS 1.0) and the
 * score's caps.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
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
test_score(void)
{
	struct findings *fs = findings_new();
	struct score sc;
	int i;

	/* A category cannot lose more than its weight. */
	for (i = 0; i < 10; i++)
		findings_add(fs, F_TLS_NO_STARTTLS, "x", "x");
	score_compute(fs, &sc);
	is_int(sc.lost[SCORE_TRANSPORT], 25, "transport loses at most 25");
	is_int(sc.value, 75, "score 75");
	is_int(sc.points[0] + sc.points[1] + sc.points[2] + sc.points[3], 25,
	    "points traced to the findings that cost them");
	is_int(sc.points[9], 0, "later findings cost nothing more");
	is_str(sc.grade, "C", "grade C");
	score_free(&sc);
	findings_free(fs);

	fs = findings_new();
	findings_add(fs, F_MX_NULL, "x", "x");
	score_compute(fs, &sc);
	ok(!sc.valid, "null MX: no score");
	score_free(&sc);
	findings_free(fs);
}

int
main(void)
{
	test_port25_blocked();
	test_certificates();
	test_outcomes();
	test_score();
	return tap_done();
}
