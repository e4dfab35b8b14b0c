#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <libpsl.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "analyze/analyze_baseline.h"
#include "app/env.h"
#include "facts/limits.h"
#include "net/tls.h"
#include "util/i18n.h"
#include "parse/dmarc.h"
#include "util/buf.h"
#include "util/esc.h"
#include "util/log.h"

static psl_ctx_t	*psl_loaded;
static struct timespec	 trace_t0;

static void
trace_line(const char *line)
{
	struct timespec now;
	long ms;

	if (log_tracing(2)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (long)(now.tv_sec - trace_t0.tv_sec) * 1000 +
		    (now.tv_nsec - trace_t0.tv_nsec) / 1000000;
		fprintf(stderr, "+%5ldms %s\n", ms, line);
	} else
		fprintf(stderr, "%s\n", line);
}

void
env_trace_start(int verbose)
{
	clock_gettime(CLOCK_MONOTONIC, &trace_t0);
	log_trace_set(verbose > 0 ? trace_line : NULL, verbose);
}

int
env_use_colour(const struct cli *o)
{
	const char *nc;

	if (o->colour >= 0)
		return o->colour;
	nc = getenv("NO_COLOR");
	if (nc != NULL && nc[0] != '\0')
		return 0;
	return isatty(STDOUT_FILENO);
}

unsigned
env_columns(void)
{
	const char *c = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	unsigned long v;

	if (c != NULL && c[0] >= '0' && c[0] <= '9') {
		errno = 0;
		v = strtoul(c, &end, 10);
		if (errno == 0 && *end == '\0' && v >= ENV_COLUMNS_MIN)
			return v > ENV_COLUMNS_MAX ? ENV_COLUMNS_MAX :
			    (unsigned)v;
	}
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == 0 && ws.ws_col >= ENV_COLUMNS_MIN)
		return ws.ws_col;
	return ENV_COLUMNS_DEFAULT;
}

/* No resolver call: that would block. */
const char *
env_ehlo_name(const struct cli *o, char *buf, size_t len)
{
	FILE *fp;
	char *nl;

	if (o->ehlo != NULL)
		return o->ehlo;
	if (gethostname(buf, len) == 0) {
		buf[len - 1] = '\0';
		if (strchr(buf, '.') != NULL)
			return buf;
	}
	if ((fp = fopen("/etc/mailname", "r")) != NULL) {
		if (fgets(buf, (int)len, fp) != NULL) {
			if ((nl = strchr(buf, '\n')) != NULL)
				*nl = '\0';
			if (strchr(buf, '.') != NULL) {
				fclose(fp);
				return buf;
			}
		}
		fclose(fp);
	}
	if (gethostname(buf, len) == 0 && buf[0] != '\0')
		return buf;
	return "localhost";
}

/* psl_latest() reads the system list when it is newer than the built-in
 * one; the parser falls back to the built-in list when this fails. */
void
env_psl_load(void)
{
	if (psl_loaded == NULL)
		psl_loaded = psl_latest(NULL);
	dmarc_psl_set(psl_loaded);
}

void
env_psl_free(void)
{
	dmarc_psl_set(NULL);
	psl_free(psl_loaded);
	psl_loaded = NULL;
}

/*
 * The whole file (or standard input) into b: 0, or -1 with why. The cap
 * keeps a hostile or mistaken file (/dev/zero) from eating memory; a
 * saved report is a few hundred kilobytes.
 */
static int
read_all(FILE *fp, const char *path, struct buf *b, struct buf *why)
{
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(b, chunk, n) == -1) {
			buf_printf(why, _("--baseline %s: larger than %zu MiB: "
			    "not an mxprobe --json report"), path,
			    buf_max(b) >> 20);
			return -1;
		}
	if (ferror(fp)) {
		buf_printf(why, _("--baseline %s: cannot read it: read error"),
		    path);
		return -1;
	}
	return 0;
}

/* "-" is standard input (a report piped from another mxprobe). */
struct json_object *
env_baseline_load(const char *path, const char *domain, struct buf *why)
{
	json_object *j = NULL, *v;
	struct buf *b, *reason;
	char *other;
	FILE *fp;
	int stdin_used = strcmp(path, "-") == 0;

	if (stdin_used)
		fp = stdin;
	else if ((fp = fopen(path, "r")) == NULL) {
		buf_printf(why, _("--baseline %s: cannot read it as JSON: %s"),
		    path, strerror(errno));
		return NULL;
	}
	b = buf_new(ENV_BASELINE_MAX);
	reason = buf_new(BUF_WHY_MAX);
	if (read_all(fp, path, b, why) == 0) {
		switch (baseline_parse(buf_str(b), buf_len(b), &j, reason)) {
		case BASELINE_OK:
			break;
		case BASELINE_NOT_JSON:
			buf_printf(why,
			    _("--baseline %s: cannot read it as JSON: "
			    "%s"), path, buf_str(reason));
			break;
		case BASELINE_NOT_REPORT:
			buf_printf(why,
			    _("--baseline %s is not an mxprobe --json "
			    "report (%s)"), path, buf_str(reason));
			break;
		}
	}
	buf_free(reason);
	buf_free(b);
	if (!stdin_used)
		fclose(fp);
	if (j == NULL)
		return NULL;
	v = json_object_object_get(j, "domain");
	if (strcmp(json_object_get_string(v), domain) != 0) {
		/* The file's domain is its text: escaped for stderr. */
		other = esc_str(json_object_get_string(v), ESC_ESCAPED);
		buf_printf(why,
		    _("--baseline %s is a report for %s, not %s"), path,
		    other, domain);
		free(other);
		json_object_put(j);
		return NULL;
	}
	return j;
}

/*
 * The user's locale for messages and character classes, and only those:
 * numbers stay in the C locale, so that "0.5" parses and JSON and the
 * score print the same everywhere; dates are formatted with numeric
 * strftime conversions only (no %b, %c or %x), and nothing collates.
 * Two categories instead of LC_ALL: with C.UTF-8, whose categories are
 * files read one by one, that is half the time (about 80 of 160 us).
 */
void
env_locale_init(void)
{
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
#ifdef ENABLE_NLS
	{
		const char *dir = getenv("MXPROBE_LOCALEDIR");

		bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir :
		    LOCALEDIR);
		textdomain(PACKAGE);
	}
#endif
}

/*
 * OpenSSL's own variables for the system trust store (the names
 * X509_get_default_cert_file_env() and _dir_env() return), handed to
 * net/tls, which does not read the environment.
 */
void
env_tls_store(void)
{
	tls_system_store_env(getenv("SSL_CERT_FILE"), getenv("SSL_CERT_DIR"));
}

unsigned
env_socket_cap(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur ==
	    RLIM_INFINITY || rl.rlim_cur > 4096 + LIMIT_FD_RESERVE)
		return 4096;
	n = rl.rlim_cur;
	return n > LIMIT_FD_RESERVE + 1 ? (unsigned)(n - LIMIT_FD_RESERVE) : 1;
}
