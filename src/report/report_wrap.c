/*
 * report_wrap - fold the finished text report at a width (report.h).
 *
 * One pass over the text, line by line. A line no wider than the width
 * is kept as it is. A longer one is folded greedily at the last break
 * that fits: a run of spaces (dropped at the fold), or the point between
 * two double-width characters (Japanese has no spaces), never before
 * closing punctuation (。、」）…) nor after opening punctuation, never
 * inside a UTF-8 sequence, a colour escape, a "quoted" record or a
 * record shown bare (from a "v=" word to the end of its line). A token
 * with no break in it (a host name, a URL) is never cut: when it is
 * wider than the line it stands whole on its own line. Continuation
 * lines are indented like the line's text, hanging after a list marker
 * ("  1. ", "  [critical] ", "- ").
 */
#include <string.h>

#include "util/buf.h"
#include "util/width.h"
#include "report/report.h"

/* Bytes of the ANSI colour escape at p (ours: ESC '[' ... letter), or 0. */
static size_t
ansi_len(const char *p, size_t n)
{
	size_t i;

	if (n < 2 || p[0] != '\033' || p[1] != '[')
		return 0;
	for (i = 2; i < n; i++)
		if ((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z'))
			return i + 1;
	return 0;
}

static int
no_break_before(int32_t cp)
{
	static const int32_t close[] = { 0x3001, 0x3002, 0x300d, 0x300f,
	    0x3011, 0x3009, 0x300b, 0x3015, 0x30fc, 0x30fb, 0xff09, 0xff0c,
	    0xff0e, 0xff1a, 0xff1b, 0xff1f, 0xff01, 0xff3d, 0xff5d, 0x309d,
	    0x309e, 0x30fd, 0x30fe, 0x3005, 0x3041, 0x3043, 0x3045, 0x3047,
	    0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x30a1, 0x30a3, 0x30a5,
	    0x30a7, 0x30a9, 0x30c3, 0x30e3, 0x30e5, 0x30e7 };
	size_t i;

	for (i = 0; i < sizeof(close) / sizeof(close[0]); i++)
		if (cp == close[i])
			return 1;
	return 0;
}

static int
no_break_after(int32_t cp)
{
	return cp == 0x300c || cp == 0x300e || cp == 0x3010 ||
	    cp == 0x3008 || cp == 0x300a || cp == 0x3014 || cp == 0xff08 ||
	    cp == 0xff3b || cp == 0xff5b;
}

/* Columns of p[0..n) with colour escapes counted 0. */
static size_t
cols(const char *p, size_t n)
{
	size_t w = 0, k;
	int32_t cp;

	while (n > 0) {
		if ((k = ansi_len(p, n)) > 0) {
			p += k;
			n -= k;
			continue;
		}
		k = width_decode(p, n, &cp);
		w += cp < 0 ? 1 : (size_t)width_cp(cp);
		p += k;
		n -= k;
	}
	return w;
}

/*
 * The columns continuation lines of line p[0..n) are indented by: its
 * leading spaces, and a list marker after them.
 */
static size_t
hang(const char *p, size_t n)
{
	size_t i = 0, j, k;

	while (i < n && p[i] == ' ')
		i++;
	j = i;
	while ((k = ansi_len(p + j, n - j)) > 0)
		j += k;
	if (j < n && p[j] >= '0' && p[j] <= '9') {
		while (j < n && p[j] >= '0' && p[j] <= '9')
			j++;
		if (j + 1 < n && p[j] == '.' && p[j + 1] == ' ')
			return cols(p, j + 2);
	} else if (j < n && p[j] == '[') {
		while (j < n && p[j] != ']' && p[j] != ' ')
			j++;
		if (j < n && p[j] == ']') {
			j++;
			while ((k = ansi_len(p + j, n - j)) > 0)
				j += k;
			if (j < n && p[j] == ' ')
				return cols(p, j + 1);
		}
	} else if (j + 1 < n && (p[j] == '-' || p[j] == '*') &&
	    p[j + 1] == ' ')
		return cols(p, j + 2);
	return i;
}

static void
indent(struct buf *out, size_t n)
{
	while (n-- > 0)
		buf_append(out, " ", 1);
}

static void
wrap_line(const char *p, size_t n, size_t width, struct buf *out)
{
	size_t ind, col, i, k, start, brk, resume;
	int32_t cp, prev = -1;
	int quoted = 0, record = 0;

	if (cols(p, n) <= width) {
		buf_append(out, p, n);
		return;
	}
	ind = hang(p, n);
	if (ind * 2 > width)
		ind = 0;
	start = 0;
	i = 0;
	/* Leading spaces and the marker are never a break. */
	while (i < n && p[i] == ' ')
		i++;
	col = i;
	brk = resume = 0;
	for (;;) {
		if (i >= n) {
			buf_append(out, p + start, n - start);
			return;
		}
		if ((k = ansi_len(p + i, n - i)) > 0) {
			i += k;
			continue;
		}
		k = width_decode(p + i, n - i, &cp);
		/* A record ("v=spf1 ...", "v=DMARC1; ...") runs to the end. */
		if (!record && !quoted && (i == 0 || p[i - 1] == ' ') &&
		    strncmp(p + i, "v=", 2) == 0)
			record = 1;
		if (p[i] == ' ' && !quoted && !record && i > start) {
			/* A break before this run of spaces. */
			brk = i;
			while (i < n && p[i] == ' ') {
				i++;
				col++;
			}
			resume = i;
			prev = ' ';
			if (i >= n) {
				buf_append(out, p + start, brk - start);
				return;
			}
			continue;
		}
		if (!quoted && !record && i > start && cp >= 0 && prev >= 0 &&
		    width_cp(cp) == 2 && width_cp(prev) == 2 &&
		    !no_break_before(cp) && !no_break_after(prev)) {
			brk = i;
			resume = i;
		}
		if (p[i] == '"')
			quoted = !quoted;
		col += cp < 0 ? 1 : (size_t)width_cp(cp);
		prev = cp;
		i += k;
		if (col > width && brk > start) {
			buf_append(out, p + start, brk - start);
			buf_append(out, "\n", 1);
			indent(out, ind);
			col = ind + cols(p + resume, i - resume);
			start = resume;
			brk = start;
		}
	}
}

void
report_wrap(const char *text, size_t width, struct buf *out)
{
	const char *p = text, *nl;

	if (width < REPORT_WRAP_MIN) {
		buf_append(out, text, strlen(text));
		return;
	}
	while (*p != '\0') {
		nl = strchr(p, '\n');
		wrap_line(p, nl != NULL ? (size_t)(nl - p) : strlen(p), width,
		    out);
		if (nl == NULL)
			break;
		buf_append(out, "\n", 1);
		p = nl + 1;
	}
}
