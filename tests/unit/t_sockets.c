/*
 * Unit tests for src/probe/sockets.c: the run's pool of connections
 * hands slots out up to its cap, queues the rest first come first
 * served, and wakes them as slots come back.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probe/sockets.h"
#include "tap.h"

struct who {
	struct sockets		*s;
	struct sockets_waiter	 w;
	int			 want;	/* slots still wanted */
	int			 held;
	int			 calls;
};

static void
wake(void *arg)
{
	struct who *x = arg;

	x->calls++;
	while (x->want > 0 && sockets_take(x->s)) {
		x->want--;
		x->held++;
	}
	if (x->want > 0)
		sockets_wait(x->s, &x->w, wake, x);
}

static void
test_queue(void)
{
	struct sockets *s = sockets_new(2);
	struct who a = { s, { 0 }, 3, 0, 0 }, b = { s, { 0 }, 1, 0, 0 };

	wake(&a);
	is_int(a.held, 2, "the cap is handed out");
	is_int(sockets_used(s), 2, "two slots held");
	wake(&b);
	is_int(b.held, 0, "the next one waits, it does not fail");
	sockets_give(s);
	a.held--;
	is_int(a.held + b.held, 2, "a slot given back is taken at once");
	is_int(a.held, 2, "first come, first served");
	is_int(b.held, 0, "the later one still waits");
	sockets_give(s);
	a.held--;
	is_int(b.held, 1, "then the next in line");
	is_int(sockets_used(s), 2, "never over the cap");
	sockets_give(s);
	sockets_give(s);
	is_int(sockets_used(s), 0, "all back");
	sockets_free(s);
}

static void
test_shrink_unwait(void)
{
	struct sockets *s = sockets_new(5);
	struct who a = { s, { 0 }, 3, 0, 0 }, b = { s, { 0 }, 1, 0, 0 };

	wake(&a);
	is_int(a.held, 3, "three of five");
	sockets_shrink(s);
	is_int(sockets_max(s), 3, "out of descriptors: the cap is what is "
	    "held");
	wake(&b);
	is_int(b.held, 0, "no slot past the shrunk cap");
	sockets_unwait(&b.w);
	sockets_give(s);
	is_int(b.calls, 1, "a waiter taken out of line is not called");
	sockets_unwait(&b.w);
	ok(sockets_take(NULL), "no pool: no cap");
	sockets_give(s);
	sockets_give(s);
	sockets_free(s);
	s = sockets_new(0);
	is_int(sockets_max(s), 1, "a cap of 0 is 1");
	sockets_free(s);
}

/* --- The cap per address --- */

static const unsigned char A1[4] = { 192, 0, 2, 1 };
static const unsigned char A2[4] = { 192, 0, 2, 2 };
static const unsigned char A6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* One session: its address's slot first, then handed over in line. */
struct sess {
	struct sockets		*s;
	struct sockets_waiter	 w;
	int			 family;
	const unsigned char	*addr;
	int			 held;
	int			 order;	/* when it got the slot, 1... */
	int			 give_back;	/* at once, from the callback */
};

static int clock_;

static void
handed(void *arg)
{
	struct sess *x = arg;

	x->held = 1;
	x->order = ++clock_;
	if (x->give_back) {
		x->held = 0;
		sockets_addr_give(x->s, x->family, x->addr);
	}
}

static void
start(struct sess *x, struct sockets *s, int family,
    const unsigned char *addr)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
	x->family = family;
	x->addr = addr;
	if (sockets_addr_take(s, family, addr)) {
		x->held = 1;
		x->order = ++clock_;
	} else
		sockets_addr_wait(s, &x->w, family, addr, handed, x);
}

static void
stop(struct sess *x)
{
	if (!x->held)
		return;
	x->held = 0;
	sockets_addr_give(x->s, x->family, x->addr);
}

