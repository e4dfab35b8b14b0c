/*
 * idn - internationalised domain names on the command line.
 *
 * Purpose: a domain given as U-labels ("例え.jp", "bücher.example") is
 * converted to its A-label form ("xn--r8jz45g.jp") with libidn2: IDNA2008
 * with the UTS #46 non-transitional mapping, input normalised to NFC.
 * Names in ASCII pass unchanged (the caller checks them as host names).
 *
 * API:
 *	idn_domain(name, out, outlen, why)	name itself when it is all
 *		ASCII; else out, holding the A-label form; NULL with why
 *		naming the offending label when name is no valid IDN
 *	idn_ulabel(name, out, outlen)	the U-label form of an ASCII name
 *		with A-labels ("xn--") in out, or NULL when it has none or
 *		is no valid IDN (the report's report_ulabel_fn)
 */
#ifndef MXPROBE_IDN_H
#define MXPROBE_IDN_H

#include <stddef.h>

struct buf;

const char	*idn_domain(const char *, char *, size_t, struct buf *);
const char	*idn_ulabel(const char *, char *, size_t);

#endif
