/*
 * mxprobe - will mail for this domain arrive?
 *
 * main() wires the modules: options (cli), the event loop and resolver,
 * one probe, the analysis, a report, and the exit status. Only main()
 * exits.
 */
#include "config.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze.h"
#include "buf.h"
#include "cli.h"
#include "cutover.h"
#include "dns.h"
#include "evloop.h"
#include "facts.h"
#include "findings.h"
#include "log.h"
#include "mx.h"
#include "probe.h"
#include "report.h"
#include "score.h"

struct run {
	struct probe_facts	*facts;
};

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct run *r = arg;

	r->facts = f;
}

/* Rank statuses so that the worse wins: OK < WARNING < UNKNOWN <
 * CRITICAL (see findings_status()). */
static int
rank(int st)
{
	static const int r[] = { 0, 1, 3, 2 };

	return r[st];
}

static int
worse(int a, int b)
{
	return rank(a) >= rank(b) ? a : b;
}

static int
use_colour(const struct cli *o)
{
	const char *nc;

	if (o->colour >= 0)
		return o->colour;
	nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		return 0;
	return isatty(STDOUT_FILENO);
}

/*
 * The name for EHLO: --ehlo, else this host's name when it is fully
 * qualified, else /etc/mailname (Debian's mail name), else the short host
 * name. No resolver call: that would block.
 */
static const char *
ehlo_name(const struct cli *o, char *buf, size_t len)
{
	FILE *fp;
	char *nl;

	if (o->ehlo != NULL)
		return o->ehlo;
	if (gethostname(buf, len) == 0) {
		buf[len - 1] = '\0';
		if (strchr(buf, '.') != NULL)
			return buf;
	}
	if ((fp = fopen("/etc/mailname", "r")) != NULL) {
		if (fgets(buf, (int)len, fp) != NULL) {
			if ((nl = strchr(buf, '\n')) != NULL)
				*nl = '\0';
			if (strchr(buf, '.') != NULL) {
				fclose(fp);
				return buf;
			}
		}
		fclose(fp);
	}
	if (gethostname(buf, len) == 0 && buf[0] != '\0')
		return buf;
	return "localhost";
}

static int
report(const struct cli *o, const struct cutover_opts *co,
    const struct probe_facts *f)
{
	struct analyze_opts ao;
	struct findings *fs;
	struct score sc;
	struct report r;
	struct buf *out;
	json_object *j;
	int status;

	memset(&ao, 0, sizeof(ao));
	ao.allow_loopback = o->allow_loopback;
	ao.cutover = co;
	fs = findings_new();
	analyze_probe(f, &ao, fs);
	score_compute(fs, &sc);
	status = findings_status(fs);
	if (sc.valid && o->crit >= 0 && sc.value < o->crit)
		status = worse(status, EXIT_CRITICAL);
	else if (sc.valid && o->warn >= 0 && sc.value < o->warn)
		status = worse(status, EXIT_WARNING);
	r.facts = f;
	r.fs = fs;
	r.score = &sc;
	r.status = status;
	out = buf_new(16 * 1024 * 1024);
	if (o->json) {
		j = report_json(&r);
		buf_printf(out, "%s\n", json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else if (o->quiet)
		report_quiet(&r, out);
	else if (o->nagios)
		report_nagios(&r, o->warn, o->crit, out);
	else
		report_text(&r, use_colour(o), out);
	fwrite(buf_str(out), 1, buf_len(out), stdout);
	buf_free(out);
	score_free(&sc);
	findings_free(fs);
	return status;
}

int
main(int argc, char **argv)
{
	struct cli o;
	struct buf *why;
	struct evloop *loop = NULL;
	struct dns *dns = NULL;
	struct dns_config dc = { NULL, 0, 0 };
	struct probe_config pc = { 0 };
	struct run r = { NULL };
	char hostname[256];
	struct cutover_opts co;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	why = buf_new(BUF_WHY_MAX);
	rc = cli_parse(argc, argv, &o, why);
	if (rc == CLI_EXIT_EARLY) {
		cli_free(&o);
		buf_free(why);
		return EXIT_OK;
	}
	if (rc == -1) {
		fprintf(stderr, "mxprobe: %s\n", buf_str(why));
		fprintf(stderr, "usage: mxprobe --domain DOMAIN [options]; "
		    "mxprobe --help for more\n");
		cli_free(&o);
		buf_free(why);
		return EXIT_UNKNOWN;
	}
	log_init("mxprobe", o.verbose);
	memset(&co, 0, sizeof(co));
	co.expect_mx = o.expect_mx.v;
	co.expect_contains = o.expect_contains.v;
	co.old_mx = o.old_mx.v;
	co.max_ttl = o.max_ttl;
	co.banner_pattern = o.expect_banner;
	if (o.expect_banner != NULL &&
	    (co.banner = cutover_banner_compile(o.expect_banner, why)) ==
	    NULL) {
		fprintf(stderr, "mxprobe: %s\n", buf_str(why));
		rc = EXIT_UNKNOWN;
		goto done;
	}
	loop = evloop_new();
	dc.servers = o.resolvers.v;
	if ((dns = dns_new(loop, &dc, why)) == NULL) {
		fprintf(stderr, "mxprobe: %s\n", buf_str(why));
		rc = EXIT_UNKNOWN;
		goto done;
	}
	pc.deadline_ms = o.timeout_ms;
	pc.dns_only = o.dns_only;
	pc.family = o.family;
	pc.smtp_port = o.smtp_port;
	pc.step_ms = o.step_ms;
	pc.ehlo = ehlo_name(&o, hostname, sizeof(hostname));
	pc.ca_file = o.ca_file;
	pc.allow_loopback = o.allow_loopback;
	pc.assume_down = o.assume_down.v;
	pc.old_mx = o.old_mx.v;
	probe_start(loop, dns, &pc, o.domain, on_probe, &r);
	evloop_run(loop);
	if (r.facts == NULL) {
		fprintf(stderr, "mxprobe: the probe did not finish\n");
		rc = EXIT_UNKNOWN;
		goto done;
	}
	if (r.facts->mx != NULL && (r.facts->mx->outcome == DNS_TIMEOUT ||
	    r.facts->mx->outcome == DNS_REFUSED))
		fprintf(stderr, "mxprobe: the resolver %s did not answer "
		    "for %s (%s)\n", o.resolvers.n ? o.resolvers.v[0] :
		    "from /etc/resolv.conf", o.domain,
		    dns_outcome_name(r.facts->mx->outcome));
	rc = report(&o, &co, r.facts);
done:
	pcre2_code_free(co.banner);
	probe_facts_free(r.facts);
	dns_free(dns);
	evloop_free(loop);
	cli_free(&o);
	buf_free(why);
	return rc;
}
