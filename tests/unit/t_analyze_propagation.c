/*
 * t_analyze_propagation - propagation_join() over literal facts: port 25
 * behind each propagation server's MX set (the set the main run probed,
 * another set whose exchanger answers, is down, or was cut short), and
 * the PROPAGATION_SET_DOWN finding propagation_analyze() raises from it;
 * an exchanger of another set past the limit of exchangers probed is
 * marked over_limit and named in MX_LIMIT_EXCHANGERS, and only then.
 */
#include <sys/socket.h>

#include <string.h>

#include "analyze/analyze.h"
#include "analyze/findings.h"
#include "facts/mx_facts.h"
#include "facts/probe_facts.h"
#include "facts/propagation_facts.h"
#include "facts/smtp_facts.h"
#include "tap.h"

static struct propagation_mx mx_old[] = { { 10, "mx-old.ex.test", 0 } };
static struct propagation_mx mx_new[] = { { 10, "MX-NEW.ex.test.", 0 } };
static struct propagation_mx mx_both[] = {
	{ 10, "mx-new.ex.test", 0 }, { 20, "mx-old.ex.test", 0 }
};
static struct propagation_mx mx_null[] = { { 0, ".", 0 } };

#define AUTH(n, a, out, aa, mx, nmx) \
	{ PROPAGATION_AUTHORITATIVE, n, a, out, aa, 0, mx, nmx, 300, 1, \
	  NULL, 0, 0, PROPAGATION_SMTP_UNKNOWN }
#define RES(n, out, ref, mx, nmx) \
	{ PROPAGATION_RESOLVER, n, n, out, 0, ref, mx, nmx, 120, 1, NULL, \
	  0, 0, PROPAGATION_SMTP_UNKNOWN }

/* How the other exchanger, mx-old.ex.test, fared (facts->old). */
enum old_how {
	OLD_NONE,		/* not probed: past the limit */
	OLD_UNRESOLVED,		/* the deadline cut its address lookup */
	OLD_NOADDR,		/* resolved, no address */
	OLD_ADDR_FAILED,	/* its address questions failed */
	OLD_DOWN,		/* refused: decided, no 220 */
	OLD_ANSWERS,		/* greeted 220 */
	OLD_CUT			/* probed, the deadline ended the session */
};

/* How the main run fared. */
enum main_how {
	MAIN_ANSWERS,		/* mx-new probed, 220 */
	MAIN_DNS_ONLY,		/* --dns-only: nothing probed */
	MAIN_MX_FAILED		/* the MX question timed out */
};

#define U	PROPAGATION_SMTP_UNKNOWN
#define P	PROPAGATION_SMTP_PROBED_SET
#define A	PROPAGATION_SMTP_ANSWERS
#define D	PROPAGATION_SMTP_DOWN

struct jcase {
	const char			*name;
	struct propagation_server	 servers[4];
	size_t				 nservers;
	enum main_how			 main;
	enum old_how			 old;
	enum propagation_smtp		 want[4];
	size_t				 ndown;	/* PROPAGATION_SET_DOWN */
	const char			*subject;	/* of the first */
	const char			*text;	/* in its message */
	size_t				 nlimit; /* MX_LIMIT_EXCHANGERS */
	const char			*limit_text; /* in its message */
};

