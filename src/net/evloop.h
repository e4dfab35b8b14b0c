/*
 * evloop - the one event loop: poll(2) file descriptors and monotonic
 * millisecond timers.
 *
 * Purpose: every wait in mxprobe (DNS, SMTP, TLS, HTTPS) is a watch or a
 * timer here; nothing blocks.
 *
 * API:
 *	evloop_new/evloop_free
 *	evloop_io_add(l, fd, events, cb, arg)	watch fd for EV_READ|EV_WRITE
 *	evloop_io_set(w, events)		change the interest set
 *	evloop_io_del(w)			stop watching (safe inside cb)
 *	evloop_timer_add(l, ms, cb, arg)	one-shot timer, ms from now
 *	evloop_timer_del(t)			cancel (safe inside any cb)
 *	evloop_now(l)				monotonic ms, cached per turn
 *	evloop_run(l)				until no watch or timer is left,
 *						or evloop_break()
 *
 * Rules (Postfix events.c, redis ae.c): a callback may cancel any watch or
 * timer, its own included; the loop never recurses; a timer is unlinked
 * before its callback runs; a watch deleted during a turn is not called
 * again in that turn and is freed at the end of the turn.
 * Events passed to an io callback may include EV_ERROR (POLLERR/POLLHUP/
 * POLLNVAL), which the owner treats as readable: its read() tells why.
 *
 * Timers sit in a binary heap on (deadline, order set): adding and
 * cancelling cost O(log n) however many are pending.
 *
 * BUGS: each turn polls every watch (poll(2)); fine for a few thousand.
 */
#ifndef MXPROBE_EVLOOP_H
#define MXPROBE_EVLOOP_H

#include <stdint.h>

#define EV_READ		0x01
#define EV_WRITE	0x02
#define EV_ERROR	0x04

struct evloop;
struct ev_io;
struct ev_timer;

typedef void	ev_io_cb(int fd, int events, void *arg);
typedef void	ev_timer_cb(void *arg);

struct evloop	*evloop_new(void);
void		 evloop_free(struct evloop *);
struct ev_io	*evloop_io_add(struct evloop *, int, int, ev_io_cb *, void *);
void		 evloop_io_set(struct ev_io *, int);
void		 evloop_io_del(struct ev_io *);
struct ev_timer	*evloop_timer_add(struct evloop *, uint64_t, ev_timer_cb *,
		    void *);
void		 evloop_timer_del(struct ev_timer *);
uint64_t	 evloop_now(struct evloop *);
uint64_t	 evloop_clock(void);
int		 evloop_run(struct evloop *);
void		 evloop_break(struct evloop *);

#endif
