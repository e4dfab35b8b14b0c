/*
 * Unit tests for src/net/https.c: real HTTPS fetches against
 * tests/lab/httpsd.py on 127.0.0.1, with a throwaway CA and certificates
 * made here by the openssl command. The host name mta-sts.example.test
 * resolves nowhere: every fetch that reaches a server proves that the
 * request's address list (CURLOPT_RESOLVE) was used and libcurl's own
 * resolver was not.
 *
 * Servers: GOOD (certificate for mta-sts.example.test from the test CA),
 * WRONG (test CA, other name), SELF (self-signed, right name), GOOD6 (as
 * GOOD, on ::1; its cases are skipped when the host has no IPv6
 * loopback), SILENT (a TCP listener that never accepts: no TLS, no
 * answer) and CLOSED (a port nobody listens on).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "net/evloop.h"
#include "net/https.h"
#include "tap.h"

#ifndef PYTHON3
#define PYTHON3 "/usr/bin/python3"
#endif
#ifndef OPENSSL_BIN
#define OPENSSL_BIN "openssl"
#endif

#define HOST	"mta-sts.example.test"
#define POLICY	"version: STSv1\nmode: enforce\nmx: mail.example.test\n" \
		"max_age: 86400\n"
#define NOCT	"(none)"	/* want: no Content-Type at all */

enum srv { S_GOOD, S_WRONG, S_SELF, S_GOOD6, S_SILENT, S_CLOSED, S_NSRV };

static char dir[] = "/tmp/t_https.XXXXXX";
static int port[S_NSRV];
static pid_t pids[S_NSRV];
static int silent_fd = -1;
static struct evloop *loop;

struct got {
	int			 called;
	enum https_outcome	 outcome;
	long			 status;
	char			 ctype[128];
	int			 has_ctype;
	char			 location[256];
	int			 has_location;
	char			 body[256];
	size_t			 body_len;
	char			 ip[64];
	char			 error[512];
	uint64_t		 ms;
};

static void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static void
on_done(const struct https_result *r, void *arg)
{
	struct got *g = arg;

	g->called++;
	g->outcome = r->outcome;
	g->status = r->status;
	g->has_ctype = r->content_type != NULL;
	copy(g->ctype, sizeof(g->ctype), r->content_type);
	g->has_location = r->location != NULL;
	copy(g->location, sizeof(g->location), r->location);
	copy(g->body, sizeof(g->body), r->body);
	g->body_len = r->body_len;
	copy(g->ip, sizeof(g->ip), r->ip);
	copy(g->error, sizeof(g->error), r->error);
	g->ms = r->ms;
	if (r->body == NULL || r->body[r->body_len] != '\0')
		g->body_len = (size_t)-1;	/* must be NUL-terminated */
}

static int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return system(cmd);
}

