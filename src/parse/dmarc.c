/* dmarc - DMARC policy records (RFC 7489); see dmarc.h. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpsl.h>

#include "util/buf.h"
#include "util/dname.h"
#include "parse/dmarc.h"
#include "util/i18n.h"
#include "util/xalloc.h"


/* A host name as found in a mailto: address: LDH labels, "_" tolerated. */
static int
valid_host(const char *s, size_t len)
{
	/* The limit counts the final dot here. */
	return len <= DNAME_MAX && dname_check(s, len, DNAME_FINAL_DOT |
	    DNAME_UNDERSCORE, NULL) == DNAME_OK;
}

/* Characters allowed in a URI (RFC 3986 unreserved, reserved, "%"),
 * minus "," and "!" which DMARC requires to be percent-encoded. */
static int
uri_char(int c)
{
	if (!isascii(c))
		return 0;
	if (isalnum(c))
		return 1;
	return strchr("-._~:/?#[]@$&'()*+;=%", c) != NULL;
}

static enum dmarc_policy
policy_word(const char *v)
{
	if (strcasecmp(v, "none") == 0)
		return DMARC_P_NONE;
	if (strcasecmp(v, "quarantine") == 0)
		return DMARC_P_QUARANTINE;
	if (strcasecmp(v, "reject") == 0)
		return DMARC_P_REJECT;
	return DMARC_P_UNSET;
}

const char *
dmarc_policy_name(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_P_NONE:
		return "none";
	case DMARC_P_QUARANTINE:
		return "quarantine";
	case DMARC_P_REJECT:
		return "reject";
	case DMARC_P_UNSET:
		break;
	}
	return "-";
}

/* Decimal digits only, value <= max. */
static int
parse_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long v = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		if (v > (ULLONG_MAX - 9) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		if (v > max)
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * One dmarc-uri: URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ].
 * Returns 0, or -1 with *rel the offset of the problem within s.
 */
static int
parse_uri(const char *s, size_t len, struct dmarc_uri *u, size_t *rel,
    struct buf *why)
{
	size_t i, ulen, colon;
	const char *bang, *at, *q;
	unsigned long long n = 0, mul = 1;
	char num[32];

	memset(u, 0, sizeof(*u));
	bang = memchr(s, '!', len);
	ulen = bang ? (size_t)(bang - s) : len;
	if (ulen == 0) {
		*rel = 0;
		buf_printf(why, R_("empty URI"));
		return -1;
	}
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
	if (!isascii((unsigned char)s[0]) || !isalpha((unsigned char)s[0])) {
		*rel = 0;
		buf_printf(why, R_("URI must start with a scheme such as "
		    "\"mailto:\""));
		return -1;
	}
	for (colon = 1; colon < ulen && s[colon] != ':'; colon++)
		if (!isascii((unsigned char)s[colon]) ||
		    !(isalnum((unsigned char)s[colon]) ||
		    strchr("+-.", s[colon]) != NULL)) {
			*rel = colon;
			buf_printf(why, R_("invalid character in URI scheme"));
			return -1;
		}
	if (colon == ulen || colon + 1 == ulen) {
		*rel = colon;
		buf_printf(why, R_("URI without a scheme or target (write "
		    "mailto:user@example.com)"));
		return -1;
	}
	for (i = 0; i < ulen; i++)
		if (!uri_char((unsigned char)s[i])) {
			*rel = i;
			buf_printf(why,
			    R_("invalid character in URI (commas and "
			    "\"!\" must be percent-encoded)"));
			return -1;
		}
	if (bang != NULL) {
		i = ulen + 1;
		if (i == len || len - i >= sizeof(num) ||
		    !isdigit((unsigned char)s[i])) {
			*rel = i;
			buf_printf(why,
			    R_("size limit after \"!\" must be digits "
			    "with an optional k, m, g or t"));
			return -1;
		}
		memcpy(num, s + i, len - i);
		num[len - i] = '\0';
		switch (tolower((unsigned char)num[len - i - 1])) {
		case 'k':
			mul = 1ULL << 10;
			break;
		case 'm':
			mul = 1ULL << 20;
			break;
		case 'g':
			mul = 1ULL << 30;
			break;
		case 't':
			mul = 1ULL << 40;
			break;
		}
		if (mul != 1)
			num[len - i - 1] = '\0';
		if (parse_uint(num, UINT64_MAX / mul, &n) == -1) {
			*rel = i;
			buf_printf(why, R_("invalid or too large size limit"));
			return -1;
		}
		u->limit = n * mul;
	}
	u->uri = xstrndup(s, ulen);
	if (colon == 6 && strncasecmp(s, "mailto", 6) == 0) {
		q = memchr(s, '?', ulen);
		if (q == NULL)
			q = s + ulen;
		at = NULL;
		for (i = colon + 1; s + i < q; i++)
			if (s[i] == '@')
				at = s + i;
		if (at == NULL || at == s + colon + 1 ||
		    !valid_host(at + 1, (size_t)(q - at - 1))) {
			*rel = colon + 1;
			buf_printf(why, R_("mailto: URI needs an address "
			    "user@host with a valid host name"));
			free(u->uri);
			u->uri = NULL;
			return -1;
		}
		u->host = xstrndup(at + 1, (size_t)(q - at - 1));
		for (i = 0; u->host[i]; i++)
			u->host[i] = (char)tolower((unsigned char)u->host[i]);
	}
	return 0;
}

