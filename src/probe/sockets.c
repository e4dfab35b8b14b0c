/*
 * sockets - the run's pool of SMTP connections; see sockets.h.
 */
#include <sys/socket.h>

#include <stdlib.h>
#include <string.h>

#include "probe/sockets.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ADDR_BUCKETS	256

/* One server address with sessions open or waiting; freed when it has
 * neither, so the table holds no more than the run's sessions. */
struct sockets_addr {
	int			 family;
	unsigned char		 addr[16];
	unsigned		 used;
	struct sockets_waiter	*head, **tail;
	int			 waking;
	struct sockets_addr	*next;		/* same bucket */
};

struct sockets {
	unsigned		 max;
	unsigned		 used;
	struct sockets_waiter	*head, **tail;
	int			 waking;
	unsigned		 per_addr;	/* 0: no cap per address */
	struct sockets_addr	*addrs[ADDR_BUCKETS];
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
	struct sockets_addr *a;
	size_t i;

	if (s == NULL)
		return;
	if (s->head != NULL)
		log_panic("sockets_free: waiters left in line");
	for (i = 0; i < ADDR_BUCKETS; i++)
		while ((a = s->addrs[i]) != NULL) {
			if (a->head != NULL)
				log_panic("sockets_free: waiters left in an "
				    "address's line");
			s->addrs[i] = a->next;
			free(a);
		}
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

/* The first waiter of a line (head, tail), out of it. */
static struct sockets_waiter *
pop_line(struct sockets_waiter **head, struct sockets_waiter ***tail)
{
	struct sockets_waiter *w = *head;

	if (w == NULL)
		return NULL;
	if ((*head = w->next) == NULL)
		*tail = head;
	w->next = NULL;
	w->waiting = 0;
	return w;
}

/* w at the end of a line (tail): the run's (a NULL) or a's. */
static void
push_line(struct sockets_waiter ***tail, struct sockets_waiter *w,
    struct sockets *s, struct sockets_addr *a, void (*cb)(void *), void *arg)
{
	w->s = s;
	w->a = a;
	w->cb = cb;
	w->arg = arg;
	w->waiting = 1;
	w->next = NULL;
	**tail = w;
	*tail = &w->next;
}

static struct sockets_waiter *
pop(struct sockets *s)
{
	return pop_line(&s->head, &s->tail);
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
	push_line(&s->tail, w, s, NULL, cb, arg);
}

static void	addr_gc(struct sockets *, struct sockets_addr *);

void
sockets_unwait(struct sockets_waiter *w)
{
	struct sockets *s = w->s;
	struct sockets_waiter **pw, **head, ***tail;

	if (!w->waiting)
		return;
	head = w->a != NULL ? &w->a->head : &s->head;
	tail = w->a != NULL ? &w->a->tail : &s->tail;
	for (pw = head; *pw != NULL; pw = &(*pw)->next)
		if (*pw == w) {
			*pw = w->next;
			if (*pw == NULL)
				*tail = pw;
			break;
		}
	w->next = NULL;
	w->waiting = 0;
	if (w->a != NULL)
		addr_gc(s, w->a);
	w->a = NULL;
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

/* --- The cap per server address --- */

void
sockets_set_per_addr(struct sockets *s, unsigned n)
{
	if (s != NULL)
		s->per_addr = n;
}

unsigned
sockets_per_addr(const struct sockets *s)
{
	return s != NULL ? s->per_addr : 0;
}

static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static unsigned
addr_hash(int family, const void *addr)
{
	const unsigned char *p = addr;
	unsigned h = 2166136261u ^ (unsigned)family;
	size_t i;

	for (i = 0; i < addr_len(family); i++)
		h = (h ^ p[i]) * 16777619u;
	return h % ADDR_BUCKETS;
}

/* The address's entry; made when make and not there, else NULL. */
static struct sockets_addr *
addr_find(const struct sockets *s, int family, const void *addr, int make)
{
	struct sockets_addr *a, **b;

	b = (struct sockets_addr **)&s->addrs[addr_hash(family, addr)];
	for (a = *b; a != NULL; a = a->next)
		if (a->family == family && memcmp(a->addr, addr,
		    addr_len(family)) == 0)
			return a;
	if (!make)
		return NULL;
	a = xcalloc(1, sizeof(*a));
	a->family = family;
	memcpy(a->addr, addr, addr_len(family));
	a->tail = &a->head;
	a->next = *b;
	*b = a;
	return a;
}

/* An address with nothing held and nobody waiting leaves the table. */
static void
addr_gc(struct sockets *s, struct sockets_addr *a)
{
	struct sockets_addr **pa;

	if (a->used > 0 || a->head != NULL || a->waking)
		return;
	for (pa = &s->addrs[addr_hash(a->family, a->addr)]; *pa != NULL;
	    pa = &(*pa)->next)
		if (*pa == a) {
			*pa = a->next;
			free(a);
			return;
		}
}

int
sockets_addr_take(struct sockets *s, int family, const void *addr)
{
	struct sockets_addr *a;

	if (s == NULL || s->per_addr == 0)
		return 1;
	a = addr_find(s, family, addr, 1);
	/* Those in line come first: no overtaking. */
	if (a->used >= s->per_addr || a->head != NULL)
		return 0;
	a->used++;
	return 1;
}

void
sockets_addr_give(struct sockets *s, int family, const void *addr)
{
	struct sockets_addr *a;
	struct sockets_waiter *w;

	if (s == NULL || s->per_addr == 0)
		return;
	if ((a = addr_find(s, family, addr, 0)) == NULL || a->used == 0)
		log_panic("sockets_addr_give: no slot held");
	a->used--;
	/* A callback that gives a slot back calls here again: the outer
	 * loop hands it on, the stack stays flat. */
	if (a->waking)
		return;
	a->waking = 1;
	while (a->used < s->per_addr && (w = pop_line(&a->head, &a->tail)) !=
	    NULL) {
		w->a = NULL;
		a->used++;		/* the waiter's now */
		w->cb(w->arg);
	}
	a->waking = 0;
	addr_gc(s, a);
}

void
sockets_addr_wait(struct sockets *s, struct sockets_waiter *w, int family,
    const void *addr, void (*cb)(void *), void *arg)
{
	struct sockets_addr *a;

	if (s == NULL || s->per_addr == 0 || w->waiting)
		return;
	a = addr_find(s, family, addr, 1);
	push_line(&a->tail, w, s, a, cb, arg);
}

unsigned
sockets_addr_used(const struct sockets *s, int family, const void *addr)
{
	const struct sockets_addr *a;

	if (s == NULL || s->per_addr == 0)
		return 0;
	a = addr_find(s, family, addr, 0);
	return a != NULL ? a->used : 0;
}
