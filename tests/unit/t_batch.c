/*
 * Unit tests for src/app/batch.c: reading the --batch list, the status,
 * the plan (de-duplication, --shard, --resume), the hash, the progress
 * and summary lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/batch.h"
#include "app/cli.h"
#include "app/jobs.h"
#include "analyze/findings.h"
#include "util/buf.h"
#include "tap.h"

#define NO_MORE	NULL

static const struct {
	const char	*name;
	const char	*text;		/* the file's contents */
	const char	*want[5];	/* domains read, NULL-ended */
} lists[] = {
	{ "one per line", "a.example\nb.example\n",
	    { "a.example", "b.example", NO_MORE } },
	{ "no final newline", "a.example\nb.example",
	    { "a.example", "b.example", NO_MORE } },
	{ "blank lines and comments", "\n# a comment\n\na.example # why\n"
	    "   \t\n#b.example\n", { "a.example", NO_MORE } },
	{ "white space and CRLF trimmed", "  a.example \t\r\n\tb.example\r\n",
	    { "a.example", "b.example", NO_MORE } },
	{ "kept as written: checked when probed", "not a domain!\n",
	    { "not a domain!", NO_MORE } },
	{ "empty file", "", { NO_MORE } },
	{ "only comments", "# x\n#y\n", { NO_MORE } },
};

static char *
write_tmp(const char *text, size_t len)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/t_batch.XXXXXX");
	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		perror("t_batch: temporary file");
		exit(1);
	}
	fwrite(text, 1, len, fp);
	fclose(fp);
	return path;
}

static void
test_read(void)
{
	struct batch b;
	struct buf *why;
	char *path;
	size_t i, n, want;
	int rc, same;
	FILE *fp;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		memset(&b, 0, sizeof(b));
		why = buf_new(BUF_WHY_MAX);
		path = write_tmp(lists[i].text, strlen(lists[i].text));
		rc = batch_read(path, &b, why);
		unlink(path);
		for (want = 0; lists[i].want[want] != NULL; want++)
			;
		same = rc == 0 && b.ndomains == want;
		for (n = 0; same && n < b.ndomains; n++)
			same = strcmp(b.domains[n], lists[i].want[n]) == 0;
		ok(same, "batch_read: %s", lists[i].name);
		batch_free(&b);
		/* The same bytes from a stream in memory (fuzz_batch). */
		memset(&b, 0, sizeof(b));
		fp = fmemopen((void *)(uintptr_t)lists[i].text,
		    strlen(lists[i].text), "r");
		rc = fp != NULL ? batch_read_fp(fp, "mem", &b, why) : -1;
		if (fp != NULL)
			fclose(fp);
		same = rc == 0 && b.ndomains == want;
		for (n = 0; same && n < b.ndomains; n++)
			same = strcmp(b.domains[n], lists[i].want[n]) == 0;
		ok(same, "batch_read_fp: %s", lists[i].name);
		batch_free(&b);
		buf_free(why);
	}
}

static void
test_read_errors(void)
{
	struct batch b;
	struct buf *why;
	char line[1100], *path;

	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	ok(batch_read("/nonexistent/batch-list", &b, why) == -1 &&
	    strstr(buf_str(why), "--batch /nonexistent/batch-list: ") ==
	    buf_str(why), "an unreadable file is an error that names it");
	batch_free(&b);
	buf_free(why);

	/* 1022 characters and the newline fit the line buffer; 1023 not. */
	memset(line, 'a', sizeof(line));
	line[1022] = '\n';
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1023);
	ok(batch_read(path, &b, why) == 0 && b.ndomains == 1 &&
	    strlen(b.domains[0]) == 1022, "a line of 1022 characters is read");
	unlink(path);
	batch_free(&b);
	buf_free(why);

	line[1022] = 'a';
	line[1023] = '\n';
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1024);
	ok(batch_read(path, &b, why) == -1 &&
	    strstr(buf_str(why), "line 1 is longer than 1022 characters") !=
	    NULL, "a longer line is an error, not split in two");
	unlink(path);
	batch_free(&b);
	buf_free(why);
	/* The last line without its newline: the same limit. */
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1022);
	ok(batch_read(path, &b, why) == 0 && b.ndomains == 1 &&
	    strlen(b.domains[0]) == 1022, "1022 characters and no newline "
	    "at the end: read");
	unlink(path);
	batch_free(&b);
	buf_free(why);
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line, 1023);
	ok(batch_read(path, &b, why) == -1 &&
	    strstr(buf_str(why), "line 1 is longer than 1022 characters") !=
	    NULL, "1023 characters and no newline at the end: the same "
	    "error");
	unlink(path);
	batch_free(&b);
	buf_free(why);
	/* CRLF: the CR is a character of the line. */
	line[1022] = '\r';
	line[1023] = '\n';
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp(line + 1, 1023);
	ok(batch_read(path, &b, why) == 0 && b.ndomains == 1 &&
	    strlen(b.domains[0]) == 1021, "1021 characters and CRLF: read, "
	    "the CR trimmed");
	unlink(path);
	batch_free(&b);
	buf_free(why);
	/* A NUL byte: that line is an error of its own, the rest is read. */
	memset(&b, 0, sizeof(b));
	why = buf_new(BUF_WHY_MAX);
	path = write_tmp("a.example\nbad\0x.example\nc.example\n", 33);
	ok(batch_read(path, &b, why) == 0, "a NUL byte does not end the "
	    "batch");
	ok(b.ndomains == 3 && strcmp(b.domains[0], "a.example") == 0 &&
	    b.bad[0] == NULL && strcmp(b.domains[2], "c.example") == 0 &&
	    b.bad[2] == NULL, "the lines around it are domains");
	ok(b.ndomains == 3 && strcmp(b.domains[1], "line 2") == 0 &&
	    b.bad[1] != NULL && strstr(b.bad[1], "NUL byte") != NULL,
	    "the line is named, with the reason");
	unlink(path);
	batch_free(&b);
	buf_free(why);
}

