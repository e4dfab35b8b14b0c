/*
 * t_spf_check_host - src/probe/spf_check_host.c over the fake resolver,
 * for what the RFC 7208 suite (tests/spf-suite.sh, t_spf_suite) does not
 * show: the §4.6.4 limits counted as spf_check_host.h says (more than 10
 * DNS-querying terms across includes and redirect, more than 2 void
 * lookups, more than 10 MX records, the first 10 PTR names only) with
 * the counts the result reports and the questions really asked; DNS
 * failures as temperror (the dns layer's timeout is the only time bound:
 * there is no deadline of its own); the per-domain question limit of a
 * dns view; cancel before and during the evaluation; a result delivered
 * before start returns; the result text.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "parse/spf.h"
#include "probe/spf_check_host.h"
#include "util/buf.h"
#include "util/dname.h"
#include "util/xalloc.h"
#include "fake_zone.h"
#include "tap.h"

/* --- the fake zone (fake_zone.h), counting the questions --- */

static const struct zrr *zone;
static size_t zone_n;
static int questions;
static int a_questions;		/* A and AAAA */

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	(void)arg;
	questions++;
	if (type == DNS_T_A || type == DNS_T_AAAA)
		a_questions++;
	return zone_answer(zone, zone_n, name, type, rrs, nrr);
}

/* --- running one evaluation --- */

struct got {
	int			 calls;
	enum spf_result		 result;
	char			 mechanism[128];
	char			 reason[512];
	char			 text[1024];
	unsigned		 terms, voids;
};

static struct got got;

static void
on_done(const struct spf_check_host_result *r, void *arg)
{
	struct buf *b = buf_new(1024);

	(void)arg;
	got.calls++;
	got.result = r->result;
	snprintf(got.mechanism, sizeof(got.mechanism), "%s",
	    r->mechanism ? r->mechanism : "");
	snprintf(got.reason, sizeof(got.reason), "%s",
	    r->reason ? r->reason : "");
	spf_check_host_result_text(r, b);
	snprintf(got.text, sizeof(got.text), "%s", buf_str(b));
	buf_free(b);
	got.terms = r->dns_terms;
	got.voids = r->void_lookups;
}

static void
query(struct spf_query *q, const char *ip)
{
	memset(q, 0, sizeof(*q));
	spf_ip_parse(ip, &q->ip);
	q->sender = "user@ex.test";
	q->helo = "mail.ex.test";
	q->now = 1700000000;
}

/* Evaluate for ip against zone z; the result in got. */
static void
check_in(const struct zrr *z, size_t nz, const char *ip,
    struct dns_tally *tally)
{
	struct evloop *l = evloop_new();
	struct dns *d = dns_new_fake(l, fake, NULL), *v = d;
	struct spf_query q;

	zone = z;
	zone_n = nz;
	questions = a_questions = 0;
	memset(&got, 0, sizeof(got));
	got.result = (enum spf_result)-1;
	if (tally != NULL)
		v = dns_view_new(d, tally);
	query(&q, ip);
	spf_check_host_start(v, &q, on_done, NULL);
	evloop_run(l);
	if (v != d)
		dns_view_free(v);
	dns_free(d);
	evloop_free(l);
}

#define CHECK(z, ip)	check_in((z), sizeof(z) / sizeof((z)[0]), (ip), NULL)

static void
expect(enum spf_result r, const char *name)
{
	if (!ok(got.calls == 1 && got.result == r, "%s: %s", name,
	    spf_result_name(r)))
		diag("  %d calls, got %s (%s)", got.calls,
		    spf_result_name(got.result), got.text);
}

/* --- §4.6.4: DNS-querying terms --- */

#define A10 "a:h1.ex.test a:h2.ex.test a:h3.ex.test a:h4.ex.test " \
	"a:h5.ex.test a:h6.ex.test a:h7.ex.test a:h8.ex.test a:h9.ex.test " \
	"a:h10.ex.test"
