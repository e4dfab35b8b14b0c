/*
 * analyze - facts in, findings out. Pure: no I/O, no clock. Every
 * analyze_* entry, grouped by the file that holds it; the catalogue
 * (catalogue.def) names the same files per section.
 *
 * analyze.c - the order of the checks and the joins across facts:
 *	analyze_probe(facts, opts, fs)	every check of a probe, in report
 *		order (calls the ones below)
 *	analyze_auth(auth, facts, fs)	SPF, --spf-ip, DMARC, DKIM, MTA-STS
 *		and TLS-RPT findings, with what only the rest of the probe
 *		knows (MX certificates, SPF and DKIM in place); auth NULL:
 *		none
 * analyze_mx.c - MX and DNS (MX_*, DOMAIN_*; RFC 5321 §5.1, RFC 7505,
 * RFC 2181 §10.3, RFC 6890):
 *	analyze_mx(set, opts, fs)	MX and exchanger-address findings
 *	analyze_limits(facts, fs)	what the domain cost: DNS questions
 *		over LIMIT_DNS_QUERIES, cut answers, DNS error reasons,
 *		sessions that waited for a socket
 *	analyze_missing_dot(domain, target)  1 when target is domain-relative
 *		junk such as mail.example.com.example.com
 *	analyze_addr_usable(opts, family, bytes)  1 when a sender on the
 *		internet could connect there (public, or loopback in a lab)
 * analyze_smtp.c - SMTP reachability (SMTP_*):
 *	analyze_smtp(facts, opts, fs)	reachability, then (calling the
 *		two files below) STARTTLS and certificates per address,
 *		failover now and under --assume-down, backup parity; the
 *		verdicts of the delivery model (analyze_delivery.h) for
 *		each class of sender
 *	analyze_target_answers(t)	a sender could hand mail over there
 *	analyze_target_tempfail(t)	it refuses for now: a 4xx at the
 *		greeting, EHLO or after TLS, a 421 to STARTTLS, a reset at
 *		connect
 *	analyze_target_refusal(t, &step)	the reply that ended the
 *		dialogue and its step, or NULL
 *	analyze_refusal_about_client(reply, step)  1 when the refusal
 *		points at the client (blocklist, "your address", rate
 *		limit, a 554 greeting): it may be about the probing host
 *	analyze_ehlo_name_fqdn(name)	1 when name is a fully qualified
 *		domain name (two labels or more, not an address literal)
 *	analyze_target_no_route(t)	not tested from here: this host has
 *		no route to the address's family (not tried, or the connect
 *		failed here with no route); no verdict about the address
 *	analyze_host_answers(f, h)	1, 0, or -1 when not probed (the
 *		addresses not tested from here do not count)
 *	analyze_host_tempfails(f, h)	some address of host h tempfails
 *	analyze_assumed_down(f, host)	host is named by --assume-down
 *	analyze_delivery_host(f, assume)  the exchanger a sender delivers to
 *		now (first answering in preference order; with assume, the
 *		--assume-down hosts are skipped), or -1
 *	analyze_target_subject(f, t, out, len)	"host[address]"
 * analyze_tls.c - transport security (TLS_*; RFC 3207, 6125, 8996):
 *	analyze_tls_target(facts, t, opts, fs)	the findings of one address
 *		(opts NULL: the defaults)
 *		that answers
 * analyze_fallback.c - fallback (FALLBACK_*, FAILOVER_*, ASSUME_*):
 *	analyze_fallback_spread(facts, fs)	one exchanger, or one network
 *		for all
 *	analyze_fallback(facts, now, fs)	backups down or weaker than
 *		the primary now delivered to (host now, -1: none), groups
 *		of unequal health, the --assume-down rehearsal
 * analyze_cutover.c - MX cutover (analyze_cutover.h has the options):
 *	analyze_cutover(facts, opts, fs)	--expect-mx, --max-ttl,
 *		--old-mx, --expect-banner
 * analyze_dane.c - DANE and DNSSEC (RFC 7672, RFC 4035):
 *	analyze_dane(facts, fs)		DNSSEC of the MX answer, TLSA of
 *		every exchanger and the handshakes' DANE results
 *	analyze_dane_target(facts, t, &why)  what DANE senders do with one
 *		address (why: a short reason, an English msgid: _() or
 *		i18n_reason() translates it; the JSON writes it as it is)
 *	analyze_dane_host(facts, h)	the same for a host: DELIVER when
 *		one of its addresses does, DEFER when it answers but none
 *		satisfies DANE
 *	analyze_dane_delivery_host(facts)  the exchanger DANE senders
 *		deliver to now (the first in preference order that answers
 *		and does not defer), or -1
 *	analyze_dane_applies(facts)	some exchanger has authenticated
 *		TLSA records (or a failed TLSA lookup in a signed zone)
 *	analyze_dane_senders_name(v)	"n/a", "deliver", "defer", "unknown"
 * analyze_spf.c - SPF (RFC 7208):
 *	analyze_spf(a, domain, fs)	the findings of the walked tree
 *	analyze_spf_ip(auth, fs)	the findings of the --spf-ip answers
 *	analyze_spf_permerror(a, out, len)  why receivers evaluating the
 *		policy get permerror (written to out in the run's language,
 *		R_), or NULL when they do not
 * analyze_dmarc.c:
 *	analyze_dmarc(facts, fs)	the DMARC_* findings (RFC 7489)
 * analyze_dkim.c:
 *	analyze_dkim(facts, fs)		the DKIM_* findings (RFC 6376, 8301)
 * analyze_mtasts.c:
 *	analyze_mtasts(facts, fs)	the MTASTS_* findings (RFC 8461)
 *	analyze_mtasts_mx(facts, &mx)	the MX hosts with MTA-STS's
 *		cert_valid (1, 0, -1) from the SMTP probe; caller frees mx
 *	analyze_mtasts_view(auth, facts, &m)	the MTA-STS facts as judged
 *		and shown: the policy of auth with the MX hosts of facts;
 *		returns the host list for the caller to free after using m
 *	analyze_mtasts_fetch(facts, buf)	how the policy fetch went,
 *		e.g. "http_error, HTTP 404", for findings and the report
 * analyze_tlsrpt.c:
 *	analyze_tlsrpt(facts, fs)	the TLSRPT_* findings (RFC 8460)
 */
