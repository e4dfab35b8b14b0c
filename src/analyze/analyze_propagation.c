/*
 * propagation_analyze - judge the copies of an MX set that the
 * authoritative servers and the resolvers serve, and whether port 25
 * answers behind each (propagation_join). Pure: facts in, findings out
 * (see propagation.h).
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "analyze/analyze.h"
#include "facts/dns_facts.h"
#include "facts/limits.h"
#include "analyze/findings.h"
#include "facts/probe_facts.h"
#include "facts/propagation_facts.h"
#include "facts/smtp_facts.h"
#include "util/xalloc.h"
#include "util/dname.h"
#include "util/i18n.h"

/* No answer at all: timeout, SERVFAIL, a broken reply, a resolver's
 * REFUSED (an authoritative server's is lame). UNKNOWN. */
static int
silent(const struct propagation_server *s)
{
	return !propagation_facts_answered(s) &&
	    (s->outcome != DNS_REFUSED || s->role == PROPAGATION_RESOLVER);
}

/*
 * A lame authoritative server (RFC 1034 §4.3.1 and RFC 1912 §2.8 call
 * it a lame delegation): listed in NS but refusing, answering without
 * the AA bit, or with no address at all.
 */
static int
lame(const struct propagation_server *s)
{
	if (s->role != PROPAGATION_AUTHORITATIVE)
		return 0;
	if (s->address == NULL)
		return propagation_facts_answered(s);
	return s->outcome == DNS_REFUSED ||
	    (propagation_facts_answered(s) && !s->aa);
}

static int
same_set(const struct propagation_server *a,
    const struct propagation_server *b)
{
	size_t i;

	if ((a->outcome == DNS_NXDOMAIN) != (b->outcome == DNS_NXDOMAIN))
		return 0;
	if (a->nmx != b->nmx)
		return 0;
	for (i = 0; i < a->nmx; i++)
		if (a->mx[i].pref != b->mx[i].pref ||
		    !dname_equal(a->mx[i].host, b->mx[i].host))
			return 0;
	return 1;
}

static int
has_mx(const struct propagation_server *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		if (dname_equal(s->mx[i].host, name))
			return 1;
	return 0;
}

/* The first --old-mx host the server still serves, or NULL. */
static const char *
old_host(const struct propagation_server *s, const char **old)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		if (dname_in_list(old, s->mx[i].host))
			return s->mx[i].host;
	return NULL;
}

/* Exactly the --expect-mx hosts (preferences aside, as cutover.c). */
static int
is_expected(const struct propagation_server *s, const char **expect)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		if (!dname_in_list(expect, s->mx[i].host))
			return 0;
	for (i = 0; expect[i] != NULL; i++)
		if (!has_mx(s, expect[i]))
			return 0;
	return 1;
}

/*
 * The set every judgeable authoritative server serves: the index of the
 * first of them, or -1 when there is none or they differ.
 */
static long
consensus(const struct propagation_facts *f)
{
	long ref = -1;
	size_t i;

	for (i = 0; i < f->nservers; i++) {
		if (f->servers[i].role != PROPAGATION_AUTHORITATIVE ||
		    !propagation_facts_judgeable(&f->servers[i]))
			continue;
		if (ref == -1)
			ref = (long)i;
		else if (!same_set(&f->servers[ref], &f->servers[i]))
			return -1;
	}
	return ref;
}

static int
has(const char **list)
{
	return list != NULL && list[0] != NULL;
}

int
propagation_server_agrees(const struct propagation_facts *f, size_t i,
    const char **expect, const char **old)
{
	const struct propagation_server *s = &f->servers[i];
	long ref;

	if (!propagation_facts_judgeable(s))
		return -1;
	if (has(old) && old_host(s, old) != NULL)
		return 0;
	if (has(expect))
		return is_expected(s, expect);
	if (has(old))
		return 1;
	/* Nothing given: held to what the authoritative servers agree on. */
	if ((ref = consensus(f)) == -1)
		return 0;
	return same_set(s, &f->servers[ref]);
}

