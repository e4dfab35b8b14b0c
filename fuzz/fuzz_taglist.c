/*
 * fuzz_taglist - TXT text into the tag=value list splitter (RFC 6376
 * §3.2), case-sensitive and not. A list of at most TAGLIST_MAX_TAGS tags
 * with names, values and in-range offsets, or a positioned error with a
 * reason.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "util/buf.h"
#include "parse/taglist.h"

const char	fuzz_corpus[] = "taglist";
const unsigned	fuzz_mutations = 30000;

static int
one(const char *s, size_t n, int flags)
{
	struct taglist *tl = NULL;
	const struct tag *t;
	struct buf *why = buf_new(BUF_WHY_MAX);
	size_t off = 0, i;
	int good = 1;

	if (taglist_parse(s, n, flags, &tl, &off, why) == TAGLIST_OK) {
		if (tl == NULL || taglist_count(tl) > TAGLIST_MAX_TAGS)
			good = 0;
		for (i = 0; good && i < taglist_count(tl); i++) {
			t = taglist_at(tl, i);
			if (t == NULL || t->name == NULL ||
			    t->value == NULL || t->name_off >= n ||
			    t->value_off > n ||
			    taglist_get(tl, t->name) == NULL)
				good = 0;
		}
	} else if (off > n || buf_len(why) == 0 || tl != NULL)
		good = 0;
	taglist_free(tl);
	buf_free(why);
	return good;
}

int
exercise(const uint8_t *p, size_t n)
{
	const char *s = (const char *)p;
	struct taglist_txt txt = { s, n };
	char *str;
	int good;

	good = one(s, n, 0);
	good &= one(s, n, TAGLIST_NOCASE);
	str = taglist_txt_str(&txt);
	free(str);
	return good;
}
