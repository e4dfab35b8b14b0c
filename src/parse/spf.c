/*
 * spf - pure parser of SPF records and macro strings (RFC 7208 §4.5,
 * §4.6, §5, §6, §7, §12). See spf.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/addr.h"
#include "util/buf.h"
#include "util/dname.h"
#include "parse/dns_wire.h"
#include "parse/spf.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define MACRO_LETTERS	"slodiphvcrt"
#define MACRO_DELIMS	".-+,/_="

static const struct {
	const char		*name;
	enum spf_mech_type	 type;
} mechs[] = {
	{ "all", SPF_M_ALL }, { "include", SPF_M_INCLUDE }, { "a", SPF_M_A },
	{ "mx", SPF_M_MX }, { "ptr", SPF_M_PTR }, { "ip4", SPF_M_IP4 },
	{ "ip6", SPF_M_IP6 }, { "exists", SPF_M_EXISTS },
};

const char *
spf_result_name(enum spf_result r)
{
	static const char *names[] = {
		"none", "neutral", "pass", "fail", "softfail", "temperror",
		"permerror"
	};

	if ((unsigned)r < sizeof(names) / sizeof(names[0]))
		return names[r];
	return "permerror";
}

const char *
spf_mech_name(enum spf_mech_type t)
{
	size_t i;

	for (i = 0; i < sizeof(mechs) / sizeof(mechs[0]); i++)
		if (mechs[i].type == t)
			return mechs[i].name;
	return "?";
}

int
spf_is_v1(const char *s, size_t n)
{
	return n >= 6 && strncasecmp(s, "v=spf1", 6) == 0 &&
	    (n == 6 || s[6] == ' ');
}

enum spf_select
spf_select(const struct dns_rr *rr, size_t nrr, const struct dns_rr **out,
    size_t *nfound)
{
	size_t i, n = 0;

	*out = NULL;
	for (i = 0; i < nrr; i++) {
		if (rr[i].type != DNS_T_TXT && rr[i].type != DNS_T_SPF)
			continue;
		if (rr[i].u.txt.data == NULL ||
		    !spf_is_v1(rr[i].u.txt.data, rr[i].u.txt.len))
			continue;
		if (n++ == 0)
			*out = &rr[i];
	}
	if (nfound != NULL)
		*nfound = n;
	if (n == 0)
		return SPF_SELECT_NONE;
	if (n > 1) {
		*out = NULL;
		return SPF_SELECT_MULTIPLE;
	}
	return SPF_SELECT_ONE;
}

/* --- addresses --- */

int
spf_ip_parse(const char *text, struct spf_ip *ip)
{
	static const unsigned char mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};
	size_t n = strlen(text);

	memset(ip, 0, sizeof(*ip));
	if (memchr(text, ':', n) != NULL) {
		if (addr_parse_ip6(text, n, ip->a) == -1)
			return -1;
		ip->v = 6;
		/* RFC 7208 §5: an IPv4-mapped address is IPv4. */
		if (memcmp(ip->a, mapped, 12) == 0) {
			memmove(ip->a, ip->a + 12, 4);
			memset(ip->a + 4, 0, 12);
			ip->v = 4;
		}
		return 0;
	}
	if (addr_parse_ip4(text, n, ip->a) == -1)
		return -1;
	ip->v = 4;
	return 0;
}

