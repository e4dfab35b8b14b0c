/*
 * tls_facts - freeing TLS facts and the DANE usage names; see tls_facts.h.
 */
#include <stdlib.h>
#include <string.h>

#include "facts/tls_facts.h"

static const char *const usage_names[] = {
	"PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"
};

const char *
tls_dane_usage_name(int u)
{
	if (u < 0 || u > TLS_TLSA_DANE_EE)
		return "?";
	return usage_names[u];
}

static const char *const close_names[TLS_CLOSE_COUNT] = {
	[TLS_CLOSE_NONE] = NULL,
	[TLS_CLOSE_NOTIFY] = "CLOSE_NOTIFY",
	[TLS_CLOSE_UNCLEAN] = "UNCLEAN",
	[TLS_CLOSE_TRUNCATED] = "TRUNCATED_RECORD",
};

const char *
tls_close_name(enum tls_close c)
{
	if ((int)c < 0 || c >= TLS_CLOSE_COUNT)
		return NULL;
	return close_names[c];
}

void
tls_facts_init(struct tls_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void
tls_facts_clear(struct tls_facts *f)
{
	size_t i;

	free(f->version);
	free(f->cipher);
	free(f->group);
	for (i = 0; i < f->nchain; i++)
		tls_cert_facts_clear(&f->chain[i]);
	free(f->chain);
	free(f->verify_error_str);
	free(f->name_checked);
	free(f->name_matched);
	free(f->dane_why);
	tls_facts_init(f);
}

void
tls_cert_facts_clear(struct tls_cert_facts *cf)
{
	size_t i;

	free(cf->subject);
	free(cf->issuer);
	for (i = 0; i < cf->nsan_dns; i++)
		free(cf->san_dns[i]);
	free(cf->san_dns);
	memset(cf, 0, sizeof(*cf));
}
