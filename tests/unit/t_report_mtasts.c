/*
 * Unit tests for src/report/report_mtasts.c: the MTA-STS record and
 * policy in JSON (state, record, id, fetch, http_status, policy, mx[]
 * with covered and cert_valid, null where unknown) and in text, from
 * literal facts; hostile record, policy and HTTP detail bytes come out
 * escaped.
 */
#include <stdio.h>

#include "facts/dns_facts.h"
#include "parse/mtasts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

REPORT_AREA(struct mtasts_facts, report_mtasts_text, report_mtasts_json)

static const struct mtasts_mx mxs[] = {
	{ "mx1.example.com", 1 }, { "mx.other.net", -1 },
};

#define POLICY	"version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\n" \
	"max_age: 86400\r\n"
#define BADPOL	"version: STSv1\r\nmode: \x1b[2J|\xff\r\n"

int
main(void)
{
	struct mtasts_facts mf = { "example.com", DNS_OK,
	    TXT1("v=STSv1; id=42"), MTASTS_FETCH_OK, 200, NULL, POLICY,
	    sizeof(POLICY) - 1, mxs, 2 };
	struct mtasts_facts mfail = { "example.com", DNS_NXDOMAIN, NULL, 0,
	    MTASTS_FETCH_HTTP_ERROR, 404, "not found", NULL, 0, NULL, 0 };
	struct mtasts_facts mlook = { "example.com", DNS_TIMEOUT, NULL, 0,
	    MTASTS_FETCH_NOT_TRIED, 0, NULL, NULL, 0, mxs, 2 };
	struct mtasts_facts mhttp = { "example.com", DNS_OK,
	    TXT1("v=STSv1; id=7"), MTASTS_FETCH_HTTP_ERROR, 500,
	    "Server: x\x1b[2J\r\nOK|\xff", NULL, 0, mxs, 1 };
	struct mtasts_facts mpol = { "example.com", DNS_OK,
	    TXT1("v=STSv1; id=\x1b\r\n|\0\xff"), MTASTS_FETCH_OK, 200, NULL,
	    BADPOL, sizeof(BADPOL) - 1, mxs, 1 };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(json(&mf), "{\"state\":\"found\",\"record\":"
	    "\"v=STSv1; id=42\","
	    "\"id\":\"42\",\"fetch\":\"ok\",\"http_status\":200,\"policy\":"
	    "{\"mode\":\"enforce\",\"max_age\":86400,\"mx\":"
	    "[\"*.example.com\"]},\"mx\":[{\"host\":\"mx1.example.com\","
	    "\"covered\":true,\"cert_valid\":true},{\"host\":"
	    "\"mx.other.net\",\"covered\":false,\"cert_valid\":null}]}",
	    "mta-sts: found");
	check_json(json(&mfail), "{\"state\":\"missing\",\"fetch\":"
	    "\"http-error\",\"http_status\":404,\"fetch_detail\":"
	    "\"not found\",\"mx\":[]}", "mta-sts: missing");
	check_json(json(&mlook),
	    "{\"state\":\"lookup-failed\",\"fetch\":\"not-tried\",\"http_"
	    "status\":null,\"mx\":[{\"host\":\"mx1.example.com\",\"covere"
	    "d\":null,\"cert_valid\":true},{\"host\":\"mx.other.net\",\"c"
	    "overed\":null,\"cert_valid\":null}]}",
	    "mta-sts json: lookup failed, nulls");

	is_str(text(&mf),
	    "MTA-STS: id=42\n  policy: mode enforce, max_age 86400\n  mx "
	    "*.example.com\n",
	    "mta-sts text: found");
	is_str(text(&mfail), "MTA-STS: no record\n",
	    "mta-sts text: missing");
	is_str(text(&mlook), "MTA-STS: lookup failed (TIMEOUT)\n",
	    "mta-sts text: lookup failed");
	is_str(text(&mhttp), "MTA-STS: id=7\n  policy: HTTP error, Server: "
	    "x\\x1b[2J\\x0d\\x0aOK|\\xff\n",
	    "mta-sts text: fetch failed, the HTTP detail escaped");

	s = text(&mhttp);
	ok(text_safe(s), "mta-sts text: hostile HTTP detail, no control byte");
	o = json(&mhttp);
	ok(json_safe(o), "mta-sts json: hostile HTTP detail, valid UTF-8");
	is_str(json_object_get_string(json_object_object_get(o,
	    "fetch_detail")), "Server: x\\x1b[2J\\x0d\\x0aOK|\\xff",
	    "mta-sts json: HTTP detail escaped");
	json_object_put(o);
	s = text(&mpol);
	ok(text_safe(s), "mta-sts text: hostile record and policy");
	is_str(s, "MTA-STS: invalid record (invalid character in field value)\n"
	    "  policy: invalid (line 2: control or non-ASCII byte 0x1b in"
	    " column 7)\n",
	    "mta-sts text: hostile record and policy escaped");
	o = json(&mpol);
	ok(json_safe(o), "mta-sts json: hostile record and policy");
	is_str(json_plain(o),
	    "{\"state\":\"invalid\",\"record\":\"v=STSv1; id=\\\\x1b\\\\x"
	    "0d\\\\x0a|\\\\x00\\\\xff\",\"error\":{\"offset\":12,\"reason"
	    "\":\"invalid character in field value\"},\"fetch\":\"ok\",\""
	    "http_status\":200,\"policy_error\":{\"line\":2,\"reason\":\""
	    "control or non-ASCII byte 0x1b in column 7\"},\"mx\":[{\"hos"
	    "t\":\"mx1.example.com\",\"covered\":null,\"cert_valid\":true"
	    "}]}",
	    "mta-sts json: hostile policy escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
