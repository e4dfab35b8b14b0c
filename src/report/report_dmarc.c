/* report_dmarc - the DMARC record in text and JSON; see report.h */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "parse/dmarc.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

void
report_dmarc_text(const struct dmarc_facts *f, struct buf *b)
{
	struct dmarc_discovery d;
	const struct dmarc_record *r;
	size_t i;

	dmarc_discover(f, &d);
	switch (d.state) {
	case DMARC_ST_FAILED:
		esc_printf(b, 0, _("DMARC: lookup failed (%s)\n"), d.why);
		break;
	case DMARC_ST_MISSING:
		esc_printf(b, 0, _("DMARC: no record\n"));
		break;
	case DMARC_ST_MULTIPLE:
		esc_printf(b, 0,
		    _("DMARC: %zu records at _dmarc.%s (ignored)\n"),
		    d.count, d.policy_domain);
		break;
	case DMARC_ST_INVALID:
		esc_printf(b, 0, _("DMARC: invalid record at _dmarc.%s: %s\n"),
		    d.policy_domain, d.why);
		break;
	case DMARC_ST_FOUND:
		r = d.rec;
		esc_printf(b, 0, "DMARC: _dmarc.%s%s\n  \"%s\"\n",
		    d.policy_domain, d.inherited ? _(" (inherited)") : "",
		    d.text);
		esc_printf(b, 0, "  p=%s sp=%s pct=%u adkim=%c aspf=%c\n",
		    dmarc_policy_name(r->p), r->sp == DMARC_P_UNSET ?
		    dmarc_policy_name(r->p) : dmarc_policy_name(r->sp),
		    r->pct, r->adkim, r->aspf);
		for (i = 0; i < r->nrua; i++)
			esc_printf(b, 0, "  rua %s\n", r->rua[i].uri);
		for (i = 0; i < r->nruf; i++)
			esc_printf(b, 0, "  ruf %s\n", r->ruf[i].uri);
		break;
	}
	dmarc_discovery_clear(&d);
}

static struct json_object *
uri_array(const struct dmarc_uri *u, size_t n)
{
	struct json_object *a, *o;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_add_str(o, "uri", u[i].uri);
		json_add_str(o, "host", u[i].host);
		json_add(o, "limit", u[i].limit ?
		    json_object_new_int64((int64_t)u[i].limit) : NULL);
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *
raw_tags(const char *text)
{
	struct taglist *tl;
	struct json_object *o;
	struct buf *why;
	size_t off, i;

	why = buf_new(BUF_WHY_MAX);
	if (taglist_parse(text, strlen(text), TAGLIST_NOCASE, &tl, &off,
	    why) != TAGLIST_OK) {
		buf_free(why);
		return NULL;
	}
	o = json_object_new_object();
	for (i = 0; i < taglist_count(tl); i++)
		json_add_str(o, taglist_at(tl, i)->name,
		    taglist_at(tl, i)->value);
	taglist_free(tl);
	buf_free(why);
	return o;
}

static struct json_object *
dmarc_external_json(const struct dmarc_facts *f,
    const struct dmarc_discovery *d)
{
	struct json_object *a, *o;
	struct dmarc_target *t;
	const struct dmarc_ext *e;
	const char *v;
	size_t n, i;

	a = json_object_new_array();
	n = dmarc_external_targets(d->rec, d->policy_domain, &t);
	for (i = 0; i < n; i++) {
		e = dmarc_facts_ext(f, t[i].host);
		if (e == NULL)
			v = "not-checked";
		else
			switch (dmarc_external_judge(e->lookup.outcome,
			    e->lookup.txt, e->lookup.ntxt)) {
			case DMARC_EXT_AUTHORIZED:
				v = "authorized";
				break;
			case DMARC_EXT_UNAUTHORIZED:
				v = "unauthorized";
				break;
			default:
				v = "unknown";
				break;
			}
		o = json_object_new_object();
		json_add_str(o, "host", t[i].host);
		json_add_str(o, "query", t[i].qname);
		json_add_str(o, "verdict", v);
		json_object_array_add(a, o);
	}
	dmarc_targets_free(t, n);
	return a;
}

void
report_dmarc_json(const struct dmarc_facts *f, struct json_object *obj)
{
	static const char *states[] = {
		"found", "missing", "multiple", "invalid", "lookup-failed"
	};
	struct dmarc_discovery d;
	const struct dmarc_record *r;
	struct json_object *fo;

	dmarc_discover(f, &d);
	json_add_str(obj, "state", states[d.state]);
	json_add_str(obj, "org_domain", f->org_domain);
	json_add_str(obj, "policy_domain", d.policy_domain);
	json_add_bool(obj, "inherited", d.inherited);
	if (d.text != NULL)
		json_add_str(obj, "record", d.text);
	if (d.state == DMARC_ST_MULTIPLE)
		json_add_int64(obj, "count", (int64_t)d.count);
	if (d.state == DMARC_ST_INVALID)
		json_add(obj, "error", json_error("offset", d.erroff, d.why));
	if (d.state == DMARC_ST_FAILED)
		json_add_str(obj, "error", d.why);
	if (d.state != DMARC_ST_FOUND)
		goto done;
	r = d.rec;
	json_add(obj, "tags", raw_tags(d.text));
	json_add_str(obj, "p", dmarc_policy_name(r->p));
	json_add_str(obj, "sp", dmarc_policy_name(r->sp != DMARC_P_UNSET ?
	    r->sp : r->p));
	json_add_int(obj, "pct", (int)r->pct);
	json_add_str(obj, "adkim", r->adkim == 's' ? "s" : "r");
	json_add_str(obj, "aspf", r->aspf == 's' ? "s" : "r");
	fo = json_object_new_array();
	if (r->fo & DMARC_FO_0)
		json_object_array_add(fo, json_object_new_string("0"));
	if (r->fo & DMARC_FO_1)
		json_object_array_add(fo, json_object_new_string("1"));
	if (r->fo & DMARC_FO_D)
		json_object_array_add(fo, json_object_new_string("d"));
	if (r->fo & DMARC_FO_S)
		json_object_array_add(fo, json_object_new_string("s"));
	json_add(obj, "fo", fo);
	json_add_str(obj, "rf", r->rf);
	json_add_int64(obj, "ri", (int64_t)r->ri);
	json_add(obj, "rua", uri_array(r->rua, r->nrua));
	json_add(obj, "ruf", uri_array(r->ruf, r->nruf));
	json_add(obj, "external", dmarc_external_json(f, &d));
done:
	dmarc_discovery_clear(&d);
}
