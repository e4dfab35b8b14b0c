/*
 * t_probe_smtp - src/probe/probe_smtp.c over the fake resolver: which
 * targets the MX set gives and in which order their sessions start, what
 * is skipped and why (not routable, a CDN edge, -4, no route from here,
 * --dns-only), one session per address at a time, the domain's socket
 * bound (LIMIT_SOCKETS_DOMAIN) and the run's pool, the per-address cap,
 * the FCrDNS inputs (PTR match, mismatch, NXDOMAIN, timeout), what every
 * session is configured with (session_config: the old hosts' sessions
 * get no --rcpt and no TLSA), the TLSA hand-over (probe_dane.c, linked),
 * the TLS 1.0/1.1 retry, a socket() without descriptor, the deadline's
 * cancel, and answers given inside dns_query().
 *
 * smtp_session_start(), smtp_session_cancel() and probe_done_one() are
 * stand-ins defined here (smtp_session.c and probe.c are not linked): the
 * test sees every session asked for, with its configuration, and ends
 * each one when and how it likes. A real session over the loop is
 * t_smtp_session.c; the whole probe is t_probe.c.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "facts/dns_facts.h"
#include "facts/limits.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "probe/probe_int.h"
#include "probe/sockets.h"
#include "util/addr.h"
#include "util/xalloc.h"
#include "tap.h"

/* --- stand-ins for smtp_session.c and probe.c --- */

#define MAXSESS	64

struct fake_sess {
	char		 addr[48];
	unsigned short	 port;
	char		 host[64];
	char		 ehlo[64];
	int		 rcpt;		/* rcpt_domain was set */
	char		 tag[32];
	size_t		 ntlsa;
	const void	*tlsa0;		/* data of the first record */
	int		 legacy;
	unsigned	 step_ms, deadline_ms;
	struct tls_ctx	*tls;
	smtp_done_cb	*cb;
	void		*arg;
	int		 live;
	int		 cancelled;
};

static struct fake_sess sess[MAXSESS];
static int nstarted;
static int done_calls;

struct smtp_session *
smtp_session_start(struct evloop *loop, const struct smtp_config *sc,
    const struct sockaddr *sa, socklen_t sl, const char *host,
    smtp_done_cb *cb, void *arg)
{
	struct fake_sess *s;

	(void)loop;
	(void)sl;
	if (nstarted >= MAXSESS)
		abort();
	s = &sess[nstarted++];
	memset(s, 0, sizeof(*s));
	if (sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    s->addr, sizeof(s->addr));
	} else {
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr, s->addr,
		    sizeof(s->addr));
	}
	s->port = sc->port;	/* the session connects to this port */
	snprintf(s->host, sizeof(s->host), "%s", host);
	snprintf(s->ehlo, sizeof(s->ehlo), "%s", sc->ehlo_name ?
	    sc->ehlo_name : "");
	s->rcpt = sc->rcpt_domain != NULL;
	snprintf(s->tag, sizeof(s->tag), "%s", sc->trace_tag ? sc->trace_tag :
	    "");
	s->ntlsa = sc->ntlsa;
	s->tlsa0 = sc->ntlsa > 0 ? sc->tlsa[0].data : NULL;
	s->legacy = sc->tls_legacy;
	s->step_ms = sc->step_timeout_ms;
	s->deadline_ms = sc->deadline_ms;
	s->tls = sc->tls;
	s->cb = cb;
	s->arg = arg;
	s->live = 1;
	return (struct smtp_session *)s;
}

void
smtp_session_cancel(struct smtp_session *ss)
{
	struct fake_sess *s = (struct fake_sess *)ss;

	if (s == NULL)
		return;
	if (!s->live)
		abort();	/* cancelled twice, or after its callback */
	s->live = 0;
	s->cancelled = 1;
}

void
probe_done_one(struct probe *p)
{
	done_calls++;
	if (p->pending == 0)
		abort();
	p->pending--;
}

/* Session k ends: the result its callback gets. */
static void
sess_end(int k, enum smtp_outcome out, int banner, int fd_errno, int tlsver,
    int deadline)
{
	struct fake_sess *s = &sess[k];
	struct smtp_result *res;

	if (k >= nstarted || !s->live)
		abort();
	res = xcalloc(1, sizeof(*res));
	res->outcome = out;
	res->banner.code = banner;
	if (fd_errno) {
		res->step = SMTP_STEP_CONNECT;
		res->sys_errno = fd_errno;
	}
	res->tls_version_failed = tlsver;
	res->deadline_hit = deadline;
	s->live = 0;
	s->cb(res, s->arg);
}

static int
nlive(void)
{
	int k, n = 0;

	for (k = 0; k < nstarted; k++)
		n += sess[k].live;
	return n;
}

/* --- the fake zone --- */

struct zrr {
	const char	*name;
	int		 type;
	enum dns_outcome out;
	const char	*value;
};

