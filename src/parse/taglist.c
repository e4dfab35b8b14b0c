/* taglist - RFC 6376 §3.2 tag=value lists; see taglist.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parse/taglist.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct taglist {
	struct tag	*t;
	size_t		 n;
	int		 flags;
};

int
taglist_is_fws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* VALCHAR: %x21-3A / %x3C-7E (printable ASCII except ";"). */
static int
is_valchar(int c)
{
	return (c >= 0x21 && c <= 0x3a) || (c >= 0x3c && c <= 0x7e);
}

static int
name_eq(const struct taglist *tl, const char *a, const char *b)
{
	if (tl->flags & TAGLIST_NOCASE)
		return strcasecmp(a, b) == 0;
	return strcmp(a, b) == 0;
}

static void
fail(size_t *off, size_t at, struct buf *why, const char *msg, int c)
{
	*off = at;
	if (c < 0)
		buf_printf(why, R_("%s at offset %zu"), msg, at);
	else if (c >= 0x21 && c <= 0x7e)
		buf_printf(why, R_("%s at offset %zu ('%c')"), msg, at, c);
	else
		buf_printf(why,
		    R_("%s at offset %zu (byte 0x%02x)"), msg, at, c);
}

enum taglist_status
taglist_parse(const char *s, size_t len, int flags, struct taglist **out,
    size_t *off, struct buf *why)
{
	struct taglist *tl;
	struct tag *t;
	size_t i = 0, ns, ne, vs, ve, k;
	unsigned char c;

	*out = NULL;
	*off = 0;
	tl = xcalloc(1, sizeof(*tl));
	tl->flags = flags;
	for (;;) {
		while (i < len && taglist_is_fws((unsigned char)s[i]))
			i++;
		if (i == len) {
			if (tl->n == 0) {
				fail(off, i, why, R_("empty record"), -1);
				goto bad;
			}
			break;		/* a trailing ";" is allowed */
		}
		/* tag-name = ALPHA *ALNUMPUNC */
		ns = i;
		c = (unsigned char)s[i];
		if (!isascii(c) || !isalpha(c)) {
			fail(off, i, why, R_("tag name expected"), c);
			goto bad;
		}
		while (i < len && isascii((unsigned char)s[i]) &&
		    (isalnum((unsigned char)s[i]) || s[i] == '_'))
			i++;
		ne = i;
		while (i < len && taglist_is_fws((unsigned char)s[i]))
			i++;
		if (i == len || s[i] != '=') {
			fail(off, i, why, R_("'=' expected after tag name"),
			    i == len ? -1 : (unsigned char)s[i]);
			goto bad;
		}
		i++;
		while (i < len && taglist_is_fws((unsigned char)s[i]))
			i++;
		vs = ve = i;
		while (i < len && s[i] != ';') {
			c = (unsigned char)s[i];
			if (is_valchar(c))
				ve = i + 1;
			else if (!taglist_is_fws(c)) {
				fail(off, i, why,
				    R_("invalid character in value"), c);
				goto bad;
			}
			i++;
		}
		if (tl->n == TAGLIST_MAX_TAGS) {
			fail(off, ns, why, R_("too many tags"), -1);
			goto bad;
		}
		tl->t = xreallocarray(tl->t, tl->n + 1, sizeof(*tl->t));
		t = &tl->t[tl->n];
		t->name = xstrndup(s + ns, ne - ns);
		t->value = xstrndup(s + vs, ve - vs);
		t->name_off = ns;
		t->value_off = vs;
		tl->n++;
		for (k = 0; k + 1 < tl->n; k++)
			if (name_eq(tl, tl->t[k].name, t->name)) {
				fail(off, ns, why, R_("duplicate tag"), -1);
				buf_printf(why, " \"%s\"", t->name);
				goto bad;
			}
		if (i == len)
			break;
		i++;			/* ";" */
	}
	*out = tl;
	return TAGLIST_OK;
bad:
	taglist_free(tl);
	return TAGLIST_SYNTAX;
}