void
spf_ip_format(const struct spf_ip *ip, struct buf *b)
{
	unsigned w[8];
	int i, best = -1, bestlen = 0, run, start;

	if (ip->v == 4) {
		buf_printf(b, "%u.%u.%u.%u", ip->a[0], ip->a[1], ip->a[2],
		    ip->a[3]);
		return;
	}
	for (i = 0; i < 8; i++)
		w[i] = (unsigned)ip->a[2 * i] << 8 | ip->a[2 * i + 1];
	/* RFC 5952 §4.2: the longest run of two or more zero groups. */
	for (i = 0; i < 8; i = start + run + 1) {
		start = i;
		run = 0;
		while (start + run < 8 && w[start + run] == 0)
			run++;
		if (run >= 2 && run > bestlen) {
			best = start;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf_printf(b, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			buf_printf(b, ":");
		buf_printf(b, "%x", w[i]);
	}
}

void
spf_ip_reverse(const struct spf_ip *ip, struct buf *b)
{
	char rev[ADDR_REVERSE_MAX];

	buf_printf(b, "%s", addr_reverse(ip->v == 4 ? AF_INET : AF_INET6,
	    ip->a, rev, sizeof(rev)));
}

int
spf_ip_match(const struct spf_ip *a, const struct spf_ip *b, int prefix)
{
	if (a->v != b->v || prefix < 0)
		return 0;
	return addr_prefix_match(a->v == 4 ? AF_INET : AF_INET6, a->a, b->a,
	    (unsigned)prefix);
}

int
spf_domain_valid(const char *name, int multilabel)
{
	if (name[0] == '[')		/* a domain literal, not a name */
		return 0;
	return dname_valid(name, DNAME_FINAL_DOT | DNAME_ANY_OCTET |
	    (multilabel ? DNAME_MULTILABEL : 0));
}

/* --- macro strings (§7.1) --- */

static void
describe_byte(struct buf *why, unsigned char c, int in_record)
{
	if (c >= 0x80)
		buf_printf(why, in_record ?
		    R_("non-ASCII byte 0x%02x in the record") :
		    R_("non-ASCII byte 0x%02x not allowed"), c);
	else if (c < 0x20 || c == 0x7f)
		buf_printf(why, in_record ?
		    R_("control character 0x%02x in the record") :
		    R_("control character 0x%02x not allowed"), c);
	else
		buf_printf(why, in_record ?
		    R_("character '%c' in the record") :
		    R_("character '%c' not allowed"), c);
}

/*
 * Check macro-string s[0..n) (or explain-string with SPF_MACRO_EXP).
 * On error *off is the 0-based offset of the offending character.
 * *endmacro tells whether the string ends with a macro-expand.
 */
static int
macro_check(const char *s, size_t n, int flags, size_t *off, int *endmacro,
    struct buf *why)
{
	size_t i = 0, j, d;
	unsigned long v;
	int letter;

	*endmacro = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			if (i + 1 >= n) {
				*off = i;
				buf_printf(why,
				    R_("'%%' at the end: write %%%% "
				    "for a literal percent sign"));
				return -1;
			}
			if (s[i + 1] == '%' || s[i + 1] == '_' ||
			    s[i + 1] == '-') {
				i += 2;
				*endmacro = 1;
				continue;
			}
			if (s[i + 1] != '{') {
				*off = i;
				buf_printf(why,
				    R_("'%%' must be followed by {, "
				    "%%, _ or - (write %%%% for a literal "
				    "percent sign)"));
				return -1;
			}
			j = i + 2;
			letter = j < n ? tolower((unsigned char)s[j]) : 0;
			if (letter == 0 || !isalpha((unsigned char)s[j]) ||
			    strchr(MACRO_LETTERS, letter) == NULL) {
				*off = j;
				buf_printf(why, R_("unknown macro letter in "
				    "%%{...}"));
				return -1;
			}
			if (strchr("crt", letter) != NULL &&
			    !(flags & SPF_MACRO_EXP)) {
				*off = j;
				buf_printf(why,
				    R_("macro %%{%c} is allowed only "
				    "in explanation text"), s[j]);
				return -1;
			}
			j++;
			d = j;
			v = 0;
			while (j < n && isdigit((unsigned char)s[j])) {
				if (v < 100000)
					v = v * 10 +
					    (unsigned long)(s[j] - '0');
				j++;
			}
			if (j > d && v == 0) {
				*off = d;
				buf_printf(why,
				    R_("macro transformer must keep "
				    "at least one part (0 given)"));
				return -1;
			}
			if (j < n && tolower((unsigned char)s[j]) == 'r')
				j++;
			while (j < n && strchr(MACRO_DELIMS, s[j]) != NULL)
				j++;
			if (j >= n || s[j] != '}') {
				*off = j < n ? j : n;
				buf_printf(why, R_("malformed macro: "
				    "expected '}'"));
				return -1;
			}
			i = j + 1;
			*endmacro = 1;
			continue;
		}
		if (c == ' ' && (flags & SPF_MACRO_EXP)) {
			i++;
			*endmacro = 0;
			continue;
		}
		if (c < 0x21 || c > 0x7e) {
			*off = i;
			describe_byte(why, c, 0);
			return -1;
		}
		i++;
		*endmacro = 0;
	}
	return 0;
}

/*
 * toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
 */
