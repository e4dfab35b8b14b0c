/*
 * t_propagation - propagation_analyze() and propagation_converged() fed
 * literal facts; the engine over the fake resolver (NS discovery:
 * answer, referral, SOA and label walks, failures, limits) with small
 * authoritative servers on loopback UDP in this process (RD must be
 * clear, AA is read, the MX sets are sorted); the --wait driver.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "app/wait.h"
#include "report/report.h"
#include "probe/propagation.h"
#include "util/xalloc.h"
#include "tap.h"

/* --- analysis over literal facts --- */

static struct propagation_mx mx_old[] = { { 10, "mx-old.ex.test", 0 } };
static struct propagation_mx mx_new[] = { { 10, "mx-new.ex.test", 0 } };
static struct propagation_mx mx_new20[] = { { 20, "mx-new.ex.test", 0 } };
static struct propagation_mx mx_both[] = {
	{ 10, "mx-new.ex.test", 0 }, { 20, "mx-old.ex.test", 0 }
};

#define AUTH(n, a, out, aa, mx, nmx) \
	{ PROPAGATION_AUTHORITATIVE, n, a, out, aa, 0, mx, nmx, 300, 1, \
	  NULL, 0, 0, PROPAGATION_SMTP_UNKNOWN }
#define RES(n, out, ref, mx, nmx, ttl) \
	{ PROPAGATION_RESOLVER, n, n, out, 0, ref, mx, nmx, ttl, 1, NULL, \
	  0, 0, PROPAGATION_SMTP_UNKNOWN }

static struct propagation_server s_agree[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	RES("198.51.100.53", DNS_OK, 0, mx_new, 1, 120),
};
static struct propagation_server s_disagree[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	AUTH("ns2.ex.test", "2001:db8::2", DNS_OK, 1, mx_new, 1),
};
static struct propagation_server s_cached[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	RES("198.51.100.53", DNS_OK, 0, mx_old, 1, 287),
	RES("198.51.100.54", DNS_OK, 0, mx_new, 1, 300),
};
static struct propagation_server s_oldkept[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_both, 2),
	RES("198.51.100.53", DNS_OK, 0, mx_both, 2, 7200),
};
static struct propagation_server s_lame[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_REFUSED, 0, NULL, 0),
	AUTH("ns3.ex.test", "192.0.2.3", DNS_OK, 0, mx_old, 1),
	AUTH("ns4.ex.test", NULL, DNS_NXDOMAIN, 0, NULL, 0),
};
static struct propagation_server s_silent[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_TIMEOUT, 0, NULL, 0),
	RES("198.51.100.53", DNS_SERVFAIL, 0, NULL, 0, 0),
	RES("198.51.100.54", DNS_REFUSED, 0, NULL, 0, 0),
};
static struct propagation_server s_referral[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	RES("127.0.0.1:53", DNS_NODATA, 1, NULL, 0, 0),
};
static struct propagation_server s_pref[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new20, 1),
};
static struct propagation_server s_nodata[] = {
	AUTH("ns1.ex.test", "192.0.2.1", DNS_NODATA, 1, NULL, 0),
	AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	RES("198.51.100.53", DNS_NODATA, 0, NULL, 0, 60),
};

static const char *exp_new[] = { "mx-new.ex.test", NULL };
static const char *exp_new_dot[] = { "MX-NEW.ex.test.", NULL };
static const char *old_old[] = { "mx-old.ex.test", NULL };
static const char *exp_ab[] = { "a.ex.test", "b.ex.test", NULL };

struct acase {
	const char			*name;
	struct propagation_server	*servers;
	size_t				 nservers;
	enum dns_outcome		 ns_out;
	int				 timed_out;
	const char			**expect;
	const char			**old;
	const char			*want;	/* codes, in order raised */
	int				 converged;
	const char			*subject;	/* of the first */
	const char			*text;	/* in some message */
};

#define N(a)	a, sizeof(a) / sizeof(a[0])

