/*
 * Unit tests for src/analyze/analyze_baseline.c: --baseline compares any
 * JSON without crashing. Every member of a saved report replaced by each
 * other JSON type, in the old and in the new document; an exchanger that
 * had no TLS in the baseline; what baseline_check() refuses; changes
 * carry escaped text.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analyze/analyze_baseline.h"
#include "analyze/findings.h"
#include "util/buf.h"
#include "tap.h"

/* A report as mxprobe --json writes it, trimmed to what is compared. */
static const char report[] =
"{ \"schema_version\": 1, \"domain\": \"example.com\", \"status\": \"OK\","
"  \"mx\": [ { \"host\": \"mx1.example.com\", \"preference\": 10,"
"    \"addresses\": [ \"192.0.2.1\", \"2001:db8::1\" ],"
"    \"smtp\": [ { \"address\": \"192.0.2.1\", \"tls\": { \"chain\": [ {"
"      \"subject\": \"CN=mx1.example.com\", \"issuer\": \"CN=CA\","
"      \"not_after\": \"2027-01-01T00:00:00Z\" } ] } },"
"      { \"address\": \"2001:db8::1\" } ],"
"    \"tlsa\": { \"records\": [ { \"usage\": 3 } ] } },"
"    { \"host\": \"mx2.example.com\", \"preference\": 20,"
"      \"addresses\": [ \"192.0.2.2\" ] } ],"
"  \"spf\": { \"record\": \"v=spf1 mx -all\" },"
"  \"dmarc\": { \"record\": \"v=DMARC1; p=reject\" },"
"  \"mta_sts\": { \"record\": null }, \"tls_rpt\": { \"record\": null },"
"  \"score\": { \"value\": 90, \"grade\": \"A\" }, \"findings\": [] }";

static json_object *
parse(const char *s)
{
	json_object *j = json_tokener_parse(s);

	if (j == NULL) {
		printf("Bail out! bad test JSON: %s\n", s);
		exit(1);
	}
	return j;
}

/* Compare both ways; reaching the end without an abort is the test. */
static int
compare_both(json_object *a, json_object *b)
{
	struct findings *fs = findings_new();
	json_object *c1, *c2;
	int good;

	c1 = baseline_compare(a, b, fs);
	c2 = baseline_compare(b, a, fs);
	good = c1 != NULL && c2 != NULL &&
	    json_object_is_type(c1, json_type_array) &&
	    json_object_is_type(c2, json_type_array);
	json_object_put(c1);
	json_object_put(c2);
	findings_free(fs);
	return good;
}

static json_object *
replacement(int k)
{
	switch (k) {
	case 0:
		return NULL;
	case 1:
		return json_object_new_int(7);
	case 2:
		return json_object_new_string("x");
	case 3:
		return json_object_new_array();
	case 4:
		return json_object_new_object();
	}
	return json_object_new_boolean(1);
}

#define NREPL	6

static size_t slots, good_slots;

/*
 * Every member and element of node, in turn replaced by every JSON type
 * (null, int, string, array, object, boolean), the whole document then
 * compared with the intact report both ways; then restored.
 */
static void
mutate(json_object *root, json_object *node, json_object *intact)
{
	json_object *old;
	size_t i, n;
	int k, good;

	if (json_object_is_type(node, json_type_object)) {
		json_object_object_foreach(node, key, val) {
			old = json_object_get(val);
			for (k = 0, good = 1; k < NREPL; k++) {
				json_object_object_add(node, key,
				    replacement(k));
				good &= compare_both(root, intact);
			}
			json_object_object_add(node, key, old);
			slots++;
			good_slots += good;
			if (old != NULL)
				mutate(root, old, intact);
		}
	} else if (json_object_is_type(node, json_type_array)) {
		n = json_object_array_length(node);
		for (i = 0; i < n; i++) {
			old = json_object_get(json_object_array_get_idx(node,
			    i));
			for (k = 0, good = 1; k < NREPL; k++) {
				json_object_array_put_idx(node, i,
				    replacement(k));
				good &= compare_both(root, intact);
			}
			json_object_array_put_idx(node, i, old);
			slots++;
			good_slots += good;
			if (old != NULL)
				mutate(root, old, intact);
		}
	}
}

static void
test_type_confusion(void)
{
	json_object *doc = parse(report), *intact = parse(report);
	int k;

	mutate(doc, doc, intact);
	ok(slots > 40 && good_slots == slots,
	    "every one of %zu members of a report, of each wrong type, is "
	    "compared without a crash", slots);
	ok(strcmp(json_object_to_json_string(doc),
	    json_object_to_json_string(intact)) == 0,
	    "(the mutated report was restored)");
	for (k = 0; k < NREPL; k++) {
		json_object *r = replacement(k);

		ok(compare_both(r, intact), "a whole document of type %s",
		    json_type_to_name(r != NULL ? json_object_get_type(r) :
		    json_type_null));
		json_object_put(r);
	}
	json_object_put(doc);
	json_object_put(intact);
}

