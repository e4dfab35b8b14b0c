#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/findings.h"
#include "util/buf.h"
#include "util/dname.h"
#include "util/i18n.h"
#include "app/cli.h"
#include "app/idn.h"
#include "app/jobs.h"
#include "facts/limits.h"
#include "probe/probe_auth.h"
#include "parse/spf.h"
#include "util/xalloc.h"

enum {
	OPT_RESOLVER = 256,
	OPT_SMTP_PORT,
	OPT_TIMEOUT,
	OPT_STEP_TIMEOUT,
	OPT_DNS_ONLY,
	OPT_RCPT,
	OPT_NO_SHARE,
	OPT_EHLO,
	OPT_CA_FILE,
	OPT_ALLOW_LOOPBACK,
	OPT_ALLOW_DOCUMENTATION,
	OPT_ASSUME_DOWN,
	OPT_SPF_IP,
	OPT_SPF_SENDER,
	OPT_HELO,
	OPT_DKIM_SELECTOR,
	OPT_JSON,
	OPT_VERSION,
	OPT_NAGIOS,
	OPT_WARN,
	OPT_CRIT,
	OPT_COLOUR,
	OPT_EXPECT_MX,
	OPT_EXPECT_CONTAINS,
	OPT_OLD_MX,
	OPT_MAX_TTL,
	OPT_EXPECT_BANNER,
	OPT_BATCH,
	OPT_BASELINE,
	OPT_PARALLEL,
	OPT_LIST_FINDINGS,
	OPT_HTTPS_PORT,
	OPT_PROPAGATION,
	OPT_WAIT,
	OPT_NS_PORT,
	OPT_CSV,
	OPT_ORDER,
	OPT_RESUME,
	OPT_SHARD,
	OPT_JSON_LOCALE,
	OPT_ACCEPT,
	OPT_ACCEPT_FILE,
	OPT_CERT_WARN_DAYS,
	OPT_JOBS,
	OPT_PER_ADDRESS
};

static const struct option longopts[] = {
	{ "domain",		required_argument, NULL, 'd' },
	{ "resolver",		required_argument, NULL, OPT_RESOLVER },
	{ "json",		no_argument,	   NULL, OPT_JSON },
	{ "json-locale",	no_argument,	   NULL, OPT_JSON_LOCALE },
	{ "smtp-port",		required_argument, NULL, OPT_SMTP_PORT },
	{ "timeout",		required_argument, NULL, OPT_TIMEOUT },
	{ "step-timeout",	required_argument, NULL, OPT_STEP_TIMEOUT },
	{ "dns-only",		no_argument,	   NULL, OPT_DNS_ONLY },
	{ "rcpt",		no_argument,	   NULL, OPT_RCPT },
	{ "no-share",		no_argument,	   NULL, OPT_NO_SHARE },
	{ "ehlo",		required_argument, NULL, OPT_EHLO },
	{ "ca-file",		required_argument, NULL, OPT_CA_FILE },
	{ "allow-loopback",	no_argument,	   NULL, OPT_ALLOW_LOOPBACK },
	{ "allow-documentation", no_argument,	   NULL,
	    OPT_ALLOW_DOCUMENTATION },
	{ "assume-down",	required_argument, NULL, OPT_ASSUME_DOWN },
	{ "spf-ip",		required_argument, NULL, OPT_SPF_IP },
	{ "spf-sender",		required_argument, NULL, OPT_SPF_SENDER },
	{ "helo",		required_argument, NULL, OPT_HELO },
	{ "dkim-selector",	required_argument, NULL, OPT_DKIM_SELECTOR },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "nagios",		no_argument,	   NULL, OPT_NAGIOS },
	{ "warn",		required_argument, NULL, OPT_WARN },
	{ "crit",		required_argument, NULL, OPT_CRIT },
	{ "color",		required_argument, NULL, OPT_COLOUR },
	{ "expect-mx",		required_argument, NULL, OPT_EXPECT_MX },
	{ "expect-mx-contains",	required_argument, NULL, OPT_EXPECT_CONTAINS },
	{ "old-mx",		required_argument, NULL, OPT_OLD_MX },
	{ "max-ttl",		required_argument, NULL, OPT_MAX_TTL },
	{ "expect-banner",	required_argument, NULL, OPT_EXPECT_BANNER },
	{ "batch",		required_argument, NULL, OPT_BATCH },
	{ "baseline",		required_argument, NULL, OPT_BASELINE },
	{ "parallel",		required_argument, NULL, OPT_PARALLEL },
	{ "jobs",		required_argument, NULL, OPT_JOBS },
	{ "per-address",	required_argument, NULL, OPT_PER_ADDRESS },
	{ "https-port",		required_argument, NULL, OPT_HTTPS_PORT },
	{ "propagation",	no_argument,	   NULL, OPT_PROPAGATION },
	{ "wait",		required_argument, NULL, OPT_WAIT },
	{ "ns-port",		required_argument, NULL, OPT_NS_PORT },
	{ "csv",		no_argument,	   NULL, OPT_CSV },
	{ "order",		required_argument, NULL, OPT_ORDER },
	{ "resume",		required_argument, NULL, OPT_RESUME },
	{ "shard",		required_argument, NULL, OPT_SHARD },
	{ "accept",		required_argument, NULL, OPT_ACCEPT },
	{ "accept-file",	required_argument, NULL, OPT_ACCEPT_FILE },
	{ "cert-warn-days",	required_argument, NULL, OPT_CERT_WARN_DAYS },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, OPT_VERSION },
	{ "list-findings",	no_argument,	   NULL, OPT_LIST_FINDINGS },
	{ NULL,			0,		   NULL, 0 }
};

