#include <sys/random.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>

#include <arpa/inet.h>
#include <ares.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/dname.h"

#define EDNS_UDP_SIZE	1232	/* DNS flag day 2020 */
/*
 * Queries handed to c-ares at once, for the whole run (DNS_MAX_INFLIGHT,
 * dns.h, or the config's max_inflight): more wait in a queue (their
 * clock for the report starts when they are asked for, the resolver's
 * timeout when they are sent), so a burst never turns into timeouts.
 * The receive buffer takes a burst of answers to them.
 */
#define DNS_RCVBUF		(1024 * 1024)

struct dns_watch {
	ares_socket_t		 fd;
	struct ev_io		*io;
	struct dns_watch	*next;
};

struct dns {
	struct evloop		*loop;
	ares_channel		 ch;
	dns_fake_fn		*fake;
	void			*fake_arg;
	int			 fake_inline;	/* answer inside dns_query */
	struct dns_watch	*watches;
	struct ev_timer		*timer;
	struct ev_timer		*rearm;		/* end of this loop turn */
	struct dns_query	*pending;
	struct dns_query	*waitq, **waitq_tail;	/* not sent yet */
	unsigned		 inflight;	/* inside c-ares */
	unsigned		 max_inflight;
	unsigned long		 sent;
	int			 dying;
	struct dns		*parent;	/* a view: the channel */
	struct dns_tally	*tally;		/* a view's counts */
	char			*trace_tag;	/* trace: "[TAG] " */
};

struct dns_query {
	struct dns		*d;
	char			*qname;		/* as asked first */
	char			*name;		/* as asked now */
	int			 type;
	int			 flags;
	dns_cb			*cb;
	void			*arg;
	int			 cancelled;
	int			 sending;	/* inside ares_send() */
	int			 done;		/* freed once sending ends */
	int			 in_ares;	/* counted in inflight */
	int			 queued;	/* on waitq */
	struct dns_query	*wnext;		/* waitq link */
	char			*err;		/* could not even be asked */
	struct dns_tally	*tally;		/* of the view asked, or NULL */
	char			*trace_tag;	/* the view's, or NULL */
	int			 refused;	/* past the tally's limit */
	size_t			 ncname;
	uint64_t		 start;
	struct ev_timer		*fake_timer;
	struct dns_query	*prev, *next;
};

static void	send_query(struct dns_query *);
static void	dns_rearm(struct dns *);
static void	dns_rearm_soon(struct dns *);
static void	dns_pump(struct dns *);

unsigned long
dns_queries_sent(const struct dns *d)
{
	return d->parent != NULL ? d->tally->asked : d->sent;
}

struct dns *
dns_view_new(struct dns *d, struct dns_tally *t)
{
	struct dns *v;

	v = xcalloc(1, sizeof(*v));
	v->parent = d->parent != NULL ? d->parent : d;
	v->loop = d->loop;
	v->tally = t;
	return v;
}

void
dns_view_free(struct dns *v)
{
	if (v != NULL)
		free(v->trace_tag);
	free(v);
}

void
dns_view_trace_tag(struct dns *v, const char *tag)
{
	free(v->trace_tag);
	v->trace_tag = tag != NULL ? xstrdup(tag) : NULL;
}

/* What one answer tells the tally of the domain that asked. */
static void
tally_answer(struct dns_query *q, enum dns_outcome out,
    const struct dns_msg *m, const char *why)
{
	struct dns_tally *t = q->tally;
	struct buf *b;

	if (t == NULL || q->refused)
		return;
	if (m != NULL && m->cut)
		t->cut++;
	if (out != DNS_ERROR)
		return;
	t->errors++;
	if (t->nwhy < DNS_TALLY_WHY) {
		b = buf_new(BUF_WHY_MAX);
		buf_printf(b, "%s/%s: %s", q->name, dns_type_name(q->type),
		    why != NULL ? why : "malformed answer");
		t->why[t->nwhy++] = buf_steal(b);
		buf_free(b);
	}
}

