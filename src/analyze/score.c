#include <stdlib.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "parse/range.h"
#include "util/xalloc.h"

static const struct {
	const char	*name;
	int		 weight;
} cats[SCORE_NCAT] = {
	{ "reachability", 35 },
	{ "fallback", 15 },
	{ "transport", 25 },
	{ "authentication", 25 },
};

const char *
score_cat_name(enum score_cat c)
{
	return cats[c].name;
}

int
score_cat_weight(enum score_cat c)
{
	return cats[c].weight;
}

enum score_cat
score_cat_of(const char *category)
{
	int i;

	for (i = 0; i < SCORE_NCAT; i++)
		if (strcmp(cats[i].name, category) == 0)
			return (enum score_cat)i;
	/* "dns": wrong MX data keeps mail from arriving at all. */
	return SCORE_REACHABILITY;
}

const char *
score_grade(int v)
{
	if (v >= 90)
		return "A";
	if (v >= 80)
		return "B";
	if (v >= 70)
		return "C";
	if (v >= 60)
		return "D";
	return "F";
}

/* Findings that mean no mail can be delivered at all. */
static int
dead(enum finding_code c)
{
	switch (c) {
	case F_DOMAIN_NXDOMAIN:
	case F_MX_NONE:
	case F_MX_NO_USABLE_EXCHANGER:
	case F_SMTP_NONE_ANSWERS:
		return 1;
	default:
		return 0;
	}
}

const char *
score_class_name(enum score_class c)
{
	static const char *n[] = { "hygiene", "degraded", "outage" };

	return n[c];
}

int
score_cutover(enum finding_code c)
{
	switch (c) {
	case F_EXPECT_MX_MISMATCH:
	case F_MX_TTL_TOO_HIGH:
	case F_OLD_MX_STILL_LISTED:
	case F_OLD_MX_STILL_ANSWERS:
	case F_SMTP_BANNER_MISMATCH:
		return 1;
	default:
		return strncmp(finding_def(c)->code, "PROPAGATION_", 12) == 0;
	}
}

/*
 * The class one finding puts the domain in (doc/verdicts.md). A critical
 * verdict about where mail goes or how it gets there: some class of
 * sender cannot deliver. Critical authentication findings (spoofing,
 * policy errors) and the cutover checks (the user's goal, ranked apart
 * in the fix list) do not stop delivery by themselves. Degradations: an
 * exchanger that is down, refuses or is weaker than the one it backs
 * up; mail deferred for now. Redundancy that is thin but intact (one
 * network, a shared address, a single exchanger) is hygiene.
 */
enum score_class
score_finding_class(enum finding_code c)
{
	const struct finding_def *d = finding_def(c);

	if (score_cutover(c) || strcmp(d->category, "authentication") == 0)
		return SCORE_HYGIENE;
	if (d->sev == SEV_CRITICAL)
		return SCORE_OUTAGE;
	/* SMTP_EHLO_NOT_FQDN is about the probing host, not the domain. */
	if (d->sev != SEV_WARNING || c == F_FALLBACK_SAME_NETWORK ||
	    c == F_MX_SHARED_ADDRESS || c == F_SMTP_EHLO_NOT_FQDN)
		return SCORE_HYGIENE;
	return strcmp(d->category, "reachability") == 0 ||
	    strcmp(d->category, "fallback") == 0 ? SCORE_DEGRADED :
	    SCORE_HYGIENE;
}

enum score_class
score_class(const struct findings *fs)
{
	enum score_class cls = SCORE_HYGIENE, k;
	size_t i;

	for (i = 0; i < findings_count(fs); i++)
		if (!findings_get(fs, i)->accepted &&
		    (k = score_finding_class(findings_get(fs, i)->code)) > cls)
			cls = k;
	return cls;
}

