/*
 * propagation - ask every authoritative server and every resolver for
 * the domain's MX set (the engine; the judging is propagation_analyze.c).
 *
 * States of one check (see propagation.h for the questions asked):
 *
 *   WALK --NS found--> ADDR --every NS name resolved--> DONE
 *     |  (NODATA/NXDOMAIN: ask the SOA owner or the parent)   |
 *     +--NS lookup failed------------------------------------+
 *   The MX questions to the --resolvers start with WALK, those to the NS
 *   addresses as each address arrives. The check finishes (from a 0 ms
 *   timer, never inside a c-ares callback, so the channels can be freed)
 *   once it is DONE and no question is pending, or at its deadline, when
 *   what is still pending is recorded as TIMEOUT.
 *
 * The --wait driver that repeats the check is app/wait.c.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "util/i18n.h"
#include "util/log.h"
#include "probe/propagation.h"
#include "util/xalloc.h"
#include "util/dname.h"

#define DEADLINE_MS	20000

enum pq_kind {
	PQ_NS,
	PQ_A,
	PQ_AAAA,
	PQ_MX,
	PQ_SOA
};

enum phase {
	PH_WALK,
	PH_ADDR,
	PH_DONE
};

/* One question in flight. */
struct pq {
	struct propagation	*p;
	struct dns_query	*q;
	enum pq_kind		 kind;
	size_t			 idx;	/* NS name (A, AAAA) or server (MX) */
	struct pq		*prev, *next;
};

/* Address lookups of one NS name. */
struct ns_state {
	int			 pending;
	size_t			 naddr;
	enum dns_outcome	 out;	/* worst of A and AAAA */
	char			*why;
};

struct propagation {
	struct evloop		*loop;
	struct dns		*resolver;
	int			 ns_port;
	unsigned		 timeout_ms, tries;
	propagation_done_cb	*cb;
	void			*arg;
	struct propagation_facts *f;
	struct pq		*pending;
	struct dns		**chans;
	size_t			 nchan;
	struct ns_state		*nss;
	size_t			 names_done;
	size_t			 naddr;
	enum phase		 phase;
	char			*walk;
	unsigned		 nwalk;
	struct ev_timer		*deadline;
	struct ev_timer		*finish;
};

static void	on_answer(const struct dns_result *, void *);

static size_t
server_add(struct propagation *p, enum propagation_role role,
    const char *name, const char *address)
{
	struct propagation_facts *f = p->f;
	struct propagation_server *s;

	f->servers = xreallocarray(f->servers, f->nservers + 1,
	    sizeof(*f->servers));
	s = &f->servers[f->nservers];
	memset(s, 0, sizeof(*s));
	s->role = role;
	s->name = xstrdup(name);
	s->address = address ? xstrdup(address) : NULL;
	s->outcome = DNS_TIMEOUT;
	return f->nservers++;
}

/* A channel to one server: each is asked on its own. */
static struct dns *
chan_new(struct propagation *p, const char *server, struct buf *why)
{
	const char *list[2];
	struct dns_config dc;
	struct dns *d;

	list[0] = server;
	list[1] = NULL;
	memset(&dc, 0, sizeof(dc));
	dc.servers = list;
	dc.timeout_ms = p->timeout_ms;
	dc.tries = p->tries;
	if ((d = dns_new(p->loop, &dc, why)) == NULL)
		return NULL;
	p->chans = xreallocarray(p->chans, p->nchan + 1, sizeof(*p->chans));
	p->chans[p->nchan++] = d;
	return d;
}

static void
ask(struct propagation *p, struct dns *d, enum pq_kind kind, size_t idx,
    const char *name, int type, int flags)
{
	struct pq *pq;
	struct dns_query *q;

	pq = xcalloc(1, sizeof(*pq));
	pq->p = p;
	pq->kind = kind;
	pq->idx = idx;
	pq->next = p->pending;
	if (p->pending)
		p->pending->prev = pq;
	p->pending = pq;
	/* NULL: the callback has already run and freed pq. */
	if ((q = dns_query(d, name, type, flags, on_answer, pq)) != NULL)
		pq->q = q;
}