/* c-ares tells us which sockets it wants watched. */
static void
on_io(int fd, int ev, void *arg)
{
	struct dns *d = arg;

	ares_process_fd(d->ch,
	    (ev & (EV_READ | EV_ERROR)) ? (ares_socket_t)fd : ARES_SOCKET_BAD,
	    (ev & EV_WRITE) ? (ares_socket_t)fd : ARES_SOCKET_BAD);
	if (!d->dying)
		dns_rearm_soon(d);
}

static void
on_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dns *d = data;
	struct dns_watch *w, **pw;
	int ev = (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);

	for (pw = &d->watches; (w = *pw) != NULL; pw = &w->next)
		if (w->fd == fd)
			break;
	if (ev == 0) {
		if (w != NULL) {
			evloop_io_del(w->io);
			*pw = w->next;
			free(w);
		}
		return;
	}
	if (w == NULL) {
		w = xcalloc(1, sizeof(*w));
		w->fd = fd;
		w->io = evloop_io_add(d->loop, (int)fd, ev, on_io, d);
		w->next = d->watches;
		d->watches = w;
	} else
		evloop_io_set(w->io, ev);
}

static void
on_timer(void *arg)
{
	struct dns *d = arg;

	d->timer = NULL;
	ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	if (!d->dying)
		dns_rearm_soon(d);
}

static void
on_rearm(void *arg)
{
	struct dns *d = arg;

	d->rearm = NULL;
	dns_rearm(d);
}

/*
 * ares_timeout() walks every query in flight: ask it once per loop
 * turn, after all of the turn's socket events, not after each of them.
 */
static void
dns_rearm_soon(struct dns *d)
{
	if (d->rearm == NULL)
		d->rearm = evloop_timer_add(d->loop, 0, on_rearm, d);
}

/* A query ID from the kernel's random source, fetched in blocks. */
static unsigned short
dns_random_id(void)
{
	static unsigned short pool[256];
	static size_t left;
	ssize_t n;

	if (left == 0) {
		do
			n = getrandom(pool, sizeof(pool), 0);
		while (n == -1 && errno == EINTR);
		if (n != (ssize_t)sizeof(pool))
			log_panic("getrandom");
		left = sizeof(pool) / sizeof(pool[0]);
	}
	return pool[--left];
}

/* Room for a burst of answers on each resolver socket. */
static int
on_sock_create(ares_socket_t fd, int type, void *arg)
{
	int sz = DNS_RCVBUF;

	(void)arg;
	if (type == SOCK_DGRAM &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return 0;
}

/* Keep one timer at c-ares' next retransmit or timeout. */
static void
dns_rearm(struct dns *d)
{
	struct timeval tv, *tvp;
	uint64_t ms;

	if (d->timer != NULL) {
		evloop_timer_del(d->timer);
		d->timer = NULL;
	}
	if (d->ch == NULL || (tvp = ares_timeout(d->ch, NULL, &tv)) == NULL)
		return;
	ms = (uint64_t)tvp->tv_sec * 1000 + (uint64_t)tvp->tv_usec / 1000;
	d->timer = evloop_timer_add(d->loop, ms + 1, on_timer, d);
}

static int
set_servers(struct dns *d, const char **servers, struct buf *why)
{
	struct buf *csv;
	size_t i;
	int rc;

	csv = buf_new(8192);
	for (i = 0; servers[i] != NULL; i++)
		buf_printf(csv, "%s%s", i ? "," : "", servers[i]);
	rc = ares_set_servers_ports_csv(d->ch, buf_str(csv));
	if (rc != ARES_SUCCESS)
		buf_printf(why, R_("invalid resolver address in \"%s\": %s"),
		    buf_str(csv), ares_strerror(rc));
	buf_free(csv);
	return rc == ARES_SUCCESS ? 0 : -1;
}

struct dns *
dns_new(struct evloop *loop, const struct dns_config *cfg, struct buf *why)
{
	static int inited;
	struct ares_options o;
	struct dns *d;
	int rc, mask;

	if (!inited) {
		if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS)
		{
			buf_printf(why, R_("c-ares: %s"), ares_strerror(rc));
			return NULL;
		}
		inited = 1;
	}
	d = xcalloc(1, sizeof(*d));
	d->loop = loop;
	d->max_inflight = cfg && cfg->max_inflight ? cfg->max_inflight :
	    DNS_MAX_INFLIGHT;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = on_sock_state;
	o.sock_state_cb_data = d;
	o.timeout = cfg && cfg->timeout_ms ? (int)cfg->timeout_ms : 2000;
	o.tries = cfg && cfg->tries ? (int)cfg->tries : 2;
	/*
	 * NOCHECKRESP: hand SERVFAIL and REFUSED answers to us instead of
	 * trying the next server and folding them into one error, so the
	 * report can say which it was. Search domains are never applied:
	 * ares_send() asks exactly the name given.
	 */
	o.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_EDNS;
	o.ednspsz = EDNS_UDP_SIZE;
	mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
	    ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ;
	if ((rc = ares_init_options(&d->ch, &o, mask)) != ARES_SUCCESS) {
		buf_printf(why, R_("cannot set up the resolver: %s"),
		    ares_strerror(rc));
		free(d);
		return NULL;
	}
	if (cfg && cfg->servers && cfg->servers[0] &&
	    set_servers(d, cfg->servers, why) == -1) {
		ares_destroy(d->ch);
		free(d);
		return NULL;
	}
	ares_set_socket_configure_callback(d->ch, on_sock_create, d);
	d->waitq_tail = &d->waitq;
	return d;
}