static const struct zrr zone[] = {
	/* 127.0.0.1 and ::1: a PTR that resolves back */
	{ "1.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_OK, "mx1.ex.test" },
	{ "mx1.ex.test", DNS_T_A, DNS_OK, "127.0.0.1" },
	{ "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
	    "ip6.arpa", DNS_T_PTR, DNS_OK, "six.ex.test" },
	{ "six.ex.test", DNS_T_A, DNS_OK, "127.0.0.1" },	/* not asked */
	{ "six.ex.test", DNS_T_AAAA, DNS_OK, "::1" },
	/* 127.0.0.2: a PTR whose name has other addresses */
	{ "2.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_OK, "wrong.ex.test" },
	{ "wrong.ex.test", DNS_T_A, DNS_OK, "127.0.0.9" },
	/* 127.0.0.3: no PTR; 127.0.0.4: the resolver does not answer */
	{ "3.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_NXDOMAIN, NULL },
	{ "4.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_TIMEOUT, NULL },
	/* 127.0.0.5: a PTR name that does not exist */
	{ "5.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_OK, "gone.ex.test" },
	{ "gone.ex.test", DNS_T_A, DNS_NXDOMAIN, NULL },
	/* the --old-mx host and a propagation set's host */
	{ "old.ex.test", DNS_T_A, DNS_OK, "127.0.0.6" },
	{ "old.ex.test", DNS_T_A, DNS_OK, "127.0.0.7" },
	{ "old.ex.test", DNS_T_AAAA, DNS_OK, "::1" },
	{ "other.ex.test", DNS_T_A, DNS_OK, "127.0.0.8" },
	{ "other.ex.test", DNS_T_AAAA, DNS_OK, "::1" },
	/* TLSA of mx1 only */
	{ "_25._tcp.mx1.ex.test", DNS_T_TLSA, DNS_OK, "" },
	{ NULL, 0, 0, NULL }
};

static int questions;

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	const struct zrr *z;
	struct dns_rr *rr;
	enum dns_outcome out = DNS_NXDOMAIN;

	(void)arg;
	questions++;
	*rrs = NULL;
	*nrr = 0;
	for (z = zone; z->name != NULL; z++) {
		if (strcasecmp(z->name, name) != 0)
			continue;
		if (z->type != type) {
			if (out == DNS_NXDOMAIN)
				out = DNS_NODATA;
			continue;
		}
		out = z->out;
		if (z->out != DNS_OK)
			break;
		*rrs = xreallocarray(*rrs, *nrr + 1, sizeof(**rrs));
		rr = &(*rrs)[(*nrr)++];
		memset(rr, 0, sizeof(*rr));
		rr->owner = xstrdup(name);
		rr->type = (uint16_t)type;
		rr->class = 1;
		rr->ttl = 300;
		switch (type) {
		case DNS_T_PTR:
			rr->u.name = xstrdup(z->value);
			break;
		case DNS_T_A:
		case DNS_T_AAAA:
			rr->u.a.family = type == DNS_T_A ? AF_INET : AF_INET6;
			inet_pton(rr->u.a.family, z->value, rr->u.a.addr);
			break;
		case DNS_T_TLSA:
			rr->u.tlsa.usage = 3;
			rr->u.tlsa.selector = 1;
			rr->u.tlsa.mtype = 1;
			rr->u.tlsa.len = 32;
			rr->u.tlsa.data = xcalloc(1, 32);
			break;
		}
	}
	return out;
}

/* --- a probe as probe.c has it when the MX set is known --- */

struct hdef {
	const char	*name;
	const char	*addrs[24];
	int		 ip_literal;
	int		 over_limit;
};

static struct vantage vant;
static struct tls_ctx *dummy_tls = (struct tls_ctx *)&vant;	/* never
						 * dereferenced: the sessions
						 * are stand-ins */

static struct probe *
probe_new(const struct hdef *hd, size_t nhost, struct sockets *pool)
{
	struct probe *p;
	struct mx_set *mx;
	struct mx_host *h;
	size_t i, k;

	p = xcalloc(1, sizeof(*p));
	p->loop = evloop_new();
	p->dns = dns_new_fake(p->loop, fake, NULL);
	p->start = evloop_clock();
	p->cfg.ehlo = "probe.ex.test";
	p->cfg.smtp_port = 2525;
	p->cfg.step_ms = 1000;
	p->cfg.deadline_ms = 0;
	p->cfg.allow_loopback = 1;
	p->cfg.sockets = pool;
	p->cfg.vantage = &vant;
	p->tls = dummy_tls;
	p->facts = xcalloc(1, sizeof(*p->facts));
	p->facts->domain = xstrdup("ex.test");
	p->facts->mx = mx = xcalloc(1, sizeof(*mx));
	mx->domain = xstrdup("ex.test");
	mx->nhost = nhost;
	mx->hosts = xcalloc(nhost ? nhost : 1, sizeof(*mx->hosts));
	for (i = 0; i < nhost; i++) {
		h = &mx->hosts[i];
		h->name = xstrdup(hd[i].name);
		h->pref = (uint16_t)(10 * i);
		h->ip_literal = hd[i].ip_literal;
		h->over_limit = hd[i].over_limit;
		for (k = 0; hd[i].addrs[k] != NULL; k++)
			;
		h->naddr = k;
		h->addrs = xcalloc(k ? k : 1, sizeof(*h->addrs));
		for (k = 0; k < h->naddr; k++) {
			h->addrs[k].family = strchr(hd[i].addrs[k], ':') ?
			    AF_INET6 : AF_INET;
			inet_pton(h->addrs[k].family, hd[i].addrs[k],
			    h->addrs[k].addr);
			snprintf(h->addrs[k].text, sizeof(h->addrs[k].text),
			    "%s", hd[i].addrs[k]);
		}
	}
	/* A v4 route, none for v6, both checked already. */
	memset(&vant, 0, sizeof(vant));
	vant.v4.route = VANTAGE_ROUTE;
	snprintf(vant.v4.source, sizeof(vant.v4.source), "198.51.100.1");
	vant.v6.route = VANTAGE_NO_ROUTE;
	vant.v6.sys_errno = ENETUNREACH;
	memset(sess, 0, sizeof(sess));
	nstarted = 0;
	done_calls = 0;
	questions = 0;
	return p;
}

static void
probe_del(struct probe *p)
{
	size_t i;

	free(p->runs);
	for (i = 0; i < p->facts->nold; i++)
		free(p->oruns[i].sess);
	free(p->oruns);
	free(p->truns);
	probe_facts_free(p->facts);
	dns_free(p->dns);
	evloop_free(p->loop);
	free(p);
}

/* The session started for target i's address and host, or -1. */
static int
sess_of(const struct probe *p, size_t i, int from)
{
	const struct probe_target *t = &p->facts->targets[i];
	const struct mx_host *h = &p->facts->mx->hosts[t->host];
	int k;

	for (k = from; k < nstarted; k++)
		if (strcmp(sess[k].addr, h->addrs[t->addr].text) == 0 &&
		    strcmp(sess[k].host, h->name) == 0)
			return k;
	return -1;
}

/* --- the tests --- */

static const struct hdef set1[] = {
	{ "mx1.ex.test", { "127.0.0.1", "::1" }, 0, 0 },
	{ "192.0.2.7", { "192.0.2.7" }, 1, 0 },		/* an IP literal */
	{ "MX1.EX.TEST.", { "127.0.0.1" }, 0, 0 },	/* listed before */
	{ "mx2.ex.test", { "127.0.0.2", "10.0.0.1", "104.16.0.1" }, 0, 0 },
	{ "mx3.ex.test", { "127.0.0.1", "127.0.0.3", "127.0.0.4",
	    "2001:4860::1" }, 0, 0 },
	{ "mx9.ex.test", { "127.0.0.5" }, 0, 1 },	/* past the limit */
};
#define NSET1	(sizeof(set1) / sizeof(set1[0]))

static void
test_targets(void)
{
	struct sockets *pool = sockets_new(100);
	struct probe *p = probe_new(set1, NSET1, pool);
	struct probe_facts *f = p->facts;
	int k, bad;
	size_t i;

	diag("the targets, their sessions, what is skipped");
	p->cfg.rcpt = 1;
	p->cfg.trace_domain = 1;
	p->cfg.deadline_ms = 60000;
	probe_smtp_targets(p);
	is_int(f->ntargets, 9, "9 targets: the probed hosts' addresses");
	ok(f->ntargets == 9 && f->targets[0].host == 0 &&
	    f->targets[1].host == 0 && f->targets[2].host == 3 &&
	    f->targets[5].host == 4 && f->targets[5].addr == 0 &&
	    f->targets[8].host == 4 && f->targets[8].addr == 3,
	    "in the MX set's order, no IP literal, repeat or host past the "
	    "limit");
	ok(f->smtp_probed, "smtp_probed");
	ok(f->vantage.v4.route == VANTAGE_ROUTE &&
	    f->vantage.v6.route == VANTAGE_NO_ROUTE, "the vantage in the "
	    "facts");
	is_int(f->targets[3].skipped, PROBE_SKIP_UNROUTABLE, "10.0.0.1: not "
	    "routable");
	is_int(f->targets[4].skipped, PROBE_SKIP_CDN, "104.16.0.1: a CDN "
	    "edge");
	is_int(f->targets[8].skipped, PROBE_SKIP_NO_ROUTE_6, "2001:4860::1: "
	    "no IPv6 route here");
	is_int(f->targets[1].skipped, PROBE_SKIP_NONE, "::1: loopback, tried "
	    "without a route");
	is_int(nstarted, 5, "5 sessions at once");
	ok(nstarted == 5 && sess_of(p, 0, 0) == 0 && sess_of(p, 1, 0) == 1 &&
	    sess_of(p, 2, 0) == 2 && sess_of(p, 6, 0) == 3 &&
	    sess_of(p, 7, 0) == 4, "in target order: 127.0.0.1, ::1, "
	    "127.0.0.2, 127.0.0.3, 127.0.0.4");
	ok(p->runs[5].queued && sess_of(p, 5, 0) == -1, "mx3's 127.0.0.1 "
	    "waits for mx1's session on the same address");
	for (k = bad = 0; k < nstarted; k++)
		bad += sess[k].port != 2525 || strcmp(sess[k].ehlo,
		    "probe.ex.test") != 0 || !sess[k].rcpt ||
		    strcmp(sess[k].tag, "ex.test") != 0 || sess[k].ntlsa != 0 ||
		    sess[k].legacy || sess[k].step_ms != 1000 ||
		    sess[k].deadline_ms != 60000 || sess[k].tls != dummy_tls;
	is_int(bad, 0, "each with the port, EHLO name, --rcpt, trace tag, "
	    "timeouts and TLS context; no TLSA");
	is_int(p->nsess, 5, "5 sockets of the domain held");
	is_int(sockets_used(pool), 5, "5 of the run's pool");
	/* 8 PTR questions (not the unroutable one), 6 sessions. */
	is_int(p->pending, 8 + 6, "pending: 8 PTR questions, 6 sessions");

	evloop_run(p->loop);
	is_int(done_calls, 8, "the PTR answers (and the names' addresses) "
	    "counted once each");
	is_int(f->targets[0].fcrdns, 1, "127.0.0.1: FCrDNS");
	is_str(f->targets[0].ptr, "mx1.ex.test", "  its PTR name");
	is_int(f->targets[1].fcrdns, 1, "::1: FCrDNS over AAAA");
	is_int(f->targets[2].ptr_out, DNS_OK, "127.0.0.2: PTR OK");
	is_int(f->targets[2].fcrdns, 0, "  the name's address differs: no "
	    "FCrDNS");
	is_int(f->targets[6].ptr_out, DNS_NXDOMAIN, "127.0.0.3: NXDOMAIN");
	ok(f->targets[6].ptr == NULL && !f->targets[6].fcrdns, "  no name, "
	    "no FCrDNS");
	is_int(f->targets[7].ptr_out, DNS_TIMEOUT, "127.0.0.4: TIMEOUT");
	ok(f->targets[7].ptr == NULL && !f->targets[7].fcrdns, "  no name, "
	    "no FCrDNS");
	is_int(f->targets[3].ptr_out, DNS_TIMEOUT, "10.0.0.1: not asked "
	    "(TIMEOUT, as set up)");
	ok(f->targets[4].ptr == NULL && f->targets[4].ptr_out == DNS_NXDOMAIN,
	    "the CDN address: its PTR asked all the same");

	sess_end(0, SMTP_OK, 220, 0, 0, 0);
	ok(f->targets[0].smtp != NULL && f->targets[0].smtp->outcome ==
	    SMTP_OK && !f->targets[0].smtp_shared, "target 0's result kept");
	is_int(nstarted, 6, "its end starts the target that waited for "
	    "127.0.0.1");
	is_int(sess_of(p, 5, 0), 5, "  mx3.ex.test on 127.0.0.1");
	for (k = 1; k < nstarted; k++)
		if (sess[k].live)
			sess_end(k, SMTP_REFUSED, 0, 0, 0, 0);
	is_int(p->pending, 0, "every session counted done");
	is_int(p->nsess, 0, "no socket of the domain held");
	is_int(sockets_used(pool), 0, "every slot of the pool back");
	for (i = bad = 0; i < f->ntargets; i++)
		bad += (f->targets[i].skipped == PROBE_SKIP_NONE) !=
		    (f->targets[i].smtp != NULL);
	is_int(bad, 0, "a result for every target not skipped");
	probe_del(p);
	sockets_free(pool);
}

static void
test_fcrdns_dns_only(int inl)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2", "127.0.0.3",
		    "127.0.0.4", "127.0.0.5", "::1" }, 0, 0 },
	};
	struct probe *p = probe_new(set, 1, NULL);
	struct probe_facts *f = p->facts;
	size_t i;
	int bad = 0;

	diag("--dns-only, answers %s", inl ? "inside dns_query()" :
	    "from the loop");
	dns_fake_inline(p->dns, inl);
	p->cfg.dns_only = 1;
	probe_smtp_targets(p);
	if (inl) {
		is_int(p->pending, 0, "every answer in before the call "
		    "returned");
		is_int(done_calls, 6, "  each counted done once");
		for (i = 0; i < f->ntargets; i++)
			bad += p->runs[i].ptrq != NULL ||
			    p->runs[i].fwdq != NULL || p->runs[i].dns_pending;
		is_int(bad, 0, "  no question handle kept");
	} else
		is_int(p->pending, 6, "6 PTR questions pending");
	evloop_run(p->loop);
	is_int(nstarted, 0, "no session");
	ok(!f->smtp_probed && f->vantage.v4.route == VANTAGE_NOT_CHECKED,
	    "not smtp_probed, no vantage");
	for (i = bad = 0; i < f->ntargets; i++)
		bad += f->targets[i].skipped != PROBE_SKIP_DNS_ONLY;
	is_int(bad, 0, "every target skipped: --dns-only");
	is_int(p->pending, 0, "nothing pending");
	ok(f->targets[0].fcrdns && f->targets[5].fcrdns, "PTR that resolves "
	    "back: FCrDNS (v4, v6)");
	ok(f->targets[1].ptr != NULL && !f->targets[1].fcrdns, "other "
	    "address: no FCrDNS");
	ok(f->targets[2].ptr_out == DNS_NXDOMAIN && !f->targets[2].fcrdns,
	    "NXDOMAIN: no FCrDNS");
	ok(f->targets[3].ptr_out == DNS_TIMEOUT && !f->targets[3].fcrdns,
	    "TIMEOUT: no FCrDNS");
	ok(f->targets[4].ptr_out == DNS_OK && f->targets[4].ptr != NULL &&
	    !f->targets[4].fcrdns, "a PTR name that does not exist: no "
	    "FCrDNS");
	probe_del(p);
}

