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
#include "app/idn.h"
#include "app/run.h"
#include "facts/probe_facts.h"
#include "parse/range.h"
#include "probe/propagation.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/i18n.h"

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

/* One value of a baseline change, as text (its strings escaped already). */
static void
change_value_text(json_object *v, struct buf *out)
{
	json_object *e, *p, *h;
	size_t i;

	if (v == NULL) {
		buf_printf(out, "%s", _("(none)"));
		return;
	}
	if (json_object_is_type(v, json_type_string)) {
		buf_printf(out, "%s", json_object_get_string(v));
		return;
	}
	if (json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) == 0) {
		buf_printf(out, "%s", _("(none)"));
		return;
	}
	if (json_object_object_get_ex(v, "subject", &e)) {
		/* A certificate. */
		buf_printf(out, _("%s (issuer %s, until %s)"),
		    json_object_get_string(e), json_object_get_string(
		    json_object_object_get(v, "issuer")),
		    json_object_get_string(json_object_object_get(v,
		    "not_after")));
		return;
	}
	if (!json_object_is_type(v, json_type_array)) {
		buf_printf(out, "%s", json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		return;
	}
	for (i = 0; i < json_object_array_length(v); i++) {
		e = json_object_array_get_idx(v, i);
		buf_printf(out, "%s", i ? ", " : "");
		if (json_object_object_get_ex(e, "preference", &p) &&
		    json_object_object_get_ex(e, "host", &h))
			buf_printf(out, "%d %s", json_object_get_int(p),
			    json_object_get_string(h));
		else if (json_object_is_type(e, json_type_string))
			buf_printf(out, "%s", json_object_get_string(e));
		else
			buf_printf(out, "%s", json_object_to_json_string_ext(e,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

static void
changes_text(json_object *changes, struct buf *out)
{
	json_object *c, *v;
	size_t i;

	buf_printf(out, _("\nChanges since the baseline\n"));
	if (json_object_array_length(changes) == 0)
		buf_printf(out, _("  none\n"));
	for (i = 0; i < json_object_array_length(changes); i++) {
		c = json_object_array_get_idx(changes, i);
		buf_printf(out, _("  %s of %s\n"),
		    json_object_get_string(json_object_object_get(c, "what")),
		    json_object_get_string(json_object_object_get(c,
		    "subject")));
		v = json_object_object_get(c, "before");
		buf_printf(out, "%s", _("      before: "));
		change_value_text(v, out);
		v = json_object_object_get(c, "after");
		buf_printf(out, "\n%s", _("      after:  "));
		change_value_text(v, out);
		buf_printf(out, "\n");
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
	int local = r->json_locale;

	/* The baseline is compared in English, as --json writes it. */
	r->json_locale = 0;
	j = report_json(r);
	r->json_locale = local;
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
	struct buf *text;

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
		/* Folded at the width as one pass over the finished text. */
		text = buf_new(REPORT_BUF_MAX);
		report_text(r, env_use_colour(o), text);
		if (changes != NULL)
			changes_text(changes, text);
		propagation_text(pf, o->expect_mx.v, o->old_mx.v, text);
		report_wrap(buf_str(text), env_columns(), out);
		buf_free(text);
	}
}

static json_object *
str_list(const char *const *v)
{
	json_object *a = json_object_new_array();

	for (; v != NULL && *v != NULL; v++)
		json_object_array_add(a, json_str(*v));
	return a;
}

static json_object *
opt_range(const struct range *r)
{
	struct buf *b;
	json_object *j;

	if (r == NULL)
		return NULL;
	b = buf_new(128);
	range_format(r, b);
	j = json_str(buf_str(b));
	buf_free(b);
	return j;
}

/*
 * The JSON's "run" member (doc/json-schema.json): the resolvers asked
 * (servers, NULL-terminated, or NULL: the --resolver list) and the
 * options that change verdicts, as given.
 */
static json_object *
run_json(const struct cli *o, const char *const *servers)
{
	json_object *run, *res, *op;

	run = json_object_new_object();
	res = json_object_new_object();
	json_add_str(res, "source", o->resolvers.n == 0 ? "system" :
	    "configured");
	json_add(res, "servers", str_list(servers != NULL ? servers :
	    o->resolvers.v));
	json_add_bool(res, "propagation", o->propagation);
	json_add(run, "resolvers", res);
	op = json_object_new_object();
	json_add_int64(op, "timeout_ms", o->timeout_ms);
	json_add_int64(op, "step_ms", o->step_ms);
	json_add_int(op, "smtp_port", o->smtp_port);
	json_add_int(op, "https_port", o->https_port ? o->https_port : 443);
	json_add_bool(op, "dns_only", o->dns_only);
	json_add_str(op, "family", o->family == 4 ? "ipv4" :
	    o->family == 6 ? "ipv6" : "both");
	json_add_bool(op, "allow_loopback", o->allow_loopback);
	json_add_bool(op, "allow_documentation", o->allow_documentation);
	json_add(op, "max_ttl", o->max_ttl >= 0 ?
	    json_object_new_int64(o->max_ttl) : NULL);
	json_add_str(op, "ehlo", o->ehlo);
	json_add_str(op, "helo", o->helo);
	json_add_str(op, "spf_sender", o->spf_sender);
	json_add_str(op, "expect_banner", o->expect_banner);
	json_add(op, "expect_mx", str_list(o->expect_mx.v));
	json_add(op, "expect_contains", str_list(o->expect_contains.v));
	json_add(op, "old_mx", str_list(o->old_mx.v));
	json_add(op, "dkim_selectors", str_list(o->dkim_selectors.v));
	json_add(op, "spf_ip", str_list(o->spf_ip.v));
	json_add(op, "assume_down", str_list(o->assume_down.v));
	json_add(op, "warn", opt_range(cli_warn(o)));
	json_add(op, "crit", opt_range(cli_crit(o)));
	json_add(run, "options", op);
	return run;
}

int
run_render(const struct cli *o, const struct cutover_opts *co,
    json_object *baseline, const struct probe_facts *f,
    const struct propagation_facts *pf, const char *const *servers,
    struct buf *out, struct run_result *rr)
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
	ao.allow_documentation = o->allow_documentation;
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
	r.ulabel = idn_ulabel;
	r.fs = fs;
	r.score = &sc;
	r.json_locale = o->json_locale;
	r.cert_warn_days = ao.cert_warn_days;
	r.status = score_status(fs, &sc, cli_warn(o), cli_crit(o));
	r.version = PACKAGE_VERSION;
	r.run = run_json(o, servers);
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
	json_object_put(r.run);
	score_free(&sc);
	findings_free(fs);
	return status;
}
