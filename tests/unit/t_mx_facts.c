/* Unit tests for src/facts/mx_facts.c: sorting, groups, probed hosts. */
#include <stdlib.h>
#include <string.h>

#include "facts/mx_facts.h"
#include "util/xalloc.h"
#include "tap.h"

static struct mx_set *
set_of(const char *const *names, const uint16_t *prefs, size_t n)
{
	struct mx_set *s;
	size_t i;

	s = xcalloc(1, sizeof(*s));
	s->domain = xstrdup("example.com");
	s->hosts = xcalloc(n, sizeof(*s->hosts));
	s->nhost = n;
	for (i = 0; i < n; i++) {
		s->hosts[i].name = xstrdup(names[i]);
		s->hosts[i].pref = prefs[i];
	}
	return s;
}

static void
test_sort(void)
{
	static const char *const names[] = { "c", "a1", "b", "a2", "d" };
	static const uint16_t prefs[] = { 30, 10, 20, 10, 30 };
	struct mx_set *s;

	s = set_of(names, prefs, 5);
	mx_sort(s->hosts, s->nhost);
	is_str(s->hosts[0].name, "a1", "lowest preference first");
	is_str(s->hosts[1].name, "a2", "stable inside a preference");
	is_str(s->hosts[2].name, "b", "then 20");
	is_str(s->hosts[3].name, "c", "then 30, in published order");
	is_str(s->hosts[4].name, "d", "last");
	ok(s->hosts[0].group == 0 && s->hosts[1].group == 0 &&
	    s->hosts[2].group == 1 && s->hosts[3].group == 2 &&
	    s->hosts[4].group == 2, "equal preferences share a group");
	mx_sort(s->hosts, 0);
	mx_set_free(s);
}

static void
test_probed(void)
{
	static const char *const names[] = {
		"mx.example.com", ".", "MX.Example.com.", "192.0.2.1",
		"mx2.example.com"
	};
	static const uint16_t prefs[] = { 10, 0, 20, 30, 40 };
	struct mx_set *s;

	s = set_of(names, prefs, 5);
	s->hosts[3].ip_literal = 1;
	ok(mx_host_probed(s, 0), "a host name is probed");
	ok(!mx_host_probed(s, 1), "\".\" is not probed");
	ok(!mx_host_probed(s, 2),
	    "a name listed twice (case, final dot) is probed once");
	ok(!mx_host_probed(s, 3), "an address literal is not probed");
	ok(mx_host_probed(s, 4), "another host name is probed");
	mx_set_free(s);
	mx_set_free(NULL);
	ok(1, "mx_set_free(NULL) is a no-op");
}

int
main(void)
{
	test_sort();
	test_probed();
	return tap_done();
}
