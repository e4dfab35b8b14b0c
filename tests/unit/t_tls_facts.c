/* Unit tests for src/facts/tls_facts.c: DANE usage names, clearing. */
#include <stdlib.h>
#include <string.h>

#include "facts/tls_facts.h"
#include "util/xalloc.h"
#include "tap.h"

int
main(void)
{
	struct tls_facts f;

	is_str(tls_dane_usage_name(TLS_TLSA_PKIX_TA), "PKIX-TA", "usage 0");
	is_str(tls_dane_usage_name(TLS_TLSA_PKIX_EE), "PKIX-EE", "usage 1");
	is_str(tls_dane_usage_name(TLS_TLSA_DANE_TA), "DANE-TA", "usage 2");
	is_str(tls_dane_usage_name(TLS_TLSA_DANE_EE), "DANE-EE", "usage 3");
	is_str(tls_dane_usage_name(4), "?", "usage 4 is unknown");
	is_str(tls_dane_usage_name(-1), "?", "usage -1 is unknown");
	ok(tls_close_name(TLS_CLOSE_NONE) == NULL, "no close: no name (JSON "
	    "null)");
	is_str(tls_close_name(TLS_CLOSE_NOTIFY), "CLOSE_NOTIFY", "close_notify");
	is_str(tls_close_name(TLS_CLOSE_UNCLEAN), "UNCLEAN", "unclean close");
	is_str(tls_close_name(TLS_CLOSE_TRUNCATED), "TRUNCATED_RECORD",
	    "a record cut");
	ok(tls_close_name(TLS_CLOSE_COUNT) == NULL &&
	    tls_close_name((enum tls_close)-1) == NULL, "out of range: NULL");

	tls_facts_init(&f);
	ok(f.chain == NULL && f.nchain == 0 && f.version == NULL &&
	    f.dane_checked == 0, "init: empty");
	f.version = xstrdup("TLSv1.3");
	f.cipher = xstrdup("TLS_AES_256_GCM_SHA384");
	f.chain = xcalloc(1, sizeof(*f.chain));
	f.nchain = 1;
	f.chain[0].subject = xstrdup("CN=mx.example.com");
	f.chain[0].san_dns = xcalloc(1, sizeof(char *));
	f.chain[0].san_dns[0] = xstrdup("mx.example.com");
	f.chain[0].nsan_dns = 1;
	f.name_checked = xstrdup("mx.example.com");
	f.dane_why = xstrdup("no TLSA record matched");
	f.verify_ok = 1;
	tls_facts_clear(&f);
	ok(f.chain == NULL && f.nchain == 0 && f.version == NULL &&
	    f.name_checked == NULL && f.dane_why == NULL && f.verify_ok == 0,
	    "clear: freed and zeroed");
	tls_facts_clear(&f);
	ok(1, "clear twice is harmless");
	return tap_done();
}
