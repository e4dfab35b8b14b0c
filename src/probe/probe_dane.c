/*
 * probe_dane - the TLSA question of every exchanger (RFC 7672 section
 * 2.2), asked as soon as the MX set is known, all at once. An exchanger's
 * SMTP sessions start only when its TLSA answer is in, so that the
 * records can be handed to them (smtp_config.tlsa) and the handshake
 * checked against them; other exchangers do not wait.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "probe/probe_int.h"
#include "net/tls.h"
#include "util/xalloc.h"

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
				dns_rr_copy(&t->rr[t->nrr++],
				    &res->rr[i]);
	}
	for (i = 0; i < p->facts->ntargets; i++)
		if (p->runs[i].tlsa_wait &&
		    p->facts->targets[i].host == tr->h) {
			p->runs[i].tlsa_wait = 0;
			probe_smtp_start(p, i);
		}
	probe_done_one(p);
}

void
probe_dane_start(struct probe *p)
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
int
probe_dane_waits(const struct probe *p, size_t i)
{
	size_t h = p->facts->targets[i].host;

	return p->truns != NULL && h < p->facts->ntlsa &&
	    p->truns[h].pending;
}

/* The host's TLSA records as the session takes them (borrowed). */
size_t
probe_dane_config(const struct probe *p, size_t h, struct tls_tlsa *out,
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

/* The overall deadline: the TLSA questions still out are abandoned. */
void
probe_dane_cancel(struct probe *p)
{
	size_t i;

	for (i = 0; p->truns != NULL && i < p->facts->ntlsa; i++)
		if (p->truns[i].pending) {
			dns_cancel(p->truns[i].q);
			p->truns[i].q = NULL;
			p->truns[i].pending = 0;
			p->pending--;
		}
}
