/*
 * probe_smtp - the exchangers' addresses as targets: one SMTP session per
 * address at a time (two MX names on one address are probed one after
 * the other), the PTR of every address and whether its name resolves back
 * (FCrDNS), and whether the --old-mx hosts still answer (and the
 * exchangers of the other MX sets the --propagation servers gave). Every
 * session, the old hosts' too, holds a socket of the run's pool
 * (probe/sockets.h) and counts against LIMIT_SOCKETS_DOMAIN: one that
 * finds no free socket waits in line, it does not fail. Before that it
 * takes its address's slot of the run's cap per address (--per-address):
 * at the cap it waits in that address's line, holding nothing else.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/dname.h"
#include "util/buf.h"
#include "util/log.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "probe/probe_int.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "net/vantage.h"
#include "probe/share.h"
#include "util/xalloc.h"
#include "facts/limits.h"

static const struct mx_addr *
target_addr(const struct probe *p, size_t i)
{
	const struct probe_target *t = &p->facts->targets[i];

	return &p->facts->mx->hosts[t->host].addrs[t->addr];
}

static int
same_addr(const struct mx_addr *a, const struct mx_addr *b)
{
	return a->family == b->family && memcmp(a->addr, b->addr,
	    a->family == AF_INET ? 4 : 16) == 0;
}

/* What every session of the probe is configured with, the rest zero:
 * the current exchangers' sessions add their own, the old ones' none. */
static void
session_config(const struct probe *p, struct smtp_config *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->ehlo_name = p->cfg.ehlo;
	sc->port = (unsigned short)p->cfg.smtp_port;
	sc->step_timeout_ms = p->cfg.step_ms;
	sc->deadline_ms = p->cfg.deadline_ms;
	sc->tls = p->tls;
}

static void	smtp_start(struct probe *, size_t, int);
static void	old_start(struct old_sess *);
static void	target_result(struct target_run *, struct smtp_result *, int);
static void	on_fwd(const struct dns_result *, void *);
static int	share_join(struct probe *, size_t);
static void	share_leave(struct target_run *);
static void	share_start(struct target_run *, const struct smtp_config *,
		    const struct sockaddr_storage *, socklen_t, const char *);

/*
 * A session of the domain waits for the per-address cap: counted once in
 * smtp_addr_queued, the address named in the facts (the first few).
 */
static void
addr_queued(struct probe *p, const struct mx_addr *a)
{
	struct probe_facts *f = p->facts;
	size_t k;

	f->smtp_addr_queued++;
	f->addr_cap = sockets_per_addr(p->cfg.sockets);
	for (k = 0; k < f->naddr_queued; k++)
		if (strcmp(f->addr_queued[k], a->text) == 0)
			return;
	if (f->naddr_queued < PROBE_ADDR_QUEUED_MAX)
		snprintf(f->addr_queued[f->naddr_queued++],
		    sizeof(f->addr_queued[0]), "%s", a->text);
}

/* Has the domain's overall deadline come (its timer not yet run)? */
static int
deadline_due(const struct probe *p)
{
	return p->cfg.deadline_ms > 0 &&
	    evloop_clock() - p->start >= p->cfg.deadline_ms;
}

/*
 * Target r's address slot was handed over: the session goes on. When
 * the domain's deadline has come, the slot goes on to the next in line
 * at once: a connection now would be cut before it could say anything.
 * The target stays waiting for the deadline's cancel to report it.
 */
static void
on_target_cap(void *arg)
{
	struct target_run *r = arg;
	const struct mx_addr *a = target_addr(r->p, r->i);

	if (deadline_due(r->p)) {
		sockets_addr_give(r->p->cfg.sockets, a->family, a->addr);
		return;
	}
	r->addr_wait = 0;
	r->addr_held = 1;
	probe_smtp_start(r->p, r->i);
}

/* The slot of target r's address: 1 held, 0 it waits in that line. */
static int
target_addr_take(struct target_run *r)
{
	struct probe *p = r->p;
	const struct mx_addr *a = target_addr(p, r->i);

	if (r->addr_held)
		return 1;
	if (sockets_addr_take(p->cfg.sockets, a->family, a->addr)) {
		r->addr_held = 1;
		return 1;
	}
	if (!r->addr_wait)
		addr_queued(p, a);
	r->addr_wait = 1;
	r->addr_waited = 1;
	r->smtp_pending = 1;
	sockets_addr_wait(p->cfg.sockets, &r->aw, a->family, a->addr,
	    on_target_cap, r);
	return 0;
}

static void
target_addr_give(struct target_run *r)
{
	const struct mx_addr *a = target_addr(r->p, r->i);

	if (!r->addr_held)
		return;
	r->addr_held = 0;
	sockets_addr_give(r->p->cfg.sockets, a->family, a->addr);
}