void
cli_usage(FILE *fp)
{
	/* TRANSLATORS: keep the option names; align the help texts. */
	fputs(_(
"usage: mxprobe --domain DOMAIN [options]\n"
"       mxprobe --batch FILE [options]\n"
"\n"
"Tells whether mail for DOMAIN will arrive: MX records, every exchanger\n"
"over SMTP and STARTTLS (never DATA or BDAT; MAIL FROM and RCPT TO only\n"
"with --rcpt), SPF, DKIM, DMARC.\n"
"\n"
"  -d, --domain DOMAIN      the mail domain to check\n"
"      --json               JSON report on stdout\n"
"      --json-locale        JSON finding messages in the user's language\n"
"      --resolver ADDR[:PORT]  ask this resolver (repeatable; IPv6 as\n"
"                           [ADDR]:PORT); default /etc/resolv.conf\n"
"      --dns-only           skip the SMTP probe\n"
"      --rcpt               ask each exchanger whether it takes the domain's\n"
"                           mail: MAIL FROM:<>, RCPT TO postmaster and a\n"
"                           random address, RSET (never DATA or BDAT)\n"
"  -4, -6                   probe only IPv4 or only IPv6 addresses\n"
"      --smtp-port PORT     connect to PORT instead of 25 (labs)\n"
"      --timeout SECONDS    overall deadline (default 30)\n"
"      --step-timeout SECONDS  limit for each SMTP step (default 10)\n"
"      --ehlo NAME          name to send in EHLO (default: this host)\n"
"      --ca-file FILE       trust this CA too (private CAs, labs)\n"
"      --allow-loopback     treat 127.0.0.0/8 and ::1 exchangers as\n"
"                           reachable (labs)\n"
"      --allow-documentation  treat the documentation ranges (2001:db8::/32,\n"
"                           192.0.2.0/24, ...) as public (labs)\n"
"      --assume-down HOST   simulate that exchanger being down\n"
"                           (repeatable)\n"
"      --spf-ip ADDR        evaluate SPF for this sending address\n"
"                           (repeatable)\n"
"      --spf-sender ADDR    MAIL FROM for --spf-ip (default\n"
"                           postmaster@DOMAIN)\n"
"      --helo NAME          HELO name for --spf-ip\n"
"      --dkim-selector NAME try this DKIM selector instead of the usual\n"
"                           list (repeatable)\n"
"      --https-port PORT    fetch the MTA-STS policy from PORT instead of\n"
"                           443 (labs)\n"), fp);
	fputs(_(
"MX cutover:\n"
"      --max-ttl SECONDS    the MX TTL must not exceed SECONDS\n"
"      --expect-mx HOST     the MX set must be exactly these hosts\n"
"                           (repeatable)\n"
"      --expect-mx-contains HOST  the MX set must include HOST\n"
"                           (repeatable)\n"
"      --old-mx HOST        HOST must be gone from the MX set; it is\n"
"                           probed to see whether it still answers\n"
"                           (repeatable)\n"
"      --expect-banner REGEX  every banner must match (PCRE2)\n"
"      --baseline FILE      compare with an earlier --json report of the\n"
"                           same domain and list what changed\n"
"      --propagation        ask every authoritative server (without\n"
"                           recursion) and every --resolver on its own\n"
"                           for the MX set: do they agree, is it the\n"
"                           expected one, how long can a resolver's\n"
"                           cached copy live; connects to port 25 of the\n"
"                           exchangers of every MX set it sees, not only\n"
"                           the domain's own (not with --dns-only)\n"
"      --wait SECONDS       before the probe, repeat the --propagation\n"
"                           check (backing off from 2 to 30 s) until the\n"
"                           expected set (--expect-mx, --old-mx) is\n"
"                           everywhere; CRITICAL if SECONDS pass first\n"
"      --ns-port PORT       ask the authoritative servers on PORT\n"
"                           instead of 53 (labs)\n"), fp);
	fputs(_(
"Fleets:\n"
"      --batch FILE         check every domain in FILE (one per line, #\n"
"                           comments; - for stdin); with --json, one\n"
"                           JSON object per line; exit status: the worst\n"
"      --parallel N         domains probed at once (default 16)\n"
"      --jobs N|auto        worker processes that split the list (auto,\n"
"                           the default: one per CPU the process may\n"
"                           use, its affinity mask or its cgroup CPU\n"
"                           quota rounded up when lower, from 100\n"
"                           distinct domains on, else 1); --parallel\n"
"                           and the other limits stay the run's in total\n"
"      --per-address N      SMTP sessions open at once to one server\n"
"                           address, for the whole run (default 20;\n"
"                           0: no cap); more wait in line\n"
"      --no-share           one SMTP session per domain and exchanger\n"
"                           address (default: once per run and address)\n"
"      --csv                one CSV row per domain, after a header\n"
"      --order WHEN         input (default: lines in the order of the\n"
"                           list) or done (as each probe finishes)\n"
"      --resume FILE        skip the domains answered in FILE, an\n"
"                           earlier output (JSON Lines or CSV)\n"
"      --shard K/N          only the domains whose FNV-1a hash modulo N\n"
"                           is K (0 <= K < N)\n"
"                           A name is probed once however often it is\n"
"                           listed; every line is answered. A summary\n"
"                           goes to stderr, a progress line too when it\n"
"                           is a terminal. SIGINT/SIGTERM: no new\n"
"                           domain; exit 130/143 when the probes in\n"
"                           flight are written (a second signal: at\n"
"                           once). A closed stdout stops the run (141).\n"),
	    fp);
	fputs(_(
"Output:\n"
"  -q, --quiet              one summary line instead of the report\n"
"      --nagios             monitoring-plugin output line with\n"
"                           performance data\n"
"      --warn RANGE         WARNING when the score is below RANGE, a\n"
"                           number, or when it raises the alert of a\n"
"                           plugin range (N:, ~:N, N:M, @N:M)\n"
"      --crit RANGE         CRITICAL likewise\n"
"      --accept CODE[:SUBJECT]  a known finding: reported as accepted,\n"
"                           no status, no points (repeatable)\n"
"      --accept-file FILE   --accept rules, one a line (# comments)\n"
"      --cert-warn-days N   warn when a certificate expires within N\n"
"                           days (0 to 3650, default 14)\n"
"      --color WHEN         auto (default: on a terminal, unless\n"
"                           NO_COLOR is set), always, never\n"
"  -v, --verbose            the dialogue on stderr: DNS questions and\n"
"                           answers, SMTP lines (S: and C:), the TLS\n"
"                           handshake, HTTPS requests; -vv adds timings\n"
"  -h, --help               this text\n"
"      --version            the version\n"
"      --list-findings      the findings catalogue as JSON\n"
"\n"), fp);
	fputs(_(
"Exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also usage errors).\n"),
	    fp);
}

