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
#include "analyze/analyze_delivery.h"
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
	case SMTP_STARTTLS_REJECTED:
		/* 454 leaves the session open for mail in clear; 421 closes
		 * it (RFC 5321 §3.8): refusing for now. */
		return r->reject.code != 421;
	case SMTP_OK:
	case SMTP_STARTTLS_NOT_OFFERED:
	case SMTP_TLS_FAILED:
		/* Opportunistic senders retry in clear after a TLS failure
		 * (RFC 3207 §4.1 leaves it to them; Postfix and Exim do). */
		return 1;
	default:
		return 0;
	}
}

const struct smtp_reply *
analyze_target_refusal(const struct probe_target *t, enum smtp_step *step)
{
	const struct smtp_result *r = t->smtp;

	if (r == NULL)
		return NULL;
	switch (r->outcome) {
	case SMTP_BANNER_TEMPFAIL:
	case SMTP_BANNER_PERMFAIL:
		*step = SMTP_STEP_BANNER;
		return r->banner.code ? &r->banner : NULL;
	case SMTP_EHLO_REJECTED:
		if (r->reject.code) {
			*step = r->tls_done ? SMTP_STEP_EHLO_TLS :
			    SMTP_STEP_HELO;
			return &r->reject;
		}
		*step = SMTP_STEP_EHLO;
		return r->ehlo_reject.code ? &r->ehlo_reject : NULL;
	case SMTP_STARTTLS_REJECTED:
		*step = SMTP_STEP_STARTTLS;
		return r->reject.code ? &r->reject : NULL;
	default:
		return NULL;
	}
}

/* Case-insensitive substring search (strcasestr is not C11). */
static int
has_text(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/*
 * Refusal texts that speak of the client rather than the domain: a
 * blocklisted or rate-limited probing host sees them while senders
 * elsewhere deliver. A 554 greeting is the classic answer to a listed
 * client (RFC 5321 §3.1).
 */
int
analyze_refusal_about_client(const struct smtp_reply *rep,
    enum smtp_step step)
{
	static const char *const words[] = { "your address", "your ip",
	    "your host", "your network", "client host", "from your",
	    "too many connections from", "too many connections",
	    "rate limit", "ratelimit", "rate-limit", "blocklist",
	    "block list", "blocked", "blacklist", "black list", "dnsbl",
	    "rbl", "spamhaus", "spamcop", "barracuda", "reputation",
	    "listed", "policy rejection", "helo command rejected",
	    "fully-qualified", "fully qualified", "reverse dns",
	    "reverse lookup", "too many errors", NULL };
	size_t i, k;

	if (rep == NULL)
		return 0;
	if (step == SMTP_STEP_BANNER && rep->code == 554)
		return 1;
	for (i = 0; i < rep->ntext; i++)
		for (k = 0; words[k] != NULL; k++)
			if (has_text(rep->text[i], words[k]))
				return 1;
	return 0;
}

/*
 * The EHLO name a server can accept: a fully qualified domain name, two
 * labels or more (RFC 5321 §4.1.1.1). "localhost", a short host name and
 * an address literal are not.
 */
int
analyze_ehlo_name_fqdn(const char *name)
{
	const char *dot;
	size_t len;

	if (name == NULL || name[0] == '\0' || name[0] == '[' ||
	    name[0] == '.')
		return 0;
	len = strlen(name);
	if (name[len - 1] == '.')
		len--;
	dot = memchr(name, '.', len);
	return dot != NULL && dot + 1 < name + len;
}

/* The EHLO name is the probe's, the same in every session: said once. */
static void
ehlo_name_finding(const struct probe_facts *f, struct findings *fs)
{
	const struct smtp_result *r;
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		r = f->targets[i].smtp;
		if (r == NULL || r->ehlo_name == NULL || r->source[0] == '\0')
			continue;
		if (!analyze_ehlo_name_fqdn(r->ehlo_name))
			findings_add(fs, F_SMTP_EHLO_NOT_FQDN, r->ehlo_name,
			    "The probe introduced itself as \"%s\" in EHLO, "
			    "not a fully qualified name; a server that "
			    "refuses it says nothing about the domain. Set "
			    "--ehlo to this host's full name.", r->ehlo_name);
		return;
	}
}

