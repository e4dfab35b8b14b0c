#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static void
oom(size_t n)
{
	fprintf(stderr, "mxprobe: out of memory (%zu bytes)\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p;

	/* A product of 0 is size 0, promoted to 1 (n may still be huge);
	 * one that overflows is reported as xreallocarray() does, not as
	 * the wrapped product. */
	if (n == 0 || sz == 0)
		n = sz = 1;
	else if (n > SIZE_MAX / sz)
		oom(SIZE_MAX);
	if ((p = calloc(n, sz)) == NULL)
		oom(n * sz);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p;

	if ((p = realloc(old, n ? n : 1)) == NULL)
		oom(n);
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	if (sz != 0 && n > SIZE_MAX / sz)
		oom(SIZE_MAX);
	return xrealloc(old, n * sz);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
