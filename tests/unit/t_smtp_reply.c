/* Unit tests for src/parse/smtp_reply.c: reply line grammar, multi-line replies,
 * enhanced status codes, hostile input (oversized, endless, bare CR,
 * non-printables), incremental feeding, EHLO keywords. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "parse/smtp_reply.h"
#include "tap.h"

#define DONE	SMTP_REPLY_DONE
#define MORE	SMTP_REPLY_MORE
#define ERR	SMTP_REPLY_ERROR

struct reply_case {
	const char	*name;
	const char	*in;
	enum smtp_reply_status want;
	int		 code;
	size_t		 nlines;
	const char	*esc;		/* want r.esc */
	const char	*last;		/* want text of the last line */
	const char	*why;		/* substring of the reason, ERR only */
	size_t		 used;		/* (size_t)-1 = whole input */
};

#define ALL ((size_t)-1)

static const struct reply_case cases[] = {
	{ "single line", "220 mx.example.com ESMTP\r\n", DONE, 220, 1, "",
	    "mx.example.com ESMTP", NULL, ALL },
	{ "code only", "250\r\n", DONE, 250, 1, "", "", NULL, ALL },
	{ "multi-line", "250-mx.example.com\r\n250-PIPELINING\r\n"
	    "250 STARTTLS\r\n", DONE, 250, 3, "", "STARTTLS", NULL, ALL },
	{ "empty continuation", "220-\r\n220 ok\r\n", DONE, 220, 2, "", "ok",
	    NULL, ALL },
	{ "enhanced status code", "550 5.7.1 relay denied\r\n", DONE, 550,
	    1, "5.7.1", "5.7.1 relay denied", NULL, ALL },
	{ "enhanced code with 3-digit parts", "451 4.123.456 later\r\n",
	    DONE, 451, 1, "4.123.456", "4.123.456 later", NULL, ALL },
	{ "enhanced code alone", "250 2.0.0\r\n", DONE, 250, 1, "2.0.0",
	    "2.0.0", NULL, ALL },
	{ "enhanced code class mismatch ignored", "550 2.0.0 odd\r\n", DONE,
	    550, 1, "", "2.0.0 odd", NULL, ALL },
	{ "enhanced code 4-digit part ignored", "250 2.0000.0 x\r\n", DONE,
	    250, 1, "", "2.0000.0 x", NULL, ALL },
	{ "version number is not an enhanced code", "220 2.6 ready\r\n",
	    DONE, 220, 1, "", "2.6 ready", NULL, ALL },
	{ "bare LF accepted", "220 hi\n", DONE, 220, 1, "", "hi", NULL,
	    ALL },
	{ "stops after the reply", "220 a\r\n250 b\r\n", DONE, 220, 1, "",
	    "a", NULL, 7 },
	{ "incomplete line", "220 mx", MORE, 0, 0, "", NULL, NULL, 0 },
	{ "incomplete second line", "250-a\r\n250 b", MORE, 250, 1, "",
	    "a", NULL, 7 },
	{ "tab becomes space", "220 a\tb\r\n", DONE, 220, 1, "", "a b",
	    NULL, ALL },
	{ "control bytes censored", "220 a\x01\x1b[2Jb\x80\r\n", DONE, 220,
	    1, "", "a??[2Jb?", NULL, ALL },
	{ "bare CR inside line", "220 a\rb\r\n", ERR, 0, 0, "", NULL,
	    "bare CR", 0 },
	{ "code mismatch", "250-a\r\n251 b\r\n", ERR, 0, 0, "", NULL,
	    "changed from 250 to 251", 0 },
	{ "too short", "22\r\n", ERR, 0, 0, "", NULL, "too short", 0 },
	{ "letters instead of code", "abc def\r\n", ERR, 0, 0, "", NULL,
	    "reply code", 0 },
	{ "first digit out of range", "620 x\r\n", ERR, 0, 0, "", NULL,
	    "reply code", 0 },
	{ "second digit out of range", "260 x\r\n", ERR, 0, 0, "", NULL,
	    "reply code", 0 },
	{ "no separator", "220mx.example\r\n", ERR, 0, 0, "", NULL,
	    "neither SP nor", 0 },
	{ "empty line", "\r\n", ERR, 0, 0, "", NULL, "too short", 0 },
	{ "HTTP server", "HTTP/1.1 400 Bad Request\r\n", ERR, 0, 0, "",
	    NULL, "reply code", 0 },
	{ "NUL byte censored", "220 a\0b\r\n", DONE, 220, 1, "", "a?b",
	    NULL, ALL },
};

