/* tls - OpenSSL client side for STARTTLS; see tls.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/addr.h"
#include "util/buf.h"
#include "net/tls.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

struct tls_ctx {
	SSL_CTX	*ctx;
	char	*sysfile;	/* system bundle, parsed when a chain
				 * first needs it; NULL once loaded or
				 * unused */
	int	 sysread;	/* the bundle was parsed */
	int	 dane_ready;	/* SSL_CTX_dane_enable: 0 not yet, 1 done,
				 * -1 failed */
};

struct tls_conn {
	struct tls_ctx	*ctx;
	SSL		*ssl;
	int		 pending;	/* made while the bundle waited: its
					 * chain may be checked without it */
	int		 dane_on;	/* SSL_dane_enable done, records in */
	int		 dane_secure;
	int		 dane_usable;
	int		 dane_skipped;
	int		 dane_unusable;
	char		*dane_why;	/* set-up failure, or NULL */
	int		 version_failed; /* the handshake failed over the
					 * protocol version */
	enum tls_close	 closed;	/* how the peer ended the stream */
};

static const char *const step_names[] = {
	[TLS_DONE] = "DONE",
	[TLS_WANT_READ] = "WANT_READ",
	[TLS_WANT_WRITE] = "WANT_WRITE",
	[TLS_ERROR] = "ERROR",
};

const char *
tls_step_name(enum tls_step s)
{
	if ((int)s < 0 || s > TLS_ERROR)
		return "?";
	return step_names[s];
}

static int	ssl_reasons_version(struct buf *, int *);

/* Append OpenSSL's queued reasons (oldest first) to why and empty the
 * queue. Returns the number of reasons found. */
static int
ssl_reasons(struct buf *why)
{
	return ssl_reasons_version(why, NULL);
}

/*
 * The reasons that say the two ends share no protocol version: the
 * server's protocol_version alert (RFC 8446 section 6.2, RFC 5246 section
 * 7.2.2), or a version or signature algorithm this side refuses at its
 * security level (a TLS 1.0/1.1 server hello, SHA-1 signatures).
 */
static int
version_reason(unsigned long e)
{
	if (ERR_GET_LIB(e) != ERR_LIB_SSL)
		return 0;
	switch (ERR_GET_REASON(e)) {
	case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
	case SSL_R_UNSUPPORTED_PROTOCOL:
	case SSL_R_VERSION_TOO_LOW:
	case SSL_R_NO_PROTOCOLS_AVAILABLE:
	case SSL_R_LEGACY_SIGALG_DISALLOWED_OR_UNSUPPORTED:
		return 1;
	default:
		return 0;
	}
}

/* As ssl_reasons(), and *version = 1 if a reason is version_reason(). */
static int
ssl_reasons_version(struct buf *why, int *version)
{
	unsigned long e;
	char s[256];
	int n = 0;

	while ((e = ERR_get_error()) != 0) {
		if (version != NULL && version_reason(e))
			*version = 1;
		ERR_error_string_n(e, s, sizeof(s));
		if (why != NULL)
			buf_printf(why, "%s%s", n ? "; " : "", s);
		n++;
	}
	return n;
}

/* A directory of certificates named by subject hash (c_rehash). */
static int
dir_is_hashed(const char *dir)
{
	struct dirent *e;
	DIR *d;
	size_t i;
	int found = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while (!found && (e = readdir(d)) != NULL) {
		for (i = 0; i < 8 && isxdigit((unsigned char)e->d_name[i]);
		    i++)
			;
		found = i == 8 && e->d_name[8] == '.' &&
		    isdigit((unsigned char)e->d_name[9]);
	}
	closedir(d);
	return found;
}

/*
 * The system trust store, where OpenSSL's defaults say (or where
 * tls_system_store_env() was told: app/ reads SSL_CERT_FILE and
 * SSL_CERT_DIR). A hashed directory is looked
 * up one issuer at a time, as chains need it, so nothing is read now;
 * without one, the bundle file is left in *file for trust_load() at the
 * first handshake. -1 on error.
 */
static const char *store_file_env, *store_dir_env;

void
tls_system_store_env(const char *file, const char *dir)
{
	store_file_env = file;
	store_dir_env = dir;
}

