/*
 * spf - pure parser of SPF records and macro strings (RFC 7208).
 *
 * Purpose: turn the text of a "v=spf1" TXT record into terms a caller can
 * evaluate (spf_eval) or judge (analyze_spf), and expand the macro strings
 * of RFC 7208 §7. Pure: no sockets, no DNS, no clock; the caller gives the
 * time for %{t}.
 *
 * API:
 *	spf_select(rr, nrr, &rec, &n)	RFC 7208 §4.5: among the TXT RRs of
 *		a name, the one whose text starts "v=spf1" (any case) followed
 *		by a space or the end. SPF_SELECT_ONE / _NONE / _MULTIPLE; n is
 *		the number of v=spf1 records seen.
 *	spf_parse(txt, len, &errpos, why)	the record, or NULL on a
 *		syntax error (RFC 7208 §4.6, §12 ABNF) with the 1-based
 *		character position in *errpos and the reason in why. The whole
 *		record is checked (§4.6: any error anywhere is a permerror),
 *		macro strings included (§7.1). Bytes outside 0x20-0x7e are
 *		errors (§3.1: records are 7-bit ASCII; terms are separated by
 *		spaces only).
 *	spf_record_free(r)		NULL is a no-op
 *	spf_explain_valid(txt, len, why)	1 when txt is a valid
 *		explain-string (§6.2), 0 otherwise
 *	spf_macro_expand(spec, ctx, flags, out, why)	§7.3-7.4: 0, or -1
 *		(syntax error; only for unchecked input). SPF_MACRO_DOMAIN
 *		makes out the name to ask for, literal or not: one final dot
 *		dropped, then labels removed from the left while it is over
 *		253 octets (§7.3 last paragraph). 0 when that is a DNS name
 *		(spf_domain_valid(out, 0)); SPF_EXPAND_NONAME with the reason
 *		in why when not: a label over 63 octets or an empty label
 *		(the cut keeps them; the RFC 7208 suite's invalid-domain-long
 *		treats such a target as no such name), nothing (an empty
 *		expansion), or a last label alone over 253 octets (no cut
 *		fits). out then holds what is left, for messages only: never
 *		a name to ask for. The evaluator (spf_check_host.c) and the
 *		walk (spf_walk.c) both take their targets from here.
 *	spf_macro_uses(spec, letters)	1 when spec contains a macro
 *		%{x...} whose letter x (either case) is one of letters (lower
 *		case); the literals "%%", "%_" and "%-" are no macro (§7.1)
 *	spf_ip_parse(text, &ip)		IPv4 or IPv6 literal; an IPv4-mapped
 *		IPv6 address becomes IPv4 (§5 "IPv4-mapped ... MUST still be
 *		considered an IPv4 address"). 0 or -1.
 *	spf_ip_format(ip, buf)		readable form (%{c}): dotted quad or
 *		RFC 5952 compressed IPv6
 *	spf_ip_reverse(ip, buf)		in-addr.arpa / ip6.arpa name
 *	spf_ip_match(a, b, prefix)	1 when both are the same family and
 *		the first prefix bits agree
 *	spf_domain_valid(name, multilabel)	§4.3: labels 1-63 octets,
 *		total <= 253 (one trailing dot allowed); multilabel asks for
 *		at least two labels
 *	spf_result_name(r)		"pass", "fail", ...
 *	spf_mech_name(t)		"include", ...
 *
 * A mechanism's domain is NULL when the term names none (the current
 * <domain> applies, §5); cidr4/cidr6 are 32/128 when not given. Records
 * keep the terms in order; modifiers may appear anywhere (§6).
 *
 * Limits: a record longer than SPF_RECORD_MAX octets is rejected (a TXT
 * RRset that big cannot be a sane policy); at most SPF_MAX_TERMS terms.
 * BUGS: none known. The p macro needs DNS: spf_macro_expand() takes the
 * already validated name in ctx->ptr.
 */
#ifndef MXPROBE_SPF_H
#define MXPROBE_SPF_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct dns_rr;

#define SPF_RECORD_MAX		4096
#define SPF_MAX_TERMS		256
#define SPF_LOOKUP_LIMIT	10	/* DNS terms, RFC 7208 §4.6.4 */
#define SPF_VOID_LIMIT		2	/* void lookups, RFC 7208 §4.6.4 */

enum spf_result {
	SPF_NONE,
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,
	SPF_PERMERROR
};

enum spf_mech_type {
	SPF_M_ALL,
	SPF_M_INCLUDE,
	SPF_M_A,
	SPF_M_MX,
	SPF_M_PTR,
	SPF_M_IP4,
	SPF_M_IP6,
	SPF_M_EXISTS
};

struct spf_ip {
	int		v;		/* 4 or 6 */
	unsigned char	a[16];		/* IPv4 in a[0..3] */
};

struct spf_mech {
	enum spf_mech_type	 type;
	char			 qual;		/* '+' '-' '~' '?' */
	enum spf_result		 result;	/* what a match yields */
	char			*domain;	/* domain-spec or NULL */
	int			 cidr4;		/* 0-32, default 32 */
	int			 cidr6;		/* 0-128, default 128 */
	struct spf_ip		 net;		/* ip4/ip6 network */
	char			*text;		/* the term as written */
	size_t			 pos;		/* 1-based position */
};

struct spf_record {
	struct spf_mech	*mech;
	size_t		 nmech;
	char		*redirect;	/* domain-spec or NULL */
	char		*exp;		/* domain-spec or NULL */
	size_t		 nunknown;	/* unknown modifiers (ignored) */
	int		 has_all;
	char		 all_qual;	/* qualifier of the first all, or 0 */
	int		 has_ptr;
	unsigned	 dns_terms;	/* include a mx ptr exists redirect */
};

enum spf_select {
	SPF_SELECT_ONE,
	SPF_SELECT_NONE,
	SPF_SELECT_MULTIPLE
};

#define SPF_MACRO_DOMAIN	0x01	/* result is a domain name */
#define SPF_MACRO_EXP		0x02	/* c, r, t allowed (exp text) */
#define SPF_EXPAND_NONAME	1	/* expanded, but no DNS name */

struct spf_macro_ctx {
	const char		*sender;	/* s: local@domain */
	const char		*local;		/* l */
	const char		*sender_domain;	/* o */
	const char		*domain;	/* d: current <domain> */
	const struct spf_ip	*ip;		/* i, c, v */
	const char		*ptr;		/* p: validated name */
	const char		*helo;		/* h */
	const char		*receiver;	/* r */
	long long		 now;		/* t */
};

enum spf_select	 spf_select(const struct dns_rr *, size_t,
		    const struct dns_rr **, size_t *);
int		 spf_is_v1(const char *, size_t);
struct spf_record *spf_parse(const char *, size_t, size_t *, struct buf *);
void		 spf_record_free(struct spf_record *);
int		 spf_explain_valid(const char *, size_t, struct buf *);
int		 spf_macro_expand(const char *, const struct spf_macro_ctx *,
		    int, struct buf *, struct buf *);
int		 spf_macro_uses(const char *, const char *);
int		 spf_ip_parse(const char *, struct spf_ip *);
void		 spf_ip_format(const struct spf_ip *, struct buf *);
void		 spf_ip_reverse(const struct spf_ip *, struct buf *);
int		 spf_ip_match(const struct spf_ip *, const struct spf_ip *,
		    int);
int		 spf_domain_valid(const char *, int);
const char	*spf_result_name(enum spf_result);
const char	*spf_mech_name(enum spf_mech_type);

#endif
