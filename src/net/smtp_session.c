/* smtp_session - non-blocking SMTP/STARTTLS probe; see smtp_session.h. */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/esc.h"
#include "net/evloop.h"
#include "util/i18n.h"
#include "util/log.h"
#include "parse/smtp_reply.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "util/xalloc.h"

#include <openssl/rand.h>

struct smtp_session {
	struct evloop		*loop;
	char			*ehlo_name;
	unsigned int		 step_ms;
	unsigned int		 deadline_ms;
	struct tls_ctx		*tls;
	int			 own_tls;
	struct tls_tlsa		*tlsa;		/* copy of cfg->tlsa */
	size_t			 ntlsa;
	int			 tlsa_secure;
	int			 tls_legacy;
	char			*trace_tag;
	char			*trace_pfx;	/* the trace's */
	char			*rcpt_domain;	/* NULL: no recipient test */

	enum smtp_step		 state;
	int			 fd;
	struct ev_io		*io;
	struct ev_timer		*step_timer;
	struct ev_timer		*deadline_timer;
	struct ev_timer		*soon_timer;
	struct tls_conn		*tlsc;
	int			 tls_io;	/* traffic goes through tlsc */
	int			 write_wants_read; /* TLS write needs
						 * input first */
	struct buf		*in;
	struct buf		*out;
	struct smtp_reply	 reply;		/* reply being read */
	int			 got_bytes;	/* any byte received */
	int			 in_callback;

	uint64_t		 t_start;
	uint64_t		 t_step;

	struct smtp_result	*res;
	smtp_done_cb		*cb;
	void			*arg;
};

static struct smtp_result *
result_new(void)
{
	struct smtp_result *r;

	r = xcalloc(1, sizeof(*r));
	r->why = xstrdup("");
	smtp_reply_init(&r->banner);
	smtp_ehlo_init(&r->ehlo);
	smtp_reply_init(&r->ehlo_reject);
	smtp_reply_init(&r->reject);
	smtp_reply_init(&r->mail_reply);
	smtp_reply_init(&r->rcpt_reply);
	smtp_reply_init(&r->rcpt_any_reply);
	tls_facts_init(&r->tls);
	smtp_ehlo_init(&r->ehlo_tls);
	r->ms.connect_ms = r->ms.banner_ms = r->ms.ehlo_ms = -1;
	r->ms.tls_ms = r->ms.total_ms = -1;
	return r;
}

static long
since(uint64_t t0)
{
	return (long)(evloop_clock() - t0);
}

/*
 * The trace (util/log.h) of n bytes sent ("C") or received ("S"), one
 * trace line per line, as posttls-finger shows a session:
 * "mx1.example.com[192.0.2.1]:25 S: 220 ...". Called where a command is
 * written and where a reply's lines are taken in, nowhere else.
 */
/* The trace prefix of this session's lines, made on first use. */
static const char *
trace_pfx(struct smtp_session *s)
{
	struct buf *b;

	if (s->trace_pfx == NULL) {
		b = buf_new(LOG_TRACE_MAX);
		buf_printf(b, "%s%s%s%s[%s]:%u", s->trace_tag != NULL ? "[" :
		    "", s->trace_tag != NULL ? s->trace_tag : "",
		    s->trace_tag != NULL ? "] " : "", s->res->mxhost != NULL ?
		    s->res->mxhost : "", s->res->addr, s->res->port);
		s->trace_pfx = buf_steal(b);
		buf_free(b);
	}
	return s->trace_pfx;
}

static void
trace_io(struct smtp_session *s, const char *dir, const char *p,
    size_t n)
{
	struct buf *b;
	const char *nl;
	size_t len;

	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) : n;
		b = buf_new(LOG_TRACE_MAX);
		esc_printf(b, ESC_TERM, "%s %s: ", trace_pfx(s), dir);
		esc_append(b, p, len > 0 && p[len - 1] == '\r' ? len - 1 : len,
		    ESC_TERM);
		log_trace_line(buf_str(b));
		buf_free(b);
		if (nl == NULL)
			break;
		n -= len + 1;
		p += len + 1;
	}
}

