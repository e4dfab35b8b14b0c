/*
 * width - display width of UTF-8 text (width.h). The ranges follow
 * Unicode's EastAsianWidth.txt (W and F) and the general categories Mn,
 * Me and Cf, reduced to the blocks a report meets.
 */
#include <string.h>

#include "util/buf.h"
#include "util/width.h"

struct range {
	int32_t	lo, hi;
};

static const struct range zero[] = {
	{ 0x0300, 0x036f },	/* combining diacritical marks */
	{ 0x0483, 0x0489 },
	{ 0x0591, 0x05bd },
	{ 0x0610, 0x061a },
	{ 0x064b, 0x065f },
	{ 0x0e31, 0x0e31 },
	{ 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e },
	{ 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff },
	{ 0x200b, 0x200f },	/* zero-width space, joiners, marks */
	{ 0x202a, 0x202e },
	{ 0x2060, 0x2064 },
	{ 0x20d0, 0x20ff },	/* combining marks for symbols */
	{ 0x302a, 0x302d },
	{ 0x3099, 0x309a },	/* combining (semi-)voiced sound marks */
	{ 0xfe00, 0xfe0f },	/* variation selectors */
	{ 0xfe20, 0xfe2f },
	{ 0xfeff, 0xfeff },	/* zero-width no-break space */
	{ 0xe0100, 0xe01ef },
};

static const struct range wide[] = {
	{ 0x1100, 0x115f },	/* Hangul Jamo leading consonants */
	{ 0x231a, 0x231b },
	{ 0x2329, 0x232a },
	{ 0x23e9, 0x23ec },
	{ 0x23f0, 0x23f0 },
	{ 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe },
	{ 0x2614, 0x2615 },
	{ 0x2648, 0x2653 },
	{ 0x267f, 0x267f },
	{ 0x2693, 0x2693 },
	{ 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab },
	{ 0x26bd, 0x26be },
	{ 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce },
	{ 0x26d4, 0x26d4 },
	{ 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f5 },
	{ 0x26fa, 0x26fd },
	{ 0x2705, 0x2705 },
	{ 0x270a, 0x270b },
	{ 0x2728, 0x2728 },
	{ 0x274c, 0x274c },
	{ 0x274e, 0x274e },
	{ 0x2753, 0x2755 },
	{ 0x2757, 0x2757 },
	{ 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 },
	{ 0x27bf, 0x27bf },
	{ 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 },
	{ 0x2b55, 0x2b55 },
	{ 0x2e80, 0x3029 },	/* CJK radicals .. ideographic punctuation */
	{ 0x302e, 0x303e },
	{ 0x3041, 0x3096 },	/* Hiragana */
	{ 0x309b, 0x30ff },	/* Katakana */
	{ 0x3105, 0x312f },
	{ 0x3131, 0x318e },	/* Hangul compatibility Jamo */
	{ 0x3190, 0x31e3 },
	{ 0x31f0, 0x321e },
	{ 0x3220, 0x3247 },
	{ 0x3250, 0x4dbf },	/* enclosed CJK .. CJK extension A */
	{ 0x4e00, 0xa48c },	/* CJK unified ideographs, Yi */
	{ 0xa490, 0xa4c6 },
	{ 0xa960, 0xa97c },
	{ 0xac00, 0xd7a3 },	/* Hangul syllables */
	{ 0xf900, 0xfaff },	/* CJK compatibility ideographs */
	{ 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe52 },
	{ 0xfe54, 0xfe66 },
	{ 0xfe68, 0xfe6b },
	{ 0xff01, 0xff60 },	/* fullwidth forms */
	{ 0xffe0, 0xffe6 },
	{ 0x16fe0, 0x16fe4 },
	{ 0x17000, 0x18cd5 },
	{ 0x1b000, 0x1b2fb },	/* kana supplement */
	{ 0x1f004, 0x1f004 },
	{ 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e },
	{ 0x1f191, 0x1f19a },
	{ 0x1f200, 0x1f202 },
	{ 0x1f210, 0x1f23b },
	{ 0x1f240, 0x1f248 },
	{ 0x1f250, 0x1f251 },
	{ 0x1f260, 0x1f265 },
	{ 0x1f300, 0x1f320 },	/* emoji */
	{ 0x1f32d, 0x1f335 },
	{ 0x1f337, 0x1f37c },
	{ 0x1f37e, 0x1f393 },
	{ 0x1f3a0, 0x1f3ca },
	{ 0x1f3cf, 0x1f3d3 },
	{ 0x1f3e0, 0x1f3f0 },
	{ 0x1f3f4, 0x1f3f4 },
	{ 0x1f3f8, 0x1f43e },
	{ 0x1f440, 0x1f440 },
	{ 0x1f442, 0x1f4fc },
	{ 0x1f4ff, 0x1f53d },
	{ 0x1f54b, 0x1f54e },
	{ 0x1f550, 0x1f567 },
	{ 0x1f57a, 0x1f57a },
	{ 0x1f595, 0x1f596 },
	{ 0x1f5a4, 0x1f5a4 },
	{ 0x1f5fb, 0x1f64f },
	{ 0x1f680, 0x1f6c5 },
	{ 0x1f6cc, 0x1f6cc },
	{ 0x1f6d0, 0x1f6d2 },
	{ 0x1f6d5, 0x1f6d7 },
	{ 0x1f6eb, 0x1f6ec },
	{ 0x1f6f4, 0x1f6fc },
	{ 0x1f7e0, 0x1f7eb },
	{ 0x1f90c, 0x1f93a },
	{ 0x1f93c, 0x1f945 },
	{ 0x1f947, 0x1f9ff },
	{ 0x1fa70, 0x1faff },
	{ 0x20000, 0x2fffd },	/* CJK extensions B.. */
	{ 0x30000, 0x3fffd },
};

static int
in(const struct range *r, size_t n, int32_t cp)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

int
width_cp(int32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in(zero, sizeof(zero) / sizeof(zero[0]), cp))
		return 0;
	if (in(wide, sizeof(wide) / sizeof(wide[0]), cp))
		return 2;
	return 1;
}

size_t
width_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i;
	int32_t c, min;

	*cp = -1;
	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else
		return 1;
	if (len < n)
		return 1;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 1;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 1;
	*cp = c;
	return n;
}

size_t
width_n(const char *s, size_t len)
{
	size_t w = 0, k;
	int32_t cp;

	while (len > 0) {
		k = width_decode(s, len, &cp);
		w += cp < 0 ? 1 : (size_t)width_cp(cp);
		s += k;
		len -= k;
	}
	return w;
}

size_t
width_str(const char *s)
{
	return width_n(s, strlen(s));
}

void
width_pad(struct buf *out, const char *s, size_t n)
{
	size_t w = width_str(s);

	buf_append(out, s, strlen(s));
	for (; w < n; w++)
		buf_append(out, " ", 1);
}
