/*
 * wait - the --wait driver: repeat one propagation check (probe/
 * propagation.c) until analyze_propagation.c says the new MX set is
 * served everywhere, or the time limit.
 *
 * It composes an engine with a judge, so it lives in app/, the only layer
 * that sees both columns (doc/internals.md).
 */
#include <stdint.h>
#include <stdlib.h>

#include "analyze/analyze.h"
#include "app/wait.h"
#include "facts/dns_facts.h"
#include "facts/propagation_facts.h"
#include "net/evloop.h"
#include "probe/propagation.h"
#include "util/log.h"
#include "util/xalloc.h"

#define BACKOFF_MIN_MS	2000
#define BACKOFF_MAX_MS	30000

struct propagation_wait {
	struct evloop		*loop;
	struct dns		*resolver;
	struct propagation_config cfg;
	char			*domain;
	char			**resolvers;
	const char		**expect, **old;
	uint64_t		 start, end;
	unsigned		 backoff;
	unsigned		 rounds;
	struct propagation	*cur;
	struct propagation_facts *last;
	struct ev_timer		*next, *deadline;
	propagation_wait_cb	*cb;
	void			*arg;
};

/* --- the --wait driver --- */

static void	wait_round(void *);

static void
wait_done(struct propagation_wait *w, int ok)
{
	struct propagation_facts *f = w->last;
	propagation_wait_cb *cb = w->cb;
	void *arg = w->arg;
	size_t i;

	if (w->next)
		evloop_timer_del(w->next);
	if (w->deadline)
		evloop_timer_del(w->deadline);
	if (w->cur)
		propagation_cancel(w->cur);
	if (f == NULL) {
		f = xcalloc(1, sizeof(*f));
		f->domain = xstrdup(w->domain);
		f->ns_outcome = DNS_TIMEOUT;
		f->ns_why = xstrdup("no check finished within the wait time");
	}
	f->timed_out = !ok;
	f->rounds = w->rounds;
	f->waited_ms = evloop_clock() - w->start;
	for (i = 0; w->resolvers != NULL && w->resolvers[i] != NULL; i++)
		free(w->resolvers[i]);
	free(w->resolvers);
	free(w->domain);
	free(w);
	cb(f, ok, arg);
}

static void
wait_checked(struct propagation_facts *f, void *arg)
{
	struct propagation_wait *w = arg;
	uint64_t now, left, delay;

	w->cur = NULL;
	w->rounds++;
	propagation_facts_free(w->last);
	w->last = f;
	if (propagation_converged(f, w->expect, w->old)) {
		wait_done(w, 1);
		return;
	}
	now = evloop_clock();
	if (now >= w->end) {
		wait_done(w, 0);
		return;
	}
	left = w->end - now;
	delay = w->backoff < left ? w->backoff : left;
	w->backoff = w->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
	    w->backoff * 2;
	log_debug("propagation of %s: not yet everywhere after check %u; "
	    "next in %llu ms", w->domain, w->rounds,
	    (unsigned long long)delay);
	w->next = evloop_timer_add(w->loop, delay, wait_round, w);
}

static void
wait_round(void *arg)
{
	struct propagation_wait *w = arg;

	w->next = NULL;
	w->cur = propagation_start(w->loop, w->resolver, &w->cfg,
	    wait_checked, w);
}

static void
wait_deadline(void *arg)
{
	struct propagation_wait *w = arg;

	w->deadline = NULL;
	wait_done(w, 0);
}

struct propagation_wait *
propagation_wait_start(struct evloop *loop, struct dns *resolver,
    const struct propagation_config *cfg, const char **expect,
    const char **old, unsigned wait_ms, propagation_wait_cb *cb, void *arg)
{
	struct propagation_wait *w;
	size_t i, n = 0;

	w = xcalloc(1, sizeof(*w));
	w->loop = loop;
	w->resolver = resolver;
	w->cfg = *cfg;
	w->domain = xstrdup(cfg->domain);
	w->cfg.domain = w->domain;
	while (cfg->resolvers != NULL && cfg->resolvers[n] != NULL)
		n++;
	w->resolvers = xcalloc(n + 1, sizeof(*w->resolvers));
	for (i = 0; i < n; i++)
		w->resolvers[i] = xstrdup(cfg->resolvers[i]);
	w->cfg.resolvers = (const char **)w->resolvers;
	w->expect = expect;
	w->old = old;
	w->start = evloop_clock();
	w->end = w->start + wait_ms;
	w->backoff = BACKOFF_MIN_MS;
	w->cb = cb;
	w->arg = arg;
	w->deadline = evloop_timer_add(loop, wait_ms, wait_deadline, w);
	w->cur = propagation_start(loop, resolver, &w->cfg, wait_checked, w);
	return w;
}

void
propagation_wait_cancel(struct propagation_wait *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->next)
		evloop_timer_del(w->next);
	if (w->deadline)
		evloop_timer_del(w->deadline);
	propagation_cancel(w->cur);
	propagation_facts_free(w->last);
	for (i = 0; w->resolvers[i] != NULL; i++)
		free(w->resolvers[i]);
	free(w->resolvers);
	free(w->domain);
	free(w);
}
