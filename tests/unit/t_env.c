/* Unit tests for src/app/env.c: colour, EHLO name, --baseline load. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/env.h"
#include "parse/dmarc.h"
#include "util/buf.h"
#include "util/log.h"
#include "tap.h"

static void
test_colour(void)
{
	struct cli o;

	memset(&o, 0, sizeof(o));
	o.colour = 1;
	setenv("NO_COLOR", "1", 1);
	is_int(env_use_colour(&o), 1, "--colour=always beats NO_COLOR");
	o.colour = 0;
	unsetenv("NO_COLOR");
	is_int(env_use_colour(&o), 0, "--colour=never");
	o.colour = -1;
	setenv("NO_COLOR", "1", 1);
	is_int(env_use_colour(&o), 0, "auto: NO_COLOR set");
	setenv("NO_COLOR", "", 1);
	is_int(env_use_colour(&o), isatty(STDOUT_FILENO),
	    "auto: an empty NO_COLOR is unset, so the terminal decides");
	unsetenv("NO_COLOR");
}

/* COLUMNS decides when it is a number >= 20; else the terminal or 80. */
static void
test_columns(void)
{
	unsigned def = isatty(STDOUT_FILENO) ? env_columns() : 80;

	setenv("COLUMNS", "60", 1);
	is_int(env_columns(), 60, "COLUMNS=60");
	setenv("COLUMNS", "20", 1);
	is_int(env_columns(), 20, "COLUMNS=20, the minimum");
	setenv("COLUMNS", "1000", 1);
	is_int(env_columns(), 1000, "COLUMNS=1000");
	unsetenv("COLUMNS");
	if (!isatty(STDOUT_FILENO))
		is_int(env_columns(), 80, "not a terminal, no COLUMNS: 80");
	else
		def = env_columns();
	setenv("COLUMNS", "19", 1);
	is_int(env_columns(), def, "COLUMNS=19 is below the minimum");
	setenv("COLUMNS", "abc", 1);
	is_int(env_columns(), def, "COLUMNS not a number");
	setenv("COLUMNS", "60x", 1);
	is_int(env_columns(), def, "COLUMNS with junk after the number");
	setenv("COLUMNS", "-70", 1);
	is_int(env_columns(), def, "a negative COLUMNS");
	setenv("COLUMNS", "99999999999999999999999", 1);
	is_int(env_columns(), def, "COLUMNS out of range");
	unsetenv("COLUMNS");
}

static void
test_ehlo(void)
{
	struct cli o;
	char buf[256];
	const char *e;

	memset(&o, 0, sizeof(o));
	o.ehlo = "mx.example.net";
	ok(strcmp(env_ehlo_name(&o, buf, sizeof(buf)), "mx.example.net") == 0,
	    "--ehlo is used as given");
	o.ehlo = NULL;
	e = env_ehlo_name(&o, buf, sizeof(buf));
	ok(e != NULL && e[0] != '\0' && strlen(e) < sizeof(buf),
	    "without --ehlo a name is found (%s)", e ? e : "NULL");
}

static const struct {
	const char	*name;
	const char	*text;		/* NULL: no file */
	const char	*why;		/* NULL: loaded */
} baselines[] = {
	{ "a report for the domain",
	    "{ \"schema_version\": 1, \"domain\": \"example.com\" }", NULL },
	{ "no file", NULL, "cannot read it as JSON" },
	{ "not JSON", "{ not json", "cannot read it as JSON" },
	{ "JSON but an array", "[ 1, 2 ]", "not an mxprobe --json report" },
	{ "no schema_version", "{ \"domain\": \"example.com\" }",
	    "not an mxprobe --json report" },
	{ "domain not a string",
	    "{ \"schema_version\": 1, \"domain\": 7 }",
	    "not an mxprobe --json report" },
	{ "another domain",
	    "{ \"schema_version\": 1, \"domain\": \"example.org\" }",
	    "is a report for example.org, not example.com" },
	{ "another domain with control bytes",
	    "{ \"schema_version\": 1, \"domain\": \"a\\u001b[2J\" }",
	    "is a report for a\\x1b[2J, not example.com" },
	{ "another program's JSON", "{ \"name\": \"x\", \"version\": 2 }",
	    "is not an mxprobe --json report (\"schema_version\" is missing)" },
	{ "mx of the wrong type",
	    "{ \"schema_version\": 1, \"domain\": \"example.com\", "
	    "\"mx\": \"mx1\" }", "(\"mx\" is of the wrong type)" },
	{ "two documents",
	    "{ \"schema_version\": 1, \"domain\": \"example.com\" } {}",
	    "more after the document" },
	{ "a document cut short",
	    "{ \"schema_version\": 1, \"domain\": \"exa",
	    "cannot read it as JSON" },
	{ "white space after the document",
	    "{ \"schema_version\": 1, \"domain\": \"example.com\" }\n\n",
	    NULL },
	{ "empty file", "", "cannot read it as JSON" },
};

