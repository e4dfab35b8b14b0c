/*
 * t_spf_walk - the asynchronous parts: spf_walk_start() (the
 * concurrent include/redirect walk) and the spf_eval API (start, cancel,
 * early results, result text), over dns_new_fake().
 */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "util/buf.h"
#include "facts/limits.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "analyze/findings.h"
#include "parse/spf.h"
#include "probe/spf_walk.h"
#include "probe/spf_check_host.h"
#include "util/xalloc.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "fake_zone.h"
#include "tap.h"
#include "util/dname.h"

/* 150 a: terms to names the record chose (filled by main()). */
static char fan_record[4096];
/*
 * A record with literal domain-specs over 253 octets, the name the §7.3
 * cut leaves of them, and a literal with a label of 64 octets (filled
 * by test_long_spec()).
 */
static char cut_record[2048], cut_name[256], cut_a_name[256];

static const struct zrr zone[] = {
	{ "example.com", DNS_T_TXT, "v=spf1 a mx include:inc1.example.net "
	    "include:inc2.example.net include:gone.example.net "
	    "a:nohost.example.com include:_spf.%{l}.%{d} ptr "
	    "redirect=never.example.org -all" },
	{ "example.com", DNS_T_TXT, "google-site-verification=xyz" },
	{ "example.com", DNS_T_A, "192.0.2.1" },
	{ "inc1.example.net", DNS_T_TXT, "v=spf1 include:deep.example.net "
	    "exists:nothing.example.net ~all" },
	{ "deep.example.net", DNS_T_TXT, "v=spf1 include:example.com "
	    "ip4:198.51.100.0/24 -all" },
	{ "inc2.example.net", DNS_T_TXT, "v=spf1 ip4:203.0.113.0/24 -all" },
	{ "slow.example", DNS_T_TXT, NULL },
	{ "slow.example", ZONE_TIMEOUT, NULL },
	{ "two.example", DNS_T_TXT, "v=spf1 -all" },
	{ "two.example", DNS_T_TXT, "v=spf1 +all" },
	{ "bad.example", DNS_T_TXT, "v=spf1 a:museum -all" },
	{ "redir.example", DNS_T_TXT, "v=spf1 redirect=target.example" },
	{ "target.example", DNS_T_TXT, "v=spf1 ip4:192.0.2.0/24 ?all" },
	{ "top.example", DNS_T_TXT, "v=spf1 include:slow.example "
	    "include:two.example include:bad.example" },
	{ "fail.example", DNS_T_TXT, "v=spf1 ip4:192.0.2.9 -all "
	    "exp=why.fail.example" },
	{ "why.fail.example", DNS_T_TXT, "%{i} is not one of %{d}'s senders" },
	{ "sf.example", DNS_T_TXT, "v=spf1 a:sf-host.example -all" },
	{ "sf-host.example", ZONE_SERVFAIL, NULL },
	{ "fan.example", DNS_T_TXT, fan_record },
	/* Macros the walk knows (d, o) and literal escapes are followed;
	 * the sender's and client's macros are not (test_macro_walk). */
	{ "mac.example", DNS_T_TXT, "v=spf1 include:_spf.%{d} "
	    "a:a%%b.mac.example mx:%-.mac.example exists:x%_y.mac.example "
	    "exists:%{l}.x.mac.example include:%{ir}.%{v}._spf.mac.example "
	    "include:%{h}.helo.mac.example a:%{s}.mac.example "
	    "mx:%{p}.mac.example -all" },
	{ "_spf.mac.example", DNS_T_TXT, "v=spf1 include:in.%{d} "
	    "include:%{o}.users.provider.example -all" },
	{ "in._spf.mac.example", DNS_T_TXT, "v=spf1 ip4:192.0.2.5 -all" },
	{ "mac.example.users.provider.example", DNS_T_TXT,
	    "v=spf1 ip4:192.0.2.6 -all" },
	{ "cut.example", DNS_T_TXT, cut_record },
	{ cut_name, DNS_T_TXT, "v=spf1 ip4:192.0.2.88 -all" },
	{ cut_a_name, DNS_T_A, "192.0.2.99" },
};

static char order[2048];

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	(void)arg;
	if (type == DNS_T_TXT && strlen(order) + strlen(name) + 2 <
	    sizeof(order)) {
		strcat(order, name);
		strcat(order, " ");
	}
	return zone_answer(zone, sizeof(zone) / sizeof(zone[0]), name, type,
	    rrs, nrr);
}