static size_t
case_len(const struct reply_case *c)
{
	/* The NUL case needs its real length. */
	if (strcmp(c->name, "NUL byte censored") == 0)
		return 9;
	return strlen(c->in);
}

static void
run_case(const struct reply_case *c)
{
	struct smtp_reply r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	enum smtp_reply_status st;
	size_t used, len = case_len(c);

	smtp_reply_init(&r);
	st = smtp_reply_feed(&r, c->in, len, &used, why);
	is_int(st, c->want, c->name);
	if (c->want == ERR) {
		ok(strstr(buf_str(why), c->why) != NULL, "%s: reason \"%s\"",
		    c->name, buf_str(why));
	} else {
		is_int(r.code, c->code, c->name);
		is_int(r.ntext, c->nlines, c->name);
		is_str(r.esc, c->esc, c->name);
		if (c->last != NULL && r.ntext > 0)
			is_str(r.text[r.ntext - 1], c->last, c->name);
		is_int(used, c->used == ALL ? len : c->used, c->name);
	}
	smtp_reply_clear(&r);
	buf_free(why);
}

static void
test_oversized(void)
{
	struct smtp_reply r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	char *big;
	size_t used, n;

	/* A line of exactly the cap is fine. */
	n = 4 + SMTP_REPLY_LINE_MAX - 4;
	big = malloc(1024 * 1024 + 3);
	memset(big, 'x', 1024 * 1024);
	memcpy(big, "220 ", 4);
	memcpy(big + n, "\r\n", 2);
	smtp_reply_init(&r);
	is_int(smtp_reply_feed(&r, big, n + 2, &used, why), DONE,
	    "line of exactly 4096 octets accepted");
	smtp_reply_clear(&r);

	/* One more octet is not. */
	memset(big, 'x', 1024 * 1024);
	memcpy(big, "220 ", 4);
	memcpy(big + n + 1, "\r\n", 2);
	is_int(smtp_reply_feed(&r, big, n + 3, &used, why), ERR,
	    "line of 4097 octets rejected");
	ok(strstr(buf_str(why), "longer than 4096") != NULL, "reason: %s",
	    buf_str(why));
	smtp_reply_clear(&r);
	buf_reset(why);

	/* 1 MB without a line end: rejected without waiting for the end. */
	memset(big, 'x', 1024 * 1024);
	memcpy(big, "220 ", 4);
	is_int(smtp_reply_feed(&r, big, 1024 * 1024, &used, why), ERR,
	    "1 MB line without LF rejected");
	smtp_reply_clear(&r);
	buf_reset(why);

	/* Partial line below the cap: wait for more. */
	is_int(smtp_reply_feed(&r, big, SMTP_REPLY_LINE_MAX, &used, why),
	    MORE, "partial line below the cap waits");
	is_int(used, 0, "partial line not consumed");
	smtp_reply_clear(&r);
	free(big);
	buf_free(why);
}

static void
test_endless(void)
{
	struct smtp_reply r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct buf *in = buf_new(1 << 20);
	size_t used, i;

	for (i = 0; i < SMTP_REPLY_LINES_MAX - 1; i++)
		buf_printf(in, "250-line %zu\r\n", i);
	buf_printf(in, "250 last\r\n");
	smtp_reply_init(&r);
	is_int(smtp_reply_feed(&r, buf_str(in), buf_len(in), &used, why),
	    DONE, "reply of exactly 100 lines accepted");
	is_int(r.ntext, 100, "100 lines stored");
	smtp_reply_clear(&r);

	buf_reset(in);
	for (i = 0; i < 1000; i++)
		buf_printf(in, "250-line %zu\r\n", i);
	is_int(smtp_reply_feed(&r, buf_str(in), buf_len(in), &used, why),
	    ERR, "endless multi-line reply rejected");
	ok(strstr(buf_str(why), "more than 100 lines") != NULL, "reason: %s",
	    buf_str(why));
	is_int(r.ntext, 100, "stopped at the cap");
	smtp_reply_clear(&r);
	buf_free(in);
	buf_free(why);
}

