/*
 * Unit tests for src/report/report_auth.c: the "spf", "dmarc", "dkim",
 * "mta_sts" (with url and policy_addresses) and "tls_rpt" members (an
 * SPF walk that did not finish: status not-finished; evaluations[]) and
 * the SPF, DKIM, DMARC and MTA-STS / TLS-RPT text sections, indented;
 * hostile record text comes out escaped and every line stays indented.
 */
#include <stdio.h>

#include "facts/auth_facts.h"
#include "facts/probe_facts.h"
#include "report/report.h"
#include "util/buf.h"
#include "report_check.h"

#define HOSTILE	"\x1b[2J\r\nOK|\xff\xc3("
#define TXT1(s)	(const struct taglist_txt[]){ { s, sizeof(s) - 1 } }, 1

static struct buf *b;

static const char *
text(const struct auth_facts *a)
{
	buf_reset(b);
	report_auth_text(a, NULL, b);
	return buf_str(b);
}

static struct json_object *
json(const struct auth_facts *a)
{
	struct json_object *o = json_object_new_object();

	report_auth_json(a, NULL, o);
	return o;
}

/* Every line of s after the section's title line is indented. */
static int
indented(const char *s)
{
	const char *p;

	for (p = s; (p = strchr(p, '\n')) != NULL; p++)
		if (p[1] != '\0' && p[1] != '\n' && p[1] != ' ' &&
		    strncmp(p + 1, "SPF\n", 4) != 0 &&
		    strncmp(p + 1, "DKIM\n", 5) != 0 &&
		    strncmp(p + 1, "DMARC\n", 6) != 0 &&
		    strncmp(p + 1, "MTA-STS / TLS-RPT\n", 18) != 0)
			return 0;
	return 1;
}

int
main(void)
{
	static char *addrs[] = { "192.0.2.80" };
	struct auth_facts a = { .domain = "example.com",
	    .spf_state = "deadline",
	    .mtasts_url = "https://mta-sts.example.com/.well-known/"
	    "mta-sts.txt", .mtasts_addrs = addrs, .nmtasts_addrs = 1 };
	struct json_object *o;
	const char *s;

	a.dmarc = (struct dmarc_facts){ "example.com", "example.com",
	    { DNS_NXDOMAIN, NULL, 0 }, 0, { 0 }, NULL, 0, 1, 1, NULL };
	a.dkim = (struct dkim_facts){ "example.com", NULL, 0, 0 };
	a.mtasts = (struct mtasts_facts){ "example.com", DNS_NXDOMAIN, NULL,
	    0, MTASTS_FETCH_NOT_TRIED, 0, NULL, NULL, 0, NULL, 0 };
	a.tlsrpt = (struct tlsrpt_facts){ "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=mailto:t@example.com") };
	b = buf_new(REPORT_BUF_MAX);
	o = json(&a);
	is_str(json_plain(json_object_object_get(o, "spf")),

	    "{\"domain\":\"example.com\",\"status\":\"not-finished\",\"st"
	    "ate\":\"deadline\",\"evaluations\":[]}",
	    "auth json: spf not finished");
	is_str(json_plain(json_object_object_get(o, "dmarc")),
	    "{\"state\":\"missing\",\"org_domain\":\"example.com\",\"poli"
	    "cy_domain\":null,\"inherited\":false}",
	    "auth json: dmarc");
	is_str(json_plain(json_object_object_get(o, "dkim")),
	    "{\"named\":false,\"tried\":0,\"usable\":null,\"selectors\":["
	    "]}",
	    "auth json: dkim, none tried");
	is_str(json_plain(json_object_object_get(o, "mta_sts")),
	    "{\"state\":\"missing\",\"fetch\":\"not-tried\",\"http_status"
	    "\":null,\"mx\":[],\"url\":\"https://mta-sts.example.com/.wel"
	    "l-known/mta-sts.txt\",\"policy_addresses\":[\"192.0.2.80\"]}",
	    "auth json: mta_sts with url and policy_addresses");
	is_str(json_plain(json_object_object_get(o, "tls_rpt")),
	    "{\"state\":\"found\",\"record\":\"v=TLSRPTv1; rua=mailto:t@e"
	    "xample.com\",\"rua\":[\"mailto:t@example.com\"]}",
	    "auth json: tls_rpt");
	json_object_put(o);
	o = json_object_new_object();
	report_auth_json(NULL, NULL, o);
	check_json(o, "{}", "auth json: no facts, nothing added");
	is_str(text(&a),
	    "\nSPF\n  not finished before the overall deadline\n\nDKIM\n"
	    "  DKIM: no key found at 0 selectors\n\nDMARC\n  DMARC: no re"
	    "cord\n\nMTA-STS / TLS-RPT\n  MTA-STS: no record\n  TLS-RPT: "
	    "mailto:t@example.com\n",
	    "auth text: the four sections");

	a.tlsrpt = (struct tlsrpt_facts){ "example.com", DNS_OK,
	    TXT1("v=TLSRPTv1; rua=" HOSTILE) };
	a.dmarc.own = (struct dmarc_lookup){ DNS_OK,
	    TXT1("v=DMARC1; p=reject; rua=mailto:" HOSTILE) };
	a.mtasts_url = "https://x/" HOSTILE;
	s = text(&a);
	ok(text_safe(s), "auth text: hostile records, no control byte");
	ok(indented(s), "auth text: hostile records, every line indented");
	o = json(&a);
	ok(json_safe(o), "auth json: hostile records and url, valid UTF-8");
	is_str(json_plain(json_object_object_get(json_object_object_get(o,
	    "mta_sts"), "url")),
	    "\"https://x/\\\\x1b[2J\\\\x0d\\\\x0aOK|\\\\xff\\\\xc3(\"",
	    "auth json: hostile url escaped");
	json_object_put(o);
	buf_free(b);
	return tap_done();
}