static int
put(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/root/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

/* CA, three server certificates, the document root. */
static int
setup_files(void)
{
	char big[100001];
	int rc;

	rc = sh("cd %s && exec >log 2>&1 && O='%s' && "
	    "K='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes' && "
	    "$O req -x509 $K -keyout ca.key -out ca.crt -days 2 "
	    "    -subj '/CN=mxprobe test CA' && "
	    "leaf() { "
	    "  $O req $K -keyout $1.key -out $1.csr -subj /CN=$2 && "
	    "  printf 'subjectAltName=DNS:%%s\\nbasicConstraints=CA:FALSE\\n"
	    "extendedKeyUsage=serverAuth\\n' $2 > $1.ext && "
	    "  $O x509 -req -in $1.csr -CA ca.crt -CAkey ca.key "
	    "      -CAcreateserial -days 2 -extfile $1.ext -out $1.crt; } && "
	    "leaf good " HOST " && leaf wrong other.example.test && "
	    "$O req -x509 $K -keyout self.key -out self.crt -days 2 "
	    "    -subj /CN=" HOST " -addext subjectAltName=DNS:" HOST " && "
	    "mkdir -p root/.well-known", dir, OPENSSL_BIN);
	if (rc != 0)
		return -1;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	if (put(".well-known/mta-sts.txt", POLICY) ||
	    put("moved.txt", "") ||
	    put("moved.txt.redirect",
		"https://" HOST "/.well-known/mta-sts.txt\n") ||
	    put("found.txt.redirect", "302 /.well-known/mta-sts.txt\n") ||
	    put("err.txt.status", "500\n") ||
	    put("page.html", "<p>policy</p>\n") ||
	    put("charset.txt", POLICY) ||
	    put("charset.txt.ctype", "Text/Plain; charset=utf-8\n") ||
	    put("noctype.txt", POLICY) ||
	    put("noctype.txt.ctype", "") ||
	    put("big.txt", big) ||
	    put("slow.txt.hang", ""))
		return -1;
	return 0;
}

static pid_t
start_server(const char *name, const char *listen, int *portp)
{
	char portfile[PATH_MAX], crt[PATH_MAX], key[PATH_MAX];
	char root[PATH_MAX], httpsd[PATH_MAX];
	const char *top = getenv("top_srcdir");
	FILE *fp;
	pid_t pid;
	int i, st;

	snprintf(portfile, sizeof(portfile), "%s/%s-%s.port", dir, name,
	    listen);
	snprintf(crt, sizeof(crt), "%s/%s.crt", dir, name);
	snprintf(key, sizeof(key), "%s/%s.key", dir, name);
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(httpsd, sizeof(httpsd), "%s/tests/lab/httpsd.py",
	    top ? top : ".");
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
#ifdef __linux__
		/* Never outlive a crashed test. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		execl(PYTHON3, PYTHON3, httpsd, "--listen", listen,
		    "--port", "0", "--cert", crt, "--key", key, "--root", root,
		    "--portfile", portfile, "--quiet", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 1000; i++) {
		if ((fp = fopen(portfile, "r")) != NULL) {
			if (fscanf(fp, "%d", portp) != 1)
				*portp = 0;
			fclose(fp);
			return *portp > 0 ? pid : -1;
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			return -1;
		usleep(10000);
	}
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	return -1;
}

static int
tcp_port(int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	if (getsockname(fd, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	return ntohs(sin.sin_port);
}

/* A listener whose queue completes the TCP handshake; nobody accepts. */
static int
open_silent(int *portp)
{
	struct sockaddr_in sin;
	int fd;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(fd, 16) == -1) {
		close(fd);
		return -1;
	}
	*portp = tcp_port(fd);
	return fd;
}

static int
closed_port(void)
{
	int fd, p;

	if ((fd = open_silent(&p)) == -1)
		return -1;
	close(fd);
	return p;
}

static void
stop_servers(void)
{
	int i, st;

	for (i = 0; i < S_NSRV; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGTERM);
			waitpid(pids[i], &st, 0);
			pids[i] = 0;
		}
	if (silent_fd != -1)
		close(silent_fd);
	if (strchr(dir, 'X') == NULL)
		sh("rm -rf %s", dir);
}

struct tcase {
	const char		*name;
	enum srv		 srv;
	const char		*path;
	int			 url_port;	/* port in URL, req.port 0 */
	int			 ca;		/* trust the test CA */
	const char		*addrs[3];	/* NULL = {"127.0.0.1"} */
	unsigned		 timeout_ms;
	size_t			 max_body;
	enum https_outcome	 want;
	long			 status;	/* -1 = unchecked */
	const char		*ctype;		/* NULL = unchecked */
	const char		*body;		/* NULL = unchecked */
	long			 body_len;	/* -1 = unchecked */
	const char		*location;	/* NULL = must be none */
	const char		*error_has;	/* NULL = unchecked */
};

