/*
 * report_check.h - what the tests of src/report/ share: a JSON object
 * rendered in one line, and the safe-output rule of util/esc.h checked
 * on a finished text or JSON document.
 *
 * json_plain(o)		o as one line (no slash escapes); json-c's
 *	buffer, valid until o is put
 * check_json(o, want, name)	is_str of json_plain(o), then puts o
 * text_safe(s)		1 when s holds no control byte but '\n' and
 *	is valid UTF-8 (what a terminal may receive)
 * json_safe(o)		1 when json_plain(o) is valid UTF-8 with no raw
 *	control byte and parses back
 * REPORT_AREA(type, textfn, jsonfn)	a buffer b (the caller makes it)
 *	and text(f), textfn's output for f, and json(f), a new object
 *	jsonfn filled for f (the caller puts it)
 */
#ifndef MXPROBE_REPORT_CHECK_H
#define MXPROBE_REPORT_CHECK_H

#include <string.h>

#include <json-c/json.h>

#include "util/esc.h"
#include "tap.h"

static const char * __attribute__((unused))
json_plain(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
}

static void __attribute__((unused))
check_json(struct json_object *o, const char *want, const char *name)
{
	is_str(json_plain(o), want, name);
	json_object_put(o);
}

static int __attribute__((unused))
text_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), l;

	while (n > 0) {
		if (*p == '\n') {
			p++;
			n--;
			continue;
		}
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((l = esc_utf8_len(p, n)) == 0)
			return 0;
		p += l;
		n -= l;
	}
	return 1;
}

static int __attribute__((unused))
json_safe(struct json_object *o)
{
	const char *s = json_plain(o);
	struct json_object *back;
	int good;

	if (strchr(s, '\n') != NULL || !text_safe(s))
		return 0;
	back = json_tokener_parse(s);
	good = back != NULL;
	json_object_put(back);
	return good;
}

#define REPORT_AREA(type, textfn, jsonfn)				\
static struct buf *b;							\
static const char *							\
text(const type *f)							\
{									\
	buf_reset(b);							\
	textfn(f, b);							\
	return buf_str(b);						\
}									\
static struct json_object *						\
json(const type *f)							\
{									\
	struct json_object *o = json_object_new_object();		\
									\
	jsonfn(f, o);							\
	return o;							\
}

#endif
