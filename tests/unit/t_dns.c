/*
 * Unit tests for the real resolver in src/net/dns.c, against a small
 * DNS server on a loopback UDP socket inside the test: query IDs are
 * random, not one ID for every query; a burst of queries larger than the
 * cap on queries in flight is queued, never more in flight than the cap,
 * and every query is answered (none times out); a channel made with a
 * lower cap (a --jobs worker's part of the run's) keeps that one.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "tap.h"

#define NQ		1000
#define CAP		DNS_MAX_INFLIGHT
#define SHARE_CAP	10	/* a --jobs worker's part, say */

struct held {
	unsigned char		 pkt[512];
	size_t			 len;
	struct sockaddr_in	 from;
};

static struct evloop *loop;
static int srv;
static struct held held[NQ];
static size_t nheld;
static unsigned recvd, answered, max_out;
static unsigned char seen[65536];
static unsigned nids;
static unsigned nxdomain, other;
static struct ev_timer *flush_timer, *give_up_timer;

/* Answer every held query: its question echoed back, NXDOMAIN. */
static void
flush(void *arg)
{
	size_t i;

	(void)arg;
	flush_timer = NULL;
	for (i = 0; i < nheld; i++) {
		held[i].pkt[2] |= 0x80;
		held[i].pkt[3] = (unsigned char)((held[i].pkt[3] & 0xf0) | 3);
		(void)sendto(srv, held[i].pkt, held[i].len, 0,
		    (struct sockaddr *)&held[i].from, sizeof(held[i].from));
		answered++;
	}
	nheld = 0;
}

static void
on_srv(int fd, int ev, void *arg)
{
	struct sockaddr_in from;
	socklen_t fl;
	ssize_t n;
	unsigned id;

	(void)ev;
	(void)arg;
	for (;;) {
		fl = sizeof(from);
		n = recvfrom(fd, held[nheld].pkt, sizeof(held[nheld].pkt),
		    MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 12)
			break;
		held[nheld].len = (size_t)n;
		held[nheld].from = from;
		id = (unsigned)held[nheld].pkt[0] << 8 | held[nheld].pkt[1];
		if (!seen[id]++)
			nids++;
		recvd++;
		if (recvd - answered > max_out)
			max_out = recvd - answered;
		if (nheld < NQ - 1)
			nheld++;
	}
	/* Hold answers a little, so that queries pile up in flight. */
	if (flush_timer == NULL)
		flush_timer = evloop_timer_add(loop, 5, flush, NULL);
}

static void
on_result(const struct dns_result *r, void *arg)
{
	(void)arg;
	if (r->outcome == DNS_NXDOMAIN)
		nxdomain++;
	else
		other++;
	if (nxdomain + other == NQ)
		evloop_break(loop);
}

/* A view's questions: outcomes seen, and the loop ends after all 8. */
static unsigned view_nx, view_err, view_done;
static int view_why_ok = 1;

static void
on_view(const struct dns_result *r, void *arg)
{
	(void)arg;
	if (r->outcome == DNS_NXDOMAIN)
		view_nx++;
	else if (r->outcome == DNS_ERROR) {
		view_err++;
		if (r->why == NULL || strstr(r->why, "limit") == NULL)
			view_why_ok = 0;
	}
	if (++view_done == 8)
		evloop_break(loop);
}

static void
give_up(void *arg)
{
	(void)arg;
	evloop_break(loop);
}

/* NQ questions for PREFIXn.example.test at once; the loop runs until
 * every one is answered (20 s at most). */
static void
burst(struct dns *d, const char *prefix)
{
	char name[64];
	int i;

	for (i = 0; i < NQ; i++) {
		snprintf(name, sizeof(name), "%s%d.example.test", prefix, i);
		dns_query(d, name, DNS_T_TXT, 0, on_result, NULL);
	}
	give_up_timer = evloop_timer_add(loop, 20000, give_up, NULL);
	evloop_run(loop);
	evloop_timer_del(give_up_timer);
}

