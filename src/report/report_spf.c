/*
 * report_spf - the SPF walk and the --spf-ip answers in JSON and text
 * (report.h). Field names are part of the report's JSON schema: keep them
 * stable.
 */
#include <string.h>

#include <json-c/json.h>

#include "parse/spf.h"
#include "facts/auth_facts.h"
#include "facts/spf_facts.h"
#include "report/json.h"
#include "report/report.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"

static json_object *
node_json(const struct spf_node *n)
{
	json_object *o, *kids;
	size_t i;

	o = json_object_new_object();
	json_add_escaped(o, "domain", n->domain);
	json_add_str(o, "via", n->via);
	json_add_str(o, "status", spf_node_status_name(n->status));
	json_add_escaped(o, "record", n->record);
	json_add_int(o, "lookups", (int)n->lookups);
	json_add_int(o, "void_lookups", (int)n->void_lookups);
	json_add(o, "void_terms", json_escaped_array(n->void_terms,
	    n->nvoid_terms));
	json_add_int64(o, "txt_size", (int64_t)n->txt_size);
	if (n->status == SPF_NODE_SYNTAX)
		json_add_int64(o, "error_position", (int64_t)n->errpos);
	json_add_str(o, "error", n->error);
	kids = json_object_new_array();
	for (i = 0; i < n->nchild; i++)
		json_object_array_add(kids, node_json(n->child[i]));
	json_add(o, "children", kids);
	return o;
}

void
report_spf_json(const struct spf_analysis *a, json_object *obj)
{
	const struct spf_node *r = a->root;
	char all[5] = "?all";

	json_add_escaped(obj, "domain", a->domain);
	json_add_escaped(obj, "record", r ? r->record : NULL);
	json_add_str(obj, "status", spf_node_status_name(r ? r->status :
	    SPF_NODE_PENDING));
	json_add_int64(obj, "records_found", r ? (int64_t)r->records_found : 0);
	json_add_int64(obj, "txt_size", r ? (int64_t)r->txt_size : 0);
	json_add_int(obj, "lookups", (int)a->lookups);
	json_add_int(obj, "void_lookups", (int)a->void_lookups);
	all[0] = a->all_qual;
	json_add(obj, "all", a->all_qual ? json_object_new_string(all) : NULL);
	json_add_str(obj, "redirect", a->redirect);
	json_add_bool(obj, "ptr_used", a->ptr_used);
	json_add(obj, "tree", r ? node_json(r) : NULL);
}

static const char *
node_name(const struct spf_node *n)
{
	return n->via ? n->via : n->domain;
}

static void
text_node(const struct spf_node *n, struct buf *out, int indent)
{
	size_t i;

	esc_printf(out, ESC_ESCAPED, "%*s%s", indent, "", node_name(n));
	if (n->via != NULL && strstr(n->via, n->domain) == NULL)
		esc_printf(out, ESC_ESCAPED, " (%s)", n->domain);
	if (n->status == SPF_NODE_OK)
		esc_printf(out, 0, ngettext("  [%u lookup%s]",
		    "  [%u lookups%s]", n->lookups), n->lookups,
		    n->void_lookups ? _(", void") : "");
	else
		esc_printf(out, 0, "  [%s: %s]",
		    spf_node_status_name(n->status), n->error ? n->error : "");
	esc_printf(out, 0, "\n");
	if (n->parent != NULL && n->record != NULL)
		/* The walk's printable copy (spf_facts.h): \xNN already. */
		esc_printf(out, ESC_ESCAPED, "%*s  %s\n", indent, "",
		    n->record);
	for (i = 0; i < n->nchild; i++)
		text_node(n->child[i], out, indent + 2);
}

void
report_spf_text(const struct spf_analysis *a, struct buf *out)
{
	const struct spf_node *r = a->root;

	esc_printf(out, ESC_ESCAPED, _("SPF (%s):\n"), a->domain);
	if (r == NULL || r->status == SPF_NODE_PENDING) {
		esc_printf(out, 0, _("  not checked\n"));
		return;
	}
	if (r->record != NULL)
		esc_printf(out, ESC_ESCAPED, _("  record: %s\n"), r->record);
	if (r->status != SPF_NODE_OK) {
		esc_printf(out, 0, "  %s: %s\n",
		    spf_node_status_name(r->status), r->error ? r->error : "");
		if (r->status != SPF_NODE_SYNTAX)
			return;
	}
	esc_printf(out, 0, _("  v=spf1 records: %zu; TXT answer: %zu octets\n"),
	    r->records_found, r->txt_size);
	esc_printf(out, 0, _("  DNS-querying terms: %u of %d; void lookups: %u "
	    "of %d\n"), a->lookups, SPF_LOOKUP_LIMIT, a->void_lookups,
	    SPF_VOID_LIMIT);
	if (a->all_qual && a->redirect)
		esc_printf(out, 0, _("  ends with: %call via redirect=%s\n"),
		    a->all_qual, a->redirect);
	else if (a->all_qual)
		esc_printf(out, 0, _("  ends with: %call\n"), a->all_qual);
	else if (a->redirect)
		esc_printf(out, 0, _("  ends with: no all, redirect=%s\n"),
		    a->redirect);
	else
		esc_printf(out, 0, _("  ends with: no all\n"));
	if (r->nchild > 0) {
		esc_printf(out, 0, _("  include tree:\n"));
		text_node(r, out, 4);
	}
}

json_object *
report_spf_ip_json(const struct auth_spf_eval *e)
{
	json_object *o;

	o = json_object_new_object();
	json_add_str(o, "ip", e->ip);
	json_add_str(o, "sender", e->sender);
	json_add_str(o, "helo", e->helo);
	json_add_str(o, "result", spf_result_name(e->result));
	json_add_bool(o, "finished", e->finished);
	json_add_str(o, "domain", e->domain);
	json_add_str(o, "mechanism", e->mechanism);
	json_add_str(o, "explanation", e->explanation);
	json_add_str(o, "reason", e->reason);
	return o;
}

void
report_spf_ip_text(const struct auth_facts *a, struct buf *b)
{
	const struct auth_spf_eval *e;
	size_t i;

	for (i = 0; i < a->nevals; i++) {
		e = &a->evals[i];
		esc_printf(b, 0, _("--spf-ip %s (MAIL FROM %s, HELO %s): %s\n"),
		    e->ip, e->sender, e->helo, e->text ? e->text :
		    spf_result_name(e->result));
	}
}
