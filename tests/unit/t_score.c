/*
 * Unit tests for src/analyze/score.c: literal findings in, the score out.
 * The weights and grades, the category caps, the points traced to each
 * finding, the cases with no score, the bands of doc/verdicts.md (an
 * outage below every degradation, a degradation below every hygiene
 * issue), --accept, and the status with --warn/--crit (doc/scoring.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "parse/range.h"
#include "util/buf.h"
#include "tap.h"

#define OK_	0
#define WARN_	1
#define CRIT_	2
#define UNKN_	3

/* Findings of the codes given (a NULL-terminated list of names). */
static struct findings *
make(const char *const *names)
{
	struct findings *fs = findings_new();
	size_t i;
	int c;

	for (i = 0; names[i] != NULL; i++) {
		c = finding_by_name(names[i]);
		if (c < 0) {
			ok(0, "no code %s", names[i]);
			continue;
		}
		findings_add(fs, (enum finding_code)c, "ex.test", "%s",
		    names[i]);
	}
	return fs;
}

#define L(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* The score of the codes; valid is 0 when there is none. */
static struct score
score_of(const char *const *names)
{
	struct findings *fs = make(names);
	struct score sc;

	score_compute(fs, &sc);
	findings_free(fs);
	return sc;
}

static void
test_tables(void)
{
	int c, sum = 0;

	for (c = 0; c < SCORE_NCAT; c++)
		sum += score_cat_weight((enum score_cat)c);
	is_int(sum, 100, "the weights add up to 100");
	is_int(score_cat_weight(SCORE_REACHABILITY), 35, "reachability 35");
	is_int(score_cat_weight(SCORE_FALLBACK), 15, "fallback 15");
	is_int(score_cat_weight(SCORE_TRANSPORT), 25, "transport 25");
	is_int(score_cat_weight(SCORE_AUTHENTICATION), 25,
	    "authentication 25");
	for (c = 0; c < SCORE_NCAT; c++)
		is_int(score_cat_of(score_cat_name((enum score_cat)c)), c,
		    score_cat_name((enum score_cat)c));
	is_int(score_cat_of("dns"), SCORE_REACHABILITY, "dns counts in "
	    "reachability");
	is_str(score_grade(100), "A", "100: A");
	is_str(score_grade(90), "A", "90: A");
	is_str(score_grade(89), "B", "89: B");
	is_str(score_grade(80), "B", "80: B");
	is_str(score_grade(79), "C", "79: C");
	is_str(score_grade(70), "C", "70: C");
	is_str(score_grade(69), "D", "69: D");
	is_str(score_grade(60), "D", "60: D");
	is_str(score_grade(59), "F", "59: F");
	is_str(score_grade(0), "F", "0: F");
	is_str(score_class_name(SCORE_HYGIENE), "hygiene", "class hygiene");
	is_str(score_class_name(SCORE_DEGRADED), "degraded", "class degraded");
	is_str(score_class_name(SCORE_OUTAGE), "outage", "class outage");
}