static const struct tcase cases[] = {
	{ "policy: 200 text/plain", S_GOOD, "/.well-known/mta-sts.txt", 0,
	    1, { 0 }, 5000, 0, HTTPS_OK, 200, "text/plain", POLICY,
	    sizeof(POLICY) - 1, NULL, NULL },
	{ "port in the URL instead of the override", S_GOOD,
	    "/.well-known/mta-sts.txt", 1, 1, { 0 }, 5000, 0, HTTPS_OK, 200,
	    "text/plain", POLICY, -1, NULL, NULL },
	{ "first address refused, second used", S_GOOD,
	    "/.well-known/mta-sts.txt", 0, 1, { "127.0.0.2", "127.0.0.1" },
	    5000, 0, HTTPS_OK, 200, NULL, POLICY, -1, NULL, NULL },
	{ "IPv6 address", S_GOOD6, "/.well-known/mta-sts.txt", 0, 1,
	    { "::1" }, 5000, 0, HTTPS_OK, 200, NULL, POLICY, -1, NULL, NULL },
	{ "IPv4 refused, IPv6 used", S_GOOD6, "/.well-known/mta-sts.txt", 0,
	    1, { "127.0.0.1", "::1" }, 5000, 0, HTTPS_OK, 200, NULL, POLICY,
	    -1, NULL, NULL },
	{ "media type parameters and case ignored", S_GOOD, "/charset.txt",
	    0, 1, { 0 }, 5000, 0, HTTPS_OK, 200, "Text/Plain; charset=utf-8",
	    POLICY, -1, NULL, NULL },
	{ "body exactly at the cap", S_GOOD, "/.well-known/mta-sts.txt", 0,
	    1, { 0 }, 5000, sizeof(POLICY) - 1, HTTPS_OK, 200, NULL, POLICY,
	    sizeof(POLICY) - 1, NULL, NULL },
	{ "body one byte over the cap", S_GOOD, "/.well-known/mta-sts.txt",
	    0, 1, { 0 }, 5000, sizeof(POLICY) - 2, HTTPS_TOO_LARGE, 200, NULL,
	    NULL, sizeof(POLICY) - 2, NULL, "limit" },
	{ "100000 bytes, default 64 KiB cap", S_GOOD, "/big.txt", 0, 1,
	    { 0 }, 5000, 0, HTTPS_TOO_LARGE, 200, NULL, NULL, HTTPS_MAX_BODY,
	    NULL, NULL },
	{ "text/html is not a policy, body kept", S_GOOD, "/page.html", 0,
	    1, { 0 }, 5000, 0, HTTPS_BAD_CONTENT_TYPE, 200, "text/html",
	    "<p>policy</p>\n", -1, NULL, NULL },
	{ "no Content-Type", S_GOOD, "/noctype.txt", 0, 1, { 0 }, 5000, 0,
	    HTTPS_BAD_CONTENT_TYPE, 200, NOCT, POLICY, -1, NULL, NULL },
	{ "404", S_GOOD, "/.well-known/nothing.txt", 0, 1, { 0 }, 5000, 0,
	    HTTPS_HTTP_STATUS, 404, NULL, NULL, -1, NULL, NULL },
	{ "500", S_GOOD, "/err.txt", 0, 1, { 0 }, 5000, 0,
	    HTTPS_HTTP_STATUS, 500, NULL, NULL, -1, NULL, NULL },
	{ "301 is reported, not followed", S_GOOD, "/moved.txt", 0, 1,
	    { 0 }, 5000, 0, HTTPS_REDIRECT, 301, NULL, "moved\n", -1,
	    "https://" HOST "/.well-known/mta-sts.txt", NULL },
	{ "302 relative Location made absolute", S_GOOD, "/found.txt", 0, 1,
	    { 0 }, 5000, 0, HTTPS_REDIRECT, 302, NULL, "moved\n", -1,
	    "https://" HOST "/.well-known/mta-sts.txt", NULL },
	{ "certificate for another name", S_WRONG,
	    "/.well-known/mta-sts.txt", 0, 1, { 0 }, 5000, 0, HTTPS_TLS_ERROR,
	    0, NULL, "", 0, NULL, HOST },
	{ "self-signed certificate", S_SELF, "/.well-known/mta-sts.txt", 0,
	    1, { 0 }, 5000, 0, HTTPS_TLS_ERROR, 0, NULL, "", 0, NULL,
	    "certificate" },
	{ "test CA not trusted without ca_file", S_GOOD,
	    "/.well-known/mta-sts.txt", 0, 0, { 0 }, 5000, 0,
	    HTTPS_TLS_ERROR, 0, NULL, "", 0, NULL, "certificate" },
	{ "connection refused", S_CLOSED, "/.well-known/mta-sts.txt", 0, 1,
	    { 0 }, 5000, 0, HTTPS_CONNECT_FAILED, 0, NULL, "", 0, NULL, NULL },
	{ "TCP accepted, TLS never answered", S_SILENT,
	    "/.well-known/mta-sts.txt", 0, 1, { 0 }, 700, 0, HTTPS_TIMEOUT, 0,
	    NULL, "", 0, NULL, NULL },
	{ "request read, never answered", S_GOOD, "/slow.txt", 0, 1, { 0 },
	    700, 0, HTTPS_TIMEOUT, 0, NULL, "", 0, NULL, NULL },
};

