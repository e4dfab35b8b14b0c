/*
 * tap.h - the smallest TAP producer for unit tests (automake tap-driver).
 *
 * ok(cond, fmt, ...)		one test point
 * is_int(got, want, name)	integer equality, prints both on failure
 * is_str(got, want, name)	string equality (NULL-safe)
 * diag(fmt, ...)		a "# " comment line
 * tap_done()			prints the plan, returns the exit status
 */
#ifndef MXPROBE_TAP_H
#define MXPROBE_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static void __attribute__((format(printf, 1, 2), unused))
diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static int __attribute__((format(printf, 2, 3), unused))
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define is_int(got, want, name) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!ok(g_ == w_, "%s", (name)))				\
		diag("  got %lld, want %lld", g_, w_);			\
} while (0)

#define is_str(got, want, name) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL || w_ == NULL) ? g_ == w_ :		\
	    strcmp(g_, w_) == 0;					\
	if (!ok(same_, "%s", (name)))					\
		diag("  got \"%s\", want \"%s\"", g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
} while (0)

static int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