static void
test_family(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "::1" }, 0, 0 },
	};
	struct probe *p = probe_new(set, 1, NULL);

	diag("-4 and -6");
	p->cfg.family = 4;
	probe_smtp_targets(p);
	ok(p->facts->targets[1].skipped == PROBE_SKIP_FAMILY_4 &&
	    nstarted == 1 && sess_of(p, 0, 0) == 0, "-4: ::1 skipped, "
	    "127.0.0.1 tried");
	evloop_run(p->loop);
	sess_end(0, SMTP_OK, 220, 0, 0, 0);
	is_int(p->pending, 0, "nothing pending");
	probe_del(p);
	p = probe_new(set, 1, NULL);
	p->cfg.family = 6;
	probe_smtp_targets(p);
	ok(p->facts->targets[0].skipped == PROBE_SKIP_FAMILY_6 &&
	    nstarted == 1 && sess_of(p, 1, 0) == 0, "-6: 127.0.0.1 skipped, "
	    "::1 tried");
	evloop_run(p->loop);
	sess_end(0, SMTP_OK, 220, 0, 0, 0);
	is_int(p->pending, 0, "nothing pending");
	probe_del(p);
}

static void
test_none(void)
{
	static const struct hdef nul[] = { { ".", { NULL }, 0, 0 } };
	static const struct hdef lit[] = {
		{ "192.0.2.7", { "192.0.2.7" }, 1, 0 },
	};
	struct probe *p = probe_new(nul, 1, NULL);

	diag("no target");
	p->facts->mx->null_mx = 1;
	p->facts->mx->nnull = 1;
	probe_smtp_targets(p);
	ok(p->facts->ntargets == 0 && p->runs == NULL && p->pending == 0 &&
	    questions == 0, "a null MX: no target, no question");
	probe_smtp_cancel(p);
	ok(p->pending == 0, "  cancel: nothing to do");
	probe_del(p);
	p = probe_new(lit, 1, NULL);
	probe_smtp_targets(p);
	ok(p->facts->ntargets == 0 && p->pending == 0 && nstarted == 0,
	    "an IP literal alone: no target");
	probe_del(p);
}

