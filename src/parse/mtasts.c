/* mtasts - MTA-STS records, policies and MX matching (RFC 8461). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/dname.h"
#include "parse/mtasts.h"
#include "util/i18n.h"
#include "util/xalloc.h"


const char *
mtasts_mode_name(enum mtasts_mode m)
{
	switch (m) {
	case MTASTS_MODE_ENFORCE:
		return "enforce";
	case MTASTS_MODE_TESTING:
		return "testing";
	case MTASTS_MODE_NONE:
		return "none";
	case MTASTS_MODE_UNSET:
		break;
	}
	return "-";
}

const char *
mtasts_fetch_name(enum mtasts_fetch f)
{
	static const char *names[] = {
		"not-tried", "ok", "http-error", "tls-error", "too-large",
		"unreachable"
	};

	if ((unsigned)f < sizeof(names) / sizeof(names[0]))
		return names[f];
	return "unknown";
}

void
mtasts_txt_free(struct mtasts_txt *t)
{
	if (t == NULL)
		return;
	free(t->id);
	free(t);
}

static int
starts_sts(const char *s, size_t len)
{
	return len >= 7 && memcmp(s, "v=STSv1", 7) == 0 &&
	    (len == 7 || s[7] == ';' || taglist_is_wsp((unsigned char)s[7]));
}

enum mtasts_status
mtasts_txt_parse(const char *s, size_t len, struct mtasts_txt **out,
    size_t *off, struct buf *why)
{
	struct mtasts_txt *t;
	struct field fl;
	size_t i, n, ns, vs;
	int rc;

	*out = NULL;
	t = xcalloc(1, sizeof(*t));
	if (!starts_sts(s, len)) {
		*off = 0;
		buf_printf(why, R_("the record must start with \"v=STSv1\""));
		goto bad;
	}
	i = 7;
	while ((rc = field_next(s, len, &i, &fl, off, why)) == 1) {
		if (field_value(s, len, &i, &fl, off, why) == -1)
			goto bad;
		ns = fl.name;
		n = fl.nlen;
		vs = fl.value;
		if (n == 2 && memcmp(s + ns, "id", 2) == 0) {
			size_t k;

			if (t->id != NULL) {
				*off = ns;
				buf_printf(why, R_("id= given twice"));
				goto bad;
			}
			for (k = vs; k < i; k++)
				if (!isalnum((unsigned char)s[k]))
					break;
			if (k < i || i - vs > 32) {
				*off = k < i ? k : vs;
				buf_printf(why,
				    R_("id= must be 1 to 32 letters "
				    "and digits"));
				goto bad;
			}
			t->id = xstrndup(s + vs, i - vs);
		}
		/* other fields are extensions: ignored */
	}
	if (rc == -1)
		goto bad;
	if (t->id == NULL) {
		*off = len;
		buf_printf(why, R_("the required id= field is missing"));
		goto bad;
	}
	*out = t;
	return MTASTS_OK;
bad:
	mtasts_txt_free(t);
	return MTASTS_SYNTAX;
}

size_t
mtasts_txt_select(const struct taglist_txt *txt, size_t n, size_t *idx)
{
	size_t i, count = 0;

	for (i = 0; i < n; i++)
		if (txt[i].data != NULL && starts_sts(txt[i].data, txt[i].len))
			if (count++ == 0)
				*idx = i;
	return count;
}

