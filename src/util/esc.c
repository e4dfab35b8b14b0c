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

/*
 * The arguments of esc_printf. Formats from a message catalogue may number
 * their arguments ("%2$s ... %1$d", POSIX printf) so that a translation
 * can reorder them; then every argument is read first, in order of its
 * number, by the type its conversion gives (msgfmt --check has made sure
 * the translation uses the types of the original).
 */
enum akind {
	A_INT, A_LONG, A_LLONG, A_PTRDIFF, A_INTMAX,
	A_UINT, A_ULONG, A_ULLONG, A_SIZE, A_UINTMAX,
	A_DOUBLE, A_LDOUBLE, A_PTR
};

union aval {
	int			 i;
	long			 l;
	long long		 ll;
	ptrdiff_t		 t;
	intmax_t		 j;
	unsigned		 u;
	unsigned long		 ul;
	unsigned long long	 ull;
	size_t			 z;
	uintmax_t		 uj;
	double			 d;
	long double		 ld;
	const void		*p;
};

#define ESC_MAXARG	32

struct args {
	va_list		*ap;		/* sequential: read as used */
	union aval	*val;		/* numbered: read beforehand, 1-based */
	int		 nval;
};

static enum akind
kind_of(char conv, const char *len)
{
	switch (conv) {
	case 'd':
	case 'i':
		return strcmp(len, "l") == 0 ? A_LONG :
		    strcmp(len, "ll") == 0 ? A_LLONG :
		    strcmp(len, "z") == 0 || strcmp(len, "t") == 0 ? A_PTRDIFF :
		    strcmp(len, "j") == 0 ? A_INTMAX : A_INT;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		return strcmp(len, "l") == 0 ? A_ULONG :
		    strcmp(len, "ll") == 0 ? A_ULLONG :
		    strcmp(len, "z") == 0 ? A_SIZE :
		    strcmp(len, "t") == 0 ? A_PTRDIFF :
		    strcmp(len, "j") == 0 ? A_UINTMAX : A_UINT;
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		return strcmp(len, "L") == 0 ? A_LDOUBLE : A_DOUBLE;
	case 'c':
		return A_INT;
	case 's':
	case 'p':
		return A_PTR;
	default:
		log_panic("esc_printf: unsupported conversion %%%c", conv);
	}
}

static void
read_arg(va_list *ap, enum akind k, union aval *v)
{
	switch (k) {
	case A_INT:	v->i = va_arg(*ap, int); break;
	case A_LONG:	v->l = va_arg(*ap, long); break;
	case A_LLONG:	v->ll = va_arg(*ap, long long); break;
	case A_PTRDIFF:	v->t = va_arg(*ap, ptrdiff_t); break;
	case A_INTMAX:	v->j = va_arg(*ap, intmax_t); break;
	case A_UINT:	v->u = va_arg(*ap, unsigned); break;
	case A_ULONG:	v->ul = va_arg(*ap, unsigned long); break;
	case A_ULLONG:	v->ull = va_arg(*ap, unsigned long long); break;
	case A_SIZE:	v->z = va_arg(*ap, size_t); break;
	case A_UINTMAX:	v->uj = va_arg(*ap, uintmax_t); break;
	case A_DOUBLE:	v->d = va_arg(*ap, double); break;
	case A_LDOUBLE:	v->ld = va_arg(*ap, long double); break;
	case A_PTR:	v->p = va_arg(*ap, const void *); break;
	}
}

/* Argument number pos (1-based), or the next one when pos is 0. */
static union aval
get_arg(struct args *a, int pos, enum akind k)
{
	union aval v;

	if (a->val == NULL) {
		read_arg(a->ap, k, &v);
		return v;
	}
	if (pos < 1 || pos > a->nval)
		log_panic("esc_printf: argument %d of %d", pos, a->nval);
	return a->val[pos];
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
/*
 * One conversion other than %s, printed by printf itself from a
 * specification rebuilt with the '*' width and precision filled in.
 */
static void
put_other(struct buf *out, const char *spec, char conv, enum akind k,
    union aval v)
{
	char c;

	if (conv == 'c') {
		/* A character can come from a record too. */
		c = (char)v.i;
		esc_append(out, &c, 1, 0);
		return;
	}
	switch (k) {
	case A_INT:	buf_printf(out, spec, v.i); break;
	case A_LONG:	buf_printf(out, spec, v.l); break;
	case A_LLONG:	buf_printf(out, spec, v.ll); break;
	case A_PTRDIFF:	buf_printf(out, spec, v.t); break;
	case A_INTMAX:	buf_printf(out, spec, v.j); break;
	case A_UINT:	buf_printf(out, spec, v.u); break;
	case A_ULONG:	buf_printf(out, spec, v.ul); break;
	case A_ULLONG:	buf_printf(out, spec, v.ull); break;
	case A_SIZE:	buf_printf(out, spec, v.z); break;
	case A_UINTMAX:	buf_printf(out, spec, v.uj); break;
	case A_DOUBLE:	buf_printf(out, spec, v.d); break;
	case A_LDOUBLE:	buf_printf(out, spec, v.ld); break;
	case A_PTR:	buf_printf(out, spec, v.p); break;
	}
}
#pragma GCC diagnostic pop

/* "N$" at *p: N, with *p past it; 0 (and *p unchanged) when absent. */
static int
arg_number(const char **p)
{
	const char *q = *p;
	int n = 0;

	while (*q >= '0' && *q <= '9' && n < 1000)
		n = n * 10 + (*q++ - '0');
	if (q == *p || *q != '$')
		return 0;
	*p = q + 1;
	return n;
}

/*
 * One conversion at p (just after the '%'): its argument number, flags,
 * width and precision (with their own argument numbers when '*'), length
 * and conversion character. Returns the character after it.
 */
struct conv {
	int	 pos, wpos, ppos;	/* argument numbers, 0: next */
	int	 wstar, pstar;		/* '*' width / precision */
	int	 width, prec;		/* -1: none */
	char	 flags[8];
	char	 len[3];
	char	 c;
};

static const char *
parse_conv(const char *p, struct conv *cv, const char *fmt)
{
	int k = 0, f = 0;

	memset(cv, 0, sizeof(*cv));
	cv->pos = arg_number(&p);
	for (; *p != '\0' && strchr("-+ #0", *p) != NULL; p++)
		if (f < (int)sizeof(cv->flags) - 1)
			cv->flags[f++] = *p;
	cv->width = -1;
	if (*p == '*') {
		p++;
		cv->wstar = 1;
		cv->wpos = arg_number(&p);
	} else if (*p >= '0' && *p <= '9')
		for (cv->width = 0; *p >= '0' && *p <= '9'; p++)
			cv->width = cv->width * 10 + (*p - '0');
	cv->prec = -1;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			p++;
			cv->pstar = 1;
			cv->ppos = arg_number(&p);
		} else
			for (cv->prec = 0; *p >= '0' && *p <= '9'; p++)
				cv->prec = cv->prec * 10 + (*p - '0');
	}
	for (; k < 2 && *p != '\0' && strchr("hlzjtL", *p) != NULL; p++)
		cv->len[k++] = *p;
	cv->len[k] = '\0';
	if (*p == '\0')
		log_panic("esc_printf: truncated conversion in \"%s\"", fmt);
	cv->c = *p;
	return p + 1;
}

