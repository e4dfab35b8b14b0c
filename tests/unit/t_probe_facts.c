/*
 * t_probe_facts - src/facts/probe_facts.c: the names of the skip reasons
 * (one per reason, NULL for none and out of range), which reasons are
 * "no route from here", and probe_facts_free() of facts with every part
 * filled (run under .ci/valgrind: nothing leaks, a shared SMTP result
 * loses only our reference).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static void
test_names(void)
{
	const char *a, *b;
	int i, j, missing = 0, same = 0;

	ok(probe_skip_name(PROBE_SKIP_NONE) == NULL, "NONE has no name");
	for (i = PROBE_SKIP_NONE + 1; i < PROBE_SKIP_COUNT; i++)
		if (probe_skip_name((enum probe_skip)i) == NULL ||
		    probe_skip_name((enum probe_skip)i)[0] == '\0')
			missing++;
	is_int(missing, 0, "every other reason has a name");
	for (i = 1; i < PROBE_SKIP_COUNT; i++)
		for (j = i + 1; j < PROBE_SKIP_COUNT; j++) {
			a = probe_skip_name((enum probe_skip)i);
			b = probe_skip_name((enum probe_skip)j);
			if (a != NULL && b != NULL && strcmp(a, b) == 0)
				same++;
		}
	is_int(same, 0, "no two reasons share a name");
	ok(probe_skip_name(PROBE_SKIP_COUNT) == NULL, "COUNT: NULL");
	ok(probe_skip_name((enum probe_skip)-1) == NULL, "-1: NULL");
	ok(probe_skip_name((enum probe_skip)1000) == NULL, "1000: NULL");
	/* The JSON's "skipped" is stable: spot-check two. */
	is_str(probe_skip_name(PROBE_SKIP_DNS_ONLY), "--dns-only",
	    "DNS_ONLY's text");
	is_str(probe_skip_name(PROBE_SKIP_NO_ROUTE_6),
	    "no IPv6 route from this host", "NO_ROUTE_6's text");
}

static void
test_no_route(void)
{
	int i, n = 0;

	ok(probe_skip_no_route(PROBE_SKIP_NO_ROUTE_4), "NO_ROUTE_4: no route");
	ok(probe_skip_no_route(PROBE_SKIP_NO_ROUTE_6), "NO_ROUTE_6: no route");
	for (i = 0; i < PROBE_SKIP_COUNT; i++)
		n += probe_skip_no_route((enum probe_skip)i) != 0;
	is_int(n, 2, "no other reason is a missing route");
}

static struct dns_rr
tlsa_rr(const char *owner, uint8_t usage)
{
	struct dns_rr rr;

	memset(&rr, 0, sizeof(rr));
	rr.owner = xstrdup(owner);
	rr.type = DNS_T_TLSA;
	rr.class = 1;
	rr.u.tlsa.usage = usage;
	rr.u.tlsa.selector = 1;
	rr.u.tlsa.mtype = 1;
	rr.u.tlsa.len = 32;
	rr.u.tlsa.data = xcalloc(1, 32);
	return rr;
}

/* Facts as a finished probe leaves them: every owned part allocated. */
static struct probe_facts *
full(struct smtp_result *shared)
{
	struct probe_facts *f;
	struct mx_set *mx;
	size_t i;

	f = xcalloc(1, sizeof(*f));
	f->domain = xstrdup("example.test");
	mx = xcalloc(1, sizeof(*mx));
	mx->domain = xstrdup("example.test");
	mx->hosts = xcalloc(2, sizeof(*mx->hosts));
	mx->nhost = 2;
	mx->hosts[0].name = xstrdup("mx1.example.test");
	mx->hosts[0].addrs = xcalloc(1, sizeof(*mx->hosts[0].addrs));
	mx->hosts[0].naddr = 1;
	mx->hosts[1].name = xstrdup("mx2.example.test");
	f->mx = mx;

	f->ntargets = 3;
	f->targets = xcalloc(f->ntargets, sizeof(*f->targets));
	f->targets[0].smtp = xcalloc(1, sizeof(struct smtp_result));
	f->targets[0].smtp->why = xstrdup("timed out");
	f->targets[0].ptr = xstrdup("mx1.example.test");
	f->targets[1].smtp = smtp_result_ref(shared);
	f->targets[1].smtp_shared = 1;
	f->targets[2].skipped = PROBE_SKIP_DEADLINE;

	f->nold = 2;
	f->old = xcalloc(f->nold, sizeof(*f->old));
	for (i = 0; i < f->nold; i++) {
		f->old[i].name = xstrdup("old.example.test");
		f->old[i].addrs = xcalloc(2, sizeof(*f->old[i].addrs));
		f->old[i].naddr = 2;
		f->old[i].answers = xcalloc(2, sizeof(int));
		f->old[i].probed = xcalloc(2, sizeof(int));
		f->old[i].decided = xcalloc(2, sizeof(int));
	}

	f->auth = xcalloc(1, sizeof(*f->auth));
	f->auth->domain = xstrdup("example.test");

	f->ntlsa = 2;
	f->tlsa = xcalloc(f->ntlsa, sizeof(*f->tlsa));
	f->tlsa[0].asked = 1;
	f->tlsa[0].qname = xstrdup("_25._tcp.mx1.example.test");
	f->tlsa[0].out = DNS_OK;
	f->tlsa[0].nrr = 2;
	f->tlsa[0].rr = xcalloc(2, sizeof(*f->tlsa[0].rr));
	f->tlsa[0].rr[0] = tlsa_rr("_25._tcp.mx1.example.test", 3);
	f->tlsa[0].rr[1] = tlsa_rr("_25._tcp.mx1.example.test", 2);
	/* tlsa[1]: not asked, all zero. */

	f->dns.limit = 100;
	f->dns.asked = 3;
	f->dns.errors = 1;
	f->dns.why[0] = xstrdup("example.test/MX: refused");
	f->dns.nwhy = 1;
	return f;
}

static void
test_free(void)
{
	struct smtp_result *shared;
	struct probe_facts *f;

	probe_facts_free(NULL);
	ok(1, "free(NULL) is a no-op");

	f = xcalloc(1, sizeof(*f));
	probe_facts_free(f);
	ok(1, "free of empty facts (nothing probed)");

	shared = xcalloc(1, sizeof(*shared));
	shared->why = xstrdup("shared session");
	f = full(shared);
	is_int(shared->refs, 1, "a shared result: one reference taken");
	probe_facts_free(f);
	is_int(shared->refs, 0, "free: only our reference dropped");
	is_str(shared->why, "shared session", "the shared result lives on");
	smtp_result_free(shared);
	ok(1, "free of full facts (valgrind: no leak, no double free)");
}

int
main(void)
{
	test_names();
	test_no_route();
	test_free();
	return tap_done();
}
