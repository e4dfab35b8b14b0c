/*
 * auth_facts - a domain's sender-policy records as found: the SPF walk and
 * the --spf-ip evaluations, DMARC (own and organisational domain, external
 * report destinations), DKIM keys per selector, MTA-STS (TXT, policy host
 * and policy file) and TLS-RPT. Filled by probe/probe_auth.c; the parsed
 * views (dmarc, dkim, mtasts, tlsrpt) are the parsers' own facts types
 * and borrow pointers into the storage kept here.
 *
 * API:
 *	auth_facts_free(f)	NULL is a no-op
 *	auth_txt_clear(t)	frees one TXT answer's name and records and
 *		zeroes it; clearing a zeroed one again is a no-op
 */
#ifndef MXPROBE_AUTH_FACTS_H
#define MXPROBE_AUTH_FACTS_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/spf.h"
#include "parse/taglist.h"
#include "parse/tlsrpt.h"

struct spf_analysis;

/* One TXT question and the records it returned (strings joined). */
struct auth_txt {
	char			*qname;
	enum dns_outcome	 outcome;
	struct taglist_txt	*txt;
	size_t			 ntxt;
};

/* One --spf-ip evaluation, copied out of spf_check_host's result. */
struct auth_spf_eval {
	char		*ip;
	char		*sender;
	char		*helo;
	int		 finished;	/* 0: overall deadline */
	enum spf_result	 result;
	char		*domain;	/* checked (after redirects) */
	char		*mechanism;	/* matching term, or NULL */
	char		*explanation;	/* exp= text, or NULL */
	char		*reason;	/* none/permerror/temperror why */
	char		*text;		/* spf_check_host_result_text() line */
};

struct auth_facts {
	char			*domain;
	char			*org_domain;	/* NULL: none */
	uint64_t		 ms;		/* until the last answer */

	struct spf_analysis	*spf;		/* NULL: did not finish */
	const char		*spf_state;	/* "done", "deadline" */
	struct auth_spf_eval	*evals;
	size_t			 nevals;

	struct auth_txt		 dmarc_own;
	struct auth_txt		 dmarc_org;
	struct dmarc_target	*ext_targets;
	size_t			 next_targets;
	struct auth_txt		*ext_txt;	/* one per target */
	struct dmarc_ext	*ext;

	struct auth_txt		*dkim_txt;	/* one per selector */
	struct dkim_selector	*dkim_sel;
	size_t			 ndkim;

	struct auth_txt		 mtasts_txt;
	char			*mtasts_host;	/* mta-sts.<domain> */
	enum dns_outcome	 mtasts_a, mtasts_aaaa;
	char			**mtasts_addrs;	/* addresses fetched from */
	size_t			 nmtasts_addrs;
	char			*mtasts_url;
	char			*mtasts_detail;
	char			*mtasts_body;

	struct auth_txt		 tlsrpt_txt;

	/* The pure modules' views; pointers into the storage above. */
	struct dmarc_facts	 dmarc;
	struct dkim_facts	 dkim;
	struct mtasts_facts	 mtasts;	/* mx/nmx: see above */
	struct tlsrpt_facts	 tlsrpt;
};

void	auth_facts_free(struct auth_facts *);
void	auth_txt_clear(struct auth_txt *);

#endif
