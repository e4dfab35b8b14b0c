/*
 * sockets - the run's pool of SMTP connections; see sockets.h.
 */
#include <stdlib.h>

#include "probe/sockets.h"
#include "util/log.h"
#include "util/xalloc.h"

struct sockets {
	unsigned		 max;
	unsigned		 used;
	struct sockets_waiter	*head, **tail;
	int			 waking;
};

struct sockets *
sockets_new(unsigned max)
{
	struct sockets *s;

	s = xcalloc(1, sizeof(*s));
	s->max = max > 0 ? max : 1;
	s->tail = &s->head;
	return s;
}

void
sockets_free(struct sockets *s)
{
	if (s == NULL)
		return;
	if (s->head != NULL)
		log_panic("sockets_free: waiters left in line");
	free(s);
}

int
sockets_take(struct sockets *s)
{
	if (s == NULL)
		return 1;
	if (s->used >= s->max)
		return 0;
	s->used++;
	return 1;
}

static struct sockets_waiter *
pop(struct sockets *s)
{
	struct sockets_waiter *w = s->head;

	if (w == NULL)
		return NULL;
	if ((s->head = w->next) == NULL)
		s->tail = &s->head;
	w->next = NULL;
	w->waiting = 0;
	return w;
}

void
sockets_give(struct sockets *s)
{
	struct sockets_waiter *w;
	unsigned before;

	if (s == NULL)
		return;
	if (s->used == 0)
		log_panic("sockets_give: no slot held");
	s->used--;
	/* A callback that gives a slot back calls here again: the outer
	 * loop wakes the next waiter, the stack stays flat. */
	if (s->waking)
		return;
	s->waking = 1;
	while (s->used < s->max && (w = pop(s)) != NULL) {
		before = s->used;
		w->cb(w->arg);
		/* A waiter that took nothing and waits again would be
		 * called forever: it keeps its new place for next time. */
		if (s->used == before && w->waiting)
			break;
	}
	s->waking = 0;
}

void
sockets_wait(struct sockets *s, struct sockets_waiter *w, void (*cb)(void *),
    void *arg)
{
	if (s == NULL || w->waiting)
		return;
	w->s = s;
	w->cb = cb;
	w->arg = arg;
	w->waiting = 1;
	w->next = NULL;
	*s->tail = w;
	s->tail = &w->next;
}

void
sockets_unwait(struct sockets_waiter *w)
{
	struct sockets *s = w->s;
	struct sockets_waiter **pw;

	if (!w->waiting)
		return;
	for (pw = &s->head; *pw != NULL; pw = &(*pw)->next)
		if (*pw == w) {
			*pw = w->next;
			if (*pw == NULL)
				s->tail = pw;
			break;
		}
	w->next = NULL;
	w->waiting = 0;
}

void
sockets_shrink(struct sockets *s)
{
	if (s == NULL)
		return;
	s->max = s->used > 0 ? s->used : 1;
}

unsigned
sockets_used(const struct sockets *s)
{
	return s->used;
}

unsigned
sockets_max(const struct sockets *s)
{
	return s->max;
}