int
propagation_converged(const struct propagation_facts *f,
    const char **expect, const char **old)
{
	const struct propagation_server *s;
	size_t i, nauth = 0;

	if (f == NULL || f->ns_outcome != DNS_OK)
		return 0;
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		if (lame(s) || (s->role == PROPAGATION_RESOLVER &&
		    s->referral && propagation_facts_answered(s)))
			continue;
		if (propagation_server_agrees(f, i, expect, old) != 1)
			return 0;
		if (s->role == PROPAGATION_AUTHORITATIVE)
			nauth++;
	}
	return nauth > 0;
}

/* "10 a.example, 20 b.example": the set of a server that has one. */
static void
mx_list(const struct propagation_server *s, struct buf *out)
{
	size_t i;

	for (i = 0; i < s->nmx; i++)
		buf_printf(out, "%s%u %s", i ? ", " : "", s->mx[i].pref,
		    s->mx[i].host);
}

/* The kinds of answer a sentence names: each its own sentence shape. */
enum set_kind {
	SET_LIST,
	SET_NXDOMAIN,
	SET_NONE
};

static enum set_kind
set_kind(const struct propagation_server *s)
{
	if (s->outcome == DNS_NXDOMAIN)
		return SET_NXDOMAIN;
	return s->nmx == 0 ? SET_NONE : SET_LIST;
}

/* For the text report (in the user's language). */
void
propagation_set_text(const struct propagation_server *s, struct buf *out)
{
	switch (set_kind(s)) {
	case SET_NXDOMAIN:
		buf_printf(out, "NXDOMAIN");
		break;
	case SET_NONE:
		buf_printf(out, "%s", _("no MX record"));
		break;
	case SET_LIST:
		mx_list(s, out);
		break;
	}
}

static int
judgeable_auth(const struct propagation_facts *f, size_t i)
{
	return f->servers[i].role == PROPAGATION_AUTHORITATIVE &&
	    propagation_facts_judgeable(&f->servers[i]);
}

/*
 * PROPAGATION_DISAGREE: "The authoritative servers of z serve 2
 * different MX sets for d." and one sentence per set naming the
 * servers that serve it.
 */
static void
disagree(const struct propagation_facts *f, struct findings *fs)
{
	struct buf *set, *who;
	size_t i, j, n, nsets = 0;
	int *done;

	done = xcalloc(f->nservers ? f->nservers : 1, sizeof(*done));
	for (i = 0; i < f->nservers; i++) {
		if (done[i] || !judgeable_auth(f, i))
			continue;
		nsets++;
		for (j = i; j < f->nservers; j++)
			if (judgeable_auth(f, j) &&
			    same_set(&f->servers[i], &f->servers[j]))
				done[j] = 1;
	}
	if (nsets < 2) {
		free(done);
		return;
	}
	findings_addn(fs, F_PROPAGATION_DISAGREE, f->domain, nsets,
	    "The authoritative servers of %s serve %zu different MX set for "
	    "%s.",
	    "The authoritative servers of %s serve %zu different MX sets for "
	    "%s.", f->zone ? f->zone : f->domain, nsets, f->domain);
	memset(done, 0, f->nservers * sizeof(*done));
	for (i = 0; i < f->nservers; i++) {
		if (done[i] || !judgeable_auth(f, i))
			continue;
		set = buf_new(BUF_WHY_MAX);
		who = buf_new(BUF_WHY_MAX * 4);
		mx_list(&f->servers[i], set);
		for (n = 0, j = i; j < f->nservers; j++) {
			if (!judgeable_auth(f, j) ||
			    !same_set(&f->servers[i], &f->servers[j]))
				continue;
			buf_printf(who, "%s%s (%s)", n++ ? ", " : "",
			    f->servers[j].name, f->servers[j].address);
			done[j] = 1;
		}
		switch (set_kind(&f->servers[i])) {
		case SET_LIST:
			findings_appendn(fs, n, "%s serves %s.",
			    "%s serve %s.", buf_str(who), buf_str(set));
			break;
		case SET_NXDOMAIN:
			findings_appendn(fs, n, "%s answers NXDOMAIN.",
			    "%s answer NXDOMAIN.", buf_str(who));
			break;
		case SET_NONE:
			findings_appendn(fs, n, "%s serves no MX record.",
			    "%s serve no MX record.", buf_str(who));
			break;
		}
		buf_free(who);
		buf_free(set);
	}
	free(done);
}

