/* tlsrpt - SMTP TLS Reporting records (RFC 8460 §3); see tlsrpt.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parse/tlsrpt.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static int
starts_tlsrpt(const char *s, size_t len)
{
	return len >= 10 && memcmp(s, "v=TLSRPTv1", 10) == 0 &&
	    (len == 10 || s[10] == ';' || taglist_is_wsp((unsigned char)s[10]));
}

static int
uri_char(int c)
{
	return isascii(c) && (isalnum(c) ||
	    strchr("-._~:/?#[]@!$&'()*+=%", c) != NULL);
}

/* mailto:local@host or https://host[...]; 0 or -1 with *rel set. */
static int
check_uri(const char *s, size_t n, size_t *rel, struct buf *why)
{
	const char *at, *h;
	size_t i;

	for (i = 0; i < n; i++)
		if (!uri_char((unsigned char)s[i])) {
			*rel = i;
			buf_printf(why, R_("invalid character in URI"));
			return -1;
		}
	*rel = 0;
	if (n > 7 && strncasecmp(s, "mailto:", 7) == 0) {
		at = memchr(s + 7, '@', n - 7);
		if (at == NULL || at == s + 7 || at + 1 == s + n) {
			buf_printf(why, R_("mailto: URI needs user@host"));
			return -1;
		}
		return 0;
	}
	if (n > 8 && strncasecmp(s, "https://", 8) == 0) {
		h = s + 8;
		if (h == s + n || *h == '/' || *h == '?') {
			buf_printf(why, R_("https: URI needs a host"));
			return -1;
		}
		return 0;
	}
	buf_printf(why, R_("rua URIs must be mailto: or https:"));
	return -1;
}

void
tlsrpt_record_free(struct tlsrpt_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrua; i++)
		free(r->rua[i]);
	free(r->rua);
	free(r);
}

static int
parse_rua(struct tlsrpt_record *r, const char *s, size_t vs, size_t ve,
    size_t *off, struct buf *why)
{
	size_t p = vs, a, b, rel;
	const char *comma;

	if (r->rua != NULL) {
		*off = vs;
		buf_printf(why, R_("rua= given twice"));
		return -1;
	}
	for (;;) {
		comma = memchr(s + p, ',', ve - p);
		b = comma ? (size_t)(comma - s) : ve;
		a = p;
		while (a < b && taglist_is_wsp((unsigned char)s[a]))
			a++;
		while (b > a && taglist_is_wsp((unsigned char)s[b - 1]))
			b--;
		if (a == b) {
			*off = a;
			buf_printf(why, R_("empty URI in rua="));
			return -1;
		}
		if (r->nrua == TLSRPT_MAX_URIS) {
			*off = a;
			buf_printf(why, R_("more than %d URIs in rua="),
			    TLSRPT_MAX_URIS);
			return -1;
		}
		if (check_uri(s + a, b - a, &rel, why) == -1) {
			*off = a + rel;
			return -1;
		}
		r->rua = xreallocarray(r->rua, r->nrua + 1, sizeof(*r->rua));
		r->rua[r->nrua++] = xstrndup(s + a, b - a);
		if (comma == NULL)
			return 0;
		p = (size_t)(comma - s) + 1;
	}
}

enum tlsrpt_status
tlsrpt_parse(const char *s, size_t len, struct tlsrpt_record **out,
    size_t *off, struct buf *why)
{
	struct tlsrpt_record *r;
	struct field fl;
	size_t i, n, ns, vs, ve;
	int rc;

	*out = NULL;
	*off = 0;
	r = xcalloc(1, sizeof(*r));
	if (!starts_tlsrpt(s, len)) {
		buf_printf(why,
		    R_("the record must start with \"v=TLSRPTv1\""));
		goto bad;
	}
	i = 10;
	while ((rc = field_next(s, len, &i, &fl, off, why)) == 1) {
		ns = fl.name;
		n = fl.nlen;
		vs = fl.value;
		if (n == 3 && memcmp(s + ns, "rua", 3) == 0) {
			ve = vs;
			while (ve < len && s[ve] != ';')
				ve++;
			if (parse_rua(r, s, vs, ve, off, why) == -1)
				goto bad;
			i = ve;
			continue;
		}
		if (field_value(s, len, &i, &fl, off, why) == -1)
			goto bad;
		/* extension field: ignored */
	}
	if (rc == -1)
		goto bad;
	if (r->nrua == 0) {
		*off = len;
		buf_printf(why, R_("the required rua= field is missing"));
		goto bad;
	}
	*out = r;
	return TLSRPT_OK;
bad:
	tlsrpt_record_free(r);
	return TLSRPT_SYNTAX;
}

size_t
tlsrpt_select(const struct taglist_txt *txt, size_t n, size_t *idx)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (txt[i].data != NULL &&
		    starts_tlsrpt(txt[i].data, txt[i].len))
			if (count++ == 0)
				*idx = i;
	return count;
}