static const char *const localhost[] = { "127.0.0.1", NULL };

static size_t
count(const char *const *a)
{
	size_t n = 0;

	while (n < 3 && a[n] != NULL)
		n++;
	return n;
}

static void
run_case(const struct tcase *c)
{
	struct https_request req;
	struct got g;
	char url[512], cafile[PATH_MAX], label[256];
	uint64_t t0, took;

	if (pids[c->srv] == -1) {
		diag("SKIP %s: no IPv6 loopback", c->name);
		return;
	}
	snprintf(cafile, sizeof(cafile), "%s/ca.crt", dir);
	if (c->url_port)
		snprintf(url, sizeof(url), "https://%s:%d%s", HOST,
		    port[c->srv], c->path);
	else
		snprintf(url, sizeof(url), "https://%s%s", HOST, c->path);
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.addrs = c->addrs[0] ? c->addrs : localhost;
	req.naddrs = count(req.addrs);
	req.port = c->url_port ? 0 : (unsigned)port[c->srv];
	req.ca_file = c->ca ? cafile : NULL;
	req.timeout_ms = c->timeout_ms;
	req.max_body = c->max_body;
	memset(&g, 0, sizeof(g));
	t0 = evloop_clock();
	https_fetch_start(loop, &req, on_done, &g);
	evloop_run(loop);
	took = evloop_clock() - t0;

	snprintf(label, sizeof(label), "%s: called once", c->name);
	is_int(g.called, 1, label);
	snprintf(label, sizeof(label), "%s: outcome %s", c->name,
	    https_outcome_name(c->want));
	if (!ok(g.outcome == c->want, "%s", label))
		diag("  got %s (%s)", https_outcome_name(g.outcome), g.error);
	if (c->status >= 0) {
		snprintf(label, sizeof(label), "%s: status", c->name);
		is_int(g.status, c->status, label);
	}
	if (c->ctype != NULL) {
		snprintf(label, sizeof(label), "%s: content type", c->name);
		if (strcmp(c->ctype, NOCT) == 0)
			ok(!g.has_ctype, "%s", label);
		else
			is_str(g.ctype, c->ctype, label);
	}
	if (c->body != NULL) {
		snprintf(label, sizeof(label), "%s: body", c->name);
		is_str(g.body, c->body, label);
	}
	if (c->body_len >= 0) {
		snprintf(label, sizeof(label), "%s: body length", c->name);
		is_int(g.body_len, c->body_len, label);
	}
	snprintf(label, sizeof(label), "%s: location", c->name);
	if (c->location != NULL)
		is_str(g.location, c->location, label);
	else
		ok(!g.has_location, "%s", label);
	if (c->error_has != NULL) {
		snprintf(label, sizeof(label), "%s: error names \"%s\"",
		    c->name, c->error_has);
		if (!ok(strstr(g.error, c->error_has) != NULL, "%s", label))
			diag("  error: %s", g.error);
	}
	if (c->want == HTTPS_OK || c->want == HTTPS_TLS_ERROR) {
		snprintf(label, sizeof(label), "%s: connected to %s",
		    c->name, req.addrs[req.naddrs - 1]);
		is_str(g.ip, req.addrs[req.naddrs - 1], label);
	}
	if (c->want == HTTPS_TIMEOUT) {
		snprintf(label, sizeof(label), "%s: ended at the timeout "
		    "(%llu ms)", c->name, (unsigned long long)took);
		ok(g.ms + 50 >= c->timeout_ms && took < c->timeout_ms + 1500,
		    "%s", label);
	}
}

