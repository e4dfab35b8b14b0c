/* json - the JSON value helpers of the report files; see json.h */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "parse/taglist.h"
#include "report/json.h"
#include "util/esc.h"
#include "util/xalloc.h"

/* A string of ours or from the network, in the one escaping (esc.h). */
static struct json_object *
escaped_string(const char *s, size_t len, int flags)
{
	struct json_object *o;
	char *e;

	if (s == NULL)
		return NULL;
	e = esc_dup(s, len, flags);
	o = json_object_new_string(e);
	free(e);
	return o;
}

struct json_object *
json_str(const char *s)
{
	return s != NULL ? escaped_string(s, strlen(s), 0) : NULL;
}

struct json_object *
json_censored(const char *s, size_t len)
{
	return escaped_string(s, len, 0);
}

struct json_object *
json_escaped(const char *s)
{
	return s != NULL ? escaped_string(s, strlen(s), ESC_ESCAPED) : NULL;
}

static struct json_object *
string_array(char *const *v, size_t n, struct json_object *(*fn)(const char *))
{
	struct json_object *a;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(a, fn(v[i]));
	return a;
}

struct json_object *
json_str_array(char *const *v, size_t n)
{
	return string_array(v, n, json_str);
}

struct json_object *
json_escaped_array(char *const *v, size_t n)
{
	return string_array(v, n, json_escaped);
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

/* Keys are escaped too: a DMARC tag name comes from the record. */
void
json_add(struct json_object *o, const char *k, struct json_object *v)
{
	char *e;

	e = esc_str(k, 0);
	json_object_object_add(o, e, v);
	free(e);
}

void
json_add_bool(struct json_object *o, const char *k, int b)
{
	json_add(o, k, json_object_new_boolean(b));
}

void
json_add_int(struct json_object *o, const char *k, int i)
{
	json_add(o, k, json_object_new_int(i));
}

void
json_add_int64(struct json_object *o, const char *k, int64_t i)
{
	json_add(o, k, json_object_new_int64(i));
}

void
json_add_str(struct json_object *o, const char *k, const char *s)
{
	json_add(o, k, json_str(s));
}

void
json_add_escaped(struct json_object *o, const char *k, const char *s)
{
	json_add(o, k, json_escaped(s));
}

void
json_add_enum(struct json_object *o, const char *k, const char *name)
{
	json_add(o, k, json_enum(name));
}

struct json_object *
json_error(const char *what, size_t where, const char *reason)
{
	struct json_object *e;

	e = json_object_new_object();
	json_add_int64(e, what, (int64_t)where);
	json_add_str(e, "reason", reason);
	return e;
}

void
json_txt_record(struct json_object *obj, enum dns_outcome o, size_t n,
    const struct taglist_txt *rec, int parsed, size_t off, const char *why)
{
	const char *state;

	if (dns_outcome_failed(o))
		state = "lookup-failed";
	else if (n == 0)
		state = "missing";
	else if (n > 1)
		state = "multiple";
	else if (!parsed)
		state = "invalid";
	else
		state = "found";
	json_add_str(obj, "state", state);
	if (n != 1)
		return;
	json_add(obj, "record", json_censored(rec->data, rec->len));
	if (!parsed)
		json_add(obj, "error", json_error("offset", off, why));
}

/*
 * A name of ours as a JSON enum value: the one spelling of every enum of
 * the JSON report, lower-case words joined by '-'. The name tables keep
 * the spelling of the text report ("NXDOMAIN", "CONNECT_TIMEOUT",
 * "n/a"); this is the only place that turns one into the other.
 */
struct json_object *
json_enum(const char *name)
{
	char s[64];
	size_t i;

	if (name == NULL)
		return NULL;
	if (strcmp(name, "n/a") == 0)
		name = "not-applicable";
	for (i = 0; name[i] != '\0' && i < sizeof(s) - 1; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			s[i] = (char)(name[i] - 'A' + 'a');
		else if (name[i] == '_' || name[i] == ' ')
			s[i] = '-';
		else
			s[i] = name[i];
	s[i] = '\0';
	return json_object_new_string(s);
}
