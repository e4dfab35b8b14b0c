/*
 * analyze_delivery - the delivery model (see analyze_delivery.h and
 * doc/verdicts.md). delivery_model() reads only its plain facts;
 * analyze_delivery_facts() derives those facts from a probe.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/analyze_delivery.h"
#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "parse/mtasts.h"
#include "util/buf.h"
#include "util/dname.h"
#include "util/xalloc.h"

static const char *sender_names[DELIVERY_NSENDER] = {
	"opportunistic", "mta-sts", "dane"
};

const char *
delivery_sender_name(enum delivery_sender c)
{
	return sender_names[c];
}

const char *
delivery_outcome_name(enum delivery_outcome o)
{
	static const char *n[] = { "delivered", "deferred", "unknown",
	    "held", "bounced" };

	return n[o];
}

const char *
delivery_verdict_name(enum delivery_verdict v)
{
	static const char *n[] = { "healthy", "degraded", "unknown",
	    "outage" };

	return n[v];
}

const char *
delivery_mx_state_name(enum delivery_mx_state s)
{
	static const char *n[] = { "accepts", "tempfail", "refuses", "down",
	    "unknown" };

	return n[s];
}

int
delivery_usable(const struct delivery_facts *df, enum delivery_sender c,
    size_t i)
{
	const struct delivery_mx *m = &df->mx[i];

	if (m->state != DELIVERY_MX_ACCEPTS)
		return 0;
	switch (c) {
	case DELIVERY_OPPORTUNISTIC:
		return 1;
	case DELIVERY_MTASTS:
		/* RFC 8461 §4.1, §4.2: named by the policy, certificate
		 * valid for the name. */
		return m->sts_covered && m->tls_pkix == 1;
	case DELIVERY_DANE:
		/* RFC 7672 §2.2: signed TLSA binds; none: opportunistic. */
		return m->dane != 0;
	default:
		return 0;
	}
}

/*
 * The outcome for class c with exchanger "down" (or none: -1) taken away.
 * Senders take the most preferred group holding a usable exchanger and
 * pick among its usable members at random (RFC 5321 §5.1): every usable
 * member of that group receives mail.
 */
static void
path(const struct delivery_facts *df, enum delivery_sender c, long down,
    struct delivery_path *p)
{
	size_t i;
	unsigned best = 0;
	int found = 0, unknown = 0, tempfail = 0, live = 0;

	p->receives = xcalloc(df->nmx ? df->nmx : 1, 1);
	p->nreceive = 0;
	for (i = 0; i < df->nmx; i++) {
		if ((long)i == down)
			continue;
		if (delivery_usable(df, c, i)) {
			if (!found || df->mx[i].group < best)
				best = df->mx[i].group;
			found = 1;
		}
		switch (df->mx[i].state) {
		case DELIVERY_MX_UNKNOWN:
			unknown = 1;
			break;
		case DELIVERY_MX_TEMPFAIL:
			tempfail = 1;
			break;
		case DELIVERY_MX_ACCEPTS:
			live = 1;
			break;
		default:
			break;
		}
	}
	if (found) {
		for (i = 0; i < df->nmx; i++)
			if ((long)i != down && df->mx[i].group == best &&
			    delivery_usable(df, c, i)) {
				p->receives[i] = 1;
				p->nreceive++;
			}
		p->outcome = DELIVERY_DELIVERED;
	} else if (unknown)
		p->outcome = DELIVERY_UNKNOWN;
	else if (tempfail)
		p->outcome = DELIVERY_DEFERRED;
	else if (live)
		p->outcome = DELIVERY_HELD;
	else
		p->outcome = DELIVERY_BOUNCED;
}

static int
class_applies(const struct delivery_facts *df, enum delivery_sender c)
{
	switch (c) {
	case DELIVERY_OPPORTUNISTIC:
		return 1;
	case DELIVERY_MTASTS:
		return df->sts_enforce;
	case DELIVERY_DANE:
		return df->dane;
	default:
		return 0;
	}
}

static enum delivery_verdict
class_verdict(const struct delivery_class *k)
{
	switch (k->now.outcome) {
	case DELIVERY_BOUNCED:
	case DELIVERY_HELD:
		return DELIVERY_OUTAGE;
	case DELIVERY_UNKNOWN:
		return DELIVERY_VERDICT_UNKNOWN;
	case DELIVERY_DEFERRED:
		return DELIVERY_DEGRADED;
	default:
		return k->degraded ? DELIVERY_DEGRADED : DELIVERY_HEALTHY;
	}
}

