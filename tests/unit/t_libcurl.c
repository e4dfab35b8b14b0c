/*
 * Unit tests for src/net/libcurl.c when libcurl cannot be loaded: this
 * test builds the loader itself with a library name that exists nowhere,
 * so its libcurl_load() (not the one in libmxio.a) is what https.c calls.
 * The loader must fail with the dlerror() text, keep the failure, and an
 * HTTPS fetch must end as HTTPS_OTHER carrying that reason, from the
 * loop, exactly once: the MTA-STS check then reports an unreachable
 * policy, never a verdict about the policy.
 */
#define LIBCURL_LOAD_NAME	"libmxprobe-absent.so.0"
#include "net/libcurl.c"

#include <signal.h>
#include <unistd.h>

#include "net/evloop.h"
#include "net/https.h"
#include "tap.h"

struct got {
	int			 called;
	enum https_outcome	 outcome;
	char			 error[512];
};

static void
on_done(const struct https_result *r, void *arg)
{
	struct got *g = arg;

	g->called++;
	g->outcome = r->outcome;
	snprintf(g->error, sizeof(g->error), "%s", r->error);
}

static void
test_load(void)
{
	struct buf *why = buf_new(BUF_WHY_MAX);
	char first[512];

	ok(libcurl_load(why) == NULL, "a missing library: no table");
	ok(strncmp(buf_str(why), "libmxprobe-absent.so.0 cannot be loaded: ",
	    41) == 0, "reason names the library: %s", buf_str(why));
	ok(strstr(buf_str(why), "libmxprobe-absent.so.0: cannot open") !=
	    NULL, "reason carries dlerror(): %s", buf_str(why));
	snprintf(first, sizeof(first), "%s", buf_str(why));
	buf_reset(why);
	ok(libcurl_load(why) == NULL, "second call: still no table");
	is_str(buf_str(why), first, "second call: the same reason");
	buf_free(why);
}

static void
test_fetch(void)
{
	static const char *addrs[] = { "127.0.0.1" };
	struct https_request req = {
		.url = "https://mta-sts.example.test/.well-known/mta-sts.txt",
		.addrs = addrs, .naddrs = 1, .timeout_ms = 2000,
	};
	struct evloop *loop = evloop_new();
	struct got g = { 0 };
	struct https_fetch *f;

	f = https_fetch_start(loop, &req, on_done, &g);
	ok(f != NULL, "fetch: a handle");
	is_int(g.called, 0, "fetch: no callback before the loop runs");
	evloop_run(loop);
	is_int(g.called, 1, "fetch: one callback");
	is_int(g.outcome, HTTPS_OTHER, "fetch: outcome OTHER");
	ok(strncmp(g.error, "libmxprobe-absent.so.0 cannot be loaded: ",
	    41) == 0, "fetch: error is the load failure: %s", g.error);

	/* A cancelled fetch that never had libcurl frees cleanly. */
	memset(&g, 0, sizeof(g));
	f = https_fetch_start(loop, &req, on_done, &g);
	https_fetch_cancel(f);
	evloop_run(loop);
	is_int(g.called, 0, "cancelled fetch: no callback");
	evloop_free(loop);
}

int
main(void)
{
	alarm(30);
	test_load();
	test_fetch();
	return tap_done();
}
