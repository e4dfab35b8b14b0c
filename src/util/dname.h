/*
 * dname - the rules for domain and host names, in one place.
 *
 * A name is labels joined by dots: each label 1-63 octets, the whole
 * name at most 253 octets without its final dot (RFC 1035 §2.3.4, RFC
 * 2181 §11). Which octets a label may hold depends on what the name is
 * for, so the callers say it with flags:
 *	DNAME_FINAL_DOT		one final dot is allowed (and not counted)
 *	DNAME_UNDERSCORE	'_' in labels, besides letters, digits and
 *				'-' (_dmarc, DKIM selectors, _mta-sts)
 *	DNAME_ANY_OCTET		any octet but '.' in a label: a DNS name,
 *				not a host name (RFC 2181 §11; SPF §4.3)
 *	DNAME_HOSTNAME		no label starts or ends with '-' (RFC 952,
 *				RFC 1123 §2.1; the EHLO name of RFC 5321)
 *	DNAME_MULTILABEL	two labels or more
 *	DNAME_WILDCARD		"*." may come first; the rest is the name
 *				(MTA-STS mx patterns, RFC 8461 §4.1)
 *	DNAME_SMTP_LEN		255 octets in all instead of 253 (the
 *				domain of RFC 5321 §4.5.3.1.2)
 * Without DNAME_UNDERSCORE or DNAME_ANY_OCTET a label is LDH: ASCII
 * letters, digits and '-'.
 *
 * API:
 *	dname_check(s, len, flags, &pos)	DNAME_OK, or why the len
 *		octets at s are no name, with pos the offset of the octet
 *		at fault (the label's first octet for a long label; len
 *		for a name that ends badly); pos may be NULL
 *	dname_valid(s, flags)		1 when the string is a name, else 0
 *	dname_equal(a, b)		case-insensitive (ASCII), one final dot
 *		on either side ignored
 *	dname_in_list(list, name)	1 when name is equal to one of the
 *		NULL-terminated list (which may be NULL)
 *
 * Pure: no resolver. Names are not converted from U-labels: an octet of
 * 0x80 or more is DNAME_BAD_OCTET unless DNAME_ANY_OCTET.
 */
#ifndef MXPROBE_DNAME_H
#define MXPROBE_DNAME_H

#include <stddef.h>

#define DNAME_MAX		253
#define DNAME_LABEL_MAX		63
#define DNAME_SMTP_MAX		255

#define DNAME_FINAL_DOT		0x01
#define DNAME_UNDERSCORE	0x02
#define DNAME_ANY_OCTET		0x04
#define DNAME_HOSTNAME		0x08
#define DNAME_MULTILABEL	0x10
#define DNAME_WILDCARD		0x20
#define DNAME_SMTP_LEN		0x40

enum dname_error {
	DNAME_OK,
	DNAME_EMPTY,		/* nothing (or only the final dot) */
	DNAME_TOO_LONG,		/* over 253 (255) octets */
	DNAME_EMPTY_LABEL,	/* "a..b", ".a", "a." without FINAL_DOT */
	DNAME_LONG_LABEL,	/* a label over 63 octets */
	DNAME_BAD_OCTET,	/* an octet the flags do not allow */
	DNAME_HYPHEN,		/* a label starts or ends with '-' */
	DNAME_ONE_LABEL		/* one label, and MULTILABEL asked */
};

enum dname_error	 dname_check(const char *, size_t, unsigned, size_t *);
int			 dname_valid(const char *, unsigned);
int			 dname_equal(const char *, const char *);
int			 dname_in_list(const char **, const char *);

#endif
