/*
 * range - threshold ranges in the monitoring-plugin syntax (the
 * monitoring-plugins development guidelines, "Threshold and ranges").
 * Pure.
 *
 *	10	alert outside 0..10 (below 0 or above 10)
 *	10:	alert below 10
 *	~:10	alert above 10 (no lower end)
 *	10:20	alert outside 10..20
 *	@10:20	alert inside 10..20, ends included
 * An empty start (":10") is 0, as in the plugins' own parser.
 *
 * API:
 *	range_parse(s, flags, r, why)	0, or -1 with why set (the input is
 *		not quoted in why: the caller names the option and value).
 *		flags RANGE_BARE_FLOOR: a bare number N is the floor "N:"
 *		(for a value where higher is better, such as mxprobe's score,
 *		an upper bound would never be what is meant)
 *	range_alert(r, v)	1 when v raises the alert, else 0
 *	range_format(r, out)	the range in the plugin syntax, for the
 *		warn and crit fields of performance data ("80:", "~:10",
 *		"@10:20", "0:10")
 *	range_floor(r)		the floor when r is "N:", else -1
 *
 * Limits: ends are finite doubles; start must not exceed end.
 */
#ifndef MXPROBE_RANGE_H
#define MXPROBE_RANGE_H

struct buf;

#define RANGE_BARE_FLOOR	0x01

struct range {
	int	inside;		/* '@': alert inside, not outside */
	int	has_lo;		/* 0: "~", no lower end */
	int	has_hi;		/* 0: no upper end */
	double	lo, hi;
};

int	range_parse(const char *, int, struct range *, struct buf *);
int	range_alert(const struct range *, double);
void	range_format(const struct range *, struct buf *);
double	range_floor(const struct range *);

#endif
