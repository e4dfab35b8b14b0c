/*
 * Unit tests for src/parse/dkim.c: key records, key decoding, and the
 * RFC 8463 Appendix A records through the parser and the analyzer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "util/buf.h"
#include "parse/dkim.h"
#include "analyze/findings.h"
#include "analyze/analyze.h"
#include "findings_codes.h"
#include "tap.h"

#include "dkim_keys.h"

struct pcase {
	const char	*name;
	const char	*in;
	const char	*want;	/* summary, or "ERR@<offset>" */
};

static const struct pcase pcases[] = {
	{ "rsa 2048", "v=DKIM1; k=rsa; p=" RSA2048,
	    "rsa 2048 h=- t=- email" },
	{ "no v, no k", "p=" RSA2048, "rsa 2048 h=- t=- email" },
	{ "rsa 512", "v=DKIM1; p=" RSA512, "rsa 512 h=- t=- email" },
	{ "ed25519", "v=DKIM1; k=ed25519; p=" ED_RAW,
	    "ed25519 256 h=- t=- email" },
	{ "folded base64", "v=DKIM1; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZ"
	    "vDEqrVuWI3zo/ZzZUsUZB+ 2OE/6QQTIb9LOV9dZhNLacEPFaDL00qZ81SNNQM4fm"
	    "Jb4/wH1hfC\r\n\tHtBHC5MCAwEAAQ==", "rsa 512 h=- t=- email" },
	{ "revoked", "v=DKIM1; p=", "revoked" },
	{ "revoked with spaces", "v=DKIM1; k=rsa; p= ;", "revoked" },
	{ "flags and hashes", "v=DKIM1; h=sha1:sha256; t=y:s; s=email; "
	    "n=hello; p=" RSA2048, "rsa 2048 h=1,256 t=y,s email" },
	{ "sha1 only", "v=DKIM1; h=sha1; p=" RSA2048,
	    "rsa 2048 h=1 t=- email" },
	{ "unknown hash kept with known", "h=sha256:sha512; p=" RSA2048,
	    "rsa 2048 h=256,other t=- email" },
	{ "unknown flag ignored", "t=x:y; p=" RSA2048,
	    "rsa 2048 h=- t=y email" },
	{ "service star", "s=*; p=" RSA2048, "rsa 2048 h=- t=- email" },
	{ "service other", "s=tlsrpt; p=" RSA2048,
	    "rsa 2048 h=- t=- noemail" },
	{ "unknown tag ignored", "v=DKIM1; x=1; p=" RSA2048,
	    "rsa 2048 h=- t=- email" },

	{ "v not first", "k=rsa; v=DKIM1; p=" RSA2048, "ERR@7" },
	{ "bad version", "v=DKIM2; p=" RSA2048, "ERR@2" },
	{ "unknown k", "v=DKIM1; k=dsa; p=" RSA2048, "ERR@11" },
	{ "k is case-sensitive", "k=RSA; p=" RSA2048, "ERR@2" },
	{ "missing p", "v=DKIM1; k=rsa", "ERR@14" },
	{ "only unknown hashes", "h=md5; p=" RSA2048, "ERR@2" },
	{ "empty hash item", "h=sha256::sha1; p=" RSA2048, "ERR@9" },
	{ "bad base64 char", "p=MFww*A==", "ERR@6" },
	{ "bad base64 length", "p=MFwwD", "ERR@7" },
	{ "data after padding", "p=MF==MFww", "ERR@6" },
	{ "triple padding", "p=M===", "ERR@3" },
	{ "not a key", "p=aGVsbG8gd29ybGQ=", "ERR@2" },
	{ "PKCS#1 instead of SPKI", "p=" RSA512_PKCS1, "ERR@2" },
	{ "truncated key", "p=" "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMgIuZvDEq"
	    "rVuWI3zo/ZzZUsUZB+", "ERR@2" },
	{ "ed25519 in SPKI", "k=ed25519; p=" ED_SPKI, "ERR@13" },
	{ "ed25519 key with k=rsa", "k=rsa; p=" ED_SPKI, "ERR@9" },
	{ "ed25519 too short", "k=ed25519; p=AAAA", "ERR@13" },
	{ "duplicate p", "p=; p=", "ERR@4" },
	{ "garbage", "hello", "ERR@5" },
	{ "NUL", "v=DKIM1; p=\0", "ERR@11" },
};