static void
test_points(void)
{
	struct findings *fs;
	struct score sc;
	int i;

	sc = score_of(L("FALLBACK_SINGLE_EXCHANGER"));
	ok(sc.valid, "a score");
	is_int(sc.value, 95, "FALLBACK_SINGLE_EXCHANGER costs 5");
	is_str(sc.grade, "A", "95: A");
	ok(!sc.capped && sc.why == NULL, "not capped, no note");
	is_int(sc.cls, SCORE_HYGIENE, "hygiene");
	score_free(&sc);

	fs = findings_new();
	score_compute(fs, &sc);
	ok(sc.valid && sc.value == 100 && !sc.capped, "no finding: 100");
	is_int(sc.npoints, 0, "no points to trace");
	score_free(&sc);
	findings_free(fs);

	/* A category cannot lose more than its weight. */
	fs = findings_new();
	for (i = 0; i < 10; i++)
		findings_add(fs, F_TLS_NO_STARTTLS, "x", "x");
	score_compute(fs, &sc);
	is_int(sc.lost[SCORE_TRANSPORT], 25, "transport loses at most 25");
	is_int(sc.value, 75, "score 75");
	is_int(sc.points[0] + sc.points[1] + sc.points[2] + sc.points[3], 25,
	    "points traced to the findings that cost them");
	is_int(sc.points[2], 5, "the third what is left of the part");
	is_int(sc.points[3], 0, "the fourth nothing: the part is spent");
	is_int(sc.points[9], 0, "later findings cost nothing more");
	is_str(sc.grade, "C", "grade C");
	score_free(&sc);
	findings_free(fs);

	/* A "dns" finding is taken from reachability; an INFO at 0 and an
	 * UNKNOWN-free authentication finding cost as listed. */
	sc = score_of(L("MX_TARGET_CNAME", "SPF_SOFTFAIL_ALL", "DMARC_NO_RUA",
	    "DNS_ANSWER_CUT"));
	is_int(sc.lost[SCORE_REACHABILITY], 5, "MX_TARGET_CNAME: "
	    "reachability");
	is_int(sc.lost[SCORE_AUTHENTICATION], 2, "DMARC_NO_RUA 2, "
	    "SPF_SOFTFAIL_ALL 0");
	is_int(sc.points[1], 0, "a finding without penalty costs 0");
	is_int(sc.points[3], 0, "an INFO dns finding costs 0");
	is_int(sc.value, 93, "100 - 5 - 2");
	score_free(&sc);

	/* Several parts spent at once, all in the hygiene band. */
	sc = score_of(L("SPF_PASS_ALL", "SPF_SYNTAX_ERROR", "DMARC_MISSING",
	    "TLS_NO_STARTTLS", "TLS_HANDSHAKE_FAILED", "TLS_CERT_EXPIRED"));
	is_int(sc.lost[SCORE_AUTHENTICATION], 25, "authentication spent");
	is_int(sc.lost[SCORE_TRANSPORT], 25, "transport spent");
	is_int(sc.points[2], 0, "DMARC_MISSING after the part is spent: 0");
	is_int(sc.value, 70, "50 lifted to 70: mail is delivered");
	ok(sc.capped, "capped");
	is_str(sc.why, "mail is delivered; what is left is hygiene: at least "
	    "70", "the note says why");
	is_int(sc.cls, SCORE_HYGIENE, "critical authentication findings are "
	    "hygiene");
	score_free(&sc);
}

static void
test_no_score(void)
{
	struct findings *fs;
	struct score sc;

	sc = score_of(L("MX_LOOKUP_FAILED", "DMARC_MISSING"));
	ok(!sc.valid, "MX lookup failed: no score");
	is_str(sc.grade, "-", "grade -");
	is_str(sc.why, "the MX records could not be read: no score",
	    "MX lookup: the note");
	score_free(&sc);

	sc = score_of(L("DMARC_LOOKUP_FAILED", "TLS_NO_STARTTLS"));
	ok(!sc.valid, "an UNKNOWN finding: no score");
	ok(sc.why != NULL && strstr(sc.why, "a check could not be made") !=
	    NULL, "UNKNOWN: the note");
	score_free(&sc);

	sc = score_of(L("SMTP_PORT25_BLOCKED"));
	ok(!sc.valid, "port 25 blocked (an UNKNOWN finding): no score");
	score_free(&sc);

	/* Accepted, it sets no status, and still leaves nothing to judge. */
	fs = make(L("SMTP_PORT25_BLOCKED"));
	findings_accept(fs, "SMTP_PORT25_BLOCKED");
	score_compute(fs, &sc);
	ok(!sc.valid, "port 25 blocked, accepted: no score");
	ok(sc.why != NULL && strstr(sc.why, "port 25") != NULL, "port 25: the "
	    "note");
	score_free(&sc);
	findings_free(fs);

	fs = make(L("MX_NULL"));
	findings_accept(fs, "MX_NULL");
	score_compute(fs, &sc);
	ok(!sc.valid, "null MX, accepted: no score");
	score_free(&sc);
	findings_free(fs);

	sc = score_of(L("MX_NULL"));
	ok(!sc.valid, "null MX: no score");
	is_str(sc.why, "the domain accepts no mail (null MX): no score",
	    "null MX: the note");
	score_free(&sc);

	sc = score_of(L("MX_NULL", "DMARC_MISSING", "SPF_MISSING"));
	ok(!sc.valid, "null MX with authentication findings: no score");
	score_free(&sc);
}

