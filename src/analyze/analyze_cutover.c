#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "analyze/analyze_cutover.h"
#include "facts/dns_facts.h"
#include "facts/probe_facts.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/smtp_facts.h"
#include "util/dname.h"

pcre2_code *
cutover_banner_compile(const char *pattern, struct buf *why)
{
	pcre2_code *re;
	int err;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0,
	    &err, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		buf_printf(why, R_("--expect-banner: invalid pattern at "
		    "offset %zu: %s"), (size_t)off, (const char *)msg);
	}
	return re;
}

int
cutover_banner_match(const pcre2_code *re, const char *text)
{
	pcre2_match_data *md;
	int rc;

	md = pcre2_match_data_create_from_pattern(re, NULL);
	rc = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static int
in_mx(const struct mx_set *mx, const char *name)
{
	size_t i;

	for (i = 0; i < mx->nhost; i++)
		if (!mx->implicit && dname_equal(mx->hosts[i].name, name))
			return 1;
	return 0;
}

static void
mx_list(const struct mx_set *mx, struct buf *b)
{
	size_t i;

	for (i = 0; !mx->implicit && i < mx->nhost; i++)
		buf_printf(b, "%s%u %s", i ? ", " : "", mx->hosts[i].pref,
		    mx->hosts[i].name);
}

static void
expect_mx(const struct mx_set *mx, const char **want, int exact,
    struct findings *fs)
{
	struct buf *missing, *extra, *found;
	size_t i;

	missing = buf_new(4096);
	extra = buf_new(4096);
	found = buf_new(4096);
	for (i = 0; want[i] != NULL; i++)
		if (!in_mx(mx, want[i]))
			buf_printf(missing, "%s%s", buf_len(missing) ? ", " :
			    "", want[i]);
	if (exact && !mx->implicit)
		for (i = 0; i < mx->nhost; i++)
			if (!dname_in_list(want, mx->hosts[i].name))
				buf_printf(extra, "%s%s", buf_len(extra) ?
				    ", " : "", mx->hosts[i].name);
	mx_list(mx, found);
	if (buf_len(extra) && buf_len(missing))
		findings_add(fs, F_EXPECT_MX_MISMATCH, mx->domain,
		    "The MX set of %s is not the expected one; missing: %s; "
		    "not expected: %s. Found: %s.", mx->domain,
		    buf_str(missing), buf_str(extra), buf_str(found));
	else if (buf_len(extra))
		findings_add(fs, F_EXPECT_MX_MISMATCH, mx->domain,
		    "The MX set of %s is not the expected one; not "
		    "expected: %s. Found: %s.", mx->domain, buf_str(extra),
		    buf_str(found));
	else if (buf_len(missing) && buf_len(found))
		findings_add(fs, F_EXPECT_MX_MISMATCH, mx->domain,
		    "The MX set of %s is not the expected one; missing: %s. "
		    "Found: %s.", mx->domain, buf_str(missing),
		    buf_str(found));
	else if (buf_len(missing))
		findings_add(fs, F_EXPECT_MX_MISMATCH, mx->domain,
		    "The MX set of %s is not the expected one; missing: %s. "
		    "Found: no MX record.", mx->domain, buf_str(missing));
	buf_free(missing);
	buf_free(extra);
	buf_free(found);
}

static void
banners(const struct probe_facts *f, const struct cutover_opts *o,
    struct findings *fs)
{
	const struct smtp_result *r;
	struct buf *text;
	char subj[600];
	size_t i, k;

	for (i = 0; i < f->ntargets; i++) {
		r = f->targets[i].smtp;
		if (r == NULL || r->banner.code == 0)
			continue;
		text = buf_new(65536);
		buf_printf(text, "%d", r->banner.code);
		for (k = 0; k < r->banner.ntext; k++)
			buf_printf(text, "%s%s", k ? "\n" : " ",
			    r->banner.text[k]);
		if (cutover_banner_match(o->banner, buf_str(text)) != 1) {
			snprintf(subj, sizeof(subj), "%s[%s]",
			    f->mx->hosts[f->targets[i].host].name,
			    r->addr);
			findings_add(fs, F_SMTP_BANNER_MISMATCH, subj,
			    "The banner of %s (\"%s\") does not match "
			    "/%s/.", subj, buf_str(text), o->banner_pattern);
		}
		buf_free(text);
	}
}

void
analyze_cutover(const struct probe_facts *f, const struct cutover_opts *o,
    struct findings *fs)
{
	const struct mx_set *mx = f->mx;
	size_t i, k;
	long ttl;

	if (mx == NULL || (mx->outcome != DNS_OK &&
	    mx->outcome != DNS_NODATA))
		return;
	if (o->expect_mx != NULL && o->expect_mx[0] != NULL)
		expect_mx(mx, o->expect_mx, 1, fs);
	if (o->expect_contains != NULL && o->expect_contains[0] != NULL)
		expect_mx(mx, o->expect_contains, 0, fs);
	if (o->max_ttl >= 0 && mx->outcome == DNS_OK) {
		/*
		 * A caching resolver returns what is left of the TTL, which
		 * can be below the limit while the zone's is far above it:
		 * judge the authoritative servers' TTL where it is known.
		 */
		ttl = o->auth_ttl >= 0 ? o->auth_ttl : (long)mx->ttl;
		if (ttl > o->max_ttl && o->auth_ttl >= 0)
			findings_add(fs, F_MX_TTL_TOO_HIGH, mx->domain,
			    "The MX TTL of %s is %ld s at the authoritative "
			    "servers, above %ld s: lower it at least %ld s "
			    "(the old TTL) before the cutover so that caches "
			    "expire in time.", mx->domain, ttl, o->max_ttl,
			    ttl);
		else if (ttl > o->max_ttl)
			findings_add(fs, F_MX_TTL_TOO_HIGH, mx->domain,
			    "The MX TTL of %s is %ld s (as the resolver gave "
			    "it), above %ld s: lower it at least %ld s (the "
			    "old TTL) before the cutover so that caches expire "
			    "in time.", mx->domain, ttl, o->max_ttl, ttl);
	}
	for (i = 0; o->old_mx != NULL && o->old_mx[i] != NULL; i++)
		if (in_mx(mx, o->old_mx[i]))
			findings_add(fs, F_OLD_MX_STILL_LISTED, o->old_mx[i],
			    "The old exchanger %s is still in the MX set of "
			    "%s.", o->old_mx[i], mx->domain);
	for (i = 0; i < f->nold; i++) {
		/* Only the hosts the user named: a propagation set's host
		 * is judged in analyze_propagation.c. Unresolved (cut by
		 * the deadline): nothing to say. */
		if (f->old[i].from_propagation || f->old[i].answers == NULL)
			continue;
		for (k = 0; k < f->old[i].naddr; k++)
			if (f->old[i].answers[k])
				break;
		if (k < f->old[i].naddr && !in_mx(mx, f->old[i].name))
			findings_add(fs, F_OLD_MX_STILL_ANSWERS,
			    f->old[i].name, "The old exchanger %s still "
			    "answers on port 25 (%s): senders with a cached "
			    "MX set still deliver there until the old TTL "
			    "runs out. Keep it relaying to the new gateway "
			    "until then.", f->old[i].name,
			    f->old[i].addrs[k].text);
	}
	if (o->banner != NULL)
		banners(f, o, fs);
}
