/*
 * fuzz_cert - a certificate as a peer presents it (DER, or PEM as in
 * --ca-file) into tls_cert_facts(), the function that turns an X509 into
 * the facts a report shows, and tls_check_name(). Undecodable bytes are
 * simply no certificate; a decoded one gives a subject, an issuer, at
 * most TLS_SAN_MAX names and NUL-terminated dates.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "fuzz.h"
#include "net/tls.h"

const char	fuzz_corpus[] = "cert";
const unsigned	fuzz_mutations = 10000;

int
exercise(const uint8_t *p, size_t n)
{
	const unsigned char *q = p;
	struct tls_cert_facts cf;
	char *matched = NULL;
	X509 *x;
	BIO *b;
	size_t i;
	int good = 1;

	if ((x = d2i_X509(NULL, &q, (long)n)) == NULL) {
		if ((b = BIO_new_mem_buf(p, (int)n)) == NULL)
			return 0;
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	if (x == NULL)
		return 1;
	memset(&cf, 0, sizeof(cf));
	tls_cert_facts(x, &cf);
	if (cf.subject == NULL || cf.issuer == NULL ||
	    cf.nsan_dns > TLS_SAN_MAX ||
	    memchr(cf.not_before, '\0', sizeof(cf.not_before)) == NULL ||
	    memchr(cf.not_after, '\0', sizeof(cf.not_after)) == NULL ||
	    memchr(cf.key_type, '\0', sizeof(cf.key_type)) == NULL)
		good = 0;
	for (i = 0; good && i < cf.nsan_dns; i++)
		if (cf.san_dns[i] == NULL)
			good = 0;
	if (tls_check_name(x, "mail.example.com", &matched) == 1 &&
	    matched == NULL)
		good = 0;
	free(matched);
	tls_cert_facts_clear(&cf);
	X509_free(x);
	return good;
}
