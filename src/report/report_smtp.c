/*
 * report_smtp - the SMTP probe's facts in the JSON and text reports:
 * per exchanger address the outcome, timings, banner, EHLO keywords before
 * and after TLS, the TLS facts, reverse DNS; and where mail goes now and
 * under --assume-down.
 */
#include <json-c/json.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/analyze_delivery.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"
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
	json_object *o;

	if (r->code == 0)
		return NULL;
	o = json_object_new_object();
	json_add_int(o, "code", r->code);
	json_add(o, "enhanced_code", r->esc[0] ? json_str(r->esc) : NULL);
	json_add(o, "text", json_str_array(r->text, r->ntext));
	return o;
}

static json_object *
ehlo_json(const struct smtp_ehlo *e)
{
	json_object *o, *x;
	int i;

	o = json_object_new_object();
	json_add_str(o, "name", e->domain);
	x = json_object_new_object();
	for (i = 0; i < SMTP_EXT_COUNT; i++)
		json_add_bool(x, smtp_ext_name((enum smtp_ext)i), e->ext[i]);
	json_add(o, "extensions", x);
	json_add(o, "size", e->ext[SMTP_EXT_SIZE] && e->size_valid ?
	    json_object_new_int64((int64_t)e->size) : NULL);
	json_add_str(o, "auth", e->auth);
	return o;
}

static json_object *
tls_json(const struct tls_facts *t)
{
	json_object *o, *a, *c;
	size_t i;

	o = json_object_new_object();
	json_add_str(o, "version", t->version);
	json_add_str(o, "cipher", t->cipher);
	json_add_str(o, "group", t->group);
	json_add_bool(o, "verify_ok", t->verify_ok);
	json_add_str(o, "verify_error", t->verify_error_str);
	json_add_str(o, "name_checked", t->name_checked);
	json_add_bool(o, "name_ok", t->name_ok);
	json_add_str(o, "name_matched", t->name_matched);
	a = json_object_new_array();
	for (i = 0; i < t->nchain; i++) {
		c = json_object_new_object();
		json_add_escaped(c, "subject", t->chain[i].subject);
		json_add_escaped(c, "issuer", t->chain[i].issuer);
		json_add(c, "san", json_str_array(t->chain[i].san_dns,
		    t->chain[i].nsan_dns));
		json_add_str(c, "key_type", t->chain[i].key_type);
		json_add_int(c, "key_bits", t->chain[i].key_bits);
		json_add_str(c, "not_before", t->chain[i].not_before);
		json_add_str(c, "not_after", t->chain[i].not_after);
		json_add_int64(c, "days_left", t->chain[i].days_left);
		json_add_bool(c, "self_signed", t->chain[i].self_signed);
		json_object_array_add(a, c);
	}
	json_add(o, "chain", a);
	return o;
}

/* The reply that ended the dialogue, with whether it points at us. */
static json_object *
refusal_json(const struct probe_target *t)
{
	const struct smtp_reply *rep;
	enum smtp_step step;
	json_object *o;

	if ((rep = analyze_target_refusal(t, &step)) == NULL)
		return NULL;
	o = reply_json(rep);
	json_add_str(o, "step", smtp_step_name(step));
	json_add_bool(o, "temporary", rep->code / 100 == 4);
	json_add_bool(o, "about_client", analyze_refusal_about_client(rep,
	    step));
	return o;
}

/* Why a session ended as it did; null when it does not say. */
static json_object *
why_json(const struct smtp_result *r)
{
	return r->why && r->why[0] ? json_str(r->why) : NULL;
}

/* The second session, TLS 1.0/1.1 allowed, after a version failure. */
static json_object *
legacy_json(const struct smtp_result *r)
{
	json_object *o;

	o = json_object_new_object();
	json_add_enum(o, "outcome", smtp_outcome_name(r->outcome));
	json_add(o, "why", why_json(r));
	json_add(o, "version", r->tls_done ? json_str(r->tls.version) : NULL);
	json_add(o, "cipher", r->tls_done ? json_str(r->tls.cipher) : NULL);
	json_add(o, "commands_sent", json_str_array(r->sent, r->nsent));
	return o;
}

