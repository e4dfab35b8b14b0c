/*
 * mxprobe - will mail for this domain arrive?
 *
 * main() wires the modules: options (cli), the event loop and resolver,
 * one probe, the analysis, a report, and the exit status. Only main()
 * exits.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/analyze_baseline.h"
#include "util/buf.h"
#include "app/cli.h"
#include "analyze/analyze_cutover.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "util/log.h"
#include "probe/probe_mx.h"
#include "probe/probe.h"
#include "probe/propagation.h"
#include "report/report.h"
#include "analyze/score.h"
#include "net/tls.h"
#include "util/xalloc.h"
#include "util/i18n.h"

/*
 * One run over one domain (single mode) or many (--batch): at most
 * o->parallel probes at once on the one loop, sharing the resolver and
 * the TLS context (one trust store).
 */
struct run {
	const struct cli		*o;
	const struct cutover_opts	*co;
	struct evloop			*loop;
	struct dns			*dns;
	struct probe_config		*pc;
	char				**domains;
	size_t				 ndomains;
	size_t				 next;
	int				 running;
	int				 status;	/* worst so far */
	int				 any;
	json_object			*baseline;	/* --baseline */
	struct propagation_facts	*prop;		/* --propagation */
};

static int	list_findings(void);
static int	report(const struct cli *, const struct cutover_opts *,
		    json_object *, const struct probe_facts *,
		    const struct propagation_facts *);
static int	worse(int, int);
static void	start_next(struct run *);

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct run *r = arg;
	int st;

	r->running--;
	if (f->mx != NULL && (f->mx->outcome == DNS_TIMEOUT ||
	    f->mx->outcome == DNS_REFUSED))
		fprintf(stderr, "mxprobe: the resolver %s did not answer "
		    "for %s (%s)\n", r->o->resolvers.n ? r->o->resolvers.v[0] :
		    "from /etc/resolv.conf", f->domain,
		    dns_outcome_name(f->mx->outcome));
	st = report(r->o, r->co, r->baseline, f, r->prop);
	fflush(stdout);
	r->status = r->any ? worse(r->status, st) : st;
	r->any = 1;
	probe_facts_free(f);
	start_next(r);
}

