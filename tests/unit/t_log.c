/*
 * Unit tests for src/util/log.c: the dialogue trace. Off, nothing is
 * formatted or written; on, each %s argument is escaped (ESC, CR and LF
 * never reach the line raw), log_trace_line passes a line as it is, and
 * log_tracing says the level.
 */
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "tap.h"

static char	last[256];
static int	calls;

static void
hook(const char *line)
{
	calls++;
	strncpy(last, line, sizeof(last) - 1);
}

int
main(void)
{
	ok(!log_tracing(1), "off before log_trace_set");
	log_trace("x %s", "y");
	is_int(calls, 0, "off: the hook is not called");

	log_trace_set(hook, 1);
	ok(log_tracing(1) && !log_tracing(2), "-v: level 1, not 2");
	log_trace("mx[%s]:%u S: %s", "192.0.2.1", 25u,
	    "220 \033[2Jhi\r\nforged");
	is_int(calls, 1, "one line, one call");
	is_str(last, "mx[192.0.2.1]:25 S: 220 \\x1b[2Jhi\\x0d\\x0aforged",
	    "%s arguments are escaped");
	log_trace_line("already \\x00 escaped");
	is_str(last, "already \\x00 escaped", "log_trace_line as it is");

	log_trace_set(hook, 2);
	ok(log_tracing(2), "-vv: level 2");
	log_trace_set(NULL, 2);
	ok(!log_tracing(1), "no hook: off whatever the level");
	log_trace("%s", "z");
	is_int(calls, 2, "off again: no call");
	return tap_done();
}
