/*
 * probe_auth - SPF, DMARC, DKIM, MTA-STS and TLS-RPT records of one
 * domain, gathered concurrently (probe_auth.h).
 *
 * Every DNS question is a struct aq on a list, so that the deadline can
 * cancel them all and mark their slots as timed out. ap->pending counts
 * what is in flight (DNS questions, the SPF analysis, each evaluation, the
 * policy fetch) plus one hold while probe_auth_start() runs, so that the
 * callback never runs inside it: if everything answered at once, a 0 ms
 * timer delivers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/addr.h"
#include "util/buf.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "net/https.h"
#include "util/i18n.h"
#include "util/log.h"
#include "parse/mtasts.h"
#include "probe/probe_auth.h"
#include "parse/spf.h"
#include "probe/spf_walk.h"
#include "probe/spf_check_host.h"
#include "parse/tlsrpt.h"
#include "util/xalloc.h"

enum aq_kind {
	AQ_DMARC_OWN,
	AQ_DMARC_ORG,
	AQ_DMARC_EXT,
	AQ_DKIM,
	AQ_DKIM_GATE,		/* _domainkey.DOMAIN, or the first guess */
	AQ_MTASTS_TXT,
	AQ_MTASTS_A,
	AQ_MTASTS_AAAA,
	AQ_TLSRPT
};

/* One DNS question in flight. */
struct aq {
	struct aq		*next, *prev;
	struct probe_auth	*ap;
	struct dns_query	*q;
	enum aq_kind		 kind;
	struct auth_txt		*slot;		/* TXT kinds */
};

struct evrun {
	struct probe_auth	*ap;
	size_t			 i;
	struct spf_check_host		*e;
};

struct probe_auth {
	struct evloop		*loop;
	struct dns		*dns;
	struct auth_config	 cfg;
	struct auth_facts	*f;
	struct aq		*queries;
	struct spf_analysis	*spfa;
	struct evrun		*evruns;
	int			 addr_pending;	/* A/AAAA of mta-sts. */
	int			 dkim_gate;	/* gate answers awaited */
	struct auth_txt		 dkim_parent;	/* TXT _domainkey.DOMAIN */
	struct https_fetch	*fetch;
	struct ev_timer		*timer;
	unsigned		 pending;
	int			 starting;
	uint64_t		 start;
	auth_done_cb		*cb;
	void			*arg;
};

static void	deliver(struct probe_auth *);
static void	dkim_rest(struct probe_auth *);
static void	on_fetch(const struct https_result *, void *);

/* Point the pure modules' views at the storage (again: arrays grow). */
static void
fill_views(struct auth_facts *f)
{
	struct dmarc_facts *d = &f->dmarc;
	size_t i;

	d->domain = f->domain;
	d->org_domain = f->org_domain;
	d->own.outcome = f->dmarc_own.outcome;
	d->own.txt = f->dmarc_own.txt;
	d->own.ntxt = f->dmarc_own.ntxt;
	d->org.outcome = f->dmarc_org.outcome;
	d->org.txt = f->dmarc_org.txt;
	d->org.ntxt = f->dmarc_org.ntxt;
	for (i = 0; i < f->next_targets; i++) {
		f->ext[i].host = f->ext_targets[i].host;
		f->ext[i].qname = f->ext_targets[i].qname;
		f->ext[i].lookup.outcome = f->ext_txt[i].outcome;
		f->ext[i].lookup.txt = f->ext_txt[i].txt;
		f->ext[i].lookup.ntxt = f->ext_txt[i].ntxt;
	}
	d->ext = f->ext;
	d->next = f->next_targets;

	f->dkim.domain = f->domain;
	f->dkim.sel = f->dkim_sel;
	f->dkim.nsel = f->ndkim;
	for (i = 0; i < f->ndkim; i++) {
		f->dkim_sel[i].outcome = f->dkim_txt[i].outcome;
		f->dkim_sel[i].txt = f->dkim_txt[i].txt;
		f->dkim_sel[i].ntxt = f->dkim_txt[i].ntxt;
		dkim_selector_decode(&f->dkim_sel[i]);
	}

	f->mtasts.domain = f->domain;
	f->mtasts.txt_outcome = f->mtasts_txt.outcome;
	f->mtasts.txt = f->mtasts_txt.txt;
	f->mtasts.ntxt = f->mtasts_txt.ntxt;
	f->mtasts.fetch_detail = f->mtasts_detail;
	f->mtasts.body = f->mtasts_body;

	f->tlsrpt.domain = f->domain;
	f->tlsrpt.outcome = f->tlsrpt_txt.outcome;
	f->tlsrpt.txt = f->tlsrpt_txt.txt;
	f->tlsrpt.ntxt = f->tlsrpt_txt.ntxt;

	/* RFC 7489 §10.1: is each mechanism in place? 1, 0, -1 unknown. */
	if (f->spf == NULL || f->spf->root == NULL)
		d->spf = -1;
	else
		switch (f->spf->root->status) {
		case SPF_NODE_OK:
			d->spf = 1;
			break;
		case SPF_NODE_TEMPERROR:
		case SPF_NODE_PENDING:
			d->spf = -1;
			break;
		default:	/* none, or a record receivers reject */
			d->spf = 0;
			break;
		}
	d->dkim = dkim_state(&f->dkim);
}

