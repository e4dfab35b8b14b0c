/*
 * analyze - facts in, findings out. Pure: no I/O, no clock.
 *
 * API:
 *	analyze_probe(facts, opts, fs)	every check of a probe, in report
 *		order (calls the ones below)
 *	analyze_mx(set, opts, fs)	MX and exchanger-address findings
 *		(RFC 5321 §5.1, RFC 7505, RFC 2181 §10.3, RFC 6890)
 *	analyze_smtp(facts, fs)		SMTP reachability, then (calling the
 *		two files below) STARTTLS and certificates per address,
 *		failover now and under --assume-down, backup parity
 *		(analyze_smtp.c)
 *	analyze_dane(facts, fs)		DNSSEC of the MX answer, TLSA of
 *		every exchanger and the handshakes' DANE results (RFC 7672,
 *		RFC 4035; analyze_dane.c)
 *	analyze_target_answers(t)	a sender could hand mail over there
 *	analyze_target_tempfail(t)	it answers 4xx for now
 *	analyze_host_tempfails(f, h)	some address of host h tempfails
 *	analyze_target_subject(f, t, out, len)	"host[address]"
 *	analyze_host_answers(f, h)	1, 0, or -1 when not probed
 *	analyze_delivery_host(f, assume)  the exchanger a sender delivers to
 *		now (first answering in preference order; with assume, the
 *		--assume-down hosts are skipped), or -1
 *	analyze_missing_dot(domain, target)  1 when target is domain-relative
 *		junk such as mail.example.com.example.com
 * analyze_tls.c:
 *	analyze_tls_target(facts, t, fs)	the TLS_* findings of one
 *		address that answers (RFC 3207, RFC 6125, RFC 8996)
 * analyze_fallback.c:
 *	analyze_fallback_spread(facts, fs)	one exchanger, or one network
 *		for all (FALLBACK_SINGLE_EXCHANGER, FALLBACK_SAME_NETWORK)
 *	analyze_fallback(facts, now, fs)	backups down or weaker than
 *		the primary now delivered to (host now, -1: none), groups
 *		of unequal health, the --assume-down rehearsal
 *
 *	analyze_addr_usable(opts, family, bytes)  1 when a sender on the
 *		internet could connect there (public, or loopback in a lab)
 *	auth_analyze(auth, facts, fs)	SPF, --spf-ip, DMARC, DKIM, MTA-STS
 *		and TLS-RPT findings, with what only the rest of the probe
 *		knows (analyze.c); auth NULL: none
 *
 * analyze_spf.c:
 *	analyze_spf_ip(auth, fs)	the SPF_IP_* findings of --spf-ip
 * analyze_dmarc.c:
 *	dmarc_analyze(facts, fs)	the DMARC_* findings (RFC 7489)
 * analyze_dkim.c:
 *	dkim_analyze(facts, fs)		the DKIM_* findings (RFC 6376, 8301)
 * analyze_mtasts.c:
 *	mtasts_analyze(facts, fs)	the MTASTS_* findings (RFC 8461)
 *	analyze_auth_mx(facts, &mx)	the MX hosts with MTA-STS's
 *		cert_valid (1, 0, -1) from the SMTP probe; caller frees mx
 *	analyze_mtasts_fetch(facts, buf)	how the policy fetch went,
 *		e.g. "http_error, HTTP 404", for findings and the report
 * analyze_tlsrpt.c:
 *	tlsrpt_analyze(facts, fs)	the TLSRPT_* findings (RFC 8460)
 */
#ifndef MXPROBE_ANALYZE_H
#define MXPROBE_ANALYZE_H

#include <stddef.h>

struct auth_facts;
struct buf;
struct dkim_facts;
struct dmarc_facts;
struct findings;
struct mtasts_facts;
struct mtasts_mx;
struct mx_set;
struct probe_facts;
struct probe_target;
struct tlsrpt_facts;

struct cutover_opts;

struct analyze_opts {
	int			 allow_loopback; /* --allow-loopback: labs */
	const struct cutover_opts *cutover;	/* NULL: no cutover checks */
};

void	analyze_probe(const struct probe_facts *, const struct analyze_opts *,
	    struct findings *);
void	analyze_mx(const struct mx_set *, const struct analyze_opts *,
	    struct findings *);
int	analyze_missing_dot(const char *, const char *);
void	analyze_smtp(const struct probe_facts *, struct findings *);
void	analyze_dane(const struct probe_facts *, struct findings *);
int	analyze_target_answers(const struct probe_target *);
int	analyze_target_tempfail(const struct probe_target *);
int	analyze_host_tempfails(const struct probe_facts *, size_t);
void	analyze_target_subject(const struct probe_facts *,
	    const struct probe_target *, char *, size_t);
void	analyze_tls_target(const struct probe_facts *,
	    const struct probe_target *, struct findings *);
void	analyze_fallback_spread(const struct probe_facts *, struct findings *);
void	analyze_fallback(const struct probe_facts *, long, struct findings *);
int	analyze_host_answers(const struct probe_facts *, size_t);
int	analyze_assumed_down(const struct probe_facts *, const char *);
long	analyze_delivery_host(const struct probe_facts *, int);
int	analyze_addr_usable(const struct analyze_opts *, int,
	    const unsigned char *);
void	auth_analyze(const struct auth_facts *, const struct probe_facts *,
	    struct findings *);

void	analyze_spf_ip(const struct auth_facts *, struct findings *);
void	dmarc_analyze(const struct dmarc_facts *, struct findings *);
void	dkim_analyze(const struct dkim_facts *, struct findings *);
void	mtasts_analyze(const struct mtasts_facts *, struct findings *);
size_t	analyze_auth_mx(const struct probe_facts *, struct mtasts_mx **);
void	analyze_mtasts_fetch(const struct mtasts_facts *, struct buf *);
void	tlsrpt_analyze(const struct tlsrpt_facts *, struct findings *);

#endif
