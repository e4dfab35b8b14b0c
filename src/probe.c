#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "evloop.h"
#include "facts.h"
#include "mx.h"
#include "probe.h"
#include "xalloc.h"

struct probe {
	struct evloop		*loop;
	struct dns		*dns;
	struct probe_config	 cfg;
	struct probe_facts	*facts;
	struct mx_resolve	*mxr;
	struct ev_timer		*deadline;
	unsigned		 pending;
	uint64_t		 start;
	probe_done_cb		*cb;
	void			*arg;
};

void
probe_facts_free(struct probe_facts *f)
{
	if (f == NULL)
		return;
	mx_set_free(f->mx);
	free(f->domain);
	free(f);
}

static void
finish(struct probe *p)
{
	struct probe_facts *f = p->facts;
	probe_done_cb *cb = p->cb;
	void *arg = p->arg;

	if (p->deadline)
		evloop_timer_del(p->deadline);
	f->ms = evloop_clock() - p->start;
	free(p);
	cb(f, arg);
}

static void
done_one(struct probe *p)
{
	if (--p->pending == 0)
		finish(p);
}

static void
on_mx(struct mx_set *set, void *arg)
{
	struct probe *p = arg;

	p->mxr = NULL;
	p->facts->mx = set;
	done_one(p);
}

static void
on_deadline(void *arg)
{
	struct probe *p = arg;

	p->deadline = NULL;
	/* What is still out is abandoned; its facts stay unset and the
	 * analysis reports them as not known. */
	if (p->mxr != NULL) {
		mx_resolve_cancel(p->mxr);
		p->mxr = NULL;
		p->pending--;
	}
	if (p->pending == 0)
		finish(p);
}

struct probe *
probe_start(struct evloop *loop, struct dns *dns,
    const struct probe_config *cfg, const char *domain, probe_done_cb *cb,
    void *arg)
{
	struct probe *p;

	p = xcalloc(1, sizeof(*p));
	p->loop = loop;
	p->dns = dns;
	p->cfg = *cfg;
	p->cb = cb;
	p->arg = arg;
	p->start = evloop_clock();
	p->facts = xcalloc(1, sizeof(*p->facts));
	p->facts->domain = xstrdup(domain);
	p->pending = 1;
	p->mxr = mx_resolve(dns, domain, on_mx, p);
	if (cfg->deadline_ms)
		p->deadline = evloop_timer_add(loop, cfg->deadline_ms,
		    on_deadline, p);
	return p;
}

void
probe_cancel(struct probe *p)
{
	if (p == NULL)
		return;
	mx_resolve_cancel(p->mxr);
	evloop_timer_del(p->deadline);
	probe_facts_free(p->facts);
	free(p);
}