/* The first sentence of PROPAGATION_STALE: who serves what. */
static void
stale_first(const struct propagation_facts *f,
    const struct propagation_server *s, struct findings *fs)
{
	struct buf *set;
	int res = s->role == PROPAGATION_RESOLVER;

	set = buf_new(BUF_WHY_MAX);
	mx_list(s, set);
	switch (set_kind(s)) {
	case SET_LIST:
		if (res)
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The resolver %s still answers %s for %s.",
			    s->name, buf_str(set), f->domain);
		else
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The name server %s (%s) still serves %s for %s.",
			    s->name, s->address, buf_str(set), f->domain);
		break;
	case SET_NXDOMAIN:
		if (res)
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The resolver %s still answers NXDOMAIN for %s.",
			    s->name, f->domain);
		else
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The name server %s (%s) still serves NXDOMAIN "
			    "for %s.", s->name, s->address, f->domain);
		break;
	case SET_NONE:
		if (res)
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The resolver %s still answers that %s has no MX "
			    "record.", s->name, f->domain);
		else
			findings_add(fs, F_PROPAGATION_STALE, s->name,
			    "The name server %s (%s) still serves no MX "
			    "record for %s.", s->name, s->address, f->domain);
		break;
	}
	buf_free(set);
}

/* "The authoritative servers serve ..." (nothing expected). */
static void
stale_consensus(const struct propagation_server *ref, struct findings *fs)
{
	struct buf *set;

	set = buf_new(BUF_WHY_MAX);
	mx_list(ref, set);
	switch (set_kind(ref)) {
	case SET_LIST:
		findings_append(fs, "The authoritative servers serve %s.",
		    buf_str(set));
		break;
	case SET_NXDOMAIN:
		findings_append(fs, "The authoritative servers answer "
		    "NXDOMAIN.");
		break;
	case SET_NONE:
		findings_append(fs, "The authoritative servers serve no MX "
		    "record.");
		break;
	}
	buf_free(set);
}

/* How long a resolver's cached copy can live: "287 s (4 min 47 s)". */
static void
stale_ttl(const struct propagation_server *s, struct findings *fs)
{
	uint32_t t = s->ttl;

	if (!s->ttl_known)
		findings_append(fs, "How long it keeps that copy is "
		    "unknown.");
	else if (t >= 3600)
		findings_append(fs, "Its cached copy can live %u s (%u h %u "
		    "min) more.", t, t / 3600, t % 3600 / 60);
	else if (t >= 60)
		findings_append(fs, "Its cached copy can live %u s (%u min %u "
		    "s) more.", t, t / 60, t % 60);
	else
		findings_append(fs, "Its cached copy can live %u s more.", t);
}

