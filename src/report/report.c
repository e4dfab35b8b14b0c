/*
 * report - the whole report: text, JSON, the --quiet line and the
 * monitoring-plugin line, in report order; each part is rendered by
 * its area's report_*.c (report.h).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"
#include "util/esc.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "analyze/score.h"
#include "facts/smtp_facts.h"
#include "parse/range.h"

static enum finding_sev
status_sev(int status)
{
	switch (status) {
	case 1:
		return SEV_WARNING;
	case 2:
		return SEV_CRITICAL;
	case 3:
		return SEV_UNKNOWN;
	}
	return SEV_INFO;
}

void
report_text(const struct report *r, int colour, struct buf *out)
{
	const struct probe_facts *f = r->facts;

	esc_printf(out, 0, "mxprobe report for %s: ", f->domain);
	/* The colour escapes are ours: not escaped. */
	buf_printf(out, "%s%s%s", report_colour(colour, status_sev(r->status)),
	    findings_status_name(r->status), report_colour_reset(colour));
	if (r->score->valid)
		esc_printf(out, 0, ", score %d/100 (%s)", r->score->value,
		    r->score->grade);
	esc_printf(out, 0, "\n");
	report_mx_text(f->mx, out);
	report_smtp_text(f, out);
	report_auth_text(f->auth, f, out);
	report_dane_text(f, out);
	report_findings_text(r, colour, out);
	report_score_text(r, out);
	report_fixes_text(r, out);
}

void
report_quiet(const struct report *r, struct buf *out)
{
	const struct finding *t = report_top_finding(r);

	esc_printf(out, 0, "%s %s", r->facts->domain,
	    findings_status_name(r->status));
	if (r->score->valid)
		esc_printf(out, 0, " score=%d grade=%s", r->score->value,
		    r->score->grade);
	esc_printf(out, 0, " findings=%zu", findings_count(r->fs));
	if (t != NULL)
		esc_printf(out, 0, " top=%s: %s", finding_def(t->code)->code,
		    t->message);
	esc_printf(out, 0, "\n");
}

/*
 * Plugin output is parsed: "|" starts the performance data and a
 * newline ends the status line, so neither may come from a message.
 */
static void
plugin_text(const char *s, struct buf *out)
{
	esc_printf(out, ESC_NAGIOS, "%s", s);
}

/*
 * A performance-data label: quoted (it may hold a space), and only
 * characters that no parser splits on ('=' and the quote are refused
 * by the guidelines).
 */
static void
plugin_label(const char *host, const char *addr, const char *what,
    struct buf *out)
{
	const char *p;

	buf_printf(out, " '");
	for (p = host; *p != '\0'; p++)
		buf_printf(out, "%c", strchr("'= |", *p) != NULL ? '_' : *p);
	buf_printf(out, "[");
	for (p = addr; *p != '\0'; p++)
		buf_printf(out, "%c", strchr("'= |", *p) != NULL ? '_' : *p);
	buf_printf(out, "] %s'=", what);
}

static void
plugin_range(const struct range *r, struct buf *out)
{
	if (r != NULL)
		range_format(r, out);
}

/* Per exchanger address: connect, banner and TLS times, days left. */
static void
plugin_targets(const struct report *r, struct buf *out)
{
	const struct probe_facts *f = r->facts;
	const struct probe_target *t;
	const struct smtp_result *sr;
	const char *host;
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if ((sr = t->smtp) == NULL || f->mx == NULL ||
		    t->host >= f->mx->nhost)
			continue;
		host = f->mx->hosts[t->host].name;
		if (sr->ms.connect_ms >= 0) {
			plugin_label(host, sr->addr, "connect", out);
			buf_printf(out, "%ldms;;;0", sr->ms.connect_ms);
		}
		if (sr->ms.banner_ms >= 0) {
			plugin_label(host, sr->addr, "banner", out);
			buf_printf(out, "%ldms;;;0", sr->ms.banner_ms);
		}
		if (sr->ms.tls_ms >= 0 && sr->tls_done) {
			plugin_label(host, sr->addr, "tls", out);
			buf_printf(out, "%ldms;;;0", sr->ms.tls_ms);
		}
		if (sr->tls_done && sr->tls.nchain > 0) {
			/* Days have no plugin unit: a bare number. */
			plugin_label(host, sr->addr, "cert_days", out);
			buf_printf(out, "%ld;%d:;0:", sr->tls.chain[0].days_left,
			    r->cert_warn_days > 0 ? r->cert_warn_days :
			    r->cert_warn_days < 0 ? 0 : REPORT_CERT_WARN_DAYS);
		}
	}
}

