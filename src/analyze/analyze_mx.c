/*
 * analyze_mx - judge the MX answer and the exchangers' addresses: null
 * MX, CNAME and IP-literal targets, missing dots, unusable and shared
 * addresses, wildcard MX, the domain itself (RFC 5321 §5.1, RFC 7505,
 * RFC 2181 §10.3, RFC 6890; MX_*, DOMAIN_*). Pure; see analyze.h.
 */
#include <sys/socket.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/addr.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "analyze/analyze.h"
#include "facts/dns_facts.h"
#include "analyze/findings.h"
#include "facts/limits.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "parse/dns_wire.h"

static int
ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

/*
 * A zone file line "@ MX 10 mail.example.com" without the final dot makes
 * the target relative to the origin: mail.example.com.example.com. Look
 * for any suffix S of the domain (two labels or more) written twice at the
 * end of the target: "...S.S".
 */
int
analyze_missing_dot(const char *domain, const char *target)
{
	const char *s;
	char twice[600];

	for (s = domain; s != NULL; s = strchr(s, '.')) {
		if (*s == '.')
			s++;
		if (strchr(s, '.') == NULL)
			break;		/* a single label (TLD) is no hint */
		if (snprintf(twice, sizeof(twice), ".%s.%s", s, s) >=
		    (int)sizeof(twice))
			continue;
		if (ends_with(target, twice) ||
		    strcasecmp(target, twice + 1) == 0)
			return 1;
	}
	return 0;
}

int
analyze_addr_usable(const struct analyze_opts *o, int family,
    const unsigned char *a)
{
	enum addr_class c = addr_classify(family, a);

	if (c == ADDR_PUBLIC)
		return 1;
	if (c == ADDR_DOCUMENTATION)
		return o != NULL && o->allow_documentation;
	return c == ADDR_LOOPBACK && o != NULL && o->allow_loopback;
}

static void
host_findings(const struct mx_set *s, const struct mx_host *h,
    const struct analyze_opts *o, struct findings *fs)
{
	size_t i, nbad = 0;
	const char *cdn = NULL, *cdn_addr = NULL;
	enum addr_class bad = ADDR_PUBLIC;
	int dot;

	if (h->ip_literal) {
		findings_add(fs, F_MX_TARGET_IP_LITERAL, h->name,
		    "The MX for %s names the address %s instead of a host "
		    "name; senders look it up as a name and find nothing.",
		    s->domain, h->name);
		return;
	}
	dot = h->undotted != NULL || analyze_missing_dot(s->domain, h->name);
	if (h->undotted != NULL)
		findings_add(fs, F_MX_TARGET_MISSING_DOT, h->name,
		    "The MX target %s does not exist, but %s has an address: "
		    "the zone file lacks the trailing dot after the host name, "
		    "so the origin was appended to it. Did you mean %s.?",
		    h->name, h->undotted, h->undotted);
	else if (dot && h->naddr == 0)
		findings_add(fs, F_MX_TARGET_MISSING_DOT, h->name,
		    "The MX target %s repeats the domain at its end: the zone "
		    "file most likely lacks the trailing dot after the host "
		    "name, and the name has no address.", h->name);
	else if (dot)
		findings_add(fs, F_MX_TARGET_MISSING_DOT, h->name,
		    "The MX target %s repeats the domain at its end: the zone "
		    "file most likely lacks the trailing dot after the host "
		    "name.", h->name);
	if (h->canonical != NULL)
		findings_add(fs, F_MX_TARGET_CNAME, h->name,
		    "The MX target %s is an alias (CNAME) for %s; an MX must "
		    "name the host itself.", h->name, h->canonical);
	if (h->naddr == 0) {
		if (dns_outcome_failed(h->a_out) || dns_outcome_failed(h->aaaa_out))
			findings_add(fs, F_MX_TARGET_LOOKUP_FAILED, h->name,
			    "The addresses of %s could not be resolved "
			    "(A: %s, AAAA: %s).", h->name,
			    dns_outcome_name(h->a_out),
			    dns_outcome_name(h->aaaa_out));
		else if (dot)
			;	/* said already */
		else if (h->a_out == DNS_NXDOMAIN)
			findings_add(fs, F_MX_TARGET_NXDOMAIN, h->name,
			    "The MX target %s does not exist (NXDOMAIN).",
			    h->name);
		else
			findings_add(fs, F_MX_TARGET_NO_ADDRESS, h->name,
			    "The MX target %s has neither an A nor an AAAA "
			    "record.", h->name);
		return;
	}
	for (i = 0; i < h->naddr; i++) {
		if (!analyze_addr_usable(o, h->addrs[i].family,
		    h->addrs[i].addr)) {
			nbad++;
			bad = addr_classify(h->addrs[i].family,
			    h->addrs[i].addr);
		}
		if (cdn == NULL && (cdn = addr_cdn(h->addrs[i].family,
		    h->addrs[i].addr)) != NULL)
			cdn_addr = h->addrs[i].text;
	}
	if (nbad == h->naddr)
		findings_add(fs, F_MX_ADDRESS_PRIVATE, h->name,
		    "%s resolves only to addresses no sender on the internet "
		    "can reach (%s%s, %s).", h->name, h->addrs[0].text,
		    h->naddr > 1 ? ", ..." : "", addr_class_name(bad));
	else if (nbad > 0)
		findings_add(fs, F_MX_ADDRESS_SOME_PRIVATE, h->name,
		    "%zu of the %zu addresses of %s are %s.", nbad, h->naddr,
		    h->name, addr_class_name(bad));
	if (cdn != NULL)
		findings_add(fs, F_MX_ADDRESS_CDN, h->name,
		    "%s resolves to %s, an address of %s's proxy network, "
		    "which does not accept SMTP.", h->name, cdn_addr, cdn);
}