struct dns *
dns_new_fake(struct evloop *loop, dns_fake_fn *fn, void *arg)
{
	struct dns *d;

	d = xcalloc(1, sizeof(*d));
	d->loop = loop;
	d->fake = fn;
	d->fake_arg = arg;
	return d;
}

void
dns_fake_inline(struct dns *d, int on)
{
	if (d->fake != NULL)
		d->fake_inline = on;
}

static void
query_unlink_free(struct dns_query *q)
{
	struct dns *d = q->d;

	if (q->sending) {
		/* c-ares may answer from inside ares_send(). */
		q->done = 1;
		return;
	}
	if (q->prev)
		q->prev->next = q->next;
	else if (d->pending == q)
		d->pending = q->next;
	if (q->next)
		q->next->prev = q->prev;
	if (q->fake_timer)
		evloop_timer_del(q->fake_timer);
	free(q->qname);
	free(q->name);
	free(q->err);
	free(q->trace_tag);
	free(q);
}

/*
 * The servers the channel asks, as c-ares holds them (from --resolver, or
 * read from resolv.conf): "ADDR", "ADDR:PORT" or "[ADDR]:PORT" when the
 * port is not 53. NULL-terminated; free with dns_servers_free(). Empty for
 * a fake.
 */
char **
dns_servers(struct dns *d)
{
	struct ares_addr_port_node *list = NULL, *n;
	char **v, addr[INET6_ADDRSTRLEN];
	struct buf *b;
	size_t cnt = 0;

	if (d->ch != NULL && ares_get_servers_ports(d->ch, &list) !=
	    ARES_SUCCESS)
		list = NULL;
	for (n = list; n != NULL; n = n->next)
		cnt++;
	v = xcalloc(cnt + 1, sizeof(*v));
	cnt = 0;
	for (n = list; n != NULL; n = n->next) {
		if (inet_ntop(n->family, &n->addr, addr, sizeof(addr)) ==
		    NULL)
			continue;
		b = buf_new(128);
		if (n->udp_port == 0 || n->udp_port == 53)
			buf_printf(b, "%s", addr);
		else if (n->family == AF_INET6)
			buf_printf(b, "[%s]:%d", addr, n->udp_port);
		else
			buf_printf(b, "%s:%d", addr, n->udp_port);
		v[cnt++] = xstrdup(buf_str(b));
		buf_free(b);
	}
	ares_free_data(list);
	return v;
}