static struct spf_analysis *got;
static int calls;

static void
on_analysis(struct spf_analysis *a, void *arg)
{
	(void)arg;
	got = a;
	calls++;
}

static const struct spf_node *
child(const struct spf_node *n, const char *via)
{
	size_t i;

	for (i = 0; n != NULL && i < n->nchild; i++)
		if (strcmp(n->child[i]->via, via) == 0)
			return n->child[i];
	return NULL;
}

static struct spf_analysis *
analyze(const char *domain, struct evloop **loopp, struct dns **dnsp)
{
	struct spf_analysis *a;

	*loopp = evloop_new();
	*dnsp = dns_new_fake(*loopp, fake, NULL);
	got = NULL;
	calls = 0;
	order[0] = '\0';
	a = spf_walk_start(*dnsp, domain, on_analysis, NULL);
	evloop_run(*loopp);
	ok(a != NULL && got == a && calls == 1, "%s: one callback", domain);
	return got;
}

static void
test_walk(void)
{
	struct evloop *loop;
	struct dns *dns;
	struct spf_analysis *a;
	const struct spf_node *r, *n;
	struct findings *fs;

	a = analyze("example.com", &loop, &dns);
	r = a->root;
	is_int(r->status, SPF_NODE_OK, "root parsed");
	is_int(r->records_found, 1, "one v=spf1 among two TXT");
	/* a mx include*3 a include ptr = 8; redirect ignored (has all). */
	is_int(r->own_lookups, 8, "own lookups, redirect not counted");
	ok(child(r, "redirect=never.example.org") == NULL,
	    "redirect not followed when all is present");
	n = child(r, "include:inc1.example.net");
	ok(n != NULL && n->status == SPF_NODE_OK && n->own_lookups == 2,
	    "include branch");
	n = child(n, "include:deep.example.net");
	ok(n != NULL && n->status == SPF_NODE_OK, "nested include");
	n = child(n, "include:example.com");
	ok(n != NULL && n->status == SPF_NODE_LOOP, "loop detected");
	n = child(r, "include:gone.example.net");
	ok(n != NULL && n->status == SPF_NODE_NXDOMAIN, "nxdomain include");
	n = child(r, "include:_spf.%{l}.%{d}");
	ok(n != NULL && n->status == SPF_NODE_MACRO, "macro include kept");
	/* 8 + inc1 (2 + deep 1) + inc2 0 = 11 */
	is_int(a->lookups, 11, "total lookups");
	/* void: mx of example.com (no MX), a:nohost, exists:nothing */
	is_int(a->void_lookups, 3, "void lookups");
	ok(a->ptr_used && a->all_qual == '-', "ptr used, -all");
	/* Siblings are asked before the grandchild: concurrent branches. */
	ok(strstr(order, "inc1.example.net inc2.example.net "
	    "gone.example.net deep.example.net") != NULL,
	    "branches fetched concurrently (%s)", order);
	fs = findings_new();
	analyze_spf(a, "example.com", fs);
	ok(findings_has(fs, F_SPF_TOO_MANY_LOOKUPS) &&
	    findings_has(fs, F_SPF_TOO_MANY_VOID_LOOKUPS) &&
	    findings_has(fs, F_SPF_INCLUDE_LOOP) &&
	    findings_has(fs, F_SPF_INCLUDE_UNRESOLVED) &&
	    findings_has(fs, F_SPF_PTR_USED) &&
	    !findings_has(fs, F_SPF_NO_ALL), "findings from a live walk");
	findings_free(fs);
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);

	a = analyze("top.example", &loop, &dns);
	r = a->root;
	ok(child(r, "include:slow.example")->status == SPF_NODE_TEMPERROR,
	    "timeout branch");
	ok(child(r, "include:two.example")->status == SPF_NODE_MULTIPLE,
	    "multiple records branch");
	n = child(r, "include:bad.example");
	ok(n->status == SPF_NODE_SYNTAX && n->errpos == 10 &&
	    strstr(n->error, "one label") != NULL, "syntax error branch");
	is_int(a->all_qual, 0, "no all");
	fs = findings_new();
	analyze_spf(a, "top.example", fs);
	ok(findings_has(fs, F_SPF_LOOKUP_FAILED) &&
	    findings_has(fs, F_SPF_MULTIPLE_RECORDS) &&
	    findings_has(fs, F_SPF_SYNTAX_ERROR) &&
	    findings_has(fs, F_SPF_NO_ALL), "branch findings");
	findings_free(fs);
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);

	a = analyze("redir.example", &loop, &dns);
	ok(a->all_qual == '?' && a->redirect != NULL &&
	    strcmp(a->redirect, "target.example") == 0 && a->lookups == 1,
	    "redirect followed: ?all, 1 lookup");
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);

	a = analyze("nothing.example.org", &loop, &dns);
	is_int(a->root->status, SPF_NODE_NXDOMAIN, "missing domain");
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);

	/* An invalid name is answered at once: NULL, the callback ran. */
	loop = evloop_new();
	dns = dns_new_fake(loop, fake, NULL);
	got = NULL;
	a = spf_walk_start(dns, "no-dot", on_analysis, NULL);
	ok(a == NULL && got != NULL && got->root->status == SPF_NODE_INVALID,
	    "invalid name: immediate callback");
	spf_analysis_free(got);
	/* Freeing a pending analysis cancels it. */
	got = NULL;
	a = spf_walk_start(dns, "example.com", on_analysis, NULL);
	spf_walk_free(a);
	evloop_run(loop);
	ok(got == NULL, "freed pending analysis: no callback");
	dns_free(dns);
	evloop_free(loop);
}

