/*
 * width - the display width of UTF-8 text in terminal columns, without
 * the C library's locale (wcwidth() says -1 in the C locale).
 *
 * API:
 *	width_cp(cp)		columns of one code point: 2 for the East
 *		Asian Wide and Fullwidth ranges (CJK, Hiragana, Katakana,
 *		Hangul, fullwidth forms, common emoji), 0 for combining
 *		marks and zero-width characters, else 1 (halfwidth Katakana
 *		is 1)
 *	width_decode(s, len, &cp)	bytes of the UTF-8 sequence at s
 *		(1 to 4) with its code point in cp; an invalid or cut
 *		sequence is one byte whose cp is -1 (it counts 1 column)
 *	width_n(s, len)		columns of len bytes of s
 *	width_str(s)		columns of a NUL-terminated string
 *	width_pad(out, s, n)	appends s and then spaces up to n columns
 *		(nothing added when s is already as wide); s is appended as
 *		it is: escape network text before
 * Control bytes never reach here (text is escaped first); each counts 1.
 */
#ifndef MXPROBE_WIDTH_H
#define MXPROBE_WIDTH_H

#include <stddef.h>
#include <stdint.h>

struct buf;

int	width_cp(int32_t);
size_t	width_decode(const char *, size_t, int32_t *);
size_t	width_n(const char *, size_t);
size_t	width_str(const char *);
void	width_pad(struct buf *, const char *, size_t);

#endif
