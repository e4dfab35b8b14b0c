/*
 * report - render facts and findings for people (text) and programs
 * (JSON). Both say the same; neither judges anything.
 *
 * API (struct report bundles what a report shows):
 *	report_json(r)		-> json_object (caller puts it)
 *	report_text(r, colour, out)	the full text report into a buf;
 *		the domain in U-labels with its A-label form after it when
 *		r->ulabel gives one;
 *		colour: ANSI colours (main decides: a terminal, no NO_COLOR)
 *	report_wrap(text, width, out)	the finished text report folded at
 *		width columns (report_wrap.c): at spaces, or between two
 *		double-width characters, never inside a token, a UTF-8
 *		sequence, a "quoted" record or a bare one (from a "v="
 *		word to the end of the line); continuation lines hang
 *		under the line's text. Below REPORT_WRAP_MIN: unfolded
 *	report_quiet(r, out)	one line: domain, status, score, top fix
 *	report_nagios(r, warn, crit, out)  monitoring-plugin output: the
 *		status line with performance data (score with the --warn and
 *		--crit ranges, NULL for none; per exchanger address connect,
 *		banner and TLS times and the certificate's days left), then
 *		one line per finding
 * report_findings.c:
 *	report_findings_text(r, colour, out), report_score_text(r, out),
 *	report_fixes_text(r, out)	the last three text sections
 *	report_findings_json(fs, score, local) (local: the messages in the
 *		user's language, else English), report_score_json(score),
 *	report_catalogue_json()		(--list-findings)
 *		"findings" and "score" -> json_object
 *	report_fix_order(r, idx)	the fixes in order: indexes of
 *		findings, one per code, into idx (room for every finding);
 *		returns how many. What restores delivery for a class of
 *		sender first, then the cutover checks asked for, then what
 *		lifts a degradation, then the rest (doc/verdicts.md); by
 *		points within each
 *	report_fixes_json(r)	"fixes": that list -> json_object
 * report_vantage.c:
 *	report_vantage_text(f, out)	the "Vantage" section, up front: per
 *		family a route or not (and why), the source address, the
 *		EHLO name
 *	report_vantage_json(f)	"vantage": {ipv4, ipv6} with route,
 *		source_address, why
 * report_smtp.c:
 *	report_smtp_text(f, ul, out)	the "Exchangers" section; host names
 *		in U-labels where ul (may be NULL) gives them
 *	report_delivery_json(f)	"delivery": the delivery model's verdict,
 *		the exchangers' states and per class of sender the outcome,
 *		the receivers and what each single failure would do; NULL
 *		when there is nothing to model
 *	report_top_finding(r)	the first fix that is not INFO, or NULL
 *		(--quiet, --nagios)
 *	report_word(s)	an English name of the analysis (status, severity,
 *		score category, class, note, delivery verdict) in the
 *		user's language
 *	report_colour(on, sev), report_colour_reset(on)  ANSI escapes, ""
 *		when on is 0
 * report_mx.c:
 *	report_mx_text(mx, ul, out)	the "MX" section; targets in
 *		U-labels where ul (may be NULL) gives them
 *	report_mx_host_json(h)		one exchanger of "mx" -> json_object
 *
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
 * Per area, the JSON adds members to obj, an object the caller created:
 *	report_spf_json(a, obj), report_spf_text(a, out)  the SPF walk
 *		(report_spf.c)
 *	report_spf_ip_json(e)	one --spf-ip answer -> json_object
 *	report_spf_ip_text(auth, out)	the --spf-ip lines
 *	report_dmarc_json(facts, obj)	state, policy_domain, inherited,
 *		record, tags, p/sp/pct/adkim/aspf/fo/rf/ri, rua/ruf,
 *		external[]
 *	report_dmarc_text(facts, out)	a few lines (report_dmarc.c)
 *	report_dkim_json(facts, obj)	named, tried, usable, selectors[]
 *		(only those that answered with a record or failed)
 *	report_dkim_text(facts, out)	one line per key (report_dkim.c)
 *	report_mtasts_json(facts, obj)	state, record, id, fetch,
 *		http_status, policy {mode, max_age, mx[]}, mx[] {host,
 *		covered, cert_valid}
 *	report_mtasts_text(facts, out)	a few lines (report_mtasts.c)
 *	report_tlsrpt_json(facts, obj)	state, record, rua[]
 *	report_tlsrpt_text(facts, out)	one or two lines (report_tlsrpt.c)
 * Text from the network (records, banners, replies, headers, certificate
 * fields, finding messages that quote them) reaches every output through
 * util/esc.h: esc_printf() in the text renderers (ESC_NAGIOS for the
 * --nagios line), json_str()/json_censored() in JSON, so the terminal
 * never receives a control byte and JSON stays valid UTF-8; errors appear
 * as "error": {"offset"|"line", "reason"}.
 *
 * The JSON shape is an interface (doc/json-schema.json): schema_version,
 * domain, status, exit_code, mx_ttl, mx[] {host, preference, group,
 * addresses[], cname, ...}, findings[] {code, severity, category,
 * message, subject, remedy, reference}. Fields are added, never renamed.
 */