/* "421 4.7.0 text" of a refusal, for messages. */
static void	refusal_text(const struct smtp_reply *, char *, size_t);
static int	client_note(const struct smtp_reply *, enum smtp_step);
static void	dropped_in_tls(struct findings *, const char *,
		    const struct smtp_result *);
static void	unreachable(struct findings *, const char *,
		    enum smtp_outcome, const char *);

/* Some primary (group 0) address refused the random local part. */
static int
primary_rejects_any(const struct probe_facts *f)
{
	const struct smtp_result *r;
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		r = f->targets[i].smtp;
		if (r != NULL && f->mx->hosts[f->targets[i].host].group == 0 &&
		    r->rcpt_any_reply.code / 100 == 5)
			return 1;
	}
	return 0;
}

/*
 * The recipient test (--rcpt): does each exchanger take the domain's
 * mail? A 5xx to RCPT TO:<postmaster@DOMAIN> bounces the domain's mail
 * there (RFC 5321 §4.5.1); a 4xx defers it; a 2xx to a random local
 * part means the exchanger accepts any address.
 */
static void
rcpt_findings(const struct probe_facts *f, struct findings *fs)
{
	const struct mx_host *h;
	const struct probe_target *t;
	const struct smtp_result *r;
	char subj[600], txt[600];
	size_t i;
	int cls, backup, note;

	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		r = t->smtp;
		if (r == NULL || !r->rcpt_tested)
			continue;
		h = &f->mx->hosts[t->host];
		backup = h->group != 0;
		snprintf(subj, sizeof(subj), "%s[%s]", h->name,
		    h->addrs[t->addr].text);
		cls = r->rcpt_reply.code / 100;
		note = client_note(&r->rcpt_reply, SMTP_STEP_RCPT);
		if (cls == 5) {
			refusal_text(&r->rcpt_reply, txt, sizeof(txt));
			if (backup && note)
				findings_add(fs, F_SMTP_RCPT_BACKUP_REFUSED,
				    subj, "%s answered RCPT TO:<postmaster@%s> "
				    "with \"%s\": mail for the domain delivered "
				    "there bounces (the moment the primary is "
				    "unreachable); the text points at the "
				    "client: this may be about the probing "
				    "host, not the domain.", subj,
				    f->mx->domain, txt);
			else if (backup)
				findings_add(fs, F_SMTP_RCPT_BACKUP_REFUSED,
				    subj, "%s answered RCPT TO:<postmaster@%s> "
				    "with \"%s\": mail for the domain delivered "
				    "there bounces (the moment the primary is "
				    "unreachable).", subj, f->mx->domain, txt);
			else if (note)
				findings_add(fs, F_SMTP_RCPT_REFUSED, subj,
				    "%s answered RCPT TO:<postmaster@%s> with "
				    "\"%s\": mail for the domain delivered "
				    "there bounces; the text points at the "
				    "client: this may be about the probing "
				    "host, not the domain.", subj,
				    f->mx->domain, txt);
			else
				findings_add(fs, F_SMTP_RCPT_REFUSED, subj,
				    "%s answered RCPT TO:<postmaster@%s> with "
				    "\"%s\": mail for the domain delivered "
				    "there bounces.", subj, f->mx->domain, txt);
		} else if (cls == 4) {
			refusal_text(&r->rcpt_reply, txt, sizeof(txt));
			if (note)
				findings_add(fs, F_SMTP_RCPT_DEFERRED, subj,
				    "%s answered RCPT TO:<postmaster@%s> with "
				    "\"%s\": senders retry, the mail is "
				    "delayed; the text points at the client: "
				    "this may be about the probing host, not "
				    "the domain.", subj, f->mx->domain, txt);
			else
				findings_add(fs, F_SMTP_RCPT_DEFERRED, subj,
				    "%s answered RCPT TO:<postmaster@%s> with "
				    "\"%s\": senders retry, the mail is "
				    "delayed.", subj, f->mx->domain, txt);
		}
		if (cls != 2 || r->rcpt_any_reply.code / 100 != 2)
			continue;
		if (backup && primary_rejects_any(f))
			findings_add(fs, F_SMTP_RCPT_BACKUP_ACCEPTS_ANY, subj,
			    "%s accepted RCPT TO:<%s>, a random address the "
			    "primary refuses: it queues mail the primary "
			    "will bounce (backscatter).", subj, r->rcpt_any);
		else
			findings_add(fs, F_SMTP_RCPT_ACCEPTS_ANY, subj, "%s "
			    "accepted RCPT TO:<%s>, a random address: it "
			    "accepts any local part.", subj, r->rcpt_any);
	}
}

