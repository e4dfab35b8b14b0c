#include "config.h"

#include "util/i18n.h"

/*
 * Whether reasons are written in the user's language. One value for the
 * process: app/run.c sets it from the output format before the first
 * check begins, and nothing changes it while checks run.
 */
static int reasons_local;

void
i18n_reasons_local(int on)
{
	reasons_local = on != 0;
}

const char *
i18n_reason(const char *msgid)
{
	return reasons_local ? _(msgid) : msgid;
}
