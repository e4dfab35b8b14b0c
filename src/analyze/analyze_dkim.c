/* analyze_dkim - the DKIM_* findings (RFC 6376, RFC 8301); see analyze.h */
#include <stdio.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "parse/dkim.h"
#include "util/buf.h"

static void
selector_findings(const struct dkim_facts *f, const struct dkim_selector *s,
    struct findings *fs)
{
	const struct dkim_parsed *p;
	struct dkim_parsed tmp;
	const struct dkim_key *k;
	char name[512];
	size_t i;

	snprintf(name, sizeof(name), "%s._domainkey.%s", s->selector,
	    f->domain);
	for (i = 0; s->outcome == DNS_OK && i < s->ntxt; i++) {
		if (!dkim_record_judged(f, s, i))
			continue;	/* e.g. wildcard TXT, not a key */
		p = dkim_record_get(s, i, &tmp);
		if (p->rc != DKIM_OK) {
			findings_add(fs, F_DKIM_SYNTAX_ERROR, name,
			    "The DKIM key record at %s is invalid at offset "
			    "%zu: %s.", name, p->off, p->why);
			dkim_record_put(s, &tmp);
			continue;
		}
		k = p->key;
		if (k->revoked)
			findings_add(fs, F_DKIM_KEY_REVOKED, name,
			    "The key at %s is revoked (empty p=): mail still "
			    "signed with selector %s fails DKIM.", name,
			    s->selector);
		else if (k->k == DKIM_K_RSA && k->bits < 1024)
			findings_add(fs, F_DKIM_KEY_TOO_SHORT, name,
			    "The RSA key at %s has %u bits: verifiers ignore "
			    "signatures made with keys under 1024 bits "
			    "(RFC 8301).", name, k->bits);
		else if (k->k == DKIM_K_RSA && k->bits < 2048)
			findings_add(fs, F_DKIM_KEY_WEAK, name,
			    "The RSA key at %s has %u bits: weak; use 2048 "
			    "bits.", name, k->bits);
		if (k->t & DKIM_T_TESTING)
			findings_add(fs, F_DKIM_TESTING, name,
			    "The key at %s is in testing mode (t=y): "
			    "verifiers may treat its signatures as unsigned.",
			    name);
		if ((k->h & DKIM_H_SHA1) && !(k->h & DKIM_H_SHA256))
			findings_add(fs, F_DKIM_SHA1_ONLY, name,
			    "The key at %s allows only SHA-1 (h=sha1), which "
			    "verifiers must no longer accept (RFC 8301).",
			    name);
		dkim_record_put(s, &tmp);
	}
}

void
analyze_dkim(const struct dkim_facts *f, struct findings *fs)
{
	struct dkim_view all;
	struct buf *names;
	size_t i, nfail = 0;

	memset(&all, 0, sizeof(all));
	names = buf_new(512);
	for (i = 0; i < f->nsel; i++) {
		if (dns_outcome_failed(f->sel[i].outcome)) {
			nfail++;
			if (f->named)
				findings_add(fs, F_DKIM_LOOKUP_FAILED,
				    f->sel[i].selector, "The DKIM key of "
				    "selector %s could not be read (%s).",
				    f->sel[i].selector,
				    dns_outcome_name(f->sel[i].outcome));
			continue;
		}
		selector_findings(f, &f->sel[i], fs);
		dkim_selector_view(f, &f->sel[i], &all);
		if (i < 8)
			buf_printf(names, "%s%s", i ? ", " : "",
			    f->sel[i].selector);
		else if (i == 8)
			buf_printf(names, ", ...");
	}
	if (all.nkeys == 0) {
		if (!f->named && nfail > 0)
			findings_add(fs, F_DKIM_LOOKUP_FAILED, f->domain,
			    "No DKIM key found and %zu of %zu selector "
			    "lookups failed (SERVFAIL or timeout).", nfail,
			    f->nsel);
		else if (f->named && nfail < f->nsel)
			findings_add(fs, F_DKIM_NO_KEY_FOUND, f->domain,
			    "No DKIM key at the selector(s) given (%s).",
			    buf_str(names));
		else if (!f->named)
			findings_add(fs, F_DKIM_NO_KEY_FOUND, f->domain,
			    "No DKIM key at any of the %zu usual selectors; "
			    "DNS cannot list selectors, so name yours with "
			    "--dkim-selector to check it.", f->nsel);
	} else if (all.ed_usable > 0 && all.rsa_usable == 0)
		findings_add(fs, F_DKIM_ED25519_ONLY, f->domain,
		    "Only ed25519 keys were found: receivers that cannot "
		    "verify ed25519 (RFC 8463) see no valid signature; sign "
		    "with an RSA key as well.");
	buf_free(names);
}
