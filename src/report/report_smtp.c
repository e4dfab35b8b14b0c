/*
 * report_smtp - the SMTP probe's facts in the JSON and text reports:
 * per exchanger address the outcome, timings, banner, EHLO keywords before
 * and after TLS, the TLS facts, reverse DNS; and where mail goes now and
 * under --assume-down.
 */
#include <json-c/json.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "facts/probe_facts.h"
#include "facts/mx_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "facts/smtp_facts.h"

static json_object *
ms(long v)
{
	return v < 0 ? NULL : json_object_new_int64(v);
}

static json_object *
reply_json(const struct smtp_reply *r)
{
	json_object *o, *a;
	size_t i;

	if (r->code == 0)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "code", json_object_new_int(r->code));
	json_object_object_add(o, "enhanced_code", r->esc[0] ?
	    json_str(r->esc) : NULL);
	a = json_object_new_array();
	for (i = 0; i < r->ntext; i++)
		json_object_array_add(a, json_str(r->text[i]));
	json_object_object_add(o, "text", a);
	return o;
}

static json_object *
ehlo_json(const struct smtp_ehlo *e)
{
	json_object *o, *x;
	int i;

	o = json_object_new_object();
	json_object_object_add(o, "name", json_str(e->domain));
	x = json_object_new_object();
	for (i = 0; i < SMTP_EXT_COUNT; i++)
		json_object_object_add(x, smtp_ext_name((enum smtp_ext)i),
		    json_object_new_boolean(e->ext[i]));
	json_object_object_add(o, "extensions", x);
	json_object_object_add(o, "size", e->ext[SMTP_EXT_SIZE] &&
	    e->size_valid ? json_object_new_int64((int64_t)e->size) : NULL);
	json_object_object_add(o, "auth", json_str(e->auth));
	return o;
}

static json_object *
tls_json(const struct tls_facts *t)
{
	json_object *o, *a, *c, *s;
	size_t i, k;

	o = json_object_new_object();
	json_object_object_add(o, "version", json_str(t->version));
	json_object_object_add(o, "cipher", json_str(t->cipher));
	json_object_object_add(o, "group", json_str(t->group));
	json_object_object_add(o, "verify_ok",
	    json_object_new_boolean(t->verify_ok));
	json_object_object_add(o, "verify_error",
	    json_str(t->verify_error_str));
	json_object_object_add(o, "name_checked", json_str(t->name_checked));
	json_object_object_add(o, "name_ok",
	    json_object_new_boolean(t->name_ok));
	json_object_object_add(o, "name_matched", json_str(t->name_matched));
	a = json_object_new_array();
	for (i = 0; i < t->nchain; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "subject",
		    json_str(t->chain[i].subject));
		json_object_object_add(c, "issuer",
		    json_str(t->chain[i].issuer));
		s = json_object_new_array();
		for (k = 0; k < t->chain[i].nsan_dns; k++)
			json_object_array_add(s,
			    json_str(t->chain[i].san_dns[k]));
		json_object_object_add(c, "san", s);
		json_object_object_add(c, "key_type",
		    json_str(t->chain[i].key_type));
		json_object_object_add(c, "key_bits",
		    json_object_new_int(t->chain[i].key_bits));
		json_object_object_add(c, "not_before",
		    json_str(t->chain[i].not_before));
		json_object_object_add(c, "not_after",
		    json_str(t->chain[i].not_after));
		json_object_object_add(c, "days_left",
		    json_object_new_int64(t->chain[i].days_left));
		json_object_object_add(c, "self_signed",
		    json_object_new_boolean(t->chain[i].self_signed));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "chain", a);
	return o;
}

/* The second session, TLS 1.0/1.1 allowed, after a version failure. */
static json_object *
legacy_json(const struct smtp_result *r)
{
	json_object *o, *cmds;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "outcome",
	    json_str(smtp_outcome_name(r->outcome)));
	json_object_object_add(o, "why", r->why && r->why[0] ?
	    json_str(r->why) : NULL);
	json_object_object_add(o, "version", r->tls_done ?
	    json_str(r->tls.version) : NULL);
	json_object_object_add(o, "cipher", r->tls_done ?
	    json_str(r->tls.cipher) : NULL);
	cmds = json_object_new_array();
	for (i = 0; i < r->nsent; i++)
		json_object_array_add(cmds, json_str(r->sent[i]));
	json_object_object_add(o, "commands_sent", cmds);
	return o;
}