static void
done_one(struct probe_auth *ap)
{
	if (ap->pending == 0)
		log_panic("auth probe: pending underflow");
	if (--ap->pending == 0 && !ap->starting)
		deliver(ap);
}

static void
aq_unlink(struct probe_auth *ap, struct aq *a)
{
	if (a->prev != NULL)
		a->prev->next = a->next;
	else
		ap->queries = a->next;
	if (a->next != NULL)
		a->next->prev = a->prev;
}

static void	on_answer(const struct dns_result *, void *);

/* Ask one question; slot (TXT kinds) is marked TIMEOUT until answered. */
static void
ask(struct probe_auth *ap, enum aq_kind kind, struct auth_txt *slot,
    const char *name, int type)
{
	struct aq *a;
	struct dns_query *q;

	a = xcalloc(1, sizeof(*a));
	a->ap = ap;
	a->kind = kind;
	a->slot = slot;
	if (slot != NULL) {
		slot->outcome = DNS_TIMEOUT;
		if (slot->qname == NULL)
			slot->qname = xstrdup(name);
	}
	a->next = ap->queries;
	if (a->next != NULL)
		a->next->prev = a;
	ap->queries = a;
	ap->pending++;
	q = dns_query(ap->dns, name, type, 0, on_answer, a);
	if (q != NULL)
		a->q = q;	/* else a is gone: the answer came at once */
}

static void
txt_store(struct auth_txt *t, const struct dns_result *r)
{
	char *p;
	size_t i;

	t->outcome = r->outcome;
	if (r->outcome != DNS_OK || r->nrr == 0)
		return;
	t->txt = xcalloc(r->nrr, sizeof(*t->txt));
	for (i = 0; i < r->nrr; i++) {
		if (r->rr[i].type != DNS_T_TXT)
			continue;
		p = xmalloc(r->rr[i].u.txt.len + 1);
		memcpy(p, r->rr[i].u.txt.data, r->rr[i].u.txt.len);
		p[r->rr[i].u.txt.len] = '\0';
		t->txt[t->ntxt].data = p;
		t->txt[t->ntxt].len = r->rr[i].u.txt.len;
		t->ntxt++;
	}
}

/* DMARC step 3: verify the applicable record's external destinations. */
static void
dmarc_external(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	struct dmarc_discovery d;
	size_t i;

	fill_views(f);
	dmarc_discover(&f->dmarc, &d);
	if (d.state == DMARC_ST_FOUND) {
		f->next_targets = dmarc_external_targets(d.rec,
		    d.policy_domain, &f->ext_targets);
		if (f->next_targets > 0) {
			f->ext_txt = xcalloc(f->next_targets,
			    sizeof(*f->ext_txt));
			f->ext = xcalloc(f->next_targets, sizeof(*f->ext));
		}
		for (i = 0; i < f->next_targets; i++)
			ask(ap, AQ_DMARC_EXT, &f->ext_txt[i],
			    f->ext_targets[i].qname, DNS_T_TXT);
	}
	dmarc_discovery_clear(&d);
}

