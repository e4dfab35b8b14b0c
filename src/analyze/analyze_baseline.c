#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_baseline.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/i18n.h"
#include "util/log.h"
#include "analyze/findings.h"
#include "util/xalloc.h"

/*
 * Type-checked access: the baseline is a file anyone could have written,
 * and json-c's array functions abort on a value that is not an array.
 * Each helper returns NULL (or 0) unless the value has the right type.
 */
static json_object *
get(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static json_object *
arr(json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_array) ? o : NULL;
}

static size_t
len(json_object *a)
{
	return arr(a) != NULL ? json_object_array_length(a) : 0;
}

static json_object *
at(json_object *a, size_t i)
{
	return i < len(a) ? json_object_array_get_idx(a, i) : NULL;
}

static const char *
str(json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : NULL;
}

static const char *
str_or(json_object *o, const char *dflt)
{
	return str(o) != NULL ? str(o) : dflt;
}

/* A canonical text for a value: sorted lines for arrays of strings. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
canon_list(char **v, size_t n)
{
	struct buf *b = buf_new(1 << 20);
	char *s;
	size_t i;

	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", v[i]);
	if (n == 0)
		buf_printf(b, "%s", R_("(none)"));
	s = buf_steal(b);
	buf_free(b);
	return s;
}

/* "10 mx1.example.com, 20 mx2.example.com" */
static char *
mx_set(json_object *doc)
{
	json_object *mx = get(doc, "mx"), *h, *pref;
	char **v = NULL, *s;
	size_t i, n = 0;

	for (i = 0; i < len(mx); i++) {
		h = at(mx, i);
		pref = get(h, "preference");
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n] = xmalloc(300);
		snprintf(v[n], 300, "%5d %s", pref != NULL &&
		    json_object_is_type(pref, json_type_int) ?
		    json_object_get_int(pref) : 0, str_or(get(h, "host"), "?"));
		n++;
	}
	s = canon_list(v, n);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return s;
}

static json_object *
find_host(json_object *doc, const char *host)
{
	json_object *mx = get(doc, "mx"), *h;
	size_t i;

	for (i = 0; i < len(mx); i++) {
		h = at(mx, i);
		if (str(get(h, "host")) && strcmp(str(get(h, "host")), host) ==
		    0)
			return h;
	}
	return NULL;
}

static char *
addresses(json_object *h)
{
	json_object *a = get(h, "addresses");
	char **v = NULL, *s;
	size_t i, n = 0;

	for (i = 0; i < len(a); i++) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xstrdup(str_or(at(a, i), "?"));
	}
	s = canon_list(v, n);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return s;
}

/* The leaf certificate an address presented: subject, issuer, expiry. */
static char *
certificate(json_object *h, const char *addr)
{
	json_object *sm = get(h, "smtp"), *t, *leaf;
	size_t i;
	char *s;

	for (i = 0; i < len(sm); i++) {
		t = at(sm, i);
		if (str(get(t, "address")) == NULL ||
		    strcmp(str(get(t, "address")), addr) != 0)
			continue;
		/* No TLS (refused, no STARTTLS): no "tls", or no chain. */
		leaf = at(get(get(t, "tls"), "chain"), 0);
		if (leaf == NULL)
			return NULL;
		s = xmalloc(2048);
		snprintf(s, 2048, "%s (issuer %s, until %s)",
		    str_or(get(leaf, "subject"), "?"),
		    str_or(get(leaf, "issuer"), "?"),
		    str_or(get(leaf, "not_after"), "?"));
		return s;
	}
	return NULL;
}