struct eres {
	int		 n;
	enum spf_result	 r;
	char		*text;
};

static void
on_eval(const struct spf_check_host_result *r, void *arg)
{
	struct eres *e = arg;
	struct buf *b = buf_new(1024);

	e->n++;
	e->r = r->result;
	spf_check_host_result_text(r, b);
	free(e->text);
	e->text = buf_steal(b);
	buf_free(b);
}

static void
eval(const char *ip, const char *sender, struct eres *e)
{
	struct evloop *loop = evloop_new();
	struct dns *dns = dns_new_fake(loop, fake, NULL);
	struct spf_query q;
	struct spf_check_host *ev;

	memset(&q, 0, sizeof(q));
	memset(e, 0, sizeof(*e));
	order[0] = '\0';
	spf_ip_parse(ip, &q.ip);
	q.sender = sender;
	q.helo = "helo.example";
	ev = spf_check_host_start(dns, &q, on_eval, e);
	(void)ev;
	evloop_run(loop);
	dns_free(dns);
	evloop_free(loop);
}

static void
test_eval(void)
{
	struct eres e;
	struct evloop *loop;
	struct dns *dns;
	struct spf_query q;
	struct spf_check_host *ev;

	eval("192.0.2.7", "user@fail.example", &e);
	ok(e.n == 1 && e.r == SPF_FAIL, "fail");
	is_str(e.text, "fail (-all in fail.example): 192.0.2.7 is not one of "
	    "fail.example's senders", "fail text with explanation");
	free(e.text);
	eval("192.0.2.9", "user@fail.example", &e);
	is_str(e.text, "pass (ip4:192.0.2.9 in fail.example)", "pass text");
	free(e.text);
	eval("192.0.2.9", "user@sf.example", &e);
	ok(e.r == SPF_TEMPERROR && strstr(e.text, "SERVFAIL") != NULL,
	    "SERVFAIL in a mechanism: temperror (%s)", e.text);
	free(e.text);
	eval("192.0.2.9", "user@slow.example", &e);
	ok(e.r == SPF_TEMPERROR, "record lookup timeout: temperror");
	free(e.text);
	eval("192.0.2.9", "user@two.example", &e);
	ok(e.r == SPF_PERMERROR && strstr(e.text, "2 SPF records") != NULL,
	    "two records: permerror (%s)", e.text);
	free(e.text);
	eval("192.0.2.9", "user@bad.example", &e);
	ok(e.r == SPF_PERMERROR && strstr(e.text, "position 10") != NULL,
	    "syntax error: permerror with position (%s)", e.text);
	free(e.text);
	eval("192.0.2.9", "user@nothing.example.org", &e);
	ok(e.r == SPF_NONE, "no record: none (%s)", e.text);
	free(e.text);
	eval("192.0.2.9", "", &e);	/* HELO identity helo.example */
	ok(e.r == SPF_NONE && strstr(e.text, "helo.example") != NULL,
	    "empty sender checks the HELO identity (%s)", e.text);
	free(e.text);

	/* A malformed domain is answered at once: NULL, callback ran. */
	loop = evloop_new();
	dns = dns_new_fake(loop, fake, NULL);
	memset(&q, 0, sizeof(q));
	memset(&e, 0, sizeof(e));
	spf_ip_parse("192.0.2.1", &q.ip);
	q.sender = "x@nodot";
	ev = spf_check_host_start(dns, &q, on_eval, &e);
	ok(ev == NULL && e.n == 1 && e.r == SPF_NONE,
	    "malformed domain: immediate none");
	free(e.text);
	/* Cancel: no callback, nothing leaks. */
	memset(&e, 0, sizeof(e));
	q.sender = "x@example.com";
	ev = spf_check_host_start(dns, &q, on_eval, &e);
	ok(ev != NULL, "pending evaluation");
	spf_check_host_cancel(ev);
	spf_check_host_cancel(NULL);
	evloop_run(loop);
	is_int(e.n, 0, "cancelled: no callback");
	dns_free(dns);
	evloop_free(loop);
}