static json_object *
target_json(const struct probe_target *t, const struct mx_addr *a)
{
	const struct smtp_result *r = t->smtp;
	json_object *o, *tm, *cmds;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "address", json_str(a->text));
	json_object_object_add(o, "ptr", json_str(t->ptr));
	json_object_object_add(o, "ptr_lookup",
	    json_str(dns_outcome_name(t->ptr_out)));
	json_object_object_add(o, "fcrdns", json_object_new_boolean(
	    t->fcrdns));
	json_object_object_add(o, "skipped", json_str(t->skipped));
	if (r == NULL) {
		json_object_object_add(o, "outcome", json_str(t->skipped ?
		    "NOT_PROBED" : "UNFINISHED"));
		return o;
	}
	json_object_object_add(o, "outcome",
	    json_str(smtp_outcome_name(r->outcome)));
	json_object_object_add(o, "outcome_text",
	    json_str(smtp_outcome_describe(r->outcome)));
	json_object_object_add(o, "answers", json_object_new_boolean(
	    analyze_target_answers(t)));
	json_object_object_add(o, "step", json_str(smtp_step_name(r->step)));
	json_object_object_add(o, "why", r->why && r->why[0] ?
	    json_str(r->why) : NULL);
	json_object_object_add(o, "reset_after_connect",
	    json_object_new_boolean(r->reset_after_connect));
	tm = json_object_new_object();
	json_object_object_add(tm, "connect_ms", ms(r->ms.connect_ms));
	json_object_object_add(tm, "banner_ms", ms(r->ms.banner_ms));
	json_object_object_add(tm, "ehlo_ms", ms(r->ms.ehlo_ms));
	json_object_object_add(tm, "tls_ms", ms(r->ms.tls_ms));
	json_object_object_add(tm, "total_ms", ms(r->ms.total_ms));
	json_object_object_add(o, "timing", tm);
	json_object_object_add(o, "banner", reply_json(&r->banner));
	json_object_object_add(o, "banner_host", json_str(r->banner_host));
	json_object_object_add(o, "ehlo", r->ehlo_ok ? ehlo_json(&r->ehlo) :
	    NULL);
	json_object_object_add(o, "helo_fallback",
	    json_object_new_boolean(r->helo_fallback));
	json_object_object_add(o, "starttls_offered",
	    json_object_new_boolean(r->starttls_offered));
	json_object_object_add(o, "starttls_code", r->starttls_code ?
	    json_object_new_int(r->starttls_code) : NULL);
	json_object_object_add(o, "tls", r->tls_done ? tls_json(&r->tls) :
	    NULL);
	json_object_object_add(o, "ehlo_tls", r->ehlo_tls_ok ?
	    ehlo_json(&r->ehlo_tls) : NULL);
	cmds = json_object_new_array();
	for (i = 0; i < r->nsent; i++)
		json_object_array_add(cmds, json_str(r->sent[i]));
	json_object_object_add(o, "commands_sent", cmds);
	json_object_object_add(o, "tls_version_failed",
	    json_object_new_boolean(r->tls_version_failed));
	json_object_object_add(o, "tls_legacy", r->legacy != NULL ?
	    legacy_json(r->legacy) : NULL);
	return o;
}

void
report_smtp_json(const struct probe_facts *f, size_t h, json_object *host)
{
	json_object *a;
	size_t i;
	int up;

	if (!f->smtp_probed && f->ntargets == 0)
		return;
	a = json_object_new_array();
	for (i = 0; i < f->ntargets; i++)
		if (f->targets[i].host == h)
			json_object_array_add(a, target_json(&f->targets[i],
			    &f->mx->hosts[h].addrs[f->targets[i].addr]));
	json_object_object_add(host, "smtp", a);
	up = analyze_host_answers(f, h);
	json_object_object_add(host, "answers", up < 0 ? NULL :
	    json_object_new_boolean(up));
	json_object_object_add(host, "assumed_down", json_object_new_boolean(
	    analyze_assumed_down(f, f->mx->hosts[h].name)));
}

