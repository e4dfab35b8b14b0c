#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/analyze_baseline.h"
#include "analyze/analyze_cutover.h"
#include "analyze/findings.h"
#include "analyze/score.h"
#include "app/batch.h"
#include "app/cli.h"
#include "app/env.h"
#include "app/run.h"
#include "facts/probe_facts.h"
#include "probe/propagation.h"
#include "report/report.h"
#include "util/buf.h"

/*
 * --list-findings: the catalogue as a JSON array, the source that
 * doc/mxprobe-findings.7 and doc/findings.md are generated from
 * (tests/meta/gen-findings-doc.py).
 */
int
run_list_findings(void)
{
	json_object *a = report_catalogue_json();

	printf("%s\n", json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return EXIT_OK;
	/* A closed stdout: the documented 141, as for a report. */
	return errno == EPIPE ? BATCH_EXIT_EPIPE : EXIT_UNKNOWN;
}

static void
changes_text(json_object *changes, struct buf *out)
{
	json_object *c, *v;
	size_t i;

	buf_printf(out, "\nChanges since the baseline\n");
	if (json_object_array_length(changes) == 0)
		buf_printf(out, "  none\n");
	for (i = 0; i < json_object_array_length(changes); i++) {
		c = json_object_array_get_idx(changes, i);
		buf_printf(out, "  %s of %s\n",
		    json_object_get_string(json_object_object_get(c, "what")),
		    json_object_get_string(json_object_object_get(c,
		    "subject")));
		v = json_object_object_get(c, "before");
		buf_printf(out, "      before: %s\n", v ?
		    json_object_get_string(v) : "(none)");
		v = json_object_object_get(c, "after");
		buf_printf(out, "      after:  %s\n", v ?
		    json_object_get_string(v) : "(none)");
	}
}

/* The largest MX TTL an authoritative server gave, or -1. */
static long
auth_ttl(const struct propagation_facts *pf)
{
	long ttl = -1;
	size_t i;

	for (i = 0; pf != NULL && i < pf->nservers; i++)
		if (pf->servers[i].role == PROPAGATION_AUTHORITATIVE &&
		    pf->servers[i].outcome == DNS_OK &&
		    pf->servers[i].ttl_known &&
		    (long)pf->servers[i].ttl > ttl)
			ttl = (long)pf->servers[i].ttl;
	return ttl;
}

/* --accept: the rules were checked when parsed. */
static void
accept_apply(const struct cli *o, struct findings *fs)
{
	size_t i;

	for (i = 0; i < o->naccept; i++)
		(void)findings_accept(fs, o->accept[i]);
}

/*
 * The baseline pass: render this run as the JSON a saved report holds,
 * compare, and score again, since the changes are findings too. Returns
 * the changes (the caller puts them).
 */
static json_object *
baseline_pass(const struct cli *o, json_object *baseline, struct report *r,
    struct findings *fs, struct score *sc)
{
	json_object *j, *changes;

	j = report_json(r);
	changes = baseline_compare(baseline, j, fs);
	json_object_put(j);
	accept_apply(o, fs);
	score_free(sc);
	score_compute(fs, sc);
	r->status = score_status(fs, sc, cli_warn(o), cli_crit(o));
	return changes;
}

static void
render(const struct cli *o, const struct report *r, json_object *changes,
    const struct propagation_facts *pf, struct buf *out)
{
	json_object *j, *b;

	if (o->json) {
		/* Batch mode writes JSON Lines: one object per line. */
		j = report_json(r);
		if (changes != NULL) {
			b = json_object_new_object();
			json_object_object_add(b, "file",
			    json_object_new_string(o->baseline));
			json_object_object_add(b, "changes",
			    json_object_get(changes));
			json_object_object_add(j, "baseline", b);
		}
		propagation_json(pf, o->expect_mx.v, o->old_mx.v, j);
		buf_printf(out, "%s\n", json_object_to_json_string_ext(j,
		    (o->batch ? JSON_C_TO_STRING_PLAIN :
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else if (o->quiet || o->batch)
		report_quiet(r, out);
	else if (o->nagios)
		report_nagios(r, cli_warn(o), cli_crit(o), out);
	else {
		report_text(r, env_use_colour(o), out);
		if (changes != NULL)
			changes_text(changes, out);
		propagation_text(pf, o->expect_mx.v, o->old_mx.v, out);
	}
}

int
run_report(const struct cli *o, const struct cutover_opts *co,
    json_object *baseline, const struct probe_facts *f,
    const struct propagation_facts *pf)
{
	struct buf *out;
	int status;

	out = buf_new(RUN_OUT_MAX);
	status = run_render(o, co, baseline, f, pf, out, NULL);
	fwrite(buf_str(out), 1, buf_len(out), stdout);
	buf_free(out);
	return status;
}

int
run_render(const struct cli *o, const struct cutover_opts *co,
    json_object *baseline, const struct probe_facts *f,
    const struct propagation_facts *pf, struct buf *out,
    struct run_result *rr)
{
	struct analyze_opts ao;
	struct findings *fs;
	struct score sc;
	struct report r;
	json_object *changes = NULL;
	struct cutover_opts cut;
	size_t i;
	int status;

	memset(&ao, 0, sizeof(ao));
	ao.allow_loopback = o->allow_loopback;
	ao.cert_warn_days = o->cert_warn_days > 0 ? o->cert_warn_days :
	    ANALYZE_CERT_WARN_OFF;
	cut = *co;
	cut.auth_ttl = auth_ttl(pf);
	ao.cutover = &cut;
	fs = findings_new();
	analyze_probe(f, &ao, fs);
	propagation_analyze(pf, o->expect_mx.v, o->old_mx.v, fs);
	accept_apply(o, fs);
	score_compute(fs, &sc);
	memset(&r, 0, sizeof(r));
	r.facts = f;
	r.fs = fs;
	r.score = &sc;
	r.cert_warn_days = ao.cert_warn_days;
	r.status = score_status(fs, &sc, cli_warn(o), cli_crit(o));
	if (baseline != NULL)
		changes = baseline_pass(o, baseline, &r, fs, &sc);
	status = r.status;
	if (rr != NULL) {
		rr->status = status;
		rr->score = sc.valid ? sc.value : -1;
		rr->grade = sc.valid ? sc.grade : "-";
		rr->ncodes = 0;
		for (i = 0; i < findings_count(fs) &&
		    rr->ncodes < RUN_MAX_CODES; i++)
			rr->codes[rr->ncodes++] =
			    (int)findings_get(fs, i)->code;
		rr->nfindings = findings_count(fs);
	}
	if (o->csv == 0)
		render(o, &r, changes, pf, out);
	json_object_put(changes);
	score_free(&sc);
	findings_free(fs);
	return status;
}
