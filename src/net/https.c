#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "util/addr.h"
#include "util/buf.h"
#include "util/dname.h"
#include "net/evloop.h"
#include "net/https.h"
#include "net/libcurl.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

/* One watched socket; tied to its fd inside libcurl by curl_multi_assign. */
struct https_sock {
	curl_socket_t		 fd;
	struct ev_io		*io;
	struct https_sock	*prev, *next;
};

/* The module's one multi handle (see https.h). */
struct https_multi {
	struct evloop		*loop;
	CURLM			*multi;
	struct ev_timer		*timer;
	struct https_sock	*socks;
	size_t			 nfetch;	/* easy handles in the multi */
	int			 depth;		/* inside dispatch() */
};

struct https_fetch {
	struct evloop		*loop;
	CURL			*easy;
	struct curl_slist	*resolve;
	struct curl_slist	*connect_to;
	struct buf		*body;
	int			 too_large;
	int			 delivering;	/* inside cb */
	char			*url;
	char			*reject;	/* why it never started */
	struct ev_timer		*reject_timer;
	https_done_cb		*cb;
	void			*arg;
	uint64_t		 start;
	char			 errbuf[CURL_ERROR_SIZE];
};

static struct https_multi *hm;
static const struct libcurl *lc;	/* loaded by the first fetch */

static void	dispatch(curl_socket_t, int);

const char *
https_outcome_name(enum https_outcome o)
{
	static const char *names[] = {
		"OK", "HTTP_STATUS", "REDIRECT", "TLS_ERROR",
		"CONNECT_FAILED", "TIMEOUT", "TOO_LARGE", "BAD_CONTENT_TYPE",
		"OTHER"
	};

	if ((unsigned)o < sizeof(names) / sizeof(names[0]))
		return names[o];
	return "OTHER";
}

int
https_is_text_plain(const char *ct)
{
	static const char want[] = "text/plain";
	const size_t n = sizeof(want) - 1;

	if (ct == NULL)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, want, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	/* "text/plainx" is another type; "text/plain;charset=x" is not. */
	return *ct == '\0' || *ct == ';';
}

static void
fetch_free(struct https_fetch *f)
{
	/* Without libcurl (it could not be loaded) there is none of these. */
	if (f->easy != NULL)
		lc->easy_cleanup(f->easy);
	if (f->resolve != NULL)
		lc->slist_free_all(f->resolve);
	if (f->connect_to != NULL)
		lc->slist_free_all(f->connect_to);
	buf_free(f->body);
	free(f->url);
	free(f->reject);
	free(f);
}

/*
 * Drop the multi handle once no fetch is left, but never from inside
 * dispatch(): libcurl or our info_read loop may still be using it.
 */
static void
release_if_idle(void)
{
	struct https_multi *m = hm;
	struct https_sock *s, *n;

	if (m == NULL || m->nfetch > 0 || m->depth > 0)
		return;
	hm = NULL;
	/* May call the socket and timer callbacks; they see m via userp. */
	lc->multi_cleanup(m->multi);
	for (s = m->socks; s != NULL; s = n) {
		n = s->next;
		evloop_io_del(s->io);
		free(s);
	}
	evloop_timer_del(m->timer);
	free(m);
}

static void
on_io(int fd, int ev, void *arg)
{
	int mask = 0;

	/* arg (the https_sock) may be freed by the action: not used. */
	(void)arg;
	if (ev & EV_READ)
		mask |= CURL_CSELECT_IN;
	if (ev & EV_WRITE)
		mask |= CURL_CSELECT_OUT;
	if (ev & EV_ERROR)
		mask |= CURL_CSELECT_ERR;
	dispatch((curl_socket_t)fd, mask);
}

static void
on_timeout(void *arg)
{
	struct https_multi *m = arg;

	m->timer = NULL;
	dispatch(CURL_SOCKET_TIMEOUT, 0);
}

/* CURLMOPT_SOCKETFUNCTION: what libcurl wants watched, and how. */
static int
on_socket(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct https_multi *m = userp;
	struct https_sock *s = socketp;
	int ev;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s == NULL)
			return 0;
		evloop_io_del(s->io);
		if (s->prev)
			s->prev->next = s->next;
		else
			m->socks = s->next;
		if (s->next)
			s->next->prev = s->prev;
		free(s);
		return 0;
	}
	ev = (what & CURL_POLL_IN ? EV_READ : 0) |
	    (what & CURL_POLL_OUT ? EV_WRITE : 0);
	if (s != NULL) {
		evloop_io_set(s->io, ev);
		return 0;
	}
	s = xcalloc(1, sizeof(*s));
	s->fd = fd;
	s->io = evloop_io_add(m->loop, (int)fd, ev, on_io, s);
	s->next = m->socks;
	if (s->next)
		s->next->prev = s;
	m->socks = s;
	if (lc->multi_assign(m->multi, fd, s) != CURLM_OK)
		log_panic("https: curl_multi_assign failed for fd %d",
		    (int)fd);
	return 0;
}

