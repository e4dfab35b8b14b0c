/*
 * limits - what one domain may cost, in one place.
 *
 * Purpose: a hostile zone chooses how many exchangers, addresses and
 * names a domain has; a hostile SPF record chooses the names its walk
 * asks for. Each bound below is documented in doc/security.md ("Limits")
 * and, when reached, reported as a finding (the LIMIT_* codes of the
 * catalogue): never a crash, a silent cut, or a verdict on another
 * domain of the same run.
 *
 *	LIMIT_MX_HOSTS		exchangers probed per domain, counted in
 *		preference order after sorting (RFC 5321 §5.1: a sender
 *		tries them in that order and gives up long before 10)
 *	LIMIT_MX_ADDRS		addresses probed per exchanger and family
 *		(a sender tries a few; 100 A records cost 100 sockets)
 *	LIMIT_DNS_QUERIES	DNS questions one domain may ask (the MX set,
 *		its addresses, PTR, TLSA and the sender-policy records)
 *	LIMIT_SOCKETS_DOMAIN	SMTP connections of one domain at once;
 *		more wait for a free one (queued, not failed)
 *	LIMIT_SOCKETS_ADDR	SMTP connections of the whole run at once to
 *		one server address, the default of --per-address: what
 *		Postfix's client allows itself per destination
 *		(default_destination_concurrency_limit 20), below the 50
 *		from one client its smtpd accepts by default
 *		(smtpd_client_connection_count_limit)
 *	LIMIT_SPF_WALK_QUERIES	questions the SPF analysis walk sends to
 *		names the records chose; RFC 7208 §4.6.4 bounds the
 *		evaluation (--spf-ip), not this report of every branch
 *	LIMIT_FD_RESERVE	descriptors kept back from RLIMIT_NOFILE for
 *		the resolver, HTTPS fetches and output, when the per-run
 *		socket cap is derived (app/)
 */
#ifndef MXPROBE_LIMITS_H
#define MXPROBE_LIMITS_H

#define LIMIT_MX_HOSTS		10
#define LIMIT_MX_ADDRS		4
#define LIMIT_DNS_QUERIES	1000
#define LIMIT_SOCKETS_DOMAIN	16
#define LIMIT_SOCKETS_ADDR	20
#define LIMIT_SPF_WALK_QUERIES	100
#define LIMIT_FD_RESERVE	64

#endif