static int
trust_system(SSL_CTX *ctx, char **file)
{
	const char *f, *dir;

	*file = NULL;
	f = store_file_env;
	dir = store_dir_env;
	if (dir == NULL)
		dir = X509_get_default_cert_dir();
	if (f == NULL && dir_is_hashed(dir)) {
		if (X509_STORE_load_path(SSL_CTX_get_cert_store(ctx),
		    dir) != 1)
			return -1;
		return 0;
	}
	*file = xstrdup(f != NULL ? f : X509_get_default_cert_file());
	return 0;
}

struct tls_ctx *
tls_ctx_new(const char *cafile, struct buf *why)
{
	struct tls_ctx *t;
	SSL_CTX *ctx;

	/*
	 * The first initialisation of OpenSSL in a run decides whether
	 * OPENSSL_cleanup() runs at exit: it frees every provider, name
	 * map and table, about 2% of a single-domain run, for a process
	 * that is ending anyway. Everything stays reachable from OpenSSL's
	 * globals, so leak checkers see no leak.
	 */
	(void)OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
	ERR_clear_error();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		buf_printf(why, R_("SSL_CTX_new: "));
		ssl_reasons(why);
		return NULL;
	}
	/* Verification is read after the handshake: a bad certificate is
	 * a fact to report, not a failed connection. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	/* A session mostly waits for the server's next reply: its read
	 * and write buffers (about 34 KiB) go back while they are empty,
	 * so memory follows the sessions busy at a time, not those open. */
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	t = xcalloc(1, sizeof(*t));
	if (trust_system(ctx, &t->sysfile) == -1) {
		buf_printf(why, R_("cannot load the system trust store: "));
		ssl_reasons(why);
		SSL_CTX_free(ctx);
		free(t);
		return NULL;
	}
	if (cafile != NULL &&
	    SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) {
		buf_printf(why, R_("cannot load CA file %s: "), cafile);
		ssl_reasons(why);
		SSL_CTX_free(ctx);
		free(t->sysfile);
		free(t);
		return NULL;
	}
	ERR_clear_error();
	t->ctx = ctx;
	return t;
}

/* The system bundle, if it waits: parsing it costs tens of ms. */
static void
trust_load(struct tls_ctx *t)
{
	if (t->sysfile == NULL)
		return;
	/* As SSL_CTX_set_default_verify_paths: a missing bundle is no
	 * error, chains just do not verify. */
	(void)X509_STORE_load_file(SSL_CTX_get_cert_store(t->ctx),
	    t->sysfile);
	ERR_clear_error();
	free(t->sysfile);
	t->sysfile = NULL;
	t->sysread = 1;
}

int
tls_ctx_bundle_read(const struct tls_ctx *t)
{
	return t->sysread;
}

void
tls_ctx_free(struct tls_ctx *t)
{
	if (t == NULL)
		return;
	SSL_CTX_free(t->ctx);
	free(t->sysfile);
	free(t);
}

/* Host name without a trailing dot, malloc'd; NULL for NULL or "". */
static char *
host_nodot(const char *h)
{
	size_t n;

	if (h == NULL)
		return NULL;
	n = strlen(h);
	if (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 0)
		return NULL;
	return xstrndup(h, n);
}

