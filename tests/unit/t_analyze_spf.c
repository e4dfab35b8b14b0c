/*
 * Unit tests for src/analyze/analyze_spf.c over literal trees: the
 * SPF_* findings of the include/redirect tree (analyze_spf), of the
 * --spf-ip answers (analyze_spf_ip), why receivers get permerror
 * (analyze_spf_permerror), and the text and JSON the tree renders to
 * (src/report/report_spf.c).
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "parse/spf.h"
#include "facts/auth_facts.h"
#include "facts/spf_facts.h"
#include "util/xalloc.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "tap.h"

/* --- analyze_spf on literal trees --- */

static struct spf_node *
ok_node(struct spf_node *parent, const char *domain, const char *via,
    unsigned own, char all)
{
	struct spf_node *n = spf_node_new(parent, domain, via);

	n->status = SPF_NODE_OK;
	n->own_lookups = own;
	n->all_qual = all;
	n->records_found = 1;
	n->record = xstrdup("v=spf1 -all");
	n->txt_size = 100;
	return n;
}

static struct spf_analysis *
analysis(struct spf_node *root)
{
	struct spf_analysis *a = xcalloc(1, sizeof(*a));

	a->domain = xstrdup(root->domain);
	a->root = root;
	spf_analysis_totals(a);
	return a;
}

static int
raises(struct spf_analysis *a, enum finding_code c, const char *part,
    size_t *total)
{
	struct findings *fs = findings_new();
	const struct finding *f;
	size_t i;
	int found = 0;

	analyze_spf(a, a->domain, fs);
	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		if (f->code == c && (part == NULL ||
		    strstr(f->message, part) != NULL))
			found = 1;
	}
	if (!found)
		for (i = 0; i < findings_count(fs); i++)
			diag("  raised %s: %s",
			    finding_def(findings_get(fs, i)->code)->code,
			    findings_get(fs, i)->message);
	if (total)
		*total = findings_count(fs);
	findings_free(fs);
	spf_analysis_free(a);
	return found;
}