/* The TLS handshake, as one trace line once it is done. */
static void
trace_tls(struct smtp_session *s, const struct tls_facts *t)
{
	const struct tls_cert_facts *c = t->nchain > 0 ? &t->chain[0] : NULL;

	log_trace("%s TLS: %s %s%s%s; subject \"%s\", issuer \"%s\"; "
	    "verify %s%s%s; name %s; DANE %s%s%s", trace_pfx(s),
	    t->version != NULL ? t->version : "?",
	    t->cipher != NULL ? t->cipher : "?", t->group != NULL ? " " : "",
	    t->group != NULL ? t->group : "",
	    c != NULL && c->subject != NULL ? c->subject : "",
	    c != NULL && c->issuer != NULL ? c->issuer : "",
	    t->verify_ok ? "ok" : "failed", t->verify_ok ? "" : ": ",
	    t->verify_ok ? "" : (t->verify_error_str != NULL ?
	    t->verify_error_str : "?"), t->name_ok ? "ok" : "mismatch",
	    !t->dane_checked ? "not checked" : t->dane_ok ? "match" :
	    "no match", t->dane_checked && !t->dane_ok && t->dane_why != NULL ?
	    ": " : "", t->dane_checked && !t->dane_ok && t->dane_why != NULL ?
	    t->dane_why : "");
	if (log_tracing(2))
		log_trace("%s TLS: handshake %ld ms", trace_pfx(s),
		    s->res->ms.tls_ms);
}

/* Record the outcome (and the step that decided it) with a reason. */
static void __attribute__((format(printf, 3, 4)))
set_outcome(struct smtp_session *s, enum smtp_outcome o, const char *fmt,
    ...)
{
	struct buf *b;
	va_list ap;

	s->res->outcome = o;
	s->res->step = s->state;
	if (fmt == NULL)
		return;
	b = buf_new(BUF_WHY_MAX);
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
	free(s->res->why);
	s->res->why = buf_steal(b);
	buf_free(b);
}

/* Release everything but the result; the session struct stays. */
static void
teardown(struct smtp_session *s)
{
	evloop_timer_del(s->step_timer);
	evloop_timer_del(s->deadline_timer);
	evloop_timer_del(s->soon_timer);
	s->step_timer = s->deadline_timer = s->soon_timer = NULL;
	evloop_io_del(s->io);
	s->io = NULL;
	tls_conn_free(s->tlsc);
	s->tlsc = NULL;
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}

static void
session_free(struct smtp_session *s)
{
	size_t i;

	for (i = 0; i < s->ntlsa; i++)
		free(s->tlsa[i].data);
	free(s->tlsa);
	smtp_result_free(s->res);
	smtp_reply_clear(&s->reply);
	buf_free(s->in);
	buf_free(s->out);
	if (s->own_tls)
		tls_ctx_free(s->tls);
	free(s->ehlo_name);
	free(s->trace_tag);
	free(s->trace_pfx);
	free(s->rcpt_domain);
	free(s);
}

/* The end: close, tell the owner, free. Callers return at once. */
static void
finish(struct smtp_session *s)
{
	struct smtp_result *r;

	teardown(s);
	s->res->ms.total_ms = since(s->t_start);
	r = s->res;
	s->res = NULL;
	s->in_callback = 1;
	s->cb(r, s->arg);
	session_free(s);
}

void
smtp_session_cancel(struct smtp_session *s)
{
	if (s == NULL || s->in_callback)
		return;
	teardown(s);
	session_free(s);
}

static void step_timeout(void *);

static void
enter(struct smtp_session *s, enum smtp_step st)
{
	s->state = st;
	s->t_step = evloop_clock();
	evloop_timer_del(s->step_timer);
	s->step_timer = evloop_timer_add(s->loop, s->step_ms, step_timeout,
	    s);
}

static void
update_interest(struct smtp_session *s)
{
	int ev = EV_READ;

	/* Waiting for writability while TLS waits for input would spin. */
	if (buf_len(s->out) > 0 && !s->write_wants_read)
		ev |= EV_WRITE;
	evloop_io_set(s->io, ev);
}

static void __attribute__((format(printf, 2, 3)))
send_cmd(struct smtp_session *s, const char *fmt, ...)
{
	struct buf *b;
	va_list ap;

	b = buf_new(1024);
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
	s->res->sent = xreallocarray(s->res->sent, s->res->nsent + 1,
	    sizeof(*s->res->sent));
	s->res->sent[s->res->nsent++] = xstrdup(buf_str(b));
	if (log_tracing(1))
		trace_io(s, "C", buf_str(b), buf_len(b));
	buf_append(b, "\r\n", 2);
	/* Commands are short and sent one at a time: out never nears its
	 * cap, and a failure here is a broken invariant. */
	if (buf_append(s->out, buf_str(b), buf_len(b)) == -1)
		log_panic("smtp_session: output buffer overflow");
	buf_free(b);
	update_interest(s);
}

