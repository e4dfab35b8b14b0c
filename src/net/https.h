/*
 * https - fetch one HTTPS resource (the MTA-STS policy) with libcurl's
 * multi_socket interface, driven by the evloop.
 *
 * Purpose: RFC 8461 section 3.3 policy fetching. The fetch reports facts
 * (outcome, status, Content-Type, body, time, curl's error text); it
 * never parses the policy (mtasts does) nor judges it.
 *
 * RFC 8461 section 3.3 rules enforced here:
 *	- HTTPS only: the URL must be https:// and libcurl is told to speak
 *	  nothing else (CURLOPT_PROTOCOLS_STR "https" where configure finds
 *	  it, CURLOPT_PROTOCOLS otherwise).
 *	- The certificate must chain to a trusted root and be valid for the
 *	  URL's host (RFC 6125): CURLOPT_SSL_VERIFYPEER 1, VERIFYHOST 2. The
 *	  URL keeps the real host name, so SNI and the name check use it
 *	  whatever address or port is connected to.
 *	- "Policies fetched via HTTPS are only valid if the HTTP response
 *	  code is 200 (OK). HTTP 3xx redirects MUST NOT be followed":
 *	  CURLOPT_FOLLOWLOCATION 0; a 3xx is HTTPS_REDIRECT with its target.
 *	- "HTTP caching MUST NOT be used": no cache, no connection reuse and
 *	  no TLS session resumption, so every fetch does its own handshake
 *	  and certificate check.
 *	- Content-Type text/plain (section 3.2; parameters ignored): any
 *	  other type on a 200 is HTTPS_BAD_CONTENT_TYPE, body kept.
 *	- The suggested limits: max_body (default 64 KiB) and timeout_ms
 *	  (default one minute) bound every fetch.
 *
 * DNS: libcurl never resolves anything. The caller passes the addresses
 * its own (c-ares) DNS layer found for the URL's host; they are handed to
 * libcurl as a CURLOPT_RESOLVE entry "HOST:PORT:ADDR1,ADDR2,...". Every
 * address must be a numeric IPv4 or IPv6 literal, else the request is
 * refused: a name in that list would send libcurl to its own resolver.
 * Proxies from the environment are ignored (CURLOPT_PROXY "").
 *
 * Port override (the labs' https_port): req->port is the TCP port to
 * connect to; 0 means the URL's port (443). When it differs, a
 * CURLOPT_CONNECT_TO entry "HOST:443:HOST:PORT" redirects the connection
 * only: the URL, the Host header, SNI and the certificate name check all
 * stay on the real host name.
 *
 * Trust (req->ca_file): NULL uses libcurl's defaults (on Debian the
 * bundle /etc/ssl/certs/ca-certificates.crt and the directory
 * /etc/ssl/certs). A ca_file is set with CURLOPT_CAINFO, which REPLACES
 * the default bundle file; libcurl's default CA directory (CURLOPT_CAPATH)
 * is left as it is, so on Debian the system roots stay trusted through
 * /etc/ssl/certs and the file adds the lab's CA: "system + extra". Set
 * ca_file only for labs.
 *
 * API:
 *	https_fetch_start(loop, req, cb, arg)	start a GET; always returns a
 *		handle, and cb always runs later from the loop, exactly once,
 *		unless the fetch is cancelled (a request that cannot even be
 *		started ends as HTTPS_OTHER with the reason in result->error,
 *		from a 0 ms timer)
 *	https_fetch_cancel(f)			cb will not run; f is freed.
 *		NULL is a no-op; inside f's own callback it is a no-op (f is
 *		freed when the callback returns)
 *	https_outcome_name(o)			"OK", "TLS_ERROR", ...
 *	https_is_text_plain(ct)			1 when the media type of a
 *		Content-Type value is text/plain (case-insensitive, RFC 7231
 *		3.1.1.1; parameters such as charset ignored), else 0
 *
 * The result passed to cb, and every string in it, is valid only during
 * the call; the handle is dead once cb returns.
 *
 * One libcurl multi handle serves all fetches. It is module state, made
 * by the first https_fetch_start() and destroyed when the last fetch ends
 * or is cancelled, so nothing is left behind when the loop runs dry. All
 * fetches in flight at one time must use the same evloop (log_panic
 * otherwise); cancel every fetch before evloop_free(). libcurl itself is
 * loaded by the first fetch (net/libcurl.h: dlopen, the function table,
 * curl_global_init); when it cannot be loaded, every fetch ends as OTHER
 * with the reason ("libcurl.so.4 cannot be loaded: ...") in error.
 *
 * Loop integration (libcurl curl_multi_socket_action(3)):
 * CURLMOPT_SOCKETFUNCTION adds, changes and drops evloop watches (the
 * watch is tied to the socket with curl_multi_assign()); readiness calls
 * curl_multi_socket_action(fd, mask); CURLMOPT_TIMERFUNCTION keeps one
 * evloop timer whose expiry calls curl_multi_socket_action
 * (CURL_SOCKET_TIMEOUT). libcurl is never called from inside its own
 * callbacks. Finished transfers are collected with curl_multi_info_read()
 * after each action and reported.
 *
 * States of a fetch:
 *
 *	start --bad request--> REJECTED --0 ms timer--> cb(OTHER) --> freed
 *	  |
 *	  +--> RUNNING (easy handle in the multi)
 *		 |-- CURLMSG_DONE --> cb(outcome) --> freed
 *		 `-- cancel --------> removed from the multi, freed, no cb
 *
 * Outcomes (first match wins):
 *	TOO_LARGE	the body passed max_body (body holds the first
 *			max_body bytes; status as received)
 *	TIMEOUT		timeout_ms passed (connect, TLS or transfer)
 *	CONNECT_FAILED	no TCP connection to any address
 *	TLS_ERROR	handshake or certificate failure (error has libcurl's
 *			text: unknown CA, name mismatch, expired ...)
 *	REDIRECT	status 3xx; location is the absolute target when the
 *			response had a Location header, else NULL
 *	HTTP_STATUS	any other status but 200 (status has it)
 *	BAD_CONTENT_TYPE 200 but the media type is not text/plain (or
 *			absent: content_type NULL); the body is kept
 *	OK		200, text/plain, complete body
 *	OTHER		bad request, bad local CA file, protocol errors, ...
 *
 * BUGS: the libcurl DNS cache lives in the shared multi handle: two
 * fetches in flight at once for the same host and port share one address
 * list (the later start's). A body may not contain NUL bytes as far as a
 * caller using it as a string is concerned (body_len is exact).
 */
