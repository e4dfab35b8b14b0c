#include "config.h"

#include <dlfcn.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "util/buf.h"
#include "net/libcurl.h"
#include "util/i18n.h"
#include "util/log.h"

/* What dlopen() is given; tests/unit/t_libcurl.c names a missing one. */
#ifndef LIBCURL_LOAD_NAME
#define LIBCURL_LOAD_NAME	LIBCURL_SONAME
#endif

static struct libcurl	 lc;
static int		 state;		/* 0 not tried, 1 loaded, -1 failed */
static char		*failure;	/* why, when state is -1 */

static void *
sym(void *h, const char *name, struct buf *why)
{
	void *p;

	(void)dlerror();
	if ((p = dlsym(h, name)) == NULL) {
		const char *e = dlerror();

		buf_printf(why, R_("%s has no %s: %s"), LIBCURL_LOAD_NAME, name,
		    e != NULL ? e : "NULL");
	}
	return p;
}

static int
load(struct buf *why)
{
	void *h, *p;
	const char *e;
	CURLcode rc;

	/* RTLD_NOW: a missing dependency fails here, not at some call. */
	if ((h = dlopen(LIBCURL_LOAD_NAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		buf_printf(why, R_("%s cannot be loaded: %s"), LIBCURL_LOAD_NAME,
		    e != NULL ? e : "unknown error");
		return -1;
	}
#define LIBCURL_RESOLVE(n)						\
	if ((p = sym(h, "curl_" #n, why)) == NULL)			\
		goto fail;						\
	lc.n = (__typeof__(curl_##n) *)p;
	LIBCURL_FUNCS(LIBCURL_RESOLVE)
#undef LIBCURL_RESOLVE
	if ((rc = lc.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		buf_printf(why, R_("libcurl: %s"), lc.easy_strerror(rc));
		goto fail;
	}
	log_trace("https: %s loaded", LIBCURL_LOAD_NAME);
	return 0;
fail:
	/* Nothing of it was used: the handle can go. */
	dlclose(h);
	return -1;
}

const struct libcurl *
libcurl_load(struct buf *why)
{
	struct buf *b;

	if (state == 0) {
		b = buf_new(BUF_WHY_MAX);
		if (load(b) == 0)
			state = 1;
		else {
			state = -1;
			failure = buf_steal(b);
		}
		buf_free(b);
	}
	if (state == 1)
		return &lc;
	buf_printf(why, "%s", failure);
	return NULL;
}
