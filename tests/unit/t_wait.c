/*
 * t_wait - src/app/wait.c, the --wait driver, alone: the event loop's
 * timers and clock and the propagation engine are fakes defined here
 * (they stand in for net/evloop.c and probe/propagation.c, which are then
 * not linked), so virtual time runs the backoff (2 s, 4 s, 8 s, ... at
 * most 30 s apart, never past the limit) in no real time. The real
 * judge (propagation_converged) decides; the engine hands out facts whose
 * one authoritative server serves either the expected set or the old one.
 * The driver over the real engine is in t_propagation.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/wait.h"
#include "facts/dns_facts.h"
#include "facts/propagation_facts.h"
#include "net/evloop.h"
#include "probe/propagation.h"
#include "util/xalloc.h"
#include "tap.h"

/* --- a virtual clock and timers (net/evloop.h) --- */

#define NTIMERS	64

struct ev_timer {
	uint64_t	 at;
	unsigned	 order;
	int		 live;
	ev_timer_cb	*cb;
	void		*arg;
};

static struct ev_timer timers[NTIMERS];
static size_t ntimers;
static unsigned torder;
static uint64_t now;
static uint64_t skew;		/* the clock reads this much late, once */

uint64_t
evloop_clock(void)
{
	uint64_t t = now + skew;

	skew = 0;
	return t;
}

struct ev_timer *
evloop_timer_add(struct evloop *l, uint64_t ms, ev_timer_cb *cb, void *arg)
{
	struct ev_timer *t;

	(void)l;
	if (ntimers == NTIMERS)
		abort();
	t = &timers[ntimers++];
	t->at = now + ms;
	t->order = torder++;
	t->live = 1;
	t->cb = cb;
	t->arg = arg;
	return t;
}

void
evloop_timer_del(struct ev_timer *t)
{
	if (!t->live)
		abort();	/* deleted twice, or after it ran */
	t->live = 0;
}

static size_t
live_timers(void)
{
	size_t i, n = 0;

	for (i = 0; i < ntimers; i++)
		n += timers[i].live;
	return n;
}

/* Run the earliest timer (deadline, then order set); 0 when none is left. */
static int
step(void)
{
	struct ev_timer *t = NULL;
	size_t i;

	for (i = 0; i < ntimers; i++)
		if (timers[i].live && (t == NULL || timers[i].at < t->at ||
		    (timers[i].at == t->at && timers[i].order < t->order)))
			t = &timers[i];
	if (t == NULL)
		return 0;
	t->live = 0;
	if (t->at > now)
		now = t->at;
	t->cb(t->arg);
	return 1;
}

static void
run(void)
{
	while (step())
		;
}

/* --- a scripted propagation engine (probe/propagation.h) --- */

#define NROUNDS	16

struct propagation {
	propagation_done_cb	*cb;
	void			*arg;
	struct ev_timer		*t;
	int			 n;	/* round index */
};

static struct {
	uint64_t	 answer_ms;	/* a check takes this long */
	int		 converge_at;	/* round (1-based) serving the
					 * expected set; 0: never */
	uint64_t	 skew_at_answer; /* the clock jumps when it answers */
	/* seen */
	int		 started, cancelled, answered;
	uint64_t	 start_at[NROUNDS];
	char		 domain[NROUNDS][64];
	char		 resolver[NROUNDS][64];
	struct propagation rounds[NROUNDS];
} eng;

static const char *expect[] = { "mx-new.ex.test", NULL };
static const char *old[] = { "mx-old.ex.test", NULL };

static struct propagation_facts *
facts(const char *domain, int converged)
{
	struct propagation_facts *f;
	struct propagation_server *s;

	f = xcalloc(1, sizeof(*f));
	f->domain = xstrdup(domain);
	f->ns_outcome = DNS_OK;
	f->nservers = 1;
	f->servers = s = xcalloc(1, sizeof(*s));
	s->role = PROPAGATION_AUTHORITATIVE;
	s->name = xstrdup("ns1.ex.test");
	s->address = xstrdup("192.0.2.1");
	s->outcome = DNS_OK;
	s->aa = 1;
	s->nmx = 1;
	s->mx = xcalloc(1, sizeof(*s->mx));
	s->mx[0].pref = 10;
	s->mx[0].host = xstrdup(converged ? "mx-new.ex.test" :
	    "mx-old.ex.test");
	return f;
}

static void
answer(void *arg)
{
	struct propagation *p = arg;

	p->t = NULL;
	eng.answered++;
	skew = eng.skew_at_answer;
	p->cb(facts(eng.domain[p->n], eng.converge_at == p->n + 1), p->arg);
}

