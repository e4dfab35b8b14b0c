/*
 * Unit tests for src/util/i18n.c: a reason is the English literal itself
 * until i18n_reasons_local(1), then its translation from the catalogue
 * (the build tree's Japanese one, through MXPROBE_LOCALEDIR), the literal
 * when the catalogue has none, and English again after
 * i18n_reasons_local(0).
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "util/i18n.h"
#include "tap.h"
#include "ja_locale.h"

static void
english(void)
{
	const char *m = "empty record";

	ok(i18n_reason(m) == m, "off: the literal itself");
	i18n_reasons_local(1);
	ok(i18n_reason(m) == m, "on, C locale: the literal itself");
	i18n_reasons_local(0);
}

int
main(void)
{
	const char *m = "empty record", *unknown = "no such msgid, ever";

	english();
	if (!ja_locale())
		return tap_done();
	ok(i18n_reason(m) == m, "ja, off: English (output for programs)");
	i18n_reasons_local(1);
	ok(strcmp(i18n_reason(m), m) != 0 &&
	    strcmp(i18n_reason(m), _(m)) == 0,
	    "ja, on: the catalogue's translation");
	is_str(i18n_reason(R_("empty record")), "レコードが空です",
	    "R_() is i18n_reason()");
	ok(i18n_reason(unknown) == unknown, "ja, on: no translation, "
	    "the literal");
	i18n_reasons_local(0);
	ok(i18n_reason(m) == m, "ja, off again: English");
	return tap_done();
}
