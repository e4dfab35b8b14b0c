/*
 * analyze_smtp - judge the SMTP probe: reachability of every exchanger,
 * where mail goes now and under an assumed outage (RFC 5321 §5.1),
 * backup parity and transport security (RFC 3207, RFC 6125, RFC 8996).
 * Pure: reads facts, writes findings.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/addr.h"
#include "analyze/analyze.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"
#include "util/dname.h"

/* A sender could hand over mail here: greeted, and EHLO or HELO taken. */
int
analyze_target_answers(const struct probe_target *t)
{
	const struct smtp_result *r = t->smtp;

	if (r == NULL)
		return 0;
	switch (r->outcome) {
	case SMTP_OK:
	case SMTP_STARTTLS_NOT_OFFERED:
	case SMTP_STARTTLS_REJECTED:
	case SMTP_TLS_FAILED:
		/* Opportunistic senders retry in clear after a TLS failure
		 * (RFC 3207 §4.1 leaves it to them; Postfix and Exim do). */
		return 1;
	default:
		return 0;
	}
}

/*
 * Temporarily refusing: a 4xx greeting or a reset right after connect.
 * Rate limiting and greylisting look like this; it is not "down".
 */
int
analyze_target_tempfail(const struct probe_target *t)
{
	const struct smtp_result *r = t->smtp;

	return r != NULL && (r->outcome == SMTP_BANNER_TEMPFAIL ||
	    (r->outcome == SMTP_DROPPED && r->reset_after_connect));
}

static int
host_tempfails(const struct probe_facts *f, size_t h)
{
	size_t i;

	for (i = 0; i < f->ntargets; i++)
		if (f->targets[i].host == h &&
		    analyze_target_tempfail(&f->targets[i]))
			return 1;
	return 0;
}

/* 1 answers, 0 does not, -1 not probed (or only skipped addresses). */
int
analyze_host_answers(const struct probe_facts *f, size_t h)
{
	size_t i;
	int probed = 0;

	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].host != h || f->targets[i].smtp == NULL)
			continue;
		probed = 1;
		if (analyze_target_answers(&f->targets[i]))
			return 1;
	}
	return probed ? 0 : -1;
}

int
analyze_assumed_down(const struct probe_facts *f, const char *host)
{
	return dname_in_list(f->assume_down, host);
}

/*
 * The exchanger a sender delivers to: the first that answers, in
 * preference order, skipping the assumed-down ones. Returns its index,
 * or -1.
 */
long
analyze_delivery_host(const struct probe_facts *f, int honour_assume)
{
	const struct mx_set *mx = f->mx;
	size_t h;

	for (h = 0; h < mx->nhost; h++) {
		if (honour_assume && analyze_assumed_down(f, mx->hosts[h].name))
			continue;
		if (analyze_host_answers(f, h) == 1)
			return (long)h;
	}
	return -1;
}

static void
subject(const struct probe_facts *f, const struct probe_target *t,
    char *out, size_t len)
{
	const struct mx_host *h = &f->mx->hosts[t->host];

	snprintf(out, len, "%s[%s]", h->name, h->addrs[t->addr].text);
}

static void
target_findings(const struct probe_facts *f, const struct probe_target *t,
    struct findings *fs)
{
	const struct smtp_result *r = t->smtp;
	const struct mx_host *h = &f->mx->hosts[t->host];
	char s[600];
	const char *why = r->why && r->why[0] ? r->why : NULL;