void
score_compute(const struct findings *fs, struct score *s)
{
	const struct finding *f;
	const struct finding_def *d;
	size_t i, n = findings_count(fs);
	int total, c, take, isdead = 0;

	memset(s, 0, sizeof(*s));
	s->points = xcalloc(n ? n : 1, sizeof(*s->points));
	s->npoints = n;
	s->grade = "-";
	if (findings_has(fs, F_MX_LOOKUP_FAILED)) {
		s->why = "the MX records could not be read: no score";
		return;
	}
	for (i = 0; i < n; i++)
		if (!findings_get(fs, i)->accepted &&
		    finding_def(findings_get(fs, i)->code)->sev ==
		    SEV_UNKNOWN) {
			/* A check that could not be made would make any
			 * number a guess. */
			s->why = "a check could not be made (see the UNKNOWN "
			    "findings): no score";
			return;
		}
	if (findings_has(fs, F_SMTP_PORT25_BLOCKED)) {
		s->why = "no exchanger could be reached from here (port 25 "
		    "blocked?): no score";
		return;
	}
	if (findings_has(fs, F_MX_NULL)) {
		s->why = "the domain accepts no mail (null MX): no score";
		return;
	}
	for (i = 0; i < n; i++) {
		f = findings_get(fs, i);
		d = finding_def(f->code);
		if (f->accepted)
			continue;	/* --accept: costs nothing */
		if (dead(f->code))
			isdead = 1;
		if (d->penalty <= 0)
			continue;
		c = (int)score_cat_of(d->category);
		take = d->penalty;
		if (take > cats[c].weight - s->lost[c])
			take = cats[c].weight - s->lost[c];
		s->points[i] = take;
		s->lost[c] += take;
	}
	total = 100;
	for (c = 0; c < SCORE_NCAT; c++)
		total -= s->lost[c];
	s->cls = score_class(fs);
	if (isdead && total > SCORE_CAP_DEAD) {
		total = SCORE_CAP_DEAD;
		s->capped = 1;
		s->why = "no exchanger can receive mail: capped at "
		    "20 (grade F)";
	} else if (s->cls == SCORE_OUTAGE && total > SCORE_CAP_DEAD) {
		total = SCORE_CAP_DEAD;
		s->capped = 1;
		s->why = "mail cannot be delivered for a class of sender: "
		    "capped at 20 (grade F)";
	} else if (s->cls == SCORE_DEGRADED && total > SCORE_TOP_DEGRADED) {
		total = SCORE_TOP_DEGRADED;
		s->capped = 1;
		s->why = "delivery is degraded: capped at 69";
	} else if (s->cls == SCORE_DEGRADED && total <= SCORE_CAP_DEAD) {
		total = SCORE_CAP_DEAD + 1;
		s->capped = 1;
		s->why = "delivery is degraded, not out: at least 21";
	} else if (s->cls == SCORE_HYGIENE && total < SCORE_TOP_DEGRADED + 1) {
		total = SCORE_TOP_DEGRADED + 1;
		s->capped = 1;
		s->why = "mail is delivered; what is left is hygiene: at "
		    "least 70";
	}
	s->valid = 1;
	s->value = total < 0 ? 0 : total;
	s->grade = score_grade(s->value);
}

void
score_free(struct score *s)
{
	free(s->points);
	s->points = NULL;
}

/* The statuses of findings_status(), which are the exit codes. */
#define STATUS_WARNING	1
#define STATUS_CRITICAL	2

/* Rank statuses so that the worse wins: OK < WARNING < UNKNOWN <
 * CRITICAL (see findings_status()). */
static int
status_rank(int st)
{
	static const int r[] = { 0, 1, 3, 2 };

	return r[st];
}

int
score_status_worse(int a, int b)
{
	return status_rank(a) >= status_rank(b) ? a : b;
}

int
score_status(const struct findings *fs, const struct score *sc,
    const struct range *warn, const struct range *crit)
{
	int status = findings_status(fs);

	if (sc->valid && crit != NULL && range_alert(crit, sc->value))
		status = score_status_worse(status, STATUS_CRITICAL);
	else if (sc->valid && warn != NULL && range_alert(warn, sc->value))
		status = score_status_worse(status, STATUS_WARNING);
	return status;
}
