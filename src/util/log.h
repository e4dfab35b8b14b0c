/*
 * log - diagnostics on stderr.
 *
 * Purpose: one place for messages that are not part of the report.
 * log_warn appends strerror(errno), log_warnx does not (OpenSMTPD log.c).
 * log_debug prints only at verbosity >= 1 (--verbose). log_panic is for
 * broken invariants: it prints and aborts. Library code never exits.
 */
#ifndef MXPROBE_LOG_H
#define MXPROBE_LOG_H

void	log_init(const char *progname, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_panic(const char *, ...) __attribute__((format(printf, 1, 2),
	    noreturn));
int	log_verbose(void);

#endif
