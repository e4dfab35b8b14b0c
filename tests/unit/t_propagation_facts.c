/*
 * t_propagation_facts - which propagation servers' answers count
 * (answered, judgeable, serves a set) and the exchangers collected from
 * the sets that count (propagation_facts_hosts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/propagation_facts.h"
#include "tap.h"

#define A	PROPAGATION_AUTHORITATIVE
#define R	PROPAGATION_RESOLVER
#define IP	"192.0.2.1"

struct pcase {
	const char		*name;
	enum propagation_role	 role;
	const char		*address;
	enum dns_outcome	 outcome;
	int			 aa, referral;
	int			 answered, judgeable, serves_set;
};

/* aa, referral; then the answers wanted: answered, judgeable, a set */
static const struct pcase pcases[] = {
	{ "authoritative, AA, an MX set", A, IP, DNS_OK, 1, 0, 1, 1, 1 },
	{ "authoritative without AA (lame)", A, IP, DNS_OK, 0, 0, 1, 0, 0 },
	{ "authoritative, AA, NODATA", A, IP, DNS_NODATA, 1, 0, 1, 1, 0 },
	{ "authoritative, AA, NXDOMAIN", A, IP, DNS_NXDOMAIN, 1, 0, 1, 1, 0 },
	{ "authoritative, REFUSED", A, IP, DNS_REFUSED, 0, 0, 0, 0, 0 },
	{ "authoritative, timeout", A, IP, DNS_TIMEOUT, 0, 0, 0, 0, 0 },
	{ "name server without an address", A, NULL, DNS_NXDOMAIN, 0, 0,
	    1, 0, 0 },
	{ "resolver, an MX set", R, IP, DNS_OK, 0, 0, 1, 1, 1 },
	{ "resolver, a referral", R, IP, DNS_OK, 0, 1, 1, 0, 0 },
	{ "resolver, SERVFAIL", R, IP, DNS_SERVFAIL, 0, 0, 0, 0, 0 },
};

static void
test_predicates(void)
{
	struct propagation_server s;
	const struct pcase *c;
	char name[120];
	size_t i;

	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		c = &pcases[i];
		memset(&s, 0, sizeof(s));
		s.role = c->role;
		s.name = "ns.ex.test";
		s.address = (char *)c->address;
		s.outcome = c->outcome;
		s.aa = c->aa;
		s.referral = c->referral;
		snprintf(name, sizeof(name), "answered: %s", c->name);
		is_int(propagation_facts_answered(&s), c->answered, name);
		snprintf(name, sizeof(name), "judgeable: %s", c->name);
		is_int(propagation_facts_judgeable(&s), c->judgeable, name);
		snprintf(name, sizeof(name), "serves a set: %s", c->name);
		is_int(propagation_facts_serves_set(&s), c->serves_set, name);
	}
}

/* Only the sets that count give hosts; each once; the null MX never. */
static void
test_hosts(void)
{
	struct propagation_mx m1[] = {
		{ 10, "mx1.ex.test", 0 }, { 20, "mx2.ex.test", 0 }
	};
	struct propagation_mx m2[] = {
		{ 10, "MX1.ex.test.", 0 }, { 30, "mx3.ex.test", 0 }
	};
	struct propagation_mx lame[] = { { 10, "lame.ex.test", 0 } };
	struct propagation_mx null[] = { { 0, ".", 0 } };
	struct propagation_server sv[4];
	struct propagation_facts f;

	memset(sv, 0, sizeof(sv));
	memset(&f, 0, sizeof(f));
	sv[0].role = A, sv[0].address = "192.0.2.1", sv[0].aa = 1;
	sv[0].mx = m1, sv[0].nmx = 2;
	sv[1].role = A, sv[1].address = "192.0.2.2", sv[1].aa = 0;
	sv[1].mx = lame, sv[1].nmx = 1;
	sv[2].role = R, sv[2].address = "192.0.2.9";
	sv[2].mx = m2, sv[2].nmx = 2;
	sv[3].role = R, sv[3].address = "192.0.2.10";
	sv[3].mx = null, sv[3].nmx = 1;
	f.servers = sv;
	f.nservers = 4;
	propagation_facts_hosts(&f);
	is_int(f.nhosts, 3, "three exchangers collected");
	is_str(f.hosts[0], "mx1.ex.test", "in server order");
	is_str(f.hosts[1], "mx2.ex.test", "in preference order");
	is_str(f.hosts[2], "mx3.ex.test",
	    "a name seen again (case, final dot) once; a lame set left out");
	is_str(f.hosts[3], NULL, "NULL-terminated, the null MX left out");
	f.servers = NULL;
	f.nservers = 0;
	propagation_facts_free(NULL);
	ok(1, "propagation_facts_free(NULL) is a no-op");
	/* f lives on the stack: free only what propagation_facts_hosts
	 * allocated. */
	propagation_facts_hosts(&f);
	is_int(f.nhosts, 0, "no servers, no exchangers");
	free(f.hosts);
}

int
main(void)
{
	test_predicates();
	test_hosts();
	return tap_done();
}