/* Outcome decided: say goodbye politely (RFC 5321 section 4.1.1.10). */
static void
start_quit(struct smtp_session *s)
{
	send_cmd(s, "QUIT");
	enter(s, SMTP_STEP_QUIT);
}

static int
in_rcpt_test(const struct smtp_session *s)
{
	return s->state == SMTP_STEP_MAIL || s->state == SMTP_STEP_RCPT ||
	    s->state == SMTP_STEP_RCPT_ANY || s->state == SMTP_STEP_RSET;
}

/* The recipient test stopped early: a fact of the test, not a new
 * outcome (that was decided before it began). */
static void
rcpt_stopped(struct smtp_session *s, const char *what)
{
	struct buf *b;

	b = buf_new(BUF_WHY_MAX);
	buf_printf(b, R_("%s during %s"), what, smtp_step_text(s->state));
	free(s->res->rcpt_why);
	s->res->rcpt_why = buf_steal(b);
	buf_free(b);
	finish(s);
}

/*
 * A drop, protocol error or timeout (what says which) after the outcome
 * was decided: during QUIT it changes nothing, in the recipient test it
 * is a fact of that test. Returns 1 when it ended the session so, 0 when
 * the failure is the session's outcome and the caller sets it.
 */
static int
failed_after_outcome(struct smtp_session *s, const char *what)
{
	if (s->state == SMTP_STEP_QUIT) {
		finish(s);
		return 1;
	}
	if (in_rcpt_test(s)) {
		rcpt_stopped(s, what);
		return 1;
	}
	return 0;
}

/* The session is usable: with --rcpt ask whether it takes the domain's
 * mail, else say goodbye. */
static void
start_end(struct smtp_session *s)
{
	unsigned char rnd[8];
	char local[sizeof(rnd) * 2 + 1];
	size_t i;

	if (s->rcpt_domain == NULL) {
		start_quit(s);
		return;
	}
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		log_panic("smtp_session: no random bytes");
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(local + 2 * i, 3, "%02x", rnd[i]);
	s->res->rcpt_any = xmalloc(sizeof(local) + 1 +
	    strlen(s->rcpt_domain));
	snprintf(s->res->rcpt_any, sizeof(local) + 1 +
	    strlen(s->rcpt_domain), "%s@%s", local, s->rcpt_domain);
	s->res->rcpt_tested = 1;
	send_cmd(s, "MAIL FROM:<>");
	enter(s, SMTP_STEP_MAIL);
}

/* A reply in the recipient test: MAIL, RCPT postmaster, RCPT random,
 * RSET, then QUIT. A refused MAIL ends it (RSET, QUIT). */
static void
rcpt_reply(struct smtp_session *s, struct smtp_reply *r)
{
	struct smtp_result *res = s->res;

	switch (s->state) {
	case SMTP_STEP_MAIL:
		smtp_reply_move(&res->mail_reply, r);
		if (res->mail_reply.code / 100 != 2) {
			send_cmd(s, "RSET");
			enter(s, SMTP_STEP_RSET);
			return;
		}
		send_cmd(s, "RCPT TO:<postmaster@%s>", s->rcpt_domain);
		enter(s, SMTP_STEP_RCPT);
		return;
	case SMTP_STEP_RCPT:
		smtp_reply_move(&res->rcpt_reply, r);
		send_cmd(s, "RCPT TO:<%s>", res->rcpt_any);
		enter(s, SMTP_STEP_RCPT_ANY);
		return;
	case SMTP_STEP_RCPT_ANY:
		smtp_reply_move(&res->rcpt_any_reply, r);
		send_cmd(s, "RSET");
		enter(s, SMTP_STEP_RSET);
		return;
	default:
		start_quit(s);
		return;
	}
}

