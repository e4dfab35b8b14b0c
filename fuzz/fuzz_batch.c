/*
 * fuzz_batch - the same bytes as a --batch list (batch_read_fp, then
 * batch_plan) and as a --resume file (batch_resume_read_fp).
 *
 * The list: the reader's entries are those of a model of its rules,
 * line by line (blank lines and comments skipped, white space and one
 * CR trimmed, a NUL byte kept as "line N" with a reason, a line over
 * BATCH_LINE_MAX an error with a reason); the plan answers every line,
 * each with a normalised name (A-label, lower case, no final dot, a
 * host name) or, when it is no domain, with its text as written and a
 * reason, and probes each normalised name once. The entries are never
 * more than the lines, so memory stays bounded by the input.
 * The --resume file: read without error, and a last line without its
 * newline (a run killed while writing) changes nothing: the plan
 * resumes the same number of names with or without it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "app/batch.h"
#include "app/cli.h"
#include "util/buf.h"
#include "util/dname.h"

const char	fuzz_corpus[] = "batch";
const unsigned	fuzz_mutations = 10000;

static FILE *
mem(const uint8_t *p, size_t n)
{
	static char empty[1];

	/* fmemopen() reads only in "r" mode: the cast loses nothing. */
	return fmemopen(n > 0 ? (void *)(uintptr_t)p : empty, n, "r");
}

/* One line of the model: the entry it makes, or none. */
struct want {
	int	 bad;		/* a NUL byte: "line N" and a reason */
	char	*text;		/* the entry, or NULL for none */
};

/*
 * The reader's rules, written again: 1 and the entries, or 0 when a
 * line is too long. *nlines counts the lines.
 */
static int
model(const uint8_t *p, size_t n, struct want *w, size_t *nw,
    size_t *nlines)
{
	size_t i = 0, j, len, s, e;
	const char *l;

	*nw = *nlines = 0;
	while (i < n) {
		for (j = i; j < n && p[j] != '\n'; j++)
			;
		l = (const char *)p + i;
		len = j - i;
		i = j < n ? j + 1 : n;
		(*nlines)++;
		if (len > BATCH_LINE_MAX)
			return 0;
		if (memchr(l, '\0', len) != NULL) {
			w[*nw].bad = 1;
			w[*nw].text = malloc(32);
			snprintf(w[*nw].text, 32, "line %zu", *nlines);
			(*nw)++;
			continue;
		}
		for (s = 0; s < len && (l[s] == ' ' || l[s] == '\t'); s++)
			;
		for (e = s; e < len && l[e] != '#'; e++)
			;
		while (e > s && (l[e - 1] == '\r' || l[e - 1] == ' ' ||
		    l[e - 1] == '\t'))
			e--;
		if (e == s)
			continue;
		w[*nw].bad = 0;
		w[*nw].text = malloc(e - s + 1);
		memcpy(w[*nw].text, l + s, e - s);
		w[*nw].text[e - s] = '\0';
		(*nw)++;
	}
	return 1;
}

/* A normalised name: a host name of ASCII, lower case, no final dot. */
static int
normalised(const char *s)
{
	const char *c;

	for (c = s; *c != '\0'; c++)
		if ((unsigned char)*c >= 0x80 || (*c >= 'A' && *c <= 'Z'))
			return 0;
	return dname_valid(s, DNAME_UNDERSCORE);
}

