#include "config.h"

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/jobs.h"
#include "net/evloop.h"
#include "util/buf.h"
#include "util/frame.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define JOBS_READ	65536	/* octets asked of read(2) at once */

/* The parent's view of one worker. */
struct jobs_slot {
	struct jobs		*j;
	unsigned		 id;
	pid_t			 pid;		/* 0 once reaped */
	int			 fd;		/* -1 once closed */
	struct ev_io		*io;
	struct frame_reader	*rd;
	unsigned		 held;		/* tasks not answered yet */
	uint64_t		 due;		/* watchdog: evloop_clock() ms */
	uint64_t		 answered;	/* its last result, the same */
	struct ev_timer		*dog;
};

struct jobs {
	struct jobs_slot	*w;
	unsigned		 n, live;
	struct evloop		*loop;
	unsigned		 deadline_ms;	/* of each task; 0: none */
	jobs_result_fn		*on_result;
	jobs_lost_fn		*on_lost;
	void			*arg;
};

struct jobs_worker {
	unsigned		 id, n;
	int			 fd;
	struct ev_io		*io;
	struct frame_reader	*rd;
	jobs_task_fn		*on_task;
	jobs_gone_fn		*on_gone;
	void			*arg;
	int			 gone;
};

unsigned
jobs_share(unsigned total, unsigned n, unsigned i)
{
	unsigned part;

	if (n == 0)
		return total > 0 ? total : 1;
	part = total / n + (i < total % n ? 1 : 0);
	return part > 0 ? part : 1;
}

unsigned
jobs_auto(unsigned cpus, size_t names, unsigned parallel)
{
	unsigned n = cpus;

	if (names < JOBS_AUTO_MIN || n < 1)
		return 1;
	if (n > JOBS_MAX)
		n = JOBS_MAX;
	if (n > parallel)
		n = parallel > 0 ? parallel : 1;
	return n;
}

/* Whether word is one of the comma-separated words of list[0..len). */
static int
word_in(const char *list, size_t len, const char *word, size_t wlen)
{
	const char *end = list + len, *comma;

	for (; list < end; list = comma + 1) {
		if ((comma = memchr(list, ',', (size_t)(end - list))) == NULL)
			comma = end;
		if ((size_t)(comma - list) == wlen && memcmp(list, word,
		    wlen) == 0)
			return 1;
	}
	return 0;
}

unsigned
jobs_quota(const char *s)
{
	unsigned long long quota, period, n;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return 0;	/* "max", "-1" (no quota), garbage, empty */
	errno = 0;
	quota = strtoull(s, &end, 10);
	if (errno != 0 || quota == 0 || (*end != ' ' && *end != '\t'))
		return 0;
	for (s = end; *s == ' ' || *s == '\t'; s++)
		;
	if (*s < '0' || *s > '9')
		return 0;
	period = strtoull(s, &end, 10);
	if (errno != 0 || period == 0)
		return 0;
	for (s = end; *s == ' ' || *s == '\t' || *s == '\n'; s++)
		;
	if (*s != '\0')
		return 0;
	n = quota / period + (quota % period != 0 ? 1 : 0);
	return n < UINT_MAX ? (unsigned)n : UINT_MAX;
}