/* The peer closed or reset (err = errno, 0 for a plain EOF). */
static void
dropped(struct smtp_session *s, int err, const char *tlswhy)
{
	const char *why = tlswhy != NULL ? tlswhy : err != 0 ?
	    strerror(err) : R_("connection closed by the server");

	if (failed_after_outcome(s, why))
		return;
	s->res->sys_errno = err;
	if (s->tlsc != NULL)
		s->res->tls_close = tls_conn_close(s->tlsc);
	if (s->state == SMTP_STEP_TLS_HANDSHAKE) {
		set_outcome(s, SMTP_TLS_FAILED, "%s", tlswhy != NULL ?
		    tlswhy :
		    R_("connection closed during the TLS handshake"));
	} else {
		set_outcome(s, SMTP_DROPPED, R_("%s during %s"), why,
		    smtp_step_text(s->state));
		if (s->state == SMTP_STEP_BANNER && !s->got_bytes)
			s->res->reset_after_connect = 1;
	}
	finish(s);
}

static void
protocol_error(struct smtp_session *s, const char *why)
{
	if (failed_after_outcome(s, why))
		return;
	set_outcome(s, SMTP_PROTOCOL_ERROR, R_("%s (during %s)"), why,
	    smtp_step_text(s->state));
	finish(s);
}

static void
timed_out(struct smtp_session *s, int deadline)
{
	const char *what = deadline ? R_("overall deadline") :
	    R_("step timeout");
	unsigned int ms = deadline ? s->deadline_ms : s->step_ms;

	if (failed_after_outcome(s, what))
		return;
	s->res->deadline_hit = deadline;
	switch (s->state) {
	case SMTP_STEP_CONNECT:
		set_outcome(s, SMTP_CONNECT_TIMEOUT, R_("no connection within "
		    "%u ms (%s)"), ms, what);
		break;
	case SMTP_STEP_BANNER:
		set_outcome(s, SMTP_NO_BANNER, s->got_bytes ?
		    R_("no greeting within %u ms (%s); only part of a line "
		    "arrived") : R_("no greeting within %u ms (%s)"), ms,
		    what);
		break;
	default:
		set_outcome(s, SMTP_TIMEOUT, R_("no reply during %s within "
		    "%u ms (%s)"), smtp_step_text(s->state), ms, what);
		break;
	}
	finish(s);
}

static void
step_timeout(void *arg)
{
	struct smtp_session *s = arg;

	s->step_timer = NULL;
	timed_out(s, 0);
}

static void
deadline_timeout(void *arg)
{
	struct smtp_session *s = arg;

	s->deadline_timer = NULL;
	timed_out(s, 1);
}

static void
soon(void *arg)
{
	struct smtp_session *s = arg;

	s->soon_timer = NULL;
	finish(s);
}

static int	tls_step(struct smtp_session *);

static void
after_ehlo(struct smtp_session *s)
{
	s->res->starttls_offered = s->res->ehlo.ext[SMTP_EXT_STARTTLS];
	if (s->res->starttls_offered) {
		send_cmd(s, "STARTTLS");
		enter(s, SMTP_STEP_STARTTLS);
		return;
	}
	set_outcome(s, SMTP_STARTTLS_NOT_OFFERED, R_("STARTTLS not in the "
	    "EHLO reply"));
	start_end(s);
}

