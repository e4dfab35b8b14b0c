/*
 * t_xalloc - src/util/xalloc.c: size 0 promoted to 1, contents kept by
 * the reallocations, the strings; and a size whose product overflows
 * size_t (xcalloc, xreallocarray), which must not allocate a short block
 * but end the program as out-of-memory does: abort() after the message,
 * tested in a forked child.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"
#include "tap.h"

/*
 * Under AddressSanitizer a request larger than it serves ends in its own
 * report unless it may return NULL as libc's malloc does: then what is
 * tested is xalloc's handling of that NULL, the same as without it.
 */
#if defined(__SANITIZE_ADDRESS__)
#define T_XALLOC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_XALLOC_ASAN 1
#endif
#endif
#ifdef T_XALLOC_ASAN
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

enum what { W_CALLOC, W_REALLOCARRAY, W_REALLOCARRAY_OLD, W_MALLOC };

static void *volatile old_block;		/* reachable when the child aborts */

/*
 * Run one allocation in a child; 1 when it died of SIGABRT and its
 * stderr held the out-of-memory message, 0 when it returned (the child
 * exits 0 then), -1 on a fork/pipe failure.
 */
static int
aborts(enum what w, size_t n, size_t sz, char *msg, size_t msgsz)
{
	int fd[2], st;
	pid_t pid;
	ssize_t r;
	size_t got = 0;
	void *p;

	msg[0] = '\0';
	if (pipe(fd) == -1)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		signal(SIGABRT, SIG_DFL);
		switch (w) {
		case W_CALLOC:
			p = xcalloc(n, sz);
			break;
		case W_REALLOCARRAY:
			p = xreallocarray(NULL, n, sz);
			break;
		case W_REALLOCARRAY_OLD:
			old_block = xmalloc(16);
			p = xreallocarray(old_block, n, sz);
			break;
		default:
			p = xmalloc(n);
			break;
		}
		free(p);
		_exit(p == NULL ? 2 : 0);
	}
	close(fd[1]);
	while (got + 1 < msgsz &&
	    (r = read(fd[0], msg + got, msgsz - 1 - got)) > 0)
		got += (size_t)r;
	msg[got] = '\0';
	close(fd[0]);
	if (waitpid(pid, &st, 0) == -1)
		return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT &&
	    strstr(msg, "mxprobe: out of memory") != NULL ? 1 : -1;
}

static void
test_zero(void)
{
	unsigned char *p;

	p = xmalloc(0);
	ok(p != NULL, "xmalloc(0): a pointer");
	p[0] = 1;		/* promoted to 1 byte: writable */
	free(p);
	p = xcalloc(0, 0);
	ok(p != NULL && p[0] == 0, "xcalloc(0, 0): a zeroed byte");
	free(p);
	p = xcalloc(0, 8);
	ok(p != NULL, "xcalloc(0, 8): a pointer");
	free(p);
	p = xcalloc(8, 0);
	ok(p != NULL, "xcalloc(8, 0): a pointer");
	free(p);
	p = xrealloc(NULL, 0);
	ok(p != NULL, "xrealloc(NULL, 0): a pointer");
	p = xrealloc(p, 0);
	ok(p != NULL, "xrealloc(p, 0): a pointer, not a free");
	free(p);
	p = xreallocarray(NULL, 0, 8);
	ok(p != NULL, "xreallocarray(NULL, 0, 8): a pointer");
	free(p);
	p = xreallocarray(NULL, 8, 0);
	ok(p != NULL, "xreallocarray(NULL, 8, 0): a pointer");
	free(p);
}