/* Feeding one byte at a time gives the same reply as feeding it all. */
static void
test_bytewise(void)
{
	static const char in[] = "250-mx.example\r\n250-SIZE 100\r\n"
	    "250 2.0.0 OK\r\n";
	struct smtp_reply r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct buf *acc = buf_new(1024);
	enum smtp_reply_status st = MORE;
	size_t i, used;

	smtp_reply_init(&r);
	for (i = 0; i < sizeof(in) - 1 && st == MORE; i++) {
		buf_append(acc, in + i, 1);
		st = smtp_reply_feed(&r, buf_str(acc), buf_len(acc), &used,
		    why);
		buf_consume(acc, used);
	}
	is_int(st, DONE, "bytewise: done");
	is_int(i, sizeof(in) - 1, "bytewise: done at the last byte");
	is_int(r.ntext, 3, "bytewise: 3 lines");
	is_str(r.text[2], "2.0.0 OK", "bytewise: last line");
	is_int(buf_len(acc), 0, "bytewise: everything consumed");

	/* first word, joined text, move */
	{
		char *w = smtp_reply_first_word(&r);
		char *t = smtp_reply_text(&r, " / ");
		struct smtp_reply m;

		is_str(w, "mx.example", "first word");
		is_str(t, "mx.example / SIZE 100 / 2.0.0 OK", "joined text");
		smtp_reply_init(&m);
		smtp_reply_move(&m, &r);
		is_int(m.ntext, 3, "move: destination has the lines");
		is_int(r.ntext, 0, "move: source is empty");
		free(w);
		free(t);
		smtp_reply_clear(&m);
	}
	{
		static const struct {
			const char *in, *want;
		} fw[] = {
			{ "421 4.7.0 mx.example busy\r\n", "mx.example" },
			{ "220   mx.example\r\n", "mx.example" },
			{ "554 5.7.1\r\n", NULL },
			{ "220\r\n", NULL },
			{ "220 \r\n", NULL },
		};
		size_t k;
		char *w;

		for (k = 0; k < sizeof(fw) / sizeof(fw[0]); k++) {
			smtp_reply_clear(&r);
			smtp_reply_feed(&r, fw[k].in, strlen(fw[k].in), &used,
			    why);
			w = smtp_reply_first_word(&r);
			is_str(w, fw[k].want, fw[k].in);
			free(w);
		}
	}
	smtp_reply_clear(&r);
	buf_free(acc);
	buf_free(why);
}

struct ehlo_case {
	const char	*name;
	const char	*in;
	int		 rv;
	const char	*domain;
	const char	*exts;		/* space separated, in table order */
	int		 size_valid;
	unsigned long long size;
	const char	*auth;
	size_t		 nbad;
};

