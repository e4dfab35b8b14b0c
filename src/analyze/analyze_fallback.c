/*
 * analyze_fallback - judge what happens when an exchanger is away: the
 * backups that do not answer or offer less than the primary, groups of
 * equal preference and unequal health, one exchanger or one network for
 * all (RFC 5321 §5.1), and the --assume-down rehearsal (FALLBACK_*,
 * FAILOVER_*, ASSUME_*). Pure: reads facts, writes findings; see
 * analyze.h.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "util/dname.h"
#include "util/addr.h"
#include "analyze/analyze.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"

/* The best-answering target of a host, for parity comparisons. */
static const struct probe_target *
best_target(const struct probe_facts *f, size_t h)
{
	size_t i;
	const struct probe_target *best = NULL;

	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].host != h ||
		    !analyze_target_answers(&f->targets[i]))
			continue;
		if (best == NULL || (f->targets[i].smtp->tls_done &&
		    !best->smtp->tls_done))
			best = &f->targets[i];
	}
	return best;
}

static int
tls_rank(const char *v)
{
	if (v == NULL)
		return 0;
	if (strcmp(v, "TLSv1.3") == 0)
		return 4;
	if (strcmp(v, "TLSv1.2") == 0)
		return 3;
	if (strcmp(v, "TLSv1.1") == 0)
		return 2;
	return 1;
}

static int
has_family(const struct mx_host *h, int family)
{
	size_t i;

	for (i = 0; i < h->naddr; i++)
		if (h->addrs[i].family == family)
			return 1;
	return 0;
}

/* Compare each answering backup with the answering primary. */
static void
parity(const struct probe_facts *f, size_t ph, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	const struct probe_target *p = best_target(f, ph), *b;
	const struct smtp_ehlo *pe, *be;
	const char *bn;
	size_t h;

	if (p == NULL)
		return;
	pe = p->smtp->tls_done ? &p->smtp->ehlo_tls : &p->smtp->ehlo;
	for (h = 0; h < mx->nhost; h++) {
		if (mx->hosts[h].group <= mx->hosts[ph].group ||
		    (b = best_target(f, h)) == NULL)
			continue;
		bn = mx->hosts[h].name;
		be = b->smtp->tls_done ? &b->smtp->ehlo_tls : &b->smtp->ehlo;
		if (p->smtp->starttls_offered && !b->smtp->starttls_offered) {
			findings_add(fs, F_FALLBACK_BACKUP_NO_STARTTLS, bn,
			    "The primary %s offers STARTTLS, the backup %s "
			    "does not: blocking the primary forces mail to "
			    "the backup in clear.", mx->hosts[ph].name, bn);
			continue;
		}
		if (p->smtp->tls_done && b->smtp->tls_done) {
			if (p->smtp->tls.verify_ok && !b->smtp->tls.verify_ok)
				findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
				    "The backup %s has a certificate that "
				    "does not verify (%s); the primary's "
				    "does.", bn,
				    b->smtp->tls.verify_error_str);
			if (p->smtp->tls.name_ok && !b->smtp->tls.name_ok)
				findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
				    "The backup %s's certificate does not "
				    "match its name; the primary's does.", bn);
			if (tls_rank(b->smtp->tls.version) <
			    tls_rank(p->smtp->tls.version))
				findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
				    "The backup %s negotiates %s, the "
				    "primary %s.", bn, b->smtp->tls.version,
				    p->smtp->tls.version);
		} else if (p->smtp->tls_done && !b->smtp->tls_done)
			findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
			    "TLS works with the primary but not with the "
			    "backup %s.", bn);
		if (pe->ext[SMTP_EXT_SIZE] && pe->size > 0 &&
		    be->ext[SMTP_EXT_SIZE] && be->size > 0 &&
		    be->size < pe->size)
			findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
			    "The backup %s takes messages up to %llu octets, "
			    "the primary up to %llu: large mail bounces when "
			    "the primary is down.", bn, be->size, pe->size);
		if (pe->ext[SMTP_EXT_SMTPUTF8] && !be->ext[SMTP_EXT_SMTPUTF8])
			findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
			    "The backup %s lacks SMTPUTF8, which the primary "
			    "offers: internationalized addresses bounce "
			    "there.", bn);
		if (pe->ext[SMTP_EXT_8BITMIME] && !be->ext[SMTP_EXT_8BITMIME])
			findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
			    "The backup %s lacks 8BITMIME, which the primary "
			    "offers.", bn);
		if (has_family(&mx->hosts[ph], AF_INET6) &&
		    !has_family(&mx->hosts[h], AF_INET6))
			findings_add(fs, F_FALLBACK_BACKUP_WEAKER, bn,
			    "The primary has an IPv6 address, the backup %s "
			    "does not: IPv6-only senders have no fallback.",
			    bn);
	}
}