/* Sockets were freed: start the sessions waiting for one, in order:
 * the domain's own targets first, then the old hosts' addresses. */
static void
wake(void *arg)
{
	struct probe *p = arg;
	struct old_sess *os;
	size_t j, k;

	for (j = 0; j < p->facts->ntargets; j++)
		if (p->runs[j].slot_wait) {
			probe_smtp_start(p, j);
			if (p->runs[j].slot_wait)
				return;
		}
	for (j = 0; j < p->facts->nold; j++)
		for (k = 0; k < p->oruns[j].nsess; k++) {
			os = &p->oruns[j].sess[k];
			if (!os->slot_wait)
				continue;
			old_start(os);
			if (os->slot_wait)
				return;
		}
}

/*
 * No socket for a session now: it waits in line, counted once in
 * smtp_queued. A full pool calls wake() when a slot is free; the domain's
 * own cap (LIMIT_SOCKETS_DOMAIN) is freed by the domain's sessions, whose
 * ends call wake() too.
 */
static void
slot_queue(struct probe *p, int *slot_wait)
{
	if (!*slot_wait)
		p->facts->smtp_queued++;
	*slot_wait = 1;
	if (p->nsess < LIMIT_SOCKETS_DOMAIN)
		sockets_wait(p->cfg.sockets, &p->sw, wake, p);
}

/* A slot for one session of the domain: 1 taken, 0 none free now. */
static int
slot_take(struct probe *p)
{
	if (p->nsess >= LIMIT_SOCKETS_DOMAIN || !sockets_take(p->cfg.sockets))
		return 0;
	p->nsess++;
	return 1;
}

/*
 * The session was given up at socket() for want of a descriptor (EMFILE,
 * ENFILE): that says nothing of the server. While other sessions of the
 * run hold sockets, the cap shrinks to them and the session waits in line
 * again (1); with none open, the caller gives up on it (0). The slot is
 * given back either way.
 */
static int
slot_retry(struct probe *p, int *slot_wait)
{
	p->nsess--;
	if (p->cfg.sockets != NULL && sockets_used(p->cfg.sockets) > 1) {
		sockets_shrink(p->cfg.sockets);
		sockets_give(p->cfg.sockets);
		*slot_wait = 0;
		slot_queue(p, slot_wait);
		return 1;
	}
	sockets_give(p->cfg.sockets);
	return 0;
}

/* Did the session end at socket() for want of a descriptor? */
static int
out_of_descriptors(const struct smtp_result *res)
{
	return res->step == SMTP_STEP_CONNECT &&
	    (res->sys_errno == EMFILE || res->sys_errno == ENFILE);
}

/*
 * The host had no descriptor left for the socket: that says nothing of
 * the server. While other sessions of the run hold sockets, the cap
 * shrinks to them and the target waits for one to end; with none open,
 * it is skipped with the reason. Returns 1 when res was taken care of.
 */
static int
no_descriptor(struct target_run *r, struct smtp_result *res)
{
	struct probe *p = r->p;

	if (!out_of_descriptors(res))
		return 0;
	smtp_result_free(res);
	if (slot_retry(p, &r->slot_wait))
		return 1;
	target_addr_give(r);
	r->smtp_pending = 0;
	p->facts->targets[r->i].skipped = PROBE_SKIP_NO_FD;
	probe_done_one(p);
	return 1;
}

static void
on_smtp(struct smtp_result *res, void *arg)
{
	struct target_run *r = arg;
	struct probe *p = r->p;

	r->sess = NULL;
	if (no_descriptor(r, res))
		return;
	/* A server that shares no protocol version with us: ask again on
	 * a new connection, TLS 1.0 and 1.1 allowed, to tell a server
	 * that speaks nothing newer (RFC 8996) from a broken one. The
	 * retry keeps this session's socket slot. */
	if (r->first == NULL && res->outcome == SMTP_TLS_FAILED &&
	    res->tls_version_failed) {
		r->first = res;
		smtp_start(p, r->i, 1);
		return;
	}
	p->nsess--;
	sockets_give(p->cfg.sockets);
	target_addr_give(r);
	if (r->first != NULL) {
		r->first->legacy = res;
		res = r->first;
		r->first = NULL;
	}
	target_result(r, res, 0);
}

/* The session of target r ended with res (shared: the table's). */
static void
target_result(struct target_run *r, struct smtp_result *res, int shared)
{
	struct probe *p = r->p;
	struct probe_target *t = &p->facts->targets[r->i];
	size_t j;

	r->smtp_pending = 0;
	/* A shared result outlives the table's entry while we hold it. */
	t->smtp = shared ? smtp_result_ref(res) : res;
	t->smtp_shared = shared;
	t->end_ms = evloop_clock() - p->start;
	/* The next target waiting for this address may go now. */
	for (j = 0; j < p->facts->ntargets; j++)
		if (p->runs[j].queued && same_addr(target_addr(p, j),
		    target_addr(p, r->i))) {
			p->runs[j].queued = 0;
			probe_smtp_start(p, j);
			break;
		}
	wake(p);
	probe_done_one(p);
}