/* Union-find root of host i (path halving). */
static size_t
share_root(size_t *up, size_t i)
{
	while (up[i] != i) {
		up[i] = up[up[i]];
		i = up[i];
	}
	return i;
}

static int
hosts_share(const struct mx_host *a, const struct mx_host *b, size_t *ka)
{
	size_t k, l;

	for (k = 0; k < a->naddr; k++)
		for (l = 0; l < b->naddr; l++)
			if (a->addrs[k].family == b->addrs[l].family &&
			    memcmp(a->addrs[k].addr, b->addrs[l].addr, 16)
			    == 0) {
				*ka = k;
				return 1;
			}
	return 0;
}

/*
 * One finding for the whole set, not one per pair: exchangers joined by
 * shared addresses form groups (a hostile zone with 600 names on one
 * address made 179,700 pairs). The text lists the groups, at most
 * SHARED_GROUPS_SHOWN of them and SHARED_NAMES_SHOWN names each.
 */
#define SHARED_GROUPS_SHOWN	8
#define SHARED_NAMES_SHOWN	8

static void
shared_addresses(const struct mx_set *s, struct findings *fs)
{
	size_t i, j, k, r, m, t, *up, ngroups = 0, shown = 0, n;
	const char *subject = NULL, **via;
	struct buf *b;

	if (s->nhost < 2)
		return;
	up = xcalloc(s->nhost, sizeof(*up));
	via = xcalloc(s->nhost, sizeof(*via));
	for (i = 0; i < s->nhost; i++) {
		up[i] = i;
		via[i] = NULL;
	}
	for (i = 0; i < s->nhost; i++)
		for (j = i + 1; j < s->nhost; j++) {
			if (strcasecmp(s->hosts[i].name, s->hosts[j].name)
			    == 0 || !hosts_share(&s->hosts[i], &s->hosts[j],
			    &k))
				continue;
			/* The smaller index stays the root: a group is
			 * named by its most preferred exchanger. */
			r = share_root(up, i);
			m = share_root(up, j);
			if (m < r) {
				t = r;
				r = m;
				m = t;
			}
			if (via[r] == NULL)
				via[r] = via[m] != NULL ? via[m] :
				    s->hosts[i].addrs[k].text;
			up[m] = r;
		}
	b = buf_new(BUF_WHY_MAX);
	for (i = 0; i < s->nhost; i++) {
		if (share_root(up, i) != i)
			continue;
		for (n = 0, j = i + 1; j < s->nhost; j++)
			if (share_root(up, j) == i)
				n++;
		if (n == 0)
			continue;
		ngroups++;
		if (shown++ >= SHARED_GROUPS_SHOWN)
			continue;
		buf_printf(b, "%s%s", shown > 1 ? "; " : "", s->hosts[i].name);
		for (k = 1, j = i + 1; j < s->nhost; j++) {
			if (share_root(up, j) != i)
				continue;
			if (subject == NULL)
				subject = s->hosts[j].name;
			if (k++ < SHARED_NAMES_SHOWN)
				buf_printf(b, ", %s", s->hosts[j].name);
		}
		if (k > SHARED_NAMES_SHOWN) {
			buf_printf(b, ", ");
			buf_printf(b, R_("%zu more"), k - SHARED_NAMES_SHOWN);
		}
		buf_printf(b, " (%s)", via[i]);
	}
	if (ngroups == 1)
		findings_add(fs, F_MX_SHARED_ADDRESS, subject, "These "
		    "exchangers share an address: %s. When that server is "
		    "down, all of them are.", buf_str(b));
	else if (ngroups > 1)
		findings_add(fs, F_MX_SHARED_ADDRESS, subject, "%zu groups of "
		    "exchangers share an address: %s. When such a server is "
		    "down, its whole group is.", ngroups, buf_str(b));
	if (ngroups > SHARED_GROUPS_SHOWN)
		findings_appendn(fs, ngroups - SHARED_GROUPS_SHOWN,
		    "%zu more group is not shown.",
		    "%zu more groups are not shown.",
		    ngroups - SHARED_GROUPS_SHOWN);
	buf_free(b);
	free(via);
	free(up);
}