static void
free_uris(struct dmarc_uri *u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(u[i].uri);
		free(u[i].host);
	}
	free(u);
}

/* dmarc-urilist: dmarc-uri *(*WSP "," *WSP dmarc-uri) */
static int
parse_urilist(const struct tag *t, struct dmarc_uri **out, size_t *nout,
    size_t *off, struct buf *why)
{
	const char *v = t->value, *e;
	size_t pos = 0, len = strlen(v), s, end, rel = 0;
	struct dmarc_uri u;

	*out = NULL;
	*nout = 0;
	if (len == 0) {
		*off = t->value_off;
		buf_printf(why, R_("%s= needs at least one URI"), t->name);
		return -1;
	}
	while (pos <= len) {
		e = memchr(v + pos, ',', len - pos);
		end = e ? (size_t)(e - v) : len;
		s = pos;
		while (s < end && taglist_is_wsp((unsigned char)v[s]))
			s++;
		while (end > s && taglist_is_wsp((unsigned char)v[end - 1]))
			end--;
		if (*nout == DMARC_MAX_URIS) {
			*off = t->value_off + s;
			buf_printf(why, R_("more than %d URIs in %s="),
			    DMARC_MAX_URIS, t->name);
			return -1;
		}
		if (parse_uri(v + s, end - s, &u, &rel, why) == -1) {
			*off = t->value_off + s + rel;
			return -1;
		}
		*out = xreallocarray(*out, *nout + 1, sizeof(**out));
		(*out)[(*nout)++] = u;
		if (e == NULL)
			break;
		pos = (size_t)(e - v) + 1;
	}
	return 0;
}


static int
fo_item(const char *s, size_t n, void *arg)
{
	unsigned *fo = arg;

	if (n != 1)
		return 0;
	switch (tolower((unsigned char)s[0])) {
	case '0':
		*fo |= DMARC_FO_0;
		return 1;
	case '1':
		*fo |= DMARC_FO_1;
		return 1;
	case 'd':
		*fo |= DMARC_FO_D;
		return 1;
	case 's':
		*fo |= DMARC_FO_S;
		return 1;
	}
	return 0;
}

/* Keyword = ldh-str (RFC 5321 §4.1.2) */
static int
keyword_item(const char *s, size_t n, void *arg)
{
	size_t i;

	(void)arg;
	if (n == 0 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++)
		if (!isascii((unsigned char)s[i]) ||
		    !(isalnum((unsigned char)s[i]) || s[i] == '-'))
			return 0;
	return 1;
}

void
dmarc_record_free(struct dmarc_record *r)
{
	if (r == NULL)
		return;
	free_uris(r->rua, r->nrua);
	free_uris(r->ruf, r->nruf);
	free(r->rf);
	free(r);
}

