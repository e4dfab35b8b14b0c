#include <sys/socket.h>
#include <sys/random.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "facts/limits.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "probe/probe_mx.h"
#include "util/xalloc.h"
#include "util/dname.h"

struct mx_resolve {
	struct dns		*dns;
	struct mx_set		*set;
	mx_done_cb		*cb;
	void			*arg;
	unsigned		 pending;
	uint64_t		 start;
	struct mx_ask		**q;		/* every question in flight */
	size_t			 nq;
};

/* Per-question context: which host and which type. */
struct mx_ask {
	struct mx_resolve	*r;
	size_t			 host;		/* index, or SIZE_MAX */
	int			 type;
	size_t			 slot;		/* index in r->q */
	struct dns_query	*dq;
};

static void	ask(struct mx_resolve *, const char *, int, size_t);

static int
cmp_addr(const void *a, const void *b)
{
	const struct mx_addr *x = a, *y = b;

	if (x->family != y->family)
		return x->family == AF_INET ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

/*
 * Keep the first LIMIT_MX_ADDRS addresses of each family (addrs is
 * sorted, IPv4 first): a name with 100 A records would otherwise cost
 * 100 connections. What is dropped is counted for the report.
 */
static void
cut_addrs(struct mx_host *h)
{
	size_t i, n = 0, v4 = 0, v6 = 0;

	for (i = 0; i < h->naddr; i++) {
		if ((h->addrs[i].family == AF_INET ? v4++ : v6++) >=
		    LIMIT_MX_ADDRS) {
			h->naddr_over++;
			continue;
		}
		h->addrs[n++] = h->addrs[i];
	}
	h->naddr = n;
}

static void
finish(struct mx_resolve *r)
{
	struct mx_set *s = r->set;
	mx_done_cb *cb = r->cb;
	void *arg = r->arg;
	size_t i;

	for (i = 0; i < s->nhost; i++)
		s->hosts[i].ad = s->hosts[i].ad == 2;
	/* The order of addresses in an answer means nothing (servers
	 * rotate them): sort them so that reports are stable. */
	for (i = 0; i < s->nhost; i++)
		if (s->hosts[i].naddr > 1)
			qsort(s->hosts[i].addrs, s->hosts[i].naddr,
			    sizeof(*s->hosts[i].addrs), cmp_addr);
	for (i = 0; i < s->nhost; i++)
		cut_addrs(&s->hosts[i]);
	s->ms = evloop_clock() - r->start;
	free(r->q);
	free(r);
	cb(s, arg);
}

static void
done_one(struct mx_resolve *r)
{
	if (--r->pending == 0)
		finish(r);
}

static void
add_addrs(struct mx_host *h, const struct dns_result *res)
{
	size_t i;
	struct mx_addr *a;

	for (i = 0; i < res->nrr; i++) {
		h->addrs = xreallocarray(h->addrs, h->naddr + 1,
		    sizeof(*h->addrs));
		a = &h->addrs[h->naddr++];
		memset(a, 0, sizeof(*a));
		a->family = res->rr[i].u.a.family;
		memcpy(a->addr, res->rr[i].u.a.addr,
		    a->family == AF_INET ? 4 : 16);
		a->ttl = res->rr[i].ttl;
		addr_text(a->family, a->addr, a->text, sizeof(a->text));
	}
}

static void
on_addr(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct mx_resolve *r = k->r;
	struct mx_host *h = &r->set->hosts[k->host];

	r->q[k->slot] = NULL;
	/* Authenticated only when both answers are, whichever comes
	 * first: h->ad counts the authenticated ones until finish(). */
	if (k->type == DNS_T_A)
		h->a_out = res->outcome;
	else
		h->aaaa_out = res->outcome;
	if (res->ad)
		h->ad++;
	if (res->ncname > 0 && h->canonical == NULL) {
		h->canonical = xstrdup(res->canonical);
		h->ncname = res->ncname;
	}
	if (res->outcome == DNS_OK)
		add_addrs(h, res);
	free(k);
	done_one(r);
}

static int
is_ip_literal(const char *name)
{
	int f;
	unsigned char b[16];

	return addr_parse(name, &f, b) == 0;
}

static void
resolve_hosts(struct mx_resolve *r)
{
	struct mx_set *s = r->set;
	size_t i;

	for (i = 0; i < s->nhost; i++) {
		if (s->hosts[i].over_limit)
			continue;	/* not asked: see limit_hosts() */
		if (s->hosts[i].ip_literal || strcmp(s->hosts[i].name, ".")
		    == 0) {
			s->hosts[i].a_out = s->hosts[i].aaaa_out = DNS_NODATA;
			continue;
		}
		ask(r, s->hosts[i].name, DNS_T_A, i);
		ask(r, s->hosts[i].name, DNS_T_AAAA, i);
	}
}

/*
 * Probe the first LIMIT_MX_HOSTS exchangers in preference order: a
 * sender tries them in that order (RFC 5321 §5.1) and never reaches the
 * 1,000th of a hostile set. The others are listed, not resolved.
 */
static void
limit_hosts(struct mx_set *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->nhost; i++) {
		if (!mx_host_probed(s, i))
			continue;
		if (n++ >= LIMIT_MX_HOSTS) {
			s->hosts[i].over_limit = 1;
			s->nover++;
		}
	}
}

