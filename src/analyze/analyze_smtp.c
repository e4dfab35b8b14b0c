/*
 * analyze_smtp - judge the SMTP probe: reachability of every exchanger
 * and where mail goes now (RFC 5321 §5.1; SMTP_*). It calls
 * analyze_tls.c for each address and analyze_fallback.c for the backups
 * and the --assume-down rehearsal, in report order. Pure: reads facts,
 * writes findings.
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

int
analyze_host_tempfails(const struct probe_facts *f, size_t h)
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

void
analyze_target_subject(const struct probe_facts *f,
    const struct probe_target *t, char *out, size_t len)
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

	analyze_target_subject(f, t, s, sizeof(s));
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

void
analyze_smtp(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	size_t i, h, probed = 0, timeouts = 0, answering = 0, tempfail = 0;
	long now;
	int primary_up;

	if (mx == NULL || mx->nhost == 0 || (mx->null_mx &&
	    mx->nnull == mx->nhost))
		return;
	analyze_fallback_spread(f, fs);
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
		if (mx->hosts[h].group == 0 ||
		    analyze_host_answers(f, h) == 1 ||
		    analyze_host_tempfails(f, h))
			target_findings(f, &f->targets[i], fs);
		analyze_tls_target(f, &f->targets[i], fs);
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
		if (mx->hosts[h].group == 0 && analyze_host_tempfails(f, h))
			primary_up = 1;	/* refusing for now, not down */
	if (!primary_up && now >= 0)
		findings_add(fs, F_SMTP_PRIMARY_DOWN, mx->domain,
		    "No exchanger of the most preferred group answers; mail "
		    "flows through the backup %s now.", mx->hosts[now].name);
	analyze_fallback(f, now, fs);
}
