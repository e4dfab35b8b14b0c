/* Unit tests for src/analyze/findings.c: --accept rules and the status. */
#include <stdlib.h>
#include <string.h>

#include "analyze/findings.h"
#include "analyze/score.h"
#include "tap.h"

static struct findings *
sample(void)
{
	struct findings *fs = findings_new();

	findings_add(fs, F_FALLBACK_SAME_NETWORK, "Example.COM", "one /24");
	findings_add(fs, F_SMTP_NO_FCRDNS, "mx1.example.com[192.0.2.1]",
	    "no PTR");
	findings_add(fs, F_SMTP_NO_FCRDNS, "mx2.example.com[192.0.2.2]",
	    "no PTR");
	return fs;
}

static int
naccepted(const struct findings *fs)
{
	size_t i;
	int n = 0;

	for (i = 0; i < findings_count(fs); i++)
		n += findings_get(fs, i)->accepted;
	return n;
}

int
main(void)
{
	struct findings *fs;
	struct score before, after;

	is_int(finding_accept_code("FALLBACK_SAME_NETWORK"),
	    F_FALLBACK_SAME_NETWORK, "accept code alone");
	is_int(finding_accept_code("fallback_same_network:x.example"),
	    F_FALLBACK_SAME_NETWORK, "accept code, any case, with subject");
	is_int(finding_accept_code("NO_SUCH_CODE"), -1, "unknown code");
	is_int(finding_accept_code("FALLBACK_SAME"), -1, "a prefix is no code");
	is_int(finding_accept_code(""), -1, "empty rule");
	is_int(finding_accept_code(":example.com"), -1, "subject alone");

	fs = sample();
	is_int(findings_status(fs), 1, "a WARNING finding: WARNING");
	score_compute(fs, &before);
	ok(before.points[0] > 0, "the finding costs points before");
	is_int(findings_accept(fs, "FALLBACK_SAME_NETWORK:example.com."), 1,
	    "subject matches, case and trailing dot aside");
	ok(findings_get(fs, 0)->accepted, "the finding is marked accepted");
	is_int((int)findings_count(fs), 3, "and stays in the list");
	is_int(findings_status(fs), 0, "an accepted finding sets no status");
	score_compute(fs, &after);
	is_int(after.points[0], 0, "an accepted finding costs no points");
	ok(after.value >= before.value, "the score does not drop");
	score_free(&before);
	score_free(&after);
	findings_free(fs);

	fs = sample();
	is_int(findings_accept(fs, "FALLBACK_SAME_NETWORK:other.example"), 0,
	    "another subject matches nothing");
	is_int(findings_accept(fs, "FALLBACK_SAME_NETWORK:example.co"), 0,
	    "a shorter subject matches nothing");
	is_int(findings_status(fs), 1, "still WARNING");
	is_int(findings_accept(fs, "SMTP_NO_FCRDNS:MX2.example.com"
	    "[192.0.2.2]"), 1, "one of two subjects");
	is_int(naccepted(fs), 1, "only that one");
	is_int(findings_accept(fs, "SMTP_NO_FCRDNS"), 2,
	    "the code alone matches every subject");
	is_int(findings_accept(fs, "BOGUS"), -1, "an unknown code");
	findings_free(fs);

	fs = findings_new();
	findings_add(fs, F_FALLBACK_SAME_NETWORK, NULL, "no subject");
	is_int(findings_accept(fs, "FALLBACK_SAME_NETWORK:x"), 0,
	    "a subject rule does not match a finding without one");
	is_int(findings_accept(fs, "FALLBACK_SAME_NETWORK"), 1,
	    "the code alone does");
	findings_free(fs);
	return tap_done();
}
