/*
 * report_findings - the findings, the fixes, the score, in text and
 * JSON; the colours of the text report (report.h).
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "facts/probe_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

/* ANSI colours, only when the caller says the output is a terminal. */
const char *
report_colour(int on, enum finding_sev s)
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

const char *
report_colour_reset(int on)
{
	return on ? "\033[0m" : "";
}

void
report_findings_text(const struct report *r, int colour, struct buf *out)
{
	const struct findings *fs = r->fs;
	const struct finding *f;
	const struct finding_def *d;
	static const enum finding_sev order[] = { SEV_CRITICAL, SEV_UNKNOWN,
	    SEV_WARNING, SEV_INFO };
	size_t i, k;

	esc_printf(out, 0, "\nFindings\n");
	if (findings_count(fs) == 0) {
		esc_printf(out, 0, "  none\n");
		return;
	}
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++)
		for (i = 0; i < findings_count(fs); i++) {
			f = findings_get(fs, i);
			d = finding_def(f->code);
			if (d->sev != order[k])
				continue;
			/* The colour escapes are ours: not escaped. */
			buf_printf(out, "  %s[%s]%s %s",
			    report_colour(colour, d->sev),
			    finding_sev_name(d->sev),
			    report_colour_reset(colour), d->code);
			if (r->score->valid && r->score->points[i] > 0)
				esc_printf(out, 0, "  (-%d)",
				    r->score->points[i]);
			esc_printf(out, 0, "\n      %s\n", f->message);
		}
}

/* The fixes, most points first; each catalogue remedy once. */
void
report_fixes_text(const struct report *r, struct buf *out)
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
			esc_printf(out, 0,
			    "\nWhat to fix, most important first\n");
		esc_printf(out, 0, "  %d. %s", shown, _(d->remedy));
		if (r->score->points[idx[k]] > 0)
			esc_printf(out, 0, " [+%d]", r->score->points[idx[k]]);
		esc_printf(out, 0, "\n     (%s; %s)\n", d->code, d->ref);
	}
out:
	free(idx);
	free(used);
}

void
report_score_text(const struct report *r, struct buf *out)
{
	const struct score *s = r->score;
	int c;

	esc_printf(out, 0, "\nScore\n");
	if (!s->valid) {
		esc_printf(out, 0, "  none: %s\n", s->why);
		return;
	}
	esc_printf(out, 0, "  %d/100, grade %s%s%s\n", s->value, s->grade,
	    s->capped ? " - " : "", s->capped ? s->why : "");
	for (c = 0; c < SCORE_NCAT; c++)
		esc_printf(out, 0, "  %-15s %2d/%d\n",
		    score_cat_name((enum score_cat)c),
		    score_cat_weight((enum score_cat)c) - s->lost[c],
		    score_cat_weight((enum score_cat)c));
}

/* The most costly finding, else the worst one, or NULL. */
const struct finding *
report_top_finding(const struct report *r)
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

/* A catalogue entry's fixed fields: its code, severity, texts, reference. */
static json_object *
def_json(const struct finding_def *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "code", json_str(d->code));
	json_object_object_add(o, "severity",
	    json_str(finding_sev_name(d->sev)));
	json_object_object_add(o, "category", json_str(d->category));
	json_object_object_add(o, "title", json_str(d->title));
	json_object_object_add(o, "remedy", json_str(d->remedy));
	json_object_object_add(o, "reference", json_str(d->ref));
	return o;
}

/* --list-findings: the whole catalogue, with each entry's penalty. */
json_object *
report_catalogue_json(void)
{
	json_object *a, *e;
	const struct finding_def *d;
	int i;

	a = json_object_new_array();
	for (i = 0; i < F__COUNT; i++) {
		d = finding_def((enum finding_code)i);
		e = def_json(d);
		json_object_object_add(e, "penalty",
		    json_object_new_int(d->penalty));
		json_object_array_add(a, e);
	}
	return a;
}

json_object *
report_findings_json(const struct findings *fs, const struct score *sc)
{
	json_object *a, *o;
	const struct finding *f;
	const struct finding_def *d;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		d = finding_def(f->code);
		o = def_json(d);
		json_object_object_add(o, "message", json_str(f->message));
		json_object_object_add(o, "subject", json_str(f->subject));
		json_object_object_add(o, "points", json_object_new_int(
		    i < sc->npoints ? sc->points[i] : 0));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
report_score_json(const struct score *sc)
{
	json_object *o, *c, *e;
	int i;

	o = json_object_new_object();
	json_object_object_add(o, "value", sc->valid ?
	    json_object_new_int(sc->value) : NULL);
	json_object_object_add(o, "grade", json_str(sc->grade));
	json_object_object_add(o, "capped", json_object_new_boolean(
	    sc->capped));
	json_object_object_add(o, "note", json_str(sc->why));
	c = json_object_new_object();
	for (i = 0; i < SCORE_NCAT; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "weight", json_object_new_int(
		    score_cat_weight((enum score_cat)i)));
		json_object_object_add(e, "lost", json_object_new_int(
		    sc->lost[i]));
		json_object_object_add(c, score_cat_name((enum score_cat)i), e);
	}
	json_object_object_add(o, "categories", c);
	return o;
}
