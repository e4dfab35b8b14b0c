/*
 * t_spf_suite - run the openspf RFC 7208 SPF test suite (and suites in the
 * same schema) against spf_eval, through dns_new_fake().
 *
 * Usage: t_spf_suite LABEL FILE.lines [LABEL FILE.lines ...]
 * FILE.lines is the output of tests/spf-suite-convert.py (see there for the
 * format). Each scenario's zone data is served by a fake resolver: names
 * match case-insensitively; an absent name is NXDOMAIN (a name beginning
 * "error." times out, as in the reference driver, and one beginning
 * "_dns_error." gives SERVFAIL, the Stalwart convention); a present name
 * without the asked type is NODATA; a TIMEOUT (SERVFAIL) marker answers
 * every type not listed before it with DNS_TIMEOUT (DNS_SERVFAIL); CNAMEs
 * are followed.
 *
 * Suites run: rfc7208 (the target), rfc4408, blitiri, pyspf, stalwart.
 *
 * TAP: one test point per case, "LABEL: scenario/test". A case in the
 * expected-failure table below is reported with a "# TODO reason" directive;
 * nothing is skipped silently. The totals are printed as diagnostics.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "parse/spf.h"
#include "probe/spf_check_host.h"
#include "util/xalloc.h"
#include "util/dname.h"

/*
 * Cases that cannot pass, with the reason. None for RFC 7208 or RFC 4408;
 * the others are cases whose expectations differ from RFC 7208.
 */
static const struct {
	const char	*label;
	const char	*test;		/* test name */
	const char	*reason;
} expected_fail[] = {
#define SINGLE_LABEL \
	"uses single-label names (d00, mx10) as SPF domains; RFC 7208 " \
	"§4.3 answers none for a name that is not multi-label and §7.1 " \
	"requires a dot and a top label in a domain-spec"
	{ "blitiri", "resolution-with-10-lookups", SINGLE_LABEL },
	{ "blitiri", "mx-resolution-10-terms", SINGLE_LABEL },
	{ "blitiri", "mx-resolution-11-terms", SINGLE_LABEL },
	{ "blitiri", "one-mx-not-found", SINGLE_LABEL },
	{ "blitiri", "all-mx-not-found", SINGLE_LABEL },
	{ "blitiri", "include-not-found", SINGLE_LABEL },
	{ "blitiri", "redirect-not-found", SINGLE_LABEL },
#define NOT_7208(why) "conflicts with RFC 7208: " why
	{ "stalwart", "All test#1", NOT_7208("\"ip:\" after -all is a "
	    "syntax error, and §4.6 makes any syntax error permerror (the "
	    "RFC suite's detect-errors-anywhere)") },
	{ "stalwart", "DNS Lookup Limits#1", NOT_7208("ten a: terms naming "
	    "absent hosts exceed the void-lookup limit of §4.6.4 (the RFC "
	    "suite's void-over-limit)") },
	{ "stalwart", "DNS Lookup Limits#6", NOT_7208("eleven MX records "
	    "make mx permerror (§4.6.4, the RFC suite's mx-limit); mxprobe "
	    "applies the limit before any address, whatever the RR order") },
	{ "stalwart", "HELO identity#1", "checks the HELO identity while "
	    "a MAIL FROM is given; the case format does not say which "
	    "identity to check and the harness checks MAIL FROM (§2.4)" },
	{ "stalwart", "Exists#2", NOT_7208("exists always asks for A "
	    "records, also for IPv6 clients (§5.7, the RFC suite's "
	    "exists-ip6only)") },
	{ "stalwart", "Macro expansion 2#2", NOT_7208("exists always asks "
	    "for A records, also for IPv6 clients (§5.7); the data has only "
	    "AAAA") },
	{ "stalwart", "IPv6 match#4", NOT_7208("an IPv4 client never "
	    "matches ip6:, not even ::ffff:a.b.c.d (§5, the RFC suite's "
	    "cidr6-ip4)") },
	{ "pyspf", "default-modifier",
	    "pyspf lax-mode extension: honours the obsolete default= "
	    "modifier; RFC 7208 §6 ignores unknown modifiers (the RFC suite's "
	    "default-modifier-obsolete expects neutral)" },
	{ "pyspf", "default-modifier-harsh",
	    "pyspf-specific: \"ambiguous\" is a pyspf strict-mode result, "
	    "not an RFC 7208 result" },
};