struct tls_conn *
tls_conn_new(struct tls_ctx *t, int fd, const char *sni, struct buf *why)
{
	struct tls_conn *c;
	SSL *ssl;
	unsigned char ip[16];
	char *h;
	int family;

	ERR_clear_error();
	if ((ssl = SSL_new(t->ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		buf_printf(why, R_("SSL_new: "));
		ssl_reasons(why);
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_connect_state(ssl);
	/* RFC 6066 section 3: no IP literals in SNI. */
	h = host_nodot(sni);
	if (h != NULL && addr_parse(h, &family, ip) == -1 &&
	    SSL_set_tlsext_host_name(ssl, h) != 1) {
		buf_printf(why, R_("cannot set SNI %s: "), h);
		ssl_reasons(why);
		free(h);
		SSL_free(ssl);
		return NULL;
	}
	free(h);
	c = xcalloc(1, sizeof(*c));
	c->ctx = t;
	c->ssl = ssl;
	c->pending = t->sysfile != NULL;
	return c;
}

void
tls_conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	SSL_free(c->ssl);
	free(c->dane_why);
	free(c);
}

int
tls_conn_legacy(struct tls_conn *c, struct buf *why)
{
	/* Debian's OpenSSL allows TLS 1.0/1.1 only at security level 0;
	 * the cipher string's level would raise it again. */
	ERR_clear_error();
	SSL_set_security_level(c->ssl, 0);
	if (SSL_set_min_proto_version(c->ssl, TLS1_VERSION) != 1 ||
	    SSL_set_cipher_list(c->ssl, "DEFAULT:@SECLEVEL=0") != 1) {
		buf_printf(why, R_("cannot allow TLS 1.0/1.1: "));
		ssl_reasons(why);
		return -1;
	}
	return 0;
}

int
tls_conn_version_failed(const struct tls_conn *c)
{
	return c->version_failed;
}

enum tls_close
tls_conn_close(const struct tls_conn *c)
{
	return c->closed;
}

int
tls_conn_dane(struct tls_conn *c, const char *base,
    const struct tls_tlsa *recs, size_t n, int secure, struct buf *why)
{
	struct buf *tmp;
	size_t i;
	char *h;
	int rv;

	if (n == 0)
		return 0;
	/* PKIX-TA and PKIX-EE records are checked against the trust
	 * store during the handshake: the whole store, bundle included. */
	trust_load(c->ctx);
	c->dane_secure = secure;
	if ((h = host_nodot(base)) == NULL) {
		buf_printf(why, R_("DANE: no TLSA base domain"));
		goto fail;
	}
	ERR_clear_error();
	if (c->ctx->dane_ready == 0)
		c->ctx->dane_ready = SSL_CTX_dane_enable(c->ctx->ctx) > 0 ?
		    1 : -1;
	if (c->ctx->dane_ready < 0) {
		buf_printf(why, R_("DANE: SSL_CTX_dane_enable failed: "));
		ssl_reasons(why);
		free(h);
		goto fail;
	}
	/* The base domain is also the reference identifier that DANE-TA
	 * records are checked against (RFC 7672 section 3.2.2). */
	if (SSL_dane_enable(c->ssl, h) <= 0) {
		buf_printf(why, R_("DANE: SSL_dane_enable(%s) failed: "), h);
		ssl_reasons(why);
		free(h);
		goto fail;
	}
	free(h);
	/* RFC 7672 section 3.1.1: a DANE-EE(3) match is all that counts;
	 * the names in the certificate are not checked. */
	SSL_dane_set_flags(c->ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	for (i = 0; i < n && i < TLS_TLSA_MAX; i++) {
		/* RFC 7672 section 3.1.3: PKIX-TA(0) and PKIX-EE(1) are
		 * not for SMTP; a sender treats them as unusable. */
		if (recs[i].usage == TLS_TLSA_PKIX_TA ||
		    recs[i].usage == TLS_TLSA_PKIX_EE) {
			c->dane_skipped++;
			continue;
		}
		rv = SSL_dane_tlsa_add(c->ssl, recs[i].usage,
		    recs[i].selector, recs[i].mtype, recs[i].data,
		    recs[i].len);
		if (rv > 0)
			c->dane_usable++;
		else
			c->dane_unusable++;
		ERR_clear_error();
	}
	c->dane_unusable += (int)(n - i);
	if (c->dane_usable == 0) {
		/* With no usable record OpenSSL falls back to PKIX; that
		 * would not be a DANE result (RFC 7672 section 2.2). */
		tmp = buf_new(BUF_WHY_MAX);
		buf_printf(tmp, R_("no usable TLSA record (%d PKIX-TA/PKIX-EE "
		    "skipped, %d unsupported or malformed)"), c->dane_skipped,
		    c->dane_unusable);
		free(c->dane_why);
		c->dane_why = xstrdup(buf_str(tmp));
		buf_free(tmp);
		/* OpenSSL then verifies as if DANE were off (SSL_dane_enable
		 * (3)); dane_on stays 0 so nothing reads that as DANE. */
		return 0;
	}
	c->dane_on = 1;
	return 0;
fail:
	free(c->dane_why);
	c->dane_why = xstrdup(buf_str(why));
	ERR_clear_error();
	return -1;
}

/*
 * OpenSSL writes to the socket with write(2): a peer that resets the
 * connection under us would raise SIGPIPE and kill the program. Ignore
 * it for the duration of each call and restore the owner's disposition
 * (as curl's sigpipe_ignore() does); one thread, so this is safe.
 */
struct sigpipe_save {
	struct sigaction	old;
	int			saved;
};

static void
sigpipe_ignore(struct sigpipe_save *sv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sv->saved = sigaction(SIGPIPE, &sa, &sv->old) == 0;
}

static void
sigpipe_restore(struct sigpipe_save *sv)
{
	int e = errno;

	if (sv->saved)
		sigaction(SIGPIPE, &sv->old, NULL);
	errno = e;
}

/*
 * How the server ended the stream (c->closed = how), as the reason of
 * the step what: the one wording for a close_notify seen in any step and
 * for a TCP close at a record boundary or inside a record.
 */
static void
closed_by_peer(struct tls_conn *c, enum tls_close how, const char *what,
    struct buf *why)
{
	c->closed = how;
	switch (how) {
	case TLS_CLOSE_NOTIFY:
		buf_printf(why, R_("%s: the server sent close_notify (a "
		    "clean TLS shutdown, not a TCP close)"), what);
		break;
	case TLS_CLOSE_TRUNCATED:
		buf_printf(why, R_("%s: the server closed the connection in "
		    "the middle of a TLS record (a truncated record, no "
		    "close_notify)"), what);
		break;
	case TLS_CLOSE_UNCLEAN:
		buf_printf(why, R_("%s: the server closed the connection "
		    "without a TLS alert or close_notify"), what);
		break;
	default:
		log_panic("tls: no close to tell");
	}
}

/*
 * The peer closed the TCP connection without close_notify: OpenSSL 3
 * queues SSL_R_UNEXPECTED_EOF_WHILE_READING (SSL_ERROR_SSL), 1.1 says
 * SSL_ERROR_SYSCALL with nothing queued and errno 0. A record it had
 * begun to read is still in its buffer: the close cut that record.
 * Returns 1 (reason written, queue emptied) or 0 (not an EOF).
 */
static int
unexpected_eof(struct tls_conn *c, int err, const char *what,
    struct buf *why)
{
	unsigned long e = ERR_peek_error();

	if (err == SSL_ERROR_SYSCALL && e == 0 && errno == 0)
		;
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
	else if (err == SSL_ERROR_SSL && ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
		;
#endif
	else
		return 0;
	ERR_clear_error();
	closed_by_peer(c, SSL_has_pending(c->ssl) ? TLS_CLOSE_TRUNCATED :
	    TLS_CLOSE_UNCLEAN, what, why);
	return 1;
}

/* Map the result of an SSL_* call; the caller cleared the error queue. */
static enum tls_step
map_result(struct tls_conn *c, int rv, const char *what, struct buf *why)
{
	int err = SSL_get_error(c->ssl, rv);

	if (unexpected_eof(c, err, what, why))
		return TLS_ERROR;
	switch (err) {
	case SSL_ERROR_NONE:
		return TLS_DONE;
	case SSL_ERROR_WANT_READ:
		return TLS_WANT_READ;
	case SSL_ERROR_WANT_WRITE:
		return TLS_WANT_WRITE;
	case SSL_ERROR_ZERO_RETURN:
		closed_by_peer(c, TLS_CLOSE_NOTIFY, what, why);
		return TLS_ERROR;
	case SSL_ERROR_SYSCALL:
		buf_printf(why, "%s: ", what);
		if (ssl_reasons_version(why, &c->version_failed) > 0)
			return TLS_ERROR;
		if (errno != 0)
			buf_printf(why, "%s", strerror(errno));
		else
			buf_printf(why, R_("connection closed by peer"));
		return TLS_ERROR;
	default:
		buf_printf(why, "%s: ", what);
		if (ssl_reasons_version(why, &c->version_failed) == 0)
			buf_printf(why, R_("SSL error %d"), err);
		return TLS_ERROR;
	}
}

enum tls_step
tls_handshake_step(struct tls_conn *c, struct buf *why)
{
	struct sigpipe_save sv;
	int rv;

	ERR_clear_error();
	errno = 0;
	sigpipe_ignore(&sv);
	rv = SSL_do_handshake(c->ssl);
	sigpipe_restore(&sv);
	if (rv == 1)
		return TLS_DONE;
	return map_result(c, rv, R_("TLS handshake"), why);
}

enum tls_step
tls_read(struct tls_conn *c, void *p, size_t n, size_t *got, struct buf *why)
{
	struct sigpipe_save sv;
	enum tls_step s;
	int rv;

	*got = 0;
	ERR_clear_error();
	errno = 0;
	sigpipe_ignore(&sv);
	rv = SSL_read_ex(c->ssl, p, n, got);
	sigpipe_restore(&sv);
	if (rv == 1)
		return TLS_DONE;
	/* A clean close_notify is an end of stream, which the caller
	 * judges (why says how it ended); a TCP close without it is
	 * TLS_ERROR (map_result). */
	if (SSL_get_error(c->ssl, rv) == SSL_ERROR_ZERO_RETURN) {
		closed_by_peer(c, TLS_CLOSE_NOTIFY, R_("TLS read"), why);
		return TLS_DONE;
	}
	s = map_result(c, rv, R_("TLS read"), why);
	return s;
}

enum tls_step
tls_write(struct tls_conn *c, const void *p, size_t n, size_t *put,
    struct buf *why)
{
	struct sigpipe_save sv;
	int rv;

	*put = 0;
	ERR_clear_error();
	errno = 0;
	sigpipe_ignore(&sv);
	rv = SSL_write_ex(c->ssl, p, n, put);
	sigpipe_restore(&sv);
	if (rv == 1)
		return TLS_DONE;
	return map_result(c, rv, R_("TLS write"), why);
}

STACK_OF(X509) *
tls_conn_peer_chain(const struct tls_conn *c)
{
	return SSL_get_peer_cert_chain(c->ssl);
}

X509 *
tls_conn_peer_leaf(const struct tls_conn *c)
{
	return SSL_get0_peer_certificate(c->ssl);
}

static char *
censor_dup(const unsigned char *p, size_t n)
{
	char *s;
	size_t i;

	s = xmalloc(n + 1);
	for (i = 0; i < n; i++)
		s[i] = (p[i] >= 0x20 && p[i] <= 0x7e) ? (char)p[i] : '?';
	s[n] = '\0';
	return s;
}

static char *
name_str(const X509_NAME *name)
{
	BIO *b;
	char *data, *s;
	long n;

	if (name == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
		return xstrdup("");
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253) < 0) {
		BIO_free(b);
		return xstrdup("");
	}
	n = BIO_get_mem_data(b, &data);
	s = censor_dup((const unsigned char *)data, n > 0 ? (size_t)n : 0);
	BIO_free(b);
	return s;
}

static void
time_iso(const ASN1_TIME *t, char *out, size_t sz)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		snprintf(out, sz, "?");
		return;
	}
	strftime(out, sz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
tls_cert_facts(X509 *x, struct tls_cert_facts *cf)
{
	GENERAL_NAMES *gens;
	const GENERAL_NAME *g;
	EVP_PKEY *pk;
	const char *kt;
	int i, n, days, secs;

	memset(cf, 0, sizeof(*cf));
	cf->subject = name_str(X509_get_subject_name(x));
	cf->issuer = name_str(X509_get_issuer_name(x));
	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	n = gens != NULL ? sk_GENERAL_NAME_num(gens) : 0;
	for (i = 0; i < n; i++) {
		g = sk_GENERAL_NAME_value(gens, i);
		if (g->type != GEN_DNS)
			continue;
		if (cf->nsan_dns == TLS_SAN_MAX) {
			cf->san_truncated = 1;
			break;
		}
		cf->san_dns = xreallocarray(cf->san_dns, cf->nsan_dns + 1,
		    sizeof(*cf->san_dns));
		cf->san_dns[cf->nsan_dns++] = censor_dup(
		    ASN1_STRING_get0_data(g->d.dNSName),
		    (size_t)ASN1_STRING_length(g->d.dNSName));
	}
	GENERAL_NAMES_free(gens);

	snprintf(cf->key_type, sizeof(cf->key_type), "?");
	if ((pk = X509_get0_pubkey(x)) != NULL) {
		kt = EVP_PKEY_get0_type_name(pk);
		if (kt == NULL)
			kt = OBJ_nid2sn(EVP_PKEY_get_base_id(pk));
		if (kt != NULL)
			snprintf(cf->key_type, sizeof(cf->key_type), "%s", kt);
		cf->key_bits = EVP_PKEY_get_bits(pk);
	}
	time_iso(X509_get0_notBefore(x), cf->not_before,
	    sizeof(cf->not_before));
	time_iso(X509_get0_notAfter(x), cf->not_after, sizeof(cf->not_after));
	if (ASN1_TIME_diff(&days, &secs, NULL, X509_get0_notAfter(x)) == 1)
		cf->days_left = days - (secs < 0 ? 1 : 0);
	cf->self_signed = X509_self_signed(x, 1) == 1;
	ERR_clear_error();
}

int
tls_check_name(X509 *x, const char *host, char **matched)
{
	char *h, *peer = NULL;
	int rv;

	*matched = NULL;
	if (x == NULL || (h = host_nodot(host)) == NULL)
		return 0;
	/* No partial wildcards ("f*.example.com"): RFC 7817 section 3
	 * allows "*" only as the complete left-most label. OpenSSL already
	 * refuses wildcards in other labels and across labels. */
	rv = X509_check_host(x, h, strlen(h),
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, &peer);
	free(h);
	ERR_clear_error();
	if (rv == 1 && peer != NULL)
		*matched = censor_dup((const unsigned char *)peer,
		    strlen(peer));
	OPENSSL_free(peer);
	return rv == 1;
}

/*
 * X509_verify_cert of leaf and chain against t's whole store (the bundle
 * parsed first if it waits). With ssl, as the handshake itself checked
 * (ssl_verify_cert_chain): its verify parameters and its security level
 * as the authentication level; without, a TLS client's defaults.
 */
static int
verify_chain(struct tls_ctx *t, SSL *ssl, X509 *leaf, STACK_OF(X509) *chain,
    int *err)
{
	X509_STORE_CTX *sctx;
	X509_VERIFY_PARAM *param;
	int rv;

	*err = X509_V_ERR_UNSPECIFIED;
	if (leaf == NULL)
		return 0;
	trust_load(t);
	if ((sctx = X509_STORE_CTX_new()) == NULL)
		return 0;
	if (X509_STORE_CTX_init(sctx, SSL_CTX_get_cert_store(t->ctx), leaf,
	    chain) != 1) {
		X509_STORE_CTX_free(sctx);
		ERR_clear_error();
		return 0;
	}
	/* The purpose and trust settings of a TLS client checking a
	 * server, as SSL_connect() with SSL_VERIFY_PEER would use. */
	X509_STORE_CTX_set_default(sctx, "ssl_server");
	if (ssl != NULL) {
		param = X509_STORE_CTX_get0_param(sctx);
		X509_VERIFY_PARAM_set_auth_level(param,
		    SSL_get_security_level(ssl));
		X509_VERIFY_PARAM_set1(param, SSL_get0_param(ssl));
	}
	rv = X509_verify_cert(sctx);
	*err = X509_STORE_CTX_get_error(sctx);
	if (rv == 1)
		*err = X509_V_OK;
	else if (*err == X509_V_OK)
		*err = X509_V_ERR_UNSPECIFIED;
	X509_STORE_CTX_free(sctx);
	ERR_clear_error();
	return rv == 1;
}

int
tls_verify_chain(struct tls_ctx *t, X509 *leaf, STACK_OF(X509) *chain,
    int *err)
{
	return verify_chain(t, NULL, leaf, chain, err);
}

/*
 * Errors that a certificate in the system bundle could take away: the
 * chain ends at an issuer the store does not hold yet.
 */
static int
issuer_missing(int err)
{
	return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	    err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE ||
	    err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	    err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
}

/* What OpenSSL's DANE verification during the handshake found. */
static void
dane_facts(struct tls_conn *c, struct tls_facts *f)
{
	uint8_t u, sel, mt;
	long vr;
	int depth;

	f->dane_secure = c->dane_secure;
	f->dane_usable = c->dane_usable;
	f->dane_skipped = c->dane_skipped;
	f->dane_unusable = c->dane_unusable;
	f->dane_depth = -1;
	f->dane_usage = f->dane_selector = f->dane_mtype = -1;
	if (!c->dane_on) {
		if (c->dane_why != NULL)
			f->dane_why = xstrdup(c->dane_why);
		return;
	}
	f->dane_checked = 1;
	vr = SSL_get_verify_result(c->ssl);
	depth = SSL_get0_dane_tlsa(c->ssl, &u, &sel, &mt, NULL, NULL);
	if (vr == X509_V_OK && depth >= 0 &&
	    SSL_get0_dane_authority(c->ssl, NULL, NULL) >= 0) {
		f->dane_ok = 1;
		f->dane_depth = depth;
		f->dane_usage = u;
		f->dane_selector = sel;
		f->dane_mtype = mt;
		return;
	}
	f->dane_why = xstrdup(vr != X509_V_OK ?
	    X509_verify_cert_error_string(vr) :
	    "no TLSA record matched the presented chain");
}

void
tls_conn_facts(struct tls_conn *c, const char *host, struct tls_facts *f)
{
	STACK_OF(X509) *chain;
	X509 *leaf;
	const char *g;
	char tmp[32];
	int nid, i, n, err;

	tls_facts_clear(f);
	f->version = xstrdup(SSL_get_version(c->ssl));
	f->cipher = xstrdup(SSL_get_cipher_name(c->ssl));
	nid = SSL_get_negotiated_group(c->ssl);
	if (nid > 0) {
		if (nid & TLSEXT_nid_unknown) {
			snprintf(tmp, sizeof(tmp), "unknown-0x%04x",
			    nid & 0xffff);
			f->group = xstrdup(tmp);
		} else {
			g = SSL_group_to_name(c->ssl, nid);
			if (g == NULL)
				g = OBJ_nid2sn(nid);
			if (g != NULL)
				f->group = xstrdup(g);
		}
	}

	chain = SSL_get_peer_cert_chain(c->ssl);
	leaf = SSL_get0_peer_certificate(c->ssl);
	n = chain != NULL ? sk_X509_num(chain) : 0;
	if (n > TLS_CHAIN_MAX) {
		f->chain_truncated = 1;
		n = TLS_CHAIN_MAX;
	}
	if (n > 0) {
		f->chain = xcalloc((size_t)n, sizeof(*f->chain));
		for (i = 0; i < n; i++)
			tls_cert_facts(sk_X509_value(chain, i), &f->chain[i]);
		f->nchain = (size_t)n;
	}

	/*
	 * The handshake verified the chain already (SSL_VERIFY_NONE only
	 * keeps a failure from ending it): read its result. With DANE on,
	 * that result is DANE's, so PKIX is checked on its own. A chain
	 * the handshake found short of an issuer while the system bundle
	 * was not parsed yet is checked again, once, with it.
	 */
	if (c->dane_on)
		f->verify_ok = tls_verify_chain(c->ctx, leaf, chain, &err);
	else if (leaf == NULL) {
		f->verify_ok = 0;
		err = X509_V_ERR_UNSPECIFIED;
	} else {
		err = (int)SSL_get_verify_result(c->ssl);
		f->verify_ok = err == X509_V_OK;
		/* Maybe checked before the system bundle was parsed (for
		 * this session or, in between, for another one), and short
		 * of an issuer: check again with it (see tls.h). */
		if (!f->verify_ok && c->pending && issuer_missing(err))
			f->verify_ok = verify_chain(c->ctx, c->ssl, leaf,
			    chain, &err);
	}
	f->verify_error = err;
	f->verify_issuer_unknown = err ==
	    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
	f->verify_error_str = xstrdup(X509_verify_cert_error_string(err));
	f->name_checked = host_nodot(host);
	if (f->name_checked != NULL)
		f->name_ok = tls_check_name(leaf, f->name_checked,
		    &f->name_matched);
	dane_facts(c, f);
	ERR_clear_error();
}
