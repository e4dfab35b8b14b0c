/* Unit tests of the DMARC, DKIM, MTA-STS and TLS-RPT facts as JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "report/report.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/tlsrpt.h"
#include "tap.h"

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1
#define KTXT1(s)	TXT1(s), NULL

#define ED_RAW	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

static const struct taglist_txt auth_no[] = { { "nope", 4 } };
static const struct dmarc_ext ext[] = {
	{ "vendor.example", "example.com._report._dmarc.vendor.example",
	    { DNS_OK, auth_no, 1 } },
};

static const struct dkim_selector sels[] = {
	{ "default", DNS_NXDOMAIN, NULL, 0, NULL },
	{ "ed", DNS_OK, KTXT1("v=DKIM1; k=ed25519; h=sha256; n=hi; p=" ED_RAW) },
	{ "bad", DNS_OK, KTXT1("v=DKIM1; p=!") },
	{ "slow", DNS_TIMEOUT, NULL, 0, NULL },
};

static const struct mtasts_mx mxs[] = {
	{ "mx1.example.com", 1 }, { "mx.other.net", -1 },
};

#define POLICY	"version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\n" \
	"max_age: 86400\r\n"

static void
check(struct json_object *o, const char *want, const char *name)
{
	const char *got;

	got = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE);
	is_str(got, want, name);
	json_object_put(o);
}

int
main(void)
{
	struct json_object *o;
	struct dmarc_facts df = { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=reject; pct=50; fo=1:d; "
	    "rua=mailto:a@example.com!10k,mailto:b@vendor.example") },
	    0, { 0 }, ext, 1, 1, 1, NULL };
	struct dmarc_facts dbad = { "example.com", "example.com",
	    { DNS_OK, TXT1("v=DMARC1; p=none\x01") }, 0, { 0 }, NULL, 0, 1,
	    1, NULL };
	struct dmarc_facts dfail = { "example.com", "example.com",
	    { DNS_TIMEOUT, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	struct dkim_facts kf = { "example.com", sels, 4, 0 };
	struct mtasts_facts mf = { "example.com", DNS_OK,
	    TXT1("v=STSv1; id=42"), MTASTS_FETCH_OK, 200, NULL, POLICY,
	    sizeof(POLICY) - 1, mxs, 2 };
	struct mtasts_facts mfail = { "example.com", DNS_NXDOMAIN, NULL, 0,
	    MTASTS_FETCH_HTTP_ERROR, 404, "not found", NULL, 0, NULL, 0 };
	struct tlsrpt_facts tf = { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=mailto:t@example.com,https://r.example/") };
	struct tlsrpt_facts tbad = { "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=\xff") };

	o = json_object_new_object();
	report_dmarc_json(&df, o);
	check(o, "{\"state\":\"found\",\"org_domain\":\"example.com\","
	    "\"policy_domain\":\"example.com\",\"inherited\":false,"
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

	o = json_object_new_object();
	report_dmarc_json(&dbad, o);
	check(o, "{\"state\":\"invalid\",\"org_domain\":\"example.com\","
	    "\"policy_domain\":\"example.com\",\"inherited\":false,"
	    "\"record\":\"v=DMARC1; p=none\\\\x01\",\"error\":{\"offset\":16,"
	    "\"reason\":\"invalid character in value at offset 16 "
	    "(byte 0x01)\"}}", "dmarc: invalid, control byte censored");

	o = json_object_new_object();
	report_dmarc_json(&dfail, o);
	check(o, "{\"state\":\"lookup-failed\",\"org_domain\":\"example.com\","
	    "\"policy_domain\":null,\"inherited\":false,\"error\":"
	    "\"TXT _dmarc.example.com: TIMEOUT\"}", "dmarc: lookup failed");

	o = json_object_new_object();
	report_dkim_json(&kf, o);
	check(o, "{\"named\":false,\"tried\":4,\"usable\":true,\"selectors\":"
	    "[{\"selector\":\"ed\",\"name\":\"ed._domainkey.example.com\","
	    "\"outcome\":\"ok\",\"records\":[{\"record\":\"v=DKIM1; "
	    "k=ed25519; h=sha256; n=hi; p=" ED_RAW "\",\"valid\":true,"
	    "\"key_type\":\"ed25519\",\"bits\":256,\"revoked\":false,"
	    "\"usable\":true,\"testing\":false,\"strict\":false,\"email\":"
	    "true,\"hashes\":[\"sha256\"],\"notes\":\"hi\"}]},"
	    "{\"selector\":\"bad\",\"name\":\"bad._domainkey.example.com\","
	    "\"outcome\":\"ok\",\"records\":[{\"record\":\"v=DKIM1; p=!\","
	    "\"valid\":false,\"error\":{\"offset\":11,\"reason\":\"p= is not "
	    "valid base64 (or longer than 4096 bytes) at offset 11\"}}]},"
	    "{\"selector\":\"slow\",\"name\":\"slow._domainkey.example.com\","
	    "\"outcome\":\"timeout\",\"records\":[]}]}", "dkim");

	o = json_object_new_object();
	report_mtasts_json(&mf, o);
	check(o, "{\"state\":\"found\",\"record\":\"v=STSv1; id=42\","
	    "\"id\":\"42\",\"fetch\":\"ok\",\"http_status\":200,\"policy\":"
	    "{\"mode\":\"enforce\",\"max_age\":86400,\"mx\":"
	    "[\"*.example.com\"]},\"mx\":[{\"host\":\"mx1.example.com\","
	    "\"covered\":true,\"cert_valid\":true},{\"host\":"
	    "\"mx.other.net\",\"covered\":false,\"cert_valid\":null}]}",
	    "mta-sts: found");

	o = json_object_new_object();
	report_mtasts_json(&mfail, o);
	check(o, "{\"state\":\"missing\",\"fetch\":\"http-error\","
	    "\"http_status\":404,\"fetch_detail\":\"not found\",\"mx\":[]}",
	    "mta-sts: missing");

	o = json_object_new_object();
	report_tlsrpt_json(&tf, o);
	check(o, "{\"state\":\"found\",\"record\":\"v=TLSRPTv1; "
	    "rua=mailto:t@example.com,https://r.example/\",\"rua\":"
	    "[\"mailto:t@example.com\",\"https://r.example/\"]}",
	    "tls-rpt: found");

	o = json_object_new_object();
	report_tlsrpt_json(&tbad, o);
	check(o, "{\"state\":\"invalid\",\"record\":\"v=TLSRPTv1; "
	    "rua=\\\\xff\",\"error\":{\"offset\":16,\"reason\":\"invalid "
	    "character in URI\"}}", "tls-rpt: invalid, 8-bit censored");
	return tap_done();
}