void
probe_smtp_start(struct probe *p, size_t i)
{
	struct target_run *r = &p->runs[i];

	if (probe_dane_waits(p, i)) {
		/* on_tlsa starts it; it counts as running meanwhile (one
		 * connection per address). */
		r->tlsa_wait = 1;
		r->smtp_pending = 1;
		return;
	}
	if (share_join(p, i))
		return;
	if (!target_addr_take(r))
		return;
	/* At most LIMIT_SOCKETS_DOMAIN at once, within the run's cap: the
	 * others wait in line, they do not fail. */
	if (!slot_take(p)) {
		r->smtp_pending = 1;
		slot_queue(p, &r->slot_wait);
		return;
	}
	r->slot_wait = 0;
	smtp_start(p, i, 0);
}

/* The session of target i; legacy: the TLS 1.0/1.1 retry (no DANE). */
static void
smtp_start(struct probe *p, size_t i, int legacy)
{
	struct target_run *r = &p->runs[i];
	struct probe_target *t = &p->facts->targets[i];
	const struct mx_addr *a = target_addr(p, i);
	const char *host = p->facts->mx->hosts[t->host].name;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct smtp_config sc;
	struct tls_tlsa tlsa[TLS_TLSA_MAX];

	addr_sockaddr(a->family, a->addr, p->cfg.smtp_port, &ss, &sl);
	session_config(p, &sc);
	sc.family = AF_UNSPEC;
	sc.rcpt_domain = p->cfg.rcpt && !legacy ? p->facts->mx->domain :
	    NULL;
	sc.ntlsa = legacy ? 0 : probe_dane_config(p, t->host, tlsa,
	    TLS_TLSA_MAX);
	sc.tlsa = sc.ntlsa > 0 ? tlsa : NULL;
	sc.tlsa_secure = sc.ntlsa > 0 && p->facts->tlsa[t->host].ad;
	sc.tls_legacy = legacy;
	sc.trace_tag = p->cfg.trace_domain ? p->facts->domain : NULL;
	if (!legacy)
		t->start_ms = evloop_clock() - p->start;
	r->smtp_pending = 1;
	if (!legacy && r->shared != NULL && r->shared->owner == r) {
		share_start(r, &sc, &ss, sl, host);
		return;
	}
	r->sess = smtp_session_start(p->loop, &sc, (struct sockaddr *)&ss, sl,
	    host, on_smtp, r);
}

/*
 * FCrDNS, one answer at a time: the PTR name of the target's address
 * (fwd 0), then that name's addresses (fwd 1), which must include the
 * address.
 */
static void
rdns_answer(struct target_run *r, const struct dns_result *res, int fwd)
{
	struct probe *p = r->p;
	struct probe_target *t = &p->facts->targets[r->i];
	const struct mx_addr *a = target_addr(p, r->i);
	struct dns_query *q;
	size_t k;

	if (fwd) {
		r->fwdq = NULL;
		for (k = 0; k < res->nrr; k++)
			if (res->rr[k].u.a.family == a->family &&
			    memcmp(res->rr[k].u.a.addr, a->addr,
			    a->family == AF_INET ? 4 : 16) == 0)
				t->fcrdns = 1;
	} else {
		r->ptrq = NULL;
		t->ptr_out = res->outcome;
		if (res->outcome == DNS_OK && res->nrr > 0) {
			t->ptr = xstrdup(res->rr[0].u.name);
			q = dns_query(p->dns, t->ptr, a->family == AF_INET ?
			    DNS_T_A : DNS_T_AAAA, 0, on_fwd, r);
			if (q != NULL)
				r->fwdq = q;
			return;	/* still pending: on_fwd ends it */
		}
	}
	r->dns_pending = 0;
	probe_done_one(p);
}

static void
on_fwd(const struct dns_result *res, void *arg)
{
	rdns_answer(arg, res, 1);
}

static void
on_ptr(const struct dns_result *res, void *arg)
{
	rdns_answer(arg, res, 0);
}


/* addr_usable()'s allow for this probe's options. */
static int
allowed(const struct probe *p)
{
	return (p->cfg.allow_loopback ? ADDR_ALLOW_LOOPBACK : 0) |
	    (p->cfg.allow_documentation ? ADDR_ALLOW_DOCUMENTATION : 0);
}