static void
test_domain_bound(void)
{
	static struct hdef set[2];
	static char names[2][24][16];
	struct sockets *pool = sockets_new(1000);
	struct probe *p;
	size_t i, h;
	int k, order = 1;

	diag("at most LIMIT_SOCKETS_DOMAIN (%d) sessions of the domain",
	    LIMIT_SOCKETS_DOMAIN);
	memset(set, 0, sizeof(set));
	for (h = 0; h < 2; h++) {
		set[h].name = h ? "mx2.ex.test" : "mx1.ex.test";
		for (i = 0; i < 12; i++) {
			snprintf(names[h][i], sizeof(names[h][i]),
			    "127.0.%zu.%zu", h + 1, i + 1);
			set[h].addrs[i] = names[h][i];
		}
	}
	p = probe_new(set, 2, pool);
	p->cfg.dns_only = 0;
	probe_smtp_targets(p);
	is_int(p->facts->ntargets, 24, "24 targets on 24 addresses");
	is_int(nstarted, LIMIT_SOCKETS_DOMAIN, "the first 16 started");
	is_int(p->facts->smtp_queued, 24 - LIMIT_SOCKETS_DOMAIN, "the 8 "
	    "others wait in line (smtp_queued)");
	is_int(sockets_used(pool), LIMIT_SOCKETS_DOMAIN, "16 of the pool "
	    "held");
	for (k = 0; k < 24 - LIMIT_SOCKETS_DOMAIN; k++) {
		sess_end(k, SMTP_OK, 220, 0, 0, 0);
		if (nlive() != LIMIT_SOCKETS_DOMAIN ||
		    sess_of(p, (size_t)(LIMIT_SOCKETS_DOMAIN + k), 0) !=
		    LIMIT_SOCKETS_DOMAIN + k)
			order = 0;
	}
	ok(order, "each end starts the next in target order, 16 live");
	for (k = 0; k < nstarted; k++)
		if (sess[k].live)
			sess_end(k, SMTP_OK, 220, 0, 0, 0);
	evloop_run(p->loop);
	is_int(nstarted, 24, "24 sessions in all");
	is_int(p->facts->smtp_queued, 8, "each waiter counted once");
	is_int(p->pending, 0, "nothing pending");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_del(p);
	sockets_free(pool);
}