static void
on_mx(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct mx_resolve *r = k->r;
	struct mx_set *s = r->set;
	struct mx_host *h;
	size_t i;

	r->q[k->slot] = NULL;
	free(k);
	s->outcome = res->outcome;
	s->ad = res->ad;
	s->why = NULL;
	if (res->outcome == DNS_OK) {
		s->ttl = res->ttl;
		s->hosts = xcalloc(res->nrr, sizeof(*s->hosts));
		for (i = 0; i < res->nrr; i++) {
			h = &s->hosts[s->nhost++];
			h->name = xstrdup(res->rr[i].u.mx.host);
			h->pref = res->rr[i].u.mx.pref;
			h->ip_literal = is_ip_literal(h->name);
			if (strcmp(h->name, ".") == 0)
				s->nnull++;
		}
		mx_sort(s->hosts, s->nhost);
		limit_hosts(s);
		s->null_mx = s->nnull > 0;
		resolve_hosts(r);
	} else if (res->outcome == DNS_NODATA) {
		/* RFC 5321 §5.1: no MX, the domain itself is the implicit
		 * MX with preference 0. */
		s->implicit = 1;
		s->hosts = xcalloc(1, sizeof(*s->hosts));
		s->hosts[0].name = xstrdup(s->domain);
		s->nhost = 1;
		resolve_hosts(r);
	}
	done_one(r);
}

static void
on_wildcard(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct mx_resolve *r = k->r;

	r->q[k->slot] = NULL;
	free(k);
	r->set->wildcard_out = res->outcome;
	if (res->outcome == DNS_OK && res->nrr > 0)
		r->set->wildcard_target = xstrdup(res->rr[0].u.mx.host);
	done_one(r);
}

static void
ask(struct mx_resolve *r, const char *name, int type, size_t host)
{
	struct mx_ask *k;
	dns_cb *cb;
	struct dns_query *q;

	k = xcalloc(1, sizeof(*k));
	k->r = r;
	k->host = host;
	k->type = type;
	r->q = xreallocarray(r->q, r->nq + 1, sizeof(*r->q));
	k->slot = r->nq;
	r->q[r->nq++] = k;
	r->pending++;
	if (host != (size_t)-1)
		cb = on_addr;
	else if (name == r->set->wildcard_name)
		cb = on_wildcard;
	else
		cb = on_mx;
	q = dns_query(r->dns, name, type, 0, cb, k);
	/* dns_query() returns NULL when the callback already ran (and freed
	 * k); r->q[slot] is then NULL already. */
	if (q != NULL)
		k->dq = q;
}

static char *
random_label(const char *domain)
{
	unsigned char rnd[6];
	char out[300];
	size_t i;

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	strcpy(out, "mxprobe-wildcard-");
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(out + strlen(out), 3, "%02x", rnd[i]);
	snprintf(out + strlen(out), sizeof(out) - strlen(out), ".%s",
	    domain);
	return xstrdup(out);
}

struct mx_resolve *
mx_resolve(struct dns *dns, const char *domain, mx_done_cb *cb, void *arg)
{
	struct mx_resolve *r;

	r = xcalloc(1, sizeof(*r));
	r->dns = dns;
	r->cb = cb;
	r->arg = arg;
	r->start = evloop_clock();
	r->set = xcalloc(1, sizeof(*r->set));
	r->set->domain = xstrdup(domain);
	r->set->outcome = DNS_TIMEOUT;
	r->set->wildcard_name = random_label(domain);
	/* Hold one count so that answers delivered early cannot finish. */
	r->pending = 1;
	ask(r, domain, DNS_T_MX, (size_t)-1);
	ask(r, r->set->wildcard_name, DNS_T_MX, (size_t)-1);
	/* The handle is valid until cb runs; if both answers came already,
	 * finish now from here is impossible (the dns layer delivers from
	 * the loop), so this drops our own count. */
	if (--r->pending == 0) {
		finish(r);
		return NULL;
	}
	return r;
}

void
mx_resolve_cancel(struct mx_resolve *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nq; i++)
		if (r->q[i] != NULL) {
			dns_cancel(r->q[i]->dq);
			free(r->q[i]);
		}
	mx_set_free(r->set);
	free(r->q);
	free(r);
}
