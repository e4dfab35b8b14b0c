#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "analyze/analyze.h"
#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "util/log.h"
#include "probe/probe_mx.h"
#include "probe/probe.h"
#include "probe/probe_auth.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "util/xalloc.h"

/* What is in flight for one target. */
struct target_run {
	struct probe		*p;
	size_t			 i;		/* index in facts->targets */
	struct smtp_session	*sess;
	struct dns_query	*ptrq;
	struct dns_query	*fwdq;
	int			 queued;	/* waits for its address */
	int			 tlsa_wait;	/* waits for its host's TLSA */
	int			 smtp_pending;
	int			 dns_pending;
};

/* What is in flight for one --old-mx host. */
struct old_sess {
	struct old_run		*r;
	size_t			 k;
	struct smtp_session	*sess;
};

struct old_run {
	struct probe		*p;
	size_t			 i;
	struct dns_query	*q[2];
	struct old_sess		*sess;		/* one per address */
	size_t			 nsess;
	int			 pending;
};

/* The TLSA question of one exchanger in flight. */
struct tlsa_run {
	struct probe		*p;
	size_t			 h;		/* index in mx->hosts */
	struct dns_query	*q;
	int			 pending;
};

struct probe {
	struct evloop		*loop;
	struct dns		*dns;
	struct probe_config	 cfg;
	struct probe_facts	*facts;
	struct mx_resolve	*mxr;
	struct target_run	*runs;
	struct old_run		*oruns;
	struct tlsa_run		*truns;		/* per mx->hosts */
	struct tls_ctx		*tls;
	int			 own_tls;
	struct ev_timer		*deadline;
	struct auth_probe	*authp;
	unsigned		 pending;
	uint64_t		 start;
	probe_done_cb		*cb;
	void			*arg;
};

void
probe_facts_free(struct probe_facts *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->ntargets; i++) {
		smtp_result_free(f->targets[i].smtp);
		free(f->targets[i].ptr);
	}
	free(f->targets);
	for (i = 0; i < f->nold; i++) {
		free(f->old[i].name);
		free(f->old[i].addrs);
		free(f->old[i].answers);
		free(f->old[i].probed);
	}
	free(f->old);
	auth_facts_free(f->auth);
	for (i = 0; i < f->ntlsa; i++) {
		size_t k;

		for (k = 0; k < f->tlsa[i].nrr; k++)
			dns_wire_rr_free(&f->tlsa[i].rr[k]);
		free(f->tlsa[i].rr);
		free(f->tlsa[i].qname);
	}
	free(f->tlsa);
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
	size_t i;

	if (p->deadline)
		evloop_timer_del(p->deadline);
	f->ms = evloop_clock() - p->start;
	free(p->runs);
	for (i = 0; i < p->facts->nold; i++)
		free(p->oruns[i].sess);
	free(p->oruns);
	free(p->truns);
	if (p->own_tls)
		tls_ctx_free(p->tls);
	free(p);
	cb(f, arg);
}

static void
done_one(struct probe *p)
{
	if (--p->pending == 0)
		finish(p);
}

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

static void	start_smtp(struct probe *, size_t);

/* --- DANE: TLSA of every exchanger (RFC 7672 section 2.2) ---
 *
 * Asked as soon as the MX set is known, all at once. An exchanger's SMTP
 * sessions start only when its TLSA answer is in, so that the records
 * can be handed to them (smtp_config.tlsa) and the handshake checked
 * against them; other exchangers do not wait. */

static void
on_tlsa(const struct dns_result *res, void *arg)
{
	struct tlsa_run *tr = arg;
	struct probe *p = tr->p;
	struct probe_tlsa *t = &p->facts->tlsa[tr->h];
	size_t i, n;

	tr->q = NULL;
	tr->pending = 0;
	t->out = res->outcome;
	t->ad = res->ad;
	t->ms = evloop_clock() - p->start;
	for (i = n = 0; res->outcome == DNS_OK && i < res->nrr; i++)
		if (res->rr[i].type == DNS_T_TLSA)
			n++;
	if (n > 0) {
		t->rr = xcalloc(n, sizeof(*t->rr));
		for (i = 0; i < res->nrr; i++)
			if (res->rr[i].type == DNS_T_TLSA)
				dns_wire_rr_copy(&t->rr[t->nrr++],
				    &res->rr[i]);
	}
	for (i = 0; i < p->facts->ntargets; i++)
		if (p->runs[i].tlsa_wait &&
		    p->facts->targets[i].host == tr->h) {
			p->runs[i].tlsa_wait = 0;
			start_smtp(p, i);
		}
	done_one(p);
}

