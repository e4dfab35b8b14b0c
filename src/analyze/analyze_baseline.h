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
 *		{what, field, subject, before, after}: field names the
 *		member compared ("mx", "mx.addresses", "mx.smtp.tls.chain",
 *		"mx.tlsa.records", "spf.record", ...; subject says which
 *		exchanger or address), before and after are its JSON values
 *		(null: absent; the MX set as [{preference, host}] sorted,
 *		addresses sorted, a certificate as {subject, issuer,
 *		not_after}); raises BASELINE_CHANGED (INFO)
 *		for each and BASELINE_SCORE_DROPPED (WARNING) when the score
 *		went down. Reads any JSON without crashing: a member of the
 *		wrong type counts as absent
 *	baseline_check(doc, why)	0 when doc looks like an mxprobe
 *		--json report (an object with schema_version, domain and the
 *		top-level members of the right type), else -1 with the reason
 *		in why
 *	baseline_parse(p, n, &doc, why)	the bytes of a --baseline file:
 *		BASELINE_OK with doc (caller puts it), BASELINE_NOT_JSON (not
 *		one JSON document with nothing but white space after it) or
 *		BASELINE_NOT_REPORT (baseline_check refuses it), the reason
 *		in why; app/env.c reads the file, fuzz/fuzz_baseline.c feeds
 *		it anything
 * Limits: json-c's nesting limit (32) and n < INT_MAX.
 */
#ifndef MXPROBE_BASELINE_H
#define MXPROBE_BASELINE_H

#include <stddef.h>

struct buf;

enum baseline_status {
	BASELINE_OK,
	BASELINE_NOT_JSON,
	BASELINE_NOT_REPORT
};
struct findings;
struct json_object;

struct json_object	*baseline_compare(struct json_object *,
			    struct json_object *, struct findings *);
int			 baseline_check(struct json_object *, struct buf *);
enum baseline_status	 baseline_parse(const char *, size_t,
			    struct json_object **, struct buf *);

#endif