static void
test_bands(void)
{
	static const char *const dead_codes[] = { "DOMAIN_NXDOMAIN", "MX_NONE",
	    "MX_NO_USABLE_EXCHANGER", "SMTP_NONE_ANSWERS" };
	struct score sc, out, deg, hyg;
	size_t i;
	char name[80];

	for (i = 0; i < sizeof(dead_codes) / sizeof(dead_codes[0]); i++) {
		sc = score_of(L(dead_codes[i]));
		snprintf(name, sizeof(name), "%s: at most 20", dead_codes[i]);
		ok(sc.valid && sc.value <= SCORE_CAP_DEAD, "%s (got %d)", name,
		    sc.value);
		is_str(sc.grade, "F", "grade F");
		score_free(&sc);
	}
	/* MX_NONE costs 100 anyway; MX_NO_USABLE_EXCHANGER alone costs 35
	 * and the cap brings 65 to 20. */
	sc = score_of(L("MX_NO_USABLE_EXCHANGER"));
	is_int(sc.value, SCORE_CAP_DEAD, "no usable exchanger: 65 capped "
	    "to 20");
	ok(sc.capped, "capped");
	is_str(sc.why, "no exchanger can receive mail: capped at 20 (grade F)",
	    "dead: the note");
	score_free(&sc);

	/* An outage for a class of sender: a CRITICAL outside
	 * authentication. */
	sc = score_of(L("MTASTS_CERT_INVALID"));
	is_int(sc.cls, SCORE_OUTAGE, "MTASTS_CERT_INVALID: outage");
	is_int(sc.value, 20, "80 capped to 20");
	ok(sc.capped && strstr(sc.why, "a class of sender") != NULL,
	    "outage: the note");
	score_free(&sc);

	/* A degradation: 21 to 69. */
	sc = score_of(L("FALLBACK_BACKUP_DOWN"));
	is_int(sc.cls, SCORE_DEGRADED, "FALLBACK_BACKUP_DOWN: degraded");
	is_int(sc.value, SCORE_TOP_DEGRADED, "90 capped to 69");
	is_str(sc.why, "delivery is degraded: capped at 69", "degraded: the "
	    "note");
	score_free(&sc);

	sc = score_of(L("SMTP_UNREACHABLE", "SMTP_UNREACHABLE",
	    "SMTP_UNREACHABLE", "SMTP_UNREACHABLE", "FALLBACK_BACKUP_DOWN",
	    "FALLBACK_BACKUP_DOWN", "TLS_NO_STARTTLS", "TLS_NO_STARTTLS",
	    "TLS_NO_STARTTLS", "DMARC_MISSING", "SPF_MISSING"));
	is_int(sc.cls, SCORE_DEGRADED, "everything lost, still degraded");
	is_int(sc.value, SCORE_CAP_DEAD + 1, "0 lifted to 21: degraded, not "
	    "out");
	is_str(sc.why, "delivery is degraded, not out: at least 21",
	    "degraded floor: the note");
	score_free(&sc);

	sc = score_of(L("SMTP_TEMPFAIL", "TLS_NO_STARTTLS"));
	is_int(sc.value, 69, "85 in the degraded band: 69");
	score_free(&sc);

	sc = score_of(L("SMTP_TEMPFAIL", "DMARC_MISSING", "SPF_MISSING",
	    "TLS_NO_STARTTLS"));
	is_int(sc.value, 60, "60 stays: inside the degraded band");
	ok(!sc.capped, "not capped");
	score_free(&sc);

	/* The ranking: an outage below a degradation below hygiene,
	 * whatever else is wrong. */
	out = score_of(L("MTASTS_CERT_INVALID"));
	deg = score_of(L("SMTP_TEMPFAIL", "SMTP_TEMPFAIL", "SMTP_TEMPFAIL",
	    "SMTP_TEMPFAIL", "SMTP_TEMPFAIL", "SMTP_TEMPFAIL", "SMTP_TEMPFAIL",
	    "FALLBACK_BACKUP_DOWN", "FALLBACK_BACKUP_DOWN",
	    "TLS_NO_STARTTLS", "TLS_NO_STARTTLS", "TLS_NO_STARTTLS",
	    "DMARC_MISSING", "SPF_PASS_ALL"));
	hyg = score_of(L("SPF_PASS_ALL", "DMARC_MISSING", "TLS_NO_STARTTLS",
	    "TLS_NO_STARTTLS", "TLS_NO_STARTTLS", "FALLBACK_SINGLE_EXCHANGER",
	    "MX_TARGET_CNAME"));
	ok(out.value < deg.value, "an outage (%d) ranks below a degradation "
	    "(%d)", out.value, deg.value);
	ok(deg.value < hyg.value, "a degradation (%d) ranks below hygiene "
	    "(%d)", deg.value, hyg.value);
	score_free(&out);
	score_free(&deg);
	score_free(&hyg);

	/* The worked example of doc/scoring.md loses 39 points; its findings
	 * are all hygiene, so the band lifts the number to 70. */
	sc = score_of(L("MX_TARGET_CNAME", "FALLBACK_SINGLE_EXCHANGER",
	    "TLS_NO_STARTTLS", "MTASTS_MISSING", "TLSRPT_MISSING",
	    "DMARC_MISSING", "SPF_SOFTFAIL_ALL", "DKIM_NO_KEY_FOUND"));
	is_int(sc.lost[SCORE_REACHABILITY], 5, "example: reachability 5");
	is_int(sc.lost[SCORE_FALLBACK], 5, "example: fallback 5");
	is_int(sc.lost[SCORE_TRANSPORT], 14, "example: transport 14");
	is_int(sc.lost[SCORE_AUTHENTICATION], 15, "example: authentication 15");
	is_int(sc.value, 70, "example: 61 lifted to 70 (hygiene)");
	is_str(sc.grade, "C", "example: grade C");
	score_free(&sc);
}