static const struct acase acases[] = {
	{ "all agree on the expected set", N(s_agree), DNS_OK, 0,
	    exp_new, NULL, "", 1, NULL, NULL },
	{ "expected names compare without case or final dot", N(s_agree),
	    DNS_OK, 0, exp_new_dot, NULL, "", 1, NULL, NULL },
	{ "all agree, nothing expected", N(s_agree), DNS_OK, 0, NULL, NULL,
	    "", 1, NULL, NULL },
	{ "authoritative servers disagree", N(s_disagree), DNS_OK, 0,
	    exp_new, NULL, "PROPAGATION_DISAGREE PROPAGATION_STALE", 0,
	    "ex.test", "for ex.test. ns1.ex.test (192.0.2.1) serves 10 "
	    "mx-old.ex.test. ns2.ex.test (192.0.2.2), ns2.ex.test "
	    "(2001:db8::2) serve 10 mx-new.ex.test." },
	{ "the lagging server is named", N(s_disagree), DNS_OK, 0,
	    exp_new, NULL, "PROPAGATION_DISAGREE PROPAGATION_STALE", 0,
	    "ex.test", "The name server ns1.ex.test (192.0.2.1) still serves "
	    "10 mx-old.ex.test for ex.test. Expected: mx-new.ex.test." },
	{ "disagreement without expectation: no STALE", N(s_disagree),
	    DNS_OK, 0, NULL, NULL, "PROPAGATION_DISAGREE", 0, "ex.test",
	    "serve 2 different MX sets for ex.test." },
	{ "a resolver's cached copy and its remaining TTL", N(s_cached),
	    DNS_OK, 0, exp_new, NULL, "PROPAGATION_STALE", 0,
	    "198.51.100.53", "can live 287 s (4 min 47 s) more." },
	{ "held to the authoritative set when nothing is expected",
	    N(s_cached), DNS_OK, 0, NULL, NULL, "PROPAGATION_STALE", 0,
	    "198.51.100.53", "for ex.test. The authoritative servers serve 10 "
	    "mx-new.ex.test. Its cached" },
	{ "an --old-mx host still served", N(s_oldkept), DNS_OK, 0, NULL,
	    old_old, "PROPAGATION_STALE PROPAGATION_STALE", 0,
	    "ns1.ex.test", "for ex.test. It still lists the old exchanger "
	    "mx-old.ex.test." },
	{ "a resolver's copy lives hours", N(s_oldkept), DNS_OK, 0, NULL,
	    old_old, "PROPAGATION_STALE PROPAGATION_STALE", 0,
	    "ns1.ex.test", "can live 7200 s (2 h 0 min) more." },
	{ "lame servers: refused, no AA, no address", N(s_lame), DNS_OK, 0,
	    exp_new, NULL,
	    "PROPAGATION_LAME PROPAGATION_LAME PROPAGATION_LAME", 1,
	    "ns2.ex.test", "without authority (no AA bit)" },
	{ "a name server without address", N(s_lame), DNS_OK, 0, exp_new,
	    NULL, "PROPAGATION_LAME PROPAGATION_LAME PROPAGATION_LAME", 1,
	    "ns2.ex.test", "ns4.ex.test of ex.test has no address "
	    "(NXDOMAIN)" },
	{ "silence is UNKNOWN, not agreement", N(s_silent), DNS_OK, 0,
	    exp_new, NULL, "PROPAGATION_NO_ANSWER PROPAGATION_NO_ANSWER "
	    "PROPAGATION_NO_ANSWER", 0, "ns2.ex.test",
	    "gave no answer for ex.test: SERVFAIL" },
	{ "a resolver that refuses", N(s_silent), DNS_OK, 0, exp_new, NULL,
	    "PROPAGATION_NO_ANSWER PROPAGATION_NO_ANSWER "
	    "PROPAGATION_NO_ANSWER", 0, "ns2.ex.test",
	    "The resolver 198.51.100.54 gave no answer for ex.test: "
	    "REFUSED" },
	{ "a resolver that only refers", N(s_referral), DNS_OK, 0, exp_new,
	    NULL, "PROPAGATION_NOT_RECURSIVE", 1, "127.0.0.1:53",
	    "does not recurse" },
	{ "NS set not found", NULL, 0, DNS_SERVFAIL, 0, exp_new, NULL,
	    "PROPAGATION_NS_FAILED", 0, "ex.test", "NS lookup SERVFAIL" },
	{ "time limit reached", N(s_disagree), DNS_OK, 1, exp_new, NULL,
	    "PROPAGATION_WAIT_TIMEOUT PROPAGATION_DISAGREE "
	    "PROPAGATION_STALE", 0, "ex.test", "After 3 s and 2 checks" },
	{ "preferences differ: disagree, hosts as expected", N(s_pref),
	    DNS_OK, 0, exp_new, NULL, "PROPAGATION_DISAGREE", 1, "ex.test",
	    "ns2.ex.test (192.0.2.2) serves 20 mx-new.ex.test." },
	{ "NODATA is a set of its own", N(s_nodata), DNS_OK, 0, exp_new,
	    NULL, "PROPAGATION_DISAGREE PROPAGATION_STALE "
	    "PROPAGATION_STALE", 0, "ex.test", "The resolver 198.51.100.53 "
	    "still answers that ex.test has no MX record. Expected: "
	    "mx-new.ex.test. Its cached copy can live 60 s (1 min 0 s) "
	    "more." },
	{ "a set of no MX record in the disagreement", N(s_nodata), DNS_OK,
	    0, exp_new, NULL, "PROPAGATION_DISAGREE PROPAGATION_STALE "
	    "PROPAGATION_STALE", 0, "ex.test", "for ex.test. ns1.ex.test "
	    "(192.0.2.1) serves no MX record. ns2.ex.test (192.0.2.2) "
	    "serves 10 mx-new.ex.test." },
	{ "an authoritative server with no MX record", N(s_nodata), DNS_OK,
	    0, exp_new, NULL, "PROPAGATION_DISAGREE PROPAGATION_STALE "
	    "PROPAGATION_STALE", 0, "ex.test", "The name server ns1.ex.test "
	    "(192.0.2.1) still serves no MX record for ex.test. Expected: "
	    "mx-new.ex.test." },
	{ "no authoritative server: not converged", NULL, 0, DNS_OK, 0,
	    exp_new, NULL, "", 0, NULL, NULL },
	{ NULL, NULL, 0, 0, 0, NULL, NULL, NULL, 0, NULL, NULL }
};

