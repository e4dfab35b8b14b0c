/* dkim - DKIM key records (RFC 6376, 8301, 8463); see dkim.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "facts/dns_facts.h"
#include "util/buf.h"
#include "parse/dkim.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/*
 * Selectors worth guessing: the defaults of common MTAs and signing
 * software (default, dkim, mail, s1...), of large mailbox providers
 * (google, selector1/2 for Microsoft 365, zoho, protonmail, fm1-3 for
 * Fastmail) and of bulk senders (k1-k3, mandrill, everlytickey, mxvault,
 * amazonses, mailjet, hs1/hs2, pm, sig1).
 */
const char *const dkim_default_selectors[] = {
	"default", "selector1", "selector2", "google", "dkim", "dkim1",
	"dkim2", "mail", "smtp", "mx", "s1", "s2", "s1024", "s2048", "k1",
	"k2", "k3", "key1", "key2", "selector", "sig1", "mandrill",
	"everlytickey1", "everlytickey2", "mxvault", "zoho", "zmail",
	"protonmail", "protonmail2", "protonmail3", "fm1", "fm2", "fm3",
	"amazonses", "mailjet", "hs1", "hs2", "pm", "mta", "email",
	NULL
};

const char *
dkim_keytype_name(enum dkim_keytype k)
{
	return k == DKIM_K_ED25519 ? "ed25519" : "rsa";
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Strict base64 (RFC 4648 §4) with folding white space skipped, as
 * RFC 6376 §3.6.1 allows in p=. Returns the decoded length, or -1 with
 * *bad the offset of the offending character in v.
 */
static long
b64decode(const char *v, unsigned char *out, size_t outmax, size_t *bad)
{
	size_t i, n = 0, o = 0, pad = 0;
	unsigned acc = 0;
	int d;

	for (i = 0; v[i]; i++) {
		if (taglist_is_fws((unsigned char)v[i]))
			continue;
		if (v[i] == '=') {
			if (pad == 2 || n % 4 < 2) {
				*bad = i;
				return -1;
			}
			pad++;
			n++;
			continue;
		}
		if ((d = b64val((unsigned char)v[i])) < 0 || pad > 0) {
			*bad = i;
			return -1;
		}
		acc = (acc << 6) | (unsigned)d;
		n++;
		if (n % 4 == 0) {
			if (o + 3 > outmax) {
				*bad = i;
				return -1;
			}
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
		}
	}
	if (pad > 0 && n % 4 != 0) {
		*bad = i;
		return -1;
	}
	if (pad > 0) {
		/* the last quantum: 4 - pad characters carry data */
		if (o + 3 - pad > outmax) {
			*bad = i;
			return -1;
		}
		acc <<= 6 * pad;
		out[o++] = (unsigned char)(acc >> 16);
		if (pad == 1)
			out[o++] = (unsigned char)(acc >> 8);
	} else if (n % 4 != 0) {
		*bad = i;
		return -1;
	}
	return (long)o;
}

/* Calls fn on each colon-separated item (FWS trimmed, none empty); -1
 * with *bad the item's offset when one is empty or refused. */
static int
each_item(const char *v, int (*fn)(const char *, size_t, void *), void *arg,
    size_t *bad)
{
	long off;

	off = taglist_items(v, ':', TAGLIST_ITEM_FWS | TAGLIST_ITEM_NONEMPTY,
	    fn, arg);
	if (off < 0)
		return 0;
	*bad = (size_t)off;
	return -1;
}

static int
word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

static int
h_item(const char *s, size_t n, void *arg)
{
	unsigned *h = arg;

	if (word_is(s, n, "sha1"))
		*h |= DKIM_H_SHA1;
	else if (word_is(s, n, "sha256"))
		*h |= DKIM_H_SHA256;
	else
		*h |= DKIM_H_OTHER;	/* unknown: ignored (§3.6.1) */
	return 1;
}

static int
t_item(const char *s, size_t n, void *arg)
{
	unsigned *t = arg;

	if (word_is(s, n, "y"))
		*t |= DKIM_T_TESTING;
	else if (word_is(s, n, "s"))
		*t |= DKIM_T_STRICT;
	return 1;	/* unknown flags are ignored (§3.6.1) */
}

static int
s_item(const char *s, size_t n, void *arg)
{
	int *email = arg;

	if (word_is(s, n, "*") || word_is(s, n, "email"))
		*email = 1;
	return 1;
}

/* Decode p= into key->bits; 0, or -1 with a reason. */
static int
decode_key(struct dkim_key *key, const unsigned char *der, size_t len,
    struct buf *why)
{
	const unsigned char *p;
	EVP_PKEY *pk;
	int rc = -1;

	if (key->k == DKIM_K_ED25519) {
		if (len != 32) {
			buf_printf(why, len == 44 ? R_("an ed25519 key is "
			    "the raw 32-byte public key (RFC 8463 §4), not %zu "
			    "bytes (this looks like a SubjectPublicKeyInfo "
			    "wrapping)") : R_("an ed25519 key is the raw "
			    "32-byte public key (RFC 8463 §4), not %zu bytes"),
			    len);
			return -1;
		}
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der,
		    len);
		if (pk == NULL) {
			buf_printf(why,
			    R_("ed25519 key not accepted by OpenSSL"));
			goto done;
		}
		key->bits = 256;
		EVP_PKEY_free(pk);
		rc = 0;
		goto done;
	}
	p = der;
	pk = d2i_PUBKEY(NULL, &p, (long)len);
	if (pk == NULL) {
		ERR_clear_error();
		p = der;
		pk = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);
		if (pk != NULL) {
			buf_printf(why, R_("the key is a bare PKCS#1 "
			    "RSAPublicKey; DKIM wants a SubjectPublicKeyInfo "
			    "(openssl rsa -pubout)"));
			EVP_PKEY_free(pk);
		} else
			buf_printf(why, R_("p= does not hold a DER "
			    "SubjectPublicKeyInfo RSA key"));
		goto done;
	}
	if (p != der + len)
		buf_printf(why, R_("%zu bytes of garbage after the key"),
		    (size_t)(der + len - p));
	else if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		buf_printf(why, R_("k=rsa but the key is of another type"));
	else {
		key->bits = (unsigned)EVP_PKEY_get_bits(pk);
		rc = 0;
	}
	EVP_PKEY_free(pk);