enum dmarc_status
dmarc_parse(const char *s, size_t len, int flags, struct dmarc_record **out,
    size_t *off, struct buf *why)
{
	struct taglist *tl = NULL;
	struct dmarc_record *r;
	const struct tag *t;
	unsigned long long n;
	size_t i, eo = 0;
	long bad;
	unsigned nerr = 0;
	struct buf *e = buf_new(BUF_WHY_MAX);

	*out = NULL;
	*off = 0;
	r = xcalloc(1, sizeof(*r));
	r->pct = 100;
	r->adkim = r->aspf = 'r';
	r->fo = DMARC_FO_0;
	r->ri = 86400;
	if (taglist_parse(s, len, TAGLIST_NOCASE, &tl, off, why) !=
	    TAGLIST_OK)
		goto bad;
	t = taglist_at(tl, 0);
	if (strcasecmp(t->name, "v") != 0) {
		*off = t->name_off;
		buf_printf(why, R_("the first tag must be v=DMARC1"));
		goto bad;
	}
	if (strcmp(t->value, "DMARC1") != 0) {
		*off = t->value_off;
		buf_printf(why, R_("version must be \"DMARC1\" (upper case), "
		    "not \"%s\""), t->value);
		goto bad;
	}
	for (i = 1; i < taglist_count(tl); i++) {
		t = taglist_at(tl, i);
		buf_reset(e);
		eo = t->value_off;
		if (strcasecmp(t->name, "p") == 0 ||
		    strcasecmp(t->name, "sp") == 0) {
			enum dmarc_policy p = policy_word(t->value);

			if (p == DMARC_P_UNSET) {
				buf_printf(e, R_("%s= must be none, quarantine "
				    "or reject, not \"%s\""), t->name,
				    t->value);
				goto tagbad;
			}
			if (tolower((unsigned char)t->name[0]) == 'p')
				r->p = p;
			else
				r->sp = p;
		} else if (strcasecmp(t->name, "pct") == 0) {
			if (parse_uint(t->value, 100, &n) == -1) {
				buf_printf(e, R_("pct= must be a whole number "
				    "from 0 to 100, not \"%s\""), t->value);
				goto tagbad;
			}
			r->pct = (unsigned)n;
			r->pct_set = 1;
		} else if (strcasecmp(t->name, "adkim") == 0 ||
		    strcasecmp(t->name, "aspf") == 0) {
			if (strcasecmp(t->value, "r") != 0 &&
			    strcasecmp(t->value, "s") != 0) {
				buf_printf(e, R_("%s= must be r (relaxed) or s "
				    "(strict), not \"%s\""), t->name,
				    t->value);
				goto tagbad;
			}
			if (strcasecmp(t->name, "adkim") == 0)
				r->adkim = (char)tolower(
				    (unsigned char)t->value[0]);
			else
				r->aspf = (char)tolower(
				    (unsigned char)t->value[0]);
		} else if (strcasecmp(t->name, "fo") == 0) {
			r->fo = 0;
			bad = taglist_items(t->value, ':', 0, fo_item,
			    &r->fo);
			if (bad >= 0) {
				eo += (size_t)bad;
				buf_printf(e, R_("fo= takes 0, 1, d or s, "
				    "separated by colons"));
				goto tagbad;
			}
		} else if (strcasecmp(t->name, "rf") == 0) {
			bad = taglist_items(t->value, ':', 0,
			    keyword_item, NULL);
			if (bad >= 0) {
				eo += (size_t)bad;
				buf_printf(e, R_("rf= takes report format "
				    "names such as afrf, separated by colons"));
				goto tagbad;
			}
			r->rf = xstrdup(t->value);
		} else if (strcasecmp(t->name, "ri") == 0) {
			if (parse_uint(t->value, UINT32_MAX, &n) == -1) {
				buf_printf(e, R_("ri= must be a number of "
				    "seconds below 2^32, not \"%s\""),
				    t->value);
				goto tagbad;
			}
			r->ri = (uint32_t)n;
		} else if (strcasecmp(t->name, "rua") == 0) {
			if (parse_urilist(t, &r->rua, &r->nrua, &eo, e))
				goto tagbad;
		} else if (strcasecmp(t->name, "ruf") == 0) {
			if (parse_urilist(t, &r->ruf, &r->nruf, &eo, e))
				goto tagbad;
		} else if (strcasecmp(t->name, "v") == 0) {
			eo = t->name_off;
			buf_printf(e, R_("v= may appear only first"));
			goto tagbad;
		}
		/* Unknown tags are ignored (RFC 7489 §6.3). */
		continue;
tagbad:
		/* Every bad tag is listed, not only the first: the record
		 * is fixed in one go. */
		if (nerr++ == 0) {
			*off = eo;
			buf_printf(why, "%s", buf_str(e));
		} else
			buf_printf(why,
			    R_("; at offset %zu: %s"), eo, buf_str(e));
	}
	buf_free(e);
	e = NULL;
	if (nerr > 0)
		goto bad;
	if (r->rf == NULL)
		r->rf = xstrdup("afrf");
	if ((flags & DMARC_NEED_P) && r->p == DMARC_P_UNSET) {
		*off = len;
		buf_printf(why, R_("the required p= tag is missing (receivers "
		    "treat the record as p=none at best)"));
		goto bad;
	}
	taglist_free(tl);
	*out = r;
	return DMARC_OK;
bad:
	buf_free(e);
	taglist_free(tl);
	dmarc_record_free(r);
	return DMARC_SYNTAX;
}

