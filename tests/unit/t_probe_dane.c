/*
 * t_probe_dane - src/probe/probe_dane.c alone, over the fake resolver:
 * which exchangers are asked for _25._tcp.HOST (not an IP literal, not
 * ".", not a name listed before, not one past the host limit; the
 * trailing dot dropped), what is kept of the answer (its TLSA RRs only),
 * that an exchanger's waiting targets start when its answer is in and no
 * sooner, the records handed to a session (borrowed, at most max), the
 * deadline's cancel, and answers given inside dns_query().
 *
 * probe_smtp_start() and probe_done_one() are stand-ins defined here
 * (probe_smtp.c and probe.c are not linked), so that the test sees when
 * they are called. The whole run over the fake resolver is t_probe.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "net/tls.h"
#include "probe/probe_int.h"
#include "util/dname.h"
#include "util/xalloc.h"
#include "tap.h"

/* --- stand-ins for probe_smtp.c and probe.c --- */

static int started[8];		/* probe_smtp_start calls per target */
static int done_calls;
static int asked_mx1_when_started;	/* mx1's answer was in then */

void
probe_smtp_start(struct probe *p, size_t i)
{
	if (i < 8)
		started[i]++;
	if (p->facts->targets[i].host == 0)
		asked_mx1_when_started = p->facts->tlsa[0].out == DNS_OK;
}

void
probe_done_one(struct probe *p)
{
	done_calls++;
	p->pending--;
}

/* --- the fake zone --- */

static int questions;
static char qnames[8][64];

static struct dns_rr
tlsa(const char *owner, uint8_t usage, uint8_t byte)
{
	struct dns_rr rr;

	memset(&rr, 0, sizeof(rr));
	rr.owner = xstrdup(owner);
	rr.type = DNS_T_TLSA;
	rr.class = 1;
	rr.ttl = 300;
	rr.u.tlsa.usage = usage;
	rr.u.tlsa.selector = 1;
	rr.u.tlsa.mtype = 1;
	rr.u.tlsa.len = 32;
	rr.u.tlsa.data = xmalloc(32);
	memset(rr.u.tlsa.data, byte, 32);
	return rr;
}

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	struct dns_rr *v;

	(void)arg;
	if (questions < 8)
		snprintf(qnames[questions], sizeof(qnames[0]), "%s/%d", name,
		    type);
	questions++;
	if (type != DNS_T_TLSA)
		return DNS_REFUSED;
	if (dname_equal(name, "_25._tcp.mx1.ex.test")) {
		/* A CNAME to the records, then three TLSA RRs. */
		v = xcalloc(4, sizeof(*v));
		v[0].owner = xstrdup(name);
		v[0].type = DNS_T_CNAME;
		v[0].class = 1;
		v[0].u.name = xstrdup("tlsa.ex.test");
		v[1] = tlsa("tlsa.ex.test", 3, 0xaa);
		v[2] = tlsa("tlsa.ex.test", 2, 0xbb);
		v[3] = tlsa("tlsa.ex.test", 3, 0xcc);
		*rrs = v;
		*nrr = 4;
		return DNS_OK;
	}
	if (dname_equal(name, "_25._tcp.mx2.ex.test"))
		return DNS_SERVFAIL;
	return DNS_NXDOMAIN;
}

/* --- a probe as probe.c has it when the MX set is known --- */

static const char *hostnames[] = {
	"mx1.ex.test.",		/* 0: asked, dot dropped */
	"mx2.ex.test",		/* 1: asked, SERVFAIL */
	"192.0.2.7",		/* 2: an IP literal */
	".",			/* 3: the null MX */
	"MX1.EX.TEST",		/* 4: mx1 again */
	"mx9.ex.test",		/* 5: past the host limit */
	"mx3.ex.test",		/* 6: asked, NXDOMAIN */
};
#define NHOST	(sizeof(hostnames) / sizeof(hostnames[0]))