json_object *
report_failover_json(const struct probe_facts *f)
{
	json_object *o, *a;
	long now, then;
	size_t i;

	if (f->mx == NULL || !f->smtp_probed)
		return NULL;
	o = json_object_new_object();
	now = analyze_delivery_host(f, 0);
	json_object_object_add(o, "delivers_to", now < 0 ? NULL :
	    json_str(f->mx->hosts[now].name));
	a = json_object_new_array();
	for (i = 0; f->assume_down && f->assume_down[i]; i++)
		json_object_array_add(a, json_str(f->assume_down[i]));
	json_object_object_add(o, "assume_down", a);
	if (f->assume_down && f->assume_down[0]) {
		then = analyze_delivery_host(f, 1);
		json_object_object_add(o, "takes_over", then < 0 ? NULL :
		    json_str(f->mx->hosts[then].name));
	}
	if (analyze_dane_applies(f)) {
		now = analyze_dane_delivery_host(f);
		json_object_object_add(o, "dane_delivers_to", now < 0 ? NULL :
		    json_str(f->mx->hosts[now].name));
	}
	return o;
}

void
report_smtp_text(const struct probe_facts *f, struct buf *out)
{
	const struct mx_set *mx = f->mx;
	const struct probe_target *t;
	const struct smtp_result *r;
	const struct mx_host *h;
	const char *dwhy;
	long now, then, dane;
	size_t i;

	if (mx == NULL || f->ntargets == 0)
		return;
	buf_printf(out, "\nExchangers\n");
	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		h = &mx->hosts[t->host];
		r = t->smtp;
		buf_printf(out, "  %s [%s]", h->name,
		    h->addrs[t->addr].text);
		if (r == NULL) {
			buf_printf(out, "  not probed: %s\n", t->skipped ?
			    t->skipped : "unfinished");
			continue;
		}
		buf_printf(out, "  %s", smtp_outcome_name(r->outcome));
		if (r->ms.total_ms >= 0)
			buf_printf(out, " in %ld ms", r->ms.total_ms);
		buf_printf(out, "\n");
		if (r->banner.code)
			buf_printf(out, "      banner  %d %s\n", r->banner.code,
			    r->banner.ntext ? r->banner.text[0] : "");
		if (r->tls_done)
			buf_printf(out, "      tls     %s %s%s%s, certificate "
			    "%s, name %s\n", r->tls.version, r->tls.cipher,
			    r->tls.group ? " " : "",
			    r->tls.group ? r->tls.group : "",
			    r->tls.verify_ok ? "valid" :
			    r->tls.verify_error_str, r->tls.name_ok ?
			    "matches" : "does not match");
		if (r->why && r->why[0] && r->outcome != SMTP_OK)
			buf_printf(out, "      why     %s\n", r->why);
		if (r->legacy != NULL && r->legacy->tls_done)
			buf_printf(out, "      tls     only with TLS 1.0/1.1 "
			    "allowed: %s %s\n", r->legacy->tls.version,
			    r->legacy->tls.cipher);
		else if (r->legacy != NULL)
			buf_printf(out, "      tls     with TLS 1.0/1.1 allowed "
			    "too: %s\n", smtp_outcome_name(r->legacy->outcome));
		if (analyze_dane_target(f, t, &dwhy) != DANE_SENDERS_NA)
			buf_printf(out, "      dane    DANE senders: %s (%s)\n",
			    analyze_dane_senders_name(analyze_dane_target(f,
			    t, NULL)), dwhy);
		if (t->ptr)
			buf_printf(out, "      ptr     %s%s\n", t->ptr,
			    t->fcrdns ? " (confirmed)" : " (does not "
			    "resolve back)");
	}
	if (!f->smtp_probed)
		return;
	now = analyze_delivery_host(f, 0);
	buf_printf(out, "\nFallback\n");
	if (now < 0)
		buf_printf(out, "  no exchanger answers: senders queue the "
		    "mail and retry\n");
	else
		buf_printf(out, "  senders deliver to %s now (the first that "
		    "answers, in preference order)\n", mx->hosts[now].name);
	if (analyze_dane_applies(f)) {
		dane = analyze_dane_delivery_host(f);
		if (dane < 0)
			buf_printf(out, "  DANE-validating senders defer all "
			    "mail: no exchanger that answers satisfies "
			    "DANE\n");
		else if (dane != now)
			buf_printf(out, "  DANE-validating senders deliver to "
			    "%s (the ones before it fail DANE)\n",
			    mx->hosts[dane].name);
		else
			buf_printf(out, "  DANE-validating senders deliver "
			    "there too\n");
	}
	if (f->assume_down && f->assume_down[0]) {
		then = analyze_delivery_host(f, 1);
		if (then < 0)
			buf_printf(out, "  with the assumed outage, no "
			    "exchanger would take over\n");
		else
			buf_printf(out, "  with the assumed outage, %s takes "
			    "over and answers\n", mx->hosts[then].name);
	}
}
