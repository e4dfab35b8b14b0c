/*
 * jobs - the worker processes of a --batch run (--jobs N) and the
 * channel to each.
 *
 * Purpose: one event loop uses one core. With --jobs N the parent, which
 * has read and planned the list (app/batch.c), forks N workers before it
 * makes a resolver or a TLS context; each worker runs its own loop,
 * resolver, TLS context, socket pool and exchanger table over the
 * domains the parent hands it, and sends back each rendered report. The
 * parent alone writes stdout, so lines stay whole and in order.
 *
 * Processes, not threads: the engines keep run-wide state in globals
 * (the signal pipe, the trace hook, the reasons' language, c-ares and
 * OpenSSL set-up) and are written for one thread and one loop; a worker
 * that crashes on one domain's hostile answers takes only its own
 * domains with it, and the parent answers them UNKNOWN.
 *
 * The channel is one AF_UNIX stream socket pair per worker. Messages are
 * util/frame.h frames: parent -> worker a task, worker -> parent a
 * result; the payloads are the caller's (app/batch.c). The parent's end
 * is non-blocking and read in its loop; the worker writes its results
 * whole, waiting while the parent is slow (back-pressure from stdout).
 * The end of file on the worker's end means the parent is gone or the
 * run is over: the worker stops at once. The end of file on the parent's
 * end means the worker exited (each socket end is held by one process
 * only: a worker closes the other workers' ends it inherited); the
 * parent reaps it there and then, so no zombie stays.
 *
 * Workers ignore SIGINT and SIGTERM (a terminal's ^C reaches the whole
 * process group): the parent decides for the run, as with one process,
 * and never hands out a new domain once stopping. stdout of a worker is
 * /dev/null.
 *
 * API:
 *	jobs_share(total, n, i)	worker i's part of a run-wide limit:
 *		total / n, plus one for the first total % n workers (the
 *		parts sum to total); at least 1
 *	jobs_auto(cpus, names, parallel)  the default worker count: cpus
 *		when names (distinct domains to probe) is at least
 *		JOBS_AUTO_MIN, else 1; never more than names or parallel
 *	jobs_cpus()		the CPUs this process may use: those it
 *		may run on (sched_getaffinity where there is one, else the
 *		online CPUs), or its cgroups' CPU quota rounded up when that
 *		is lower (a container's CPU limit: cgroup v2 cpu.max under
 *		/sys/fs/cgroup, v1 cpu.cfs_quota_us under /sys/fs/cgroup/cpu,
 *		from its own cgroup up to the root); at least 1
 *	jobs_cgroup_cpus(text, root)	the lowest CPU quota (jobs_quota)
 *		of the cgroups text (/proc/self/cgroup) names, each read
 *		from its own cgroup up to the hierarchy's root: v2 below
 *		root, v1's cpu controller below root/cpu; 0 for none
 *	jobs_quota(s)		the CPUs a cgroup quota "QUOTA PERIOD" (cpu.max,
 *		or v1's two files joined by a space) allows:
 *		ceil(QUOTA / PERIOD); 0 for none ("max", "-1") or anything
 *		else (garbage, empty)
 *	jobs_cgroup_path(text, controller, out, size)  the cgroup path of
 *		controller ("": the v2 line 0::) in text, /proc/self/cgroup's
 *		lines ID:CONTROLLERS:PATH: 0, or -1 when there is none or it
 *		does not fit
 *	jobs_fork(n, &pool, &me, why)	fork n workers: 0 in the parent
 *		(pool set; when a fork fails after the first, the run goes
 *		on with fewer and says so), 1 in a worker (me set), -1 with
 *		why when not one worker could be made
 *	jobs_count(pool), jobs_live(pool)	workers made, still alive
 *	jobs_alive(pool, w)
 *	jobs_attach(pool, loop, ms, on_result, on_lost, arg)  read the
 *		workers in loop: on_result(arg, w, p, len) per result,
 *		on_lost(arg, w, why) once when worker w is gone (why: how
 *		it ended, a reason for the report); ms is each task's
 *		deadline (--timeout; 0: none), for the watchdog below
 *	jobs_send(pool, w, p, len)	one task to worker w: 0, or -1 when
 *		it could not be written whole (the worker is then killed and
 *		lost)
 *	jobs_drop(pool, w)	worker w misbehaved: SIGKILL, reap,
 *		on_lost (may be called from on_result)
 *	jobs_kill(pool)		SIGKILL every live worker, reap it, no
 *		on_lost (the caller has answered what was in flight)
 *	jobs_free(pool)		close every channel (a worker stops at
 *		once), reap, SIGKILL one that has not exited within 2 s
 *	jobs_worker_id(me), jobs_worker_n(me)
 *	jobs_worker_attach(me, loop, on_task, on_gone, arg)  on_task(arg,
 *		p, len) per task; on_gone(arg) once, at the end of file or
 *		a broken stream
 *	jobs_worker_reply(me, p, len)	one result, written whole: 0, or -1
 *		when the parent is gone
 *	jobs_worker_free(me)
 *
 * The watchdog: each worker that holds tasks has a deadline, the latest
 * of its tasks' (sent + ms, counted from when it last held none) plus
 * JOBS_GRACE_MS, for its set-up, rendering and a busy CPU. When it
 * passes, what the worker wrote meanwhile is read first; one that
 * answered within the last JOBS_GRACE_MS gets that long again from its
 * answer; one that answered nothing (stopped, a loop that never ends, a
 * deadlock) is killed (SIGKILL) and lost like one that died: on_lost
 * says it did not answer within the deadline.
 *
 * BUGS: jobs_cpus reads cgroups where they are mounted by convention
 * (/sys/fs/cgroup), not /proc/self/mountinfo.
 */