static char *
dup_json(json_object *o)
{
	if (o == NULL)
		return NULL;
	if (json_object_is_type(o, json_type_string))
		return xstrdup(json_object_get_string(o));
	return xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/*
 * A copy of o whose strings and keys are escaped (ESC_ESCAPED): the value
 * may come from the baseline file. NULL for NULL.
 */
static json_object *
clean(json_object *o)
{
	json_object *c;
	char *e;
	size_t i;

	if (o == NULL)
		return NULL;
	switch (json_object_get_type(o)) {
	case json_type_string:
		e = esc_str(json_object_get_string(o), ESC_ESCAPED);
		c = json_object_new_string(e);
		free(e);
		return c;
	case json_type_array:
		c = json_object_new_array();
		for (i = 0; i < json_object_array_length(o); i++)
			json_object_array_add(c,
			    clean(json_object_array_get_idx(o, i)));
		return c;
	case json_type_object:
		c = json_object_new_object();
		json_object_object_foreach(o, k, v) {
			e = esc_str(k, ESC_ESCAPED);
			json_object_object_add(c, e, clean(v));
			free(e);
		}
		return c;
	default:
		return json_object_get(o);
	}
}

static int
cmp_pref(const void *a, const void *b)
{
	json_object *const *x = a, *const *y = b;
	int px = json_object_get_int(get(*x, "preference"));
	int py = json_object_get_int(get(*y, "preference"));

	if (px != py)
		return px < py ? -1 : 1;
	return strcmp(json_object_get_string(get(*x, "host")),
	    json_object_get_string(get(*y, "host")));
}

/* The MX set as a value: [{preference, host}] sorted. */
static json_object *
mx_set_value(json_object *doc)
{
	json_object *mx = get(doc, "mx"), *h, *pref, *e, **v, *out;
	size_t i, n = len(mx);
	char *hs;

	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		h = at(mx, i);
		pref = get(h, "preference");
		e = json_object_new_object();
		json_object_object_add(e, "preference", json_object_new_int(
		    pref != NULL && json_object_is_type(pref, json_type_int) ?
		    json_object_get_int(pref) : 0));
		hs = esc_str(str_or(get(h, "host"), "?"), ESC_ESCAPED);
		json_object_object_add(e, "host", json_object_new_string(hs));
		free(hs);
		v[i] = e;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_pref);
	out = json_object_new_array();
	for (i = 0; i < n; i++)
		json_object_array_add(out, v[i]);
	free(v);
	return out;
}

/* An exchanger's addresses as a value: sorted strings. */
static json_object *
addresses_value(json_object *h)
{
	json_object *a = get(h, "addresses"), *out;
	char **v;
	size_t i, n = len(a);

	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = esc_str(str_or(at(a, i), "?"), ESC_ESCAPED);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
	out = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object_array_add(out, json_object_new_string(v[i]));
		free(v[i]);
	}
	free(v);
	return out;
}

/* The leaf certificate as a value: {subject, issuer, not_after}, or NULL. */
static json_object *
certificate_value(json_object *h, const char *addr)
{
	json_object *sm = get(h, "smtp"), *t, *leaf, *o;
	static const char *const keys[] = { "subject", "issuer",
	    "not_after" };
	size_t i, k;
	char *e;

	for (i = 0; i < len(sm); i++) {
		t = at(sm, i);
		if (str(get(t, "address")) == NULL ||
		    strcmp(str(get(t, "address")), addr) != 0)
			continue;
		if ((leaf = at(get(get(t, "tls"), "chain"), 0)) == NULL)
			return NULL;
		o = json_object_new_object();
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			e = esc_str(str(get(leaf, keys[k])), ESC_ESCAPED);
			json_object_object_add(o, keys[k], e != NULL ?
			    json_object_new_string(e) : NULL);
			free(e);
		}
		return o;
	}
	return NULL;
}

static int
differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/*
 * The BASELINE_CHANGED sentences, one set for each kind of value (what,
 * as the JSON names it): both values, none before, none now.
 */