static void
test_status(void)
{
	struct cli o;
	struct batch b;

	memset(&o, 0, sizeof(o));
	o.batch = "list";
	memset(&b, 0, sizeof(b));
	b.o = &o;
	is_int(batch_status(&b), EXIT_UNKNOWN, "a list with no domain is "
	    "UNKNOWN");
	b.any = 1;
	b.status = EXIT_WARNING;
	is_int(batch_status(&b), EXIT_WARNING, "the worst status is the "
	    "run's");
	batch_add(&b, "a.example");
	is_int(batch_status(&b), EXIT_UNKNOWN, "a domain never probed is "
	    "UNKNOWN");
	b.next = 1;
	b.running = 1;
	is_int(batch_status(&b), EXIT_UNKNOWN, "a probe still running is "
	    "UNKNOWN");
	batch_free(&b);
}

static void
test_hash(void)
{
	/* The FNV-1a 64 reference values (draft-eastlake-fnv, test vectors). */
	ok(batch_hash("") == 0xcbf29ce484222325ULL, "FNV-1a 64 of \"\"");
	ok(batch_hash("a") == 0xaf63dc4c8601ec8cULL, "FNV-1a 64 of \"a\"");
	ok(batch_hash("foobar") == 0x85944171f73967e8ULL,
	    "FNV-1a 64 of \"foobar\"");
}

static void
plan(struct batch *b, struct cli *o, const char *const *lines)
{
	memset(b, 0, sizeof(*b));
	b->o = o;
	for (; *lines != NULL; lines++)
		batch_add(b, *lines);
	batch_plan(b);
}

static void
test_dedup(void)
{
	static const char *const lines[] = { "good.example", "GOOD.EXAMPLE",
	    "good.example.", "other.example", "bad..example", "bad..example",
	    "Good.Example", NULL };
	struct cli o;
	struct batch b;

	memset(&o, 0, sizeof(o));
	o.batch = "list";
	o.json = 1;
	plan(&b, &o, lines);
	is_int((int)b.nlines, 7, "de-duplication: every line is answered");
	is_int((int)b.nnames, 4, "de-duplication: good.example once, "
	    "other.example, each line that is no domain on its own");
	ok(b.lines[0] == b.lines[1] && b.lines[1] == b.lines[2] &&
	    b.lines[2] == b.lines[6], "case and a trailing dot are ignored");
	ok(b.lines[4] != b.lines[5], "a line that is no domain is not "
	    "merged");
	is_int((int)b.by_status[EXIT_UNKNOWN], 2, "the two bad lines are "
	    "answered UNKNOWN before any probe");
	batch_free(&b);
}