static void
test_analyze(void)
{
	struct spf_node *r, *c, *d;
	struct spf_analysis *a;
	struct findings *fs;
	size_t n;

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_NONE;
	r->error = xstrdup("no TXT record");
	ok(raises(analysis(r), F_SPF_MISSING, "no SPF record", &n) && n == 1,
	    "SPF_MISSING");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_MULTIPLE;
	r->records_found = 2;
	ok(raises(analysis(r), F_SPF_MULTIPLE_RECORDS, "2 SPF records", NULL),
	    "SPF_MULTIPLE_RECORDS");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_SYNTAX;
	r->errpos = 24;
	r->error = xstrdup("unknown mechanism \"moo\"");
	ok(raises(analysis(r), F_SPF_SYNTAX_ERROR,
	    "position 24: unknown mechanism", NULL), "SPF_SYNTAX_ERROR");

	r = ok_node(NULL, "example.com", NULL, 3, '-');
	c = ok_node(r, "_spf.big.example", "include:_spf.big.example", 2, '~');
	ok_node(c, "a.big.example", "include:a.big.example", 5, '~');
	ok_node(c, "b.big.example", "include:b.big.example", 1, '~');
	ok_node(r, "small.example", "include:small.example", 0, '~');
	a = analysis(r);
	is_int(a->lookups, 11, "lookups summed over the tree");
	ok(raises(a, F_SPF_TOO_MANY_LOOKUPS,
	    "11 DNS-querying terms (limit 10): receivers give permerror. "
	    "include:_spf.big.example costs the most: 9.", NULL),
	    "SPF_TOO_MANY_LOOKUPS names the costly branch");

	r = ok_node(NULL, "example.com", NULL, 10, '-');
	ok(!raises(analysis(r), F_SPF_TOO_MANY_LOOKUPS, NULL, &n) && n == 0,
	    "10 lookups: no finding");

	r = ok_node(NULL, "example.com", NULL, 3, '-');
	r->own_void = 2;
	r->void_terms = xcalloc(2, sizeof(char *));
	r->void_terms[0] = xstrdup("a:gone.example.com");
	r->void_terms[1] = xstrdup("mx:nomx.example.com");
	r->nvoid_terms = 2;
	c = ok_node(r, "inc.example", "include:inc.example", 1, '-');
	c->own_void = 1;
	c->void_terms = xcalloc(1, sizeof(char *));
	c->void_terms[0] = xstrdup("exists:x.example");
	c->nvoid_terms = 1;
	ok(raises(analysis(r), F_SPF_TOO_MANY_VOID_LOOKUPS,
	    "a:gone.example.com (example.com), mx:nomx.example.com "
	    "(example.com), exists:x.example (inc.example)", NULL),
	    "SPF_TOO_MANY_VOID_LOOKUPS lists the terms");

	r = ok_node(NULL, "example.com", NULL, 0, '+');
	ok(raises(analysis(r), F_SPF_PASS_ALL, "+all", NULL), "SPF_PASS_ALL");
	r = ok_node(NULL, "example.com", NULL, 0, '?');
	ok(raises(analysis(r), F_SPF_NEUTRAL_ALL, "?all", NULL),
	    "SPF_NEUTRAL_ALL");
	r = ok_node(NULL, "example.com", NULL, 0, '~');
	ok(raises(analysis(r), F_SPF_SOFTFAIL_ALL, "~all", NULL),
	    "SPF_SOFTFAIL_ALL");
	r = ok_node(NULL, "example.com", NULL, 0, 0);
	ok(raises(analysis(r), F_SPF_NO_ALL, "has no all", NULL),
	    "SPF_NO_ALL");

	/* redirect: the target's all decides. */
	r = ok_node(NULL, "example.com", NULL, 1, 0);
	r->has_redirect = 1;
	c = ok_node(r, "_spf.example.net", "redirect=_spf.example.net", 0,
	    '+');
	c->via_redirect = 1;
	a = analysis(r);
	ok(a->all_qual == '+' && a->redirect != NULL &&
	    strcmp(a->redirect, "_spf.example.net") == 0,
	    "all followed through redirect");
	ok(raises(a, F_SPF_PASS_ALL, NULL, NULL), "+all via redirect");
	r = ok_node(NULL, "example.com", NULL, 1, 0);
	r->has_redirect = 1;
	c = ok_node(r, "_spf.example.net", "redirect=_spf.example.net", 0,
	    '-');
	c->via_redirect = 1;
	ok(!raises(analysis(r), F_SPF_NO_ALL, NULL, &n) && n == 0,
	    "redirect to -all: no finding");

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	r->has_ptr = 1;
	ok(raises(analysis(r), F_SPF_PTR_USED, "ptr", NULL), "SPF_PTR_USED");

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "gone.example", "include:gone.example");
	c->status = SPF_NODE_NXDOMAIN;
	c->error = xstrdup("the domain does not exist (NXDOMAIN)");
	ok(raises(analysis(r), F_SPF_INCLUDE_UNRESOLVED,
	    "include:gone.example in the record of example.com", NULL),
	    "SPF_INCLUDE_UNRESOLVED");

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = ok_node(r, "a.example", "include:a.example", 1, '-');
	d = spf_node_new(c, "example.com", "include:example.com");
	d->status = SPF_NODE_LOOP;
	ok(raises(analysis(r), F_SPF_INCLUDE_LOOP,
	    "include:example.com in the record of a.example", NULL),
	    "SPF_INCLUDE_LOOP");

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	r->txt_size = 480;
	ok(raises(analysis(r), F_SPF_RECORD_NEAR_UDP_LIMIT, "480 octets",
	    NULL), "SPF_RECORD_NEAR_UDP_LIMIT");
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	r->txt_size = 450;
	ok(!raises(analysis(r), F_SPF_RECORD_NEAR_UDP_LIMIT, NULL, NULL),
	    "450 octets: no finding");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_TEMPERROR;
	r->error = xstrdup("TXT lookup failed: TIMEOUT");
	ok(raises(analysis(r), F_SPF_LOOKUP_FAILED, "TIMEOUT", &n) && n == 1,
	    "SPF_LOOKUP_FAILED at the root, alone");
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "slow.example", "include:slow.example");
	c->status = SPF_NODE_TEMPERROR;
	c->error = xstrdup("TXT lookup failed: SERVFAIL");
	ok(raises(analysis(r), F_SPF_LOOKUP_FAILED, "include:slow.example",
	    NULL), "SPF_LOOKUP_FAILED in a branch");
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "bad.example", "include:bad.example");
	c->status = SPF_NODE_SYNTAX;
	c->errpos = 8;
	c->error = xstrdup("unknown mechanism \"x\"");
	ok(raises(analysis(r), F_SPF_SYNTAX_ERROR, "bad.example", NULL),
	    "SPF_SYNTAX_ERROR in a branch");
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "two.example", "include:two.example");
	c->status = SPF_NODE_MULTIPLE;
	c->records_found = 2;
	ok(raises(analysis(r), F_SPF_MULTIPLE_RECORDS, "two.example", NULL),
	    "SPF_MULTIPLE_RECORDS in a branch");

	/* A clean policy raises nothing. */
	r = ok_node(NULL, "example.com", NULL, 2, '-');
	ok_node(r, "_spf.example.net", "include:_spf.example.net", 3, '~');
	fs = findings_new();
	a = analysis(r);
	analyze_spf(a, "example.com", fs);
	is_int(findings_count(fs), 0, "clean policy: no findings");
	findings_free(fs);
	spf_analysis_free(a);
}