static void
pq_unlink_free(struct pq *pq)
{
	struct propagation *p = pq->p;

	if (pq->prev)
		pq->prev->next = pq->next;
	else
		p->pending = pq->next;
	if (pq->next)
		pq->next->prev = pq->prev;
	free(pq);
}

static int
mx_cmp(const void *a, const void *b)
{
	const struct propagation_mx *x = a, *y = b;

	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	return strcmp(x->host, y->host);
}

static int
server_cmp(const struct propagation_server *a,
    const struct propagation_server *b)
{
	int c;

	if (a->role != b->role)
		return a->role == PROPAGATION_AUTHORITATIVE ? -1 : 1;
	if (a->role == PROPAGATION_RESOLVER)
		return 0;		/* in the order given */
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	if (a->address == NULL || b->address == NULL)
		return (a->address == NULL) - (b->address == NULL);
	return strcmp(a->address, b->address);
}

/* Stable insertion sort: a few dozen servers at most. */
static void
servers_sort(struct propagation_facts *f)
{
	struct propagation_server t;
	size_t i, j;

	for (i = 1; i < f->nservers; i++) {
		t = f->servers[i];
		for (j = i; j > 0 && server_cmp(&f->servers[j - 1], &t) > 0;
		    j--)
			f->servers[j] = f->servers[j - 1];
		f->servers[j] = t;
	}
}

static void
on_finish(void *arg)
{
	struct propagation *p = arg;
	struct propagation_facts *f = p->f;
	propagation_done_cb *cb = p->cb;
	void *cbarg = p->arg;
	size_t i;

	p->finish = NULL;
	if (p->deadline)
		evloop_timer_del(p->deadline);
	for (i = 0; i < p->nchan; i++)
		dns_free(p->chans[i]);
	free(p->chans);
	for (i = 0; i < f->nns; i++)
		free(p->nss[i].why);
	free(p->nss);
	free(p->walk);
	servers_sort(f);
	propagation_facts_hosts(f);
	free(p);
	cb(f, cbarg);
}

static void
check_done(struct propagation *p)
{
	if (p->phase == PH_DONE && p->pending == NULL && p->finish == NULL)
		p->finish = evloop_timer_add(p->loop, 0, on_finish, p);
}

/* Is a the name n or one of its ancestors? */
static int
ancestor_or_self(const char *a, const char *n)
{
	size_t la = strlen(a), ln = strlen(n);

	if (strcmp(a, ".") == 0)
		return 1;
	if (la > ln)
		return 0;
	if (!dname_equal(a, n + ln - la))
		return 0;
	return la == ln || n[ln - la - 1] == '.';
}

static void
ns_failed(struct propagation *p, enum dns_outcome out, const char *why)
{
	p->f->ns_outcome = out == DNS_OK ? DNS_NODATA : out;
	free(p->f->ns_why);
	p->f->ns_why = why ? xstrdup(why) : NULL;
	p->phase = PH_DONE;
}

/* Step 2: the NS names are known; resolve each through the resolver. */
static void
ns_found(struct propagation *p, const char *zone, const struct dns_rr *rr,
    size_t nrr, int section)
{
	struct propagation_facts *f = p->f;
	size_t i, j;
	int dup;

	f->zone = xstrdup(zone);
	f->ns = xcalloc(PROPAGATION_MAX_NS, sizeof(*f->ns));
	for (i = 0; i < nrr; i++) {
		if (rr[i].type != DNS_T_NS || rr[i].section != section ||
		    !dname_equal(rr[i].owner, zone))
			continue;
		for (dup = 0, j = 0; j < f->nns; j++)
			if (dname_equal(f->ns[j], rr[i].u.name))
				dup = 1;
		if (dup)
			continue;
		if (f->nns == PROPAGATION_MAX_NS) {
			f->ns_cut++;
			continue;
		}
		f->ns[f->nns++] = xstrdup(rr[i].u.name);
	}
	f->ns_outcome = DNS_OK;
	p->phase = PH_ADDR;
	p->nss = xcalloc(f->nns ? f->nns : 1, sizeof(*p->nss));
	/* Every count first: an answer delivered at once must not see the
	 * phase end early. */
	for (i = 0; i < f->nns; i++) {
		p->nss[i].pending = 2;
		p->nss[i].out = DNS_NODATA;
	}
	for (i = 0; i < f->nns; i++) {
		ask(p, p->resolver, PQ_A, i, f->ns[i], DNS_T_A, 0);
		ask(p, p->resolver, PQ_AAAA, i, f->ns[i], DNS_T_AAAA, 0);
	}
	if (f->nns == 0)
		p->phase = PH_DONE;
}

