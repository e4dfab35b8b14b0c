/*
 * report_dane - DNSSEC and DANE facts in the JSON and text reports (RFC
 * 7672, RFC 6698): the MX answer's AD bit, each exchanger's TLSA answer
 * and records, and each address's DANE check of its TLS handshake.
 *
 * JSON (fields added, never renamed):
 *	top level	"dnssec": bool (the MX answer was authenticated)
 *	mx[i].tlsa	{name, lookup, dnssec, records: [{usage, selector,
 *			mtype, data (hex)}]}, null when not asked
 *	mx[i].smtp[k].tls.dane  {checked, ok, dnssec, matched: {usage,
 *			selector, mtype, depth} or null, why, usable,
 *			skipped, unusable}
 *	mx[i].dane_senders, mx[i].smtp[k].dane_senders  what DANE-
 *			validating senders do there: "n/a" (no authenticated
 *			TLSA), "deliver", "defer", "unknown" (no answer);
 *			mx[i].smtp[k].dane_senders_why the reason
 *	failover.dane_delivers_to  (report_smtp.c) the exchanger they
 *			deliver to, null: none; absent when DANE applies to
 *			no exchanger
 *
 * report_dane_json() must run after report_smtp_json() for the same
 * host: it adds "dane" to the "tls" objects that one made, in the same
 * target order.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "facts/mx_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "facts/smtp_facts.h"
#include "facts/tls_facts.h"
#include "util/xalloc.h"

#define HEX_TEXT_MAX	64	/* hex digits shown per record in text */

/*
 * A TLSA record's parameters, {usage, selector, mtype}: of a record the
 * exchanger publishes, or of the one its chain matched.
 */
static json_object *
tlsa_params_json(int usage, int selector, int mtype)
{
	json_object *o;

	o = json_object_new_object();
	json_add_int(o, "usage", usage);
	json_add_int(o, "selector", selector);
	json_add_int(o, "mtype", mtype);
	return o;
}

static json_object *
tlsa_json(const struct probe_tlsa *t)
{
	json_object *o, *a, *r;
	size_t i;
	char *h;

	o = json_object_new_object();
	json_add_escaped(o, "name", t->qname);
	json_add_enum(o, "lookup", dns_outcome_name(t->out));
	json_add_bool(o, "dnssec", t->ad);
	a = json_object_new_array();
	for (i = 0; i < t->nrr; i++) {
		r = tlsa_params_json(t->rr[i].u.tlsa.usage,
		    t->rr[i].u.tlsa.selector, t->rr[i].u.tlsa.mtype);
		h = json_hex(t->rr[i].u.tlsa.data, t->rr[i].u.tlsa.len);
		json_add_str(r, "data", h);
		free(h);
		json_object_array_add(a, r);
	}
	json_add(o, "records", a);
	return o;
}

static json_object *
dane_json(const struct tls_facts *tf)
{
	json_object *o, *m;

	o = json_object_new_object();
	json_add_bool(o, "checked", tf->dane_checked);
	json_add_bool(o, "ok", tf->dane_ok);
	json_add_bool(o, "dnssec", tf->dane_secure);
	m = NULL;
	if (tf->dane_ok) {
		m = tlsa_params_json(tf->dane_usage, tf->dane_selector,
		    tf->dane_mtype);
		json_add_int(m, "depth", tf->dane_depth);
	}
	json_add(o, "matched", m);
	json_add_str(o, "why", tf->dane_why);
	json_add_int(o, "usable", tf->dane_usable);
	json_add_int(o, "skipped", tf->dane_skipped);
	json_add_int(o, "unusable", tf->dane_unusable);
	return o;
}

void
report_dane_top_json(const struct probe_facts *f, json_object *top)
{
	json_add_bool(top, "dnssec", f->mx != NULL && f->mx->ad);
}

