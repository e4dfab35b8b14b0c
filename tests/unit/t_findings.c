/*
 * Unit tests for src/analyze/findings.c: a finding keeps its English
 * message and its message in the user's language; JSON takes the English
 * one unless asked for the other; without a translation one copy is kept.
 * The Japanese run reads the build tree's catalogue (MXPROBE_LOCALEDIR).
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
	findings_add(fs, F_MX_LIMIT_ADDRESSES, "mx.ex.test", "%s%s has more than "
	    "%d addresses of one family; %zu address(es) beyond the first "
	    "%d of each family were not probed%s.", "mx.ex.test", "", 32,
	    (size_t)5, 32, "");
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

int
main(void)
{
	const char *dir = getenv("MXPROBE_LOCALEDIR");

	c_locale();
#ifdef ENABLE_NLS
	if (setlocale(LC_ALL, "ja_JP.UTF-8") == NULL) {
		ok(1, "# SKIP the ja_JP.UTF-8 locale is not installed");
		return tap_done();
	}
	unsetenv("LANGUAGE");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
	    "tests/locale");
	textdomain(PACKAGE);
	japanese();
#else
	(void)dir;
	(void)japanese;
	ok(1, "# SKIP built without NLS");
#endif
	return tap_done();
}