static void
test_analyze(void)
{
	const struct acase *c;
	struct propagation_facts f;
	struct findings *fs;
	struct buf *codes;
	const struct finding *fi;
	size_t i;
	int seen;

	for (c = acases; c->name != NULL; c++) {
		memset(&f, 0, sizeof(f));
		f.domain = "ex.test";
		f.zone = "ex.test";
		f.ns_outcome = c->ns_out;
		f.servers = c->servers;
		f.nservers = c->nservers;
		f.timed_out = c->timed_out;
		f.rounds = 2;
		f.waited_ms = 3000;
		fs = findings_new();
		propagation_analyze(&f, c->expect, c->old, fs);
		codes = buf_new(1024);
		seen = c->text == NULL;
		for (i = 0; i < findings_count(fs); i++) {
			fi = findings_get(fs, i);
			buf_printf(codes, "%s%s", i ? " " : "",
			    finding_def(fi->code)->code);
			if (c->text && strstr(fi->message, c->text))
				seen = 1;
		}
		is_str(buf_str(codes), c->want, c->name);
		if (c->subject && findings_count(fs) > 0)
			is_str(findings_get(fs, 0)->subject, c->subject,
			    "  subject of the first finding");
		if (!ok(seen, "  message says \"%s\"", c->text ? c->text : ""))
			for (i = 0; i < findings_count(fs); i++)
				diag("  %s", findings_get(fs, i)->message);
		is_int(propagation_converged(&f, c->expect, c->old),
		    c->converged, "  converged");
		buf_free(codes);
		findings_free(fs);
	}
}

static void
test_agrees(void)
{
	struct propagation_facts f;
	struct buf *b;

	memset(&f, 0, sizeof(f));
	f.domain = "ex.test";
	f.ns_outcome = DNS_OK;
	f.servers = s_lame;
	f.nservers = 4;
	is_int(propagation_server_agrees(&f, 0, exp_new, NULL), 1,
	    "agrees: the expected set");
	is_int(propagation_server_agrees(&f, 1, exp_new, NULL), -1,
	    "agrees: REFUSED cannot be judged");
	is_int(propagation_server_agrees(&f, 2, exp_new, NULL), -1,
	    "agrees: no AA cannot be judged");
	f.servers = s_disagree;
	f.nservers = 3;
	is_int(propagation_server_agrees(&f, 0, NULL, NULL), 0,
	    "agrees: no consensus, nothing expected");
	is_int(propagation_server_agrees(&f, 0, NULL, old_old), 0,
	    "agrees: still the old host");
	is_int(propagation_server_agrees(&f, 1, NULL, old_old), 1,
	    "agrees: old host gone");
	b = buf_new(256);
	propagation_set_text(&s_oldkept[0], b);
	is_str(buf_str(b), "10 mx-new.ex.test, 20 mx-old.ex.test",
	    "set text");
	buf_free(b);
}