/* The long output: one line per finding, worst first. */
static void
plugin_findings(const struct report *r, struct buf *out)
{
	static const enum finding_sev order[] = { SEV_CRITICAL, SEV_UNKNOWN,
	    SEV_WARNING, SEV_INFO };
	const struct finding *fd;
	const struct finding_def *d;
	size_t i, k;

	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < findings_count(r->fs); i++) {
			fd = findings_get(r->fs, i);
			d = finding_def(fd->code);
			if (d->sev != order[k])
				continue;
			buf_printf(out, "[%s%s] %s: ", finding_sev_name(d->sev),
			    fd->accepted ? ", accepted" : "", d->code);
			plugin_text(fd->message, out);
			buf_printf(out, "\n");
		}
}

/*
 * The monitoring-plugin output (monitoring-plugins development
 * guidelines): "MXPROBE STATE - summary | perfdata" on the first line,
 * the findings after it as long output. Performance data is
 * 'label'=value[UOM];warn;crit;min;max, thresholds in range syntax.
 */
void
report_nagios(const struct report *r, const struct range *warn,
    const struct range *crit, struct buf *out)
{
	const struct finding *t = report_top_finding(r);

	esc_printf(out, ESC_NAGIOS, "MXPROBE %s - %s",
	    findings_status_name(r->status), r->facts->domain);
	if (r->score->valid)
		buf_printf(out, " score %d/100 (%s)", r->score->value,
		    r->score->grade);
	else {
		buf_printf(out, " no score (");
		plugin_text(r->score->why, out);
		buf_printf(out, ")");
	}
	if (t != NULL) {
		buf_printf(out, "; %s: ", finding_def(t->code)->code);
		plugin_text(t->message, out);
	}
	buf_printf(out, " |");
	if (r->score->valid) {
		buf_printf(out, " score=%d;", r->score->value);
		plugin_range(warn, out);
		buf_printf(out, ";");
		plugin_range(crit, out);
		buf_printf(out, ";0;100");
	}
	buf_printf(out, " findings=%zu;;;0", findings_count(r->fs));
	if (r->facts->mx != NULL)
		buf_printf(out, " mx_time=%llums;;;0",
		    (unsigned long long)r->facts->mx->ms);
	buf_printf(out, " total_time=%llums;;;0",
	    (unsigned long long)r->facts->ms);
	plugin_targets(r, out);
	buf_printf(out, "\n");
	plugin_findings(r, out);
}

json_object *
report_json(const struct report *r)
{
	json_object *o, *a, *h;
	const struct probe_facts *f = r->facts;
	const struct findings *fs = r->fs;
	const struct mx_set *mx = f->mx;
	int status = r->status;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "schema_version",
	    json_object_new_int(REPORT_SCHEMA_VERSION));
	json_object_object_add(o, "domain", json_str(f->domain));
	json_object_object_add(o, "status",
	    json_str(findings_status_name(status)));
	json_object_object_add(o, "exit_code", json_object_new_int(status));
	report_dane_top_json(f, o);
	if (mx != NULL) {
		json_object_object_add(o, "mx_lookup",
		    json_str(dns_outcome_name(mx->outcome)));
		json_object_object_add(o, "mx_ttl", mx->outcome == DNS_OK ?
		    json_object_new_int64(mx->ttl) : NULL);
		json_object_object_add(o, "mx_dnssec",
		    json_object_new_boolean(mx->ad));
		json_object_object_add(o, "implicit_mx",
		    json_object_new_boolean(mx->implicit));
		json_object_object_add(o, "null_mx",
		    json_object_new_boolean(mx->null_mx));
	} else {
		json_object_object_add(o, "mx_lookup", json_str("TIMEOUT"));
		json_object_object_add(o, "mx_ttl", NULL);
	}
	a = json_object_new_array();
	for (i = 0; mx != NULL && i < mx->nhost; i++)
		if (strcmp(mx->hosts[i].name, ".") != 0) {
			h = report_mx_host_json(&mx->hosts[i]);
			report_smtp_json(f, i, h);
			report_dane_json(f, i, h);
			json_object_array_add(a, h);
		}
	json_object_object_add(o, "mx", a);
	json_object_object_add(o, "failover", report_failover_json(f));
	json_object_object_add(o, "delivery", report_delivery_json(f));
	report_auth_json(f->auth, f, o);
	json_object_object_add(o, "score", report_score_json(r->score));
	json_object_object_add(o, "findings",
	    report_findings_json(fs, r->score));
	json_object_object_add(o, "fixes", report_fixes_json(r));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(
	    (int64_t)f->ms));
	return o;
}