/* The cutover-day case: the baseline's exchanger had no TLS at all. */
static void
test_no_tls(void)
{
	static const char *const old_smtp[] = {
		"[ { \"address\": \"192.0.2.1\" } ]",
		"[ { \"address\": \"192.0.2.1\", \"tls\": null } ]",
		"[ { \"address\": \"192.0.2.1\", \"tls\": {} } ]",
		"[ { \"address\": \"192.0.2.1\", \"tls\": { \"chain\": [] } } ]",
	};
	struct findings *fs;
	json_object *old, *new, *ch, *c, *mx0;
	size_t i, k;
	int found;

	for (i = 0; i < sizeof(old_smtp) / sizeof(old_smtp[0]); i++) {
		old = parse(report);
		new = parse(report);
		mx0 = json_object_array_get_idx(json_object_object_get(old,
		    "mx"), 0);
		json_object_object_add(mx0, "smtp", parse(old_smtp[i]));
		fs = findings_new();
		ch = baseline_compare(old, new, fs);
		found = 0;
		for (k = 0; k < json_object_array_length(ch); k++) {
			c = json_object_array_get_idx(ch, k);
			if (strcmp(json_object_get_string(
			    json_object_object_get(c, "what")),
			    "the certificate") == 0 &&
			    json_object_object_get(c, "before") == NULL &&
			    strstr(json_object_get_string(
			    json_object_object_get(c, "after")),
			    "CN=mx1.example.com") != NULL)
				found = 1;
		}
		ok(found && findings_count(fs) >= 1,
		    "no TLS in the baseline (%s): the new certificate is a "
		    "change from (none)", old_smtp[i]);
		json_object_put(ch);
		findings_free(fs);
		/* And the other way round: TLS is gone. */
		ok(compare_both(new, old), "TLS gone since the baseline");
		json_object_put(old);
		json_object_put(new);
	}
}

static const struct {
	const char	*name;
	const char	*doc;
	const char	*why;		/* NULL: accepted */
} checks[] = {
	{ "a report", report, NULL },
	{ "the smallest report",
	    "{ \"schema_version\": 1, \"domain\": \"example.com\" }", NULL },
	{ "an array", "[ 1 ]", "not an object" },
	{ "a string", "\"x\"", "not an object" },
	{ "no schema_version", "{ \"domain\": \"example.com\" }",
	    "\"schema_version\" is missing" },
	{ "schema_version a string",
	    "{ \"schema_version\": \"1\", \"domain\": \"example.com\" }",
	    "\"schema_version\" is of the wrong type" },
	{ "domain a number", "{ \"schema_version\": 1, \"domain\": 7 }",
	    "\"domain\" is of the wrong type" },
	{ "mx an object", "{ \"schema_version\": 1, \"domain\": \"a.b\", "
	    "\"mx\": {} }", "\"mx\" is of the wrong type" },
	{ "score an array", "{ \"schema_version\": 1, \"domain\": \"a.b\", "
	    "\"score\": [] }", "\"score\" is of the wrong type" },
	{ "findings a string", "{ \"schema_version\": 1, \"domain\": \"a.b\", "
	    "\"findings\": \"none\" }", "\"findings\" is of the wrong type" },
	{ "spf a string", "{ \"schema_version\": 1, \"domain\": \"a.b\", "
	    "\"spf\": \"v=spf1\" }", "\"spf\" is of the wrong type" },
	{ "another program's JSON", "{ \"name\": \"x\", \"version\": 2 }",
	    "\"schema_version\" is missing" },
};

static void
test_check(void)
{
	struct buf *why;
	json_object *j;
	size_t i;
	int r;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		j = parse(checks[i].doc);
		why = buf_new(BUF_WHY_MAX);
		r = baseline_check(j, why);
		if (checks[i].why == NULL)
			ok(r == 0 && buf_len(why) == 0, "check: %s accepted",
			    checks[i].name);
		else if (!ok(r == -1 && strstr(buf_str(why), checks[i].why),
		    "check: %s refused (%s)", checks[i].name, checks[i].why))
			diag("  why: %s", buf_str(why));
		buf_free(why);
		json_object_put(j);
	}
	why = buf_new(BUF_WHY_MAX);
	ok(baseline_check(NULL, why) == -1, "check: NULL refused");
	buf_free(why);
}

/* Text from the old file reaches the changes escaped. */
static void
test_escaped(void)
{
	struct findings *fs = findings_new();
	json_object *old = parse(report), *new = parse(report), *ch, *c;
	const char *before;

	json_object_object_add(json_object_object_get(old, "dmarc"), "record",
	    json_object_new_string("v=DMARC1;\033[2J\r\n\xff p=none"));
	ch = baseline_compare(old, new, fs);
	c = json_object_array_get_idx(ch, 0);
	before = c != NULL ? json_object_get_string(json_object_object_get(c,
	    "before")) : NULL;
	is_str(before, "v=DMARC1;\\x1b[2J\\x0d\\x0a\\xff p=none",
	    "a record from the baseline file is escaped in the change");
	ok(findings_count(fs) == 1 && strstr(findings_get(fs, 0)->message,
	    "\033") == NULL, "and in the finding's message");
	json_object_put(ch);
	json_object_put(old);
	json_object_put(new);
	findings_free(fs);
}

/* A change names its member and holds JSON values, not text. */
static void
test_structured(void)
{
	struct findings *fs = findings_new();
	json_object *old = parse(report), *new = parse(report), *ch, *c, *v;
	json_object *mx0;

	mx0 = json_object_array_get_idx(json_object_object_get(old, "mx"), 0);
	json_object_object_add(mx0, "host",
	    json_object_new_string("old.example.com"));
	ch = baseline_compare(old, new, fs);
	c = json_object_array_get_idx(ch, 0);
	is_str(c != NULL ? json_object_get_string(json_object_object_get(c,
	    "field")) : NULL, "mx", "the MX set change is field \"mx\"");
	v = c != NULL ? json_object_object_get(c, "before") : NULL;
	ok(v != NULL && json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) >= 1, "before is an array");
	v = json_object_array_get_idx(v, 0);
	ok(v != NULL && json_object_is_type(json_object_object_get(v,
	    "preference"), json_type_int), "of objects with an integer "
	    "preference");
	json_object_put(ch);
	json_object_put(old);
	json_object_put(new);
	findings_free(fs);
}

int
main(void)
{
	test_type_confusion();
	test_no_tls();
	test_check();
	test_escaped();
	test_structured();
	return tap_done();
}