/* A record that makes the walk ask for 150 names stops at the limit. */
static void
test_fan_out(void)
{
	struct evloop *loop;
	struct dns *dns;
	struct spf_analysis *a;
	struct findings *fs;
	size_t i;

	strcpy(fan_record, "v=spf1");
	for (i = 0; i < 150; i++)
		snprintf(fan_record + strlen(fan_record), sizeof(fan_record) -
		    strlen(fan_record), " a:h%zu.fan.example", i);
	strcat(fan_record, " -all");
	a = analyze("fan.example", &loop, &dns);
	if (a == NULL)
		return;
	is_int(a->queries, LIMIT_SPF_WALK_QUERIES, "the walk asks up to "
	    "its limit");
	is_int(a->queries_cut, 151 - LIMIT_SPF_WALK_QUERIES, "the rest is "
	    "counted, not asked");
	ok(dns_queries_sent(dns) <= LIMIT_SPF_WALK_QUERIES, "questions "
	    "sent: %lu", dns_queries_sent(dns));
	fs = findings_new();
	analyze_spf(a, "fan.example", fs);
	ok(findings_has(fs, F_SPF_WALK_LIMIT), "SPF_WALK_LIMIT raised");
	ok(findings_has(fs, F_SPF_TOO_MANY_LOOKUPS), "and the record's own "
	    "lookups still judged");
	findings_free(fs);
	spf_walk_free(a);
	dns_free(dns);
	evloop_free(loop);

	a = analyze("example.com", &loop, &dns);
	fs = findings_new();
	analyze_spf(a, "example.com", fs);
	ok(!findings_has(fs, F_SPF_WALK_LIMIT), "a small tree: no "
	    "SPF_WALK_LIMIT");
	findings_free(fs);
	spf_walk_free(a);
	dns_free(dns);
	evloop_free(loop);
}

/*
 * One rule for the evaluator and the walk: a literal domain-spec over
 * 253 octets is asked for as the §7.3 cut leaves it (spf_macro_expand);
 * a label of 64 octets makes no name: the walk does not follow it, the
 * evaluator does not ask for it.
 */
/*
 * The walk knows d (the record's own domain) and o (the walked domain),
 * and "%%", "%_", "%-" are literals (RFC 7208 §7.1, §7.3): those targets
 * are followed or probed. The sender's local-part (s, l), the client's
 * address (i, v, p) and its HELO name (h) are not known: not followed.
 */