/* A complete reply is in s->reply. Returns -1 if the session ended. */
static int
on_reply(struct smtp_session *s)
{
	struct smtp_reply *r = &s->reply;
	struct smtp_result *res = s->res;
	struct buf *why;
	int cls = r->code / 100;

	switch (s->state) {
	case SMTP_STEP_BANNER:
		res->ms.banner_ms = since(s->t_step);
		smtp_reply_move(&res->banner, r);
		res->banner_host = smtp_reply_first_word(&res->banner);
		if (res->banner.code == 220) {
			send_cmd(s, "EHLO %s", s->ehlo_name);
			enter(s, SMTP_STEP_EHLO);
			return 0;
		}
		if (cls == 4)
			set_outcome(s, SMTP_BANNER_TEMPFAIL, R_("greeting %d"),
			    res->banner.code);
		else if (cls == 5)
			set_outcome(s, SMTP_BANNER_PERMFAIL, R_("greeting %d"),
			    res->banner.code);
		else {
			protocol_error(s, R_("greeting code is not 220, 4xx "
			    "or 5xx"));
			return -1;
		}
		start_quit(s);
		return 0;

	case SMTP_STEP_EHLO:
		res->ms.ehlo_ms = since(s->t_step);
		if (cls == 2) {
			res->ehlo_ok = 1;
			smtp_ehlo_parse(&res->ehlo, r);
			after_ehlo(s);
			return 0;
		}
		smtp_reply_move(&res->ehlo_reject, r);
		/* RFC 5321 section 3.2: fall back to HELO only when the
		 * server does not know EHLO (5xx); a 4xx is a refusal. */
		if (cls == 5) {
			res->helo_fallback = 1;
			send_cmd(s, "HELO %s", s->ehlo_name);
			enter(s, SMTP_STEP_HELO);
			return 0;
		}
		set_outcome(s, SMTP_EHLO_REJECTED, R_("EHLO answered %d"),
		    res->ehlo_reject.code);
		start_quit(s);
		return 0;

	case SMTP_STEP_HELO:
		if (cls == 2) {
			res->helo_ok = 1;
			set_outcome(s, SMTP_STARTTLS_NOT_OFFERED,
			    R_("only HELO "
			    "accepted: no extensions, no STARTTLS"));
			start_end(s);
			return 0;
		} else {
			smtp_reply_move(&res->reject, r);
			set_outcome(s, SMTP_EHLO_REJECTED,
			    R_("EHLO answered %d, "
			    "HELO answered %d"), res->ehlo_reject.code,
			    res->reject.code);
		}
		start_quit(s);
		return 0;

	case SMTP_STEP_STARTTLS:
		res->starttls_code = r->code;
		if (r->code != 220) {
			smtp_reply_move(&res->reject, r);
			set_outcome(s, SMTP_STARTTLS_REJECTED, R_("STARTTLS "
			    "answered %d"), res->starttls_code);
			start_quit(s);
			return 0;
		}
		/* Anything after the 220 was sent before the handshake and
		 * would be taken as protected data (CVE-2011-0411). */
		if (buf_len(s->in) > 0) {
			protocol_error(s, R_("data after the STARTTLS 220 "
			    "reply (response injection)"));
			return -1;
		}
		why = buf_new(BUF_WHY_MAX);
		s->tlsc = tls_conn_new(s->tls, s->fd, res->mxhost, why);
		if (s->tlsc == NULL || (s->tls_legacy &&
		    tls_conn_legacy(s->tlsc, why) == -1)) {
			enter(s, SMTP_STEP_TLS_HANDSHAKE);
			set_outcome(s, SMTP_TLS_FAILED, "%s", buf_str(why));
			buf_free(why);
			finish(s);
			return -1;
		}
		/* A DANE set-up failure is a fact (res->tls.dane_why),
		 * not a reason to stop: the handshake goes on. */
		tls_conn_dane(s->tlsc, res->mxhost, s->tlsa, s->ntlsa,
		    s->tlsa_secure, why);
		buf_free(why);
		s->tls_io = 1;
		enter(s, SMTP_STEP_TLS_HANDSHAKE);
		return tls_step(s);

	case SMTP_STEP_EHLO_TLS:
		if (cls == 2) {
			res->ehlo_tls_ok = 1;
			smtp_ehlo_parse(&res->ehlo_tls, r);
			set_outcome(s, SMTP_OK, NULL);
			start_end(s);
			return 0;
		} else {
			smtp_reply_move(&res->reject, r);
			set_outcome(s, SMTP_EHLO_REJECTED, R_("EHLO after TLS "
			    "answered %d"), res->reject.code);
		}
		start_quit(s);
		return 0;

	case SMTP_STEP_QUIT:
		res->quit_code = r->code;
		finish(s);
		return -1;

	case SMTP_STEP_MAIL:
	case SMTP_STEP_RCPT:
	case SMTP_STEP_RCPT_ANY:
	case SMTP_STEP_RSET:
		rcpt_reply(s, r);
		return 0;

	default:
		log_panic("smtp_session: reply in state %s",
		    smtp_step_name(s->state));
	}
}

/* Parse what is buffered. Returns -1 if the session ended. */
static int
process_input(struct smtp_session *s)
{
	struct buf *why;
	enum smtp_reply_status st;
	size_t used;
	int rv;

	while (buf_len(s->in) > 0 && s->state != SMTP_STEP_TLS_HANDSHAKE) {
		why = buf_new(BUF_WHY_MAX);
		st = smtp_reply_feed(&s->reply, buf_str(s->in),
		    buf_len(s->in), &used, why);
		if (log_tracing(1))
			trace_io(s, "S", buf_str(s->in), used);
		buf_consume(s->in, used);
		if (st == SMTP_REPLY_ERROR) {
			protocol_error(s, buf_str(why));
			buf_free(why);
			return -1;
		}
		buf_free(why);
		if (st == SMTP_REPLY_MORE)
			return 0;
		rv = on_reply(s);
		if (rv == -1)
			return -1;
		smtp_reply_clear(&s->reply);
	}
	return 0;
}