/*
 * Whether this host has no route to the family of a (the run's vantage,
 * checked once, by the first probe that gets here): such an address is
 * not tried, since nothing could leave for it. A loopback address needs
 * no route to the internet and is always tried (the lab's 127.0.0.0/8
 * and ::1, with --allow-loopback).
 */
static int
no_route_here(struct probe *p, const struct mx_addr *a)
{
	const struct vantage *v = p->cfg.vantage;

	if (v == NULL || addr_classify(a->family, a->addr) == ADDR_LOOPBACK)
		return 0;
	return vantage_family(v, a->family)->route == VANTAGE_NO_ROUTE;
}

/* One family of the vantage in the -v trace, tagged as the probe's. */
static void
vantage_trace(const struct probe *p, const char *fam,
    const struct vantage_family *f)
{
	const char *tag = p->cfg.trace_domain ? p->facts->domain : NULL;

	if (f->route == VANTAGE_ROUTE)
		log_trace("%s%s%svantage: %s route to the internet, from %s",
		    tag ? "[" : "", tag ? tag : "", tag ? "] " : "", fam,
		    f->source);
	else
		log_trace("%s%s%svantage: %s no route (%s)", tag ? "[" : "",
		    tag ? tag : "", tag ? "] " : "", fam,
		    strerror(f->sys_errno));
}

/* The vantage, checked before the first connection of the run (this
 * probe's, or an earlier one's), into the facts. */
static void
vantage_here(struct probe *p)
{
	struct vantage *v = p->cfg.vantage;
	int fresh;

	if (v == NULL || p->cfg.dns_only)
		return;
	fresh = v->v4.route == VANTAGE_NOT_CHECKED ||
	    v->v6.route == VANTAGE_NOT_CHECKED;
	vantage_check(v);
	if (fresh && log_tracing(1)) {
		vantage_trace(p, "IPv4", &v->v4);
		vantage_trace(p, "IPv6", &v->v6);
	}
	p->facts->vantage = *v;
}

void
probe_smtp_targets(struct probe *p)
{
	struct probe_facts *f = p->facts;
	const struct mx_set *mx = f->mx;
	const struct mx_addr *a;
	struct target_run *r;
	char rev[80];
	size_t h, k, i, j, n = 0;

	for (h = 0; h < mx->nhost; h++)
		if (mx_host_probed(mx, h))
			n += mx->hosts[h].naddr;
	if (n == 0 || (mx->null_mx && mx->nnull == mx->nhost))
		return;
	f->targets = xcalloc(n, sizeof(*f->targets));
	p->runs = xcalloc(n, sizeof(*p->runs));
	for (h = 0; h < mx->nhost; h++) {
		if (!mx_host_probed(mx, h))
			continue;
		for (k = 0; k < mx->hosts[h].naddr; k++) {
			f->targets[f->ntargets].host = h;
			f->targets[f->ntargets].addr = k;
			f->targets[f->ntargets].ptr_out = DNS_TIMEOUT;
			p->runs[f->ntargets].p = p;
			p->runs[f->ntargets].i = f->ntargets;
			f->ntargets++;
		}
	}
	f->smtp_probed = !p->cfg.dns_only;
	vantage_here(p);
	for (i = 0; i < f->ntargets; i++) {
		r = &p->runs[i];
		a = target_addr(p, i);
		if (!addr_usable(a->family, a->addr, allowed(p))) {
			f->targets[i].skipped = PROBE_SKIP_UNROUTABLE;
			continue;
		}
		/* Reverse DNS is asked in every mode: it is DNS. */
		addr_reverse(a->family, a->addr, rev, sizeof(rev));
		r->dns_pending = 1;
		p->pending++;
		r->ptrq = dns_query(p->dns, rev, DNS_T_PTR, 0, on_ptr, r);
		if (p->cfg.dns_only) {
			f->targets[i].skipped = PROBE_SKIP_DNS_ONLY;
			continue;
		}
		if ((p->cfg.family == 4 && a->family != AF_INET) ||
		    (p->cfg.family == 6 && a->family != AF_INET6)) {
			f->targets[i].skipped = p->cfg.family == 4 ?
			    PROBE_SKIP_FAMILY_4 : PROBE_SKIP_FAMILY_6;
			continue;
		}
		/* A CDN edge does not carry SMTP: a connection there only
		 * waits for the timeout. */
		if (addr_cdn(a->family, a->addr) != NULL) {
			f->targets[i].skipped = PROBE_SKIP_CDN;
			continue;
		}
		if (no_route_here(p, a)) {
			f->targets[i].skipped = a->family == AF_INET6 ?
			    PROBE_SKIP_NO_ROUTE_6 : PROBE_SKIP_NO_ROUTE_4;
			continue;
		}
		p->pending++;
		/* One connection at a time per address. */
		for (j = 0; j < i; j++)
			if ((p->runs[j].smtp_pending || p->runs[j].queued) &&
			    same_addr(target_addr(p, j), a))
				break;
		if (j < i) {
			r->queued = 1;
			r->smtp_pending = 1;
			continue;
		}
		probe_smtp_start(p, i);
	}
}