/* --jobs: how many workers a planned list gets. */
static void
test_jobs(void)
{
	static const char *const lines[] = { "a.example", "b.example",
	    "A.EXAMPLE", "c.example", "bad..example", "d.example",
	    "e.example", "bad..example", NULL };
	static const struct {
		const char	*name;
		int		 jobs, parallel;
		unsigned	 want;
	} t[] = {
		{ "--jobs 3: three", 3, 16, 3 },
		{ "--jobs 1: one process", 1, 16, 1 },
		{ "no more workers than distinct names to probe (5; lines "
		    "that are no domain are not probed)", 10, 16, 5 },
		{ "no more workers than --parallel", 4, 2, 2 },
		{ "auto, a short list: one process", 0, 16, 1 },
	};
	char *many[JOBS_AUTO_MIN + 2];
	struct cli o;
	struct batch b;
	unsigned want;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.batch = "list";
		o.dns_only = 1;
		o.jobs = t[i].jobs;
		o.parallel = t[i].parallel;
		plan(&b, &o, lines);
		is_int(batch_jobs(&b), t[i].want, t[i].name);
		batch_free(&b);
	}
	for (i = 0; i < JOBS_AUTO_MIN + 1; i++) {
		many[i] = malloc(32);
		snprintf(many[i], 32, "d%zu.example", i);
	}
	many[i] = NULL;
	memset(&o, 0, sizeof(o));
	o.batch = "list";
	o.dns_only = 1;
	o.parallel = 16;
	plan(&b, &o, (const char *const *)many);
	want = jobs_cpus() < 16 ? jobs_cpus() : 16;
	is_int(batch_jobs(&b), want, "auto, a long list: one per CPU, at "
	    "most --parallel");
	batch_free(&b);
	o.batch = NULL;
	memset(&b, 0, sizeof(b));
	b.o = &o;
	o.jobs = 4;
	is_int(batch_jobs(&b), 1, "--domain: one process");
	for (i = 0; many[i] != NULL; i++)
		free(many[i]);
}

/* --shard K/N for every K: each line in exactly one shard. */
static void
test_shards(void)
{
	static char names[600][40];
	const char *lines[601];
	struct cli o;
	struct batch b;
	size_t i, total, k, kept[7], owner[600];
	int exact = 1, spread = 1;
	unsigned n;

	for (i = 0; i < 600; i++) {
		snprintf(names[i], sizeof(names[i]), i % 5 == 4 ?
		    "D%zu.Example." : i % 7 == 6 ? "no domain %zu" :
		    "d%zu.example", i / 2);
		lines[i] = names[i];
	}
	lines[600] = NULL;
	for (n = 1; n <= 7; n += 3) {
		for (i = 0; i < 600; i++)
			owner[i] = 0;
		total = 0;
		for (k = 0; k < n; k++) {
			memset(&o, 0, sizeof(o));
			o.batch = "list";
			o.shard_k = (unsigned)k;
			o.shard_n = n;
			plan(&b, &o, lines);
			kept[k] = b.nlines;
			total += b.nlines;
			if (b.nlines + b.sharded != 600)
				exact = 0;
			batch_free(&b);
		}
		/* Which shard keeps line i: plan each line alone. */
		for (i = 0; i < 600; i++)
			for (k = 0; k < n; k++) {
				const char *one[2] = { lines[i], NULL };

				memset(&o, 0, sizeof(o));
				o.batch = "list";
				o.shard_k = (unsigned)k;
				o.shard_n = n;
				plan(&b, &o, one);
				owner[i] += b.nlines;
				batch_free(&b);
			}
		for (i = 0; i < 600; i++)
			if (owner[i] != 1)
				exact = 0;
		if (total != 600)
			exact = 0;
		for (k = 0; n > 1 && k < n; k++)
			if (kept[k] < 600 / n / 2)
				spread = 0;
		ok(exact, "--shard K/%u: the shards partition the input "
		    "exactly", n);
		ok(spread, "--shard K/%u: no shard is nearly empty", n);
	}
}

/* b planned from lines after --resume read text (o is b's options). */
static int
resume_plan(const char *text, const char *const *lines, struct cli *o,
    struct batch *b, struct buf *why)
{
	char *path;
	size_t i;
	int rc;

	memset(o, 0, sizeof(*o));
	o->batch = "list";
	memset(b, 0, sizeof(*b));
	b->o = o;
	path = write_tmp(text, strlen(text));
	rc = batch_resume_read(path, b, why);
	unlink(path);
	for (i = 0; lines[i] != NULL; i++)
		batch_add(b, lines[i]);
	batch_plan(b);
	return rc;
}