void
delivery_model(const struct delivery_facts *df, struct delivery *d)
{
	struct delivery_class *k;
	enum delivery_verdict v;
	size_t i;
	int c;

	memset(d, 0, sizeof(*d));
	d->nmx = df->nmx;
	d->verdict = DELIVERY_HEALTHY;
	d->worst = DELIVERY_OPPORTUNISTIC;
	for (c = 0; c < DELIVERY_NSENDER; c++) {
		k = &d->cls[c];
		if (!(k->applies = class_applies(df, c)))
			continue;
		path(df, c, -1, &k->now);
		k->after = xcalloc(df->nmx ? df->nmx : 1, sizeof(*k->after));
		for (i = 0; i < df->nmx; i++)
			path(df, c, (long)i, &k->after[i]);
		if (k->now.outcome == DELIVERY_DELIVERED)
			for (i = 0; i < df->nmx; i++) {
				/* Unknown is no verdict, not a degradation. */
				if (df->mx[i].state == DELIVERY_MX_UNKNOWN)
					continue;
				if (!delivery_usable(df, c, i) ||
				    (k->now.receives[i] &&
				    df->mx[i].group > 0))
					k->degraded = 1;
			}
		v = class_verdict(k);
		if (v > d->verdict) {
			d->verdict = v;
			d->worst = c;
		}
	}
}

void
delivery_free(struct delivery *d)
{
	size_t i;
	int c;

	for (c = 0; c < DELIVERY_NSENDER; c++) {
		free(d->cls[c].now.receives);
		if (d->cls[c].after != NULL)
			for (i = 0; i < d->nmx; i++)
				free(d->cls[c].after[i].receives);
		free(d->cls[c].after);
	}
	memset(d, 0, sizeof(*d));
}

/* ---- the facts of a probe ---- */

static enum delivery_mx_state
target_state(const struct probe_target *t)
{
	const struct smtp_result *r = t->smtp;

	/* No route from here (e.g. this host has no IPv6): not known. */
	if (analyze_target_no_route(t))
		return DELIVERY_MX_UNKNOWN;
	if (r == NULL) {
		/* Addresses no sender can use, against ones not tried. */
		if (t->skipped == PROBE_SKIP_UNROUTABLE ||
		    t->skipped == PROBE_SKIP_CDN)
			return DELIVERY_MX_DOWN;
		return DELIVERY_MX_UNKNOWN;
	}
	/* With the recipient test (--rcpt), an exchanger that refuses the
	 * domain's postmaster does not receive its mail; one that defers
	 * it takes it only later. */
	if (analyze_target_answers(t) && r->rcpt_tested &&
	    r->rcpt_reply.code / 100 == 5)
		return DELIVERY_MX_REFUSES;
	if (analyze_target_answers(t) && r->rcpt_tested &&
	    r->rcpt_reply.code / 100 == 4)
		return DELIVERY_MX_TEMPFAIL;
	if (analyze_target_answers(t))
		return DELIVERY_MX_ACCEPTS;
	if (analyze_target_tempfail(t))
		return DELIVERY_MX_TEMPFAIL;
	if (r->deadline_hit)
		return DELIVERY_MX_UNKNOWN;
	if (r->outcome == SMTP_BANNER_PERMFAIL ||
	    r->outcome == SMTP_EHLO_REJECTED)
		return DELIVERY_MX_REFUSES;
	return DELIVERY_MX_DOWN;
}

/* The best state wins: one address that takes mail is enough. */
static int
state_rank(enum delivery_mx_state s)
{
	static const int r[] = { 4, 3, 1, 0, 2 };

	return r[s];
}

