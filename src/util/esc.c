/* esc - escaping of text from the network for every output; see esc.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/esc.h"
#include "util/log.h"
#include "util/xalloc.h"

/* RFC 3629 section 4: the well-formed byte sequences of UTF-8. */
size_t
esc_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return 0;	/* continuation, overlong C0/C1, > U+10FFFF */
	if (p[0] == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (p[0] == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (p[0] == 0xf0)
		lo = 0x90;	/* overlong */
	else if (p[0] == 0xf4)
		hi = 0x8f;	/* above U+10FFFF */
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static uint32_t
utf8_decode(const unsigned char *p, size_t len)
{
	uint32_t c;
	size_t i;

	c = len == 2 ? p[0] & 0x1f : len == 3 ? p[0] & 0x0f : p[0] & 0x07;
	for (i = 1; i < len; i++)
		c = (c << 6) | (p[i] & 0x3f);
	return c;
}

/* Invisible characters that reorder the text around them or end a line. */
static int
format_control(uint32_t c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || c == 0x2028 ||
	    c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

static void
hex_bytes(struct buf *out, const unsigned char *p, size_t n)
{
	char x[5];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(x, sizeof(x), "\\x%02x", p[i]);
		buf_append(out, x, 4);
	}
}

void
esc_append(struct buf *out, const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, len;
	uint32_t c;
	char u[12];

	while (i < n) {
		/* The plain run first: one append, not one per byte. */
		for (run = i; run < n && p[run] >= 0x20 && p[run] < 0x7f &&
		    (p[run] != '\\' || (flags & ESC_ESCAPED)) &&
		    (p[run] != '|' || !(flags & ESC_NAGIOS)); run++)
			;
		if (run > i) {
			buf_append(out, s + i, run - i);
			i = run;
			continue;
		}
		if (p[i] == '\\') {
			buf_append(out, "\\\\", 2);
			i++;
			continue;
		}
		if (p[i] < 0x80) {	/* C0, DEL, '|' for Nagios */
			hex_bytes(out, p + i, 1);
			i++;
			continue;
		}
		if ((len = esc_utf8_len(p + i, n - i)) == 0) {
			hex_bytes(out, p + i, 1);
			i++;
			continue;
		}
		c = utf8_decode(p + i, len);
		if (c < 0xa0)
			hex_bytes(out, p + i, len);
		else if (format_control(c)) {
			snprintf(u, sizeof(u), "\\u%04x", (unsigned)c);
			buf_append(out, u, 6);
		} else
			buf_append(out, s + i, len);
		i += len;
	}
}

char *
esc_dup(const char *s, size_t n, int flags)
{
	struct buf *b;
	char *r;

	b = buf_new(6 * n + 1);
	esc_append(b, s, n, flags);
	r = buf_steal(b);
	buf_free(b);
	return r;
}

char *
esc_str(const char *s, int flags)
{
	return s != NULL ? esc_dup(s, strlen(s), flags) : NULL;
}

/* One %s argument: escaped first, then padded to its width. */
static void
put_string(struct buf *out, const char *s, int left, int width, int prec,
    int flags)
{
	struct buf *b;
	size_t n, pad;

	if (s == NULL)
		s = "(null)";
	n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
	b = buf_new(6 * n + 1);
	esc_append(b, s, n, flags);
	pad = width > 0 && (size_t)width > buf_len(b) ?
	    (size_t)width - buf_len(b) : 0;
	for (; !left && pad > 0; pad--)
		buf_append(out, " ", 1);
	buf_append(out, buf_str(b), buf_len(b));
	for (; left && pad > 0; pad--)
		buf_append(out, " ", 1);
	buf_free(b);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/*
 * One conversion other than %s, printed by printf itself from a
 * specification rebuilt with the '*' width and precision filled in.
 */
static void
put_other(struct buf *out, const char *spec, char conv, const char *len,
    va_list *ap)
{
	char c;

	switch (conv) {
	case 'd':
	case 'i':
		if (strcmp(len, "l") == 0)
			buf_printf(out, spec, va_arg(*ap, long));
		else if (strcmp(len, "ll") == 0)
			buf_printf(out, spec, va_arg(*ap, long long));
		else if (strcmp(len, "z") == 0)
			buf_printf(out, spec, va_arg(*ap, ptrdiff_t));
		else if (strcmp(len, "j") == 0)
			buf_printf(out, spec, va_arg(*ap, intmax_t));
		else if (strcmp(len, "t") == 0)
			buf_printf(out, spec, va_arg(*ap, ptrdiff_t));
		else
			buf_printf(out, spec, va_arg(*ap, int));
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		if (strcmp(len, "l") == 0)
			buf_printf(out, spec, va_arg(*ap, unsigned long));
		else if (strcmp(len, "ll") == 0)
			buf_printf(out, spec, va_arg(*ap, unsigned long long));
		else if (strcmp(len, "z") == 0)
			buf_printf(out, spec, va_arg(*ap, size_t));
		else if (strcmp(len, "j") == 0)
			buf_printf(out, spec, va_arg(*ap, uintmax_t));
		else if (strcmp(len, "t") == 0)
			buf_printf(out, spec, va_arg(*ap, ptrdiff_t));
		else
			buf_printf(out, spec, va_arg(*ap, unsigned));
		break;
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		if (strcmp(len, "L") == 0)
			buf_printf(out, spec, va_arg(*ap, long double));
		else
			buf_printf(out, spec, va_arg(*ap, double));
		break;
	case 'p':
		buf_printf(out, spec, va_arg(*ap, void *));
		break;
	case 'c':
		/* A character can come from a record too. */
		c = (char)va_arg(*ap, int);
		esc_append(out, &c, 1, 0);
		break;
	default:
		log_panic("esc_printf: unsupported conversion %%%c", conv);
	}
}
#pragma GCC diagnostic pop

void
esc_vprintf(struct buf *out, int flags, const char *fmt, va_list ap0)
{
	va_list ap;
	const char *p = fmt, *pct;
	char spec[48], len[3];
	int left, width, prec, k, o;
	size_t n;

	va_copy(ap, ap0);
	while (*p != '\0') {
		if (*p != '%') {
			pct = strchr(p, '%');
			n = pct != NULL ? (size_t)(pct - p) : strlen(p);
			buf_append(out, p, n);
			p += n;
			continue;
		}
		p++;
		if (*p == '%') {
			buf_append(out, "%", 1);
			p++;
			continue;
		}
		o = 0;
		spec[o++] = '%';
		left = 0;
		for (; *p != '\0' && strchr("-+ #0", *p) != NULL; p++) {
			if (*p == '-')
				left = 1;
			if (o < 8)
				spec[o++] = *p;
		}
		width = -1;
		if (*p == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				spec[o++] = '-';
				width = -width;
			}
			p++;
		} else
			for (width = 0; *p >= '0' && *p <= '9'; p++)
				width = width * 10 + (*p - '0');
		prec = -1;
		if (*p == '.') {
			p++;
			if (*p == '*') {
				prec = va_arg(ap, int);
				p++;
			} else
				for (prec = 0; *p >= '0' && *p <= '9'; p++)
					prec = prec * 10 + (*p - '0');
		}
		for (k = 0; k < 2 && *p != '\0' && strchr("hlzjtL", *p) != NULL;
		    p++)
			len[k++] = *p;
		len[k] = '\0';
		if (*p == '\0')
			log_panic("esc_printf: truncated conversion in \"%s\"",
			    fmt);
		if (*p == 's')
			put_string(out, va_arg(ap, const char *), left, width,
			    prec, flags);
		else {
			if (width > 0)
				o += snprintf(spec + o, sizeof(spec) -
				    (size_t)o, "%d", width);
			if (prec >= 0)
				o += snprintf(spec + o, sizeof(spec) -
				    (size_t)o, ".%d", prec);
			snprintf(spec + o, sizeof(spec) - (size_t)o, "%s%c",
			    len, *p);
			put_other(out, spec, *p, len, &ap);
		}
		p++;
	}
	va_end(ap);
}

void
esc_printf(struct buf *out, int flags, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	esc_vprintf(out, flags, fmt, ap);
	va_end(ap);
}