static void
test_resume(void)
{
	static const char text[] =
	    "domain,status,exit_code,score,grade,findings,codes,error\n"
	    "a.example,OK,0,100,A,0,,\n"
	    "\"b.example\",WARNING,1,90,A,1,DKIM_NO_KEY_FOUND,\n"
	    "c.example,CRITICAL,2,20\n"
	    "d.example,UNKNOWN,3,,,0,,interrupted\n"
	    "{\"domain\":\"e.example\",\"status\":\"ok\"}\n"
	    "{\"domain\":\"f.example\",\"interrupted\":true}\n"
	    "{\"domain\":\"g.exa\n"
	    "{\"domain\":\"h.example\",\"status\":\"ok\"}";
	static const char *const lines[] = { "a.example", "b.example",
	    "c.example", "d.example", "e.example", "f.example", "g.example",
	    "h.example", "A.EXAMPLE.", NULL };
	/*
	 * A line that is no domain is written escaped (util/esc.h): it
	 * is found in that form, from JSON and CSV alike, or it would be
	 * answered again.
	 */
	static const char esc_text[] =
	    "{\"domain\":\"a\\\\x1b[2Jb.example\",\"status\":\"unknown\"}\n"
	    "\\xff.example,UNKNOWN,3,,,0,,bad\n"
	    "\"x,\"\"y\\x0d.example\",UNKNOWN,3,,,0,,bad\n"
	    "{\"domain\":\"back\\\\\\\\slash\",\"status\":\"unknown\"}\n"
	    "{\"domain\":\"esc\\u001bhere\",\"status\":\"unknown\"}\n";
	static const char *const esc_lines[] = { "a\x1b[2Jb.example",
	    "\xff.example", "x,\"y\r.example", "back\\slash",
	    "esc\x1bhere", "\\xff.example", "other.example", NULL };
	struct cli o;
	struct batch b;
	struct buf *why;
	size_t i;
	int rc;

	why = buf_new(BUF_WHY_MAX);
	rc = resume_plan(text, lines, &o, &b, why);
	ok(rc == 0 && b.resumed == 4 && b.nlines == 5,
	    "--resume: whole CSV rows and JSON lines count (a, b, e, A.), "
	    "rows cut short, interrupted ones and a last line without its "
	    "newline do not (c, d, f, g, h)");
	for (i = 0; i < b.nlines; i++)
		if (strchr("abe", batch_line_name(&b, i)[0]) != NULL)
			rc = -1;
	ok(rc == 0, "--resume: the answered names are not planned");
	batch_free(&b);
	rc = resume_plan(esc_text, esc_lines, &o, &b, why);
	ok(rc == 0 && b.resumed == 4,
	    "--resume: lines written escaped count as answered (an ESC "
	    "sequence, a byte not UTF-8, a CR in a quoted CSV field, a "
	    "backslash)");
	ok(b.nlines == 3, "--resume: a raw control in the earlier output, "
	    "the literal text of an escape and a new name are not answered "
	    "(%zu lines left)", b.nlines);
	for (i = 0; i < b.nlines; i++)
		if (strcmp(batch_line_name(&b, i), "esc\x1bhere") != 0 &&
		    strcmp(batch_line_name(&b, i), "\\xff.example") != 0 &&
		    strcmp(batch_line_name(&b, i), "other.example") != 0)
			rc = -1;
	ok(rc == 0, "--resume: the answered escaped lines are not planned");
	batch_free(&b);
	memset(&b, 0, sizeof(b));
	ok(batch_resume_read("/nonexistent/out", &b, why) == -1 &&
	    strstr(buf_str(why), "--resume /nonexistent/out: ") != NULL,
	    "--resume: an unreadable file is an error that names it");
	batch_free(&b);
	buf_free(why);
}

static void
test_texts(void)
{
	static const char *const lines[] = { "a.example", "b.example",
	    "no domain", NULL };
	struct cli o;
	struct batch b;
	struct buf *t;

	memset(&o, 0, sizeof(o));
	o.batch = "list";
	plan(&b, &o, lines);
	b.by_status[0] = 1;
	t = buf_new(4096);
	batch_progress_text(&b, 2000, t);
	is_str(buf_str(t), "mxprobe: 2/3 done, 1.0/s, ETA 1 s; OK 1, "
	    "WARNING 0, CRITICAL 0, UNKNOWN 1", "the progress line");
	buf_reset(t);
	b.finding_count[F_DKIM_NO_KEY_FOUND] = 1;
	b.finding_count[F_DNSSEC_UNSIGNED] = 2;
	batch_summary_text(&b, 2500, t);
	is_str(buf_str(t), "mxprobe: 2 of 3 lines answered (3 distinct "
	    "names) in 2.5 s: OK 1, WARNING 0, CRITICAL 0, UNKNOWN 1\n"
	    "mxprobe: most common findings: DNSSEC_UNSIGNED (2), "
	    "DKIM_NO_KEY_FOUND (1)\n", "the summary");
	buf_free(t);
	batch_free(&b);
}

int
main(void)
{
	test_read();
	test_read_errors();
	test_status();
	test_hash();
	test_dedup();
	test_jobs();
	test_shards();
	test_resume();
	test_texts();
	return tap_done();
}
