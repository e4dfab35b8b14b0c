/*
 * fuzz_main - the two ways to run a parser's exercise().
 *
 * With -DMXPROBE_LIBFUZZER: LLVMFuzzerTestOneInput(), aborting when
 * exercise() finds a broken promise, so libFuzzer keeps the input.
 * Without: a TAP test for make check that replays every file of
 * $top_srcdir/tests/corpus/<fuzz_corpus>/ (in name order), then runs
 * fuzz_mutations deterministic mutations of them (one fixed-seed PRNG:
 * byte flips, cuts, insertions of syntax bytes, deleted runs, duplicated
 * tails, digit runs, 0xffff lengths, compression pointers, splices of two
 * seeds). FUZZ_MUTATIONS in the environment overrides the count (the
 * valgrind pass uses fewer). Run it under --enable-asan --enable-ubsan
 * or valgrind to catch what exercise() cannot see.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#ifdef MXPROBE_LIBFUZZER

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!exercise(data, size))
		abort();
	return 0;
}

#else

#include <dirent.h>
#include <stdio.h>

#include "tap.h"

#define MAXFILES	256

struct seed {
	char		*name;
	uint8_t		*data;
	size_t		 len;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n == 0 ? 0 : (unsigned)(rng % n);
}

/* sizeof, not strlen: the list holds a NUL. */
static const char syntax[] =
    ";=:,!*.%{}/+-~?_@ \t\r\n\0\x7f\xff\xc0\x80v0123456789";

/* One to four edits of p[0..n) in place (room for FUZZ_MAX_LEN). */
static size_t
mutate(uint8_t *p, size_t n, const struct seed *other)
{
	size_t k, at, i, c;

	for (k = 1 + rnd(4); k > 0; k--) {
		at = n ? rnd((unsigned)n) : 0;
		switch (rnd(9)) {
		case 0:		/* flip a few bytes */
			for (c = 1 + rnd(4); c > 0 && n > 0; c--)
				p[rnd((unsigned)n)] = (uint8_t)rnd(256);
			break;
		case 1:		/* cut it short */
			n = at;
			break;
		case 2:		/* insert a syntax byte */
			if (n + 1 < FUZZ_MAX_LEN) {
				memmove(p + at + 1, p + at, n - at);
				p[at] = (uint8_t)syntax[rnd(
				    sizeof(syntax) - 1)];
				n++;
			}
			break;
		case 3:		/* delete a run */
			i = rnd(16);
			if (at + i > n)
				i = n - at;
			memmove(p + at, p + at + i, n - at - i);
			n -= i;
			break;
		case 4:		/* duplicate the tail */
			i = n - at;
			if (n + i < FUZZ_MAX_LEN) {
				memcpy(p + n, p + at, i);
				n += i;
			}
			break;
		case 5:		/* a digit run */
			for (i = 0; i < 12 && at + i < n; i++)
				p[at + i] = (uint8_t)('0' + rnd(10));
			break;
		case 6:		/* a huge 16-bit length or count */
			if (at + 1 < n)
				p[at] = p[at + 1] = 0xff;
			break;
		case 7:		/* a DNS compression pointer */
			if (at + 1 < n) {
				p[at] = (uint8_t)(0xc0 | rnd(64));
				p[at + 1] = (uint8_t)rnd(256);
			}
			break;
		default:	/* splice in a piece of another seed */
			i = other->len ? rnd((unsigned)other->len) : 0;
			c = other->len - i;
			if (at + c > FUZZ_MAX_LEN)
				c = FUZZ_MAX_LEN - at;
			memcpy(p + at, other->data + i, c);
			if (at + c > n)
				n = at + c;
			break;
		}
	}
	return n;
}

static int
byname(const void *a, const void *b)
{
	return strcmp(((const struct seed *)a)->name,
	    ((const struct seed *)b)->name);
}

static size_t
load(const char *dir, struct seed *s)
{
	char path[2048];
	struct dirent *de;
	size_t n = 0;
	FILE *fp;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < MAXFILES) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		s[n].data = malloc(FUZZ_MAX_LEN);
		s[n].len = fread(s[n].data, 1, FUZZ_MAX_LEN, fp);
		fclose(fp);
		s[n].name = strdup(de->d_name);
		n++;
	}
	closedir(d);
	qsort(s, n, sizeof(*s), byname);
	return n;
}

int
main(void)
{
	const char *top = getenv("top_srcdir"), *env;
	static struct seed seeds[MAXFILES];
	char dir[1024];
	uint8_t *m;
	size_t nseeds, i, j, n, bad = 0;
	unsigned long rounds = fuzz_mutations;

	if ((env = getenv("FUZZ_MUTATIONS")) != NULL)
		rounds = strtoul(env, NULL, 10);
	snprintf(dir, sizeof(dir), "%s/tests/corpus/%s", top ? top : ".",
	    fuzz_corpus);
	nseeds = load(dir, seeds);
	ok(nseeds > 0, "corpus %s holds %zu seeds", dir, nseeds);
	for (i = 0; i < nseeds; i++)
		ok(exercise(seeds[i].data, seeds[i].len), "seed %s (%zu "
		    "octets)", seeds[i].name, seeds[i].len);
	m = malloc(FUZZ_MAX_LEN);
	for (i = 0; i < rounds && nseeds > 0; i++) {
		j = rnd((unsigned)nseeds);
		memcpy(m, seeds[j].data, seeds[j].len);
		n = mutate(m, seeds[j].len, &seeds[rnd((unsigned)nseeds)]);
		if (!exercise(m, n) && bad++ < 5)
			diag("broken promise on mutation %zu of %s (%zu "
			    "octets)", i, seeds[j].name, n);
	}
	ok(bad == 0, "%lu mutations: every result kept its promises (%zu "
	    "did not)", rounds, bad);
	free(m);
	for (i = 0; i < nseeds; i++) {
		free(seeds[i].name);
		free(seeds[i].data);
	}
	return tap_done();
}

#endif