static void
list_add(struct cli_list *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 2, sizeof(*l->v));
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
}

/* One --accept rule, checked and kept; -1 with why for an unknown code. */
static int
accept_add(struct cli *o, const char *rule, struct buf *why)
{
	if (finding_accept_code(rule) == -1) {
		buf_printf(why, _("--accept wants a finding code (see "
		    "--list-findings) and an optional :SUBJECT, not \"%s\""),
		    rule);
		return -1;
	}
	o->accept = xreallocarray(o->accept, o->naccept + 1,
	    sizeof(*o->accept));
	o->accept[o->naccept++] = xstrdup(rule);
	return 0;
}

/*
 * --accept-file: one CODE[:SUBJECT] a line; blank lines and # comments
 * skipped, spaces around a rule ignored. A bad line names file and line.
 */
static int
accept_file(struct cli *o, const char *path, struct buf *why)
{
	char line[1024], *s, *e;
	unsigned long lineno = 0;
	FILE *fp;
	int rc = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		buf_printf(why, _("--accept-file %s: %s"), path,
		    strerror(errno));
		return -1;
	}
	while (rc == 0 && fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			buf_printf(why, _("%s:%lu: line too long"), path,
			    lineno);
			rc = -1;
			break;
		}
		if ((s = strchr(line, '#')) != NULL)
			*s = '\0';
		for (s = line; isspace((unsigned char)*s); s++)
			;
		for (e = s + strlen(s); e > s &&
		    isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		if (*s == '\0')
			continue;
		if (finding_accept_code(s) == -1) {
			buf_printf(why, _("%s:%lu: not a finding code "
			    "(CODE[:SUBJECT]): \"%s\""), path, lineno, s);
			rc = -1;
		} else
			rc = accept_add(o, s, why);
	}
	if (rc == 0 && ferror(fp)) {
		buf_printf(why, _("--accept-file %s: read error"), path);
		rc = -1;
	}
	fclose(fp);
	return rc;
}