static void
refusal_text(const struct smtp_reply *rep, char *out, size_t len)
{
	/* The text keeps the enhanced status code (RFC 3463). */
	snprintf(out, len, "%d%s%s", rep->code,
	    rep->ntext && rep->text[0][0] ? " " : "",
	    rep->ntext ? rep->text[0] : "");
}

/*
 * Whether the refusal's text points at the client (the probing host, not
 * the domain): the messages then say so, each as a sentence of its own.
 */
static int
client_note(const struct smtp_reply *rep, enum smtp_step step)
{
	return analyze_refusal_about_client(rep, step);
}

/*
 * A refusal for now at step (the greeting: "the connection"); note: the
 * text points at the client.
 */
static void
tempfail(struct findings *fs, const char *s, enum smtp_step step,
    const char *rt, int note)
{
	if (step == SMTP_STEP_BANNER && note)
		findings_add(fs, F_SMTP_TEMPFAIL, s, "%s answers the "
		    "connection with \"%s\": it is refusing for now (rate "
		    "limiting, greylisting or load), not down; the text "
		    "points at the client: this may be about the probing "
		    "host, not the domain.", s, rt);
	else if (step == SMTP_STEP_BANNER)
		findings_add(fs, F_SMTP_TEMPFAIL, s, "%s answers the "
		    "connection with \"%s\": it is refusing for now (rate "
		    "limiting, greylisting or load), not down.", s, rt);
	else if (note)
		findings_add(fs, F_SMTP_TEMPFAIL, s, "%s answers %s with "
		    "\"%s\": it is refusing for now (rate limiting, "
		    "greylisting or load), not down; the text points at the "
		    "client: this may be about the probing host, not the "
		    "domain.", s, smtp_step_text(step), rt);
	else
		findings_add(fs, F_SMTP_TEMPFAIL, s, "%s answers %s with "
		    "\"%s\": it is refusing for now (rate limiting, "
		    "greylisting or load), not down.", s, smtp_step_text(step),
		    rt);
}

/*
 * EHLO (or, with step NULL, both EHLO and HELO) rejected; note: the text
 * points at the client.
 */
static void
ehlo_rejected(struct findings *fs, const char *s, const char *step,
    const char *rt, int note)
{
	if (step == NULL && note)
		findings_add(fs, F_SMTP_EHLO_REJECTED, s, "%s rejects EHLO "
		    "and HELO with \"%s\"; the text points at the client: "
		    "this may be about the probing host, not the domain.", s,
		    rt);
	else if (step == NULL)
		findings_add(fs, F_SMTP_EHLO_REJECTED, s, "%s rejects EHLO "
		    "and HELO with \"%s\".", s, rt);
	else if (note)
		findings_add(fs, F_SMTP_EHLO_REJECTED, s, "%s rejects %s "
		    "with \"%s\"; the text points at the client: this may be "
		    "about the probing host, not the domain.", s, step, rt);
	else
		findings_add(fs, F_SMTP_EHLO_REJECTED, s, "%s rejects %s "
		    "with \"%s\".", s, step, rt);
}

/*
 * Temporarily refusing: a 4xx at the greeting, EHLO or STARTTLS, or a
 * reset right after connect. Rate limiting and greylisting look like
 * this; it is not "down".
 */
