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

void
report_nagios(const struct report *r, int warn, int crit, struct buf *out)
{
	const struct finding *t = report_top_finding(r);

	esc_printf(out, ESC_NAGIOS, "MXPROBE %s - %s",
	    findings_status_name(r->status), r->facts->domain);
	if (r->score->valid)
		esc_printf(out, ESC_NAGIOS, " score %d/100 (%s)",
		    r->score->value, r->score->grade);
	else
		esc_printf(out, ESC_NAGIOS, " no score (%s)", r->score->why);
	if (t != NULL)
		esc_printf(out, ESC_NAGIOS, "; %s: %s",
		    finding_def(t->code)->code, t->message);
	/* Performance data: 'label'=value[UOM];warn;crit;min;max */
	esc_printf(out, ESC_NAGIOS, " |");
	if (r->score->valid) {
		esc_printf(out, ESC_NAGIOS, " score=%d;", r->score->value);
		if (warn >= 0)
			esc_printf(out, ESC_NAGIOS, "%d", warn);
		esc_printf(out, ESC_NAGIOS, ";");
		if (crit >= 0)
			esc_printf(out, ESC_NAGIOS, "%d", crit);
		esc_printf(out, ESC_NAGIOS, ";0;100");
	}
	esc_printf(out, ESC_NAGIOS, " findings=%zu", findings_count(r->fs));
	if (r->facts->mx != NULL)
		esc_printf(out, ESC_NAGIOS, " mx_time=%llums",
		    (unsigned long long)r->facts->mx->ms);
	esc_printf(out, ESC_NAGIOS, " total_time=%llums\n",
	    (unsigned long long)r->facts->ms);
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