enum zkind { ZK_RR, ZK_TIMEOUT, ZK_SERVFAIL };

struct zitem {
	char		*name;
	enum zkind	 kind;
	int		 type;
	char		*value;
	size_t		 vlen;
};

struct zone {
	struct zitem	*it;
	size_t		 n;
};

struct test {
	char	*name, *helo, *ip, *mailfrom, *results, *exp, *receiver;
	char	*flags;
};

static int tapn, npass_total, nfail_total;

/* Undo the converter's escapes in place; returns the length. */
static size_t
unescape(char *s)
{
	char *w = s, *r = s;

	while (*r) {
		if (r[0] == '\\' && r[1] == 't') {
			*w++ = '\t';
			r += 2;
		} else if (r[0] == '\\' && r[1] == 'n') {
			*w++ = '\n';
			r += 2;
		} else if (r[0] == '\\' && r[1] == '\\') {
			*w++ = '\\';
			r += 2;
		} else if (r[0] == '\\' && r[1] == 'x' && isxdigit(
		    (unsigned char)r[2]) && isxdigit((unsigned char)r[3])) {
			char hex[3] = { r[2], r[3], 0 };

			*w++ = (char)strtol(hex, NULL, 16);
			r += 4;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return (size_t)(w - s);
}

static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	while (n < max) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

static void
zone_clear(struct zone *z)
{
	size_t i;

	for (i = 0; i < z->n; i++) {
		free(z->it[i].name);
		free(z->it[i].value);
	}
	free(z->it);
	z->it = NULL;
	z->n = 0;
}

static int
rr_fill(struct dns_rr *rr, const char *owner, const struct zitem *it)
{
	const char *sp;
	size_t i;

	memset(rr, 0, sizeof(*rr));
	rr->owner = xstrdup(owner);
	rr->type = (uint16_t)it->type;
	rr->class = 1;
	rr->ttl = 300;
	rr->section = 1;
	switch (it->type) {
	case DNS_T_A:
		rr->u.a.family = AF_INET;
		return inet_pton(AF_INET, it->value, rr->u.a.addr) == 1 ? 0 :
		    -1;
	case DNS_T_AAAA:
		rr->u.a.family = AF_INET6;
		return inet_pton(AF_INET6, it->value, rr->u.a.addr) == 1 ?
		    0 : -1;
	case DNS_T_MX:
		rr->u.mx.pref = (uint16_t)atoi(it->value);
		sp = strchr(it->value, ' ');
		rr->u.mx.host = xstrdup(sp && sp[1] ? sp + 1 : ".");
		i = strlen(rr->u.mx.host);
		if (i > 1 && rr->u.mx.host[i - 1] == '.')
			rr->u.mx.host[i - 1] = '\0';
		return 0;
	case DNS_T_PTR:
	case DNS_T_CNAME:
		rr->u.name = xstrdup(it->value);
		i = strlen(rr->u.name);
		if (i > 1 && rr->u.name[i - 1] == '.')
			rr->u.name[i - 1] = '\0';
		return 0;
	case DNS_T_TXT:
	case DNS_T_SPF:
		rr->u.txt.data = xmalloc(it->vlen + 1);
		rr->u.txt.nstr = it->vlen ? 1 : 0;
		for (i = 0, rr->u.txt.len = 0; i < it->vlen; i++) {
			if (it->value[i] == '\x1f') {
				rr->u.txt.nstr++;
				continue;
			}
			rr->u.txt.data[rr->u.txt.len++] = it->value[i];
		}
		rr->u.txt.data[rr->u.txt.len] = '\0';
		return 0;
	}
	return -1;
}

static void
push_rr(struct dns_rr **v, size_t *n, size_t *cap, const char *owner,
    const struct zitem *it)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = realloc(*v, *cap * sizeof(**v));
		if (*v == NULL)
			abort();
	}
	if (rr_fill(&(*v)[*n], owner, it) == 0)
		(*n)++;
	else
		dns_rr_free(&(*v)[*n]);
}

static int
name_eq(const char *a, const char *b)
{
	return dname_equal(a, b);
}

