/*
 * Unit tests for src/probe/sockets.c: the run's pool of connections
 * hands slots out up to its cap, queues the rest first come first
 * served, and wakes them as slots come back.
 */
#include <stdlib.h>

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

int
main(void)
{
	test_queue();
	test_shrink_unwait();
	return tap_done();
}
