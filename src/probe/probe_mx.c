#include <sys/socket.h>
#include <sys/random.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "util/addr.h"
#include "util/buf.h"
#include "facts/limits.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "probe/probe_mx.h"
#include "util/xalloc.h"
#include "util/dname.h"

/*
 * A name asked to confirm a missing trailing dot: the target of host
 * without one origin at its end (RFC 1035 §5.1: a name without the final
 * dot is relative to the origin).
 */
struct mx_undotted {
	size_t			 host;
	char			*name;
	int			 found;		/* A or AAAA answered records */
};

struct probe_mx {
	struct dns		*dns;
	struct mx_set		*set;
	probe_mx_cb		*cb;
	void			*arg;
	unsigned		 pending;
	uint64_t		 start;
	struct mx_ask		**q;		/* every question in flight */
	size_t			 nq;
	struct mx_undotted	*u;		/* longest origin first */
	size_t			 nu;
};

/* Per-question context: which host and which type. */
struct mx_ask {
	struct probe_mx	*r;
	size_t			 host;		/* index, or SIZE_MAX */
	int			 type;
	size_t			 slot;		/* index in r->q */
	size_t			 undotted;	/* index in r->u, or SIZE_MAX */
	struct dns_query	*dq;
};

static void	ask(struct probe_mx *, const char *, int, size_t);
static void	ask_full(struct probe_mx *, const char *, int, size_t,
		    size_t);
static void	ask_undotted(struct probe_mx *, size_t);
static void	ask_cd(struct probe_mx *, const char *, int, dns_cb *);
static void	send_ask(struct probe_mx *, const char *, int, size_t,
		    size_t, int, dns_cb *);
static void	on_mx_cd(const struct dns_result *, void *);

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
finish(struct probe_mx *r)
{
	struct mx_set *s = r->set;
	struct mx_host *h;
	probe_mx_cb *cb = r->cb;
	void *arg = r->arg;
	size_t i;

	/* The longest origin that, taken off, leaves a name with an
	 * address: r->u holds each host's candidates longest first. */
	for (i = 0; i < r->nu; i++) {
		if (r->u[i].found && s->hosts[r->u[i].host].undotted == NULL)
			s->hosts[r->u[i].host].undotted = r->u[i].name;
		else
			free(r->u[i].name);
	}
	free(r->u);
	for (i = 0; i < s->nhost; i++) {
		h = &s->hosts[i];
		h->ad = h->ad == 2;
		/* The order of addresses in an answer means nothing
		 * (servers rotate them): sort them so that reports are
		 * stable. */
		if (h->naddr > 1)
			qsort(h->addrs, h->naddr, sizeof(*h->addrs), cmp_addr);
		cut_addrs(h);
	}
	s->ms = evloop_clock() - r->start;
	free(r->q);
	free(r);
	cb(s, arg);
}

static void
done_one(struct probe_mx *r)
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
	struct probe_mx *r = k->r;
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
	/* The target does not exist: was the trailing dot left out? */
	if (k->type == DNS_T_A && res->outcome == DNS_NXDOMAIN &&
	    !r->set->implicit)
		ask_undotted(r, k->host);
	free(k);
	done_one(r);
}

static void
on_undotted(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct probe_mx *r = k->r;

	r->q[k->slot] = NULL;
	if (res->outcome == DNS_OK && res->nrr > 0)
		r->u[k->undotted].found = 1;
	free(k);
	done_one(r);
}

/*
 * The MX target of host does not exist. A zone file line
 * "@ MX 10 mx.provider.net" in the zone of example.com, without the final
 * dot, publishes mx.provider.net.example.com: the origin appended to the
 * name meant. The origin is the domain or one of its parents (the MX of
 * a subdomain may live in its parent's zone file): for each such suffix
 * of at least two labels that ends the target after a name of at least
 * two labels, ask A and AAAA of that name. The answers only confirm a
 * diagnosis; no session is ever opened to them.
 */