static void
test_render(void)
{
	struct propagation_facts f;
	struct buf *b;
	json_object *j, *s;
	char *ns[] = { "ns1.ex.test", "ns2.ex.test" };

	memset(&f, 0, sizeof(f));
	f.domain = "ex.test";
	f.zone = "ex.test";
	f.ns = ns;
	f.nns = 2;
	f.ns_outcome = DNS_OK;
	f.servers = s_cached;
	f.nservers = 3;
	f.rounds = 1;
	j = json_object_new_object();
	propagation_json(&f, exp_new, NULL, j);
	s = json_object_object_get(json_object_object_get(j, "propagation"),
	    "servers");
	is_int(json_object_array_length(s), 3, "json: three servers");
	is_str(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(s, 1), "role")), "resolver",
	    "json: role");
	is_int(json_object_get_int(json_object_object_get(
	    json_object_array_get_idx(s, 1), "ttl")), 287, "json: ttl");
	ok(!json_object_get_boolean(json_object_object_get(
	    json_object_array_get_idx(s, 1), "agrees")),
	    "json: the cached copy does not agree");
	ok(json_object_get_boolean(json_object_object_get(
	    json_object_array_get_idx(s, 0), "agrees")),
	    "json: the authoritative server agrees");
	is_str(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(json_object_object_get(
	    json_object_array_get_idx(s, 0), "mx"), 0), "host")),
	    "mx-new.ex.test", "json: mx host");
	json_object_put(j);
	b = buf_new(4096);
	propagation_text(&f, exp_new, NULL, b);
	ok(strstr(buf_str(b), "resolver      198.51.100.53: 10 "
	    "mx-old.ex.test, TTL 287 s  [differs]") != NULL,
	    "text: the resolver line");
	ok(strstr(buf_str(b), "zone ex.test, name servers: ns1.ex.test "
	    "ns2.ex.test") != NULL, "text: the NS set");
	if (tap_failed)
		diag("%s", buf_str(b));
	buf_free(b);
}

/* --- the engine --- */

/*
 * The fake resolver's zone: a question (name, type) gets an outcome and
 * records "SECTION OWNER TYPE VALUE" separated by ';' (section 1 answer,
 * 2 authority). A question not listed is NXDOMAIN.
 */
struct fq {
	const char		*name;
	int			 type;
	enum dns_outcome	 out;
	const char		*rrs;
};

static const struct fq *fzone;
static int fake_questions;

static enum dns_outcome
fake(void *arg, const char *name, int type, struct dns_rr **rrs, size_t *n)
{
	const struct fq *z;
	struct dns_rr *rr;
	char buf[1024], *p, *tok, owner[256], tname[16], val[256];
	int sec;

	(void)arg;
	fake_questions++;
	*rrs = NULL;
	*n = 0;
	for (z = fzone; z->name != NULL; z++)
		if (strcasecmp(z->name, name) == 0 && z->type == type)
			break;
	if (z->name == NULL)
		return DNS_NXDOMAIN;
	snprintf(buf, sizeof(buf), "%s", z->rrs ? z->rrs : "");
	for (p = buf; (tok = strsep(&p, ";")) != NULL;) {
		if (sscanf(tok, "%d %255s %15s %255[^;]", &sec, owner, tname,
		    val) != 4)
			continue;
		*rrs = xreallocarray(*rrs, *n + 1, sizeof(**rrs));
		rr = &(*rrs)[(*n)++];
		memset(rr, 0, sizeof(*rr));
		rr->owner = xstrdup(owner);
		rr->section = sec;
		rr->ttl = 600;
		rr->type = (uint16_t)dns_type_from_name(tname);
		switch (rr->type) {
		case DNS_T_NS:
			rr->u.name = xstrdup(val);
			break;
		case DNS_T_A:
			rr->u.a.family = AF_INET;
			inet_pton(AF_INET, val, rr->u.a.addr);
			break;
		case DNS_T_AAAA:
			rr->u.a.family = AF_INET6;
			inet_pton(AF_INET6, val, rr->u.a.addr);
			break;
		case DNS_T_MX:
			rr->u.mx.pref = (uint16_t)atoi(val);
			rr->u.mx.host = xstrdup(strchr(val, ' ') + 1);
			break;
		case DNS_T_SOA:
			rr->u.soa.mname = xstrdup(val);
			rr->u.soa.minimum = 60;
			break;
		}
	}
	return z->out;
}

