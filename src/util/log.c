#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/esc.h"
#include "util/log.h"

static const char *prog = "mxprobe";
static int verbosity;
static log_trace_fn *trace_fn;
int log_trace_level;

void
log_trace_set(log_trace_fn *fn, int level)
{
	trace_fn = fn;
	log_trace_level = fn != NULL ? level : 0;
}

void
log_trace_line(const char *line)
{
	if (log_trace_level >= 1 && trace_fn != NULL)
		trace_fn(line);
}

void
log_trace(const char *fmt, ...)
{
	struct buf *b;
	va_list ap;

	if (log_trace_level < 1 || trace_fn == NULL)
		return;
	b = buf_new(LOG_TRACE_MAX);
	va_start(ap, fmt);
	/* Names arrive in master-file form ("a\046b"), certificate
	 * names in RFC 4514 form: their backslashes are escapes already,
	 * and doubling them would show a name no zone file holds. Controls
	 * and invalid bytes are escaped all the same. */
	esc_vprintf(b, ESC_ESCAPED, fmt, ap);
	va_end(ap);
	trace_fn(buf_str(b));
	buf_free(b);
}

void
log_init(const char *progname, int verbose)
{
	if (progname != NULL)
		prog = progname;
	verbosity = verbose;
}

int
log_verbose(void)
{
	return verbosity;
}

/*
 * The message is escaped as the report is (util/esc.h): a diagnostic can
 * carry a URL, a header or a reason a server chose, and stderr is often
 * the same terminal.
 */
static void
vlog(const char *pfx, const char *fmt, va_list ap, const char *err)
{
	static int inside;	/* an allocation failing in here panics */
	struct buf *m, *e;

	if (inside) {
		fprintf(stderr, "%s: %s%s\n", prog, pfx, fmt);
		return;
	}
	inside = 1;
	m = buf_new(16384);
	buf_vprintf(m, fmt, ap);
	e = buf_new(strlen(prog) + strlen(pfx) + 6 * buf_len(m) +
	    (err != NULL ? strlen(err) + 2 : 0) + 4);
	buf_printf(e, "%s: %s", prog, pfx);
	esc_append(e, buf_str(m), buf_len(m), 0);
	if (err != NULL)
		buf_printf(e, ": %s", err);
	buf_printf(e, "\n");
	/* One write: the --jobs workers share stderr, and a line written
	 * in pieces could be cut by another worker's. */
	fwrite(buf_str(e), 1, buf_len(e), stderr);
	buf_free(e);
	buf_free(m);
	inside = 0;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	const char *e = strerror(errno);

	va_start(ap, fmt);
	vlog("", fmt, ap, e);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (verbosity < 1)
		return;
	va_start(ap, fmt);
	vlog("debug: ", fmt, ap, NULL);
	va_end(ap);
}

void
log_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("panic: ", fmt, ap, NULL);
	va_end(ap);
	abort();
}
