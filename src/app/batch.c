#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/score.h"
#include "app/batch.h"
#include "app/cli.h"
#include "app/run.h"
#include "facts/probe_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "probe/probe.h"
#include "app/wait.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/xalloc.h"

static void	start_next(struct batch *);

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct batch *b = arg;
	int st;

	b->running--;
	if (f->mx != NULL && (f->mx->outcome == DNS_TIMEOUT ||
	    f->mx->outcome == DNS_REFUSED))
		fprintf(stderr, "mxprobe: the resolver %s did not answer "
		    "for %s (%s)\n", b->o->resolvers.n ? b->o->resolvers.v[0] :
		    "from /etc/resolv.conf", f->domain,
		    dns_outcome_name(f->mx->outcome));
	st = run_report(b->o, b->co, b->baseline, f, b->prop);
	fflush(stdout);
	b->status = b->any ? score_status_worse(b->status, st) : st;
	b->any = 1;
	probe_facts_free(f);
	start_next(b);
	/*
	 * The last report is out: what is still in flight (questions the
	 * deadline abandoned, which c-ares would retry until its own
	 * timeouts) must not keep the process alive. main() destroys the
	 * channel next, which ends them at once.
	 */
	if (b->running == 0 && b->next >= b->ndomains)
		evloop_break(b->loop);
}

/* A batch line that is no domain: say so in the output's own form. */
static void
bad_line(struct batch *b, const char *line, const char *why)
{
	json_object *j;

	if (b->o->json) {
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
	b->status = b->any ? score_status_worse(b->status, EXIT_UNKNOWN) :
	    EXIT_UNKNOWN;
	b->any = 1;
}

static void
start_next(struct batch *b)
{
	struct buf *why;
	char dom[256];
	const char *d;

	while (b->running < b->o->parallel && b->next < b->ndomains) {
		if (b->bad != NULL && b->bad[b->next] != NULL) {
			bad_line(b, b->domains[b->next], b->bad[b->next]);
			b->next++;
			continue;
		}
		d = b->domains[b->next++];
		why = buf_new(BUF_WHY_MAX);
		if (cli_domain_check(d, dom, sizeof(dom), why) == -1) {
			bad_line(b, d, buf_str(why));
			buf_free(why);
			continue;
		}
		buf_free(why);
		b->running++;
		probe_start(b->loop, b->dns, b->pc, dom, on_probe, b);
	}
}

void
batch_add(struct batch *b, const char *domain)
{
	b->domains = xreallocarray(b->domains, b->ndomains + 1,
	    sizeof(*b->domains));
	b->bad = xreallocarray(b->bad, b->ndomains + 1, sizeof(*b->bad));
	b->bad[b->ndomains] = NULL;
	b->domains[b->ndomains++] = xstrdup(domain);
}

/*
 * One line into line (at most size - 1 octets and a NUL), its length,
 * NUL bytes included, in *len: 0, 1 when it does not fit, -1 at the end
 * of the file. fgets() would hide a NUL byte: the line would look cut.
 */
static int
read_line(FILE *fp, char *line, size_t size, size_t *len)
{
	int c;

	*len = 0;
	while ((c = getc(fp)) != EOF) {
		if (*len + 1 >= size)
			return 1;
		line[(*len)++] = (char)c;
		if (c == '\n')
			break;
	}
	line[*len] = '\0';
	return *len == 0 && c == EOF ? -1 : 0;
}

int
batch_read(const char *path, struct batch *b, struct buf *why)
{
	FILE *fp;
	char line[1024], *p, *e, shown[64];
	size_t lineno = 0, len;
	int rc;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL) {
		buf_printf(why, "--batch %s: %s", path, strerror(errno));
		return -1;
	}
	while ((rc = read_line(fp, line, sizeof(line), &len)) != -1) {
		lineno++;
		if (rc == 1) {
			buf_printf(why, "--batch %s: line %zu is longer than "
			    "%zu characters", path, lineno, sizeof(line) - 2);
			if (fp != stdin)
				fclose(fp);
			return -1;
		}
		if (memchr(line, '\0', len) != NULL) {
			/* This line only: the batch goes on. */
			snprintf(shown, sizeof(shown), "line %zu", lineno);
			batch_add(b, shown);
			b->bad[b->ndomains - 1] = xstrdup("the line holds a "
			    "NUL byte");
			continue;
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
		batch_add(b, p);
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

static void
on_propagation(struct propagation_facts *pf, void *arg)
{
	struct batch *b = arg;

	b->prop = pf;
	start_next(b);
}

static void
on_wait(struct propagation_facts *pf, int converged, void *arg)
{
	struct batch *b = arg;

	log_debug("--wait: %s after %u check(s)", converged ?
	    "the expected MX set is everywhere" : "time limit reached",
	    pf->rounds);
	on_propagation(pf, b);
}

void
batch_start(struct batch *b)
{
	struct propagation_config pc;

	if (!b->o->propagation) {
		start_next(b);
		return;
	}
	memset(&pc, 0, sizeof(pc));
	pc.domain = b->domains[0];
	pc.resolvers = b->o->resolvers.v;
	pc.ns_port = b->o->ns_port;
	pc.deadline_ms = b->o->timeout_ms;
	if (b->o->wait_s > 0)
		propagation_wait_start(b->loop, b->dns, &pc,
		    b->o->expect_mx.v, b->o->old_mx.v, b->o->wait_s * 1000,
		    on_wait, b);
	else
		propagation_start(b->loop, b->dns, &pc, on_propagation, b);
}

int
batch_status(const struct batch *b)
{
	if (b->next < b->ndomains || b->running > 0) {
		fprintf(stderr, "mxprobe: the probe did not finish\n");
		return EXIT_UNKNOWN;
	}
	if (!b->any) {
		fprintf(stderr, "mxprobe: --batch %s holds no domain\n",
		    b->o->batch);
		return EXIT_UNKNOWN;
	}
	return b->status;
}

void
batch_free(struct batch *b)
{
	size_t i;

	json_object_put(b->baseline);
	for (i = 0; i < b->ndomains; i++) {
		free(b->domains[i]);
		free(b->bad[i]);
	}
	free(b->domains);
	free(b->bad);
	propagation_facts_free(b->prop);
	memset(b, 0, sizeof(*b));
}