done:
	ERR_clear_error();
	return rc;
}

void
dkim_key_free(struct dkim_key *k)
{
	if (k == NULL)
		return;
	free(k->notes);
	free(k);
}

enum dkim_status
dkim_parse(const char *s, size_t len, struct dkim_key **out, size_t *off,
    struct buf *why)
{
	struct taglist *tl = NULL;
	struct dkim_key *key;
	const struct tag *t;
	unsigned char *der = NULL;
	size_t bad = 0;
	long n;

	*out = NULL;
	*off = 0;
	key = xcalloc(1, sizeof(*key));
	key->email = 1;
	if (taglist_parse(s, len, 0, &tl, off, why) != TAGLIST_OK)
		goto bad;
	if ((t = taglist_get(tl, "v")) != NULL) {
		*off = t->name_off;
		if (t != taglist_at(tl, 0)) {
			buf_printf(why, R_("v= must be the first tag"));
			goto bad;
		}
		if (strcmp(t->value, "DKIM1") != 0) {
			*off = t->value_off;
			buf_printf(why, R_("v= must be DKIM1, not \"%s\""),
			    t->value);
			goto bad;
		}
	}
	if ((t = taglist_get(tl, "k")) != NULL) {
		*off = t->value_off;
		if (strcmp(t->value, "rsa") == 0)
			key->k = DKIM_K_RSA;
		else if (strcmp(t->value, "ed25519") == 0)
			key->k = DKIM_K_ED25519;
		else {
			buf_printf(why, R_("unknown key type k=%s (rsa or "
			    "ed25519)"), t->value);
			goto bad;
		}
	}
	if ((t = taglist_get(tl, "h")) != NULL &&
	    each_item(t->value, h_item, &key->h, &bad) == -1) {
		*off = t->value_off + bad;
		buf_printf(why, R_("h= needs hash names separated by colons"));
		goto bad;
	}
	if (key->h != 0 && !(key->h & (DKIM_H_SHA1 | DKIM_H_SHA256))) {
		*off = t->value_off;
		buf_printf(why,
		    R_("h= lists no known hash algorithm (sha256)"));
		goto bad;
	}
	if ((t = taglist_get(tl, "t")) != NULL &&
	    each_item(t->value, t_item, &key->t, &bad) == -1) {
		*off = t->value_off + bad;
		buf_printf(why, R_("t= needs flags separated by colons"));
		goto bad;
	}
	if ((t = taglist_get(tl, "s")) != NULL) {
		key->email = 0;
		if (each_item(t->value, s_item, &key->email, &bad) == -1) {
			*off = t->value_off + bad;
			buf_printf(why,
			    R_("s= needs service types separated by "
			    "colons"));
			goto bad;
		}
	}
	if ((t = taglist_get(tl, "n")) != NULL)
		key->notes = xstrdup(t->value);
	if ((t = taglist_get(tl, "p")) == NULL) {
		*off = len;
		buf_printf(why,
		    R_("the required p= tag (public key) is missing"));
		goto bad;
	}
	*off = t->value_off;
	if (t->value[0] == '\0') {
		key->revoked = 1;
		goto good;
	}
	der = xmalloc(DKIM_MAX_KEY);
	if ((n = b64decode(t->value, der, DKIM_MAX_KEY, &bad)) < 0) {
		*off = t->value_off + bad;
		buf_printf(why, R_("p= is not valid base64 (or longer than %d "
		    "bytes) at offset %zu"), DKIM_MAX_KEY, *off);
		goto bad;
	}
	if (n == 0 || decode_key(key, der, (size_t)n, why) == -1)
		goto bad;
good:
	free(der);
	taglist_free(tl);
	*out = key;
	return DKIM_OK;
bad:
	free(der);
	taglist_free(tl);
	dkim_key_free(key);
	return DKIM_SYNTAX;
}