void
report_dane_json(const struct probe_facts *f, size_t h, json_object *host)
{
	const struct probe_target *t;
	json_object *smtp, *e, *tls;
	enum dane_senders v;
	const char *why;
	size_t i, k = 0;

	json_add(host, "tlsa", h < f->ntlsa && f->tlsa[h].asked ?
	    tlsa_json(&f->tlsa[h]) : NULL);
	json_add_enum(host, "dane_senders",
	    analyze_dane_senders_name(analyze_dane_host(f, h)));
	if (!json_object_object_get_ex(host, "smtp", &smtp) ||
	    !json_object_is_type(smtp, json_type_array))
		return;
	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		if (t->host != h)
			continue;
		e = json_object_array_get_idx(smtp, k++);
		if (e != NULL) {
			v = analyze_dane_target(f, t, &why);
			json_add_enum(e, "dane_senders",
			    analyze_dane_senders_name(v));
			json_add_str(e, "dane_senders_why", why);
		}
		if (e == NULL || t->smtp == NULL || !t->smtp->tls_done ||
		    !json_object_object_get_ex(e, "tls", &tls) ||
		    !json_object_is_type(tls, json_type_object))
			continue;
		json_add(tls, "dane", dane_json(&t->smtp->tls));
	}
}

void
report_dane_text(const struct probe_facts *f, struct buf *out)
{
	const struct mx_set *mx = f->mx;
	const struct probe_tlsa *t;
	const struct probe_target *tg;
	const struct tls_facts *tf;
	size_t h, i, n;
	char *x;

	if (mx == NULL || (mx->outcome != DNS_OK &&
	    mx->outcome != DNS_NODATA))
		return;
	esc_printf(out, 0, _("\nDNSSEC and DANE\n"));
	esc_printf(out, 0, _("  %s answer %s\n"), mx->implicit ?
	    _("address") : "MX", mx->ad ? _("authenticated (DNSSEC)") :
	    _("not authenticated"));
	for (h = 0; h < mx->nhost && h < f->ntlsa; h++) {
		t = &f->tlsa[h];
		if (!t->asked)
			continue;
		esc_printf(out, ESC_ESCAPED, "  %s  TLSA %s%s",
		    mx->hosts[h].name,
		    dns_outcome_name(t->out), t->ad ?
		    _(", authenticated") : "");
		if (t->nrr > 0)
			esc_printf(out, 0, ngettext(", %zu record",
			    ", %zu records", t->nrr), t->nrr);
		esc_printf(out, 0, "\n");
		for (i = 0; i < t->nrr; i++) {
			n = t->rr[i].u.tlsa.len;
			x = json_hex(t->rr[i].u.tlsa.data, n);
			if (strlen(x) > HEX_TEXT_MAX)
				strcpy(x + HEX_TEXT_MAX - 3, "...");
			esc_printf(out, 0, "      %u %u %u %s  (%s)\n",
			    t->rr[i].u.tlsa.usage, t->rr[i].u.tlsa.selector,
			    t->rr[i].u.tlsa.mtype, x,
			    tls_dane_usage_name(t->rr[i].u.tlsa.usage));
			free(x);
		}
		for (i = 0; i < f->ntargets; i++) {
			tg = &f->targets[i];
			if (tg->host != h || tg->smtp == NULL ||
			    !tg->smtp->tls_done)
				continue;
			tf = &tg->smtp->tls;
			esc_printf(out, 0, "      [%s] ",
			    mx->hosts[h].addrs[tg->addr].text);
			if (tf->dane_ok)
				esc_printf(out, 0, _("DANE match: %s %d %d at "
				    "depth %d\n"),
				    tls_dane_usage_name(tf->dane_usage),
				    tf->dane_selector, tf->dane_mtype,
				    tf->dane_depth);
			else if (tf->dane_checked)
				esc_printf(out, 0, _("DANE mismatch: %s\n"),
				    tf->dane_why ? tf->dane_why : "?");
			else if (tf->dane_why != NULL)
				esc_printf(out, 0, _("DANE not checked: %s\n"),
				    tf->dane_why);
			else
				esc_printf(out, 0, _("DANE not checked: no "
				    "records\n"));
		}
	}
}