/* PROPAGATION_STALE: a server that does not serve what it should. */
static void
stale(const struct propagation_facts *f, size_t i, const char **expect,
    const char **old, struct findings *fs)
{
	const struct propagation_server *s = &f->servers[i];
	const char *oh;
	struct buf *b;
	size_t k;
	long ref;

	stale_first(f, s, fs);
	if (has(old) && (oh = old_host(s, old)) != NULL)
		findings_append(fs, "It still lists the old exchanger %s.",
		    oh);
	if (has(expect)) {
		b = buf_new(BUF_WHY_MAX * 2);
		for (k = 0; expect[k] != NULL; k++)
			buf_printf(b, "%s%s", k ? ", " : "", expect[k]);
		findings_append(fs, "Expected: %s.", buf_str(b));
		buf_free(b);
	} else if (!has(old) && (ref = consensus(f)) != -1)
		stale_consensus(&f->servers[ref], fs);
	if (s->serial_known) {
		for (k = 0; k < f->nservers; k++)
			/* RFC 1982 serial arithmetic */
			if (f->servers[k].serial_known &&
			    (int32_t)(f->servers[k].serial - s->serial) > 0)
				break;
		if (k < f->nservers)
			findings_append(fs, "Its SOA serial is %u, behind "
			    "%s's %u.", s->serial, f->servers[k].name,
			    f->servers[k].serial);
		else
			findings_append(fs, "Its SOA serial is %u.",
			    s->serial);
	}
	if (s->role == PROPAGATION_RESOLVER)
		stale_ttl(s, fs);
}

/* A server that gave no answer: UNKNOWN. */
static void
no_answer(const struct propagation_facts *f,
    const struct propagation_server *s, struct findings *fs)
{
	const char *o = dns_outcome_name(s->outcome), *d = f->domain;
	const char *n = s->name, *a = s->address;

	if (s->role == PROPAGATION_RESOLVER && s->why != NULL)
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The resolver %s gave no answer for %s: %s (%s)", n, d, o,
		    s->why);
	else if (s->role == PROPAGATION_RESOLVER)
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The resolver %s gave no answer for %s: %s", n, d, o);
	else if (a != NULL && s->why != NULL)
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The name server %s (%s) gave no answer for %s: %s (%s)",
		    n, a, d, o, s->why);
	else if (a != NULL)
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The name server %s (%s) gave no answer for %s: %s", n, a,
		    d, o);
	else if (s->why != NULL)
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The name server %s (no address) gave no answer for %s: "
		    "%s (%s)", n, d, o, s->why);
	else
		findings_add(fs, F_PROPAGATION_NO_ANSWER, n,
		    "The name server %s (no address) gave no answer for %s: "
		    "%s", n, d, o);
}

/*
 * --- Port 25 behind each server's set (propagation_join) ---
 *
 * A host's state: ANSWERS when one of its addresses greeted 220; DOWN
 * when it has no address (NXDOMAIN or NODATA) or every address was
 * tried and none did, each session ended on the server's account; else
 * UNKNOWN (not probed, --dns-only, an address question failed, cut by
 * the deadline, no route from here, past the limit). A host of the domain's own set is judged by its targets, any
 * other by its entry in facts->old.
 */
static enum propagation_smtp
target_host_state(const struct probe_facts *pf, size_t h)
{
	const struct probe_target *t;
	const struct smtp_result *r;
	size_t i, n = 0, down = 0;

	if (pf->mx->hosts[h].over_limit)
		return PROPAGATION_SMTP_UNKNOWN;
	for (i = 0; i < pf->ntargets; i++) {
		t = &pf->targets[i];
		if (t->host != h)
			continue;
		n++;
		if ((r = t->smtp) == NULL)
			continue;
		if (r->banner.code == 220)
			return PROPAGATION_SMTP_ANSWERS;
		if (!r->deadline_hit && !r->no_route)
			down++;
	}
	if (!pf->smtp_probed)
		return PROPAGATION_SMTP_UNKNOWN;
	/* No address at all: senders cannot deliver there either. */
	if (n == 0 && pf->mx->hosts[h].naddr == 0 &&
	    pf->mx->hosts[h].a_out != DNS_TIMEOUT &&
	    pf->mx->hosts[h].aaaa_out != DNS_TIMEOUT)
		return PROPAGATION_SMTP_DOWN;
	return n > 0 && down == n ? PROPAGATION_SMTP_DOWN :
	    PROPAGATION_SMTP_UNKNOWN;
}