static const struct {
	const char	*what;
	const char	*both, *added, *gone;
} change_texts[] = {
	{ "the MX set",
	    N_("The MX set of %s: was %s, now %s."),
	    N_("The MX set of %s: none before, now %s."),
	    N_("The MX set of %s: was %s, now none.") },
	{ "the addresses",
	    N_("The addresses of %s: were %s, now %s."),
	    N_("The addresses of %s: none before, now %s."),
	    N_("The addresses of %s: were %s, now none.") },
	{ "the certificate",
	    N_("The certificate of %s: was %s, now %s."),
	    N_("The certificate of %s: none before, now %s."),
	    N_("The certificate of %s: was %s, now none.") },
	{ "the TLSA records",
	    N_("The TLSA records of %s: were %s, now %s."),
	    N_("The TLSA records of %s: none before, now %s."),
	    N_("The TLSA records of %s: were %s, now none.") },
	{ "the record",
	    N_("The %s record: was %s, now %s."),
	    N_("The %s record: none before, now %s."),
	    N_("The %s record: was %s, now none.") },
};

static void
change_finding(struct findings *fs, const char *what, const char *subj,
    const char *b, const char *a)
{
	size_t i;

	for (i = 0; i < sizeof(change_texts) / sizeof(change_texts[0]) - 1;
	    i++)
		if (strcmp(change_texts[i].what, what) == 0)
			break;
	if (b != NULL && a != NULL)
		findings_add(fs, F_BASELINE_CHANGED, subj, change_texts[i].both,
		    subj, b, a);
	else if (a != NULL)
		findings_add(fs, F_BASELINE_CHANGED, subj,
		    change_texts[i].added, subj, a);
	else if (b != NULL)
		findings_add(fs, F_BASELINE_CHANGED, subj,
		    change_texts[i].gone, subj, b);
}

/*
 * Record one change (takes ownership of before and after). The texts come
 * from two JSON documents, one of them a file: escaped (util/esc.h, the
 * backslashes of the report's own escaping kept) so that neither the
 * text report nor the JSON receives a control byte or invalid UTF-8.
 */
static void
change(json_object *out, struct findings *fs, const char *what,
    const char *field, const char *subject, char *before, char *after,
    json_object *vb, json_object *va)
{
	json_object *c;
	char *b, *a, *subj;

	if (!differ(before, after)) {
		free(before);
		free(after);
		json_object_put(vb);
		json_object_put(va);
		return;
	}
	b = esc_str(before, ESC_ESCAPED);
	a = esc_str(after, ESC_ESCAPED);
	subj = esc_str(subject, ESC_ESCAPED);
	c = json_object_new_object();
	json_object_object_add(c, "what", json_object_new_string(what));
	json_object_object_add(c, "field", json_object_new_string(field));
	json_object_object_add(c, "subject", json_object_new_string(subj));
	json_object_object_add(c, "before", vb);
	json_object_object_add(c, "after", va);
	json_object_array_add(out, c);
	change_finding(fs, what, subj, b, a);
	free(b);
	free(a);
	free(subj);
	free(before);
	free(after);
}

/*
 * What every mxprobe --json report has, with these types: a file without
 * them is some other JSON. Members deeper down may still be of any type;
 * the comparison treats a wrong type as absent.
 */
int
baseline_check(json_object *doc, struct buf *why)
{
	static const struct {
		const char	*key;
		json_type	 type;
		int		 needed;
	} members[] = {
		{ "schema_version",	json_type_int,		1 },
		{ "domain",		json_type_string,	1 },
		{ "mx",			json_type_array,	0 },
		{ "score",		json_type_object,	0 },
		{ "findings",		json_type_array,	0 },
		{ "spf",		json_type_object,	0 },
		{ "dmarc",		json_type_object,	0 },
		{ "mta_sts",		json_type_object,	0 },
		{ "tls_rpt",		json_type_object,	0 },
	};
	json_object *v;
	size_t i;

	if (doc == NULL || !json_object_is_type(doc, json_type_object)) {
		buf_printf(why, "%s", R_("it is JSON but not an object"));
		return -1;
	}
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		v = get(doc, members[i].key);
		if (v == NULL && !members[i].needed)
			continue;
		if (v == NULL || !json_object_is_type(v, members[i].type)) {
			buf_printf(why, v == NULL ? R_("\"%s\" is missing") :
			    R_("\"%s\" is of the wrong type"), members[i].key);
			return -1;
		}
	}
	return 0;
}