static int
number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
seconds(const char *s, unsigned *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 3600)
		return -1;
	*ms = (unsigned)(v * 1000 + 0.5);
	if (*ms == 0)
		*ms = 1;
	return 0;
}

/* --shard K/N: two decimal numbers, 0 <= K < N. */
static int
shard(const char *s, unsigned *k, unsigned *n)
{
	char kbuf[16];
	const char *slash;
	long kv, nv;

	if ((slash = strchr(s, '/')) == NULL ||
	    (size_t)(slash - s) >= sizeof(kbuf))
		return -1;
	memcpy(kbuf, s, (size_t)(slash - s));
	kbuf[slash - s] = '\0';
	if (number(kbuf, 0, 65535, &kv) == -1 ||
	    number(slash + 1, 1, 65536, &nv) == -1 || kv >= nv)
		return -1;
	*k = (unsigned)kv;
	*n = (unsigned)nv;
	return 0;
}

int
cli_domain_check(const char *name, char *out, size_t outlen, struct buf *why)
{
	size_t len, pos, i;
	char alabel[256];

	/* A U-label name becomes its A-label form first (app/idn.c). */
	if ((name = idn_domain(name, alabel, sizeof(alabel), why)) == NULL)
		return -1;
	len = strlen(name);
	switch (dname_check(name, len, DNAME_FINAL_DOT | DNAME_UNDERSCORE,
	    &pos)) {
	case DNAME_OK:
		break;
	case DNAME_EMPTY:
		buf_printf(why, R_("the domain name is empty"));
		return -1;
	case DNAME_TOO_LONG:
		buf_printf(why, R_("the domain name is %zu characters long; "
		    "the limit is %d"), pos, DNAME_MAX);
		return -1;
	case DNAME_LONG_LABEL:
		buf_printf(why, R_("a label of \"%.*s...\" is "
		    "longer than %d characters"), 20, name, DNAME_LABEL_MAX);
		return -1;
	case DNAME_BAD_OCTET:
		if ((unsigned char)name[pos] >= 0x80)
			buf_printf(why, R_("the domain name contains non-ASCII "
			    "characters: give its A-label form (xn--...)"));
		else
			buf_printf(why, R_("the domain name contains the "
			    "character 0x%02x, which is not allowed in a "
			    "host name"), (unsigned char)name[pos]);
		return -1;
	default:
		buf_printf(why, R_("the domain name \"%s\" has an empty label"),
		    name);
		return -1;
	}
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len + 1 > outlen) {
		buf_printf(why, R_("the domain name is too long"));
		return -1;
	}
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[len] = '\0';
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli *o, struct buf *why)
{
	char dom[256];
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	o->smtp_port = 25;
	o->timeout_ms = 30000;
	o->step_ms = 10000;
	o->max_ttl = -1;
	o->colour = -1;
	o->parallel = 16;
	o->per_address = LIMIT_SOCKETS_ADDR;
	o->cert_warn_days = 14;
	opterr = 0;
	/*
	 * 0, not 1: glibc, musl and OpenBSD then reset their position
	 * inside a cluster of short options too, which otherwise still
	 * points into the previous argument vector.
	 */
	optind = 0;
	while ((c = getopt_long(argc, argv, ":d:46vhq", longopts, NULL)) != -1)
	{
		switch (c) {
		case 'd':
			if (cli_domain_check(optarg, dom, sizeof(dom), why)
			    == -1)
				return -1;
			free(o->domain);
			o->domain = xstrdup(dom);
			break;
		case '4':
		case '6':
			if (o->family != 0 && o->family != c - '0') {
				buf_printf(why,
				    _("-4 and -6 exclude each other"));
				return -1;
			}
			o->family = c - '0';
			break;
		case 'v':
			o->verbose++;
			break;
		case 'h':
			cli_usage(stdout);
			return CLI_EXIT_EARLY;
		case OPT_VERSION:
			printf("%s\n", PACKAGE_STRING);
			printf("%s\n", _("Licence: ISC (the LICENSE file of "
			    "the sources)."));
			/* AC_INIT's bug-report address, once it has one. */
			if (PACKAGE_BUGREPORT[0] != '\0')
				printf(_("Report bugs to %s.\n"),
				    PACKAGE_BUGREPORT);
			return CLI_EXIT_EARLY;
		case OPT_LIST_FINDINGS:
			o->list_findings = 1;
			break;
		case OPT_RESOLVER:
			list_add(&o->resolvers, optarg);
			break;
		case OPT_JSON:
			o->json = 1;
			break;
		case OPT_JSON_LOCALE:
			o->json_locale = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case OPT_EXPECT_MX:
		case OPT_EXPECT_CONTAINS:
		case OPT_OLD_MX:
			if (cli_domain_check(optarg, dom, sizeof(dom), why)
			    == -1) {
				buf_printf(why, " (in %s)", argv[optind - 1]);
				return -1;
			}
			list_add(c == OPT_EXPECT_MX ? &o->expect_mx :
			    c == OPT_OLD_MX ? &o->old_mx :
			    &o->expect_contains, optarg);
			break;
		case OPT_MAX_TTL:
			if (number(optarg, 0, 2147483647L, &v) == -1) {
				buf_printf(why,
				    _("--max-ttl wants seconds, not "
				    "\"%s\""), optarg);
				return -1;
			}
			o->max_ttl = v;
			break;
		case OPT_EXPECT_BANNER:
			o->expect_banner = optarg;
			break;
		case OPT_BATCH:
			o->batch = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_PARALLEL:
			if (number(optarg, 1, 1024, &v) == -1) {
				buf_printf(why,
				    _("--parallel wants a number from "
				    "1 to 1024, not \"%s\""), optarg);
				return -1;
			}
			o->parallel = (int)v;
			break;
		case OPT_PER_ADDRESS:
			if (number(optarg, 0, 1024, &v) == -1) {
				buf_printf(why,
				    _("--per-address wants a number from "
				    "0 (no cap) to 1024, not \"%s\""),
				    optarg);
				return -1;
			}
			o->per_address = (unsigned)v;
			break;
		case OPT_JOBS:
			o->jobs_given = 1;
			if (strcmp(optarg, "auto") == 0)
				o->jobs = 0;
			else if (number(optarg, 1, JOBS_MAX, &v) == -1) {
				buf_printf(why, _("--jobs wants auto or a "
				    "number from 1 to %d, not \"%s\""),
				    JOBS_MAX, optarg);
				return -1;
			} else
				o->jobs = (int)v;
			break;
		case OPT_PROPAGATION:
			o->propagation = 1;
			break;
		case OPT_WAIT:
			if (number(optarg, 1, 172800L, &v) == -1) {
				buf_printf(why, _("--wait wants seconds from 1 "
				    "to 172800, not \"%s\""), optarg);
				return -1;
			}
			o->wait_s = (unsigned)v;
			o->propagation = 1;
			break;
		case OPT_NS_PORT:
			if (number(optarg, 1, 65535, &v) == -1) {
				buf_printf(why,
				    _("--ns-port wants a port number "
				    "from 1 to 65535, not \"%s\""), optarg);
				return -1;
			}
			o->ns_port = (int)v;
			break;
		case OPT_NAGIOS:
			o->nagios = 1;
			break;
		case OPT_CSV:
			o->csv = 1;
			break;
		case OPT_ORDER:
			if (strcmp(optarg, "input") == 0)
				o->order_done = 0;
			else if (strcmp(optarg, "done") == 0)
				o->order_done = 1;
			else {
				buf_printf(why,
				    _("--order wants input or done, "
				    "not \"%s\""), optarg);
				return -1;
			}
			break;
		case OPT_RESUME:
			o->resume = optarg;
			break;
		case OPT_SHARD:
			if (shard(optarg, &o->shard_k, &o->shard_n) == -1) {
				buf_printf(why,
				    _("--shard wants K/N with 0 <= K "
				    "< N <= 65536, not \"%s\""), optarg);
				return -1;
			}
			break;
		case OPT_ACCEPT:
			if (accept_add(o, optarg, why) == -1)
				return -1;
			break;
		case OPT_ACCEPT_FILE:
			if (accept_file(o, optarg, why) == -1)
				return -1;
			break;
		case OPT_CERT_WARN_DAYS:
			if (number(optarg, 0, 3650, &v) == -1) {
				buf_printf(why, _("--cert-warn-days wants days "
				    "from 0 to 3650, not \"%s\""), optarg);
				return -1;
			}
			o->cert_warn_days = (int)v;
			break;
		case OPT_WARN:
		case OPT_CRIT: {
			struct buf *rw = buf_new(BUF_WHY_MAX);
			int bad;

			/* A bare N is the floor "N:": below N alerts. */
			bad = range_parse(optarg, RANGE_BARE_FLOOR, c ==
			    OPT_WARN ? &o->warn : &o->crit, rw) == -1;
			if (bad)
				buf_printf(why, _("%s wants a score or a range "
				    "(N, N:, ~:N, N:M, @N:M), not \"%s\": %s"),
				    c == OPT_WARN ? "--warn" : "--crit", optarg,
				    buf_str(rw));
			buf_free(rw);
			if (bad)
				return -1;
			if (c == OPT_WARN)
				o->has_warn = 1;
			else
				o->has_crit = 1;
			break;
		}
		case OPT_COLOUR:
			if (strcmp(optarg, "auto") == 0)
				o->colour = -1;
			else if (strcmp(optarg, "always") == 0)
				o->colour = 1;
			else if (strcmp(optarg, "never") == 0)
				o->colour = 0;
			else {
				buf_printf(why, _("--color wants auto, always "
				    "or never, not \"%s\""), optarg);
				return -1;
			}
			break;
		case OPT_SMTP_PORT:
			if (number(optarg, 1, 65535, &v) == -1) {
				buf_printf(why, _("--smtp-port wants a port "
				    "number from 1 to 65535, not \"%s\""),
				    optarg);
				return -1;
			}
			o->smtp_port = (int)v;
			break;
		case OPT_TIMEOUT:
			if (seconds(optarg, &o->timeout_ms) == -1) {
				buf_printf(why, _("--timeout wants seconds "
				    "(0 < s <= 3600), not \"%s\""), optarg);
				return -1;
			}
			break;
		case OPT_STEP_TIMEOUT:
			if (seconds(optarg, &o->step_ms) == -1) {
				buf_printf(why,
				    _("--step-timeout wants seconds "
				    "(0 < s <= 3600), not \"%s\""), optarg);
				return -1;
			}
			break;
		case OPT_NO_SHARE:
			o->no_share = 1;
			break;
		case OPT_DNS_ONLY:
			o->dns_only = 1;
			break;
		case OPT_RCPT:
			o->rcpt = 1;
			break;
		case OPT_EHLO:
			if (cli_domain_check(optarg, dom, sizeof(dom), why)
			    == -1) {
				buf_printf(why, " (in --ehlo)");
				return -1;
			}
			o->ehlo = optarg;
			break;
		case OPT_CA_FILE:
			o->ca_file = optarg;
			break;
		case OPT_ALLOW_LOOPBACK:
			o->allow_loopback = 1;
			break;
		case OPT_ALLOW_DOCUMENTATION:
			o->allow_documentation = 1;
			break;
		case OPT_ASSUME_DOWN:
			list_add(&o->assume_down, optarg);
			break;
		case OPT_SPF_IP: {
			struct spf_ip ip;

			if (spf_ip_parse(optarg, &ip) == -1) {
				buf_printf(why, _("--spf-ip wants an IPv4 or "
				    "IPv6 address, not \"%s\""), optarg);
				return -1;
			}
			if (o->spf_ip.n == AUTH_MAX_SPF_IPS) {
				buf_printf(why, _("at most %d --spf-ip"),
				    AUTH_MAX_SPF_IPS);
				return -1;
			}
			list_add(&o->spf_ip, optarg);
			break;
		}
		case OPT_HTTPS_PORT:
			if (number(optarg, 1, 65535, &v) == -1) {
				buf_printf(why, _("--https-port wants a port "
				    "number from 1 to 65535, not \"%s\""),
				    optarg);
				return -1;
			}
			o->https_port = (int)v;
			break;
		case OPT_SPF_SENDER:
			o->spf_sender = optarg;
			break;
		case OPT_HELO:
			o->helo = optarg;
			break;
		case OPT_DKIM_SELECTOR:
			/* RFC 6376 §3.1: a selector is one or more labels. */
			if (cli_domain_check(optarg, dom, sizeof(dom), why)
			    == -1) {
				buf_printf(why, " (in --dkim-selector)");
				return -1;
			}
			if (o->dkim_selectors.n == AUTH_MAX_SELECTORS) {
				buf_printf(why, _("at most %d --dkim-selector"),
				    AUTH_MAX_SELECTORS);
				return -1;
			}
			list_add(&o->dkim_selectors, optarg);
			break;
		case ':':
			buf_printf(why, _("option %s needs a value"),
			    argv[optind - 1]);
			return -1;
		default:
			if (optopt != 0 && optopt < 256)
				buf_printf(why,
				    _("unknown option -%c"), optopt);
			else
				buf_printf(why, _("unknown option %s"),
				    argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		buf_printf(why, _("unexpected argument \"%s\""), argv[optind]);
		return -1;
	}
	/* The catalogue needs no domain: main() prints it and exits. */
	if (o->list_findings)
		return 0;
	if (o->json + o->quiet + o->nagios + o->csv > 1) {
		buf_printf(why, _("--json, --csv, --quiet and --nagios exclude "
		    "each other"));
		return -1;
	}
	if (o->batch == NULL && (o->resume != NULL || o->shard_n > 0)) {
		buf_printf(why, _("--resume and --shard split a --batch list"));
		return -1;
	}
	if (o->batch == NULL && o->jobs_given) {
		buf_printf(why, _("--jobs splits a --batch list; one --domain "
		    "is one process"));
		return -1;
	}
	if (o->has_warn && o->has_crit && range_floor(&o->warn) >= 0 &&
	    range_floor(&o->crit) > range_floor(&o->warn)) {
		buf_printf(why,
		    _("--crit (%g:) must not be above --warn (%g:)"),
		    range_floor(&o->crit), range_floor(&o->warn));
		return -1;
	}
	if (o->domain != NULL && o->batch != NULL) {
		buf_printf(why, _("--domain and --batch exclude each other"));
		return -1;
	}
	if (o->batch != NULL && o->baseline != NULL) {
		buf_printf(why, _("--baseline compares one domain; not with "
		    "--batch"));
		return -1;
	}
	if (o->batch != NULL && o->nagios) {
		buf_printf(why,
		    _("--nagios checks one domain; not with --batch"));
		return -1;
	}
	/* The MX TTL to judge is the authoritative servers': ask them. */
	if (o->max_ttl >= 0 && o->batch == NULL)
		o->propagation = 1;
	if (o->batch != NULL && o->propagation) {
		buf_printf(why, _("--propagation and --wait check one domain; "
		    "not with --batch"));
		return -1;
	}
	if (o->wait_s > 0 && o->expect_mx.n == 0 && o->old_mx.n == 0) {
		buf_printf(why, _("--wait needs the set to wait for: "
		    "--expect-mx or --old-mx"));
		return -1;
	}
	if (o->domain == NULL && o->batch == NULL) {
		buf_printf(why, _("--domain is required"));
		return -1;
	}
	return 0;
}

/*
 * Whether --nagios was asked for, when cli_parse() failed (maybe before
 * reaching it): getopt takes an unambiguous prefix ("--na") as well.
 */
int
cli_wants_nagios(int argc, char **argv)
{
	size_t n;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		n = strlen(argv[i]);
		if (n >= 4 && strncmp(argv[i], "--nagios", n) == 0)
			return 1;
	}
	return 0;
}

const struct range *
cli_warn(const struct cli *o)
{
	return o->has_warn ? &o->warn : NULL;
}

const struct range *
cli_crit(const struct cli *o)
{
	return o->has_crit ? &o->crit : NULL;
}

void
cli_free(struct cli *o)
{
	free(o->domain);
	free(o->resolvers.v);
	free(o->assume_down.v);
	free(o->spf_ip.v);
	free(o->dkim_selectors.v);
	free(o->expect_mx.v);
	free(o->expect_contains.v);
	free(o->old_mx.v);
	while (o->naccept > 0)
		free(o->accept[--o->naccept]);
	free(o->accept);
	memset(o, 0, sizeof(*o));
}