/* A probe on a loop and fake resolver of its own; probe_del frees all. */
static struct probe *
probe_new(size_t nhost)
{
	struct probe *p;
	struct mx_set *mx;
	size_t h;

	p = xcalloc(1, sizeof(*p));
	p->loop = evloop_new();
	p->dns = dns_new_fake(p->loop, fake, NULL);
	p->start = evloop_clock();
	p->facts = xcalloc(1, sizeof(*p->facts));
	p->facts->domain = xstrdup("ex.test");
	p->facts->mx = mx = xcalloc(1, sizeof(*mx));
	mx->domain = xstrdup("ex.test");
	mx->nhost = nhost;
	mx->hosts = xcalloc(NHOST, sizeof(*mx->hosts));
	for (h = 0; h < nhost; h++) {
		mx->hosts[h].name = xstrdup(hostnames[h]);
		mx->hosts[h].pref = (uint16_t)(10 * h);
	}
	if (nhost > 2)
		mx->hosts[2].ip_literal = 1;
	if (nhost > 5)
		mx->hosts[5].over_limit = 1;
	/* Targets: two of mx1 (one waiting), one of mx2, one of mx3. */
	p->facts->ntargets = 4;
	p->facts->targets = xcalloc(4, sizeof(*p->facts->targets));
	p->runs = xcalloc(4, sizeof(*p->runs));
	p->facts->targets[0].host = 0;
	p->facts->targets[1].host = 0;
	p->facts->targets[2].host = 1;
	p->facts->targets[3].host = 6;
	p->runs[0].tlsa_wait = 1;
	p->runs[1].tlsa_wait = 0;	/* started before (a test knob) */
	p->runs[2].tlsa_wait = 1;
	p->runs[3].tlsa_wait = 1;
	memset(started, 0, sizeof(started));
	done_calls = 0;
	questions = 0;
	asked_mx1_when_started = -1;
	return p;
}

static void
probe_del(struct probe *p)
{
	free(p->runs);
	free(p->truns);
	probe_facts_free(p->facts);
	dns_free(p->dns);
	evloop_free(p->loop);
	free(p);
}

static void
test_asked(void)
{
	struct probe *p = probe_new(NHOST);
	struct probe_tlsa *t;
	size_t h;
	int bad = 0;

	diag("the TLSA questions");
	probe_dane_start(p);
	is_int(p->facts->ntlsa, NHOST, "one TLSA slot per MX host");
	is_int(p->pending, 3, "three questions pending");
	t = p->facts->tlsa;
	is_str(t[0].qname, "_25._tcp.mx1.ex.test", "mx1.ex.test.: the "
	    "trailing dot dropped");
	is_str(t[1].qname, "_25._tcp.mx2.ex.test", "mx2.ex.test");
	is_str(t[6].qname, "_25._tcp.mx3.ex.test", "mx3.ex.test");
	for (h = 2; h < 6; h++)
		if (t[h].asked || t[h].qname != NULL)
			bad++;
	is_int(bad, 0, "not asked: an IP literal, \".\", a name listed "
	    "before, one past the host limit");
	ok(t[0].out == DNS_TIMEOUT && t[1].out == DNS_TIMEOUT,
	    "unanswered: TIMEOUT");
	ok(probe_dane_waits(p, 0) && probe_dane_waits(p, 2) &&
	    probe_dane_waits(p, 3), "the targets wait for their host");
	is_int(started[0] + started[2] + started[3], 0, "no session yet");

	evloop_run(p->loop);
	is_int(questions, 3, "three questions asked");
	is_int(done_calls, 3, "one probe_done_one per answer");
	is_int(p->pending, 0, "nothing pending");
	is_int(t[0].out, DNS_OK, "mx1: OK");
	is_int(t[0].nrr, 3, "mx1: the three TLSA RRs kept, the CNAME not");
	ok(t[0].nrr == 3 && t[0].rr[0].type == DNS_T_TLSA &&
	    t[0].rr[0].u.tlsa.data[0] == 0xaa && t[0].rr[2].u.tlsa.data[0] ==
	    0xcc, "  in order, copied");
	is_int(t[1].out, DNS_SERVFAIL, "mx2: SERVFAIL");
	ok(t[1].nrr == 0 && t[1].rr == NULL, "  no records");
	is_int(t[6].out, DNS_NXDOMAIN, "mx3: NXDOMAIN");
	is_int(started[0], 1, "target 0 (mx1, waiting) started once");
	is_int(asked_mx1_when_started, 1, "  after mx1's answer was in");
	is_int(started[1], 0, "target 1 (not waiting) not started again");
	is_int(started[2], 1, "target 2 (mx2) started after the SERVFAIL");
	is_int(started[3], 1, "target 3 (mx3) started after the NXDOMAIN");
	ok(!p->runs[0].tlsa_wait && !p->runs[2].tlsa_wait,
	    "their waits cleared");
	ok(!probe_dane_waits(p, 0) && !probe_dane_waits(p, 2),
	    "nobody waits now");
	probe_del(p);
}

