#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "report/report.h"
#include "analyze/score.h"

static json_object *
jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *
mx_host_json(const struct mx_host *h)
{
	json_object *o, *a, *e;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "host", jstr(h->name));
	json_object_object_add(o, "preference", json_object_new_int(h->pref));
	json_object_object_add(o, "group", json_object_new_int(
	    (int32_t)h->group));
	a = json_object_new_array();
	for (i = 0; i < h->naddr; i++)
		json_object_array_add(a, jstr(h->addrs[i].text));
	json_object_object_add(o, "addresses", a);
	a = json_object_new_array();
	for (i = 0; i < h->naddr; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "address", jstr(h->addrs[i].text));
		json_object_object_add(e, "family", json_object_new_int(
		    h->addrs[i].family == 2 ? 4 : 6));
		json_object_object_add(e, "ttl", json_object_new_int64(
		    h->addrs[i].ttl));
		json_object_array_add(a, e);
	}
	json_object_object_add(o, "address_records", a);
	json_object_object_add(o, "a_lookup",
	    jstr(dns_outcome_name(h->a_out)));
	json_object_object_add(o, "aaaa_lookup",
	    jstr(dns_outcome_name(h->aaaa_out)));
	json_object_object_add(o, "cname", jstr(h->canonical));
	json_object_object_add(o, "ip_literal",
	    json_object_new_boolean(h->ip_literal));
	json_object_object_add(o, "dnssec", json_object_new_boolean(h->ad));
	return o;
}

static json_object *
findings_json(const struct findings *fs, const struct score *sc)
{
	json_object *a, *o;
	const struct finding *f;
	const struct finding_def *d;
	size_t i;

	a = json_object_new_array();
	for (i = 0; i < findings_count(fs); i++) {
		f = findings_get(fs, i);
		d = finding_def(f->code);
		o = json_object_new_object();
		json_object_object_add(o, "code", jstr(d->code));
		json_object_object_add(o, "severity",
		    jstr(finding_sev_name(d->sev)));
		json_object_object_add(o, "category", jstr(d->category));
		json_object_object_add(o, "title", jstr(d->title));
		json_object_object_add(o, "message", jstr(f->message));
		json_object_object_add(o, "subject", jstr(f->subject));
		json_object_object_add(o, "remedy", jstr(d->remedy));
		json_object_object_add(o, "reference", jstr(d->ref));
		json_object_object_add(o, "points", json_object_new_int(
		    i < sc->npoints ? sc->points[i] : 0));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
score_json(const struct score *sc)
{
	json_object *o, *c, *e;
	int i;

	o = json_object_new_object();
	json_object_object_add(o, "value", sc->valid ?
	    json_object_new_int(sc->value) : NULL);
	json_object_object_add(o, "grade", jstr(sc->grade));
	json_object_object_add(o, "capped", json_object_new_boolean(
	    sc->capped));
	json_object_object_add(o, "note", jstr(sc->why));
	c = json_object_new_object();
	for (i = 0; i < SCORE_NCAT; i++) {
		e = json_object_new_object();
		json_object_object_add(e, "weight", json_object_new_int(
		    score_cat_weight((enum score_cat)i)));
		json_object_object_add(e, "lost", json_object_new_int(
		    sc->lost[i]));
		json_object_object_add(c, score_cat_name((enum score_cat)i), e);
	}
	json_object_object_add(o, "categories", c);
	return o;
}

json_object *
report_json(const struct report *r)
{
	json_object *o, *a, *h;
	const struct probe_facts *f = r->facts;
	const struct findings *fs = r->fs;
	const struct mx_set *mx = f->mx;
	int status = r->status;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "schema_version",
	    json_object_new_int(REPORT_SCHEMA_VERSION));
	json_object_object_add(o, "domain", jstr(f->domain));
	json_object_object_add(o, "status",
	    jstr(findings_status_name(status)));
	json_object_object_add(o, "exit_code", json_object_new_int(status));
	report_dane_top_json(f, o);
	if (mx != NULL) {
		json_object_object_add(o, "mx_lookup",
		    jstr(dns_outcome_name(mx->outcome)));
		json_object_object_add(o, "mx_ttl", mx->outcome == DNS_OK ?
		    json_object_new_int64(mx->ttl) : NULL);
		json_object_object_add(o, "mx_dnssec",
		    json_object_new_boolean(mx->ad));
		json_object_object_add(o, "implicit_mx",
		    json_object_new_boolean(mx->implicit));
		json_object_object_add(o, "null_mx",
		    json_object_new_boolean(mx->null_mx));
	} else {
		json_object_object_add(o, "mx_lookup", jstr("TIMEOUT"));
		json_object_object_add(o, "mx_ttl", NULL);
	}
	a = json_object_new_array();
	for (i = 0; mx != NULL && i < mx->nhost; i++)
		if (strcmp(mx->hosts[i].name, ".") != 0) {
			h = mx_host_json(&mx->hosts[i]);
			report_smtp_json(f, i, h);
			report_dane_json(f, i, h);
			json_object_array_add(a, h);
		}
	json_object_object_add(o, "mx", a);
	json_object_object_add(o, "failover", report_failover_json(f));
	report_auth_json(f->auth, f, o);
	json_object_object_add(o, "score", score_json(r->score));
	json_object_object_add(o, "findings", findings_json(fs, r->score));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(
	    (int64_t)f->ms));
	return o;
}