static void
test_render(void)
{
	struct spf_node *r, *c;
	struct spf_analysis *a;
	struct buf *b = buf_new(8192);
	json_object *o, *t, *v;

	r = ok_node(NULL, "example.com", NULL, 2, '~');
	r->has_ptr = 1;
	c = ok_node(r, "_spf.example.net", "include:_spf.example.net", 3, '-');
	c = spf_node_new(r, "gone.example", "include:gone.example");
	c->status = SPF_NODE_NXDOMAIN;
	c->error = xstrdup("the domain does not exist (NXDOMAIN)");
	a = analysis(r);
	report_spf_text(a, b);
	ok(strstr(buf_str(b), "DNS-querying terms: 5 of 10") != NULL &&
	    strstr(buf_str(b), "ends with: ~all") != NULL &&
	    strstr(buf_str(b), "include:gone.example  [nxdomain:") != NULL,
	    "text rendering");
	o = json_object_new_object();
	report_spf_json(a, o);
	ok(json_object_object_get_ex(o, "lookups", &v) &&
	    json_object_get_int(v) == 5, "json lookups");
	ok(json_object_object_get_ex(o, "all", &v) &&
	    strcmp(json_object_get_string(v), "~all") == 0, "json all");
	ok(json_object_object_get_ex(o, "records_found", &v) &&
	    json_object_get_int(v) == 1, "json records_found");
	ok(json_object_object_get_ex(o, "ptr_used", &v) &&
	    json_object_get_boolean(v), "json ptr_used");
	ok(json_object_object_get_ex(o, "tree", &t) &&
	    json_object_object_get_ex(t, "children", &v) &&
	    json_object_array_length(v) == 2 &&
	    json_object_object_get_ex(json_object_array_get_idx(v, 1),
	    "status", &t) && strcmp(json_object_get_string(t),
	    "nxdomain") == 0, "json tree");
	json_object_put(o);
	spf_analysis_free(a);
	buf_free(b);
}

/* The findings of a, as "CODE CODE"; *first the first's message. */
static char *
spf_codes(struct spf_analysis *a, const char *domain, char **first)
{
	struct findings *fs = findings_new();
	struct buf *b = buf_new(256);
	char *s;
	size_t i;

	analyze_spf(a, domain, fs);
	for (i = 0; i < findings_count(fs); i++)
		buf_printf(b, "%s%s", i ? " " : "",
		    finding_def(findings_get(fs, i)->code)->code);
	if (first != NULL)
		*first = findings_count(fs) ? xstrdup(finding_message(
		    findings_get(fs, 0), 0)) : xstrdup("");
	s = xstrdup(buf_str(b));
	buf_free(b);
	findings_free(fs);
	spf_analysis_free(a);
	return s;
}

static void
check(struct spf_analysis *a, const char *want, const char *text,
    const char *name)
{
	char *got, *msg;

	got = spf_codes(a, NULL, &msg);
	is_str(got, want, name);
	if (text != NULL && !ok(strstr(msg, text) != NULL, "%s: says \"%s\"",
	    name, text))
		diag("  message: %s", msg);
	free(got);
	free(msg);
}