static enum dns_outcome
fake(void *arg, const char *qname, int type, struct dns_rr **rrs,
    size_t *nrr)
{
	struct zone *z = arg;
	struct dns_rr *v = NULL;
	size_t n = 0, cap = 0, i, nt;
	char cur[1100], *target;
	int hops, exists, seen;

	snprintf(cur, sizeof(cur), "%s", qname);
	for (hops = 0; hops < 12; hops++) {
		exists = seen = 0;
		target = NULL;
		nt = 0;
		for (i = 0; i < z->n; i++) {
			struct zitem *it = &z->it[i];

			if (!name_eq(it->name, cur))
				continue;
			exists = 1;
			if (it->kind != ZK_RR) {
				if (seen)
					break;
				while (n > 0)
					dns_rr_free(&v[--n]);
				free(v);
				*rrs = NULL;
				*nrr = 0;
				return it->kind == ZK_TIMEOUT ? DNS_TIMEOUT :
				    DNS_SERVFAIL;
			}
			if (it->type == type) {
				seen = 1;
				push_rr(&v, &n, &cap, cur, it);
				nt++;
			} else if (it->type == DNS_T_CNAME &&
			    type != DNS_T_CNAME && target == NULL)
				target = it->value;
		}
		if (!exists) {
			if (hops == 0) {
				if (strncasecmp(cur, "error.", 6) == 0)
					return DNS_TIMEOUT;
				if (strncasecmp(cur, "_dns_error.", 11) == 0)
					return DNS_SERVFAIL;
				return DNS_NXDOMAIN;
			}
			break;
		}
		if (nt > 0 || target == NULL) {
			if (nt == 0 && hops == 0)
				return DNS_NODATA;
			break;
		}
		/* Follow the alias: the CNAME RR, then the target's data. */
		{
			struct zitem cn = { NULL, ZK_RR, DNS_T_CNAME, target,
			    strlen(target) };

			push_rr(&v, &n, &cap, cur, &cn);
		}
		snprintf(cur, sizeof(cur), "%s", target);
		if (strlen(cur) > 1 && cur[strlen(cur) - 1] == '.')
			cur[strlen(cur) - 1] = '\0';
	}
	*rrs = v;
	*nrr = n;
	return DNS_OK;
}

struct run {
	int			 done;
	enum spf_result		 result;
	char			*exp;
	char			*text;
};

static void
on_done(const struct spf_check_host_result *r, void *arg)
{
	struct run *run = arg;
	struct buf *b = buf_new(4096);

	run->done = 1;
	run->result = r->result;
	run->exp = r->explanation ? xstrdup(r->explanation) : NULL;
	spf_check_host_result_text(r, b);
	run->text = buf_steal(b);
	buf_free(b);
}

static const char *
todo_reason(const char *label, const char *test)
{
	size_t i;

	for (i = 0; i < sizeof(expected_fail) / sizeof(expected_fail[0]); i++)
		if (strcmp(expected_fail[i].label, label) == 0 &&
		    strcmp(expected_fail[i].test, test) == 0)
			return expected_fail[i].reason;
	return NULL;
}

static int
result_in(enum spf_result r, const char *list)
{
	char *copy = xstrdup(list), *tok, *save = NULL;
	int found = 0;

	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		if (strcmp(tok, spf_result_name(r)) == 0)
			found = 1;
	free(copy);
	return found;
}

static void
run_test(const char *label, const char *scen, struct zone *z,
    const struct test *t, int *run_n, int *pass_n)
{
	struct evloop *loop = evloop_new();
	struct dns *dns = dns_new_fake(loop, fake, z);
	struct spf_query q;
	struct spf_check_host *e;
	struct run r;
	const char *todo = todo_reason(label, t->name);
	int good;

	memset(&q, 0, sizeof(q));
	memset(&r, 0, sizeof(r));
	if (spf_ip_parse(t->ip, &q.ip) == -1) {
		printf("not ok %d - %s: %s/%s # bad host %s\n", ++tapn, label,
		    scen, t->name, t->ip);
		(*run_n)++;
		goto out;
	}
	q.sender = t->mailfrom;
	q.helo = t->helo;
	q.receiver = t->receiver[0] ? t->receiver : NULL;
	q.now = 1400000000;
	e = spf_check_host_start(dns, &q, on_done, &r);
	(void)e;
	evloop_run(loop);
	good = r.done && result_in(r.result, t->results);
	if (good && t->exp[0] && strcmp(t->exp, "DEFAULT") != 0)
		good = r.exp != NULL && strcmp(r.exp, t->exp) == 0;
	(*run_n)++;
	if (good)
		(*pass_n)++;
	printf("%s %d - %s: %s/%s%s%s\n", good ? "ok" : "not ok", ++tapn,
	    label, scen, t->name, todo ? " # TODO " : "", todo ? todo : "");
	if (!good) {
		printf("#   want %s", t->results);
		if (t->exp[0])
			printf(" \"%s\"", t->exp);
		printf("; got %s\n", r.done ? r.text : "(no result)");
	}
out:
	free(r.exp);
	free(r.text);
	dns_free(dns);
	evloop_free(loop);
}

