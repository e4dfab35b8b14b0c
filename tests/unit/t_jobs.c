/*
 * Unit tests for src/app/jobs.c: the run's limits split between the
 * workers so that the parts sum to the total (and none is 0); the
 * default worker count; and real workers over real channels: tasks go
 * out, results with any bytes (newlines, NULs, 300 KB at once) come back
 * whole, a worker killed with SIGKILL is reported lost with how it
 * ended, one that stops answering is killed by the watchdog, the
 * parent's end closed stops the others, and no zombie stays.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/jobs.h"
#include "net/evloop.h"
#include "util/buf.h"
#include "util/frame.h"
#include "tap.h"

static void
test_share(void)
{
	static const unsigned totals[] = { 1, 2, 16, 17, 100, 256, 4032 };
	static const unsigned ns[] = { 1, 2, 3, 7, 16 };
	size_t a, c;
	unsigned i, sum, lo, hi, part;
	int bad = 0;

	for (a = 0; a < sizeof(totals) / sizeof(totals[0]); a++)
		for (c = 0; c < sizeof(ns) / sizeof(ns[0]); c++) {
			sum = 0;
			lo = ~0U;
			hi = 0;
			for (i = 0; i < ns[c]; i++) {
				part = jobs_share(totals[a], ns[c], i);
				sum += part;
				lo = part < lo ? part : lo;
				hi = part > hi ? part : hi;
			}
			if (lo < 1 || hi - lo > 1 || (totals[a] >= ns[c] &&
			    sum != totals[a])) {
				diag("total %u, %u workers: sum %u, parts "
				    "%u..%u", totals[a], ns[c], sum, lo, hi);
				bad++;
			}
		}
	ok(bad == 0, "share: the parts sum to the total, differ by at most "
	    "one, none is 0");
	is_int(jobs_share(256, 1, 0), 256, "share: one worker has it all");
	is_int(jobs_share(16, 3, 0), 6, "share: 16 over 3: 6");
	is_int(jobs_share(16, 3, 2), 5, "share: 16 over 3: 5 for the last");
	is_int(jobs_share(1, 4, 3), 1, "share: never 0 (a total below the "
	    "workers: batch_jobs gives no more workers than --parallel)");
}

static void
test_auto(void)
{
	static const struct {
		const char	*name;
		unsigned	 cpus;
		size_t		 names;
		unsigned	 parallel;
		unsigned	 want;
	} t[] = {
		{ "a short list: one process", 8, JOBS_AUTO_MIN - 1, 16, 1 },
		{ "a long list: one per CPU", 8, JOBS_AUTO_MIN, 16, 8 },
		{ "one CPU", 1, 100000, 16, 1 },
		{ "no more than --parallel", 8, 100000, 4, 4 },
		{ "no more than JOBS_MAX", 1000, 100000, 1024, JOBS_MAX },
		{ "CPUs unknown", 0, 100000, 16, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		is_int(jobs_auto(t[i].cpus, t[i].names, t[i].parallel),
		    t[i].want, t[i].name);
	ok(jobs_cpus() >= 1, "jobs_cpus: at least one (%u)", jobs_cpus());
}

/* The worker: each task "N" is answered with N octets of a pattern that
 * holds newlines and NULs, then its id; task "die" makes it _exit(7),
 * task "stop" stops it (SIGSTOP) without an answer. */
static struct evloop *wloop;
static struct jobs_worker *wme;

static void
w_task(void *arg, const unsigned char *p, size_t len)
{
	unsigned char *out;
	size_t n, i;

	(void)arg;
	if (len == 3 && memcmp(p, "die", 3) == 0)
		_exit(7);
	if (len == 4 && memcmp(p, "stop", 4) == 0) {
		raise(SIGSTOP);		/* hung: never answers */
		return;
	}
	n = frame_get_u32(p);
	out = malloc(n + 1);
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)(i % 11 == 0 ? '\n' : i % 13 == 0 ?
		    '\0' : 'a' + i % 26);
	out[n] = (unsigned char)jobs_worker_id(wme);
	jobs_worker_reply(wme, out, n + 1);
	free(out);
}

static void
w_gone(void *arg)
{
	(void)arg;
	evloop_break(wloop);
}

/* A worker's life: its tasks until the parent's end closes. */
static void
worker_main(struct jobs_worker *me)
{
	wme = me;
	wloop = evloop_new();
	jobs_worker_attach(me, wloop, w_task, w_gone, NULL);
	evloop_run(wloop);
	jobs_worker_free(me);
	evloop_free(wloop);
	_exit(0);
}

static struct evloop *ploop;
static struct jobs *pool;
static unsigned results, bad_results, lost, lost_id = 99;
static char lost_how[128];
static size_t want_len;
static unsigned want_results;
static struct ev_timer *give_up_timer;

static void
p_result(void *arg, unsigned w, const unsigned char *p, size_t len)
{
	size_t i;

	(void)arg;
	if (len != want_len + 1 || p[len - 1] != w)
		bad_results++;
	for (i = 0; i + 1 < len; i++)
		if (p[i] != (unsigned char)(i % 11 == 0 ? '\n' : i % 13 == 0 ?
		    '\0' : 'a' + i % 26)) {
			bad_results++;
			break;
		}
	if (++results == want_results)
		evloop_break(ploop);
}

static void
p_lost(void *arg, unsigned w, const char *how)
{
	(void)arg;
	lost++;
	lost_id = w;
	snprintf(lost_how, sizeof(lost_how), "%s", how);
	evloop_break(ploop);
}

static void
give_up(void *arg)
{
	(void)arg;
	give_up_timer = NULL;
	evloop_break(ploop);
}

