/*
 * libcurl - load libcurl at run time, on the first HTTPS fetch.
 *
 * Purpose: most runs never fetch an MTA-STS policy (no _mta-sts record),
 * and libcurl pulls some 25 shared libraries into the process (LDAP,
 * GnuTLS, Kerberos, SASL, SSH, RTMP, HTTP/2, Brotli ...): linked, the
 * dynamic loader maps and relocates them all before main(). So mxprobe
 * is not linked with libcurl; the first fetch dlopen()s it by its SONAME
 * (LIBCURL_SONAME, which configure reads from the library that
 * pkg-config names and confirms loads), resolves every function
 * net/https.c calls with dlsym() into one table, and runs
 * curl_global_init(CURL_GLOBAL_DEFAULT) once. The types come from the
 * <curl/curl.h> of the -dev package the build used: each table entry is
 * declared as a pointer to its function's own prototype (__typeof__), so
 * a mismatch is a compile error, not a call through a wrong type.
 *
 * API:
 *	libcurl_load(why)	the table, loaded on the first call; NULL
 *		with the reason in why when the library cannot be loaded
 *		("libcurl.so.4 cannot be loaded: <dlerror>"), lacks a
 *		function, or curl_global_init fails. A failure is kept: later
 *		calls return NULL with the same reason and try nothing again.
 *
 * The library is never unloaded (libcurl's global state lives as long as
 * the process); there is one table per process and the loader is not
 * thread-safe (mxprobe runs one event loop per process).
 */
#ifndef MXPROBE_LIBCURL_H
#define MXPROBE_LIBCURL_H

#include <curl/curl.h>

struct buf;

/* Every libcurl function net/https.c calls: X(name without "curl_"). */
#define LIBCURL_FUNCS(X)						\
	X(global_init)							\
	X(easy_init)							\
	X(easy_setopt)							\
	X(easy_getinfo)							\
	X(easy_cleanup)							\
	X(easy_strerror)						\
	X(multi_init)							\
	X(multi_setopt)							\
	X(multi_assign)							\
	X(multi_add_handle)						\
	X(multi_remove_handle)						\
	X(multi_socket_action)						\
	X(multi_info_read)						\
	X(multi_cleanup)						\
	X(multi_strerror)						\
	X(slist_append)							\
	X(slist_free_all)						\
	X(url)								\
	X(url_set)							\
	X(url_get)							\
	X(url_cleanup)							\
	X(free)

/*
 * The table: libcurl's curl_easy_setopt is reached as lc->easy_setopt,
 * with curl.h's own prototype. (A plain function name, not followed by
 * "(", is never expanded as curl.h's type-checking macros are.)
 */
struct libcurl {
#define LIBCURL_MEMBER(n)	__typeof__(curl_##n) *n;
	LIBCURL_FUNCS(LIBCURL_MEMBER)
#undef LIBCURL_MEMBER
};

const struct libcurl	*libcurl_load(struct buf *);

#endif
