/*
 * t_spf_fuzz - replay tests/corpus/spf/ through the SPF parser and macro
 * expander, then a fixed-seed mutation run over the same inputs: every
 * input must give a record or a positioned error, never a crash (run it
 * under --enable-asan --enable-ubsan).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/spf.h"
#include "util/dname.h"
#include "tap.h"

#define MUTATIONS	20000

static unsigned long rng = 12345;

static unsigned
next(void)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33);
}

/* Parse; on success expand every domain-spec. 1 when consistent. */
static int
exercise(const char *s, size_t n)
{
	struct spf_record *r;
	struct buf *why = buf_new(BUF_WHY_MAX), *out = buf_new(8192);
	struct spf_macro_ctx ctx;
	struct spf_ip ip;
	size_t pos = 0, i;
	int good = 1;

	memset(&ctx, 0, sizeof(ctx));
	spf_ip_parse("2001:db8::1", &ip);
	ctx.sender = "a.b-c+d@ex.example.com";
	ctx.local = "a.b-c+d";
	ctx.sender_domain = ctx.domain = "ex.example.com";
	ctx.ip = &ip;
	ctx.helo = "h.example";
	r = spf_parse(s, n, &pos, why);
	if (r == NULL) {
		good = pos >= 1 && pos <= n + 1 && buf_len(why) > 0;
	} else {
		for (i = 0; i < r->nmech; i++)
			if (r->mech[i].domain != NULL) {
				buf_reset(out);
				/* Parsed specs expand; a result with dots
				 * was cut to 253 octets. */
				if (spf_macro_expand(r->mech[i].domain, &ctx,
				    SPF_MACRO_DOMAIN, out, why) != 0 ||
				    (buf_len(out) > DNAME_MAX &&
				    strchr(buf_str(out), '.') != NULL))
					good = 0;
			}
		spf_record_free(r);
	}
	spf_explain_valid(s, n, why);
	buf_free(why);
	buf_free(out);
	return good;
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024], path[2048], *data[64], *m;
	size_t len[64], ndata = 0, i, j, k;
	struct dirent *de;
	DIR *d;
	FILE *fp;
	int bad = 0;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/spf", top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		printf("Bail out! cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL && ndata < 64) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		data[ndata] = malloc(SPF_RECORD_MAX + 1);
		len[ndata] = fread(data[ndata], 1, SPF_RECORD_MAX, fp);
		fclose(fp);
		ok(exercise(data[ndata], len[ndata]), "corpus %s", de->d_name);
		ndata++;
	}
	closedir(d);
	ok(ndata > 0, "corpus is not empty");
	m = malloc(SPF_RECORD_MAX + 16);
	for (i = 0; i < MUTATIONS && ndata > 0; i++) {
		j = next() % ndata;
		memcpy(m, data[j], len[j]);
		k = len[j];
		switch (next() % 4) {
		case 0:		/* flip a byte */
			if (k > 0)
				m[next() % k] = (char)(next() & 0xff);
			break;
		case 1:		/* truncate */
			k = k ? next() % k : 0;
			break;
		case 2:		/* insert a syntax character */
			if (k > 0 && k < SPF_RECORD_MAX) {
				size_t at = next() % k;

				memmove(m + at + 1, m + at, k - at);
				m[at] = "%{}/:=.-+~? r0"[next() % 14];
				k++;
			}
			break;
		default:	/* keep v=spf1, flip after it */
			if (k > 7)
				m[7 + next() % (k - 7)] =
				    "%{}/:=.-+ rR9"[next() % 13];
		}
		if (!exercise(m, k) && bad++ < 5)
			diag("inconsistent result for \"%.*s\"", (int)k, m);
	}
	free(m);
	ok(bad == 0, "%d mutations: no inconsistent result", MUTATIONS);
	for (i = 0; i < ndata; i++)
		free(data[i]);
	return tap_done();
}