/* CURLMOPT_TIMERFUNCTION: one timer, replaced on every call. */
static int
on_curl_timer(CURLM *multi, long ms, void *userp)
{
	struct https_multi *m = userp;

	(void)multi;
	if (m->timer != NULL) {
		evloop_timer_del(m->timer);
		m->timer = NULL;
	}
	/* Never call libcurl from here: a 0 ms timer runs it next turn. */
	if (ms >= 0)
		m->timer = evloop_timer_add(m->loop, (uint64_t)ms, on_timeout,
		    m);
	return 0;
}

static struct https_multi *
multi_get(struct evloop *loop, struct buf *why)
{
	struct https_multi *m;

	if (hm != NULL) {
		if (hm->loop != loop)
			log_panic("https: fetches on two event loops");
		return hm;
	}
	/* The first fetch loads libcurl and runs curl_global_init. */
	if (lc == NULL && (lc = libcurl_load(why)) == NULL)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->loop = loop;
	if ((m->multi = lc->multi_init()) == NULL) {
		buf_printf(why, R_("libcurl: cannot make a multi handle"));
		free(m);
		return NULL;
	}
	lc->multi_setopt(m->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	lc->multi_setopt(m->multi, CURLMOPT_SOCKETDATA, m);
	lc->multi_setopt(m->multi, CURLMOPT_TIMERFUNCTION, on_curl_timer);
	lc->multi_setopt(m->multi, CURLMOPT_TIMERDATA, m);
	hm = m;
	return m;
}

/* CURLOPT_WRITEFUNCTION: keep the body, up to the cap. */
static size_t
on_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct https_fetch *f = arg;
	size_t len = size * nmemb;
	size_t room = buf_max(f->body) - buf_len(f->body);

	if (len > room) {
		/* Keep what fits; a short count makes libcurl stop. */
		(void)buf_append(f->body, p, room);
		f->too_large = 1;
		return 0;
	}
	(void)buf_append(f->body, p, len);
	return len;
}

/* A DNS name we can put into CURLOPT_RESOLVE and CURLOPT_CONNECT_TO. */
static int
is_hostname(const char *h)
{
	return dname_valid(h, DNAME_FINAL_DOT | DNAME_UNDERSCORE);
}

/*
 * Check the URL: https, a host name; return the host (malloc'd) and the
 * URL's port (443 unless given).
 */
static char *
url_host(const char *url, unsigned *port, struct buf *why)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *ps = NULL, *ret = NULL;
	long p;

	if ((u = lc->url()) == NULL) {
		buf_printf(why, R_("libcurl: out of memory"));
		return NULL;
	}
	if (lc->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
		buf_printf(why, R_("malformed URL \"%s\""), url);
		goto done;
	}
	if (lc->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strcasecmp(scheme, "https") != 0) {
		buf_printf(why, R_("not an https URL: \"%s\""), url);
		goto done;
	}
	if (lc->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    !is_hostname(host)) {
		buf_printf(why, R_("URL \"%s\" does not name a host"), url);
		goto done;
	}
	if (lc->url_get(u, CURLUPART_PORT, &ps, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK || (p = strtol(ps, NULL, 10)) <= 0 || p > 65535) {
		buf_printf(why, R_("URL \"%s\" has no usable port"), url);
		goto done;
	}
	*port = (unsigned)p;
	ret = xstrdup(host);
done:
	lc->free(scheme);
	lc->free(host);
	lc->free(ps);
	lc->url_cleanup(u);
	return ret;
}

#define SET(opt, val) do {						\
	CURLcode rc_;							\
	if ((rc_ = lc->easy_setopt(f->easy, opt, val)) != CURLE_OK) {	\
		buf_printf(why, R_("libcurl option %s: %s"),		\
		    #opt, lc->easy_strerror(rc_));			\
		goto fail;						\
	}								\
} while (0)

/* Make the easy handle for req; -1 with the reason in why. */
static int
fetch_setup(struct https_fetch *f, const struct https_request *req,
    struct buf *why)
{
	struct buf *line = NULL;
	char *host = NULL;
	unsigned uport = 0, port;
	size_t i;
	unsigned char ip[16];
	int family, rv = -1;

