/* The codes of the findings raised, space-separated: what the tests compare. */
#ifndef T_FINDINGS_CODES_H
#define T_FINDINGS_CODES_H

#include "analyze/findings.h"
#include "util/buf.h"

static void __attribute__((unused))
codes(const struct findings *fs, struct buf *b)
{
	size_t i;

	for (i = 0; i < findings_count(fs); i++)
		buf_printf(b, "%s%s", i ? " " : "",
		    finding_def(findings_get(fs, i)->code)->code);
}

#endif