int
analyze_target_tempfail(const struct probe_target *t)
{
	const struct smtp_result *r = t->smtp;
	const struct smtp_reply *rep;
	enum smtp_step step;

	if (r == NULL)
		return 0;
	if (r->outcome == SMTP_BANNER_TEMPFAIL ||
	    (r->outcome == SMTP_DROPPED && r->reset_after_connect))
		return 1;
	/* A 4xx to EHLO, HELO or after TLS, or a 421 to STARTTLS: a live
	 * server refusing for now (RFC 5321 §4.2.1, §4.5.4.1). */
	if (analyze_target_answers(t) ||
	    (rep = analyze_target_refusal(t, &step)) == NULL)
		return 0;
	return rep->code / 100 == 4;
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

int
analyze_target_no_route(const struct probe_target *t)
{
	return probe_skip_no_route(t->skipped) ||
	    (t->smtp != NULL && t->smtp->no_route);
}

/* 1 answers, 0 does not, -1 not probed (or only skipped addresses, or
 * only addresses this host has no route to). */
int
analyze_host_answers(const struct probe_facts *f, size_t h)
{
	size_t i;
	int probed = 0;

	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].host != h || f->targets[i].smtp == NULL ||
		    analyze_target_no_route(&f->targets[i]))
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
	const struct smtp_reply *rep;
	enum smtp_step step = SMTP_STEP_CONNECT;
	char s[600], rt[600];
	const char *why = r->why && r->why[0] ? r->why : NULL;

	analyze_target_subject(f, t, s, sizeof(s));
	rep = analyze_target_refusal(t, &step);
	rt[0] = '\0';
	if (rep != NULL)
		refusal_text(rep, rt, sizeof(rt));
	if (r->deadline_hit && !analyze_target_answers(t) &&
	    !analyze_target_tempfail(t)) {
		/* The overall deadline, not the server, ended it: what it
		 * would have done is not known. */
		findings_add(fs, F_SMTP_CUT_SHORT, s, "%s: the overall "
		    "deadline (--timeout) ended the session during %s, "
		    "after %ld ms; it did not finish: no verdict about this "
		    "address.", s, smtp_step_text(r->step), r->ms.total_ms);
		return;
	}
	if (analyze_target_tempfail(t) && rep != NULL) {
		tempfail(fs, s, step, rt, client_note(rep, step));
		goto rest;
	}
	switch (r->outcome) {
	case SMTP_REFUSED:
	case SMTP_CONNECT_TIMEOUT:
	case SMTP_NETWORK_ERROR:
		unreachable(fs, s, r->outcome, why != NULL ? why : "");
		break;
	case SMTP_NO_BANNER:
		findings_add(fs, F_SMTP_TARPIT, s, "%s accepted the "
		    "connection but sent no greeting within %ld ms.", s,
		    r->ms.total_ms);
		break;
	case SMTP_BANNER_PERMFAIL:
		if (client_note(rep, step))
			findings_add(fs, F_SMTP_BANNER_REJECT, s, "%s greets "
			    "with \"%s\": it refuses service; the text points "
			    "at the client: this may be about the probing "
			    "host, not the domain.", s, rt);
		else
			findings_add(fs, F_SMTP_BANNER_REJECT, s, "%s greets "
			    "with \"%s\": it refuses service.", s, rt);
		break;
	case SMTP_EHLO_REJECTED:
		ehlo_rejected(fs, s, r->helo_fallback ? NULL :
		    smtp_step_text(step), rt, client_note(rep, step));
		break;
	case SMTP_PROTOCOL_ERROR:
		if (why != NULL)
			findings_add(fs, F_SMTP_PROTOCOL_ERROR, s, "%s: %s.",
			    s, why);
		else
			findings_add(fs, F_SMTP_PROTOCOL_ERROR, s, "%s: a "
			    "malformed reply.", s);
		break;
	case SMTP_DROPPED:
		if (r->reset_after_connect)
			findings_add(fs, F_SMTP_TEMPFAIL, s, "%s reset the "
			    "connection right after accepting it: "
			    "temporarily refusing (rate limiting or "
			    "greylisting), not down.", s);
		else if (r->tls_done)
			dropped_in_tls(fs, s, r);
		else
			if (why != NULL)
				findings_add(fs, F_SMTP_DROPPED, s, "%s closed "
				    "the connection during %s: %s.", s,
				    smtp_step_text(r->step), why);
			else
				findings_add(fs, F_SMTP_DROPPED, s, "%s closed "
				    "the connection during %s.", s,
				    smtp_step_text(r->step));
		break;
	case SMTP_TIMEOUT:
		findings_add(fs, F_SMTP_TIMEOUT, s, "%s stopped answering "
		    "during %s.", s, smtp_step_text(r->step));
		break;
	default:
		break;
	}