static enum propagation_smtp
old_host_state(const struct probe_old *o)
{
	size_t k, down = 0;

	if (!o->resolved || o->answers == NULL ||
	    (o->naddr == 0 && o->addr_failed))
		return PROPAGATION_SMTP_UNKNOWN;
	for (k = 0; k < o->naddr; k++) {
		if (o->answers[k])
			return PROPAGATION_SMTP_ANSWERS;
		if (o->probed[k] && o->decided[k])
			down++;
	}
	return down == o->naddr ? PROPAGATION_SMTP_DOWN :
	    PROPAGATION_SMTP_UNKNOWN;
}

static enum propagation_smtp
host_state(const struct probe_facts *pf, const char *host)
{
	size_t i;

	if (pf->mx != NULL && pf->mx->outcome == DNS_OK)
		for (i = 0; i < pf->mx->nhost; i++)
			if (dname_equal(pf->mx->hosts[i].name, host))
				return target_host_state(pf, i);
	for (i = 0; i < pf->nold; i++)
		if (dname_equal(pf->old[i].name, host))
			return old_host_state(&pf->old[i]);
	return PROPAGATION_SMTP_UNKNOWN;	/* past the limit */
}

/* The server serves the very set the main run probed (host names). */
static int
probed_set(const struct propagation_server *s, const struct probe_facts *pf)
{
	const struct mx_set *mx = pf->mx;
	size_t i, j;

	if (mx == NULL || mx->outcome != DNS_OK || !pf->smtp_probed ||
	    mx->implicit || mx->null_mx)
		return 0;
	for (i = 0; i < s->nmx; i++) {
		for (j = 0; j < mx->nhost; j++)
			if (dname_equal(mx->hosts[j].name, s->mx[i].host))
				break;
		if (j == mx->nhost)
			return 0;
	}
	for (j = 0; j < mx->nhost; j++)
		if (!has_mx(s, mx->hosts[j].name))
			return 0;
	return 1;
}

/*
 * A host of another set that was not probed because of the limit: the
 * run probes the exchangers outside the domain's own set (and outside
 * --old-mx) up to LIMIT_MX_HOSTS; the rest are in no entry of
 * facts->old. Nothing is probed with --dns-only.
 */
static int
host_over_limit(const struct probe_facts *pf, const char *host)
{
	size_t i;

	if (!pf->smtp_probed || strcmp(host, ".") == 0 || *host == '\0')
		return 0;
	if (pf->mx != NULL && pf->mx->outcome == DNS_OK)
		for (i = 0; i < pf->mx->nhost; i++)
			if (dname_equal(pf->mx->hosts[i].name, host))
				return 0;
	for (i = 0; i < pf->nold; i++)
		if (dname_equal(pf->old[i].name, host))
			return 0;
	return 1;
}

static enum propagation_smtp
server_state(const struct propagation_server *s,
    const struct probe_facts *pf)
{
	enum propagation_smtp st;
	size_t i, down = 0;

	if (!propagation_facts_serves_set(s) || s->nmx == 0)
		return PROPAGATION_SMTP_UNKNOWN;
	for (i = 0; i < s->nmx; i++)
		if (strcmp(s->mx[i].host, ".") == 0 || *s->mx[i].host == '\0')
			return PROPAGATION_SMTP_UNKNOWN;	/* null MX */
	if (probed_set(s, pf))
		return PROPAGATION_SMTP_PROBED_SET;
	for (i = 0; i < s->nmx; i++) {
		st = host_state(pf, s->mx[i].host);
		if (st == PROPAGATION_SMTP_ANSWERS)
			return st;
		if (st == PROPAGATION_SMTP_DOWN)
			down++;
	}
	return down == s->nmx ? PROPAGATION_SMTP_DOWN :
	    PROPAGATION_SMTP_UNKNOWN;
}