void
dns_servers_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
dns_free(struct dns *d)
{
	struct dns_watch *w, *n;

	if (d == NULL)
		return;
	d->dying = 1;
	while (d->pending != NULL) {
		d->pending->cancelled = 1;
		if (d->fake != NULL)
			query_unlink_free(d->pending);
		else
			break;
	}
	if (d->ch != NULL) {
		struct dns_query *q, *qn;

		/* Those answered from a timer (refused, or not even
		 * asked) are not c-ares': free them here. */
		for (q = d->pending; q != NULL; q = qn) {
			qn = q->next;
			q->cancelled = 1;
			if (q->fake_timer != NULL && !q->queued)
				query_unlink_free(q);
		}
		/* Those never handed to c-ares. */
		while ((q = d->waitq) != NULL) {
			d->waitq = q->wnext;
			query_unlink_free(q);
		}
		/* Calls every pending callback with ARES_EDESTRUCTION. */
		ares_destroy(d->ch);
	}
	for (w = d->watches; w != NULL; w = n) {
		n = w->next;
		evloop_io_del(w->io);
		free(w);
	}
	if (d->timer)
		evloop_timer_del(d->timer);
	if (d->rearm)
		evloop_timer_del(d->rearm);
	free(d);
}

void
dns_cancel(struct dns_query *q)
{
	if (q == NULL)
		return;
	q->cancelled = 1;
	q->cb = NULL;
	q->tally = NULL;	/* its owner may be gone before the end */
	/*
	 * A fake query waiting for its timer goes now; one whose answer is
	 * being delivered (cancelled from its own callback) is freed by
	 * fake_fire(), and a real one when c-ares reports its end.
	 */
	if (q->d->fake != NULL && q->fake_timer != NULL)
		query_unlink_free(q);
}

static int
has_soa(const struct dns_msg *m)
{
	size_t i;

	for (i = 0; i < m->nrr; i++)
		if (m->rr[i].section == 2 && m->rr[i].type == DNS_T_SOA)
			return 1;
	return 0;
}

/* Records listed in a trace line; the count says how many there were. */
#define DNS_TRACE_RR	8
#define DNS_TRACE_TXT	60

/* One record, compactly, for the trace. */
static void
trace_rr(struct buf *b, const struct dns_rr *rr)
{
	char a[INET6_ADDRSTRLEN];

	switch (rr->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		if (inet_ntop(rr->u.a.family, rr->u.a.addr, a, sizeof(a)) ==
		    NULL)
			snprintf(a, sizeof(a), "?");
		buf_printf(b, "%s", a);
		break;
	case DNS_T_MX:
		buf_printf(b, "%u %s", rr->u.mx.pref, rr->u.mx.host);
		break;
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		buf_printf(b, "%s", rr->u.name);
		break;
	case DNS_T_TXT:
	case DNS_T_SPF:
		buf_append(b, "\"", 1);
		buf_append(b, rr->u.txt.data, rr->u.txt.len > DNS_TRACE_TXT ?
		    DNS_TRACE_TXT : rr->u.txt.len);
		buf_printf(b, "%s\"", rr->u.txt.len > DNS_TRACE_TXT ? "..." :
		    "");
		break;
	case DNS_T_TLSA:
		buf_printf(b, "%u %u %u", rr->u.tlsa.usage,
		    rr->u.tlsa.selector, rr->u.tlsa.mtype);
		break;
	default:
		buf_printf(b, "%s", dns_type_name(rr->type));
	}
}

/*
 * The trace of one question (util/log.h): name, type, outcome, the
 * records, the AD and TC bits, why it failed; at -vv the time it took.
 * "dns: ? example.com/MX -> OK 2 answers: 10 mx1.example.com, ... (AD)"
 */