/* What the limits of facts/limits.h left out of this MX set. */
static void
limits(const struct mx_set *s, struct findings *fs)
{
	size_t i, n = 0, hosts = 0;
	const char *first = NULL;

	if (s->nover > 0)
		findings_add(fs, F_MX_LIMIT_EXCHANGERS, s->domain,
		    "%s lists %zu exchangers; the %d most preferred were "
		    "checked, the other %zu were not resolved or probed.",
		    s->domain, s->nhost - s->nnull, LIMIT_MX_HOSTS, s->nover);
	for (i = 0; i < s->nhost; i++)
		if (s->hosts[i].naddr_over > 0) {
			n += s->hosts[i].naddr_over;
			if (hosts++ == 0)
				first = s->hosts[i].name;
		}
	if (hosts > 1)
		findings_add(fs, F_MX_LIMIT_ADDRESSES, first,
		    "%s (and other exchangers) has more than %d addresses of "
		    "one family; %zu address(es) beyond the first %d of each "
		    "family were not probed in all.", first, LIMIT_MX_ADDRS,
		    n, LIMIT_MX_ADDRS);
	else if (hosts > 0)
		findings_add(fs, F_MX_LIMIT_ADDRESSES, first,
		    "%s has more than %d addresses of one family; %zu "
		    "address(es) beyond the first %d of each family were not "
		    "probed.", first, LIMIT_MX_ADDRS, n, LIMIT_MX_ADDRS);
}

/* Sessions that waited for the per-address cap (--per-address): a
 * limit mxprobe keeps, never a fault of the server. */
static void
addr_queued(const struct probe_facts *f, struct findings *fs)
{
	struct buf *b;
	size_t i;

	b = buf_new(BUF_WHY_MAX);
	for (i = 0; i < f->naddr_queued; i++)
		buf_printf(b, "%s%s", i > 0 ? ", " : "", f->addr_queued[i]);
	findings_addn(fs, F_SMTP_SOCKETS_QUEUED, f->domain,
	    f->smtp_addr_queued, "%lu SMTP session of %s waited for the "
	    "per-address cap (at most %u open at once to one address, "
	    "--per-address), at %s.", "%lu SMTP sessions of %s waited for "
	    "the per-address cap (at most %u open at once to one address, "
	    "--per-address), at %s.", f->smtp_addr_queued, f->domain,
	    f->addr_cap, buf_str(b));
	buf_free(b);
}