/* Requests refused before any connection: reported from the loop. */
static void
test_rejects(void)
{
	static const struct {
		const char	*name;
		const char	*url;
		const char	*addr;
		const char	*ca_file;
		const char	*error_has;
	} rj[] = {
		{ "http URL", "http://" HOST "/.well-known/mta-sts.txt",
		    "127.0.0.1", NULL, "not an https URL" },
		{ "ftp URL", "ftp://" HOST "/x", "127.0.0.1", NULL, "https" },
		{ "garbage URL", "https://", "127.0.0.1", NULL, "URL" },
		{ "IP literal host", "https://[::1]/x", "::1", NULL, "host" },
		{ "no addresses", "https://" HOST "/x", NULL, NULL,
		    "no address" },
		{ "a name instead of an address", "https://" HOST "/x",
		    "localhost", NULL, "not an IP address" },
		{ "no URL", NULL, "127.0.0.1", NULL, "no URL" },
	};
	struct https_request req;
	struct https_fetch *f;
	struct got g;
	const char *addrs[1];
	char label[256];
	size_t i;

	for (i = 0; i < sizeof(rj) / sizeof(rj[0]); i++) {
		memset(&req, 0, sizeof(req));
		memset(&g, 0, sizeof(g));
		req.url = rj[i].url;
		addrs[0] = rj[i].addr;
		req.addrs = addrs;
		req.naddrs = rj[i].addr ? 1 : 0;
		req.ca_file = rj[i].ca_file;
		f = https_fetch_start(loop, &req, on_done, &g);
		snprintf(label, sizeof(label), "reject %s: handle, no "
		    "callback yet", rj[i].name);
		ok(f != NULL && g.called == 0, "%s", label);
		evloop_run(loop);
		snprintf(label, sizeof(label), "reject %s: OTHER once",
		    rj[i].name);
		ok(g.called == 1 && g.outcome == HTTPS_OTHER, "%s", label);
		snprintf(label, sizeof(label), "reject %s: says \"%s\"",
		    rj[i].name, rj[i].error_has);
		if (!ok(strstr(g.error, rj[i].error_has) != NULL, "%s", label))
			diag("  error: %s", g.error);
	}
}

static void
test_bad_cafile(void)
{
	struct https_request req;
	struct got g;
	char url[256];

	snprintf(url, sizeof(url), "https://%s/.well-known/mta-sts.txt",
	    HOST);
	memset(&req, 0, sizeof(req));
	memset(&g, 0, sizeof(g));
	req.url = url;
	req.addrs = localhost;
	req.naddrs = 1;
	req.port = (unsigned)port[S_GOOD];
	req.ca_file = "/nonexistent/ca.crt";
	req.timeout_ms = 5000;
	https_fetch_start(loop, &req, on_done, &g);
	evloop_run(loop);
	ok(g.called == 1 && g.outcome == HTTPS_OTHER,
	    "unreadable ca_file is OTHER (our setup), not TLS_ERROR");
	diag("  %s: %s", https_outcome_name(g.outcome), g.error);
}

static struct https_fetch *victim;

static void
cancel_victim(void *arg)
{
	(void)arg;
	https_fetch_cancel(victim);
	victim = NULL;
}

