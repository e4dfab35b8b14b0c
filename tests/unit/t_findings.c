/*
 * Unit tests for src/analyze/findings.c: a finding keeps its English
 * message and its message in the user's language; JSON takes the English
 * one unless asked for the other; without a translation one copy is kept.
 * The Japanese run reads the build tree's catalogue (MXPROBE_LOCALEDIR).
 * --accept rules: an accepted finding stays in the list, marked, and sets
 * no status and costs no points.
 */
#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "config.h"
#include "analyze/findings.h"
#include "analyze/score.h"
#include "report/report.h"
#include "tap.h"
#include "ja_locale.h"

#define EN	"The MX target mx.ex.test does not exist (NXDOMAIN)."
#define JA	"MX の宛先 mx.ex.test は存在しません（NXDOMAIN）。"

/* The "message" of finding i of report_findings_json(). */
static const char *
json_message(json_object *a, size_t i)
{
	json_object *m;

	if (!json_object_object_get_ex(json_object_array_get_idx(a, i),
	    "message", &m))
		return NULL;
	return json_object_get_string(m);
}

static void
c_locale(void)
{
	struct findings *fs;
	const struct finding *f;

	fs = findings_new();
	findings_add(fs, F_MX_TARGET_NXDOMAIN, "mx.ex.test",
	    "The MX target %s does not exist (NXDOMAIN).", "mx.ex.test");
	f = findings_get(fs, 0);
	is_str(f->message, EN, "C locale: the English message");
	ok(f->message_l10n == NULL, "C locale: no second copy");
	is_str(finding_message(f, 1), EN,
	    "C locale: the localized message is the English one");
	findings_free(fs);
}

static void
japanese(void)
{
	struct findings *fs;
	const struct finding *f;
	struct score sc;
	json_object *a;

	fs = findings_new();
	findings_add(fs, F_MX_TARGET_NXDOMAIN, "mx.ex.test",
	    "The MX target %s does not exist (NXDOMAIN).", "mx.ex.test");
	/* A format with no msgid in the catalogue: one copy. */
	findings_add(fs, F_MX_TARGET_NXDOMAIN, "x", "untranslated %d", 7);
	/* Positional arguments of a translation take the right values. */
	findings_add(fs, F_MX_LIMIT_ADDRESSES, "mx.ex.test", "%s has more than "
	    "%d addresses of one family; %zu address(es) beyond the first "
	    "%d of each family were not probed.", "mx.ex.test", 32,
	    (size_t)5, 32);
	f = findings_get(fs, 0);
	is_str(f->message, EN, "ja: the English message is kept");
	is_str(finding_message(f, 0), EN, "ja: finding_message(f, 0)");
	is_str(finding_message(f, 1), JA, "ja: the Japanese message");
	f = findings_get(fs, 1);
	ok(f->message_l10n == NULL && strcmp(finding_message(f, 1),
	    "untranslated 7") == 0, "ja: no translation, one copy");
	f = findings_get(fs, 2);
	ok(strstr(finding_message(f, 1), "最初の 32 個を超える 5 個") !=
	    NULL, "ja: positional arguments in their places");
	if (strstr(finding_message(f, 1), "最初の 32 個") == NULL)
		diag("  %s", finding_message(f, 1));

	score_compute(fs, &sc);
	a = report_findings_json(fs, &sc, 0);
	is_str(json_message(a, 0), EN, "ja: JSON has the English message");
	json_object_put(a);
	a = report_findings_json(fs, &sc, 1);
	is_str(json_message(a, 0), JA,
	    "ja: JSON with local set has the Japanese message");
	is_str(json_message(a, 1), "untranslated 7",
	    "ja: JSON local, untranslated: English");
	json_object_put(a);
	score_free(&sc);
	findings_free(fs);
}

/*
 * A message of several sentences (findings_append): each translated
 * whole, joined by a space in English and by nothing after a Japanese
 * full stop; the count picks the form (findings_addn, _appendn).
 */
#define STALE_EN	"The resolver 192.0.2.53 still answers 10 " \
	"mx-old.ex.test for ex.test. Expected: mx-new.ex.test. Its cached " \
	"copy can live 287 s (4 min 47 s) more."
#define STALE_JA	"リゾルバー 192.0.2.53 は、ex.test についてまだ 10 " \
	"mx-old.ex.test を返しています。期待する組: mx-new.ex.test。" \
	"そのキャッシュはあと 287 秒（4 分 47 秒）残りえます。"

static void
sentences(struct findings *fs)
{
	findings_add(fs, F_PROPAGATION_STALE, "192.0.2.53",
	    "The resolver %s still answers %s for %s.", "192.0.2.53",
	    "10 mx-old.ex.test", "ex.test");
	findings_append(fs, "Expected: %s.", "mx-new.ex.test");
	findings_append(fs, "Its cached copy can live %u s (%u min %u s) "
	    "more.", 287u, 4u, 47u);
	findings_addn(fs, F_PROPAGATION_DISAGREE, "ex.test", 2,
	    "The authoritative servers of %s serve %zu different MX set for "
	    "%s.",
	    "The authoritative servers of %s serve %zu different MX sets for "
	    "%s.", "ex.test", (size_t)2, "ex.test");
	findings_appendn(fs, 1, "%s serves %s.", "%s serve %s.",
	    "ns1.ex.test (192.0.2.1)", "10 mx-old.ex.test");
	findings_appendn(fs, 2, "%s serves %s.", "%s serve %s.",
	    "ns2.ex.test (192.0.2.2), ns3.ex.test (192.0.2.3)",
	    "10 mx-new.ex.test");
}

static void
sentences_c(void)
{
	struct findings *fs = findings_new();

	findings_append(fs, "Expected: %s.", "nothing to append to");
	is_int((int)findings_count(fs), 0, "append with no finding: nothing");
	sentences(fs);
	is_str(findings_get(fs, 0)->message, STALE_EN,
	    "C locale: sentences joined by a space");
	ok(findings_get(fs, 0)->message_l10n == NULL,
	    "C locale: appended, still no second copy");
	is_str(findings_get(fs, 1)->message, "The authoritative servers of "
	    "ex.test serve 2 different MX sets for ex.test. ns1.ex.test "
	    "(192.0.2.1) serves 10 mx-old.ex.test. ns2.ex.test (192.0.2.2), "
	    "ns3.ex.test (192.0.2.3) serve 10 mx-new.ex.test.",
	    "C locale: the count picks singular and plural");
	findings_free(fs);
}

static void
sentences_ja(void)
{
	struct findings *fs = findings_new();
	const struct finding *f;

	sentences(fs);
	f = findings_get(fs, 0);
	is_str(f->message, STALE_EN, "ja: the English sentences are kept");
	is_str(finding_message(f, 1), STALE_JA,
	    "ja: each sentence in Japanese, no space after 。");
	f = findings_get(fs, 1);
	is_str(finding_message(f, 1), "ex.test の権威DNSサーバーは、ex.test "
	    "について 2 通りの異なる MX の組を返しています。ns1.ex.test "
	    "(192.0.2.1) は 10 mx-old.ex.test を返しています。ns2.ex.test "
	    "(192.0.2.2), ns3.ex.test (192.0.2.3) は 10 mx-new.ex.test を返し"
	    "ています。", "ja: ngettext's form, the sets as sentences");
	findings_free(fs);
}

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

/* --accept rules: a finding stays, marked, with no status and no points. */
static void
accepting(void)
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
}

int
main(void)
{
	accepting();
	c_locale();
	sentences_c();
	if (ja_locale()) {
		japanese();
		sentences_ja();
	}
	return tap_done();
}
