/*
 * tls - OpenSSL client context, stepped non-blocking handshake, and the
 * facts a diagnosis needs about the peer's certificate.
 *
 * Purpose: STARTTLS (RFC 3207) for smtp_session. A bad certificate is a
 * FACT to report, not a reason to hang up: mail servers deliver with
 * opportunistic TLS and accept any certificate unless DANE or MTA-STS
 * says otherwise (RFC 7672 section 1.3, RFC 8461 section 4). So the
 * handshake runs with SSL_VERIFY_NONE, and afterwards tls_conn_facts()
 * verifies the presented chain against the trust store by hand
 * (X509_verify_cert on an X509_STORE_CTX) and checks the MX host name
 * with X509_check_host (RFC 6125 section 6.4, RFC 7817 section 3: DNS-ID
 * from subjectAltName; the subject CN only when there is no dNSName SAN;
 * a wildcard only as the whole left-most label and matching one label).
 *
 * API:
 *	tls_ctx_new(cafile, why)	client context: system trust store
 *		(SSL_CTX_set_default_verify_paths) plus cafile if not NULL
 *		(PEM, for labs: --ca-file). NULL on error, reason in why.
 *	tls_ctx_free(ctx)
 *	tls_conn_new(ctx, fd, sni, why)	client connection on a connected
 *		non-blocking socket; sni is the MX host name (sent as SNI
 *		unless it is an IP literal or NULL). NULL on error.
 *	tls_conn_free(c)		frees the SSL object, not the fd. Does
 *		not send close_notify (the SMTP QUIT already ended things).
 *	tls_handshake_step(c, why)	one step of the handshake
 *	tls_read(c, p, n, &got, why)	TLS_DONE with *got > 0: data;
 *		TLS_DONE with *got == 0: the peer closed; or WANT_* / ERROR
 *	tls_write(c, p, n, &put, why)	TLS_DONE with *put bytes written
 *	tls_conn_facts(c, host, f)	fill f after a finished handshake
 *	tls_conn_peer_chain(c)		STACK_OF(X509) as presented, leaf
 *		first (borrowed; valid until tls_conn_free)
 *	tls_conn_peer_leaf(c)		the leaf (borrowed)
 *	tls_facts_init(f) / tls_facts_clear(f)
 *	tls_cert_facts(x, cf)		facts of one certificate
 *	tls_cert_facts_clear(cf)
 *	tls_check_name(x, host, &matched)  1 if host matches x (matched
 *		is the certificate name that did, malloc'd), 0 if not
 *	tls_verify_chain(ctx, leaf, chain, &err)  1 if the chain verifies
 *		against ctx's trust store, 0 if not (err = X509_V_ERR_*)
 *	tls_step_name(s)		"DONE", ... for logs
 *	tls_conn_dane(c, base, recs, n, secure, why)  DANE for this
 *		connection (call after tls_conn_new, before the handshake):
 *		the TLSA records of base (the MX host name, RFC 7672
 *		section 2.2.2). Returns 0, or -1 with the reason in why
 *		(the connection is still usable, without DANE).
 *	tls_dane_usage_name(u)		"DANE-EE", "PKIX-TA", ... (RFC 7218)
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
 * BUGS: XXX OpenSSL's default security level applies, so
 * a server that only speaks TLS 1.0/1.1 fails the handshake although a
 * lenient sending MTA might still use it; the failure reason says why.
 */
#ifndef MXPROBE_TLS_H
#define MXPROBE_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

struct buf;
struct tls_ctx;
struct tls_conn;

#define TLS_CHAIN_MAX	10
#define TLS_SAN_MAX	100
#define TLS_TLSA_MAX	64	/* records handed to OpenSSL per host */

/* RFC 6698 section 2.1 fields; RFC 7218 names. */
#define TLS_TLSA_PKIX_TA	0
#define TLS_TLSA_PKIX_EE	1
#define TLS_TLSA_DANE_TA	2
#define TLS_TLSA_DANE_EE	3

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

