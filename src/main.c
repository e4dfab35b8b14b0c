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

#include "analyze.h"
#include "buf.h"
#include "cli.h"
#include "dns.h"
#include "evloop.h"
#include "facts.h"
#include "findings.h"
#include "log.h"
#include "mx.h"
#include "probe.h"
#include "report.h"

struct run {
	struct probe_facts	*facts;
};

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct run *r = arg;

	r->facts = f;
}

static int
report(const struct cli *o, const struct probe_facts *f)
{
	struct analyze_opts ao = { o->allow_loopback };
	struct findings *fs;
	struct buf *out;
	json_object *j;
	int status;

	fs = findings_new();
	analyze_probe(f, &ao, fs);
	status = findings_status(fs);
	if (o->json) {
		j = report_json(f, fs, status);
		printf("%s\n", json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		out = buf_new(16 * 1024 * 1024);
		report_text(f, fs, status, out);
		fputs(buf_str(out), stdout);
		buf_free(out);
	}
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
	struct probe_config pc;
	struct run r = { NULL };
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
	pc.ehlo = o.ehlo;
	pc.ca_file = o.ca_file;
	pc.allow_loopback = o.allow_loopback;
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
	rc = report(&o, r.facts);
done:
	probe_facts_free(r.facts);
	dns_free(dns);
	evloop_free(loop);
	cli_free(&o);
	buf_free(why);
	return rc;
}