/*
 * A tiny authoritative server on loopback UDP: answers every question
 * with its MX set (or its rcode) and the AA bit it is told to set, and
 * notes whether the question asked for recursion.
 */
struct auth {
	int			 fd;
	struct ev_io		*io;
	int			 rcode;
	int			 aa;
	const char		*mx[4];	/* "PREF HOST" */
	int			 queries;
	int			 rd_seen;
};

static size_t
put_name(unsigned char *p, const char *name)
{
	const char *dot;
	size_t n = 0, len;

	while (*name) {
		dot = strchr(name, '.');
		len = dot ? (size_t)(dot - name) : strlen(name);
		p[n++] = (unsigned char)len;
		memcpy(p + n, name, len);
		n += len;
		name += len + (dot != NULL);
	}
	p[n++] = 0;
	return n;
}

static void
auth_read(int fd, int ev, void *arg)
{
	struct auth *a = arg;
	unsigned char q[512], r[1024];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n;
	size_t qend, len, i, rdl;
	unsigned pref;
	char host[256];

	(void)ev;
	if ((n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from,
	    &flen)) < 12)
		return;
	a->queries++;
	if (q[2] & 0x01)
		a->rd_seen++;
	for (qend = 12; qend < (size_t)n && q[qend] != 0; qend += q[qend] + 1)
		;
	qend += 5;			/* root label, type, class */
	if (qend > (size_t)n)
		return;
	memcpy(r, q, qend);
	r[2] = (unsigned char)(0x80 | (a->aa ? 0x04 : 0) | (q[2] & 0x01));
	r[3] = (unsigned char)a->rcode;
	r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
	len = qend;
	for (i = 0; a->rcode == 0 && i < 4 && a->mx[i] != NULL; i++) {
		sscanf(a->mx[i], "%u %255s", &pref, host);
		r[len++] = 0xc0;
		r[len++] = 12;
		memcpy(r + len, "\0\x0f\0\x01\0\0\x01\x2c", 8); /* TTL 300 */
		len += 8;
		rdl = put_name(r + len + 4, host) + 2;
		r[len++] = (unsigned char)(rdl >> 8);
		r[len++] = (unsigned char)rdl;
		r[len++] = (unsigned char)(pref >> 8);
		r[len++] = (unsigned char)pref;
		len += rdl - 2;
		r[7]++;
	}
	sendto(fd, r, len, 0, (struct sockaddr *)&from, flen);
}

