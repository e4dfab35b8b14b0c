/* smtp_reply - pure SMTP reply and EHLO keyword parser; see smtp_reply.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/dname.h"
#include "parse/smtp_reply.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const ext_names[SMTP_EXT_COUNT] = {
	[SMTP_EXT_STARTTLS] = "STARTTLS",
	[SMTP_EXT_SIZE] = "SIZE",
	[SMTP_EXT_PIPELINING] = "PIPELINING",
	[SMTP_EXT_8BITMIME] = "8BITMIME",
	[SMTP_EXT_SMTPUTF8] = "SMTPUTF8",
	[SMTP_EXT_CHUNKING] = "CHUNKING",
	[SMTP_EXT_REQUIRETLS] = "REQUIRETLS",
	[SMTP_EXT_DSN] = "DSN",
	[SMTP_EXT_ENHANCEDSTATUSCODES] = "ENHANCEDSTATUSCODES",
	[SMTP_EXT_AUTH] = "AUTH",
};

void
smtp_reply_init(struct smtp_reply *r)
{
	memset(r, 0, sizeof(*r));
}

void
smtp_reply_clear(struct smtp_reply *r)
{
	size_t i;

	for (i = 0; i < r->ntext; i++)
		free(r->text[i]);
	free(r->text);
	smtp_reply_init(r);
}

void
smtp_reply_move(struct smtp_reply *dst, struct smtp_reply *src)
{
	smtp_reply_clear(dst);
	*dst = *src;
	smtp_reply_init(src);
}

/* Copy text, replacing anything outside printable US-ASCII by '?'. A TAB
 * is legal in a textstring but becomes a space: it has no place in a
 * one-line report. */
static char *
censor(const char *p, size_t n, int *censored)
{
	char *s;
	size_t i;

	s = xmalloc(n + 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\t')
			s[i] = ' ';
		else if (c < 0x20 || c > 0x7e) {
			s[i] = '?';
			*censored = 1;
		} else
			s[i] = (char)c;
	}
	s[n] = '\0';
	return s;
}

/* RFC 3463 enhanced status code at the start of text: class "." subject
 * "." detail, then SP or end. Returns its length or 0. */
static size_t
esc_len(const char *t, int code)
{
	size_t i = 0, n;
	int part;

	if (t[0] != '2' && t[0] != '4' && t[0] != '5')
		return 0;
	/* RFC 2034: the class must match the reply code's first digit. */
	if (t[0] - '0' != code / 100)
		return 0;
	if (t[1] != '.')
		return 0;
	i = 2;
	for (part = 0; part < 2; part++) {
		for (n = 0; isdigit((unsigned char)t[i]) && n < 4; n++)
			i++;
		if (n < 1 || n > 3)
			return 0;
		if (part == 0) {
			if (t[i] != '.')
				return 0;
			i++;
		}
	}
	if (t[i] != '\0' && t[i] != ' ')
		return 0;
	return i;
}

/* One line, CR/LF already stripped. */
static int
parse_line(struct smtp_reply *r, const char *p, size_t n, struct buf *why)
{
	int code, last;
	size_t i, k;
	char *text;

	if (n < 3) {
		buf_printf(why, R_("reply line too short (%zu octets)"), n);
		return -1;
	}
	if (p[0] < '2' || p[0] > '5' || p[1] < '0' || p[1] > '5' ||
	    p[2] < '0' || p[2] > '9') {
		buf_printf(why,
		    R_("reply line does not start with a reply code"));
		return -1;
	}
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (n == 3)
		last = 1;
	else if (p[3] == ' ')
		last = 1;
	else if (p[3] == '-')
		last = 0;
	else {
		buf_printf(why,
		    R_("reply code %d followed by neither SP nor '-'"),
		    code);
		return -1;
	}
	if (r->ntext > 0 && code != r->code) {
		buf_printf(why,
		    R_("reply code changed from %d to %d within one "
		    "multi-line reply"), r->code, code);
		return -1;
	}
	if (r->ntext >= SMTP_REPLY_LINES_MAX) {
		buf_printf(why, R_("reply has more than %d lines"),
		    SMTP_REPLY_LINES_MAX);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (p[i] == '\r') {
			buf_printf(why, R_("bare CR inside a reply line"));
			return -1;
		}
	}
	text = n > 4 ? censor(p + 4, n - 4, &r->censored) : xstrdup("");
	if (r->ntext == 0) {
		r->code = code;
		if ((k = esc_len(text, code)) > 0 && k < sizeof(r->esc)) {
			memcpy(r->esc, text, k);
			r->esc[k] = '\0';
		}
	}
	r->text = xreallocarray(r->text, r->ntext + 1, sizeof(*r->text));
	r->text[r->ntext++] = text;
	if (last)
		r->done = 1;
	return 0;
}

