/*
 * report_vantage - where the probe stood, up front in the text report and
 * as "vantage" in JSON: for each address family whether this host has a
 * route to the internet (net/vantage.h), the address connections leave
 * from, and the EHLO name sent. Without a route, the exchangers'
 * addresses of that family are not tested from here (doc/verdicts.md).
 */
#include <sys/socket.h>

#include <json-c/json.h>
#include <string.h>

#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "facts/vantage_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "util/addr.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

static json_object *
family_json(const struct vantage_family *v)
{
	json_object *o = json_object_new_object();

	json_add_enum(o, "route", vantage_route_name(v->route));
	json_add(o, "source_address", v->source[0] ? json_str(v->source) :
	    NULL);
	json_add(o, "why", v->route == VANTAGE_NO_ROUTE && v->sys_errno != 0 ?
	    json_str(strerror(v->sys_errno)) : NULL);
	return o;
}

json_object *
report_vantage_json(const struct probe_facts *f)
{
	json_object *o = json_object_new_object();

	json_add(o, "ipv4", family_json(&f->vantage.v4));
	json_add(o, "ipv6", family_json(&f->vantage.v6));
	return o;
}

/* Some loopback address of the family was probed all the same. */
static int
loopback_probed(const struct probe_facts *f, int family)
{
	const struct mx_addr *a;
	size_t i;

	for (i = 0; f->mx != NULL && i < f->ntargets; i++) {
		a = &f->mx->hosts[f->targets[i].host].addrs[f->targets[i].addr];
		if (a->family == family && f->targets[i].smtp != NULL &&
		    addr_classify(a->family, a->addr) == ADDR_LOOPBACK)
			return 1;
	}
	return 0;
}

static void
family_text(const struct probe_facts *f, int family,
    const struct vantage_family *v, struct buf *out)
{
	const char *name = family == AF_INET6 ? "IPv6" : "IPv4";
	const char *records = family == AF_INET6 ? "AAAA" : "A";

	switch (v->route) {
	case VANTAGE_ROUTE:
		if (v->source[0])
			esc_printf(out, 0, _("  %s    route to the internet, "
			    "from %s\n"), name, v->source);
		else
			esc_printf(out, 0, _("  %s    route to the internet\n"),
			    name);
		break;
	case VANTAGE_NO_ROUTE:
		if (loopback_probed(f, family))
			esc_printf(out, 0, _("  %s    no route (%s): %s "
			    "addresses outside loopback are not tested from "
			    "here, and say nothing about the servers\n"), name,
			    strerror(v->sys_errno), records);
		else
			esc_printf(out, 0, _("  %s    no route (%s): %s "
			    "addresses are not tested from here, and say "
			    "nothing about the servers\n"), name,
			    strerror(v->sys_errno), records);
		break;
	default:
		esc_printf(out, 0, _("  %s    not checked: no connection was "
		    "due\n"), name);
		break;
	}
}

void
report_vantage_text(const struct probe_facts *f, struct buf *out)
{
	const struct smtp_result *r;
	size_t i;

	esc_printf(out, 0, _("\nVantage (this host)\n"));
	family_text(f, AF_INET, &f->vantage.v4, out);
	family_text(f, AF_INET6, &f->vantage.v6, out);
	/* The EHLO name is the probe's, the same in every session. */
	for (i = 0; i < f->ntargets; i++) {
		r = f->targets[i].smtp;
		if (r != NULL && r->ehlo_name != NULL && r->source[0]) {
			esc_printf(out, 0, _("  EHLO    %s\n"), r->ehlo_name);
			break;
		}
	}
}