	if (req->url == NULL) {
		buf_printf(why, R_("no URL"));
		return -1;
	}
	if ((host = url_host(req->url, &uport, why)) == NULL)
		return -1;
	if (req->naddrs == 0 || req->addrs == NULL) {
		buf_printf(why, R_("no address for %s"), host);
		goto fail;
	}
	if (req->naddrs > HTTPS_MAX_ADDRS) {
		buf_printf(why, R_("%zu addresses for %s, at most %d are used"),
		    req->naddrs, host, HTTPS_MAX_ADDRS);
		goto fail;
	}
	if (req->port > 65535) {
		buf_printf(why, R_("port %u out of range"), req->port);
		goto fail;
	}
	port = req->port ? req->port : uport;

	/* "HOST:PORT:A1,[A2],..." keyed on the port actually connected. */
	line = buf_new(8192);
	buf_printf(line, "%s:%u:", host, port);
	for (i = 0; i < req->naddrs; i++) {
		if (req->addrs[i] == NULL || addr_parse(req->addrs[i], &family,
		    ip) == -1) {
			buf_printf(why, R_("\"%s\" is not an IP address"),
			    req->addrs[i] ? req->addrs[i] : "(null)");
			goto fail;
		}
		buf_printf(line, family == AF_INET6 ? "%s[%s]" : "%s%s",
		    i ? "," : "", req->addrs[i]);
	}
	f->resolve = lc->slist_append(NULL, buf_str(line));
	if (port != uport) {
		buf_reset(line);
		buf_printf(line, "%s:%u:%s:%u", host, uport, host, port);
		f->connect_to = lc->slist_append(NULL, buf_str(line));
	}
	if (f->resolve == NULL || (port != uport && f->connect_to == NULL)) {
		buf_printf(why, R_("libcurl: out of memory"));
		goto fail;
	}

	f->body = buf_new(req->max_body ? req->max_body : HTTPS_MAX_BODY);
	if ((f->easy = lc->easy_init()) == NULL) {
		buf_printf(why, R_("libcurl: cannot make an easy handle"));
		goto fail;
	}
	SET(CURLOPT_ERRORBUFFER, f->errbuf);
	SET(CURLOPT_PRIVATE, (char *)f);
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_HTTPGET, 1L);
#if HAVE_DECL_CURLOPT_PROTOCOLS_STR
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
#else
	SET(CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
	SET(CURLOPT_REDIR_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
	/* RFC 8461 3.3: a redirect is an answer, never followed. */
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_RESOLVE, f->resolve);
	if (f->connect_to != NULL)
		SET(CURLOPT_CONNECT_TO, f->connect_to);
	/* The destination reported must be the one reached. */
	SET(CURLOPT_PROXY, "");
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file != NULL)
		SET(CURLOPT_CAINFO, req->ca_file);
	/* Each fetch checks the certificate itself: no reuse, no resume. */
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_SSL_SESSIONID_CACHE, 0L);
	SET(CURLOPT_TIMEOUT_MS,
	    (long)(req->timeout_ms ? req->timeout_ms : HTTPS_TIMEOUT_MS));
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, PACKAGE_NAME "/" PACKAGE_VERSION);
	SET(CURLOPT_WRITEFUNCTION, on_write);
	SET(CURLOPT_WRITEDATA, f);
	log_trace("https: GET %s via %s", req->url, f->resolve->data);
	rv = 0;
fail:
	buf_free(line);
	free(host);
	return rv;
}

#undef SET

static enum https_outcome
outcome_of(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return HTTPS_TIMEOUT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
		return HTTPS_CONNECT_FAILED;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return HTTPS_TLS_ERROR;
	default:
		/* CURLE_SSL_CACERT_BADFILE too: our setup, not the host. */
		return HTTPS_OTHER;
	}
}

static void
deliver(struct https_fetch *f, struct https_result *r)
{
	r->url = f->url;
	if (r->body == NULL) {
		r->body = f->body ? buf_str(f->body) : "";
		r->body_len = f->body ? buf_len(f->body) : 0;
	}
	if (r->ip == NULL)
		r->ip = "";
	if (r->error == NULL)
		r->error = "";
	r->ms = evloop_clock() - f->start;
	if (log_tracing(2))
		log_trace("https: %s -> %s %ld, %s, %zu bytes%s%s in %lu ms",
		    f->url, https_outcome_name(r->outcome), r->status,
		    r->content_type != NULL ? r->content_type :
		    "no content type", r->body_len, *r->error ? ": " : "",
		    r->error, (unsigned long)r->ms);
	else if (log_tracing(1))
		log_trace("https: %s -> %s %ld, %s, %zu bytes%s%s", f->url,
		    https_outcome_name(r->outcome), r->status,
		    r->content_type != NULL ? r->content_type :
		    "no content type", r->body_len, *r->error ? ": " : "",
		    r->error);
	f->delivering = 1;
	f->cb(r, f->arg);
	fetch_free(f);
}

