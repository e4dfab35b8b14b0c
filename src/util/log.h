/*
 * log - diagnostics on stderr.
 *
 * Purpose: one place for messages that are not part of the report.
 * log_warn appends strerror(errno), log_warnx does not (OpenSMTPD log.c).
 * log_debug prints only at verbosity >= 1 (--verbose). log_panic is for
 * broken invariants: it prints and aborts. Library code never exits.
 *
 * Trace: the dialogue on the wire (DNS questions and answers, SMTP lines,
 * the TLS handshake, HTTPS requests) at -v, with timings at -vv. The I/O
 * layers call log_trace() where a line is sent or received; app/ sets
 * the level and the function that writes a finished line
 * (log_trace_set), so net/ and probe/ read neither the options nor the
 * environment. Every %s argument is escaped (util/esc.h, ESC_ESCAPED):
 * text from the network never reaches the terminal raw, and the
 * backslash escapes of DNS names ("a\046b") and certificate names are
 * shown once, not doubled. The price: a backslash a server sends is
 * shown as it is, so a reply holding the four characters "\x1b" reads
 * like one holding the byte ESC (the trace is for people; the JSON and
 * the report escape with ESC_TERM and stay exact). With tracing
 * off the cost is one test of log_trace_level (log_tracing(n)), made
 * before any formatting.
 *	log_trace_set(fn, level)  level 0 = off, 1 = -v, 2 = -vv (timings)
 *	log_tracing(n)	1 when the trace is at level n or more
 *	log_trace(fmt, ...)  one line (no newline in fmt) to fn
 *	log_trace_line(line)  a line escaped already (esc_append of bytes
 *		that may hold NULs) to fn as it is
 */
#ifndef MXPROBE_LOG_H
#define MXPROBE_LOG_H

#define LOG_TRACE_MAX	2048	/* a trace line is cut there */

void	log_init(const char *progname, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_panic(const char *, ...) __attribute__((format(printf, 1, 2),
	    noreturn));
int	log_verbose(void);

typedef void	log_trace_fn(const char *line);
extern int	log_trace_level;
#define log_tracing(n)	(log_trace_level >= (n))
void	log_trace_set(log_trace_fn *, int level);
void	log_trace_line(const char *);
void	log_trace(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