static void
test_class(void)
{
	static const struct {
		const char		*code;
		enum score_class	 cls;
	} cases[] = {
		{ "SMTP_NONE_ANSWERS", SCORE_OUTAGE },
		{ "DANE_SENDERS_DEFER", SCORE_OUTAGE },
		{ "SMTP_RCPT_BACKUP_REFUSED", SCORE_OUTAGE },
		{ "SMTP_PRIMARY_DOWN", SCORE_DEGRADED },
		{ "SMTP_TEMPFAIL", SCORE_DEGRADED },
		{ "FALLBACK_BACKUP_WEAKER", SCORE_DEGRADED },
		{ "FALLBACK_SAME_NETWORK", SCORE_HYGIENE },
		{ "MX_SHARED_ADDRESS", SCORE_HYGIENE },
		{ "SMTP_EHLO_NOT_FQDN", SCORE_HYGIENE },
		{ "FALLBACK_SINGLE_EXCHANGER", SCORE_HYGIENE },
		{ "TLS_NO_STARTTLS", SCORE_HYGIENE },
		{ "MX_TARGET_CNAME", SCORE_HYGIENE },
		{ "SPF_PASS_ALL", SCORE_HYGIENE },
		{ "SMTP_BANNER_MISMATCH", SCORE_HYGIENE },
		{ "OLD_MX_STILL_ANSWERS", SCORE_HYGIENE },
		{ "PROPAGATION_STALE", SCORE_HYGIENE },
	};
	struct findings *fs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_int(score_finding_class(finding_by_name(cases[i].code)),
		    cases[i].cls, cases[i].code);
	ok(score_cutover(F_EXPECT_MX_MISMATCH) &&
	    score_cutover(F_MX_TTL_TOO_HIGH) &&
	    score_cutover(F_OLD_MX_STILL_LISTED) &&
	    score_cutover(F_OLD_MX_STILL_ANSWERS) &&
	    score_cutover(F_SMTP_BANNER_MISMATCH), "the cutover checks");
	ok(score_cutover(F_PROPAGATION_DISAGREE) &&
	    score_cutover(F_PROPAGATION_SET_DOWN), "--propagation's findings "
	    "are cutover checks");
	ok(!score_cutover(F_SMTP_PRIMARY_DOWN) && !score_cutover(F_MX_NONE),
	    "other findings are not");

	fs = make(L("FALLBACK_SINGLE_EXCHANGER", "SMTP_TEMPFAIL",
	    "TLS_NO_STARTTLS"));
	is_int(score_class(fs), SCORE_DEGRADED, "the worst class wins");
	findings_free(fs);
	fs = make(L("SMTP_TEMPFAIL", "MTASTS_CERT_INVALID"));
	is_int(score_class(fs), SCORE_OUTAGE, "an outage over a degradation");
	findings_free(fs);
}