static void
test_pool(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2", "127.0.0.3" },
		    0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	struct sockets *pool = sockets_new(1);
	struct probe *p = probe_new(set, 1, pool);
	struct probe_old *o;

	diag("the run's pool of one slot, the --old-mx host's sessions "
	    "in the same line");
	p->cfg.old_mx = old;
	p->cfg.rcpt = 1;
	probe_smtp_old(p);
	probe_smtp_targets(p);
	is_int(nstarted, 1, "one session at a time");
	evloop_run(p->loop);	/* the old host's addresses come in */
	is_int(nstarted, 1, "  still one with the old host resolved");
	o = &p->facts->old[0];
	ok(p->facts->nold == 1 && o->resolved && o->naddr == 3,
	    "old.ex.test: 3 addresses");
	sess_end(0, SMTP_OK, 220, 0, 0, 0);
	sess_end(1, SMTP_OK, 220, 0, 0, 0);
	sess_end(2, SMTP_OK, 220, 0, 0, 0);
	ok(nstarted == 4 && strcmp(sess[3].host, "old.ex.test") == 0,
	    "the domain's targets first, then the old host's");
	ok(!sess[3].rcpt && sess[3].ntlsa == 0 && sess[3].port == 2525 &&
	    strcmp(sess[3].ehlo, "probe.ex.test") == 0 && sess[3].tls ==
	    dummy_tls, "  its session: port, EHLO name and TLS context, no "
	    "--rcpt");
	is_str(sess[3].addr, "127.0.0.6", "  127.0.0.6 first");
	sess_end(3, SMTP_OK, 220, 0, 0, 0);
	is_str(sess[4].addr, "127.0.0.7", "then 127.0.0.7");
	sess_end(4, SMTP_TIMEOUT, 0, 0, 0, 1);
	is_str(sess[5].addr, "::1", "then ::1");
	sess_end(5, SMTP_REFUSED, 0, 0, 0, 0);
	ok(o->probed[0] && o->answers[0] && o->decided[0], "127.0.0.6: "
	    "greeted, decided");
	ok(o->probed[1] && !o->answers[1] && !o->decided[1], "127.0.0.7: cut "
	    "by the deadline, undecided");
	ok(o->probed[2] && !o->answers[2] && o->decided[2], "::1: refused, "
	    "decided");
	is_int(p->facts->smtp_queued, 5, "5 sessions waited for the slot");
	is_int(p->pending, 0, "nothing pending");
	is_int(sockets_used(pool), 0, "the slot back");
	probe_del(p);
	sockets_free(pool);
}