#ifndef MXPROBE_HTTPS_H
#define MXPROBE_HTTPS_H

#include <stddef.h>
#include <stdint.h>

struct evloop;
struct https_fetch;

#define HTTPS_TIMEOUT_MS	60000	/* RFC 8461 3.3: "one minute" */
#define HTTPS_MAX_BODY		65536	/* RFC 8461 3.3: "64 kilobytes" */
#define HTTPS_MAX_ADDRS		32

enum https_outcome {
	HTTPS_OK,
	HTTPS_HTTP_STATUS,
	HTTPS_REDIRECT,
	HTTPS_TLS_ERROR,
	HTTPS_CONNECT_FAILED,
	HTTPS_TIMEOUT,
	HTTPS_TOO_LARGE,
	HTTPS_BAD_CONTENT_TYPE,
	HTTPS_OTHER
};

struct https_request {
	const char		*url;		/* https://HOST[:PORT]/PATH */
	const char *const	*addrs;		/* numeric IPs for HOST */
	size_t			 naddrs;	/* 1..HTTPS_MAX_ADDRS */
	unsigned		 port;		/* connect here; 0 = URL's */
	const char		*ca_file;	/* NULL = system trust */
	unsigned		 timeout_ms;	/* 0 = HTTPS_TIMEOUT_MS */
	size_t			 max_body;	/* 0 = HTTPS_MAX_BODY */
};

struct https_result {
	enum https_outcome	 outcome;
	const char		*url;
	long			 status;	/* HTTP status, 0 = none */
	const char		*content_type;	/* as sent, NULL = none */
	const char		*location;	/* REDIRECT target or NULL */
	const char		*body;		/* NUL-terminated, never NULL */
	size_t			 body_len;
	const char		*ip;		/* address used, "" = none */
	uint64_t		 ms;		/* elapsed since start */
	const char		*error;		/* libcurl's text, "" = none */
};

typedef void https_done_cb(const struct https_result *, void *arg);

struct https_fetch	*https_fetch_start(struct evloop *,
			    const struct https_request *, https_done_cb *,
			    void *);
void			 https_fetch_cancel(struct https_fetch *);
const char		*https_outcome_name(enum https_outcome);
int			 https_is_text_plain(const char *);

#endif