int
main(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	struct dns_config cfg;
	struct buf *why;
	struct dns *d;
	const char *servers[2];
	char addr[64], name[64];
	int i;

	loop = evloop_new();
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!ok(srv != -1 && bind(srv, (struct sockaddr *)&sin,
	    sizeof(sin)) == 0 && getsockname(srv, (struct sockaddr *)&sin,
	    &sl) == 0, "test server on 127.0.0.1"))
		return tap_done();
	i = 4 * 1024 * 1024;
	(void)setsockopt(srv, SOL_SOCKET, SO_RCVBUF, &i, sizeof(i));
	evloop_io_add(loop, srv, EV_READ, on_srv, NULL);
	snprintf(addr, sizeof(addr), "127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	servers[0] = addr;
	servers[1] = NULL;
	memset(&cfg, 0, sizeof(cfg));
	cfg.servers = servers;
	cfg.timeout_ms = 3000;
	cfg.tries = 1;
	why = buf_new(256);
	d = dns_new(loop, &cfg, why);
	if (!ok(d != NULL, "resolver set up"))
		return tap_done();
	burst(d, "q");
	is_int(nxdomain, NQ, "every query answered (NXDOMAIN), none timed "
	    "out");
	is_int(other, 0, "no other outcome");
	is_int(recvd, NQ, "each query sent once");
	/* 1,000 random 16-bit IDs: a few collide, never most. */
	ok(nids > NQ - 40, "query IDs differ (%u distinct of %d)", nids, NQ);
	ok(max_out <= CAP, "at most %d queries in flight (saw %u)", CAP,
	    max_out);
	ok(max_out >= CAP / 2, "queries do go out in parallel (saw %u)",
	    max_out);
	is_int(dns_queries_sent(d), NQ, "queries counted");

	/* One domain's view: 5 questions allowed, 8 asked. */
	{
		struct dns_tally t;
		struct dns *v;

		memset(&t, 0, sizeof(t));
		t.limit = 5;
		v = dns_view_new(d, &t);
		for (i = 0; i < 8; i++) {
			snprintf(name, sizeof(name), "v%d.example.test", i);
			ok(dns_query(v, name, DNS_T_A, 0, on_view, NULL) !=
			    NULL, "view: %s asked, answered later", name);
		}
		give_up_timer = evloop_timer_add(loop, 20000, give_up, NULL);
		evloop_run(loop);
		evloop_timer_del(give_up_timer);
		is_int(view_nx, 5, "view: the questions within the limit are "
		    "sent and answered");
		is_int(view_err, 3, "view: those past it get DNS_ERROR");
		ok(view_why_ok, "view: with the limit as the reason");
		is_int(t.asked, 5, "tally: asked");
		is_int(t.refused, 3, "tally: refused");
		is_int(t.errors, 0, "tally: refusals are not answer errors");
		is_int(dns_queries_sent(v), 5, "the view counts its own");
		is_int(dns_queries_sent(d), NQ + 5, "the channel counts all");
		dns_view_free(v);
		dns_tally_clear(&t);
	}
	/* A --jobs worker's channel: its part of the cap, not all of it. */
	{
		struct dns *d2;

		cfg.max_inflight = SHARE_CAP;
		d2 = dns_new(loop, &cfg, why);
		if (!ok(d2 != NULL, "share: resolver set up"))
			return tap_done();
		nxdomain = other = recvd = answered = max_out = 0;
		burst(d2, "s");
		is_int(nxdomain, NQ, "share: every query answered, none timed "
		    "out");
		ok(max_out <= SHARE_CAP, "share: at most %d in flight (saw %u)",
		    SHARE_CAP, max_out);
		ok(max_out >= SHARE_CAP / 2, "share: they do go out in "
		    "parallel (saw %u)", max_out);
		dns_free(d2);
	}
	dns_free(d);
	buf_free(why);
	close(srv);
	evloop_free(loop);
	return tap_done();
}