void
analyze_limits(const struct probe_facts *f, struct findings *fs)
{
	const struct dns_tally *t = &f->dns;
	struct buf *b;
	size_t i;

	if (t->refused > 0)
		findings_add(fs, F_DNS_QUERY_LIMIT, f->domain, "%s needed "
		    "more than %lu DNS questions; %lu were not asked and what "
		    "they would have told is not known.", f->domain, t->limit,
		    t->refused);
	if (t->cut > 0)
		findings_add(fs, F_DNS_ANSWER_CUT, f->domain, "%lu DNS "
		    "answer(s) for %s held more than %d records; the rest of "
		    "each was not read.", t->cut, f->domain, DNS_WIRE_MAX_RR);
	if (t->errors > 0) {
		b = buf_new(BUF_WHY_MAX);
		for (i = 0; i < t->nwhy; i++)
			buf_printf(b, "%s%s", i ? "; " : "", t->why[i]);
		if (t->errors > t->nwhy) {
			buf_printf(b, "; ");
			buf_printf(b, R_("%lu more"), t->errors - t->nwhy);
		}
		findings_add(fs, F_DNS_ANSWER_ERRORS, f->domain, "%lu DNS "
		    "answer(s) for %s could not be read: %s.", t->errors,
		    f->domain, buf_str(b));
		buf_free(b);
	}
	for (i = 0; i < f->nold; i++)
		if (f->old[i].from_propagation && f->old[i].naddr_over > 0)
			findings_add(fs, F_MX_LIMIT_ADDRESSES, f->old[i].name,
			    "%s, an exchanger of another MX set the "
			    "--propagation servers give, has more than %d "
			    "addresses of one family; %zu address(es) beyond "
			    "the first %d of each family were not probed.",
			    f->old[i].name, LIMIT_MX_ADDRS,
			    f->old[i].naddr_over, LIMIT_MX_ADDRS);
	if (f->smtp_queued > 0)
		findings_add(fs, F_SMTP_SOCKETS_QUEUED, f->domain, "%lu SMTP "
		    "session(s) of %s waited for a free connection slot (at "
		    "most %d per domain, and a cap per run below the "
		    "open-file limit).", f->smtp_queued, f->domain,
		    LIMIT_SOCKETS_DOMAIN);
	if (f->smtp_addr_queued > 0)
		addr_queued(f, fs);
}

static int
same_addresses(const struct mx_host *a, const struct mx_host *b)
{
	size_t i;

	if (a->naddr != b->naddr)
		return 0;
	for (i = 0; i < a->naddr; i++)	/* sorted by probe_mx */
		if (a->addrs[i].family != b->addrs[i].family ||
		    memcmp(a->addrs[i].addr, b->addrs[i].addr, 16) != 0)
			return 0;
	return 1;
}

/*
 * Several MX records that all lead to one server: one host listed twice
 * (at two preferences, as a "backup"), or several names with the same
 * addresses. A sender that fails on the first tries the same machine
 * again: there is no backup (RFC 5321 §5.1).
 */
static void
no_redundancy(const struct mx_set *s, struct findings *fs)
{
	const struct mx_host *first = NULL, *h;
	size_t i, n = 0;
	unsigned last = 0;
	int names = 0;

	for (i = 0; i < s->nhost; i++) {
		h = &s->hosts[i];
		if (h->ip_literal || strcmp(h->name, ".") == 0)
			continue;
		if (h->naddr == 0)
			return;		/* judged elsewhere */
		if (first == NULL)
			first = h;
		else if (!same_addresses(first, h))
			return;
		else if (strcasecmp(first->name, h->name) != 0)
			names = 1;
		last = h->pref;
		n++;
	}
	if (n < 2)
		return;
	if (names && first->naddr > 1)
		findings_add(fs, F_MX_NO_REDUNDANCY, s->domain,
		    "The %zu MX records of %s name hosts with the same "
		    "addresses (%s, ...): one server, no backup.", n,
		    s->domain, first->addrs[0].text);
	else if (names)
		findings_add(fs, F_MX_NO_REDUNDANCY, s->domain,
		    "The %zu MX records of %s name hosts with the same "
		    "address (%s): one server, no backup.", n, s->domain,
		    first->addrs[0].text);
	else
		findings_add(fs, F_MX_NO_REDUNDANCY, s->domain,
		    "The %zu MX records of %s all name %s (preferences %u to "
		    "%u): a sender that fails there tries the same server "
		    "again; there is no backup.", n, s->domain, first->name,
		    first->pref, last);
}

static int
any_lookup_failed(const struct mx_set *s)
{
	size_t i;

	for (i = 0; i < s->nhost; i++)
		if (s->hosts[i].naddr == 0 && (dns_outcome_failed(s->hosts[i].a_out) ||
		    dns_outcome_failed(s->hosts[i].aaaa_out)))
			return 1;
	return 0;
}

/* Exchangers a sender could connect to: a name with a usable address. */
static size_t
usable_hosts(const struct mx_set *s, const struct analyze_opts *o)
{
	size_t i, j, n = 0;

	for (i = 0; i < s->nhost; i++) {
		if (s->hosts[i].ip_literal)
			continue;
		for (j = 0; j < s->hosts[i].naddr; j++)
			if (analyze_addr_usable(o, s->hosts[i].addrs[j].family,
			    s->hosts[i].addrs[j].addr) &&
			    addr_cdn(s->hosts[i].addrs[j].family,
			    s->hosts[i].addrs[j].addr) == NULL) {
				n++;
				break;
			}
	}
	return n;
}

