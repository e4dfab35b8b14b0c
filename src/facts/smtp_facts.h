/*
 * smtp_facts - what one SMTP/STARTTLS session with one exchanger address
 * found (net/smtp_session.c fills it): how far the dialogue got and why it
 * stopped, the replies, the EHLO keywords before and after TLS, the TLS
 * facts, the timings and every command sent.
 *
 * API:
 *	smtp_result_free(res)	NULL is a no-op; a result with references
 *		taken (smtp_result_ref) is freed when the last holder frees it
 *	smtp_result_ref(res)	one holder more (a --batch run's shared
 *		exchanger sessions: the table and every domain that names the
 *		exchanger); returns res
 *	smtp_outcome_name(o)	"OK", "REFUSED", ... (stable strings)
 *	smtp_outcome_describe(o) one-line English explanation
 *	smtp_step_name(st)	"connect", "banner", ... (stable strings, for
 *				the JSON and the trace)
 *	smtp_step_text(st)	"the connection", "EHLO after STARTTLS", ...:
 *				the step as a reason or a message names it,
 *				in the run's language (i18n_reason, R_)
 */
#ifndef MXPROBE_SMTP_FACTS_H
#define MXPROBE_SMTP_FACTS_H

#include <netinet/in.h>
#include <stddef.h>

#include "facts/tls_facts.h"
#include "parse/smtp_reply.h"

/* Keep in step with the name and description tables in smtp_facts.c;
 * names are stable strings for reports. */
enum smtp_outcome {
	SMTP_OK,		/* STARTTLS done, EHLO after TLS accepted */
	SMTP_REFUSED,		/* ECONNREFUSED: nothing listens */
	SMTP_CONNECT_TIMEOUT,	/* no answer to the TCP SYN in time */
	SMTP_NETWORK_ERROR,	/* unreachable etc.; why = errno text */
	SMTP_NO_BANNER,		/* connected, never greeted (tarpit) */
	SMTP_BANNER_TEMPFAIL,	/* 4xx greeting, e.g. 421 */
	SMTP_BANNER_PERMFAIL,	/* 5xx greeting, e.g. 554 */
	SMTP_EHLO_REJECTED,	/* EHLO 4xx, or EHLO 5xx and HELO refused
				 * too, or EHLO after TLS refused */
	SMTP_STARTTLS_NOT_OFFERED, /* session fine, but no STARTTLS (or only
				 * HELO worked) */
	SMTP_STARTTLS_REJECTED,	/* STARTTLS answered with non-220 */
	SMTP_TLS_FAILED,	/* handshake failed; why = OpenSSL reason */
	SMTP_DROPPED,		/* closed/reset by the server unexpectedly */
	SMTP_PROTOCOL_ERROR,	/* malformed/oversized/endless reply, or
				 * response injection after STARTTLS */
	SMTP_TIMEOUT,		/* a later step timed out; see step */
	SMTP_OUTCOME_COUNT
};

enum smtp_step {
	SMTP_STEP_CONNECT,
	SMTP_STEP_BANNER,
	SMTP_STEP_EHLO,
	SMTP_STEP_HELO,
	SMTP_STEP_STARTTLS,
	SMTP_STEP_TLS_HANDSHAKE,
	SMTP_STEP_EHLO_TLS,
	SMTP_STEP_QUIT,
	SMTP_STEP_MAIL,		/* --rcpt only: MAIL FROM:<> */
	SMTP_STEP_RCPT,		/* RCPT TO:<postmaster@DOMAIN> */
	SMTP_STEP_RCPT_ANY,	/* RCPT TO:<random@DOMAIN> */
	SMTP_STEP_RSET,
	SMTP_STEP_COUNT
};

/* Elapsed milliseconds; -1 when that step was not reached. */
struct smtp_timing {
	long	connect_ms;	/* connect() until the socket was writable */
	long	banner_ms;	/* connected until the greeting was complete */
	long	ehlo_ms;	/* first EHLO sent until its reply */
	long	tls_ms;		/* TLS handshake start until done */
	long	total_ms;	/* session start until closed */
};

struct smtp_result {
	enum smtp_outcome outcome;
	enum smtp_step	 step;		/* the step in which the outcome was
					 * decided (OK: ehlo-tls;
					 * STARTTLS_NOT_OFFERED: ehlo or
					 * helo); for TIMEOUT/NO_BANNER/
					 * CONNECT_TIMEOUT the step that
					 * timed out */
	char		*why;		/* reason for a non-OK outcome:
					 * errno text, OpenSSL reason,
					 * protocol error; "" if none */
	int		 sys_errno;	/* errno behind REFUSED,
					 * NETWORK_ERROR, DROPPED; else 0 */
	int		 reset_after_connect; /* DROPPED before any byte of
					 * the greeting arrived */
	int		 deadline_hit;	/* the overall deadline (not a step
					 * timeout) ended the session */
	int		 no_route;	/* the connect failed here, before
					 * any packet (ENETUNREACH,
					 * EADDRNOTAVAIL): this host has no
					 * route to the address's family;
					 * says nothing about the server */

