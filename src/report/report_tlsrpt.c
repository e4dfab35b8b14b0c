/* report_tlsrpt - the TLS-RPT record in text and JSON; see report.h */
#include <stdio.h>

#include <json-c/json.h>

#include "facts/dns_facts.h"
#include "parse/tlsrpt.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

void
report_tlsrpt_text(const struct tlsrpt_facts *f, struct buf *b)
{
	struct tlsrpt_record *r;
	struct buf *why;
	size_t n, idx = 0, off, i;

	if (dns_outcome_failed(f->outcome)) {
		esc_printf(b, 0, _("TLS-RPT: lookup failed (%s)\n"),
		    dns_outcome_name(f->outcome));
		return;
	}
	n = f->outcome == DNS_OK ? tlsrpt_select(f->txt, f->ntxt, &idx) : 0;
	if (n != 1) {
		esc_printf(b, 0, n == 0 ? _("TLS-RPT: no record\n") :
		    _("TLS-RPT: several records (ignored)\n"));
		return;
	}
	why = buf_new(BUF_WHY_MAX);
	if (tlsrpt_parse(f->txt[idx].data, f->txt[idx].len, &r, &off, why) !=
	    TLSRPT_OK)
		esc_printf(b, 0, _("TLS-RPT: invalid (%s)\n"), buf_str(why));
	else {
		esc_printf(b, 0, "TLS-RPT:");
		for (i = 0; i < r->nrua; i++)
			esc_printf(b, 0, " %s", r->rua[i]);
		esc_printf(b, 0, "\n");
	}
	tlsrpt_record_free(r);
	buf_free(why);
}

void
report_tlsrpt_json(const struct tlsrpt_facts *f, struct json_object *obj)
{
	struct tlsrpt_record *r = NULL;
	struct json_object *a;
	struct buf *why;
	size_t n, idx = 0, off, i;
	const char *state;

	why = buf_new(BUF_WHY_MAX);
	n = f->outcome == DNS_OK ? tlsrpt_select(f->txt, f->ntxt, &idx) : 0;
	if (f->outcome != DNS_OK && f->outcome != DNS_NODATA &&
	    f->outcome != DNS_NXDOMAIN)
		state = "lookup-failed";
	else if (n == 0)
		state = "missing";
	else if (n > 1)
		state = "multiple";
	else if (tlsrpt_parse(f->txt[idx].data, f->txt[idx].len, &r, &off,
	    why) != TLSRPT_OK)
		state = "invalid";
	else
		state = "found";
	json_add(obj, "state", json_object_new_string(state));
	if (n == 1) {
		json_add(obj, "record", json_censored(f->txt[idx].data,
		    f->txt[idx].len));
		if (r == NULL)
			json_add(obj, "error", json_error("offset", off,
			    buf_str(why)));
	}
	if (r != NULL) {
		a = json_object_new_array();
		for (i = 0; i < r->nrua; i++)
			json_object_array_add(a, json_censored_str(r->rua[i]));
		json_add(obj, "rua", a);
	}
	tlsrpt_record_free(r);
	buf_free(why);
}