void
propagation_join(struct propagation_facts *f, const struct probe_facts *pf)
{
	struct propagation_server *s;
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		s->smtp = pf == NULL ? PROPAGATION_SMTP_UNKNOWN :
		    server_state(s, pf);
		for (j = 0; j < s->nmx; j++)
			s->mx[j].over_limit = pf != NULL &&
			    propagation_facts_serves_set(s) &&
			    host_over_limit(pf, s->mx[j].host);
	}
}

/* "propns1.example (192.0.2.1)"; a resolver by its address. */
static void
set_server_text(const struct propagation_server *s, struct buf *out)
{
	if (s->role == PROPAGATION_RESOLVER)
		buf_printf(out, "%s", s->address);
	else
		buf_printf(out, "%s (%s)", s->name, s->address);
}

/*
 * MX_LIMIT_EXCHANGERS for the other sets (the domain's own set gets its
 * own in analyze_mx.c): which exchangers were not probed, and which
 * servers give the sets they are in, whose port 25 is then unknown.
 */
#define LIMIT_NAMES_SHOWN	8

static void
other_sets_limit(const struct propagation_facts *f, struct findings *fs)
{
	const struct propagation_server *s;
	struct buf *names, *who;
	size_t i, j, k, l, n = 0, nserv = 0;
	int dup, in;

	names = buf_new(BUF_WHY_MAX * 2);
	who = buf_new(BUF_WHY_MAX * 2);
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		for (j = 0, in = 0; j < s->nmx; j++) {
			if (!s->mx[j].over_limit)
				continue;
			in = 1;
			/* Each name once, however many servers give it. */
			for (k = 0, dup = 0; k <= i && !dup; k++)
				for (l = 0; l < f->servers[k].nmx &&
				    (k < i || l < j); l++)
					if (f->servers[k].mx[l].over_limit &&
					    dname_equal(f->servers[k].mx[l].host,
					    s->mx[j].host)) {
						dup = 1;
						break;
					}
			if (dup)
				continue;
			if (n < LIMIT_NAMES_SHOWN)
				buf_printf(names, "%s%s", n ? ", " : "",
				    s->mx[j].host);
			n++;
		}
		/* The sets whose verdict the limit left open: another
		 * exchanger of a set may answer all the same. */
		if (in && s->smtp == PROPAGATION_SMTP_UNKNOWN) {
			if (nserv++)
				buf_printf(who, ", ");
			set_server_text(s, who);
		}
	}
	if (n > LIMIT_NAMES_SHOWN)
		buf_printf(names, ", and %zu more", n - LIMIT_NAMES_SHOWN);
	if (n > 0 && nserv > 0)
		findings_add(fs, F_MX_LIMIT_EXCHANGERS, f->domain, "The MX "
		    "sets that %s give for %s name more exchangers outside its "
		    "own set than mxprobe probes (%d per domain); not probed on "
		    "port 25: %s (%zu in all), so whether port 25 answers "
		    "behind those sets is unknown.", buf_str(who), f->domain,
		    LIMIT_MX_HOSTS, buf_str(names), n);
	else if (n > 0)
		findings_add(fs, F_MX_LIMIT_EXCHANGERS, f->domain, "The other "
		    "MX sets the --propagation servers give for %s name more "
		    "exchangers outside its own set than mxprobe probes (%d per "
		    "domain); not probed on port 25: %s (%zu in all); another "
		    "exchanger of each of those sets answers.", f->domain,
		    LIMIT_MX_HOSTS, buf_str(names), n);
	buf_free(who);
	buf_free(names);
}

/*
 * PROPAGATION_SET_DOWN: one finding per distinct set no exchanger of
 * which answers, naming every server that gives it.
 */
