/*
 * Unit tests for src/report/report_dkim.c: the DKIM keys in JSON (named,
 * tried, usable, selectors[] with their records, key facts or error) and
 * in text, from literal facts; hostile record bytes come out escaped.
 */
#include <stdio.h>

#include "facts/dns_facts.h"
#include "parse/dkim.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1
#define KTXT1(s)	TXT1(s), NULL

#define ED_RAW	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="

REPORT_AREA(struct dkim_facts, report_dkim_text, report_dkim_json)

static const struct dkim_selector sels[] = {
	{ "default", DNS_NXDOMAIN, NULL, 0, NULL },
	{ "ed", DNS_OK, KTXT1("v=DKIM1; k=ed25519; h=sha256; n=hi; p=" ED_RAW) },
	{ "bad", DNS_OK, KTXT1("v=DKIM1; p=!") },
	{ "slow", DNS_TIMEOUT, NULL, 0, NULL },
};
static const struct dkim_selector sel_rev[] = {
	{ "old", DNS_OK, KTXT1("v=DKIM1; p=") },
	{ "test", DNS_OK, KTXT1("v=DKIM1; k=ed25519; t=y:s; h=sha1; p="
	    ED_RAW) },
};
static const struct dkim_selector sel_none[] = {
	{ "default", DNS_NXDOMAIN, NULL, 0, NULL },
	{ "s1", DNS_NODATA, NULL, 0, NULL },
};
static const struct dkim_selector sel_host[] = {
	{ "evil", DNS_OK, KTXT1("v=DKIM1; n=\x1b[2J\r\nOK|\0\xff; p=!") },
};

int
main(void)
{
	struct dkim_facts kf = { "example.com", sels, 4, 0 };
	struct dkim_facts knamed = { "example.com", sels, 4, 1 };
	struct dkim_facts krev = { "example.com", sel_rev, 2, 1 };
	struct dkim_facts knone = { "example.com", sel_none, 2, 0 };
	struct dkim_facts khost = { "example.com", sel_host, 1, 1 };
	struct json_object *o;
	const char *s;

	b = buf_new(REPORT_BUF_MAX);
	check_json(json(&kf), "{\"named\":false,\"tried\":4,\"usable\":true,"
	    "\"selectors\":"
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
	check_json(json(&krev),
	    "{\"named\":true,\"tried\":2,\"usable\":false,\"selectors\":["
	    "{\"selector\":\"old\",\"name\":\"old._domainkey.example.com\""
	    ",\"outcome\":\"ok\",\"records\":[{\"record\":\"v=DKIM1; p=\""
	    ",\"valid\":true,\"key_type\":\"rsa\",\"bits\":0,\"revoked\":"
	    "true,\"usable\":false,\"testing\":false,\"strict\":false,\"e"
	    "mail\":true,\"hashes\":null}]},{\"selector\":\"test\",\"name"
	    "\":\"test._domainkey.example.com\",\"outcome\":\"ok\",\"reco"
	    "rds\":[{\"record\":\"v=DKIM1; k=ed25519; t=y:s; h=sha1; p=11"
	    "qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\",\"valid\":true,"
	    "\"key_type\":\"ed25519\",\"bits\":256,\"revoked\":false,\"us"
	    "able\":false,\"testing\":true,\"strict\":true,\"email\":true"
	    ",\"hashes\":[\"sha1\"]}]}]}",
	    "dkim json: revoked and testing keys");
	check_json(json(&knone),
	    "{\"named\":false,\"tried\":2,\"usable\":null,\"selectors\":["
	    "]}",
	    "dkim json: no key, usable false");

	is_str(text(&kf),
	    "DKIM ed: ed25519 256 bits\nDKIM bad: invalid (p= is not vali"
	    "d base64 (or longer than 4096 bytes) at offset 11)\n",
	    "dkim text: guessed selectors");
	is_str(text(&knamed),
	    "DKIM ed: ed25519 256 bits\nDKIM bad: invalid (p= is not vali"
	    "d base64 (or longer than 4096 bytes) at offset 11)\nDKIM slo"
	    "w: lookup failed (TIMEOUT)\n",
	    "dkim text: named selectors, failure shown");
	is_str(text(&krev),
	    "DKIM old: revoked\nDKIM test: ed25519 256 bits, testing, sha"
	    "1 only\n",
	    "dkim text: revoked, testing, sha1 only");
	is_str(text(&knone), "DKIM: no key found at 2 selectors\n",
	    "dkim text: no key");

	s = text(&khost);
	ok(text_safe(s), "dkim text: hostile record, no control byte");
	o = json(&khost);
	ok(json_safe(o), "dkim json: hostile record, valid UTF-8");
	is_str(json_plain(o),
	    "{\"named\":true,\"tried\":1,\"usable\":false,\"selectors\":["
	    "{\"selector\":\"evil\",\"name\":\"evil._domainkey.example.co"
	    "m\",\"outcome\":\"ok\",\"records\":[{\"record\":\"v=DKIM1; n"
	    "=\\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\x00\\\\xff; p=!\",\"valid\":"
	    "false,\"error\":{\"offset\":11,\"reason\":\"invalid characte"
	    "r in value at offset 11 (byte 0x1b)\"}}]}]}",
	    "dkim json: hostile record escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