/* The recipient test (--rcpt); NULL when it did not run. */
static json_object *
rcpt_json(const struct smtp_result *r)
{
	json_object *o;

	if (!r->rcpt_tested)
		return NULL;
	o = json_object_new_object();
	json_add(o, "mail", r->mail_reply.code ? reply_json(&r->mail_reply) :
	    NULL);
	json_add(o, "postmaster", r->rcpt_reply.code ?
	    reply_json(&r->rcpt_reply) : NULL);
	json_add_str(o, "random_address", r->rcpt_any);
	json_add(o, "random", r->rcpt_any_reply.code ?
	    reply_json(&r->rcpt_any_reply) : NULL);
	json_add_str(o, "why", r->rcpt_why);
	return o;
}

static json_object *
target_json(const struct probe_target *t, const struct mx_addr *a)
{
	const struct smtp_result *r = t->smtp;
	json_object *o, *tm;

	o = json_object_new_object();
	json_add_str(o, "address", a->text);
	json_add_escaped(o, "ptr", t->ptr);
	json_add_enum(o, "ptr_lookup", dns_outcome_name(t->ptr_out));
	json_add_bool(o, "fcrdns", t->fcrdns);
	json_add_str(o, "skipped", probe_skip_name(t->skipped));
	if (r == NULL) {
		json_add_enum(o, "outcome", t->skipped ? "NOT_PROBED" :
		    "UNFINISHED");
		json_add_bool(o, "no_route", probe_skip_no_route(t->skipped));
		return o;
	}
	json_add_enum(o, "outcome", smtp_outcome_name(r->outcome));
	json_add_str(o, "outcome_text", smtp_outcome_describe(r->outcome));
	json_add_bool(o, "answers", analyze_target_answers(t));
	json_add_str(o, "step", smtp_step_name(r->step));
	json_add(o, "source_address", r->source[0] ? json_str(r->source) :
	    NULL);
	json_add_str(o, "ehlo_name", r->ehlo_name);
	json_add(o, "why", why_json(r));
	json_add_bool(o, "no_route", r->no_route);
	json_add_bool(o, "reset_after_connect", r->reset_after_connect);
	tm = json_object_new_object();
	json_add(tm, "connect_ms", ms(r->ms.connect_ms));
	json_add(tm, "banner_ms", ms(r->ms.banner_ms));
	json_add(tm, "ehlo_ms", ms(r->ms.ehlo_ms));
	json_add(tm, "tls_ms", ms(r->ms.tls_ms));
	json_add(tm, "total_ms", ms(r->ms.total_ms));
	json_add(o, "timing", tm);
	json_add(o, "banner", reply_json(&r->banner));
	json_add_str(o, "banner_host", r->banner_host);
	json_add(o, "ehlo", r->ehlo_ok ? ehlo_json(&r->ehlo) : NULL);
	json_add_bool(o, "helo_fallback", r->helo_fallback);
	json_add_bool(o, "starttls_offered", r->starttls_offered);
	json_add(o, "starttls_code", r->starttls_code ?
	    json_object_new_int(r->starttls_code) : NULL);
	json_add(o, "tls", r->tls_done ? tls_json(&r->tls) : NULL);
	json_add_enum(o, "tls_close", tls_close_name(r->tls_close));
	json_add(o, "ehlo_tls", r->ehlo_tls_ok ? ehlo_json(&r->ehlo_tls) :
	    NULL);
	json_add(o, "refusal", refusal_json(t));
	json_add(o, "rcpt", rcpt_json(r));
	json_add(o, "commands_sent", json_str_array(r->sent, r->nsent));
	json_add_bool(o, "tls_version_failed", r->tls_version_failed);
	json_add(o, "tls_legacy", r->legacy != NULL ? legacy_json(r->legacy) :
	    NULL);
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
	json_add(host, "smtp", a);
	up = analyze_host_answers(f, h);
	json_add(host, "answers", up < 0 ? NULL : json_object_new_boolean(up));
	json_add_bool(host, "assumed_down", analyze_assumed_down(f,
	    f->mx->hosts[h].name));
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
	json_add(o, "delivers_to", now < 0 ? NULL :
	    json_escaped(f->mx->hosts[now].name));
	a = json_object_new_array();
	for (i = 0; f->assume_down && f->assume_down[i]; i++)
		json_object_array_add(a, json_escaped(f->assume_down[i]));
	json_add(o, "assume_down", a);
	if (f->assume_down && f->assume_down[0]) {
		then = analyze_delivery_host(f, 1);
		json_add(o, "takes_over", then < 0 ? NULL :
		    json_escaped(f->mx->hosts[then].name));
	}
	if (analyze_dane_applies(f)) {
		now = analyze_dane_delivery_host(f);
		json_add(o, "dane_delivers_to", now < 0 ? NULL :
		    json_str(f->mx->hosts[now].name));
	}
	return o;
}

