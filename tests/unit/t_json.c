/*
 * Unit tests for src/report/json.c: the one JSON string helper of the
 * reports and the member and array helpers built on it. NULL stays null,
 * record text is censored to printable ASCII, hex is lower case, errors
 * carry their position and reason. Every string goes through the
 * escaping of util/esc.h, so the document is valid UTF-8 whatever bytes
 * the network sent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/smtp_facts.h"
#include "net/dns.h"
#include "parse/taglist.h"
#include "report/json.h"
#include "tap.h"

/* The value as JSON text, or "null"; frees the value. */
static char *
text(struct json_object *o)
{
	char *s;

	s = strdup(o != NULL ? json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) :
	    "null");
	json_object_put(o);
	return s;
}

static const struct {
	const char	*name;
	const char	*in;
	size_t		 len;
	const char	*want;
} censored[] = {
	{ "printable text unchanged", "v=DMARC1; p=reject", 18,
	    "\"v=DMARC1; p=reject\"" },
	{ "control byte as \\xNN", "a\001b", 3, "\"a\\\\x01b\"" },
	{ "NUL inside the record", "a\0b", 3, "\"a\\\\x00b\"" },
	{ "valid UTF-8 kept", "\xc3\xa9\xe6\x97\xa5", 5,
	    "\"\xc3\xa9\xe6\x97\xa5\"" },
	{ "invalid UTF-8 as \\xNN", "a\xff\xc3", 3, "\"a\\\\xff\\\\xc3\"" },
	{ "C1 control in UTF-8", "\xc2\x9b", 2, "\"\\\\xc2\\\\x9b\"" },
	{ "backslash doubled", "a\\b", 3, "\"a\\\\\\\\b\"" },
	{ "DEL as \\xNN", "\177", 1, "\"\\\\x7f\"" },
	{ "quote escaped by json-c", "\"", 1, "\"\\\"\"" },
	{ "empty", "", 0, "\"\"" },
};

/* The JSON spelling of the name tables: the text's names go in. */
static const struct {
	const char	*in;
	const char	*want;
} enums[] = {
	{ "OK", "\"ok\"" },
	{ "NXDOMAIN", "\"nxdomain\"" },
	{ "CRITICAL", "\"critical\"" },
	{ "CONNECT_TIMEOUT", "\"connect-timeout\"" },
	{ "STARTTLS_NOT_OFFERED", "\"starttls-not-offered\"" },
	{ "n/a", "\"not-applicable\"" },
	{ "lookup_failed", "\"lookup-failed\"" },
	{ "weak-key", "\"weak-key\"" },
	{ "deliver", "\"deliver\"" },
	{ "", "\"\"" },
};

/* json_enum(name) matches ^[a-z0-9]+(-[a-z0-9]+)*$ (doc/json-schema.json,
 * tests/meta/json_enums.py). */
static int
json_word(const char *name)
{
	struct json_object *o;
	const char *s;
	int good, dash = 1;

	o = json_enum(name);
	s = json_object_get_string(o);
	good = *s != '\0';
	for (; good && *s != '\0'; s++) {
		if (*s == '-')
			good = !dash;
		else
			good = (*s >= 'a' && *s <= 'z') ||
			    (*s >= '0' && *s <= '9');
		dash = *s == '-';
	}
	json_object_put(o);
	return good && !dash;
}

/* json_txt_record(): the state and members a TXT policy record begins
 * with, for each way the lookup and the parse can end. */
static const struct {
	const char	*name;
	enum dns_outcome o;
	size_t		 n;
	int		 parsed;
	const char	*want;
} txt_cases[] = {
	{ "lookup failed", DNS_SERVFAIL, 0, 0,
	    "{\"state\":\"lookup-failed\"}" },
	{ "timeout", DNS_TIMEOUT, 0, 0, "{\"state\":\"lookup-failed\"}" },
	{ "none", DNS_NXDOMAIN, 0, 0, "{\"state\":\"missing\"}" },
	{ "nodata", DNS_NODATA, 0, 0, "{\"state\":\"missing\"}" },
	{ "two", DNS_OK, 2, 0, "{\"state\":\"multiple\"}" },
	{ "invalid", DNS_OK, 1, 0, "{\"state\":\"invalid\",\"record\":"
	    "\"v=X\\\\x01\",\"error\":{\"offset\":3,\"reason\":\"bad\"}}" },
	{ "found", DNS_OK, 1, 1, "{\"state\":\"found\",\"record\":"
	    "\"v=X\\\\x01\"}" },
};

static void
txt_records(void)
{
	struct taglist_txt rec = { "v=X\001", 4 };
	struct json_object *o;
	size_t i;
	char *s;

	for (i = 0; i < sizeof(txt_cases) / sizeof(txt_cases[0]); i++) {
		o = json_object_new_object();
		json_txt_record(o, txt_cases[i].o, txt_cases[i].n,
		    txt_cases[i].n == 1 ? &rec : NULL, txt_cases[i].parsed, 3,
		    "bad");
		s = text(o);
		is_str(s, txt_cases[i].want, txt_cases[i].name);
		free(s);
	}
}