static int
toplabel_ok(const char *s, size_t n)
{
	size_t i;
	int alpha = 0, dash = 0;

	if (n == 0 || !isalnum((unsigned char)s[0]) ||
	    !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (i = 0; i < n; i++) {
		if (isalpha((unsigned char)s[i]))
			alpha = 1;
		else if (s[i] == '-')
			dash = 1;
		else if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return alpha || dash;
}

/* Bounded: the text need not be NUL-terminated. */
static int
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* domain-spec = macro-string domain-end (§7.1); *off 0-based. */
static int
domain_spec_check(const char *s, size_t n, size_t *off, struct buf *why)
{
	size_t e, d;
	int endmacro;

	if (n == 0) {
		*off = 0;
		buf_printf(why, R_("empty domain name"));
		return -1;
	}
	if (macro_check(s, n, 0, off, &endmacro, why) == -1)
		return -1;
	if (endmacro)
		return 0;
	e = n;
	if (s[e - 1] == '.')
		e--;
	for (d = e; d > 0 && s[d - 1] != '.'; d--)
		;
	if (d == 0) {
		*off = 0;
		buf_printf(why, R_("\"%.*s\" is not a domain name (one label "
		    "only)"), (int)(n > 64 ? 64 : n), s);
		return -1;
	}
	if (!toplabel_ok(s + d, e - d)) {
		*off = d;
		if (e > d && all_digits(s + d, e - d))
			buf_printf(why, R_("top-level label \"%.*s\" is all "
			    "numeric (an IP address needs ip4:)"),
			    (int)(e - d), s + d);
		else
			buf_printf(why, R_("invalid top-level label \"%.*s\""),
			    (int)(e - d > 64 ? 64 : e - d), s + d);
		return -1;
	}
	return 0;
}

int
spf_explain_valid(const char *s, size_t n, struct buf *why)
{
	size_t off;
	int endmacro;
	struct buf *tmp = why ? why : buf_new(BUF_WHY_MAX);
	int rc;

	rc = macro_check(s, n, SPF_MACRO_EXP, &off, &endmacro, tmp);
	if (tmp != why)
		buf_free(tmp);
	return rc == 0;
}

int
spf_macro_uses(const char *s, const char *letters)
{
	const char *p;
	int c;

	for (p = s; (p = strchr(p, '%')) != NULL; p++) {
		/* "%%", "%_" and "%-" are literals (§7.1), never a macro;
		 * p stepping over the second byte keeps "%%{s}" literal. */
		if (p[1] == '%' || p[1] == '_' || p[1] == '-') {
			p++;
			continue;
		}
		c = tolower((unsigned char)p[2]);
		if (p[1] == '{' && c != '\0' && strchr(letters, c) != NULL)
			return 1;
	}
	return 0;
}

static void
url_escape(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			buf_append(out, &s[i], 1);
		else
			buf_printf(out, "%%%02X", c);
	}
}

static void
macro_value(int letter, const struct spf_macro_ctx *ctx, struct buf *v)
{
	const struct spf_ip *ip = ctx->ip;
	int i;

	switch (letter) {
	case 's':
		buf_printf(v, "%s", ctx->sender ? ctx->sender : "");
		break;
	case 'l':
		buf_printf(v, "%s", ctx->local ? ctx->local : "postmaster");
		break;
	case 'o':
		buf_printf(v, "%s", ctx->sender_domain ?
		    ctx->sender_domain : "");
		break;
	case 'd':
		buf_printf(v, "%s", ctx->domain ? ctx->domain : "");
		break;
	case 'i':
		if (ip == NULL)
			break;
		if (ip->v == 4) {
			spf_ip_format(ip, v);
			break;
		}
		/* §7.3: dot-format nibbles; RFC 7208 §7.4 writes them in
		 * upper case. */
		for (i = 0; i < 16; i++)
			buf_printf(v, "%s%X.%X", i ? "." : "", ip->a[i] >> 4,
			    ip->a[i] & 0xf);
		break;
	case 'c':
		if (ip != NULL)
			spf_ip_format(ip, v);
		break;
	case 'v':
		buf_printf(v, "%s", ip != NULL && ip->v == 6 ? "ip6" :
		    "in-addr");
		break;
	case 'p':
		buf_printf(v, "%s", ctx->ptr ? ctx->ptr : "unknown");
		break;
	case 'h':
		buf_printf(v, "%s", ctx->helo ? ctx->helo : "");
		break;
	case 'r':
		buf_printf(v, "%s", ctx->receiver ? ctx->receiver :
		    "unknown");
		break;
	case 't':
		buf_printf(v, "%lld", ctx->now);
		break;
	}
}

/* §7.3: split on delimiters, reverse, keep the rightmost n, join by '.'. */
static void
macro_transform(const char *val, size_t vlen, unsigned long keep, int rev,
    const char *delims, size_t ndelims, struct buf *out)
{
	size_t *start, *len, nparts = 0, i, first;

	start = xcalloc(vlen + 1, sizeof(*start));
	len = xcalloc(vlen + 1, sizeof(*len));
	start[0] = 0;
	for (i = 0; i <= vlen; i++) {
		if (i == vlen || memchr(delims, val[i], ndelims) != NULL) {
			len[nparts] = i - start[nparts];
			nparts++;
			if (i < vlen)
				start[nparts] = i + 1;
		}
	}
	if (rev)
		for (i = 0; i < nparts / 2; i++) {
			size_t ts = start[i], tl = len[i];

			start[i] = start[nparts - 1 - i];
			len[i] = len[nparts - 1 - i];
			start[nparts - 1 - i] = ts;
			len[nparts - 1 - i] = tl;
		}
	first = (keep > 0 && keep < nparts) ? nparts - keep : 0;
	for (i = first; i < nparts; i++) {
		if (i > first)
			buf_append(out, ".", 1);
		buf_append(out, val + start[i], len[i]);
	}
	free(start);
	free(len);
}

/*
 * §7.3 last paragraph: the name to ask for. One final dot goes; while
 * the name is longer than DNAME_MAX octets, its leftmost label and the
 * dot after it go. 0 when what is left is a DNS name (spf_domain_valid),
 * else SPF_EXPAND_NONAME with the reason: a label over 63 octets or an
 * empty one is kept by the cut and makes no name (RFC 7208 test suite
 * invalid-domain-long: no such name), and a last label alone longer
 * than DNAME_MAX leaves nothing that fits.
 */
static int
domain_cut(struct buf *out, struct buf *why)
{
	char *p, *tail, *dot;
	size_t len, pos = 0;

	p = buf_steal(out);
	len = strlen(p);
	if (len > 0 && p[len - 1] == '.')
		p[--len] = '\0';
	tail = p;
	while (len > DNAME_MAX && (dot = memchr(tail, '.', len)) != NULL) {
		len -= (size_t)(dot + 1 - tail);
		tail = dot + 1;
	}
	buf_reset(out);
	buf_append(out, tail, len);
	free(p);
	if (spf_domain_valid(buf_str(out), 0))
		return 0;
	if (why == NULL)
		return SPF_EXPAND_NONAME;
	if (len > DNAME_MAX)
		buf_printf(why, R_("a label of %zu octets: no cut to %d "
		    "octets leaves a name"), len, DNAME_MAX);
	else switch (dname_check(buf_str(out), len, DNAME_ANY_OCTET, &pos)) {
	case DNAME_LONG_LABEL:
		buf_printf(why, R_("a label longer than %d octets at octet "
		    "%zu: no DNS name"), DNAME_LABEL_MAX, pos + 1);
		break;
	case DNAME_EMPTY_LABEL:
		buf_printf(why, R_("an empty label at octet %zu: no DNS "
		    "name"), pos + 1);
		break;
	case DNAME_EMPTY:
		buf_printf(why, "%s", R_("the name is empty"));
		break;
	default:
		buf_printf(why, "%s", R_("not a valid domain name"));
		break;
	}
	return SPF_EXPAND_NONAME;
}

int
spf_macro_expand(const char *s, const struct spf_macro_ctx *ctx, int flags,
    struct buf *out, struct buf *why)
{
	struct buf *val, *tr;
	size_t i = 0, n = strlen(s), j, d, off;
	unsigned long keep;
	int letter, upper, rev, endmacro;

	if (macro_check(s, n, flags & SPF_MACRO_EXP, &off, &endmacro,
	    why) == -1)
		return -1;
	val = buf_new(SPF_RECORD_MAX);
	tr = buf_new(SPF_RECORD_MAX);
	while (i < n) {
		if (s[i] != '%') {
			buf_append(out, &s[i++], 1);
			continue;
		}
		if (s[i + 1] == '%' || s[i + 1] == '_' || s[i + 1] == '-') {
			buf_printf(out, "%s", s[i + 1] == '%' ? "%" :
			    s[i + 1] == '_' ? " " : "%20");
			i += 2;
			continue;
		}
		j = i + 2;
		upper = isupper((unsigned char)s[j]);
		letter = tolower((unsigned char)s[j++]);
		keep = 0;
		while (isdigit((unsigned char)s[j])) {
			if (keep < 100000)
				keep = keep * 10 + (unsigned long)(s[j] - '0');
			j++;
		}
		rev = 0;
		if (tolower((unsigned char)s[j]) == 'r') {
			rev = 1;
			j++;
		}
		d = j;
		while (s[j] != '}')
			j++;
		buf_reset(val);
		buf_reset(tr);
		macro_value(letter, ctx, val);
		macro_transform(buf_str(val), buf_len(val), keep, rev,
		    j > d ? s + d : ".", j > d ? j - d : 1, tr);
		if (upper)
			url_escape(out, buf_str(tr), buf_len(tr));
		else
			buf_append(out, buf_str(tr), buf_len(tr));
		i = j + 1;
	}
	buf_free(val);
	buf_free(tr);
	if (flags & SPF_MACRO_DOMAIN)
		return domain_cut(out, why);
	return 0;
}

/* --- records --- */

void
spf_record_free(struct spf_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmech; i++) {
		free(r->mech[i].domain);
		free(r->mech[i].text);
	}
	free(r->mech);
	free(r->redirect);
	free(r->exp);
	free(r);
}

