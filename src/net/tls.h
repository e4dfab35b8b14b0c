/*
 * tls - OpenSSL client context, stepped non-blocking handshake, and the
 * facts a diagnosis needs about the peer's certificate.
 *
 * Purpose: STARTTLS (RFC 3207) for smtp_session. A bad certificate is a
 * FACT to report, not a reason to hang up: mail servers deliver with
 * opportunistic TLS and accept any certificate unless DANE or MTA-STS
 * says otherwise (RFC 7672 section 1.3, RFC 8461 section 4). So the
 * handshake runs with SSL_VERIFY_NONE (OpenSSL still verifies the chain,
 * once, and keeps the result), and afterwards tls_conn_facts() reads
 * that result (SSL_get_verify_result; with DANE on, whose result that
 * is, the chain is verified by hand against the trust store,
 * X509_verify_cert on an X509_STORE_CTX) and checks the MX host name
 * with X509_check_host (RFC 6125 section 6.4, RFC 7817 section 3: DNS-ID
 * from subjectAltName; the subject CN only when there is no dNSName SAN;
 * a wildcard only as the whole left-most label and matching one label).
 *
 * API:
 *	tls_ctx_new(cafile, why)	client context: system trust store
 *		plus cafile if not NULL (PEM, for labs: --ca-file). One per
 *		run. The system store is OpenSSL's default places
 *		(SSL_CERT_FILE, SSL_CERT_DIR): a hashed directory is looked
 *		up issuer by issuer as chains need it; without one (or
 *		with SSL_CERT_FILE set), the bundle file is parsed the first
 *		time a chain needs it, not here: when a handshake's chain
 *		ends short of an issuer (tls_conn_facts then checks that
 *		chain again, with the bundle and the handshake's
 *		parameters), when DANE is set up (tls_conn_dane: PKIX-TA
 *		and PKIX-EE need the whole store during the handshake) or
 *		by tls_verify_chain. A run whose chains all end at a
 *		--ca-file certificate never parses it.
 *		NULL on error, reason in why.
 *	tls_ctx_bundle_read(ctx)	1 once the bundle was parsed
 *	tls_system_store_env(file, dir)	the SSL_CERT_FILE and SSL_CERT_DIR
 *		values (NULL when unset) for later tls_ctx_new() calls;
 *		app/ reads the environment, this layer does not
 *	tls_ctx_free(ctx)
 *	tls_conn_new(ctx, fd, sni, why)	client connection on a connected
 *		non-blocking socket; sni is the MX host name (sent as SNI
 *		unless it is an IP literal or NULL). NULL on error.
 *	tls_conn_free(c)		frees the SSL object, not the fd. Does
 *		not send close_notify (the SMTP QUIT already ended things).
 *	tls_handshake_step(c, why)	one step of the handshake
 *	tls_read(c, p, n, &got, why)	TLS_DONE with *got > 0: data;
 *		TLS_DONE with *got == 0: the peer sent close_notify, which
 *		why says ("TLS read: the server sent close_notify ..."); or
 *		WANT_* / ERROR (a TCP close without close_notify among them)
 *	tls_write(c, p, n, &put, why)	TLS_DONE with *put bytes written
 *	tls_conn_facts(c, host, f)	fill f after a finished handshake
 *	tls_conn_peer_chain(c)		STACK_OF(X509) as presented, leaf
 *		first (borrowed; valid until tls_conn_free)
 *	tls_conn_peer_leaf(c)		the leaf (borrowed)
 *	tls_cert_facts(x, cf)		facts of one certificate (the
 *		types, tls_facts_clear() and the DANE usage names are in
 *		facts/tls_facts.h)
 *	tls_check_name(x, host, &matched)  1 if host matches x (matched
 *		is the certificate name that did, malloc'd), 0 if not
 *	tls_verify_chain(ctx, leaf, chain, &err)  1 if the chain verifies
 *		against ctx's trust store, 0 if not (err = X509_V_ERR_*)
 *	tls_step_name(s)		"DONE", ... for logs
 *	tls_conn_legacy(c, why)	allow TLS 1.0 and 1.1 on this connection
 *		(minimum version TLS 1.0, security level 0; call before the
 *		handshake): the second handshake that tells a server that
 *		speaks nothing newer (RFC 8996) from a broken one. 0, or -1
 *	tls_conn_version_failed(c)	1 if the handshake failed because
 *		the two ends share no protocol version (a protocol_version
 *		alert, or a version or signature algorithm refused at this
 *		side's security level)
 *	tls_conn_close(c)		how the peer ended the TLS stream
 *		(enum tls_close): after tls_read() saw the end, or after a
 *		step failed because the connection closed. A TCP close
 *		without close_notify is TLS_ERROR with a reason that says
 *		whether it fell in the middle of a record (OpenSSL still
 *		holds the record's first bytes, SSL_has_pending) or at a
 *		record boundary.
 *	tls_conn_dane(c, base, recs, n, secure, why)  DANE for this
 *		connection (call after tls_conn_new, before the handshake):
 *		the TLSA records of base (the MX host name, RFC 7672
 *		section 2.2.2). Returns 0, or -1 with the reason in why
 *		(the connection is still usable, without DANE).
 *
 * DANE (RFC 6698 section 2, RFC 7671, RFC 7672 section 3): only usages
 * DANE-TA(2) and DANE-EE(3) apply to SMTP (RFC 7672 section 3.1.3), so
 * PKIX-TA(0) and PKIX-EE(1) records are skipped and counted. The usable
 * ones go to OpenSSL (SSL_dane_enable, SSL_dane_tlsa_add); DANE-EE
 * ignores the names and the validity dates of the leaf (RFC 7672
 * section 3.1.1, DANE_FLAG_NO_DANE_EE_NAMECHECKS); DANE-TA checks the
 * MX host name (RFC 7672 section 3.2.2, the TLSA base domain only).
 * The handshake still never fails for it: OpenSSL verifies with
 * SSL_VERIFY_NONE and tls_conn_facts() reads the result
 * (SSL_get_verify_result, SSL_get0_dane_authority, SSL_get0_dane_tlsa)
 * into the dane_* facts. The PKIX facts (verify_ok, name_ok) are
 * computed by hand as before and do not depend on DANE. Records are
 * checked whether or not DNSSEC authenticated them (secure): the
 * analysis decides what a sender would make of them.
 *
 * Returns: see above. Every error carries OpenSSL's reason text
 * (ERR_error_string_n) or errno text in why.
 *
 * Limits: at most TLS_CHAIN_MAX certificates and TLS_SAN_MAX dNSNames per
 * certificate are described (a hostile peer may send more; the rest is
 * counted as truncated). Text from certificates is censored to printable
 * ASCII.
 *
 * SIGPIPE: OpenSSL writes to the socket with write(2), so each SSL call
 * runs with SIGPIPE ignored and the previous disposition restored.
 *
 * BUGS: OpenSSL's default security level applies to the first handshake,
 * as it does to most sending MTAs; a server that only speaks TLS 1.0/1.1
 * fails it, and tls_conn_legacy() on a second connection tells so.
 */