/* A batch line that is no domain: say so in the output's own form. */
static void
bad_line(struct run *r, const char *line, const char *why)
{
	json_object *j;

	if (r->o->json) {
		j = json_object_new_object();
		json_object_object_add(j, "schema_version",
		    json_object_new_int(REPORT_SCHEMA_VERSION));
		json_object_object_add(j, "domain",
		    json_object_new_string(line));
		json_object_object_add(j, "status",
		    json_object_new_string("UNKNOWN"));
		json_object_object_add(j, "exit_code", json_object_new_int(3));
		json_object_object_add(j, "error", json_object_new_string(why));
		printf("%s\n", json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else
		printf("%s UNKNOWN error=%s\n", line, why);
	r->status = r->any ? worse(r->status, EXIT_UNKNOWN) : EXIT_UNKNOWN;
	r->any = 1;
}

static void
start_next(struct run *r)
{
	struct buf *why;
	char dom[256];
	const char *d;

	while (r->running < r->o->parallel && r->next < r->ndomains) {
		d = r->domains[r->next++];
		why = buf_new(BUF_WHY_MAX);
		if (cli_domain_check(d, dom, sizeof(dom), why) == -1) {
			bad_line(r, d, buf_str(why));
			buf_free(why);
			continue;
		}
		buf_free(why);
		r->running++;
		probe_start(r->loop, r->dns, r->pc, dom, on_probe, r);
	}
}

/* Domains from a file or stdin: one per line, blank lines and # comments
 * skipped, surrounding white space trimmed. */
static int
read_batch(const char *path, struct run *r, struct buf *why)
{
	FILE *fp;
	char line[1024], *p, *e;
	size_t lineno = 0;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL) {
		buf_printf(why, "--batch %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			buf_printf(why, "--batch %s: line %zu is longer than "
			    "%zu characters", path, lineno, sizeof(line) - 2);
			if (fp != stdin)
				fclose(fp);
			return -1;
		}
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if ((e = strchr(p, '#')) != NULL)
			*e = '\0';
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p == '\0')
			continue;
		r->domains = xreallocarray(r->domains, r->ndomains + 1,
		    sizeof(*r->domains));
		r->domains[r->ndomains++] = xstrdup(p);
	}
	if (ferror(fp)) {
		buf_printf(why, "--batch %s: %s", path, strerror(errno));
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

/*
 * --list-findings: the catalogue as a JSON array, the source that
 * doc/mxprobe-findings.7 and doc/findings.md are generated from
 * (tests/meta/gen-findings-doc.py).
 */
static int
list_findings(void)
{
	const struct finding_def *d;
	json_object *a, *e;
	int i;

	a = json_object_new_array();
	for (i = 0; i < F__COUNT; i++) {
		d = finding_def((enum finding_code)i);
		e = json_object_new_object();
		json_object_object_add(e, "code",
		    json_object_new_string(d->code));
		json_object_object_add(e, "severity",
		    json_object_new_string(finding_sev_name(d->sev)));
		json_object_object_add(e, "category",
		    json_object_new_string(d->category));
		json_object_object_add(e, "penalty",
		    json_object_new_int(d->penalty));
		json_object_object_add(e, "title",
		    json_object_new_string(d->title));
		json_object_object_add(e, "remedy",
		    json_object_new_string(d->remedy));
		json_object_object_add(e, "reference",
		    json_object_new_string(d->ref));
		json_object_array_add(a, e);
	}
	printf("%s\n", json_object_to_json_string_ext(a,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_UNKNOWN;
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

/*
 * --propagation and --wait run before the probe: the probe then sees the
 * state that was waited for. Their facts stay beside the probe's (in
 * struct run) and join the same findings and report.
 */
static void
on_propagation(struct propagation_facts *pf, void *arg)
{
	struct run *r = arg;

	r->prop = pf;
	start_next(r);
}

static void
on_wait(struct propagation_facts *pf, int converged, void *arg)
{
	struct run *r = arg;

	log_debug("--wait: %s after %u check(s)", converged ?
	    "the expected MX set is everywhere" : "time limit reached",
	    pf->rounds);
	on_propagation(pf, r);
}

static void
start_propagation(struct run *r)
{
	struct propagation_config pc;

	memset(&pc, 0, sizeof(pc));
	pc.domain = r->domains[0];
	pc.resolvers = r->o->resolvers.v;
	pc.ns_port = r->o->ns_port;
	pc.deadline_ms = r->o->timeout_ms;
	if (r->o->wait_s > 0)
		propagation_wait_start(r->loop, r->dns, &pc,
		    r->o->expect_mx.v, r->o->old_mx.v, r->o->wait_s * 1000,
		    on_wait, r);
	else
		propagation_start(r->loop, r->dns, &pc, on_propagation, r);
}

static int
status_of(const struct cli *o, const struct findings *fs,
    const struct score *sc)
{
	int status = findings_status(fs);

	if (sc->valid && o->crit >= 0 && sc->value < o->crit)
		status = worse(status, EXIT_CRITICAL);
	else if (sc->valid && o->warn >= 0 && sc->value < o->warn)
		status = worse(status, EXIT_WARNING);
	return status;
}

static void
changes_text(json_object *changes, struct buf *out)
{
	json_object *c, *v;
	size_t i;

	buf_printf(out, "\nChanges since the baseline\n");
	if (json_object_array_length(changes) == 0)
		buf_printf(out, "  none\n");
	for (i = 0; i < json_object_array_length(changes); i++) {
		c = json_object_array_get_idx(changes, i);
		buf_printf(out, "  %s of %s\n",
		    json_object_get_string(json_object_object_get(c, "what")),
		    json_object_get_string(json_object_object_get(c,
		    "subject")));
		v = json_object_object_get(c, "before");
		buf_printf(out, "      before: %s\n", v ?
		    json_object_get_string(v) : "(none)");
		v = json_object_object_get(c, "after");
		buf_printf(out, "      after:  %s\n", v ?
		    json_object_get_string(v) : "(none)");
	}
}

/* The largest MX TTL an authoritative server gave, or -1. */
static long
auth_ttl(const struct propagation_facts *pf)
{
	long ttl = -1;
	size_t i;

	for (i = 0; pf != NULL && i < pf->nservers; i++)
		if (pf->servers[i].role == PROPAGATION_AUTHORITATIVE &&
		    pf->servers[i].outcome == DNS_OK &&
		    pf->servers[i].ttl_known &&
		    (long)pf->servers[i].ttl > ttl)
			ttl = (long)pf->servers[i].ttl;
	return ttl;
}

static int
report(const struct cli *o, const struct cutover_opts *co,
    json_object *baseline, const struct probe_facts *f,
    const struct propagation_facts *pf)
{
	struct analyze_opts ao;
	struct findings *fs;
	struct score sc;
	struct report r;
	struct buf *out;
	json_object *j, *changes = NULL, *b;
	struct cutover_opts cut;
	int status;

	memset(&ao, 0, sizeof(ao));
	ao.allow_loopback = o->allow_loopback;
	cut = *co;
	cut.auth_ttl = auth_ttl(pf);
	ao.cutover = &cut;
	fs = findings_new();
	analyze_probe(f, &ao, fs);
	propagation_analyze(pf, o->expect_mx.v, o->old_mx.v, fs);
	score_compute(fs, &sc);
	r.facts = f;
	r.fs = fs;
	r.score = &sc;
	r.status = status_of(o, fs, &sc);
	if (baseline != NULL) {
		/* Compare what this run reports with the saved report; the
		 * changes are findings too, so score and status again. */
		j = report_json(&r);
		changes = baseline_compare(baseline, j, fs);
		json_object_put(j);
		score_free(&sc);
		score_compute(fs, &sc);
		r.status = status_of(o, fs, &sc);
	}
	status = r.status;
	out = buf_new(16 * 1024 * 1024);
	if (o->json) {
		/* Batch mode writes JSON Lines: one object per line. */
		j = report_json(&r);
		if (changes != NULL) {
			b = json_object_new_object();
			json_object_object_add(b, "file",
			    json_object_new_string(o->baseline));
			json_object_object_add(b, "changes",
			    json_object_get(changes));
			json_object_object_add(j, "baseline", b);
		}
		propagation_json(pf, o->expect_mx.v, o->old_mx.v, j);
		buf_printf(out, "%s\n", json_object_to_json_string_ext(j,
		    (o->batch ? JSON_C_TO_STRING_PLAIN :
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED) |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else if (o->quiet || o->batch)
		report_quiet(&r, out);
	else if (o->nagios)
		report_nagios(&r, o->warn, o->crit, out);
	else {
		report_text(&r, use_colour(o), out);
		if (changes != NULL)
			changes_text(changes, out);
		propagation_text(pf, o->expect_mx.v, o->old_mx.v, out);
	}
	fwrite(buf_str(out), 1, buf_len(out), stdout);
	buf_free(out);
	json_object_put(changes);
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
	struct probe_config pc;
	struct run r;
	char hostname[256];
	struct cutover_opts co;
	size_t i;
	int rc;

	signal(SIGPIPE, SIG_IGN);
	i18n_init();
	memset(&r, 0, sizeof(r));
	memset(&co, 0, sizeof(co));
	memset(&pc, 0, sizeof(pc));
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
	if (o.list_findings) {
		cli_free(&o);
		buf_free(why);
		return list_findings();
	}
	log_init("mxprobe", o.verbose);
	co.expect_mx = o.expect_mx.v;
	co.expect_contains = o.expect_contains.v;
	co.old_mx = o.old_mx.v;
	co.max_ttl = o.max_ttl;
	co.auth_ttl = -1;
	co.banner_pattern = o.expect_banner;
	rc = EXIT_UNKNOWN;
	if (o.expect_banner != NULL &&
	    (co.banner = cutover_banner_compile(o.expect_banner, why)) ==
	    NULL)
		goto fail;
	if (o.batch != NULL) {
		if (read_batch(o.batch, &r, why) == -1)
			goto fail;
	} else {
		if (o.baseline != NULL && (r.baseline = baseline_load(
		    o.baseline, o.domain, why)) == NULL)
			goto fail;
		r.domains = xcalloc(1, sizeof(*r.domains));
		r.domains[0] = xstrdup(o.domain);
		r.ndomains = 1;
	}
	loop = evloop_new();
	dc.servers = o.resolvers.v;
	if ((dns = dns_new(loop, &dc, why)) == NULL)
		goto fail;
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
	pc.dkim_selectors = o.dkim_selectors.v;
	pc.spf_ips = o.spf_ip.v;
	pc.spf_sender = o.spf_sender;
	pc.helo = o.helo;
	pc.https_port = (unsigned)o.https_port;
	if (!o.dns_only && (pc.tls = tls_ctx_new(o.ca_file, why)) == NULL)
		goto fail;
	r.o = &o;
	r.co = &co;
	r.loop = loop;
	r.dns = dns;
	r.pc = &pc;
	if (o.propagation)
		start_propagation(&r);
	else
		start_next(&r);
	evloop_run(loop);
	if (r.next < r.ndomains || r.running > 0) {
		fprintf(stderr, "mxprobe: the probe did not finish\n");
		rc = EXIT_UNKNOWN;
	} else if (!r.any) {
		fprintf(stderr, "mxprobe: --batch %s holds no domain\n",
		    o.batch);
		rc = EXIT_UNKNOWN;
	} else
		rc = r.status;
	goto done;
fail:
	fprintf(stderr, "mxprobe: %s\n", buf_str(why));
	rc = EXIT_UNKNOWN;
done:
	json_object_put(r.baseline);
	tls_ctx_free(pc.tls);
	pcre2_code_free(co.banner);
	for (i = 0; i < r.ndomains; i++)
		free(r.domains[i]);
	free(r.domains);
	propagation_facts_free(r.prop);
	dns_free(dns);
	evloop_free(loop);
	cli_free(&o);
	buf_free(why);
	return rc;
}