static void
add_void(struct spf_node *n, const char *term)
{
	n->void_terms = xreallocarray(n->void_terms, n->nvoid_terms + 1,
	    sizeof(char *));
	n->void_terms[n->nvoid_terms++] = xstrdup(term);
	n->own_void++;
}

/* The branches test_analyze leaves out. */
static void
test_analyze_more(void)
{
	struct spf_node *r, *c;
	struct spf_analysis *a;
	int i;

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_NXDOMAIN;
	check(analysis(r), "SPF_MISSING", "example.com publishes no SPF "
	    "record", "NXDOMAIN, no reason");
	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_INVALID;
	r->error = xstrdup("not a domain name");
	check(analysis(r), "SPF_MISSING", "no SPF record (not a domain name)",
	    "invalid name");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_PENDING;
	check(analysis(r), "", NULL, "pending: no verdict yet");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_TEMPERROR;
	check(analysis(r), "SPF_LOOKUP_FAILED", "could not be read: ?",
	    "temperror without a reason");

	/* The domain named by the caller wins over the tree's. */
	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_NONE;
	a = analysis(r);
	{
		char *got, *msg;

		got = spf_codes(a, "Example.COM", &msg);
		ok(strncmp(msg, "Example.COM publishes", 21) == 0, "the "
		    "caller's spelling of the domain (%s)", msg);
		free(got);
		free(msg);
	}

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "nothing.example", "include:nothing.example");
	c->status = SPF_NODE_NONE;
	check(analysis(r), "SPF_INCLUDE_UNRESOLVED", "include:nothing.example "
	    "in the record of example.com finds no SPF record: receivers",
	    "include of a name without a record, no reason");

	r = ok_node(NULL, "example.com", NULL, 1, 0);
	r->has_redirect = 1;
	c = spf_node_new(r, "gone.example", "redirect=gone.example");
	c->via_redirect = 1;
	c->status = SPF_NODE_NXDOMAIN;
	c->error = xstrdup("NXDOMAIN");
	check(analysis(r), "SPF_INCLUDE_UNRESOLVED", "redirect=gone.example "
	    "in the record of example.com finds no SPF record (NXDOMAIN)",
	    "redirect to nothing: unresolved, and no SPF_NO_ALL");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_LOOP;
	r->via = xstrdup("include:example.com");
	check(analysis(r), "SPF_INCLUDE_LOOP", "in the record of ? leads "
	    "back", "a loop at the root");

	/* Lookups: the record's own terms cost the most. */
	r = ok_node(NULL, "example.com", NULL, 10, '-');
	ok_node(r, "a.example", "include:a.example", 1, '-');
	ok_node(r, "b.example", "include:b.example", 0, '-');
	check(analysis(r), "SPF_TOO_MANY_LOOKUPS", "The record itself has 10.",
	    "the record's own terms cost the most");
	r = ok_node(NULL, "example.com", NULL, 11, '-');
	check(analysis(r), "SPF_TOO_MANY_LOOKUPS", "takes 11 DNS-querying "
	    "terms (limit 10): receivers give permerror. The record itself "
	    "has 11.", "no include at all");

	/* More than five void terms: the list ends with "...". */
	r = ok_node(NULL, "example.com", NULL, 7, '-');
	for (i = 0; i < 7; i++) {
		char t[32];

		snprintf(t, sizeof(t), "a:v%d.example", i);
		add_void(r, t);
	}
	check(analysis(r), "SPF_TOO_MANY_VOID_LOOKUPS", "a:v4.example "
	    "(example.com), ...", "void list cut after five");
	r = ok_node(NULL, "example.com", NULL, 2, '-');
	add_void(r, "a:v1.example");
	add_void(r, "a:v2.example");
	check(analysis(r), "", NULL, "two void lookups: within the limit");

	/* The record's all after a redirect= that has none. */
	r = ok_node(NULL, "example.com", NULL, 1, 0);
	r->has_redirect = 1;
	c = ok_node(r, "_spf.example.net", "redirect=_spf.example.net", 0, 0);
	c->via_redirect = 1;
	check(analysis(r), "SPF_NO_ALL", "of example.com (after redirect=) "
	    "has no all", "no all after redirect");

	/* ptr is said once for the tree. */
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	r->has_ptr = 1;
	c = ok_node(r, "a.example", "include:a.example", 1, '-');
	c->has_ptr = 1;
	check(analysis(r), "SPF_PTR_USED", "The SPF record of example.com "
	    "uses the ptr mechanism", "ptr twice: one finding");

	/* A root that does not parse: no verdict about its all. */
	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_SYNTAX;
	r->errpos = 3;
	r->txt_size = 500;
	check(analysis(r), "SPF_SYNTAX_ERROR SPF_RECORD_NEAR_UDP_LIMIT",
	    "has a syntax error at position 3: ?; receivers give permerror",
	    "syntax error, no reason; no SPF_NO_ALL");

	/* The walk stopped: the totals are lower bounds. */
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "deep.example", "include:deep.example");
	c->status = SPF_NODE_LIMIT;
	check(analysis(r), "SPF_WALK_LIMIT", "1 include/redirect target(s) not "
	    "followed and 0 question(s) not sent", "a branch not followed");
	r = ok_node(NULL, "example.com", NULL, 1, '-');
	a = analysis(r);
	a->queries_cut = 4;
	check(a, "SPF_WALK_LIMIT", "0 include/redirect target(s) not followed "
	    "and 4 question(s) not sent", "questions not sent");

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "m.example", "include:%{i}.m.example");
	c->status = SPF_NODE_MACRO;
	check(analysis(r), "", NULL, "a macro target: not followed, no "
	    "verdict");
}

