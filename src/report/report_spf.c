/*
 * spf_json - the SPF analysis as a json-c object (spf_analysis.h).
 * Field names are part of the report's JSON schema: keep them stable.
 */
#include <json-c/json.h>

#include "parse/spf.h"
#include "probe/spf_walk.h"

static json_object *
str_or_null(const char *s)
{
	return s != NULL ? json_object_new_string(s) : NULL;
}

static json_object *
node_json(const struct spf_node *n)
{
	json_object *o, *kids, *voids;
	size_t i;

	o = json_object_new_object();
	json_object_object_add(o, "domain", json_object_new_string(n->domain));
	json_object_object_add(o, "via", str_or_null(n->via));
	json_object_object_add(o, "status",
	    json_object_new_string(spf_node_status_name(n->status)));
	json_object_object_add(o, "record", str_or_null(n->record));
	json_object_object_add(o, "lookups", json_object_new_int(
	    (int)n->lookups));
	json_object_object_add(o, "void_lookups", json_object_new_int(
	    (int)n->void_lookups));
	voids = json_object_new_array();
	for (i = 0; i < n->nvoid_terms; i++)
		json_object_array_add(voids,
		    json_object_new_string(n->void_terms[i]));
	json_object_object_add(o, "void_terms", voids);
	json_object_object_add(o, "txt_size", json_object_new_int64(
	    (int64_t)n->txt_size));
	if (n->status == SPF_NODE_SYNTAX)
		json_object_object_add(o, "error_position",
		    json_object_new_int64((int64_t)n->errpos));
	json_object_object_add(o, "error", str_or_null(n->error));
	kids = json_object_new_array();
	for (i = 0; i < n->nchild; i++)
		json_object_array_add(kids, node_json(n->child[i]));
	json_object_object_add(o, "children", kids);
	return o;
}

void
spf_analysis_json(const struct spf_analysis *a, json_object *obj)
{
	const struct spf_node *r = a->root;
	char all[5] = "?all";

	json_object_object_add(obj, "domain", json_object_new_string(
	    a->domain));
	json_object_object_add(obj, "record", str_or_null(r ? r->record :
	    NULL));
	json_object_object_add(obj, "status", json_object_new_string(
	    spf_node_status_name(r ? r->status : SPF_NODE_PENDING)));
	json_object_object_add(obj, "records_found", json_object_new_int64(
	    r ? (int64_t)r->records_found : 0));
	json_object_object_add(obj, "txt_size", json_object_new_int64(
	    r ? (int64_t)r->txt_size : 0));
	json_object_object_add(obj, "lookups", json_object_new_int(
	    (int)a->lookups));
	json_object_object_add(obj, "void_lookups", json_object_new_int(
	    (int)a->void_lookups));
	all[0] = a->all_qual;
	json_object_object_add(obj, "all", a->all_qual ?
	    json_object_new_string(all) : NULL);
	json_object_object_add(obj, "redirect", str_or_null(a->redirect));
	json_object_object_add(obj, "ptr_used", json_object_new_boolean(
	    a->ptr_used));
	json_object_object_add(obj, "tree", r ? node_json(r) : NULL);
}
