/*
 * esc - the one escaping of text from the network for every output: the
 * text report, the --nagios line and JSON strings.
 *
 * Purpose: banners, EHLO lines, SMTP replies, DNS records, HTTP headers
 * and certificate fields are chosen by whoever runs the server or
 * publishes the record. Copied raw, an ESC sequence repaints the
 * terminal, a CR or LF forges a report line (or a Nagios status line and
 * its "| score=100" performance data) and a byte that is not UTF-8 makes
 * the JSON document unparseable. The renderers pass foreign text through
 * here at the one place it meets the output (doc/security.md, "Output
 * escaping").
 *
 * The rule (the same for the terminal, --nagios and JSON):
 *	printable US-ASCII (0x20-0x7e) other than '\' is kept;
 *	'\' is written "\\";
 *	C0 controls (0x00-0x1f, CR and LF too) and DEL as "\xNN" (lower case);
 *	valid UTF-8 (RFC 3629: shortest form, no surrogates, at most
 *	U+10FFFF) is kept, so Japanese text stays readable, except
 *	  the C1 controls U+0080-U+009F, written as the bytes of their
 *	  encoding ("\xc2\x9b"), and
 *	  the invisible format controls that reorder or break a line
 *	  (U+061C, U+200E, U+200F, U+2028, U+2029, U+202A-U+202E,
 *	  U+2066-U+2069, U+FEFF), written "\uXXXX";
 *	every other byte (a raw C1 byte, any byte not part of a valid UTF-8
 *	sequence) as "\xNN".
 * The output is therefore printable ASCII and valid UTF-8 without
 * controls, whatever the input, and the rule can be undone exactly.
 *
 * Flags:
 *	ESC_NAGIOS	also '|' as "\x7c" (the performance-data separator
 *			of a monitoring-plugin line, which must stay one line)
 *	ESC_ESCAPED	the input already uses backslash escapes of its own
 *			(DNS master-file names "\046", RFC 4514 certificate
 *			names, the SPF walk's printable copies "\x1b"): '\' is
 *			kept as it is, everything else follows the rule
 *
 * API:
 *	esc_append(out, s, n, flags)	the escaped form of s[0..n) appended
 *		to out (stops at out's cap like buf_append)
 *	esc_dup(s, n, flags)	the same as a malloc'ed string (caller frees)
 *	esc_str(s, flags)	esc_dup of a NUL-terminated s; NULL for NULL
 *	esc_printf(out, flags, fmt, ...)  buf_printf() whose every %s
 *		argument (with its width and precision) is escaped; the other
 *		conversions print as printf prints them. Text of our own that
 *		must pass raw (colour escapes, lines already rendered) goes
 *		through buf_printf instead.
 *	esc_vprintf(out, flags, fmt, ap)  the same with a va_list
 *	esc_utf8_len(p, n)	the length (1-4) of the valid UTF-8 sequence at
 *		p, or 0
 * Limits: esc_append writes at most 6 bytes per input byte.
 * Numbered arguments ("%2$s", as a translation reorders them) are taken
 * as POSIX printf takes them: all numbered, up to 32, each used at least
 * once.
 * BUGS: no %n (never wanted).
 */
#ifndef MXPROBE_ESC_H
#define MXPROBE_ESC_H

#include <stdarg.h>
#include <stddef.h>

struct buf;

#define ESC_TERM	0x00	/* the rule above, nothing more */
#define ESC_NAGIOS	0x01
#define ESC_ESCAPED	0x02

void	 esc_append(struct buf *, const char *, size_t, int);
char	*esc_dup(const char *, size_t, int);
char	*esc_str(const char *, int);
void	 esc_printf(struct buf *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
void	 esc_vprintf(struct buf *, int, const char *, va_list)
	    __attribute__((format(printf, 3, 0)));
size_t	 esc_utf8_len(const unsigned char *, size_t);

#endif