static int
bystr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The plan of the list read: every line answered, each name once. */
static int
plan_ok(struct batch *b)
{
	struct buf *why = buf_new(BUF_WHY_MAX);
	const char **good_names;
	char dom[256];
	const char *name;
	size_t i, ngood = 0, distinct = 0;
	int good = 1, isname;

	batch_plan(b);
	if (b->nlines != b->ndomains)
		good = 0;
	good_names = calloc(b->nlines + 1, sizeof(*good_names));
	for (i = 0; good && i < b->nlines; i++) {
		name = batch_line_name(b, i);
		buf_reset(why);
		isname = b->bad[i] == NULL &&
		    cli_domain_check(b->domains[i], dom, sizeof(dom), why) == 0;
		if (isname) {
			good = strcmp(name, dom) == 0 && normalised(name);
			good_names[ngood++] = name;
		} else {
			/* Answered on its own, as written, with a reason. */
			good = strcmp(name, b->domains[i]) == 0 &&
			    (b->bad[i] != NULL ? b->bad[i][0] != '\0' :
			    buf_len(why) > 0);
			distinct++;
		}
	}
	/* Each name is probed once, whatever its spellings. */
	qsort(good_names, ngood, sizeof(*good_names), bystr);
	for (i = 0; i < ngood; i++)
		if (i == 0 || strcmp(good_names[i - 1], good_names[i]) != 0)
			distinct++;
	if (good && distinct != b->nnames)
		good = 0;
	free(good_names);
	buf_free(why);
	return good;
}

/* How many of names a --resume file of p[0..n) drops; -1 on error. */
static long
resumed(const uint8_t *p, size_t n, const struct cli *o, char **names,
    size_t nnames)
{
	struct batch b;
	struct buf *why = buf_new(BUF_WHY_MAX);
	FILE *fp;
	size_t i;
	long r = -1;

	memset(&b, 0, sizeof(b));
	b.o = o;
	if ((fp = mem(p, n)) != NULL) {
		if (batch_resume_read_fp(fp, "fuzz", &b, why) == 0 &&
		    buf_len(why) == 0) {
			for (i = 0; i < nnames; i++)
				batch_add(&b, names[i]);
			batch_plan(&b);
			if (b.resumed + b.nlines == nnames)
				r = (long)b.resumed;
		}
		fclose(fp);
	}
	batch_free(&b);
	buf_free(why);
	return r;
}

int
exercise(const uint8_t *p, size_t n)
{
	struct batch b;
	struct cli o;
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct want *w = calloc(n + 1, sizeof(*w));
	char **names = calloc(n + 129, sizeof(*names));
	char word[256], dom[256];
	size_t nw, nlines, i, j, nnames = 0, whole;
	long all, cut;
	FILE *fp;
	int rc, fits, good = 1;

	memset(&o, 0, sizeof(o));
	o.batch = "fuzz";
	memset(&b, 0, sizeof(b));
	b.o = &o;
	fits = model(p, n, w, &nw, &nlines);
	if ((fp = mem(p, n)) == NULL)
		good = 0;
	else {
		rc = batch_read_fp(fp, "fuzz", &b, why);
		fclose(fp);
		if (!fits)
			good = rc == -1 && strstr(buf_str(why),
			    "longer than") != NULL;
		else if (rc != 0 || b.ndomains != nw || nw > nlines)
			good = 0;
		for (i = 0; good && fits && i < nw; i++)
			good = strcmp(b.domains[i], w[i].text) == 0 &&
			    (b.bad[i] != NULL) == w[i].bad;
		if (good && fits)
			good = plan_ok(&b);
	}
	/*
	 * The names to resume: the list's own, and the words of the bytes
	 * between the quotes, commas, colons and braces of JSON and CSV.
	 */
	for (i = 0; good && i < b.nlines && nnames < 64; i++)
		names[nnames++] = strdup(batch_line_name(&b, i));
	for (i = 0; i < n && nnames < 128; i = j + 1) {
		for (j = i; j < n && strchr("\",:{}\r\n", p[j]) == NULL; j++)
			;
		if (j > i && j - i < 256) {
			memcpy(word, p + i, j - i);
			word[j - i] = '\0';
			buf_reset(why);
			if (cli_domain_check(word, dom, sizeof(dom), why) == 0)
				names[nnames++] = strdup(dom);
		}
	}
	if (nnames == 0)
		names[nnames++] = strdup("a.example");
	buf_reset(why);
	if (good) {
		for (whole = n; whole > 0 && p[whole - 1] != '\n'; whole--)
			;
		all = resumed(p, n, &o, names, nnames);
		cut = resumed(p, whole, &o, names, nnames);
		good = all >= 0 && all == cut;
	}
	for (i = 0; i < nw; i++)
		free(w[i].text);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(w);
	free(names);
	batch_free(&b);
	buf_free(why);
	return good;
}
