/*
 * Tests for the trust store of src/net/tls.c: the system bundle
 * (SSL_CERT_FILE) is parsed only when a chain needs it, and a chain's
 * verdict is the same as with the bundle parsed before the handshake.
 *
 * Each case is a handshake over a socketpair in this process (the server
 * side a plain OpenSSL server), then tls_conn_facts(). Certificates are
 * made here: CA "Lab CA" in the --ca-file, CA "System CA" in the bundle,
 * leaves issued by each (one expired), and a self-signed leaf.
 */
#include <sys/socket.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "facts/tls_facts.h"
#include "net/tls.h"
#include "util/buf.h"
#include "certs.h"
#include "tap.h"

static void
write_pem(const char *path, X509 *x)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL || PEM_write_X509(fp, x) != 1) {
		perror(path);
		exit(1);
	}
	fclose(fp);
}

static void (*between)(struct tls_ctx *);

/* One handshake with a server presenting leaf (issued by nobody in the
 * chain sent: the leaf alone); the client's facts in *f. 0 when the
 * handshake finished. When set, between() runs after the handshake and
 * before tls_conn_facts (another session finishing in the meantime). */
static int
handshake(struct tls_ctx *ctx, X509 *leaf, EVP_PKEY *key,
    struct tls_facts *f)
{
	SSL_CTX *sctx;
	SSL *srv;
	struct tls_conn *c;
	struct buf *why = buf_new(256);
	enum tls_step st = TLS_WANT_READ;
	int sv[2], i, sdone = 0, rv = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == -1)
		return -1;
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	sctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(sctx, leaf);
	SSL_CTX_use_PrivateKey(sctx, key);
	srv = SSL_new(sctx);
	SSL_set_fd(srv, sv[1]);
	SSL_set_accept_state(srv);
	c = tls_conn_new(ctx, sv[0], "mx.test", why);
	for (i = 0; c != NULL && i < 100 && !(st == TLS_DONE && sdone); i++) {
		if (st != TLS_DONE)
			st = tls_handshake_step(c, why);
		if (st == TLS_ERROR)
			break;
		if (!sdone && SSL_do_handshake(srv) == 1)
			sdone = 1;
	}
	if (c != NULL && st == TLS_DONE) {
		if (between != NULL)
			between(ctx);
		tls_conn_facts(c, "mx.test", f);
		rv = 0;
	} else
		diag("handshake: %s", buf_str(why));
	tls_conn_free(c);
	SSL_free(srv);
	SSL_CTX_free(sctx);
	close(sv[0]);
	close(sv[1]);
	buf_free(why);
	ERR_clear_error();
	return rv;
}

/* The session that finishes in between: a self-signed leaf, whose
 * check parses the bundle. */
static X509 *other_cert;
static EVP_PKEY *other_key;
static int other_ok = -1;

static void
other_session(struct tls_ctx *ctx)
{
	struct tls_facts g;

	memset(&g, 0, sizeof(g));
	between = NULL;
	if (handshake(ctx, other_cert, other_key, &g) == 0)
		other_ok = g.verify_ok;
	tls_facts_clear(&g);
}

struct leafcase {
	const char	*name;
	X509		*cert;
	EVP_PKEY	*key;
	int		 want_ok;
	int		 want_err;
	int		 needs_bundle;	/* the bundle is parsed by it */
};

