/*
 * Throwaway X.509 certificates for the TLS tests (t_dane, t_tls_trust,
 * t_smtp_session), made with the OpenSSL API.
 */
#ifndef T_CERTS_H
#define T_CERTS_H

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#define CERT_DAY	86400L		/* seconds */

/* Issued by ca/cakey, or self-signed when ca is NULL. A CA certificate
 * when san is NULL. Valid from start to end seconds from now (negative:
 * in the past). */
static X509 * __attribute__((unused))
make_cert(EVP_PKEY *pk, const char *cn, const char *san, long start,
    long end, X509 *ca, EVP_PKEY *cakey)
{
	X509 *x;
	X509_NAME *n;
	X509_EXTENSION *e;
	X509V3_CTX v3;

	x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), start);
	X509_gmtime_adj(X509_getm_notAfter(x), end);
	X509_set_pubkey(x, pk);
	n = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(x, ca ? X509_get_subject_name(ca) : n);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, ca ? ca : x, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &v3, san ? NID_subject_alt_name :
	    NID_basic_constraints, san ? san : "critical,CA:TRUE");
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	X509_sign(x, ca ? cakey : pk, EVP_sha256());
	return x;
}

#endif