static struct https_fetch *self;

static void
on_done_cancel_self(const struct https_result *r, void *arg)
{
	on_done(r, arg);
	https_fetch_cancel(self);	/* a no-op: freed after we return */
}

static struct got chained;

/* A callback that starts a fetch and cancels another one. */
static void
on_done_chain(const struct https_result *r, void *arg)
{
	struct https_request req;
	static char url[256];

	on_done(r, arg);
	https_fetch_cancel(victim);
	victim = NULL;
	snprintf(url, sizeof(url), "https://%s/.well-known/mta-sts.txt",
	    HOST);
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.addrs = localhost;
	req.naddrs = 1;
	req.port = (unsigned)port[S_WRONG];
	req.timeout_ms = 5000;
	https_fetch_start(loop, &req, on_done, &chained);
}

static void
req_for(struct https_request *req, char *url, size_t n, enum srv s,
    const char *path, const char *cafile, unsigned timeout_ms)
{
	snprintf(url, n, "https://%s%s", HOST, path);
	memset(req, 0, sizeof(*req));
	req->url = url;
	req->addrs = localhost;
	req->naddrs = 1;
	req->port = (unsigned)port[s];
	req->ca_file = cafile;
	req->timeout_ms = timeout_ms;
}

static void
test_cancel_and_concurrency(void)
{
	struct https_request req;
	struct got g[4];
	char url[4][256], cafile[PATH_MAX];
	uint64_t t0, took;

	snprintf(cafile, sizeof(cafile), "%s/ca.crt", dir);

	/* Cancel a fetch that would wait 5 s. */
	memset(g, 0, sizeof(g));
	req_for(&req, url[0], sizeof(url[0]), S_SILENT,
	    "/.well-known/mta-sts.txt", cafile, 5000);
	t0 = evloop_clock();
	victim = https_fetch_start(loop, &req, on_done, &g[0]);
	evloop_timer_add(loop, 100, cancel_victim, NULL);
	evloop_run(loop);
	took = evloop_clock() - t0;
	ok(g[0].called == 0, "cancelled fetch: no callback");
	ok(took < 2000, "cancelled fetch: loop ran dry at once (%llu ms)",
	    (unsigned long long)took);

	/* Cancel a rejected request before its report. */
	memset(&req, 0, sizeof(req));
	req.url = "http://" HOST "/";
	victim = https_fetch_start(loop, &req, on_done, &g[0]);
	https_fetch_cancel(victim);
	victim = NULL;
	evloop_run(loop);
	ok(g[0].called == 0, "cancelled reject: no callback");
	https_fetch_cancel(NULL);
	ok(1, "cancel(NULL) is a no-op");

	/* Cancelling itself from its own callback (ASan checks the rest). */
	memset(g, 0, sizeof(g));
	req_for(&req, url[0], sizeof(url[0]), S_GOOD, "/none.txt", cafile,
	    5000);
	self = https_fetch_start(loop, &req, on_done_cancel_self, &g[0]);
	evloop_run(loop);
	ok(g[0].called == 1 && g[0].status == 404,
	    "cancel inside its own callback is harmless");

	/*
	 * Three at once on one loop: a quick 404 whose callback cancels the
	 * silent one and starts a fetch from a wrong-name server; a policy.
	 */
	memset(g, 0, sizeof(g));
	memset(&chained, 0, sizeof(chained));
	req_for(&req, url[0], sizeof(url[0]), S_SILENT,
	    "/.well-known/mta-sts.txt", cafile, 5000);
	victim = https_fetch_start(loop, &req, on_done, &g[0]);
	req_for(&req, url[1], sizeof(url[1]), S_GOOD, "/none.txt", cafile,
	    5000);
	https_fetch_start(loop, &req, on_done_chain, &g[1]);
	req_for(&req, url[2], sizeof(url[2]), S_GOOD,
	    "/.well-known/mta-sts.txt", cafile, 5000);
	https_fetch_start(loop, &req, on_done, &g[2]);
	t0 = evloop_clock();
	evloop_run(loop);
	took = evloop_clock() - t0;
	ok(g[0].called == 0, "concurrent: fetch cancelled by another's "
	    "callback is not reported");
	ok(g[1].called == 1 && g[1].outcome == HTTPS_HTTP_STATUS &&
	    g[1].status == 404, "concurrent: 404");
	ok(g[2].called == 1 && g[2].outcome == HTTPS_OK &&
	    strcmp(g[2].body, POLICY) == 0, "concurrent: policy");
	ok(chained.called == 1 && chained.outcome == HTTPS_TLS_ERROR,
	    "concurrent: fetch started from a callback ran (%s)",
	    https_outcome_name(chained.outcome));
	ok(took < 4000, "concurrent: no wait for the cancelled one "
	    "(%llu ms)", (unsigned long long)took);
}

