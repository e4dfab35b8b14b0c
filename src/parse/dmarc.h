/*
 * dmarc - DMARC policy records: parse, select, discover (judged in
 * analyze/analyze_dmarc.c, rendered in report/report_dmarc.c).
 *
 * Purpose: pure code (no socket, c-ares or clock) that turns the TXT
 * records found at _dmarc.<domain> (and, failing that, at
 * _dmarc.<organisational domain>) into facts. The integrator
 * does the DNS queries and fills struct dmarc_facts; everything else is
 * here.
 *
 * RFC 7489: §6.1 (record location), §6.3 (tags and defaults), §6.4 (ABNF),
 * §6.6.3 (policy discovery: records not starting with "v=DMARC1" are
 * discarded; more than one remaining record means no policy), §3.2
 * (organisational domain via the Public Suffix List), §7.1 (verifying
 * external report destinations).
 *
 * API:
 *	dmarc_parse(s, len, flags, &rec, &off, why)
 *		DMARC_OK, or DMARC_SYNTAX with *off the byte offset of the
 *		problem and the reason in why. flags: DMARC_NEED_P when the
 *		record is a domain's own policy (p= is required; the
 *		authorisation records of §7.1 need no p=).
 *	dmarc_record_free(rec)
 *	dmarc_is_record(s, len)		1 if the TXT starts with v=DMARC1
 *	dmarc_select(txt, n, &idx)	DMARC_SEL_NONE / _ONE (idx set) /
 *		_MULTIPLE, over the TXT RRs of one name (§6.6.3)
 *	dmarc_org_domain(domain, out, size)
 *		0 and the registrable ("organisational") domain in out, or
 *		-1 when there is none (a public suffix, an invalid name,
 *		NULL) or out is too small. Uses the list given to
 *		dmarc_psl_set, else libpsl's built-in list.
 *	dmarc_psl_set(ctx)		the public-suffix list to use (app/env.c
 *		loads it; the parser reads no file); NULL for the built-in
 *		list. Borrowed: ctx must outlive its use.
 *	dmarc_external_needed(org_domain, dest_host)
 *		1 if reports to dest_host need the §7.1 authorisation
 *		(its organisational domain differs), else 0
 *	dmarc_external_qname(domain, dest_host, out, size)
 *		"<domain>._report._dmarc.<dest_host>"; 0, or -1 if too long
 *	dmarc_external_judge(outcome, txt, n)
 *		DMARC_EXT_AUTHORIZED when a TXT there starts with v=DMARC1,
 *		DMARC_EXT_UNAUTHORIZED when the name has no such record,
 *		DMARC_EXT_UNKNOWN when the lookup failed (SERVFAIL, timeout)
 *	dmarc_discover(facts, &d) / dmarc_discovery_clear(&d)
 *		which record applies to the domain (own or inherited), or
 *		why none does. The integrator may call it after the own and
 *		organisational lookups to learn which destinations to verify.
 *	dmarc_external_targets(rec, policy_domain, &t)
 *		the destinations (host, query name) that need §7.1
 *		verification, deduplicated; dmarc_targets_free(t, n)
 *	dmarc_facts_ext(facts, host)	the answer asked for a destination
 *		host (facts->ext), or NULL when it was not asked: no verdict
 *	dmarc_policy_name(p)		"none", "quarantine", "reject", "-"
 *
 * Filling struct dmarc_facts (all pointers are borrowed):
 *	1. query TXT _dmarc.<domain>: own.outcome, own.txt/ntxt
 *	2. org_domain = dmarc_org_domain(domain); if it differs from domain
 *	   and step 1 found no record (dmarc_select() != DMARC_SEL_ONE
 *	   and the outcome is OK, NODATA or NXDOMAIN), query TXT
 *	   _dmarc.<org_domain> into org and set org_queried = 1
 *	3. dmarc_discover(); if FOUND, for each dmarc_external_targets()
 *	   entry query its qname and add a struct dmarc_ext
 *	4. spf / dkim: 1 if published, 0 if definitely absent, -1 unknown
 *
 * Limits: at most DMARC_MAX_URIS URIs per rua/ruf.
 * BUGS: an authorisation record that itself carries rua/ruf (§7.1
 * override) is accepted as authorisation; its URIs are not followed.
 * The ABNF wants p= right after v=; like receivers, we accept it anywhere.
 */
#ifndef MXPROBE_DMARC_H
#define MXPROBE_DMARC_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"
#include "parse/taglist.h"

struct psl_ctx_st;
struct buf;

#define DMARC_NEED_P	0x01
#define DMARC_MAX_URIS	16

enum dmarc_status {
	DMARC_OK,
	DMARC_SYNTAX
};

enum dmarc_policy {
	DMARC_P_UNSET,
	DMARC_P_NONE,
	DMARC_P_QUARANTINE,
	DMARC_P_REJECT
};