int
jobs_cgroup_path(const char *text, const char *controller, char *out,
    size_t size)
{
	const char *line, *c, *p, *eol;
	size_t clen = strlen(controller), n;

	for (line = text; *line != '\0'; line = *eol != '\0' ? eol + 1 : eol) {
		eol = strchr(line, '\n');
		if (eol == NULL)
			eol = line + strlen(line);
		/* ID:CONTROLLERS:PATH */
		if ((c = memchr(line, ':', (size_t)(eol - line))) == NULL ||
		    (p = memchr(c + 1, ':', (size_t)(eol - c - 1))) == NULL)
			continue;
		c++;
		if (clen == 0 ? p != c : !word_in(c, (size_t)(p - c),
		    controller, clen))
			continue;
		p++;
		n = (size_t)(eol - p);
		if (n == 0 || *p != '/' || n >= size)
			return -1;
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* Up to size - 1 octets of a small file (/proc, /sys) into b: 0, -1. */
static int
read_small(const char *path, char *b, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	do
		n = read(fd, b, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n < 0)
		return -1;
	b[n] = '\0';
	return 0;
}

/*
 * The smallest CPU quota on the way from the cgroup at path below base up
 * to base (a limit of a parent holds for its children): 0 for none. v1:
 * cpu.cfs_quota_us and cpu.cfs_period_us, joined as cpu.max is.
 */
static unsigned
quota_under(const char *base, const char *path, int v1)
{
	char dir[PATH_MAX], f[PATH_MAX + 32], q[64], per[64], line[132];
	size_t blen = strlen(base);
	unsigned best = 0, n;
	char *cut;

	if ((size_t)snprintf(dir, sizeof(dir), "%s%s", base,
	    strcmp(path, "/") == 0 ? "" : path) >= sizeof(dir))
		return 0;
	for (;;) {
		n = 0;
		if (!v1) {
			snprintf(f, sizeof(f), "%s/cpu.max", dir);
			if (read_small(f, line, sizeof(line)) == 0)
				n = jobs_quota(line);
		} else {
			snprintf(f, sizeof(f), "%s/cpu.cfs_quota_us", dir);
			if (read_small(f, q, sizeof(q)) == 0) {
				snprintf(f, sizeof(f), "%s/cpu.cfs_period_us",
				    dir);
				if (read_small(f, per, sizeof(per)) == 0) {
					q[strcspn(q, "\n")] = '\0';
					snprintf(line, sizeof(line), "%s %s", q,
					    per);
					n = jobs_quota(line);
				}
			}
		}
		if (n > 0 && (best == 0 || n < best))
			best = n;
		if (strlen(dir) <= blen || (cut = strrchr(dir, '/')) == NULL)
			break;
		*cut = '\0';	/* path starts with /: never above base */
	}
	return best;
}

unsigned
jobs_cgroup_cpus(const char *text, const char *root)
{
	char path[PATH_MAX], v1base[PATH_MAX];
	unsigned v2 = 0, v1 = 0;

	if (jobs_cgroup_path(text, "", path, sizeof(path)) == 0)
		v2 = quota_under(root, path, 0);
	if (jobs_cgroup_path(text, "cpu", path, sizeof(path)) == 0 &&
	    (size_t)snprintf(v1base, sizeof(v1base), "%s/cpu", root) <
	    sizeof(v1base))
		v1 = quota_under(v1base, path, 1);
	if (v1 > 0 && (v2 == 0 || v1 < v2))
		return v1;
	return v2;
}

unsigned
jobs_cpus(void)
{
	char text[4096];
	unsigned n = 0, q;
	long on;
#ifdef HAVE_SCHED_GETAFFINITY
	cpu_set_t set;

	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = (unsigned)CPU_COUNT(&set);
#endif
	if (n == 0) {
		on = sysconf(_SC_NPROCESSORS_ONLN);
		n = on > 0 ? (unsigned)on : 1;
	}
	q = 0;
	if (read_small("/proc/self/cgroup", text, sizeof(text)) == 0)
		q = jobs_cgroup_cpus(text, "/sys/fs/cgroup");
	return q > 0 && q < n ? q : n;
}

/* Write all of p to fd, waiting in poll(2) while it is full. */
static int
write_all(int fd, const unsigned char *p, size_t len)
{
	struct pollfd pfd;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
				return -1;
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
write_frame(int fd, const void *p, size_t len)
{
	unsigned char h[FRAME_HDR];

	if (len > FRAME_MAX)
		return -1;
	frame_set_u32(h, (uint32_t)len);
	if (write_all(fd, h, sizeof(h)) == -1)
		return -1;
	return write_all(fd, p, len);
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGKILL:	return "SIGKILL";
	case SIGTERM:	return "SIGTERM";
	case SIGINT:	return "SIGINT";
	case SIGSEGV:	return "SIGSEGV";
	case SIGABRT:	return "SIGABRT";
	case SIGBUS:	return "SIGBUS";
	case SIGFPE:	return "SIGFPE";
	case SIGILL:	return "SIGILL";
	case SIGPIPE:	return "SIGPIPE";
	default:	return "?";
	}
}

/* Wait for pid; after grace_ms (-1: forever), SIGKILL it first. */
static int
reap(pid_t pid, int grace_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int st = 0, waited = 0;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &st, grace_ms < 0 ? 0 : WNOHANG);
		if (r == pid)
			return st;
		if (r == -1 && errno != EINTR)
			return 0;	/* not ours any more */
		if (r == 0) {
			if (waited >= grace_ms) {
				kill(pid, SIGKILL);
				grace_ms = -1;
				continue;
			}
			nanosleep(&ts, NULL);
			waited += 10;
		}
	}
}