/* One JSON document and nothing after it but white space. */
enum baseline_status
baseline_parse(const char *p, size_t n, json_object **doc, struct buf *why)
{
	struct json_tokener *tok;
	json_object *j;
	enum json_tokener_error err;
	size_t end;

	*doc = NULL;
	if (n > INT_MAX) {
		buf_printf(why, R_("larger than %d bytes"), INT_MAX);
		return BASELINE_NOT_JSON;
	}
	if ((tok = json_tokener_new()) == NULL)
		log_panic("baseline_parse: out of memory");
	j = json_tokener_parse_ex(tok, p, (int)n);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (j == NULL || err != json_tokener_success) {
		buf_printf(why, "%s", err == json_tokener_continue ||
		    err == json_tokener_success ?
		    R_("the document ends too early") :
		    json_tokener_error_desc(err));
		json_object_put(j);
		return BASELINE_NOT_JSON;
	}
	while (end < n && (p[end] == ' ' || p[end] == '\t' ||
	    p[end] == '\r' || p[end] == '\n'))
		end++;
	if (end < n) {
		buf_printf(why, R_("more after the document (offset %zu)"),
		    end);
		json_object_put(j);
		return BASELINE_NOT_JSON;
	}
	if (baseline_check(j, why) != 0) {
		json_object_put(j);
		return BASELINE_NOT_REPORT;
	}
	*doc = j;
	return BASELINE_OK;
}

json_object *
baseline_compare(json_object *old, json_object *new, struct findings *fs)
{
	json_object *out = json_object_new_array();
	json_object *mx, *h, *oh, *sm, *ov, *nv;
	const char *domain = str(get(new, "domain"));
	static const char *const records[] = { "spf", "dmarc", "mta_sts",
	    "tls_rpt" };
	const char *host, *addr;
	char subj[600], field[32];
	size_t i, k;
	int os, ns;

	if (domain == NULL)
		domain = "?";
	change(out, fs, "the MX set", "mx", domain, mx_set(old), mx_set(new),
	    mx_set_value(old), mx_set_value(new));
	mx = get(new, "mx");
	for (i = 0; i < len(mx); i++) {
		h = at(mx, i);
		if ((host = str(get(h, "host"))) == NULL ||
		    (oh = find_host(old, host)) == NULL)
			continue;
		change(out, fs, "the addresses", "mx.addresses", host,
		    addresses(oh), addresses(h), addresses_value(oh),
		    addresses_value(h));
		sm = get(h, "smtp");
		for (k = 0; k < len(sm); k++) {
			addr = str(get(at(sm, k), "address"));
			if (addr == NULL)
				continue;
			snprintf(subj, sizeof(subj), "%s[%s]", host, addr);
			change(out, fs, "the certificate",
			    "mx.smtp.tls.chain", subj, certificate(oh, addr),
			    certificate(h, addr), certificate_value(oh, addr),
			    certificate_value(h, addr));
		}
		change(out, fs, "the TLSA records", "mx.tlsa.records", host,
		    dup_json(get(get(oh, "tlsa"), "records")),
		    dup_json(get(get(h, "tlsa"), "records")),
		    clean(get(get(oh, "tlsa"), "records")),
		    clean(get(get(h, "tlsa"), "records")));
	}
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		ov = get(get(old, records[i]), "record");
		nv = get(get(new, records[i]), "record");
		snprintf(subj, sizeof(subj), "%s", records[i]);
		snprintf(field, sizeof(field), "%s.record", records[i]);
		change(out, fs, "the record", field, subj, dup_json(ov),
		    dup_json(nv), clean(ov), clean(nv));
	}
	ov = get(get(old, "score"), "value");
	nv = get(get(new, "score"), "value");
	if (ov != NULL && nv != NULL && json_object_is_type(ov, json_type_int)
	    && json_object_is_type(nv, json_type_int)) {
		os = json_object_get_int(ov);
		ns = json_object_get_int(nv);
		if (ns < os)
			findings_add(fs, F_BASELINE_SCORE_DROPPED, domain,
			    "The score of %s dropped from %d to %d since the "
			    "baseline.", domain, os, ns);
	}
	return out;
}