/* The slot of an old host's address was handed over: go on. */
static void
on_old_cap(void *arg)
{
	struct old_sess *os = arg;
	const struct mx_addr *a = &os->r->p->facts->old[os->r->i].addrs[os->k];

	if (deadline_due(os->r->p)) {	/* as on_target_cap */
		sockets_addr_give(os->r->p->cfg.sockets, a->family, a->addr);
		return;
	}
	os->addr_wait = 0;
	os->addr_held = 1;
	old_start(os);
}

static void
old_addr_give(struct old_sess *os)
{
	const struct mx_addr *a = &os->r->p->facts->old[os->r->i].addrs[os->k];

	if (!os->addr_held)
		return;
	os->addr_held = 0;
	sockets_addr_give(os->r->p->cfg.sockets, a->family, a->addr);
}

static void
on_old_smtp(struct smtp_result *res, void *arg)
{
	struct old_sess *os = arg;
	struct old_run *r = os->r;
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];

	os->sess = NULL;
	if (out_of_descriptors(res)) {
		smtp_result_free(res);
		if (slot_retry(p, &os->slot_wait))
			return;
		/* Nothing else open and still no descriptor: not probed,
		 * undecided (UNKNOWN), never "down". */
		o->probed[os->k] = 0;
		old_addr_give(os);
		wake(p);
		probe_done_one(p);
		return;
	}
	p->nsess--;
	sockets_give(p->cfg.sockets);
	old_addr_give(os);
	o->answers[os->k] = res->banner.code == 220;
	/* Cut by the deadline, or no route from here: says nothing about
	 * the server. */
	o->decided[os->k] = !res->deadline_hit && !res->no_route;
	smtp_result_free(res);
	/* The domain's cap may have held a session back. */
	wake(p);
	probe_done_one(p);
}

/* The session of one old host's address, once it has a socket. */
static void
old_start(struct old_sess *os)
{
	struct old_run *r = os->r;
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];
	const struct mx_addr *a = &o->addrs[os->k];
	struct sockaddr_storage ss;
	socklen_t sl;
	struct smtp_config sc;

	if (!os->addr_held) {
		if (!sockets_addr_take(p->cfg.sockets, a->family, a->addr)) {
			if (!os->addr_wait)
				addr_queued(p, a);
			os->addr_wait = 1;
			sockets_addr_wait(p->cfg.sockets, &os->aw, a->family,
			    a->addr, on_old_cap, os);
			return;
		}
		os->addr_held = 1;
	}
	if (!slot_take(p)) {
		slot_queue(p, &os->slot_wait);
		return;
	}
	os->slot_wait = 0;
	addr_sockaddr(o->addrs[os->k].family, o->addrs[os->k].addr,
	    p->cfg.smtp_port, &ss, &sl);
	session_config(p, &sc);
	o->probed[os->k] = 1;
	os->sess = smtp_session_start(p->loop, &sc, (struct sockaddr *)&ss, sl,
	    o->name, on_old_smtp, os);
}

/* Both address answers of an old exchanger are in: connect. */
static void
old_connect(struct old_run *r)
{
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];
	size_t k;

	o->resolved = 1;
	o->answers = xcalloc(o->naddr ? o->naddr : 1, sizeof(int));
	o->probed = xcalloc(o->naddr ? o->naddr : 1, sizeof(int));
	o->decided = xcalloc(o->naddr ? o->naddr : 1, sizeof(int));
	r->sess = xcalloc(o->naddr ? o->naddr : 1, sizeof(*r->sess));
	r->nsess = o->naddr;
	if (p->cfg.dns_only)
		return;
	vantage_here(p);
	for (k = 0; k < o->naddr; k++) {
		if (!addr_usable(o->addrs[k].family, o->addrs[k].addr,
		    allowed(p)) || no_route_here(p, &o->addrs[k]))
			continue;	/* not probed: no verdict */
		if (o->from_propagation && ((p->cfg.family == 4 &&
		    o->addrs[k].family != AF_INET) || (p->cfg.family == 6 &&
		    o->addrs[k].family != AF_INET6)))
			continue;	/* as the domain's own targets */
		r->sess[k].r = r;
		r->sess[k].k = k;
		p->pending++;
		old_start(&r->sess[k]);
	}
}

