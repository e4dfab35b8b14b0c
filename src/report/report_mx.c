/* report_mx - the MX answer and its exchangers, text and JSON (report.h) */
#include <string.h>

#include <json-c/json.h>

#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

void
report_mx_text(const struct mx_set *mx, report_ulabel_fn ul,
    struct buf *out)
{
	const struct mx_host *h;
	char u[REPORT_ULABEL_MAX];
	size_t i, j;

	esc_printf(out, 0, _("\nMX\n"));
	if (mx == NULL) {
		esc_printf(out, 0, _("  MX lookup did not finish in time\n"));
		return;
	}
	if (mx->outcome != DNS_OK && mx->outcome != DNS_NODATA) {
		esc_printf(out, 0, _("  MX lookup: %s\n"),
		    dns_outcome_name(mx->outcome));
		return;
	}
	if (mx->implicit)
		esc_printf(out, 0, _("  no MX record: senders use the "
		    "domain's own address (implicit MX)\n"));
	else
		esc_printf(out, 0, _("  TTL %u s%s\n"), mx->ttl,
		    mx->ad ? _(", DNSSEC-authenticated") : "");
	for (i = 0; i < mx->nhost; i++) {
		h = &mx->hosts[i];
		if (strcmp(h->name, ".") == 0) {
			esc_printf(out, 0, _("  %5u .  (null MX)\n"), h->pref);
			continue;
		}
		if (ul != NULL && ul(h->name, u, sizeof(u)) != NULL)
			esc_printf(out, 0, "  %5u %s", h->pref, u);
		else
			esc_printf(out, ESC_ESCAPED, "  %5u %s", h->pref,
			    h->name);
		if (h->canonical)
			esc_printf(out, ESC_ESCAPED, "  (CNAME -> %s)",
			    h->canonical);
		esc_printf(out, 0, "\n");
		for (j = 0; j < h->naddr; j++)
			esc_printf(out, 0, "          %s\n", h->addrs[j].text);
		if (h->naddr_over > 0)
			esc_printf(out, 0, ngettext(
			    "          (%zu more address not probed)\n",
			    "          (%zu more addresses not probed)\n",
			    h->naddr_over), h->naddr_over);
		if (h->over_limit)
			esc_printf(out, 0, _("          not resolved (past the "
			    "exchangers probed)\n"));
		else if (h->naddr == 0 && !h->ip_literal)
			esc_printf(out, 0, _("          no address (A %s, AAAA "
			    "%s)\n"), dns_outcome_name(h->a_out),
			    dns_outcome_name(h->aaaa_out));
	}
}

json_object *
report_mx_host_json(const struct mx_host *h)
{
	json_object *o, *a, *e;
	size_t i;

	o = json_object_new_object();
	json_add_escaped(o, "host", h->name);
	json_add_int(o, "preference", h->pref);
	json_add_int(o, "group", (int32_t)h->group);
	if (h->over_limit)
		json_add_bool(o, "over_limit", 1);
	if (h->naddr_over > 0)
		json_add_int64(o, "addresses_over_limit",
		    (int64_t)h->naddr_over);
	a = json_object_new_array();
	for (i = 0; i < h->naddr; i++)
		json_object_array_add(a, json_str(h->addrs[i].text));
	json_add(o, "addresses", a);
	a = json_object_new_array();
	for (i = 0; i < h->naddr; i++) {
		e = json_object_new_object();
		json_add_str(e, "address", h->addrs[i].text);
		json_add_int(e, "family", h->addrs[i].family == 2 ? 4 : 6);
		json_add_int64(e, "ttl", h->addrs[i].ttl);
		json_object_array_add(a, e);
	}
	json_add(o, "address_records", a);
	json_add_enum(o, "a_lookup", dns_outcome_name(h->a_out));
	json_add_enum(o, "aaaa_lookup", dns_outcome_name(h->aaaa_out));
	json_add_escaped(o, "cname", h->canonical);
	json_add_bool(o, "ip_literal", h->ip_literal);
	json_add_bool(o, "dnssec", h->ad);
	return o;
}