rest:
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
	    (t->ptr == NULL || !dname_equal(r->banner_host, t->ptr))) {
		if (t->ptr != NULL)
			findings_add(fs, F_SMTP_BANNER_NAME_MISMATCH, s, "%s "
			    "calls itself %s in its banner; its MX name is %s "
			    "and its PTR %s.", s, r->banner_host, h->name,
			    t->ptr);
		else
			findings_add(fs, F_SMTP_BANNER_NAME_MISMATCH, s, "%s "
			    "calls itself %s in its banner; its MX name is "
			    "%s.", s, r->banner_host, h->name);
	}
}

/*
 * The handshake completed, then the server ended the session before its
 * reply to the EHLO after TLS was complete (the only step after TLS that
 * decides an outcome): TLS did not fail; say how the stream ended, a cut
 * record being the truncation RFC 8446 section 6.1 warns of.
 */
static void
dropped_in_tls(struct findings *fs, const char *s,
    const struct smtp_result *r)
{
	const char *v = r->tls.version != NULL ? r->tls.version : "?";

	switch (r->tls_close) {
	case TLS_CLOSE_TRUNCATED:
		findings_add(fs, F_SMTP_DROPPED, s, "%s completed the TLS "
		    "handshake (%s), then closed the connection in the middle "
		    "of a TLS record of its reply to the EHLO after TLS "
		    "(ehlo-tls): the reply was cut (a truncated TLS record, "
		    "no close_notify), so no mail can be handed over in this "
		    "session.", s, v);
		break;
	case TLS_CLOSE_UNCLEAN:
		findings_add(fs, F_SMTP_DROPPED, s, "%s completed the TLS "
		    "handshake (%s), then closed the connection without "
		    "close_notify before its reply to the EHLO after TLS "
		    "(ehlo-tls) was complete: no mail can be handed over in "
		    "this session.", s, v);
		break;
	case TLS_CLOSE_NOTIFY:
		findings_add(fs, F_SMTP_DROPPED, s, "%s completed the TLS "
		    "handshake (%s), then ended the TLS session with "
		    "close_notify before its reply to the EHLO after TLS "
		    "(ehlo-tls) was complete: no mail can be handed over in "
		    "this session.", s, v);
		break;
	default:
		findings_add(fs, F_SMTP_DROPPED, s, "%s completed the TLS "
		    "handshake (%s), then the connection ended during the "
		    "EHLO after TLS (ehlo-tls): %s.", s, v, r->why != NULL &&
		    r->why[0] ? r->why : "-");
		break;
	}
}

/* Nothing answered at the address: refused, silent or unreachable. */
static void
unreachable(struct findings *fs, const char *s, enum smtp_outcome o,
    const char *why)
{
	if (o == SMTP_REFUSED && *why != '\0')
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: connection "
		    "refused: nothing listens on the port: %s.", s, why);
	else if (o == SMTP_REFUSED)
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: connection "
		    "refused: nothing listens on the port.", s);
	else if (o == SMTP_CONNECT_TIMEOUT && *why != '\0')
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: no answer to "
		    "the connection attempt (filtered or down): %s.", s, why);
	else if (o == SMTP_CONNECT_TIMEOUT)
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: no answer to "
		    "the connection attempt (filtered or down).", s);
	else if (*why != '\0')
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: network error "
		    "(unreachable or similar): %s.", s, why);
	else
		findings_add(fs, F_SMTP_UNREACHABLE, s, "%s: network error "
		    "(unreachable or similar).", s);
}

/* "IPv4", "IPv6" or "IPv4 or IPv6" for the families in fams (1 | 2). */
static const char *
families_text(int fams)
{
	return fams == 3 ? "IPv4 or IPv6" : fams == 2 ? "IPv6" : "IPv4";
}

/*
 * The addresses not tested from here: this host has no route to their
 * family (the run's vantage, or the connect failed here with no route).
 * Not the server's fault: one finding each, no verdict, no points. Adds
 * the families seen to *fams (1 IPv4, 2 IPv6); returns how many.
 */
