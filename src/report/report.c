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
#include "util/i18n.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "analyze/score.h"
#include "analyze/analyze_delivery.h"
#include "analyze/analyze_verdict.h"
#include "facts/auth_facts.h"
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
	char u[REPORT_ULABEL_MAX];

	if (r->ulabel != NULL && r->ulabel(f->domain, u, sizeof(u)) != NULL)
		esc_printf(out, 0, _("mxprobe report for %s (%s): "), u,
		    f->domain);
	else
		esc_printf(out, 0, _("mxprobe report for %s: "), f->domain);
	/* The colour escapes are ours: not escaped. */
	buf_printf(out, "%s%s%s", report_colour(colour, status_sev(r->status)),
	    report_word(findings_status_name(r->status)),
	    report_colour_reset(colour));
	if (r->score->valid)
		esc_printf(out, 0, _(", score %d/100 (%s)"), r->score->value,
		    r->score->grade);
	esc_printf(out, 0, "\n");
	report_vantage_text(f, out);
	report_mx_text(f->mx, r->ulabel, out);
	report_smtp_text(f, r->ulabel, out);
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
 * Text from the network in a performance-data label: only printable
 * US-ASCII that no parser splits on ('=' and the quote are refused by
 * the guidelines); the others, controls (a CR or LF would end the
 * status line) and bytes above 0x7e included, as '_'.
 */
static void
plugin_label_text(const char *s, struct buf *out)
{
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		buf_printf(out, "%c", c <= ' ' || c > '~' ||
		    strchr("'=|", c) != NULL ? '_' : c);
	}
}

/* A performance-data label: quoted, since it may hold a space. */
static void
plugin_label(const char *host, const char *addr, const char *what,
    struct buf *out)
{
	buf_printf(out, " '");
	plugin_label_text(host, out);
	buf_printf(out, "[");
	plugin_label_text(addr, out);
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

/*
 * t, seconds since the epoch, as an RFC 3339 UTC time
 * ("2026-12-03T07:15:02Z") in out (room for 21 bytes); 0, or -1 when t
 * is negative or out too small. Civil from days: H. Hinnant's algorithm,
 * so no time zone or C library state is read.
 */
int
report_rfc3339(int64_t t, char *out, size_t len)
{
	int64_t days, sod, era, doe, yoe, y, doy, mp, d, m;
	struct buf *b;

	if (t < 0 || len < 21)
		return -1;
	days = t / 86400;
	sod = t % 86400;
	days += 719468;
	era = days / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	if (y > 9999)
		return -1;
	b = buf_new(64);
	buf_printf(b, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ",
	    (long long)y, (long long)m, (long long)d,
	    (long long)(sod / 3600), (long long)(sod / 60 % 60),
	    (long long)(sod % 60));
	memcpy(out, buf_str(b), buf_len(b) + 1);
	buf_free(b);
	return 0;
}

/*
 * Adds member key = v (null when v is NULL) to the object top[section],
 * when there is one.
 */
static void
verdict_add(json_object *top, const char *section, const char *key,
    const char *v)
{
	json_object *o;

	if (json_object_object_get_ex(top, section, &o) &&
	    json_object_is_type(o, json_type_object))
		json_add_str(o, key, v);
}

/*
 * The one-word verdicts (analyze_verdict.h): into the sections
 * report_auth_json() made, and the "dane" and "smtp" objects.
 */
static void
verdicts_json(const struct report *r, json_object *o)
{
	const struct probe_facts *f = r->facts;
	const struct auth_facts *a = f->auth;
	struct delivery_facts df;
	json_object *s, *arr, *m;
	const char *v;
	size_t i;
	int have;

	if (a != NULL) {
		v = verdict_spf(a->spf, r->fs);
		verdict_add(o, "spf", "verdict", v);
		verdict_add(o, "spf", "policy", verdict_spf_policy(a->spf, v));
		verdict_add(o, "dmarc", "verdict",
		    verdict_dmarc(&a->dmarc, r->fs));
		verdict_add(o, "dkim", "verdict",
		    verdict_dkim(&a->dkim, r->fs));
		verdict_add(o, "mta_sts", "verdict",
		    verdict_mtasts(&a->mtasts, r->fs));
		verdict_add(o, "tls_rpt", "verdict", verdict_tlsrpt(r->fs));
	}
	s = json_object_new_object();
	json_add_str(s, "verdict", verdict_dane(f, r->fs));
	json_add(o, "dane", s);
	have = analyze_delivery_facts(f, &df);
	s = json_object_new_object();
	json_add_str(s, "verdict", verdict_smtp(have ? &df : NULL,
	    f->smtp_probed));
	arr = json_object_new_array();
	for (i = 0; have && i < df.nmx; i++) {
		m = json_object_new_object();
		json_add_str(m, "host", df.mx[i].name);
		json_add_str(m, "verdict", verdict_smtp_host(&df.mx[i],
		    f->smtp_probed));
		json_object_array_add(arr, m);
	}
	json_add(s, "exchangers", arr);
	json_add(o, "smtp", s);
	if (have)
		analyze_delivery_facts_free(&df);
}

json_object *
report_json(const struct report *r)
{
	json_object *o, *a, *h;
	const struct probe_facts *f = r->facts;
	const struct findings *fs = r->fs;
	const struct mx_set *mx = f->mx;
	int status = r->status;
	char when[32];
	size_t i;

	o = json_object_new_object();
	json_add_int(o, "schema_version", REPORT_SCHEMA_VERSION);
	json_add_str(o, "domain", f->domain);
	json_add_enum(o, "status", findings_status_name(status));
	json_add_int(o, "exit_code", status);
	if (r->version != NULL)
		json_add_str(o, "mxprobe_version", r->version);
	if (r->run != NULL)
		json_add(o, "run", json_object_get(r->run));
	if (f->checked_at > 0 &&
	    report_rfc3339(f->checked_at, when, sizeof(when)) == 0)
		json_add_str(o, "checked_at", when);
	json_add(o, "vantage", report_vantage_json(f));
	report_dane_top_json(f, o);
	if (mx != NULL) {
		json_add_enum(o, "mx_lookup", dns_outcome_name(mx->outcome));
		json_add(o, "mx_ttl", mx->outcome == DNS_OK ?
		    json_object_new_int64(mx->ttl) : NULL);
		json_add_bool(o, "mx_dnssec", mx->ad);
		json_add_bool(o, "implicit_mx", mx->implicit);
		json_add_bool(o, "null_mx", mx->null_mx);
	} else {
		json_add_enum(o, "mx_lookup", dns_outcome_name(DNS_TIMEOUT));
		json_add(o, "mx_ttl", NULL);
	}
	a = json_object_new_array();
	for (i = 0; mx != NULL && i < mx->nhost; i++)
		if (strcmp(mx->hosts[i].name, ".") != 0) {
			h = report_mx_host_json(&mx->hosts[i]);
			report_smtp_json(f, i, h);
			report_dane_json(f, i, h);
			json_object_array_add(a, h);
		}
	json_add(o, "mx", a);
	json_add(o, "failover", report_failover_json(f));
	json_add(o, "delivery", report_delivery_json(f));
	report_auth_json(f->auth, f, o);
	verdicts_json(r, o);
	json_add(o, "score", report_score_json(r->score));
	json_add(o, "findings", report_findings_json(fs, r->score,
	    r->json_locale));
	json_add(o, "fixes", report_fixes_json(r));
	json_add_int64(o, "elapsed_ms", (int64_t)f->ms);
	return o;
}