static void
on_old_addr(const struct dns_result *res, void *arg)
{
	struct old_run *r = arg;
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];
	size_t k, j, fam;

	r->q[res->qtype == DNS_T_A ? 0 : 1] = NULL;
	if (res->outcome != DNS_OK && res->outcome != DNS_NODATA &&
	    res->outcome != DNS_NXDOMAIN)
		o->addr_failed = 1;
	for (k = 0; res->outcome == DNS_OK && k < res->nrr; k++) {
		/* A propagation set's host: as many addresses per family
		 * as the domain's own exchangers get (LIMIT_MX_ADDRS). */
		for (fam = 0, j = 0; j < o->naddr; j++)
			if (o->addrs[j].family == res->rr[k].u.a.family)
				fam++;
		if (o->from_propagation && fam >= LIMIT_MX_ADDRS) {
			o->naddr_over += res->nrr - k;
			break;
		}
		o->addrs = xreallocarray(o->addrs, o->naddr + 1,
		    sizeof(*o->addrs));
		memset(&o->addrs[o->naddr], 0, sizeof(*o->addrs));
		o->addrs[o->naddr].family = res->rr[k].u.a.family;
		memcpy(o->addrs[o->naddr].addr, res->rr[k].u.a.addr, 16);
		addr_text(res->rr[k].u.a.family, res->rr[k].u.a.addr,
		    o->addrs[o->naddr].text, sizeof(o->addrs[0].text));
		o->naddr++;
	}
	if (--r->pending == 0)
		old_connect(r);
	probe_done_one(p);
}

/* Entry i of facts->old is named: ask its addresses. */
static void
old_resolve(struct probe *p, size_t i)
{
	struct probe_facts *f = p->facts;
	struct dns_query *q;

	p->oruns[i].p = p;
	p->oruns[i].i = i;
	p->oruns[i].pending = 2;
	p->pending += 2;
	q = dns_query(p->dns, f->old[i].name, DNS_T_A, 0, on_old_addr,
	    &p->oruns[i]);
	if (q != NULL)
		p->oruns[i].q[0] = q;
	q = dns_query(p->dns, f->old[i].name, DNS_T_AAAA, 0, on_old_addr,
	    &p->oruns[i]);
	if (q != NULL)
		p->oruns[i].q[1] = q;
}

/*
 * Room for the --old-mx hosts and the propagation hosts to come
 * (probe_smtp_prop): allocated once, so that the runs in flight keep
 * their addresses.
 */
void
probe_smtp_old(struct probe *p)
{
	struct probe_facts *f = p->facts;
	size_t n, np, i;

	for (n = 0; p->cfg.old_mx != NULL && p->cfg.old_mx[n] != NULL; n++)
		;
	for (np = 0; !p->cfg.dns_only && p->cfg.prop_mx != NULL &&
	    p->cfg.prop_mx[np] != NULL && np < LIMIT_MX_HOSTS; np++)
		;
	if (n + np == 0)
		return;
	f->old = xcalloc(n + np, sizeof(*f->old));
	p->oruns = xcalloc(n + np, sizeof(*p->oruns));
	p->ocap = n + np;
	for (i = 0; i < n; i++) {
		f->old[i].name = xstrdup(p->cfg.old_mx[i]);
		f->nold = i + 1;
		old_resolve(p, i);
	}
}

/*
 * The MX set is known: probe the exchangers of the propagation servers'
 * sets that are not in it (nor named with --old-mx, whose run answers
 * for them too), at most LIMIT_MX_HOSTS. set is NULL when the MX
 * question failed: then all of them.
 */
void
probe_smtp_prop(struct probe *p, const struct mx_set *set)
{
	struct probe_facts *f = p->facts;
	const char *h;
	size_t i, k;

	for (i = 0; p->cfg.prop_mx != NULL && p->cfg.prop_mx[i] != NULL &&
	    f->nold < p->ocap; i++) {
		h = p->cfg.prop_mx[i];
		for (k = 0; set != NULL && k < set->nhost; k++)
			if (dname_equal(set->hosts[k].name, h))
				break;
		if (set != NULL && k < set->nhost)
			continue;
		for (k = 0; k < f->nold; k++)
			if (dname_equal(f->old[k].name, h))
				break;
		if (k < f->nold)
			continue;
		k = f->nold++;
		f->old[k].name = xstrdup(h);
		f->old[k].from_propagation = 1;
		old_resolve(p, k);
	}
}

/*
 * --- Shared sessions (probe/share.h) ---
 *
 * With a share table (--batch without --no-share), the session of an
 * exchanger address runs once per run: the first domain that needs it
 * takes the socket and starts it; the domains that come while it runs
 * wait for it; those that come after get its result at once. A session
 * cut short by its deadline (deadline_hit) counts only for the domains
 * whose own deadline is no later (they started no later than it); the
 * others start a new one, and the cut result is no longer handed out.
 * Targets checked with DANE (TLSA records for the host) are not shared.
 */
