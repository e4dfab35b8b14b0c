#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "analyze/score.h"
#include "app/batch.h"
#include "app/cli.h"
#include "app/env.h"
#include "app/jobs.h"
#include "app/run.h"
#include "facts/probe_facts.h"
#include "net/dns.h"
#include "net/evloop.h"
#include "probe/probe.h"
#include "app/wait.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/frame.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

enum name_state {
	NAME_WAIT,		/* not started */
	NAME_RUN,		/* probe in flight */
	NAME_DONE		/* out holds its line */
};

/* One distinct name of the list and its report. */
struct batch_name {
	struct batch		*b;
	char			*key;		/* normalised, or the line */
	int			 bad;		/* no domain: not probed */
	enum name_state		 state;
	size_t			 left;		/* lines still to write */
	int			 status;
	char			*out;		/* the rendered line(s) */
	size_t			 outlen;
	struct probe		*probe;		/* in flight, or NULL */
	int64_t			 started;	/* time() at its start */
	unsigned		 job;		/* --jobs: its worker */
};

/* A string -> index map: open addressing on batch_hash. */
struct batch_map {
	struct {
		char		*key;
		uint64_t	 h;
		size_t		 val;
	}			*slot;
	size_t			 cap, n;
};

static void	start_next(struct batch *);
static void	finish(struct batch *);
static void	emit_ready(struct batch *, struct batch_name *);
static void	on_stdout_gone(int, int, void *);
static void	signals_take(struct batch *);
static void	worker_reply(struct batch *, struct batch_name *, int,
		    const struct run_result *, struct buf *);

uint64_t
batch_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a 64 offset basis */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;		/* FNV 64 prime */
	}
	return h;
}

const char *
batch_line_name(const struct batch *b, size_t i)
{
	return b->names[b->lines[i]].key;
}

static struct batch_map *
map_new(void)
{
	struct batch_map *m = xcalloc(1, sizeof(*m));

	m->cap = 64;
	m->slot = xcalloc(m->cap, sizeof(*m->slot));
	return m;
}

static void
map_free(struct batch_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slot[i].key);
	free(m->slot);
	free(m);
}

