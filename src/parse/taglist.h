/*
 * taglist - the "tag=value" list syntax shared by DNS key and policy
 * records (RFC 6376 §3.2; reused by DMARC, RFC 7489 §6.4).
 *
 * Purpose: split a record such as "v=DMARC1; p=none; rua=mailto:a@b" into
 * its tags, rejecting what the grammar forbids instead of guessing: a tag
 * name must be ALPHA *(ALPHA / DIGIT / "_"), a value holds only printable
 * ASCII other than ";" plus folding white space, and a tag may not appear
 * twice (RFC 6376 §3.2: the whole list is then invalid). Every error
 * carries the byte offset where it was noticed, so a report can point at
 * the character.
 *
 * It also carries struct taglist_txt, the form in which the integrator
 * hands a TXT record to the DMARC, DKIM, MTA-STS and TLS-RPT parsers: one
 * TXT RR with its character-strings already concatenated (RFC 7208 §3.3,
 * RFC 6376 §3.6.2.2), as dns_wire delivers it (rr->u.txt.data/len). The
 * length is explicit because a hostile TXT may contain NUL bytes.
 *
 * API:
 *	taglist_parse(s, len, flags, &tl, &off, why)
 *		TAGLIST_OK, or TAGLIST_SYNTAX with *off the offset of the
 *		offending byte and the reason in why. flags: TAGLIST_NOCASE
 *		makes tag names case-insensitive (DMARC's ABNF uses
 *		case-insensitive literals; DKIM's are case-sensitive).
 *	taglist_free(tl)		NULL is a no-op
 *	taglist_get(tl, name)		the tag, or NULL
 *	taglist_count(tl) / taglist_at(tl, i)
 *	taglist_txt_str(t)		the record as a C string, or NULL when
 *		it contains a NUL byte (caller frees)
 *
 *	field_next(s, len, &pos, &f, &off, why)  the field lists of MTA-STS
 *		and TLS-RPT TXT records (RFC 8461 §3.1, RFC 8460 §3): after
 *		the "v=..." tag, *(sep name "=" value) [sep] with sep = *WSP
 *		";" *WSP and name = (ALPHA / DIGIT) 0*31(ALPHA / DIGIT / "_" /
 *		"-" / "."). 1 with the name in f and *pos at the value (read
 *		it with field_value, or by the field's own rule, advancing
 *		*pos), 0 at the end, -1 on a syntax error (offset, reason)
 *	field_value(s, len, &pos, &f, &off, why)  the generic value at *pos,
 *		1*(%x21-3A / %x3C / %x3E-7E), into f; 0, or -1 on an error
 *	field_name_len(s, len)		length of the name at s, 0 if none
 *	taglist_is_wsp(c)		1 for WSP (SP, HTAB; RFC 5234), else 0
 *	taglist_is_fws(c)		1 for FWS as it survives in a TXT
 *		record (SP, HTAB, and the CR and LF of a fold), else 0; the
 *		white space of the DKIM, DMARC, MTA-STS and TLS-RPT grammars
 *	taglist_items(v, sep, flags, ok, arg)  the item lists inside a tag
 *		value (DKIM h=, t=, s= and DMARC fo=, rf= split at ':'):
 *		each item, white space around it removed (WSP, or FWS with
 *		TAGLIST_ITEM_FWS), goes to ok(item, len, arg); returns the
 *		offset in v of the first item ok() refuses (or that is empty,
 *		with TAGLIST_ITEM_NONEMPTY), -1 when every item is accepted
 *
 * Returns: see above. Tag values are copied with their leading and
 * trailing white space removed; inner folding white space is kept.
 * Limits: TAGLIST_MAX_TAGS tags per record.
 * BUGS: none known.
 */
#ifndef MXPROBE_TAGLIST_H
#define MXPROBE_TAGLIST_H

#include <stddef.h>

struct buf;

#define TAGLIST_NOCASE		0x01
#define TAGLIST_MAX_TAGS	64

/* taglist_items() flags */
#define TAGLIST_ITEM_FWS	0x01	/* trim CR and LF too (RFC 6376 FWS) */
#define TAGLIST_ITEM_NONEMPTY	0x02	/* an empty item is an error */

enum taglist_status {
	TAGLIST_OK,
	TAGLIST_SYNTAX
};

struct taglist_txt {
	const char	*data;	/* strings of one TXT RR, concatenated */
	size_t		 len;
};

struct tag {
	char	*name;
	char	*value;
	size_t	 name_off;	/* offset of the name in the record */
	size_t	 value_off;	/* offset of the value's first byte */
};

struct taglist;

/* One field of an MTA-STS / TLS-RPT TXT record: offsets into the record. */
struct field {
	size_t	name, nlen;
	size_t	value, vlen;
};

enum taglist_status	 taglist_parse(const char *, size_t, int,
			    struct taglist **, size_t *, struct buf *);
void			 taglist_free(struct taglist *);
const struct tag	*taglist_get(const struct taglist *, const char *);
size_t			 taglist_count(const struct taglist *);
const struct tag	*taglist_at(const struct taglist *, size_t);
char			*taglist_txt_str(const struct taglist_txt *);
int			 field_next(const char *, size_t, size_t *,
			    struct field *, size_t *, struct buf *);
int			 field_value(const char *, size_t, size_t *,
			    struct field *, size_t *, struct buf *);
size_t			 field_name_len(const char *, size_t);
int			 taglist_is_wsp(int);
int			 taglist_is_fws(int);
long			 taglist_items(const char *, int, int,
			    int (*)(const char *, size_t, void *), void *);

#endif
