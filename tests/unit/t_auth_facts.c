/* Unit tests for src/facts/auth_facts.c: clearing a TXT answer, freeing
 * the facts. */
#include <stdlib.h>
#include <string.h>

#include "facts/auth_facts.h"
#include "util/xalloc.h"
#include "tap.h"

/* A TXT answer as probe_auth fills one: owned name and record strings. */
static void
fill_txt(struct auth_txt *t, const char *qname, const char *a,
    const char *b)
{
	t->qname = xstrdup(qname);
	t->outcome = DNS_OK;
	t->txt = xcalloc(2, sizeof(*t->txt));
	t->txt[0].data = xstrdup(a);
	t->txt[0].len = strlen(a);
	t->txt[1].data = xstrdup(b);
	t->txt[1].len = strlen(b);
	t->ntxt = 2;
}

int
main(void)
{
	struct auth_facts *f;
	struct auth_txt t;

	memset(&t, 0, sizeof(t));
	auth_txt_clear(&t);
	ok(t.qname == NULL && t.txt == NULL && t.ntxt == 0,
	    "clearing an empty answer is a no-op");

	fill_txt(&t, "_domainkey.example.com", "v=DKIM1; p=", "other");
	auth_txt_clear(&t);
	ok(t.qname == NULL && t.txt == NULL && t.ntxt == 0 &&
	    t.outcome == 0, "clear: freed and zeroed");
	auth_txt_clear(&t);
	ok(1, "clear twice is harmless");

	auth_facts_free(NULL);
	ok(1, "auth_facts_free(NULL) is a no-op");

	f = xcalloc(1, sizeof(*f));
	f->domain = xstrdup("example.com");
	fill_txt(&f->dmarc_own, "_dmarc.example.com", "v=DMARC1; p=none",
	    "unrelated");
	fill_txt(&f->mtasts_txt, "_mta-sts.example.com", "v=STSv1; id=1",
	    "x");
	fill_txt(&f->tlsrpt_txt, "_smtp._tls.example.com",
	    "v=TLSRPTv1; rua=mailto:r@example.com", "y");
	auth_facts_free(f);
	ok(1, "auth_facts_free frees the TXT answers it holds");

	return tap_done();
}
