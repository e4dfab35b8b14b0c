/*
 * baseline - what changed since an earlier run (--baseline FILE).
 *
 * Purpose: the cutover's before/after. Save `mxprobe --json` before the
 * change; afterwards --baseline compares the new report with it: the
 * exchangers and their preferences, each exchanger's addresses, the
 * certificate each address presents, TLSA records, the SPF, DMARC,
 * MTA-STS and TLS-RPT records, and the score. Pure: compares two JSON
 * documents (the old one read by app/env.c env_baseline_load).
 *
 * API:
 *	baseline_compare(old, new, fs)		-> json array of changes
 *		{what, subject, before, after}; raises BASELINE_CHANGED (INFO)
 *		for each and BASELINE_SCORE_DROPPED (WARNING) when the score
 *		went down
 */
#ifndef MXPROBE_BASELINE_H
#define MXPROBE_BASELINE_H

struct buf;
struct findings;
struct json_object;

struct json_object	*baseline_compare(struct json_object *,
			    struct json_object *, struct findings *);

#endif