static size_t
no_route_findings(const struct probe_facts *f, struct findings *fs,
    int *fams)
{
	const struct probe_target *t;
	const struct smtp_result *r;
	char s[600];
	size_t i, n = 0;
	int v6;

	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (!analyze_target_no_route(t))
			continue;
		r = t->smtp;
		v6 = f->mx->hosts[t->host].addrs[t->addr].family == AF_INET6;
		*fams |= v6 ? 2 : 1;
		n++;
		analyze_target_subject(f, t, s, sizeof(s));
		if (r != NULL && r->why != NULL && r->why[0] != '\0')
			findings_add(fs, F_SMTP_NO_ROUTE_HERE, s, "%s: not "
			    "tested from here: the connect failed on this "
			    "host (%s): it has no %s route. Not the server's "
			    "fault, and no verdict about this address.", s,
			    r->why, v6 ? "IPv6" : "IPv4");
		else
			findings_add(fs, F_SMTP_NO_ROUTE_HERE, s, "%s: not "
			    "tested from here: this host has no %s route. Not "
			    "the server's fault, and no verdict about this "
			    "address.", s, v6 ? "IPv6" : "IPv4");
	}
	return n;
}

/*
 * Nothing this host could test takes mail, and n addresses of families
 * it has no route to were not tested: whether senders that have a route
 * deliver is not known. none: no address at all could be tested.
 */
static void
untested_here(const struct probe_facts *f, struct findings *fs, size_t n,
    int fams, int none)
{
	const char *fam = families_text(fams);

	if (none)
		findings_add(fs, F_SMTP_UNTESTED_HERE, f->mx->domain, "No "
		    "exchanger of %s could be tested from this host: it has "
		    "no %s route, and %zu exchanger address(es) need one. "
		    "Whether senders with %s can deliver is not known: probe "
		    "from a host that has an %s route.", f->mx->domain, fam,
		    n, fam, fam);
	else
		findings_add(fs, F_SMTP_UNTESTED_HERE, f->mx->domain, "No "
		    "exchanger of %s that this host could test takes mail, "
		    "and %zu address(es) could not be tested: this host has "
		    "no %s route. Whether senders with %s can deliver there "
		    "is not known: probe from a host that has an %s route.",
		    f->mx->domain, n, fam, fam, fam);
}

/* Targets the overall deadline left unfinished: no verdict on them. */
static void
unfinished(const struct probe_facts *f, struct findings *fs)
{
	const struct probe_target *t;
	char s[600];
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (t->smtp != NULL || (t->skipped != PROBE_SKIP_NONE &&
		    t->skipped != PROBE_SKIP_DEADLINE &&
		    t->skipped != PROBE_SKIP_ADDR_CAP))
			continue;
		analyze_target_subject(f, t, s, sizeof(s));
		if (t->skipped == PROBE_SKIP_ADDR_CAP) {
			findings_add(fs, F_SMTP_CUT_SHORT, s, "%s: the session "
			    "with this address waited for the per-address cap "
			    "(--per-address) and the overall deadline "
			    "(--timeout) ended the probe before it finished: no "
			    "verdict about it.", s);
			continue;
		}
		findings_add(fs, F_SMTP_CUT_SHORT, s, "%s: the overall "
		    "deadline (--timeout) ended the probe before the session "
		    "with this address finished: no verdict about it.", s);
	}
}

/*
 * The first refusal for now, for the messages that sum them up: its
 * target, the step and the reply's text (cut: the report shows it whole);
 * NULL when no reply was kept (a reset).
 */
static const struct probe_target *
first_tempfail(const struct probe_facts *f, const char **step, char *rt,
    size_t len)
{
	const struct smtp_reply *rep;
	enum smtp_step st;
	size_t i;

	for (i = 0; i < f->ntargets; i++) {
		if (!analyze_target_tempfail(&f->targets[i]) ||
		    (rep = analyze_target_refusal(&f->targets[i], &st)) ==
		    NULL)
			continue;
		refusal_text(rep, rt, len);
		*step = smtp_step_text(st);
		return &f->targets[i];
	}
	return NULL;
}

/* Every exchanger the senders of class c may use refuses for now. */
static void
deferred(const struct probe_facts *f, enum delivery_sender c,
    struct findings *fs)
{
	const struct probe_target *t;
	const char *step = NULL, *d = f->domain, *who;
	char rt[600];