void
analyze_fallback_spread(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	const struct mx_addr *first = NULL;
	size_t h, k, total = 0, nhosts = 0;
	int same = 1;

	if (findings_has(fs, F_MX_NO_REDUNDANCY))
		return;		/* one server under several records: said */
	for (h = 0; h < mx->nhost; h++) {
		if (mx->hosts[h].ip_literal || strcmp(mx->hosts[h].name, ".")
		    == 0 || mx->hosts[h].naddr == 0)
			continue;
		nhosts++;
		for (k = 0; k < mx->hosts[h].naddr; k++) {
			const struct mx_addr *a = &mx->hosts[h].addrs[k];

			total++;
			if (first == NULL)
				first = a;
			else if (a->family != first->family ||
			    !addr_same_net(a->family, a->addr, first->addr))
				same = 0;
		}
	}
	if (total == 1)
		findings_add(fs, F_FALLBACK_SINGLE_EXCHANGER, mx->domain,
		    "%s has one exchanger on one address (%s): no fallback.",
		    mx->domain, first->text);
	else if (total > 1 && same && nhosts > 1)
		findings_add(fs, F_FALLBACK_SAME_NETWORK, mx->domain,
		    "All %zu addresses of the exchangers of %s are in one "
		    "%s network (%s).", total, mx->domain,
		    first->family == AF_INET ? "/24" : "/48", first->text);
}

/*
 * The first exchanger not assumed down whose every address this host has
 * no route to (not tested from here), or mx->nhost.
 */
static size_t
untested_other(const struct probe_facts *f)
{
	size_t h, i;
	int unrouted, routed;

	for (h = 0; h < f->mx->nhost; h++) {
		if (analyze_assumed_down(f, f->mx->hosts[h].name))
			continue;
		unrouted = routed = 0;
		for (i = 0; i < f->ntargets; i++)
			if (f->targets[i].host == h) {
				if (analyze_target_no_route(&f->targets[i]))
					unrouted = 1;
				else
					routed = 1;
			}
		if (unrouted && !routed)
			return h;
	}
	return h;
}

void
analyze_fallback(const struct probe_facts *f, long now, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	size_t i, h;
	long assumed;
	int a, ok_in_group, bad_in_group;
	unsigned g, gpref;

	for (h = 0; h < mx->nhost; h++)
		if (mx->hosts[h].group > 0 && analyze_host_answers(f, h) == 0 &&
		    !analyze_host_tempfails(f, h))
			findings_add(fs, F_FALLBACK_BACKUP_DOWN,
			    mx->hosts[h].name, "The backup exchanger %s "
			    "(preference %u) does not answer.",
			    mx->hosts[h].name, mx->hosts[h].pref);
	/* Equal preferences of unequal health. */
	for (g = 0; mx->nhost > 0 && g <= mx->hosts[mx->nhost - 1].group;
	    g++) {
		ok_in_group = bad_in_group = 0;
		gpref = 0;
		for (h = 0; h < mx->nhost; h++) {
			if (mx->hosts[h].group != g)
				continue;
			gpref = mx->hosts[h].pref;
			a = analyze_host_answers(f, h);
			if (a == 1)
				ok_in_group++;
			else if (a == 0)
				bad_in_group++;
		}
		if (ok_in_group > 0 && bad_in_group > 0)
			findings_add(fs, F_FALLBACK_GROUP_UNEQUAL, mx->domain,
			    "Of the exchangers with preference %u, %d answer "
			    "and %d do not; senders pick among them at "
			    "random.", gpref, ok_in_group,
			    bad_in_group);
	}
	if (now >= 0)
		parity(f, (size_t)now, fs);
	for (i = 0; f->assume_down != NULL && f->assume_down[i] != NULL; i++) {
		for (h = 0; h < mx->nhost; h++)
			if (dname_equal(mx->hosts[h].name,
			    f->assume_down[i]))
				break;
		if (h == mx->nhost)
			findings_add(fs, F_ASSUME_DOWN_NOT_MX,
			    f->assume_down[i], "--assume-down %s names no "
			    "exchanger of %s; the rehearsal ignores it.",
			    f->assume_down[i], mx->domain);
	}
	if (f->assume_down != NULL && f->assume_down[0] != NULL) {
		assumed = analyze_delivery_host(f, 1);
		if (assumed < 0 && (h = untested_other(f)) < mx->nhost)
			/* An exchanger left could not be tested from here:
			 * whether it would take over is not known. */
			findings_add(fs, F_SMTP_UNTESTED_HERE,
			    f->assume_down[0], "With %s down, no exchanger of "
			    "%s that this host could test would take the mail; "
			    "%s could not be tested from here (this host has no "
			    "route to its addresses): whether it would take over "
			    "is not known.", f->assume_down[0], mx->domain,
			    mx->hosts[h].name);
		else if (assumed < 0 && f->assume_down[1] != NULL)
			findings_add(fs, F_FAILOVER_NO_TAKEOVER, mx->domain,
			    "With %s and the others assumed down, no other "
			    "exchanger of %s would take the mail.",
			    f->assume_down[0], mx->domain);
		else if (assumed < 0)
			findings_add(fs, F_FAILOVER_NO_TAKEOVER, mx->domain,
			    "With %s down, no other exchanger of %s would take "
			    "the mail.", f->assume_down[0], mx->domain);
	}
}
