/*
 * fuzz_baseline - the bytes of a --baseline file into the baseline
 * reader (baseline_parse: one JSON document that is an mxprobe report),
 * then what it accepted compared with a fixed report both ways and with
 * itself (baseline_compare). A report, or a reason; a change list that
 * is an array, whatever the types inside.
 */
#include <json-c/json.h>

#include "fuzz.h"
#include "analyze/analyze_baseline.h"
#include "analyze/findings.h"
#include "util/buf.h"

const char	fuzz_corpus[] = "baseline";
const unsigned	fuzz_mutations = 20000;

static const char report[] =
"{ \"schema_version\": 1, \"domain\": \"example.com\","
"  \"mx\": [ { \"host\": \"mx1.example.com\", \"preference\": 10,"
"    \"addresses\": [ \"192.0.2.1\" ],"
"    \"smtp\": [ { \"address\": \"192.0.2.1\", \"tls\": { \"chain\": [ {"
"      \"subject\": \"CN=mx1.example.com\", \"issuer\": \"CN=CA\","
"      \"not_after\": \"2027-01-01T00:00:00Z\" } ] } } ],"
"    \"tlsa\": { \"records\": [] } } ],"
"  \"spf\": { \"record\": \"v=spf1 mx -all\" },"
"  \"score\": { \"value\": 90 } }";

static int
compare(json_object *a, json_object *b)
{
	struct findings *fs = findings_new();
	json_object *c;
	int good;

	c = baseline_compare(a, b, fs);
	good = c != NULL && json_object_is_type(c, json_type_array);
	json_object_put(c);
	findings_free(fs);
	return good;
}

int
exercise(const uint8_t *p, size_t n)
{
	struct buf *why = buf_new(BUF_WHY_MAX);
	json_object *doc = NULL, *fixed;
	int good = 1;

	switch (baseline_parse((const char *)p, n, &doc, why)) {
	case BASELINE_OK:
		if (doc == NULL || buf_len(why) != 0) {
			good = 0;
			break;
		}
		fixed = json_tokener_parse(report);
		good = compare(doc, fixed) && compare(fixed, doc) &&
		    compare(doc, doc);
		json_object_put(fixed);
		break;
	case BASELINE_NOT_JSON:
	case BASELINE_NOT_REPORT:
		good = doc == NULL && buf_len(why) != 0;
		break;
	}
	json_object_put(doc);
	buf_free(why);
	return good;
}