static void
start_tlsa(struct probe *p)
{
	struct probe_facts *f = p->facts;
	const struct mx_set *mx = f->mx;
	struct dns_query *q;
	struct buf *b;
	size_t h, n;

	if (mx->nhost == 0)
		return;
	f->tlsa = xcalloc(mx->nhost, sizeof(*f->tlsa));
	f->ntlsa = mx->nhost;
	p->truns = xcalloc(mx->nhost, sizeof(*p->truns));
	for (h = 0; h < mx->nhost; h++) {
		if (!mx_host_probed(mx, h))
			continue;
		n = strlen(mx->hosts[h].name);
		if (n > 0 && mx->hosts[h].name[n - 1] == '.')
			n--;
		b = buf_new(DNS_NAME_MAX + 16);
		buf_printf(b, "_25._tcp.%.*s", (int)n, mx->hosts[h].name);
		f->tlsa[h].qname = xstrdup(buf_str(b));
		buf_free(b);
		f->tlsa[h].asked = 1;
		f->tlsa[h].out = DNS_TIMEOUT;
		p->truns[h].p = p;
		p->truns[h].h = h;
		p->truns[h].pending = 1;
		p->pending++;
		q = dns_query(p->dns, f->tlsa[h].qname, DNS_T_TLSA, 0,
		    on_tlsa, &p->truns[h]);
		if (q != NULL && p->truns[h].pending)
			p->truns[h].q = q;
	}
}

/* 1 if target i must wait for its host's TLSA answer. */
static int
tlsa_waits(struct probe *p, size_t i)
{
	size_t h = p->facts->targets[i].host;

	return p->truns != NULL && h < p->facts->ntlsa &&
	    p->truns[h].pending;
}

/* The host's TLSA records as the session takes them (borrowed). */
static size_t
tlsa_config(const struct probe *p, size_t h, struct tls_tlsa *out,
    size_t max)
{
	const struct probe_tlsa *t;
	size_t i, n = 0;

	if (h >= p->facts->ntlsa)
		return 0;
	t = &p->facts->tlsa[h];
	if (!t->asked || t->out != DNS_OK)
		return 0;
	for (i = 0; i < t->nrr && n < max; i++, n++) {
		out[n].usage = t->rr[i].u.tlsa.usage;
		out[n].selector = t->rr[i].u.tlsa.selector;
		out[n].mtype = t->rr[i].u.tlsa.mtype;
		out[n].data = t->rr[i].u.tlsa.data;
		out[n].len = t->rr[i].u.tlsa.len;
	}
	return n;
}

/* --- end of DANE --- */

static void
on_smtp(struct smtp_result *res, void *arg)
{
	struct target_run *r = arg;
	struct probe *p = r->p;
	struct probe_target *t = &p->facts->targets[r->i];
	size_t j;

	r->sess = NULL;
	r->smtp_pending = 0;
	t->smtp = res;
	t->end_ms = evloop_clock() - p->start;
	/* The next target waiting for this address may go now. */
	for (j = 0; j < p->facts->ntargets; j++)
		if (p->runs[j].queued && same_addr(target_addr(p, j),
		    target_addr(p, r->i))) {
			p->runs[j].queued = 0;
			start_smtp(p, j);
			break;
		}
	done_one(p);
}

static void
start_smtp(struct probe *p, size_t i)
{
	struct target_run *r = &p->runs[i];
	struct probe_target *t = &p->facts->targets[i];
	const struct mx_addr *a = target_addr(p, i);
	const char *host = p->facts->mx->hosts[t->host].name;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct smtp_config sc;
	struct tls_tlsa tlsa[TLS_TLSA_MAX];

	if (tlsa_waits(p, i)) {
		/* on_tlsa starts it; it counts as running meanwhile (one
		 * connection per address). */
		r->tlsa_wait = 1;
		r->smtp_pending = 1;
		return;
	}
	addr_sockaddr(a->family, a->addr, p->cfg.smtp_port, &ss, &sl);
	memset(&sc, 0, sizeof(sc));
	sc.ehlo_name = p->cfg.ehlo;
	sc.port = (unsigned short)p->cfg.smtp_port;
	sc.step_timeout_ms = p->cfg.step_ms;
	sc.deadline_ms = p->cfg.deadline_ms;
	sc.tls = p->tls;
	sc.family = AF_UNSPEC;
	sc.ntlsa = tlsa_config(p, t->host, tlsa, TLS_TLSA_MAX);
	sc.tlsa = sc.ntlsa > 0 ? tlsa : NULL;
	sc.tlsa_secure = sc.ntlsa > 0 && p->facts->tlsa[t->host].ad;
	t->start_ms = evloop_clock() - p->start;
	r->smtp_pending = 1;
	r->sess = smtp_session_start(p->loop, &sc, (struct sockaddr *)&ss, sl,
	    host, on_smtp, r);
}