#define HOSTS \
	{ "h1.ex.test", DNS_T_A, "192.0.2.1" }, \
	{ "h2.ex.test", DNS_T_A, "192.0.2.2" }, \
	{ "h3.ex.test", DNS_T_A, "192.0.2.3" }, \
	{ "h4.ex.test", DNS_T_A, "192.0.2.4" }, \
	{ "h5.ex.test", DNS_T_A, "192.0.2.5" }, \
	{ "h6.ex.test", DNS_T_A, "192.0.2.6" }, \
	{ "h7.ex.test", DNS_T_A, "192.0.2.7" }, \
	{ "h8.ex.test", DNS_T_A, "192.0.2.8" }, \
	{ "h9.ex.test", DNS_T_A, "192.0.2.9" }, \
	{ "h10.ex.test", DNS_T_A, "192.0.2.10" }, \
	{ "h11.ex.test", DNS_T_A, "192.0.2.11" }

static const struct zrr z_ten[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 " A10 " -all" }, HOSTS
};
static const struct zrr z_eleven[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 " A10 " a:h11.ex.test -all" }, HOSTS
};
static const struct zrr z_include[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 a:h1.ex.test a:h2.ex.test "
	    "a:h3.ex.test a:h4.ex.test include:inc.ex.test -all" },
	{ "inc.ex.test", DNS_T_TXT, "v=spf1 a:h5.ex.test a:h6.ex.test "
	    "a:h7.ex.test a:h8.ex.test a:h9.ex.test a:h10.ex.test ?all" },
	HOSTS
};
static const struct zrr z_redirect[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 " A10 " redirect=r.ex.test" },
	{ "r.ex.test", DNS_T_TXT, "v=spf1 +all" }, HOSTS
};
static const struct zrr z_ip[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 ip4:192.0.2.1 ip4:192.0.2.2 "
	    "ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 "
	    "ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 "
	    "ip4:192.0.2.11 ip4:192.0.2.12 -all" }
};

static void
test_terms(void)
{
	CHECK(z_ten, "198.51.100.1");
	expect(SPF_FAIL, "10 a: terms, no match");
	is_int(got.terms, 10, "  10 DNS-querying terms counted");
	is_int(questions, 11, "  questions: the TXT and 10 A");

	CHECK(z_eleven, "198.51.100.1");
	expect(SPF_PERMERROR, "11 a: terms");
	is_int(got.terms, 11, "  the 11th counted, then stopped");
	is_int(a_questions, 10, "  the 11th not asked");
	ok(strstr(got.reason, "more than 10 DNS-querying terms") != NULL &&
	    strstr(got.reason, "a:h11.ex.test") != NULL, "  why names the "
	    "term (%s)", got.reason);

	CHECK(z_eleven, "192.0.2.10");
	expect(SPF_PASS, "11 a: terms, the 10th matches first");
	is_int(got.terms, 10, "  10 counted");

	CHECK(z_include, "198.51.100.1");
	expect(SPF_PERMERROR, "4 a:, include with 6 a: (11 across both)");
	is_int(got.terms, 11, "  include and its terms in one count");
	ok(strstr(got.reason, "a:h10.ex.test") != NULL &&
	    strstr(got.reason, "inc.ex.test") != NULL, "  at the last "
	    "term, in the included record (%s)", got.reason);

	CHECK(z_redirect, "198.51.100.1");
	expect(SPF_PERMERROR, "10 a: terms and redirect=");
	ok(strstr(got.reason, "redirect=r.ex.test") != NULL, "  the "
	    "redirect is the 11th (%s)", got.reason);

	CHECK(z_ip, "198.51.100.1");
	expect(SPF_FAIL, "12 ip4: terms");
	is_int(got.terms, 0, "  ip4 and all count nothing");
	is_int(questions, 1, "  one question, the TXT");
}

/* --- §4.6.4: void lookups --- */

static const struct zrr z_void2[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 a:nx1.ex.test a:nodata.ex.test "
	    "-all" },
	{ "nodata.ex.test", DNS_T_TXT, "not an address" }
};
static const struct zrr z_void3[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 a:nx1.ex.test mx:nx2.ex.test "
	    "exists:nx3.ex.test a:h1.ex.test -all" }, HOSTS
};

static void
test_voids(void)
{
	CHECK(z_void2, "198.51.100.1");
	expect(SPF_FAIL, "NXDOMAIN and NODATA: two void lookups");
	is_int(got.voids, 2, "  both counted");

	CHECK(z_void3, "192.0.2.1");
	expect(SPF_PERMERROR, "a, mx and exists void: three");
	is_int(got.voids, 3, "  three counted");
	is_int(got.terms, 3, "  the fourth term not reached");
	ok(strstr(got.reason, "more than 2 void DNS lookups") != NULL &&
	    strstr(got.reason, "exists:nx3.ex.test") != NULL, "  why names "
	    "the last (%s)", got.reason);
}

