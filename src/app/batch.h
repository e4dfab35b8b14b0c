/*
 * batch - the domains of one run (one --domain, or a --batch list) and
 * the probes in flight: at most o->parallel at once on the one loop,
 * sharing the resolver and the TLS context (one trust store). Each
 * finished probe is reported (run_report) at once, so batch output is
 * in the order the probes finish; the exit status is the worst of all.
 *
 * --propagation and --wait run before the probes: the probes then see
 * the state that was waited for. Their facts stay here beside the
 * probes' and join the same findings and report.
 *
 * API:
 *	batch_read(path, b, why)	domains from a file or "-" (stdin),
 *		one per line; blank lines and # comments skipped, white
 *		space trimmed; 0, or -1 with why (unreadable, a line longer
 *		than 1022 characters)
 *	batch_add(b, domain)		one more domain (copied)
 *	batch_start(b)			propagation first when asked, then
 *		the probes; the loop does the rest
 *	batch_status(b)			after the loop: the worst status, or
 *		EXIT_UNKNOWN (with a word on stderr) when a probe did not
 *		finish or the list held no domain
 *	batch_free(b)			the domains, baseline, propagation facts
 *
 * A line that is no domain (cli_domain_check) gets an UNKNOWN line in
 * the output's own form (JSON Lines or text) and is not probed.
 */
#ifndef MXPROBE_BATCH_H
#define MXPROBE_BATCH_H

#include <stddef.h>

struct buf;
struct cli;
struct cutover_opts;
struct dns;
struct evloop;
struct json_object;
struct probe_config;
struct propagation_facts;

struct batch {
	const struct cli		*o;
	const struct cutover_opts	*co;
	struct evloop			*loop;
	struct dns			*dns;
	struct probe_config		*pc;
	char				**domains;
	char				**bad;		/* per domain: why the
							 * line is no domain,
							 * or NULL */
	size_t				 ndomains;
	size_t				 next;
	int				 running;
	int				 status;	/* worst so far */
	int				 any;
	struct json_object		*baseline;	/* --baseline */
	struct propagation_facts	*prop;		/* --propagation */
};

int	batch_read(const char *, struct batch *, struct buf *);
void	batch_add(struct batch *, const char *);
void	batch_start(struct batch *);
int	batch_status(const struct batch *);
void	batch_free(struct batch *);

#endif
