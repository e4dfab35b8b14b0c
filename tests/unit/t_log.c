/*
 * t_log - src/util/log.c: diagnostics on stderr, escaped like the report;
 * the dialogue trace: off, nothing is formatted or written; on, each %s
 * argument is escaped (ESC, CR and LF never reach the line raw),
 * log_trace_line passes a line as it is, and log_tracing says the level.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "tap.h"

/* What one call wrote on stderr, read back from a temporary file. */
static char *
capture(void (*fn)(void))
{
	static char out[65536];
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	if (f == NULL || saved == -1)
		return NULL;
	fflush(stderr);
	dup2(fileno(f), 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static void
warn_hostile(void)
{
	log_warnx("https: %s: %s", "https://mta-sts.example/\x1b[2J",
	    "text/plain\r\nmxprobe: OK\x9b");
}

static void
warn_japanese(void)
{
	log_warnx("%s の応答がありません", "mx.example");
}

static void
debug_quiet(void)
{
	log_debug("not shown %s", "at verbosity 0");
}

static void
warn_long(void)
{
	static char big[20000];

	memset(big, 'a', sizeof(big) - 1);
	log_warnx("%s", big);
}

static char	last[256];
static int	calls;

static void
hook(const char *line)
{
	calls++;
	strncpy(last, line, sizeof(last) - 1);
}

static void
trace_checks(void)
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
	log_trace("Q: %s/TXT", "a\\046b.example");
	is_str(last, "Q: a\\046b.example/TXT",
	    "a master-file escape in a name is not doubled");
	log_trace_line("already \\x00 escaped");
	is_str(last, "already \\x00 escaped", "log_trace_line as it is");

	log_trace_set(hook, 2);
	ok(log_tracing(2), "-vv: level 2");
	log_trace_set(NULL, 2);
	ok(!log_tracing(1), "no hook: off whatever the level");
	log_trace("%s", "z");
	is_int(calls, 3, "off again: no call");
}

int
main(void)
{
	const char *s;

	log_init("mxprobe", 0);
	s = capture(warn_hostile);
	is_str(s, "mxprobe: https: https://mta-sts.example/\\x1b[2J: "
	    "text/plain\\x0d\\x0amxprobe: OK\\x9b\n",
	    "control bytes, CR, LF and a raw C1 byte in a diagnostic are "
	    "escaped; one line");
	s = capture(warn_japanese);
	is_str(s, "mxprobe: mx.example の応答がありません\n",
	    "valid UTF-8 passes unchanged");
	s = capture(debug_quiet);
	is_str(s, "", "log_debug prints nothing at verbosity 0");
	s = capture(warn_long);
	ok(s != NULL && strncmp(s, "mxprobe: aaaa", 13) == 0 &&
	    s[strlen(s) - 1] == '\n', "a long diagnostic still ends its line");
	trace_checks();
	return tap_done();
}
