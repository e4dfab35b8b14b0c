#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <time.h>

#include "net/evloop.h"
#include "util/log.h"
#include "util/xalloc.h"

struct ev_io {
	struct evloop	*loop;
	int		 fd;
	int		 events;
	int		 dead;
	ev_io_cb	*cb;
	void		*arg;
};

struct ev_timer {
	struct evloop	*loop;
	uint64_t	 when;
	uint64_t	 seq;
	ev_timer_cb	*cb;
	void		*arg;
	size_t		 slot;		/* index in the heap */
};

struct evloop {
	struct ev_io	**io;
	size_t		  nio, szio;
	size_t		  nlive;
	struct ev_timer	**heap;		/* binary min-heap on (when, seq) */
	size_t		  ntimers, szheap;
	uint64_t	  seq;
	uint64_t	  now;
	int		  stop;
	struct pollfd	 *pfd;
	size_t		  szpfd;
};

uint64_t
evloop_clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		log_panic("clock_gettime");
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct evloop *
evloop_new(void)
{
	struct evloop *l;

	l = xcalloc(1, sizeof(*l));
	l->now = evloop_clock();
	return l;
}

void
evloop_free(struct evloop *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->nio; i++)
		free(l->io[i]);
	for (i = 0; i < l->ntimers; i++)
		free(l->heap[i]);
	free(l->heap);
	free(l->io);
	free(l->pfd);
	free(l);
}

uint64_t
evloop_now(struct evloop *l)
{
	return l->now;
}

struct ev_io *
evloop_io_add(struct evloop *l, int fd, int events, ev_io_cb *cb, void *arg)
{
	struct ev_io *w;

	if (l->nio == l->szio) {
		l->szio = l->szio ? l->szio * 2 : 16;
		l->io = xreallocarray(l->io, l->szio, sizeof(*l->io));
	}
	w = xcalloc(1, sizeof(*w));
	w->loop = l;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->arg = arg;
	l->io[l->nio++] = w;
	l->nlive++;
	return w;
}

void
evloop_io_set(struct ev_io *w, int events)
{
	w->events = events;
}

void
evloop_io_del(struct ev_io *w)
{
	if (w == NULL || w->dead)
		return;
	/* Freed by the loop at the end of the turn: a dispatch in progress
	 * may still hold the pointer. */
	w->dead = 1;
	w->loop->nlive--;
}

/* Equal deadlines fire in the order they were set. */
static int
timer_before(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
heap_put(struct evloop *l, size_t i, struct ev_timer *t)
{
	l->heap[i] = t;
	t->slot = i;
}

static void
heap_up(struct evloop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];

	while (i > 0 && timer_before(t, l->heap[(i - 1) / 2])) {
		heap_put(l, i, l->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_put(l, i, t);
}

static void
heap_down(struct evloop *l, size_t i)
{
	struct ev_timer *t = l->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < l->ntimers) {
		if (c + 1 < l->ntimers &&
		    timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], t))
			break;
		heap_put(l, i, l->heap[c]);
		i = c;
	}
	heap_put(l, i, t);
}

struct ev_timer *
evloop_timer_add(struct evloop *l, uint64_t ms, ev_timer_cb *cb, void *arg)
{
	struct ev_timer *t;

	t = xcalloc(1, sizeof(*t));
	t->loop = l;
	t->when = evloop_clock() + ms;
	t->seq = l->seq++;
	t->cb = cb;
	t->arg = arg;
	if (l->ntimers == l->szheap) {
		l->szheap = l->szheap ? l->szheap * 2 : 64;
		l->heap = xreallocarray(l->heap, l->szheap,
		    sizeof(*l->heap));
	}
	heap_put(l, l->ntimers++, t);
	heap_up(l, t->slot);
	return t;
}

static void
timer_unlink(struct ev_timer *t)
{
	struct evloop *l = t->loop;
	size_t i = t->slot;

	if (--l->ntimers == i)
		return;
	heap_put(l, i, l->heap[l->ntimers]);
	if (i > 0 && timer_before(l->heap[i], l->heap[(i - 1) / 2]))
		heap_up(l, i);
	else
		heap_down(l, i);
}

void
evloop_timer_del(struct ev_timer *t)
{
	if (t == NULL)
		return;
	timer_unlink(t);
	free(t);
}

void
evloop_break(struct evloop *l)
{
	l->stop = 1;
}

static void
reap(struct evloop *l)
{
	size_t i, j;

	for (i = j = 0; i < l->nio; i++) {
		if (l->io[i]->dead)
			free(l->io[i]);
		else
			l->io[j++] = l->io[i];
	}
	l->nio = j;
}

static void
run_timers(struct evloop *l)
{
	struct ev_timer *t;
	ev_timer_cb *cb;
	void *arg;

	l->now = evloop_clock();
	while (l->ntimers > 0 && (t = l->heap[0])->when <= l->now &&
	    !l->stop) {
		cb = t->cb;
		arg = t->arg;
		/* Unlinked and freed before the callback: it may set a new
		 * timer or cancel others, never this one. */
		timer_unlink(t);
		free(t);
		cb(arg);
	}
}

int
evloop_run(struct evloop *l)
{
	size_t i, n;
	int timeout, rv, ev;
	struct ev_io *w;

	l->stop = 0;
	while (!l->stop && (l->nlive > 0 || l->ntimers > 0)) {
		run_timers(l);
		reap(l);
		if (l->stop || (l->nlive == 0 && l->ntimers == 0))
			break;
		if (l->szpfd < l->nio) {
			l->szpfd = l->nio;
			l->pfd = xreallocarray(l->pfd, l->szpfd,
			    sizeof(*l->pfd));
		}
		for (i = n = 0; i < l->nio; i++) {
			w = l->io[i];
			l->pfd[n].fd = w->fd;
			l->pfd[n].events = (short)((w->events & EV_READ ?
			    POLLIN : 0) | (w->events & EV_WRITE ? POLLOUT : 0));
			l->pfd[n].revents = 0;
			n++;
		}
		timeout = -1;
		if (l->ntimers > 0) {
			l->now = evloop_clock();
			timeout = l->heap[0]->when <= l->now ? 0 :
			    (int)(l->heap[0]->when - l->now);
		}
		rv = poll(l->pfd, n, timeout);
		if (rv == -1) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		l->now = evloop_clock();
		/* Only the watches that were polled: ones added by callbacks
		 * in this turn sit beyond n. */
		for (i = 0; i < n && rv > 0 && !l->stop; i++) {
			if (l->pfd[i].revents == 0)
				continue;
			rv--;
			w = l->io[i];
			if (w->dead)
				continue;
			ev = 0;
			if (l->pfd[i].revents & POLLIN)
				ev |= EV_READ;
			if (l->pfd[i].revents & POLLOUT)
				ev |= EV_WRITE;
			if (l->pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				ev |= EV_ERROR;
			w->cb(w->fd, ev, w->arg);
		}
		reap(l);
	}
	return 0;
}
