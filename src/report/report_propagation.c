/*
 * report_propagation - the --propagation facts as JSON and as text (see
 * propagation.h). Renders; the judging is propagation_analyze.c.
 */
#include <json-c/json.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"
#include "util/width.h"
#include "analyze/analyze.h"
#include "report/report.h"
#include "facts/dns_facts.h"
#include "facts/propagation_facts.h"
#include "report/json.h"

static const char *
role_name(enum propagation_role r)
{
	/* English in JSON; the text report writes _() of it. */
	return r == PROPAGATION_AUTHORITATIVE ? N_("authoritative") :
	    N_("resolver");
}

/* "smtp" of a server in JSON: lowercase, hyphens. */
static const char *
smtp_state_name(enum propagation_smtp st)
{
	switch (st) {
	case PROPAGATION_SMTP_PROBED_SET:
		return "probed-set";
	case PROPAGATION_SMTP_ANSWERS:
		return "answers";
	case PROPAGATION_SMTP_DOWN:
		return "down";
	case PROPAGATION_SMTP_UNKNOWN:
		break;
	}
	return "unknown";
}

static json_object *
agrees_json(int a)
{
	return a == -1 ? NULL : json_object_new_boolean(a);
}

void
propagation_json(const struct propagation_facts *f, const char **expect,
    const char **old, json_object *parent)
{
	const struct propagation_server *s;
	json_object *o, *a, *e, *m, *x;
	size_t i, j;

	if (f == NULL)
		return;
	o = json_object_new_object();
	json_add_str(o, "domain", f->domain);
	json_add_escaped(o, "zone", f->zone);
	json_add_enum(o, "ns_lookup", dns_outcome_name(f->ns_outcome));
	json_add(o, "ns", json_escaped_array(f->ns, f->nns));
	json_add_int64(o, "left_out", (int64_t)f->ns_cut);
	json_add_bool(o, "converged", propagation_converged(f, expect, old));
	json_add_bool(o, "timed_out", f->timed_out);
	json_add_int64(o, "rounds", f->rounds);
	json_add_int64(o, "waited_ms", (int64_t)f->waited_ms);
	a = json_object_new_array();
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		e = json_object_new_object();
		json_add_str(e, "role", role_name(s->role));
		json_add_escaped(e, "name", s->name);
		json_add_str(e, "address", s->address);
		json_add_enum(e, "outcome", dns_outcome_name(s->outcome));
		json_add_bool(e, "aa", s->aa);
		json_add_bool(e, "referral", s->referral);
		m = json_object_new_array();
		for (j = 0; j < s->nmx; j++) {
			x = json_object_new_object();
			json_add_int(x, "preference", s->mx[j].pref);
			json_add_escaped(x, "host", s->mx[j].host);
			if (s->mx[j].over_limit)
				json_add_bool(x, "over_limit", 1);
			json_object_array_add(m, x);
		}
		json_add(e, "mx", m);
		json_add(e, "ttl", s->ttl_known ?
		    json_object_new_int64(s->ttl) : NULL);
		json_add(e, "serial", s->serial_known ?
		    json_object_new_int64(s->serial) : NULL);
		json_add(e, "agrees", agrees_json(propagation_server_agrees(f,
		    i, expect, old)));
		json_add_str(e, "why", s->why);
		json_add_str(e, "smtp", smtp_state_name(s->smtp));
		json_object_array_add(a, e);
	}
	json_add(o, "servers", a);
	json_add(parent, "propagation", o);
}

void
propagation_text(const struct propagation_facts *f, const char **expect,
    const char **old, struct buf *out)
{
	const struct propagation_server *s;
	struct buf *set;
	size_t i, j, nover;
	int ag;

	if (f == NULL)
		return;
	set = buf_new(REPORT_BUF_MAX);
	esc_printf(out, 0, _("\nPropagation\n"));
	if (f->ns_outcome != DNS_OK)
		esc_printf(out, 0, _("  NS lookup: %s%s%s%s\n"),
		    dns_outcome_name(f->ns_outcome), f->ns_why ? " (" : "",
		    f->ns_why ? f->ns_why : "", f->ns_why ? ")" : "");
	else {
		esc_printf(out, ESC_ESCAPED, _("  zone %s, name servers:"),
		    f->zone);
		for (i = 0; i < f->nns; i++)
			esc_printf(out, ESC_ESCAPED, " %s", f->ns[i]);
		if (f->ns_cut)
			esc_printf(out, 0,
			    _(" (%zu more left out)"), f->ns_cut);
		esc_printf(out, 0, "\n");
	}
	for (i = 0; i < f->nservers; i++) {
		s = &f->servers[i];
		esc_printf(out, 0, "  ");
		width_pad(out, _(role_name(s->role)), 13);
		esc_printf(out, ESC_ESCAPED, " %s", s->name);
		if (s->role == PROPAGATION_AUTHORITATIVE)
			esc_printf(out, 0, " (%s)", s->address ? s->address :
			    _("no address"));
		esc_printf(out, 0, ": ");
		/* A server with no address was never asked: its outcome is
		 * that of the address lookup. */
		if (s->address != NULL && propagation_facts_answered(s)) {
			/* The set names exchangers as the server sent them
			 * (DNS names, \DDD escapes kept). */
			buf_reset(set);
			propagation_set_text(s, set);
			esc_printf(out, ESC_ESCAPED, "%s", buf_str(set));
			if (s->ttl_known)
				esc_printf(out, 0, _(", TTL %u s"), s->ttl);
			if (s->serial_known)
				esc_printf(out, 0,
				    _(", SOA serial %u"), s->serial);
			if (s->role == PROPAGATION_AUTHORITATIVE && !s->aa)
				esc_printf(out, 0, _(", not authoritative"));
			if (s->referral)
				esc_printf(out, 0,
				    _(", referral (no recursion)"));
			if (s->smtp == PROPAGATION_SMTP_ANSWERS)
				esc_printf(out, 0, _(", port 25 answers"));
			else if (s->smtp == PROPAGATION_SMTP_DOWN)
				esc_printf(out, 0,
				    _(", no exchanger answers on port 25"));
			for (j = 0, nover = 0; j < s->nmx; j++)
				nover += s->mx[j].over_limit != 0;
			if (nover > 0)
				esc_printf(out, 0, ngettext(", %zu exchanger "
				    "not probed (limit)", ", %zu exchangers "
				    "not probed (limit)", nover), nover);
		} else
			esc_printf(out, 0, "%s%s%s%s",
			    dns_outcome_name(s->outcome), s->why ? " (" : "",
			    s->why ? s->why : "", s->why ? ")" : "");
		ag = propagation_server_agrees(f, i, expect, old);
		esc_printf(out, 0, "%s\n", ag == 1 ? _("  [agrees]") :
		    ag == 0 ? _("  [differs]") : "");
	}
	if (f->rounds > 1 || f->timed_out || f->waited_ms > 0)
		esc_printf(out, 0, ngettext("  %s after %u check in %llu s\n",
		    "  %s after %u checks in %llu s\n", f->rounds),
		    propagation_converged(f, expect, old) ? _("everywhere") :
		    _("not yet everywhere"), f->rounds,
		    (unsigned long long)(f->waited_ms + 500) / 1000);
	buf_free(set);
}