int
dmarc_is_record(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && taglist_is_wsp((unsigned char)s[i]))
		i++;
	if (i == len || (s[i] != 'v' && s[i] != 'V'))
		return 0;
	i++;
	while (i < len && taglist_is_wsp((unsigned char)s[i]))
		i++;
	if (i == len || s[i] != '=')
		return 0;
	i++;
	while (i < len && taglist_is_wsp((unsigned char)s[i]))
		i++;
	if (len - i < 6 || memcmp(s + i, "DMARC1", 6) != 0)
		return 0;
	i += 6;
	return i == len || s[i] == ';' || taglist_is_wsp((unsigned char)s[i]);
}

enum dmarc_select
dmarc_select(const struct taglist_txt *txt, size_t n, size_t *idx)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++)
		if (txt[i].data != NULL &&
		    dmarc_is_record(txt[i].data, txt[i].len)) {
			if (found++ == 0)
				*idx = i;
		}
	if (found == 0)
		return DMARC_SEL_NONE;
	return found == 1 ? DMARC_SEL_ONE : DMARC_SEL_MULTIPLE;
}

static const psl_ctx_t	*psl_ctx;

void
dmarc_psl_set(const psl_ctx_t *ctx)
{
	psl_ctx = ctx;
}

static const psl_ctx_t *
psl(void)
{
	return psl_ctx != NULL ? psl_ctx : psl_builtin();
}

int
dmarc_org_domain(const char *domain, char *out, size_t outlen)
{
	char name[DNAME_MAX + 2], *lower = NULL;
	const char *reg;
	size_t len, i;
	int rc = -1;

	if (domain == NULL || outlen == 0)
		return -1;
	len = strlen(domain);
	if (len > 0 && domain[len - 1] == '.')
		len--;		/* fully qualified form */
	if (len == 0 || len > DNAME_MAX)
		return -1;
	memcpy(name, domain, len);
	name[len] = '\0';
	/* Empty labels (leading dot, "a..b") make no domain name. */
	if (name[0] == '.' || strstr(name, "..") != NULL)
		return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] <= 0x20 || name[i] == 0x7f)
			return -1;
	if (psl_str_to_utf8lower(name, "utf-8", NULL, &lower) !=
	    PSL_SUCCESS) {
		/* libpsl without IDN support: ASCII is still fine. */
		for (i = 0; i < len; i++) {
			if (!isascii((unsigned char)name[i]))
				return -1;
			name[i] = (char)tolower((unsigned char)name[i]);
		}
		lower = NULL;
	}
	reg = psl_registrable_domain(psl(), lower ? lower : name);
	if (reg != NULL && strlen(reg) < outlen) {
		memcpy(out, reg, strlen(reg) + 1);
		rc = 0;
	}
	psl_free_string(lower);
	return rc;
}

int
dmarc_external_needed(const char *org_domain, const char *dest_host)
{
	char dorg[DNAME_MAX + 2];

	if (org_domain == NULL || dest_host == NULL)
		return 1;
	if (dmarc_org_domain(dest_host, dorg, sizeof(dorg)) == -1)
		return 1;
	return strcasecmp(dorg, org_domain) != 0;
}

int
dmarc_external_qname(const char *domain, const char *dest_host, char *out,
    size_t outlen)
{
	size_t dl, hl;

	dl = strlen(domain);
	hl = strlen(dest_host);
	if (dl > 0 && domain[dl - 1] == '.')
		dl--;
	if (hl > 0 && dest_host[hl - 1] == '.')
		hl--;
	if (dl == 0 || hl == 0 ||
	    dl + hl + sizeof("._report._dmarc.") - 1 > DNAME_MAX ||
	    dl + hl + sizeof("._report._dmarc.") > outlen)
		return -1;
	memcpy(out, domain, dl);
	memcpy(out + dl, "._report._dmarc.", sizeof("._report._dmarc.") - 1);
	memcpy(out + dl + sizeof("._report._dmarc.") - 1, dest_host, hl);
	out[dl + hl + sizeof("._report._dmarc.") - 1] = '\0';
	return 0;
}

enum dmarc_ext_verdict
dmarc_external_judge(enum dns_outcome o, const struct taglist_txt *txt,
    size_t n)
{
	size_t i;

	switch (o) {
	case DNS_OK:
		for (i = 0; i < n; i++)
			if (txt[i].data != NULL &&
			    dmarc_is_record(txt[i].data, txt[i].len))
				return DMARC_EXT_AUTHORIZED;
		return DMARC_EXT_UNAUTHORIZED;
	case DNS_NODATA:
	case DNS_NXDOMAIN:
		return DMARC_EXT_UNAUTHORIZED;
	default:
		return DMARC_EXT_UNKNOWN;
	}
}