	subject(f, t, s, sizeof(s));
	switch (r->outcome) {
	case SMTP_REFUSED:
	case SMTP_CONNECT_TIMEOUT:
	case SMTP_NETWORK_ERROR:
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: %s%s%s.", s,
		    smtp_outcome_describe(r->outcome), why ? ": " : "",
		    why ? why : "");
		break;
	case SMTP_NO_BANNER:
		findings_add(fs, F_SMTP_TARPIT, s, "%s accepted the "
		    "connection but sent no greeting within %ld ms.", s,
		    r->ms.total_ms);
		break;
	case SMTP_BANNER_TEMPFAIL:
		findings_add(fs, F_SMTP_TEMPFAIL, s, "%s greets with %d: it "
		    "is temporarily refusing (rate limiting or greylisting), "
		    "not down.", s, r->banner.code);
		break;
	case SMTP_BANNER_PERMFAIL:
		findings_add(fs, F_SMTP_BANNER_REJECT, s, "%s greets with %d "
		    "(%s): it refuses service.", s, r->banner.code,
		    r->banner.ntext ? r->banner.text[0] : "");
		break;
	case SMTP_EHLO_REJECTED:
		findings_add(fs, F_SMTP_EHLO_REJECTED, s, "%s rejects EHLO%s "
		    "(%d).", s, r->helo_fallback ? " and HELO" : "",
		    r->reject.code ? r->reject.code : r->ehlo_reject.code);
		break;
	case SMTP_PROTOCOL_ERROR:
		findings_add(fs, F_SMTP_PROTOCOL_ERROR, s, "%s: %s.", s,
		    why ? why : "malformed reply");
		break;
	case SMTP_DROPPED:
		if (r->reset_after_connect)
			findings_add(fs, F_SMTP_TEMPFAIL, s, "%s reset the "
			    "connection right after accepting it: "
			    "temporarily refusing (rate limiting or "
			    "greylisting), not down.", s);
		else
			findings_add(fs, F_SMTP_DROPPED, s, "%s closed the "
			    "connection during %s%s%s.", s,
			    smtp_step_name(r->step), why ? ": " : "",
			    why ? why : "");
		break;
	case SMTP_TIMEOUT:
		findings_add(fs, F_SMTP_TIMEOUT, s, "%s stopped answering "
		    "during %s.", s, smtp_step_name(r->step));
		break;
	default:
		break;
	}
	if (t->ptr_out == DNS_NXDOMAIN || t->ptr_out == DNS_NODATA)
		findings_add(fs, F_SMTP_NO_FCRDNS, s, "%s has no PTR record.",
		    s);
	else if (t->ptr_out == DNS_OK && t->ptr != NULL && !t->fcrdns)
		findings_add(fs, F_SMTP_NO_FCRDNS, s, "The PTR of %s names %s, "
		    "which does not resolve back to the address.", s, t->ptr);
	if (r->helo_fallback && r->helo_ok)
		findings_add(fs, F_SMTP_HELO_ONLY, s, "%s rejects EHLO and "
		    "accepts only HELO.", s);
	if (r->banner.code == 220 && r->banner_host != NULL &&
	    !dname_equal(r->banner_host, h->name) &&
	    (t->ptr == NULL || !dname_equal(r->banner_host, t->ptr)))
		findings_add(fs, F_SMTP_BANNER_NAME_MISMATCH, s, "%s calls "
		    "itself %s in its banner; its MX name is %s%s%s.", s,
		    r->banner_host, h->name, t->ptr ? " and its PTR " : "",
		    t->ptr ? t->ptr : "");
}

static void
tls_findings(const struct probe_facts *f, const struct probe_target *t,
    struct findings *fs)
{
	const struct smtp_result *r = t->smtp;
	const struct tls_facts *tf = &r->tls;
	const struct mx_host *h = &f->mx->hosts[t->host];
	char s[600];
	int expired;

	if (!analyze_target_answers(t))
		return;
	subject(f, t, s, sizeof(s));
	if (r->outcome == SMTP_STARTTLS_NOT_OFFERED) {
		findings_add(fs, F_TLS_NO_STARTTLS, s, "%s does not offer "
		    "STARTTLS%s: mail to it travels in clear.", s,
		    r->helo_fallback ? " (it speaks only HELO)" : "");
		return;
	}
	if (r->outcome == SMTP_STARTTLS_REJECTED) {
		findings_add(fs, F_TLS_STARTTLS_REJECTED, s, "%s offers "
		    "STARTTLS but answers it with %d.", s, r->starttls_code);
		return;
	}
	if (r->outcome == SMTP_TLS_FAILED) {
		findings_add(fs, F_TLS_HANDSHAKE_FAILED, s, "The TLS "
		    "handshake with %s fails: %s. Most senders then deliver "
		    "in clear; MTA-STS and DANE senders defer.", s,
		    r->why && r->why[0] ? r->why : "no reason given");
		return;
	}
	if (!r->tls_done)
		return;
	expired = tf->nchain > 0 && tf->chain[0].days_left < 0;
	if (expired)
		findings_add(fs, F_TLS_CERT_EXPIRED, s, "The certificate of "
		    "%s expired on %s. Opportunistic senders still deliver "
		    "over TLS; MTA-STS and DANE senders will not.", s,
		    tf->chain[0].not_after);
	else if (!tf->verify_ok)
		findings_add(fs, F_TLS_CERT_UNTRUSTED, s, "The certificate of "
		    "%s does not verify: %s. Opportunistic senders still "
		    "deliver over TLS; MTA-STS senders will not.", s,
		    tf->verify_error_str ? tf->verify_error_str : "unknown");
	if (!tf->name_ok)
		findings_add(fs, F_TLS_CERT_NAME_MISMATCH, s, "The "
		    "certificate of %s is not valid for %s (it names %s).", s,
		    h->name, tf->nchain > 0 && tf->chain[0].nsan_dns > 0 ?
		    tf->chain[0].san_dns[0] : tf->nchain > 0 ?
		    tf->chain[0].subject : "nothing");
	if (!expired && tf->nchain > 0 && tf->chain[0].days_left < 14)
		findings_add(fs, F_TLS_CERT_EXPIRES_SOON, s, "The certificate "
		    "of %s expires in %ld day(s), on %s.", s,
		    tf->chain[0].days_left, tf->chain[0].not_after);
	if (tf->version != NULL && (strcmp(tf->version, "TLSv1") == 0 ||
	    strcmp(tf->version, "TLSv1.1") == 0 ||
	    strncmp(tf->version, "SSL", 3) == 0))
		findings_add(fs, F_TLS_OLD_VERSION, s, "%s negotiates %s.", s,
		    tf->version);
}

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

