/*
 * Unit tests for src/app/run.c: the report is printed whole, however
 * large. A domain whose DKIM selectors hold 80 TXT records of 64 KB of
 * control bytes (each escaped to 256 KB) renders a JSON document above
 * 16 MiB (where the output buffer used to cut it), which must parse to
 * its end, and a text report of the same facts that ends with its last
 * sections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analyze/analyze_cutover.h"
#include "app/cli.h"
#include "app/run.h"
#include "facts/auth_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "parse/dkim.h"
#include "util/buf.h"
#include "tap.h"

#define NSEL	80
#define TXTLEN	65535

/* What run_render wrote. */
static char *
captured(const struct cli *o, const struct probe_facts *f, size_t *len)
{
	struct cutover_opts co;
	struct buf *out;
	char *s;

	memset(&co, 0, sizeof(co));
	co.max_ttl = -1;
	co.auth_ttl = -1;
	out = buf_new(RUN_OUT_MAX);
	run_render(o, &co, NULL, f, NULL, NULL, out, NULL);
	*len = buf_len(out);
	s = buf_steal(out);
	buf_free(out);
	return s;
}

static struct cli *
options(const char *form)
{
	static struct cli o;
	static int parsed;
	char *argv[] = { "mxprobe", "--domain", "example.com", "--dns-only",
	    (char *)form, NULL };
	struct buf *why = buf_new(BUF_WHY_MAX);

	if (parsed)
		cli_free(&o);
	parsed = 1;
	memset(&o, 0, sizeof(o));
	if (cli_parse(form != NULL ? 5 : 4, argv, &o, why) != 0) {
		printf("Bail out! cli_parse: %s\n", buf_str(why));
		exit(1);
	}
	buf_free(why);
	return &o;
}

int
main(void)
{
	static struct dkim_selector sel[NSEL];
	static struct taglist_txt txt[NSEL];
	static char names[NSEL][16];
	struct probe_facts f;
	struct mx_set mx;
	struct mx_host host;
	struct auth_facts *auth;
	struct json_tokener *tok;
	json_object *j, *a;
	char *data, *s;
	size_t i, len;

	/* A key record the reports quote, full of control bytes. */
	data = malloc(TXTLEN);
	memset(data, '\001', TXTLEN);
	memcpy(data, "v=DKIM1; p=", 11);
	for (i = 0; i < NSEL; i++) {
		snprintf(names[i], sizeof(names[i]), "s%zu", i);
		txt[i].data = data;
		txt[i].len = TXTLEN;
		sel[i].selector = names[i];
		sel[i].outcome = DNS_OK;
		sel[i].txt = &txt[i];
		sel[i].ntxt = 1;
	}
	auth = calloc(1, sizeof(*auth));
	auth->domain = "example.com";
	auth->spf_state = "done";
	auth->dkim.domain = "example.com";
	auth->dkim.sel = sel;
	auth->dkim.nsel = NSEL;
	auth->dmarc_own.outcome = DNS_NXDOMAIN;
	auth->dmarc_org.outcome = DNS_NXDOMAIN;
	auth->mtasts_txt.outcome = DNS_NXDOMAIN;
	auth->tlsrpt_txt.outcome = DNS_NXDOMAIN;

	memset(&host, 0, sizeof(host));
	host.name = "mx1.example.com";
	host.pref = 10;
	host.a_out = DNS_NODATA;
	host.aaaa_out = DNS_NODATA;
	memset(&mx, 0, sizeof(mx));
	mx.domain = "example.com";
	mx.outcome = DNS_OK;
	mx.ttl = 300;
	mx.hosts = &host;
	mx.nhost = 1;
	memset(&f, 0, sizeof(f));
	f.domain = "example.com";
	f.mx = &mx;
	f.auth = auth;
	f.checked_at = 1796282102;

	s = captured(options("--json"), &f, &len);
	tok = json_tokener_new();
	j = json_tokener_parse_ex(tok, s, (int)len);
	ok(len > 16u * 1024 * 1024, "the JSON report is above 16 MiB (%zu "
	    "bytes)", len);
	ok(j != NULL && json_tokener_get_error(tok) == json_tokener_success,
	    "and parses to its end: it was not cut");
	a = NULL;
	if (j != NULL && json_object_object_get_ex(j, "dkim", &a))
		json_object_object_get_ex(a, "selectors", &a);
	ok(a != NULL && json_object_array_length(a) == NSEL,
	    "every selector is in it");
	a = NULL;
	if (j != NULL && json_object_object_get_ex(j, "run", &a) &&
	    json_object_object_get_ex(a, "resolvers", &a))
		json_object_object_get_ex(a, "source", &a);
	ok(a != NULL && strcmp(json_object_get_string(a), "system") == 0,
	    "no --resolver: run.resolvers.source is system");
	a = NULL;
	if (j != NULL && json_object_object_get_ex(j, "run", &a) &&
	    json_object_object_get_ex(a, "options", &a))
		json_object_object_get_ex(a, "dns_only", &a);
	ok(a != NULL && json_object_get_boolean(a), "run.options.dns_only");
	a = NULL;
	ok(j != NULL && json_object_object_get_ex(j, "checked_at", &a) &&
	    strcmp(json_object_get_string(a), "2026-12-03T07:15:02Z") == 0,
	    "checked_at from the facts' time, RFC 3339 UTC");
	ok(len > 0 && s[len - 1] == '\n' && json_object_object_get_ex(j,
	    "elapsed_ms", &a), "the document ends with its last member and a "
	    "newline");
	json_object_put(j);
	json_tokener_free(tok);
	free(s);

	s = captured(options(NULL), &f, &len);
	ok(strstr(s, "\nScore\n") != NULL && strstr(s, "\nWhat to fix") !=
	    NULL, "the text report of the same facts keeps its last sections "
	    "(%zu bytes)", len);
	ok(strchr(s, '\001') == NULL, "with the control bytes escaped");
	free(s);

	cli_free(options(NULL));	/* the last options parsed */
	free(auth);
	free(data);
	return tap_done();
}
