/*
 * Unit tests for src/probe/share.c: the run's table of shared exchanger
 * sessions: the key ignores case and the trailing dot and tells
 * addresses and ports apart; entries are found until retired; attach and
 * detach count the waiting targets; share_free frees what is kept.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "facts/smtp_facts.h"
#include "probe/share.h"
#include "tap.h"

int
main(void)
{
	struct share *t;
	struct share_entry *e, *e2;
	unsigned char a4[4], b4[4], a6[16];
	char k1[256], k2[256], k3[256], k4[256], k5[256];
	int r1, r2, r3;		/* stand-ins for target runs */

	inet_pton(AF_INET, "192.0.2.1", a4);
	inet_pton(AF_INET, "192.0.2.2", b4);
	inet_pton(AF_INET6, "2001:db8::1", a6);
	share_key("Mail.Example.COM.", AF_INET, a4, 25, k1, sizeof(k1));
	share_key("mail.example.com", AF_INET, a4, 25, k2, sizeof(k2));
	is_str(k1, k2, "case and the trailing dot do not matter");
	is_str(k1, "mail.example.com|192.0.2.1|25", "the key");
	share_key("mail.example.com", AF_INET, b4, 25, k3, sizeof(k3));
	ok(strcmp(k1, k3) != 0, "another address, another key");
	share_key("mail.example.com", AF_INET, a4, 2525, k4, sizeof(k4));
	ok(strcmp(k1, k4) != 0, "another port, another key");
	share_key("mx.example.com", AF_INET6, a6, 25, k5, sizeof(k5));
	is_str(k5, "mx.example.com|2001:db8::1|25", "an IPv6 key");

	t = share_new();
	ok(share_find(t, k1) == NULL, "empty table: nothing found");
	e = share_add(t, k1);
	ok(e != NULL && e->state == SHARE_RUNNING, "added, running");
	ok(share_find(t, k2) == e, "found by an equal key");
	ok(share_find(t, k3) == NULL, "not by another");
	share_attach(e, (struct target_run *)&r1);
	share_attach(e, (struct target_run *)&r2);
	share_attach(e, (struct target_run *)&r3);
	is_int((int)e->nruns, 3, "three waiting");
	is_int(share_detach(e, (struct target_run *)&r2), 2,
	    "one leaves: two wait");
	is_int(share_detach(e, (struct target_run *)&r2), 2,
	    "leaving twice changes nothing");
	ok(e->runs[0] == (struct target_run *)&r1 ||
	    e->runs[1] == (struct target_run *)&r1, "the others stay");

	/* A finished entry keeps its result until share_free. */
	e->state = SHARE_DONE;
	e->res = calloc(1, sizeof(*e->res));
	share_retire(t, e);
	ok(share_find(t, k1) == NULL, "retired: no longer found");
	e2 = share_add(t, k1);
	ok(share_find(t, k1) == e2 && e2 != e, "a new entry for the key");
	share_drop(t, e2);
	ok(share_find(t, k1) == NULL, "dropped");
	share_add(t, k3)->res = calloc(1, sizeof(struct smtp_result));
	share_free(t);		/* valgrind: both results freed once */
	ok(1, "freed");
	share_free(NULL);
	return tap_done();
}
