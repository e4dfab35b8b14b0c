/*
 * Unit tests for src/analyze/analyze.c over literal facts: the order of
 * the checks of analyze_probe() (MX, SMTP, DANE, cutover, authentication,
 * limits), what it skips (a failed MX lookup, a domain that does not
 * exist), and the joins of analyze_auth(): DMARC's p=reject check learns
 * from the SPF tree and the DKIM selectors whether each can pass, and
 * MTA-STS learns the MX hosts and whether their certificates validated.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/analyze_cutover.h"
#include "analyze/findings.h"
#include "facts/auth_facts.h"
#include "facts/dns_facts.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/smtp_facts.h"
#include "facts/spf_facts.h"
#include "parse/dkim.h"
#include "parse/dmarc.h"
#include "parse/mtasts.h"
#include "parse/tlsrpt.h"
#include "util/buf.h"
#include "dkim_keys.h"
#include "findings_codes.h"
#include "tap.h"

#define POLICY	"version: STSv1\nmode: enforce\nmx: *.ex.test\n" \
	"max_age: 604800\n"

static const struct dkim_selector sel_good[] = {
	{ "s1", DNS_OK, (const struct taglist_txt[]){ { "v=DKIM1; p=" RSA2048,
	    sizeof("v=DKIM1; p=" RSA2048) - 1 } }, 1, NULL },
};
static const struct dkim_selector sel_none[] = {
	{ "s1", DNS_NXDOMAIN, NULL, 0, NULL },
};

/* File scope: a compound literal in setup() would not outlive it. */
static const struct taglist_txt dmarc_txt[] = {
	{ "v=DMARC1; p=reject; rua=mailto:d@ex.test",
	    sizeof("v=DMARC1; p=reject; rua=mailto:d@ex.test") - 1 },
};
static const struct taglist_txt sts_txt[] = {
	{ "v=STSv1; id=1", sizeof("v=STSv1; id=1") - 1 },
};
static const struct taglist_txt rpt_txt[] = {
	{ "v=TLSRPTv1; rua=mailto:t@ex.test",
	    sizeof("v=TLSRPTv1; rua=mailto:t@ex.test") - 1 },
};

static struct mx_host hosts[2];
static struct mx_addr addrs[2];
static struct mx_set mx;
static struct probe_target targets[2];
static struct smtp_result res[2];
static struct tls_cert_facts chain[2];
static struct probe_facts facts;
static struct auth_facts auth;
static struct spf_node spf_root;
static struct spf_analysis spf;

/* Two healthy exchangers and a domain whose SPF, DKIM, DMARC (p=reject),
 * MTA-STS (enforce) and TLS-RPT are in place. */