/* Binds addr:port (port 0: any; the port chosen is returned). */
static int
auth_start(struct evloop *l, struct auth *a, const char *addr, int port)
{
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, addr, &sin.sin_addr);
	if ((a->fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(a->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		diag("bind %s:%d: %s", addr, port, strerror(errno));
		return -1;
	}
	getsockname(a->fd, (struct sockaddr *)&sin, &slen);
	a->io = evloop_io_add(l, a->fd, EV_READ, auth_read, a);
	return ntohs(sin.sin_port);
}

static void
auth_stop(struct auth *a)
{
	if (a->io)
		evloop_io_del(a->io);
	if (a->fd >= 0)
		close(a->fd);
}

static struct propagation_facts *got;
static int ncb;

/* The loop keeps running while the test servers watch their sockets. */
static void
on_done(struct propagation_facts *f, void *arg)
{
	ncb++;
	got = f;
	evloop_break(arg);
}

static void
stop_loop(void *arg)
{
	evloop_break(arg);
}

static struct propagation_facts *
run(struct evloop *l, const struct fq *z, const char *domain, int port)
{
	struct propagation_config cfg;
	struct dns *d;

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = domain;
	cfg.ns_port = port;
	cfg.timeout_ms = 300;
	cfg.tries = 1;
	fzone = z;
	got = NULL;
	ncb = 0;
	d = dns_new_fake(l, fake, NULL);
	propagation_start(l, d, &cfg, on_done, l);
	ok(ncb == 0, "  no callback from inside propagation_start()");
	evloop_run(l);
	dns_free(d);
	is_int(ncb, 1, "  one callback");
	return got;
}

static const struct fq z_answer[] = {
	{ "ex.test", DNS_T_NS, DNS_OK,
	    "1 ex.test NS ns2.ex.test; 1 ex.test NS ns1.ex.test;"
	    "1 ex.test NS ns1.ex.test" },
	{ "ns1.ex.test", DNS_T_A, DNS_OK, "1 ns1.ex.test A 127.0.0.1" },
	{ "ns1.ex.test", DNS_T_AAAA, DNS_NODATA, NULL },
	{ "ns2.ex.test", DNS_T_A, DNS_OK, "1 ns2.ex.test A 127.0.0.2" },
	{ "ns2.ex.test", DNS_T_AAAA, DNS_NODATA, NULL },
	{ "ex.test", DNS_T_MX, DNS_OK,
	    "1 ex.test MX 20 b.ex.test; 1 ex.test MX 10 a.ex.test" },
	{ NULL, 0, 0, NULL }
};

/* Answer path, two authoritative servers that disagree, RD clear. */
static void
test_engine_answer(void)
{
	struct evloop *l = evloop_new();
	struct auth a1, a2;
	struct propagation_facts *f;
	struct findings *fs;
	int port;

	memset(&a1, 0, sizeof(a1));
	memset(&a2, 0, sizeof(a2));
	a1.aa = a2.aa = 1;
	a1.mx[0] = "10 mx-old.ex.test";
	a2.mx[0] = "20 b.ex.test";
	a2.mx[1] = "10 a.ex.test";
	diag("engine: NS in the answer section");
	if ((port = auth_start(l, &a1, "127.0.0.1", 0)) == -1 ||
	    auth_start(l, &a2, "127.0.0.2", port) == -1) {
		ok(0, "loopback servers");
		evloop_free(l);
		return;
	}
	f = run(l, z_answer, "ex.test", port);
	if (f == NULL) {
		evloop_free(l);
		return;
	}
	is_int(f->ns_outcome, DNS_OK, "NS found");
	is_str(f->zone, "ex.test", "zone");
	is_int(f->nns, 2, "duplicate NS name dropped");
	is_int(f->nservers, 3, "two NS addresses and the resolver");
	is_str(f->servers[0].name, "ns1.ex.test", "sorted: ns1 first");
	is_str(f->servers[0].address, "127.0.0.1", "its address");
	is_int(f->servers[0].outcome, DNS_OK, "ns1 answered");
	ok(f->servers[0].aa, "ns1 answered with AA");
	is_str(f->servers[1].mx[0].host, "a.ex.test",
	    "MX sorted by preference");
	is_int(f->servers[1].ttl, 300, "TTL of the authoritative answer");
	is_int(f->servers[2].role, PROPAGATION_RESOLVER, "resolver last");
	is_str(f->servers[2].name, "system resolver",
	    "no --resolver: the resolver channel itself");
	is_int(f->servers[2].nmx, 2, "resolver's MX set");
	is_int(f->servers[2].ttl, 600, "resolver's remaining TTL");
	is_int(a1.queries + a2.queries, 4,
	    "each server asked once for the MX and once for the SOA");
	is_int(a1.rd_seen + a2.rd_seen, 0,
	    "authoritative servers asked without recursion (RD clear)");
	fs = findings_new();
	propagation_analyze(f, NULL, NULL, fs);
	ok(findings_has(fs, F_PROPAGATION_DISAGREE), "they disagree");
	findings_free(fs);
	propagation_facts_free(f);
	auth_stop(&a1);
	auth_stop(&a2);
	evloop_free(l);
}

static const struct fq z_referral[] = {
	/* A parent's authoritative server: a referral, no AA. */
	{ "sub.ex.test", DNS_T_NS, DNS_OK,
	    "2 ex.test NS ns1.parent.test; 2 ex.test NS ns2.parent.test" },
	{ "ns1.parent.test", DNS_T_A, DNS_OK,
	    "1 ns1.parent.test A 127.0.0.1" },
	{ "ns1.parent.test", DNS_T_AAAA, DNS_NODATA, NULL },
	/* ns2 has no address at all. */
	{ "sub.ex.test", DNS_T_MX, DNS_OK,
	    "2 ex.test NS ns1.parent.test" },
	{ NULL, 0, 0, NULL }
};

static void
test_engine_referral(void)
{
	struct evloop *l = evloop_new();
	struct auth a1;
	struct propagation_facts *f;
	struct findings *fs;
	int port;

	memset(&a1, 0, sizeof(a1));
	a1.rcode = 5;			/* REFUSED: lame */
	diag("engine: NS from a referral's authority section");
	if ((port = auth_start(l, &a1, "127.0.0.1", 0)) == -1) {
		ok(0, "loopback server");
		evloop_free(l);
		return;
	}
	f = run(l, z_referral, "sub.ex.test", port);
	if (f == NULL) {
		evloop_free(l);
		return;
	}
	is_int(f->ns_outcome, DNS_OK, "NS found in the referral");
	is_str(f->zone, "ex.test", "the zone is the referral's owner");
	is_int(f->nns, 2, "both NS names");
	is_int(f->nservers, 3, "ns1's address, ns2 without, the resolver");
	is_int(f->servers[0].outcome, DNS_REFUSED, "ns1 refused");
	ok(f->servers[1].address == NULL, "ns2 has no address");
	is_int(f->servers[1].outcome, DNS_NXDOMAIN, "  and why");
	ok(f->servers[2].referral, "the resolver's referral is noted");
	fs = findings_new();
	propagation_analyze(f, NULL, NULL, fs);
	ok(findings_has(fs, F_PROPAGATION_LAME), "lame servers reported");
	ok(findings_has(fs, F_PROPAGATION_NOT_RECURSIVE),
	    "the non-recursive resolver reported");
	findings_free(fs);
	propagation_facts_free(f);
	auth_stop(&a1);
	evloop_free(l);
}

static const struct fq z_soa[] = {
	{ "www.ex.test", DNS_T_NS, DNS_NODATA,
	    "2 ex.test SOA ns1.ex.test" },
	{ "ex.test", DNS_T_NS, DNS_OK, "1 ex.test NS ns1.ex.test" },
	{ NULL, 0, 0, NULL }
};
static const struct fq z_labels[] = {
	{ "ex.test", DNS_T_NS, DNS_OK, "1 ex.test NS ns1.ex.test" },
	{ NULL, 0, 0, NULL }
};
static const struct fq z_servfail[] = {
	{ "ex.test", DNS_T_NS, DNS_SERVFAIL, NULL },
	{ NULL, 0, 0, NULL }
};
static const struct fq z_none[] = {
	{ NULL, 0, 0, NULL }
};

struct wcase {
	const char		*name;
	const struct fq		*zone;
	const char		*domain;
	enum dns_outcome	 ns_out;
	const char		*zone_found;
	int			 questions;	/* to the fake resolver */
};

static const struct wcase wcases[] = {
	/* NS www, NS ex (via the SOA), MX, A, AAAA of ns1 */
	{ "SOA of NODATA names the zone", z_soa, "www.ex.test", DNS_OK,
	    "ex.test", 5 },
	/* NS a.b.ex, b.ex, ex; MX; A, AAAA */
	{ "one label at a time without SOA", z_labels, "a.b.ex.test",
	    DNS_OK, "ex.test", 6 },
	{ "SERVFAIL stops the walk", z_servfail, "ex.test", DNS_SERVFAIL,
	    NULL, 2 },
	/* NS ex.test, test; MX */
	{ "nothing up to the last label", z_none, "ex.test", DNS_NXDOMAIN,
	    NULL, 3 },
	{ NULL, NULL, NULL, 0, NULL, 0 }
};

static void
test_engine_walk(void)
{
	const struct wcase *c;
	struct evloop *l;
	struct propagation_facts *f;

	for (c = wcases; c->name != NULL; c++) {
		diag("engine walk: %s", c->name);
		l = evloop_new();
		fake_questions = 0;
		/* Port 9: nothing answers there; the servers time out. */
		f = run(l, c->zone, c->domain, 9);
		evloop_free(l);
		if (f == NULL)
			continue;
		is_int(f->ns_outcome, c->ns_out, c->name);
		is_str(f->zone, c->zone_found, "  zone");
		is_int(fake_questions, c->questions, "  questions asked");
		propagation_facts_free(f);
	}
}

static void
test_engine_limits(void)
{
	struct fq z[3];
	struct buf *b;
	struct evloop *l = evloop_new();
	struct propagation_facts *f;
	int i;

	b = buf_new(8192);
	for (i = 0; i < 20; i++)
		buf_printf(b, "1 ex.test NS ns%d.ex.test;", i);
	memset(z, 0, sizeof(z));
	z[0].name = "ex.test";
	z[0].type = DNS_T_NS;
	z[0].out = DNS_OK;
	z[0].rrs = buf_str(b);
	diag("engine: limits");
	f = run(l, z, "ex.test", 9);
	if (f != NULL) {
		is_int(f->nns, PROPAGATION_MAX_NS, "at most 16 NS names");
		is_int(f->ns_cut, 4, "the rest counted");
		propagation_facts_free(f);
	}
	buf_free(b);
	evloop_free(l);
}

static void
never(struct propagation_facts *f, void *arg)
{
	(void)arg;
	ok(0, "cancelled check calls back");
	propagation_facts_free(f);
}

static void
test_engine_cancel(void)
{
	struct propagation_config cfg;
	struct evloop *l = evloop_new();
	struct dns *d;
	struct propagation *p;
	const char *res[] = { "127.0.0.1:9", NULL };

	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = "ex.test";
	cfg.resolvers = res;
	fzone = z_answer;
	d = dns_new_fake(l, fake, NULL);
	p = propagation_start(l, d, &cfg, never, NULL);
	propagation_cancel(p);
	evloop_run(l);
	ok(1, "cancel: no callback, nothing left on the loop");
	dns_free(d);
	evloop_free(l);
}

static struct propagation_facts *wgot;
static int wok, wcb;

static void
on_wait(struct propagation_facts *f, int converged, void *arg)
{
	wcb++;
	wok = converged;
	wgot = f;
	evloop_break(arg);
}

static void
test_wait(void)
{
	struct propagation_config cfg;
	struct evloop *l = evloop_new();
	struct auth a1, a2;
	struct dns *d;
	uint64_t t0;
	int port;

	memset(&a1, 0, sizeof(a1));
	memset(&a2, 0, sizeof(a2));
	a1.aa = a2.aa = 1;
	a1.mx[0] = "10 a.ex.test";
	a1.mx[1] = "20 b.ex.test";
	a2.mx[0] = "10 mx-old.ex.test";
	if ((port = auth_start(l, &a1, "127.0.0.1", 0)) == -1 ||
	    auth_start(l, &a2, "127.0.0.2", port) == -1) {
		ok(0, "loopback servers");
		evloop_free(l);
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.domain = "ex.test";
	cfg.ns_port = port;
	cfg.timeout_ms = 300;
	cfg.tries = 1;
	fzone = z_answer;
	d = dns_new_fake(l, fake, NULL);

	diag("wait: ns2 lags; 3.5 s limit");
	wcb = 0;
	t0 = evloop_clock();
	propagation_wait_start(l, d, &cfg, exp_ab, NULL, 3500, on_wait,
	    l);
	evloop_run(l);
	is_int(wcb, 1, "wait: one callback");
	ok(!wok, "wait: not converged");
	ok(wgot != NULL && wgot->timed_out, "wait: timed out");
	if (!ok(wgot != NULL && wgot->rounds == 2,
	    "wait: checks at 0 s and 2 s") && wgot != NULL)
		diag("  %u checks", wgot->rounds);
	ok(evloop_clock() - t0 >= 3400 && evloop_clock() - t0 < 5000,
	    "wait: ends at the limit (%llu ms)",
	    (unsigned long long)(evloop_clock() - t0));
	propagation_facts_free(wgot);

	diag("wait: both serve the expected set");
	a2.mx[0] = "10 a.ex.test";
	a2.mx[1] = "20 b.ex.test";
	wcb = 0;
	t0 = evloop_clock();
	propagation_wait_start(l, d, &cfg, exp_ab, NULL, 10000, on_wait,
	    l);
	evloop_run(l);
	is_int(wcb, 1, "wait: one callback");
	ok(wok, "wait: converged");
	ok(wgot != NULL && !wgot->timed_out && wgot->rounds == 1,
	    "wait: at the first check");
	ok(evloop_clock() - t0 < 1500, "wait: at once");
	propagation_facts_free(wgot);

	diag("wait: cancelled");
	propagation_wait_cancel(propagation_wait_start(l, d, &cfg, exp_ab,
	    NULL, 10000, on_wait, l));
	wcb = 0;
	evloop_timer_add(l, 300, stop_loop, l);
	evloop_run(l);
	is_int(wcb, 0, "wait: cancelled, no callback");
	dns_free(d);
	auth_stop(&a1);
	auth_stop(&a2);
	evloop_free(l);
}

int
main(void)
{
	test_analyze();
	test_agrees();
	test_render();
	test_engine_answer();
	test_engine_referral();
	test_engine_walk();
	test_engine_limits();
	test_engine_cancel();
	test_wait();
	return tap_done();
}
