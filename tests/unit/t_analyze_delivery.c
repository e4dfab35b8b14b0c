/*
 * Unit tests for src/analyze/analyze_delivery.c: the delivery model over
 * constructed facts, every class of sender against every kind of
 * failure of an exchanger.
 *
 * An exchanger is written "GS[flags]": G its preference group (0 most
 * preferred), S its state (A accepts, T tempfail, R refuses, D down,
 * U unknown), flags p (certificate valid for its name), s (named by the
 * MTA-STS policy), d (signed TLSA, handshake matched), x (signed TLSA,
 * no match). Exchangers are separated by spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_delivery.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "util/xalloc.h"
#include "tap.h"

struct tcase {
	const char	*name;
	const char	*mx;
	int		 sts, dane;
	/* per class: outcome now, receivers now ("" none), and the
	 * outcome with exchanger 0 down; NULL: class does not apply */
	const char	*opp, *opp_rx, *opp_after0;
	const char	*sts_now, *sts_rx;
	const char	*dane_now, *dane_rx;
	const char	*verdict;
};

static const struct tcase cases[] = {
	{ "healthy pair", "0Aps 1Aps", 1, 0,
	  "delivered", "0", "delivered", "delivered", "0", NULL, NULL,
	  "healthy" },
	{ "single exchanger: one failure ends delivery", "0Ap", 0, 0,
	  "delivered", "0", "bounced", NULL, NULL, NULL, NULL, "healthy" },
	{ "equal preference: load sharing, both receive", "0Ap 0Ap", 0, 0,
	  "delivered", "01", "delivered", NULL, NULL, NULL, NULL,
	  "healthy" },
	{ "equal preference, one down: the other receives", "0Ap 0D", 0, 0,
	  "delivered", "0", "bounced", NULL, NULL, NULL, NULL, "degraded" },
	{ "backup down", "0Ap 1D", 0, 0,
	  "delivered", "0", "bounced", NULL, NULL, NULL, NULL, "degraded" },
	{ "primary down: the backup receives", "0D 1Ap", 0, 0,
	  "delivered", "1", "delivered", NULL, NULL, NULL, NULL,
	  "degraded" },
	{ "primary refuses for now: the backup receives", "0T 1Ap", 0, 0,
	  "delivered", "1", "delivered", NULL, NULL, NULL, NULL,
	  "degraded" },
	{ "only exchanger refuses for now: deferred", "0T", 0, 0,
	  "deferred", "", "bounced", NULL, NULL, NULL, NULL, "degraded" },
	{ "only exchanger down: bounced", "0D", 0, 0,
	  "bounced", "", "bounced", NULL, NULL, NULL, NULL, "outage" },
	{ "only exchanger refuses for good: bounced", "0R", 0, 0,
	  "bounced", "", "bounced", NULL, NULL, NULL, NULL, "outage" },
	{ "deadline cut the only exchanger short: unknown", "0U", 0, 0,
	  "unknown", "", "bounced", NULL, NULL, NULL, NULL, "unknown" },
	{ "one unfinished, one healthy: delivered, no degradation",
	  "0Ap 1U", 0, 0,
	  "delivered", "0", "unknown", NULL, NULL, NULL, NULL, "healthy" },
	{ "five exchangers, three healthy", "0Ap 1Ap 2D 3Ap 4D", 0, 0,
	  "delivered", "0", "delivered", NULL, NULL, NULL, NULL,
	  "degraded" },
	{ "MTA-STS: certificate invalid everywhere: held", "0As 1As", 1, 0,
	  "delivered", "0", "delivered", "held", "", NULL, NULL, "outage" },
	{ "MTA-STS: primary not named: the backup receives", "0Ap 1Aps", 1, 0,
	  "delivered", "0", "delivered", "delivered", "1", NULL, NULL,
	  "degraded" },
	{ "MTA-STS: primary refuses for now, backup invalid: deferred",
	  "0Tps 1As", 1, 0,
	  "delivered", "1", "delivered", "deferred", "", NULL, NULL,
	  "degraded" },
	{ "MTA-STS: nothing answers: bounced", "0Dps", 1, 0,
	  "bounced", "", "bounced", "bounced", "", NULL, NULL, "outage" },
	{ "DANE: match", "0Apd 1Apd", 0, 1,
	  "delivered", "0", "delivered", NULL, NULL, "delivered", "0",
	  "healthy" },
	{ "DANE: mismatch on the only exchanger: held", "0Apx", 0, 1,
	  "delivered", "0", "bounced", NULL, NULL, "held", "", "outage" },
	{ "DANE: primary mismatch, backup without TLSA receives",
	  "0Apx 1Ap", 0, 1,
	  "delivered", "0", "delivered", NULL, NULL, "delivered", "1",
	  "degraded" },
	{ "DANE: primary down, backup matches", "0Dd 1Apd", 0, 1,
	  "delivered", "1", "delivered", NULL, NULL, "delivered", "1",
	  "degraded" },
	{ "DANE and MTA-STS: both applied, both fine", "0Apsd", 1, 1,
	  "delivered", "0", "bounced", "delivered", "0", "delivered", "0",
	  "healthy" },
};

