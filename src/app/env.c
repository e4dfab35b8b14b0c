#include "config.h"

#include <json-c/json.h>
#include <libpsl.h>
#include <sys/resource.h>

#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/env.h"
#include "facts/limits.h"
#include "net/tls.h"
#include "util/i18n.h"
#include "parse/dmarc.h"
#include "util/buf.h"

static psl_ctx_t	*psl_loaded;

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

struct json_object *
env_baseline_load(const char *path, const char *domain, struct buf *why)
{
	json_object *j, *v;

	if ((j = json_object_from_file(path)) == NULL) {
		buf_printf(why, "--baseline %s: cannot read it as JSON: %s",
		    path, json_util_get_last_err());
		return NULL;
	}
	if (!json_object_is_type(j, json_type_object) ||
	    !json_object_object_get_ex(j, "schema_version", &v) ||
	    !json_object_object_get_ex(j, "domain", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		buf_printf(why, "--baseline %s: not an mxprobe --json report",
		    path);
		json_object_put(j);
		return NULL;
	}
	if (strcmp(json_object_get_string(v), domain) != 0) {
		buf_printf(why, "--baseline %s is a report for %s, not %s", path,
		    json_object_get_string(v), domain);
		json_object_put(j);
		return NULL;
	}
	return j;
}

/*
 * The user's locale for messages and character classes; numbers stay in
 * the C locale, so that "0.5" parses and JSON and the score print the
 * same everywhere.
 */
void
env_locale_init(void)
{
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
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