/* DMARC step 2: the organisational domain, when the own name has none. */
static void
dmarc_own_done(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	enum dns_outcome o = f->dmarc_own.outcome;
	char name[300];
	size_t idx;

	if (f->org_domain != NULL && strcmp(f->org_domain, f->domain) != 0 &&
	    (o == DNS_OK || o == DNS_NODATA || o == DNS_NXDOMAIN) &&
	    dmarc_select(f->dmarc_own.txt, f->dmarc_own.ntxt, &idx) !=
	    DMARC_SEL_ONE) {
		snprintf(name, sizeof(name), "_dmarc.%s", f->org_domain);
		f->dmarc.org_queried = 1;
		ask(ap, AQ_DMARC_ORG, &f->dmarc_org, name, DNS_T_TXT);
		return;
	}
	dmarc_external(ap);
}

static void
start_fetch(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	struct https_request req;
	struct buf *b;

	if (f->nmtasts_addrs == 0) {
		b = buf_new(BUF_WHY_MAX);
		buf_printf(b, R_("%s has no address (A %s, AAAA %s)"),
		    f->mtasts_host, dns_outcome_name(f->mtasts_a),
		    dns_outcome_name(f->mtasts_aaaa));
		f->mtasts.fetch = MTASTS_FETCH_UNREACHABLE;
		free(f->mtasts_detail);
		f->mtasts_detail = buf_steal(b);
		buf_free(b);
		return;
	}
	memset(&req, 0, sizeof(req));
	req.url = f->mtasts_url;
	req.addrs = (const char *const *)f->mtasts_addrs;
	req.naddrs = f->nmtasts_addrs;
	req.port = ap->cfg.https_port;
	req.ca_file = ap->cfg.ca_file;
	req.timeout_ms = ap->cfg.https_timeout_ms;
	req.max_body = MTASTS_POLICY_MAX;
	free(f->mtasts_detail);
	f->mtasts_detail = NULL;
	ap->pending++;
	ap->fetch = https_fetch_start(ap->loop, &req, on_fetch, ap);
}

static void
on_answer(const struct dns_result *r, void *arg)
{
	struct aq *a = arg;
	struct probe_auth *ap = a->ap;
	struct auth_facts *f = ap->f;
	char text[64];
	size_t i;

	aq_unlink(ap, a);
	switch (a->kind) {
	case AQ_MTASTS_A:
	case AQ_MTASTS_AAAA:
		if (a->kind == AQ_MTASTS_A)
			f->mtasts_a = r->outcome;
		else
			f->mtasts_aaaa = r->outcome;
		for (i = 0; r->outcome == DNS_OK && i < r->nrr; i++) {
			if (f->nmtasts_addrs == HTTPS_MAX_ADDRS)
				break;
			addr_text(r->rr[i].u.a.family, r->rr[i].u.a.addr,
			    text, sizeof(text));
			f->mtasts_addrs = xreallocarray(f->mtasts_addrs,
			    f->nmtasts_addrs + 1, sizeof(*f->mtasts_addrs));
			f->mtasts_addrs[f->nmtasts_addrs++] = xstrdup(text);
		}
		if (--ap->addr_pending == 0)
			start_fetch(ap);
		break;
	default:
		txt_store(a->slot, r);
		if (a->kind == AQ_DMARC_OWN)
			dmarc_own_done(ap);
		else if (a->kind == AQ_DMARC_ORG)
			dmarc_external(ap);
		else if (a->kind == AQ_DKIM_GATE && --ap->dkim_gate == 0)
			dkim_rest(ap);
		break;
	}
	free(a);
	done_one(ap);
}