static void
test_permerror(void)
{
	struct spf_node *r, *c;
	struct spf_analysis *a;
	char out[300];
	const char *p;

	ok(analyze_spf_permerror(NULL, out, sizeof(out)) == NULL, "no "
	    "analysis: NULL");

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_MULTIPLE;
	r->records_found = 3;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)), "3 SPF records",
	    "root with three records");
	spf_analysis_free(a);

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_SYNTAX;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)), "a syntax error",
	    "root syntax error");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "example.com", "include:example.com");
	c->status = SPF_NODE_LOOP;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)),
	    "include:example.com loops", "a loop");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "bad.example", "include:bad.example");
	c->status = SPF_NODE_SYNTAX;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)),
	    "include:bad.example has a syntax error", "an include that does "
	    "not parse");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	c = spf_node_new(r, "two.example", NULL);
	c->status = SPF_NODE_MULTIPLE;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)),
	    "two.example has two records", "no term: the domain is named");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 1, '-');
	ok_node(r, "fine.example", "include:fine.example", 0, '-');
	c = spf_node_new(r, "gone.example", "include:gone.example");
	c->status = SPF_NODE_NXDOMAIN;
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)),
	    "include:gone.example finds no record", "an include of nothing");
	spf_analysis_free(a);

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_NONE;
	a = analysis(r);
	ok(analyze_spf_permerror(a, out, sizeof(out)) == NULL, "no record: "
	    "none, not permerror");
	spf_analysis_free(a);

	r = spf_node_new(NULL, "example.com", NULL);
	r->status = SPF_NODE_TEMPERROR;
	a = analysis(r);
	ok(analyze_spf_permerror(a, out, sizeof(out)) == NULL, "temperror: "
	    "not permerror");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 12, '-');
	a = analysis(r);
	is_str(analyze_spf_permerror(a, out, sizeof(out)),
	    "12 DNS lookups, over the limit of 10", "too many lookups");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 3, '-');
	add_void(r, "a:x.example");
	add_void(r, "a:y.example");
	add_void(r, "a:z.example");
	a = analysis(r);
	p = analyze_spf_permerror(a, out, sizeof(out));
	is_str(p, "3 void lookups, over the limit of 2", "too many void "
	    "lookups");
	ok(p == out, "written to out");
	spf_analysis_free(a);

	r = ok_node(NULL, "example.com", NULL, 10, '~');
	a = analysis(r);
	ok(analyze_spf_permerror(a, out, sizeof(out)) == NULL, "10 lookups, "
	    "~all: no permerror");
	spf_analysis_free(a);
}