static void
summary(const struct dkim_key *k, struct buf *b)
{
	if (k->revoked) {
		buf_printf(b, "revoked");
		return;
	}
	buf_printf(b, "%s %u h=", dkim_keytype_name(k->k), k->bits);
	if (k->h == 0)
		buf_printf(b, "-");
	else
		buf_printf(b, "%s%s%s%s%s", k->h & DKIM_H_SHA1 ? "1" : "",
		    (k->h & DKIM_H_SHA1) && (k->h & ~DKIM_H_SHA1) ? "," : "",
		    k->h & DKIM_H_SHA256 ? "256" : "",
		    (k->h & DKIM_H_SHA256) && (k->h & DKIM_H_OTHER) ? "," : "",
		    k->h & DKIM_H_OTHER ? "other" : "");
	buf_printf(b, " t=%s%s%s %s", k->t == 0 ? "-" : "",
	    k->t & DKIM_T_TESTING ? "y" : "",
	    k->t == (DKIM_T_TESTING | DKIM_T_STRICT) ? ",s" :
	    k->t == DKIM_T_STRICT ? "s" : "", k->email ? "email" : "noemail");
}

static void
test_parse(void)
{
	struct dkim_key *k;
	struct buf *b, *why;
	size_t i, off, len;
	char *big;

	b = buf_new(4096);
	why = buf_new(BUF_WHY_MAX);
	for (i = 0; i < sizeof(pcases) / sizeof(pcases[0]); i++) {
		buf_reset(b);
		buf_reset(why);
		len = strlen(pcases[i].in);
		if (strcmp(pcases[i].name, "NUL") == 0)
			len++;
		if (dkim_parse(pcases[i].in, len, &k, &off, why) == DKIM_OK) {
			summary(k, b);
			dkim_key_free(k);
		} else {
			if (buf_len(why) == 0)
				diag("%s: no reason", pcases[i].name);
			buf_printf(b, "ERR@%zu", off);
		}
		is_str(buf_str(b), pcases[i].want, pcases[i].name);
		if (strncmp(buf_str(b), "ERR", 3) == 0)
			diag("  why: %s", buf_str(why));
	}

	/* Oversized key: 8 KiB of base64 is more than DKIM_MAX_KEY. */
	big = malloc(12000);
	strcpy(big, "p=");
	memset(big + 2, 'A', 11000);
	big[11002] = '\0';
	buf_reset(why);
	ok(dkim_parse(big, strlen(big), &k, &off, why) == DKIM_SYNTAX,
	    "oversized key rejected: %s", buf_str(why));
	free(big);
	dkim_key_free(NULL);

	ok(dkim_is_key_record("v=DKIM1; p=", 11), "v=DKIM1 is a key record");
	ok(dkim_is_key_record("k=rsa; p=abc", 12), "p= makes a key record");
	ok(!dkim_is_key_record("v=spf1 -all", 11), "SPF is not");
	ok(!dkim_is_key_record("google-site-verification=x", 26),
	    "site verification is not");
	buf_free(b);
	buf_free(why);
}

/* --- RFC 8463 Appendix A data (tests/data/dkim/rfc8463-dns.json) ------- */

/* Concatenate the character-strings of the first TXT RR of name. */
static char *
json_txt(struct json_object *root, const char *name, size_t *nstr)
{
	struct json_object *o, *txt, *rr;
	struct buf *b;
	size_t i;
	char *s;

	if (!json_object_object_get_ex(root, name, &o) ||
	    !json_object_object_get_ex(o, "TXT", &txt) ||
	    (rr = json_object_array_get_idx(txt, 0)) == NULL)
		return NULL;
	b = buf_new(8192);
	*nstr = json_object_array_length(rr);
	for (i = 0; i < *nstr; i++)
		buf_printf(b, "%s", json_object_get_string(
		    json_object_array_get_idx(rr, i)));
	s = buf_steal(b);
	buf_free(b);
	return s;
}

