/* auth_json - JSON facts for DMARC, DKIM, MTA-STS, TLS-RPT; see .h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "report/auth_json.h"
#include "util/buf.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/tlsrpt.h"
#include "util/xalloc.h"

/* Record text as a JSON string, non-printable bytes as \xNN. */
static struct json_object *
jtext(const char *s, size_t len)
{
	struct json_object *o;
	struct buf *b;
	size_t i;

	if (s == NULL)
		return NULL;
	b = buf_new(4 * len + 1);
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f)
			buf_append(b, s + i, 1);
		else
			buf_printf(b, "\\x%02x", (unsigned char)s[i]);
	}
	o = json_object_new_string_len(buf_str(b), (int)buf_len(b));
	buf_free(b);
	return o;
}

static struct json_object *
jstr(const char *s)
{
	return s != NULL ? jtext(s, strlen(s)) : NULL;
}

static void
add(struct json_object *o, const char *k, struct json_object *v)
{
	json_object_object_add(o, k, v);
}

static struct json_object *
jerror(const char *what, size_t where, const char *reason)
{
	struct json_object *e;

	e = json_object_new_object();
	add(e, what, json_object_new_int64((int64_t)where));
	add(e, "reason", jstr(reason));
	return e;
}

static const char *
outcome_lc(enum dns_outcome o)
{
	static char s[16];
	size_t i;

	snprintf(s, sizeof(s), "%s", dns_outcome_name(o));
	for (i = 0; s[i]; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	return s;
}

/* --- DMARC ------------------------------------------------------------- */

static struct json_object *
uri_array(const struct dmarc_uri *u, size_t n)
{
	struct json_object *a, *o;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		add(o, "uri", jstr(u[i].uri));
		add(o, "host", jstr(u[i].host));
		add(o, "limit", u[i].limit ?
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
		add(o, taglist_at(tl, i)->name,
		    jstr(taglist_at(tl, i)->value));
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
	size_t n, i, k;

	a = json_object_new_array();
	n = dmarc_external_targets(d->rec, d->policy_domain, &t);
	for (i = 0; i < n; i++) {
		e = NULL;
		for (k = 0; k < f->next; k++)
			if (f->ext[k].host != NULL &&
			    strcasecmp(f->ext[k].host, t[i].host) == 0)
				e = &f->ext[k];
		if (e == NULL)
			v = "not_checked";
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
		add(o, "host", jstr(t[i].host));
		add(o, "query", jstr(t[i].qname));
		add(o, "verdict", json_object_new_string(v));
		json_object_array_add(a, o);
	}
	dmarc_targets_free(t, n);
	return a;
}

void
dmarc_json(const struct dmarc_facts *f, struct json_object *obj)
{
	static const char *states[] = {
		"found", "missing", "multiple", "invalid", "lookup_failed"
	};
	struct dmarc_discovery d;
	const struct dmarc_record *r;
	struct json_object *fo;

	dmarc_discover(f, &d);
	add(obj, "state", json_object_new_string(states[d.state]));
	add(obj, "org_domain", jstr(f->org_domain));
	add(obj, "policy_domain", jstr(d.policy_domain));
	add(obj, "inherited", json_object_new_boolean(d.inherited));
	if (d.text != NULL)
		add(obj, "record", jstr(d.text));
	if (d.state == DMARC_ST_MULTIPLE)
		add(obj, "count", json_object_new_int64((int64_t)d.count));
	if (d.state == DMARC_ST_INVALID)
		add(obj, "error", jerror("offset", d.erroff, d.why));
	if (d.state == DMARC_ST_FAILED)
		add(obj, "error", jstr(d.why));
	if (d.state != DMARC_ST_FOUND)
		goto done;
	r = d.rec;
	add(obj, "tags", raw_tags(d.text));
	add(obj, "p", json_object_new_string(dmarc_policy_name(r->p)));
	add(obj, "sp", json_object_new_string(dmarc_policy_name(
	    r->sp != DMARC_P_UNSET ? r->sp : r->p)));
	add(obj, "pct", json_object_new_int((int)r->pct));
	add(obj, "adkim", json_object_new_string(r->adkim == 's' ? "s" :
	    "r"));
	add(obj, "aspf", json_object_new_string(r->aspf == 's' ? "s" : "r"));
	fo = json_object_new_array();
	if (r->fo & DMARC_FO_0)
		json_object_array_add(fo, json_object_new_string("0"));
	if (r->fo & DMARC_FO_1)
		json_object_array_add(fo, json_object_new_string("1"));
	if (r->fo & DMARC_FO_D)
		json_object_array_add(fo, json_object_new_string("d"));
	if (r->fo & DMARC_FO_S)
		json_object_array_add(fo, json_object_new_string("s"));
	add(obj, "fo", fo);
	add(obj, "rf", jstr(r->rf));
	add(obj, "ri", json_object_new_int64((int64_t)r->ri));
	add(obj, "rua", uri_array(r->rua, r->nrua));
	add(obj, "ruf", uri_array(r->ruf, r->nruf));
	add(obj, "external", dmarc_external_json(f, &d));
done:
	dmarc_discovery_clear(&d);
}

/* --- DKIM -------------------------------------------------------------- */

static struct json_object *
dkim_record_json(const struct taglist_txt *t)
{
	struct json_object *o, *h;
	struct dkim_key *k;
	struct buf *why;
	size_t off;

	o = json_object_new_object();
	add(o, "record", jtext(t->data, t->len));
	why = buf_new(BUF_WHY_MAX);
	if (dkim_parse(t->data, t->len, &k, &off, why) != DKIM_OK) {
		add(o, "valid", json_object_new_boolean(0));
		add(o, "error", jerror("offset", off, buf_str(why)));
		buf_free(why);
		return o;
	}
	add(o, "valid", json_object_new_boolean(1));
	add(o, "key_type", json_object_new_string(dkim_keytype_name(k->k)));
	add(o, "bits", json_object_new_int((int)k->bits));
	add(o, "revoked", json_object_new_boolean(k->revoked));
	add(o, "usable", json_object_new_boolean(dkim_key_usable(k)));
	add(o, "testing", json_object_new_boolean(
	    (k->t & DKIM_T_TESTING) != 0));
	add(o, "strict", json_object_new_boolean(
	    (k->t & DKIM_T_STRICT) != 0));
	add(o, "email", json_object_new_boolean(k->email));
	if (k->h != 0) {
		h = json_object_new_array();
		if (k->h & DKIM_H_SHA1)
			json_object_array_add(h,
			    json_object_new_string("sha1"));
		if (k->h & DKIM_H_SHA256)
			json_object_array_add(h,
			    json_object_new_string("sha256"));
		add(o, "hashes", h);
	} else
		add(o, "hashes", NULL);
	if (k->notes != NULL)
		add(o, "notes", jstr(k->notes));
	dkim_key_free(k);
	buf_free(why);
	return o;
}

void
dkim_json(const struct dkim_facts *f, struct json_object *obj)
{
	struct json_object *a, *o, *recs;
	const struct dkim_selector *s;
	char name[512];
	size_t i, j;
	int st;

	add(obj, "named", json_object_new_boolean(f->named));
	add(obj, "tried", json_object_new_int64((int64_t)f->nsel));
	st = dkim_state(f);
	add(obj, "usable", st < 0 ? NULL : json_object_new_boolean(st));
	a = json_object_new_array();
	for (i = 0; i < f->nsel; i++) {
		s = &f->sel[i];
		if (s->outcome == DNS_NXDOMAIN || s->outcome == DNS_NODATA)
			continue;
		recs = json_object_new_array();
		for (j = 0; s->outcome == DNS_OK && j < s->ntxt; j++)
			if (dkim_record_judged(f, s, j))
				json_object_array_add(recs,
				    dkim_record_json(&s->txt[j]));
		if (s->outcome == DNS_OK &&
		    json_object_array_length(recs) == 0) {
			json_object_put(recs);
			continue;
		}
		o = json_object_new_object();
		add(o, "selector", jstr(s->selector));
		snprintf(name, sizeof(name), "%s._domainkey.%s", s->selector,
		    f->domain);
		add(o, "name", jstr(name));
		add(o, "outcome", json_object_new_string(
		    outcome_lc(s->outcome)));
		add(o, "records", recs);
		json_object_array_add(a, o);
	}
	add(obj, "selectors", a);
}

/* --- MTA-STS ----------------------------------------------------------- */

void
mtasts_json(const struct mtasts_facts *f, struct json_object *obj)
{
	struct json_object *p, *a, *o;
	struct mtasts_txt *t = NULL;
	struct mtasts_policy *pol = NULL;
	struct buf *why;
	size_t n, idx = 0, off, line, i;
	const char *state;

	why = buf_new(BUF_WHY_MAX);
	n = f->txt_outcome == DNS_OK ? mtasts_txt_select(f->txt, f->ntxt,
	    &idx) : 0;
	if (f->txt_outcome != DNS_OK && f->txt_outcome != DNS_NODATA &&
	    f->txt_outcome != DNS_NXDOMAIN)
		state = "lookup_failed";
	else if (n == 0)
		state = "missing";
	else if (n > 1)
		state = "multiple";
	else if (mtasts_txt_parse(f->txt[idx].data, f->txt[idx].len, &t,
	    &off, why) != MTASTS_OK)
		state = "invalid";
	else
		state = "found";
	add(obj, "state", json_object_new_string(state));
	if (n == 1) {
		add(obj, "record", jtext(f->txt[idx].data, f->txt[idx].len));
		if (t != NULL)
			add(obj, "id", jstr(t->id));
		else
			add(obj, "error", jerror("offset", off,
			    buf_str(why)));
	}
	add(obj, "fetch", json_object_new_string(
	    mtasts_fetch_name(f->fetch)));
	add(obj, "http_status", f->http_status ?
	    json_object_new_int(f->http_status) : NULL);
	if (f->fetch_detail != NULL)
		add(obj, "fetch_detail", jstr(f->fetch_detail));
	if (f->fetch == MTASTS_FETCH_OK) {
		buf_reset(why);
		if (mtasts_policy_parse(f->body, f->body_len, &pol, &line,
		    why) != MTASTS_OK)
			add(obj, "policy_error", jerror("line", line,
			    buf_str(why)));
		else {
			p = json_object_new_object();
			add(p, "mode", json_object_new_string(
			    mtasts_mode_name(pol->mode)));
			add(p, "max_age", json_object_new_int64(
			    (int64_t)pol->max_age));
			a = json_object_new_array();
			for (i = 0; i < pol->nmx; i++)
				json_object_array_add(a, jstr(pol->mx[i]));
			add(p, "mx", a);
			add(obj, "policy", p);
		}
	}
	a = json_object_new_array();
	for (i = 0; i < f->nmx; i++) {
		o = json_object_new_object();
		add(o, "host", jstr(f->mx[i].host));
		add(o, "covered", pol == NULL ? NULL : json_object_new_boolean(
		    mtasts_policy_covers(pol, f->mx[i].host)));
		add(o, "cert_valid", f->mx[i].cert_valid < 0 ? NULL :
		    json_object_new_boolean(f->mx[i].cert_valid));
		json_object_array_add(a, o);
	}
	add(obj, "mx", a);
	mtasts_txt_free(t);
	mtasts_policy_free(pol);
	buf_free(why);
}

/* --- TLS-RPT ----------------------------------------------------------- */

void
tlsrpt_json(const struct tlsrpt_facts *f, struct json_object *obj)
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
		state = "lookup_failed";
	else if (n == 0)
		state = "missing";
	else if (n > 1)
		state = "multiple";
	else if (tlsrpt_parse(f->txt[idx].data, f->txt[idx].len, &r, &off,
	    why) != TLSRPT_OK)
		state = "invalid";
	else
		state = "found";
	add(obj, "state", json_object_new_string(state));
	if (n == 1) {
		add(obj, "record", jtext(f->txt[idx].data, f->txt[idx].len));
		if (r == NULL)
			add(obj, "error", jerror("offset", off,
			    buf_str(why)));
	}
	if (r != NULL) {
		a = json_object_new_array();
		for (i = 0; i < r->nrua; i++)
			json_object_array_add(a, jstr(r->rua[i]));
		add(obj, "rua", a);
	}
	tlsrpt_record_free(r);
	buf_free(why);
}