/* FCrDNS: the PTR name's addresses must include the address. */
static void
on_fwd(const struct dns_result *res, void *arg)
{
	struct target_run *r = arg;
	struct probe *p = r->p;
	struct probe_target *t = &p->facts->targets[r->i];
	const struct mx_addr *a = target_addr(p, r->i);
	size_t k;

	r->fwdq = NULL;
	r->dns_pending = 0;
	for (k = 0; k < res->nrr; k++)
		if (res->rr[k].u.a.family == a->family &&
		    memcmp(res->rr[k].u.a.addr, a->addr,
		    a->family == AF_INET ? 4 : 16) == 0)
			t->fcrdns = 1;
	done_one(p);
}

static void
on_ptr(const struct dns_result *res, void *arg)
{
	struct target_run *r = arg;
	struct probe *p = r->p;
	struct probe_target *t = &p->facts->targets[r->i];
	const struct mx_addr *a = target_addr(p, r->i);
	struct dns_query *q;

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
	r->dns_pending = 0;
	done_one(p);
}

static void
start_targets(struct probe *p)
{
	struct probe_facts *f = p->facts;
	const struct mx_set *mx = f->mx;
	struct analyze_opts ao;
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
	memset(&ao, 0, sizeof(ao));
	ao.allow_loopback = p->cfg.allow_loopback;
	f->smtp_probed = !p->cfg.dns_only;
	for (i = 0; i < f->ntargets; i++) {
		r = &p->runs[i];
		a = target_addr(p, i);
		if (!analyze_addr_usable(&ao, a->family, a->addr)) {
			f->targets[i].skipped = "not a routable address";
			continue;
		}
		/* Reverse DNS is asked in every mode: it is DNS. */
		addr_reverse(a->family, a->addr, rev, sizeof(rev));
		r->dns_pending = 1;
		p->pending++;
		r->ptrq = dns_query(p->dns, rev, DNS_T_PTR, 0, on_ptr, r);
		if (p->cfg.dns_only) {
			f->targets[i].skipped = "--dns-only";
			continue;
		}
		if ((p->cfg.family == 4 && a->family != AF_INET) ||
		    (p->cfg.family == 6 && a->family != AF_INET6)) {
			f->targets[i].skipped = p->cfg.family == 4 ?
			    "-4 given" : "-6 given";
			continue;
		}
		/* A CDN edge does not carry SMTP: a connection there only
		 * waits for the timeout. */
		if (addr_cdn(a->family, a->addr) != NULL) {
			f->targets[i].skipped = "CDN/proxy address";
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
		start_smtp(p, i);
	}
}

static void
on_old_smtp(struct smtp_result *res, void *arg)
{
	struct old_sess *os = arg;
	struct old_run *r = os->r;
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];

	os->sess = NULL;
	o->answers[os->k] = res->banner.code == 220;
	smtp_result_free(res);
	done_one(p);
}

/* Both address answers of an old exchanger are in: connect. */
static void
old_connect(struct old_run *r)
{
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];
	struct analyze_opts ao;
	struct sockaddr_storage ss;
	socklen_t sl;
	struct smtp_config sc;
	size_t k;

	memset(&ao, 0, sizeof(ao));
	ao.allow_loopback = p->cfg.allow_loopback;
	o->answers = xcalloc(o->naddr ? o->naddr : 1, sizeof(int));
	o->probed = xcalloc(o->naddr ? o->naddr : 1, sizeof(int));
	r->sess = xcalloc(o->naddr ? o->naddr : 1, sizeof(*r->sess));
	r->nsess = o->naddr;
	if (p->cfg.dns_only)
		return;
	for (k = 0; k < o->naddr; k++) {
		if (!analyze_addr_usable(&ao, o->addrs[k].family,
		    o->addrs[k].addr))
			continue;
		addr_sockaddr(o->addrs[k].family, o->addrs[k].addr,
		    p->cfg.smtp_port, &ss, &sl);
		memset(&sc, 0, sizeof(sc));
		sc.ehlo_name = p->cfg.ehlo;
		sc.port = (unsigned short)p->cfg.smtp_port;
		sc.step_timeout_ms = p->cfg.step_ms;
		sc.deadline_ms = p->cfg.deadline_ms;
		sc.tls = p->tls;
		r->sess[k].r = r;
		r->sess[k].k = k;
		o->probed[k] = 1;
		p->pending++;
		r->sess[k].sess = smtp_session_start(p->loop, &sc,
		    (struct sockaddr *)&ss, sl, o->name, on_old_smtp,
		    &r->sess[k]);
	}
}