static json_object *
receivers_json(const struct delivery_facts *df, const struct delivery_path *p)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < df->nmx; i++)
		if (p->receives[i])
			json_object_array_add(a, json_str(df->mx[i].name));
	return a;
}

/*
 * Whether exchanger i receives on path p and no earlier one there has its
 * name: the failures to show, since a name listed twice fails once.
 */
static int
first_of_name(const struct delivery_facts *df, const struct delivery_path *p,
    size_t i)
{
	size_t j;

	if (!p->receives[i])
		return 0;
	for (j = 0; j < i; j++)
		if (p->receives[j] &&
		    strcmp(df->mx[j].name, df->mx[i].name) == 0)
			return 0;
	return 1;
}

json_object *
report_delivery_json(const struct probe_facts *f)
{
	struct delivery_facts df;
	struct delivery d;
	const struct delivery_class *k;
	json_object *o, *cl, *c, *af, *e, *mxa, *m;
	size_t i;
	int s;

	if (!analyze_delivery(f, &df, &d))
		return NULL;
	o = json_object_new_object();
	json_add_str(o, "verdict", delivery_verdict_name(d.verdict));
	mxa = json_object_new_array();
	for (i = 0; i < df.nmx; i++) {
		m = json_object_new_object();
		json_add_str(m, "host", df.mx[i].name);
		json_add_str(m, "state",
		    delivery_mx_state_name(df.mx[i].state));
		json_add_bool(m, "not_tested_here", df.mx[i].untested_here);
		json_object_array_add(mxa, m);
	}
	json_add(o, "exchangers", mxa);
	cl = json_object_new_array();
	for (s = 0; s < DELIVERY_NSENDER; s++) {
		k = &d.cls[s];
		if (!k->applies)
			continue;
		c = json_object_new_object();
		json_add_str(c, "sender", delivery_sender_name(s));
		json_add_str(c, "outcome",
		    delivery_outcome_name(k->now.outcome));
		json_add(c, "receivers", receivers_json(&df, &k->now));
		json_add_bool(c, "degraded", k->degraded);
		af = json_object_new_array();
		for (i = 0; i < df.nmx; i++) {
			if (!first_of_name(&df, &k->now, i))
				continue;
			e = json_object_new_object();
			json_add_str(e, "down", df.mx[i].name);
			json_add_str(e, "outcome",
			    delivery_outcome_name(k->after[i].outcome));
			json_add(e, "receivers", receivers_json(&df,
			    &k->after[i]));
			json_object_array_add(af, e);
		}
		json_add(c, "after_failure", af);
		json_object_array_add(cl, c);
	}
	json_add(o, "classes", cl);
	delivery_free(&d);
	analyze_delivery_facts_free(&df);
	return o;
}

static const char *
sender_text(enum delivery_sender s)
{
	switch (s) {
	case DELIVERY_MTASTS:
		return _("senders enforcing MTA-STS");
	case DELIVERY_DANE:
		return _("DANE-validating senders");
	default:
		return _("most senders (opportunistic TLS)");
	}
}

/* "mx1", "mx1 and mx2 (equal preference: shared at random)" */
static void
receivers_text(const struct delivery_facts *df, const struct delivery_path *p,
    struct buf *out)
{
	size_t i, k = 0;

	for (i = 0; i < df->nmx; i++)
		if (p->receives[i])
			esc_printf(out, 0, "%s%s", k++ == 0 ? "" :
			    k == p->nreceive ? _(" and ") : _(", "),
			    df->mx[i].name);
	if (p->nreceive > 1)
		esc_printf(out, 0,
		    _(" (equal preference: senders share the load "
		    "among them at random)"));
}