static void
trace_answer(const struct dns_query *q, const struct dns_result *r,
    const struct dns_msg *m)
{
	struct buf *b;
	size_t i;

	b = buf_new(LOG_TRACE_MAX);
	for (i = 0; i < r->nrr && i < DNS_TRACE_RR; i++) {
		buf_append(b, i > 0 ? ", " : ": ", 2);
		trace_rr(b, &r->rr[i]);
	}
	if (r->nrr > DNS_TRACE_RR)
		buf_printf(b, ", ...");
	if (!dname_equal(r->canonical, q->qname))
		buf_printf(b, " (via CNAME %s)", r->canonical);
	if (m != NULL && m->ad)
		buf_printf(b, " (AD)");
	if (m != NULL && m->tc)
		buf_printf(b, " (TC)");
	if (m != NULL && m->cut)
		buf_printf(b, " (cut)");
	if (r->why != NULL)
		buf_printf(b, " (%s)", r->why);
	if (log_tracing(2))
		buf_printf(b, " in %lu ms", (unsigned long)r->ms);
	log_trace("%s%s%sdns: ? %s/%s -> %s %zu answer%s%s", q->trace_tag !=
	    NULL ? "[" : "", q->trace_tag != NULL ? q->trace_tag : "",
	    q->trace_tag != NULL ? "] " : "", q->qname,
	    dns_type_name(q->type), dns_outcome_name(r->outcome), r->nrr,
	    r->nrr == 1 ? "" : "s", buf_str(b));
	buf_free(b);
}

/*
 * Deliver the answer in m for q (status already mapped). May ask again
 * for a CNAME target: then nothing is delivered yet and 1 is returned.
 */
static int
deliver(struct dns_query *q, enum dns_outcome out, const struct dns_msg *m,
    const char *why)
{
	struct dns_result r;
	struct dns_rr *rr = NULL;
	const char *cur;
	size_t i, n = 0, hops;
	char *next;
	int found;

	memset(&r, 0, sizeof(r));
	r.qname = q->qname;
	r.qtype = q->type;
	r.ms = evloop_clock() - q->start;
	r.why = why;
	r.msg = m;
	cur = q->name;
	if (m != NULL) {
		r.ad = m->ad;
		r.aa = m->aa;
		r.size = m->size;
		/* Follow the CNAME chain inside this answer. */
		for (hops = 0;; hops++) {
			found = 0;
			for (i = 0; i < m->nrr; i++)
				if (m->rr[i].section == 1 &&
				    m->rr[i].type == DNS_T_CNAME &&
				    q->type != DNS_T_CNAME &&
				    dname_equal(m->rr[i].owner, cur)) {
					cur = m->rr[i].u.name;
					found = 1;
					break;
				}
			if (!found)
				break;
			if (++q->ncname > DNS_MAX_CNAME) {
				out = DNS_ERROR;
				r.why = "CNAME chain too long or looping";
				break;
			}
		}
		if (out == DNS_OK) {
			rr = xcalloc(m->nrr ? m->nrr : 1, sizeof(*rr));
			for (i = 0; i < m->nrr; i++)
				if (m->rr[i].section == 1 &&
				    m->rr[i].type == q->type &&
				    dname_equal(m->rr[i].owner, cur)) {
					rr[n] = m->rr[i];
					if (n == 0 || rr[n].ttl < r.ttl)
						r.ttl = rr[n].ttl;
					n++;
				}
			if (n == 0) {
				out = DNS_NODATA;
				/*
				 * A CNAME whose target lies outside the
				 * server's zones comes back alone from an
				 * authoritative server: ask for the target.
				 */
				if (q->ncname > 0 && !has_soa(m) &&
				    !dname_equal(cur, q->name)) {
					free(rr);
					next = xstrdup(cur);
					free(q->name);
					q->name = next;
					send_query(q);
					return 1;
				}
			}
		}
	}
	if (!q->cancelled)
		tally_answer(q, out, m, r.why);
	r.outcome = out;
	r.rr = rr;
	r.nrr = n;
	r.canonical = cur;
	r.ncname = q->ncname;
	if (log_tracing(1) && !q->cancelled)
		trace_answer(q, &r, m);
	if (q->cb != NULL && !q->cancelled)
		q->cb(&r, q->arg);
	free(rr);
	return 0;
}