static void
set_down(const struct propagation_facts *f, struct findings *fs)
{
	struct buf *set, *who;
	size_t i, j;
	int *done;

	done = xcalloc(f->nservers ? f->nservers : 1, sizeof(*done));
	for (i = 0; i < f->nservers; i++) {
		if (done[i] || f->servers[i].smtp != PROPAGATION_SMTP_DOWN)
			continue;
		set = buf_new(BUF_WHY_MAX);
		who = buf_new(BUF_WHY_MAX * 2);
		mx_list(&f->servers[i], set);	/* DOWN: a set of hosts */
		for (j = i; j < f->nservers; j++) {
			if (f->servers[j].smtp != PROPAGATION_SMTP_DOWN ||
			    !same_set(&f->servers[i], &f->servers[j]))
				continue;
			if (j != i)
				buf_printf(who, ", ");
			set_server_text(&f->servers[j], who);
			done[j] = 1;
		}
		findings_add(fs, F_PROPAGATION_SET_DOWN, f->servers[i].name,
		    "Senders whose resolver gets the MX set of %s from %s "
		    "defer mail: none of its exchangers (%s) answers on port "
		    "25.", f->domain, buf_str(who), buf_str(set));
		buf_free(who);
		buf_free(set);
	}
	free(done);
}

void
propagation_analyze(const struct propagation_facts *f, const char **expect,
    const char **old, struct findings *fs)
{
	const struct propagation_server *s;
	size_t i;

	if (f == NULL)
		return;
	if (f->timed_out)
		findings_addn(fs, F_PROPAGATION_WAIT_TIMEOUT, f->domain,
		    f->rounds,
		    "After %llu s and %u check, the expected MX set of %s "
		    "is not yet served everywhere",
		    "After %llu s and %u checks, the expected MX set of %s "
		    "is not yet served everywhere",
		    (unsigned long long)(f->waited_ms + 500) / 1000,
		    f->rounds, f->domain);
	if (f->ns_outcome != DNS_OK && f->ns_why != NULL)
		findings_add(fs, F_PROPAGATION_NS_FAILED, f->domain,
		    "The authoritative servers of %s could not be found: NS "
		    "lookup %s (%s)", f->domain,
		    dns_outcome_name(f->ns_outcome), f->ns_why);
	else if (f->ns_outcome != DNS_OK)
		findings_add(fs, F_PROPAGATION_NS_FAILED, f->domain,
		    "The authoritative servers of %s could not be found: NS "
		    "lookup %s", f->domain, dns_outcome_name(f->ns_outcome));
	disagree(f, fs);
	set_down(f, fs);
	other_sets_limit(f, fs);
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		if (lame(s)) {
			if (s->address == NULL)
				findings_add(fs, F_PROPAGATION_LAME, s->name,
				    "The name server %s of %s has no address "
				    "(%s)", s->name, f->zone ? f->zone :
				    f->domain, dns_outcome_name(s->outcome));
			else if (s->outcome == DNS_REFUSED)
				findings_add(fs, F_PROPAGATION_LAME, s->name,
				    "The name server %s (%s) refused to answer "
				    "for %s", s->name, s->address, f->domain);
			else
				findings_add(fs, F_PROPAGATION_LAME, s->name,
				    "The name server %s (%s) answered for %s "
				    "without authority (no AA bit)", s->name,
				    s->address, f->domain);
		} else if (silent(s))
			no_answer(f, s, fs);
		else if (s->role == PROPAGATION_RESOLVER && s->referral)
			findings_add(fs, F_PROPAGATION_NOT_RECURSIVE, s->name,
			    "The resolver %s does not recurse: it answered "
			    "for %s with a referral, so it holds no cached "
			    "copy to compare", s->name, f->domain);
		else if (propagation_server_agrees(f, i, expect, old) == 0 &&
		    (has(expect) || has(old) ||
		    (s->role == PROPAGATION_RESOLVER && consensus(f) != -1)))
			stale(f, i, expect, old, fs);
	}
}