/* Some exchanger is unknown because this host has no route to it. */
static int
untested_here(const struct delivery_facts *df)
{
	size_t i;

	for (i = 0; i < df->nmx; i++)
		if (df->mx[i].state == DELIVERY_MX_UNKNOWN &&
		    df->mx[i].untested_here)
			return 1;
	return 0;
}

static void
outcome_text(const struct delivery_facts *df, const struct delivery_path *p,
    struct buf *out)
{
	switch (p->outcome) {
	case DELIVERY_DELIVERED:
		esc_printf(out, 0, _("delivered to "));
		receivers_text(df, p, out);
		break;
	case DELIVERY_DEFERRED:
		esc_printf(out, 0,
		    _("deferred: every exchanger that answers refuses "
		    "for now (4xx); retried for days"));
		break;
	case DELIVERY_HELD:
		esc_printf(out, 0, _("held: no exchanger meets their TLS rule; "
		    "queued, then bounced"));
		break;
	case DELIVERY_BOUNCED:
		esc_printf(out, 0, _("bounced: no exchanger takes mail"));
		break;
	case DELIVERY_UNKNOWN:
		if (untested_here(df))
			esc_printf(out, 0, _("unknown: an exchanger could not be "
			    "tested from here (this host has no route to it)"));
		else
			esc_printf(out, 0,
			    _("unknown: the probe did not finish"));
		break;
	}
}

static void
delivery_text(const struct probe_facts *f, struct buf *out)
{
	struct delivery_facts df;
	struct delivery d;
	const struct delivery_class *k;
	size_t i;
	int s;

	if (!analyze_delivery(f, &df, &d))
		return;
	esc_printf(out, 0, _("\nWho receives mail (delivery %s)\n"),
	    report_word(delivery_verdict_name(d.verdict)));
	for (s = 0; s < DELIVERY_NSENDER; s++) {
		k = &d.cls[s];
		if (!k->applies)
			continue;
		esc_printf(out, 0, "  %s: ", sender_text(s));
		outcome_text(&df, &k->now, out);
		esc_printf(out, 0, "\n");
		for (i = 0; i < df.nmx; i++) {
			if (!first_of_name(&df, &k->now, i))
				continue;
			esc_printf(out, 0,
			    _("    if %s fails: "), df.mx[i].name);
			outcome_text(&df, &k->after[i], out);
			esc_printf(out, 0, "\n");
		}
	}
	delivery_free(&d);
	analyze_delivery_facts_free(&df);
}

static void
rcpt_line(const char *what, const struct smtp_reply *rep, struct buf *out)
{
	if (rep->code)
		esc_printf(out, 0, "      %-7s %d %s\n", what, rep->code,
		    rep->ntext ? rep->text[0] : "");
}

static void
rcpt_text(const struct smtp_result *r, struct buf *out)
{
	rcpt_line("mail", &r->mail_reply, out);
	rcpt_line("rcpt", &r->rcpt_reply, out);
	rcpt_line("random", &r->rcpt_any_reply, out);
	if (r->rcpt_why)
		esc_printf(out, 0, _("      rcpt    stopped: %s\n"), r->rcpt_why);
}

void
report_smtp_text(const struct probe_facts *f, report_ulabel_fn ul,
    struct buf *out)
{
	const struct mx_set *mx = f->mx;
	const struct probe_target *t;
	const struct smtp_result *r;
	const struct mx_host *h;
	const struct smtp_reply *rep;
	enum smtp_step step = SMTP_STEP_CONNECT;
	const char *dwhy;
	char u[REPORT_ULABEL_MAX];
	long then;
	size_t i;