static void
test_macro_walk(void)
{
	static const char *const kept[] = {
	    "include:%{ir}.%{v}._spf.mac.example",
	    "include:%{h}.helo.mac.example", NULL };
	static const char *const voids[] = { "a:a%%b.mac.example",
	    "mx:%-.mac.example", "exists:x%_y.mac.example", NULL };
	struct evloop *loop;
	struct dns *dns;
	struct spf_analysis *a;
	const struct spf_node *r, *n, *c;
	size_t i, j;
	int found;

	a = analyze("mac.example", &loop, &dns);
	r = a->root;
	n = child(r, "include:_spf.%{d}");
	ok(n != NULL && n->status == SPF_NODE_OK &&
	    strcmp(n->domain, "_spf.mac.example") == 0,
	    "%%{d}: the include is followed to _spf.mac.example");
	c = child(n, "include:in.%{d}");
	ok(c != NULL && c->status == SPF_NODE_OK &&
	    strcmp(c->domain, "in._spf.mac.example") == 0,
	    "%%{d} in an included record is that record's domain");
	c = child(n, "include:%{o}.users.provider.example");
	ok(c != NULL && c->status == SPF_NODE_OK && strcmp(c->domain,
	    "mac.example.users.provider.example") == 0,
	    "%%{o} in an included record is the walked domain");
	for (i = 0; kept[i] != NULL; i++) {
		c = child(r, kept[i]);
		ok(c != NULL && c->status == SPF_NODE_MACRO,
		    "%s: depends on the sender, not followed", kept[i]);
	}
	is_int(a->void_lookups, 3, "%%, %- and %_ targets are probed "
	    "(each answers NXDOMAIN: void)");
	for (i = 0; voids[i] != NULL; i++) {
		found = 0;
		for (j = 0; j < r->nvoid_terms; j++)
			if (strcmp(r->void_terms[j], voids[i]) == 0)
				found = 1;
		ok(found, "%s: probed, void", voids[i]);
	}
	ok(strstr(order, "%") == NULL && strstr(order, "helo") == NULL,
	    "no record asked for a name with a sender's macro (%s)", order);
	/* 9 terms in the root, 2 in _spf, none below */
	is_int(a->lookups, 11, "every term counts, followed or not");
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);
}

static void
test_long_spec(void)
{
	char l63[64], l64[65], spec[600], aspec[600];
	struct evloop *loop;
	struct dns *dns;
	struct spf_analysis *a;
	const struct spf_node *n;
	struct eres e;
	char via[700];

	memset(l63, 'x', 63);
	l63[63] = '\0';
	memset(l64, 'y', 64);
	l64[64] = '\0';
	/* 4 x 64 + 15 = 271 octets; the cut drops the first label. */
	snprintf(cut_name, sizeof(cut_name), "%s.%s.%s.cut-inc.example",
	    l63, l63, l63);
	snprintf(spec, sizeof(spec), "%s.%s", l63, cut_name);
	snprintf(cut_a_name, sizeof(cut_a_name), "%s.%s.%s.host.example",
	    l63, l63, l63);
	snprintf(aspec, sizeof(aspec), "%s.%s.", l63, cut_a_name);
	snprintf(cut_record, sizeof(cut_record), "v=spf1 a:%s include:%s "
	    "include:%s.example -all", aspec, spec, l64);
	ok(strlen(spec) == 271 && strlen(cut_name) == 207, "a literal of "
	    "%zu octets, %zu after the cut", strlen(spec), strlen(cut_name));

	a = analyze("cut.example", &loop, &dns);
	snprintf(via, sizeof(via), "include:%s", spec);
	n = child(a->root, via);
	ok(n != NULL && n->status == SPF_NODE_OK &&
	    strcmp(n->domain, cut_name) == 0, "walk: the long include "
	    "followed to the name the cut leaves");
	ok(strstr(order, cut_name) != NULL, "walk: asked for %s...",
	    cut_name + 189);
	snprintf(via, sizeof(via), "include:%s.example", l64);
	n = child(a->root, via);
	ok(n != NULL && n->status == SPF_NODE_INVALID && n->error != NULL &&
	    strstr(n->error, "63") != NULL, "walk: a 64-octet label is no "
	    "name, not followed (%s)", n && n->error ? n->error : "-");
	is_int(a->void_lookups, 0, "walk: a: of the cut name not void");
	spf_analysis_free(a);
	dns_free(dns);
	evloop_free(loop);

	eval("192.0.2.99", "u@cut.example", &e);
	ok(e.r == SPF_PASS, "evaluator: a: of the cut name matches (%s)",
	    e.text);
	free(e.text);
	eval("192.0.2.88", "u@cut.example", &e);
	ok(e.r == SPF_PASS && strstr(order, cut_name) != NULL,
	    "evaluator: the long include asked for the cut name (%s)",
	    e.text);
	free(e.text);
	eval("192.0.2.1", "u@cut.example", &e);
	ok(e.r == SPF_PERMERROR && strstr(e.text, l64) != NULL &&
	    strstr(e.text, "not a valid domain name") != NULL,
	    "evaluator: the include of no name is a permerror, with the "
	    "reason (%s)", e.text);
	free(e.text);
}

int
main(void)
{
	test_walk();
	test_fan_out();
	test_eval();
	test_long_spec();
	test_macro_walk();
	return tap_done();
}