static void
setup(void)
{
	size_t i;

	memset(hosts, 0, sizeof(hosts));
	memset(addrs, 0, sizeof(addrs));
	memset(&mx, 0, sizeof(mx));
	memset(targets, 0, sizeof(targets));
	memset(res, 0, sizeof(res));
	memset(chain, 0, sizeof(chain));
	memset(&facts, 0, sizeof(facts));
	memset(&auth, 0, sizeof(auth));
	memset(&spf_root, 0, sizeof(spf_root));
	memset(&spf, 0, sizeof(spf));
	mx.domain = "ex.test";
	mx.outcome = DNS_OK;
	mx.hosts = hosts;
	mx.nhost = 2;
	for (i = 0; i < 2; i++) {
		hosts[i].name = i == 0 ? "mx1.ex.test" : "mx2.ex.test";
		hosts[i].pref = (uint16_t)(10 * (i + 1));
		hosts[i].group = (unsigned)i;
		hosts[i].a_out = DNS_OK;
		hosts[i].aaaa_out = DNS_NODATA;
		hosts[i].addrs = &addrs[i];
		hosts[i].naddr = 1;
		addrs[i].family = AF_INET;
		inet_pton(AF_INET, i == 0 ? "94.130.1.1" : "95.216.1.1",
		    addrs[i].addr);
		strcpy(addrs[i].text, i == 0 ? "94.130.1.1" : "95.216.1.1");
		targets[i].host = i;
		targets[i].smtp = &res[i];
		targets[i].ptr_out = DNS_OK;
		targets[i].ptr = hosts[i].name;
		targets[i].fcrdns = 1;
		res[i].outcome = SMTP_OK;
		res[i].why = "";
		res[i].banner.code = 220;
		res[i].banner_host = hosts[i].name;
		res[i].ehlo_ok = res[i].ehlo_tls_ok = 1;
		res[i].starttls_offered = 1;
		res[i].tls_done = 1;
		res[i].ehlo_name = "probe.ex.test";
		chain[i].subject = "CN=mx.ex.test";
		chain[i].issuer = "CN=CA";
		chain[i].days_left = 300;
		strcpy(chain[i].not_after, "2027-10-01T00:00:00Z");
		res[i].tls.chain = &chain[i];
		res[i].tls.nchain = 1;
		res[i].tls.verify_ok = 1;
		res[i].tls.name_ok = 1;
		res[i].tls.version = "TLSv1.3";
	}
	facts.domain = "ex.test";
	facts.mx = &mx;
	facts.targets = targets;
	facts.ntargets = 2;
	facts.smtp_probed = 1;

	spf_root.domain = "ex.test";
	spf_root.status = SPF_NODE_OK;
	spf_root.records_found = 1;
	spf_root.txt_size = 40;
	spf_root.all_qual = '-';
	spf.domain = "ex.test";
	spf.root = &spf_root;
	spf.all_qual = '-';
	spf.done = 1;
	auth.domain = "ex.test";
	auth.spf = &spf;
	auth.dmarc = (struct dmarc_facts){ "ex.test", "ex.test",
	    { DNS_OK, dmarc_txt, 1 }, 0,
	    { 0 }, NULL, 0, 1, 1, NULL };
	auth.dkim = (struct dkim_facts){ "ex.test", sel_good, 1, 1 };
	auth.mtasts = (struct mtasts_facts){ "ex.test", DNS_OK,
	    sts_txt, 1, MTASTS_FETCH_OK, 200, NULL, POLICY,
	    sizeof(POLICY) - 1, NULL, 0 };
	auth.tlsrpt = (struct tlsrpt_facts){ "ex.test", DNS_OK,
	    rpt_txt, 1 };
	facts.auth = &auth;
}

static struct findings *
probe(const struct analyze_opts *o)
{
	static const struct analyze_opts none;
	struct findings *fs = findings_new();

	analyze_probe(&facts, o != NULL ? o : &none, fs);
	return fs;
}

static struct findings *
auth_only(void)
{
	struct findings *fs = findings_new();

	analyze_auth(&auth, &facts, fs);
	return fs;
}

static void
expect(struct findings *fs, const char *want, const char *name)
{
	struct buf *b = buf_new(512);

	codes(fs, b);
	is_str(buf_str(b), want, name);
	buf_free(b);
}