static int
share_wanted(struct probe *p, size_t i)
{
	struct tls_tlsa tlsa[TLS_TLSA_MAX];

	return p->cfg.share != NULL && !p->runs[i].share_off &&
	    p->cfg.tls != NULL && p->tls == p->cfg.tls &&
	    probe_dane_config(p, p->facts->targets[i].host, tlsa,
	    TLS_TLSA_MAX) == 0;
}

static void
on_share_timer(void *arg)
{
	struct target_run *r = arg;
	struct share_entry *e = r->shared;

	r->share_timer = NULL;
	r->shared = NULL;
	e->pins--;
	target_result(r, e->res, 1);
}

/* Returns 1 when the target waits for (or gets) a shared session. */
static int
share_join(struct probe *p, size_t i)
{
	struct target_run *r = &p->runs[i];
	struct probe_target *t = &p->facts->targets[i];
	const struct mx_addr *a = target_addr(p, i);
	struct share_entry *e;
	char key[600];

	if (r->shared != NULL)		/* the owner, back from a wait */
		return 0;
	if (!share_wanted(p, i))
		return 0;
	share_key(p->facts->mx->hosts[t->host].name, a->family, a->addr,
	    p->cfg.smtp_port, key, sizeof(key));
	r->smtp_pending = 1;
	if ((e = share_find(p->cfg.share, key)) == NULL) {
		e = share_add(p->cfg.share, key);
		e->owner = r;
		r->shared = e;
		share_attach(e, r);
		return 0;	/* the owner goes on: socket, session */
	}
	r->shared = e;
	t->start_ms = evloop_clock() - p->start;
	if (e->state == SHARE_DONE) {
		share_used(p->cfg.share, e);
		e->pins++;
		r->share_timer = evloop_timer_add(p->loop, 0, on_share_timer,
		    r);
	} else
		share_attach(e, r);
	return 1;
}

static void	on_shared_smtp(struct smtp_result *, void *);

/* The entry's session gives its address's slot back. */
static void
share_addr_give(struct share_entry *e)
{
	const void *addr;

	if (!e->addr_held)
		return;
	e->addr_held = 0;
	if (e->ss.ss_family == AF_INET)
		addr = &((const struct sockaddr_in *)&e->ss)->sin_addr;
	else
		addr = &((const struct sockaddr_in6 *)&e->ss)->sin6_addr;
	sockets_addr_give(e->sockets, e->ss.ss_family, addr);
}

/* The owner has its socket: the session goes to the table. */
static void
share_start(struct target_run *r, const struct smtp_config *sc,
    const struct sockaddr_storage *ss, socklen_t sl, const char *host)
{
	struct share_entry *e = r->shared;
	struct probe *p = r->p;

	e->owner = NULL;
	e->loop = p->loop;
	e->sc = *sc;
	e->sc.tlsa = NULL;
	e->sc.ntlsa = 0;
	e->ss = *ss;
	e->sl = sl;
	e->host = xstrdup(host);
	e->sockets = p->cfg.sockets;
	e->start = evloop_clock();
	/* The slots are the table's now, not the domain's. */
	p->nsess--;
	e->addr_held = r->addr_held;
	r->addr_held = 0;
	e->t->nsessions++;
	e->sess = smtp_session_start(e->loop, &e->sc,
	    (struct sockaddr *)&e->ss, e->sl, e->host, on_shared_smtp, e);
}

/* Runs taken off e, to be started again on their own. */
static void
share_restart(struct target_run **runs, size_t n, int own)
{
	size_t k;

	for (k = 0; k < n; k++) {
		runs[k]->shared = NULL;
		runs[k]->share_off = own;
		probe_smtp_start(runs[k]->p, runs[k]->i);
	}
}

/* The entry goes; the runs that waited on it start again on their own. */
static void
share_disband(struct share_entry *e, int own)
{
	struct target_run **runs = e->runs;
	size_t n = e->nruns;

	e->runs = NULL;
	e->nruns = 0;
	share_drop(e->t, e);
	share_restart(runs, n, own);
	free(runs);
}