/* A transfer ended: classify, report, free. */
static void
finish(struct https_multi *m, struct https_fetch *f, CURLcode rc)
{
	struct https_result r;
	char *ct = NULL, *loc = NULL, *ip = NULL;
	long status = 0;

	memset(&r, 0, sizeof(r));
	lc->easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
	lc->easy_getinfo(f->easy, CURLINFO_CONTENT_TYPE, &ct);
	lc->easy_getinfo(f->easy, CURLINFO_REDIRECT_URL, &loc);
	lc->easy_getinfo(f->easy, CURLINFO_PRIMARY_IP, &ip);
	r.status = status;
	r.content_type = ct;
	r.ip = ip;
	if (f->too_large)
		r.outcome = HTTPS_TOO_LARGE;
	else if (rc != CURLE_OK)
		r.outcome = outcome_of(rc);
	else if (status >= 300 && status <= 399) {
		r.outcome = HTTPS_REDIRECT;
		r.location = loc;
	} else if (status != 200)
		r.outcome = HTTPS_HTTP_STATUS;
	else if (!https_is_text_plain(ct))
		r.outcome = HTTPS_BAD_CONTENT_TYPE;
	else
		r.outcome = HTTPS_OK;
	if (f->too_large)
		r.error = "body larger than the limit";
	else if (rc != CURLE_OK)
		r.error = f->errbuf[0] ? f->errbuf : lc->easy_strerror(rc);
	/* Out of the multi before the callback, which may start others. */
	lc->multi_remove_handle(m->multi, f->easy);
	m->nfetch--;
	deliver(f, &r);
}

/* Run libcurl for one event, then report every transfer that ended. */
static void
dispatch(curl_socket_t fd, int mask)
{
	struct https_multi *m = hm;
	struct https_fetch *f;
	CURLMsg *msg;
	CURLcode rc;
	char *p;
	int running, left;

	if (m == NULL)
		return;
	m->depth++;
	lc->multi_socket_action(m->multi, fd, mask, &running);
	/*
	 * A callback may cancel another fetch: libcurl then drops that
	 * fetch's queued message (curl_multi_remove_handle), so every
	 * message read here still names a live fetch.
	 */
	while ((msg = lc->multi_info_read(m->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		rc = msg->data.result;
		p = NULL;
		lc->easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
		if ((f = (struct https_fetch *)p) == NULL)
			log_panic("https: finished transfer without owner");
		finish(m, f, rc);
	}
	m->depth--;
	release_if_idle();
}

static void
on_reject(void *arg)
{
	struct https_fetch *f = arg;
	struct https_result r;

	f->reject_timer = NULL;
	memset(&r, 0, sizeof(r));
	r.outcome = HTTPS_OTHER;
	r.error = f->reject;
	deliver(f, &r);
}

struct https_fetch *
https_fetch_start(struct evloop *loop, const struct https_request *req,
    https_done_cb *cb, void *arg)
{
	struct https_fetch *f;
	struct https_multi *m;
	struct buf *why;
	CURLMcode mc;

	f = xcalloc(1, sizeof(*f));
	f->loop = loop;
	f->cb = cb;
	f->arg = arg;
	f->start = evloop_clock();
	f->url = xstrdup(req->url ? req->url : "");
	why = buf_new(BUF_WHY_MAX);
	if ((m = multi_get(loop, why)) == NULL ||
	    fetch_setup(f, req, why) == -1)
		goto reject;
	if ((mc = lc->multi_add_handle(m->multi, f->easy)) != CURLM_OK) {
		buf_printf(why, R_("libcurl: %s"), lc->multi_strerror(mc));
		goto reject;
	}
	m->nfetch++;
	buf_free(why);
	return f;
reject:
	/* Reported from the loop, like every other end. */
	f->reject = xstrdup(buf_str(why));
	buf_free(why);
	if (f->easy != NULL) {
		lc->easy_cleanup(f->easy);
		f->easy = NULL;
	}
	f->reject_timer = evloop_timer_add(loop, 0, on_reject, f);
	release_if_idle();
	return f;
}

void
https_fetch_cancel(struct https_fetch *f)
{
	if (f == NULL || f->delivering)
		return;
	if (f->reject_timer != NULL) {
		evloop_timer_del(f->reject_timer);
		fetch_free(f);
		return;
	}
	lc->multi_remove_handle(hm->multi, f->easy);
	hm->nfetch--;
	fetch_free(f);
	release_if_idle();
}
