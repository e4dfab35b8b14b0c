/*
 * The codes of the findings raised, space-separated: what the tests
 * compare; and finding_says(), one finding's subject and the key part of
 * its English message.
 */
#ifndef T_FINDINGS_CODES_H
#define T_FINDINGS_CODES_H

#include <string.h>

#include "analyze/findings.h"
#include "util/buf.h"
#include "tap.h"

static void __attribute__((unused))
codes(const struct findings *fs, struct buf *b)
{
	size_t i;

	for (i = 0; i < findings_count(fs); i++)
		buf_printf(b, "%s%s", i ? " " : "",
		    finding_def(findings_get(fs, i)->code)->code);
}

/* Finding k of fs is about subject and its English message says text. */
static void __attribute__((unused))
finding_says(const struct findings *fs, size_t k, const char *subject,
    const char *text, const char *name)
{
	const struct finding *f;

	if (k >= findings_count(fs)) {
		ok(0, "%s: no finding %zu", name, k);
		return;
	}
	f = findings_get(fs, k);
	is_str(f->subject, subject, name);
	if (!ok(strstr(finding_message(f, 0), text) != NULL, "%s: says \"%s\"",
	    name, text))
		diag("  message: %s", finding_message(f, 0));
}

#endif