static void
on_old_addr(const struct dns_result *res, void *arg)
{
	struct old_run *r = arg;
	struct probe *p = r->p;
	struct probe_old *o = &p->facts->old[r->i];
	size_t k;

	r->q[res->qtype == DNS_T_A ? 0 : 1] = NULL;
	for (k = 0; res->outcome == DNS_OK && k < res->nrr; k++) {
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
	done_one(p);
}

static void
start_old(struct probe *p)
{
	struct probe_facts *f = p->facts;
	struct dns_query *q;
	size_t n, i;

	for (n = 0; p->cfg.old_mx != NULL && p->cfg.old_mx[n] != NULL; n++)
		;
	if (n == 0)
		return;
	f->old = xcalloc(n, sizeof(*f->old));
	p->oruns = xcalloc(n, sizeof(*p->oruns));
	f->nold = n;
	for (i = 0; i < n; i++) {
		f->old[i].name = xstrdup(p->cfg.old_mx[i]);
		p->oruns[i].p = p;
		p->oruns[i].i = i;
		p->oruns[i].pending = 2;
		p->pending += 2;
		q = dns_query(p->dns, f->old[i].name, DNS_T_A, 0, on_old_addr,
		    &p->oruns[i]);
		if (q != NULL)
			p->oruns[i].q[0] = q;
		q = dns_query(p->dns, f->old[i].name, DNS_T_AAAA, 0,
		    on_old_addr, &p->oruns[i]);
		if (q != NULL)
			p->oruns[i].q[1] = q;
	}
}

static void
on_mx(struct mx_set *set, void *arg)
{
	struct probe *p = arg;

	p->mxr = NULL;
	p->facts->mx = set;
	if (set->outcome == DNS_OK || set->outcome == DNS_NODATA) {
		start_tlsa(p);
		start_targets(p);
	}
	done_one(p);
}

/* --- sender policy records (probe_auth.h) --- */
static void
on_auth(struct auth_facts *a, void *arg)
{
	struct probe *p = arg;

	p->authp = NULL;
	p->facts->auth = a;
	done_one(p);
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
	p->authp = auth_probe_start(p->loop, p->dns, &ac, on_auth, p);
}

static void
on_deadline(void *arg)
{
	struct probe *p = arg;
	struct target_run *r;
	size_t i;

	p->deadline = NULL;
	/* What is still out is abandoned; its facts stay unset and the
	 * analysis reports them as not known. */
	if (p->authp != NULL) {
		/* on_auth runs inside the cancel; hold the probe open. */
		p->pending++;
		auth_probe_cancel(p->authp);
		p->pending--;
	}
	if (p->mxr != NULL) {
		mx_resolve_cancel(p->mxr);
		p->mxr = NULL;
		p->pending--;
	}
	for (i = 0; p->facts->mx != NULL && i < p->facts->ntargets; i++) {
		r = &p->runs[i];
		if (r->sess != NULL || r->queued || r->tlsa_wait) {
			smtp_session_cancel(r->sess);
			r->sess = NULL;
			r->queued = 0;
			r->tlsa_wait = 0;
			r->smtp_pending = 0;
			p->facts->targets[i].skipped = "overall deadline";
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
	for (i = 0; p->truns != NULL && i < p->facts->ntlsa; i++)
		if (p->truns[i].pending) {
			dns_cancel(p->truns[i].q);
			p->truns[i].q = NULL;
			p->truns[i].pending = 0;
			p->pending--;
		}
	for (i = 0; i < p->facts->nold; i++) {
		struct old_run *o = &p->oruns[i];
		size_t k;

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
				p->pending--;
			}
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
	struct buf *why;

	p = xcalloc(1, sizeof(*p));
	p->loop = loop;
	p->dns = dns;
	p->cfg = *cfg;
	p->cb = cb;
	p->arg = arg;
	p->start = evloop_clock();
	p->facts = xcalloc(1, sizeof(*p->facts));
	p->facts->domain = xstrdup(domain);
	p->facts->assume_down = cfg->assume_down;
	p->pending = 1;
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
	p->mxr = mx_resolve(dns, domain, on_mx, p);
	start_auth(p);
	start_old(p);
	if (cfg->deadline_ms)
		p->deadline = evloop_timer_add(loop, cfg->deadline_ms,
		    on_deadline, p);
	return p;
}
