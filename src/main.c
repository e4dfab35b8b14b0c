/*
 * mxprobe - will mail for this domain arrive?
 *
 * main() wires the modules: options (app/cli), what the host gives
 * (app/env), the event loop, resolver and TLS context, the domains and
 * their probes (app/batch), each domain's report (app/run), and the exit
 * status. Only main() exits.
 */
#include "config.h"

#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyze_cutover.h"
#include "app/batch.h"
#include "app/cli.h"
#include "app/env.h"
#include "app/jobs.h"
#include "app/run.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "net/tls.h"
#include "facts/vantage_facts.h"
#include "probe/probe.h"
#include "probe/share.h"
#include "probe/sockets.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/i18n.h"

static void
cutover_from_cli(const struct cli *o, struct cutover_opts *co)
{
	memset(co, 0, sizeof(*co));
	co->expect_mx = o->expect_mx.v;
	co->expect_contains = o->expect_contains.v;
	co->old_mx = o->old_mx.v;
	co->max_ttl = o->max_ttl;
	co->auth_ttl = -1;
	co->banner_pattern = o->expect_banner;
}

static void
probe_config_from_cli(const struct cli *o, const char *ehlo,
    struct probe_config *pc)
{
	pc->deadline_ms = o->timeout_ms;
	pc->dns_only = o->dns_only;
	pc->rcpt = o->rcpt;
	pc->family = o->family;
	pc->smtp_port = o->smtp_port;
	pc->step_ms = o->step_ms;
	pc->ehlo = ehlo;
	pc->ca_file = o->ca_file;
	pc->allow_loopback = o->allow_loopback;
	pc->allow_documentation = o->allow_documentation;
	pc->assume_down = o->assume_down.v;
	pc->old_mx = o->old_mx.v;
	pc->dkim_selectors = o->dkim_selectors.v;
	pc->spf_ips = o->spf_ip.v;
	pc->spf_sender = o->spf_sender;
	pc->helo = o->helo;
	pc->https_port = (unsigned)o->https_port;
	pc->trace_domain = o->batch != NULL;
}

/*
 * What every worker would refuse (a --resolver that is no address, an
 * unreadable --ca-file) is refused once, by the parent, before the fork:
 * one message and exit 3, as without --jobs, not one UNKNOWN line per
 * domain.
 */
static int
engines_check(const struct cli *o, const struct dns_config *dc,
    struct buf *why)
{
	struct evloop *loop = evloop_new();
	struct dns *dns;
	struct tls_ctx *tls = NULL;
	int rc = -1;

