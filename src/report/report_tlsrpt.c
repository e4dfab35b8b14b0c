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
	const struct taglist_txt *rec;
	struct buf *why;
	size_t n, idx = 0, off = 0;
	int ok;

	why = buf_new(BUF_WHY_MAX);
	n = f->outcome == DNS_OK ? tlsrpt_select(f->txt, f->ntxt, &idx) : 0;
	rec = n == 1 ? &f->txt[idx] : NULL;
	ok = rec != NULL && tlsrpt_parse(rec->data, rec->len, &r, &off,
	    why) == TLSRPT_OK;
	json_txt_record(obj, f->outcome, n, rec, ok, off, buf_str(why));
	if (ok)
		json_add(obj, "rua", json_str_array(r->rua, r->nrua));
	tlsrpt_record_free(r);
	buf_free(why);
}
