/* report_mtasts - MTA-STS record and policy, text and JSON; see report.h */
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "facts/dns_facts.h"
#include "analyze/analyze.h"
#include "parse/mtasts.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

void
report_mtasts_text(const struct mtasts_facts *f, struct buf *b)
{
	struct mtasts_txt *t = NULL;
	struct mtasts_policy *pol = NULL;
	struct buf *why;
	size_t idx = 0, n, off, line, i;

	why = buf_new(BUF_WHY_MAX);
	if (dns_outcome_failed(f->txt_outcome)) {
		esc_printf(b, 0, _("MTA-STS: lookup failed (%s)\n"),
		    dns_outcome_name(f->txt_outcome));
		goto done;
	}
	n = f->txt_outcome == DNS_OK ? mtasts_txt_select(f->txt, f->ntxt,
	    &idx) : 0;
	if (n == 0)
		esc_printf(b, 0, _("MTA-STS: no record\n"));
	else if (n > 1)
		esc_printf(b, 0, _("MTA-STS: %zu records (ignored)\n"), n);
	else if (mtasts_txt_parse(f->txt[idx].data, f->txt[idx].len, &t,
	    &off, why) != MTASTS_OK)
		esc_printf(b, 0, _("MTA-STS: invalid record (%s)\n"),
		    buf_str(why));
	else
		esc_printf(b, 0, "MTA-STS: id=%s\n", t->id);
	/* Without a record senders fetch no policy: the probe's own try
	 * (it looks for a policy published without one) is not worth a
	 * line unless it found one (MTASTS_POLICY_WITHOUT_TXT). */
	if (f->fetch == MTASTS_FETCH_NOT_TRIED ||
	    (n == 0 && f->fetch != MTASTS_FETCH_OK))
		goto done;
	if (f->fetch != MTASTS_FETCH_OK) {
		/* The detail quotes the HTTPS server (a header, a reason):
		 * escaped like every text from the network. */
		buf_reset(why);
		analyze_mtasts_fetch(f, why);
		esc_printf(b, 0, _("  policy: "));
		esc_printf(b, 0, "%s\n", buf_str(why));
		goto done;
	}
	buf_reset(why);
	if (mtasts_policy_parse(f->body, f->body_len, &pol, &line, why) !=
	    MTASTS_OK) {
		esc_printf(b, 0, _("  policy: invalid (line %zu: %s)\n"), line,
		    buf_str(why));
		goto done;
	}
	esc_printf(b, 0, _("  policy: mode %s, max_age %lu\n"),
	    mtasts_mode_name(pol->mode), (unsigned long)pol->max_age);
	for (i = 0; i < pol->nmx; i++)
		esc_printf(b, 0, "  mx %s\n", pol->mx[i]);
done:
	mtasts_txt_free(t);
	mtasts_policy_free(pol);
	buf_free(why);
}

void
report_mtasts_json(const struct mtasts_facts *f, struct json_object *obj)
{
	struct json_object *p, *a, *o;
	struct mtasts_txt *t = NULL;
	struct mtasts_policy *pol = NULL;
	struct buf *why;
	const struct taglist_txt *rec;
	size_t n, idx = 0, off = 0, line, i;
	int ok;

	why = buf_new(BUF_WHY_MAX);
	n = f->txt_outcome == DNS_OK ? mtasts_txt_select(f->txt, f->ntxt,
	    &idx) : 0;
	rec = n == 1 ? &f->txt[idx] : NULL;
	ok = rec != NULL && mtasts_txt_parse(rec->data, rec->len, &t, &off,
	    why) == MTASTS_OK;
	json_txt_record(obj, f->txt_outcome, n, rec, ok, off, buf_str(why));
	if (ok)
		json_add_str(obj, "id", t->id);
	json_add_str(obj, "fetch", mtasts_fetch_name(f->fetch));
	json_add(obj, "http_status", f->http_status ?
	    json_object_new_int(f->http_status) : NULL);
	if (f->fetch_detail != NULL)
		json_add_str(obj, "fetch_detail", f->fetch_detail);
	if (f->fetch == MTASTS_FETCH_OK) {
		buf_reset(why);
		if (mtasts_policy_parse(f->body, f->body_len, &pol, &line,
		    why) != MTASTS_OK)
			json_add(obj, "policy_error", json_error("line", line,
			    buf_str(why)));
		else {
			p = json_object_new_object();
			json_add_str(p, "mode", mtasts_mode_name(pol->mode));
			json_add_int64(p, "max_age", (int64_t)pol->max_age);
			json_add(p, "mx", json_str_array(pol->mx, pol->nmx));
			json_add(obj, "policy", p);
		}
	}
	a = json_object_new_array();
	for (i = 0; i < f->nmx; i++) {
		o = json_object_new_object();
		json_add_str(o, "host", f->mx[i].host);
		json_add(o, "covered", pol == NULL ? NULL :
		    json_object_new_boolean(mtasts_policy_covers(pol,
		    f->mx[i].host)));
		json_add(o, "cert_valid", f->mx[i].cert_valid < 0 ? NULL :
		    json_object_new_boolean(f->mx[i].cert_valid));
		json_object_array_add(a, o);
	}
	json_add(obj, "mx", a);
	mtasts_txt_free(t);
	mtasts_policy_free(pol);
	buf_free(why);
}