static int
run_file(const char *label, const char *path)
{
	FILE *fp;
	char *line = NULL, *f[10], scen[512] = "";
	size_t cap = 0;
	ssize_t len;
	struct zone z = { NULL, 0 };
	struct test *tests = NULL;
	size_t ntests = 0, i;
	int nf, run_n = 0, pass_n = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		printf("Bail out! cannot open %s\n", path);
		return -1;
	}
	for (;;) {
		len = getline(&line, &cap, fp);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len < 0 || line[0] == 'S') {
			/* Run the scenario collected so far. */
			for (i = 0; i < ntests; i++)
				run_test(label, scen, &z, &tests[i], &run_n,
				    &pass_n);
			for (i = 0; i < ntests; i++) {
				free(tests[i].name);
				free(tests[i].helo);
				free(tests[i].ip);
				free(tests[i].mailfrom);
				free(tests[i].results);
				free(tests[i].exp);
				free(tests[i].receiver);
				free(tests[i].flags);
			}
			free(tests);
			tests = NULL;
			ntests = 0;
			zone_clear(&z);
			if (len < 0)
				break;
			nf = split(line, f, 3);
			snprintf(scen, sizeof(scen), "%s", nf == 3 ? f[2] : "");
			unescape(scen);
			continue;
		}
		nf = split(line, f, 10);
		if (line[0] == 'Z' && nf == 4) {
			struct zitem it;

			memset(&it, 0, sizeof(it));
			it.name = xstrdup(f[1]);
			unescape(it.name);
			if (strcmp(f[2], "TIMEOUT") == 0)
				it.kind = ZK_TIMEOUT;
			else if (strcmp(f[2], "SERVFAIL") == 0)
				it.kind = ZK_SERVFAIL;
			else
				it.type = dns_type_from_name(f[2]);
			it.value = xstrdup(f[3]);
			it.vlen = unescape(it.value);
			z.it = xreallocarray(z.it, z.n + 1, sizeof(*z.it));
			z.it[z.n++] = it;
		} else if (line[0] == 'T' && nf == 9) {
			struct test t;

			t.name = xstrdup(f[1]);
			t.helo = xstrdup(f[2]);
			t.ip = xstrdup(f[3]);
			t.mailfrom = xstrdup(f[4]);
			t.results = xstrdup(f[5]);
			t.exp = xstrdup(f[6]);
			t.receiver = xstrdup(f[7]);
			t.flags = xstrdup(f[8]);
			unescape(t.name);
			unescape(t.helo);
			unescape(t.ip);
			unescape(t.mailfrom);
			unescape(t.exp);
			unescape(t.receiver);
			tests = xreallocarray(tests, ntests + 1,
			    sizeof(*tests));
			tests[ntests++] = t;
		} else {
			printf("Bail out! %s: malformed line \"%.60s\"\n",
			    path, line);
			fclose(fp);
			free(line);
			return -1;
		}
	}
	free(line);
	fclose(fp);
	printf("# %s: %d cases run, %d passed\n", label, run_n, pass_n);
	npass_total += pass_n;
	nfail_total += run_n - pass_n;
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	if (argc < 3 || argc % 2 == 0) {
		printf("Bail out! usage: t_spf_suite LABEL FILE ...\n");
		return 1;
	}
	for (i = 1; i + 1 < argc; i += 2)
		if (run_file(argv[i], argv[i + 1]) == -1)
			return 1;
	printf("# total: %d passed, %d failed\n", npass_total, nfail_total);
	printf("1..%d\n", tapn);
	return 0;
}