/* A send() or recv() on the plain socket returned -1: 0 when it only
 * would have blocked (try again when the socket is ready), -1 when the
 * peer is gone (the session ended). */
static int
socket_failed(struct smtp_session *s)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return 0;
	dropped(s, errno, NULL);
	return -1;
}

/* Write what we can. Returns -1 if the session ended. */
static int
flush_output(struct smtp_session *s)
{
	struct buf *why;
	enum tls_step ts;
	ssize_t n;
	size_t put;

	s->write_wants_read = 0;
	while (buf_len(s->out) > 0) {
		if (s->tls_io) {
			why = buf_new(BUF_WHY_MAX);
			ts = tls_write(s->tlsc, buf_str(s->out),
			    buf_len(s->out), &put, why);
			if (ts == TLS_ERROR) {
				dropped(s, errno, buf_str(why));
				buf_free(why);
				return -1;
			}
			buf_free(why);
			if (ts == TLS_WANT_READ)
				s->write_wants_read = 1;
			if (ts != TLS_DONE)
				return 0;
			buf_consume(s->out, put);
			continue;
		}
		n = send(s->fd, buf_str(s->out), buf_len(s->out),
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n == -1)
			return socket_failed(s);
		buf_consume(s->out, (size_t)n);
	}
	return 0;
}

/* Read and process until the socket has nothing more. Returns -1 if the
 * session ended. */
static int
read_input(struct smtp_session *s)
{
	char tmp[4096];
	struct buf *why;
	enum tls_step ts;
	size_t room, got;
	ssize_t n;

	while (s->state != SMTP_STEP_TLS_HANDSHAKE) {
		/* process_input() leaves at most one partial line (capped
		 * by smtp_reply_feed), so there is always room. */
		room = buf_max(s->in) - buf_len(s->in);
		if (room > sizeof(tmp))
			room = sizeof(tmp);
		if (room == 0)
			log_panic("smtp_session: input buffer full");
		if (s->tls_io) {
			why = buf_new(BUF_WHY_MAX);
			ts = tls_read(s->tlsc, tmp, room, &got, why);
			if (ts == TLS_ERROR || (ts == TLS_DONE && got == 0)) {
				/* An error, or close_notify: why says which */
				dropped(s, ts == TLS_ERROR ? errno : 0,
				    buf_str(why));
				buf_free(why);
				return -1;
			}
			buf_free(why);
			if (ts != TLS_DONE)
				return 0;
			n = (ssize_t)got;
		} else {
			n = recv(s->fd, tmp, room, MSG_DONTWAIT);
			if (n == -1)
				return socket_failed(s);
		}
		if (n == 0) {
			dropped(s, 0, NULL);
			return -1;
		}
		s->got_bytes = 1;
		if (buf_append(s->in, tmp, (size_t)n) == -1)
			log_panic("smtp_session: input buffer overflow");
		if (process_input(s) == -1)
			return -1;
	}
	return 0;
}

/* One handshake step. Returns -1 if the session ended. */
static int
tls_step(struct smtp_session *s)
{
	struct buf *why;
	enum tls_step ts;

	why = buf_new(BUF_WHY_MAX);
	ts = tls_handshake_step(s->tlsc, why);
	switch (ts) {
	case TLS_WANT_READ:
		evloop_io_set(s->io, EV_READ);
		break;
	case TLS_WANT_WRITE:
		evloop_io_set(s->io, EV_WRITE);
		break;
	case TLS_ERROR:
		s->res->sys_errno = errno;
		s->res->tls_version_failed = tls_conn_version_failed(s->tlsc);
		s->res->tls_close = tls_conn_close(s->tlsc);
		set_outcome(s, SMTP_TLS_FAILED, "%s", buf_str(why));
		buf_free(why);
		finish(s);
		return -1;
	case TLS_DONE:
		s->res->ms.tls_ms = since(s->t_step);
		s->res->tls_done = 1;
		tls_conn_facts(s->tlsc, s->res->mxhost, &s->res->tls);
		if (log_tracing(1))
			trace_tls(s, &s->res->tls);
		/* RFC 3207 section 4.2: forget what came before and ask
		 * again; the EHLO after TLS is the one that counts. */
		send_cmd(s, "EHLO %s", s->ehlo_name);
		enter(s, SMTP_STEP_EHLO_TLS);
		break;
	}
	buf_free(why);
	return 0;
}