static void
on_answer(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct dns_query *q = arg;
	struct dns *d;
	struct dns_msg m;
	struct buf *why;
	enum dns_outcome out;
	int again;

	(void)timeouts;
	if (q->in_ares) {
		q->in_ares = 0;
		q->d->inflight--;
	}
	if (q->cancelled || q->d->dying) {
		d = q->d;
		query_unlink_free(q);
		if (!d->dying)
			dns_pump(d);
		return;
	}
	why = buf_new(BUF_WHY_MAX);
	memset(&m, 0, sizeof(m));
	switch (status) {
	case ARES_SUCCESS:
		if (dns_wire_parse(abuf, (size_t)alen, &m, why) == -1) {
			out = DNS_ERROR;
			break;
		}
		/* c-ares matched the ID and the question; make sure. */
		if (m.qname == NULL || m.qtype != q->type ||
		    !dname_equal(m.qname, q->name)) {
			out = DNS_ERROR;
			buf_printf(why,
			    R_("the answer is for another question"));
			break;
		}
		switch (m.rcode) {
		case DNS_RCODE_NOERROR:
			out = DNS_OK;
			break;
		case DNS_RCODE_NXDOMAIN:
			out = DNS_NXDOMAIN;
			break;
		case DNS_RCODE_SERVFAIL:
			out = DNS_SERVFAIL;
			break;
		case DNS_RCODE_REFUSED:
			out = DNS_REFUSED;
			break;
		default:
			out = DNS_ERROR;
			buf_printf(why, R_("resolver answered with rcode %d"),
			    m.rcode);
		}
		break;
	case ARES_ETIMEOUT:
		out = DNS_TIMEOUT;
		buf_printf(why, R_("no answer from the resolver"));
		break;
	case ARES_ESERVFAIL:
		out = DNS_SERVFAIL;
		break;
	case ARES_EREFUSED:
		out = DNS_REFUSED;
		break;
	case ARES_ECONNREFUSED:
		out = DNS_TIMEOUT;
		buf_printf(why, R_("the resolver refused the connection"));
		break;
	default:
		out = DNS_ERROR;
		buf_printf(why, "%s", ares_strerror(status));
	}
	again = deliver(q, out, status == ARES_SUCCESS ? &m : NULL,
	    buf_len(why) ? buf_str(why) : NULL);
	dns_wire_free(&m);
	buf_free(why);
	d = q->d;
	if (!again)
		query_unlink_free(q);
	if (!d->dying)
		dns_pump(d);
}

/* The fake backend: one question, one synthesized answer. */
static void
fake_fire(void *arg)
{
	struct dns_query *q = arg;
	struct dns_msg m;
	struct dns_rr *rrs = NULL;
	size_t nrr = 0, i;
	enum dns_outcome out;
	int again;

	q->fake_timer = NULL;
	if (q->err != NULL) {
		deliver(q, DNS_ERROR, NULL, q->err);
		query_unlink_free(q);
		return;
	}
	out = q->d->fake(q->d->fake_arg, q->name, q->type, &rrs, &nrr);
	memset(&m, 0, sizeof(m));
	m.qname = q->name;
	m.qtype = (uint16_t)q->type;
	m.rr = rrs;
	m.nrr = nrr;
	for (i = 0; i < nrr; i++) {
		if (rrs[i].section == 0)
			rrs[i].section = 1;
		m.size += 16 + (rrs[i].type == DNS_T_TXT ?
		    rrs[i].u.txt.len : 16);
	}
	again = deliver(q, out, out == DNS_TIMEOUT ? NULL : &m,
	    out == DNS_TIMEOUT ? "no answer from the resolver" : NULL);
	m.qname = NULL;
	dns_wire_free(&m);
	if (!again)
		query_unlink_free(q);
}