static void
test_rfc8463(void)
{
	struct json_object *root, *o, *txt, *rr;
	struct dkim_key *k;
	struct buf *why, *b;
	struct findings *fs;
	struct taglist_txt t;
	struct dkim_selector sel;
	struct dkim_facts f;
	char path[4096], *bris, *test;
	const char *top, *first;
	size_t off, nstr = 0;

	top = getenv("top_srcdir");
	snprintf(path, sizeof(path), "%s/tests/data/dkim/rfc8463-dns.json",
	    top ? top : ".");
	root = json_object_from_file(path);
	if (!ok(root != NULL, "read %s", path))
		return;
	why = buf_new(BUF_WHY_MAX);
	b = buf_new(4096);

	bris = json_txt(root, "brisbane._domainkey.football.example.com",
	    &nstr);
	ok(bris != NULL, "brisbane record present");
	if (bris != NULL && dkim_parse(bris, strlen(bris), &k, &off, why) ==
	    DKIM_OK) {
		is_int(k->k, DKIM_K_ED25519, "brisbane is ed25519");
		is_int(k->bits, 256, "brisbane has 256 bits");
		ok(!k->revoked, "brisbane valid");
		dkim_key_free(k);
	} else
		ok(0, "brisbane parses: %s", buf_str(why));

	test = json_txt(root, "test._domainkey.football.example.com", &nstr);
	ok(test != NULL && nstr == 4, "test record is split in 4 strings");

	/* The first string alone is a truncated key: must not parse. */
	json_object_object_get_ex(root,
	    "test._domainkey.football.example.com", &o);
	json_object_object_get_ex(o, "TXT", &txt);
	rr = json_object_array_get_idx(txt, 0);
	first = json_object_get_string(json_object_array_get_idx(rr, 0));
	buf_reset(why);
	ok(dkim_parse(first, strlen(first), &k, &off, why) == DKIM_SYNTAX,
	    "first string alone does not decode (%s)", buf_str(why));

	buf_reset(why);
	if (test != NULL && dkim_parse(test, strlen(test), &k, &off, why) ==
	    DKIM_OK) {
		is_int(k->k, DKIM_K_RSA, "test is rsa");
		is_int(k->bits, 1024, "test has 1024 bits");
		dkim_key_free(k);
	} else
		ok(0, "reassembled test record parses: %s", buf_str(why));

	/* Analyzer over the test selector: weak key. */
	t.data = test;
	t.len = test ? strlen(test) : 0;
	memset(&sel, 0, sizeof(sel));
	sel.selector = "test";
	sel.outcome = DNS_OK;
	sel.txt = &t;
	sel.ntxt = 1;
	f.domain = "football.example.com";
	f.sel = &sel;
	f.nsel = 1;
	f.named = 1;
	fs = findings_new();
	analyze_dkim(&f, fs);
	codes(fs, b);
	is_str(buf_str(b), "DKIM_KEY_WEAK", "test selector: DKIM_KEY_WEAK");
	is_int(dkim_state(&f), 1, "a 1024-bit key is usable");
	findings_free(fs);

	/* brisbane alone: ed25519 only. */
	t.data = bris;
	t.len = bris ? strlen(bris) : 0;
	sel.selector = "brisbane";
	fs = findings_new();
	analyze_dkim(&f, fs);
	buf_reset(b);
	codes(fs, b);
	is_str(buf_str(b), "DKIM_ED25519_ONLY", "brisbane: ed25519 only");
	findings_free(fs);

	free(bris);
	free(test);
	json_object_put(root);
	buf_free(why);
	buf_free(b);
}

/*
 * A decoded selector keeps one result per TXT, and the judges and the
 * state read those (the same key pointer each time); an undecoded one is
 * parsed on use and gives the same answers.
 */
static void
test_decode_once(void)
{
	struct taglist_txt t[2];
	struct dkim_selector sel;
	struct dkim_facts f;
	struct dkim_parsed tmp;
	const struct dkim_parsed *p, *q;
	struct findings *fs;
	size_t nf;

	memset(t, 0, sizeof(t));
	t[0].data = "v=DKIM1; k=rsa; p=" RSA2048;
	t[0].len = strlen(t[0].data);
	t[1].data = "v=DKIM1; p=@@";
	t[1].len = strlen(t[1].data);
	memset(&sel, 0, sizeof(sel));
	sel.selector = "s1";
	sel.outcome = DNS_OK;
	sel.txt = t;
	sel.ntxt = 2;
	memset(&f, 0, sizeof(f));
	f.domain = "example.com";
	f.sel = &sel;
	f.nsel = 1;

	/* Undecoded: parsed on use, tmp filled. */
	p = dkim_record_get(&sel, 0, &tmp);
	ok(p == &tmp && p->rc == DKIM_OK && p->key->bits == 2048,
	    "undecoded: parsed on use into tmp");
	dkim_record_put(&sel, &tmp);
	is_int(dkim_state(&f), 1, "undecoded: usable");
	fs = findings_new();
	analyze_dkim(&f, fs);
	nf = findings_count(fs);
	findings_free(fs);

	dkim_selector_decode(&sel);
	ok(sel.parsed != NULL, "decode keeps the results");
	p = dkim_record_get(&sel, 0, &tmp);
	q = dkim_record_get(&sel, 0, &tmp);
	ok(p == &sel.parsed[0] && p == q && p->key == q->key,
	    "decoded: the same parsed key every time");
	dkim_record_put(&sel, &tmp);
	p = dkim_record_get(&sel, 1, &tmp);
	ok(p->rc == DKIM_SYNTAX && p->key == NULL && p->why != NULL &&
	    p->why[0] != '\0', "decoded: a bad key keeps its reason");
	is_int(dkim_state(&f), 1, "decoded: usable");
	fs = findings_new();
	analyze_dkim(&f, fs);
	is_int((int)findings_count(fs), (int)nf,
	    "decoded: the same findings as undecoded");
	findings_free(fs);
	dkim_selector_decode(&sel);	/* again: no leak */
	dkim_selector_clear(&sel);
	ok(sel.parsed == NULL, "clear frees the results");
	dkim_selector_clear(&sel);
}

int
main(void)
{
	test_parse();
	test_rfc8463();
	test_decode_once();
	return tap_done();
}
