/*
 * ja_locale.h - the Japanese locale of the unit tests that check
 * translations: ja_JP.UTF-8 with the build tree's catalogue
 * (MXPROBE_LOCALEDIR, else tests/locale).
 *
 *	ja_locale()	1 when the locale and catalogue are set; 0, after a
 *			TAP SKIP line saying why, when the locale is not
 *			installed or the build has no NLS
 */
#ifndef MXPROBE_JA_LOCALE_H
#define MXPROBE_JA_LOCALE_H

#include <locale.h>
#include <stdlib.h>

#include "util/i18n.h"
#include "tap.h"

static int __attribute__((unused))
ja_locale(void)
{
#ifdef ENABLE_NLS
	const char *dir = getenv("MXPROBE_LOCALEDIR");

	if (setlocale(LC_ALL, "ja_JP.UTF-8") == NULL) {
		ok(1, "# SKIP the ja_JP.UTF-8 locale is not installed");
		return 0;
	}
	unsetenv("LANGUAGE");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
	    "tests/locale");
	textdomain(PACKAGE);
	return 1;
#else
	ok(1, "# SKIP built without NLS");
	return 0;
#endif
}

#endif