static struct delivery_mx *
parse_mx(const char *spec, size_t *n)
{
	struct delivery_mx *mx = xcalloc(16, sizeof(*mx));
	static char names[16][8];
	const char *p = spec;

	*n = 0;
	while (*p) {
		struct delivery_mx *m = &mx[*n];

		snprintf(names[*n], sizeof(names[*n]), "mx%zu", *n);
		m->name = names[*n];
		m->group = (unsigned)(*p++ - '0');
		switch (*p++) {
		case 'A': m->state = DELIVERY_MX_ACCEPTS; break;
		case 'T': m->state = DELIVERY_MX_TEMPFAIL; break;
		case 'R': m->state = DELIVERY_MX_REFUSES; break;
		case 'D': m->state = DELIVERY_MX_DOWN; break;
		default: m->state = DELIVERY_MX_UNKNOWN; break;
		}
		m->dane = -1;
		for (; *p && *p != ' '; p++)
			switch (*p) {
			case 'p': m->tls_pkix = 1; break;
			case 's': m->sts_covered = 1; break;
			case 'd': m->dane = 1; break;
			case 'x': m->dane = 0; break;
			}
		while (*p == ' ')
			p++;
		(*n)++;
	}
	return mx;
}

static void
receivers(const struct delivery_path *p, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (p->receives[i])
			out[k++] = (char)('0' + i);
	out[k] = '\0';
}

static void
check_class(const struct tcase *c, const struct delivery *d,
    enum delivery_sender s, const char *now, const char *rx)
{
	char got[32], name[256];

	snprintf(name, sizeof(name), "%s: %s applies", c->name,
	    delivery_sender_name(s));
	is_int(d->cls[s].applies, now != NULL, name);
	if (now == NULL || !d->cls[s].applies)
		return;
	snprintf(name, sizeof(name), "%s: %s now", c->name,
	    delivery_sender_name(s));
	is_str(delivery_outcome_name(d->cls[s].now.outcome), now, name);
	receivers(&d->cls[s].now, d->nmx, got);
	snprintf(name, sizeof(name), "%s: %s receivers", c->name,
	    delivery_sender_name(s));
	is_str(got, rx, name);
}

/*
 * An address not probed: which skip reasons make it a down exchanger (no
 * sender can use it: not routable, a CDN edge) and which leave it
 * unknown (not tried from here). Every reason of the enum is held to one
 * answer, so a new reason must be placed.
 */
static void
test_skipped(void)
{
	static const struct {
		enum probe_skip			 skip;
		enum delivery_mx_state		 want;
	} sk[] = {
		{ PROBE_SKIP_NONE, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_UNROUTABLE, DELIVERY_MX_DOWN },
		{ PROBE_SKIP_DNS_ONLY, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_FAMILY_4, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_FAMILY_6, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_CDN, DELIVERY_MX_DOWN },
		{ PROBE_SKIP_DEADLINE, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_NO_FD, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_NO_ROUTE_4, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_NO_ROUTE_6, DELIVERY_MX_UNKNOWN },
		{ PROBE_SKIP_ADDR_CAP, DELIVERY_MX_UNKNOWN },
	};
	struct mx_host host;
	struct mx_set mx;
	struct probe_target t;
	struct probe_facts f;
	struct delivery_facts df;
	char name[128];
	size_t i;

	is_int((int)(sizeof(sk) / sizeof(sk[0])), PROBE_SKIP_COUNT,
	    "skipped: every reason is placed");
	for (i = 0; i < sizeof(sk) / sizeof(sk[0]); i++) {
		memset(&host, 0, sizeof(host));
		memset(&mx, 0, sizeof(mx));
		memset(&t, 0, sizeof(t));
		memset(&f, 0, sizeof(f));
		host.name = (char *)"mx.ex.test";
		mx.domain = (char *)"ex.test";
		mx.hosts = &host;
		mx.nhost = 1;
		t.skipped = sk[i].skip;
		f.mx = &mx;
		f.targets = &t;
		f.ntargets = 1;
		f.smtp_probed = 1;
		snprintf(name, sizeof(name),
		    "skipped (%s): the exchanger is %s",
		    sk[i].skip == PROBE_SKIP_NONE ? "unfinished" :
		    probe_skip_name(sk[i].skip),
		    sk[i].want == DELIVERY_MX_DOWN ? "down" : "unknown");
		if (!ok(analyze_delivery_facts(&f, &df), "%s: facts", name))
			continue;
		is_int(df.mx[0].state, sk[i].want, name);
		analyze_delivery_facts_free(&df);
	}
}

int
main(void)
{
	struct delivery_facts df;
	struct delivery d;
	size_t i;
	char name[256];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];

		memset(&df, 0, sizeof(df));
		df.mx = parse_mx(c->mx, &df.nmx);
		df.sts_enforce = c->sts;
		df.dane = c->dane;
		delivery_model(&df, &d);
		check_class(c, &d, DELIVERY_OPPORTUNISTIC, c->opp, c->opp_rx);
		check_class(c, &d, DELIVERY_MTASTS, c->sts_now, c->sts_rx);
		check_class(c, &d, DELIVERY_DANE, c->dane_now, c->dane_rx);
		snprintf(name, sizeof(name), "%s: with mx0 down",
		    c->name);
		is_str(delivery_outcome_name(
		    d.cls[DELIVERY_OPPORTUNISTIC].after[0].outcome),
		    c->opp_after0, name);
		snprintf(name, sizeof(name), "%s: verdict", c->name);
		is_str(delivery_verdict_name(d.verdict), c->verdict, name);
		delivery_free(&d);
		free(df.mx);
	}
	test_skipped();
	return tap_done();
}
