/*
 * analyze - facts in, findings out. Pure: no I/O, no clock.
 *
 * API:
 *	analyze_probe(facts, opts, fs)	every check of a probe, in report
 *		order (calls the ones below)
 *	analyze_mx(set, opts, fs)	MX and exchanger-address findings
 *		(RFC 5321 §5.1, RFC 7505, RFC 2181 §10.3, RFC 6890)
 *	analyze_smtp(facts, fs)		SMTP reachability, failover (now and
 *		under --assume-down), backup parity, STARTTLS and
 *		certificates (analyze_smtp.c)
 *	analyze_dane(facts, fs)		DNSSEC of the MX answer, TLSA of
 *		every exchanger and the handshakes' DANE results (RFC 7672,
 *		RFC 4035; analyze_dane.c)
 *	analyze_target_answers(t)	a sender could hand mail over there
 *	analyze_host_answers(f, h)	1, 0, or -1 when not probed
 *	analyze_delivery_host(f, assume)  the exchanger a sender delivers to
 *		now (first answering in preference order; with assume, the
 *		--assume-down hosts are skipped), or -1
 *	analyze_missing_dot(domain, target)  1 when target is domain-relative
 *		junk such as mail.example.com.example.com
 *	analyze_addr_usable(opts, family, bytes)  1 when a sender on the
 *		internet could connect there (public, or loopback in a lab)
 *	auth_analyze(auth, facts, fs)	SPF, --spf-ip, DMARC, DKIM, MTA-STS
 *		and TLS-RPT findings (analyze_auth.c); auth NULL: none
 *	analyze_auth_mx(facts, &mx)	the MX hosts with MTA-STS's
 *		cert_valid (1, 0, -1) from the SMTP probe; caller frees mx
 */
#ifndef MXPROBE_ANALYZE_H
#define MXPROBE_ANALYZE_H

#include <stddef.h>

struct auth_facts;
struct findings;
struct mtasts_mx;
struct mx_set;
struct probe_facts;
struct probe_target;

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
int	analyze_host_answers(const struct probe_facts *, size_t);
int	analyze_assumed_down(const struct probe_facts *, const char *);
long	analyze_delivery_host(const struct probe_facts *, int);
int	analyze_addr_usable(const struct analyze_opts *, int,
	    const unsigned char *);
void	auth_analyze(const struct auth_facts *, const struct probe_facts *,
	    struct findings *);
size_t	analyze_auth_mx(const struct probe_facts *, struct mtasts_mx **);

#endif
