/*
 * dkim - DKIM public key records: parse, decode the key (judged in
 * analyze/analyze_dkim.c, rendered in report/report_dkim.c).
 *
 * Purpose: pure code (no socket, c-ares or clock; OpenSSL only decodes)
 * that reads the TXT records found at <selector>._domainkey.<domain> for
 * the selectors tried. A domain's selectors
 * cannot be listed from DNS, so the integrator tries the names given with
 * --dkim-selector or else dkim_default_selectors[], and reports each
 * answer in struct dkim_facts.
 *
 * RFC 6376 §3.6.1 (key record tags: v= first if present, h=, k=, n=, p=
 * required and empty when revoked, s=, t=; unknown tags ignored), §3.2
 * (tag-list syntax), §3.6.2.2 (TXT strings are concatenated); RFC 8301
 * (RSA keys under 1024 bits must not be used, 2048 recommended; SHA-1
 * must not be used); RFC 8463 §3-4 (k=ed25519, p= is the raw 32-byte key).
 *
 * API:
 *	dkim_parse(s, len, &key, &off, why)
 *		DKIM_OK, or DKIM_SYNTAX with *off the byte offset of the
 *		problem and the reason in why. An undecodable key is a
 *		syntax error. A revoked key (empty p=) parses fine.
 *	dkim_key_free(key)
 *	dkim_key_usable(key)		1 if verifiers can use the key: not
 *		revoked, email allowed, RSA >= 1024 bits, SHA-256 allowed
 *	dkim_is_key_record(s, len)	1 if the TXT claims to be a key
 *		record (starts with v=DKIM1 or has a p= tag): tells a key
 *		from unrelated TXT data under a wildcard
 *	dkim_record_judged(facts, sel, j)	1 if TXT j of the selector is
 *		judged as a key record: it looks like one, or the selector
 *		was named and none of its TXT looks like one
 *	dkim_default_selectors[]	NULL-terminated built-in list
 *	dkim_selector_view(facts, sel, &v)	adds the key records of one
 *		selector to v: nkeys judged, usable (rsa_usable, ed_usable)
 *	dkim_state(facts)		1 if a usable key was found (for
 *		dmarc_facts.dkim), 0 if keys were found but none is usable or
 *		named selectors have none, -1 unknown (nothing found among
 *		guessed selectors, or lookups failed)
 *	dkim_keytype_name(k)		"rsa", "ed25519"
 *	dkim_selector_decode(sel)	parses every TXT of the selector
 *		once and keeps the results in sel->parsed (the integrator
 *		calls it when the answer is in): the key is decoded once per
 *		record however many judges and reports read it
 *	dkim_selector_clear(sel)	frees sel->parsed
 *	dkim_record_get(sel, j, &tmp)	the parsed TXT j: sel->parsed[j],
 *		or, when the selector was not decoded, tmp filled by parsing
 *		now; dkim_record_put(sel, &tmp) afterwards frees tmp if used
 *
 * Filling struct dkim_facts (pointers borrowed): domain; for each
 * selector tried, its name, the DNS outcome of TXT
 * <selector>._domainkey.<domain> and the TXT RRs (strings concatenated);
 * named = 1 when the selectors came from the user.
 *
 * Limits: keys up to DKIM_MAX_KEY bytes decoded (16384-bit RSA fits).
 * BUGS: s= service types other than email are recorded, not judged.
 */
#ifndef MXPROBE_DKIM_H
#define MXPROBE_DKIM_H

#include <stddef.h>

#include "facts/dns_facts.h"
#include "parse/taglist.h"

struct buf;

#define DKIM_MAX_KEY	4096

enum dkim_status {
	DKIM_OK,
	DKIM_SYNTAX
};

enum dkim_keytype {
	DKIM_K_RSA,
	DKIM_K_ED25519
};

/* h= hash algorithms */
#define DKIM_H_SHA1	0x01
#define DKIM_H_SHA256	0x02
#define DKIM_H_OTHER	0x04

/* t= flags */
#define DKIM_T_TESTING	0x01	/* y */
#define DKIM_T_STRICT	0x02	/* s */

struct dkim_key {
	enum dkim_keytype	 k;
	int			 revoked;	/* empty p= */
	unsigned		 bits;		/* key size; 0 if revoked */
	unsigned		 h;		/* DKIM_H_*; 0: h= absent */
	unsigned		 t;		/* DKIM_T_* */
	int			 email;		/* s= allows email */
	char			*notes;		/* n=, or NULL */
};

/* One TXT record of a selector, parsed and its key decoded. */
struct dkim_parsed {
	enum dkim_status	 rc;
	struct dkim_key		*key;	/* rc DKIM_OK */
	size_t			 off;	/* rc DKIM_SYNTAX */
	char			*why;	/* rc DKIM_SYNTAX */
};

struct dkim_selector {
	const char			*selector;
	enum dns_outcome		 outcome;
	const struct taglist_txt	*txt;	/* TXT RRs (outcome OK) */
	size_t				 ntxt;
	struct dkim_parsed		*parsed; /* ntxt, or NULL: on use */
};

struct dkim_facts {
	const char			*domain;
	const struct dkim_selector	*sel;	/* selectors tried */
	size_t				 nsel;
	int				 named;	/* from --dkim-selector */
};

/* What the key records of selectors hold (dkim_selector_view adds). */
struct dkim_view {
	int				 nkeys;	/* key records judged */
	int				 usable;	/* usable keys */
	int				 rsa_usable, ed_usable;
};

extern const char *const dkim_default_selectors[];

enum dkim_status	 dkim_parse(const char *, size_t, struct dkim_key **,
			    size_t *, struct buf *);
void			 dkim_key_free(struct dkim_key *);
int			 dkim_key_usable(const struct dkim_key *);
int			 dkim_is_key_record(const char *, size_t);
int			 dkim_record_judged(const struct dkim_facts *,
			    const struct dkim_selector *, size_t);
void			 dkim_selector_view(const struct dkim_facts *,
			    const struct dkim_selector *, struct dkim_view *);
int			 dkim_state(const struct dkim_facts *);
const char		*dkim_keytype_name(enum dkim_keytype);
void			 dkim_selector_decode(struct dkim_selector *);
void			 dkim_selector_clear(struct dkim_selector *);
const struct dkim_parsed *dkim_record_get(const struct dkim_selector *,
			    size_t, struct dkim_parsed *);
void			 dkim_record_put(const struct dkim_selector *,
			    struct dkim_parsed *);

#endif
