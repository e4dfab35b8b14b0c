/*
 * report - render facts and findings for people (text) and programs
 * (JSON). Both say the same; neither judges anything.
 *
 * API (struct report bundles what a report shows):
 *	report_json(r)		-> json_object (caller puts it)
 *	report_text(r, colour, out)	the full text report into a buf;
 *		colour: ANSI colours (main decides: a terminal, no NO_COLOR)
 *	report_quiet(r, out)	one line: domain, status, score, top fix
 *	report_nagios(r, warn, crit, out)  monitoring-plugin line with
 *		performance data
 *	report_dane_top_json(f, top)	top-level "dnssec" (report_dane.c)
 *	report_dane_json(f, h, host)	"tlsa" of host h, and "dane" in the
 *		"tls" of each of its addresses: call after report_smtp_json()
 *	report_dane_text(f, out)	the "DNSSEC and DANE" section
 *
 *	report_auth_json(auth, facts, top)  adds "spf", "dmarc", "dkim",
 *		"mta_sts", "tls_rpt" to the top-level object (report_auth.c);
 *		facts gives the MX hosts for MTA-STS (may be NULL)
 *	report_auth_text(auth, facts, out)  the SPF, DKIM, DMARC and
 *		MTA-STS / TLS-RPT sections
 *
 * The JSON shape is an interface (doc/json-schema.json): schema_version,
 * domain, status, exit_code, mx_ttl, mx[] {host, preference, group,
 * addresses[], cname, ...}, findings[] {code, severity, category,
 * message, subject, remedy, reference}. Fields are added, never renamed.
 */
#ifndef MXPROBE_REPORT_H
#define MXPROBE_REPORT_H

#include <stddef.h>

struct auth_facts;
struct buf;
struct findings;
struct json_object;
struct probe_facts;
struct score;

#define REPORT_SCHEMA_VERSION	1

struct report {
	const struct probe_facts	*facts;
	const struct findings		*fs;
	const struct score		*score;
	int				 status;	/* exit status */
};

struct json_object	*report_json(const struct report *);
void			 report_text(const struct report *, int, struct buf *);
void			 report_quiet(const struct report *, struct buf *);
void			 report_smtp_json(const struct probe_facts *, size_t,
			    struct json_object *);
struct json_object	*report_failover_json(const struct probe_facts *);
void			 report_smtp_text(const struct probe_facts *,
			    struct buf *);
void			 report_auth_json(const struct auth_facts *,
			    const struct probe_facts *, struct json_object *);
void			 report_auth_text(const struct auth_facts *,
			    const struct probe_facts *, struct buf *);
void			 report_dane_top_json(const struct probe_facts *,
			    struct json_object *);
void			 report_dane_json(const struct probe_facts *, size_t,
			    struct json_object *);
void			 report_dane_text(const struct probe_facts *,
			    struct buf *);
void			 report_nagios(const struct report *, int, int,
			    struct buf *);

#endif