static void
test_config(void)
{
	struct probe *p = probe_new(NHOST);
	struct tls_tlsa out[4];
	size_t n;

	diag("the records handed to a session");
	is_int(probe_dane_config(p, 0, out, 4), 0, "before the questions: "
	    "none");
	probe_dane_start(p);
	is_int(probe_dane_config(p, 0, out, 4), 0, "before the answer: "
	    "none");
	evloop_run(p->loop);
	n = probe_dane_config(p, 0, out, 4);
	is_int(n, 3, "mx1: three records");
	ok(n == 3 && out[0].usage == 3 && out[1].usage == 2 &&
	    out[0].selector == 1 && out[0].mtype == 1 && out[0].len == 32,
	    "  usage, selector, matching type, length");
	ok(n == 3 && out[0].data == p->facts->tlsa[0].rr[0].u.tlsa.data,
	    "  the data borrowed from the facts");
	is_int(probe_dane_config(p, 0, out, 2), 2, "at most max records");
	is_int(probe_dane_config(p, 1, out, 4), 0, "SERVFAIL: none");
	is_int(probe_dane_config(p, 2, out, 4), 0, "not asked: none");
	is_int(probe_dane_config(p, 4, out, 4), 0, "a name listed before: "
	    "none here (see its first listing)");
	is_int(probe_dane_config(p, NHOST, out, 4), 0, "past the hosts: "
	    "none");
	probe_del(p);
}

static void
test_cancel(void)
{
	struct probe *p = probe_new(NHOST);

	diag("the deadline: cancel");
	probe_dane_cancel(p);
	ok(1, "cancel before start: nothing to do");
	probe_dane_start(p);
	probe_dane_cancel(p);
	is_int(p->pending, 0, "pending back to 0");
	ok(!probe_dane_waits(p, 0), "no target waits any more");
	evloop_run(p->loop);
	is_int(questions, 0, "no question answered after the cancel");
	is_int(done_calls, 0, "no probe_done_one");
	is_int(started[0] + started[2] + started[3], 0, "no session started");
	is_int(p->facts->tlsa[0].out, DNS_TIMEOUT, "mx1 stays TIMEOUT");
	probe_dane_cancel(p);
	is_int(p->pending, 0, "a second cancel counts nothing twice");
	probe_del(p);
}

static void
test_inline(void)
{
	struct probe *p = probe_new(NHOST);
	size_t h;
	int held = 0;

	diag("answers inside dns_query()");
	dns_fake_inline(p->dns, 1);
	probe_dane_start(p);
	is_int(questions, 3, "all answered before start returned");
	is_int(done_calls, 3, "each counted done");
	is_int(p->pending, 0, "nothing pending");
	for (h = 0; h < NHOST; h++)
		held += p->truns[h].q != NULL || p->truns[h].pending;
	is_int(held, 0, "no handle kept of an answered question");
	is_int(started[0], 1, "target 0 started");
	probe_dane_cancel(p);
	is_int(p->pending, 0, "cancel after: nothing to undo");
	evloop_run(p->loop);
	probe_del(p);
}

static void
test_no_hosts(void)
{
	struct probe *p = probe_new(0);

	diag("no MX host");
	probe_dane_start(p);
	ok(p->facts->tlsa == NULL && p->facts->ntlsa == 0 && p->truns ==
	    NULL, "no TLSA slots");
	is_int(p->pending, 0, "nothing pending");
	p->facts->ntargets = 0;
	probe_dane_cancel(p);
	ok(1, "cancel: nothing to do");
	probe_del(p);
}

int
main(void)
{
	test_asked();
	test_config();
	test_cancel();
	test_inline();
	test_no_hosts();
	return tap_done();
}
