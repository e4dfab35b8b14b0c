/*
 * Unit tests for src/analyze/analyze_cutover.c over literal facts: the MX TTL judged at
 * the authoritative servers, not a cache's count-down; exact and
 * inclusive MX sets; banner patterns.
 */
#include <string.h>

#include "util/buf.h"
#include "analyze/analyze_cutover.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "analyze/analyze.h"
#include "tap.h"

static struct mx_host hosts[2];
static struct mx_set mx;
static struct probe_facts facts;

static void
setup(uint32_t ttl)
{
	memset(hosts, 0, sizeof(hosts));
	memset(&mx, 0, sizeof(mx));
	memset(&facts, 0, sizeof(facts));
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.ttl = ttl;
	mx.hosts = hosts;
	mx.nhost = 2;
	hosts[0].name = "mx1.new.test";
	hosts[0].pref = 10;
	hosts[1].name = "mx2.new.test";
	hosts[1].pref = 20;
	facts.domain = "ex.test";
	facts.mx = &mx;
}

static struct findings *
run(const struct cutover_opts *o)
{
	struct findings *fs = findings_new();

	analyze_cutover(&facts, o, fs);
	return fs;
}

int
main(void)
{
	struct cutover_opts o;
	struct findings *fs;
	struct buf *why = buf_new(BUF_WHY_MAX);
	const char *exact[] = { "mx1.new.test", "MX2.new.test.", NULL };
	const char *partial[] = { "mx1.new.test", NULL };
	const char *other[] = { "mx1.old.test", NULL };
	pcre2_code *re;

	memset(&o, 0, sizeof(o));
	o.max_ttl = 300;

	/* A cache counted 3600 down to 200; the zone still says 3600. */
	setup(200);
	o.auth_ttl = 3600;
	fs = run(&o);
	ok(findings_has(fs, F_MX_TTL_TOO_HIGH), "authoritative TTL 3600 "
	    "over 300, whatever the cache says");
	ok(strstr(findings_get(fs, 0)->message, "authoritative") != NULL,
	    "message says where the TTL comes from");
	findings_free(fs);

	o.auth_ttl = 300;
	setup(3600);
	fs = run(&o);
	ok(!findings_has(fs, F_MX_TTL_TOO_HIGH), "authoritative TTL 300 is "
	    "enough");
	findings_free(fs);

	o.auth_ttl = -1;
	setup(3600);
	fs = run(&o);
	ok(findings_has(fs, F_MX_TTL_TOO_HIGH), "no authoritative TTL: the "
	    "resolver's");
	ok(strstr(findings_get(fs, 0)->message, "resolver") != NULL,
	    "and the message says so");
	findings_free(fs);
	o.max_ttl = -1;

	setup(300);
	o.expect_mx = exact;
	fs = run(&o);
	is_int(findings_count(fs), 0, "exact set, names compared without "
	    "case and final dot");
	findings_free(fs);
	o.expect_mx = partial;
	fs = run(&o);
	ok(findings_has(fs, F_EXPECT_MX_MISMATCH), "exact set with a host "
	    "too many");
	findings_free(fs);
	o.expect_mx = NULL;
	o.expect_contains = partial;
	fs = run(&o);
	is_int(findings_count(fs), 0, "inclusion");
	findings_free(fs);
	o.expect_contains = NULL;
	o.old_mx = other;
	fs = run(&o);
	is_int(findings_count(fs), 0, "old host gone");
	findings_free(fs);
	o.old_mx = partial;
	fs = run(&o);
	ok(findings_has(fs, F_OLD_MX_STILL_LISTED), "old host still listed");
	findings_free(fs);

	re = cutover_banner_compile("^220 mx[12]\\.new", why);
	ok(re != NULL, "pattern compiles");
	is_int(cutover_banner_match(re, "220 mx2.new.test ESMTP"), 1,
	    "banner matches");
	is_int(cutover_banner_match(re, "220 mail.old.test ESMTP"), 0,
	    "banner does not");
	pcre2_code_free(re);
	buf_reset(why);
	re = cutover_banner_compile("a(b", why);
	ok(re == NULL && strstr(buf_str(why), "offset 3") != NULL,
	    "bad pattern: offset named (%s)", buf_str(why));
	buf_free(why);
	return tap_done();
}