static void
test_prop(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1" }, 0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	static const char *prop[] = { "MX1.ex.test.", "old.ex.test",
	    "other.ex.test", NULL };
	struct probe *p = probe_new(set, 1, NULL);
	struct probe_facts *f = p->facts;
	int k, n6 = 0;

	diag("the other MX sets' hosts (probe_smtp_prop), -4");
	p->cfg.old_mx = old;
	p->cfg.prop_mx = prop;
	p->cfg.family = 4;
	probe_smtp_old(p);
	is_int(p->ocap, 4, "room for 1 old host and 3 propagation hosts");
	probe_smtp_targets(p);
	probe_smtp_prop(p, f->mx);
	is_int(f->nold, 2, "one host added: not in the set, not named "
	    "with --old-mx");
	ok(f->nold == 2 && strcmp(f->old[1].name, "other.ex.test") == 0 &&
	    f->old[1].from_propagation && !f->old[0].from_propagation,
	    "  other.ex.test, from propagation");
	evloop_run(p->loop);
	for (k = 0; k < nstarted; k++)
		n6 += strcmp(sess[k].addr, "::1") == 0;
	ok(f->old[1].resolved && f->old[1].naddr == 2 && !f->old[1].probed[1],
	    "-4: the propagation host's ::1 not probed");
	ok(f->old[0].naddr == 3 && f->old[0].probed[2] && n6 == 1,
	    "  the --old-mx host's ::1 probed all the same");
	for (k = 0; k < nstarted; k++)
		if (sess[k].live)
			sess_end(k, SMTP_OK, 220, 0, 0, 0);
	is_int(nstarted, 5, "5 sessions: the target, 3 old, 1 other");
	is_int(p->pending, 0, "nothing pending");
	probe_smtp_prop(p, NULL);
	is_int(f->nold, 3, "the MX question failed: MX1.ex.test. probed as "
	    "well");
	evloop_run(p->loop);
	for (k = 0; k < nstarted; k++)
		if (sess[k].live)
			sess_end(k, SMTP_OK, 220, 0, 0, 0);
	is_int(p->pending, 0, "nothing pending");
	probe_del(p);
}

static void
test_dane(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1" }, 0, 0 },
		{ "mx2.ex.test", { "127.0.0.2" }, 0, 0 },
	};
	struct probe *p = probe_new(set, 2, NULL);
	struct probe_target *t;
	int k1, k2, kl;

	diag("the TLSA hand-over, the TLS 1.0/1.1 retry");
	p->cfg.rcpt = 1;
	probe_dane_start(p);
	probe_smtp_targets(p);
	is_int(nstarted, 0, "no session before the hosts' TLSA answers");
	ok(p->runs[0].tlsa_wait && p->runs[1].tlsa_wait, "both wait");
	evloop_run(p->loop);
	is_int(nstarted, 2, "both started once their answer was in");
	k1 = sess_of(p, 0, 0);
	k2 = sess_of(p, 1, 0);
	ok(k1 >= 0 && sess[k1].ntlsa == 1 && sess[k1].tlsa0 ==
	    p->facts->tlsa[0].rr[0].u.tlsa.data, "mx1: its TLSA record "
	    "handed to the session");
	ok(k2 >= 0 && sess[k2].ntlsa == 0, "mx2 (NXDOMAIN): none");
	t = &p->facts->targets[0];
	t->start_ms = 77;	/* the retry must not move it */
	sess_end(k1, SMTP_TLS_FAILED, 220, 0, 1, 0);
	kl = sess_of(p, 0, k1 + 1);
	ok(kl > 0 && sess[kl].legacy && sess[kl].ntlsa == 0 && !sess[kl].rcpt,
	    "a protocol version failure: a retry with TLS 1.0/1.1, no TLSA, "
	    "no --rcpt");
	ok(t->smtp == NULL && p->runs[0].first != NULL, "  the first result "
	    "held meanwhile");
	is_int(p->nsess, 2, "  the retry keeps the socket");
	sess_end(kl, SMTP_OK, 220, 0, 0, 0);
	ok(t->smtp != NULL && t->smtp->outcome == SMTP_TLS_FAILED &&
	    t->smtp->legacy != NULL && t->smtp->legacy->outcome == SMTP_OK,
	    "the first result kept, the retry's in ->legacy");
	is_int(t->start_ms, 77, "start_ms of the first session");
	sess_end(k2, SMTP_TLS_FAILED, 220, 0, 1, 0);
	kl = sess_of(p, 1, k2 + 1);
	ok(kl > 0, "mx2: its retry");
	probe_smtp_cancel(p);
	ok(sess[kl].cancelled, "the deadline cancels the retry");
	ok(p->facts->targets[1].smtp != NULL &&
	    p->facts->targets[1].smtp->outcome == SMTP_TLS_FAILED &&
	    p->facts->targets[1].skipped == PROBE_SKIP_NONE,
	    "  the first session's result stands");
	is_int(p->pending, 0, "nothing pending");
	is_int(p->nsess, 0, "no socket held");
	probe_del(p);
}

