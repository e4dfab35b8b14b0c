/*
 * t_probe - whole probes (probe.c: MX resolution, sender-policy records,
 * SMTP sessions, TLSA) over a fake resolver, once with answers delivered
 * from the event loop and once with every answer given inside
 * dns_query() itself (dns_fake_inline). The engines' rule (see
 * doc/internals.md): a start function may call back before it returns,
 * and every caller is safe for it. Run under AddressSanitizer in CI, a
 * use after free here is a crash, not a silent pass.
 *
 * The exchangers are loopback addresses on a port nothing listens on, so
 * SMTP sessions end at once with a refused connection (on Linux, inside
 * connect() itself for loopback): the session engine's own early
 * callback is exercised too.
 *
 * The --old-mx sessions take sockets of the run's pool as the domain's own
 * do: with a pool of one slot they wait in line (smtp_queued), each old
 * address is probed and decided, and every slot is back at the end, also
 * when the deadline cuts the probe short (sockets_free panics on a
 * waiter left in line); with the one slot held by another domain
 * throughout, no old session connects at all: the deadline finds them
 * waiting, not probed and undecided.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "probe/probe.h"
#include "probe/sockets.h"
#include "util/xalloc.h"
#include "fake_zone.h"
#include "tap.h"

static const struct zrr zone[] = {
	{ "ex.test", DNS_T_MX, "10 mx1.ex.test" },
	{ "ex.test", DNS_T_MX, "20 mx2.ex.test" },
	{ "ex.test", DNS_T_MX, "20 alias.ex.test" },
	{ "ex.test", DNS_T_TXT, "v=spf1 a mx include:spf.ex.test -all" },
	{ "spf.ex.test", DNS_T_TXT, "v=spf1 ip4:127.0.0.0/8 ~all" },
	{ "_dmarc.ex.test", DNS_T_TXT, "v=DMARC1; p=reject; "
	    "rua=mailto:d@ex.test" },
	{ "_smtp._tls.ex.test", DNS_T_TXT, "v=TLSRPTv1; "
	    "rua=mailto:t@ex.test" },
	{ "mx1.ex.test", DNS_T_A, "127.0.0.1" },
	{ "mx1.ex.test", DNS_T_AAAA, "::1" },
	{ "mx2.ex.test", DNS_T_A, "127.0.0.1" },
	{ "alias.ex.test", DNS_T_CNAME, "mx1.ex.test" },
	{ "old.ex.test", DNS_T_A, "127.0.0.2" },
	{ "old.ex.test", DNS_T_A, "127.0.0.3" },
	{ "old.ex.test", DNS_T_A, "127.0.0.4" },
	{ "old.ex.test", DNS_T_A, "127.0.0.5" },
	{ NULL, 0, NULL }
};

static unsigned long asked;

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs, size_t *n)
{
	const struct zrr *z, *c;
	int exists = 0;

	(void)arg;
	asked++;
	*rrs = NULL;
	*n = 0;
	for (z = zone; z->name != NULL; z++) {
		if (strcasecmp(z->name, name) != 0)
			continue;
		exists = 1;
		if (z->type == DNS_T_CNAME && type != DNS_T_CNAME) {
			/* The CNAME and what the target holds, as a
			 * recursive resolver answers. */
			zone_add(rrs, n, name, z);
			for (c = zone; c->name != NULL; c++)
				if (strcasecmp(c->name, z->value) == 0 &&
				    c->type == type)
					zone_add(rrs, n, c->name, c);
			return DNS_OK;
		}
		if (z->type == type)
			zone_add(rrs, n, name, z);
	}
	if (!exists)
		return DNS_NXDOMAIN;
	return *n ? DNS_OK : DNS_NODATA;
}

struct got {
	struct probe_facts	*f;
	int			 calls;
	int			 returned;	/* probe_start had returned */
};

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct got *g = arg;

	g->calls++;
	if (g->f != NULL)
		probe_facts_free(g->f);
	g->f = f;
}

/* A loopback port nothing listens on. */
static int
closed_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &sl) == -1)
		return 9;	/* discard: nothing runs it here */
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* The configuration every probe here starts from. */
static void
config_init(struct probe_config *cfg, unsigned deadline_ms)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->deadline_ms = deadline_ms;
	cfg->smtp_port = closed_port();
	cfg->step_ms = 2000;
	cfg->ehlo = "probe.ex.test";
	cfg->helo = "probe.ex.test";
	cfg->allow_loopback = 1;
	cfg->https_port = (unsigned)closed_port();
}

