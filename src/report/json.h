/*
 * json - the JSON value helpers every report file uses, so a string is
 * written the same way everywhere.
 *
 * API (each returns a new json-c value the caller adds to an object or
 * array, or NULL, which json-c writes as null):
 *	json_str(s)		s as a JSON string in the one escaping of
 *		util/esc.h (controls and bytes that are not UTF-8 as \xNN,
 *		'\' doubled, valid UTF-8 kept), so the document is valid
 *		UTF-8 whatever the network sent; NULL when s is NULL
 *	json_censored(s, len)	the same for record text of length len
 *		(NUL bytes included)
 *	json_escaped(s)		the same for text already in a backslash
 *		notation of its own (DNS names "\046", RFC 4514 certificate
 *		names, the SPF walk's printable copies): '\' kept
 *	json_str_array(v, n), json_escaped_array(v, n)	the n strings
 *		v[0..n) as a JSON array of json_str(), json_escaped()
 *	json_hex(p, n)		malloc'ed lower-case hex digits of p[0..n)
 *		(caller frees)
 *	json_error(what, where, reason)	{what: where, "reason": reason},
 *		what is "offset" or "line"
 *	json_enum(name)		a name of the name tables ("NXDOMAIN",
 *		"CONNECT_TIMEOUT", "n/a") as the JSON enum value: lower case,
 *		'_' and ' ' as '-', "n/a" as "not-applicable"
 *		("nxdomain", "connect-timeout"); NULL when name is NULL
 *	json_add(obj, key, value)	json_object_object_add with the key
 *		escaped like a value
 *	json_add_bool(obj, key, b), json_add_int(obj, key, i),
 *	json_add_int64(obj, key, i), json_add_str(obj, key, s),
 *	json_add_escaped(obj, key, s), json_add_enum(obj, key, name)
 *		json_add() of json_object_new_boolean(b), _int(i),
 *		_int64(i), json_str(s), json_escaped(s), json_enum(name):
 *		one member a line
 *	json_txt_record(obj, o, n, rec, parsed, off, why)  the members a
 *		policy published as a TXT record (MTA-STS, TLS-RPT) begins
 *		with: "state" from the lookup's outcome o, the number n of
 *		records selected and whether the one parsed
 *		("lookup-failed", "missing", "multiple", "invalid",
 *		"found"); when n is 1, "record" (rec, that one) and, when it
 *		did not parse, "error" {"offset": off, "reason": why}
 * Limits: the escaping makes a string at most six times longer; json_enum
 * keeps the first 63 bytes of a name (the longest is 20).
 * BUGS: none known.
 */
#ifndef MXPROBE_JSON_H
#define MXPROBE_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "facts/dns_facts.h"

struct json_object;
struct taglist_txt;

struct json_object	*json_str(const char *);
struct json_object	*json_censored(const char *, size_t);
struct json_object	*json_escaped(const char *);
struct json_object	*json_str_array(char *const *, size_t);
struct json_object	*json_escaped_array(char *const *, size_t);
char			*json_hex(const unsigned char *, size_t);
struct json_object	*json_error(const char *, size_t, const char *);
struct json_object	*json_enum(const char *);
void			 json_add(struct json_object *, const char *,
			    struct json_object *);
void			 json_add_bool(struct json_object *, const char *, int);
void			 json_add_int(struct json_object *, const char *, int);
void			 json_add_int64(struct json_object *, const char *,
			    int64_t);
void			 json_add_str(struct json_object *, const char *,
			    const char *);
void			 json_add_escaped(struct json_object *, const char *,
			    const char *);
void			 json_add_enum(struct json_object *, const char *,
			    const char *);
void			 json_txt_record(struct json_object *, enum dns_outcome,
			    size_t, const struct taglist_txt *, int, size_t,
			    const char *);

#endif