static void
test_no_fd(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2" }, 0, 0 },
	};
	struct sockets *pool = sockets_new(10);
	struct probe *p = probe_new(set, 1, pool);
	int k;

	diag("no descriptor for socket()");
	probe_smtp_targets(p);
	evloop_run(p->loop);
	is_int(nstarted, 2, "two sessions");
	sess_end(0, SMTP_NETWORK_ERROR, 0, EMFILE, 0, 0);
	ok(p->facts->targets[0].skipped == PROBE_SKIP_NONE &&
	    p->facts->targets[0].smtp == NULL, "EMFILE with another session "
	    "open: not a result, not skipped");
	is_int(sockets_max(pool), 2, "  the pool's cap shrinks to what was "
	    "held");
	sess_end(1, SMTP_OK, 220, 0, 0, 0);
	k = sess_of(p, 0, 2);
	ok(k == 2, "target 0 tried again when a socket was free");
	if (k == 2)
		sess_end(2, SMTP_NETWORK_ERROR, 0, ENFILE, 0, 0);
	is_int(p->facts->targets[0].skipped, PROBE_SKIP_NO_FD, "ENFILE with "
	    "nothing else open: skipped, no descriptor");
	ok(p->facts->targets[0].smtp == NULL, "  no result");
	is_int(p->pending, 0, "nothing pending");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_del(p);
	sockets_free(pool);
}

static void
test_addr_cap(int deadline)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2" }, 0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	unsigned char a1[4] = { 127, 0, 0, 1 }, a6[4] = { 127, 0, 0, 6 };
	struct sockets *pool = sockets_new(10);
	struct probe *p = probe_new(set, 1, pool);
	struct probe_facts *f = p->facts;

	diag("the per-address cap held elsewhere%s", deadline ?
	    ", handed over after the deadline" : "");
	sockets_set_per_addr(pool, 1);
	if (!sockets_addr_take(pool, AF_INET, a1) ||
	    !sockets_addr_take(pool, AF_INET, a6))
		abort();
	p->cfg.old_mx = old;
	if (deadline) {
		p->cfg.deadline_ms = 1;
		p->start = evloop_clock() - 10;
	}
	probe_smtp_old(p);
	probe_smtp_targets(p);
	evloop_run(p->loop);
	ok(nstarted == 3 && sess_of(p, 1, 0) == 0, "127.0.0.2 goes, and the "
	    "old host's 127.0.0.7 and ::1");
	ok(p->runs[0].addr_wait && sess_of(p, 0, 0) == -1, "127.0.0.1 waits "
	    "for its address");
	is_int(f->smtp_addr_queued, 2, "two sessions waited for the cap");
	ok(f->naddr_queued == 2 && strcmp(f->addr_queued[0], "127.0.0.1") == 0
	    && strcmp(f->addr_queued[1], "127.0.0.6") == 0 && f->addr_cap == 1,
	    "  the addresses named, the cap");
	sockets_addr_give(pool, AF_INET, a1);
	sockets_addr_give(pool, AF_INET, a6);
	if (deadline) {
		is_int(nstarted, 3, "after the deadline: no session starts");
		is_int(sockets_addr_used(pool, AF_INET, a1), 0, "  the slot "
		    "is passed on");
		probe_smtp_cancel(p);
		is_int(f->targets[0].skipped, PROBE_SKIP_ADDR_CAP, "  the "
		    "cancel: skipped for the per-address cap");
		ok(!f->old[0].probed[0], "  the old address not probed");
	} else {
		ok(nstarted == 5 && sess_of(p, 0, 0) == 3, "the slot handed "
		    "over: the target's session starts");
		is_int(sockets_addr_used(pool, AF_INET, a1), 1, "  it holds "
		    "the address's slot");
		while (nlive() > 0)
			for (int k = 0; k < nstarted; k++)
				if (sess[k].live)
					sess_end(k, SMTP_OK, 220, 0, 0, 0);
		is_int(sockets_addr_used(pool, AF_INET, a1), 0, "  and gives "
		    "it back");
		ok(f->targets[0].skipped == PROBE_SKIP_NONE &&
		    f->targets[0].smtp != NULL, "  its result");
	}
	is_int(p->pending, 0, "nothing pending");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_del(p);
	sockets_free(pool);	/* aborts on a waiter left in line */
}

