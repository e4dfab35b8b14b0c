/*
 * smtp_session - one non-blocking SMTP/STARTTLS probe of one exchanger
 * address, on the shared event loop.
 *
 * Purpose: find out what a sending MTA would meet at this address: does
 * it answer, greet, accept EHLO, offer STARTTLS, complete a TLS handshake,
 * and with which certificate. Without cfg->rcpt_domain it never sends
 * MAIL, RCPT or DATA: the only commands are EHLO, HELO, STARTTLS and QUIT
 * (the transcript in the result proves it). With it (--rcpt), once the
 * session is usable (after the EHLO after TLS, or after EHLO/HELO when
 * STARTTLS is not offered), it adds MAIL FROM:<>, RCPT
 * TO:<postmaster@DOMAIN> (RFC 5321 section 4.5.1), RCPT TO:<16 random hex
 * digits@DOMAIN> and RSET before QUIT; never DATA or BDAT. The outcome is
 * decided before that test: whatever it meets (a refusal, a drop, a
 * timeout: rcpt_why) changes the outcome not. Many sessions run at once
 * on one evloop.
 *
 * State machine (RFC 5321 sections 3.1, 4.1.1.1, 4.1.1.10, 4.2; RFC 3207
 * section 4). Every state has its own timer (step_timeout_ms); one
 * overall timer (deadline_ms) covers the whole session.
 *
 *   start --> CONNECT --refused/unreachable/timeout--> done
 *                |connected
 *                v
 *             BANNER ---4xx/5xx greeting----------------> QUIT
 *                |220        (silence: NO_BANNER)
 *                v
 *              EHLO ----4xx-------------------------------> QUIT
 *                |  \---5xx--> HELO --non-2xx-------------> QUIT
 *                |                \--2xx (no extensions)--> QUIT
 *                |2xx
 *                |--STARTTLS not advertised---------------> QUIT
 *                v
 *            STARTTLS --non-220---------------------------> QUIT
 *                |220 (nothing may follow it in the buffer)
 *                v
 *          TLS_HANDSHAKE --failure/drop--> done (TLS_FAILED)
 *                |done (certificate facts gathered)
 *                v
 *            EHLO_TLS --non-2xx---------------------------> QUIT
 *                |2xx
 *                v
 *              QUIT --221 / close / timeout--> done
 *
 * Outcomes are decided before QUIT; whatever QUIT gets back (or not)
 * changes nothing. A protocol error (a malformed, oversized or endless
 * reply, or data after the STARTTLS 220, i.e. response injection as in
 * CVE-2011-0411) closes the connection at once without QUIT, as does a
 * TLS failure. A close or reset before QUIT is DROPPED (flag
 * reset_after_connect when it came before any byte of the greeting),
 * except during the TLS handshake, where it is TLS_FAILED: that is what
 * a server with a broken TLS setup does.
 *
 * API:
 *	smtp_session_start(loop, cfg, addr, addrlen, mxhost, cb, arg)
 *		starts connecting to addr (its port is replaced by cfg->port)
 *		and returns the handle. cb is never called from inside
 *		smtp_session_start(), even when the session fails at once.
 *	smtp_session_cancel(s)	stop now; cb will not be called. Do not
 *		call it after cb ran (the session freed itself); calling it
 *		from inside this session's own cb is a harmless no-op.
 *	cb(res, arg)	called exactly once unless cancelled, after the
 *		socket is closed and just before the session frees itself
 *		(after cb returns, the handle is gone). The CALLER OWNS res
 *		and must release it with smtp_result_free(), now or later.
 *	The result type, smtp_result_free() and the outcome and step
 *	names are in facts/smtp_facts.h.
 *
 * Configuration: see struct smtp_config; zero values pick the defaults.
 * The tls context is borrowed and should be shared by all sessions (it
 * holds the trust store); if NULL, each session loads its own. With TLSA
 * records the handshake is also checked by DANE (tls_conn_dane(), RFC
 * 7672 section 3): the result lands in res->tls.dane_*; a mismatch never
 * ends the session (it is a fact, as a bad certificate is).
 *
 * Limits: input is capped per line and per reply (smtp_reply.h); the
 * input buffer holds at most SMTP_SESSION_INBUF octets.
 *
 * SIGPIPE: plain-text writes use MSG_NOSIGNAL, TLS writes ignore it
 * (tls.h); the program need not.
 *
 * BUGS: nothing is pipelined; only EHLO keywords before and after TLS
 * are kept, not the replies' full text.
 */
#ifndef MXPROBE_SMTP_SESSION_H
#define MXPROBE_SMTP_SESSION_H

#include <sys/socket.h>
#include <netinet/in.h>

#include "facts/smtp_facts.h"
#include "parse/smtp_reply.h"
#include "net/tls.h"

struct evloop;
struct smtp_session;

#define SMTP_SESSION_INBUF		16384
#define SMTP_DEFAULT_PORT		25
#define SMTP_DEFAULT_STEP_TIMEOUT_MS	30000
#define SMTP_DEFAULT_DEADLINE_MS	120000
#define SMTP_DEFAULT_EHLO_NAME		"localhost"

struct smtp_config {
	const char	*ehlo_name;	/* our name in EHLO/HELO; NULL =
					 * SMTP_DEFAULT_EHLO_NAME. Validate
					 * it with smtp_ehlo_name_valid();
					 * an invalid one is replaced by the
					 * default (with a warning) */
	unsigned short	 port;		/* 0 = 25 (labs: --smtp-port) */
	unsigned int	 step_timeout_ms; /* per step; 0 = default */
	unsigned int	 deadline_ms;	/* whole session; 0 = default */
	struct tls_ctx	*tls;		/* borrowed; NULL = private one
					 * with the system trust store */
	int		 family;	/* AF_UNSPEC = any; AF_INET or
					 * AF_INET6: an address of the other
					 * family is not contacted
					 * (NETWORK_ERROR) */
	const struct tls_tlsa *tlsa;	/* TLSA records of _25._tcp.MXHOST
					 * (RFC 7672 section 2.2); copied at
					 * start. NULL/0: no DANE check */
	size_t		 ntlsa;
	int		 tlsa_secure;	/* the TLSA answer was DNSSEC-
					 * authenticated (AD) */
	int		 tls_legacy;	/* allow TLS 1.0 and 1.1 in the
					 * handshake (tls_conn_legacy) */
	const char	*trace_tag;	/* copied; the -v trace's lines of
					 * this session start "[TAG] "
					 * (--batch: the domain); NULL: none */
	const char	*rcpt_domain;	/* --rcpt: test whether the server
					 * takes mail for this domain (MAIL
					 * FROM:<>, RCPT TO postmaster and a
					 * random local part, RSET; never
					 * DATA). NULL = never MAIL or RCPT.
					 * Must pass smtp_ehlo_name_valid() */
};

typedef void	smtp_done_cb(struct smtp_result *, void *);

struct smtp_session	*smtp_session_start(struct evloop *,
			    const struct smtp_config *,
			    const struct sockaddr *, socklen_t, const char *,
			    smtp_done_cb *, void *);
void			 smtp_session_cancel(struct smtp_session *);

#endif
