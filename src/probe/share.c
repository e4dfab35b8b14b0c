/* share - the run's table of shared exchanger sessions; see share.h */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/smtp_facts.h"
#include "probe/share.h"
#include "util/xalloc.h"

struct share *
share_new(void)
{
	struct share *t;

	t = xcalloc(1, sizeof(*t));
	t->nbucket = 64;
	t->keep = SHARE_KEEP;
	t->bucket = xcalloc(t->nbucket, sizeof(*t->bucket));
	return t;
}

/* FNV-1a */
static size_t
key_hash(const char *key)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 1099511628211ULL;
	}
	return (size_t)h;
}

static void
bucket_put(struct share *t, struct share_entry *e)
{
	size_t b = key_hash(e->key) % t->nbucket;

	e->hnext = t->bucket[b];
	t->bucket[b] = e;
}

/* Out of its bucket: no longer found. */
static void
unlive(struct share *t, struct share_entry *e)
{
	struct share_entry **pp;

	if (!e->live)
		return;
	for (pp = &t->bucket[key_hash(e->key) % t->nbucket]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	e->hnext = NULL;
	e->live = 0;
	t->nlive--;
}

/* Twice the buckets once there are more live entries than buckets. */
static void
grow(struct share *t)
{
	struct share_entry **old = t->bucket, *e, *n;
	size_t i, nold = t->nbucket;

	t->nbucket *= 2;
	t->bucket = xcalloc(t->nbucket, sizeof(*t->bucket));
	for (i = 0; i < nold; i++)
		for (e = old[i]; e != NULL; e = n) {
			n = e->hnext;
			bucket_put(t, e);
		}
	free(old);
}

static void
entry_free(struct share_entry *e)
{
	smtp_result_free(e->res);
	smtp_result_free(e->first);
	free(e->runs);
	free(e->host);
	free(e->key);
	free(e);
}

void
share_free(struct share *t)
{
	struct share_entry *e, *n;

	if (t == NULL)
		return;
	for (e = t->head; e != NULL; e = n) {
		n = e->next;
		entry_free(e);
	}
	free(t->bucket);
	free(t);
}

void
share_key(const char *host, int family, const unsigned char *addr, int port,
    char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t n, i;

	n = strlen(host);
	while (n > 0 && host[n - 1] == '.')
		n--;
	if (inet_ntop(family, addr, a, sizeof(a)) == NULL)
		a[0] = '\0';
	snprintf(buf, len, "%.*s|%s|%d", (int)n, host, a, port);
	for (i = 0; i < n && buf[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
}

struct share_entry *
share_find(struct share *t, const char *key)
{
	struct share_entry *e;

	for (e = t->bucket[key_hash(key) % t->nbucket]; e != NULL;
	    e = e->hnext)
		if (e->live && strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

struct share_entry *
share_add(struct share *t, const char *key)
{
	struct share_entry *e;

	e = xcalloc(1, sizeof(*e));
	e->t = t;
	e->key = xstrdup(key);
	e->state = SHARE_RUNNING;
	e->live = 1;
	if (++t->nlive > t->nbucket)
		grow(t);
	bucket_put(t, e);
	e->next = t->head;
	if (t->head != NULL)
		t->head->prev = e;
	t->head = e;
	return e;
}

void
share_retire(struct share *t, struct share_entry *e)
{
	unlive(t, e);
}

/* Off the list of kept results. */
static void
unkeep(struct share *t, struct share_entry *e)
{
	if (!e->kept)
		return;
	if (e->lprev != NULL)
		e->lprev->lnext = e->lnext;
	else
		t->lru = e->lnext;
	if (e->lnext != NULL)
		e->lnext->lprev = e->lprev;
	else
		t->mru = e->lprev;
	e->lprev = e->lnext = NULL;
	e->kept = 0;
	t->nkept--;
}

static void
keep_last(struct share *t, struct share_entry *e)
{
	e->lprev = t->mru;
	e->lnext = NULL;
	if (t->mru != NULL)
		t->mru->lnext = e;
	else
		t->lru = e;
	t->mru = e;
	e->kept = 1;
	t->nkept++;
}

void
share_done(struct share *t, struct share_entry *e)
{
	struct share_entry *x, *n;

	unkeep(t, e);
	keep_last(t, e);
	for (x = t->lru; x != NULL && t->nkept > t->keep; x = n) {
		n = x->lnext;
		if (x->pins == 0 && x->nruns == 0)
			share_drop(t, x);
	}
}

void
share_used(struct share *t, struct share_entry *e)
{
	if (!e->kept)
		return;
	unkeep(t, e);
	keep_last(t, e);
}

void
share_drop(struct share *t, struct share_entry *e)
{
	unlive(t, e);
	unkeep(t, e);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		t->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	entry_free(e);
}

void
share_attach(struct share_entry *e, struct target_run *r)
{
	if (e->nruns == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 4;
		e->runs = xreallocarray(e->runs, e->cap, sizeof(*e->runs));
	}
	e->runs[e->nruns++] = r;
}

/* Returns how many runs are still attached. */
int
share_detach(struct share_entry *e, struct target_run *r)
{
	size_t i;

	for (i = 0; i < e->nruns; i++)
		if (e->runs[i] == r) {
			e->runs[i] = e->runs[--e->nruns];
			break;
		}
	return (int)e->nruns;
}

unsigned
share_sessions(const struct share *t)
{
	return t->nsessions;
}