/* Step 1: the NS answer for p->walk. */
static void
on_ns(struct propagation *p, const struct dns_result *r)
{
	const struct dns_msg *m = r->msg;
	const char *next = NULL, *ref = NULL;
	char *nw;
	struct buf *why;
	size_t i;

	if (r->outcome == DNS_OK && r->nrr > 0) {
		/* r->rr are owned by the name after any CNAME. */
		ns_found(p, r->canonical, r->rr, r->nrr, 1);
		return;
	}
	/*
	 * A referral (an authoritative server of a parent zone, RFC 1034
	 * §4.3.1): NS of the walked name or of an ancestor in the authority
	 * section, no AA. An upward referral to the root is no answer.
	 */
	for (i = 0; m != NULL && i < m->nrr; i++)
		if (m->rr[i].section == 2 && m->rr[i].type == DNS_T_NS &&
		    strcmp(m->rr[i].owner, ".") != 0 &&
		    ancestor_or_self(m->rr[i].owner, p->walk) && !m->aa) {
			ref = m->rr[i].owner;
			break;
		}
	if (ref != NULL && (r->outcome == DNS_OK || r->outcome == DNS_NODATA))
	{
		ns_found(p, ref, m->rr, m->nrr, 2);
		return;
	}
	if (r->outcome != DNS_NODATA && r->outcome != DNS_NXDOMAIN &&
	    r->outcome != DNS_OK) {
		ns_failed(p, r->outcome, r->why);
		return;
	}
	/* No NS here: the SOA of a negative answer names the zone
	 * (RFC 2308 §2.1, §2.2); else try the parent. */
	for (i = 0; m != NULL && i < m->nrr; i++)
		if (m->rr[i].section == 2 && m->rr[i].type == DNS_T_SOA &&
		    strcmp(m->rr[i].owner, ".") != 0 &&
		    !dname_equal(m->rr[i].owner, p->walk) &&
		    ancestor_or_self(m->rr[i].owner, p->walk)) {
			next = m->rr[i].owner;
			break;
		}
	if (next == NULL && (next = strchr(p->walk, '.')) != NULL)
		next++;
	if (next == NULL || *next == '\0' || ++p->nwalk >=
	    PROPAGATION_MAX_WALK) {
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("no NS record for %s or a zone above it"),
		    p->f->domain);
		ns_failed(p, r->outcome, buf_str(why));
		buf_free(why);
		return;
	}
	nw = xstrdup(next);
	free(p->walk);
	p->walk = nw;
	ask(p, p->resolver, PQ_NS, 0, p->walk, DNS_T_NS, 0);
}

static void
name_done(struct propagation *p, size_t idx)
{
	struct ns_state *ns = &p->nss[idx];
	size_t s;

	if (ns->naddr == 0) {
		s = server_add(p, PROPAGATION_AUTHORITATIVE, p->f->ns[idx],
		    NULL);
		p->f->servers[s].outcome = ns->out;
		p->f->servers[s].why = xstrdup(ns->why ? ns->why :
		    "no A or AAAA record");
	}
	if (++p->names_done == p->f->nns)
		p->phase = PH_DONE;
}

