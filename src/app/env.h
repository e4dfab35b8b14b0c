/*
 * env - what mxprobe takes from the host: the EHLO name, whether to
 * colour the text report, the public-suffix list and the --baseline
 * file. Only app/ reads files and the environment; the pure layers get
 * what is read here handed in.
 *
 * API:
 *	env_ehlo_name(o, buf, len)	--ehlo, else this host's name when
 *		it is fully qualified, else /etc/mailname, else the short
 *		host name, else "localhost"; buf holds what is returned
 *		unless it is --ehlo or "localhost"
 *	env_use_colour(o)		1 to colour the text report: --colour
 *		when given, else 0 when NO_COLOR is set and not empty, else
 *		whether stdout is a terminal
 *	env_psl_load()			the newer of libpsl's built-in list
 *		and the system list (psl_latest), handed to the DMARC
 *		parser; free it with env_psl_free
 *	env_columns()			the width the text report is folded
 *		at: COLUMNS when it is a number of at least ENV_COLUMNS_MIN
 *		(at most ENV_COLUMNS_MAX), else the terminal's width
 *		(TIOCGWINSZ) when stdout is one, else ENV_COLUMNS_DEFAULT
 *	env_tls_store()			SSL_CERT_FILE / SSL_CERT_DIR to net/tls
 *	env_baseline_load(path, domain, why)	the --baseline report as
 *		json-c, or NULL with why (unreadable, not one JSON document,
 *		larger than ENV_BASELINE_MAX, not an mxprobe report by
 *		baseline_check(), a report for another domain); path "-"
 *		reads standard input
 *	env_socket_cap()		SMTP connections the whole run may hold
 *		at once: the soft RLIMIT_NOFILE less LIMIT_FD_RESERVE (the
 *		resolver's sockets, HTTPS fetches, output), at least 1 and
 *		at most 4,096 (probe/sockets.h queues the rest)
 *	env_trace_start(verbose)	the dialogue trace on stderr at -v
 *		(util/log.h log_trace); at -vv each line starts with the
 *		milliseconds since the start ("+   12ms ")
 *
 * BUGS: the EHLO name is not resolved (that would block the loop), so a
 * host whose name has no dot and no /etc/mailname says its short name.
 */
#ifndef MXPROBE_ENV_H
#define MXPROBE_ENV_H

#include <stddef.h>

/* The largest --baseline file read; a report is far smaller. */
#define ENV_BASELINE_MAX	(64 * 1024 * 1024)

#define ENV_COLUMNS_MIN		20
#define ENV_COLUMNS_DEFAULT	80
#define ENV_COLUMNS_MAX		100000

struct buf;

void	env_trace_start(int);
struct cli;
struct json_object;

const char		*env_ehlo_name(const struct cli *, char *, size_t);
int			 env_use_colour(const struct cli *);
void			 env_psl_load(void);
void			 env_psl_free(void);
struct json_object	*env_baseline_load(const char *, const char *,
			    struct buf *);

void		env_locale_init(void);
void		env_tls_store(void);
unsigned	env_socket_cap(void);
unsigned	env_columns(void);

#endif