#ifndef MXPROBE_REPORT_H
#define MXPROBE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/findings.h"

struct auth_facts;
struct auth_spf_eval;
struct buf;
struct dkim_facts;
struct dmarc_facts;
struct findings;
struct json_object;
struct mx_host;
struct mx_set;
struct mtasts_facts;
struct probe_facts;
struct propagation_facts;
struct range;
struct score;
struct spf_analysis;
struct tlsrpt_facts;

#define REPORT_SCHEMA_VERSION	3
/*
 * The cap of a buffer a report is rendered into: none of its own (what
 * goes in is bounded by the limits on the facts), so a report is never
 * cut in the middle.
 */
#define REPORT_BUF_MAX		(SIZE_MAX / 4)
#define REPORT_CERT_WARN_DAYS	14
/* The narrowest width the text report is folded at. */
#define REPORT_WRAP_MIN		20

/*
 * The U-label form of a name into buf (len bytes), or NULL when the name
 * holds no A-label or is no valid IDN (app/idn.c; a library call, so
 * handed in).
 */
typedef const char *(*report_ulabel_fn)(const char *, char *, size_t);
/* Room for a name in U-labels: 253 octets, up to 4 bytes a character. */
#define REPORT_ULABEL_MAX	1024

struct report {
	const struct probe_facts	*facts;
	const struct findings		*fs;
	const struct score		*score;
	int				 status;	/* exit status */
	int				 cert_warn_days; /* 0: the
					 * default, REPORT_CERT_WARN_DAYS;
					 * < 0: none (--cert-warn-days 0) */
	const char			*version; /* "mxprobe_version";
					 * NULL: none */
	struct json_object		*run;	/* the "run" member, what the
					 * run was asked (app/run.c;
					 * borrowed); NULL: none */
	int				 json_locale; /* JSON messages in
					 * the user's language */
	report_ulabel_fn		 ulabel; /* NULL: names as they are */
};

struct json_object	*report_json(const struct report *);
int			 report_rfc3339(int64_t, char *, size_t);
void			 report_findings_text(const struct report *, int,
			    struct buf *);
void			 report_score_text(const struct report *,
			    struct buf *);
void			 report_fixes_text(const struct report *,
			    struct buf *);
struct json_object	*report_findings_json(const struct findings *,
			    const struct score *, int);
struct json_object	*report_score_json(const struct score *);
struct json_object	*report_catalogue_json(void);
struct json_object	*report_delivery_json(const struct probe_facts *);
size_t			 report_fix_order(const struct report *, size_t *);
struct json_object	*report_fixes_json(const struct report *);
const struct finding	*report_top_finding(const struct report *);
const char		*report_colour(int, enum finding_sev);
const char		*report_colour_reset(int);
const char		*report_word(const char *);
void			 report_mx_text(const struct mx_set *, report_ulabel_fn,
			    struct buf *);
struct json_object	*report_mx_host_json(const struct mx_host *);
void			 report_text(const struct report *, int, struct buf *);
void			 report_quiet(const struct report *, struct buf *);
void			 report_wrap(const char *, size_t, struct buf *);
void			 report_smtp_json(const struct probe_facts *, size_t,
			    struct json_object *);
struct json_object	*report_failover_json(const struct probe_facts *);
struct json_object	*report_vantage_json(const struct probe_facts *);
void			 report_vantage_text(const struct probe_facts *,
			    struct buf *);
void			 report_smtp_text(const struct probe_facts *,
			    report_ulabel_fn, struct buf *);
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
void			 report_nagios(const struct report *,
			    const struct range *, const struct range *,
			    struct buf *);

void			 report_spf_json(const struct spf_analysis *,
			    struct json_object *);
void			 report_spf_text(const struct spf_analysis *,
			    struct buf *);
struct json_object	*report_spf_ip_json(const struct auth_spf_eval *);
void			 report_spf_ip_text(const struct auth_facts *,
			    struct buf *);
void			 report_dmarc_json(const struct dmarc_facts *,
			    struct json_object *);
void			 report_dmarc_text(const struct dmarc_facts *,
			    struct buf *);
void			 report_dkim_json(const struct dkim_facts *,
			    struct json_object *);
void			 report_dkim_text(const struct dkim_facts *,
			    struct buf *);
void			 report_mtasts_json(const struct mtasts_facts *,
			    struct json_object *);
void			 report_mtasts_text(const struct mtasts_facts *,
			    struct buf *);
void			 report_tlsrpt_json(const struct tlsrpt_facts *,
			    struct json_object *);
void			 report_tlsrpt_text(const struct tlsrpt_facts *,
			    struct buf *);

/* report_propagation.c */
void		 propagation_json(const struct propagation_facts *,
		    const char **, const char **, struct json_object *);
void		 propagation_text(const struct propagation_facts *,
		    const char **, const char **, struct buf *);

#endif
