#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "facts.h"
#include "findings.h"
#include "mx.h"
#include "report.h"

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
findings_json(const struct findings *fs)
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
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
report_json(const struct probe_facts *f, const struct findings *fs,
    int status)
{
	json_object *o, *a;
	const struct mx_set *mx = f->mx;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "schema_version",
	    json_object_new_int(REPORT_SCHEMA_VERSION));
	json_object_object_add(o, "domain", jstr(f->domain));
	json_object_object_add(o, "status",
	    jstr(findings_status_name(status)));
	json_object_object_add(o, "exit_code", json_object_new_int(status));
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
		if (strcmp(mx->hosts[i].name, ".") != 0)
			json_object_array_add(a, mx_host_json(&mx->hosts[i]));
	json_object_object_add(o, "mx", a);
	json_object_object_add(o, "findings", findings_json(fs));
	json_object_object_add(o, "elapsed_ms", json_object_new_int64(
	    (int64_t)f->ms));
	return o;
}
