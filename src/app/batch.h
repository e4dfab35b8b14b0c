/*
 * batch - the domains of one run (one --domain, or a --batch list) and
 * the probes in flight: at most o->parallel at once on the one loop,
 * sharing the resolver and the TLS context (one trust store); the exit
 * status is the worst of all.
 *
 * A --batch list is planned before the first probe:
 *	- each line's name is normalised as cli_domain_check does (A-label,
 *	  lower case, no trailing dot); a line that is no domain keeps its
 *	  text as written and is answered with an UNKNOWN line, unprobed;
 *	- --shard K/N keeps the lines whose batch_hash() modulo N is K;
 *	- --resume FILE drops the lines whose name FILE already answers
 *	  (compared in the escaped form the output writes it in, so a line
 *	  that is no domain is found too);
 *	- a name listed more than once is probed once, and every one of its
 *	  lines is answered with the same report.
 * Output (JSON Lines, CSV with a header, or one text line per domain)
 * is in input order by default: a finished report waits for those
 * listed before it, which each probe's own deadline (--timeout) bounds.
 * --order done writes each one as its probe finishes instead. Every
 * line is written whole with write(2), retried on EINTR and short
 * writes, so neither a signal nor a full pipe cuts one in two.
 *
 * Interruption (--batch only): the first SIGINT or SIGTERM starts no
 * new domain; the probes in flight finish within their own deadline and
 * are written; the run then ends with 128 + the signal's number (130,
 * 143). A second signal ends it at once: the domains still in flight
 * are answered UNKNOWN with "interrupted": true (CSV: error
 * "interrupted"), which --resume does not count as answered. A closed
 * stdout ends the run: at once when stdout is a pipe or a socket (its
 * poll(2) error), else at the next write's EPIPE; exit 141 (128 +
 * SIGPIPE). In batch mode a summary (counts by status, the most common
 * findings) goes to stderr at the end, and once a second a progress line
 * when stderr is a terminal.
 *
 * API:
 *	batch_read(path, b, why)	domains from a file or "-" (stdin),
 *		one per line; blank lines and # comments skipped, white
 *		space trimmed; a line with a NUL byte is kept as "line N"
 *		with its reason in b->bad; 0, or -1 with why (unreadable, a
 *		line longer than BATCH_LINE_MAX characters, its newline not
 *		counted)
 *	batch_read_fp(fp, path, b, why)	the same from an open stream (not
 *		closed); path names it in the messages (fuzz/fuzz_batch.c)
 *	batch_add(b, domain)		one more domain (copied)
 *	batch_resume_read(path, b, why)	the names an earlier output
 *		(JSON Lines or CSV, mixed allowed) answers: a JSON line with
 *		a "domain" and no "interrupted": true, a CSV row with all
 *		its columns and no "interrupted" error; half a line (a run
 *		killed while writing) counts as unanswered. 0 or -1
 *	batch_resume_read_fp(fp, path, b, why)	the same from an open
 *		stream (not closed)
 *	batch_plan(b)			normalise, shard, resume, de-duplicate
 *		(batch_start does it when not done yet)
 *	batch_start(b)			propagation first when asked, then
 *		the probes; the loop does the rest
 *	batch_jobs(b)			plans b and says how many worker
 *		processes the run uses: --jobs N, or for --jobs auto (the
 *		default) jobs_auto() of the CPUs and the distinct names to
 *		probe; never more than --parallel, those names or the
 *		run's sockets (env_socket_cap); 1 with --domain (no
 *		worker: the run is this process)
 *	batch_jobs_start(b, pool)	the parent of a --jobs run: like
 *		batch_start, but each domain is handed to the worker with
 *		the fewest in flight below its part of --parallel
 *		(jobs_share), and its line comes back rendered; b has no
 *		resolver, TLS context or probe_config
 *	batch_worker_start(b, me)	a worker: probe the names the
 *		parent hands over (indexes into the plan both have, made
 *		before the fork) and send each rendered report back; the
 *		loop ends when the parent closes the channel
 *	batch_status(b)			after the loop: 128 + signal when
 *		interrupted, 141 after a closed stdout, else the worst
 *		status, or EXIT_UNKNOWN (with a word on stderr) when a probe
 *		did not finish or the list held no domain
 *	batch_free(b)			the domains, baseline, propagation facts
 *	batch_hash(name)		FNV-1a 64 of the name's octets
 *	batch_line_name(b, i)		the planned line i's name
 *	batch_progress_text(b, ms, out)	the progress line after ms
 *	batch_summary_text(b, ms, out)	the summary after ms
 *
 * --jobs N (app/jobs.h): worker processes probe and render; the parent
 * plans once, hands out each distinct name when a worker has room,
 * writes every line (the order, the CSV header, duplicates, progress,
 * summary and exit status are its, as with one process), and on a
 * signal or a closed stdout decides for all: no new domain after the
 * first signal; at the second, the domains in flight are answered
 * "interrupted" and the workers killed; a closed stdout kills them at
 * once. A worker that dies has each of its domains in flight answered
 * UNKNOWN ("interrupted", with how it ended); the others go on, and the
 * domains not yet handed out go to them (none left: UNKNOWN too).
 *
 * BUGS: a reader that stops reading without closing the pipe blocks the
 * whole run, probes in flight included, in write(2).
 */