/* Hand q to c-ares now. */
static void
ask(struct dns_query *q)
{
	struct dns *d = q->d;
	unsigned char *qbuf = NULL;
	int qlen = 0, rc, was;
	struct buf *why;

	rc = ares_create_query(q->name, 1 /* IN */, q->type, dns_random_id(),
	    (q->flags & DNS_Q_NORECURSE) ? 0 : 1, &qbuf, &qlen,
	    EDNS_UDP_SIZE);
	if (rc != ARES_SUCCESS) {
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("cannot ask for \"%s\": %s"), q->name,
		    ares_strerror(rc));
		/* Delivered from a timer: callers do not expect a callback
		 * before dns_query() returns. */
		q->err = buf_steal(why);
		buf_free(why);
		q->fake_timer = evloop_timer_add(d->loop, 0, fake_fire, q);
		return;
	}
	/*
	 * Ask for authenticated data (RFC 6840 §5.7): a validating resolver
	 * then sets AD on answers it validated, without our needing DO.
	 */
	if (qlen > 3)
		qbuf[3] |= 0x20;
	/* CD; and DO in the OPT RR ares_create_query() puts last: root
	 * name, type 41, class, then TTL = ext-RCODE, version, DO|Z. */
	if ((q->flags & DNS_Q_CD) && qlen > 12 + 11) {
		qbuf[3] |= 0x10;
		if (qbuf[qlen - 11] == 0 && qbuf[qlen - 10] == 0 &&
		    qbuf[qlen - 9] == DNS_T_OPT)
			qbuf[qlen - 4] |= 0x80;
	}
	was = q->sending;
	q->sending = 1;
	q->in_ares = 1;
	d->inflight++;
	ares_send(d->ch, qbuf, qlen, on_answer, q);
	q->sending = was;
	ares_free_string(qbuf);
	if (!was && q->done)
		query_unlink_free(q);
	dns_rearm_soon(d);
}

/* Send queued queries while there is room in flight. */
static void
dns_pump(struct dns *d)
{
	struct dns_query *q;

	while (d->inflight < d->max_inflight && (q = d->waitq) != NULL) {
		if ((d->waitq = q->wnext) == NULL)
			d->waitq_tail = &d->waitq;
		q->wnext = NULL;
		q->queued = 0;
		if (q->cancelled)
			query_unlink_free(q);
		else
			ask(q);
	}
}

static void
send_query(struct dns_query *q)
{
	struct dns *d = q->d;

	d->sent++;
	if (d->fake != NULL && d->fake_inline) {
		fake_fire(q);
		return;
	}
	if (d->fake != NULL) {
		q->fake_timer = evloop_timer_add(d->loop, 0, fake_fire, q);
		return;
	}
	if (d->inflight >= d->max_inflight || d->waitq != NULL) {
		q->queued = 1;
		*d->waitq_tail = q;
		d->waitq_tail = &q->wnext;
		return;
	}
	ask(q);
}

struct dns_query *
dns_query(struct dns *d, const char *name, int type, int flags, dns_cb *cb,
    void *arg)
{
	struct dns_query *q;
	struct dns_tally *t = NULL;
	const char *tag = NULL;
	struct buf *why;

	if (d->parent != NULL) {
		t = d->tally;
		tag = d->trace_tag;
		d = d->parent;
	}
	q = xcalloc(1, sizeof(*q));
	if (tag != NULL && log_tracing(1))
		q->trace_tag = xstrdup(tag);
	q->d = d;
	q->tally = t;
	q->qname = xstrdup(name);
	q->name = xstrdup(name);
	q->type = type;
	q->flags = flags;
	q->cb = cb;
	q->arg = arg;
	q->start = evloop_clock();
	q->next = d->pending;
	if (d->pending)
		d->pending->prev = q;
	d->pending = q;
	q->sending = 1;
	if (t != NULL && t->limit > 0 && t->asked >= t->limit) {
		/* Not sent: answered from a timer, as callers expect. */
		t->refused++;
		q->refused = 1;
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("not asked: the limit of %lu DNS questions "
		    "for one domain was reached"), t->limit);
		q->err = buf_steal(why);
		buf_free(why);
		q->fake_timer = evloop_timer_add(d->loop, 0, fake_fire, q);
	} else {
		if (t != NULL)
			t->asked++;
		send_query(q);
	}
	q->sending = 0;
	if (q->done) {
		query_unlink_free(q);
		return NULL;
	}
	return q;
}