static void
test_accepted(void)
{
	struct findings *fs;
	struct score sc;

	fs = make(L("MTASTS_CERT_INVALID", "DMARC_MISSING"));
	is_int(findings_accept(fs, "MTASTS_CERT_INVALID"), 1, "accepted");
	score_compute(fs, &sc);
	is_int(sc.points[0], 0, "an accepted finding costs nothing");
	is_int(sc.points[1], 15, "the other costs its penalty");
	is_int(sc.cls, SCORE_HYGIENE, "an accepted outage sets no class");
	is_int(sc.value, 85, "85, no cap");
	ok(!sc.capped, "not capped");
	score_free(&sc);
	findings_free(fs);

	fs = make(L("DMARC_LOOKUP_FAILED", "DMARC_MISSING"));
	findings_accept(fs, "DMARC_LOOKUP_FAILED");
	score_compute(fs, &sc);
	ok(sc.valid && sc.value == 85, "an accepted UNKNOWN leaves a score "
	    "(%d)", sc.value);
	score_free(&sc);
	findings_free(fs);

	/* The cap of a domain no exchanger can receive for is points too:
	 * an accepted finding does not set it, whichever says so. */
	fs = make(L("DOMAIN_NXDOMAIN"));
	findings_accept(fs, "DOMAIN_NXDOMAIN");
	score_compute(fs, &sc);
	is_int(sc.value, 100, "an accepted DOMAIN_NXDOMAIN costs nothing");
	ok(!sc.capped, "and sets no cap");
	score_free(&sc);
	findings_free(fs);

	fs = make(L("MX_NO_USABLE_EXCHANGER", "SMTP_NONE_ANSWERS"));
	findings_accept(fs, "MX_NO_USABLE_EXCHANGER");
	findings_accept(fs, "SMTP_NONE_ANSWERS");
	score_compute(fs, &sc);
	is_int(sc.value, 100, "accepted MX_NO_USABLE_EXCHANGER and "
	    "SMTP_NONE_ANSWERS cost nothing");
	ok(!sc.capped, "and set no cap");
	score_free(&sc);
	findings_free(fs);
}

/* The status of the codes with --warn w --crit c (NULL: not given). */
static int
status_of(const char *const *names, const char *w, const char *c, int *value)
{
	struct findings *fs = make(names);
	struct score sc;
	struct range rw, rc;
	struct buf *why = buf_new(64);
	int st;

	if (w != NULL && range_parse(w, RANGE_BARE_FLOOR, &rw, why) != 0)
		ok(0, "--warn %s parses", w);
	if (c != NULL && range_parse(c, RANGE_BARE_FLOOR, &rc, why) != 0)
		ok(0, "--crit %s parses", c);
	score_compute(fs, &sc);
	if (value != NULL)
		*value = sc.valid ? sc.value : -1;
	st = score_status(fs, &sc, w ? &rw : NULL, c ? &rc : NULL);
	score_free(&sc);
	findings_free(fs);
	buf_free(why);
	return st;
}

static void
test_status(void)
{
	int v;

	is_int(score_status_worse(OK_, WARN_), WARN_, "OK < WARNING");
	is_int(score_status_worse(WARN_, UNKN_), UNKN_, "WARNING < UNKNOWN");
	is_int(score_status_worse(UNKN_, CRIT_), CRIT_, "UNKNOWN < CRITICAL");
	is_int(score_status_worse(CRIT_, UNKN_), CRIT_, "CRITICAL > UNKNOWN");
	is_int(score_status_worse(WARN_, OK_), WARN_, "WARNING > OK");
	is_int(score_status_worse(OK_, OK_), OK_, "OK and OK");

	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), NULL, NULL, &v), OK_,
	    "an INFO finding, no threshold: OK");
	is_int(v, 95, "at 95");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "96", NULL, NULL),
	    WARN_, "--warn 96: 95 is below");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "95", NULL, NULL),
	    OK_, "--warn 95: 95 is not below");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "99", "96", NULL),
	    CRIT_, "--crit 96: CRITICAL (and not WARNING)");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "99", "90", NULL),
	    WARN_, "--warn 99 --crit 90: WARNING");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "~:50", NULL, NULL),
	    WARN_, "--warn ~:50: alert above 50");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "@90:100", NULL,
	    NULL), WARN_, "--warn @90:100: alert inside");
	is_int(status_of(L("FALLBACK_SINGLE_EXCHANGER"), "@0:90", NULL, NULL),
	    OK_, "--warn @0:90: 95 outside");

	/* The worse of the findings and the thresholds. */
	is_int(status_of(L("MTASTS_CERT_INVALID"), "70", NULL, &v), CRIT_,
	    "a CRITICAL finding stays CRITICAL under --warn");
	is_int(v, 20, "(score 20)");
	is_int(status_of(L("DMARC_MISSING"), NULL, "90", NULL), CRIT_,
	    "a WARNING finding made CRITICAL by --crit");
	is_int(status_of(L("DMARC_MISSING"), "90", NULL, NULL), WARN_,
	    "WARNING and --warn: WARNING");
	is_int(status_of(L("DMARC_LOOKUP_FAILED"), "101", "101", &v), UNKN_,
	    "no score: the thresholds do not apply");
	is_int(v, -1, "(no score)");
	is_int(status_of(L("MX_NULL"), "101", "101", NULL), OK_,
	    "null MX: no score, thresholds ignored, status of the findings");
}

int
main(void)
{
	test_tables();
	test_points();
	test_no_score();
	test_bands();
	test_class();
	test_accepted();
	test_status();
	return tap_done();
}