enum smtp_reply_status
smtp_reply_feed(struct smtp_reply *r, const char *data, size_t len,
    size_t *used, struct buf *why)
{
	size_t pos = 0, n;
	const char *lf;

	*used = 0;
	while (!r->done) {
		lf = memchr(data + pos, '\n', len - pos);
		if (lf == NULL) {
			/* +1: the CR of a CRLF may already be here. */
			if (len - pos > SMTP_REPLY_LINE_MAX + 1) {
				buf_printf(why, R_("reply line longer than %d "
				    "octets"), SMTP_REPLY_LINE_MAX);
				return SMTP_REPLY_ERROR;
			}
			*used = pos;
			return SMTP_REPLY_MORE;
		}
		n = (size_t)(lf - (data + pos));
		if (n > 0 && data[pos + n - 1] == '\r')
			n--;
		else
			r->bare_lf = 1;
		if (n > SMTP_REPLY_LINE_MAX) {
			buf_printf(why, R_("reply line longer than %d octets"),
			    SMTP_REPLY_LINE_MAX);
			return SMTP_REPLY_ERROR;
		}
		if (parse_line(r, data + pos, n, why) == -1)
			return SMTP_REPLY_ERROR;
		pos = (size_t)(lf - data) + 1;
	}
	*used = pos;
	return SMTP_REPLY_DONE;
}

char *
smtp_reply_first_word(const struct smtp_reply *r)
{
	const char *t, *e;

	if (r->ntext == 0)
		return NULL;
	t = r->text[0];
	/* "421 4.7.0 mx.example.com busy": the name, not the code. */
	if (r->esc[0] != '\0')
		t += strlen(r->esc);
	while (*t == ' ')
		t++;
	for (e = t; *e != '\0' && *e != ' '; e++)
		;
	if (e == t)
		return NULL;
	return xstrndup(t, (size_t)(e - t));
}

char *
smtp_reply_text(const struct smtp_reply *r, const char *sep)
{
	struct buf *b;
	size_t i, total = 1;
	char *s;

	for (i = 0; i < r->ntext; i++)
		total += strlen(r->text[i]) + strlen(sep);
	b = buf_new(total);
	for (i = 0; i < r->ntext; i++) {
		if (i > 0)
			buf_append(b, sep, strlen(sep));
		buf_append(b, r->text[i], strlen(r->text[i]));
	}
	s = buf_steal(b);
	buf_free(b);
	return s;
}

const char *
smtp_ext_name(enum smtp_ext x)
{
	if ((int)x < 0 || x >= SMTP_EXT_COUNT)
		return "?";
	return ext_names[x];
}

void
smtp_ehlo_init(struct smtp_ehlo *e)
{
	memset(e, 0, sizeof(*e));
	e->size_valid = 1;
}

void
smtp_ehlo_clear(struct smtp_ehlo *e)
{
	size_t i;

	free(e->domain);
	free(e->auth);
	for (i = 0; i < e->nkeywords; i++)
		free(e->keywords[i]);
	free(e->keywords);
	smtp_ehlo_init(e);
}

/* ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-"); returns its
 * length or 0. */
static size_t
keyword_len(const char *t)
{
	size_t i;

	if (!isalnum((unsigned char)t[0]))
		return 0;
	for (i = 1; isalnum((unsigned char)t[i]) || t[i] == '-'; i++)
		;
	return i;
}