	if (mx == NULL || f->ntargets == 0)
		return;
	esc_printf(out, 0, _("\nExchangers\n"));
	for (i = 0; i < f->ntargets; i++) {
		t = &f->targets[i];
		h = &mx->hosts[t->host];
		r = t->smtp;
		if (ul != NULL && ul(h->name, u, sizeof(u)) != NULL)
			esc_printf(out, 0, "  %s [%s]", u,
			    h->addrs[t->addr].text);
		else
			esc_printf(out, ESC_ESCAPED, "  %s [%s]", h->name,
			    h->addrs[t->addr].text);
		if (r == NULL && probe_skip_no_route(t->skipped)) {
			esc_printf(out, 0, _("  not tested from here: this "
			    "host has no %s route\n"), h->addrs[t->addr].family
			    == AF_INET6 ? "IPv6" : "IPv4");
			continue;
		}
		if (r == NULL) {
			esc_printf(out, 0, _("  not probed: %s\n"), t->skipped ?
			    _(probe_skip_name(t->skipped)) : _("unfinished"));
			continue;
		}
		esc_printf(out, 0, "  %s", smtp_outcome_name(r->outcome));
		if (r->ms.total_ms >= 0)
			esc_printf(out, 0, _(" in %ld ms"), r->ms.total_ms);
		esc_printf(out, 0, "\n");
		if (r->source[0])
			esc_printf(out, 0, _("      from    %s, EHLO %s\n"),
			    r->source, r->ehlo_name ? r->ehlo_name : "");
		if (r->rcpt_tested)
			rcpt_text(r, out);
		if (r->banner.code)
			esc_printf(out, 0, _("      banner  %d %s\n"),
			    r->banner.code,
			    r->banner.ntext ? r->banner.text[0] : "");
		if (r->tls_done)
			esc_printf(out, 0, _("      tls     %s %s%s%s, "
			    "certificate %s, name %s\n"), r->tls.version,
			    r->tls.cipher,
			    r->tls.group ? " " : "",
			    r->tls.group ? r->tls.group : "",
			    r->tls.verify_ok ? _("valid") :
			    r->tls.verify_error_str, r->tls.name_ok ?
			    _("matches") : _("does not match"));
		if (r->why && r->why[0] && r->outcome != SMTP_OK)
			esc_printf(out, 0, _("      why     %s\n"), r->why);
		if (r->no_route)
			esc_printf(out, 0, _("      note    not tested from "
			    "here: this host has no %s route; not the server's "
			    "fault\n"),
			    h->addrs[t->addr].family == AF_INET6 ? "IPv6" :
			    "IPv4");
		if ((rep = analyze_target_refusal(t, &step)) != NULL &&
		    step != SMTP_STEP_BANNER)
			esc_printf(out, 0, _("      refusal %s %d %s\n"),
			    smtp_step_text(step), rep->code, rep->ntext ?
			    rep->text[0] : "");
		if (rep != NULL && analyze_refusal_about_client(rep, step))
			esc_printf(out, 0,
			    _("      note    the refusal points at the "
			    "client: this may be about the probing host, not "
			    "the domain\n"));
		if (r->legacy != NULL && r->legacy->tls_done)
			esc_printf(out, 0,
			    _("      tls     only with TLS 1.0/1.1 "
			    "allowed: %s %s\n"), r->legacy->tls.version,
			    r->legacy->tls.cipher);
		else if (r->legacy != NULL)
			esc_printf(out, 0,
			    _("      tls     with TLS 1.0/1.1 allowed "
			    "too: %s\n"),
			    smtp_outcome_name(r->legacy->outcome));
		if (analyze_dane_target(f, t, &dwhy) != DANE_SENDERS_NA)
			esc_printf(out, 0,
			    _("      dane    DANE senders: %s (%s)\n"),
			    analyze_dane_senders_name(analyze_dane_target(f,
			    t, NULL)), _(dwhy));
		if (t->ptr)
			esc_printf(out, ESC_ESCAPED, "      ptr     %s%s\n",
			    t->ptr,
			    t->fcrdns ? _(" (confirmed)") :
			    _(" (does not resolve back)"));
	}
	if (!f->smtp_probed)
		return;
	delivery_text(f, out);
	if (f->assume_down && f->assume_down[0]) {
		esc_printf(out, 0, _("\nRehearsal (--assume-down)\n"));
		then = analyze_delivery_host(f, 1);
		if (then < 0)
			esc_printf(out, 0, _("  with the assumed outage, no "
			    "exchanger would take over\n"));
		else
			esc_printf(out, ESC_ESCAPED, _("  with the assumed "
			    "outage, %s takes over and answers\n"),
			    mx->hosts[then].name);
	}
}
