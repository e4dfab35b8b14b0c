/*
 * analyze - facts in, findings out. Pure: no I/O, no clock.
 *
 * API:
 *	analyze_probe(facts, opts, fs)	every check of a probe, in report
 *		order (calls the ones below)
 *	analyze_mx(set, opts, fs)	MX and exchanger-address findings
 *		(RFC 5321 §5.1, RFC 7505, RFC 2181 §10.3, RFC 6890)
 *	analyze_missing_dot(domain, target)  1 when target is domain-relative
 *		junk such as mail.example.com.example.com
 *	analyze_addr_usable(opts, family, bytes)  1 when a sender on the
 *		internet could connect there (public, or loopback in a lab)
 */
#ifndef MXPROBE_ANALYZE_H
#define MXPROBE_ANALYZE_H

struct findings;
struct mx_set;
struct probe_facts;

struct analyze_opts {
	int	allow_loopback;		/* --allow-loopback: labs */
};

void	analyze_probe(const struct probe_facts *, const struct analyze_opts *,
	    struct findings *);
void	analyze_mx(const struct mx_set *, const struct analyze_opts *,
	    struct findings *);
int	analyze_missing_dot(const char *, const char *);
int	analyze_addr_usable(const struct analyze_opts *, int,
	    const unsigned char *);

#endif