static const struct jcase cases[] = {
	{ "disagreeing sets, the other set down",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	    RES("198.51.100.53", DNS_OK, 0, mx_new, 1) }, 3,
	  MAIN_ANSWERS, OLD_DOWN, { D, P, P }, 1, "ns1.ex.test",
	  "Senders whose resolver gets the MX set of ex.test from "
	  "ns1.ex.test (192.0.2.1) defer mail: none of its exchangers "
	  "(10 mx-old.ex.test) answers on port 25.", 0, NULL },
	{ "disagreeing sets, the other set answers",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_ANSWERS, { A, P }, 0, NULL, NULL, 0, NULL },
	{ "disagreeing sets, the other set's session cut by the deadline",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_CUT, { U, P }, 0, NULL, NULL, 0, NULL },
	{ "disagreeing sets, the other set's address lookup cut short",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_UNRESOLVED, { U, P }, 0, NULL, NULL, 0, NULL },
	{ "disagreeing sets, the other exchanger past the limit",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_NONE, { U, P }, 0, NULL, NULL, 1,
	  "The MX sets that ns1.ex.test (192.0.2.1) give for ex.test name "
	  "more exchangers outside its own set than mxprobe probes (10 per "
	  "domain); not probed on port 25: mx-old.ex.test (1 in all), so "
	  "whether port 25 answers behind those sets is unknown." },
	{ "two servers and a resolver give the exchanger past the limit: "
	  "named once",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	    AUTH("ns3.ex.test", "192.0.2.3", DNS_OK, 1, mx_old, 1),
	    RES("198.51.100.53", DNS_OK, 0, mx_both, 2) }, 4,
	  MAIN_ANSWERS, OLD_NONE, { U, P, U, A }, 0, NULL, NULL, 1,
	  "that ns1.ex.test (192.0.2.1), ns3.ex.test (192.0.2.3) give for "
	  "ex.test name more exchangers outside its "
	  "own set than mxprobe probes (10 per domain); not probed on port "
	  "25: mx-old.ex.test (1 in all)" },
	{ "the exchanger past the limit shares its set with one that answers",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_both, 2),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_NONE, { A, P }, 0, NULL, NULL, 1,
	  "The other MX sets the --propagation servers give for ex.test name "
	  "more exchangers outside its own set than mxprobe probes (10 per "
	  "domain); not probed on port 25: mx-old.ex.test (1 in all); "
	  "another exchanger of each of those sets answers." },
	{ "disagreeing sets, the other exchanger has no address",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_NOADDR, { D, P }, 1, "ns1.ex.test", NULL, 0, NULL },
	{ "disagreeing sets, the other exchanger's address lookup failed",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_ADDR_FAILED, { U, P }, 0, NULL, NULL, 0, NULL },
	{ "agreeing servers: all the probed set",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_new, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	    RES("198.51.100.53", DNS_OK, 0, mx_new, 1) }, 3,
	  MAIN_ANSWERS, OLD_NONE, { P, P, P }, 0, NULL, NULL, 0, NULL },
	{ "two servers and a resolver share the dead set: one finding",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1),
	    AUTH("ns3.ex.test", "192.0.2.3", DNS_OK, 1, mx_old, 1),
	    RES("198.51.100.53", DNS_OK, 0, mx_old, 1) }, 4,
	  MAIN_ANSWERS, OLD_DOWN, { D, P, D, D }, 1, "ns1.ex.test",
	  "from ns1.ex.test (192.0.2.1), ns3.ex.test (192.0.2.3), "
	  "198.51.100.53 defer mail", 0, NULL },
	{ "a set overlapping the probed one: its probed host answers",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_both, 2),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_ANSWERS, OLD_DOWN, { A, P }, 0, NULL, NULL, 0, NULL },
	{ "--dns-only: nothing known, the probed set not claimed",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_DNS_ONLY, OLD_NONE, { U, U }, 0, NULL, NULL, 0, NULL },
	{ "the main MX question failed: both sets from their own runs",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 1, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_OK, 1, mx_new, 1) }, 2,
	  MAIN_MX_FAILED, OLD_DOWN, { D, A }, 1, "ns1.ex.test", NULL, 0, NULL },
	{ "no judgeable answer: lame, silent, referral, NODATA, null MX",
	  { AUTH("ns1.ex.test", "192.0.2.1", DNS_OK, 0, mx_old, 1),
	    AUTH("ns2.ex.test", "192.0.2.2", DNS_TIMEOUT, 0, NULL, 0),
	    RES("127.0.0.1:53", DNS_NODATA, 1, NULL, 0),
	    AUTH("ns4.ex.test", "192.0.2.4", DNS_OK, 1, mx_null, 1) }, 4,
	  MAIN_ANSWERS, OLD_DOWN, { U, U, U, U }, 0, NULL, NULL, 0, NULL },
};

/* One address each; the join reads only how many. */
static struct mx_addr new_addr, old_addr;

/* The probe facts of one case; parts static, reset each time. */
static void
facts_make(const struct jcase *c, struct probe_facts *pf, struct mx_set *mx,
    struct mx_host *host, struct probe_target *t, struct smtp_result *r,
    struct probe_old *o, int *answers, int *probed, int *decided)
{
	memset(pf, 0, sizeof(*pf));
	memset(mx, 0, sizeof(*mx));
	memset(host, 0, sizeof(*host));
	memset(t, 0, sizeof(*t));
	memset(r, 0, sizeof(*r));
	memset(o, 0, sizeof(*o));
	pf->domain = "ex.test";
	pf->mx = mx;
	mx->domain = "ex.test";
	mx->outcome = c->main == MAIN_MX_FAILED ? DNS_TIMEOUT : DNS_OK;
	if (c->main != MAIN_MX_FAILED) {
		host->name = "mx-new.ex.test";
		host->pref = 10;
		host->addrs = &new_addr;
		host->naddr = 1;
		mx->hosts = host;
		mx->nhost = 1;
		pf->targets = t;
		pf->ntargets = 1;
		r->banner.code = 220;
		if (c->main == MAIN_ANSWERS) {
			t->smtp = r;
			pf->smtp_probed = 1;
		}
	} else
		pf->smtp_probed = 1;
	answers[0] = c->old == OLD_ANSWERS;
	probed[0] = c->old == OLD_DOWN || c->old == OLD_ANSWERS ||
	    c->old == OLD_CUT;
	decided[0] = c->old == OLD_DOWN || c->old == OLD_ANSWERS;
	o->name = "mx-old.ex.test";
	o->from_propagation = 1;
	o->resolved = c->old != OLD_UNRESOLVED;
	o->addrs = &old_addr;
	o->naddr = c->old == OLD_NOADDR || c->old == OLD_ADDR_FAILED ? 0 : 1;
	o->addr_failed = c->old == OLD_ADDR_FAILED;
	if (o->resolved) {
		o->answers = answers;
		o->probed = probed;
		o->decided = decided;
	}
	if (c->old != OLD_NONE) {
		pf->old = o;
		pf->nold = 1;
	}
	/* The main run failed: mx-new was probed as another set's host. */
	if (c->main == MAIN_MX_FAILED) {
		static struct probe_old two[2];
		static int a1 = 1, p1 = 1, d1 = 1;

		two[0] = *o;
		memset(&two[1], 0, sizeof(two[1]));
		two[1].name = "mx-new.ex.test";
		two[1].from_propagation = 1;
		two[1].resolved = 1;
		two[1].addrs = &new_addr;
		two[1].naddr = 1;
		two[1].answers = &a1;
		two[1].probed = &p1;
		two[1].decided = &d1;
		pf->old = two;
		pf->nold = 2;
	}
}