/* --- §4.6.4: MX records of one mx term --- */

#define MX10 \
	{ "ex.test", DNS_T_MX, "h1.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h2.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h3.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h4.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h5.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h6.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h7.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h8.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h9.ex.test" }, \
	{ "ex.test", DNS_T_MX, "h10.ex.test" }

static const struct zrr z_mx10[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 mx -all" }, MX10, HOSTS
};
static const struct zrr z_mx11[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 mx -all" }, MX10,
	{ "ex.test", DNS_T_MX, "h11.ex.test" }, HOSTS
};

static void
test_mx(void)
{
	CHECK(z_mx10, "192.0.2.10");
	expect(SPF_PASS, "10 MX records, the 10th host matches");
	is_int(got.terms, 1, "  one DNS-querying term");
	is_int(a_questions, 10, "  each host's address asked");

	CHECK(z_mx11, "192.0.2.1");
	expect(SPF_PERMERROR, "11 MX records");
	is_int(a_questions, 0, "  no host asked");
	ok(strstr(got.reason, "11 MX records") != NULL, "  why (%s)",
	    got.reason);
}

/* --- §4.6.4, §5.5: the first 10 PTR names --- */

#define PTR_NAMES(last) \
	{ "ex.test", DNS_T_TXT, "v=spf1 ptr -all" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p1.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p2.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p3.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p4.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p5.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p6.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p7.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p8.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p9.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p10.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p11.ex.test" }, \
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p12.ex.test" }, \
	{ last, DNS_T_A, "192.0.2.99" }

static const struct zrr z_ptr10[] = { PTR_NAMES("p10.ex.test") };
static const struct zrr z_ptr11[] = { PTR_NAMES("p11.ex.test") };
static const struct zrr z_ptr_err[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 ptr -all" },
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "bad.ex.test" },
	{ "99.2.0.192.in-addr.arpa", DNS_T_PTR, "p1.ex.test" },
	{ "bad.ex.test", ZONE_SERVFAIL, NULL },
	{ "p1.ex.test", DNS_T_A, "192.0.2.99" }
};

static void
test_ptr(void)
{
	CHECK(z_ptr10, "192.0.2.99");
	expect(SPF_PASS, "12 PTR names, the 10th resolves back");
	is_int(a_questions, 10, "  ten names validated");

	CHECK(z_ptr11, "192.0.2.99");
	expect(SPF_FAIL, "12 PTR names, only the 11th resolves back");
	is_int(a_questions, 10, "  the 11th and 12th not asked");

	CHECK(z_ptr_err, "192.0.2.99");
	expect(SPF_PASS, "a SERVFAIL in validation skips that name");
}

/* --- DNS failures: temperror; no deadline of its own --- */

static const struct zrr z_txt_timeout[] = {
	{ "ex.test", ZONE_TIMEOUT, NULL }
};
static const struct zrr z_a_servfail[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 a:sf.ex.test -all" },
	{ "sf.ex.test", ZONE_SERVFAIL, NULL }
};
static const struct zrr z_exp_fail[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 -all exp=e.ex.test" },
	{ "e.ex.test", ZONE_TIMEOUT, NULL }
};

static void
test_failures(void)
{
	CHECK(z_txt_timeout, "192.0.2.1");
	expect(SPF_TEMPERROR, "the record's question times out");
	ok(strstr(got.reason, "TXT lookup for ex.test") != NULL, "  why "
	    "(%s)", got.reason);

	CHECK(z_a_servfail, "192.0.2.1");
	expect(SPF_TEMPERROR, "an a: question gets SERVFAIL");
	ok(strstr(got.reason, "sf.ex.test") != NULL, "  why (%s)",
	    got.reason);

	CHECK(z_exp_fail, "192.0.2.1");
	expect(SPF_FAIL, "exp= times out: fail stays");
	is_str(got.text, "fail (-all in ex.test)", "  without explanation");
}

/* --- the per-domain question limit of a dns view --- */

