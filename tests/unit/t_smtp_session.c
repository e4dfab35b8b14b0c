/*
 * Tests for src/net/smtp_session.c and src/net/tls.c against throwaway SMTP
 * servers on 127.0.0.1, forked by this program. Each scenario is one
 * server behaviour (greeting, replies, STARTTLS, faults) and the outcome
 * and facts the client must report. All sessions run at once on one
 * event loop, as in a real probe. Every server records the commands it
 * received, and no scenario may see MAIL, RCPT or DATA.
 *
 * The TLS certificate is a throwaway self-signed one made here with the
 * OpenSSL API (EC P-256, CN mx.test, SAN mx.test and *.wild.test).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "util/buf.h"
#include "util/log.h"
#include "net/evloop.h"
#include "net/smtp_session.h"
#include "net/tls.h"
#include "tap.h"
#include "certs.h"

#define FAST	300	/* ms: step timeout where a timeout is the point */
#define SLOW	5000	/* ms: step timeout where it must not fire */

enum flood { FLOOD_NONE, FLOOD_LINE, FLOOD_LINES };

struct scenario {
	const char	*name;
	/* server behaviour */
	const char	*banner;	/* sent on accept; NULL = silence */
	int		 rst;		/* reset right after accept */
	int		 close_after_banner;
	const char	*ehlo;		/* reply to EHLO; NULL = silence */
	const char	*helo;
	const char	*starttls;
	int		 tls;		/* handshake after STARTTLS reply */
	int		 chain;		/* present leaf + CA instead of the
					 * self-signed certificate */
	int		 v6;		/* listen and connect on ::1 */
	int		 skip;		/* ::1 unavailable */
	int		 tls_drop;	/* close in the middle of it */
	const char	*ehlo_tls;
	enum flood	 flood;		/* instead of the EHLO reply */
	int		 drop_on_ehlo;	/* close when EHLO arrives */
	int		 drop_on_tls_ehlo; /* close when EHLO arrives over
					 * TLS */
	int		 cut_hs;	/* after STARTTLS: 1 part of a record
					 * (header + some of the body it
					 * announces), 2 part of a header;
					 * then close */
	int		 cut_tls_ehlo;	/* on EHLO over TLS: as cut_hs, an
					 * application-data record */
	int		 unclean_tls_ehlo; /* on EHLO over TLS: close with no
					 * close_notify */
	int		 drop_on_rcpt;	/* close when RCPT arrives */
	int		 drop_on_quit;	/* close when QUIT arrives, no 221 */
	/* client configuration */
	const char	*rcpt_domain;	/* the recipient test; the server
					 * takes MAIL and postmaster, refuses
					 * other RCPTs with 550 */
	const char	*ehlo_name;	/* NULL = probe.test */
	unsigned int	 step_ms;
	unsigned int	 deadline_ms;
	int		 use_ca;	/* trust the test certificate */
	const char	*mxhost;
	/* expectations */
	enum smtp_outcome want;
	enum smtp_step	 want_step;
	const char	*want_sent;	/* commands the server saw, '|'
					 * separated; NULL = do not compare */
	const char	*want_why;	/* substring of res->why */
	enum tls_close	 want_close;	/* res->tls_close */

	/* run time */
	int		 lfd;
	int		 pipefd;
	pid_t		 pid;
	unsigned short	 port;
	struct smtp_result *res;
	char		 seen[4096];
};

#define EHLO_TLS "250-mx.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n" \
	"250-8BITMIME\r\n250 STARTTLS\r\n"