static void
host_facts(const struct probe_facts *f, size_t h, struct delivery_mx *m)
{
	const struct probe_target *t;
	const struct smtp_result *r;
	enum delivery_mx_state s;
	size_t i;
	int seen = 0, pkix_bad = 0, pkix_ok = 0, dane_ok = 0;
	int dane_checked = 0, tls = 0, routed = 0, unrouted = 0;

	/* An address this host has no route to tells nothing: the host is
	 * judged by its others (an A and an AAAA on a host without IPv6:
	 * by the IPv4 address), and unknown when it has no other. */
	for (i = 0; i < f->ntargets; i++)
		if (f->targets[i].host == h) {
			if (analyze_target_no_route(&f->targets[i]))
				unrouted++;
			else
				routed++;
		}
	m->untested_here = unrouted > 0 && routed == 0;
	m->state = DELIVERY_MX_DOWN;	/* no address: nowhere to deliver */
	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (t->host != h || (routed > 0 && analyze_target_no_route(t)))
			continue;
		s = target_state(t);
		if (!seen || state_rank(s) > state_rank(m->state))
			m->state = s;
		seen = 1;
		if (s != DELIVERY_MX_ACCEPTS)
			continue;
		r = t->smtp;
		if (r->tls_done && r->tls.verify_ok && r->tls.name_ok)
			pkix_ok = 1;
		else
			pkix_bad = 1;
		if (r->tls_done && r->tls.dane_ok)
			dane_ok = 1;
		if (r->tls_done && r->tls.dane_checked)
			dane_checked = 1;
		if (r->tls_done)
			tls = 1;
	}
	m->tls_pkix = pkix_ok && !pkix_bad;
	m->dane = -1;
	if (f->tlsa != NULL && h < f->ntlsa && f->tlsa[h].asked &&
	    f->tlsa[h].out == DNS_OK && f->tlsa[h].ad && f->tlsa[h].nrr > 0) {
		/* RFC 7672 §2.2: with signed TLSA records that are all
		 * unusable (PKIX-TA, PKIX-EE, unknown parameters) TLS is
		 * still required, but not authenticated. */
		if (dane_checked)
			m->dane = dane_ok;
		else
			m->dane = tls ? -1 : 0;
		m->signed_tlsa = 1;
	}
}

static int
sts_policy(const struct probe_facts *f, struct mtasts_policy **pol)
{
	const struct mtasts_facts *m;
	struct buf *why;
	size_t line;
	int ok;

	*pol = NULL;
	if (f->auth == NULL)
		return 0;
	m = &f->auth->mtasts;
	if (m->fetch != MTASTS_FETCH_OK || m->body == NULL)
		return 0;
	why = buf_new(256);
	ok = mtasts_policy_parse(m->body, m->body_len, pol, &line, why) ==
	    MTASTS_OK;
	buf_free(why);
	if (!ok) {
		*pol = NULL;
		return 0;
	}
	return (*pol)->mode == MTASTS_MODE_ENFORCE;
}

int
analyze_delivery_facts(const struct probe_facts *f, struct delivery_facts *df)
{
	const struct mx_set *mx = f->mx;
	struct mtasts_policy *pol;
	size_t h, j;
	int signed_tlsa = 0;

	memset(df, 0, sizeof(*df));
	if (mx == NULL || mx->nhost == 0 || !f->smtp_probed ||
	    (mx->null_mx && mx->nnull == mx->nhost))
		return 0;
	df->mx = xcalloc(mx->nhost, sizeof(*df->mx));
	df->nmx = mx->nhost;
	df->sts_enforce = sts_policy(f, &pol);
	for (h = 0; h < mx->nhost; h++) {
		df->mx[h].name = mx->hosts[h].name;
		df->mx[h].group = mx->hosts[h].group;
		/* A name listed twice was probed at its first listing. */
		for (j = 0; j < h; j++)
			if (dname_equal(mx->hosts[j].name, mx->hosts[h].name))
				break;
		if (j < h) {
			df->mx[h].state = df->mx[j].state;
			df->mx[h].tls_pkix = df->mx[j].tls_pkix;
			df->mx[h].dane = df->mx[j].dane;
			df->mx[h].signed_tlsa = df->mx[j].signed_tlsa;
			df->mx[h].untested_here = df->mx[j].untested_here;
		} else
			host_facts(f, h, &df->mx[h]);
		df->mx[h].sts_covered = pol != NULL &&
		    mtasts_policy_covers(pol, mx->hosts[h].name);
		if (df->mx[h].signed_tlsa)
			signed_tlsa = 1;
	}
	df->dane = mx->ad && signed_tlsa;
	mtasts_policy_free(pol);
	return 1;
}

void
analyze_delivery_facts_free(struct delivery_facts *df)
{
	free(df->mx);
	memset(df, 0, sizeof(*df));
}

int
analyze_delivery(const struct probe_facts *f, struct delivery_facts *df,
    struct delivery *d)
{
	memset(d, 0, sizeof(*d));
	if (!analyze_delivery_facts(f, df))
		return 0;
	delivery_model(df, d);
	return 1;
}
