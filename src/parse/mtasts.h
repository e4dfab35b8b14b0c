/*
 * mtasts - MTA-STS: the _mta-sts TXT record, the policy file, MX
 * matching (judged in analyze/analyze_mtasts.c, rendered in
 * report/report_mtasts.c).
 *
 * Purpose: pure code (no socket, c-ares, HTTP or clock) that reads a
 * domain's MTA-STS set-up from facts the integrator gathers: the TXT
 * records at _mta-sts.<domain>, the result of fetching
 * https://mta-sts.<domain>/.well-known/mta-sts.txt, the domain's MX hosts
 * and, per MX, whether its certificate validated in the SMTP probe.
 *
 * RFC 8461 §3.1 (TXT: "v=STSv1; id=<1-32 alphanumerics>" plus extension
 * fields; records not starting with v=STSv1 are discarded; not exactly
 * one left means no policy), §3.2 (policy: "key: value" lines ending in
 * CRLF or LF; version, mode, max_age, mx), §3.3 (senders may cap the body
 * at 64 KiB), §4.1 (MX matching: exact, or "*." matching exactly one
 * left-most label), §5 (testing mode).
 *
 * API:
 *	mtasts_txt_parse(s, len, &txt, &off, why)
 *		MTASTS_OK, or MTASTS_SYNTAX with *off the byte offset
 *	mtasts_txt_free(txt)
 *	mtasts_txt_select(txt, n, &idx)
 *		the number of TXT RRs starting with "v=STSv1" (policy only
 *		when exactly 1); *idx is set to the first of them
 *	mtasts_policy_parse(body, len, &pol, &line, why)
 *		MTASTS_OK, or MTASTS_SYNTAX with *line the 1-based line of
 *		the problem (0: the body as a whole, e.g. too large)
 *	mtasts_policy_free(pol)
 *	mtasts_mx_match(pattern, host)	1 if host matches the policy's mx
 *		pattern (case-insensitive, a final dot ignored)
 *	mtasts_policy_covers(pol, host)	1 if any mx pattern matches
 *	mtasts_mode_name(mode)		"enforce", "testing", "none", "-"
 *	mtasts_fetch_name(fetch)	"ok", "http-error", ...
 *
 * Filling struct mtasts_facts (pointers borrowed):
 *	txt_outcome, txt/ntxt	TXT _mta-sts.<domain>
 *	fetch, http_status, fetch_detail, body/body_len
 *		the policy fetch. Fetch it even when the TXT is missing
 *		(that is how MTASTS_POLICY_WITHOUT_TXT is found); set
 *		MTASTS_FETCH_NOT_TRIED if it was not attempted. Stop reading
 *		after MTASTS_POLICY_MAX bytes and report TOO_LARGE.
 *	mx/nmx			the MX host names, with cert_valid from the
 *		SMTP probe: 1 validated (chain and name, RFC 8461 §4.2), 0
 *		failed, -1 unknown (not probed, no STARTTLS reached)
 *
 * Limits: MTASTS_POLICY_MAX bytes of policy, MTASTS_MAX_MX mx lines.
 * The fields may come in any order (RFC 8461 §3.2's ABNF), version
 * included, though every published example puts it first.
 */
#ifndef MXPROBE_MTASTS_H
#define MXPROBE_MTASTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"
#include "parse/taglist.h"

struct buf;

#define MTASTS_POLICY_MAX	65536
#define MTASTS_MAX_AGE_MAX	31557600UL
#define MTASTS_MAX_MX		64

enum mtasts_status {
	MTASTS_OK,
	MTASTS_SYNTAX
};

enum mtasts_mode {
	MTASTS_MODE_UNSET,
	MTASTS_MODE_ENFORCE,
	MTASTS_MODE_TESTING,
	MTASTS_MODE_NONE
};

enum mtasts_fetch {
	MTASTS_FETCH_NOT_TRIED,
	MTASTS_FETCH_OK,		/* HTTP 200, body complete */
	MTASTS_FETCH_HTTP_ERROR,	/* other status, redirect, bad type */
	MTASTS_FETCH_TLS_ERROR,		/* handshake or certificate failed */
	MTASTS_FETCH_TOO_LARGE,		/* body over MTASTS_POLICY_MAX */
	MTASTS_FETCH_UNREACHABLE	/* no address, refused, timeout */
};

struct mtasts_txt {
	char	*id;
};

struct mtasts_policy {
	enum mtasts_mode	 mode;
	uint32_t		 max_age;	/* seconds */
	char			**mx;		/* patterns, lower-case */
	size_t			 nmx;
};

struct mtasts_mx {
	const char	*host;		/* MX target name */
	int		 cert_valid;	/* 1, 0, -1 unknown */
};

struct mtasts_facts {
	const char			*domain;
	enum dns_outcome		 txt_outcome;	/* _mta-sts.<domain> */
	const struct taglist_txt	*txt;
	size_t				 ntxt;
	enum mtasts_fetch		 fetch;
	int				 http_status;	/* 0 if none */
	const char			*fetch_detail;	/* reason, or NULL */
	const char			*body;		/* fetch OK */
	size_t				 body_len;
	const struct mtasts_mx		*mx;
	size_t				 nmx;
};

enum mtasts_status	 mtasts_txt_parse(const char *, size_t,
			    struct mtasts_txt **, size_t *, struct buf *);
void			 mtasts_txt_free(struct mtasts_txt *);
size_t			 mtasts_txt_select(const struct taglist_txt *, size_t,
			    size_t *);
enum mtasts_status	 mtasts_policy_parse(const char *, size_t,
			    struct mtasts_policy **, size_t *, struct buf *);
void			 mtasts_policy_free(struct mtasts_policy *);
int			 mtasts_mx_match(const char *, const char *);
int			 mtasts_policy_covers(const struct mtasts_policy *,
			    const char *);
const char		*mtasts_mode_name(enum mtasts_mode);
const char		*mtasts_fetch_name(enum mtasts_fetch);

#endif
