/*
 * t_dns_wire_fuzz - replay tests/corpus/dns_wire/ (answers captured from
 * the lab's NSD: MX, TXT in several strings, CNAME chain, NODATA and
 * NXDOMAIN with SOA, TLSA with RRSIG, PTR, NS) through dns_wire_parse(),
 * then a fixed-seed mutation run over them: flipped bytes, truncation,
 * forged compression pointers and counts. Every input must parse or be
 * rejected with a reason; what parses must keep the parser's promises.
 * Run it under --enable-asan --enable-ubsan to catch the rest.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/dns_wire.h"
#include "tap.h"

#define MUTATIONS	30000
#define MAXFILES	64

static unsigned long rng = 20261122;

static unsigned
next(void)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33);
}

/* 1 when a parse result keeps the promises of dns_wire.h. */
static int
consistent(int rc, const struct dns_msg *m, const struct buf *why)
{
	size_t i;

	if (rc == -1)
		return buf_len(why) > 0;
	if (rc != 0 || m->nrr > DNS_WIRE_MAX_RR)
		return 0;
	for (i = 0; i < m->nrr; i++) {
		if (m->rr[i].owner == NULL ||
		    strlen(m->rr[i].owner) > DNS_NAME_MAX)
			return 0;
		if ((m->rr[i].type == DNS_T_TXT || m->rr[i].type == DNS_T_SPF)
		    && m->rr[i].u.txt.data[m->rr[i].u.txt.len] != '\0')
			return 0;
		if (m->rr[i].type == DNS_T_MX && m->rr[i].u.mx.host == NULL)
			return 0;
	}
	return 1;
}

static int
exercise(const unsigned char *p, size_t n)
{
	struct dns_msg m;
	struct buf *why = buf_new(BUF_WHY_MAX);
	int rc, good;

	rc = dns_wire_parse(p, n, &m, why);
	good = consistent(rc, &m, why);
	if (rc == 0)
		dns_wire_free(&m);
	buf_free(why);
	return good;
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024], path[2048];
	unsigned char *files[MAXFILES], buf[70000];
	size_t lens[MAXFILES], nfiles = 0, i, n, k, bad = 0;
	struct dirent *de;
	struct dns_msg m;
	struct buf *why;
	DIR *d;
	FILE *fp;
	int rc;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/dns_wire",
	    top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		ok(0, "corpus directory %s", dir);
		return tap_done();
	}
	while ((de = readdir(d)) != NULL && nfiles < MAXFILES) {
		if (strstr(de->d_name, ".bin") == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		files[nfiles] = malloc(n);
		memcpy(files[nfiles], buf, n);
		lens[nfiles] = n;
		why = buf_new(BUF_WHY_MAX);
		rc = dns_wire_parse(buf, n, &m, why);
		ok(rc == 0 && m.nrr > 0, "corpus %s parses (%zu RRs) %s",
		    de->d_name, rc == 0 ? m.nrr : 0, buf_str(why));
		if (rc == 0)
			dns_wire_free(&m);
		buf_free(why);
		nfiles++;
	}
	closedir(d);
	ok(nfiles >= 8, "corpus holds %zu answers", nfiles);
	for (k = 0; k < MUTATIONS && nfiles > 0; k++) {
		i = next() % nfiles;
		n = lens[i];
		memcpy(buf, files[i], n);
		switch (next() % 5) {
		case 0:		/* flip a few bytes */
			for (size_t j = 0, c = 1 + next() % 4; j < c; j++)
				buf[next() % n] = (unsigned char)next();
			break;
		case 1:		/* cut it short */
			n = next() % n;
			break;
		case 2:		/* a compression pointer anywhere, to anywhere */
			if (n > 13) {
				size_t at = 12 + next() % (n - 13);

				buf[at] = (unsigned char)(0xc0 | (next() & 0x3f));
				buf[at + 1] = (unsigned char)next();
			}
			break;
		case 3:		/* lie about the counts */
			buf[6] = (unsigned char)next();
			buf[7] = (unsigned char)next();
			buf[9] = (unsigned char)next();
			break;
		default:	/* a huge length in some RR */
			if (n > 14) {
				size_t at = 12 + next() % (n - 14);

				buf[at] = 0xff;
				buf[at + 1] = 0xff;
			}
		}
		if (!exercise(buf, n))
			bad++;
	}
	ok(bad == 0, "%d mutated answers: each parsed consistently or was "
	    "rejected with a reason (%zu not)", MUTATIONS, bad);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	return tap_done();
}