#ifndef MXPROBE_ANALYZE_H
#define MXPROBE_ANALYZE_H

#include <stddef.h>

#include "facts/smtp_facts.h"

struct auth_facts;
struct buf;
struct cutover_opts;
struct dkim_facts;
struct dmarc_facts;
struct findings;
struct mtasts_facts;
struct mtasts_mx;
struct mx_set;
struct probe_facts;
struct propagation_facts;
struct propagation_server;
struct probe_target;
struct spf_analysis;
struct tlsrpt_facts;

/* --cert-warn-days: the default, and the value that turns it off. */
#define ANALYZE_CERT_WARN_DAYS	14
#define ANALYZE_CERT_WARN_OFF	(-1)

struct analyze_opts {
	int			 allow_loopback; /* --allow-loopback: labs */
	const struct cutover_opts *cutover;	/* NULL: no cutover checks */
	int			 cert_warn_days; /* TLS_CERT_EXPIRES_SOON below
						  * this many days left; 0:
						  * the default, _OFF: never */
	int			 allow_documentation; /* --allow-documentation:
						  * labs in a namespace */
};

/* analyze.c */
void	analyze_probe(const struct probe_facts *, const struct analyze_opts *,
	    struct findings *);
void	analyze_auth(const struct auth_facts *, const struct probe_facts *,
	    struct findings *);

/* analyze_mx.c */
void	analyze_limits(const struct probe_facts *, struct findings *);
void	analyze_mx(const struct mx_set *, const struct analyze_opts *,
	    struct findings *);
int	analyze_missing_dot(const char *, const char *);
int	analyze_addr_usable(const struct analyze_opts *, int,
	    const unsigned char *);