/* ["*."] domain of LDH labels; lower-cased copy or NULL. */
static char *
mx_pattern(const char *v)
{
	char *s;
	size_t i;

	if (dname_check(v, strlen(v), DNAME_WILDCARD | DNAME_UNDERSCORE,
	    NULL) != DNAME_OK)
		return NULL;
	s = xstrdup(v);
	for (i = 0; s[i]; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	return s;
}

void
mtasts_policy_free(struct mtasts_policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	free(p);
}

enum mtasts_status
mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy **out,
    size_t *line, struct buf *why)
{
	struct mtasts_policy *p;
	const char *ls, *le, *nl, *l;
	char key[40], *val = NULL;
	size_t ln = 0, n, i, vlen, klen;
	int seen_version = 0, seen_max_age = 0;
	unsigned long long age;

	*out = NULL;
	*line = 0;
	p = xcalloc(1, sizeof(*p));
	if (len > MTASTS_POLICY_MAX) {
		buf_printf(why, R_("policy is %zu bytes; the limit is %d"), len,
		    MTASTS_POLICY_MAX);
		goto bad;
	}
	ls = body;
	while (ls < body + len) {
		ln++;
		*line = ln;
		nl = memchr(ls, '\n', (size_t)(body + len - ls));
		le = nl ? nl : body + len;
		if (le > ls && le[-1] == '\r')
			le--;		/* CRLF */
		n = (size_t)(le - ls);
		l = ls;
		ls = nl ? nl + 1 : body + len;
		if (n == 0)
			continue;	/* blank line */
		for (i = 0; i < n; i++)
			if (((unsigned char)l[i] < 0x20 && l[i] != '\t') ||
			    (unsigned char)l[i] > 0x7e) {
				buf_printf(why, R_("control or non-ASCII byte "
				    "0x%02x in column %zu"),
				    (unsigned char)l[i], i + 1);
				goto bad;
			}
		klen = field_name_len(l, n);
		if (klen == 0 || klen >= sizeof(key) || klen == n ||
		    l[klen] != ':') {
			buf_printf(why, R_("expected \"key: value\""));
			goto bad;
		}
		memcpy(key, l, klen);
		key[klen] = '\0';
		i = klen + 1;
		while (i < n && taglist_is_wsp((unsigned char)l[i]))
			i++;
		vlen = n - i;
		while (vlen > 0 &&
		    taglist_is_wsp((unsigned char)l[i + vlen - 1]))
			vlen--;
		free(val);
		val = xstrndup(l + i, vlen);
		/* RFC 8461 §3.2's ABNF lets the fields come in any order,
		 * version included; receivers accept that. */
		if (strcmp(key, "version") == 0) {
			if (seen_version++) {
				buf_printf(why, R_("version given twice"));
				goto bad;
			}
			if (strcmp(val, "STSv1") != 0) {
				buf_printf(why, R_("version must be STSv1, not "
				    "\"%s\""), val);
				goto bad;
			}
		} else if (strcmp(key, "mode") == 0) {
			if (p->mode != MTASTS_MODE_UNSET) {
				buf_printf(why, R_("mode given twice"));
				goto bad;
			}
			if (strcmp(val, "enforce") == 0)
				p->mode = MTASTS_MODE_ENFORCE;
			else if (strcmp(val, "testing") == 0)
				p->mode = MTASTS_MODE_TESTING;
			else if (strcmp(val, "none") == 0)
				p->mode = MTASTS_MODE_NONE;
			else {
				buf_printf(why,
				    R_("mode must be enforce, testing "
				    "or none, not \"%s\""), val);
				goto bad;
			}
		} else if (strcmp(key, "max_age") == 0) {
			if (seen_max_age++) {
				buf_printf(why, R_("max_age given twice"));
				goto bad;
			}
			age = 0;
			for (i = 0; val[i] && i < 10 &&
			    isdigit((unsigned char)val[i]); i++)
				age = age * 10 + (unsigned)(val[i] - '0');
			if (i == 0 || val[i] != '\0' ||
			    age > MTASTS_MAX_AGE_MAX) {
				buf_printf(why,
				    R_("max_age must be a number of "
				    "seconds from 0 to %lu, not \"%s\""),
				    MTASTS_MAX_AGE_MAX, val);
				goto bad;
			}
			p->max_age = (uint32_t)age;
		} else if (strcmp(key, "mx") == 0) {
			char *pat;

			if (p->nmx == MTASTS_MAX_MX) {
				buf_printf(why, R_("more than %d mx lines"),
				    MTASTS_MAX_MX);
				goto bad;
			}
			if ((pat = mx_pattern(val)) == NULL) {
				buf_printf(why, R_("mx must be a host name, "
				    "optionally starting with \"*.\", not "
				    "\"%s\""), val);
				goto bad;
			}
			p->mx = xreallocarray(p->mx, p->nmx + 1,
			    sizeof(*p->mx));
			p->mx[p->nmx++] = pat;
		}
		/* unknown keys are extensions: ignored */
	}
	*line = 0;
	if (!seen_version) {
		buf_printf(why, R_("empty policy: \"version: STSv1\" missing"));
		goto bad;
	}
	if (p->mode == MTASTS_MODE_UNSET) {
		buf_printf(why, R_("the required mode field is missing"));
		goto bad;
	}
	if (!seen_max_age) {
		buf_printf(why, R_("the required max_age field is missing"));
		goto bad;
	}
	if (p->nmx == 0 && p->mode != MTASTS_MODE_NONE) {
		buf_printf(why, R_("no mx lines: a %s policy must list the MX "
		    "hosts"), mtasts_mode_name(p->mode));
		goto bad;
	}
	free(val);
	*out = p;
	return MTASTS_OK;
bad:
	free(val);
	mtasts_policy_free(p);
	return MTASTS_SYNTAX;
}

/* Lower-cased copy without a final dot, into a caller buffer. */
static int
norm(const char *in, char *out, size_t size)
{
	size_t n, i;

	n = strlen(in);
	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= size)
		return -1;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[n] = '\0';
	return 0;
}

int
mtasts_mx_match(const char *pattern, const char *host)
{
	char p[DNAME_MAX + 2], h[DNAME_MAX + 2];
	const char *dot;

	if (pattern == NULL || host == NULL ||
	    norm(pattern, p, sizeof(p)) == -1 ||
	    norm(host, h, sizeof(h)) == -1)
		return 0;
	if (strncmp(p, "*.", 2) != 0)
		return strcmp(p, h) == 0;
	/* "*." matches exactly one, non-empty, left-most label (§4.1). */
	dot = strchr(h, '.');
	if (dot == NULL || dot == h)
		return 0;
	return strcmp(dot + 1, p + 2) == 0;
}

int
mtasts_policy_covers(const struct mtasts_policy *pol, const char *host)
{
	size_t i;

	for (i = 0; i < pol->nmx; i++)
		if (mtasts_mx_match(pol->mx[i], host))
			return 1;
	return 0;
}
