/*
 * probe_int - what probe.c, probe_smtp.c and probe_dane.c share: the run
 * of one domain and the parts of it in flight. Private to probe/.
 *
 *	probe_done_one(p)	one piece of work ended; the last one hands
 *		the facts over (p is gone afterwards)
 *	probe_smtp_targets(p)	targets of the MX set: PTR and sessions
 *	probe_smtp_start(p, i)	the session of target i (or wait for its
 *		host's TLSA answer)
 *	probe_smtp_old(p)	the --old-mx hosts (and room for the next)
 *	probe_smtp_prop(p, set)	the propagation sets' hosts outside set
 *	probe_smtp_cancel(p)	deadline: abandon sessions and questions
 *	probe_dane_start(p)	TLSA of every exchanger
 *	probe_dane_waits(p, i)	1 if target i waits for its TLSA answer
 *	probe_dane_config(p, h, out, max)  host h's records for the session
 *	probe_dane_cancel(p)	deadline: abandon the TLSA questions
 */
#ifndef MXPROBE_PROBE_INT_H
#define MXPROBE_PROBE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "probe/probe.h"
#include "probe/sockets.h"

struct mx_set;
struct tls_tlsa;
struct share_entry;
struct ev_timer;

/* What is in flight for one target. */
struct target_run {
	struct probe		*p;
	size_t			 i;		/* index in facts->targets */
	struct smtp_session	*sess;
	struct dns_query	*ptrq;
	struct dns_query	*fwdq;
	int			 queued;	/* waits for its address */
	int			 tlsa_wait;	/* waits for its host's TLSA */
	int			 slot_wait;	/* waits for a socket */
	int			 smtp_pending;
	int			 dns_pending;
	struct smtp_result	*first;		/* a handshake that failed over
						 * the protocol version, while
						 * the TLS 1.0/1.1 retry runs */
	struct share_entry	*shared;	/* waits for a shared session */
	struct ev_timer		*share_timer;	/* a shared result, given next */
	int			 share_off;	/* this target: its own session */
	struct sockets_waiter	 aw;		/* in its address's line */
	int			 addr_wait;	/* waits for the per-address
						 * cap */
	int			 addr_held;	/* holds its address's slot */
	int			 addr_waited;	/* it waited for that cap */
};

/* What is in flight for one address of an --old-mx host (or of another
 * MX set's host): its session takes a socket of the run's pool and of
 * the domain's LIMIT_SOCKETS_DOMAIN as the domain's own targets do. */
struct old_sess {
	struct old_run		*r;
	size_t			 k;
	struct smtp_session	*sess;
	int			 slot_wait;	/* waits for a socket */
	struct sockets_waiter	 aw;		/* in its address's line */
	int			 addr_wait;	/* waits for the per-address
						 * cap */
	int			 addr_held;	/* holds its address's slot */
};

struct old_run {
	struct probe		*p;
	size_t			 i;
	struct dns_query	*q[2];
	struct old_sess		*sess;		/* one per address */
	size_t			 nsess;
	int			 pending;
};

/* The TLSA question of one exchanger in flight. */
struct tlsa_run {
	struct probe		*p;
	size_t			 h;		/* index in mx->hosts */
	struct dns_query	*q;
	int			 pending;
};

struct probe {
	struct evloop		*loop;
	struct dns		*dns;
	struct probe_config	 cfg;
	struct probe_facts	*facts;
	struct probe_mx	*mxr;
	struct target_run	*runs;
	struct old_run		*oruns;
	size_t			 ocap;		/* room in oruns, facts->old */
	struct tlsa_run		*truns;		/* per mx->hosts */
	struct tls_ctx		*tls;
	int			 own_tls;
	struct ev_timer		*deadline;
	struct probe_auth	*authp;
	struct sockets_waiter	 sw;		/* in the run's socket line */
	unsigned		 nsess;		/* sessions holding a socket */
	unsigned		 pending;
	uint64_t		 start;
	probe_done_cb		*cb;
	void			*arg;
};

void	probe_done_one(struct probe *);
void	probe_smtp_targets(struct probe *);
void	probe_smtp_start(struct probe *, size_t);
void	probe_smtp_old(struct probe *);
void	probe_smtp_prop(struct probe *, const struct mx_set *);
void	probe_smtp_cancel(struct probe *);
void	probe_dane_start(struct probe *);
int	probe_dane_waits(const struct probe *, size_t);
size_t	probe_dane_config(const struct probe *, size_t, struct tls_tlsa *,
	    size_t);
void	probe_dane_cancel(struct probe *);

#endif
