#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze_baseline.h"
#include "util/buf.h"
#include "analyze/findings.h"
#include "util/xalloc.h"

static json_object *
get(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *
str(json_object *o)
{
	return o != NULL && json_object_is_type(o, json_type_string) ?
	    json_object_get_string(o) : NULL;
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

	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i ? ", " : "", v[i]);
	if (n == 0)
		buf_printf(b, "(none)");
	s = buf_steal(b);
	buf_free(b);
	return s;
}

/* "10 mx1.example.com, 20 mx2.example.com" */
static char *
mx_set(json_object *doc)
{
	json_object *mx = get(doc, "mx"), *h;
	char **v = NULL, *s;
	size_t i, n = 0;

	for (i = 0; mx && i < json_object_array_length(mx); i++) {
		h = json_object_array_get_idx(mx, i);
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n] = xmalloc(300);
		snprintf(v[n], 300, "%5d %s", json_object_get_int(get(h,
		    "preference")), str(get(h, "host")) ? str(get(h, "host")) :
		    "?");
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

	for (i = 0; mx && i < json_object_array_length(mx); i++) {
		h = json_object_array_get_idx(mx, i);
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

	for (i = 0; a && i < json_object_array_length(a); i++) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = xstrdup(json_object_get_string(
		    json_object_array_get_idx(a, i)));
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

	for (i = 0; sm && i < json_object_array_length(sm); i++) {
		t = json_object_array_get_idx(sm, i);
		if (str(get(t, "address")) == NULL ||
		    strcmp(str(get(t, "address")), addr) != 0)
			continue;
		leaf = json_object_array_get_idx(get(get(t, "tls"), "chain"),
		    0);
		if (leaf == NULL)
			return NULL;
		s = xmalloc(2048);
		snprintf(s, 2048, "%s (issuer %s, until %s)",
		    str(get(leaf, "subject")) ? str(get(leaf, "subject")) : "?",
		    str(get(leaf, "issuer")) ? str(get(leaf, "issuer")) : "?",
		    str(get(leaf, "not_after")) ? str(get(leaf, "not_after")) :
		    "?");
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

static int
differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Record one change (takes ownership of before and after). */
static void
change(json_object *out, struct findings *fs, const char *what,
    const char *subject, char *before, char *after)
{
	json_object *c;

	if (!differ(before, after)) {
		free(before);
		free(after);
		return;
	}
	c = json_object_new_object();
	json_object_object_add(c, "what", json_object_new_string(what));
	json_object_object_add(c, "subject", json_object_new_string(subject));
	json_object_object_add(c, "before", before ?
	    json_object_new_string(before) : NULL);
	json_object_object_add(c, "after", after ?
	    json_object_new_string(after) : NULL);
	json_object_array_add(out, c);
	findings_add(fs, F_BASELINE_CHANGED, subject, "%s of %s: was %s, "
	    "now %s.", what, subject, before ? before : "(none)",
	    after ? after : "(none)");
	free(before);
	free(after);
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
	char subj[600];
	size_t i, k;
	int os, ns;

	if (domain == NULL)
		domain = "?";
	change(out, fs, "the MX set", domain, mx_set(old), mx_set(new));
	mx = get(new, "mx");
	for (i = 0; mx && i < json_object_array_length(mx); i++) {
		h = json_object_array_get_idx(mx, i);
		if ((host = str(get(h, "host"))) == NULL ||
		    (oh = find_host(old, host)) == NULL)
			continue;
		change(out, fs, "the addresses", host, addresses(oh),
		    addresses(h));
		sm = get(h, "smtp");
		for (k = 0; sm && k < json_object_array_length(sm); k++) {
			addr = str(get(json_object_array_get_idx(sm, k),
			    "address"));
			if (addr == NULL)
				continue;
			snprintf(subj, sizeof(subj), "%s[%s]", host, addr);
			change(out, fs, "the certificate", subj,
			    certificate(oh, addr), certificate(h, addr));
		}
		change(out, fs, "the TLSA records", host,
		    dup_json(get(get(oh, "tlsa"), "records")),
		    dup_json(get(get(h, "tlsa"), "records")));
	}
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		ov = get(get(old, records[i]), "record");
		nv = get(get(new, records[i]), "record");
		snprintf(subj, sizeof(subj), "%s", records[i]);
		change(out, fs, "the record", subj, dup_json(ov), dup_json(nv));
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
