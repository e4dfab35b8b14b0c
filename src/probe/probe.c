/*
 * probe - one domain's run: what starts when, the overall deadline, and
 * the hand-over of the facts. The exchangers' sessions are in
 * probe_smtp.c, their TLSA questions in probe_dane.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "facts/limits.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "util/log.h"
#include "probe/probe_mx.h"
#include "probe/probe.h"
#include "probe/probe_auth.h"
#include "probe/probe_int.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "util/xalloc.h"

static void
finish(struct probe *p)
{
	struct probe_facts *f = p->facts;
	probe_done_cb *cb = p->cb;
	void *arg = p->arg;
	size_t i;

	if (p->deadline)
		evloop_timer_del(p->deadline);
	sockets_unwait(&p->sw);
	f->ms = evloop_clock() - p->start;
	free(p->runs);
	for (i = 0; i < p->facts->nold; i++)
		free(p->oruns[i].sess);
	free(p->oruns);
	free(p->truns);
	if (p->own_tls)
		tls_ctx_free(p->tls);
	dns_view_free(p->dns);
	free(p);
	cb(f, arg);
}

void
probe_done_one(struct probe *p)
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
	if (set->outcome == DNS_OK || set->outcome == DNS_NODATA) {
		probe_dane_start(p);
		probe_smtp_targets(p);
	}
	/* The other sets' exchangers; a failed MX question probed none. */
	probe_smtp_prop(p, set->outcome == DNS_OK ? set : NULL);
	probe_done_one(p);
}

/* --- sender policy records (probe_auth.h) --- */
static void
on_auth(struct auth_facts *a, void *arg)
{
	struct probe *p = arg;

	p->authp = NULL;
	p->facts->auth = a;
	probe_done_one(p);
}

static void
start_auth(struct probe *p)
{
	struct auth_config ac;

	memset(&ac, 0, sizeof(ac));
	ac.domain = p->facts->domain;
	ac.dkim_selectors = p->cfg.dkim_selectors;
	ac.spf_ips = p->cfg.spf_ips;
	ac.spf_sender = p->cfg.spf_sender;
	ac.helo = p->cfg.helo;
	ac.https_port = p->cfg.https_port;
	ac.ca_file = p->cfg.ca_file;
	/* Fail the fetch before the deadline abandons it. */
	ac.https_timeout_ms = p->cfg.deadline_ms / 3 * 2;
	p->pending++;
	p->authp = probe_auth_start(p->loop, p->dns, &ac, on_auth, p);
}

static void
on_deadline(void *arg)
{
	struct probe *p = arg;

	p->deadline = NULL;
	/* What is still out is abandoned; its facts stay unset and the
	 * analysis reports them as not known. */
	if (p->authp != NULL) {
		/* on_auth runs inside the cancel; hold the probe open. */
		p->pending++;
		probe_auth_cancel(p->authp);
		p->pending--;
	}
	if (p->mxr != NULL) {
		probe_mx_cancel(p->mxr);
		p->mxr = NULL;
		p->pending--;
	}
	probe_smtp_cancel(p);
	probe_dane_cancel(p);
	if (p->pending == 0)
		finish(p);
}

void
probe_stop(struct probe *p)
{
	if (p->deadline != NULL) {
		evloop_timer_del(p->deadline);
		p->deadline = NULL;
	}
	on_deadline(p);
}

struct probe *
probe_start(struct evloop *loop, struct dns *dns,
    const struct probe_config *cfg, const char *domain, probe_done_cb *cb,
    void *arg)
{
	struct probe *p;
	struct buf *why;

	p = xcalloc(1, sizeof(*p));
	p->loop = loop;
	p->facts = xcalloc(1, sizeof(*p->facts));
	/* Every question of this domain is counted and bounded. */
	p->facts->dns.limit = LIMIT_DNS_QUERIES;
	p->dns = dns_view_new(dns, &p->facts->dns);
	if (cfg->trace_domain)
		dns_view_trace_tag(p->dns, domain);
	p->cfg = *cfg;
	p->cb = cb;
	p->arg = arg;
	p->start = evloop_clock();
	p->facts->domain = xstrdup(domain);
	p->facts->assume_down = cfg->assume_down;
	/*
	 * One for the MX resolution and one for probe_start itself: any
	 * engine started here may call back before it returns (the rule in
	 * doc/internals.md), so the probe is held open until every start
	 * has returned.
	 */
	p->pending = 2;
	if (cfg->tls != NULL)
		p->tls = cfg->tls;
	else if (!cfg->dns_only) {
		p->own_tls = 1;
		why = buf_new(BUF_WHY_MAX);
		/* One context, one trust store, for every session. */
		if ((p->tls = tls_ctx_new(cfg->ca_file, why)) == NULL)
			log_warnx("TLS set-up: %s", buf_str(why));
		buf_free(why);
	}
	p->mxr = probe_mx_start(p->dns, domain, on_mx, p);
	start_auth(p);
	probe_smtp_old(p);
	if (cfg->deadline_ms)
		p->deadline = evloop_timer_add(loop, cfg->deadline_ms,
		    on_deadline, p);
	if (--p->pending == 0) {
		finish(p);		/* cb has run: nothing to hand back */
		return NULL;
	}
	return p;
}