void
taglist_free(struct taglist *tl)
{
	size_t i;

	if (tl == NULL)
		return;
	for (i = 0; i < tl->n; i++) {
		free(tl->t[i].name);
		free(tl->t[i].value);
	}
	free(tl->t);
	free(tl);
}

const struct tag *
taglist_get(const struct taglist *tl, const char *name)
{
	size_t i;

	for (i = 0; i < tl->n; i++)
		if (name_eq(tl, tl->t[i].name, name))
			return &tl->t[i];
	return NULL;
}

size_t
taglist_count(const struct taglist *tl)
{
	return tl->n;
}

const struct tag *
taglist_at(const struct taglist *tl, size_t i)
{
	return i < tl->n ? &tl->t[i] : NULL;
}

char *
taglist_txt_str(const struct taglist_txt *t)
{
	if (t->data == NULL || memchr(t->data, '\0', t->len) != NULL)
		return NULL;
	return xstrndup(t->data, t->len);
}

int
taglist_is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

long
taglist_items(const char *v, int sep, int flags,
    int (*ok)(const char *, size_t, void *), void *arg)
{
	size_t pos = 0, s, end, len = strlen(v);
	const char *e;
	int (*white)(int) = flags & TAGLIST_ITEM_FWS ? taglist_is_fws :
	    taglist_is_wsp;

	for (;;) {
		e = memchr(v + pos, sep, len - pos);
		end = e ? (size_t)(e - v) : len;
		s = pos;
		while (s < end && white((unsigned char)v[s]))
			s++;
		while (end > s && white((unsigned char)v[end - 1]))
			end--;
		if ((s == end && flags & TAGLIST_ITEM_NONEMPTY) ||
		    !ok(v + s, end - s, arg))
			return (long)s;
		if (e == NULL)
			return -1;
		pos = (size_t)(e - v) + 1;
	}
}

size_t
field_name_len(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || !isascii((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 1; i < len && i < 32; i++)
		if (!isascii((unsigned char)s[i]) ||
		    !(isalnum((unsigned char)s[i]) ||
		    strchr("_-.", s[i]) != NULL))
			break;
	return i;
}

int
field_next(const char *s, size_t len, size_t *pos, struct field *f,
    size_t *off, struct buf *why)
{
	size_t i = *pos, n;

	memset(f, 0, sizeof(*f));
	while (i < len && taglist_is_wsp((unsigned char)s[i]))
		i++;
	if (i == len)
		return 0;
	if (s[i] != ';') {
		*off = i;
		buf_printf(why, R_("\";\" expected between fields"));
		return -1;
	}
	i++;
	while (i < len && taglist_is_wsp((unsigned char)s[i]))
		i++;
	if (i == len)
		return 0;		/* a trailing separator */
	if ((n = field_name_len(s + i, len - i)) == 0) {
		*off = i;
		buf_printf(why, R_("field name expected"));
		return -1;
	}
	if (i + n == len || s[i + n] != '=') {
		*off = i + n;
		buf_printf(why,
		    R_("\"=\" expected right after the field name"));
		return -1;
	}
	f->name = i;
	f->nlen = n;
	*pos = f->value = i + n + 1;
	return 1;
}

int
field_value(const char *s, size_t len, size_t *pos, struct field *f,
    size_t *off, struct buf *why)
{
	size_t i;

	for (i = *pos; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ';' || taglist_is_wsp(c))
			break;
		if (c < 0x21 || c > 0x7e || c == '=') {
			*off = i;
			buf_printf(why, R_("invalid character in field value"));
			return -1;
		}
	}
	if (i == *pos) {
		*off = i;
		buf_printf(why, R_("empty field value"));
		return -1;
	}
	f->value = *pos;
	f->vlen = i - *pos;
	*pos = i;
	return 0;
}