/* --baseline - reads standard input. */
static void
test_baseline_stdin(void)
{
	struct buf *why;
	json_object *j;
	FILE *fp;

	fp = tmpfile();
	fputs("{ \"schema_version\": 1, \"domain\": \"example.com\" }\n", fp);
	rewind(fp);
	if (dup2(fileno(fp), STDIN_FILENO) == -1) {
		perror("t_env: dup2");
		exit(1);
	}
	fclose(fp);
	why = buf_new(BUF_WHY_MAX);
	j = env_baseline_load("-", "example.com", why);
	ok(j != NULL && buf_len(why) == 0, "--baseline - reads standard "
	    "input");
	json_object_put(j);
	buf_free(why);

	/* An endless file: refused at the cap, not read to the end. */
	why = buf_new(BUF_WHY_MAX);
	j = env_baseline_load("/dev/zero", "example.com", why);
	ok(j == NULL && strstr(buf_str(why), "larger than 64 MiB") != NULL,
	    "an endless file is refused at the cap (%s)", buf_str(why));
	buf_free(why);
}

static void
test_baseline(void)
{
	struct buf *why;
	json_object *j;
	char path[64];
	FILE *fp;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(baselines) / sizeof(baselines[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/t_env.XXXXXX");
		if ((fd = mkstemp(path)) == -1) {
			perror("t_env: temporary file");
			exit(1);
		}
		if (baselines[i].text != NULL) {
			fp = fdopen(fd, "w");
			fputs(baselines[i].text, fp);
			fclose(fp);
		} else {
			close(fd);
			unlink(path);
		}
		why = buf_new(BUF_WHY_MAX);
		j = env_baseline_load(path, "example.com", why);
		if (baselines[i].why == NULL)
			ok(j != NULL && buf_len(why) == 0, "baseline: %s",
			    baselines[i].name);
		else
			ok(j == NULL && strstr(buf_str(why),
			    baselines[i].why) != NULL &&
			    strstr(buf_str(why), path) != NULL,
			    "baseline: %s is refused, naming the file",
			    baselines[i].name);
		json_object_put(j);
		buf_free(why);
		unlink(path);
	}
}

static void
test_psl(void)
{
	char out[256];

	/* Either list knows co.uk; the parser gets it from here. */
	env_psl_load();
	ok(dmarc_org_domain("www.example.co.uk", out, sizeof(out)) == 0 &&
	    strcmp(out, "example.co.uk") == 0, "the organisational domain with the loaded list");
	env_psl_free();
	ok(dmarc_org_domain("www.example.co.uk", out, sizeof(out)) == 0 &&
	    strcmp(out, "example.co.uk") == 0,
	    "and with the built-in list after env_psl_free");
}

/* The trace on stderr: bare at -v, timed at -vv, nothing without. */
static void
test_trace(void)
{
	char path[] = "/tmp/t_env_trace.XXXXXX", got[256], *p;
	FILE *fp;
	size_t n;
	int fd, saved;

	if (!ok((fd = mkstemp(path)) != -1, "trace: temporary file"))
		return;
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	env_trace_start(0);
	ok(!log_tracing(1), "trace: off without -v");
	log_trace("off %s", "line");
	env_trace_start(1);
	ok(log_tracing(1) && !log_tracing(2), "trace: -v is level 1");
	log_trace("plain %s", "l\033ine");
	env_trace_start(2);
	ok(log_tracing(2), "trace: -vv is level 2");
	log_trace("timed %s", "line");
	env_trace_start(0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fp = fdopen(fd, "r");
	rewind(fp);
	n = fread(got, 1, sizeof(got) - 1, fp);
	got[n] = '\0';
	fclose(fp);
	unlink(path);
	p = got + strlen("plain l\\x1bine\n+");
	if (!ok(strncmp(got, "plain l\\x1bine\n+", 16) == 0 &&
	    strspn(p, " ") > 0 &&
	    strspn(p + strspn(p, " "), "0123456789") > 0 &&
	    strcmp(p + strspn(p, " 0123456789"), "ms timed line\n") == 0,
	    "trace: the lines, escaped, timed at -vv"))
		diag("got [%s] (%zu bytes)", got, strlen(got));
}

int
main(void)
{
	test_trace();
	test_colour();
	test_columns();
	test_ehlo();
	test_baseline();
	test_baseline_stdin();
	test_psl();
	return tap_done();
}