	who = delivery_sender_name(c);
	t = first_tempfail(f, &step, rt, sizeof(rt));
	if (t == NULL) {
		if (c == DELIVERY_MTASTS)
			findings_add(fs, F_DELIVERY_DEFERRED, who, "Senders "
			    "that apply the enforced MTA-STS policy have no "
			    "exchanger of %s to deliver to now: the ones the "
			    "policy allows refuse for now (a 4xx reply or a "
			    "reset). They retry for days.", d);
		else if (c == DELIVERY_DANE)
			findings_add(fs, F_DELIVERY_DEFERRED, who, "DANE-"
			    "validating senders have no exchanger of %s to "
			    "deliver to now: the ones their TLSA records allow "
			    "refuse for now (a 4xx reply or a reset). They "
			    "retry for days.", d);
		else
			findings_add(fs, F_DELIVERY_DEFERRED, f->mx->domain,
			    "No exchanger "
			    "of %s accepts mail now: every one that answers "
			    "refuses for now (a 4xx reply or a reset). Senders "
			    "keep the mail queued and retry for days; it "
			    "arrives once one accepts, and bounces if none "
			    "does before their retry period ends.",
			    f->mx->domain);
		return;
	}
	if (c == DELIVERY_MTASTS)
		findings_add(fs, F_DELIVERY_DEFERRED, who, "Senders that apply "
		    "the enforced MTA-STS policy have no exchanger of %s to "
		    "deliver to now: the ones the policy allows refuse for "
		    "now (the first: %s at %s, \"%s\"). They retry for days.",
		    d, f->mx->hosts[t->host].name, step, rt);
	else if (c == DELIVERY_DANE)
		findings_add(fs, F_DELIVERY_DEFERRED, who, "DANE-validating "
		    "senders have no exchanger of %s to deliver to now: the "
		    "ones their TLSA records allow refuse for now (the first: "
		    "%s at %s, \"%s\"). They retry for days.", d,
		    f->mx->hosts[t->host].name, step, rt);
	else
		findings_add(fs, F_DELIVERY_DEFERRED, f->mx->domain, "No "
		    "exchanger of %s accepts mail now: every one that answers "
		    "refuses for now (the first: %s at %s, \"%s\"). Senders "
		    "keep the mail queued and retry for days; it arrives once "
		    "one accepts, and bounces if none does before their retry "
		    "period ends.", f->mx->domain, f->mx->hosts[t->host].name,
		    step, rt);
}

/* What the model says of one class of sender with TLS rules. */
static void
policy_class(const struct probe_facts *f, const struct delivery *d,
    enum delivery_sender c, struct findings *fs)
{
	const struct delivery_class *k = &d->cls[c];

	if (!k->applies)
		return;
	/* DANE senders held while others deliver: DANE_SENDERS_DEFER
	 * (analyze_dane.c) says so, with each exchanger's failure. */
	if (c == DELIVERY_DANE && k->now.outcome == DELIVERY_HELD &&
	    d->cls[DELIVERY_OPPORTUNISTIC].now.outcome == DELIVERY_DELIVERED)
		return;
	switch (k->now.outcome) {
	case DELIVERY_HELD:
		if (c == DELIVERY_MTASTS)
			findings_add(fs, F_DELIVERY_OUTAGE,
			    delivery_sender_name(c), "Senders that apply the "
			    "enforced MTA-STS policy cannot deliver to %s: no "
			    "exchanger that answers is both named in the "
			    "policy's mx lines and presenting a certificate "
			    "that verifies for its name. They keep the mail "
			    "queued and bounce it when their retry period "
			    "ends.", f->domain);
		else
			findings_add(fs, F_DELIVERY_OUTAGE,
			    delivery_sender_name(c), "DANE-validating senders "
			    "cannot deliver to %s: no exchanger that answers "
			    "matches its DNSSEC-signed TLSA records. They keep "
			    "the mail queued and bounce it when their retry "
			    "period ends.", f->domain);
		break;
	case DELIVERY_DEFERRED:
		if (d->cls[DELIVERY_OPPORTUNISTIC].now.outcome ==
		    DELIVERY_DEFERRED)
			break;	/* said once for every sender */
		deferred(f, c, fs);
		break;
	default:
		break;
	}
}