#ifndef MXPROBE_JOBS_H
#define MXPROBE_JOBS_H

#include <stddef.h>

struct buf;
struct evloop;
struct jobs;
struct jobs_worker;

#define JOBS_MAX	256	/* --jobs N: at most */
#define JOBS_AUTO_MIN	100	/* distinct names for more than one */
#define JOBS_GRACE_MS	5000	/* the watchdog's grace over --timeout */

typedef void	jobs_result_fn(void *, unsigned, const unsigned char *,
		    size_t);
typedef void	jobs_lost_fn(void *, unsigned, const char *);
typedef void	jobs_task_fn(void *, const unsigned char *, size_t);
typedef void	jobs_gone_fn(void *);

unsigned	 jobs_share(unsigned, unsigned, unsigned);
unsigned	 jobs_auto(unsigned, size_t, unsigned);
unsigned	 jobs_cpus(void);
unsigned	 jobs_quota(const char *);
unsigned	 jobs_cgroup_cpus(const char *, const char *);
int		 jobs_cgroup_path(const char *, const char *, char *, size_t);
int		 jobs_fork(unsigned, struct jobs **, struct jobs_worker **,
		    struct buf *);
unsigned	 jobs_count(const struct jobs *);
unsigned	 jobs_live(const struct jobs *);
int		 jobs_alive(const struct jobs *, unsigned);
void		 jobs_attach(struct jobs *, struct evloop *, unsigned,
		    jobs_result_fn *, jobs_lost_fn *, void *);
int		 jobs_send(struct jobs *, unsigned, const void *, size_t);
void		 jobs_drop(struct jobs *, unsigned);
void		 jobs_kill(struct jobs *);
void		 jobs_free(struct jobs *);
unsigned	 jobs_worker_id(const struct jobs_worker *);
unsigned	 jobs_worker_n(const struct jobs_worker *);
void		 jobs_worker_attach(struct jobs_worker *, struct evloop *,
		    jobs_task_fn *, jobs_gone_fn *, void *);
int		 jobs_worker_reply(struct jobs_worker *, const void *, size_t);
void		 jobs_worker_free(struct jobs_worker *);

#endif