static void
test_names(void)
{
	static const struct {
		const char	*ct;
		int		 want;
	} tp[] = {
		{ "text/plain", 1 },
		{ "TEXT/PLAIN", 1 },
		{ "text/plain; charset=utf-8", 1 },
		{ "text/plain;charset=us-ascii", 1 },
		{ " text/plain ", 1 },
		{ "text/plain ; format=flowed", 1 },
		{ "text/plainx", 0 },
		{ "text/html", 0 },
		{ "text/", 0 },
		{ "", 0 },
		{ NULL, 0 },
		{ "application/octet-stream", 0 },
		{ "text/plain, text/html", 0 },
	};
	char label[128];
	size_t i;

	for (i = 0; i < sizeof(tp) / sizeof(tp[0]); i++) {
		snprintf(label, sizeof(label), "text/plain check: \"%s\"",
		    tp[i].ct ? tp[i].ct : "(null)");
		is_int(https_is_text_plain(tp[i].ct), tp[i].want, label);
	}
	is_str(https_outcome_name(HTTPS_OK), "OK", "name OK");
	is_str(https_outcome_name(HTTPS_BAD_CONTENT_TYPE), "BAD_CONTENT_TYPE",
	    "name BAD_CONTENT_TYPE");
	is_str(https_outcome_name(HTTPS_OTHER), "OTHER", "name OTHER");
	is_str(https_outcome_name((enum https_outcome)99), "OTHER",
	    "name out of range");
}

int
main(void)
{
	static const struct {
		const char	*cert;
		const char	*listen;
	} srv[] = {
		{ "good", "127.0.0.1" }, { "wrong", "127.0.0.1" },
		{ "self", "127.0.0.1" }, { "good", "::1" }
	};
	size_t i;

	alarm(120);	/* a hang is a failure, not a stuck build */
	signal(SIGPIPE, SIG_IGN);
	test_names();
	if (access(PYTHON3, X_OK) != 0 || OPENSSL_BIN[0] == '\0') {
		diag("SKIP fetches: they need python3 and openssl");
		return tap_done();
	}
	if (mkdtemp(dir) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	if (setup_files() == -1) {
		printf("Bail out! cannot make certificates (see %s/log)\n",
		    dir);
		return 1;
	}
	for (i = 0; i < 4; i++)
		if ((pids[i] = start_server(srv[i].cert, srv[i].listen,
		    &port[i])) <= 0) {
			pids[i] = 0;
			if (i == S_GOOD6) {
				pids[i] = -1;	/* no ::1: skip its cases */
				continue;
			}
			printf("Bail out! httpsd %s did not start\n",
			    srv[i].cert);
			stop_servers();
			return 1;
		}
	if ((silent_fd = open_silent(&port[S_SILENT])) == -1 ||
	    (port[S_CLOSED] = closed_port()) <= 0) {
		printf("Bail out! no loopback sockets\n");
		stop_servers();
		return 1;
	}
	loop = evloop_new();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_rejects();
	test_bad_cafile();
	test_cancel_and_concurrency();
	evloop_free(loop);
	stop_servers();
	return tap_done();
}