/* The parent's end of a channel: closed, out of the loop. */
static void
slot_close(struct jobs_slot *s)
{
	if (s->io != NULL)
		evloop_io_del(s->io);
	s->io = NULL;
	if (s->dog != NULL)
		evloop_timer_del(s->dog);
	s->dog = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

/*
 * Worker w is gone: close, reap, tell the caller how it ended. With
 * killed (why the parent ends it: it misbehaved), SIGKILL it first and
 * say that instead of its status.
 */
static void
slot_lost(struct jobs_slot *s, const char *killed)
{
	struct jobs *j = s->j;
	char how[128];
	long pid = (long)s->pid;
	int st;

	slot_close(s);
	if (killed != NULL)
		kill(s->pid, SIGKILL);
	st = reap(s->pid, killed != NULL ? -1 : 2000);
	s->pid = 0;
	s->held = 0;
	j->live--;
	if (killed != NULL)
		snprintf(how, sizeof(how), "%s", killed);
	else if (WIFSIGNALED(st))
		snprintf(how, sizeof(how), R_("it was killed by signal %d "
		    "(%s)"), WTERMSIG(st), signal_name(WTERMSIG(st)));
	else
		snprintf(how, sizeof(how), R_("it exited with status %d"),
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	log_debug("worker %u (pid %ld) is gone: %s", s->id, pid, how);
	if (j->on_lost != NULL)
		j->on_lost(j->arg, s->id, how);
}

/*
 * Read what fd holds (non-blocking) and hand each whole message to fn,
 * which returns 0 when the channel was closed meanwhile. DRAIN_AGAIN:
 * all read for now; DRAIN_END: the end of file or a read error (a
 * message cut short is dropped); DRAIN_BROKEN: a length over the
 * maximum; DRAIN_CLOSED: fn closed the channel.
 */
enum drain { DRAIN_AGAIN, DRAIN_END, DRAIN_BROKEN, DRAIN_CLOSED };

static enum drain
drain(int fd, struct frame_reader *rd, int (*fn)(void *,
    const unsigned char *, size_t), void *arg)
{
	const unsigned char *p;
	unsigned char *room;
	size_t len, cap;
	ssize_t n;
	int rc;

	for (;;) {
		room = frame_reader_space(rd, JOBS_READ, &cap);
		n = read(fd, room, cap);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return DRAIN_AGAIN;
		if (n <= 0)
			return DRAIN_END;
		frame_reader_got(rd, (size_t)n);
		while ((rc = frame_reader_next(rd, &p, &len)) == 1)
			if (!fn(arg, p, len))
				return DRAIN_CLOSED;
		if (rc == -1)
			return DRAIN_BROKEN;
	}
}

static int
slot_message(void *arg, const unsigned char *p, size_t len)
{
	struct jobs_slot *s = arg;

	s->answered = evloop_clock();
	if (s->held > 0 && --s->held == 0) {
		/* Nothing in flight: nothing to wait for. */
		if (s->dog != NULL)
			evloop_timer_del(s->dog);
		s->dog = NULL;
		s->due = 0;
	}
	s->j->on_result(s->j->arg, s->id, p, len);
	return s->fd != -1;	/* 0: killed from the callback */
}

static void
on_worker_readable(int fd, int events, void *arg)
{
	struct jobs_slot *s = arg;

	(void)events;
	switch (drain(fd, s->rd, slot_message, s)) {
	case DRAIN_END:
		/* The worker exited (or a read error): its domains in
		 * flight are lost with it. */
		slot_lost(s, 0);
		break;
	case DRAIN_BROKEN:
		jobs_drop(s->j, s->id);
		break;
	default:
		break;
	}
}

static void	on_watchdog(void *);

/* Wake at s->due (or at once when it has passed). */
static void
dog_arm(struct jobs_slot *s)
{
	uint64_t now = evloop_clock();

	if (s->dog != NULL)
		evloop_timer_del(s->dog);
	s->dog = evloop_timer_add(s->j->loop, s->due > now ? s->due - now : 0,
	    on_watchdog, s);
}

/*
 * The deadline of what worker s holds has passed. What it has written
 * meanwhile is read first: the parent may have been the slow one (a
 * blocking stdout) while the worker waited to hand its results over.
 * A worker that answered within the last JOBS_GRACE_MS is given that
 * much more from its answer; one that answered nothing is killed, and
 * its domains go the way of a worker that died.
 */
static void
on_watchdog(void *arg)
{
	struct jobs_slot *s = arg;
	char how[128];

	s->dog = NULL;
	on_worker_readable(s->fd, 0, s);
	if (s->fd == -1 || s->held == 0 || s->dog != NULL)
		return;		/* gone, all answered, or given more */
	if (s->answered + JOBS_GRACE_MS > evloop_clock()) {
		s->due = s->answered + JOBS_GRACE_MS;
		dog_arm(s);
		return;
	}
	snprintf(how, sizeof(how), R_("it did not answer within the "
	    "deadline (--timeout and %d s more) and was killed"),
	    JOBS_GRACE_MS / 1000);
	slot_lost(s, how);
}

int
jobs_fork(unsigned n, struct jobs **pool, struct jobs_worker **me,
    struct buf *why)
{
	struct jobs *j;
	struct jobs_worker *wk;
	struct sigaction sa;
	unsigned i, k;
	int sv[2], null;
	pid_t pid;

	*pool = NULL;
	*me = NULL;
	j = xcalloc(1, sizeof(*j));
	j->w = xcalloc(n, sizeof(*j->w));
	for (i = 0; i < n; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
			buf_printf(why, _("--jobs: socketpair: %s"),
			    strerror(errno));
			break;
		}
		fflush(NULL);
		if ((pid = fork()) == -1) {
			buf_printf(why, _("--jobs: fork: %s"), strerror(errno));
			close(sv[0]);
			close(sv[1]);
			break;
		}
		if (pid == 0) {
			/* The worker: only its own end of its own channel. */
			close(sv[0]);
			for (k = 0; k < i; k++) {
				close(j->w[k].fd);
				frame_reader_free(j->w[k].rd);
			}
			free(j->w);
			free(j);
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = SIG_IGN;
			sigemptyset(&sa.sa_mask);
			sigaction(SIGINT, &sa, NULL);
			sigaction(SIGTERM, &sa, NULL);
			if ((null = open("/dev/null", O_WRONLY)) != -1) {
				dup2(null, STDOUT_FILENO);
				if (null != STDOUT_FILENO)
					close(null);
			}
			fcntl(sv[1], F_SETFD, FD_CLOEXEC);
			fcntl(sv[1], F_SETFL, O_NONBLOCK);
			wk = xcalloc(1, sizeof(*wk));
			wk->id = i;
			wk->n = n;
			wk->fd = sv[1];
			wk->rd = frame_reader_new(FRAME_MAX);
			*me = wk;
			return 1;
		}
		close(sv[1]);
		fcntl(sv[0], F_SETFD, FD_CLOEXEC);
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		j->w[i].j = j;
		j->w[i].id = i;
		j->w[i].pid = pid;
		j->w[i].fd = sv[0];
		j->w[i].rd = frame_reader_new(FRAME_MAX);
		j->n++;
		j->live++;
	}
	if (j->n == 0) {
		free(j->w);
		free(j);
		return -1;
	}
	if (j->n < n)
		fprintf(stderr, _("mxprobe: %s; going on with %u of %u "
		    "workers\n"), buf_str(why), j->n, n);
	*pool = j;
	return 0;
}

unsigned
jobs_count(const struct jobs *j)
{
	return j->n;
}

unsigned
jobs_live(const struct jobs *j)
{
	return j->live;
}

int
jobs_alive(const struct jobs *j, unsigned w)
{
	return w < j->n && j->w[w].fd != -1;
}

void
jobs_attach(struct jobs *j, struct evloop *loop, unsigned deadline_ms,
    jobs_result_fn *on_result, jobs_lost_fn *on_lost, void *arg)
{
	unsigned i;

	j->loop = loop;
	j->deadline_ms = deadline_ms;
	j->on_result = on_result;
	j->on_lost = on_lost;
	j->arg = arg;
	for (i = 0; i < j->n; i++)
		if (j->w[i].fd != -1)
			j->w[i].io = evloop_io_add(loop, j->w[i].fd, EV_READ,
			    on_worker_readable, &j->w[i]);
}

int
jobs_send(struct jobs *j, unsigned w, const void *p, size_t len)
{
	struct jobs_slot *s = &j->w[w];
	uint64_t due;

	if (!jobs_alive(j, w))
		return -1;
	/*
	 * The tasks a worker has not read yet are a few octets each and
	 * at most its share of --parallel: they fit in the socket's
	 * buffer, so this never waits long.
	 */
	if (write_frame(s->fd, p, len) == -1) {
		slot_lost(s, R_("it did not take its task"));
		return -1;
	}
	s->held++;
	/* The latest deadline of what it holds, and the grace. */
	due = evloop_clock() + j->deadline_ms + JOBS_GRACE_MS;
	if (j->deadline_ms > 0 && due > s->due) {
		s->due = due;
		dog_arm(s);
	}
	return 0;
}

void
jobs_drop(struct jobs *j, unsigned w)
{
	if (jobs_alive(j, w))
		slot_lost(&j->w[w], R_("it sent a malformed message"));
}

void
jobs_kill(struct jobs *j)
{
	struct jobs_slot *s;
	unsigned i;

	for (i = 0; j != NULL && i < j->n; i++) {
		s = &j->w[i];
		if (s->fd == -1)
			continue;
		slot_close(s);
		kill(s->pid, SIGKILL);
		reap(s->pid, -1);
		s->pid = 0;
		j->live--;
	}
}

void
jobs_free(struct jobs *j)
{
	struct jobs_slot *s;
	unsigned i;

	if (j == NULL)
		return;
	/* Closed first, all of them: each worker stops at once. */
	for (i = 0; i < j->n; i++) {
		s = &j->w[i];
		slot_close(s);
	}
	for (i = 0; i < j->n; i++) {
		s = &j->w[i];
		if (s->pid != 0)
			reap(s->pid, 2000);
		frame_reader_free(s->rd);
	}
	free(j->w);
	free(j);
}

unsigned
jobs_worker_id(const struct jobs_worker *wk)
{
	return wk->id;
}

unsigned
jobs_worker_n(const struct jobs_worker *wk)
{
	return wk->n;
}

static void
worker_gone(struct jobs_worker *wk)
{
	if (wk->gone)
		return;
	wk->gone = 1;
	if (wk->io != NULL)
		evloop_io_del(wk->io);
	wk->io = NULL;
	wk->on_gone(wk->arg);
}

static int
worker_message(void *arg, const unsigned char *p, size_t len)
{
	struct jobs_worker *wk = arg;

	wk->on_task(wk->arg, p, len);
	return !wk->gone;
}

static void
on_parent_readable(int fd, int events, void *arg)
{
	struct jobs_worker *wk = arg;

	(void)events;
	if (drain(fd, wk->rd, worker_message, wk) != DRAIN_AGAIN)
		worker_gone(wk);	/* no-op when gone already */
}

void
jobs_worker_attach(struct jobs_worker *wk, struct evloop *loop,
    jobs_task_fn *on_task, jobs_gone_fn *on_gone, void *arg)
{
	wk->on_task = on_task;
	wk->on_gone = on_gone;
	wk->arg = arg;
	wk->io = evloop_io_add(loop, wk->fd, EV_READ, on_parent_readable, wk);
}

int
jobs_worker_reply(struct jobs_worker *wk, const void *p, size_t len)
{
	if (wk->gone)
		return -1;
	if (write_frame(wk->fd, p, len) == -1) {
		worker_gone(wk);
		return -1;
	}
	return 0;
}

void
jobs_worker_free(struct jobs_worker *wk)
{
	if (wk == NULL)
		return;
	if (wk->io != NULL)
		evloop_io_del(wk->io);
	close(wk->fd);
	frame_reader_free(wk->rd);
	free(wk);
}