static size_t
map_pos(const struct batch_map *m, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slot[i].key != NULL && (m->slot[i].h != h ||
	    strcmp(m->slot[i].key, key) != 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* The value for key, or NULL. */
static size_t *
map_get(const struct batch_map *m, const char *key)
{
	size_t i;

	if (m == NULL)
		return NULL;
	i = map_pos(m, key, batch_hash(key));
	return m->slot[i].key != NULL ? &m->slot[i].val : NULL;
}

static void
map_put(struct batch_map *m, const char *key, size_t val)
{
	struct batch_map old;
	uint64_t h = batch_hash(key);
	size_t i, j;

	if (2 * (m->n + 1) > m->cap) {
		old = *m;
		m->cap *= 2;
		m->slot = xcalloc(m->cap, sizeof(*m->slot));
		for (i = 0; i < old.cap; i++)
			if (old.slot[i].key != NULL) {
				j = map_pos(m, old.slot[i].key, old.slot[i].h);
				m->slot[j] = old.slot[i];
			}
		free(old.slot);
	}
	i = map_pos(m, key, h);
	if (m->slot[i].key == NULL) {
		m->slot[i].key = xstrdup(key);
		m->slot[i].h = h;
		m->n++;
	}
	m->slot[i].val = val;
}

/*
 * Write all of p to stdout: retried on EINTR and short writes, so a line
 * is never cut by a signal or a full pipe. A closed stdout (EPIPE) or
 * any other error stops the run.
 */
static void
out_write(struct batch *b, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0 && !b->closed) {
		n = write(STDOUT_FILENO, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (errno != EPIPE)
				fprintf(stderr, "mxprobe: stdout: %s\n",
				    strerror(errno));
			b->closed = 1;
			b->stopping = 1;
			return;
		}
		p += n;
		len -= (size_t)n;
	}
}

/*
 * A CSV field in the one escaping (util/esc.h: no control byte, valid
 * UTF-8), quoted when it holds a comma or a quote.
 */
static void
csv_field(struct buf *out, const char *s, int last)
{
	char *e = esc_str(s, ESC_TERM);
	const char *p;

	if (strpbrk(e, ",\"") == NULL)
		buf_printf(out, "%s", e);
	else {
		buf_printf(out, "\"");
		for (p = e; *p != '\0'; p++) {
			if (*p == '"')
				buf_printf(out, "\"\"");
			else
				buf_printf(out, "%c", *p);
		}
		buf_printf(out, "\"");
	}
	buf_printf(out, last ? "\n" : ",");
	free(e);
}

#define CSV_HEADER	"domain,status,exit_code,score,grade,findings," \
			"codes,error\n"
#define CSV_COLUMNS	8

static void
csv_row(struct buf *out, const char *domain, int status,
    const struct run_result *rr, const char *error)
{
	char num[32];
	size_t i;

	csv_field(out, domain, 0);
	csv_field(out, findings_status_name(status), 0);
	snprintf(num, sizeof(num), "%d", status);
	csv_field(out, num, 0);
	if (rr != NULL && rr->score >= 0)
		snprintf(num, sizeof(num), "%d", rr->score);
	else
		num[0] = '\0';
	csv_field(out, num, 0);
	csv_field(out, rr != NULL && rr->score >= 0 ? rr->grade : "", 0);
	snprintf(num, sizeof(num), "%zu", rr != NULL ? rr->nfindings : 0);
	csv_field(out, num, 0);
	for (i = 0; rr != NULL && i < rr->ncodes; i++)
		buf_printf(out, "%s%s", i ? " " : "",
		    finding_def((enum finding_code)rr->codes[i])->code);
	buf_printf(out, ",");
	csv_field(out, error != NULL ? error : "", 1);
}

/* A line that is no domain, or a probe interrupted: UNKNOWN, why. */
static void
unknown_line(const struct batch *b, const char *line, const char *why,
    int interrupted, struct buf *out)
{
	json_object *j;

	if (b->o->json) {
		j = json_object_new_object();
		json_object_object_add(j, "schema_version",
		    json_object_new_int(REPORT_SCHEMA_VERSION));
		json_object_object_add(j, "domain", json_str(line));
		json_object_object_add(j, "status",
		    json_enum(findings_status_name(EXIT_UNKNOWN)));
		json_object_object_add(j, "exit_code",
		    json_object_new_int(EXIT_UNKNOWN));
		json_object_object_add(j, "error", json_str(why));
		if (interrupted)
			json_object_object_add(j, "interrupted",
			    json_object_new_boolean(1));
		buf_printf(out, "%s\n", json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else if (b->o->csv)
		csv_row(out, line, EXIT_UNKNOWN, NULL, interrupted ?
		    "interrupted" : why);
	else
		esc_printf(out, 0, "%s UNKNOWN error=%s\n", line, why);
}

static void
count_status(struct batch *b, int status, size_t lines)
{
	b->by_status[status >= 0 && status <= 3 ? status : EXIT_UNKNOWN] +=
	    lines;
	b->status = b->any ? score_status_worse(b->status, status) : status;
	b->any = 1;
}

static void
name_done(struct batch_name *nm, struct buf *out, int status)
{
	nm->state = NAME_DONE;
	nm->status = status;
	nm->outlen = buf_len(out);
	nm->out = buf_steal(out);
	count_status(nm->b, status, nm->left);
}

/* Write one line of nm (each of its input lines gets one). */
static void
emit_one(struct batch *b, struct batch_name *nm)
{
	out_write(b, nm->out, nm->outlen);
	b->emitted++;
	if (--nm->left == 0) {
		free(nm->out);
		nm->out = NULL;
	}
}

/*
 * Write what may go: in input order the lines up to the first whose name
 * is not done (once stopping, lines never to be answered are passed);
 * with --order done, the lines of nm, just done (NULL: of every name
 * done, at the start and the end).
 */
static void
emit_ready(struct batch *b, struct batch_name *nm)
{
	size_t i;

	if (b->o->csv && !b->header_done) {
		b->header_done = 1;
		out_write(b, CSV_HEADER, strlen(CSV_HEADER));
	}
	if (b->o->order_done) {
		for (i = nm != NULL ? (size_t)(nm - b->names) : 0;
		    i < b->nnames && !b->closed; i++) {
			while (b->names[i].state == NAME_DONE &&
			    b->names[i].left > 0 && !b->closed)
				emit_one(b, &b->names[i]);
			if (nm != NULL)
				break;
		}
		return;
	}
	while (b->cursor < b->nlines && !b->closed) {
		nm = &b->names[b->lines[b->cursor]];
		if (nm->state == NAME_DONE)
			emit_one(b, nm);
		else if (!b->stopping || nm->state == NAME_RUN)
			break;
		b->cursor++;
	}
}

static void
on_probe(struct probe_facts *f, void *arg)
{
	struct batch_name *nm = arg;
	struct batch *b = nm->b;
	struct run_result rr;
	struct buf *out;
	size_t i;
	int st;

	nm->probe = NULL;
	if (nm->state != NAME_RUN || b->finished) {
		/* Marked interrupted already, or the run is over. */
		probe_facts_free(f);
		return;
	}
	b->running--;
	if (f->mx != NULL && (f->mx->outcome == DNS_TIMEOUT ||
	    f->mx->outcome == DNS_REFUSED))
		fprintf(stderr, _("mxprobe: the resolver %s did not answer "
		    "for %s (%s)\n"), b->o->resolvers.n ? b->o->resolvers.v[0] :
		    "from /etc/resolv.conf", f->domain,
		    dns_outcome_name(f->mx->outcome));
	out = buf_new(RUN_OUT_MAX);
	f->checked_at = nm->started;
	/* Port 25 behind each propagation server's MX set. */
	if (b->prop != NULL)
		propagation_join(b->prop, f);
	st = run_render(b->o, b->co, b->baseline, f, b->prop,
	    (const char *const *)b->servers, out, &rr);
	if (b->o->csv)
		csv_row(out, f->domain, st, &rr, NULL);
	if (b->worker != NULL) {
		probe_facts_free(f);
		worker_reply(b, nm, st, &rr, out);
		buf_free(out);
		return;
	}
	for (i = 0; i < rr.ncodes; i++)
		if (b->finding_count != NULL)
			b->finding_count[rr.codes[i]]++;
	name_done(nm, out, st);
	buf_free(out);
	probe_facts_free(f);
	emit_ready(b, b->o->order_done ? nm : NULL);
	start_next(b);
}

/* The live worker with the fewest in flight below its part, or -1. */
static int
job_pick(const struct batch *b)
{
	unsigned w, n = jobs_count(b->jobs);
	int best = -1;

	for (w = 0; w < n; w++)
		if (jobs_alive(b->jobs, w) && b->job_running[w] <
		    b->job_cap[w] && (best == -1 || b->job_running[w] <
		    b->job_running[best]))
			best = (int)w;
	return best;
}

/* Hand nm to a worker: 0 (sent, or answered when that worker died
 * meanwhile), -1 when every worker is full. */
static int
job_send(struct batch *b, struct batch_name *nm)
{
	unsigned char task[4];
	int w;

	if ((w = job_pick(b)) == -1)
		return -1;
	b->next++;
	nm->state = NAME_RUN;
	nm->job = (unsigned)w;
	nm->started = (int64_t)time(NULL);
	b->running++;
	b->job_running[w]++;
	frame_set_u32(task, (uint32_t)(nm - b->names));
	/* A failure calls on_job_lost first, which answers nm. */
	(void)jobs_send(b->jobs, (unsigned)w, task, sizeof(task));
	return 0;
}

/* An UNKNOWN line for a domain the run could not finish; --resume does
 * not count it as answered. */
static void
answer_unfinished(struct batch *b, struct batch_name *nm, const char *why)
{
	struct buf *out;

	out = buf_new(BUF_WHY_MAX * 4);
	unknown_line(b, nm->key, why, 1, out);
	name_done(nm, out, EXIT_UNKNOWN);
	buf_free(out);
}

/* No worker is left: the names never handed out are answered. */
static void
jobs_none_left(struct batch *b)
{
	size_t n = 0;

	for (; b->next < b->nnames; b->next++)
		if (b->names[b->next].state == NAME_WAIT) {
			answer_unfinished(b, &b->names[b->next], R_("not "
			    "probed: every worker process (--jobs) ended "
			    "before it"));
			n++;
		}
	if (n > 0) {
		fprintf(stderr, _("mxprobe: no worker process is left; %zu "
		    "domains not probed are answered UNKNOWN\n"), n);
		emit_ready(b, NULL);
	}
}

static void
start_next(struct batch *b)
{
	struct batch_name *nm;

	if (b->in_start)
		return;		/* a lost worker, from jobs_send below */
	b->in_start = 1;
	if (b->sigwatch != NULL)
		signals_take(b);
	while (!b->stopping && b->running < b->o->parallel &&
	    b->next < b->nnames) {
		nm = &b->names[b->next];
		if (nm->state != NAME_WAIT) {
			b->next++;
			continue;
		}
		if (b->jobs != NULL) {
			if (job_send(b, nm) == -1)
				break;	/* every worker is full */
			continue;
		}
		b->next++;
		nm->state = NAME_RUN;
		b->running++;
		nm->started = (int64_t)time(NULL);
		nm->probe = probe_start(b->loop, b->dns, b->pc, nm->key,
		    on_probe, nm);
	}
	if (b->jobs != NULL && jobs_live(b->jobs) == 0 && !b->stopping)
		jobs_none_left(b);
	b->in_start = 0;
	if (b->closed || (b->running == 0 && (b->stopping ||
	    b->next == b->nnames)))
		finish(b);
}

void
batch_add(struct batch *b, const char *domain)
{
	b->domains = xreallocarray(b->domains, b->ndomains + 1,
	    sizeof(*b->domains));
	b->domains[b->ndomains++] = xstrdup(domain);
	b->bad = xreallocarray(b->bad, b->ndomains, sizeof(*b->bad));
	b->bad[b->ndomains - 1] = NULL;
}

/*
 * One line into line (at most size - 2 octets, its newline and a NUL),
 * its length, NUL bytes and newline included, in *len: 0, 1 when it does
 * not fit, -1 at the end of the file. The last line fits the same
 * whether a newline ends it or not. fgets() would hide a NUL byte: the
 * line would look cut.
 */
static int
read_line(FILE *fp, char *line, size_t size, size_t *len)
{
	int c;

	*len = 0;
	while ((c = getc(fp)) != EOF) {
		if (c != '\n' && *len + 2 >= size)
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
	int rc;

	fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (fp == NULL) {
		buf_printf(why, _("--batch %s: %s"), path, strerror(errno));
		return -1;
	}
	rc = batch_read_fp(fp, path, b, why);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int
batch_read_fp(FILE *fp, const char *path, struct batch *b, struct buf *why)
{
	char line[BATCH_LINE_MAX + 2], *p, *e, shown[64];
	size_t lineno = 0, len;
	int rc;

	while ((rc = read_line(fp, line, sizeof(line), &len)) != -1) {
		lineno++;
		if (rc == 1) {
			buf_printf(why, _("--batch %s: line %zu is longer than "
			    "%zu characters"), path, lineno,
			    (size_t)BATCH_LINE_MAX);
			return -1;
		}
		if (memchr(line, '\0', len) != NULL) {
			/* This line only: the batch goes on. */
			snprintf(shown, sizeof(shown), "line %zu", lineno);
			batch_add(b, shown);
			b->bad[b->ndomains - 1] = xstrdup(R_("the line holds "
			    "a NUL byte"));
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
		buf_printf(why, _("--batch %s: %s"), path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The first field of a CSV row when the row has all CSV_COLUMNS fields
 * and its error is not "interrupted"; else NULL. Quoted fields are
 * undone in place.
 */
static char *
csv_answered(char *row)
{
	char *field[CSV_COLUMNS], *r = row, *w;
	size_t n = 0;

	while (n < CSV_COLUMNS) {
		field[n++] = w = r;
		if (*r == '"') {
			for (r++; *r != '\0'; r++) {
				if (*r == '"' && r[1] == '"')
					r++;
				else if (*r == '"')
					break;
				*w++ = *r;
			}
			if (*r != '"')
				return NULL;	/* cut inside quotes */
			r++;
		} else
			while (*r != '\0' && *r != ',')
				*w++ = *r++;
		if (*r == ',') {
			*w = '\0';
			r++;
			continue;
		}
		*w = '\0';
		break;
	}
	if (n != CSV_COLUMNS || *r != '\0')
		return NULL;
	if (strcmp(field[0], "domain") == 0 && strcmp(field[1], "status")
	    == 0)
		return NULL;			/* the header */
	if (strcmp(field[CSV_COLUMNS - 1], "interrupted") == 0)
		return NULL;
	return field[0];
}

int
batch_resume_read(const char *path, struct batch *b, struct buf *why)
{
	FILE *fp;
	int rc;

	if ((fp = fopen(path, "r")) == NULL) {
		buf_printf(why, _("--resume %s: %s"), path, strerror(errno));
		return -1;
	}
	rc = batch_resume_read_fp(fp, path, b, why);
	fclose(fp);
	return rc;
}

int
batch_resume_read_fp(FILE *fp, const char *path, struct batch *b,
    struct buf *why)
{
	char *line = NULL, *name;
	size_t cap = 0;
	ssize_t len;
	json_object *j, *d, *in;

	if (b->seen == NULL)
		b->seen = map_new();
	while ((len = getline(&line, &cap, fp)) != -1) {
		/* Only whole lines: the last may be cut. */
		if (len == 0 || line[len - 1] != '\n')
			break;
		line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (line[0] == '{') {
			if ((j = json_tokener_parse(line)) == NULL)
				continue;
			if (json_object_object_get_ex(j, "domain", &d) &&
			    json_object_is_type(d, json_type_string) &&
			    !(json_object_object_get_ex(j, "interrupted",
			    &in) && json_object_get_boolean(in)))
				map_put(b->seen, json_object_get_string(d), 0);
			json_object_put(j);
		} else if ((name = csv_answered(line)) != NULL)
			map_put(b->seen, name, 0);
	}
	if (ferror(fp)) {
		buf_printf(why, _("--resume %s: %s"), path, strerror(errno));
		free(line);
		return -1;
	}
	free(line);
	return 0;
}

/*
 * Whether the --resume output answered key. Every output writes a
 * line's name in the one escaping (csv_field, unknown_line's json_str
 * and esc_printf; a domain is unchanged by it): the name is compared in
 * that form, so a line that is no domain, written with its control or
 * non-UTF-8 bytes escaped, is found too.
 */
static int
resume_answered(const struct batch *b, const char *key)
{
	char *shown;
	int hit;

	if (b->seen == NULL)
		return 0;
	shown = esc_str(key, ESC_TERM);
	hit = map_get(b->seen, shown) != NULL;
	free(shown);
	return hit;
}

void
batch_plan(struct batch *b)
{
	struct batch_map *m;
	struct batch_name *nm;
	struct buf *why, *out;
	char dom[256];
	const char *key;
	size_t i, *idx;
	int bad;

	if (b->planned)
		return;
	b->planned = 1;
	b->names = xcalloc(b->ndomains ? b->ndomains : 1, sizeof(*b->names));
	b->lines = xcalloc(b->ndomains ? b->ndomains : 1, sizeof(*b->lines));
	b->finding_count = xcalloc(F__COUNT, sizeof(*b->finding_count));
	m = map_new();
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < b->ndomains; i++) {
		buf_reset(why);
		if (b->bad != NULL && b->bad[i] != NULL) {
			bad = 1;
			buf_printf(why, "%s", b->bad[i]);
		} else
			bad = cli_domain_check(b->domains[i], dom,
			    sizeof(dom), why) == -1;
		key = bad ? b->domains[i] : dom;
		if (b->o->shard_n > 0 &&
		    batch_hash(key) % b->o->shard_n != b->o->shard_k) {
			b->sharded++;
			continue;
		}
		if (resume_answered(b, key)) {
			b->resumed++;
			continue;
		}
		/* A line that is no domain is answered on its own. */
		if (!bad && (idx = map_get(m, key)) != NULL) {
			b->names[*idx].left++;
			b->lines[b->nlines++] = *idx;
			continue;
		}
		nm = &b->names[b->nnames];
		nm->b = b;
		nm->key = xstrdup(key);
		nm->bad = bad;
		nm->left = 1;
		if (bad) {
			out = buf_new(BUF_WHY_MAX * 4);
			unknown_line(b, key, buf_str(why), 0, out);
			name_done(nm, out, EXIT_UNKNOWN);
			buf_free(out);
		} else
			map_put(m, key, b->nnames);
		b->lines[b->nlines++] = b->nnames++;
	}
	buf_free(why);
	map_free(m);
}

void
batch_progress_text(const struct batch *b, uint64_t ms, struct buf *out)
{
	size_t done = b->by_status[0] + b->by_status[1] + b->by_status[2] +
	    b->by_status[3];
	double rate = ms > 0 ? done * 1000.0 / (double)ms : 0;

	buf_printf(out, _("mxprobe: %zu/%zu done, %.1f/s"), done, b->nlines,
	    rate);
	if (rate > 0 && done < b->nlines)
		buf_printf(out, _(", ETA %.0f s"),
		    (double)(b->nlines - done) / rate);
	buf_printf(out, _("; OK %zu, WARNING %zu, CRITICAL %zu, UNKNOWN %zu"),
	    b->by_status[0], b->by_status[1], b->by_status[2],
	    b->by_status[3]);
}

void
batch_summary_text(const struct batch *b, uint64_t ms, struct buf *out)
{
	size_t done = b->by_status[0] + b->by_status[1] + b->by_status[2] +
	    b->by_status[3];
	size_t top[5], ntop = 0, i, j, k;

	buf_printf(out, _("mxprobe: %zu of %zu lines answered (%zu distinct "
	    "names"), done, b->nlines, b->nnames);
	if (b->resumed > 0)
		buf_printf(out, _(", %zu lines answered before (--resume)"),
		    b->resumed);
	if (b->sharded > 0)
		buf_printf(out, _(", %zu lines in other shards"), b->sharded);
	buf_printf(out, _(") in %.1f s: OK %zu, WARNING %zu, CRITICAL %zu, "
	    "UNKNOWN %zu\n"), (double)ms / 1000.0, b->by_status[0],
	    b->by_status[1], b->by_status[2], b->by_status[3]);
	if (b->signo != 0)
		buf_printf(out,
		    _("mxprobe: stopped by signal %d (%s); --resume "
		    "with this output answers the rest\n"), b->signo,
		    b->signo == SIGINT ? "SIGINT" : b->signo == SIGTERM ?
		    "SIGTERM" : "?");
	if (b->closed)
		buf_printf(out, _("mxprobe: stopped: stdout was closed\n"));
	/* The five codes raised for the most names, ties by code order. */
	for (i = 0; b->finding_count != NULL && i < F__COUNT; i++) {
		if (b->finding_count[i] == 0)
			continue;
		for (j = 0; j < ntop && b->finding_count[top[j]] >=
		    b->finding_count[i]; j++)
			;
		if (j == 5)
			continue;
		for (k = ntop < 5 ? ntop : 4; k > j; k--)
			top[k] = top[k - 1];
		top[j] = i;
		if (ntop < 5)
			ntop++;
	}
	if (ntop > 0) {
		buf_printf(out, _("mxprobe: most common findings:"));
		for (i = 0; i < ntop; i++)
			buf_printf(out, "%s %s (%zu)", i ? "," : "",
			    finding_def((enum finding_code)top[i])->code,
			    b->finding_count[top[i]]);
		buf_printf(out, "\n");
	}
}

/* The progress line is rewritten in place: "\r", text, erase to end. */
static void
on_tick(void *arg)
{
	struct batch *b = arg;
	struct buf *t;

	t = buf_new(1024);
	batch_progress_text(b, evloop_clock() - b->t0, t);
	fprintf(stderr, "\r%s\033[K", buf_str(t));
	buf_free(t);
	b->tick = evloop_timer_add(b->loop, 1000, on_tick, b);
}

static void
finish(struct batch *b)
{
	struct buf *t;
	size_t i;

	if (b->finished)
		return;
	b->finished = 1;
	emit_ready(b, NULL);
	if (b->tick != NULL) {
		evloop_timer_del(b->tick);
		b->tick = NULL;
		fprintf(stderr, "\r\033[K");
	}
	if (b->sigwatch != NULL) {
		evloop_io_del(b->sigwatch);
		b->sigwatch = NULL;
	}
	if (b->outwatch != NULL) {
		evloop_io_del(b->outwatch);
		b->outwatch = NULL;
	}
	if (b->o->batch != NULL) {
		t = buf_new(4096);
		batch_summary_text(b, evloop_clock() - b->t0, t);
		fputs(buf_str(t), stderr);
		buf_free(t);
	}
	/*
	 * Probes in flight are dropped; and when the last report is out,
	 * what is still in flight (questions the deadline abandoned, which
	 * c-ares would retry until its own timeouts) must not keep the
	 * process alive: main() destroys the channel next.
	 */
	if (b->closed || b->abandoned) {
		/* Stop what is in flight: its callback frees its facts. */
		for (i = 0; i < b->nnames; i++)
			if (b->names[i].probe != NULL)
				probe_stop(b->names[i].probe);
		/* And the workers, at once: nothing of theirs is wanted. */
		jobs_kill(b->jobs);
	}
	if (b->closed || b->abandoned || b->running == 0)
		evloop_break(b->loop);
}

/* Second signal: the probes in flight are answered "interrupted". */
static void
interrupt_now(struct batch *b)
{
	struct batch_name *nm;
	struct buf *out;
	size_t i;

	for (i = 0; i < b->nnames; i++) {
		nm = &b->names[i];
		if (nm->state != NAME_RUN)
			continue;
		out = buf_new(BUF_WHY_MAX * 4);
		unknown_line(b, nm->key, "interrupted before the probe "
		    "finished", 1, out);
		name_done(nm, out, EXIT_UNKNOWN);
		buf_free(out);
		b->running--;
		b->abandoned = 1;
	}
}

/*
 * Signals: the handler notes the first one and counts them, and wakes the
 * loop through a pipe (the self-pipe trick); start_next() reads the
 * count too, so a signal that came during a long write starts nothing.
 */
static int			sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t	sig_first;
static volatile sig_atomic_t	sig_count;

static void
on_signal(int signo)
{
	unsigned char c = (unsigned char)signo;
	int saved = errno;

	if (sig_first == 0)
		sig_first = signo;
	if (sig_count < 2)
		sig_count++;
	if (write(sigpipe_fd[1], &c, 1) == -1) {
		/* The pipe is full: the loop is woken already. */
	}
	errno = saved;
}

/* Act on the signals counted so far: stop, or stop at once. */
static void
signals_take(struct batch *b)
{
	if (sig_count >= 1 && b->signo == 0) {
		b->signo = sig_first;
		b->stopping = 1;
		log_debug("signal %d: no new domain; %d in flight",
		    b->signo, b->running);
	}
	if (sig_count >= 2)
		interrupt_now(b);
}

static void
on_sigread(int fd, int events, void *arg)
{
	struct batch *b = arg;
	unsigned char c[16];

	(void)events;
	while (read(fd, c, sizeof(c)) > 0)
		;
	signals_take(b);
	emit_ready(b, NULL);
	start_next(b);
}

static void
signals_init(struct batch *b)
{
	struct sigaction sa;
	int i;

	if (sigpipe_fd[0] == -1) {
		if (pipe(sigpipe_fd) == -1) {
			log_warn("signal pipe");
			return;
		}
		for (i = 0; i < 2; i++) {
			fcntl(sigpipe_fd[i], F_SETFL, O_NONBLOCK);
			fcntl(sigpipe_fd[i], F_SETFD, FD_CLOEXEC);
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	b->sigwatch = evloop_io_add(b->loop, sigpipe_fd[0], EV_READ,
	    on_sigread, b);
}

/*
 * A pipe or socket on stdout whose reader is gone polls as an error even
 * with no events asked for: the run stops then, not at its next write.
 */
static void
on_stdout_gone(int fd, int events, void *arg)
{
	struct batch *b = arg;

	(void)fd;
	if (!(events & EV_ERROR))
		return;
	evloop_io_del(b->outwatch);
	b->outwatch = NULL;
	b->closed = 1;
	b->stopping = 1;
	finish(b);
}

static void
probes_start(struct batch *b)
{
	struct stat st;

	batch_plan(b);
	b->t0 = evloop_clock();
	if (b->o->batch != NULL) {
		signals_init(b);
		if (fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) ||
		    S_ISSOCK(st.st_mode)))
			b->outwatch = evloop_io_add(b->loop, STDOUT_FILENO, 0,
			    on_stdout_gone, b);
		if (isatty(STDERR_FILENO))
			b->tick = evloop_timer_add(b->loop, 1000, on_tick, b);
	}
	emit_ready(b, NULL);
	start_next(b);
}

/*
 * --jobs, the parent: a worker's result is [index, status, number of
 * codes, codes..., the rendered line(s)], each number 4 octets big-endian
 * (util/frame.h); its task was [index] (job_send).
 */
#define RESULT_HDR	12

static void
on_job_result(void *arg, unsigned w, const unsigned char *p, size_t len)
{
	struct batch *b = arg;
	struct batch_name *nm;
	struct buf *out;
	size_t idx, ncodes, i;
	uint32_t st;

	if (b->finished)
		return;
	if (len < RESULT_HDR || (idx = frame_get_u32(p)) >= b->nnames)
		goto bad;
	nm = &b->names[idx];
	if (nm->state == NAME_DONE && nm->job == w)
		return;		/* answered "interrupted" meanwhile */
	st = frame_get_u32(p + 4);
	ncodes = frame_get_u32(p + 8);
	if (nm->state != NAME_RUN || nm->job != w || st > EXIT_UNKNOWN ||
	    ncodes > RUN_MAX_CODES || len - RESULT_HDR < 4 * ncodes)
		goto bad;
	for (i = 0; i < ncodes; i++)
		if (frame_get_u32(p + RESULT_HDR + 4 * i) >= F__COUNT)
			goto bad;
	for (i = 0; i < ncodes; i++)
		b->finding_count[frame_get_u32(p + RESULT_HDR + 4 * i)]++;
	i = RESULT_HDR + 4 * ncodes;
	out = buf_new(RUN_OUT_MAX);
	(void)buf_append(out, p + i, len - i);
	b->running--;
	b->job_running[w]--;
	name_done(nm, out, (int)st);
	buf_free(out);
	emit_ready(b, b->o->order_done ? nm : NULL);
	start_next(b);
	return;
bad:
	log_warnx("worker %u sent a malformed result", w);
	jobs_drop(b->jobs, w);		/* on_job_lost answers its domains */
}

/* Worker w is gone: each of its domains in flight is answered UNKNOWN. */
static void
on_job_lost(void *arg, unsigned w, const char *how)
{
	struct batch *b = arg;
	struct batch_name *nm;
	struct buf *why;
	size_t i, n = 0;

	if (b->finished)
		return;
	why = buf_new(BUF_WHY_MAX);
	buf_printf(why, R_("its worker process (--jobs) ended before the "
	    "probe finished: %s"), how);
	for (i = 0; i < b->nnames; i++) {
		nm = &b->names[i];
		if (nm->state != NAME_RUN || nm->job != w)
			continue;
		answer_unfinished(b, nm, buf_str(why));
		b->running--;
		n++;
	}
	buf_free(why);
	b->job_running[w] = 0;
	fprintf(stderr, _("mxprobe: worker process %u ended: %s\n"), w, how);
	if (n > 0)
		fprintf(stderr, ngettext("mxprobe: %zu domain in flight is "
		    "answered UNKNOWN\n", "mxprobe: %zu domains in flight are "
		    "answered UNKNOWN\n", n), n);
	emit_ready(b, NULL);
	start_next(b);
}

unsigned
batch_jobs(struct batch *b)
{
	size_t i, probed = 0;
	unsigned n, par = (unsigned)b->o->parallel;

	if (b->o->batch == NULL)
		return 1;
	batch_plan(b);
	for (i = 0; i < b->nnames; i++)
		if (!b->names[i].bad)
			probed++;
	n = b->o->jobs > 0 ? (unsigned)b->o->jobs : jobs_auto(jobs_cpus(),
	    probed, par);
	if (n > par)
		n = par;
	/* Each worker needs a socket of the run's: their parts must sum
	 * to the cap (jobs_share gives at least 1). */
	if (!b->o->dns_only && n > env_socket_cap())
		n = env_socket_cap();
	if (n > probed)
		n = (unsigned)probed;
	return n > 0 ? n : 1;
}

void
batch_jobs_start(struct batch *b, struct jobs *pool)
{
	unsigned w, n = jobs_count(pool);

	b->jobs = pool;
	b->job_running = xcalloc(n, sizeof(*b->job_running));
	b->job_cap = xcalloc(n, sizeof(*b->job_cap));
	for (w = 0; w < n; w++)
		b->job_cap[w] = jobs_share((unsigned)b->o->parallel, n, w);
	log_debug("--jobs: %u worker processes", n);
	jobs_attach(pool, b->loop, b->o->timeout_ms, on_job_result,
	    on_job_lost, b);
	batch_start(b);
}

/* --jobs, a worker: one result to the parent (see RESULT_HDR). */
static void
worker_reply(struct batch *b, struct batch_name *nm, int st,
    const struct run_result *rr, struct buf *out)
{
	struct buf *msg, *big = NULL;
	unsigned char u[4];
	size_t i, ncodes = rr != NULL ? rr->ncodes : 0;

	if (RESULT_HDR + 4 * ncodes + buf_len(out) > FRAME_MAX) {
		big = buf_new(BUF_WHY_MAX * 4);
		unknown_line(b, nm->key, R_("the report is larger than a "
		    "worker process (--jobs) can hand over"), 0, big);
		out = big;
		st = EXIT_UNKNOWN;
		ncodes = 0;
	}
	msg = buf_new(FRAME_MAX);
	frame_set_u32(u, (uint32_t)(nm - b->names));
	(void)buf_append(msg, u, 4);
	frame_set_u32(u, (uint32_t)st);
	(void)buf_append(msg, u, 4);
	frame_set_u32(u, (uint32_t)ncodes);
	(void)buf_append(msg, u, 4);
	for (i = 0; i < ncodes; i++) {
		frame_set_u32(u, (uint32_t)rr->codes[i]);
		(void)buf_append(msg, u, 4);
	}
	(void)buf_append(msg, buf_str(out), buf_len(out));
	buf_free(big);
	nm->state = NAME_DONE;
	b->running--;
	/* A parent gone calls on_parent_gone from inside. */
	(void)jobs_worker_reply(b->worker, buf_str(msg), buf_len(msg));
	buf_free(msg);
}

static void
on_task(void *arg, const unsigned char *p, size_t len)
{
	struct batch *b = arg;
	struct batch_name *nm;
	struct buf *out;
	size_t idx;

	if (len != 4 || (idx = frame_get_u32(p)) >= b->nnames) {
		log_warnx("--jobs: a malformed task from the parent");
		return;
	}
	nm = &b->names[idx];
	if (nm->state != NAME_WAIT || nm->bad) {
		/* Never sent twice; answered so the parent does not wait. */
		out = buf_new(BUF_WHY_MAX * 4);
		unknown_line(b, nm->key, R_("handed to a worker process "
		    "twice"), 1, out);
		nm->state = NAME_RUN;
		b->running++;
		worker_reply(b, nm, EXIT_UNKNOWN, NULL, out);
		buf_free(out);
		return;
	}
	nm->state = NAME_RUN;
	b->running++;
	nm->started = (int64_t)time(NULL);
	nm->probe = probe_start(b->loop, b->dns, b->pc, nm->key, on_probe,
	    nm);
}

/* The channel's end: the run is over or the parent is gone. */
static void
on_parent_gone(void *arg)
{
	struct batch *b = arg;
	size_t i;

	b->closed = 1;
	b->stopping = 1;
	b->finished = 1;
	for (i = 0; i < b->nnames; i++)
		if (b->names[i].probe != NULL)
			probe_stop(b->names[i].probe);
	evloop_break(b->loop);
}

void
batch_worker_start(struct batch *b, struct jobs_worker *me)
{
	b->worker = me;
	b->t0 = evloop_clock();
	jobs_worker_attach(me, b->loop, on_task, on_parent_gone, b);
}

static void
on_propagation(struct propagation_facts *pf, void *arg)
{
	struct batch *b = arg;

	b->prop = pf;
	/* The exchangers of every set seen are probed with the domain's
	 * (those outside its own set like the --old-mx hosts). */
	b->pc->prop_mx = (const char **)pf->hosts;
	probes_start(b);
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
		probes_start(b);
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
	if (b->worker != NULL)
		return EXIT_OK;		/* the parent answers for the run */
	if (b->closed)
		return BATCH_EXIT_EPIPE;
	if (b->signo != 0)
		return 128 + b->signo;
	if ((!b->planned && b->ndomains > 0) || b->running > 0 ||
	    b->emitted < b->nlines) {
		fprintf(stderr, _("mxprobe: the probe did not finish\n"));
		return EXIT_UNKNOWN;
	}
	if (!b->any) {
		if (b->resumed > 0 || b->sharded > 0)
			return EXIT_OK;	/* nothing left for this run */
		fprintf(stderr, _("mxprobe: --batch %s holds no domain\n"),
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
	for (i = 0; i < b->nnames; i++) {
		free(b->names[i].key);
		free(b->names[i].out);
	}
	free(b->names);
	free(b->lines);
	free(b->finding_count);
	free(b->job_running);
	free(b->job_cap);
	map_free(b->seen);
	propagation_facts_free(b->prop);
	memset(b, 0, sizeof(*b));
}