/* The probe's vantage: the address this host used for the connection. */
static void
note_source(struct smtp_session *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(s->fd, (struct sockaddr *)&ss, &len) == -1)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    s->res->source, sizeof(s->res->source));
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    s->res->source, sizeof(s->res->source));
}

static void
on_connected(struct smtp_session *s)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		s->res->sys_errno = err;
		/* A reset reported by connect means the handshake had
		 * completed (loopback, or a fast peer) and the server then
		 * hung up before greeting: the same fact as a reset read
		 * in BANNER, whichever the poll saw first. */
		if (err == ECONNRESET || err == EPIPE) {
			s->state = SMTP_STEP_BANNER;
			dropped(s, err, NULL);
			return;
		}
		if (err == ENETUNREACH || err == EADDRNOTAVAIL)
			s->res->no_route = 1;
		if (err == ECONNREFUSED)
			set_outcome(s, SMTP_REFUSED, "%s", strerror(err));
		else if (err == ETIMEDOUT)
			set_outcome(s, SMTP_CONNECT_TIMEOUT, "%s",
			    strerror(err));
		else
			set_outcome(s, SMTP_NETWORK_ERROR, "%s",
			    strerror(err));
		finish(s);
		return;
	}
	s->res->ms.connect_ms = since(s->t_start);
	if (log_tracing(2))
		log_trace("%s connected in %ld ms", trace_pfx(s),
		    s->res->ms.connect_ms);
	else if (log_tracing(1))
		log_trace("%s connected", trace_pfx(s));
	note_source(s);
	enter(s, SMTP_STEP_BANNER);
	evloop_io_set(s->io, EV_READ);
}

static void
on_io(int fd, int events, void *arg)
{
	struct smtp_session *s = arg;

	(void)fd;
	(void)events;
	switch (s->state) {
	case SMTP_STEP_CONNECT:
		on_connected(s);
		return;
	case SMTP_STEP_TLS_HANDSHAKE:
		tls_step(s);
		return;
	default:
		break;
	}
	/* Write first: the reply we wait for answers what we send. Then
	 * read everything there is; TLS may hold decrypted data that poll
	 * cannot see, so read until it would block. */
	if (flush_output(s) == -1)
		return;
	if (read_input(s) == -1)
		return;
	if (s->state == SMTP_STEP_TLS_HANDSHAKE)
		return;
	update_interest(s);
}

static void
fail_soon(struct smtp_session *s, enum smtp_outcome o, int err,
    const char *why)
{
	s->res->sys_errno = err;
	set_outcome(s, o, "%s", why);
	s->soon_timer = evloop_timer_add(s->loop, 0, soon, s);
}

/* The config is the caller's: keep our own copy of its TLSA records. */
static void
copy_tlsa(struct smtp_session *s, const struct smtp_config *cfg)
{
	size_t i, n;

	n = cfg->tlsa != NULL ? cfg->ntlsa : 0;
	if (n > TLS_TLSA_MAX)
		n = TLS_TLSA_MAX;
	if (n == 0)
		return;
	s->tlsa = xcalloc(n, sizeof(*s->tlsa));
	for (i = 0; i < n; i++) {
		s->tlsa[i] = cfg->tlsa[i];
		s->tlsa[i].data = xmalloc(cfg->tlsa[i].len + 1);
		if (cfg->tlsa[i].len > 0)
			memcpy(s->tlsa[i].data, cfg->tlsa[i].data,
			    cfg->tlsa[i].len);
	}
	s->ntlsa = n;
	s->tlsa_secure = cfg->tlsa_secure;
}