/* Pick and parse the record at one name; 1 when the search stops here. */
static int
discover_at(const struct dmarc_lookup *l, const char *name,
    struct dmarc_discovery *d)
{
	struct buf *why;
	size_t idx = 0, i;
	enum dmarc_select sel;

	if (dns_outcome_failed(l->outcome)) {
		d->state = DMARC_ST_FAILED;
		why = buf_new(BUF_WHY_MAX);
		buf_printf(why, R_("TXT _dmarc.%s: %s"), name,
		    dns_outcome_name(l->outcome));
		d->why = buf_steal(why);
		buf_free(why);
		return 1;
	}
	sel = l->outcome == DNS_OK ? dmarc_select(l->txt, l->ntxt, &idx) :
	    DMARC_SEL_NONE;
	if (sel == DMARC_SEL_NONE)
		return 0;
	d->policy_domain = name;
	if (sel == DMARC_SEL_MULTIPLE) {
		d->state = DMARC_ST_MULTIPLE;
		for (i = 0; i < l->ntxt; i++)
			if (l->txt[i].data != NULL &&
			    dmarc_is_record(l->txt[i].data, l->txt[i].len))
				d->count++;
		return 1;
	}
	d->text = xstrndup(l->txt[idx].data, l->txt[idx].len);
	why = buf_new(BUF_WHY_MAX);
	if (memchr(l->txt[idx].data, '\0', l->txt[idx].len) != NULL) {
		d->state = DMARC_ST_INVALID;
		d->erroff = strlen(d->text);
		buf_printf(why, R_("NUL byte at offset %zu"), d->erroff);
	} else if (dmarc_parse(l->txt[idx].data, l->txt[idx].len,
	    DMARC_NEED_P, &d->rec, &d->erroff, why) == DMARC_OK)
		d->state = DMARC_ST_FOUND;
	else
		d->state = DMARC_ST_INVALID;
	if (d->state == DMARC_ST_INVALID)
		d->why = buf_steal(why);
	buf_free(why);
	return 1;
}

void
dmarc_discover(const struct dmarc_facts *f, struct dmarc_discovery *d)
{
	memset(d, 0, sizeof(*d));
	d->state = DMARC_ST_MISSING;
	if (discover_at(&f->own, f->domain, d))
		return;
	if (f->org_queried && f->org_domain != NULL &&
	    strcasecmp(f->org_domain, f->domain) != 0 &&
	    discover_at(&f->org, f->org_domain, d))
		d->inherited = 1;
}

void
dmarc_discovery_clear(struct dmarc_discovery *d)
{
	free(d->text);
	free(d->why);
	dmarc_record_free(d->rec);
	memset(d, 0, sizeof(*d));
}

static void
add_target(struct dmarc_target **t, size_t *n, const char *org,
    const char *policy_domain, const char *host)
{
	char q[DNAME_MAX + 2];
	size_t i;

	if (host == NULL || !dmarc_external_needed(org, host))
		return;
	for (i = 0; i < *n; i++)
		if (strcasecmp((*t)[i].host, host) == 0)
			return;
	if (dmarc_external_qname(policy_domain, host, q, sizeof(q)) == -1)
		return;
	*t = xreallocarray(*t, *n + 1, sizeof(**t));
	(*t)[*n].host = xstrdup(host);
	(*t)[*n].qname = xstrdup(q);
	(*n)++;
}

size_t
dmarc_external_targets(const struct dmarc_record *r,
    const char *policy_domain, struct dmarc_target **out)
{
	char org[DNAME_MAX + 2];
	const char *porg;
	size_t i, n = 0;

	*out = NULL;
	porg = dmarc_org_domain(policy_domain, org, sizeof(org)) == 0 ?
	    org : NULL;
	for (i = 0; i < r->nrua; i++)
		add_target(out, &n, porg, policy_domain, r->rua[i].host);
	for (i = 0; i < r->nruf; i++)
		add_target(out, &n, porg, policy_domain, r->ruf[i].host);
	return n;
}

const struct dmarc_ext *
dmarc_facts_ext(const struct dmarc_facts *f, const char *host)
{
	const struct dmarc_ext *e = NULL;
	size_t k;

	/* The last answer for the host wins, as each was asked once. */
	for (k = 0; k < f->next; k++)
		if (f->ext[k].host != NULL &&
		    strcasecmp(f->ext[k].host, host) == 0)
			e = &f->ext[k];
	return e;
}

void
dmarc_targets_free(struct dmarc_target *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(t[i].host);
		free(t[i].qname);
	}
	free(t);
}
