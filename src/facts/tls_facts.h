/*
 * tls_facts - what a TLS handshake showed about a peer: protocol, cipher,
 * key-exchange group, the presented chain described certificate by
 * certificate, the PKIX verdicts computed on it and the DANE check (RFC
 * 7672 section 3). Plain types: the OpenSSL objects stay in net/tls.c.
 *
 * API:
 *	tls_facts_init(f) / tls_facts_clear(f)
 *	tls_cert_facts_clear(cf)
 *	tls_dane_usage_name(u)		"DANE-EE", "PKIX-TA", ... (RFC 7218)
 *	tls_close_name(c)		"CLOSE_NOTIFY", "UNCLEAN",
 *		"TRUNCATED_RECORD"; NULL for TLS_CLOSE_NONE
 */
#ifndef MXPROBE_TLS_FACTS_H
#define MXPROBE_TLS_FACTS_H

#include <stddef.h>

#define TLS_CHAIN_MAX	10
#define TLS_SAN_MAX	100

/* RFC 6698 section 2.1 fields; RFC 7218 names. */
#define TLS_TLSA_PKIX_TA	0
#define TLS_TLSA_PKIX_EE	1
#define TLS_TLSA_DANE_TA	2
#define TLS_TLSA_DANE_EE	3

/*
 * How the peer ended a TLS stream, when it did (RFC 8446 section 6.1,
 * RFC 5246 section 7.2.1): with a close_notify alert, or by closing the
 * TCP connection without one, at a record boundary or in the middle of a
 * record. Only close_notify tells the reader it has seen all the data;
 * the other two are a truncation (an attacker or a broken middlebox can
 * cut a stream there).
 */
enum tls_close {
	TLS_CLOSE_NONE,		/* the peer did not end the stream */
	TLS_CLOSE_NOTIFY,	/* close_notify: a clean end */
	TLS_CLOSE_UNCLEAN,	/* TCP closed at a record boundary */
	TLS_CLOSE_TRUNCATED,	/* TCP closed in the middle of a record */
	TLS_CLOSE_COUNT
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
	int	  verify_issuer_unknown; /* the issuer of a presented
				 * certificate is neither presented nor
				 * trusted (X509_V_ERR_UNABLE_TO_GET_
				 * ISSUER_CERT_LOCALLY) */
	char	 *verify_error_str; /* X509_verify_cert_error_string(), e.g.
				 * "self-signed certificate"; "ok" */
	char	 *name_checked;	/* the MX host name compared (no trailing
				 * dot), NULL if none was given */
	int	  name_ok;	/* 1 if the leaf matches name_checked */
	char	 *name_matched;	/* the certificate's name that matched
				 * ("*.example.com"), NULL if none */

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

void		 tls_facts_init(struct tls_facts *);
void		 tls_facts_clear(struct tls_facts *);
void		 tls_cert_facts_clear(struct tls_cert_facts *);
const char	*tls_dane_usage_name(int);
const char	*tls_close_name(enum tls_close);

#endif
