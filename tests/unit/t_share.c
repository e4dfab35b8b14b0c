/*
 * Unit tests for src/probe/share.c: the run's table of shared exchanger
 * sessions: the key ignores case and the trailing dot and tells
 * addresses and ports apart; entries are found until retired; attach and
 * detach count the waiting targets; share_free frees what is kept; a
 * table of thousands of exchangers (its hash table grown many times)
 * finds each live one, and none retired or dropped; beyond t->keep the
 * least recently used result nobody waits for goes, and a domain's
 * reference keeps it alive after the table let it go.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/smtp_facts.h"
#include "probe/share.h"
#include "tap.h"

#define MANY 5000

static void
many_key(int i, char *buf, size_t len)
{
	unsigned char a4[4] = { 198, 51, (unsigned char)(i / 256),
	    (unsigned char)(i % 256) };
	char host[64];

	snprintf(host, sizeof(host), "MX%d.Hoster.Example.", i % 97);
	share_key(host, AF_INET, a4, 25, buf, len);
}

static void
test_many(void)
{
	static struct share_entry *ents[MANY];
	struct share_entry *e;
	struct share *t = share_new();
	char k[256];
	int i, found = 0, gone = 0, kept = 0;

	for (i = 0; i < MANY; i++) {
		many_key(i, k, sizeof(k));
		ents[i] = share_add(t, k);
	}
	ok(t->nbucket >= MANY, "the table grew with the entries (%zu "
	    "buckets for %d)", t->nbucket, MANY);
	/* Every third retired (its result kept), every third dropped:
	 * the first, the last and the middle of the list among them. */
	for (i = 0; i < MANY; i++) {
		if (i % 3 == 1) {
			ents[i]->res = calloc(1, sizeof(struct smtp_result));
			share_retire(t, ents[i]);
		} else if (i % 3 == 2 || i == 0) {
			share_drop(t, ents[i]);
			ents[i] = NULL;
		}
	}
	for (i = 0; i < MANY; i++) {
		many_key(i, k, sizeof(k));
		e = share_find(t, k);
		if (i % 3 == 0 && i != 0)
			found += e == ents[i];
		else
			gone += e == NULL;
	}
	is_int(found, (MANY - 1) / 3, "every live entry found by its key");
	is_int(gone, MANY - (MANY - 1) / 3, "no retired or dropped one");
	for (e = t->head; e != NULL; e = e->next)
		kept++;
	is_int(kept, MANY - MANY / 3 - 1, "the list holds the live and the "
	    "retired entries, for share_free");
	is_int((int)t->nlive, (MANY - 1) / 3, "live entries counted");
	share_free(t);		/* valgrind: the retired results freed */
}

static struct share_entry *
done_entry(struct share *t, int i)
{
	struct share_entry *e;
	char k[256];

	many_key(i, k, sizeof(k));
	e = share_add(t, k);
	e->state = SHARE_DONE;
	e->res = calloc(1, sizeof(struct smtp_result));
	e->res->quit_code = 221 + i;
	share_done(t, e);
	return e;
}

static int
kept(struct share *t, int i)
{
	char k[256];

	many_key(i, k, sizeof(k));
	return share_find(t, k) != NULL;
}

static void
test_keep(void)
{
	struct share *t = share_new();
	struct share_entry *e0, *e1, *e3;
	struct smtp_result *held;
	int i;

	is_int((int)t->keep, SHARE_KEEP, "the table keeps SHARE_KEEP results");
	t->keep = 3;
	e0 = done_entry(t, 0);
	held = smtp_result_ref(e0->res);	/* a domain's facts hold it */
	e1 = done_entry(t, 1);
	done_entry(t, 2);
	ok(kept(t, 0) && kept(t, 1) && kept(t, 2) && t->nkept == 3,
	    "three results kept at keep 3");
	share_used(t, e1);		/* given to one more domain */
	e3 = done_entry(t, 3);
	ok(!kept(t, 0) && kept(t, 1) && kept(t, 2) && kept(t, 3),
	    "a fourth: the least recently used one goes");
	is_int((int)t->nkept, 3, "still three kept");
	is_int(held->quit_code, 221, "the dropped result lives on for the "
	    "domain that holds it");
	smtp_result_free(held);		/* valgrind: freed once, here */
	done_entry(t, 4);
	ok(kept(t, 1) && !kept(t, 2) && kept(t, 3) && kept(t, 4),
	    "used again, kept: the next oldest goes");
	e3->pins = 1;			/* a domain about to be given it */
	share_used(t, e1);
	share_used(t, done_entry(t, 5));
	share_used(t, e1);
	ok(kept(t, 3), "a result a domain is about to get is not dropped");
	e3->pins = 0;
	for (i = 6; i < 20; i++)
		done_entry(t, i);
	ok(!kept(t, 3) && t->nkept == 3, "nor kept once it was given (%zu "
	    "kept)", t->nkept);
	share_free(t);			/* valgrind: the kept ones freed */
}

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
	test_many();
	test_keep();
	return tap_done();
}