static const struct ehlo_case ehlo_cases[] = {
	{ "postfix", "250-mx.example.com\r\n250-PIPELINING\r\n"
	    "250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n250-STARTTLS\r\n"
	    "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n"
	    "250-SMTPUTF8\r\n250 CHUNKING\r\n", 0, "mx.example.com",
	    "STARTTLS SIZE PIPELINING 8BITMIME SMTPUTF8 CHUNKING DSN "
	    "ENHANCEDSTATUSCODES", 1, 10240000ULL, NULL, 0 },
	{ "greeting only", "250 mx.example.com Hello [192.0.2.1]\r\n", 0,
	    "mx.example.com", "", 1, 0, NULL, 0 },
	{ "lower case keywords", "250-mx\r\n250-starttls\r\n"
	    "250 requiretls\r\n", 0, "mx", "STARTTLS REQUIRETLS", 1, 0, NULL,
	    0 },
	{ "SIZE without value", "250-mx\r\n250 SIZE\r\n", 0, "mx", "SIZE", 1,
	    0, NULL, 0 },
	{ "SIZE garbage", "250-mx\r\n250 SIZE lots\r\n", 0, "mx", "SIZE", 0,
	    0, NULL, 0 },
	{ "SIZE overflow", "250-mx\r\n250 SIZE 99999999999999999999999\r\n",
	    0, "mx", "SIZE", 0, 0, NULL, 0 },
	{ "AUTH", "250-mx\r\n250 AUTH plain LOGIN  CRAM-MD5\r\n", 0, "mx",
	    "AUTH", 1, 0, "PLAIN LOGIN CRAM-MD5", 0 },
	{ "old AUTH= form", "250-mx\r\n250 AUTH=LOGIN PLAIN\r\n", 0, "mx",
	    "AUTH", 1, 0, "LOGIN PLAIN", 0 },
	{ "STARTTLS= is not STARTTLS", "250-mx\r\n250 STARTTLS=x\r\n", 0,
	    "mx", "", 1, 0, NULL, 1 },
	{ "bad keyword lines counted", "250-mx\r\n250--BAD\r\n"
	    "250-STARTTLS\r\n250 X?Y\r\n", 0, "mx", "STARTTLS", 1, 0, NULL,
	    2 },
	{ "prefix is not a keyword", "250-mx\r\n250 STARTTLSX\r\n", 0, "mx",
	    "", 1, 0, NULL, 0 },
	{ "rejection", "502 5.5.1 EHLO not supported\r\n", -1, NULL, "", 1,
	    0, NULL, 0 },
};

static void
run_ehlo(const struct ehlo_case *c)
{
	struct smtp_reply r;
	struct smtp_ehlo e;
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct buf *got = buf_new(1024);
	size_t used;
	int x;

	smtp_reply_init(&r);
	smtp_ehlo_init(&e);
	if (smtp_reply_feed(&r, c->in, strlen(c->in), &used, why) != DONE) {
		ok(0, "%s: reply parses (%s)", c->name, buf_str(why));
		goto done;
	}
	is_int(smtp_ehlo_parse(&e, &r), c->rv, c->name);
	if (c->rv == -1)
		goto done;
	is_str(e.domain, c->domain, c->name);
	for (x = 0; x < SMTP_EXT_COUNT; x++) {
		if (e.ext[x])
			buf_printf(got, "%s%s", buf_len(got) ? " " : "",
			    smtp_ext_name(x));
	}
	is_str(buf_str(got), c->exts, c->name);
	is_int(e.size_valid, c->size_valid, c->name);
	is_int(e.size, c->size, c->name);
	is_str(e.auth, c->auth, c->name);
	is_int(e.nbad, c->nbad, c->name);
	is_int(e.nkeywords, r.ntext - 1, c->name);
done:
	smtp_ehlo_clear(&e);
	smtp_reply_clear(&r);
	buf_free(got);
	buf_free(why);
}

/* Invariants that must hold for any input: used <= len; a DONE reply
 * has 1..100 lines, a code in 200..559 and printable text; an ERROR has
 * a reason. */
static int
check_invariants(const char *in, size_t len, size_t chunk)
{
	struct smtp_reply r;
	struct buf *why = buf_new(BUF_WHY_MAX);
	struct buf *acc = buf_new(SMTP_REPLY_LINE_MAX * 4);
	enum smtp_reply_status st = MORE;
	size_t pos = 0, n, used, i;
	const char *p;
	int good = 1;

	smtp_reply_init(&r);
	while (pos < len && st == MORE) {
		n = len - pos < chunk ? len - pos : chunk;
		if (buf_append(acc, in + pos, n) == -1)
			break;	/* only possible after ERROR would be due */
		pos += n;
		st = smtp_reply_feed(&r, buf_str(acc), buf_len(acc), &used,
		    why);
		if (used > buf_len(acc))
			good = 0;
		buf_consume(acc, used);
	}
	if (st == DONE) {
		if (r.ntext < 1 || r.ntext > SMTP_REPLY_LINES_MAX ||
		    r.code < 200 || r.code > 559)
			good = 0;
		for (i = 0; i < r.ntext; i++) {
			for (p = r.text[i]; *p != '\0'; p++) {
				if (*p < 0x20 || *p > 0x7e)
					good = 0;
			}
		}
	}
	if (st == ERR && buf_len(why) == 0)
		good = 0;
	smtp_reply_clear(&r);
	buf_free(acc);
	buf_free(why);
	return good;
}

