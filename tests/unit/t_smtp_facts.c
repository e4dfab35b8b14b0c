/* Unit tests for src/facts/smtp_facts.c: name tables, the destructor. */
#include <stdlib.h>
#include <string.h>

#include "facts/smtp_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static void
test_names(void)
{
	int o, st, all = 1, described = 1, distinct = 1, j;

	for (o = 0; o < SMTP_OUTCOME_COUNT; o++) {
		if (strcmp(smtp_outcome_name(o), "?") == 0)
			all = 0;
		if (strcmp(smtp_outcome_describe(o), "?") == 0)
			described = 0;
		for (j = 0; j < o; j++)
			if (strcmp(smtp_outcome_name(o),
			    smtp_outcome_name(j)) == 0)
				distinct = 0;
	}
	ok(all, "every outcome has a name");
	ok(described, "every outcome has a description");
	ok(distinct, "outcome names are distinct");
	is_str(smtp_outcome_name(SMTP_OK), "OK", "OK");
	is_str(smtp_outcome_name(SMTP_STARTTLS_NOT_OFFERED),
	    "STARTTLS_NOT_OFFERED", "STARTTLS_NOT_OFFERED");
	is_str(smtp_outcome_name(SMTP_TIMEOUT), "TIMEOUT", "TIMEOUT");
	is_str(smtp_outcome_name(SMTP_OUTCOME_COUNT), "?", "out of range");
	is_str(smtp_outcome_name((enum smtp_outcome)-1), "?", "negative");
	is_str(smtp_outcome_describe(SMTP_OUTCOME_COUNT), "?",
	    "description out of range");

	for (st = 0, all = 1; st < SMTP_STEP_COUNT; st++)
		if (strcmp(smtp_step_name(st), "?") == 0)
			all = 0;
	ok(all, "every step has a name");
	is_str(smtp_step_name(SMTP_STEP_CONNECT), "connect", "connect");
	is_str(smtp_step_name(SMTP_STEP_TLS_HANDSHAKE), "tls-handshake",
	    "tls-handshake");
	is_str(smtp_step_name(SMTP_STEP_EHLO_TLS), "ehlo-tls", "ehlo-tls");
	is_str(smtp_step_name(SMTP_STEP_COUNT), "?", "step out of range");
}

static void
test_free(void)
{
	struct smtp_result *r;

	smtp_result_free(NULL);
	ok(1, "smtp_result_free(NULL) is a no-op");
	r = xcalloc(1, sizeof(*r));
	smtp_reply_init(&r->banner);
	smtp_reply_init(&r->ehlo_reject);
	smtp_reply_init(&r->reject);
	smtp_ehlo_init(&r->ehlo);
	smtp_ehlo_init(&r->ehlo_tls);
	tls_facts_init(&r->tls);
	r->why = xstrdup("");
	r->mxhost = xstrdup("mx.example.com");
	r->banner_host = xstrdup("mx.example.com");
	r->tls.version = xstrdup("TLSv1.3");
	r->sent = xcalloc(2, sizeof(*r->sent));
	r->sent[0] = xstrdup("EHLO localhost");
	r->sent[1] = xstrdup("QUIT");
	r->nsent = 2;
	smtp_result_free(r);	/* ASan/valgrind: nothing leaks */
	ok(1, "a filled result is freed");
}

int
main(void)
{
	test_names();
	test_free();
	return tap_done();
}