/* "/" ( "0" / %x31-39 0*2DIGIT ), value <= max; -1 when malformed. */
static int
parse_cidr(const char *s, size_t n, int max)
{
	size_t i;
	int v = 0;

	if (n == 0 || n > 3 || (s[0] == '0' && n > 1))
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

struct parse {
	const char	*rec;
	size_t		*errpos;
	struct buf	*why;
	struct spf_record *r;
};

/* Report an error at 0-based record offset off. */
static int __attribute__((format(printf, 3, 4)))
perr(struct parse *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	*p->errpos = off + 1;
	va_start(ap, fmt);
	buf_vprintf(p->why, fmt, ap);
	va_end(ap);
	return -1;
}

static int
check_domain(struct parse *p, const char *s, size_t n, size_t at,
    const char *what)
{
	struct buf *tmp = buf_new(BUF_WHY_MAX);
	size_t off = 0;
	int rc = 0;

	if (domain_spec_check(s, n, &off, tmp) == -1)
		rc = perr(p, at + off, "%s: %s", what, buf_str(tmp));
	buf_free(tmp);
	return rc;
}

static int
parse_modifier(struct parse *p, const char *t, size_t m, size_t at,
    size_t namelen)
{
	const char *val = t + namelen + 1;
	size_t vlen = m - namelen - 1, off = 0;
	char **slot = NULL;
	struct buf *tmp;
	int endmacro, rc = 0;

	if (namelen == 0)
		return perr(p, at, R_("modifier without a name"));
	if (!isalpha((unsigned char)t[0]))
		return perr(p, at, R_("modifier name \"%.*s\" must begin with "
		    "a letter"), (int)namelen, t);
	if (namelen == 8 && strncasecmp(t, "redirect", 8) == 0)
		slot = &p->r->redirect;
	else if (namelen == 3 && strncasecmp(t, "exp", 3) == 0)
		slot = &p->r->exp;
	if (slot != NULL) {
		if (*slot != NULL)
			return perr(p, at,
			    R_("%.*s= given twice"), (int)namelen,
			    t);
		if (check_domain(p, val, vlen, at + namelen + 1,
		    namelen == 3 ? "exp=" : "redirect=") == -1)
			return -1;
		*slot = xstrndup(val, vlen);
		if (slot == &p->r->redirect)
			p->r->dns_terms++;
		return 0;
	}
	/* §6: unknown modifiers are ignored but must be well formed. */
	tmp = buf_new(BUF_WHY_MAX);
	if (macro_check(val, vlen, 0, &off, &endmacro, tmp) == -1)
		rc = perr(p, at + namelen + 1 + off, R_("modifier %.*s=: %s"),
		    (int)namelen, t, buf_str(tmp));
	buf_free(tmp);
	p->r->nunknown++;
	return rc;
}

static int
parse_mechanism(struct parse *p, const char *t, size_t m, size_t at)
{
	struct spf_mech mech;
	const char *arg, *net;
	size_t i = 0, j, k, e, alen, nlen;
	int found = -1, v;

	memset(&mech, 0, sizeof(mech));
	mech.qual = '+';
	if (strchr("+-~?", t[0]) != NULL) {
		mech.qual = t[0];
		i = 1;
	}
	for (j = i; j < m && isalnum((unsigned char)t[j]); j++)
		;
	for (k = 0; k < sizeof(mechs) / sizeof(mechs[0]); k++)
		if (strlen(mechs[k].name) == j - i &&
		    strncasecmp(mechs[k].name, t + i, j - i) == 0)
			found = (int)k;
	if (found < 0 || (j < m && t[j] != ':' && t[j] != '/')) {
		if (j - i == 8 && strncasecmp(t + i, "redirect", 8) == 0)
			return perr(p, at + i, R_("\"redirect\" is a modifier: "
			    "write redirect=domain"));
		if (j - i == 3 && strncasecmp(t + i, "exp", 3) == 0)
			return perr(p, at + i, R_("\"exp\" is a modifier: "
			    "write exp=domain"));
		if (found >= 0)
			return perr(p, at + j, R_("unexpected '%c' after %s"),
			    t[j], mechs[found].name);
		return perr(p, at + i, R_("unknown mechanism \"%.*s\""),
		    (int)(m - i > 64 ? 64 : m - i), t + i);
	}
	mech.type = mechs[found].type;
	mech.cidr4 = 32;
	mech.cidr6 = 128;
	arg = t + j;
	alen = m - j;
	at += j;		/* offset of arg */
	switch (mech.type) {
	case SPF_M_ALL:
		if (alen > 0)
			return perr(p, at, R_("all takes no argument"));
		break;
	case SPF_M_INCLUDE:
	case SPF_M_EXISTS:
	case SPF_M_PTR:
		if (alen == 0 && mech.type == SPF_M_PTR)
			break;
		if (alen == 0 || arg[0] != ':')
			return perr(p, at, R_("%s needs \":domain\""),
			    mechs[found].name);
		if (check_domain(p, arg + 1, alen - 1, at + 1,
		    mechs[found].name) == -1)
			return -1;
		mech.domain = xstrndup(arg + 1, alen - 1);
		break;
	case SPF_M_A:
	case SPF_M_MX:
		/* dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr ] */
		e = alen;
		for (k = e; k > 0 && isdigit((unsigned char)arg[k - 1]); k--)
			;
		if (k < e && k >= 2 && arg[k - 1] == '/' &&
		    arg[k - 2] == '/') {
			if ((v = parse_cidr(arg + k, e - k, 128)) < 0)
				return perr(p, at + k, R_("invalid IPv6 prefix "
				    "length \"/%.*s\" (0-128)"), (int)(e - k),
				    arg + k);
			mech.cidr6 = v;
			e = k - 2;
			for (k = e; k > 0 &&
			    isdigit((unsigned char)arg[k - 1]); k--)
				;
		}
		if (k < e && k >= 1 && arg[k - 1] == '/' &&
		    (k < 2 || arg[k - 2] != '/')) {
			if (k > 1 && arg[0] != ':')
				return perr(p, at, R_("unexpected \"%.*s\" "
				    "after %s"), (int)(e > 64 ? 64 : e), arg,
				    mechs[found].name);
			if ((v = parse_cidr(arg + k, e - k, 32)) < 0)
				return perr(p, at + k, R_("invalid IPv4 prefix "
				    "length \"/%.*s\" (0-32)"), (int)(e - k),
				    arg + k);
			mech.cidr4 = v;
			e = k - 1;
		}
		if (e == 0)
			break;
		if (arg[0] != ':')
			return perr(p, at, R_("unexpected \"%.*s\" after %s"),
			    (int)(e > 64 ? 64 : e), arg, mechs[found].name);
		if (check_domain(p, arg + 1, e - 1, at + 1,
		    mechs[found].name) == -1)
			return -1;
		mech.domain = xstrndup(arg + 1, e - 1);
		break;
	case SPF_M_IP4:
	case SPF_M_IP6:
		if (alen < 2 || arg[0] != ':')
			return perr(p, at, R_("%s needs \":address\""),
			    mechs[found].name);
		net = arg + 1;
		for (nlen = 0; nlen < alen - 1 && net[nlen] != '/'; nlen++)
			;
		mech.net.v = mech.type == SPF_M_IP4 ? 4 : 6;
		if ((mech.type == SPF_M_IP4 ?
		    addr_parse_ip4(net, nlen, mech.net.a) :
		    addr_parse_ip6(net, nlen, mech.net.a)) == -1)
			return perr(p, at + 1,
			    R_("invalid %s address \"%.*s\""),
			    mech.type == SPF_M_IP4 ? "IPv4" : "IPv6",
			    (int)(nlen > 64 ? 64 : nlen), net);
		if (nlen + 1 < alen) {
			int max = mech.type == SPF_M_IP4 ? 32 : 128;

			if ((v = parse_cidr(net + nlen + 1,
			    alen - 2 - nlen, max)) < 0)
				return perr(p, at + 2 + nlen, R_("invalid "
				    "prefix length \"%.*s\" (0-%d)"),
				    (int)(alen - 1 - nlen > 16 ? 16 :
				    alen - 1 - nlen), net + nlen, max);
			if (mech.type == SPF_M_IP4)
				mech.cidr4 = v;
			else
				mech.cidr6 = v;
		}
		break;
	}
	switch (mech.qual) {
	case '+':
		mech.result = SPF_PASS;
		break;
	case '-':
		mech.result = SPF_FAIL;
		break;
	case '~':
		mech.result = SPF_SOFTFAIL;
		break;
	default:
		mech.result = SPF_NEUTRAL;
	}
	switch (mech.type) {
	case SPF_M_INCLUDE: case SPF_M_A: case SPF_M_MX: case SPF_M_PTR:
	case SPF_M_EXISTS:
		p->r->dns_terms++;
		break;
	default:
		break;
	}
	if (mech.type == SPF_M_PTR)
		p->r->has_ptr = 1;
	if (mech.type == SPF_M_ALL && !p->r->has_all) {
		p->r->has_all = 1;
		p->r->all_qual = mech.qual;
	}
	mech.text = xstrndup(t, m);
	mech.pos = at - j + 1;
	p->r->mech = xreallocarray(p->r->mech, p->r->nmech + 1,
	    sizeof(*p->r->mech));
	p->r->mech[p->r->nmech++] = mech;
	return 0;
}

struct spf_record *
spf_parse(const char *s, size_t n, size_t *errpos, struct buf *why)
{
	struct parse p;
	struct buf *tmpwhy = NULL;
	size_t dummy, i, start, name, nterms = 0;
	const char *t;

	if (errpos == NULL)
		errpos = &dummy;
	if (why == NULL)
		why = tmpwhy = buf_new(BUF_WHY_MAX);
	*errpos = 0;
	p.rec = s;
	p.errpos = errpos;
	p.why = why;
	p.r = xcalloc(1, sizeof(*p.r));
	if (n > SPF_RECORD_MAX) {
		perr(&p, SPF_RECORD_MAX, R_("record longer than %d octets"),
		    SPF_RECORD_MAX);
		goto bad;
	}
	if (!spf_is_v1(s, n)) {
		perr(&p, 0, R_("record does not start with \"v=spf1 \""));
		goto bad;
	}
	/* §3.1, §4.6.1: 7-bit ASCII, terms separated by spaces only. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c > 0x7e) {
			*errpos = i + 1;
			describe_byte(why, c, 1);
			goto bad;
		}
	}
	i = 6;
	for (;;) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		start = i;
		while (i < n && s[i] != ' ')
			i++;
		if (++nterms > SPF_MAX_TERMS) {
			perr(&p, start,
			    R_("more than %d terms"), SPF_MAX_TERMS);
			goto bad;
		}
		t = s + start;
		/* A modifier is name "=" ...; the name has no ':' or '/'. */
		for (name = 0; start + name < i &&
		    (isalnum((unsigned char)t[name]) || t[name] == '-' ||
		    t[name] == '_' || t[name] == '.'); name++)
			;
		if (start + name < i && t[name] == '=') {
			if (parse_modifier(&p, t, i - start, start, name) == -1)
				goto bad;
		} else if (parse_mechanism(&p, t, i - start, start) == -1)
			goto bad;
	}
	buf_free(tmpwhy);
	return p.r;
bad:
	spf_record_free(p.r);
	buf_free(tmpwhy);
	return NULL;
}
