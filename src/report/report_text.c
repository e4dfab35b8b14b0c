#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "net/dns.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "util/i18n.h"
#include "probe/probe_mx.h"
#include "report/report.h"
#include "analyze/score.h"

/* ANSI colours, only when the caller says the output is a terminal. */
static const char *
col(int on, enum finding_sev s)
{
	if (!on)
		return "";
	switch (s) {
	case SEV_CRITICAL:
		return "\033[1;31m";
	case SEV_WARNING:
		return "\033[33m";
	case SEV_UNKNOWN:
		return "\033[35m";
	case SEV_INFO:
		return "\033[36m";
	}
	return "";
}

static const char *
reset(int on)
{
	return on ? "\033[0m" : "";
}

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

static void
mx_section(const struct mx_set *mx, struct buf *out)
{
	const struct mx_host *h;
	size_t i, j;

	buf_printf(out, "\nMX\n");
	if (mx == NULL) {
		buf_printf(out, "  MX lookup did not finish in time\n");
		return;
	}
	if (mx->outcome != DNS_OK && mx->outcome != DNS_NODATA) {
		buf_printf(out, "  MX lookup: %s\n",
		    dns_outcome_name(mx->outcome));
		return;
	}
	if (mx->implicit)
		buf_printf(out, "  no MX record: senders use the domain's "
		    "own address (implicit MX)\n");
	else
		buf_printf(out, "  TTL %u s%s\n", mx->ttl,
		    mx->ad ? ", DNSSEC-authenticated" : "");
	for (i = 0; i < mx->nhost; i++) {
		h = &mx->hosts[i];
		if (strcmp(h->name, ".") == 0) {
			buf_printf(out, "  %5u .  (null MX)\n", h->pref);
			continue;
		}
		buf_printf(out, "  %5u %s", h->pref, h->name);
		if (h->canonical)
			buf_printf(out, "  (CNAME -> %s)", h->canonical);
		buf_printf(out, "\n");
		for (j = 0; j < h->naddr; j++)
			buf_printf(out, "          %s\n", h->addrs[j].text);
		if (h->naddr == 0 && !h->ip_literal)
			buf_printf(out, "          no address (A %s, AAAA "
			    "%s)\n", dns_outcome_name(h->a_out),
			    dns_outcome_name(h->aaaa_out));
	}
}

static void
findings_section(const struct report *r, int colour, struct buf *out)
{
	const struct findings *fs = r->fs;
	const struct finding *f;
	const struct finding_def *d;
	static const enum finding_sev order[] = { SEV_CRITICAL, SEV_UNKNOWN,
	    SEV_WARNING, SEV_INFO };
	size_t i, k;

	buf_printf(out, "\nFindings\n");
	if (findings_count(fs) == 0) {
		buf_printf(out, "  none\n");
		return;
	}
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < findings_count(fs); i++) {
			f = findings_get(fs, i);
			d = finding_def(f->code);
			if (d->sev != order[k])
				continue;
			buf_printf(out, "  %s[%s]%s %s", col(colour, d->sev),
			    finding_sev_name(d->sev), reset(colour), d->code);
			if (r->score->valid && r->score->points[i] > 0)
				buf_printf(out, "  (-%d)", r->score->points[i]);
			buf_printf(out, "\n      %s\n", f->message);
		}
}

/* The fixes, most points first; each catalogue remedy once. */
static void
fixes_section(const struct report *r, struct buf *out)
{
	const struct findings *fs = r->fs;
	const struct finding_def *d;
	size_t n = findings_count(fs), i, j, k, best;
	size_t *idx;
	int *used, shown = 0;

	idx = calloc(n ? n : 1, sizeof(*idx));
	used = calloc(n ? n : 1, sizeof(*used));
	if (idx == NULL || used == NULL)
		goto out;
	for (k = 0; k < n; k++) {
		best = n;
		for (i = 0; i < n; i++) {
			if (used[i])
				continue;
			if (best == n || (r->score->points[i] >
			    r->score->points[best]) ||
			    (r->score->points[i] == r->score->points[best] &&
			    finding_def(findings_get(fs, i)->code)->sev >
			    finding_def(findings_get(fs, best)->code)->sev))
				best = i;
		}
		used[best] = 1;
		idx[k] = best;
	}
	for (k = 0; k < n; k++) {
		d = finding_def(findings_get(fs, idx[k])->code);
		if (d->sev == SEV_INFO && r->score->points[idx[k]] == 0)
			continue;
		for (j = 0; j < k; j++)
			if (findings_get(fs, idx[j])->code ==
			    findings_get(fs, idx[k])->code)
				break;
		if (j < k)
			continue;
		if (shown++ == 0)
			buf_printf(out, "\nWhat to fix, most important first\n");
		buf_printf(out, "  %d. %s", shown, _(d->remedy));
		if (r->score->points[idx[k]] > 0)
			buf_printf(out, " [+%d]", r->score->points[idx[k]]);
		buf_printf(out, "\n     (%s; %s)\n", d->code, d->ref);
	}
out:
	free(idx);
	free(used);
}