struct propagation *
propagation_start(struct evloop *l, struct dns *d,
    const struct propagation_config *cfg, propagation_done_cb *cb,
    void *arg)
{
	struct propagation *p;
	int n = eng.started++;

	(void)d;
	if (n >= NROUNDS)
		abort();
	p = &eng.rounds[n];
	p->cb = cb;
	p->arg = arg;
	p->n = n;
	eng.start_at[n] = now;
	snprintf(eng.domain[n], sizeof(eng.domain[n]), "%s", cfg->domain);
	snprintf(eng.resolver[n], sizeof(eng.resolver[n]), "%s",
	    cfg->resolvers != NULL && cfg->resolvers[0] != NULL ?
	    cfg->resolvers[0] : "");
	p->t = evloop_timer_add(l, eng.answer_ms, answer, p);
	return p;
}

void
propagation_cancel(struct propagation *p)
{
	if (p == NULL)
		return;
	if (p->t == NULL)
		abort();	/* cancelled after its callback */
	evloop_timer_del(p->t);
	p->t = NULL;
	eng.cancelled++;
}

/* --- the cases --- */

static struct propagation_facts *got;
static int calls, got_converged;

static void
on_done(struct propagation_facts *f, int converged, void *arg)
{
	(void)arg;
	calls++;
	got_converged = converged;
	propagation_facts_free(got);
	got = f;
}

static void
reset(uint64_t answer_ms, int converge_at)
{
	memset(&eng, 0, sizeof(eng));
	memset(timers, 0, sizeof(timers));
	ntimers = 0;
	now = 1000000;
	skew = 0;
	eng.answer_ms = answer_ms;
	eng.converge_at = converge_at;
	propagation_facts_free(got);
	got = NULL;
	calls = 0;
	got_converged = -1;
}

static struct propagation_wait *
start(unsigned wait_ms, const char **exp, const char **oldmx)
{
	struct propagation_config cfg;
	char domain[32] = "ex.test";
	char res0[32] = "127.0.0.1:5353";
	const char *res[] = { res0, NULL };
	struct propagation_wait *w;

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = domain;
	cfg.resolvers = res;
	w = propagation_wait_start(NULL, NULL, &cfg, exp, oldmx, wait_ms,
	    on_done, NULL);
	/* The driver keeps copies: the caller's strings may go. */
	memset(domain, 'X', sizeof(domain) - 1);
	memset(res0, 'Y', sizeof(res0) - 1);
	return w;
}

/* One --wait run to its end: checks taking answer_ms, the expected set
 * served from check converge_at on (0: never), a limit of wait_ms. */
static void
go(uint64_t answer_ms, int converge_at, unsigned wait_ms, const char **exp,
    const char **oldmx)
{
	reset(answer_ms, converge_at);
	start(wait_ms, exp, oldmx);
	run();
}

static void
test_at_once(void)
{
	diag("converged at the first check");
	go(100, 1, 60000, expect, NULL);
	is_int(calls, 1, "one callback");
	is_int(got_converged, 1, "converged");
	ok(got != NULL && !got->timed_out, "not timed out");
	ok(got != NULL && got->rounds == 1, "one check");
	ok(got != NULL && got->waited_ms == 100, "waited the check's 100 ms");
	is_str(got ? got->domain : NULL, "ex.test", "the engine's facts");
	is_int(eng.started, 1, "one check started");
	is_int(live_timers(), 0, "the deadline timer is gone");
}

static void
test_backoff(void)
{
	static const uint64_t gap[] = { 2000, 4000, 8000, 16000, 30000,
	    30000 };
	size_t i;
	int bad = 0;

	diag("never converges: backoff from 2 s, doubling, at most 30 s");
	go(100, 0, 100000, expect, NULL);
	is_int(calls, 1, "one callback");
	is_int(got_converged, 0, "not converged");
	ok(got != NULL && got->timed_out, "timed out");
	is_int(eng.started, 7, "checks at 0, 2.1, 6.2, 14.3, 30.4, 60.5, "
	    "90.6 s");
	for (i = 0; i + 1 < (size_t)eng.started && i < 6; i++)
		if (eng.start_at[i + 1] - eng.start_at[i] - 100 != gap[i]) {
			diag("  gap %zu: %llu ms", i, (unsigned long long)
			    (eng.start_at[i + 1] - eng.start_at[i] - 100));
			bad++;
		}
	is_int(bad, 0, "the pauses: 2, 4, 8, 16, 30, 30 s");
	ok(got != NULL && got->rounds == 7, "seven checks counted");
	ok(got != NULL && got->waited_ms == 100000, "waited exactly the "
	    "limit (%llu ms)", got ? (unsigned long long)got->waited_ms : 0);
	is_int(eng.cancelled, 0, "no check was running at the limit");
	is_int(live_timers(), 0, "the next-check timer is gone");
	is_str(eng.domain[6], "ex.test", "the last check: the domain copied");
	is_str(eng.resolver[6], "127.0.0.1:5353", "  and the resolvers");
}

