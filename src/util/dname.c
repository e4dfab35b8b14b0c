#include <string.h>
#include <strings.h>

#include "util/dname.h"

static int
octet_ok(unsigned char c, unsigned flags)
{
	if (flags & DNAME_ANY_OCTET)
		return c != '.';
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-')
		return 1;
	return c == '_' && (flags & DNAME_UNDERSCORE);
}

enum dname_error
dname_check(const char *s, size_t len, unsigned flags, size_t *pos)
{
	size_t i, lab = 0, start = 0, nlabels = 1, skip = 0, dummy;
	unsigned char c;

	if (pos == NULL)
		pos = &dummy;
	*pos = 0;
	if ((flags & DNAME_WILDCARD) && len >= 2 && s[0] == '*' &&
	    s[1] == '.')
		skip = 2;
	if ((flags & DNAME_FINAL_DOT) && len > skip && s[len - 1] == '.')
		len--;
	if (len == skip)
		return DNAME_EMPTY;
	if (len - skip > ((flags & DNAME_SMTP_LEN) ? DNAME_SMTP_MAX :
	    DNAME_MAX)) {
		*pos = len;
		return DNAME_TOO_LONG;
	}
	for (i = skip; i < len; i++) {
		c = (unsigned char)s[i];
		*pos = i;
		if (c == '.') {
			if (lab == 0)
				return DNAME_EMPTY_LABEL;
			if ((flags & DNAME_HOSTNAME) && s[i - 1] == '-')
				return DNAME_HYPHEN;
			lab = 0;
			nlabels++;
			continue;
		}
		if (!octet_ok(c, flags))
			return DNAME_BAD_OCTET;
		if (lab == 0)
			start = i;
		if ((flags & DNAME_HOSTNAME) && lab == 0 && c == '-')
			return DNAME_HYPHEN;
		if (++lab > DNAME_LABEL_MAX) {
			*pos = start;
			return DNAME_LONG_LABEL;
		}
	}
	*pos = len;
	if (lab == 0)
		return DNAME_EMPTY_LABEL;
	if ((flags & DNAME_HOSTNAME) && s[len - 1] == '-')
		return DNAME_HYPHEN;
	if ((flags & DNAME_MULTILABEL) && nlabels < 2)
		return DNAME_ONE_LABEL;
	return DNAME_OK;
}

int
dname_valid(const char *s, unsigned flags)
{
	return s != NULL && dname_check(s, strlen(s), flags, NULL) ==
	    DNAME_OK;
}

int
dname_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* Ignore one trailing dot on either side. */
	if (la > 1 && a[la - 1] == '.')
		la--;
	if (lb > 1 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

int
dname_in_list(const char **list, const char *name)
{
	size_t i;

	for (i = 0; list != NULL && list[i] != NULL; i++)
		if (dname_equal(list[i], name))
			return 1;
	return 0;
}