static void
on_fetch(const struct https_result *r, void *arg)
{
	struct probe_auth *ap = arg;
	struct auth_facts *f = ap->f;
	struct mtasts_facts *m = &f->mtasts;
	struct buf *b;

	ap->fetch = NULL;
	m->http_status = (int)r->status;
	b = buf_new(BUF_WHY_MAX);
	switch (r->outcome) {
	case HTTPS_OK:
		m->fetch = MTASTS_FETCH_OK;
		f->mtasts_body = xmalloc(r->body_len + 1);
		memcpy(f->mtasts_body, r->body, r->body_len);
		f->mtasts_body[r->body_len] = '\0';
		m->body_len = r->body_len;
		break;
	case HTTPS_HTTP_STATUS:
		m->fetch = MTASTS_FETCH_HTTP_ERROR;
		buf_printf(b, R_("status %ld, not 200"), r->status);
		break;
	case HTTPS_REDIRECT:
		m->fetch = MTASTS_FETCH_HTTP_ERROR;
		buf_printf(b, R_("redirect to %s, which senders do not follow"),
		    r->location ? r->location : "(no Location)");
		break;
	case HTTPS_BAD_CONTENT_TYPE:
		m->fetch = MTASTS_FETCH_HTTP_ERROR;
		buf_printf(b, R_("Content-Type %s, not text/plain"),
		    r->content_type ? r->content_type : "missing");
		break;
	case HTTPS_TLS_ERROR:
		m->fetch = MTASTS_FETCH_TLS_ERROR;
		buf_printf(b, "%s", r->error);
		break;
	case HTTPS_TOO_LARGE:
		m->fetch = MTASTS_FETCH_TOO_LARGE;
		buf_printf(b, R_("body over %d bytes"), MTASTS_POLICY_MAX);
		break;
	case HTTPS_CONNECT_FAILED:
	case HTTPS_TIMEOUT:
	case HTTPS_OTHER:
		m->fetch = MTASTS_FETCH_UNREACHABLE;
		buf_printf(b, "%s%s%s", https_outcome_name(r->outcome),
		    r->error[0] ? ": " : "", r->error);
		break;
	}
	if (buf_len(b) > 0)
		f->mtasts_detail = buf_steal(b);
	buf_free(b);
	done_one(ap);
}