/* Replay tests/corpus/smtp_reply/ in several chunk sizes. */
static void
test_corpus(void)
{
	static const size_t chunks[] = { 1, 7, 512, 65536 };
	char dir[1024], path[2048];
	const char *top = getenv("top_srcdir");
	struct dirent *de;
	DIR *d;
	FILE *fp;
	char *data;
	size_t n, k;
	int nfiles = 0, good;

	snprintf(dir, sizeof(dir), "%s/tests/corpus/smtp_reply",
	    top ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		ok(0, "corpus directory %s", dir);
		return;
	}
	data = malloc(1 << 20);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		n = fread(data, 1, 1 << 20, fp);
		fclose(fp);
		good = 1;
		for (k = 0; k < sizeof(chunks) / sizeof(chunks[0]); k++)
			good &= check_invariants(data, n, chunks[k]);
		ok(good, "corpus %s", de->d_name);
		nfiles++;
	}
	closedir(d);
	free(data);
	ok(nfiles >= 8, "corpus has %d files", nfiles);
}

/* Random inputs built from SMTP-ish pieces (deterministic LCG). */
static void
test_random(void)
{
	static const char *const pieces[] = {
		"250", "220", "421", "554", "-", " ", "\r", "\n", "\r\n",
		"x", "2.0.0", "5.7.1", "STARTTLS", "\t", "\x80", "99",
		"250-", "250 ", "\0",
	};
	static char in[8192];
	unsigned long seed = 12345;
	size_t len, np, pl;
	int iter, bad = 0;

	for (iter = 0; iter < 20000; iter++) {
		len = 0;
		seed = seed * 1103515245 + 12345;
		np = (seed >> 16) % 40;
		while (np-- > 0) {
			seed = seed * 1103515245 + 12345;
			pl = (seed >> 16) %
			    (sizeof(pieces) / sizeof(pieces[0]));
			/* "\0" is one NUL byte */
			if (pieces[pl][0] == '\0') {
				in[len++] = '\0';
				continue;
			}
			memcpy(in + len, pieces[pl], strlen(pieces[pl]));
			len += strlen(pieces[pl]);
		}
		if (!check_invariants(in, len, 1 + (seed >> 8) % 16))
			bad++;
	}
	is_int(bad, 0, "20000 random inputs keep the invariants");
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_oversized();
	test_endless();
	test_bytewise();
	test_corpus();
	test_random();
	for (i = 0; i < sizeof(ehlo_cases) / sizeof(ehlo_cases[0]); i++)
		run_ehlo(&ehlo_cases[i]);
	{
		static const struct {
			const char *name;
			int want;
		} nm[] = {
			{ "probe.example.com", 1 }, { "localhost", 1 },
			{ "a-b.c", 1 }, { "[192.0.2.1]", 1 },
			{ "[IPv6:2001:db8::1]", 1 }, { "", 0 },
			{ "a b", 0 }, { "x\r\nMAIL FROM:<>", 0 },
			{ "-a.b", 0 }, { "a-.b", 0 }, { "a..b", 0 },
			{ "a.b.", 0 }, { "[]", 0 }, { "[1.2.3.4", 0 },
			{ "[1.2.3.4]x", 0 }, { "\xc3\xa9.example", 0 },
		};
		for (i = 0; i < sizeof(nm) / sizeof(nm[0]); i++)
			is_int(smtp_ehlo_name_valid(nm[i].name), nm[i].want,
			    nm[i].name[0] ? nm[i].name : "(empty)");
		is_int(smtp_ehlo_name_valid(NULL), 0, "NULL name");
	}
	is_str(smtp_ext_name(SMTP_EXT_ENHANCEDSTATUSCODES),
	    "ENHANCEDSTATUSCODES", "ext name table");
	is_str(smtp_ext_name(SMTP_EXT_COUNT), "?", "ext name out of range");
	return tap_done();
}
