/* json - the JSON value helpers of the report files; see json.h */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "report/json.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct json_object *
json_str(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

/* Record text as a JSON string, non-printable bytes as \xNN. */
struct json_object *
json_censored(const char *s, size_t len)
{
	struct json_object *o;
	struct buf *b;
	size_t i;

	if (s == NULL)
		return NULL;
	b = buf_new(4 * len + 1);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			buf_append(b, s + i, 1);
		else
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
	}
	o = json_object_new_string_len(buf_str(b), (int)buf_len(b));
	buf_free(b);
	return o;
}

struct json_object *
json_censored_str(const char *s)
{
	return s != NULL ? json_censored(s, strlen(s)) : NULL;
}

char *
json_hex(const unsigned char *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	char *s;
	size_t i;

	s = xmalloc(2 * n + 1);
	for (i = 0; i < n; i++) {
		s[2 * i] = d[p[i] >> 4];
		s[2 * i + 1] = d[p[i] & 0xf];
	}
	s[2 * n] = '\0';
	return s;
}

void
json_add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

struct json_object *
json_error(const char *what, size_t where, const char *reason)
{
	struct json_object *e;

	e = json_object_new_object();
	json_add(e, what, json_object_new_int64((int64_t)where));
	json_add(e, "reason", json_censored_str(reason));
	return e;
}

const char *
json_outcome(enum dns_outcome o)
{
	static char s[16];
	size_t i;

	snprintf(s, sizeof(s), "%s", dns_outcome_name(o));
	for (i = 0; s[i]; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	return s;
}