int
main(void)
{
	char dir[] = "/tmp/t_tls_trust.XXXXXX", cafile[300], bundle[300];
	EVP_PKEY *labkey, *syskey, *k1, *k2, *k3, *k4;
	X509 *lab, *sys, *fromlab, *fromsys, *expired, *self;
	struct tls_ctx *lazy, *eager;
	struct tls_facts f;
	struct buf *why = buf_new(256);
	size_t i, j;
	int err;

	memset(&f, 0, sizeof(f));	/* tls_conn_facts clears it first */
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(cafile, sizeof(cafile), "%s/ca.pem", dir);
	snprintf(bundle, sizeof(bundle), "%s/bundle.pem", dir);
	labkey = EVP_EC_gen("P-256");
	syskey = EVP_EC_gen("P-256");
	k1 = EVP_EC_gen("P-256");
	k2 = EVP_EC_gen("P-256");
	k3 = EVP_EC_gen("P-256");
	k4 = EVP_EC_gen("P-256");
	lab = make_cert(labkey, "Lab CA", NULL, -CERT_DAY, CERT_DAY, NULL,
	    NULL);
	sys = make_cert(syskey, "System CA", NULL, -CERT_DAY, CERT_DAY,
	    NULL, NULL);
	fromlab = make_cert(k1, "mx.test", "DNS:mx.test", -CERT_DAY,
	    CERT_DAY, lab, labkey);
	fromsys = make_cert(k2, "mx.test", "DNS:mx.test", -CERT_DAY,
	    CERT_DAY, sys, syskey);
	expired = make_cert(k3, "mx.test", "DNS:mx.test", -2 * CERT_DAY,
	    -CERT_DAY, sys, syskey);
	self = make_cert(k4, "mx.test", "DNS:mx.test", -CERT_DAY, CERT_DAY,
	    NULL, NULL);
	write_pem(cafile, lab);
	write_pem(bundle, sys);

	{
		struct leafcase lc[] = {
			{ "issued by the --ca-file CA", fromlab, k1, 1,
			    X509_V_OK, 0 },
			{ "issued by a bundle CA", fromsys, k2, 1,
			    X509_V_OK, 1 },
			{ "expired, issued by a bundle CA", expired, k3, 0,
			    X509_V_ERR_CERT_HAS_EXPIRED, 1 },
			{ "self-signed", self, k4, 0,
			    X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 1 },
		};
		size_t n = sizeof(lc) / sizeof(lc[0]);

		/* The bundle as SSL_CERT_FILE: parsed when first needed. */
		tls_system_store_env(bundle, NULL);
		for (i = 0; i < n; i++) {
			lazy = tls_ctx_new(cafile, why);
			if (!ok(lazy != NULL, "context (%s)", buf_str(why)))
				return tap_done();
			ok(!tls_ctx_bundle_read(lazy),
			    "the bundle is not parsed by tls_ctx_new");
			/* Every case first (the bundle still waiting), then
			 * the others after it (the bundle maybe parsed). */
			for (j = 0; j < n; j++) {
				struct leafcase *c = &lc[(i + j) % n];
				int before = tls_ctx_bundle_read(lazy);

				if (handshake(lazy, c->cert, c->key, &f)
				    != 0) {
					ok(0, "handshake: %s", c->name);
					continue;
				}
				is_int(f.verify_ok, c->want_ok, c->name);
				is_int(f.verify_error, c->want_err, c->name);
				is_int(f.verify_issuer_unknown, 0, c->name);
				if (j == 0)
					is_int(tls_ctx_bundle_read(lazy),
					    c->needs_bundle, c->needs_bundle ?
					    "first chain short of an issuer: "
					    "the bundle is parsed" :
					    "first chain ends at the --ca-file: "
					    "the bundle stays unparsed");
				else if (before)
					ok(tls_ctx_bundle_read(lazy),
					    "parsed once, stays parsed");
				tls_facts_clear(&f);
			}
			tls_ctx_free(lazy);
		}

		/* The same verdicts with the bundle parsed up front
		 * (tls_verify_chain parses it). */
		eager = tls_ctx_new(cafile, why);
		(void)tls_verify_chain(eager, self, NULL, &err);
		ok(tls_ctx_bundle_read(eager), "tls_verify_chain parses it");
		for (i = 0; i < n; i++) {
			if (handshake(eager, lc[i].cert, lc[i].key, &f) != 0) {
				ok(0, "handshake: %s", lc[i].name);
				continue;
			}
			is_int(f.verify_ok, lc[i].want_ok, lc[i].name);
			is_int(f.verify_error, lc[i].want_err, lc[i].name);
			tls_facts_clear(&f);
		}
		tls_ctx_free(eager);

		/* Two sessions in flight: the first one's chain checked
		 * before the bundle was parsed, the bundle parsed by the
		 * other one in between: the first is still checked with
		 * it. */
		lazy = tls_ctx_new(cafile, why);
		other_cert = self;
		other_key = k4;
		between = other_session;
		if (handshake(lazy, fromsys, k2, &f) == 0) {
			is_int(other_ok, 0, "in between: the self-signed "
			    "session, not verified");
			is_int(f.verify_ok, 1, "a bundle CA's chain checked "
			    "before another session parsed the bundle: "
			    "verified");
			is_int(f.verify_error, X509_V_OK, "no error left");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: two sessions in flight");
		between = NULL;
		tls_ctx_free(lazy);

		/* Without the bundle's CA anywhere: the issuer is unknown,
		 * after the one check with the (empty) bundle. */
		write_pem(bundle, lab);
		lazy = tls_ctx_new(NULL, why);
		if (handshake(lazy, fromsys, k2, &f) == 0) {
			is_int(f.verify_ok, 0, "issuer in neither store");
			is_int(f.verify_error,
			    X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
			    "issuer in neither store: the error");
			is_int(f.verify_issuer_unknown, 1,
			    "issuer in neither store: issuer unknown");
			ok(tls_ctx_bundle_read(lazy), "the bundle was read");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: issuer in neither store");
		if (handshake(lazy, fromlab, k1, &f) == 0) {
			is_int(f.verify_ok, 1, "no --ca-file: a bundle CA "
			    "verifies");
			tls_facts_clear(&f);
		} else
			ok(0, "handshake: bundle CA without --ca-file");
		tls_ctx_free(lazy);
		tls_system_store_env(NULL, NULL);
	}

	unlink(cafile);
	unlink(bundle);
	rmdir(dir);
	X509_free(lab);
	X509_free(sys);
	X509_free(fromlab);
	X509_free(fromsys);
	X509_free(expired);
	X509_free(self);
	EVP_PKEY_free(labkey);
	EVP_PKEY_free(syskey);
	EVP_PKEY_free(k1);
	EVP_PKEY_free(k2);
	EVP_PKEY_free(k3);
	EVP_PKEY_free(k4);
	buf_free(why);
	return tap_done();
}