static void
score_section(const struct report *r, struct buf *out)
{
	const struct score *s = r->score;
	int c;

	buf_printf(out, "\nScore\n");
	if (!s->valid) {
		buf_printf(out, "  none: %s\n", s->why);
		return;
	}
	buf_printf(out, "  %d/100, grade %s%s%s\n", s->value, s->grade,
	    s->capped ? " - " : "", s->capped ? s->why : "");
	for (c = 0; c < SCORE_NCAT; c++)
		buf_printf(out, "  %-15s %2d/%d\n",
		    score_cat_name((enum score_cat)c),
		    score_cat_weight((enum score_cat)c) - s->lost[c],
		    score_cat_weight((enum score_cat)c));
}

void
report_text(const struct report *r, int colour, struct buf *out)
{
	const struct probe_facts *f = r->facts;

	buf_printf(out, "mxprobe report for %s: %s%s%s", f->domain,
	    col(colour, status_sev(r->status)),
	    findings_status_name(r->status), reset(colour));
	if (r->score->valid)
		buf_printf(out, ", score %d/100 (%s)", r->score->value,
		    r->score->grade);
	buf_printf(out, "\n");
	mx_section(f->mx, out);
	report_smtp_text(f, out);
	report_auth_text(f->auth, f, out);
	report_dane_text(f, out);
	findings_section(r, colour, out);
	score_section(r, out);
	fixes_section(r, out);
}

/* The most costly finding, else the worst one, or NULL. */
static const struct finding *
top_finding(const struct report *r)
{
	size_t i, best = (size_t)-1;
	const struct finding_def *d, *b;

	for (i = 0; i < findings_count(r->fs); i++) {
		d = finding_def(findings_get(r->fs, i)->code);
		if (d->sev == SEV_INFO)
			continue;
		if (best == (size_t)-1) {
			best = i;
			continue;
		}
		b = finding_def(findings_get(r->fs, best)->code);
		if (r->score->points[i] > r->score->points[best] ||
		    (r->score->points[i] == r->score->points[best] &&
		    d->sev > b->sev))
			best = i;
	}
	return best == (size_t)-1 ? NULL : findings_get(r->fs, best);
}

void
report_quiet(const struct report *r, struct buf *out)
{
	const struct finding *t = top_finding(r);

	buf_printf(out, "%s %s", r->facts->domain,
	    findings_status_name(r->status));
	if (r->score->valid)
		buf_printf(out, " score=%d grade=%s", r->score->value,
		    r->score->grade);
	buf_printf(out, " findings=%zu", findings_count(r->fs));
	if (t != NULL)
		buf_printf(out, " top=%s: %s", finding_def(t->code)->code,
		    t->message);
	buf_printf(out, "\n");
}

void
report_nagios(const struct report *r, int warn, int crit, struct buf *out)
{
	const struct finding *t = top_finding(r);

	buf_printf(out, "MXPROBE %s - %s", findings_status_name(r->status),
	    r->facts->domain);
	if (r->score->valid)
		buf_printf(out, " score %d/100 (%s)", r->score->value,
		    r->score->grade);
	else
		buf_printf(out, " no score (%s)", r->score->why);
	if (t != NULL)
		buf_printf(out, "; %s: %s", finding_def(t->code)->code,
		    t->message);
	/* Performance data: 'label'=value[UOM];warn;crit;min;max */
	buf_printf(out, " |");
	if (r->score->valid) {
		buf_printf(out, " score=%d;", r->score->value);
		if (warn >= 0)
			buf_printf(out, "%d", warn);
		buf_printf(out, ";");
		if (crit >= 0)
			buf_printf(out, "%d", crit);
		buf_printf(out, ";0;100");
	}
	buf_printf(out, " findings=%zu", findings_count(r->fs));
	if (r->facts->mx != NULL)
		buf_printf(out, " mx_time=%llums",
		    (unsigned long long)r->facts->mx->ms);
	buf_printf(out, " total_time=%llums\n",
	    (unsigned long long)r->facts->ms);
}