#ifndef MXPROBE_BATCH_H
#define MXPROBE_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct buf;
struct cli;
struct cutover_opts;
struct dns;
struct ev_io;
struct ev_timer;
struct evloop;
struct json_object;
struct probe_config;
struct propagation_facts;
struct batch_name;
struct batch_map;
struct jobs;
struct jobs_worker;

#define BATCH_EXIT_EPIPE	141	/* 128 + SIGPIPE */
#define BATCH_LINE_MAX		1022	/* --batch line, newline excluded */

struct batch {
	const struct cli		*o;
	const struct cutover_opts	*co;
	struct evloop			*loop;
	struct dns			*dns;
	struct probe_config		*pc;
	char				**servers;	/* the resolvers
							 * asked (dns.h) */
	char				**domains;	/* input lines */
	char				**bad;		/* per line: why it
							 * is no domain, or
							 * NULL */
	size_t				 ndomains;
	size_t				 next;		/* next name to probe */
	int				 running;
	int				 status;	/* worst so far */
	int				 any;
	struct json_object		*baseline;	/* --baseline */
	struct propagation_facts	*prop;		/* --propagation */

	/* The plan: distinct names, and each kept line's name. */
	int				 planned;
	struct batch_name		*names;
	size_t				 nnames;
	size_t				*lines;		/* index into names */
	size_t				 nlines;
	size_t				 emitted;	/* lines written */
	size_t				 cursor;	/* input order: next */
	size_t				 resumed;	/* lines --resume drops */
	size_t				 sharded;	/* lines other shards own */
	struct batch_map		*seen;		/* --resume names */

	/* Counts for the progress line and the summary. */
	size_t				 by_status[4];	/* lines answered */
	size_t				*finding_count;	/* distinct names */

	/* The run's state. */
	int				 stopping;	/* signal: no new */
	int				 signo;		/* the first signal */
	int				 closed;	/* stdout gone */
	int				 finished;
	int				 abandoned;	/* probes dropped */
	int				 header_done;	/* CSV header */
	uint64_t			 t0;
	struct ev_io			*sigwatch;
	struct ev_io			*outwatch;	/* stdout's reader */
	struct ev_timer			*tick;		/* progress */

	/* --jobs: the parent's workers, or this worker's channel. */
	struct jobs			*jobs;
	struct jobs_worker		*worker;
	unsigned			*job_running;	/* per worker */
	unsigned			*job_cap;	/* its --parallel part */
	int				 in_start;	/* start_next runs */
};

int		batch_read(const char *, struct batch *, struct buf *);
int		batch_read_fp(FILE *, const char *, struct batch *,
		    struct buf *);
void		batch_add(struct batch *, const char *);
int		batch_resume_read(const char *, struct batch *, struct buf *);
int		batch_resume_read_fp(FILE *, const char *, struct batch *,
		    struct buf *);
void		batch_plan(struct batch *);
void		batch_start(struct batch *);
unsigned	batch_jobs(struct batch *);
void		batch_jobs_start(struct batch *, struct jobs *);
void		batch_worker_start(struct batch *, struct jobs_worker *);
int		batch_status(const struct batch *);
void		batch_free(struct batch *);
uint64_t	batch_hash(const char *);
const char	*batch_line_name(const struct batch *, size_t);
void		batch_progress_text(const struct batch *, uint64_t,
		    struct buf *);
void		batch_summary_text(const struct batch *, uint64_t,
		    struct buf *);

#endif