struct smtp_session *
smtp_session_start(struct evloop *loop, const struct smtp_config *cfg,
    const struct sockaddr *addr, socklen_t addrlen, const char *mxhost,
    smtp_done_cb *cb, void *arg)
{
	struct smtp_session *s;
	struct sockaddr_storage ss;
	struct buf *why;
	unsigned short port;
	int rv;

	s = xcalloc(1, sizeof(*s));
	s->loop = loop;
	s->fd = -1;
	s->cb = cb;
	s->arg = arg;
	/* A name with SP or CRLF would let the caller inject commands
	 * (MAIL, RCPT): the CLI validates it, this is the backstop. */
	if (cfg->ehlo_name != NULL && !smtp_ehlo_name_valid(cfg->ehlo_name))
		log_warnx("invalid EHLO name, using %s",
		    SMTP_DEFAULT_EHLO_NAME);
	s->ehlo_name = xstrdup(cfg->ehlo_name != NULL &&
	    smtp_ehlo_name_valid(cfg->ehlo_name) ? cfg->ehlo_name :
	    SMTP_DEFAULT_EHLO_NAME);
	s->step_ms = cfg->step_timeout_ms ? cfg->step_timeout_ms :
	    SMTP_DEFAULT_STEP_TIMEOUT_MS;
	s->deadline_ms = cfg->deadline_ms ? cfg->deadline_ms :
	    SMTP_DEFAULT_DEADLINE_MS;
	copy_tlsa(s, cfg);
	s->tls_legacy = cfg->tls_legacy;
	s->trace_tag = cfg->trace_tag != NULL ? xstrdup(cfg->trace_tag) :
	    NULL;
	/* The domain goes into RCPT: the same backstop as the EHLO name. */
	if (cfg->rcpt_domain != NULL && smtp_ehlo_name_valid(cfg->rcpt_domain))
		s->rcpt_domain = xstrdup(cfg->rcpt_domain);
	else if (cfg->rcpt_domain != NULL)
		log_warnx("invalid domain for the recipient test, skipped");
	s->in = buf_new(SMTP_SESSION_INBUF);
	s->out = buf_new(4096);
	smtp_reply_init(&s->reply);
	s->res = result_new();
	s->res->mxhost = mxhost != NULL ? xstrdup(mxhost) : NULL;
	s->res->ehlo_name = xstrdup(s->ehlo_name);
	s->t_start = evloop_clock();
	s->state = SMTP_STEP_CONNECT;
	port = cfg->port ? cfg->port : SMTP_DEFAULT_PORT;
	s->res->port = port;

	memset(&ss, 0, sizeof(ss));
	if (addrlen > sizeof(ss) || (addr->sa_family != AF_INET &&
	    addr->sa_family != AF_INET6)) {
		fail_soon(s, SMTP_NETWORK_ERROR, 0, R_("unsupported address"));
		return s;
	}
	memcpy(&ss, addr, addrlen);
	if (ss.ss_family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr,
		    s->res->addr, sizeof(s->res->addr));
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    s->res->addr, sizeof(s->res->addr));
	}
	if (cfg->family != AF_UNSPEC && cfg->family != ss.ss_family) {
		fail_soon(s, SMTP_NETWORK_ERROR, 0, R_("address family not "
		    "enabled"));
		return s;
	}

	if (cfg->tls != NULL)
		s->tls = cfg->tls;
	else {
		why = buf_new(BUF_WHY_MAX);
		s->tls = tls_ctx_new(NULL, why);
		s->own_tls = 1;
		if (s->tls == NULL) {
			s->own_tls = 0;
			fail_soon(s, SMTP_NETWORK_ERROR, 0, buf_str(why));
			buf_free(why);
			return s;
		}
		buf_free(why);
	}

	s->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (s->fd == -1) {
		fail_soon(s, SMTP_NETWORK_ERROR, errno, strerror(errno));
		return s;
	}
	rv = connect(s->fd, (struct sockaddr *)&ss, addrlen);
	if (rv == -1 && (errno == ENETUNREACH || errno == EADDRNOTAVAIL))
		s->res->no_route = 1;
	if (rv == -1 && errno != EINPROGRESS) {
		fail_soon(s, errno == ECONNREFUSED ? SMTP_REFUSED :
		    SMTP_NETWORK_ERROR, errno, strerror(errno));
		return s;
	}
	/* Connected or in progress: writability tells either way, and the
	 * owner hears nothing before we return. */
	s->io = evloop_io_add(loop, s->fd, EV_WRITE, on_io, s);
	s->deadline_timer = evloop_timer_add(loop, s->deadline_ms,
	    deadline_timeout, s);
	enter(s, SMTP_STEP_CONNECT);
	return s;
}