/* One certificate as presented by the peer. */
struct tls_cert_facts {
	char	 *subject;	/* RFC 2253 distinguished name */
	char	 *issuer;	/* RFC 2253 distinguished name */
	char	**san_dns;	/* subjectAltName dNSName entries */
	size_t	  nsan_dns;
	int	  san_truncated; /* 1 if more than TLS_SAN_MAX were present */
	char	  key_type[32];	/* "RSA", "EC", "ED25519", ... or "?" */
	int	  key_bits;	/* key size in bits, 0 if unknown */
	char	  not_before[32]; /* ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" */
	char	  not_after[32];  /* ISO 8601 UTC "YYYY-MM-DDTHH:MM:SSZ" */
	long	  days_left;	/* whole days from now until not_after;
				 * negative once expired */
	int	  self_signed;	/* 1 if issuer == subject and the
				 * signature verifies with its own key */
};

/* What the handshake and the post-handshake checks found. */
struct tls_facts {
	char	 *version;	/* negotiated protocol, "TLSv1.3" */
	char	 *cipher;	/* "TLS_AES_256_GCM_SHA384" */
	char	 *group;	/* key-exchange group "X25519", NULL if
				 * none/unknown (e.g. plain RSA kx) */
	struct tls_cert_facts *chain;	/* presented chain, leaf first */
	size_t	  nchain;
	int	  chain_truncated; /* 1 if more than TLS_CHAIN_MAX */
	int	  verify_ok;	/* 1 if the chain verifies to a trusted root
				 * (system store + --ca-file) */
	int	  verify_error;	/* X509_V_OK or X509_V_ERR_* */
	char	 *verify_error_str; /* X509_verify_cert_error_string(), e.g.
				 * "self-signed certificate"; "ok" */
	char	 *name_checked;	/* the MX host name compared (no trailing
				 * dot), NULL if none was given */
	int	  name_ok;	/* 1 if the leaf matches name_checked */
	char	 *name_matched;	/* the certificate's name that matched
				 * ("*.example.com"), NULL if none */
	STACK_OF(X509) *peer_chain; /* owned reference to the presented
				 * chain, leaf first, for DANE; NULL if
				 * none. Freed by tls_facts_clear(). */

	/* DANE (RFC 7672 section 3); all 0/NULL without TLSA records. */
	int	  dane_checked;	/* usable records were given to OpenSSL
				 * and the chain was checked against them */
	int	  dane_secure;	/* the records were DNSSEC-authenticated */
	int	  dane_ok;	/* verification succeeded through a TLSA
				 * record (SSL_get0_dane_authority >= 0) */
	int	  dane_usable;	/* records OpenSSL took */
	int	  dane_skipped;	/* PKIX-TA/PKIX-EE records left out (RFC
				 * 7672 section 3.1.3) */
	int	  dane_unusable; /* records OpenSSL refused: unsupported
				 * selector or matching type, bad length */
	int	  dane_depth;	/* chain depth the match was at (0 =
				 * leaf); valid when dane_ok */
	int	  dane_usage, dane_selector, dane_mtype; /* the record that
				 * matched; valid when dane_ok */
	char	 *dane_why;	/* why verification failed, or why DANE
				 * could not be set up; NULL when ok */
};

struct tls_ctx	*tls_ctx_new(const char *, struct buf *);
void		 tls_ctx_free(struct tls_ctx *);
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

void		 tls_facts_init(struct tls_facts *);
void		 tls_facts_clear(struct tls_facts *);
void		 tls_cert_facts(X509 *, struct tls_cert_facts *);
void		 tls_cert_facts_clear(struct tls_cert_facts *);
int		 tls_check_name(X509 *, const char *, char **);
int		 tls_verify_chain(struct tls_ctx *, X509 *, STACK_OF(X509) *,
		    int *);
const char	*tls_step_name(enum tls_step);
int		 tls_conn_dane(struct tls_conn *, const char *,
		    const struct tls_tlsa *, size_t, int, struct buf *);
const char	*tls_dane_usage_name(int);

#endif