/* Run the parent's loop until it is broken, 10 s at most. */
static void
run_parent(void)
{
	give_up_timer = evloop_timer_add(ploop, 10000, give_up, NULL);
	evloop_run(ploop);
	if (give_up_timer != NULL)
		evloop_timer_del(give_up_timer);
	give_up_timer = NULL;
}

/* The end of a test: the pool freed, then no child may be left. */
static void
pool_free(struct buf *why, const char *what)
{
	int st;

	jobs_free(pool);
	errno = 0;
	ok(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "%s", what);
	evloop_free(ploop);
	buf_free(why);
}

static void
send_all(size_t n)
{
	unsigned char t[4];
	unsigned w;

	want_len = n;
	frame_set_u32(t, (uint32_t)n);
	for (w = 0; w < jobs_count(pool); w++)
		if (jobs_send(pool, w, t, 4) == 0)
			want_results++;
	run_parent();
}

static void
test_workers(void)
{
	struct jobs_worker *me = NULL;
	struct buf *why = buf_new(256);
	int rc, st;

	rc = jobs_fork(3, &pool, &me, why);
	if (rc == 1)
		worker_main(me);
	if (!ok(rc == 0 && pool != NULL, "fork: three workers (%s)",
	    buf_str(why)))
		return;
	is_int(jobs_count(pool), 3, "fork: three made");
	is_int(jobs_live(pool), 3, "fork: three alive");
	ploop = evloop_new();
	jobs_attach(pool, ploop, 30000, p_result, p_lost, NULL);

	send_all(100);
	is_int(results, 3, "a result from each worker");
	send_all(300 * 1000);
	is_int(results, 6, "300 KB results, over many partial reads");
	is_int(bad_results, 0, "each result whole, from the worker it names, "
	    "newlines and NULs kept");

	/* Worker 1 exits while the others run. */
	jobs_send(pool, 1, "die", 3);
	run_parent();
	is_int(lost, 1, "a worker that exits is reported lost, once");
	is_int(lost_id, 1, "the right one");
	ok(strstr(lost_how, "status 7") != NULL, "with how it ended: %s",
	    lost_how);
	ok(!jobs_alive(pool, 1) && jobs_live(pool) == 2, "it is no longer "
	    "alive; the others are");
	ok(jobs_send(pool, 1, "x", 1) == -1, "a task for it is refused");
	/* Reaped at once: no zombie of it (the others still run). */
	ok(waitpid(-1, &st, WNOHANG) == 0, "no zombie left after the loss");

	send_all(10);
	is_int(results, 8, "the two others still answer");

	pool_free(why, "jobs_free: every worker stopped and reaped (no "
	    "child left)");
}

static void
test_killed(void)
{
	struct jobs_worker *me = NULL;
	struct buf *why = buf_new(256);
	int rc, st;

	lost = 0;
	rc = jobs_fork(2, &pool, &me, why);
	if (rc == 1) {
		pause();	/* killed below; never reads */
		_exit(0);
	}
	if (!ok(rc == 0, "fork: two workers"))
		return;
	ploop = evloop_new();
	jobs_attach(pool, ploop, 0, p_result, p_lost, NULL);
	jobs_drop(pool, 0);
	is_int(lost, 1, "jobs_drop: reported lost");
	ok(strstr(lost_how, "malformed") != NULL, "jobs_drop: as "
	    "misbehaving (%s)", lost_how);
	jobs_kill(pool);
	ok(jobs_live(pool) == 0, "jobs_kill: none alive");
	is_int(lost, 1, "jobs_kill: no loss reported (the caller answers)");
	errno = 0;
	ok(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD,
	    "jobs_kill: reaped");
	jobs_free(pool);
	evloop_free(ploop);
	buf_free(why);
}

/* A worker stopped (SIGSTOP) with a task: the watchdog kills it once
 * the task's deadline and JOBS_GRACE_MS have passed; the other answers. */
static void
test_hung(void)
{
	struct jobs_worker *me = NULL;
	struct buf *why = buf_new(256);
	unsigned char t[4];
	uint64_t t0, took;
	int rc;

	lost = 0;
	results = bad_results = 0;
	rc = jobs_fork(2, &pool, &me, why);
	if (rc == 1)
		worker_main(me);
	if (!ok(rc == 0, "fork: two workers"))
		return;
	ploop = evloop_new();
	jobs_attach(pool, ploop, 200, p_result, p_lost, NULL);
	want_len = 10;
	want_results = 1;
	frame_set_u32(t, 10);
	t0 = evloop_clock();
	ok(jobs_send(pool, 0, "stop", 4) == 0 && jobs_send(pool, 1, t, 4) ==
	    0, "a task to each; the first stops itself");
	run_parent();
	ok(results == 1 && bad_results == 0 && lost == 0, "the other "
	    "answers; the stopped one is not lost yet");
	run_parent();
	took = evloop_clock() - t0;
	is_int(lost, 1, "the stopped worker is lost");
	is_int(lost_id, 0, "the right one");
	ok(strstr(lost_how, "did not answer within the deadline") != NULL,
	    "as not answering (%s)", lost_how);
	ok(took >= 200 + JOBS_GRACE_MS && took < 200 + JOBS_GRACE_MS + 2000,
	    "after its deadline and the grace (%llu ms)",
	    (unsigned long long)took);
	ok(jobs_live(pool) == 1, "the other is still alive");
	pool_free(why, "jobs_free: every worker reaped, the stopped one too");
}

int
main(void)
{
	test_share();
	test_auto();
	test_workers();
	test_killed();
	test_hung();
	return tap_done();
}