/* analyze_smtp.c */
void	analyze_smtp(const struct probe_facts *, const struct analyze_opts *,
	    struct findings *);
int	analyze_target_answers(const struct probe_target *);
int	analyze_target_tempfail(const struct probe_target *);
const struct smtp_reply *analyze_target_refusal(const struct probe_target *,
	    enum smtp_step *);
int	analyze_refusal_about_client(const struct smtp_reply *,
	    enum smtp_step);
int	analyze_ehlo_name_fqdn(const char *);
int	analyze_target_no_route(const struct probe_target *);
int	analyze_host_answers(const struct probe_facts *, size_t);
int	analyze_host_tempfails(const struct probe_facts *, size_t);
int	analyze_assumed_down(const struct probe_facts *, const char *);
long	analyze_delivery_host(const struct probe_facts *, int);
void	analyze_target_subject(const struct probe_facts *,
	    const struct probe_target *, char *, size_t);

/* analyze_tls.c */
void	analyze_tls_target(const struct probe_facts *,
	    const struct probe_target *, const struct analyze_opts *,
	    struct findings *);

/* analyze_fallback.c */
void	analyze_fallback_spread(const struct probe_facts *, struct findings *);
void	analyze_fallback(const struct probe_facts *, long, struct findings *);

/* analyze_cutover.c */
void	analyze_cutover(const struct probe_facts *,
	    const struct cutover_opts *, struct findings *);

/* analyze_dane.c */
/* What a DANE-validating sender (RFC 7672 section 2.2) does with an
 * exchanger address or host; names in analyze_dane_senders_name(). */
enum dane_senders {
	DANE_SENDERS_NA,	/* DANE does not apply (no authenticated
				 * TLSA): they act as any sender */
	DANE_SENDERS_DELIVER,	/* authenticated TLSA, and the TLS session
				 * satisfies it */
	DANE_SENDERS_DEFER,	/* authenticated TLSA (or a failed TLSA
				 * lookup in a signed zone) that the
				 * session does not satisfy: mail waits */
	DANE_SENDERS_UNKNOWN	/* not probed, or it does not answer */
};
void	analyze_dane(const struct probe_facts *, struct findings *);
enum dane_senders analyze_dane_target(const struct probe_facts *,
	    const struct probe_target *, const char **);
enum dane_senders analyze_dane_host(const struct probe_facts *, size_t);
long	analyze_dane_delivery_host(const struct probe_facts *);
int	analyze_dane_applies(const struct probe_facts *);
const char *analyze_dane_senders_name(enum dane_senders);

/* analyze_spf.c */
void	analyze_spf(const struct spf_analysis *, const char *,
	    struct findings *);
void	analyze_spf_ip(const struct auth_facts *, struct findings *);
const char *analyze_spf_permerror(const struct spf_analysis *, char *,
	    size_t);

/* analyze_dmarc.c */
void	analyze_dmarc(const struct dmarc_facts *, struct findings *);

/* analyze_dkim.c */
void	analyze_dkim(const struct dkim_facts *, struct findings *);

/* analyze_mtasts.c */
void	analyze_mtasts(const struct mtasts_facts *, struct findings *);
size_t	analyze_mtasts_mx(const struct probe_facts *, struct mtasts_mx **);
struct mtasts_mx *analyze_mtasts_view(const struct auth_facts *,
	    const struct probe_facts *, struct mtasts_facts *);
void	analyze_mtasts_fetch(const struct mtasts_facts *, struct buf *);

/* analyze_propagation.c */
void	propagation_analyze(const struct propagation_facts *,
		    const char **, const char **, struct findings *);
int	propagation_converged(const struct propagation_facts *,
		    const char **, const char **);
int	propagation_server_agrees(const struct propagation_facts *,
		    size_t, const char **, const char **);
void	propagation_set_text(const struct propagation_server *,
		    struct buf *);
void	propagation_join(struct propagation_facts *,
		    const struct probe_facts *);

/* analyze_tlsrpt.c */
void	analyze_tlsrpt(const struct tlsrpt_facts *, struct findings *);

#endif
