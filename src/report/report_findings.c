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
#include "util/width.h"
#include "util/i18n.h"
#include "util/xalloc.h"

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

/*
 * The words the analysis names in English (status, severity, score
 * category and class, the note of a capped or missing score), as the
 * text report writes them: in the user's language when the catalogue
 * has them, else as they are. JSON, --quiet, --nagios and --csv print
 * the names themselves.
 */
static const char *const words[] = {
	N_("OK"), N_("WARNING"), N_("CRITICAL"), N_("UNKNOWN"),
	N_("critical"), N_("warning"), N_("info"), N_("unknown"),
	N_("reachability"), N_("fallback"), N_("transport"),
	N_("authentication"),
	N_("hygiene"), N_("degraded"), N_("outage"), N_("healthy"),
	N_("the MX records could not be read: no score"),
	N_("a check could not be made (see the UNKNOWN findings): no score"),
	N_("no exchanger could be reached from here (port 25 blocked?): "
	    "no score"),
	N_("the domain accepts no mail (null MX): no score"),
	N_("no exchanger can receive mail: capped at 20 (grade F)"),
	N_("mail cannot be delivered for a class of sender: capped at 20 "
	    "(grade F)"),
	N_("delivery is degraded: capped at 69"),
	N_("delivery is degraded, not out: at least 21"),
	N_("mail is delivered; what is left is hygiene: at least 70"),
};

const char *
report_word(const char *s)
{
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return _(words[i]);
	return s;
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

	esc_printf(out, 0, _("\nFindings\n"));
	if (findings_count(fs) == 0) {
		esc_printf(out, 0, _("  none\n"));
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
			    report_word(finding_sev_name(d->sev)),
			    report_colour_reset(colour), d->code);
			if (f->accepted)
				esc_printf(out, 0, " %s", _("(accepted)"));
			if (r->score->valid && r->score->points[i] > 0)
				esc_printf(out, 0, "  (-%d)",
				    r->score->points[i]);
			esc_printf(out, 0, "\n      %s\n",
			    finding_message(f, 1));
		}
}

/*
 * The tier of a fix (doc/verdicts.md): what restores delivery for a class
 * of sender first, then the cutover the user asked about, then what
 * lifts a degradation, then the rest, then the INFO findings that cost
 * points.
 */
static int
fix_tier(enum finding_code c)
{
	const struct finding_def *d = finding_def(c);

	switch (score_finding_class(c)) {
	case SCORE_OUTAGE:
		return 0;
	case SCORE_DEGRADED:
		return 2;
	default:
		break;
	}
	if (score_cutover(c))
		return 1;
	return d->sev == SEV_INFO ? 4 : 3;
}

/* a before b in the fix list */
static int
fix_before(const struct report *r, size_t a, size_t b)
{
	const struct finding_def *da, *db;
	int ta, tb;

	ta = fix_tier(findings_get(r->fs, a)->code);
	tb = fix_tier(findings_get(r->fs, b)->code);
	if (ta != tb)
		return ta < tb;
	if (r->score->points[a] != r->score->points[b])
		return r->score->points[a] > r->score->points[b];
	da = finding_def(findings_get(r->fs, a)->code);
	db = finding_def(findings_get(r->fs, b)->code);
	if (da->sev != db->sev)
		return da->sev == SEV_CRITICAL || (da->sev == SEV_WARNING &&
		    db->sev == SEV_INFO);
	return a < b;
}

size_t
report_fix_order(const struct report *r, size_t *out)
{
	const struct findings *fs = r->fs;
	const struct finding_def *d;
	size_t n = findings_count(fs), i, j, k, best, nout = 0;
	int *used;

	used = xcalloc(n ? n : 1, sizeof(*used));
	for (k = 0; k < n; k++) {
		best = n;
		for (i = 0; i < n; i++)
			if (!used[i] && (best == n || fix_before(r, i, best)))
				best = i;
		used[best] = 1;
		d = finding_def(findings_get(fs, best)->code);
		if ((d->sev == SEV_INFO && r->score->points[best] == 0) ||
		    findings_get(fs, best)->accepted)
			continue;
		for (j = 0; j < nout; j++)
			if (findings_get(fs, out[j])->code ==
			    findings_get(fs, best)->code)
				break;
		if (j == nout)
			out[nout++] = best;
	}
	free(used);
	return nout;
}

