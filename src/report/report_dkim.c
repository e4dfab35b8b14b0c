/* report_dkim - the DKIM keys in text and JSON; see report.h */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "facts/dns_facts.h"
#include "parse/dkim.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

void
report_dkim_text(const struct dkim_facts *f, struct buf *b)
{
	const struct dkim_selector *s;
	const struct dkim_parsed *p;
	struct dkim_parsed tmp;
	const struct dkim_key *k;
	size_t i, j;
	int any = 0;

	for (i = 0; i < f->nsel; i++) {
		s = &f->sel[i];
		if (dns_outcome_failed(s->outcome)) {
			if (f->named)
				esc_printf(b, 0,
				    _("DKIM %s: lookup failed (%s)\n"),
				    s->selector, dns_outcome_name(s->outcome));
			continue;
		}
		for (j = 0; s->outcome == DNS_OK && j < s->ntxt; j++) {
			if (!dkim_record_judged(f, s, j))
				continue;
			any = 1;
			p = dkim_record_get(s, j, &tmp);
			if (p->rc != DKIM_OK) {
				esc_printf(b, 0, _("DKIM %s: invalid (%s)\n"),
				    s->selector, p->why);
				dkim_record_put(s, &tmp);
				continue;
			}
			k = p->key;
			if (k->revoked)
				esc_printf(b, 0, _("DKIM %s: revoked\n"),
				    s->selector);
			else
				esc_printf(b, 0, _("DKIM %s: %s %u bits%s%s\n"),
				    s->selector, dkim_keytype_name(k->k),
				    k->bits, k->t & DKIM_T_TESTING ?
				    ", testing" : "",
				    (k->h & DKIM_H_SHA1) &&
				    !(k->h & DKIM_H_SHA256) ?
				    ", sha1 only" : "");
			dkim_record_put(s, &tmp);
		}
	}
	if (!any)
		esc_printf(b, 0, ngettext("DKIM: no key found at %zu "
		    "selector\n", "DKIM: no key found at %zu selectors\n",
		    f->nsel), f->nsel);
}

static struct json_object *
dkim_record_json(const struct dkim_selector *s, size_t j)
{
	const struct taglist_txt *t = &s->txt[j];
	const struct dkim_parsed *p;
	struct dkim_parsed tmp;
	const struct dkim_key *k;
	struct json_object *o, *h;

	o = json_object_new_object();
	json_add(o, "record", json_censored(t->data, t->len));
	p = dkim_record_get(s, j, &tmp);
	if (p->rc != DKIM_OK) {
		json_add_bool(o, "valid", 0);
		json_add(o, "error", json_error("offset", p->off, p->why));
		dkim_record_put(s, &tmp);
		return o;
	}
	k = p->key;
	json_add_bool(o, "valid", 1);
	json_add_str(o, "key_type", dkim_keytype_name(k->k));
	json_add_int(o, "bits", (int)k->bits);
	json_add_bool(o, "revoked", k->revoked);
	json_add_bool(o, "usable", dkim_key_usable(k));
	json_add_bool(o, "testing", (k->t & DKIM_T_TESTING) != 0);
	json_add_bool(o, "strict", (k->t & DKIM_T_STRICT) != 0);
	json_add_bool(o, "email", k->email);
	if (k->h != 0) {
		h = json_object_new_array();
		if (k->h & DKIM_H_SHA1)
			json_object_array_add(h,
			    json_object_new_string("sha1"));
		if (k->h & DKIM_H_SHA256)
			json_object_array_add(h,
			    json_object_new_string("sha256"));
		json_add(o, "hashes", h);
	} else
		json_add(o, "hashes", NULL);
	if (k->notes != NULL)
		json_add_str(o, "notes", k->notes);
	dkim_record_put(s, &tmp);
	return o;
}

void
report_dkim_json(const struct dkim_facts *f, struct json_object *obj)
{
	struct json_object *a, *o, *recs;
	const struct dkim_selector *s;
	char name[512];
	size_t i, j;
	int st;

	json_add_bool(obj, "named", f->named);
	json_add_int64(obj, "tried", (int64_t)f->nsel);
	st = dkim_state(f);
	json_add(obj, "usable", st < 0 ? NULL : json_object_new_boolean(st));
	a = json_object_new_array();
	for (i = 0; i < f->nsel; i++) {
		s = &f->sel[i];
		if (s->outcome == DNS_NXDOMAIN || s->outcome == DNS_NODATA)
			continue;
		recs = json_object_new_array();
		for (j = 0; s->outcome == DNS_OK && j < s->ntxt; j++)
			if (dkim_record_judged(f, s, j))
				json_object_array_add(recs,
				    dkim_record_json(s, j));
		if (s->outcome == DNS_OK &&
		    json_object_array_length(recs) == 0) {
			json_object_put(recs);
			continue;
		}
		o = json_object_new_object();
		json_add_str(o, "selector", s->selector);
		snprintf(name, sizeof(name), "%s._domainkey.%s", s->selector,
		    f->domain);
		json_add_str(o, "name", name);
		json_add_enum(o, "outcome", dns_outcome_name(s->outcome));
		json_add(o, "records", recs);
		json_object_array_add(a, o);
	}
	json_add(obj, "selectors", a);
}
