/* Unit tests for src/net/evloop.c: timer order, cancellation inside callbacks,
 * io readiness on a pipe. */
#include <stdint.h>
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

/* Many timers: a timer set no later than another, for no later a delay,
 * fires first (ties in the order set), whatever the clock did while they
 * were set; cancelled ones never fire. */
#define NT 3000
static struct ev_timer *many[NT];
static uint64_t many_when[NT];
static int fired[NT], nfired, fire_pos[NT];

static void
many_fire(void *arg)
{
	int i = (int)(intptr_t)arg;

	fired[i]++;
	fire_pos[i] = nfired++;
	many[i] = NULL;
}

/* Pairs i < j, both fired, with many_when[i] <= many_when[j], where j
 * fired first: the deadline of i is set no later, so that is wrong under
 * any clock (a slow run, valgrind, only moves later timers later). */
static int
count_misordered(void)
{
	int i, j, bad = 0;

	for (i = 0; i < NT; i++) {
		if (!fired[i])
			continue;
		for (j = i + 1; j < NT; j++)
			if (fired[j] && many_when[i] <= many_when[j] &&
			    fire_pos[j] < fire_pos[i])
				bad++;
	}
	return bad;
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

	{
		unsigned x = 12345;
		int i, want = 0, bad = 0;

		for (i = 0; i < NT; i++) {
			x = x * 1103515245u + 12345u;
			/* Deadlines collide on purpose: ties keep order. */
			many_when[i] = 5 * ((x >> 16) % 40);
			many[i] = evloop_timer_add(l, many_when[i],
			    many_fire, (void *)(intptr_t)i);
		}
		for (i = 0; i < NT; i += 3) {
			evloop_timer_del(many[i]);
			many[i] = NULL;
		}
		for (i = 0; i < NT; i++)
			if (i % 3 != 0)
				want++;
		evloop_run(l);
		for (i = 0; i < NT; i++)
			if (fired[i] != (i % 3 != 0))
				bad++;
		is_int(nfired, want, "every timer left fired once");
		is_int(bad, 0, "cancelled timers did not fire");
		is_int(count_misordered(), 0, "timers fired in deadline "
		    "order, ties in the order set");
	}
	evloop_free(l);
	return tap_done();
}