/* fo= options (RFC 7489 §6.3) */
#define DMARC_FO_0	0x01
#define DMARC_FO_1	0x02
#define DMARC_FO_D	0x04
#define DMARC_FO_S	0x08

struct dmarc_uri {
	char		*uri;	/* as written, without the !size suffix */
	char		*host;	/* mailto: domain, lower-case; NULL for other
				 * schemes */
	uint64_t	 limit;	/* size limit in bytes; 0 = none given */
};

struct dmarc_record {
	enum dmarc_policy	 p;	/* UNSET only without DMARC_NEED_P */
	enum dmarc_policy	 sp;	/* UNSET: subdomains follow p */
	unsigned		 pct;	/* 0-100; 100 when absent */
	int			 pct_set;
	char			 adkim;	/* 'r' (default) or 's' */
	char			 aspf;
	unsigned		 fo;	/* DMARC_FO_* ; DMARC_FO_0 default */
	char			*rf;	/* "afrf" default */
	uint32_t		 ri;	/* seconds; 86400 default */
	struct dmarc_uri	*rua;
	size_t			 nrua;
	struct dmarc_uri	*ruf;
	size_t			 nruf;
};

enum dmarc_select {
	DMARC_SEL_NONE,
	DMARC_SEL_ONE,
	DMARC_SEL_MULTIPLE
};

enum dmarc_ext_verdict {
	DMARC_EXT_AUTHORIZED,
	DMARC_EXT_UNAUTHORIZED,
	DMARC_EXT_UNKNOWN
};

/* One TXT lookup as the resolver returned it. */
struct dmarc_lookup {
	enum dns_outcome		 outcome;
	const struct taglist_txt	*txt;	/* TXT RRs (outcome OK) */
	size_t				 ntxt;
};

/* The §7.1 authorisation lookup for one report destination. */
struct dmarc_ext {
	const char		*host;	/* dmarc_target.host */
	const char		*qname;	/* dmarc_target.qname */
	struct dmarc_lookup	 lookup;
};

struct dmarc_facts {
	const char		*domain;	/* the domain checked */
	const char		*org_domain;	/* its organisational domain,
						 * NULL if none */
	struct dmarc_lookup	 own;		/* TXT _dmarc.<domain> */
	int			 org_queried;	/* org was looked up */
	struct dmarc_lookup	 org;		/* TXT _dmarc.<org_domain> */
	const struct dmarc_ext	*ext;		/* one per target queried */
	size_t			 next;
	int			 spf;	/* SPF published: 1, 0, -1 unknown */
	int			 dkim;	/* a DKIM key found: 1, 0, -1 */
	const char		*spf_permerror;	/* spf == 0 because the
					 * policy ends in permerror: why */
};

enum dmarc_state {
	DMARC_ST_FOUND,		/* rec is the applicable policy */
	DMARC_ST_MISSING,
	DMARC_ST_MULTIPLE,
	DMARC_ST_INVALID,	/* the one record has a syntax error */
	DMARC_ST_FAILED		/* a lookup failed: UNKNOWN */
};

struct dmarc_discovery {
	enum dmarc_state	 state;
	const char		*policy_domain;	/* where the record lives */
	int			 inherited;	/* from the org domain */
	char			*text;		/* FOUND, INVALID */
	struct dmarc_record	*rec;		/* FOUND */
	size_t			 erroff;	/* INVALID */
	char			*why;		/* INVALID, FAILED */
	size_t			 count;		/* MULTIPLE: how many */
};

struct dmarc_target {
	char	*host;
	char	*qname;
};

enum dmarc_status	 dmarc_parse(const char *, size_t, int,
			    struct dmarc_record **, size_t *, struct buf *);
void			 dmarc_record_free(struct dmarc_record *);
int			 dmarc_is_record(const char *, size_t);
enum dmarc_select	 dmarc_select(const struct taglist_txt *, size_t,
			    size_t *);
int			 dmarc_org_domain(const char *, char *, size_t);
void			 dmarc_psl_set(const struct psl_ctx_st *);
int			 dmarc_external_needed(const char *, const char *);
int			 dmarc_external_qname(const char *, const char *,
			    char *, size_t);
enum dmarc_ext_verdict	 dmarc_external_judge(enum dns_outcome,
			    const struct taglist_txt *, size_t);
void			 dmarc_discover(const struct dmarc_facts *,
			    struct dmarc_discovery *);
void			 dmarc_discovery_clear(struct dmarc_discovery *);
size_t			 dmarc_external_targets(const struct dmarc_record *,
			    const char *, struct dmarc_target **);
void			 dmarc_targets_free(struct dmarc_target *, size_t);
const struct dmarc_ext	*dmarc_facts_ext(const struct dmarc_facts *,
			    const char *);
const char		*dmarc_policy_name(enum dmarc_policy);

#endif