static void
on_spf(struct spf_analysis *a, void *arg)
{
	struct probe_auth *ap = arg;

	ap->spfa = NULL;
	ap->f->spf = a;
	ap->f->spf_state = "done";
	done_one(ap);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static void
on_eval(const struct spf_check_host_result *r, void *arg)
{
	struct evrun *er = arg;
	struct probe_auth *ap = er->ap;
	struct auth_spf_eval *e = &ap->f->evals[er->i];
	struct buf *b;

	er->e = NULL;
	e->finished = 1;
	e->result = r->result;
	e->domain = dup_or_null(r->domain);
	e->mechanism = dup_or_null(r->mechanism);
	e->explanation = dup_or_null(r->explanation);
	e->reason = dup_or_null(r->reason);
	b = buf_new(BUF_WHY_MAX);
	spf_check_host_result_text(r, b);
	e->text = buf_steal(b);
	buf_free(b);
	done_one(ap);
}

static void
start_evals(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	struct auth_spf_eval *e;
	struct spf_query q;
	struct spf_check_host *h;
	char sender[300];
	size_t n, i;

	for (n = 0; ap->cfg.spf_ips != NULL && ap->cfg.spf_ips[n] != NULL &&
	    n < AUTH_MAX_SPF_IPS; n++)
		;
	if (n == 0)
		return;
	f->evals = xcalloc(n, sizeof(*f->evals));
	ap->evruns = xcalloc(n, sizeof(*ap->evruns));
	f->nevals = n;
	snprintf(sender, sizeof(sender), "postmaster@%s", f->domain);
	for (i = 0; i < n; i++) {
		e = &f->evals[i];
		e->ip = xstrdup(ap->cfg.spf_ips[i]);
		e->sender = xstrdup(ap->cfg.spf_sender ? ap->cfg.spf_sender :
		    sender);
		e->helo = xstrdup(ap->cfg.helo ? ap->cfg.helo : f->domain);
		e->result = SPF_TEMPERROR;
		memset(&q, 0, sizeof(q));
		if (spf_ip_parse(e->ip, &q.ip) == -1) {
			/* cli.c rejects these; keep the facts honest. */
			e->finished = 1;
			e->result = SPF_PERMERROR;
			e->reason = xstrdup(R_("not an IP address"));
			e->text = xstrdup(R_("permerror: not an IP address"));
			continue;
		}
		q.sender = e->sender;
		q.helo = e->helo;
		ap->evruns[i].ap = ap;
		ap->evruns[i].i = i;
		ap->pending++;
		h = spf_check_host_start(ap->dns, &q, on_eval, &ap->evruns[i]);
		if (h != NULL)
			ap->evruns[i].e = h;
	}
}

/*
 * DKIM selectors cannot be listed (RFC 6376 §3.6.2.1), so the usual ones
 * are guessed: 40 questions. With that default list, _domainkey.DOMAIN
 * is asked first, beside the first guess. An NXDOMAIN there means that
 * no name exists below it (RFC 8020 §2), so no selector does: the other
 * guesses are not asked and are recorded NXDOMAIN, as that answer says
 * they are. Anything else keeps the whole list: NODATA (the usual
 * empty non-terminal above real selectors), an answer, a failure, and a
 * server that does not follow RFC 8020, seen when it says NXDOMAIN for
 * _domainkey.DOMAIN and yet answers the first guess with a record or
 * NODATA. Named selectors (--dkim-selector) are all asked at once.
 *
 * BUGS: a server that answers NXDOMAIN for an empty non-terminal while
 * the first guess does not exist either, and another guess does, is
 * taken at its word: that key is not seen.
 */
static void
dkim_rest(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	char name[600];
	size_t i;
	int skip;

	skip = ap->dkim_parent.outcome == DNS_NXDOMAIN &&
	    f->dkim_txt[0].outcome == DNS_NXDOMAIN;
	if (skip)
		log_debug("DKIM: %s is NXDOMAIN (RFC 8020): %zu selector "
		    "guesses not asked", ap->dkim_parent.qname, f->ndkim - 1);
	for (i = 1; i < f->ndkim; i++) {
		snprintf(name, sizeof(name), "%s._domainkey.%s",
		    f->dkim_sel[i].selector, f->domain);
		if (skip) {
			f->dkim_txt[i].outcome = DNS_NXDOMAIN;
			f->dkim_txt[i].qname = xstrdup(name);
		} else
			ask(ap, AQ_DKIM, &f->dkim_txt[i], name, DNS_T_TXT);
	}
}

static void
start_dkim(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	const char *const *list = dkim_default_selectors;
	char name[600];
	size_t n, i;

	if (ap->cfg.dkim_selectors != NULL &&
	    ap->cfg.dkim_selectors[0] != NULL) {
		list = ap->cfg.dkim_selectors;
		f->dkim.named = 1;
	}
	for (n = 0; list[n] != NULL && n < AUTH_MAX_SELECTORS; n++)
		;
	f->dkim_txt = xcalloc(n ? n : 1, sizeof(*f->dkim_txt));
	f->dkim_sel = xcalloc(n ? n : 1, sizeof(*f->dkim_sel));
	f->ndkim = n;
	for (i = 0; i < n; i++) {
		f->dkim_sel[i].selector = xstrdup(list[i]);
		/* Not asked before the deadline: not known. */
		f->dkim_txt[i].outcome = DNS_TIMEOUT;
	}
	if (!f->dkim.named && n > 1) {
		ap->dkim_gate = 2;
		snprintf(name, sizeof(name), "_domainkey.%s", f->domain);
		ask(ap, AQ_DKIM_GATE, &ap->dkim_parent, name, DNS_T_TXT);
		snprintf(name, sizeof(name), "%s._domainkey.%s", list[0],
		    f->domain);
		ask(ap, AQ_DKIM_GATE, &f->dkim_txt[0], name, DNS_T_TXT);
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s._domainkey.%s", list[i],
		    f->domain);
		ask(ap, AQ_DKIM, &f->dkim_txt[i], name, DNS_T_TXT);
	}
}

static void
on_timer(void *arg)
{
	struct probe_auth *ap = arg;

	ap->timer = NULL;
	deliver(ap);
}

