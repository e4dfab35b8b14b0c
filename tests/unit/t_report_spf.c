/*
 * Unit tests for src/report/report_spf.c: the SPF walk in JSON (domain,
 * record, status, totals, all, redirect, tree with children; null where
 * unknown) and text (record, totals, how it ends, the include tree, a
 * failed root), the --spf-ip answers in JSON and text; hostile record
 * text and explanations come out escaped.
 */
#include <stdio.h>

#include "facts/auth_facts.h"
#include "facts/spf_facts.h"
#include "parse/spf.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("

REPORT_AREA(struct spf_analysis, report_spf_text, report_spf_json)

int
main(void)
{
	static char *voids[] = { "a:gone.example.com" };
	struct spf_node root = { .domain = "example.com",
	    .status = SPF_NODE_OK,
	    .record = "v=spf1 include:_spf.example.net a:gone.example.com "
	    "-all", .records_found = 1, .txt_size = 60, .lookups = 3,
	    .void_lookups = 1, .void_terms = voids, .nvoid_terms = 1,
	    .all_qual = '-' };
	struct spf_node kid = { .domain = "_spf.example.net",
	    .via = "include:_spf.example.net", .status = SPF_NODE_OK,
	    .record = "v=spf1 ip4:192.0.2.0/24 ~all", .records_found = 1,
	    .txt_size = 30, .lookups = 1, .parent = &root };
	struct spf_node bad = { .domain = "bad.example.org",
	    .via = "redirect=bad.example.org", .via_redirect = 1,
	    .status = SPF_NODE_SYNTAX, .record = "v=spf1 foo",
	    .records_found = 1, .txt_size = 10, .errpos = 8,
	    .error = "unknown term", .parent = &root };
	struct spf_node *kids[] = { &kid, &bad };
	struct spf_analysis a = { .domain = "example.com", .root = &root,
	    .done = 1, .lookups = 3, .void_lookups = 1, .all_qual = '-' };
	struct spf_node none = { .domain = "example.org",
	    .status = SPF_NODE_NONE, .error = "no v=spf1 record" };
	struct spf_analysis anone = { .domain = "example.org", .root = &none,
	    .done = 1 };
	struct spf_analysis apend = { .domain = "example.net" };
	struct auth_spf_eval ev[] = {
		{ "192.0.2.1", "a@example.com", "mail.example.com", 1,
		    SPF_PASS, "example.com", "ip4:192.0.2.0/24", NULL, NULL,
		    "pass (ip4:192.0.2.0/24 of example.com)" },
		{ "198.51.100.1", "b@example.com", "x.example.com", 1,
		    SPF_FAIL, "example.com", "-all", "not " HOSTILE, NULL,
		    "fail: not " HOSTILE },
		{ "203.0.113.1", "c@example.com", "y.example.com", 0,
		    SPF_TEMPERROR, NULL, NULL, NULL, "deadline", NULL },
	};
	struct auth_facts af = { .evals = ev, .nevals = 3 };
	struct json_object *o;
	const char *s;

	root.child = kids;
	root.nchild = 2;
	b = buf_new(REPORT_BUF_MAX);
	o = json(&a);
	is_str(json_plain(json_object_object_get(o, "tree")),
	    "{\"domain\":\"example.com\",\"via\":null,\"status\":\"ok\",\""
	    "record\":\"v=spf1 include:_spf.example.net a:gone.example.co"
	    "m -all\",\"lookups\":3,\"void_lookups\":1,\"void_terms\":[\""
	    "a:gone.example.com\"],\"txt_size\":60,\"error\":null,\"child"
	    "ren\":[{\"domain\":\"_spf.example.net\",\"via\":\"include:_s"
	    "pf.example.net\",\"status\":\"ok\",\"record\":\"v=spf1 ip4:1"
	    "92.0.2.0/24 ~all\",\"lookups\":1,\"void_lookups\":0,\"void_t"
	    "erms\":[],\"txt_size\":30,\"error\":null,\"children\":[]},{\""
	    "domain\":\"bad.example.org\",\"via\":\"redirect=bad.example."
	    "org\",\"status\":\"syntax\",\"record\":\"v=spf1 foo\",\"look"
	    "ups\":0,\"void_lookups\":0,\"void_terms\":[],\"txt_size\":10"
	    ",\"error_position\":8,\"error\":\"unknown term\",\"children\""
	    ":[]}]}",
	    "spf json: the tree");
	json_object_object_del(o, "tree");
	check_json(o,
	    "{\"domain\":\"example.com\",\"record\":\"v=spf1 include:_spf"
	    ".example.net a:gone.example.com -all\",\"status\":\"ok\",\"r"
	    "ecords_found\":1,\"txt_size\":60,\"lookups\":3,\"void_lookup"
	    "s\":1,\"all\":\"-all\",\"redirect\":null,\"ptr_used\":false}",
	    "spf json: the totals");
	check_json(json(&anone),
	    "{\"domain\":\"example.org\",\"record\":null,\"status\":\"non"
	    "e\",\"records_found\":0,\"txt_size\":0,\"lookups\":0,\"void_"
	    "lookups\":0,\"all\":null,\"redirect\":null,\"ptr_used\":fals"
	    "e,\"tree\":{\"domain\":\"example.org\",\"via\":null,\"status"
	    "\":\"none\",\"record\":null,\"lookups\":0,\"void_lookups\":0"
	    ",\"void_terms\":[],\"txt_size\":0,\"error\":\"no v=spf1 reco"
	    "rd\",\"children\":[]}}",
	    "spf json: no record");
	check_json(json(&apend),
	    "{\"domain\":\"example.net\",\"record\":null,\"status\":\"pen"
	    "ding\",\"records_found\":0,\"txt_size\":0,\"lookups\":0,\"vo"
	    "id_lookups\":0,\"all\":null,\"redirect\":null,\"ptr_used\":f"
	    "alse,\"tree\":null}",
	    "spf json: not checked, nulls");
	is_str(text(&a),
	    "SPF (example.com):\n  record: v=spf1 include:_spf.example.ne"
	    "t a:gone.example.com -all\n  v=spf1 records: 1; TXT answer: "
	    "60 octets\n  DNS-querying terms: 3 of 10; void lookups: 1 of"
	    " 2\n  ends with: -all\n  include tree:\n    example.com  [3 "
	    "lookups, void]\n      include:_spf.example.net  [1 lookup]\n"
	    "        v=spf1 ip4:192.0.2.0/24 ~all\n      redirect=bad.exa"
	    "mple.org  [syntax: unknown term]\n        v=spf1 foo\n",
	    "spf text: record, totals, the include tree");
	a.all_qual = 0;
	a.redirect = "other.example.com";
	is_str(text(&a),
	    "SPF (example.com):\n  record: v=spf1 include:_spf.example.ne"
	    "t a:gone.example.com -all\n  v=spf1 records: 1; TXT answer: "
	    "60 octets\n  DNS-querying terms: 3 of 10; void lookups: 1 of"
	    " 2\n  ends with: no all, redirect=other.example.com\n  inclu"
	    "de tree:\n    example.com  [3 lookups, void]\n      include:"
	    "_spf.example.net  [1 lookup]\n        v=spf1 ip4:192.0.2.0/2"
	    "4 ~all\n      redirect=bad.example.org  [syntax: unknown ter"
	    "m]\n        v=spf1 foo\n",
	    "spf text: ends with a redirect");
	is_str(text(&anone),
	    "SPF (example.org):\n  none: no v=spf1 record\n",
	    "spf text: no record");
	is_str(text(&apend),
	    "SPF (example.net):\n  not checked\n",
	    "spf text: not checked");

	check_json(report_spf_ip_json(&ev[0]),
	    "{\"ip\":\"192.0.2.1\",\"sender\":\"a@example.com\",\"helo\":"
	    "\"mail.example.com\",\"result\":\"pass\",\"finished\":true,\""
	    "domain\":\"example.com\",\"mechanism\":\"ip4:192.0.2.0/24\","
	    "\"explanation\":null,\"reason\":null}",
	    "spf-ip json: pass");
	check_json(report_spf_ip_json(&ev[2]),
	    "{\"ip\":\"203.0.113.1\",\"sender\":\"c@example.com\",\"helo\""
	    ":\"y.example.com\",\"result\":\"temperror\",\"finished\":fal"
	    "se,\"domain\":null,\"mechanism\":null,\"explanation\":null,\""
	    "reason\":\"deadline\"}",
	    "spf-ip json: not finished, nulls");
	buf_reset(b);
	report_spf_ip_text(&af, b);
	s = buf_str(b);
	ok(text_safe(s), "spf-ip text: hostile explanation, no control byte");
	is_str(s,
	    "--spf-ip 192.0.2.1 (MAIL FROM a@example.com, HELO mail.examp"
	    "le.com): pass (ip4:192.0.2.0/24 of example.com)\n--spf-ip 19"
	    "8.51.100.1 (MAIL FROM b@example.com, HELO x.example.com): fa"
	    "il: not \\x1b[2J\\x0d\\x0aOK|\\xff\\xc3(\n--spf-ip 203.0.113"
	    ".1 (MAIL FROM c@example.com, HELO y.example.com): temperror\n",
	    "spf-ip text: the lines, hostile explanation escaped");
	o = report_spf_ip_json(&ev[1]);
	ok(json_safe(o), "spf-ip json: hostile explanation, valid UTF-8");
	check_json(o,
	    "{\"ip\":\"198.51.100.1\",\"sender\":\"b@example.com\",\"helo"
	    "\":\"x.example.com\",\"result\":\"fail\",\"finished\":true,\""
	    "domain\":\"example.com\",\"mechanism\":\"-all\",\"explanatio"
	    "n\":\"not \\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\",\"rea"
	    "son\":null}",
	    "spf-ip json: hostile explanation escaped");

	kid.record = "v=spf1 " HOSTILE;
	root.record = "v=spf1 " HOSTILE;
	bad.error = "error " HOSTILE;
	s = text(&a);
	ok(text_safe(s), "spf text: hostile records, no control byte");
	is_str(s,
	    "SPF (example.com):\n  record: v=spf1 \\x1b[2J\\x0d\\x0aOK|\\"
	    "xff\\xc3(\n  v=spf1 records: 1; TXT answer: 60 octets\n  DNS"
	    "-querying terms: 3 of 10; void lookups: 1 of 2\n  ends with:"
	    " no all, redirect=other.example.com\n  include tree:\n    ex"
	    "ample.com  [3 lookups, void]\n      include:_spf.example.net"
	    "  [1 lookup]\n        v=spf1 \\x1b[2J\\x0d\\x0aOK|\\xff\\xc3"
	    "(\n      redirect=bad.example.org  [syntax: error \\x1b[2J\\"
	    "x0d\\x0aOK|\\xff\\xc3(]\n        v=spf1 foo\n",
	    "spf text: hostile records escaped");
	o = json(&a);
	ok(json_safe(o), "spf json: hostile records, valid UTF-8");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
