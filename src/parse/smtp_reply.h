/*
 * smtp_reply - pure parser for SMTP server replies and EHLO keywords.
 *
 * Purpose: turn the bytes an SMTP server sends into checked facts. The
 * server is untrusted: every line is validated against the RFC 5321
 * section 4.2 grammar
 *
 *	Reply-line = *( Reply-code "-" [ textstring ] CRLF )
 *		     Reply-code [ SP textstring ] CRLF
 *	Reply-code = %x32-35 %x30-35 %x30-39
 *
 * and a line that does not conform is a protocol error with a reason,
 * never "best effort" (OpenSMTPD smtp_client_readline). Totals are capped
 * (Postfix posttls-finger response()): a line may hold at most
 * SMTP_REPLY_LINE_MAX octets (RFC 5321 section 4.5.3.1.5 says 512; real
 * servers exceed that, so we are lenient up to 4096) and a reply at most
 * SMTP_REPLY_LINES_MAX lines, so a 1 MB line or an endless multi-line
 * reply ends the dialogue instead of eating memory. Bytes outside
 * printable US-ASCII are replaced by '?' in the stored text (censored) so
 * that reports and terminals never see them.
 *
 * API:
 *	smtp_reply_init(r)		empty reply
 *	smtp_reply_clear(r)		free the text, back to empty
 *	smtp_reply_move(dst, src)	dst takes src's contents (dst is
 *					cleared first), src becomes empty
 *	smtp_reply_feed(r, data, len, &used, why)
 *		consume complete lines from data; stops after the final line
 *		of one reply. *used is the number of bytes consumed (the
 *		caller drops them from its input buffer; an incomplete line
 *		is left unconsumed until more arrives).
 *	smtp_reply_first_word(r)	first word of the first line's text
 *					after the enhanced status code if
 *					any (the banner host name),
 *					malloc'd, NULL if there is none
 *	smtp_reply_text(r, sep)		all lines joined with sep, malloc'd
 *
 *	smtp_ehlo_init(e) / smtp_ehlo_clear(e)
 *	smtp_ehlo_parse(e, r)		EHLO keywords from a 250 reply
 *	smtp_ext_name(x)		"STARTTLS", ... (name table)
 *	smtp_ehlo_name_valid(name)	1 if name may follow EHLO/HELO: a
 *		domain (LDH labels) or an address literal "[192.0.2.1]",
 *		"[IPv6:2001:db8::1]" (RFC 5321 section 4.1.3); anything else
 *		(spaces, CR, LF: command injection) is 0
 *
 * Returns: smtp_reply_feed() returns SMTP_REPLY_MORE (need more input),
 * SMTP_REPLY_DONE (r holds one complete reply) or SMTP_REPLY_ERROR
 * (protocol error; reason in why; the connection must be closed).
 * smtp_ehlo_parse() returns 0, or -1 if r is not a 2xx reply.
 *
 * Line endings: CRLF is the rule. A line ending in LF alone is accepted
 * (many servers and middleboxes do it) and flagged in r->bare_lf; a CR not
 * followed by LF inside a line is a protocol error, because servers and
 * clients disagree about where such a line ends (the "SMTP smuggling"
 * class of bugs).
 *
 * Enhanced status codes (RFC 2034, RFC 3463): "class.subject.detail",
 * class 2, 4 or 5 matching the reply code's first digit, subject and
 * detail 1 to 3 digits, at the start of the text followed by SP or the
 * end of the line. The code of the first line is stored in r->esc; the
 * text keeps it too.
 *
 * EHLO (RFC 5321 section 4.1.1.1): the first line is "domain [greeting]",
 * each further line "keyword *(SP param)". Keywords are case-insensitive.
 * Known ones (STARTTLS RFC 3207, SIZE RFC 1870, PIPELINING RFC 2920,
 * 8BITMIME RFC 6152, SMTPUTF8 RFC 6531, CHUNKING RFC 3030, REQUIRETLS RFC
 * 8689, DSN RFC 3461, ENHANCEDSTATUSCODES RFC 2034, AUTH RFC 4954) are
 * flagged; every keyword line is kept. The obsolete "AUTH=mech" form is
 * understood as AUTH.
 *
 * Limits: see the constants. This module does no I/O and reads no clock.
 * BUGS: a line that does not match the ehlo-line grammar is counted in
 * e->nbad and otherwise ignored, not treated as a protocol error: the
 * reply itself was well-formed.
 */
#ifndef MXPROBE_SMTP_REPLY_H
#define MXPROBE_SMTP_REPLY_H

#include <stddef.h>

struct buf;

#define SMTP_REPLY_LINE_MAX	4096	/* octets per line, CRLF excluded */
#define SMTP_REPLY_LINES_MAX	100	/* lines per reply */

struct smtp_reply {
	int	  code;		/* 3-digit reply code; 0 = no reply */
	char	  esc[16];	/* enhanced status code "X.Y.Z" of the first
				 * line, "" if absent */
	char	**text;		/* per line: the text after "NNN-" or
				 * "NNN ", censored, never NULL */
	size_t	  ntext;	/* number of lines */
	int	  censored;	/* 1 if any octet was replaced by '?' */
	int	  bare_lf;	/* 1 if any line ended in LF without CR */
	int	  done;		/* 1 once the final "NNN " line was seen */
};

enum smtp_reply_status {
	SMTP_REPLY_MORE,
	SMTP_REPLY_DONE,
	SMTP_REPLY_ERROR
};

void	 smtp_reply_init(struct smtp_reply *);
void	 smtp_reply_clear(struct smtp_reply *);
void	 smtp_reply_move(struct smtp_reply *, struct smtp_reply *);
enum smtp_reply_status
	 smtp_reply_feed(struct smtp_reply *, const char *, size_t, size_t *,
	    struct buf *);
char	*smtp_reply_first_word(const struct smtp_reply *);
char	*smtp_reply_text(const struct smtp_reply *, const char *);

enum smtp_ext {
	SMTP_EXT_STARTTLS,
	SMTP_EXT_SIZE,
	SMTP_EXT_PIPELINING,
	SMTP_EXT_8BITMIME,
	SMTP_EXT_SMTPUTF8,
	SMTP_EXT_CHUNKING,
	SMTP_EXT_REQUIRETLS,
	SMTP_EXT_DSN,
	SMTP_EXT_ENHANCEDSTATUSCODES,
	SMTP_EXT_AUTH,
	SMTP_EXT_COUNT
};

struct smtp_ehlo {
	char	 *domain;	/* first word of the first line (the name
				 * the server gives itself), NULL if none */
	int	  ext[SMTP_EXT_COUNT];	/* 1 if that keyword was advertised */
	int	  size_valid;	/* SIZE: 1 if absent-or-numeric parameter */
	unsigned long long size;	/* SIZE limit in octets; 0 = SIZE
				 * given without a number (no fixed limit) */
	char	 *auth;		/* AUTH mechanisms, space separated,
				 * upper case; NULL if AUTH not offered */
	char	**keywords;	/* every keyword line as received (censored),
				 * first line excluded */
	size_t	  nkeywords;
	size_t	  nbad;		/* lines not matching the ehlo-line grammar */
};

void		 smtp_ehlo_init(struct smtp_ehlo *);
void		 smtp_ehlo_clear(struct smtp_ehlo *);
int		 smtp_ehlo_parse(struct smtp_ehlo *, const struct smtp_reply *);
const char	*smtp_ext_name(enum smtp_ext);
int		 smtp_ehlo_name_valid(const char *);

#endif
