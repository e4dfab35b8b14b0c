#include "config.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/i18n.h"
#include "app/idn.h"

#define IDN_FLAGS	(IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT)

/*
 * The length of the separator at p: '.' or one of the dots UTS #46 maps
 * to it (U+3002 IDEOGRAPHIC FULL STOP, U+FF0E FULLWIDTH FULL STOP, U+FF61
 * HALFWIDTH IDEOGRAPHIC FULL STOP), else 0.
 */
static size_t
idn_dot(const unsigned char *p)
{
	if (p[0] == '.')
		return 1;
	if ((p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x82) ||
	    (p[0] == 0xef && p[1] == 0xbc && p[2] == 0x8e) ||
	    (p[0] == 0xef && p[1] == 0xbd && p[2] == 0xa1))
		return 3;
	return 0;
}

/* The whole name failed: say which label, converted alone, fails. */
static void
idn_blame(const char *name, int whole, struct buf *why)
{
	const unsigned char *p = (const unsigned char *)name, *start = p;
	char *label, *ascii;
	size_t dot;
	int rc;

	for (;;) {
		dot = *p == '\0' ? 0 : idn_dot(p);
		if (*p != '\0' && dot == 0) {
			p++;
			continue;
		}
		if (p > start) {
			label = strndup((const char *)start, p - start);
			if (label == NULL)
				break;
			ascii = NULL;
			rc = idn2_to_ascii_8z(label, &ascii, IDN_FLAGS);
			free(ascii);
			if (rc != IDN2_OK) {
				buf_printf(why, R_("the domain name \"%s\" "
				    "is not a valid IDN: the label \"%s\" is "
				    "refused (%s)"), name, label,
				    idn2_strerror(rc));
				free(label);
				return;
			}
			free(label);
		}
		if (*p == '\0')
			break;
		p += dot;
		start = p;
	}
	buf_printf(why, R_("the domain name \"%s\" is not a valid IDN (%s)"),
	    name, idn2_strerror(whole));
}

/*
 * The U-label form of an ASCII name holding an A-label ("xn--"), or NULL:
 * no A-label, not plain letters, digits, hyphens and dots, or not a valid
 * IDN (its U-labels must convert back to the same A-labels).
 */
const char *
idn_ulabel(const char *name, char *out, size_t outlen)
{
	const char *p;
	char *u = NULL, *back = NULL;
	int has = 0, ok;

	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return NULL;
		if ((p == name || p[-1] == '.') &&
		    strncasecmp(p, "xn--", 4) == 0)
			has = 1;
	}
	if (!has || idn2_to_unicode_8z8z(name, &u, 0) != IDN2_OK) {
		free(u);
		return NULL;
	}
	ok = idn2_to_ascii_8z(u, &back, IDN_FLAGS) == IDN2_OK &&
	    strcasecmp(back, name) == 0 && strlen(u) + 1 <= outlen;
	if (ok)
		memcpy(out, u, strlen(u) + 1);
	free(u);
	free(back);
	return ok ? out : NULL;
}

const char *
idn_domain(const char *name, char *out, size_t outlen, struct buf *why)
{
	const unsigned char *p;
	char *ascii = NULL;
	int rc;

	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p >= 0x80)
			break;
	if (*p == '\0')
		return name;
	rc = idn2_to_ascii_8z(name, &ascii, IDN_FLAGS);
	if (rc != IDN2_OK) {
		free(ascii);
		idn_blame(name, rc, why);
		return NULL;
	}
	if (strlen(ascii) + 1 > outlen) {
		buf_printf(why, R_("the domain name \"%s\" is too long in its "
		    "A-label form"), name);
		free(ascii);
		return NULL;
	}
	memcpy(out, ascii, strlen(ascii) + 1);
	free(ascii);
	return out;
}
