/* Unit tests for src/app/cli.c: domain validation and option errors. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "app/cli.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*in;
	const char	*want;		/* NULL: rejected */
} domains[] = {
	{ "plain", "Example.COM", "example.com" },
	{ "trailing dot", "example.com.", "example.com" },
	{ "underscore", "_dmarc.example.com", "_dmarc.example.com" },
	{ "empty", "", NULL },
	{ "only a dot", ".", NULL },
	{ "empty label", "a..b", NULL },
	{ "leading dot", ".a.b", NULL },
	{ "space", "a b.com", NULL },
	{ "U-label", "b\xc3\xbc" "cher.de", "xn--bcher-kva.de" },
	{ "label of 63", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaa.com", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaa.com" },
	{ "label of 64", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaa.com", NULL },
};

/* --propagation, --wait, --ns-port */
static const struct {
	const char	*name;
	const char	*args;
	const char	*why;		/* NULL: accepted */
	int		 propagation;
	unsigned	 wait_s;
	int		 ns_port;
} prop[] = {
	{ "--propagation", "-d x.com --propagation", NULL, 1, 0, 0 },
	{ "--wait implies --propagation",
	    "-d x.com --wait 60 --expect-mx mx.x.com", NULL, 1, 60, 0 },
	{ "--wait with --old-mx", "-d x.com --wait 1 --old-mx a.x.com", NULL,
	    1, 1, 0 },
	{ "--ns-port", "-d x.com --propagation --ns-port 5300", NULL, 1, 0,
	    5300 },
	{ "--wait without a set", "-d x.com --wait 60", "--expect-mx", 0, 0,
	    0 },
	{ "--wait 0", "-d x.com --wait 0 --expect-mx a.x.com",
	    "--wait wants seconds", 0, 0, 0 },
	{ "--wait too long", "-d x.com --wait 172801 --expect-mx a.x.com",
	    "--wait wants seconds", 0, 0, 0 },
	{ "--ns-port 65536", "-d x.com --ns-port 65536", "--ns-port", 0, 0,
	    0 },
	{ "--propagation with --batch", "--batch - --propagation",
	    "not with --batch", 0, 0, 0 },
};

/* --jobs */
static const struct {
	const char	*name;
	const char	*args;
	const char	*why;		/* NULL: accepted */
	int		 jobs;		/* 0: auto */
} jobs[] = {
	{ "--jobs 2", "--batch - --jobs 2", NULL, 2 },
	{ "--jobs 256", "--batch - --jobs 256", NULL, 256 },
	{ "--jobs auto", "--batch - --jobs 3 --jobs auto", NULL, 0 },
	{ "the default is auto", "--batch -", NULL, 0 },
	{ "--jobs 0", "--batch - --jobs 0", "--jobs wants auto or a number "
	    "from 1 to 256, not \"0\"", 0 },
	{ "--jobs 257", "--batch - --jobs 257", "not \"257\"", 0 },
	{ "--jobs -1", "--batch - --jobs -1", "not \"-1\"", 0 },
	{ "--jobs x", "--batch - --jobs x", "not \"x\"", 0 },
	{ "--jobs 2x", "--batch - --jobs 2x", "not \"2x\"", 0 },
	{ "--jobs with --domain", "-d x.com --jobs 2", "--jobs splits a "
	    "--batch list", 0 },
	{ "--jobs auto with --domain", "-d x.com --jobs auto", "--jobs "
	    "splits", 0 },
};

/*
 * args split on spaces and parsed into o; *copy holds the strings o
 * points into: free it after cli_free(o).
 */
static int
parse_into(const char *args, struct cli *o, struct buf *why, char **copy)
{
	char *v[32], *p;
	int n = 0;

	*copy = strdup(args);
	v[n++] = "mxprobe";
	for (p = strtok(*copy, " "); p != NULL && n < 31;
	    p = strtok(NULL, " "))
		v[n++] = p;
	v[n] = NULL;
	return cli_parse(n, v, o, why);
}

static int
parse(const char *args, struct buf *why)
{
	char *copy;
	int rc;
	struct cli o;

	rc = parse_into(args, &o, why, &copy);
	cli_free(&o);
	free(copy);
	return rc;
}

/* --accept, --accept-file, --cert-warn-days */
static void
test_accept(struct buf *why)
{
	char *v[] = { "mxprobe", "-d", "x.com", "--accept",
	    "FALLBACK_SAME_NETWORK:x.com", "--accept", "SPF_MISSING",
	    "--cert-warn-days", "30", NULL };
	struct cli o;

	buf_reset(why);
	if (ok(cli_parse(9, v, &o, why) == 0, "--accept, --cert-warn-days")) {
		is_int((int)o.naccept, 2, "  two rules kept");
		is_str(o.accept[0], "FALLBACK_SAME_NETWORK:x.com", "  in order");
		is_int(o.cert_warn_days, 30, "  cert warn days");
	}
	cli_free(&o);
	buf_reset(why);
	ok(parse("-d x.com", why) == 0, "defaults");
	buf_reset(why);
	ok(parse("-d x.com --accept NOPE", why) == -1 &&
	    strstr(buf_str(why), "NOPE") != NULL, "unknown code (%s)",
	    buf_str(why));
	buf_reset(why);
	ok(parse("-d x.com --accept-file /nonexistent/accept", why) == -1 &&
	    strstr(buf_str(why), "/nonexistent/accept") != NULL,
	    "missing --accept-file named (%s)", buf_str(why));
	buf_reset(why);
	ok(parse("-d x.com --cert-warn-days -1", why) == -1,
	    "--cert-warn-days -1 rejected");
	buf_reset(why);
	ok(parse("-d x.com --cert-warn-days 3650", why) == 0,
	    "--cert-warn-days 3650 accepted");
	buf_reset(why);
	ok(parse("-d x.com --cert-warn-days 3651", why) == -1,
	    "--cert-warn-days 3651 rejected");
	buf_reset(why);
	ok(parse("-d x.com --cert-warn-days 7d", why) == -1,
	    "--cert-warn-days 7d rejected");
}

int
main(void)
{
	char out[256];
	struct buf *why = buf_new(BUF_WHY_MAX);
	char longname[300];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++) {
		buf_reset(why);
		rc = cli_domain_check(domains[i].in, out, sizeof(out), why);
		if (domains[i].want == NULL)
			ok(rc == -1 && buf_len(why) > 0, "%s rejected (%s)",
			    domains[i].name, buf_str(why));
		else if (ok(rc == 0, "%s accepted", domains[i].name))
			is_str(out, domains[i].want, domains[i].name);
	}
	memset(longname, 0, sizeof(longname));
	for (i = 0; i < 4; i++)
		strcat(longname, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaa.");
	strcat(longname, "com");
	buf_reset(why);
	ok(cli_domain_check(longname, out, sizeof(out), why) == -1 &&
	    strstr(buf_str(why), "253") != NULL, "over 253 rejected");

	buf_reset(why);
	ok(parse("--domain example.com", why) == 0, "minimal command line");
	buf_reset(why);
	ok(parse("", why) == -1 && strstr(buf_str(why), "--domain"),
	    "missing --domain");
	buf_reset(why);
	ok(parse("--domain x.com --bogus", why) == -1 &&
	    strstr(buf_str(why), "--bogus"), "unknown long option named");
	buf_reset(why);
	ok(parse("--domain x.com -Z", why) == -1 &&
	    strstr(buf_str(why), "-Z"), "unknown short option named");
	buf_reset(why);
	ok(parse("--domain x.com --smtp-port 70000", why) == -1,
	    "port out of range");
	buf_reset(why);
	ok(parse("--domain x.com --timeout -1", why) == -1,
	    "negative timeout");
	buf_reset(why);
	ok(parse("--domain x.com --timeout abc", why) == -1,
	    "non-numeric timeout");
	buf_reset(why);
	ok(parse("--domain x.com -4 -6", why) == -1, "-4 and -6 together");
	buf_reset(why);
	ok(parse("--domain x.com extra", why) == -1, "stray argument");
	buf_reset(why);
	ok(parse("--domain", why) == -1 && strstr(buf_str(why), "value"),
	    "option without its value");
	buf_reset(why);
	ok(parse("--domain x.com --https-port 8443", why) == 0,
	    "--https-port");
	buf_reset(why);
	ok(parse("--domain x.com --https-port 0", why) == -1 &&
	    strstr(buf_str(why), "--https-port"), "--https-port 0");
	buf_reset(why);
	ok(parse("--domain x.com --https-port 443x", why) == -1,
	    "--https-port not a number");
	buf_reset(why);
	ok(parse("--domain x.com --spf-ip 192.0.2.1 --spf-ip 2001:db8::1",
	    why) == 0, "--spf-ip IPv4 and IPv6");
	buf_reset(why);
	ok(parse("--domain x.com --spf-ip 192.0.2.256", why) == -1 &&
	    strstr(buf_str(why), "192.0.2.256"), "--spf-ip bad address named");
	buf_reset(why);
	ok(parse("--domain x.com --spf-ip mail.x.com", why) == -1,
	    "--spf-ip wants an address, not a name");
	buf_reset(why);
	ok(parse("--domain x.com --dkim-selector s1 --dkim-selector a.b",
	    why) == 0, "--dkim-selector names");
	buf_reset(why);
	ok(parse("--domain x.com --dkim-selector a..b", why) == -1 &&
	    strstr(buf_str(why), "--dkim-selector"),
	    "--dkim-selector with an empty label");
	/* --warn/--crit: a bare score is a floor, ranges as plugins take. */
	{
		struct cli o;
		char *v[] = { "mxprobe", "-d", "x.com", "--warn", "80",
		    "--crit", "@0:49", NULL };
		char *v2[] = { "mxprobe", "-d", "x.com", "--warn", "50",
		    "--crit", "80", NULL };

		buf_reset(why);
		rc = cli_parse(7, v, &o, why);
		ok(rc == 0 && cli_warn(&o) != NULL && cli_crit(&o) != NULL &&
		    range_floor(cli_warn(&o)) == 80 &&
		    range_alert(cli_warn(&o), 79) &&
		    !range_alert(cli_warn(&o), 80) &&
		    range_alert(cli_crit(&o), 49) &&
		    !range_alert(cli_crit(&o), 50), "--warn 80 --crit @0:49");
		cli_free(&o);
		buf_reset(why);
		rc = cli_parse(7, v2, &o, why);
		ok(rc == -1 && strstr(buf_str(why), "--crit (80:)") != NULL,
		    "--crit floor above --warn floor (%s)", buf_str(why));
		cli_free(&o);
	}
	buf_reset(why);
	ok(parse("--domain x.com", why) == 0, "no thresholds");
	buf_reset(why);
	ok(parse("--domain x.com --warn high", why) == -1 &&
	    strstr(buf_str(why), "--warn wants a score or a range") != NULL,
	    "--warn not a range (%s)", buf_str(why));
	buf_reset(why);
	ok(parse("--domain x.com --crit 20:10", why) == -1 &&
	    strstr(buf_str(why), "start is above the end") != NULL,
	    "--crit reversed range");
	{
		char *a[] = { "mxprobe", "--na", "--bogus", NULL };
		char *b[] = { "mxprobe", "--", "--nagios", NULL };
		char *c[] = { "mxprobe", "--n", NULL };

		ok(cli_wants_nagios(3, a) && !cli_wants_nagios(3, b) &&
		    !cli_wants_nagios(2, c), "cli_wants_nagios");
	}
	for (i = 0; i < sizeof(prop) / sizeof(prop[0]); i++) {
		struct cli o;
		char *copy;

		buf_reset(why);
		rc = parse_into(prop[i].args, &o, why, &copy);
		if (prop[i].why != NULL)
			ok(rc == -1 && strstr(buf_str(why), prop[i].why),
			    "%s (%s)", prop[i].name, buf_str(why));
		else if (ok(rc == 0, "%s", prop[i].name)) {
			is_int(o.propagation, prop[i].propagation,
			    "  propagation");
			is_int(o.wait_s, prop[i].wait_s, "  wait");
			is_int(o.ns_port, prop[i].ns_port, "  ns port");
		}
		cli_free(&o);
		free(copy);
	}
	for (i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
		struct cli o;
		char *copy;

		buf_reset(why);
		rc = parse_into(jobs[i].args, &o, why, &copy);
		if (jobs[i].why != NULL)
			ok(rc == -1 && strstr(buf_str(why), jobs[i].why),
			    "%s rejected (%s)", jobs[i].name, buf_str(why));
		else if (ok(rc == 0, "%s", jobs[i].name))
			is_int(o.jobs, jobs[i].jobs, "  jobs");
		cli_free(&o);
		free(copy);
	}
	test_accept(why);
	buf_free(why);
	return tap_done();
}