static void
test_probe(void)
{
	static const char *expect_mx[] = { "mx1.ex.test", "mx9.ex.test",
	    NULL };
	struct findings *fs;
	struct cutover_opts co;
	struct analyze_opts o;

	setup();
	fs = probe(NULL);
	expect(fs, "DNSSEC_UNSIGNED", "a healthy domain: only DNSSEC is "
	    "missing");
	findings_free(fs);

	/* No MX answer before the deadline: authentication still judged,
	 * then the limits. */
	setup();
	facts.mx = NULL;
	facts.dns.limit = 100;
	facts.dns.refused = 3;
	spf_root.all_qual = spf.all_qual = '~';
	fs = probe(NULL);
	expect(fs, "MX_LOOKUP_FAILED SPF_SOFTFAIL_ALL DNS_QUERY_LIMIT", "MX "
	    "lookup failed: authentication, then limits");
	finding_says(fs, 0, "ex.test", "The MX records of ex.test could not "
	    "be read before the deadline.", "MX lookup failed");
	findings_free(fs);

	setup();
	facts.mx = NULL;
	facts.auth = NULL;
	fs = probe(NULL);
	expect(fs, "MX_LOOKUP_FAILED", "MX lookup failed, no authentication "
	    "facts");
	findings_free(fs);

	/* A domain that does not exist has no policy to judge. */
	setup();
	mx.outcome = DNS_NXDOMAIN;
	mx.nhost = 0;
	facts.ntargets = 0;
	auth.dmarc.own.outcome = DNS_NXDOMAIN;
	facts.dns.cut = 1;
	fs = probe(NULL);
	expect(fs, "DOMAIN_NXDOMAIN DNS_ANSWER_CUT", "NXDOMAIN: no "
	    "authentication findings, the limits still");
	findings_free(fs);

	/* The order: MX, SMTP, DANE, cutover, authentication, limits. */
	setup();
	hosts[1].canonical = "real.ex.test";
	res[1].tls.version = "TLSv1";
	auth.dmarc.own = (struct dmarc_lookup){ DNS_NXDOMAIN, NULL, 0 };
	facts.smtp_queued = 2;
	memset(&co, 0, sizeof(co));
	co.expect_mx = expect_mx;
	co.max_ttl = -1;
	co.auth_ttl = -1;
	memset(&o, 0, sizeof(o));
	o.cutover = &co;
	fs = probe(&o);
	expect(fs, "MX_TARGET_CNAME TLS_OLD_VERSION FALLBACK_BACKUP_WEAKER "
	    "DNSSEC_UNSIGNED EXPECT_MX_MISMATCH DMARC_MISSING "
	    "SMTP_SOCKETS_QUEUED",
	    "every check, in report order");
	findings_free(fs);

	setup();
	o.cutover = NULL;
	fs = probe(&o);
	ok(!findings_has(fs, F_EXPECT_MX_MISMATCH), "no cutover options: no "
	    "cutover check");
	findings_free(fs);
}

