/*
 * report_auth - the SPF, DKIM, DMARC, MTA-STS and TLS-RPT parts of the
 * text and JSON reports (report.h). Renders the facts gathered by
 * probe_auth with the modules' own renderers; judges nothing.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "facts/probe_facts.h"
#include "parse/mtasts.h"
#include "facts/auth_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "parse/spf.h"
#include "facts/spf_facts.h"
#include "parse/tlsrpt.h"

void
report_auth_json(const struct auth_facts *a, const struct probe_facts *pf,
    json_object *top)
{
	json_object *o, *arr;
	struct mtasts_facts m;
	struct mtasts_mx *mx;
	size_t i;

	if (a == NULL)
		return;
	o = json_object_new_object();
	if (a->spf != NULL)
		report_spf_json(a->spf, o);
	else {
		json_add_str(o, "domain", a->domain);
		json_add_str(o, "status", "not-finished");
	}
	json_add_str(o, "state", a->spf_state);
	arr = json_object_new_array();
	for (i = 0; i < a->nevals; i++)
		json_object_array_add(arr, report_spf_ip_json(&a->evals[i]));
	json_add(o, "evaluations", arr);
	json_add(top, "spf", o);

	o = json_object_new_object();
	report_dmarc_json(&a->dmarc, o);
	json_add(top, "dmarc", o);

	o = json_object_new_object();
	report_dkim_json(&a->dkim, o);
	json_add(top, "dkim", o);

	o = json_object_new_object();
	mx = analyze_mtasts_view(a, pf, &m);
	report_mtasts_json(&m, o);
	free(mx);
	json_add_str(o, "url", a->mtasts_url);
	json_add(o, "policy_addresses", json_str_array(a->mtasts_addrs,
	    a->nmtasts_addrs));
	json_add(top, "mta_sts", o);

	o = json_object_new_object();
	report_tlsrpt_json(&a->tlsrpt, o);
	json_add(top, "tls_rpt", o);
}

/*
 * Append text, every line indented by two spaces. The text is rendered
 * already (its network text escaped), so it is copied as it is.
 */
static void
indented(struct buf *out, const struct buf *in)
{
	const char *s = buf_str(in), *nl;

	while (*s != '\0') {
		nl = strchr(s, '\n');
		if (nl == NULL) {
			buf_printf(out, "  %s\n", s);
			break;
		}
		buf_printf(out, "  %.*s\n", (int)(nl - s), s);
		s = nl + 1;
	}
}

void
report_auth_text(const struct auth_facts *a, const struct probe_facts *pf,
    struct buf *out)
{
	struct buf *b;
	struct mtasts_facts m;
	struct mtasts_mx *mx;
	if (a == NULL)
		return;
	b = buf_new(REPORT_BUF_MAX);
	esc_printf(out, 0, "\nSPF\n");
	if (a->spf != NULL)
		report_spf_text(a->spf, b);
	else
		esc_printf(b, 0,
		    _("not finished before the overall deadline\n"));
	report_spf_ip_text(a, b);
	indented(out, b);

	buf_reset(b);
	esc_printf(out, 0, "\nDKIM\n");
	report_dkim_text(&a->dkim, b);
	indented(out, b);

	buf_reset(b);
	esc_printf(out, 0, "\nDMARC\n");
	report_dmarc_text(&a->dmarc, b);
	indented(out, b);

	buf_reset(b);
	esc_printf(out, 0, "\nMTA-STS / TLS-RPT\n");
	mx = analyze_mtasts_view(a, pf, &m);
	report_mtasts_text(&m, b);
	free(mx);
	report_tlsrpt_text(&a->tlsrpt, b);
	indented(out, b);
	buf_free(b);
}