static void
on_shared_smtp(struct smtp_result *res, void *arg)
{
	struct share_entry *e = arg;
	struct target_run **runs, **again;
	size_t n, k, na = 0;

	e->sess = NULL;
	runs = e->runs;
	n = e->nruns;
	if (res->step == SMTP_STEP_CONNECT &&
	    (res->sys_errno == EMFILE || res->sys_errno == ENFILE)) {
		/* Says nothing of the server: each domain on its own. */
		smtp_result_free(res);
		sockets_give(e->sockets);
		share_addr_give(e);
		share_disband(e, 1);
		return;
	}
	if (e->first == NULL && res->outcome == SMTP_TLS_FAILED &&
	    res->tls_version_failed) {
		e->first = res;
		e->sc.tls_legacy = 1;
		e->t->nsessions++;
		e->sess = smtp_session_start(e->loop, &e->sc,
		    (struct sockaddr *)&e->ss, e->sl, e->host, on_shared_smtp,
		    e);
		return;
	}
	sockets_give(e->sockets);
	share_addr_give(e);
	if (e->first != NULL) {
		e->first->legacy = res;
		res = e->first;
		e->first = NULL;
	}
	e->res = res;
	e->state = SHARE_DONE;
	if (res->deadline_hit)
		share_retire(e->t, e);
	e->runs = NULL;
	e->nruns = e->cap = 0;
	again = xcalloc(n ? n : 1, sizeof(*again));
	for (k = 0; k < n; k++) {
		if (res->deadline_hit && runs[k]->p->start > e->start) {
			again[na++] = runs[k];
			continue;
		}
		runs[k]->shared = NULL;
		target_result(runs[k], res, 1);
	}
	share_restart(again, na, 0);
	free(again);
	free(runs);
	share_done(e->t, e);
}

/* The domain's deadline: its target stops waiting for the session. */
static void
share_leave(struct target_run *r)
{
	struct share_entry *e = r->shared;

	r->shared = NULL;
	if (r->share_timer != NULL) {
		evloop_timer_del(r->share_timer);
		r->share_timer = NULL;
		e->pins--;
		return;
	}
	if (e->owner == r) {
		/* Never started: the others start anew. */
		share_detach(e, r);
		share_disband(e, 0);
		return;
	}
	if (share_detach(e, r) > 0 || e->state != SHARE_RUNNING)
		return;
	/* Nobody waits any more: the session stops. */
	smtp_session_cancel(e->sess);
	e->sess = NULL;
	sockets_give(e->sockets);
	share_addr_give(e);
	share_drop(e->t, e);
}

/* The overall deadline: sessions and questions still out are abandoned. */
void
probe_smtp_cancel(struct probe *p)
{
	struct target_run *r;
	size_t i, k;

	/* Out of every line first: a slot given back below must not
	 * start a session of this probe. */
	sockets_unwait(&p->sw);
	for (i = 0; p->facts->mx != NULL && i < p->facts->ntargets; i++)
		sockets_unwait(&p->runs[i].aw);
	for (i = 0; i < p->facts->nold; i++)
		for (k = 0; k < p->oruns[i].nsess; k++)
			sockets_unwait(&p->oruns[i].sess[k].aw);
	for (i = 0; p->facts->mx != NULL && i < p->facts->ntargets; i++) {
		r = &p->runs[i];
		if (r->sess != NULL || r->queued || r->tlsa_wait ||
		    r->slot_wait || r->addr_wait || r->addr_held ||
		    r->shared != NULL) {
			if (r->shared != NULL)
				share_leave(r);
			smtp_session_cancel(r->sess);
			if (r->sess != NULL) {
				/* Closed now: the slot may go to another
				 * domain. */
				p->nsess--;
				sockets_give(p->cfg.sockets);
			}
			target_addr_give(r);
			r->sess = NULL;
			/* The first session finished: its facts stand. */
			if (r->first != NULL) {
				p->facts->targets[i].smtp = r->first;
				p->facts->targets[i].end_ms = evloop_clock() -
				    p->start;
				r->first = NULL;
			} else
				p->facts->targets[i].skipped =
				    r->addr_waited ? PROBE_SKIP_ADDR_CAP :
				    PROBE_SKIP_DEADLINE;
			r->queued = 0;
			r->addr_wait = 0;
			r->tlsa_wait = 0;
			r->slot_wait = 0;
			r->smtp_pending = 0;
			p->pending--;
		}
		if (r->dns_pending) {
			dns_cancel(r->ptrq);
			dns_cancel(r->fwdq);
			r->ptrq = r->fwdq = NULL;
			r->dns_pending = 0;
			p->pending--;
		}
	}
	for (i = 0; i < p->facts->nold; i++) {
		struct old_run *o = &p->oruns[i];

		for (k = 0; k < 2; k++)
			if (o->q[k] != NULL) {
				dns_cancel(o->q[k]);
				o->q[k] = NULL;
				p->pending--;
			}
		for (k = 0; k < o->nsess; k++)
			if (o->sess[k].sess != NULL) {
				smtp_session_cancel(o->sess[k].sess);
				o->sess[k].sess = NULL;
				/* Closed now: the slot may go to another
				 * domain. */
				p->nsess--;
				sockets_give(p->cfg.sockets);
				old_addr_give(&o->sess[k]);
				p->pending--;
			} else if (o->sess[k].slot_wait) {
				o->sess[k].slot_wait = 0;
				old_addr_give(&o->sess[k]);
				p->pending--;
			} else if (o->sess[k].addr_wait) {
				o->sess[k].addr_wait = 0;
				p->pending--;
			}
	}
}