/* The first finding with this code (NULL if none); *n how many. */
static const struct finding *
first_of(const struct findings *fs, enum finding_code code, size_t *n)
{
	const struct finding *first = NULL;
	size_t k;

	*n = 0;
	for (k = 0; k < findings_count(fs); k++)
		if (findings_get(fs, k)->code == code && (*n)++ == 0)
			first = findings_get(fs, k);
	return first;
}

static const char *
state_name(enum propagation_smtp s)
{
	return s == P ? "probed-set" : s == A ? "answers" : s == D ? "down" :
	    "unknown";
}

int
main(void)
{
	struct propagation_server sv[4];
	struct propagation_facts f;
	struct probe_facts pf;
	struct mx_set mx;
	struct mx_host host;
	struct probe_target t;
	struct smtp_result r;
	struct probe_old o;
	int answers[1], probed[1], decided[1];
	const struct finding *fd;
	struct findings *fs;
	size_t i, k, ndown;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct jcase *c = &cases[i];

		memcpy(sv, c->servers, sizeof(sv));
		memset(&f, 0, sizeof(f));
		f.domain = "ex.test";
		f.zone = "ex.test";
		f.ns_outcome = DNS_OK;
		f.servers = sv;
		f.nservers = c->nservers;
		facts_make(c, &pf, &mx, &host, &t, &r, &o, answers, probed,
		    decided);
		propagation_join(&f, &pf);
		for (k = 0; k < c->nservers; k++)
			if (!ok(sv[k].smtp == c->want[k], "%s: server %zu (%s) "
			    "is %s", c->name, k, sv[k].name,
			    state_name(c->want[k])))
				diag("got %s", state_name(sv[k].smtp));
		fs = findings_new();
		propagation_analyze(&f, NULL, NULL, fs);
		fd = first_of(fs, F_PROPAGATION_SET_DOWN, &ndown);
		if (!ok(ndown == c->ndown, "%s: %zu PROPAGATION_SET_DOWN",
		    c->name, c->ndown))
			diag("got %zu", ndown);
		if (c->subject != NULL)
			ok(fd != NULL && strcmp(fd->subject, c->subject) == 0,
			    "%s: it names %s", c->name, c->subject);
		if (c->text != NULL && !ok(fd != NULL &&
		    strstr(fd->message, c->text) != NULL, "%s: it says "
		    "\"%s\"", c->name, c->text))
			diag("got %s", fd ? fd->message : "nothing");
		fd = first_of(fs, F_MX_LIMIT_EXCHANGERS, &ndown);
		if (!ok(ndown == c->nlimit, "%s: %zu MX_LIMIT_EXCHANGERS",
		    c->name, c->nlimit))
			diag("got %zu", ndown);
		if (c->limit_text != NULL && !ok(fd != NULL &&
		    strcmp(fd->subject, "ex.test") == 0 &&
		    strstr(fd->message, c->limit_text) != NULL, "%s: about "
		    "ex.test, it says \"%s\"", c->name, c->limit_text))
			diag("got %s", fd ? fd->message : "nothing");
		/* The JSON's over_limit: exactly the hosts not probed. */
		for (k = 0, ndown = 0; k < c->nservers; k++) {
			size_t j;

			for (j = 0; j < sv[k].nmx; j++)
				ndown += sv[k].mx[j].over_limit != 0;
		}
		if (!ok((ndown > 0) == (c->nlimit > 0), "%s: over_limit "
		    "marked %s", c->name, c->nlimit ? "on the hosts not "
		    "probed" : "nowhere"))
			diag("got %zu marks", ndown);
		findings_free(fs);
	}

	/* Without the probe's facts, or before the join: unknown. */
	memcpy(sv, cases[0].servers, sizeof(sv));
	memset(&f, 0, sizeof(f));
	f.domain = "ex.test";
	f.servers = sv;
	f.nservers = cases[0].nservers;
	sv[0].smtp = D;
	propagation_join(&f, NULL);
	ok(sv[0].smtp == U && sv[1].smtp == U, "no probe facts: unknown");
	fs = findings_new();
	propagation_analyze(&f, NULL, NULL, fs);
	ok(!findings_has(fs, F_PROPAGATION_SET_DOWN),
	    "nothing known: no PROPAGATION_SET_DOWN");
	findings_free(fs);
	propagation_join(NULL, &pf);
	ok(1, "a NULL propagation is a no-op");
	return tap_done();
}
