/*
 * tlsrpt - SMTP TLS Reporting: the _smtp._tls TXT record.
 *
 * Purpose: pure code (no socket, c-ares or clock) that parses the TXT
 * records at _smtp._tls.<domain>; analyze/analyze_tlsrpt.c judges them,
 * report/report_tlsrpt.c renders them.
 *
 * RFC 8460 §3: "v=TLSRPTv1" first, then fields separated by ";" with
 * optional white space; rua= is required and is a comma-separated list
 * of mailto: or https: URIs; other fields are extensions
 * (name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), value
 * without "=", ";", SP or controls) and are ignored. Records not starting
 * with "v=TLSRPTv1" are discarded; if not exactly one remains the domain
 * has no TLS reporting.
 *
 * API:
 *	tlsrpt_parse(s, len, &rec, &off, why)
 *		TLSRPT_OK, or TLSRPT_SYNTAX with *off the byte offset
 *	tlsrpt_record_free(rec)
 *	tlsrpt_select(txt, n, &idx)	number of TXT RRs starting with
 *		v=TLSRPTv1; *idx the first of them
 *
 * Filling struct tlsrpt_facts (pointers borrowed): domain, and the DNS
 * outcome and TXT RRs (strings concatenated) of _smtp._tls.<domain>.
 *
 * Limits: TLSRPT_MAX_URIS URIs.
 * BUGS: URIs are checked for scheme and characters, not resolved.
 */
#ifndef MXPROBE_TLSRPT_H
#define MXPROBE_TLSRPT_H

#include <stddef.h>

#include "facts/dns_facts.h"
#include "parse/taglist.h"

struct buf;

#define TLSRPT_MAX_URIS	16

enum tlsrpt_status {
	TLSRPT_OK,
	TLSRPT_SYNTAX
};

struct tlsrpt_record {
	char	**rua;		/* mailto: or https: URIs */
	size_t	  nrua;
};

struct tlsrpt_facts {
	const char			*domain;
	enum dns_outcome		 outcome;	/* _smtp._tls. */
	const struct taglist_txt	*txt;
	size_t				 ntxt;
};

enum tlsrpt_status	 tlsrpt_parse(const char *, size_t,
			    struct tlsrpt_record **, size_t *, struct buf *);
void			 tlsrpt_record_free(struct tlsrpt_record *);
size_t			 tlsrpt_select(const struct taglist_txt *, size_t,
			    size_t *);

#endif