/*
 * Usable exchanger addresses only over IPv6: most of the mail on the
 * internet still comes from IPv4-only senders, which cannot deliver.
 */
static void
ipv6_only(const struct mx_set *s, const struct analyze_opts *o,
    struct findings *fs)
{
	size_t i, j, v4 = 0, v6 = 0;
	const struct mx_addr *a;

	for (i = 0; i < s->nhost; i++)
		for (j = 0; j < s->hosts[i].naddr; j++) {
			a = &s->hosts[i].addrs[j];
			if (!analyze_addr_usable(o, a->family, a->addr))
				continue;
			if (a->family == AF_INET)
				v4++;
			else
				v6++;
		}
	if (v6 > 0 && v4 == 0)
		findings_add(fs, F_MX_IPV6_ONLY, s->domain, "Every exchanger "
		    "of %s is reachable over IPv6 only: senders without IPv6 "
		    "(still most of them) cannot deliver.", s->domain);
}

static void
tag_list(struct buf *b, const uint16_t *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s%u", i ? ", " : "", t[i]);
}

static void
utc(uint32_t t, char *out, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(out, len, "%lu", (unsigned long)t);
}

/*
 * The MX question failed with SERVFAIL but, asked again with checking
 * disabled, the records came: the zone answers, validation fails (a
 * bogus chain, RFC 4035 §5.5). For every sender behind a validating
 * resolver the exchangers cannot be found. Why, where it can be told:
 * no DS of the zone names a key the zone publishes (RFC 4035 §5.2), or
 * the RRSIG's validity period is over or not begun (§5.3.1; serial
 * arithmetic on the 32-bit times, RFC 4034 §3.1.5).
 */
static int
bogus(const struct mx_set *s, struct findings *fs)
{
	const struct mx_bogus *b = &s->bogus;
	struct buf *ds, *keys;
	size_t i, j;
	int match = 0;
	char t1[64], t2[64];

	if (!b->asked || (b->out != DNS_OK && b->out != DNS_NODATA &&
	    b->out != DNS_NXDOMAIN))
		return 0;
	findings_add(fs, F_DNSSEC_BOGUS, s->domain, "The resolver answers "
	    "SERVFAIL for the MX of %s, but asked again with checking "
	    "disabled (CD) it gets the records: the DNSSEC chain is broken "
	    "(bogus), and every sender behind a validating resolver cannot "
	    "find the exchangers.", s->domain);
	if (b->out == DNS_OK)
		findings_append(fs, "Under CD the records say: MX %s.",
		    b->records ? b->records : "?");
	else if (b->out == DNS_NXDOMAIN)
		findings_append(fs, "Under CD the name does not exist "
		    "(NXDOMAIN).");
	else
		findings_append(fs, "Under CD there is no MX record "
		    "(NODATA).");
	for (i = 0; i < b->nds; i++)
		for (j = 0; j < b->nkey; j++)
			if (b->ds_tags[i] == b->key_tags[j])
				match = 1;
	if (b->signer != NULL && b->ds_out == DNS_OK && b->nds > 0 &&
	    b->dnskey_out == DNS_OK && b->nkey > 0 && !match) {
		ds = buf_new(BUF_WHY_MAX);
		keys = buf_new(BUF_WHY_MAX);
		tag_list(ds, b->ds_tags, b->nds);
		tag_list(keys, b->key_tags, b->nkey);
		findings_append(fs, "Why: the DS record of %s at its parent "
		    "names key tag %s, but the zone's DNSKEY records have key "
		    "tag %s: the DS does not match the DNSKEY.", b->signer,
		    buf_str(ds), buf_str(keys));
		buf_free(ds);
		buf_free(keys);
	} else if (b->have_sig &&
	    (int32_t)(b->expiration - (uint32_t)b->now) < 0) {
		utc(b->expiration, t1, sizeof(t1));
		findings_append(fs, "Why: the signatures (RRSIG) of %s expired "
		    "on %s.", b->signer ? b->signer : s->domain, t1);
	} else if (b->have_sig &&
	    (int32_t)((uint32_t)b->now - b->inception) < 0) {
		utc(b->inception, t2, sizeof(t2));
		findings_append(fs, "Why: the signatures (RRSIG) of %s are not "
		    "valid before %s.", b->signer ? b->signer : s->domain, t2);
	} else
		findings_append(fs, "Why could not be told from the DS, the "
		    "DNSKEY and the signatures' dates (a wrong signature or "
		    "algorithm, or a broken chain above %s).",
		    b->signer ? b->signer : s->domain);
	return 1;
}