static void
ask_undotted(struct probe_mx *r, size_t host)
{
	const char *t = r->set->hosts[host].name, *d;
	size_t lt = strlen(t), ld, lp;
	char *name;

	for (d = r->set->domain; d != NULL; d = strchr(d + 1, '.')) {
		if (*d == '.')
			d++;
		if (strchr(d, '.') == NULL)
			break;		/* a TLD is no zone of the owner's */
		ld = strlen(d);
		if (lt <= ld + 1 || t[lt - ld - 1] != '.' ||
		    strcasecmp(t + lt - ld, d) != 0)
			continue;
		lp = lt - ld - 1;
		if (memchr(t, '.', lp) == NULL)
			continue;	/* "mail": a relative name meant */
		name = xmalloc(lp + 1);
		memcpy(name, t, lp);
		name[lp] = '\0';
		r->u = xreallocarray(r->u, r->nu + 1, sizeof(*r->u));
		r->u[r->nu].host = host;
		r->u[r->nu].name = name;
		r->u[r->nu].found = 0;
		r->nu++;
		ask_full(r, name, DNS_T_A, host, r->nu - 1);
		ask_full(r, name, DNS_T_AAAA, host, r->nu - 1);
	}
}

static int
is_ip_literal(const char *name)
{
	int f;
	unsigned char b[16];

	return addr_parse(name, &f, b) == 0;
}

static void
resolve_hosts(struct probe_mx *r)
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
	struct probe_mx *r = k->r;
	struct mx_set *s = r->set;
	struct mx_host *h;
	size_t i;

	r->q[k->slot] = NULL;
	free(k);
	s->outcome = res->outcome;
	s->ad = res->ad;
	s->why = NULL;
	/* A validating resolver answers SERVFAIL for a broken DNSSEC
	 * chain: ask again without validation to tell the two apart. */
	if (res->outcome == DNS_SERVFAIL && !s->bogus.asked) {
		s->bogus.asked = 1;
		s->bogus.out = DNS_TIMEOUT;
		ask_cd(r, s->domain, DNS_T_MX, on_mx_cd);
	}
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
	struct probe_mx *r = k->r;

	r->q[k->slot] = NULL;
	free(k);
	r->set->wildcard_out = res->outcome;
	if (res->outcome == DNS_OK && res->nrr > 0)
		r->set->wildcard_target = xstrdup(res->rr[0].u.mx.host);
	done_one(r);
}

static void
ask(struct probe_mx *r, const char *name, int type, size_t host)
{
	ask_full(r, name, type, host, SIZE_MAX);
}

/* One question of the DNSSEC diagnosis: checking disabled. */
static void
ask_cd(struct probe_mx *r, const char *name, int type, dns_cb *cb)
{
	send_ask(r, name, type, SIZE_MAX, SIZE_MAX, DNS_Q_CD, cb);
}

static void
on_ds(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct probe_mx *r = k->r;
	struct mx_bogus *b = &r->set->bogus;
	size_t i;

	r->q[k->slot] = NULL;
	free(k);
	b->ds_out = res->outcome;
	for (i = 0; i < res->nrr && b->nds < MX_BOGUS_MAX_TAGS; i++)
		b->ds_tags[b->nds++] = res->rr[i].u.ds.keytag;
	done_one(r);
}

