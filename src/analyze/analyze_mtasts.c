/*
 * analyze_mtasts - the MTASTS_* findings (RFC 8461), and the MX view the
 * judge and the report share: the MX hosts with whether their
 * certificates validated in the SMTP probe; see analyze.h
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "util/dname.h"
#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "parse/mtasts.h"
#include "facts/mx_facts.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/*
 * RFC 8461 §4.2: a policy-compliant sender needs a certificate that
 * chains to a trusted root and names the MX host. 1 when every address of
 * host h that completed TLS showed one, 0 when any failed (or its
 * handshake did), -1 when none got that far (not probed, --dns-only, no
 * STARTTLS).
 */
static int
cert_valid(const struct probe_facts *pf, size_t h)
{
	const struct smtp_result *r;
	size_t i;
	int v = -1;

	for (i = 0; i < pf->ntargets; i++) {
		if (pf->targets[i].host != h || pf->targets[i].smtp == NULL)
			continue;
		r = pf->targets[i].smtp;
		if (r->outcome == SMTP_TLS_FAILED)
			return 0;
		if (!r->tls_done)
			continue;
		if (!r->tls.verify_ok || !r->tls.name_ok)
			return 0;
		v = 1;
	}
	return v;
}

size_t
analyze_mtasts_mx(const struct probe_facts *pf, struct mtasts_mx **out)
{
	const struct mx_set *mx = pf != NULL ? pf->mx : NULL;
	struct mtasts_mx *m;
	size_t h, j, n = 0;

	*out = NULL;
	if (mx == NULL || (mx->outcome != DNS_OK) || mx->implicit)
		return 0;
	m = xcalloc(mx->nhost ? mx->nhost : 1, sizeof(*m));
	for (h = 0; h < mx->nhost; h++) {
		if (strcmp(mx->hosts[h].name, ".") == 0)
			continue;
		for (j = 0; j < n; j++)
			if (dname_equal(m[j].host, mx->hosts[h].name))
				break;
		if (j < n)
			continue;
		m[n].host = mx->hosts[h].name;
		m[n].cert_valid = cert_valid(pf, h);
		n++;
	}
	*out = m;
	return n;
}

struct mtasts_mx *
analyze_mtasts_view(const struct auth_facts *a, const struct probe_facts *pf,
    struct mtasts_facts *m)
{
	struct mtasts_mx *mx;

	*m = a->mtasts;
	m->nmx = analyze_mtasts_mx(pf, &mx);
	m->mx = mx;
	return mx;
}

void
analyze_mtasts_fetch(const struct mtasts_facts *f, struct buf *b)
{
	/* Words for people (the JSON writes mtasts_fetch_name()). */
	static const char *const words[] = {
		[MTASTS_FETCH_NOT_TRIED] = N_("not tried"),
		[MTASTS_FETCH_OK] = N_("fetched"),
		[MTASTS_FETCH_HTTP_ERROR] = N_("HTTP error"),
		[MTASTS_FETCH_TLS_ERROR] = N_("TLS error"),
		[MTASTS_FETCH_TOO_LARGE] = N_("too large"),
		[MTASTS_FETCH_UNREACHABLE] = N_("unreachable"),
	};
	const char *w = (unsigned)f->fetch < sizeof(words) / sizeof(words[0]) ?
	    i18n_reason(words[f->fetch]) : mtasts_fetch_name(f->fetch);

	buf_printf(b, "%s", w);
	/* The detail of an HTTP error names the status already. */
	if (f->http_status != 0 && (f->fetch_detail == NULL ||
	    f->fetch != MTASTS_FETCH_HTTP_ERROR))
		buf_printf(b, ", HTTP %d", f->http_status);
	if (f->fetch_detail != NULL)
		buf_printf(b, ", %s", f->fetch_detail);
}

