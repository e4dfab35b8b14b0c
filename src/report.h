/*
 * report - render facts and findings for people (text) and programs
 * (JSON). Both say the same; neither judges anything.
 *
 * API:
 *	report_json(facts, fs, status)	-> json_object (caller puts it)
 *	report_text(facts, fs, status, out)	appends to a buf
 *
 * The JSON shape is an interface (doc/json-schema.json): schema_version,
 * domain, status, exit_code, mx_ttl, mx[] {host, preference, group,
 * addresses[], cname, ...}, findings[] {code, severity, category,
 * message, subject, remedy, reference}. Fields are added, never renamed.
 */
#ifndef MXPROBE_REPORT_H
#define MXPROBE_REPORT_H

struct buf;
struct findings;
struct json_object;
struct probe_facts;

#define REPORT_SCHEMA_VERSION	1

struct json_object	*report_json(const struct probe_facts *,
			    const struct findings *, int);
void			 report_text(const struct probe_facts *,
			    const struct findings *, int, struct buf *);

#endif