#ifndef MXPROBE_TLS_H
#define MXPROBE_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "facts/tls_facts.h"

struct buf;
struct tls_ctx;
struct tls_conn;

#define TLS_TLSA_MAX	64	/* records handed to OpenSSL per host */

/* One TLSA record (RFC 6698 section 2.1). */
struct tls_tlsa {
	uint8_t		 usage;		/* certificate usage */
	uint8_t		 selector;	/* 0 full certificate, 1 SPKI */
	uint8_t		 mtype;		/* 0 exact, 1 SHA-256, 2 SHA-512 */
	unsigned char	*data;		/* certificate association data */
	size_t		 len;
};

enum tls_step {
	TLS_DONE,
	TLS_WANT_READ,
	TLS_WANT_WRITE,
	TLS_ERROR
};

void		 tls_system_store_env(const char *, const char *);
struct tls_ctx	*tls_ctx_new(const char *, struct buf *);
void		 tls_ctx_free(struct tls_ctx *);
int		 tls_ctx_bundle_read(const struct tls_ctx *);
struct tls_conn	*tls_conn_new(struct tls_ctx *, int, const char *,
		    struct buf *);
void		 tls_conn_free(struct tls_conn *);
enum tls_step	 tls_handshake_step(struct tls_conn *, struct buf *);
enum tls_step	 tls_read(struct tls_conn *, void *, size_t, size_t *,
		    struct buf *);
enum tls_step	 tls_write(struct tls_conn *, const void *, size_t, size_t *,
		    struct buf *);
void		 tls_conn_facts(struct tls_conn *, const char *,
		    struct tls_facts *);
STACK_OF(X509)	*tls_conn_peer_chain(const struct tls_conn *);
X509		*tls_conn_peer_leaf(const struct tls_conn *);

void		 tls_cert_facts(X509 *, struct tls_cert_facts *);
int		 tls_check_name(X509 *, const char *, char **);
int		 tls_verify_chain(struct tls_ctx *, X509 *, STACK_OF(X509) *,
		    int *);
const char	*tls_step_name(enum tls_step);
int		 tls_conn_legacy(struct tls_conn *, struct buf *);
int		 tls_conn_version_failed(const struct tls_conn *);
enum tls_close	 tls_conn_close(const struct tls_conn *);
int		 tls_conn_dane(struct tls_conn *, const char *,
		    const struct tls_tlsa *, size_t, int, struct buf *);

#endif