int
dkim_is_key_record(const char *s, size_t len)
{
	struct taglist *tl = NULL;
	struct buf *why;
	size_t off, i = 0;
	int rc;

	while (i < len && taglist_is_fws((unsigned char)s[i]))
		i++;
	if (len - i >= 7 && memcmp(s + i, "v=DKIM1", 7) == 0)
		return 1;
	why = buf_new(BUF_WHY_MAX);
	rc = taglist_parse(s, len, 0, &tl, &off, why) == TAGLIST_OK &&
	    taglist_get(tl, "p") != NULL;
	taglist_free(tl);
	buf_free(why);
	return rc;
}

int
dkim_record_judged(const struct dkim_facts *f, const struct dkim_selector *s,
    size_t j)
{
	size_t i;

	if (s->outcome != DNS_OK || j >= s->ntxt || s->txt[j].data == NULL)
		return 0;
	if (dkim_is_key_record(s->txt[j].data, s->txt[j].len))
		return 1;
	if (!f->named)
		return 0;
	/* A named selector: judge other TXT only if nothing else is a key. */
	for (i = 0; i < s->ntxt; i++)
		if (s->txt[i].data != NULL &&
		    dkim_is_key_record(s->txt[i].data, s->txt[i].len))
			return 0;
	return 1;
}

int
dkim_key_usable(const struct dkim_key *k)
{
	if (k->revoked || !k->email)
		return 0;
	if (k->k == DKIM_K_RSA && k->bits < 1024)
		return 0;
	return k->h == 0 || (k->h & DKIM_H_SHA256);
}

static void
parse_one(const struct taglist_txt *t, struct dkim_parsed *p)
{
	struct buf *why;

	memset(p, 0, sizeof(*p));
	why = buf_new(BUF_WHY_MAX);
	p->rc = dkim_parse(t->data, t->len, &p->key, &p->off, why);
	if (p->rc != DKIM_OK) {
		p->key = NULL;
		p->why = xstrdup(buf_str(why));
	}
	buf_free(why);
}

static void
parsed_clear(struct dkim_parsed *p)
{
	if (p->rc == DKIM_OK)
		dkim_key_free(p->key);
	free(p->why);
	memset(p, 0, sizeof(*p));
}

void
dkim_selector_clear(struct dkim_selector *s)
{
	size_t i;

	if (s->parsed == NULL)
		return;
	for (i = 0; i < s->ntxt; i++)
		parsed_clear(&s->parsed[i]);
	free(s->parsed);
	s->parsed = NULL;
}

void
dkim_selector_decode(struct dkim_selector *s)
{
	size_t i;

	dkim_selector_clear(s);
	if (s->outcome != DNS_OK || s->ntxt == 0)
		return;
	s->parsed = xcalloc(s->ntxt, sizeof(*s->parsed));
	for (i = 0; i < s->ntxt; i++)
		parse_one(&s->txt[i], &s->parsed[i]);
}

const struct dkim_parsed *
dkim_record_get(const struct dkim_selector *s, size_t j,
    struct dkim_parsed *tmp)
{
	if (s->parsed != NULL)
		return &s->parsed[j];
	parse_one(&s->txt[j], tmp);
	return tmp;
}

void
dkim_record_put(const struct dkim_selector *s, struct dkim_parsed *tmp)
{
	if (s->parsed == NULL)
		parsed_clear(tmp);
}

void
dkim_selector_view(const struct dkim_facts *f, const struct dkim_selector *s,
    struct dkim_view *v)
{
	const struct dkim_parsed *p;
	struct dkim_parsed tmp;
	size_t i;

	for (i = 0; s->outcome == DNS_OK && i < s->ntxt; i++) {
		if (!dkim_record_judged(f, s, i))
			continue;	/* e.g. wildcard TXT, not a key */
		v->nkeys++;
		p = dkim_record_get(s, i, &tmp);
		if (p->rc == DKIM_OK && dkim_key_usable(p->key)) {
			v->usable++;
			if (p->key->k == DKIM_K_RSA)
				v->rsa_usable++;
			else
				v->ed_usable++;
		}
		dkim_record_put(s, &tmp);
	}
}

int
dkim_state(const struct dkim_facts *f)
{
	struct dkim_view v;
	size_t i, nfail = 0;

	memset(&v, 0, sizeof(v));
	for (i = 0; i < f->nsel; i++) {
		if (dns_outcome_failed(f->sel[i].outcome)) {
			nfail++;
			continue;
		}
		dkim_selector_view(f, &f->sel[i], &v);
	}
	if (v.usable > 0)
		return 1;
	if (v.nkeys > 0)
		return 0;
	return f->named && nfail == 0 && f->nsel > 0 ? 0 : -1;
}
