/*
 * score - the deliverability score, 0 to 100, and a grade. Pure.
 *
 * The weights are documented in doc/scoring.md; in short, 100 points in
 * four categories:
 *	reachability	35	an exchanger answers, the primary answers,
 *				the MX data is right ("dns" findings count
 *				here)
 *	fallback	15	two or more exchangers on distinct addresses
 *				and networks, all answering, none weaker
 *	transport	25	STARTTLS everywhere, valid certificates, TLS
 *				1.2+, MTA-STS and DANE as credit
 *	authentication	25	SPF, DKIM, DMARC
 * Each finding costs its catalogue penalty in its category; a category
 * cannot lose more than its weight. The points each finding actually cost
 * are kept, so every lost point is traced to a finding.
 *
 * Bands, so that the number ranks delivery first (doc/verdicts.md): an
 * outage for a class of sender (a CRITICAL finding outside
 * authentication) scores at most 20; a degradation (a reachability or
 * fallback WARNING: a backup down, a refusal for now, a weaker backup)
 * 21 to 69; a domain whose mail is delivered everywhere at least 70.
 * score_class(fs) is that class, the worst score_finding_class(code) of
 * the findings; capped says the band moved the number.
 * score_cutover(code): one of the cutover checks the user asked for
 * (--expect-mx, --max-ttl, --old-mx, --expect-banner, --propagation).
 *
 * Caps, so that the number cannot mislead:
 *	- a null MX has no score: the domain accepts no mail by design;
 *	- an MX lookup that failed (SERVFAIL, timeout), or any check that
 *	  could not be made (an UNKNOWN finding), has no score;
 *	- a domain with no usable exchanger, or none that answers, or that
 *	  does not exist, scores at most SCORE_CAP_DEAD (grade F).
 *
 * API:
 *	score_compute(fs, out)	fills out; out->points[i] is what finding i
 *		cost (free with score_free)
 *	score_grade(value)	"A" (90+), "B" (80+), "C" (70+), "D" (60+),
 *		"F"
 *	score_status(fs, sc, warn, crit)  the exit status: the findings'
 *		(findings_status) made CRITICAL when a valid score raises the
 *		alert of range crit, else WARNING when it raises warn's
 *		(--crit/--warn, parse/range.h; NULL means no threshold)
 *	score_status_worse(a, b)	the worse of two statuses: OK < WARNING
 *		< UNKNOWN < CRITICAL
 */
#ifndef MXPROBE_SCORE_H
#define MXPROBE_SCORE_H

#include <stddef.h>

#include "analyze/findings.h"
struct range;

#define SCORE_CAP_DEAD	20
#define SCORE_TOP_DEGRADED	69

/* The delivery class of doc/verdicts.md, the worst first in rank. */
enum score_class {
	SCORE_HYGIENE,
	SCORE_DEGRADED,
	SCORE_OUTAGE
};

enum score_cat {
	SCORE_REACHABILITY,
	SCORE_FALLBACK,
	SCORE_TRANSPORT,
	SCORE_AUTHENTICATION,
	SCORE_NCAT
};

struct score {
	int		 valid;		/* 0: no number (see why) */
	int		 value;
	const char	*grade;		/* "A".."F", or "-" */
	const char	*why;		/* when not valid, or when capped */
	int		 capped;	/* the class band moved the number */
	enum score_class cls;
	int		 lost[SCORE_NCAT];
	int		*points;	/* per finding, in findings order */
	size_t		 npoints;
};

void		 score_compute(const struct findings *, struct score *);
enum score_class score_class(const struct findings *);
enum score_class score_finding_class(enum finding_code);
int		 score_cutover(enum finding_code);
const char	*score_class_name(enum score_class);
void		 score_free(struct score *);
const char	*score_grade(int);
const char	*score_cat_name(enum score_cat);
int		 score_cat_weight(enum score_cat);
enum score_cat	 score_cat_of(const char *);
int		 score_status(const struct findings *, const struct score *,
		    const struct range *, const struct range *);
int		 score_status_worse(int, int);

#endif