int
main(void)
{
	char *s;
	size_t i;
	struct json_object *o;
	static const unsigned char bytes[] = { 0x00, 0x0f, 0xab, 0xff };
	static char a[] = "a", b[] = "b\001\\046", e[] = "";
	char *strs[] = { a, b, e };

	s = text(json_str(NULL));
	is_str(s, "null", "json_str(NULL) is null");
	free(s);
	s = text(json_str("a\001b\xff"));
	is_str(s, "\"a\\\\x01b\\\\xff\"", "json_str escapes like the reports");
	free(s);
	s = text(json_escaped("a\\046b\033"));
	is_str(s, "\"a\\\\046b\\\\x1b\"",
	    "json_escaped keeps the backslash of escaped names");
	free(s);
	for (i = 0; i < sizeof(censored) / sizeof(censored[0]); i++) {
		s = text(json_censored(censored[i].in, censored[i].len));
		is_str(s, censored[i].want, censored[i].name);
		free(s);
	}
	ok(json_censored(NULL, 5) == NULL, "json_censored(NULL) is null");

	s = json_hex(bytes, sizeof(bytes));
	is_str(s, "000fabff", "json_hex lower case, two digits per byte");
	free(s);
	s = json_hex(bytes, 0);
	is_str(s, "", "json_hex of nothing is empty");
	free(s);

	s = text(json_error("offset", 7, "bad\001tag"));
	is_str(s, "{\"offset\":7,\"reason\":\"bad\\\\x01tag\"}",
	    "json_error: position and censored reason");
	free(s);
	s = text(json_error("line", 0, NULL));
	is_str(s, "{\"line\":0,\"reason\":null}", "json_error without reason");
	free(s);

	for (i = 0; i < sizeof(enums) / sizeof(enums[0]); i++) {
		s = text(json_enum(enums[i].in));
		is_str(s, enums[i].want, enums[i].in);
		free(s);
	}
	ok(json_enum(NULL) == NULL, "json_enum(NULL) is null");
	for (i = 0; i <= DNS_ERROR; i++)
		ok(json_word(dns_outcome_name((enum dns_outcome)i)),
		    "every DNS outcome is one JSON word");
	for (i = 0; i < SMTP_OUTCOME_COUNT; i++)
		ok(json_word(smtp_outcome_name((enum smtp_outcome)i)),
		    "every SMTP outcome is one JSON word");
	for (i = 0; i <= 3; i++)
		ok(json_word(findings_status_name((int)i)),
		    "every status is one JSON word");
	for (i = DANE_SENDERS_NA; i <= DANE_SENDERS_UNKNOWN; i++)
		ok(json_word(analyze_dane_senders_name((enum dane_senders)i)),
		    "every DANE senders name is one JSON word");

	o = json_object_new_object();
	json_add(o, "k", json_str("v"));
	s = text(o);
	is_str(s, "{\"k\":\"v\"}", "json_add adds a member");
	free(s);
	o = json_object_new_object();
	json_add(o, "k\xff\n", json_str("v"));
	s = text(o);
	is_str(s, "{\"k\\\\xff\\\\x0a\":\"v\"}", "json_add escapes the key");
	free(s);
	o = json_object_new_object();
	json_add_bool(o, "b", 1);
	json_add_bool(o, "f", 0);
	json_add_int(o, "i", -7);
	json_add_int64(o, "l", INT64_C(5000000000));
	json_add_str(o, "s", "a\001\\046");
	json_add_str(o, "n", NULL);
	json_add_escaped(o, "e", "a\001\\046");
	json_add_enum(o, "m", "CONNECT_TIMEOUT");
	json_add_enum(o, "z", NULL);
	json_add_int(o, "k\n", 1);
	s = text(o);
	is_str(s, "{\"b\":true,\"f\":false,\"i\":-7,\"l\":5000000000,"
	    "\"s\":\"a\\\\x01\\\\\\\\046\",\"n\":null,"
	    "\"e\":\"a\\\\x01\\\\046\",\"m\":\"connect-timeout\","
	    "\"z\":null,\"k\\\\x0a\":1}",
	    "json_add_bool/int/int64/str/escaped/enum: one member each, "
	    "keys escaped");
	free(s);
	s = text(json_str_array(strs, 3));
	is_str(s, "[\"a\",\"b\\\\x01\\\\\\\\046\",\"\"]",
	    "json_str_array: the n strings in order, escaped");
	free(s);
	s = text(json_escaped_array(strs, 2));
	is_str(s, "[\"a\",\"b\\\\x01\\\\046\"]",
	    "json_escaped_array: the backslash kept");
	free(s);
	s = text(json_str_array(NULL, 0));
	is_str(s, "[]", "json_str_array of nothing is an empty array");
	free(s);
	txt_records();
	return tap_done();
}