static void
network_spread(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	const struct mx_addr *first = NULL;
	size_t h, k, total = 0, nhosts = 0;
	int same = 1;

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

void
analyze_smtp(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	size_t i, h, probed = 0, timeouts = 0, answering = 0, tempfail = 0;
	long now, assumed;
	int primary_up, a, ok_in_group, bad_in_group;
	unsigned g, gpref;

	if (mx == NULL || mx->nhost == 0 || (mx->null_mx &&
	    mx->nnull == mx->nhost))
		return;
	network_spread(f, fs);
	if (!f->smtp_probed)
		return;
	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].smtp == NULL)
			continue;
		probed++;
		if (f->targets[i].smtp->outcome == SMTP_CONNECT_TIMEOUT)
			timeouts++;
		if (analyze_target_answers(&f->targets[i]))
			answering++;
		if (analyze_target_tempfail(&f->targets[i]))
			tempfail++;
	}
	if (probed == 0)
		return;
	if (timeouts == probed) {
		/* Every address of every exchanger timed out at connect: the
		 * classic sign of outbound port 25 blocked on this side. No
		 * verdict about the domain. */
		findings_add(fs, F_SMTP_PORT25_BLOCKED, mx->domain,
		    "All %zu exchanger address(es) of %s timed out at "
		    "connect. That is what a network blocking outbound port "
		    "25 looks like; the domain may be fine.", probed,
		    mx->domain);
		return;
	}
	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].smtp == NULL)
			continue;
		h = f->targets[i].host;
		/* A dead backup is a fallback problem, said once below. */
		if (mx->hosts[h].group == 0 || analyze_host_answers(f, h) == 1 ||
		    host_tempfails(f, h))
			target_findings(f, &f->targets[i], fs);
		tls_findings(f, &f->targets[i], fs);
	}
	if (answering == 0 && tempfail > 0)
		return;		/* the SMTP_TEMPFAIL findings say it all */
	if (answering == 0) {
		findings_add(fs, F_SMTP_NONE_ANSWERS, mx->domain,
		    "None of the exchangers of %s answers: mail to it is "
		    "queued by senders and bounces after some days.",
		    mx->domain);
		return;
	}
	now = analyze_delivery_host(f, 0);
	primary_up = 0;
	for (h = 0; h < mx->nhost; h++)
		if (mx->hosts[h].group == 0 && analyze_host_answers(f, h) == 1)
			primary_up = 1;
	for (h = 0; h < mx->nhost; h++)
		if (mx->hosts[h].group == 0 && host_tempfails(f, h))
			primary_up = 1;	/* refusing for now, not down */
	if (!primary_up && now >= 0)
		findings_add(fs, F_SMTP_PRIMARY_DOWN, mx->domain,
		    "No exchanger of the most preferred group answers; mail "
		    "flows through the backup %s now.", mx->hosts[now].name);
	for (h = 0; h < mx->nhost; h++)
		if (mx->hosts[h].group > 0 && analyze_host_answers(f, h) == 0 &&
		    !host_tempfails(f, h))
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
		if (assumed < 0)
			findings_add(fs, F_FAILOVER_NO_TAKEOVER, mx->domain,
			    "With %s%s down, no other exchanger of %s would "
			    "take the mail.", f->assume_down[0],
			    f->assume_down[1] ? " and the others assumed" : "",
			    mx->domain);
	}
}