/* Numbered arguments: the type of each, then all read in order. */
static int
read_numbered(const char *fmt, va_list *ap, union aval *val)
{
	enum akind kind[ESC_MAXARG + 1];
	char seen[ESC_MAXARG + 1];
	const char *p = fmt;
	struct conv cv;
	int n = 0, i;

	memset(seen, 0, sizeof(seen));
	while ((p = strchr(p, '%')) != NULL) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		p = parse_conv(p + 1, &cv, fmt);
		if (cv.pos < 1 || cv.pos > ESC_MAXARG ||
		    (cv.wstar && (cv.wpos < 1 || cv.wpos > ESC_MAXARG)) ||
		    (cv.pstar && (cv.ppos < 1 || cv.ppos > ESC_MAXARG)))
			log_panic("esc_printf: numbered and unnumbered "
			    "arguments mixed in \"%s\"", fmt);
		kind[cv.pos] = kind_of(cv.c, cv.len);
		seen[cv.pos] = 1;
		n = cv.pos > n ? cv.pos : n;
		if (cv.wstar) {
			kind[cv.wpos] = A_INT;
			seen[cv.wpos] = 1;
			n = cv.wpos > n ? cv.wpos : n;
		}
		if (cv.pstar) {
			kind[cv.ppos] = A_INT;
			seen[cv.ppos] = 1;
			n = cv.ppos > n ? cv.ppos : n;
		}
	}
	for (i = 1; i <= n; i++) {
		if (!seen[i])
			log_panic("esc_printf: argument %d unused in \"%s\"",
			    i, fmt);
		read_arg(ap, kind[i], &val[i]);
	}
	return n;
}

/* Whether the first conversion of fmt is numbered ("%1$s"). */
static int
numbered(const char *fmt)
{
	const char *p = fmt;

	while ((p = strchr(p, '%')) != NULL) {
		if (p[1] == '%') {
			p += 2;
			continue;
		}
		p++;
		return arg_number(&p) > 0;
	}
	return 0;
}

void
esc_vprintf(struct buf *out, int flags, const char *fmt, va_list ap0)
{
	va_list ap;
	union aval val[ESC_MAXARG + 1], v;
	struct args a;
	struct conv cv;
	const char *p = fmt, *pct;
	char spec[48];
	int left, width, prec, o;
	size_t n;

	va_copy(ap, ap0);
	a.ap = &ap;
	a.val = NULL;
	a.nval = 0;
	if (numbered(fmt)) {
		a.nval = read_numbered(fmt, &ap, val);
		a.val = val;
	}
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
		p = parse_conv(p, &cv, fmt);
		left = strchr(cv.flags, '-') != NULL;
		width = cv.width;
		if (cv.wstar) {
			width = get_arg(&a, cv.wpos, A_INT).i;
			if (width < 0) {
				left = 1;
				width = -width;
			}
		}
		prec = cv.prec;
		if (cv.pstar)
			prec = get_arg(&a, cv.ppos, A_INT).i;
		v = get_arg(&a, cv.pos, kind_of(cv.c, cv.len));
		if (cv.c == 's') {
			put_string(out, v.p, left, width, prec, flags);
			continue;
		}
		o = snprintf(spec, sizeof(spec), "%%%s%s", cv.flags,
		    left && strchr(cv.flags, '-') == NULL ? "-" : "");
		if (width > 0)
			o += snprintf(spec + o, sizeof(spec) - (size_t)o, "%d",
			    width);
		if (prec >= 0)
			o += snprintf(spec + o, sizeof(spec) - (size_t)o, ".%d",
			    prec);
		snprintf(spec + o, sizeof(spec) - (size_t)o, "%s%c", cv.len,
		    cv.c);
		put_other(out, spec, cv.c, kind_of(cv.c, cv.len), v);
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
