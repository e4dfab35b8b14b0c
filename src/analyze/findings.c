#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "analyze/findings.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const struct finding_def defs[] = {
#define FINDING(code, sev, cat, pen, title, remedy, ref) \
	{ #code, SEV_##sev, cat, pen, title, remedy, ref },
#include "analyze/catalogue.def"
#undef FINDING
};

/* The first sentence of a message, and the whole with what is appended. */
#define SENTENCE_MAX	4096
#define MESSAGE_MAX	(4 * SENTENCE_MAX)

struct findings {
	struct finding	*f;
	size_t		 n;
};

const struct finding_def *
finding_def(enum finding_code c)
{
	return (unsigned)c < F__COUNT ? &defs[c] : NULL;
}

int
finding_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < F__COUNT; i++)
		if (strcmp(defs[i].code, name) == 0)
			return (int)i;
	return -1;
}

const char *
finding_sev_name(enum finding_sev s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_CRITICAL:
		return "critical";
	case SEV_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}

struct findings *
findings_new(void)
{
	return xcalloc(1, sizeof(struct findings));
}

void
findings_free(struct findings *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n; i++) {
		free(fs->f[i].subject);
		free(fs->f[i].message);
		free(fs->f[i].message_l10n);
	}
	free(fs->f);
	free(fs);
}

/* fmt formatted as written into b and as translated (lfmt) into lb. */
static void
format_both(struct buf *b, struct buf *lb, const char *fmt,
    const char *lfmt, va_list ap)
{
	va_list lap;

	va_copy(lap, ap);
	buf_vprintf(lb, lfmt, lap);
	va_end(lap);
	buf_vprintf(b, fmt, ap);
}

/* The message in English (b) and translated (lb, kept when it differs). */
static void
store(struct finding *f, struct buf *b, struct buf *lb)
{
	free(f->message);
	free(f->message_l10n);
	f->message = buf_steal(b);
	f->message_l10n = NULL;
	if (strcmp(buf_str(lb), f->message) != 0)
		f->message_l10n = buf_steal(lb);
	buf_free(b);
	buf_free(lb);
}

static void
add(struct findings *fs, enum finding_code c, const char *subject,
    const char *fmt, const char *lfmt, va_list ap)
{
	struct finding *f;
	struct buf *b, *lb;

	b = buf_new(SENTENCE_MAX);
	lb = buf_new(SENTENCE_MAX);
	format_both(b, lb, fmt, lfmt, ap);
	fs->f = xreallocarray(fs->f, fs->n + 1, sizeof(*fs->f));
	f = &fs->f[fs->n++];
	f->code = c;
	f->accepted = 0;
	f->subject = subject ? xstrdup(subject) : NULL;
	f->message = f->message_l10n = NULL;
	store(f, b, lb);
}

void
findings_add(struct findings *fs, enum finding_code c, const char *subject,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(fs, c, subject, fmt, _(fmt), ap);
	va_end(ap);
}

void
findings_addn(struct findings *fs, enum finding_code c, const char *subject,
    unsigned long n, const char *one, const char *many, ...)
{
	va_list ap;

	va_start(ap, many);
	add(fs, c, subject, n == 1 ? one : many, ngettext(one, many, n), ap);
	va_end(ap);
}

/*
 * Sentences are joined by a space after a sentence that ends in ASCII
 * ("... for b.example."), and by nothing after one that ends in a wider
 * character (Japanese ends its sentences in U+3002, and writes no space
 * after it).
 */
static void
join(struct buf *b)
{
	size_t len = buf_len(b);

	if (len > 0 && (unsigned char)buf_str(b)[len - 1] < 0x80)
		buf_printf(b, " ");
}

static void
append(struct findings *fs, const char *fmt, const char *lfmt, va_list ap)
{
	struct finding *f;
	struct buf *b, *lb;

	if (fs->n == 0)
		return;
	f = &fs->f[fs->n - 1];
	b = buf_new(MESSAGE_MAX);
	lb = buf_new(MESSAGE_MAX);
	buf_printf(b, "%s", f->message);
	buf_printf(lb, "%s", finding_message(f, 1));
	join(b);
	join(lb);
	format_both(b, lb, fmt, lfmt, ap);
	store(f, b, lb);
}

void
findings_append(struct findings *fs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(fs, fmt, _(fmt), ap);
	va_end(ap);
}

void
findings_appendn(struct findings *fs, unsigned long n, const char *one,
    const char *many, ...)
{
	va_list ap;

	va_start(ap, many);
	append(fs, n == 1 ? one : many, ngettext(one, many, n), ap);
	va_end(ap);
}

const char *
finding_message(const struct finding *f, int local)
{
	return local && f->message_l10n != NULL ? f->message_l10n :
	    f->message;
}

size_t
findings_count(const struct findings *fs)
{
	return fs->n;
}

const struct finding *
findings_get(const struct findings *fs, size_t i)
{
	return i < fs->n ? &fs->f[i] : NULL;
}

int
findings_has(const struct findings *fs, enum finding_code c)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (fs->f[i].code == c)
			return 1;
	return 0;
}

int
findings_status(const struct findings *fs)
{
	int crit = 0, unknown = 0, warn = 0;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (fs->f[i].accepted)
			continue;
		switch (defs[fs->f[i].code].sev) {
		case SEV_CRITICAL:
			crit = 1;
			break;
		case SEV_UNKNOWN:
			unknown = 1;
			break;
		case SEV_WARNING:
			warn = 1;
			break;
		case SEV_INFO:
			break;
		}
	}
	return crit ? 2 : unknown ? 3 : warn ? 1 : 0;
}

const char *
findings_status_name(int st)
{
	static const char *names[] = { "OK", "WARNING", "CRITICAL",
	    "UNKNOWN" };

	return st >= 0 && st <= 3 ? names[st] : "UNKNOWN";
}

/* The length of the code part of "CODE[:SUBJECT]". */
static size_t
accept_codelen(const char *spec)
{
	const char *colon = strchr(spec, ':');

	return colon != NULL ? (size_t)(colon - spec) : strlen(spec);
}

int
finding_accept_code(const char *spec)
{
	size_t i, n = accept_codelen(spec);

	for (i = 0; i < F__COUNT; i++)
		if (strlen(defs[i].code) == n &&
		    strncasecmp(defs[i].code, spec, n) == 0)
			return (int)i;
	return -1;
}

/* Whether subject a names b: case aside, a trailing dot ignored. */
static int
subject_match(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > 1 && a[na - 1] == '.')
		na--;
	if (nb > 1 && b[nb - 1] == '.')
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

int
findings_accept(struct findings *fs, const char *spec)
{
	const char *subject;
	size_t i, n = accept_codelen(spec);
	int code, marked = 0;

	if ((code = finding_accept_code(spec)) == -1)
		return -1;
	subject = spec[n] == ':' ? spec + n + 1 : NULL;
	for (i = 0; i < fs->n; i++) {
		if ((int)fs->f[i].code != code)
			continue;
		if (subject != NULL && (fs->f[i].subject == NULL ||
		    !subject_match(subject, fs->f[i].subject)))
			continue;
		fs->f[i].accepted = 1;
		marked++;
	}
	return marked;
}