static void
run(int inl, int dns_only, unsigned deadline_ms, const char *domain)
{
	char label[128], msg[160];
	struct probe_config cfg;
	struct vantage v;
	struct evloop *loop;
	struct dns *dns;
	struct got g;
	size_t i, ntried = 0;

	snprintf(label, sizeof(label), "%s, %s, deadline %u ms, %s",
	    inl ? "inline answers" : "answers from the loop",
	    dns_only ? "--dns-only" : "SMTP refused", deadline_ms, domain);
	memset(&g, 0, sizeof(g));
	config_init(&cfg, deadline_ms);
	cfg.dns_only = dns_only;
	/* A host without a route anywhere (checked already: kept as it
	 * is): the loopback exchangers are tried all the same. */
	memset(&v, 0, sizeof(v));
	v.v4.route = v.v6.route = VANTAGE_NO_ROUTE;
	v.v4.sys_errno = v.v6.sys_errno = ENETUNREACH;
	cfg.vantage = &v;
	asked = 0;
	loop = evloop_new();
	dns = dns_new_fake(loop, fake, NULL);
	dns_fake_inline(dns, inl);
	probe_start(loop, dns, &cfg, domain, on_probe, &g);
	evloop_run(loop);
	snprintf(msg, sizeof(msg), "%s: one callback", label);
	is_int(g.calls, 1, msg);
	ok(g.f != NULL && g.f->domain != NULL &&
	    strcmp(g.f->domain, domain) == 0, "%s: facts for the domain",
	    label);
	if (g.f != NULL && strcmp(domain, "ex.test") == 0 &&
	    deadline_ms == 0) {
		ok(g.f->mx != NULL && g.f->mx->nhost == 3,
		    "%s: three exchangers", label);
		ok(g.f->auth != NULL, "%s: sender-policy facts", label);
		for (i = 0; i < g.f->ntargets; i++)
			if (g.f->targets[i].smtp != NULL)
				ntried++;
		if (dns_only)
			ok(!g.f->smtp_probed &&
			    g.f->vantage.v6.route == VANTAGE_NOT_CHECKED,
			    "%s: no SMTP, no vantage", label);
		else
			ok(g.f->smtp_probed && ntried > 0 &&
			    g.f->vantage.v6.route == VANTAGE_NO_ROUTE,
			    "%s: SMTP tried (%zu sessions) to loopback with no "
			    "route here, the vantage in the facts", label,
			    ntried);
		for (i = 0; i < g.f->ntargets; i++)
			if (probe_skip_no_route(g.f->targets[i].skipped))
				break;
		ok(i == g.f->ntargets, "%s: no loopback address counted "
		    "as without a route", label);
	}
	ok(asked > 0, "%s: the resolver was asked (%lu)", label, asked);
	if (g.f != NULL)
		probe_facts_free(g.f);
	dns_free(dns);
	evloop_free(loop);
}

/* --old-mx old.ex.test (four addresses) through a pool of one slot;
 * held: another domain holds that slot until the probe has ended. */
static void
run_pool(int inl, unsigned deadline_ms, int held)
{
	static const char *old[] = { "old.ex.test", NULL };
	char label[128];
	struct probe_config cfg;
	struct evloop *loop;
	struct dns *dns;
	struct sockets *pool;
	struct got g;
	size_t k, nprobed = 0, ndecided = 0;

	snprintf(label, sizeof(label), "--old-mx, one socket%s, %s, deadline "
	    "%u ms", held ? " held elsewhere" : "", inl ? "inline answers" :
	    "answers from the loop", deadline_ms);
	memset(&g, 0, sizeof(g));
	config_init(&cfg, deadline_ms);
	cfg.old_mx = old;
	pool = sockets_new(1);
	if (held && !sockets_take(pool))
		abort();
	cfg.sockets = pool;
	loop = evloop_new();
	dns = dns_new_fake(loop, fake, NULL);
	dns_fake_inline(dns, inl);
	probe_start(loop, dns, &cfg, "ex.test", on_probe, &g);
	evloop_run(loop);
	ok(g.calls == 1, "%s: one callback", label);
	if (held)
		sockets_give(pool);
	ok(sockets_used(pool) == 0, "%s: every slot given back (%u held)",
	    label, sockets_used(pool));
	if (g.f != NULL && g.f->nold == 1 && g.f->old[0].probed != NULL) {
		for (k = 0; k < g.f->old[0].naddr; k++) {
			nprobed += g.f->old[0].probed[k] != 0;
			ndecided += g.f->old[0].decided[k] != 0;
		}
	}
	if (held)
		ok(g.f != NULL && g.f->nold == 1 && g.f->old[0].naddr == 4 &&
		    nprobed == 0 && ndecided == 0, "%s: no old session "
		    "without a socket (%zu probed, %zu decided)", label,
		    nprobed, ndecided);
	else if (deadline_ms == 0) {
		ok(g.f != NULL && g.f->nold == 1 && g.f->old[0].naddr == 4 &&
		    nprobed == 4 && ndecided == 4, "%s: the 4 old addresses "
		    "probed and decided (%zu, %zu)", label, nprobed,
		    ndecided);
		/* Every answer inside dns_query(): all sessions ask for
		 * the slot before any ends, so the old ones queue. */
		if (inl)
			ok(g.f != NULL && g.f->smtp_queued >= 4, "%s: the old "
			    "sessions waited for the slot (%lu queued)", label,
			    g.f != NULL ? g.f->smtp_queued : 0);
	}
	if (g.f != NULL)
		probe_facts_free(g.f);
	dns_free(dns);
	evloop_free(loop);
	sockets_free(pool);
}

int
main(void)
{
	static const char *domains[] = { "ex.test", "missing.test", NULL };
	static const unsigned deadlines[] = { 0, 1, 5000 };
	size_t d, t;
	int inl, dns_only;

	for (inl = 0; inl <= 1; inl++)
		for (dns_only = 0; dns_only <= 1; dns_only++)
			for (d = 0; domains[d] != NULL; d++)
				for (t = 0; t < sizeof(deadlines) /
				    sizeof(deadlines[0]); t++)
					run(inl, dns_only, deadlines[t],
					    domains[d]);
	for (inl = 0; inl <= 1; inl++)
		for (t = 0; t < sizeof(deadlines) / sizeof(deadlines[0]); t++)
			run_pool(inl, deadlines[t], 0);
	for (inl = 0; inl <= 1; inl++)
		run_pool(inl, 300, 1);
	return tap_done();
}
