/*
 * Unit tests for src/app/jobs.c: the run's limits split between the
 * workers so that the parts sum to the total (and none is 0); the
 * default worker count; and real workers over real channels: tasks go
 * out, results with any bytes (newlines, NULs, 300 KB at once) come back
 * whole, a worker killed with SIGKILL is reported lost with how it
 * ended, one that stops answering is killed by the watchdog, the
 * parent's end closed stops the others, and no zombie stays.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
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

/* A cgroup's CPU quota, and the cgroup's path, from literal text. */
static void
test_quota(void)
{
	static const struct {
		const char	*s;
		unsigned	 want;
	} q[] = {
		{ "max 100000", 0 },		/* v2: no limit */
		{ "max 100000\n", 0 },
		{ "150000 100000", 2 },		/* 1.5 CPUs: rounded up */
		{ "200000 100000\n", 2 },
		{ "50000 100000", 1 },
		{ "1 100000", 1 },
		{ "100000 100000", 1 },
		{ "800000 50000", 16 },
		{ "-1 100000", 0 },		/* v1 files joined: none */
		{ "", 0 },
		{ "garbage", 0 },
		{ "100000", 0 },		/* no period */
		{ "100000 0", 0 },
		{ "0 100000", 0 },
		{ "100000 100000 x", 0 },
		{ "1x 100000", 0 },
		{ "99999999999999999999999 1", 0 },	/* overflows */
	};
	static const char text[] =
	    "12:cpuset:/\n"
	    "4:memory:/m\n"
	    "3:cpuacct,cpu:/docker/abc\n"
	    "1:name=systemd:/s\n"
	    "0::/system.slice/mxprobe.service\n";
	char path[64];
	size_t i;

	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		ok(jobs_quota(q[i].s) == q[i].want, "quota \"%.*s\": %u",
		    (int)strcspn(q[i].s, "\n"), q[i].s, q[i].want);
	ok(jobs_cgroup_path(text, "", path, sizeof(path)) == 0 &&
	    strcmp(path, "/system.slice/mxprobe.service") == 0,
	    "cgroup v2 path (%s)", path);
	ok(jobs_cgroup_path(text, "cpu", path, sizeof(path)) == 0 &&
	    strcmp(path, "/docker/abc") == 0, "cgroup v1 cpu path, not "
	    "cpuset's (%s)", path);
	ok(jobs_cgroup_path("1:cpu:/\n", "cpu", path, sizeof(path)) == 0 &&
	    strcmp(path, "/") == 0, "the root, no v2 line");
	ok(jobs_cgroup_path("1:cpu:/\n", "", path, sizeof(path)) == -1,
	    "no v2 line: none");
	ok(jobs_cgroup_path("3:cpuacct,cpuset:/x\n", "cpu", path,
	    sizeof(path)) == -1, "no cpu controller: none");
	ok(jobs_cgroup_path(text, "", path, 8) == -1, "too long: none");
	ok(jobs_cgroup_path("", "", path, sizeof(path)) == -1 &&
	    jobs_cgroup_path("garbage\n0:\n", "", path, sizeof(path)) == -1,
	    "empty or garbage: none");
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) != NULL) {
		fputs(text, fp);
		fclose(fp);
	}
}

/* The reading, on a cgroup tree made under TMPDIR. */
static void
test_cgroup_tree(void)
{
	char root[256], d[512], e[512], f[512];
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof(root), "%s/t_jobs.XXXXXX", tmp != NULL ?
	    tmp : "/tmp");
	if (!ok(mkdtemp(root) != NULL, "a cgroup tree in %s", root))
		return;
	snprintf(d, sizeof(d), "%s/kubepods", root);
	snprintf(e, sizeof(e), "%s/kubepods/pod1", root);
	snprintf(f, sizeof(f), "%s/cpu", root);
	mkdir(d, 0700);
	mkdir(e, 0700);
	mkdir(f, 0700);
	put(root, "cpu.max", "max 100000\n");
	put(d, "cpu.max", "300000 100000\n");
	put(e, "cpu.max", "max 100000\n");
	is_int(jobs_cgroup_cpus("0::/kubepods/pod1\n", root), 3, "v2: a "
	    "parent's quota holds for its child");
	put(e, "cpu.max", "150000 100000\n");
	is_int(jobs_cgroup_cpus("0::/kubepods/pod1\n", root), 2, "v2: the "
	    "lowest on the way up");
	is_int(jobs_cgroup_cpus("0::/elsewhere/x\n", root), 0, "v2: a path "
	    "that is not there (another cgroup namespace): the root's, none");
	is_int(jobs_cgroup_cpus("0::/\n", root), 0, "v2: the root, max");
	put(f, "cpu.cfs_quota_us", "-1\n");
	put(f, "cpu.cfs_period_us", "100000\n");
	is_int(jobs_cgroup_cpus("1:cpu,cpuacct:/\n0::/\n", root), 0, "v1: "
	    "-1, none");
	put(f, "cpu.cfs_quota_us", "50000\n");
	is_int(jobs_cgroup_cpus("1:cpu,cpuacct:/\n0::/kubepods/pod1\n",
	    root), 1, "v1 and v2: the lower (v1's half CPU: 1)");
	is_int(jobs_cgroup_cpus("garbage", root), 0, "no cgroup line: none");
	snprintf(d, sizeof(d), "rm -rf '%s'", root);
	ok(system(d) == 0, "removed");
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
	test_quota();
	test_cgroup_tree();
	test_workers();
	test_killed();
	test_hung();
	return tap_done();
}