static void
test_cancel(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2", "127.0.0.3" },
		    0, 0 },
		{ "mx2.ex.test", { "127.0.0.1" }, 0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	struct sockets *pool = sockets_new(2);
	struct probe *p = probe_new(set, 2, pool);
	struct probe_facts *f = p->facts;
	int k, bad = 0, calls;

	diag("the deadline's cancel mid-way");
	p->cfg.old_mx = old;
	probe_smtp_old(p);
	probe_smtp_targets(p);
	ok(nstarted == 2 && p->runs[2].slot_wait && p->runs[3].queued,
	    "two sessions; one waits for a socket, one for its address");
	sess_end(0, SMTP_OK, 220, 0, 0, 0);	/* mx2 and 127.0.0.3 next */
	calls = done_calls;
	probe_smtp_cancel(p);
	for (k = 0; k < nstarted; k++)
		bad += sess[k].live;
	is_int(bad, 0, "every session cancelled");
	is_int(p->pending, 0, "nothing pending");
	is_int(done_calls, calls, "no probe_done_one from the cancel");
	ok(f->targets[0].smtp != NULL && f->targets[0].skipped ==
	    PROBE_SKIP_NONE, "the finished session's result stands");
	for (k = 1, bad = 0; k < 4; k++)
		bad += f->targets[k].skipped != PROBE_SKIP_DEADLINE ||
		    f->targets[k].smtp != NULL;
	is_int(bad, 0, "the others: skipped for the deadline");
	evloop_run(p->loop);
	is_int(done_calls, calls, "no answer counted after the cancel");
	ok(f->targets[1].ptr == NULL && f->targets[1].ptr_out == DNS_TIMEOUT,
	    "  the PTR left unknown");
	ok(f->nold == 1 && !f->old[0].resolved, "  the old host unresolved");
	is_int(p->nsess, 0, "no socket of the domain held");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_smtp_cancel(p);
	is_int(p->pending, 0, "a second cancel counts nothing twice");
	probe_del(p);
	sockets_free(pool);	/* aborts on a waiter left in line */
}

static void
test_cancel_old(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1" }, 0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	struct sockets *pool = sockets_new(2);
	struct probe *p = probe_new(set, 1, pool);
	int k, bad = 0;

	diag("the cancel with old sessions running and waiting");
	p->cfg.old_mx = old;
	probe_smtp_old(p);
	probe_smtp_targets(p);
	evloop_run(p->loop);
	ok(nstarted == 2 && p->oruns[0].sess[1].slot_wait &&
	    p->oruns[0].sess[2].slot_wait, "the target and one old address "
	    "connect; two old ones wait");
	probe_smtp_cancel(p);
	for (k = 0; k < nstarted; k++)
		bad += sess[k].live;
	is_int(bad, 0, "every session cancelled");
	is_int(p->pending, 0, "nothing pending");
	ok(!p->facts->old[0].decided[0] && !p->facts->old[0].probed[1],
	    "undecided, not probed");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_del(p);
	sockets_free(pool);
}

static void
test_inline(void)
{
	static const struct hdef set[] = {
		{ "mx1.ex.test", { "127.0.0.1", "127.0.0.2", "::1" }, 0, 0 },
	};
	static const char *old[] = { "old.ex.test", NULL };
	static const char *prop[] = { "other.ex.test", NULL };
	struct sockets *pool = sockets_new(1);
	struct probe *p = probe_new(set, 1, pool);
	struct probe_facts *f = p->facts;
	int k, n = 0;

	diag("answers inside dns_query(), a pool of one slot");
	dns_fake_inline(p->dns, 1);
	p->cfg.old_mx = old;
	p->cfg.prop_mx = prop;
	probe_smtp_old(p);
	ok(f->old[0].resolved && nstarted == 1 && strcmp(sess[0].host,
	    "old.ex.test") == 0, "the old host resolved and its first "
	    "session started inside probe_smtp_old");
	probe_smtp_targets(p);
	ok(f->targets[0].fcrdns && f->targets[2].fcrdns &&
	    f->targets[1].ptr != NULL && !f->targets[1].fcrdns, "the FCrDNS "
	    "facts in before probe_smtp_targets returned");
	ok(p->runs[0].slot_wait && p->runs[1].slot_wait &&
	    p->runs[2].slot_wait, "the targets wait for the slot");
	probe_smtp_prop(p, f->mx);
	ok(f->nold == 2 && f->old[1].resolved, "the other set's host "
	    "resolved inside probe_smtp_prop");
	while (nlive() > 0)
		for (k = 0; k < nstarted; k++)
			if (sess[k].live)
				sess_end(k, SMTP_OK, 220, 0, 0, 0);
	for (k = 0; k < nstarted; k++)
		n += strcmp(sess[k].host, "mx1.ex.test") == 0;
	is_int(n, 3, "the three targets' sessions, one after the other");
	is_int(nstarted, 3 + 3 + 2, "8 in all, with the old hosts' 5");
	evloop_run(p->loop);
	is_int(p->pending, 0, "nothing pending");
	is_int(sockets_used(pool), 0, "the pool empty");
	probe_del(p);
	sockets_free(pool);
}

int
main(void)
{
	test_targets();
	test_fcrdns_dns_only(0);
	test_fcrdns_dns_only(1);
	test_family();
	test_none();
	test_domain_bound();
	test_pool();
	test_prop();
	test_dane();
	test_no_fd();
	test_addr_cap(0);
	test_addr_cap(1);
	test_cancel();
	test_cancel_old();
	test_inline();
	return tap_done();
}