void
analyze_smtp(const struct probe_facts *f, const struct analyze_opts *o,
    struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	struct delivery_facts df;
	struct delivery d;
	size_t i, h, probed = 0, timeouts = 0, nroute;
	long now;
	int primary_up, fams = 0;

	if (mx == NULL || mx->nhost == 0 || (mx->null_mx &&
	    mx->nnull == mx->nhost))
		return;
	analyze_fallback_spread(f, fs);
	if (!f->smtp_probed)
		return;
	for (i = 0; i < f->ntargets; i++) {
		if (f->targets[i].smtp == NULL ||
		    analyze_target_no_route(&f->targets[i]))
			continue;
		probed++;
		if (f->targets[i].smtp->outcome == SMTP_CONNECT_TIMEOUT &&
		    !f->targets[i].smtp->deadline_hit)
			timeouts++;
	}
	unfinished(f, fs);
	nroute = no_route_findings(f, fs, &fams);
	if (probed == 0) {
		/* Nothing was tested: with addresses this host has no
		 * route to, what senders that have one meet is unknown. */
		if (nroute > 0 && analyze_delivery(f, &df, &d)) {
			if (d.cls[DELIVERY_OPPORTUNISTIC].now.outcome ==
			    DELIVERY_UNKNOWN)
				untested_here(f, fs, nroute, fams, 1);
			delivery_free(&d);
			analyze_delivery_facts_free(&df);
		}
		return;
	}
	ehlo_name_finding(f, fs);
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
		if (f->targets[i].smtp == NULL ||
		    analyze_target_no_route(&f->targets[i]))
			continue;	/* said by no_route_findings() */
		h = f->targets[i].host;
		/* A dead backup is a fallback problem, said once below. */
		if (mx->hosts[h].group == 0 ||
		    analyze_host_answers(f, h) == 1 ||
		    analyze_host_tempfails(f, h) ||
		    f->targets[i].smtp->deadline_hit)
			target_findings(f, &f->targets[i], fs);
		analyze_tls_target(f, &f->targets[i], o, fs);
	}
	rcpt_findings(f, fs);
	if (!analyze_delivery(f, &df, &d))
		return;
	switch (d.cls[DELIVERY_OPPORTUNISTIC].now.outcome) {
	case DELIVERY_UNKNOWN:
		/* Nothing took mail and something did not finish (the
		 * SMTP_CUT_SHORT findings say what) or could not be tested
		 * from here. */
		if (nroute > 0)
			untested_here(f, fs, nroute, fams, 0);
		goto done;
	case DELIVERY_DEFERRED:
		deferred(f, DELIVERY_OPPORTUNISTIC, fs);
		goto done;
	case DELIVERY_BOUNCED:
	case DELIVERY_HELD:
		for (h = 0; h < mx->nhost; h++)
			if (df.mx[h].state == DELIVERY_MX_REFUSES)
				break;
		if (h < mx->nhost)
			findings_add(fs, F_SMTP_NONE_ANSWERS, mx->domain,
			    "No exchanger of %s takes mail: those that answer "
			    "refuse service for good (5xx), the others do not "
			    "answer. Senders bounce the mail.", mx->domain);
		else
			findings_add(fs, F_SMTP_NONE_ANSWERS, mx->domain,
			    "None of the exchangers of %s answers: mail to it "
			    "is queued by senders and bounces after some days.",
			    mx->domain);
		goto done;
	default:
		break;
	}
	now = analyze_delivery_host(f, 0);
	primary_up = 0;
	for (h = 0; h < mx->nhost; h++)
		if (mx->hosts[h].group == 0 &&
		    (df.mx[h].state == DELIVERY_MX_ACCEPTS ||
		    df.mx[h].state == DELIVERY_MX_TEMPFAIL ||
		    df.mx[h].state == DELIVERY_MX_UNKNOWN))
			primary_up = 1;	/* up, refusing for now, or unknown */
	if (!primary_up && now >= 0)
		findings_add(fs, F_SMTP_PRIMARY_DOWN, mx->domain,
		    "No exchanger of the most preferred group answers; mail "
		    "flows through the backup %s now.", mx->hosts[now].name);
	analyze_fallback(f, now, fs);
	policy_class(f, &d, DELIVERY_MTASTS, fs);
	policy_class(f, &d, DELIVERY_DANE, fs);
done:
	delivery_free(&d);
	analyze_delivery_facts_free(&df);
}