/* Step 2 answers: every address is a server to ask (step 3). */
static void
on_addr(struct propagation *p, size_t idx, const struct dns_result *r)
{
	struct ns_state *ns = &p->nss[idx];
	struct buf *why;
	struct dns *d;
	char text[64], server[80];
	size_t i, s;
	int port = p->ns_port ? p->ns_port : 53;

	if (r->outcome != DNS_OK && r->outcome != DNS_NODATA &&
	    r->outcome != DNS_NXDOMAIN && ns->out != DNS_TIMEOUT) {
		ns->out = r->outcome;
		free(ns->why);
		ns->why = r->why ? xstrdup(r->why) : NULL;
	} else if (r->outcome == DNS_NXDOMAIN && ns->out == DNS_NODATA)
		ns->out = DNS_NXDOMAIN;
	for (i = 0; i < r->nrr; i++) {
		if (p->naddr == PROPAGATION_MAX_ADDR) {
			p->f->ns_cut++;
			continue;
		}
		addr_text(r->rr[i].u.a.family, r->rr[i].u.a.addr, text,
		    sizeof(text));
		if (r->rr[i].u.a.family == AF_INET6)
			snprintf(server, sizeof(server), "[%s]:%d", text,
			    port);
		else
			snprintf(server, sizeof(server), "%s:%d", text, port);
		p->naddr++;
		ns->naddr++;
		s = server_add(p, PROPAGATION_AUTHORITATIVE, p->f->ns[idx],
		    text);
		why = buf_new(BUF_WHY_MAX);
		if ((d = chan_new(p, server, why)) == NULL) {
			p->f->servers[s].outcome = DNS_ERROR;
			p->f->servers[s].why = xstrdup(buf_str(why));
		} else
			/* Iterative: RD clear (RFC 1034 §4.3.1). */
		{
			ask(p, d, PQ_MX, s, p->f->domain, DNS_T_MX,
			    DNS_Q_NORECURSE);
			/* The serial decides which server is behind. */
			ask(p, d, PQ_SOA, s, p->f->zone, DNS_T_SOA,
			    DNS_Q_NORECURSE);
		}
		buf_free(why);
	}
	if (--ns->pending == 0)
		name_done(p, idx);
}

static int
has_ns_authority(const struct dns_msg *m)
{
	size_t i;

	for (i = 0; i < m->nrr; i++)
		if (m->rr[i].section == 2 && m->rr[i].type == DNS_T_NS)
			return 1;
	return 0;
}

/* Step 3 and 4 answers. */
static void
on_mx(struct propagation *p, size_t idx, const struct dns_result *r)
{
	struct propagation_server *s = &p->f->servers[idx];
	const struct dns_msg *m = r->msg;
	uint32_t t;
	size_t i;

	s->outcome = r->outcome;
	s->aa = r->aa;
	free(s->why);
	s->why = r->why ? xstrdup(r->why) : NULL;
	if (r->outcome == DNS_OK) {
		s->mx = xcalloc(r->nrr ? r->nrr : 1, sizeof(*s->mx));
		for (i = 0; i < r->nrr && s->nmx < PROPAGATION_MAX_MX; i++) {
			s->mx[s->nmx].pref = r->rr[i].u.mx.pref;
			s->mx[s->nmx].host = xstrdup(r->rr[i].u.mx.host);
			s->nmx++;
		}
		qsort(s->mx, s->nmx, sizeof(*s->mx), mx_cmp);
		s->ttl = r->ttl;
		s->ttl_known = 1;
		return;
	}
	if (m == NULL || (r->outcome != DNS_NODATA &&
	    r->outcome != DNS_NXDOMAIN))
		return;
	/* A negative answer lives min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). */
	for (i = 0; i < m->nrr; i++)
		if (m->rr[i].section == 2 && m->rr[i].type == DNS_T_SOA) {
			t = m->rr[i].ttl;
			if (m->rr[i].u.soa.minimum < t)
				t = m->rr[i].u.soa.minimum;
			s->ttl = t;
			s->ttl_known = 1;
			break;
		}
	if (s->role == PROPAGATION_RESOLVER && r->outcome == DNS_NODATA &&
	    !m->aa && !m->ra && has_ns_authority(m))
		s->referral = 1;
}

static void
on_answer(const struct dns_result *r, void *arg)
{
	struct pq *pq = arg;
	struct propagation *p = pq->p;
	enum pq_kind kind = pq->kind;
	size_t idx = pq->idx;

	pq_unlink_free(pq);
	switch (kind) {
	case PQ_NS:
		on_ns(p, r);
		break;
	case PQ_A:
	case PQ_AAAA:
		on_addr(p, idx, r);
		break;
	case PQ_MX:
		on_mx(p, idx, r);
		break;
	case PQ_SOA:
		if (r->outcome == DNS_OK && r->nrr > 0) {
			p->f->servers[idx].serial = r->rr[0].u.soa.serial;
			p->f->servers[idx].serial_known = 1;
		}
		break;
	}
	check_done(p);
}