/* ehlo-param = 1*(%d33-126); params separated by single or repeated SP
 * (tolerated). Returns 0 if the rest of the line is well-formed. */
static int
params_ok(const char *t)
{
	for (; *t != '\0'; t++) {
		if (*t != ' ' && (*t < 33 || *t > 126))
			return -1;
	}
	return 0;
}

static void
parse_size(struct smtp_ehlo *e, const char *p)
{
	unsigned long long v = 0;
	int any = 0;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		e->size_valid = 1;
		e->size = 0;
		return;
	}
	for (; isdigit((unsigned char)*p); p++) {
		if (v > (~0ULL - 9) / 10) {
			e->size_valid = 0;
			return;
		}
		v = v * 10 + (unsigned long long)(*p - '0');
		any = 1;
	}
	while (*p == ' ')
		p++;
	e->size_valid = any && *p == '\0';
	e->size = e->size_valid ? v : 0;
}

static void
parse_auth(struct smtp_ehlo *e, const char *p)
{
	struct buf *b;
	size_t i, n;

	if (e->auth != NULL)
		return;
	b = buf_new(SMTP_REPLY_LINE_MAX);
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (n = 0; p[n] != '\0' && p[n] != ' '; n++)
			;
		if (buf_len(b) > 0)
			buf_append(b, " ", 1);
		for (i = 0; i < n; i++) {
			char c = (char)toupper((unsigned char)p[i]);

			buf_append(b, &c, 1);
		}
		p += n;
	}
	e->auth = buf_steal(b);
	buf_free(b);
}

int
smtp_ehlo_parse(struct smtp_ehlo *e, const struct smtp_reply *r)
{
	size_t i, k;
	int x;
	const char *t;

	smtp_ehlo_clear(e);
	if (r->code / 100 != 2 || r->ntext == 0)
		return -1;
	e->domain = smtp_reply_first_word(r);
	for (i = 1; i < r->ntext; i++) {
		t = r->text[i];
		e->keywords = xreallocarray(e->keywords, e->nkeywords + 1,
		    sizeof(*e->keywords));
		e->keywords[e->nkeywords++] = xstrdup(t);
		k = keyword_len(t);
		if (k == 0 || (t[k] != '\0' && t[k] != ' ' && t[k] != '=') ||
		    params_ok(t + k) == -1) {
			e->nbad++;
			continue;
		}
		for (x = 0; x < SMTP_EXT_COUNT; x++) {
			if (strlen(ext_names[x]) == k &&
			    strncasecmp(t, ext_names[x], k) == 0)
				break;
		}
		if (x == SMTP_EXT_COUNT)
			continue;
		/* "AUTH=LOGIN PLAIN" is the pre-RFC 2554 form; '=' on any
		 * other keyword is not an ehlo-line. */
		if (t[k] == '=' && x != SMTP_EXT_AUTH) {
			e->nbad++;
			continue;
		}
		e->ext[x] = 1;
		if (x == SMTP_EXT_SIZE)
			parse_size(e, t + k);
		else if (x == SMTP_EXT_AUTH)
			parse_auth(e, t + k + (t[k] == '=' ? 1 : 0));
	}
	return 0;
}

int
smtp_ehlo_name_valid(const char *name)
{
	size_t i, n;

	if (name == NULL || (n = strlen(name)) == 0 || n > DNAME_SMTP_MAX)
		return 0;
	if (name[0] == '[') {
		if (n < 3 || name[n - 1] != ']')
			return 0;
		i = 1;
		if (strncasecmp(name + 1, "IPv6:", 5) == 0)
			i += 5;
		for (; i < n - 1; i++) {
			if (!isxdigit((unsigned char)name[i]) &&
			    name[i] != '.' && name[i] != ':')
				return 0;
		}
		return 1;
	}
	return dname_check(name, n, DNAME_HOSTNAME | DNAME_SMTP_LEN, NULL) ==
	    DNAME_OK;
}