struct probe_auth *
probe_auth_start(struct evloop *loop, struct dns *dns,
    const struct auth_config *cfg, auth_done_cb *cb, void *arg)
{
	struct probe_auth *ap;
	struct auth_facts *f;
	char org[300], name[300];

	ap = xcalloc(1, sizeof(*ap));
	ap->loop = loop;
	ap->dns = dns;
	ap->cfg = *cfg;
	ap->cb = cb;
	ap->arg = arg;
	ap->start = evloop_clock();
	ap->f = f = xcalloc(1, sizeof(*f));
	f->domain = xstrdup(cfg->domain);
	f->spf_state = "deadline";
	if (dmarc_org_domain(f->domain, org, sizeof(org)) == 0)
		f->org_domain = xstrdup(org);
	f->mtasts.fetch = MTASTS_FETCH_NOT_TRIED;
	f->mtasts_a = f->mtasts_aaaa = DNS_TIMEOUT;
	ap->starting = 1;

	ap->pending++;
	ap->spfa = spf_walk_start(dns, f->domain, on_spf, ap);
	start_evals(ap);

	snprintf(name, sizeof(name), "_dmarc.%s", f->domain);
	ask(ap, AQ_DMARC_OWN, &f->dmarc_own, name, DNS_T_TXT);
	start_dkim(ap);

	snprintf(name, sizeof(name), "_mta-sts.%s", f->domain);
	ask(ap, AQ_MTASTS_TXT, &f->mtasts_txt, name, DNS_T_TXT);
	snprintf(name, sizeof(name), "mta-sts.%s", f->domain);
	f->mtasts_host = xstrdup(name);
	snprintf(name, sizeof(name), "https://mta-sts.%s/.well-known/"
	    "mta-sts.txt", f->domain);
	f->mtasts_url = xstrdup(name);
	f->mtasts_detail = xstrdup(R_("the policy host was not resolved in "
	    "time"));
	ap->addr_pending = 2;
	ask(ap, AQ_MTASTS_A, NULL, f->mtasts_host, DNS_T_A);
	ask(ap, AQ_MTASTS_AAAA, NULL, f->mtasts_host, DNS_T_AAAA);

	snprintf(name, sizeof(name), "_smtp._tls.%s", f->domain);
	ask(ap, AQ_TLSRPT, &f->tlsrpt_txt, name, DNS_T_TXT);

	ap->starting = 0;
	if (ap->pending == 0)
		ap->timer = evloop_timer_add(loop, 0, on_timer, ap);
	return ap;
}

static void
deliver(struct probe_auth *ap)
{
	struct auth_facts *f = ap->f;
	auth_done_cb *cb = ap->cb;
	void *arg = ap->arg;

	if (ap->timer != NULL)
		evloop_timer_del(ap->timer);
	f->ms = evloop_clock() - ap->start;
	fill_views(f);
	auth_txt_clear(&ap->dkim_parent);
	free(ap->evruns);
	free(ap);
	cb(f, arg);
}

void
probe_auth_cancel(struct probe_auth *ap)
{
	struct auth_facts *f;
	struct aq *a;
	size_t i;

	if (ap == NULL)
		return;
	f = ap->f;
	/* Every slot of an unanswered question already says TIMEOUT. */
	while ((a = ap->queries) != NULL) {
		aq_unlink(ap, a);
		dns_cancel(a->q);
		free(a);
	}
	if (ap->spfa != NULL) {
		spf_walk_free(ap->spfa);	/* cancels; no callback */
		ap->spfa = NULL;
	}
	for (i = 0; i < f->nevals; i++)
		if (ap->evruns != NULL && ap->evruns[i].e != NULL) {
			spf_check_host_cancel(ap->evruns[i].e);
			ap->evruns[i].e = NULL;
			f->evals[i].reason = xstrdup(R_("not finished "
			    "before the overall deadline"));
			f->evals[i].text = xstrdup("temperror: not finished "
			    "before the overall deadline");
		}
	if (ap->fetch != NULL) {
		https_fetch_cancel(ap->fetch);
		ap->fetch = NULL;
		free(f->mtasts_detail);
		f->mtasts_detail = xstrdup(R_("the fetch did not finish before "
		    "the overall deadline"));
	}
	ap->pending = 0;
	deliver(ap);
}