static void
test_converge_later(void)
{
	diag("converged at the third check");
	go(100, 3, 60000, expect, NULL);
	is_int(calls, 1, "one callback");
	is_int(got_converged, 1, "converged");
	ok(got != NULL && got->rounds == 3 && !got->timed_out,
	    "three checks, not timed out");
	ok(got != NULL && got->waited_ms == 6300, "waited 0.1 + 2 + 0.1 + "
	    "4 + 0.1 s (%llu ms)", got ? (unsigned long long)got->waited_ms :
	    0);
	is_int(live_timers(), 0, "nothing left on the loop");
}

static void
test_never_finished(void)
{
	diag("no check finishes within the limit");
	go(5000, 1, 3000, expect, NULL);
	is_int(calls, 1, "one callback");
	is_int(got_converged, 0, "not converged");
	is_int(eng.cancelled, 1, "the running check is abandoned");
	ok(got != NULL && got->timed_out && got->rounds == 0,
	    "timed out, no check counted");
	ok(got != NULL && got->ns_outcome == DNS_TIMEOUT,
	    "facts made up: NS outcome TIMEOUT");
	ok(got != NULL && got->ns_why != NULL && strstr(got->ns_why,
	    "wait time") != NULL, "  with why (%s)", got && got->ns_why ?
	    got->ns_why : "NULL");
	is_str(got ? got->domain : NULL, "ex.test", "  for the domain");
	ok(got != NULL && got->waited_ms == 3000, "waited the limit");
	is_int(live_timers(), 0, "nothing left on the loop");
}

static void
test_abandoned(void)
{
	diag("the limit comes during the second check");
	go(500, 0, 3000, expect, NULL);
	is_int(calls, 1, "one callback");
	is_int(eng.started, 2, "two checks started");
	is_int(eng.answered, 1, "one answered");
	is_int(eng.cancelled, 1, "the second abandoned");
	ok(got != NULL && got->timed_out && got->rounds == 1,
	    "the last complete facts, one check counted");
	ok(got != NULL && got->nservers == 1 &&
	    strcmp(got->servers[0].mx[0].host, "mx-old.ex.test") == 0,
	    "  those of the first check");
}

static void
test_late_answer(void)
{
	diag("the clock is past the limit when a check answers");
	reset(100, 0);
	eng.skew_at_answer = 10000;
	start(3000, expect, NULL);
	run();
	is_int(calls, 1, "one callback");
	is_int(got_converged, 0, "not converged");
	ok(got != NULL && got->timed_out && got->rounds == 1,
	    "timed out after that check");
	is_int(eng.started, 1, "no further check");
	is_int(live_timers(), 0, "the deadline timer is gone");
}

static void
test_old(void)
{
	diag("--old-mx only: a server still naming the old host");
	go(100, 0, 2500, NULL, old);
	is_int(got_converged, 0, "the old host served: not converged");
	ok(got != NULL && got->rounds == 2, "checks at 0 and 2.1 s");
	diag("--old-mx only: the old host gone");
	go(100, 1, 2500, NULL, old);
	is_int(got_converged, 1, "old host gone: converged");
}

static void
test_cancel(void)
{
	struct propagation_wait *w;

	diag("cancelled during a check");
	reset(100, 0);
	w = start(60000, expect, NULL);
	propagation_wait_cancel(w);
	run();
	is_int(calls, 0, "no callback");
	is_int(eng.cancelled, 1, "the check is cancelled");
	is_int(live_timers(), 0, "nothing left on the loop");

	diag("cancelled between checks");
	reset(100, 0);
	w = start(60000, expect, NULL);
	step();			/* the first check's answer only */
	is_int(eng.answered, 1, "the first check answered");
	is_int(live_timers(), 2, "the deadline and the next check wait");
	propagation_wait_cancel(w);
	run();
	is_int(calls, 0, "no callback");
	is_int(eng.cancelled, 0, "no check to cancel");
	is_int(eng.started, 1, "no second check");
	is_int(live_timers(), 0, "both timers removed");

	propagation_wait_cancel(NULL);
	ok(1, "cancel(NULL) is a no-op");
}

int
main(void)
{
	test_at_once();
	test_backoff();
	test_converge_later();
	test_never_finished();
	test_abandoned();
	test_late_answer();
	test_old();
	test_cancel();
	reset(0, 0);
	return tap_done();
}