/* The check's deadline: what is still pending did not answer in time. */
static void
on_deadline(void *arg)
{
	struct propagation *p = arg;
	struct pq *pq;
	struct ns_state *ns;

	p->deadline = NULL;
	while ((pq = p->pending) != NULL) {
		dns_cancel(pq->q);
		switch (pq->kind) {
		case PQ_NS:
			ns_failed(p, DNS_TIMEOUT, "no answer within the "
			    "check's deadline");
			break;
		case PQ_A:
		case PQ_AAAA:
			ns = &p->nss[pq->idx];
			ns->out = DNS_TIMEOUT;
			free(ns->why);
			ns->why = xstrdup(R_("no answer within the check's "
			    "deadline"));
			if (--ns->pending == 0)
				name_done(p, pq->idx);
			break;
		case PQ_MX:
			p->f->servers[pq->idx].outcome = DNS_TIMEOUT;
			free(p->f->servers[pq->idx].why);
			p->f->servers[pq->idx].why = xstrdup(R_("no answer "
			    "within the check's deadline"));
			break;
		case PQ_SOA:
			break;		/* serial unknown */
		}
		pq_unlink_free(pq);
	}
	p->phase = PH_DONE;
	check_done(p);
}

struct propagation *
propagation_start(struct evloop *loop, struct dns *resolver,
    const struct propagation_config *cfg, propagation_done_cb *cb,
    void *arg)
{
	struct propagation *p;
	struct buf *why;
	struct dns *d;
	size_t i, s;

	p = xcalloc(1, sizeof(*p));
	p->loop = loop;
	p->resolver = resolver;
	p->ns_port = cfg->ns_port;
	p->timeout_ms = cfg->timeout_ms;
	p->tries = cfg->tries;
	p->cb = cb;
	p->arg = arg;
	p->f = xcalloc(1, sizeof(*p->f));
	p->f->domain = xstrdup(cfg->domain);
	p->f->ns_outcome = DNS_TIMEOUT;
	p->f->rounds = 1;
	p->phase = PH_WALK;
	p->deadline = evloop_timer_add(loop, cfg->deadline_ms ?
	    cfg->deadline_ms : DEADLINE_MS, on_deadline, p);
	/* Step 4: every resolver on its own, recursion desired. */
	if (cfg->resolvers == NULL || cfg->resolvers[0] == NULL) {
		s = server_add(p, PROPAGATION_RESOLVER, "system resolver",
		    "/etc/resolv.conf");
		ask(p, resolver, PQ_MX, s, cfg->domain, DNS_T_MX, 0);
	}
	for (i = 0; cfg->resolvers != NULL && cfg->resolvers[i] != NULL;
	    i++) {
		if (i == PROPAGATION_MAX_RESOLVERS) {
			log_warnx("--propagation asks the first %d resolvers "
			    "only", PROPAGATION_MAX_RESOLVERS);
			break;
		}
		s = server_add(p, PROPAGATION_RESOLVER, cfg->resolvers[i],
		    cfg->resolvers[i]);
		why = buf_new(BUF_WHY_MAX);
		if ((d = chan_new(p, cfg->resolvers[i], why)) == NULL) {
			p->f->servers[s].outcome = DNS_ERROR;
			p->f->servers[s].why = xstrdup(buf_str(why));
		} else
			ask(p, d, PQ_MX, s, cfg->domain, DNS_T_MX, 0);
		buf_free(why);
	}
	/* Step 1. */
	p->walk = xstrdup(cfg->domain);
	ask(p, resolver, PQ_NS, 0, p->walk, DNS_T_NS, 0);
	return p;
}

void
propagation_cancel(struct propagation *p)
{
	struct pq *pq;
	size_t i;

	if (p == NULL)
		return;
	while ((pq = p->pending) != NULL) {
		dns_cancel(pq->q);
		pq_unlink_free(pq);
	}
	if (p->deadline)
		evloop_timer_del(p->deadline);
	if (p->finish)
		evloop_timer_del(p->finish);
	for (i = 0; i < p->nchan; i++)
		dns_free(p->chans[i]);
	free(p->chans);
	for (i = 0; p->nss != NULL && i < p->f->nns; i++)
		free(p->nss[i].why);
	free(p->nss);
	free(p->walk);
	propagation_facts_free(p->f);
	free(p);
}