/* The fixes, what most restores delivery first; each remedy once. */
void
report_fixes_text(const struct report *r, struct buf *out)
{
	const struct finding_def *d;
	size_t n = findings_count(r->fs), k, nfix, *idx;

	idx = xcalloc(n ? n : 1, sizeof(*idx));
	nfix = report_fix_order(r, idx);
	for (k = 0; k < nfix; k++) {
		d = finding_def(findings_get(r->fs, idx[k])->code);
		if (k == 0)
			esc_printf(out, 0,
			    _("\nWhat to fix, most important first\n"));
		esc_printf(out, 0, "  %zu. %s", k + 1, _(d->remedy));
		if (r->score->points[idx[k]] > 0)
			esc_printf(out, 0, " [+%d]", r->score->points[idx[k]]);
		esc_printf(out, 0, "\n     (%s; %s)\n", d->code, d->ref);
	}
	free(idx);
}

json_object *
report_fixes_json(const struct report *r)
{
	const struct finding_def *d;
	size_t n = findings_count(r->fs), k, nfix, *idx;
	json_object *a, *o;

	idx = xcalloc(n ? n : 1, sizeof(*idx));
	nfix = report_fix_order(r, idx);
	a = json_object_new_array();
	for (k = 0; k < nfix; k++) {
		d = finding_def(findings_get(r->fs, idx[k])->code);
		o = json_object_new_object();
		json_add_str(o, "code", d->code);
		json_add_str(o, "subject",
		    findings_get(r->fs, idx[k])->subject);
		json_add_str(o, "remedy", d->remedy);
		json_add_int(o, "points", r->score->points[idx[k]]);
		json_object_array_add(a, o);
	}
	free(idx);
	return a;
}

void
report_score_text(const struct report *r, struct buf *out)
{
	const struct score *s = r->score;
	int c;

	esc_printf(out, 0, _("\nScore\n"));
	if (!s->valid) {
		esc_printf(out, 0, _("  none: %s\n"), report_word(s->why));
		return;
	}
	esc_printf(out, 0, _("  %d/100, grade %s, delivery %s%s%s\n"),
	    s->value, s->grade, report_word(score_class_name(s->cls)),
	    s->capped ? " - " : "", s->capped ? report_word(s->why) : "");
	for (c = 0; c < SCORE_NCAT; c++) {
		/* Padded by columns: a translated label may be wide. */
		esc_printf(out, 0, "  ");
		width_pad(out, report_word(score_cat_name((enum score_cat)c)),
		    15);
		esc_printf(out, 0, " %2d/%d\n",
		    score_cat_weight((enum score_cat)c) - s->lost[c],
		    score_cat_weight((enum score_cat)c));
	}
}

/* The first fix that is not INFO, or NULL. */
const struct finding *
report_top_finding(const struct report *r)
{
	size_t n = findings_count(r->fs), k, nfix, *idx;
	const struct finding *top = NULL;

	idx = xcalloc(n ? n : 1, sizeof(*idx));
	nfix = report_fix_order(r, idx);
	for (k = 0; k < nfix && top == NULL; k++)
		if (finding_def(findings_get(r->fs, idx[k])->code)->sev !=
		    SEV_INFO)
			top = findings_get(r->fs, idx[k]);
	free(idx);
	return top;
}

/* A catalogue entry's fixed fields: its code, severity, texts, reference. */
static json_object *
def_json(const struct finding_def *d)
{
	json_object *o = json_object_new_object();

	json_add_str(o, "code", d->code);
	json_add_str(o, "severity", finding_sev_name(d->sev));
	json_add_str(o, "category", d->category);
	json_add_str(o, "title", d->title);
	json_add_str(o, "remedy", d->remedy);
	json_add_str(o, "reference", d->ref);
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
		json_add_int(e, "penalty", d->penalty);
		json_object_array_add(a, e);
	}
	return a;
}

json_object *
report_findings_json(const struct findings *fs, const struct score *sc,
    int local)
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
		json_add_str(o, "message", finding_message(f, local));
		json_add_str(o, "subject", f->subject);
		json_add_int(o, "points", i < sc->npoints ? sc->points[i] : 0);
		if (f->accepted)
			json_add_bool(o, "accepted", 1);
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
	json_add(o, "value", sc->valid ? json_object_new_int(sc->value) : NULL);
	json_add_str(o, "grade", sc->grade);
	json_add_bool(o, "capped", sc->capped);
	json_add_str(o, "note", sc->why);
	json_add(o, "class", sc->valid ? json_str(score_class_name(sc->cls)) :
	    NULL);
	c = json_object_new_object();
	for (i = 0; i < SCORE_NCAT; i++) {
		e = json_object_new_object();
		json_add_int(e, "weight", score_cat_weight((enum score_cat)i));
		json_add_int(e, "lost", sc->lost[i]);
		json_add(c, score_cat_name((enum score_cat)i), e);
	}
	json_add(o, "categories", c);
	return o;
}
