/*
 * sockets - the SMTP connections a whole run may hold open at once.
 *
 * Purpose: descriptors are a resource of the host, not of a domain.
 * When a batch runs out of them, connect() fails with EMFILE and a
 * healthy server would be reported down. app/ derives the cap from
 * RLIMIT_NOFILE (less LIMIT_FD_RESERVE, facts/limits.h) and hands the
 * pool to every probe; a session that finds it full waits in line
 * (queued, never failed) until another one ends.
 *
 * API:
 *	sockets_new(max)	a pool of max slots (at least 1)
 *	sockets_free(s)		NULL is a no-op; no waiter may be left
 *	sockets_take(s)		1 and a slot is held, or 0 when all are
 *		taken; s == NULL always gives 1 (no cap)
 *	sockets_give(s)		a slot back; then the waiters in line are
 *		called, first come first served, while slots are free (a
 *		waiter's callback takes slots with sockets_take and may wait
 *		again)
 *	sockets_wait(s, w, cb, arg)  put w in line (once: a waiter already
 *		in line keeps its place)
 *	sockets_unwait(w)	out of the line; no-op when not in it
 *	sockets_shrink(s)	the host ran out of descriptors below the
 *		cap (EMFILE/ENFILE): the cap becomes the slots held now, at
 *		least 1
 *	sockets_used(s), sockets_max(s)
 *
 * Per address (--per-address): at most a cap of sessions open at once
 * to one server address, for the whole run, so that many exchanger
 * names on one provider's address do not flood it (Postfix's smtpd
 * answers 421 above 50 connections from one client). A session takes
 * its address's slot first, then the run's: one waiting for a busy
 * address holds nothing that sessions to idle addresses need.
 *	sockets_set_per_addr(s, n)  the cap per address; 0: none (the
 *		default of a new pool)
 *	sockets_per_addr(s)
 *	sockets_addr_take(s, family, addr)  1 and a slot of that address
 *		is held (always 1 with no cap or s == NULL), 0 at the cap
 *	sockets_addr_give(s, family, addr)  the slot back; the first
 *		waiter in that address's line (first come first served) is
 *		handed it (it holds it when its callback runs)
 *	sockets_addr_wait(s, w, family, addr, cb, arg)  w in the line of
 *		that address (once); sockets_unwait takes it out
 *	sockets_addr_used(s, family, addr)  slots of that address held
 *
 * Every SMTP session of a probe takes a slot: the domain's exchangers',
 * the --old-mx hosts' and those of the other MX sets --propagation
 * found (probe/probe_smtp.c).
 */
#ifndef MXPROBE_SOCKETS_H
#define MXPROBE_SOCKETS_H

struct sockets;
struct sockets_addr;

struct sockets_waiter {
	struct sockets		*s;
	void			(*cb)(void *);
	void			*arg;
	int			 waiting;
	struct sockets_addr	*a;	/* the address's line, or NULL */
	struct sockets_waiter	*next;
};

struct sockets	*sockets_new(unsigned);
void		 sockets_free(struct sockets *);
int		 sockets_take(struct sockets *);
void		 sockets_give(struct sockets *);
void		 sockets_wait(struct sockets *, struct sockets_waiter *,
		    void (*)(void *), void *);
void		 sockets_unwait(struct sockets_waiter *);
void		 sockets_shrink(struct sockets *);
unsigned	 sockets_used(const struct sockets *);
unsigned	 sockets_max(const struct sockets *);
void		 sockets_set_per_addr(struct sockets *, unsigned);
unsigned	 sockets_per_addr(const struct sockets *);
int		 sockets_addr_take(struct sockets *, int, const void *);
void		 sockets_addr_give(struct sockets *, int, const void *);
void		 sockets_addr_wait(struct sockets *, struct sockets_waiter *,
		    int, const void *, void (*)(void *), void *);
unsigned	 sockets_addr_used(const struct sockets *, int, const void *);

#endif