static void
on_dnskey(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct probe_mx *r = k->r;
	struct mx_bogus *b = &r->set->bogus;
	size_t i;
	int pass;

	r->q[k->slot] = NULL;
	free(k);
	b->dnskey_out = res->outcome;
	/* Keys with the SEP flag (RFC 4034 §2.1.1) first: those a DS
	 * names. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < res->nrr && b->nkey < MX_BOGUS_MAX_TAGS; i++)
			if (((res->rr[i].u.dnskey.flags & 1) != 0) == !pass)
				b->key_tags[b->nkey++] =
				    res->rr[i].u.dnskey.keytag;
	done_one(r);
}

/*
 * The MX asked again with CD after a SERVFAIL. An answer means the zone
 * serves its records and only validation fails: a bogus chain. Its
 * RRSIGs name the zone (signer) and the validity period; the zone's DS
 * and DNSKEY, asked with CD as well, tell whether the DS matches a key.
 */
static void
on_mx_cd(const struct dns_result *res, void *arg)
{
	struct mx_ask *k = arg;
	struct probe_mx *r = k->r;
	struct mx_bogus *b = &r->set->bogus;
	const struct dns_rr *rr;
	struct buf *t;
	size_t i;
	char line[DNS_NAME_MAX + 16];

	r->q[k->slot] = NULL;
	free(k);
	b->out = res->outcome;
	b->now = (int64_t)time(NULL);
	if (res->outcome == DNS_OK) {
		t = buf_new(4096);
		for (i = 0; i < res->nrr; i++) {
			snprintf(line, sizeof(line), "%s%u %s", i ? ", " : "",
			    res->rr[i].u.mx.pref, res->rr[i].u.mx.host);
			buf_printf(t, "%s", line);
		}
		b->records = buf_steal(t);
		buf_free(t);
	}
	for (i = 0; res->msg != NULL && i < res->msg->nrr; i++) {
		rr = &res->msg->rr[i];
		if (rr->type != DNS_T_RRSIG || rr->u.rrsig.signer == NULL)
			continue;
		if (b->signer == NULL)
			b->signer = xstrdup(rr->u.rrsig.signer);
		/* The MX RRset's signature; or, for a denial, any. */
		if (!b->have_sig || (rr->u.rrsig.covered == DNS_T_MX &&
		    res->outcome == DNS_OK)) {
			b->have_sig = 1;
			b->expiration = rr->u.rrsig.expiration;
			b->inception = rr->u.rrsig.inception;
		}
	}
	if (b->signer != NULL && (res->outcome == DNS_OK ||
	    res->outcome == DNS_NODATA || res->outcome == DNS_NXDOMAIN)) {
		b->ds_out = b->dnskey_out = DNS_TIMEOUT;
		ask_cd(r, b->signer, DNS_T_DS, on_ds);
		ask_cd(r, b->signer, DNS_T_DNSKEY, on_dnskey);
	}
	done_one(r);
}

/* Ask, with the question's context in r->q until its answer comes. */
static void
send_ask(struct probe_mx *r, const char *name, int type, size_t host,
    size_t undotted, int flags, dns_cb *cb)
{
	struct mx_ask *k;
	struct dns_query *q;

	k = xcalloc(1, sizeof(*k));
	k->r = r;
	k->host = host;
	k->type = type;
	k->undotted = undotted;
	r->q = xreallocarray(r->q, r->nq + 1, sizeof(*r->q));
	k->slot = r->nq;
	r->q[r->nq++] = k;
	r->pending++;
	q = dns_query(r->dns, name, type, flags, cb, k);
	/* dns_query() returns NULL when the callback already ran (and freed
	 * k); r->q[slot] is then NULL already. */
	if (q != NULL)
		k->dq = q;
}

static void
ask_full(struct probe_mx *r, const char *name, int type, size_t host,
    size_t undotted)
{
	dns_cb *cb;

	if (undotted != SIZE_MAX)
		cb = on_undotted;
	else if (host != (size_t)-1)
		cb = on_addr;
	else if (name == r->set->wildcard_name)
		cb = on_wildcard;
	else
		cb = on_mx;
	send_ask(r, name, type, host, undotted, 0, cb);
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

struct probe_mx *
probe_mx_start(struct dns *dns, const char *domain, probe_mx_cb *cb, void *arg)
{
	struct probe_mx *r;

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
probe_mx_cancel(struct probe_mx *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nq; i++)
		if (r->q[i] != NULL) {
			dns_cancel(r->q[i]->dq);
			free(r->q[i]);
		}
	for (i = 0; i < r->nu; i++)
		free(r->u[i].name);
	free(r->u);
	mx_set_free(r->set);
	free(r->q);
	free(r);
}
