/* Unit tests for src/net/evloop.c: timer order, cancellation inside callbacks,
 * io readiness on a pipe. */
#include <unistd.h>

#include "net/evloop.h"
#include "tap.h"

static char order[16];
static int norder;
static struct ev_timer *victim;

static void
mark(void *arg)
{
	order[norder++] = *(const char *)arg;
}

static void
cancel_victim(void *arg)
{
	mark(arg);
	evloop_timer_del(victim);
}

static int pipefd[2];
static struct ev_io *w;
static int reads;

static void
on_read(int fd, int ev, void *arg)
{
	char c;

	(void)arg;
	if (ev & EV_READ) {
		if (read(fd, &c, 1) == 1)
			reads++;
	}
	evloop_io_del(w);
}

int
main(void)
{
	struct evloop *l = evloop_new();
	static const char a = 'a', b = 'b', c = 'c', d = 'd';

	evloop_timer_add(l, 20, mark, (void *)&c);
	evloop_timer_add(l, 0, mark, (void *)&a);
	evloop_timer_add(l, 0, cancel_victim, (void *)&b);
	victim = evloop_timer_add(l, 10, mark, (void *)&d);
	evloop_run(l);
	order[norder] = '\0';
	is_str(order, "abc", "timers fire in deadline order; cancelled one "
	    "does not fire");

	ok(pipe(pipefd) == 0, "pipe");
	w = evloop_io_add(l, pipefd[0], EV_READ, on_read, NULL);
	ok(write(pipefd[1], "x", 1) == 1, "write");
	evloop_run(l);
	is_int(reads, 1, "read callback ran once and deleted itself");
	ok(evloop_now(l) > 0, "clock runs");
	close(pipefd[0]);
	close(pipefd[1]);
	evloop_free(l);
	return tap_done();
}
