/*
 * mx - the domain's exchangers in the order a sending MTA tries them
 * (RFC 5321 §5.1), with every address of every exchanger.
 *
 * Purpose: drives dns: asks MX for the domain and, at the same time, MX for
 * a random label under it (a wildcard MX answers that too); then A and AAAA
 * of every exchanger, all in flight at once. With no MX (NODATA) it asks
 * A/AAAA of the domain itself: the implicit MX. A lone "0 ." is a null MX
 * (RFC 7505). Reports facts only; analyze.c judges them.
 *
 * API:
 *	mx_resolve(dns, domain, cb, arg)  -> handle; cb(set, arg) once
 *	mx_resolve_cancel(h)
 *	the caller owns the set after cb and frees it with mx_set_free()
 *	(facts/mx_facts.h)
 *
 * BUGS: MX targets are not re-resolved through CNAMEs beyond what the dns
 * layer follows (DNS_MAX_CNAME links).
 */
#ifndef MXPROBE_MX_H
#define MXPROBE_MX_H

#include <stddef.h>
#include <stdint.h>

#include "facts/mx_facts.h"
#include "net/dns.h"

struct mx_resolve;
typedef void mx_done_cb(struct mx_set *, void *arg);

struct mx_resolve *mx_resolve(struct dns *, const char *, mx_done_cb *,
		    void *);
void		 mx_resolve_cancel(struct mx_resolve *);

#endif