static struct scenario sc[] = {
	{ .name = "STARTTLS, self-signed certificate",
	  .banner = "220 mx.test ESMTP test\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 2.0.0 go ahead\r\n", .tls = 1,
	  .ehlo_tls = "250-mx.test\r\n250-SIZE 2000\r\n250 REQUIRETLS\r\n",
	  .step_ms = SLOW, .mxhost = "mx.test", .want = SMTP_OK,
	  .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test|QUIT" },
	{ .name = "STARTTLS, trusted by --ca-file, wrong name",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1,
	  .ehlo_tls = "250 mx.test\r\n", .step_ms = SLOW, .use_ca = 1,
	  .mxhost = "other.test.", .want = SMTP_OK,
	  .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test|QUIT" },
	{ .name = "STARTTLS, CA-issued chain",
	  .banner = "220 chain.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1, .chain = 1,
	  .ehlo_tls = "250 chain.test\r\n", .step_ms = SLOW, .use_ca = 1,
	  .mxhost = "chain.test", .want = SMTP_OK,
	  .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test|QUIT" },
	{ .name = "STARTTLS over IPv6 loopback",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1, .v6 = 1,
	  .ehlo_tls = "250 mx.test\r\n", .step_ms = SLOW,
	  .mxhost = "mx.test", .want = SMTP_OK,
	  .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test|QUIT" },
	{ .name = "close on EHLO over TLS",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1,
	  .drop_on_tls_ehlo = 1, .step_ms = SLOW, .mxhost = "mx.test",
	  .want = SMTP_DROPPED, .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test",
	  .want_why = "TLS read: the server sent close_notify (a clean TLS "
	  "shutdown, not a TCP close) during EHLO after STARTTLS",
	  .want_close = TLS_CLOSE_NOTIFY },
	{ .name = "command injection through the EHLO name",
	  .banner = "220 x.test\r\n", .ehlo = "250 x.test\r\n",
	  .ehlo_name = "a\r\nMAIL FROM:<>", .step_ms = SLOW,
	  .want = SMTP_STARTTLS_NOT_OFFERED, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO localhost|QUIT" },
	{ .name = "refused", .step_ms = SLOW, .want = SMTP_REFUSED,
	  .want_step = SMTP_STEP_CONNECT, .want_sent = "" },
	{ .name = "tarpit", .step_ms = FAST, .want = SMTP_NO_BANNER,
	  .want_step = SMTP_STEP_BANNER, .want_sent = "",
	  .want_why = "no greeting within 300 ms" },
	{ .name = "tarpit, overall deadline", .step_ms = SLOW,
	  .deadline_ms = 400, .want = SMTP_NO_BANNER,
	  .want_step = SMTP_STEP_BANNER, .want_sent = "",
	  .want_why = "overall deadline" },
	{ .name = "421 greeting", .banner = "421 4.7.0 mx.test busy, try "
	  "later\r\n", .close_after_banner = 1, .step_ms = SLOW,
	  .want = SMTP_BANNER_TEMPFAIL, .want_step = SMTP_STEP_BANNER },
	{ .name = "554 greeting", .banner = "554 5.7.1 mx.test no service "
	  "for you\r\n", .step_ms = SLOW, .want = SMTP_BANNER_PERMFAIL,
	  .want_step = SMTP_STEP_BANNER, .want_sent = "QUIT" },
	{ .name = "multi-line greeting, no STARTTLS",
	  .banner = "220-mx.test ESMTP\r\n220-welcome\r\n220 ready\r\n",
	  .ehlo = "250-mx.test\r\n250 8BITMIME\r\n", .step_ms = SLOW,
	  .want = SMTP_STARTTLS_NOT_OFFERED, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO probe.test|QUIT" },
	{ .name = "EHLO 5xx, HELO fallback", .banner = "220 old.test\r\n",
	  .ehlo = "502 5.5.2 what?\r\n", .helo = "250 old.test\r\n",
	  .step_ms = SLOW, .want = SMTP_STARTTLS_NOT_OFFERED,
	  .want_step = SMTP_STEP_HELO,
	  .want_sent = "EHLO probe.test|HELO probe.test|QUIT" },
	{ .name = "recipient test without STARTTLS", .banner = "220 x.test\r\n",
	  .ehlo = "250-mx.test\r\n250 8BITMIME\r\n", .step_ms = SLOW,
	  .rcpt_domain = "ex.test", .want = SMTP_STARTTLS_NOT_OFFERED,
	  .want_step = SMTP_STEP_EHLO },
	{ .name = "close during the recipient test",
	  .banner = "220 x.test\r\n", .ehlo = "250-mx.test\r\n250 8BITMIME\r\n",
	  .step_ms = SLOW, .rcpt_domain = "ex.test", .drop_on_rcpt = 1,
	  .want = SMTP_STARTTLS_NOT_OFFERED, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO probe.test|MAIL FROM:<>|"
	  "RCPT TO:<postmaster@ex.test>" },
	{ .name = "close on QUIT", .banner = "220 x.test\r\n",
	  .ehlo = "250-mx.test\r\n250 8BITMIME\r\n", .step_ms = SLOW,
	  .drop_on_quit = 1, .want = SMTP_STARTTLS_NOT_OFFERED,
	  .want_step = SMTP_STEP_EHLO, .want_sent = "EHLO probe.test|QUIT" },
	{ .name = "EHLO and HELO rejected", .banner = "220 x.test\r\n",
	  .ehlo = "500 no\r\n", .helo = "501 no either\r\n", .step_ms = SLOW,
	  .want = SMTP_EHLO_REJECTED, .want_step = SMTP_STEP_HELO,
	  .want_sent = "EHLO probe.test|HELO probe.test|QUIT" },
	{ .name = "EHLO 4xx: no HELO fallback", .banner = "220 x.test\r\n",
	  .ehlo = "421 4.3.2 shutting down\r\n", .step_ms = SLOW,
	  .want = SMTP_EHLO_REJECTED, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO probe.test|QUIT" },
	{ .name = "STARTTLS rejected", .banner = "220 x.test\r\n",
	  .ehlo = EHLO_TLS, .starttls = "454 4.7.0 TLS not available\r\n",
	  .step_ms = SLOW, .want = SMTP_STARTTLS_REJECTED,
	  .want_step = SMTP_STEP_STARTTLS,
	  .want_sent = "EHLO probe.test|STARTTLS|QUIT" },
	{ .name = "1 MB line", .banner = "220 x.test\r\n",
	  .flood = FLOOD_LINE, .step_ms = SLOW,
	  .want = SMTP_PROTOCOL_ERROR, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO probe.test",
	  .want_why = "longer than 4096 octets" },
	{ .name = "endless multi-line reply", .banner = "220 x.test\r\n",
	  .flood = FLOOD_LINES, .step_ms = SLOW,
	  .want = SMTP_PROTOCOL_ERROR, .want_step = SMTP_STEP_EHLO,
	  .want_sent = "EHLO probe.test",
	  .want_why = "more than 100 lines" },
	{ .name = "drop in the middle of the TLS handshake",
	  .banner = "220 x.test\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls_drop = 1, .step_ms = SLOW,
	  .want = SMTP_TLS_FAILED, .want_step = SMTP_STEP_TLS_HANDSHAKE,
	  .want_sent = "EHLO probe.test|STARTTLS",
	  .want_close = TLS_CLOSE_UNCLEAN },
	{ .name = "TLS record cut in its body during the handshake",
	  .banner = "220 x.test\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .cut_hs = 1, .step_ms = SLOW,
	  .want = SMTP_TLS_FAILED, .want_step = SMTP_STEP_TLS_HANDSHAKE,
	  .want_sent = "EHLO probe.test|STARTTLS",
	  .want_why = "in the middle of a TLS record",
	  .want_close = TLS_CLOSE_TRUNCATED },
	{ .name = "TLS record cut in its header during the handshake",
	  .banner = "220 x.test\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .cut_hs = 2, .step_ms = SLOW,
	  .want = SMTP_TLS_FAILED, .want_step = SMTP_STEP_TLS_HANDSHAKE,
	  .want_sent = "EHLO probe.test|STARTTLS",
	  .want_why = "in the middle of a TLS record",
	  .want_close = TLS_CLOSE_TRUNCATED },
	{ .name = "TLS record of the EHLO reply cut in its body",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1, .cut_tls_ehlo = 1,
	  .step_ms = SLOW, .mxhost = "mx.test",
	  .want = SMTP_DROPPED, .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test",
	  .want_why = "in the middle of a TLS record",
	  .want_close = TLS_CLOSE_TRUNCATED },
	{ .name = "TLS record of the EHLO reply cut in its header",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1, .cut_tls_ehlo = 2,
	  .step_ms = SLOW, .mxhost = "mx.test",
	  .want = SMTP_DROPPED, .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test",
	  .want_why = "in the middle of a TLS record",
	  .want_close = TLS_CLOSE_TRUNCATED },
	{ .name = "TCP close without close_notify on EHLO over TLS",
	  .banner = "220 mx.test ESMTP\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n", .tls = 1, .unclean_tls_ehlo = 1,
	  .step_ms = SLOW, .mxhost = "mx.test",
	  .want = SMTP_DROPPED, .want_step = SMTP_STEP_EHLO_TLS,
	  .want_sent = "EHLO probe.test|STARTTLS|EHLO probe.test",
	  .want_why = "without a TLS alert or close_notify",
	  .want_close = TLS_CLOSE_UNCLEAN },
	{ .name = "reset right after connect", .rst = 1, .step_ms = SLOW,
	  .want = SMTP_DROPPED, .want_step = SMTP_STEP_BANNER,
	  .want_sent = "" },
	{ .name = "close after EHLO", .banner = "220 x.test\r\n",
	  .drop_on_ehlo = 1, .step_ms = SLOW, .want = SMTP_DROPPED,
	  .want_step = SMTP_STEP_EHLO, .want_sent = "EHLO probe.test" },
	{ .name = "silence after EHLO", .banner = "220 x.test\r\n",
	  .step_ms = FAST, .want = SMTP_TIMEOUT,
	  .want_step = SMTP_STEP_EHLO, .want_sent = "EHLO probe.test",
	  .want_why = "no reply during EHLO within" },
	{ .name = "response injection after STARTTLS 220",
	  .banner = "220 x.test\r\n", .ehlo = EHLO_TLS,
	  .starttls = "220 go ahead\r\n250 injected\r\n", .step_ms = SLOW,
	  .want = SMTP_PROTOCOL_ERROR, .want_step = SMTP_STEP_STARTTLS,
	  .want_sent = "EHLO probe.test|STARTTLS",
	  .want_why = "injection" },
	{ .name = "HTTP server on the SMTP port",
	  .banner = "HTTP/1.1 400 Bad Request\r\n\r\n", .step_ms = SLOW,
	  .want = SMTP_PROTOCOL_ERROR, .want_step = SMTP_STEP_BANNER,
	  .want_sent = "", .want_why = "reply code" },
};

#define NSC	(sizeof(sc) / sizeof(sc[0]))

static EVP_PKEY *pkey;
static X509 *cert;
static char cafile[64];

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca_cert, *leaf_cert;

/*
 * A certificate for days from now, issued by ca/cakey or self-signed
 * (certs.h): valid from an hour ago to an hour past the last day, so
 * its days left are exactly days while the test runs.
 */
static X509 *
days_cert(EVP_PKEY *pk, const char *cn, const char *san, long days,
    X509 *ca, EVP_PKEY *cakey)
{
	return make_cert(pk, cn, san, -3600, days * CERT_DAY + 3600, ca,
	    cakey);
}

/* ---- the throwaway server (child process) ---- */

struct conn {
	int	 fd;
	SSL	*ssl;
};

static int
conn_write(struct conn *c, const char *p, size_t n)
{
	size_t off = 0;
	ssize_t w;
	int k;

	while (off < n) {
		if (c->ssl != NULL) {
			k = SSL_write(c->ssl, p + off, (int)(n - off));
			if (k <= 0)
				return -1;
			off += (size_t)k;
			continue;
		}
		w = write(c->fd, p + off, n - off);
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static int
conn_puts(struct conn *c, const char *s)
{
	return conn_write(c, s, strlen(s));
}

/* Read one line (CRLF stripped). Returns -1 on EOF or error. */
static int
conn_getline(struct conn *c, char *line, size_t sz)
{
	size_t n = 0;
	char ch;
	int k;

	for (;;) {
		if (c->ssl != NULL)
			k = SSL_read(c->ssl, &ch, 1);
		else
			k = (int)read(c->fd, &ch, 1);
		if (k <= 0)
			return -1;
		if (ch == '\n')
			break;
		if (ch != '\r' && n + 1 < sz)
			line[n++] = ch;
	}
	line[n] = '\0';
	return 0;
}

static void
flood(struct conn *c, enum flood f)
{
	static char chunk[65536];
	size_t i;

	if (f == FLOOD_LINE) {
		memset(chunk, 'x', sizeof(chunk));
		if (conn_puts(c, "250-") == -1)
			return;
		for (i = 0; i < 16; i++) {
			if (conn_write(c, chunk, sizeof(chunk)) == -1)
				return;
		}
		return;
	}
	for (;;) {
		if (conn_puts(c, "250-and more\r\n") == -1)
			return;
	}
}

/*
 * Part of a TLS record of the given content type (RFC 8446 section 5.1),
 * written raw on the socket: how = 1, the 5-byte header announcing 64
 * bytes and 20 of them; how = 2, 3 bytes of the header. The caller then
 * exits, closing the connection with no close_notify.
 */
static void
cut_record(int fd, int how, int type)
{
	unsigned char rec[25] = { 0, 0x03, 0x03, 0x00, 0x40 };

	rec[0] = (unsigned char)type;
	memset(rec + 5, 0xa5, sizeof(rec) - 5);
	if (write(fd, rec, how == 1 ? sizeof(rec) : 3) < 0)
		return;
}

static void __attribute__((noreturn))
server(struct scenario *s, int rec)
{
	struct conn c = { -1, NULL };
	struct linger lg = { 1, 0 };
	SSL_CTX *ctx;
	char line[1024], junk[512];
	int fd;

	/* The server may write to a client that went away. The client
	 * side (the parent) keeps the default SIGPIPE disposition: the
	 * engine must not depend on the program ignoring it. */
	signal(SIGPIPE, SIG_IGN);
	alarm(10);
	fd = accept(s->lfd, NULL, NULL);
	if (fd == -1)
		_exit(1);
	c.fd = fd;
	if (s->rst) {
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(fd);
		_exit(0);
	}
	if (s->banner != NULL && conn_puts(&c, s->banner) == -1)
		_exit(0);
	if (s->close_after_banner) {
		close(fd);
		_exit(0);
	}
	while (conn_getline(&c, line, sizeof(line)) == 0) {
		dprintf(rec, "%s\n", line);
		if (strncasecmp(line, "EHLO", 4) == 0) {
			if (s->drop_on_ehlo)
				break;
			if (c.ssl != NULL) {
				if (s->drop_on_tls_ehlo)
					break;
				if (s->cut_tls_ehlo) {
					cut_record(fd, s->cut_tls_ehlo, 0x17);
					_exit(0);
				}
				if (s->unclean_tls_ehlo)
					_exit(0);
				conn_puts(&c, s->ehlo_tls);
			} else if (s->flood != FLOOD_NONE) {
				flood(&c, s->flood);
				break;
			} else if (s->ehlo != NULL)
				conn_puts(&c, s->ehlo);
		} else if (strncasecmp(line, "HELO", 4) == 0) {
			conn_puts(&c, s->helo ? s->helo : "502 no\r\n");
		} else if (strcasecmp(line, "STARTTLS") == 0) {
			conn_puts(&c, s->starttls ? s->starttls :
			    "502 no\r\n");
			if (s->cut_hs) {
				if (read(fd, junk, sizeof(junk)) < 0)
					break;
				cut_record(fd, s->cut_hs, 0x16);
				_exit(0);
			}
			if (s->tls_drop) {
				/* Take the ClientHello, then hang up. */
				if (read(fd, junk, sizeof(junk)) < 0)
					break;
				break;
			}
			if (!s->tls)
				continue;
			ctx = SSL_CTX_new(TLS_server_method());
			if (s->chain) {
				SSL_CTX_use_certificate(ctx, leaf_cert);
				SSL_CTX_use_PrivateKey(ctx, leaf_key);
				SSL_CTX_add1_chain_cert(ctx, ca_cert);
			} else {
				SSL_CTX_use_certificate(ctx, cert);
				SSL_CTX_use_PrivateKey(ctx, pkey);
			}
			c.ssl = SSL_new(ctx);
			SSL_set_fd(c.ssl, fd);
			if (SSL_accept(c.ssl) != 1)
				break;
		} else if (s->rcpt_domain != NULL &&
		    (strncasecmp(line, "MAIL FROM:", 10) == 0 ||
		    strcasecmp(line, "RSET") == 0)) {
			conn_puts(&c, "250 2.0.0 ok\r\n");
		} else if (s->drop_on_rcpt &&
		    strncasecmp(line, "RCPT", 4) == 0) {
			break;
		} else if (s->drop_on_quit && strcasecmp(line, "QUIT") == 0) {
			break;
		} else if (s->rcpt_domain != NULL &&
		    strncasecmp(line, "RCPT TO:<postmaster@", 20) == 0) {
			conn_puts(&c, "250 2.1.5 ok\r\n");
		} else if (s->rcpt_domain != NULL &&
		    strncasecmp(line, "RCPT TO:", 8) == 0) {
			conn_puts(&c, "550 5.1.1 no such user\r\n");
		} else if (strcasecmp(line, "QUIT") == 0) {
			conn_puts(&c, "221 2.0.0 bye\r\n");
			break;
		} else
			conn_puts(&c, "502 5.5.1 unexpected\r\n");
	}
	if (c.ssl != NULL)
		SSL_shutdown(c.ssl);
	close(fd);
	_exit(0);
}

static int
listener(unsigned short *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 8) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		perror("listener");
		exit(1);
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

/* A listener on ::1, or -1 when this host has no IPv6 loopback. */
static int
listener6(unsigned short *port)
{
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin6);
	int fd;

	if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	if (bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == -1 ||
	    listen(fd, 8) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin6, &len) == -1) {
		close(fd);
		return -1;
	}
	*port = ntohs(sin6.sin6_port);
	return fd;
}

/* A port on 127.0.0.1 where nothing listens. */
static unsigned short
closed_port(void)
{
	unsigned short port;
	int fd = listener(&port);

	close(fd);
	return port;
}

static void
spawn(struct scenario *s)
{
	int p[2], fd;

	if (s->want == SMTP_REFUSED) {
		/* The port is picked after every listener is bound (see
		 * main): picked now, the kernel could hand it to one. */
		s->pid = -1;
		s->pipefd = -1;
		return;
	}
	if (s->v6) {
		if ((s->lfd = listener6(&s->port)) == -1) {
			s->skip = 1;
			s->pid = -1;
			s->pipefd = -1;
			return;
		}
	} else
		s->lfd = listener(&s->port);
	if (pipe(p) == -1) {
		perror("pipe");
		exit(1);
	}
	fflush(stdout);
	s->pid = fork();
	if (s->pid == -1) {
		perror("fork");
		exit(1);
	}
	if (s->pid == 0) {
		/* Keep only our own listener and pipe: a sibling's copy
		 * would keep its connection or pipe open. */
		for (fd = 3; fd < 1024; fd++) {
			if (fd != s->lfd && fd != p[1])
				close(fd);
		}
		server(s, p[1]);
	}
	close(p[1]);
	close(s->lfd);
	s->pipefd = p[0];
}

/* ---- the client side ---- */

static int ncb;

/* The -v trace (util/log.h) of every session, one line each. */
static char	**trace;
static size_t	  ntrace;

static void
trace_hook(const char *line)
{
	trace = realloc(trace, (ntrace + 1) * sizeof(*trace));
	if (trace == NULL)
		abort();
	trace[ntrace++] = strdup(line);
}

/* The commands of r as the trace shows them, '|'-separated. */
static void
trace_sent(const struct smtp_result *r, char *out, size_t len)
{
	char pfx[256];
	size_t i, n = 0;

	snprintf(pfx, sizeof(pfx), "%s[%s]:%u C: ", r->mxhost, r->addr,
	    (unsigned)r->port);
	out[0] = '\0';
	for (i = 0; i < ntrace; i++)
		if (strncmp(trace[i], pfx, strlen(pfx)) == 0)
			n += (size_t)snprintf(out + n, n < len ? len - n : 0,
			    "%s%s", n > 0 ? "|" : "", trace[i] + strlen(pfx));
}

static void
done(struct smtp_result *res, void *arg)
{
	struct scenario *s = arg;

	s->res = res;
	ncb++;
}

static void
collect(struct scenario *s)
{
	size_t n = 0;
	ssize_t k;
	int status, i;
	char *p;

	if (s->pid <= 0)
		return;
	for (i = 0; i < 300; i++) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			break;
		usleep(10000);
	}
	if (i == 300) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
		diag("%s: server had to be killed", s->name);
	}
	while (n + 1 < sizeof(s->seen) &&
	    (k = read(s->pipefd, s->seen + n, sizeof(s->seen) - 1 - n)) > 0)
		n += (size_t)k;
	s->seen[n] = '\0';
	close(s->pipefd);
	/* newline-separated -> '|'-separated, no trailing separator */
	for (p = s->seen; *p != '\0'; p++) {
		if (*p == '\n')
			*p = p[1] == '\0' ? '\0' : '|';
	}
}

static void
check_common(struct scenario *s)
{
	struct smtp_result *r = s->res;
	size_t i;
	int bad = 0;

	if (s->skip) {
		ok(1, "%s # SKIP no IPv6 loopback", s->name);
		return;
	}
	if (!ok(r != NULL, "%s: callback ran", s->name))
		return;
	if (!ok(r->outcome == s->want, "%s: outcome %s", s->name,
	    smtp_outcome_name(r->outcome)))
		diag("  want %s; why: %s", smtp_outcome_name(s->want),
		    r->why);
	is_str(smtp_step_name(r->step), smtp_step_name(s->want_step),
	    s->name);
	if (!ok(r->tls_close == s->want_close, "%s: TLS close %s",
	    s->name, tls_close_name(r->tls_close) != NULL ?
	    tls_close_name(r->tls_close) : "none"))
		diag("  want %s", tls_close_name(s->want_close) != NULL ?
		    tls_close_name(s->want_close) : "none");
	if (s->want_why != NULL && !ok(strstr(r->why, s->want_why) != NULL,
	    "%s: reason mentions \"%s\"", s->name, s->want_why))
		diag("  why: %s", r->why);
	if (s->want_sent != NULL)
		is_str(s->seen, s->want_sent, s->name);
	for (i = 0; i < r->nsent; i++) {
		if ((s->rcpt_domain == NULL &&
		    (strncasecmp(r->sent[i], "MAIL", 4) == 0 ||
		    strncasecmp(r->sent[i], "RCPT", 4) == 0)) ||
		    strncasecmp(r->sent[i], "DATA", 4) == 0 ||
		    strncasecmp(r->sent[i], "BDAT", 4) == 0)
			bad = 1;
	}
	if ((s->rcpt_domain == NULL && (strstr(s->seen, "MAIL") ||
	    strstr(s->seen, "RCPT"))) || strstr(s->seen, "DATA") ||
	    strstr(s->seen, "BDAT"))
		bad = 1;
	ok(!bad, "%s: never DATA or BDAT, MAIL or RCPT only with the "
	    "recipient test", s->name);
	{
		char got[1024], want[1024];
		size_t n = 0;

		want[0] = '\0';
		for (i = 0; i < r->nsent; i++)
			n += (size_t)snprintf(want + n, n < sizeof(want) ?
			    sizeof(want) - n : 0, "%s%s", i > 0 ? "|" : "",
			    r->sent[i]);
		trace_sent(r, got, sizeof(got));
		if (!ok(strcmp(got, want) == 0, "%s: the trace shows each "
		    "command sent", s->name))
			diag("  trace %s; sent %s", got, want);
	}
	if (r->ms.connect_ms >= 0)
		is_str(r->source, s->v6 ? "::1" : "127.0.0.1", s->name);
	is_str(r->addr, s->v6 ? "::1" : "127.0.0.1", s->name);
	is_int(r->port, s->port, s->name);
	ok(r->ms.total_ms >= 0 && r->ms.total_ms < 8000, "%s: total %ld ms",
	    s->name, r->ms.total_ms);
}

static size_t
nskipped(void)
{
	size_t i, n = 0;

	for (i = 0; i < NSC; i++)
		n += sc[i].skip;
	return n;
}

static struct scenario *
find(const char *name)
{
	size_t i;

	for (i = 0; i < NSC; i++) {
		if (strcmp(sc[i].name, name) == 0)
			return &sc[i];
	}
	abort();
}

static void
check_specific(void)
{
	struct smtp_result *r;
	const struct tls_cert_facts *cf;
	struct scenario *s;

	s = find("recipient test without STARTTLS");
	if ((r = s->res) != NULL) {
		size_t k;

		ok(r->rcpt_tested, "recipient test ran");
		is_int(r->mail_reply.code, 250, "MAIL FROM:<> taken");
		is_int(r->rcpt_reply.code, 250, "postmaster taken");
		is_int(r->rcpt_any_reply.code, 550, "random refused");
		ok(r->rcpt_any != NULL && strlen(r->rcpt_any) == 24 &&
		    strcmp(r->rcpt_any + 16, "@ex.test") == 0,
		    "random address %s", r->rcpt_any ? r->rcpt_any : "");
		for (k = 0; r->rcpt_any != NULL && k < 16; k++)
			if (strchr("0123456789abcdef", r->rcpt_any[k]) ==
			    NULL)
				break;
		is_int((int)k, 16, "16 hex digits");
		ok(r->rcpt_why == NULL, "test finished");
		if (r->rcpt_any != NULL) {
			char want[256];

			snprintf(want, sizeof(want), "EHLO probe.test|MAIL "
			    "FROM:<>|RCPT TO:<postmaster@ex.test>|RCPT "
			    "TO:<%s>|RSET|QUIT", r->rcpt_any);
			is_str(s->seen, want, "the server saw MAIL, two "
			    "RCPTs, RSET, QUIT");
		}
	}

	s = find("STARTTLS, self-signed certificate");
	if ((r = s->res) != NULL) {
		is_str(r->banner_host, "mx.test", "banner host");
		is_int(r->banner.code, 220, "banner code");
		ok(r->ehlo_ok && r->ehlo.ext[SMTP_EXT_STARTTLS] &&
		    r->ehlo.ext[SMTP_EXT_PIPELINING], "EHLO keywords before "
		    "TLS");
		is_int(r->ehlo.size, 1000, "SIZE before TLS");
		ok(r->starttls_offered, "STARTTLS offered");
		is_int(r->starttls_code, 220, "STARTTLS code");
		ok(r->tls_done, "TLS done");
		is_str(r->tls.version, "TLSv1.3", "TLS version");
		ok(r->tls.cipher != NULL && strlen(r->tls.cipher) > 0,
		    "cipher %s", r->tls.cipher ? r->tls.cipher : "");
		ok(r->tls.group != NULL, "group %s",
		    r->tls.group ? r->tls.group : "(none)");
		is_int(r->tls.nchain, 1, "chain of one");
		cf = r->tls.nchain ? &r->tls.chain[0] : NULL;
		if (cf != NULL) {
			is_str(cf->subject, "CN=mx.test", "subject");
			is_str(cf->issuer, "CN=mx.test", "issuer");
			is_int(cf->nsan_dns, 2, "two dNSName SANs");
			if (cf->nsan_dns == 2) {
				is_str(cf->san_dns[0], "mx.test", "SAN 0");
				is_str(cf->san_dns[1], "*.wild.test",
				    "SAN 1");
			}
			is_str(cf->key_type, "EC", "key type");
			is_int(cf->key_bits, 256, "key bits");
			ok(cf->days_left == 30, "days left %ld",
			    cf->days_left);
			ok(strlen(cf->not_after) == 20 &&
			    cf->not_after[19] == 'Z', "not after %s",
			    cf->not_after);
			ok(cf->self_signed, "self-signed");
		}
		ok(!r->tls.verify_ok, "self-signed: not verified");
		is_int(r->tls.verify_error,
		    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "verify error");
		ok(r->tls.verify_error_str != NULL &&
		    strstr(r->tls.verify_error_str, "self") != NULL,
		    "verify error text %s", r->tls.verify_error_str);
		ok(r->tls.name_ok, "name matches");
		is_str(r->tls.name_matched, "mx.test", "matched name");
		ok(r->tls.chain != NULL && r->tls.nchain == 1,
		    "presented chain described");
		ok(r->ehlo_tls_ok && r->ehlo_tls.ext[SMTP_EXT_REQUIRETLS] &&
		    !r->ehlo_tls.ext[SMTP_EXT_STARTTLS], "EHLO after TLS");
		is_int(r->ehlo_tls.size, 2000, "SIZE after TLS");
		is_int(r->quit_code, 221, "QUIT answered");
		ok(r->ms.connect_ms >= 0 && r->ms.banner_ms >= 0 &&
		    r->ms.ehlo_ms >= 0 && r->ms.tls_ms >= 0,
		    "timings %ld %ld %ld %ld", r->ms.connect_ms,
		    r->ms.banner_ms, r->ms.ehlo_ms, r->ms.tls_ms);
		is_int(r->nsent, 4, "four commands");
	}

	s = find("STARTTLS, trusted by --ca-file, wrong name");
	if ((r = s->res) != NULL) {
		ok(r->tls.verify_ok, "--ca-file: verified");
		is_str(r->tls.verify_error_str, "ok", "verify text ok");
		ok(!r->tls.name_ok, "other.test does not match");
		is_str(r->tls.name_checked, "other.test", "name checked "
		    "without trailing dot");
		ok(r->tls.name_matched == NULL, "no matched name");
	}

	s = find("STARTTLS, CA-issued chain");
	if ((r = s->res) != NULL) {
		is_int(r->tls.nchain, 2, "chain: two certificates");
		ok(r->tls.verify_ok, "chain: verified to the CA (%s)",
		    r->tls.verify_error_str);
		ok(r->tls.name_ok, "chain: name matches");
		if (r->tls.nchain == 2) {
			is_str(r->tls.chain[0].subject, "CN=chain.test",
			    "chain: leaf subject");
			is_str(r->tls.chain[0].issuer, "CN=Test CA",
			    "chain: leaf issuer");
			ok(!r->tls.chain[0].self_signed,
			    "chain: leaf not self-signed");
			ok(r->tls.chain[1].self_signed,
			    "chain: CA self-signed");
			is_str(r->tls.chain[1].key_type, "RSA",
			    "chain: CA key type");
			is_int(r->tls.chain[1].key_bits, 2048,
			    "chain: CA key bits");
			is_int(r->tls.chain[1].nsan_dns, 0, "chain: CA no SAN");
		}
	}
	s = find("STARTTLS over IPv6 loopback");
	if (!s->skip && (r = s->res) != NULL)
		ok(r->tls_done && r->tls.name_ok, "IPv6: TLS and name");

	s = find("refused");
	if ((r = s->res) != NULL) {
		is_int(r->sys_errno, ECONNREFUSED, "refused: errno");
		ok(r->ms.connect_ms == -1 && r->ms.banner_ms == -1,
		    "refused: no timings");
	}

	s = find("tarpit");
	if ((r = s->res) != NULL) {
		ok(r->ms.total_ms >= FAST - 5 && r->ms.total_ms < FAST + 700,
		    "tarpit: ended by the banner timeout (%ld ms)",
		    r->ms.total_ms);
		ok(!r->deadline_hit, "tarpit: step timer, not deadline");
		is_int(r->banner.code, 0, "tarpit: no banner");
	}
	s = find("tarpit, overall deadline");
	if ((r = s->res) != NULL)
		ok(r->deadline_hit, "deadline: flagged");

	s = find("421 greeting");
	if ((r = s->res) != NULL) {
		is_int(r->banner.code, 421, "421 kept");
		is_str(r->banner.esc, "4.7.0", "421 enhanced code");
		is_str(r->banner_host, "mx.test",
		    "banner host after the enhanced code");
		ok(strcmp(smtp_outcome_describe(r->outcome), "temporarily "
		    "refusing: rate limiting or greylisting") == 0,
		    "421 description");
	}
	s = find("554 greeting");
	if ((r = s->res) != NULL) {
		is_int(r->banner.code, 554, "554 kept");
		is_int(r->quit_code, 221, "554: QUIT answered");
	}
	s = find("multi-line greeting, no STARTTLS");
	if ((r = s->res) != NULL) {
		is_int(r->banner.ntext, 3, "multi-line greeting: 3 lines");
		is_str(r->banner.text[2], "ready", "multi-line: last line");
		ok(!r->starttls_offered && !r->tls_done, "no TLS");
		ok(r->ehlo.ext[SMTP_EXT_8BITMIME], "8BITMIME seen");
	}
	s = find("EHLO 5xx, HELO fallback");
	if ((r = s->res) != NULL) {
		ok(r->helo_fallback && r->helo_ok && !r->ehlo_ok,
		    "HELO fallback recorded");
		is_int(r->ehlo_reject.code, 502, "EHLO refusal kept");
	}
	s = find("EHLO and HELO rejected");
	if ((r = s->res) != NULL) {
		ok(r->helo_fallback && !r->helo_ok, "HELO tried, refused");
		is_int(r->reject.code, 501, "HELO refusal kept");
	}
	s = find("EHLO 4xx: no HELO fallback");
	if ((r = s->res) != NULL)
		ok(!r->helo_fallback, "no HELO after 4xx");
	s = find("STARTTLS rejected");
	if ((r = s->res) != NULL) {
		is_int(r->starttls_code, 454, "STARTTLS code kept");
		is_str(r->reject.esc, "4.7.0", "STARTTLS refusal kept");
	}
	s = find("drop in the middle of the TLS handshake");
	if ((r = s->res) != NULL) {
		ok(!r->tls_done, "handshake not done");
		ok(strlen(r->why) > 0, "TLS reason: %s", r->why);
	}
	s = find("reset right after connect");
	if ((r = s->res) != NULL)
		ok(r->reset_after_connect, "reset_after_connect flagged");
	s = find("close after EHLO");
	if ((r = s->res) != NULL)
		ok(!r->reset_after_connect, "late drop is not reset after "
		    "connect");
	s = find("close during the recipient test");
	if ((r = s->res) != NULL) {
		ok(r->rcpt_tested, "dropped recipient test: it ran");
		is_str(r->rcpt_why, "connection closed by the server during "
		    "RCPT TO", "dropped recipient test: why it stopped");
		is_int(r->rcpt_reply.code, 0, "dropped recipient test: no "
		    "RCPT reply");
	}
	s = find("close on QUIT");
	if ((r = s->res) != NULL) {
		is_int(r->quit_code, 0, "close on QUIT: no 221");
		ok(r->rcpt_why == NULL, "close on QUIT: no recipient test");
	}
}

/* tls_check_name and tls_cert_facts on certificates made here. */
static void
test_names(void)
{
	static const struct {
		const char *host;
		int want;
		const char *matched;
	} names[] = {
		{ "mx.test", 1, "mx.test" },
		{ "MX.Test.", 1, "mx.test" },
		{ "a.wild.test", 1, "*.wild.test" },
		{ "a.b.wild.test", 0, NULL },
		{ "wild.test", 0, NULL },
		{ "other.test", 0, NULL },
		{ "", 0, NULL },
	};
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509 *partial, *cnonly, *expired, *sanonly;
	struct tls_cert_facts cf;
	char *m;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		is_int(tls_check_name(cert, names[i].host, &m), names[i].want,
		    names[i].host);
		is_str(m, names[i].matched, names[i].host);
		free(m);
	}
	/* RFC 7817: "*" only as a whole label. */
	partial = days_cert(pk, "p.test", "DNS:f*.part.test", 10, NULL,
	    NULL);
	is_int(tls_check_name(partial, "foo.part.test", &m), 0,
	    "partial wildcard refused");
	free(m);
	/* RFC 6125 6.4.4: CN only when there is no dNSName. */
	cnonly = days_cert(pk, "cn.test", NULL, 10, NULL, NULL);
	is_int(tls_check_name(cnonly, "cn.test", &m), 1, "CN fallback");
	free(m);
	is_int(tls_check_name(cert, "mx.test", &m), 1, "SAN present");
	free(m);
	sanonly = days_cert(pk, "cn2.test", "DNS:x.test", 10, NULL, NULL);
	is_int(tls_check_name(sanonly, "cn2.test", &m), 0,
	    "CN ignored when a dNSName exists");
	free(m);
	X509_free(sanonly);
	expired = days_cert(pk, "old.test", "DNS:old.test", -3, NULL,
	    NULL);
	tls_cert_facts(expired, &cf);
	ok(cf.days_left < 0, "expired: days left %ld", cf.days_left);
	is_int(cf.nsan_dns, 1, "expired: SAN");
	tls_cert_facts_clear(&cf);
	X509_free(partial);
	X509_free(cnonly);
	X509_free(expired);
	EVP_PKEY_free(pk);
}

/* The TLS layer must survive writing to a closed peer although this
 * process keeps the default SIGPIPE disposition (it would die here). */
static void
test_sigpipe(struct tls_ctx *ctx)
{
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct tls_conn *c;
	int sv[2];

	/* The default disposition, whatever this process inherited (a
	 * parent that ignores SIGPIPE passes that on across exec). */
	signal(SIGPIPE, SIG_DFL);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1) {
		ok(0, "socketpair");
		return;
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	c = tls_conn_new(ctx, sv[0], "mx.test", why);
	ok(c != NULL, "TLS connection on a socketpair");
	if (c != NULL) {
		is_int(tls_handshake_step(c, why), TLS_ERROR,
		    "ClientHello to a closed peer: error, no SIGPIPE death");
		ok(strstr(buf_str(why), "Broken pipe") != NULL,
		    "reason: %s", buf_str(why));
	}
	ok(signal(SIGPIPE, SIG_DFL) == SIG_DFL, "SIGPIPE disposition "
	    "restored");
	tls_conn_free(c);
	close(sv[0]);
	buf_free(why);
}

/* A listener whose accept queue is full drops SYNs (Linux), so a
 * connect to it hangs in SYN-SENT: CONNECT_TIMEOUT on loopback. */
static struct smtp_result *ct_res;

static void
ct_done(struct smtp_result *res, void *arg)
{
	(void)arg;
	ct_res = res;
}

static void
test_connect_timeout(struct evloop *loop, struct tls_ctx *ctx)
{
	struct smtp_config cfg;
	struct sockaddr_in sin;
	unsigned short port;
	int lfd, fill[3], i;

	lfd = listener(&port);
	listen(lfd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	for (i = 0; i < 3; i++) {
		fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fill[i], (struct sockaddr *)&sin, sizeof(sin));
	}
	usleep(50000);
	memset(&cfg, 0, sizeof(cfg));
	cfg.tls = ctx;
	cfg.port = port;
	cfg.step_timeout_ms = FAST;
	smtp_session_start(loop, &cfg, (struct sockaddr *)&sin, sizeof(sin),
	    "mx.test", ct_done, NULL);
	evloop_run(loop);
	if (ok(ct_res != NULL, "connect timeout: callback ran")) {
		if (!ok(ct_res->outcome == SMTP_CONNECT_TIMEOUT,
		    "full backlog: %s", smtp_outcome_name(ct_res->outcome)))
			diag("  why: %s", ct_res->why);
		is_str(smtp_step_name(ct_res->step), "connect",
		    "connect timeout: step");
		is_int(ct_res->nsent, 0, "connect timeout: nothing sent");
	}
	smtp_result_free(ct_res);
	for (i = 0; i < 3; i++)
		close(fill[i]);
	close(lfd);
}

/* Cancel, the wrong address family, and an immediate callback. */
static int cancelled_cb;

static void
never(struct smtp_result *res, void *arg)
{
	(void)arg;
	cancelled_cb++;
	smtp_result_free(res);
}

static struct smtp_session *to_cancel;

static void
do_cancel(void *arg)
{
	(void)arg;
	smtp_session_cancel(to_cancel);
}

static struct smtp_session *self_cancel;
static struct smtp_result *fam_res;

static void
fam_done(struct smtp_result *res, void *arg)
{
	(void)arg;
	fam_res = res;
	/* A no-op: the session is already closing. */
	smtp_session_cancel(self_cancel);
}

static struct smtp_result *route_res;

static void
route_done(struct smtp_result *res, void *arg)
{
	(void)arg;
	route_res = res;
}

/*
 * An IPv6 address this host has no route to: connect() fails here,
 * before any packet (ENETUNREACH). Only run where a UDP connect() to it
 * (which sends nothing) fails the same way, so no packet ever leaves.
 */
static void
test_no_route(struct evloop *loop, struct tls_ctx *ctx)
{
	struct smtp_config cfg;
	struct sockaddr_in6 sin6;
	int fd, rv, err;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(25);
	inet_pton(AF_INET6, "2001:db8::25", &sin6.sin6_addr);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	rv = fd == -1 ? 0 : connect(fd, (struct sockaddr *)&sin6,
	    sizeof(sin6));
	err = errno;
	if (fd != -1)
		close(fd);
	if (fd == -1 || rv != -1 || (err != ENETUNREACH &&
	    err != EADDRNOTAVAIL)) {
		ok(1, "no route # SKIP this host has a route to 2001:db8::25");
		ok(1, "no route # SKIP");
		return;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.tls = ctx;
	cfg.step_timeout_ms = SLOW;
	smtp_session_start(loop, &cfg, (struct sockaddr *)&sin6,
	    sizeof(sin6), "mx.test", route_done, NULL);
	evloop_run(loop);
	ok(route_res != NULL && route_res->outcome == SMTP_NETWORK_ERROR &&
	    route_res->no_route, "no IPv6 route here: NETWORK_ERROR, "
	    "no_route set");
	ok(route_res != NULL && route_res->nsent == 0 &&
	    route_res->source[0] == '\0', "nothing sent, no source address");
	smtp_result_free(route_res);
}

static void
test_misc(struct evloop *loop, struct tls_ctx *ctx)
{
	struct smtp_config cfg;
	struct sockaddr_in sin;
	unsigned short port;
	int lfd;

	memset(&cfg, 0, sizeof(cfg));
	cfg.tls = ctx;
	cfg.step_timeout_ms = SLOW;
	lfd = listener(&port);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cfg.port = port;
	/* The listener never accepts: the session waits for a banner. */
	to_cancel = smtp_session_start(loop, &cfg, (struct sockaddr *)&sin,
	    sizeof(sin), "mx.test", never, NULL);
	evloop_timer_add(loop, 50, do_cancel, NULL);

	cfg.family = AF_INET6;
	self_cancel = smtp_session_start(loop, &cfg, (struct sockaddr *)&sin,
	    sizeof(sin), NULL, fam_done, NULL);
	ok(fam_res == NULL, "no callback from inside smtp_session_start");
	evloop_run(loop);
	is_int(cancelled_cb, 0, "cancelled session: no callback");
	ok(fam_res != NULL && fam_res->outcome == SMTP_NETWORK_ERROR,
	    "excluded address family: NETWORK_ERROR");
	if (fam_res != NULL)
		is_int(fam_res->nsent, 0, "excluded family: nothing sent");
	smtp_result_free(fam_res);
	close(lfd);

	test_connect_timeout(loop, ctx);
	test_no_route(loop, ctx);
	is_str(smtp_outcome_name(SMTP_STARTTLS_NOT_OFFERED),
	    "STARTTLS_NOT_OFFERED", "outcome name");
	is_str(smtp_outcome_name(SMTP_OUTCOME_COUNT), "?", "outcome range");
	is_str(smtp_step_name(SMTP_STEP_TLS_HANDSHAKE), "tls-handshake",
	    "step name");
}

int
main(void)
{
	struct evloop *loop;
	struct tls_ctx *ctx, *ctx_ca;
	struct smtp_config cfg;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct buf *why = buf_new(BUF_WHY_MAX);
	FILE *fp;
	size_t i;
	int fd;

	pkey = EVP_EC_gen("P-256");
	cert = days_cert(pkey, "mx.test", "DNS:mx.test,DNS:*.wild.test", 30,
	    NULL, NULL);
	snprintf(cafile, sizeof(cafile), "/tmp/t_smtp_session.XXXXXX");
	if ((fd = mkstemp(cafile)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("mkstemp");
		return 1;
	}
	ca_key = EVP_RSA_gen(2048);
	leaf_key = EVP_EC_gen("P-256");
	ca_cert = days_cert(ca_key, "Test CA", NULL, 365, NULL, NULL);
	leaf_cert = days_cert(leaf_key, "chain.test", "DNS:chain.test", 30,
	    ca_cert, ca_key);
	PEM_write_X509(fp, cert);
	PEM_write_X509(fp, ca_cert);
	fclose(fp);

	ok(tls_ctx_new("/nonexistent/ca.pem", why) == NULL,
	    "missing CA file refused");
	ok(strstr(buf_str(why), "/nonexistent/ca.pem") != NULL,
	    "reason names the file: %s", buf_str(why));
	buf_reset(why);
	ctx = tls_ctx_new(NULL, why);
	ctx_ca = tls_ctx_new(cafile, why);
	if (!ok(ctx != NULL && ctx_ca != NULL, "TLS contexts (%s)",
	    buf_str(why)))
		return tap_done();
	test_names();
	test_sigpipe(ctx);

	/* Servers first (all forks before any client socket exists). */
	for (i = 0; i < NSC; i++)
		spawn(&sc[i]);
	for (i = 0; i < NSC; i++) {
		if (sc[i].want == SMTP_REFUSED)
			sc[i].port = closed_port();
	}

	log_trace_set(trace_hook, 1);
	loop = evloop_new();
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	for (i = 0; i < NSC; i++) {
		if (sc[i].skip) {
			ncb++;
			continue;
		}
		memset(&cfg, 0, sizeof(cfg));
		cfg.ehlo_name = sc[i].ehlo_name ? sc[i].ehlo_name :
		    "probe.test";
		cfg.port = sc[i].port;
		cfg.rcpt_domain = sc[i].rcpt_domain;
		cfg.step_timeout_ms = sc[i].step_ms;
		cfg.deadline_ms = sc[i].deadline_ms;
		cfg.tls = sc[i].use_ca ? ctx_ca : ctx;
		if (sc[i].v6)
			smtp_session_start(loop, &cfg,
			    (struct sockaddr *)&sin6, sizeof(sin6),
			    sc[i].mxhost, done, &sc[i]);
		else
			smtp_session_start(loop, &cfg,
			    (struct sockaddr *)&sin, sizeof(sin),
			    sc[i].mxhost ? sc[i].mxhost : "x.test", done,
			    &sc[i]);
	}
	is_int(ncb, (int)nskipped(), "no callback before the loop runs");
	evloop_run(loop);
	is_int(ncb, NSC, "every session called back once");

	for (i = 0; i < NSC; i++) {
		collect(&sc[i]);
		check_common(&sc[i]);
	}
	check_specific();
	log_trace_set(NULL, 0);
	{
		char pfx[256];
		size_t k;
		int found = 0;

		/* The first scenario: banner and TLS summary. */
		snprintf(pfx, sizeof(pfx), "mx.test[127.0.0.1]:%u ",
		    (unsigned)sc[0].port);
		for (k = 0; k < ntrace; k++) {
			if (strncmp(trace[k], pfx, strlen(pfx)) != 0)
				continue;
			if (strcmp(trace[k] + strlen(pfx),
			    "S: 220 mx.test ESMTP test") == 0)
				found |= 1;
			if (strncmp(trace[k] + strlen(pfx), "TLS: TLSv1.", 11)
			    == 0 && strstr(trace[k], "subject \"CN=mx.test\"")
			    != NULL && strstr(trace[k], "verify failed: ") !=
			    NULL)
				found |= 2;
		}
		ok(found == 3, "trace: the banner line and the TLS summary "
		    "(self-signed: verify failed)");
		for (k = 0; k < ntrace; k++)
			free(trace[k]);
		free(trace);
	}
	test_misc(loop, ctx);

	for (i = 0; i < NSC; i++)
		smtp_result_free(sc[i].res);
	evloop_free(loop);
	tls_ctx_free(ctx);
	tls_ctx_free(ctx_ca);
	X509_free(cert);
	EVP_PKEY_free(pkey);
	X509_free(ca_cert);
	X509_free(leaf_cert);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	unlink(cafile);
	buf_free(why);
	return tap_done();
}