static void
test_contents(void)
{
	unsigned char *p;
	int *v;
	size_t i;
	int bad = 0;

	p = xcalloc(16, 4);
	for (i = 0; i < 64; i++)
		bad += p[i] != 0;
	is_int(bad, 0, "xcalloc: 64 bytes zeroed");
	free(p);

	v = NULL;
	for (i = 0; i < 1000; i++) {
		v = xreallocarray(v, i + 1, sizeof(*v));
		v[i] = (int)i;
	}
	for (i = 0, bad = 0; i < 1000; i++)
		bad += v[i] != (int)i;
	is_int(bad, 0, "xreallocarray: 1000 growths keep the contents");
	v = xrealloc(v, 10 * sizeof(*v));
	ok(v[9] == 9, "xrealloc: shrinking keeps the front");
	free(v);
}

static void
test_strings(void)
{
	char *s;
	const char raw[4] = { 'a', 'b', 'c', 'd' };	/* no NUL */

	s = xstrdup("mail");
	is_str(s, "mail", "xstrdup");
	free(s);
	s = xstrdup("");
	is_str(s, "", "xstrdup(\"\")");
	free(s);
	s = xstrndup("example", 3);
	is_str(s, "exa", "xstrndup: cut at n");
	free(s);
	s = xstrndup("ex", 10);
	is_str(s, "ex", "xstrndup: n past the end stops at the NUL");
	free(s);
	s = xstrndup(raw, sizeof(raw));
	is_str(s, "abcd", "xstrndup: reads no further than n (no NUL)");
	free(s);
	s = xstrndup("abc", 0);
	is_str(s, "", "xstrndup: n 0");
	free(s);
}

static void
test_overflow(void)
{
	char msg[256];
	size_t half = SIZE_MAX / 2 + 1;
	int r;

	r = aborts(W_REALLOCARRAY, half, 2, msg, sizeof(msg));
	is_int(r, 1, "xreallocarray: n * size overflows: abort");
	ok(strstr(msg, "out of memory") != NULL, "  with the message (%.*s)",
	    (int)strcspn(msg, "\n"), msg);
	is_int(aborts(W_REALLOCARRAY_OLD, 3, SIZE_MAX / 2, msg, sizeof(msg)),
	    1, "xreallocarray of a block: overflow: abort");
	is_int(aborts(W_REALLOCARRAY, SIZE_MAX, SIZE_MAX, msg, sizeof(msg)),
	    1, "xreallocarray: SIZE_MAX * SIZE_MAX: abort");
	is_int(aborts(W_REALLOCARRAY, SIZE_MAX / 8, 8, msg, sizeof(msg)), 1,
	    "xreallocarray: no overflow but no memory either: abort");

	r = aborts(W_CALLOC, half, 2, msg, sizeof(msg));
	is_int(r, 1, "xcalloc: n * size overflows: abort");
	/* The product wraps to 0: the message must not say so. */
	ok(strstr(msg, "(0 bytes)") == NULL, "  not reported as 0 bytes "
	    "(%.*s)", (int)strcspn(msg, "\n"), msg);
	is_int(aborts(W_CALLOC, SIZE_MAX, SIZE_MAX, msg, sizeof(msg)), 1,
	    "xcalloc: SIZE_MAX * SIZE_MAX: abort");
	is_int(aborts(W_MALLOC, SIZE_MAX, 0, msg, sizeof(msg)), 1,
	    "xmalloc(SIZE_MAX): abort");

	/* A product of 0 is size 0, promoted to 1: not an overflow. */
	is_int(aborts(W_CALLOC, SIZE_MAX, 0, msg, sizeof(msg)), 0,
	    "xcalloc(SIZE_MAX, 0): size 0, a pointer");
	is_int(aborts(W_CALLOC, 0, SIZE_MAX, msg, sizeof(msg)), 0,
	    "xcalloc(0, SIZE_MAX): size 0, a pointer");
	is_int(aborts(W_REALLOCARRAY, SIZE_MAX, 0, msg, sizeof(msg)), 0,
	    "xreallocarray(NULL, SIZE_MAX, 0): size 0, a pointer");
}

int
main(void)
{
	test_zero();
	test_contents();
	test_strings();
	test_overflow();
	return tap_done();
}
