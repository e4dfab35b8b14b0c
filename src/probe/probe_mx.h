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
 *	probe_mx_start(dns, domain, cb, arg)  -> handle; cb(set, arg) once
 *	probe_mx_cancel(h)
 *	the caller owns the set after cb and frees it with mx_set_free()
 *	(facts/mx_facts.h)
 *
 * BUGS: MX targets are not re-resolved through CNAMEs beyond what the dns
 * layer follows (DNS_MAX_CNAME links).
 */
#ifndef MXPROBE_PROBE_MX_H
#define MXPROBE_PROBE_MX_H

#include <stddef.h>
#include <stdint.h>

#include "facts/mx_facts.h"
#include "net/dns.h"

struct probe_mx;
typedef void probe_mx_cb(struct mx_set *, void *arg);

struct probe_mx *probe_mx_start(struct dns *, const char *, probe_mx_cb *,
		    void *);
void		 probe_mx_cancel(struct probe_mx *);

#endif