	char		 addr[INET6_ADDRSTRLEN]; /* peer address, text */
	unsigned short	 port;		/* peer port */
	char		 source[INET6_ADDRSTRLEN]; /* our address on this
					 * connection (getsockname after
					 * connect), text; "" if none */
	char		*ehlo_name;	/* the name we sent in EHLO/HELO */
	char		*mxhost;	/* MX host name (SNI, name check);
					 * NULL if none was given */

	struct smtp_reply banner;	/* the greeting (code 0 if none);
					 * text censored */
	char		*banner_host;	/* first word of the greeting text
					 * after any enhanced status code
					 * (the name the server claims),
					 * NULL if none */

	int		 ehlo_ok;	/* EHLO (before TLS) got 2xx */
	struct smtp_ehlo ehlo;		/* keywords before TLS */
	struct smtp_reply ehlo_reject;	/* EHLO's refusal when EHLO was
					 * refused (code 0 otherwise) */
	int		 helo_fallback;	/* EHLO got 5xx, HELO was sent */
	int		 helo_ok;	/* HELO got 2xx */

	int		 starttls_offered; /* STARTTLS in the EHLO keywords */
	int		 starttls_code;	/* reply code to STARTTLS; 0 = not
					 * sent */
	struct smtp_reply reject;	/* the refusal that ended the
					 * dialogue: HELO's (after EHLO 5xx),
					 * STARTTLS's, or EHLO's after TLS
					 * (code 0 if none). A refused EHLO
					 * before TLS is in ehlo_reject, a
					 * refused greeting in banner */

	int		 tls_version_failed; /* the handshake failed because
					 * no protocol version is shared
					 * (see tls_conn_version_failed) */
	struct smtp_result *legacy;	/* after such a failure: a second
					 * session, on a new connection,
					 * whose handshake allowed TLS 1.0
					 * and 1.1 (owned); NULL if none */
	int		 tls_done;	/* handshake completed; tls valid */
	enum tls_close	 tls_close;	/* how the server ended the TLS
					 * stream when that ended the
					 * session (in the handshake or
					 * after it): close_notify, or a TCP
					 * close at a record boundary or in
					 * the middle of a record;
					 * TLS_CLOSE_NONE otherwise */
	struct tls_facts tls;		/* protocol, cipher, group, chain,
					 * verify and name-check results */
	int		 ehlo_tls_ok;	/* EHLO after TLS got 2xx */
	struct smtp_ehlo ehlo_tls;	/* keywords after TLS (RFC 3207
					 * 4.2: the ones that count) */

	/* The recipient test (smtp_config.rcpt_domain, --rcpt): after
	 * STARTTLS, or without TLS when it is not offered, MAIL FROM:<>,
	 * RCPT TO:<postmaster@DOMAIN>, RCPT TO:<random@DOMAIN>, RSET.
	 * Never DATA or BDAT. Replies have code 0 when not reached. */
	int		 rcpt_tested;	/* MAIL FROM was sent */
	struct smtp_reply mail_reply;	/* reply to MAIL FROM:<> */
	struct smtp_reply rcpt_reply;	/* reply to the postmaster RCPT */
	struct smtp_reply rcpt_any_reply; /* reply to the random RCPT */
	char		*rcpt_any;	/* the random address tried; NULL if
					 * none */
	char		*rcpt_why;	/* why the test stopped early (drop,
					 * timeout, bad reply); NULL if not */

	int		 quit_code;	/* reply to QUIT; 0 if none */
	struct smtp_timing ms;

	char		**sent;		/* every command we sent, in order,
					 * without CRLF (MAIL/RCPT/RSET only
					 * with the recipient test; never
					 * DATA or BDAT) */
	size_t		  nsent;
	unsigned	  refs;		/* holders besides the first */
};

void		 smtp_result_free(struct smtp_result *);
struct smtp_result *smtp_result_ref(struct smtp_result *);
const char	*smtp_outcome_name(enum smtp_outcome);
const char	*smtp_outcome_describe(enum smtp_outcome);
const char	*smtp_step_name(enum smtp_step);
const char	*smtp_step_text(enum smtp_step);

#endif
