/* Unit tests for src/facts/dns_facts.c: name tables, the outcome rule. */
#include <stdlib.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static void
test_outcomes(void)
{
	static const struct {
		enum dns_outcome	 o;
		const char		*name;
		int			 failed;
	} t[] = {
		{ DNS_OK, "OK", 0 },
		{ DNS_NODATA, "NODATA", 0 },
		{ DNS_NXDOMAIN, "NXDOMAIN", 0 },
		{ DNS_SERVFAIL, "SERVFAIL", 1 },
		{ DNS_REFUSED, "REFUSED", 1 },
		{ DNS_TIMEOUT, "TIMEOUT", 1 },
		{ DNS_ERROR, "ERROR", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ok(strcmp(dns_outcome_name(t[i].o), t[i].name) == 0,
		    "outcome name %s", t[i].name);
		ok(dns_outcome_failed(t[i].o) == t[i].failed,
		    "%s is %sa failure", t[i].name, t[i].failed ? "" : "not ");
	}
	is_str(dns_outcome_name((enum dns_outcome)99), "ERROR",
	    "out-of-range outcome is named ERROR");
	is_int(dns_outcome_failed((enum dns_outcome)99), 1,
	    "out-of-range outcome is a failure");
}

static void
test_types(void)
{
	is_str(dns_type_name(DNS_T_MX), "MX", "type name MX");
	is_str(dns_type_name(DNS_T_TLSA), "TLSA", "type name TLSA");
	is_str(dns_type_name(DNS_T_AAAA), "AAAA", "type name AAAA");
	is_str(dns_type_name(123), "TYPE123", "unknown type: TYPE123");
	is_int(dns_type_from_name("mx"), DNS_T_MX, "mx, any case");
	is_int(dns_type_from_name("Tlsa"), DNS_T_TLSA, "Tlsa, any case");
	is_int(dns_type_from_name("TYPE123"), -1, "TYPE123 is not parsed");
	is_int(dns_type_from_name("bogus"), -1, "unknown name");
}

static void
test_rr(void)
{
	struct dns_rr a, b;

	memset(&a, 0, sizeof(a));
	a.owner = xstrdup("example.com");
	a.type = DNS_T_TXT;
	a.ttl = 300;
	a.u.txt.data = xmalloc(6);
	memcpy(a.u.txt.data, "a\0bcd", 6);
	a.u.txt.len = 5;
	a.u.txt.nstr = 2;
	dns_rr_copy(&b, &a);
	ok(b.owner != a.owner && strcmp(b.owner, "example.com") == 0,
	    "copy: owner duplicated");
	ok(b.u.txt.data != a.u.txt.data && b.u.txt.len == 5 &&
	    memcmp(b.u.txt.data, "a\0bcd", 6) == 0,
	    "copy: TXT data with its NUL duplicated");
	is_int(b.ttl, 300, "copy: fields kept");
	dns_rr_free(&a);
	ok(a.owner == NULL && a.u.txt.data == NULL && a.type == 0,
	    "free: cleared");
	dns_rr_free(&b);

	memset(&a, 0, sizeof(a));
	a.owner = xstrdup("example.com");
	a.type = DNS_T_MX;
	a.u.mx.pref = 10;
	a.u.mx.host = xstrdup("mx.example.com");
	dns_rr_copy(&b, &a);
	ok(b.u.mx.host != a.u.mx.host && b.u.mx.pref == 10 &&
	    strcmp(b.u.mx.host, "mx.example.com") == 0, "copy: MX");
	dns_rr_free(&a);
	dns_rr_free(&b);
}

int
main(void)
{
	test_outcomes();
	test_types();
	test_rr();
	return tap_done();
}
