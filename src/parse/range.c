/*
 * range - monitoring-plugin threshold ranges (range.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/i18n.h"
#include "parse/range.h"

/* One end: a finite number filling [s, e) exactly. */
static int
end_parse(const char *s, const char *e, double *out)
{
	char tmp[64], *end;
	size_t n = (size_t)(e - s);

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* strtod would take leading space, "inf", "nan" and hex: refuse. */
	if (strspn(tmp, "+-0123456789.") != n)
		return -1;
	errno = 0;
	*out = strtod(tmp, &end);
	if (errno != 0 || *end != '\0' || !isfinite(*out))
		return -1;
	return 0;
}

int
range_parse(const char *s, int flags, struct range *r, struct buf *why)
{
	const char *colon;

	memset(r, 0, sizeof(*r));
	if (*s == '@') {
		r->inside = 1;
		s++;
	}
	if ((colon = strchr(s, ':')) == NULL) {
		if (end_parse(s, s + strlen(s), &r->hi) == -1)
			goto bad;
		if ((flags & RANGE_BARE_FLOOR) && !r->inside) {
			r->lo = r->hi;
			r->hi = 0;
			r->has_lo = 1;
			return 0;
		}
		r->has_lo = r->has_hi = 1;
		r->lo = 0;
	} else {
		if (strchr(colon + 1, ':') != NULL)
			goto bad;
		if (colon - s == 1 && *s == '~')
			r->has_lo = 0;
		else if (colon == s) {
			r->has_lo = 1;
			r->lo = 0;
		} else if (end_parse(s, colon, &r->lo) == -1)
			goto bad;
		else
			r->has_lo = 1;
		if (colon[1] != '\0') {
			if (end_parse(colon + 1, colon + strlen(colon),
			    &r->hi) == -1)
				goto bad;
			r->has_hi = 1;
		}
	}
	if (r->has_lo && r->has_hi && r->lo > r->hi) {
		buf_printf(why, R_("the start is above the end"));
		return -1;
	}
	if (!r->has_lo && !r->has_hi) {
		buf_printf(why, R_("neither end is given"));
		return -1;
	}
	return 0;
bad:
	buf_printf(why, R_("an end is not a plain number"));
	return -1;
}

int
range_alert(const struct range *r, double v)
{
	int in;

	in = (!r->has_lo || v >= r->lo) && (!r->has_hi || v <= r->hi);
	return r->inside ? in : !in;
}

static void
num(double v, struct buf *out)
{
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		buf_printf(out, "%.0f", v);
	else
		buf_printf(out, "%g", v);
}

void
range_format(const struct range *r, struct buf *out)
{
	if (r->inside)
		buf_printf(out, "@");
	if (!r->has_lo)
		buf_printf(out, "~");
	else
		num(r->lo, out);
	buf_printf(out, ":");
	if (r->has_hi)
		num(r->hi, out);
}

double
range_floor(const struct range *r)
{
	return !r->inside && r->has_lo && !r->has_hi ? r->lo : -1;
}
