/*
 * run - one domain's report: analyze the probe's facts (with the
 * propagation facts, when --propagation ran), score, the baseline pass
 * (--baseline), render in the chosen form, and print on stdout.
 *
 * The baseline pass is a step of its own: the baseline is a saved --json
 * report, so this run is rendered as JSON, compared with it
 * (baseline_compare adds BASELINE_* findings), then scored and its
 * status taken again before the report that is printed.
 *
 * API:
 *	run_render(o, co, baseline, facts, prop, servers, out, rr)  the
 *		same into
 *		out (nothing with --csv: batch renders that form); rr, when
 *		not NULL, receives the status, score, grade and the first
 *		RUN_MAX_CODES finding codes for the batch summary; servers
 *		(NULL-terminated, may be NULL) are the resolvers c-ares asks,
 *		for the JSON's "run" member
 *	run_list_findings()	--list-findings: the catalogue as a JSON
 *		array on stdout; EXIT_OK, or EXIT_UNKNOWN when stdout failed
 */
#ifndef MXPROBE_RUN_H
#define MXPROBE_RUN_H

#include <stddef.h>

#include "report/report.h"

struct buf;
struct cli;
struct cutover_opts;
struct json_object;
struct probe_facts;
struct propagation_facts;

/* No cap of its own: a report cut short is no report (JSON would not
 * parse); its size is bounded by the limits on the facts. */
#define RUN_OUT_MAX	REPORT_BUF_MAX
#define RUN_MAX_CODES	64

struct run_result {
	int		 status;
	int		 score;		/* -1: no score */
	const char	*grade;		/* static */
	size_t		 nfindings;
	size_t		 ncodes;
	int		 codes[RUN_MAX_CODES];	/* enum finding_code */
};

int	run_render(const struct cli *, const struct cutover_opts *,
	    struct json_object *, const struct probe_facts *,
	    const struct propagation_facts *, const char *const *,
	    struct buf *, struct run_result *);
int	run_list_findings(void);

#endif
