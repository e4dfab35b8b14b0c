/*
 * auth_json - JSON renderings of the DMARC, DKIM, MTA-STS and TLS-RPT
 * facts, for the "facts" part of the JSON report.
 *
 * Purpose: show what was found (record text, parsed tags, key type and
 * size per selector, policy mode, mx patterns and max_age) next to the
 * findings, so a reader can see why a finding was raised. The functions
 * re-parse the facts with the same parsers the analyzers use, so the
 * JSON and the findings never disagree.
 *
 * API: each adds members to obj, a JSON object the caller created and
 * owns (e.g. the value of "dmarc" in the report):
 *	dmarc_json(facts, obj)	state, policy_domain, inherited, record,
 *		tags, p/sp/pct/adkim/aspf/fo/rf/ri, rua/ruf, external[]
 *	dkim_json(facts, obj)	named, tried, usable, selectors[] (only
 *		those that answered with a record or failed)
 *	mtasts_json(facts, obj)	state, record, id, fetch, http_status,
 *		policy {mode, max_age, mx[]}, mx[] {host, covered,
 *		cert_valid}
 *	tlsrpt_json(facts, obj)	state, record, rua[]
 * Returns: nothing; errors appear as "error": {"offset"|"line",
 * "reason"}.
 * Limits: record text is censored: bytes outside printable ASCII are
 * written as \xNN so the report stays valid UTF-8.
 * BUGS: none known.
 */
#ifndef MXPROBE_AUTH_JSON_H
#define MXPROBE_AUTH_JSON_H

struct json_object;
struct dmarc_facts;
struct dkim_facts;
struct mtasts_facts;
struct tlsrpt_facts;

void	dmarc_json(const struct dmarc_facts *, struct json_object *);
void	dkim_json(const struct dkim_facts *, struct json_object *);
void	mtasts_json(const struct mtasts_facts *, struct json_object *);
void	tlsrpt_json(const struct tlsrpt_facts *, struct json_object *);

#endif