void
analyze_mtasts(const struct mtasts_facts *f, struct findings *fs)
{
	struct mtasts_txt *t = NULL;
	struct mtasts_policy *pol = NULL;
	struct buf *why, *uncovered, *nocert;
	char subj[300];		/* "_mta-sts." and a name of up to 253 */
	size_t idx = 0, n, off, line, i, nuncovered = 0, nnocert = 0;

	why = buf_new(BUF_WHY_MAX);
	uncovered = buf_new(BUF_WHY_MAX);	/* to fix before enforcing */
	nocert = buf_new(BUF_WHY_MAX);
	snprintf(subj, sizeof(subj), "_mta-sts.%s", f->domain);
	if (dns_outcome_failed(f->txt_outcome)) {
		findings_add(fs, F_MTASTS_LOOKUP_FAILED, subj,
		    "The MTA-STS record %s could not be read (%s).", subj,
		    dns_outcome_name(f->txt_outcome));
		goto done;
	}
	n = f->txt_outcome == DNS_OK ? mtasts_txt_select(f->txt, f->ntxt,
	    &idx) : 0;
	if (n == 0) {
		if (f->fetch == MTASTS_FETCH_OK)
			findings_add(fs, F_MTASTS_POLICY_WITHOUT_TXT, subj,
			    "A policy is published at https://mta-sts.%s/"
			    ".well-known/mta-sts.txt but there is no TXT "
			    "record at %s: senders never fetch it.",
			    f->domain, subj);
		else
			findings_add(fs, F_MTASTS_MISSING, f->domain,
			    "No MTA-STS: senders deliver over TLS only "
			    "opportunistically and an attacker can strip "
			    "STARTTLS.");
		goto done;
	}
	if (n > 1) {
		findings_add(fs, F_MTASTS_TXT_SYNTAX, subj,
		    "%zu records start with v=STSv1 at %s: senders then "
		    "assume there is no policy (RFC 8461 §3.1).", n, subj);
		goto done;
	}
	if (mtasts_txt_parse(f->txt[idx].data, f->txt[idx].len, &t, &off,
	    why) != MTASTS_OK) {
		findings_add(fs, F_MTASTS_TXT_SYNTAX, subj,
		    "The MTA-STS record at %s is invalid at offset %zu: %s.",
		    subj, off, buf_str(why));
		goto done;
	}
	if (f->fetch == MTASTS_FETCH_NOT_TRIED)
		goto done;
	if (f->fetch != MTASTS_FETCH_OK) {
		buf_reset(why);
		analyze_mtasts_fetch(f, why);
		findings_add(fs, F_MTASTS_POLICY_FETCH_FAILED, f->domain,
		    "%s announces MTA-STS but the policy at https://mta-sts."
		    "%s/.well-known/mta-sts.txt could not be fetched (%s).",
		    subj, f->domain, buf_str(why));
		goto done;
	}
	buf_reset(why);
	if (mtasts_policy_parse(f->body, f->body_len, &pol, &line, why) !=
	    MTASTS_OK) {
		if (line > 0)
			findings_add(fs, F_MTASTS_POLICY_SYNTAX, f->domain,
			    "The MTA-STS policy is invalid at line %zu: %s.",
			    line, buf_str(why));
		else
			findings_add(fs, F_MTASTS_POLICY_SYNTAX, f->domain,
			    "The MTA-STS policy is invalid: %s.",
			    buf_str(why));
		goto done;
	}
	if (pol->mode == MTASTS_MODE_NONE) {
		findings_add(fs, F_MTASTS_MODE_NONE, f->domain,
		    "The MTA-STS policy has mode none: it withdraws the "
		    "policy and protects nothing.");
		goto done;
	}
	for (i = 0; i < f->nmx; i++) {
		if (!mtasts_policy_covers(pol, f->mx[i].host)) {
			if (pol->mode == MTASTS_MODE_ENFORCE)
				findings_add(fs, F_MTASTS_MX_NOT_COVERED,
				    f->mx[i].host, "MX %s matches no mx line "
				    "of the enforced MTA-STS policy: senders "
				    "that apply it will not deliver there.",
				    f->mx[i].host);
			else
				buf_printf(uncovered, "%s%s", nuncovered++ ?
				    ", " : "", f->mx[i].host);
		} else if (f->mx[i].cert_valid == 0) {
			if (pol->mode == MTASTS_MODE_ENFORCE)
				findings_add(fs, F_MTASTS_CERT_INVALID,
				    f->mx[i].host, "MX %s does not present "
				    "a valid certificate for its name under "
				    "an enforced MTA-STS policy: senders that "
				    "apply it will not deliver there.",
				    f->mx[i].host);
			else
				buf_printf(nocert, "%s%s", nnocert++ ? ", " :
				    "", f->mx[i].host);
		}
	}
	if (pol->mode == MTASTS_MODE_TESTING && nuncovered + nnocert > 0) {
		findings_add(fs, F_MTASTS_TESTING, f->domain,
		    "The MTA-STS policy is in testing mode: failures are only "
		    "reported, delivery is not protected; before enforcing, "
		    "fix these:");
		if (nuncovered > 0)
			findings_appendn(fs, nuncovered,
			    "MX %s matches no mx line.",
			    "MX %s match no mx line.", buf_str(uncovered));
		if (nnocert > 0)
			findings_appendn(fs, nnocert,
			    "MX %s has no valid certificate.",
			    "MX %s have no valid certificate.",
			    buf_str(nocert));
	} else if (pol->mode == MTASTS_MODE_TESTING)
		findings_add(fs, F_MTASTS_TESTING, f->domain,
		    "The MTA-STS policy is in testing mode: failures are only "
		    "reported, delivery is not protected.");
	if (pol->max_age < 86400)
		findings_add(fs, F_MTASTS_MAX_AGE_SHORT, f->domain,
		    "max_age is %lu seconds: senders forget the policy in "
		    "under a day; use at least 604800 (a week).",
		    (unsigned long)pol->max_age);
done:
	mtasts_txt_free(t);
	mtasts_policy_free(pol);
	buf_free(why);
	buf_free(uncovered);
	buf_free(nocert);
}
