/*
 * Unit tests for src/report/report_dmarc.c: the DMARC record in JSON
 * (state, domains, tags, policy values, rua/ruf, the §7.1 external
 * verdicts, errors) and in text, from literal facts; hostile record bytes
 * come out escaped.
 */
#include <stdio.h>

#include "parse/dmarc.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

REPORT_AREA(struct dmarc_facts, report_dmarc_text, report_dmarc_json)

static const struct taglist_txt auth_no[] = { { "nope", 4 } };
static const struct dmarc_ext ext[] = {
	{ "vendor.example", "example.com._report._dmarc.vendor.example",
	    { DNS_OK, auth_no, 1 } },
};
static const struct taglist_txt two[] = {
	{ "v=DMARC1; p=none", 16 }, { "v=DMARC1; p=reject", 18 },
};

int
main(void)
{
	struct dmarc_facts df = { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=reject; pct=50; fo=1:d; "
	    "rua=mailto:a@example.com!10k,mailto:b@vendor.example") },
	    0, { 0 }, ext, 1, 1, 1, NULL };
	struct dmarc_facts dbad = { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=none\x01") }, 0, { 0 }, NULL, 0, 1,
	    1, NULL };
	struct dmarc_facts dfail = { "example.com", "example.com",
	    { DNS_TIMEOUT, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	struct dmarc_facts dmiss = { "example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	struct dmarc_facts dtwo = { "example.com", "example.com",
	    { DNS_OK, two, 2 }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	struct dmarc_facts dinh = { "mail.example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 1,
	    { DNS_OK, TXT1("v=DMARC1; p=quarantine; sp=none; adkim=s; "
	    "ruf=mailto:f@example.com") }, NULL, 0, 1, 1, NULL };
	struct dmarc_facts dhost = { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=reject; rua=mailto:a@\x1b[2J\r\n"
	    "OK|\0\xff") }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(json(&df), "{\"state\":\"found\",\"org_domain\":"
	    "\"example.com\",\"policy_domain\":\"example.com\","
	    "\"inherited\":false,"
	    "\"record\":\"v=DMARC1; p=reject; pct=50; fo=1:d; "
	    "rua=mailto:a@example.com!10k,mailto:b@vendor.example\","
	    "\"tags\":{\"v\":\"DMARC1\",\"p\":\"reject\",\"pct\":\"50\","
	    "\"fo\":\"1:d\",\"rua\":\"mailto:a@example.com!10k,"
	    "mailto:b@vendor.example\"},\"p\":\"reject\",\"sp\":\"reject\","
	    "\"pct\":50,\"adkim\":\"r\",\"aspf\":\"r\",\"fo\":[\"1\",\"d\"],"
	    "\"rf\":\"afrf\",\"ri\":86400,\"rua\":[{\"uri\":"
	    "\"mailto:a@example.com\",\"host\":\"example.com\",\"limit\":"
	    "10240},{\"uri\":\"mailto:b@vendor.example\",\"host\":"
	    "\"vendor.example\",\"limit\":null}],\"ruf\":[],\"external\":"
	    "[{\"host\":\"vendor.example\",\"query\":"
	    "\"example.com._report._dmarc.vendor.example\",\"verdict\":"
	    "\"unauthorized\"}]}", "dmarc: found");
	check_json(json(&dbad), "{\"state\":\"invalid\",\"org_domain\":"
	    "\"example.com\",\"policy_domain\":\"example.com\","
	    "\"inherited\":false,"
	    "\"record\":\"v=DMARC1; p=none\\\\x01\",\"error\":{\"offset\":16,"
	    "\"reason\":\"invalid character in value at offset 16 "
	    "(byte 0x01)\"}}", "dmarc: invalid, control byte censored");
	check_json(json(&dfail), "{\"state\":\"lookup-failed\",\"org_domain\":"
	    "\"example.com\",\"policy_domain\":null,\"inherited\":false,"
	    "\"error\":\"TXT _dmarc.example.com: TIMEOUT\"}",
	    "dmarc: lookup failed");
	check_json(json(&dmiss),
	    "{\"state\":\"missing\",\"org_domain\":\"example.com\",\"poli"
	    "cy_domain\":null,\"inherited\":false}",
	    "dmarc json: missing");
	check_json(json(&dtwo),
	    "{\"state\":\"multiple\",\"org_domain\":\"example.com\",\"pol"
	    "icy_domain\":\"example.com\",\"inherited\":false,\"count\":2"
	    "}",
	    "dmarc json: two records, count");
	check_json(json(&dinh),
	    "{\"state\":\"found\",\"org_domain\":\"example.com\",\"policy"
	    "_domain\":\"example.com\",\"inherited\":true,\"record\":\"v="
	    "DMARC1; p=quarantine; sp=none; adkim=s; ruf=mailto:f@example"
	    ".com\",\"tags\":{\"v\":\"DMARC1\",\"p\":\"quarantine\",\"sp\""
	    ":\"none\",\"adkim\":\"s\",\"ruf\":\"mailto:f@example.com\"},"
	    "\"p\":\"quarantine\",\"sp\":\"none\",\"pct\":100,\"adkim\":\""
	    "s\",\"aspf\":\"r\",\"fo\":[\"0\"],\"rf\":\"afrf\",\"ri\":864"
	    "00,\"rua\":[],\"ruf\":[{\"uri\":\"mailto:f@example.com\",\"h"
	    "ost\":\"example.com\",\"limit\":null}],\"external\":[]}",
	    "dmarc json: inherited from the org");

	is_str(text(&df),
	    "DMARC: _dmarc.example.com\n  \"v=DMARC1; p=reject; pct=50; f"
	    "o=1:d; rua=mailto:a@example.com!10k,mailto:b@vendor.example\""
	    "\n  p=reject sp=reject pct=50 adkim=r aspf=r\n  rua mailto:a"
	    "@example.com\n  rua mailto:b@vendor.example\n",
	    "dmarc text: found");
	is_str(text(&dbad),
	    "DMARC: invalid record at _dmarc.example.com: invalid charact"
	    "er in value at offset 16 (byte 0x01)\n",
	    "dmarc text: invalid");
	is_str(text(&dfail),
	    "DMARC: lookup failed (TXT _dmarc.example.com: TIMEOUT)\n",
	    "dmarc text: lookup failed");
	is_str(text(&dmiss), "DMARC: no record\n",
	    "dmarc text: missing");
	is_str(text(&dtwo),
	    "DMARC: 2 records at _dmarc.example.com (ignored)\n",
	    "dmarc text: two records");
	is_str(text(&dinh),
	    "DMARC: _dmarc.example.com (inherited)\n  \"v=DMARC1; p=quara"
	    "ntine; sp=none; adkim=s; ruf=mailto:f@example.com\"\n  p=qua"
	    "rantine sp=none pct=100 adkim=s aspf=r\n  ruf mailto:f@examp"
	    "le.com\n",
	    "dmarc text: inherited");

	s = text(&dhost);
	ok(text_safe(s), "dmarc text: hostile record, no control byte");
	is_str(s, "DMARC: invalid record at _dmarc.example.com: NUL byte at off"
	    "set 42\n",
	    "dmarc text: hostile record escaped");
	o = json(&dhost);
	ok(json_safe(o), "dmarc json: hostile record, valid UTF-8");
	is_str(json_object_get_string(json_object_object_get(o, "record")),
	    "v=DMARC1; p=reject; rua=mailto:a@\\x1b[2J\\x0d\\x0aOK|",
	    "dmarc json: hostile record escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
