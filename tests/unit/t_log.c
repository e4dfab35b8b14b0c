/* t_log - diagnostics on stderr: escaped like the report (util/log.c) */
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
	return tap_done();
}