	if ((dns = dns_new(loop, dc, why)) == NULL)
		goto done;
	if (!o->dns_only && (tls = tls_ctx_new(o->ca_file, why)) == NULL)
		goto done;
	rc = 0;
done:
	tls_ctx_free(tls);
	dns_free(dns);
	evloop_free(loop);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli o;
	struct buf *why;
	struct evloop *loop = NULL;
	struct dns *dns = NULL;
	struct dns_config dc = { NULL, 0, 0, 0 };
	struct jobs *pool = NULL;
	struct jobs_worker *me = NULL;
	unsigned njobs = 1, id = 0;
	struct probe_config pc;
	struct batch b;
	char hostname[256];
	struct cutover_opts co;
	struct vantage vantage;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	env_locale_init();
	env_tls_store();
	memset(&b, 0, sizeof(b));
	memset(&co, 0, sizeof(co));
	memset(&pc, 0, sizeof(pc));
	memset(&vantage, 0, sizeof(vantage));
	why = buf_new(BUF_WHY_MAX);
	/* Usage errors (a bad --domain among them) are for the user. */
	i18n_reasons_local(1);
	rc = cli_parse(argc, argv, &o, why);
	if (rc == CLI_EXIT_EARLY) {
		cli_free(&o);
		buf_free(why);
		return EXIT_OK;
	}
	if (rc == -1) {
		/* A monitoring system reads stdout only: say it there too. */
		if (cli_wants_nagios(argc, argv))
			printf("MXPROBE UNKNOWN - %s\n", buf_str(why));
		fprintf(stderr, "mxprobe: %s\n", buf_str(why));
		fprintf(stderr, _("usage: mxprobe --domain DOMAIN [options]; "
		    "mxprobe --help for more\n"));
		cli_free(&o);
		buf_free(why);
		return EXIT_UNKNOWN;
	}
	if (o.list_findings) {
		cli_free(&o);
		buf_free(why);
		return run_list_findings();
	}
	log_init("mxprobe", o.verbose);
	/* Reasons are written as checks find them: in the user's language
	 * for the text report (and --json-locale), in English for output
	 * meant for programs. */
	i18n_reasons_local(!o.nagios && !o.quiet && !o.csv &&
	    (!o.json || o.json_locale));
	env_trace_start(o.verbose);
	env_psl_load();
	cutover_from_cli(&o, &co);
	rc = EXIT_UNKNOWN;
	if (o.expect_banner != NULL &&
	    (co.banner = cutover_banner_compile(o.expect_banner, why)) ==
	    NULL)
		goto fail;
	if (o.batch != NULL) {
		if (batch_read(o.batch, &b, why) == -1)
			goto fail;
		if (o.resume != NULL &&
		    batch_resume_read(o.resume, &b, why) == -1)
			goto fail;
	} else {
		if (o.baseline != NULL && (b.baseline = env_baseline_load(
		    o.baseline, o.domain, why)) == NULL)
			goto fail;
		batch_add(&b, o.domain);
	}
	b.o = &o;
	b.co = &co;
	/*
	 * --jobs: the workers are forked from the planned list, before any
	 * loop, resolver or TLS context exists; the parent keeps only a
	 * loop for its channels, signals and stdout.
	 */
	dc.servers = o.resolvers.v;
	if ((njobs = batch_jobs(&b)) > 1 && (engines_check(&o, &dc, why) ==
	    -1 || jobs_fork(njobs, &pool, &me, why) == -1))
		goto fail;
	loop = evloop_new();
	b.loop = loop;
	if (pool != NULL) {
		batch_jobs_start(&b, pool);
		evloop_run(loop);
		rc = batch_status(&b);
		goto done;
	}
	if (me != NULL) {
		njobs = jobs_worker_n(me);
		id = jobs_worker_id(me);
	}
	/* The run's limits, divided between the workers. */
	dc.max_inflight = jobs_share(DNS_MAX_INFLIGHT, njobs, id);
	if ((dns = dns_new(loop, &dc, why)) == NULL)
		goto fail;
	probe_config_from_cli(&o, env_ehlo_name(&o, hostname,
	    sizeof(hostname)), &pc);
	if (!o.dns_only && (pc.tls = tls_ctx_new(o.ca_file, why)) == NULL)
		goto fail;
	b.dns = dns;
	b.servers = dns_servers(dns);
	/* Descriptors are the host's: one cap for the whole run. */
	pc.sockets = sockets_new(jobs_share(env_socket_cap(), njobs, id));
	/* And one per server address (--per-address; 0: none), at least
	 * 1 per worker. */
	if (o.per_address > 0)
		sockets_set_per_addr(pc.sockets, jobs_share(o.per_address,
		    njobs, id));
	/* Exchangers named by many domains: one session per run. */
	if (o.batch != NULL && !o.no_share)
		pc.share = share_new();
	/* This host's routes: checked once, by the first probe that
	 * connects (net/vantage.h). */
	pc.vantage = &vantage;
	b.pc = &pc;
	if (me != NULL)
		batch_worker_start(&b, me);
	else
		batch_start(&b);
	evloop_run(loop);
	rc = batch_status(&b);
	goto done;
fail:
	if (o.nagios)
		printf("MXPROBE UNKNOWN - %s\n", buf_str(why));
	fprintf(stderr, "mxprobe: %s\n", buf_str(why));
	rc = EXIT_UNKNOWN;
done:
	tls_ctx_free(pc.tls);
	sockets_free(pc.sockets);
	pcre2_code_free(co.banner);
	dns_servers_free(b.servers);
	batch_free(&b);
	share_free(pc.share);	/* after the facts that borrow from it */
	dns_free(dns);
	jobs_free(pool);	/* closes the channels: the workers stop */
	jobs_worker_free(me);
	evloop_free(loop);
	env_psl_free();
	cli_free(&o);
	buf_free(why);
	return rc;
}