static void
test_auth(void)
{
	struct findings *fs;

	setup();
	fs = findings_new();
	analyze_auth(NULL, &facts, fs);
	is_int(findings_count(fs), 0, "no authentication facts: nothing");
	findings_free(fs);

	setup();
	fs = auth_only();
	expect(fs, "", "SPF, DKIM, DMARC, MTA-STS, TLS-RPT in place");
	findings_free(fs);

	/* SPF did not finish: DMARC cannot say SPF never passes. */
	setup();
	auth.spf = NULL;
	auth.dkim.sel = sel_none;
	fs = auth_only();
	expect(fs, "SPF_LOOKUP_FAILED DMARC_REJECT_WITHOUT_AUTH "
	    "DKIM_NO_KEY_FOUND", "SPF not read: only DKIM is missing");
	finding_says(fs, 0, "ex.test", "The SPF policy of ex.test could not "
	    "be read before the overall deadline.", "SPF not read");
	finding_says(fs, 1, "ex.test", "p=reject while no DKIM key was found",
	    "SPF unknown: DMARC speaks of DKIM only");
	findings_free(fs);

	setup();
	auth.spf = NULL;
	fs = auth_only();
	expect(fs, "SPF_LOOKUP_FAILED", "SPF not read, DKIM in place: no "
	    "DMARC verdict");
	findings_free(fs);

	setup();
	spf.root = NULL;
	fs = auth_only();
	expect(fs, "", "an SPF tree without a root: unknown, no verdict");
	findings_free(fs);

	setup();
	spf_root.status = SPF_NODE_TEMPERROR;
	spf_root.error = "TIMEOUT";
	fs = auth_only();
	expect(fs, "SPF_LOOKUP_FAILED", "SPF temperror: unknown, no DMARC "
	    "verdict");
	findings_free(fs);

	setup();
	spf_root.status = SPF_NODE_PENDING;
	fs = auth_only();
	expect(fs, "", "SPF pending: unknown, no verdict");
	findings_free(fs);

	/* No SPF record: SPF never passes. */
	setup();
	spf_root.status = SPF_NODE_NONE;
	fs = auth_only();
	expect(fs, "SPF_MISSING DMARC_REJECT_WITHOUT_AUTH", "no SPF record");
	finding_says(fs, 1, "ex.test", "p=reject while no SPF record is "
	    "published: mail that loses the remaining mechanism", "no SPF: "
	    "DMARC says so");
	findings_free(fs);

	/* A record that ends in permerror: DMARC names why. */
	setup();
	spf_root.status = SPF_NODE_SYNTAX;
	spf_root.errpos = 8;
	spf_root.error = "unknown mechanism";
	fs = auth_only();
	expect(fs, "SPF_SYNTAX_ERROR DMARC_REJECT_WITHOUT_AUTH", "SPF syntax "
	    "error");
	finding_says(fs, 1, "ex.test", "p=reject while the SPF policy ends in "
	    "permerror (a syntax error), so SPF never passes:", "permerror "
	    "named");
	findings_free(fs);

	setup();
	spf.lookups = 12;
	spf_root.own_lookups = spf_root.lookups = 12;
	auth.dkim.sel = sel_none;
	fs = auth_only();
	expect(fs, "SPF_TOO_MANY_LOOKUPS DMARC_REJECT_WITHOUT_AUTH "
	    "DKIM_NO_KEY_FOUND", "too many lookups, no DKIM");
	finding_says(fs, 1, "ex.test", "p=reject while the SPF policy ends in "
	    "permerror (12 DNS lookups, over the limit of 10), so SPF never "
	    "passes, and no DKIM key was found: every message fails DMARC",
	    "both fail, permerror named");
	findings_free(fs);

	/* Selectors guessed, none found: DKIM unknown, no verdict. */
	setup();
	auth.dkim = (struct dkim_facts){ "ex.test", sel_none, 1, 0 };
	fs = auth_only();
	expect(fs, "DKIM_NO_KEY_FOUND", "guessed selectors: DKIM unknown, "
	    "no DMARC verdict");
	findings_free(fs);

	/* MTA-STS learns the MX hosts and their certificates. */
	setup();
	res[1].tls.verify_ok = 0;
	res[1].tls.verify_error_str = "self-signed certificate";
	fs = auth_only();
	expect(fs, "MTASTS_CERT_INVALID", "an MX without a valid "
	    "certificate under an enforced policy");
	finding_says(fs, 0, "mx2.ex.test", "MX mx2.ex.test does not present a "
	    "valid certificate", "the MX of the probe");
	findings_free(fs);

	setup();
	hosts[1].name = "mx.other.test";
	fs = auth_only();
	expect(fs, "MTASTS_MX_NOT_COVERED", "an MX the policy does not name");
	finding_says(fs, 0, "mx.other.test", "MX mx.other.test matches no mx "
	    "line", "uncovered MX");
	findings_free(fs);

	setup();
	hosts[1].name = "mx.other.test";
	mx.outcome = DNS_SERVFAIL;
	fs = auth_only();
	expect(fs, "", "no MX answer: no MX to hold against the policy");
	findings_free(fs);

	setup();
	auth.tlsrpt.outcome = DNS_NXDOMAIN;
	auth.tlsrpt.txt = NULL;
	auth.tlsrpt.ntxt = 0;
	fs = auth_only();
	expect(fs, "TLSRPT_MISSING", "TLS-RPT judged last");
	findings_free(fs);
}

int
main(void)
{
	test_probe();
	test_auth();
	return tap_done();
}
