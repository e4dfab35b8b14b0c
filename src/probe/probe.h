/*
 * probe - run every check for one domain on the event loop and collect
 * the facts (facts.h).
 *
 * API:
 *	probe_start(loop, dns, cfg, domain, cb, arg)	-> handle, or NULL
 *		when cb already ran (every check ended at once)
 *	probe_stop(p)	now what the deadline does: what is out is
 *		abandoned, cb runs with the facts so far (inside the call,
 *		or later for what cannot be cancelled at once)
 * cb(facts, arg) runs once; the caller owns facts then.
 *
 * Order: MX resolution first; everything that needs the exchangers' names
 * (SMTP sessions, TLSA, MTA-STS cross-checks) starts when it is known;
 * everything else (SPF, DMARC, DKIM, MTA-STS and TLS-RPT records) starts at
 * once. The overall deadline (cfg->deadline_ms) cancels what is left.
 * The --old-mx hosts start at once; the cfg->prop_mx hosts once the MX
 * set is known (only those outside it are probed).
 */
#ifndef MXPROBE_PROBE_H
#define MXPROBE_PROBE_H

#include <stdint.h>

struct evloop;
struct dns;
struct probe;
struct probe_facts;
struct tls_ctx;
struct share;
struct vantage;

struct probe_config {
	unsigned	 deadline_ms;
	int		 dns_only;
	int		 rcpt;		/* the recipient test (--rcpt) */
	int		 family;
	int		 smtp_port;
	unsigned	 step_ms;
	const char	*ehlo;
	const char	*ca_file;
	int		 allow_loopback;
	int		 allow_documentation; /* 2001:db8::/32, 192.0.2.0/24
					 * ... as public (labs, in a network
					 * namespace) */
	const char	**assume_down;	/* borrowed; NULL-terminated */
	const char	**old_mx;	/* borrowed; NULL-terminated */
	const char	**prop_mx;	/* borrowed; NULL-terminated: the
					 * exchangers of every MX set the
					 * --propagation servers gave; those
					 * not in the domain's own set are
					 * probed like the --old-mx hosts
					 * (at most LIMIT_MX_HOSTS) */
	struct tls_ctx	*tls;		/* borrowed, shared; NULL: own */
	/* Sender policy (probe_auth.h); all borrowed. */
	const char	**dkim_selectors;	/* NULL-terminated or NULL */
	const char	**spf_ips;		/* NULL-terminated or NULL */
	const char	*spf_sender;
	const char	*helo;
	unsigned	 https_port;	/* MTA-STS policy host; 0 = 443 */
	struct sockets	*sockets;	/* the run's connections (borrowed,
					 * shared); NULL: no cap per run */
	int		 trace_domain;	/* the -v trace names the
					 * domain (--batch) */
	struct share	*share;		/* the run's shared exchanger
					 * sessions (borrowed; probe/share.h);
					 * NULL: every domain its own */
	struct vantage	*vantage;	/* the run's routes (borrowed,
					 * shared; net/vantage.h), checked
					 * by the first probe that connects;
					 * NULL: no check, every address is
					 * tried */
};

typedef void probe_done_cb(struct probe_facts *, void *arg);

struct probe	*probe_start(struct evloop *, struct dns *,
		    const struct probe_config *, const char *,
		    probe_done_cb *, void *);
void		 probe_stop(struct probe *);

#endif