void
analyze_mx(const struct mx_set *s, const struct analyze_opts *o,
    struct findings *fs)
{
	size_t i, j;

	switch (s->outcome) {
	case DNS_NXDOMAIN:
		findings_add(fs, F_DOMAIN_NXDOMAIN, s->domain,
		    "%s does not exist in the DNS (NXDOMAIN).", s->domain);
		return;
	case DNS_OK:
	case DNS_NODATA:
		break;
	default:
		if (bogus(s, fs))
			return;
		if (s->why != NULL)
			findings_add(fs, F_MX_LOOKUP_FAILED, s->domain,
			    "The MX records of %s could not be read: %s, %s.",
			    s->domain, dns_outcome_name(s->outcome), s->why);
		else
			findings_add(fs, F_MX_LOOKUP_FAILED, s->domain,
			    "The MX records of %s could not be read: %s.",
			    s->domain, dns_outcome_name(s->outcome));
		return;
	}
	if (s->null_mx) {
		if (s->nnull == s->nhost) {
			findings_add(fs, F_MX_NULL, s->domain,
			    "%s publishes a null MX (\"0 .\"): it declares "
			    "that it accepts no mail.", s->domain);
			return;
		}
		findings_add(fs, F_MX_NULL_MIXED, s->domain,
		    "%s publishes a null MX next to %zu other MX record(s); "
		    "senders may bounce mail at once.", s->domain,
		    s->nhost - s->nnull);
	}
	if (s->implicit) {
		const struct mx_host *h = &s->hosts[0];

		if (h->naddr > 0)
			findings_add(fs, F_MX_IMPLICIT, s->domain,
			    "%s has no MX record; senders deliver to its own "
			    "address (%s) after a second lookup.", s->domain,
			    h->addrs[0].text);
		else if (dns_outcome_failed(h->a_out) || dns_outcome_failed(h->aaaa_out))
			findings_add(fs, F_MX_TARGET_LOOKUP_FAILED, s->domain,
			    "%s has no MX record and its address could not "
			    "be resolved (A: %s, AAAA: %s).", s->domain,
			    dns_outcome_name(h->a_out),
			    dns_outcome_name(h->aaaa_out));
		else {
			findings_add(fs, F_MX_NONE, s->domain,
			    "%s has neither an MX record nor an address: "
			    "mail to it cannot be delivered.", s->domain);
			return;
		}
	}
	for (i = 0; i < s->nhost; i++) {
		if (strcmp(s->hosts[i].name, ".") == 0)
			continue;
		for (j = 0; j < i; j++)
			if (strcasecmp(s->hosts[i].name, s->hosts[j].name)
			    == 0)
				break;
		if (j < i) {
			findings_add(fs, F_MX_DUPLICATE, s->hosts[i].name,
			    "%s is listed more than once in the MX set.",
			    s->hosts[i].name);
			continue;
		}
		if (s->implicit && s->hosts[i].naddr == 0)
			continue;
		if (s->hosts[i].over_limit)
			continue;	/* not resolved: MX_LIMIT_EXCHANGERS */
		host_findings(s, &s->hosts[i], o, fs);
	}
	limits(s, fs);
	/* Every exchanger on one server is one finding, no redundancy; the
	 * shared-address finding is for a set that has other servers too. */
	no_redundancy(s, fs);
	if (!findings_has(fs, F_MX_NO_REDUNDANCY))
		shared_addresses(s, fs);
	ipv6_only(s, o, fs);
	if (usable_hosts(s, o) == 0 && !any_lookup_failed(s))
		findings_add(fs, F_MX_NO_USABLE_EXCHANGER, s->domain,
		    "None of the %zu exchanger(s) of %s has an address a "
		    "sender could connect to: mail cannot be delivered.",
		    s->nhost - s->nnull, s->domain);
	if (s->wildcard_target != NULL)
		findings_add(fs, F_MX_WILDCARD, s->domain,
		    "A random name under %s (%s) has an MX record too (%s): "
		    "the zone has a wildcard MX.", s->domain,
		    s->wildcard_name, s->wildcard_target);
}