static void
test_ip(void)
{
	static struct auth_spf_eval ev[] = {
		{ "192.0.2.1", "a@example.com", NULL, 1, SPF_PASS, NULL, NULL,
		    NULL, NULL, "pass" },
		{ "192.0.2.2", "a@example.com", NULL, 1, SPF_FAIL,
		    "_spf.example.com", NULL, NULL, NULL, "fail text" },
		{ "192.0.2.3", "a@example.com", NULL, 1, SPF_SOFTFAIL, NULL,
		    NULL, NULL, NULL, NULL },
		{ "192.0.2.4", "a@example.com", NULL, 1, SPF_NEUTRAL, NULL,
		    NULL, NULL, NULL, "neutral" },
		{ "192.0.2.5", "a@example.com", NULL, 1, SPF_NONE, NULL,
		    NULL, NULL, "no record", "none" },
		{ "192.0.2.6", "a@example.com", NULL, 1, SPF_PERMERROR, NULL,
		    NULL, NULL, "include:x.example finds no record", NULL },
		{ "192.0.2.7", "a@example.com", NULL, 1, SPF_PERMERROR, NULL,
		    NULL, NULL, NULL, NULL },
		{ "192.0.2.8", "a@example.com", NULL, 1, SPF_TEMPERROR, NULL,
		    NULL, NULL, "a DNS timeout", NULL },
		{ "192.0.2.9", "a@example.com", NULL, 1, SPF_TEMPERROR, NULL,
		    NULL, NULL, NULL, NULL },
	};
	static const struct {
		enum finding_code	 code;
		const char		*text;
	} want[] = {
		{ F_SPF_IP_NOT_AUTHORIZED, "Mail from 192.0.2.2 as "
		    "a@example.com gets SPF fail (fail text): the SPF record "
		    "of _spf.example.com does not list this host, so "
		    "receivers may reject it." },
		{ F_SPF_IP_NOT_AUTHORIZED, "gets SPF softfail (): the SPF "
		    "record of example.com does not list this host, so "
		    "receivers are likely to junk it." },
		{ F_SPF_IP_NOT_AUTHORIZED, "gets SPF neutral (neutral): the "
		    "SPF record of example.com does not list this host, so "
		    "receivers do not treat it as authenticated." },
		{ F_SPF_IP_NOT_AUTHORIZED, "gets SPF none (none)" },
		{ F_SPF_IP_PERMERROR, "Mail from 192.0.2.6 as a@example.com "
		    "gets SPF permerror: include:x.example finds no record." },
		{ F_SPF_IP_PERMERROR, "permerror: the record cannot be "
		    "evaluated." },
		{ F_SPF_IP_TEMPERROR, "SPF for mail from 192.0.2.8 as "
		    "a@example.com could not be evaluated: a DNS timeout." },
		{ F_SPF_IP_TEMPERROR, "could not be evaluated: a temporary "
		    "error (temperror)." },
	};
	struct auth_facts af;
	struct findings *fs;
	const struct finding *f;
	size_t i;

	memset(&af, 0, sizeof(af));
	af.domain = "example.com";
	af.evals = ev;
	af.nevals = 1;
	fs = findings_new();
	analyze_spf_ip(&af, fs);
	is_int(findings_count(fs), 0, "--spf-ip of a listed host: pass, no "
	    "finding");
	findings_free(fs);

	af.nevals = sizeof(ev) / sizeof(ev[0]);
	fs = findings_new();
	analyze_spf_ip(&af, fs);
	is_int(findings_count(fs), 8, "one finding per answer but the pass");
	for (i = 0; i < findings_count(fs) && i < 8; i++) {
		f = findings_get(fs, i);
		is_str(finding_def(f->code)->code,
		    finding_def(want[i].code)->code, ev[i + 1].ip);
		is_str(f->subject, ev[i + 1].ip, "subject: the address");
		if (!ok(strstr(finding_message(f, 0), want[i].text) != NULL,
		    "says \"%s\"", want[i].text))
			diag("  message: %s", finding_message(f, 0));
	}
	findings_free(fs);
}

int
main(void)
{
	test_analyze();
	test_analyze_more();
	test_permerror();
	test_ip();
	test_render();
	return tap_done();
}