static void
test_view_limit(void)
{
	struct dns_tally t;

	memset(&t, 0, sizeof(t));
	t.limit = 4;
	check_in(z_ten, sizeof(z_ten) / sizeof(z_ten[0]), "198.51.100.1",
	    &t);
	expect(SPF_TEMPERROR, "a view of 4 questions, 11 needed");
	is_int(questions, 4, "  4 questions reached the resolver");
	is_int(t.asked, 4, "  4 counted asked");
	is_int(t.refused, 1, "  the 5th refused, and the evaluation stopped");
	ok(strstr(got.reason, "a:h4.ex.test") != NULL &&
	    strstr(got.reason, "limit of 4 DNS questions") != NULL,
	    "  why names the term cut and the limit (%s)", got.reason);
	dns_tally_clear(&t);
}

/* --- cancel, results before start returns --- */

static struct spf_check_host *to_cancel;

static void
cancel_now(void *arg)
{
	(void)arg;
	spf_check_host_cancel(to_cancel);
}

static void
test_cancel(void)
{
	struct evloop *l;
	struct dns *d;
	struct spf_query q;

	zone = z_ten;
	zone_n = sizeof(z_ten) / sizeof(z_ten[0]);
	query(&q, "198.51.100.1");

	l = evloop_new();
	d = dns_new_fake(l, fake, NULL);
	questions = 0;
	memset(&got, 0, sizeof(got));
	to_cancel = spf_check_host_start(d, &q, on_done, NULL);
	ok(to_cancel != NULL, "cancel at once: a handle");
	spf_check_host_cancel(to_cancel);
	evloop_run(l);
	is_int(got.calls, 0, "  no callback");
	is_int(questions, 0, "  the question in flight withdrawn");

	/* A 0 ms timer set after the start runs after the TXT answer
	 * (same deadline, set later) and before the first A answer. */
	questions = 0;
	to_cancel = spf_check_host_start(d, &q, on_done, NULL);
	evloop_timer_add(l, 0, cancel_now, NULL);
	evloop_run(l);
	is_int(got.calls, 0, "cancel during the terms: no callback");
	is_int(questions, 1, "  the TXT answered, the A withdrawn");

	spf_check_host_cancel(NULL);
	ok(1, "cancel(NULL) is a no-op");
	dns_free(d);
	evloop_free(l);

	/* Answers inside dns_query(): the whole evaluation runs in start. */
	l = evloop_new();
	d = dns_new_fake(l, fake, NULL);
	dns_fake_inline(d, 1);
	questions = 0;
	memset(&got, 0, sizeof(got));
	ok(spf_check_host_start(d, &q, on_done, NULL) == NULL,
	    "inline answers: NULL, the result already delivered");
	is_int(got.calls, 1, "  one callback");
	is_int(questions, 11, "  all 11 questions asked in start");
	is_int(got.result, SPF_FAIL, "  fail");
	dns_free(d);
	evloop_free(l);

	/* A malformed domain: none, from inside start. */
	l = evloop_new();
	d = dns_new_fake(l, fake, NULL);
	memset(&got, 0, sizeof(got));
	questions = 0;
	q.sender = "user@bad..domain";
	ok(spf_check_host_start(d, &q, on_done, NULL) == NULL,
	    "malformed domain: NULL");
	is_int(got.calls, 1, "  one callback");
	is_int(got.result, SPF_NONE, "  none");
	is_int(questions, 0, "  no question");
	evloop_run(l);
	is_int(got.calls, 1, "  and no second callback");
	dns_free(d);
	evloop_free(l);
}

/* --- the result text --- */

static const struct zrr z_text[] = {
	{ "ex.test", DNS_T_TXT, "v=spf1 ip4:192.0.2.0/24 -all "
	    "exp=e.ex.test" },
	{ "e.ex.test", DNS_T_TXT, "Not authorized" }
};

static void
test_text(void)
{
	CHECK(z_text, "192.0.2.5");
	is_str(got.text, "pass (ip4:192.0.2.0/24 in ex.test)", "text: pass");
	CHECK(z_text, "198.51.100.1");
	is_str(got.text, "fail (-all in ex.test): Not authorized",
	    "text: fail with the explanation");
	CHECK(z_txt_timeout, "192.0.2.1");
	is_str(got.text, "temperror (ex.test): TXT lookup for ex.test: "
	    "TIMEOUT", "text: temperror with why");
	CHECK(z_void2, "198.51.100.1");
	is_str(got.mechanism, "-all", "the mechanism as written");
}

int
main(void)
{
	test_terms();
	test_voids();
	test_mx();
	test_ptr();
	test_failures();
	test_view_limit();
	test_cancel();
	test_text();
	return tap_done();
}