static void
test_addr_cap(void)
{
	struct sockets *s = sockets_new(100);
	struct sess a[6], b, c, d;
	int i, held;

	ok(sockets_addr_take(s, AF_INET, A1), "no cap per address: a take "
	    "always succeeds");
	sockets_addr_give(s, AF_INET, A1);
	is_int(sockets_addr_used(s, AF_INET, A1), 0, "no cap: nothing "
	    "counted");
	sockets_set_per_addr(s, 2);
	is_int(sockets_per_addr(s), 2, "the cap is 2");
	clock_ = 0;
	for (i = 0; i < 6; i++)
		start(&a[i], s, AF_INET, A1);
	for (held = 0, i = 0; i < 6; i++)
		held += a[i].held;
	is_int(held, 2, "two sessions to the address, not six");
	is_int(sockets_addr_used(s, AF_INET, A1), 2, "two slots held there");
	ok(a[0].held && a[1].held, "the first two hold them");
	start(&b, s, AF_INET, A2);
	ok(b.held, "an idle address is not blocked by the busy one's line");
	start(&c, s, AF_INET6, A6);
	ok(c.held, "nor is an IPv6 address");
	start(&d, s, AF_INET, A2);
	ok(d.held, "the second session to the idle address too");
	stop(&b);
	stop(&d);
	stop(&c);
	is_int(sockets_addr_used(s, AF_INET, A2), 0, "the idle address's "
	    "slots back");
	stop(&a[1]);
	ok(a[2].held && !a[3].held, "a slot given back wakes the first in "
	    "line, only it");
	is_int(sockets_addr_used(s, AF_INET, A1), 2, "the cap still holds");
	stop(&a[0]);
	ok(a[3].held && !a[4].held, "then the next");
	is_int(a[3].order, a[2].order + 1, "first come, first served");
	ok(!sockets_addr_take(s, AF_INET, A1), "a take at the cap fails");
	sockets_unwait(&a[4].w);
	stop(&a[2]);
	ok(!a[4].held && a[5].held, "a waiter taken out of line is passed "
	    "over");
	/* A waiter whose callback gives the slot back at once: the next
	 * is handed it, the stack stays flat. */
	a[4].give_back = 1;
	a[4].held = 0;
	sockets_addr_wait(s, &a[4].w, AF_INET, A1, handed, &a[4]);
	start(&b, s, AF_INET, A1);
	stop(&a[3]);
	ok(a[4].order > 0 && !a[4].held, "handed the slot, gave it back");
	ok(b.held, "and the one behind it got it");
	stop(&a[5]);
	stop(&b);
	is_int(sockets_addr_used(s, AF_INET, A1), 0, "all back");
	/* Freed while a session still waits: caught, not leaked. The
	 * pool stays usable when the waiter leaves the line first. */
	start(&a[0], s, AF_INET, A1);
	start(&a[1], s, AF_INET, A1);
	start(&a[2], s, AF_INET, A1);
	ok(!a[2].held, "the third waits");
	sockets_unwait(&a[2].w);
	stop(&a[0]);
	stop(&a[1]);
	ok(!a[2].held, "out of line: never handed a slot");
	sockets_free(s);
	ok(1, "freed with no waiter left");
	ok(sockets_addr_take(NULL, AF_INET, A1), "no pool: no cap per "
	    "address");
}

/* sockets_free with a waiter left in an address's line panics (a
 * probe left one behind): in a child, which must die of it. */
static void
test_free_with_waiter(void)
{
	struct sockets *s;
	struct sess a, b;
	pid_t pid;
	int st;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		s = sockets_new(10);
		sockets_set_per_addr(s, 1);
		start(&a, s, AF_INET, A1);
		start(&b, s, AF_INET, A1);
		/* stderr would show the panic in the test log */
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(0);
		sockets_free(s);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "free with a waiter "
	    "left in an address's line is caught");
}

int
main(void)
{
	test_queue();
	test_shrink_unwait();
	test_addr_cap();
	test_free_with_waiter();
	return tap_done();
}
