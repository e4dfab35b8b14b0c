/*
 * wait - repeat the --propagation check until it converges (--wait).
 *
 * API:
 *	propagation_wait_start(loop, resolver, cfg, expect, old, wait_ms,
 *		cb, arg)	re-runs the check (after 2 s, 4 s, 8 s, ...
 *		at most 30 s apart, never past wait_ms) until
 *		propagation_converged(); cb(facts, converged, arg) then, or
 *		at the time limit with the last complete facts (timed_out
 *		set; a round still running is abandoned)
 *	propagation_wait_cancel(w)
 *
 * The callee owns the facts handed to cb and frees them with
 * propagation_facts_free().
 */
#ifndef MXPROBE_WAIT_H
#define MXPROBE_WAIT_H

#include "probe/propagation.h"

struct propagation_wait;

typedef void	propagation_wait_cb(struct propagation_facts *, int, void *);

struct propagation_wait *propagation_wait_start(struct evloop *,
		    struct dns *, const struct propagation_config *,
		    const char **, const char **, unsigned,
		    propagation_wait_cb *, void *);
void		 propagation_wait_cancel(struct propagation_wait *);

#endif
