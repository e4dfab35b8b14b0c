/*
 * findings - the findings catalogue and a list of raised findings.
 *
 * Purpose: every check reports what it found as a finding with a stable
 * code (UPPER_SNAKE_CASE, never renamed or reused), a severity, a category,
 * a plain message about this domain, and the catalogue's remedy and RFC
 * reference. The catalogue is catalogue.def (one FINDING() line per code);
 * doc/mxprobe-findings.7 is checked against it by a test.
 *
 * API:
 *	finding_def(code)		the catalogue entry
 *	finding_by_name("MX_TARGET_CNAME")	code or -1
 *	findings_new/findings_free
 *	findings_add(fs, code, subject, fmt, ...)	raise one; subject
 *		names what it is about (a host, an address, a record) or NULL;
 *		fmt is an English msgid (xgettext extracts it, see
 *		po/Makevars), formatted twice: as written (the message) and
 *		as translated by _() (the localized message)
 *	findings_addn(fs, code, subject, n, one, many, ...)	the same with
 *		a count: the English message is one when n is 1, else many;
 *		the localized one is ngettext(one, many, n)
 *	findings_append(fs, fmt, ...)	one more sentence of the finding
 *		raised last, an English msgid of its own (xgettext extracts
 *		it): a message that says several things is written as
 *		sentences, each translated whole, never as an English
 *		sentence built of pieces. Joined by a space after an ASCII
 *		end, by nothing after a wider one (Japanese "。")
 *	findings_appendn(fs, n, one, many, ...)	the same with a count
 *	finding_message(f, local)	the English message (JSON, --nagios,
 *		--baseline), or with local != 0 the message in the user's
 *		language (the text report; the English one when there is
 *		no translation)
 *	findings_count/findings_get
 *	findings_has(fs, code)
 *	finding_sev_name(sev)		"info", "warning", "critical", "unknown"
 *	findings_status(fs)		the monitoring status the findings call
 *		for: 2 if any is CRITICAL, else 3 if any is UNKNOWN, else 1 if
 *		any is WARNING, else 0 (a definite failure outranks a check
 *		that could not be made; a check that could not be made
 *		outranks a warning, since it may hide worse)
 *	findings_status_name(st)	"OK", "WARNING", "CRITICAL", "UNKNOWN"
 *	finding_accept_code(spec)	the code of an accept rule
 *		"CODE[:SUBJECT]" (--accept), or -1 when CODE is not one
 *	findings_accept(fs, spec)	marks the findings the rule matches
 *		accepted: they stay in the report but set no status and cost
 *		no points. SUBJECT matches a finding's subject exactly, case
 *		aside and a trailing dot ignored; CODE alone matches every
 *		subject. Returns how many it marked, or -1 for an unknown
 *		code.
 *
 * Severity: INFO (good to know), WARNING (mail may be delayed, junked or
 * spoofed), CRITICAL (mail is lost or refused), UNKNOWN (a check could not
 * be made: DNS failure, blocked port; never a verdict).
 * Penalty: the score points a finding costs (doc/scoring.md).
 */
#ifndef MXPROBE_FINDINGS_H
#define MXPROBE_FINDINGS_H

#include <stddef.h>

enum finding_sev {
	SEV_INFO,
	SEV_WARNING,
	SEV_CRITICAL,
	SEV_UNKNOWN
};

enum finding_code {
#define FINDING(code, sev, cat, pen, title, remedy, ref) F_##code,
#include "analyze/catalogue.def"
#undef FINDING
	F__COUNT
};

struct finding_def {
	const char		*code;
	enum finding_sev	 sev;
	const char		*category;
	int			 penalty;
	const char		*title;
	const char		*remedy;
	const char		*ref;
};

struct finding {
	enum finding_code	 code;
	char			*subject;
	char			*message;	/* English */
	char			*message_l10n;	/* localized; NULL: the
						 * same as message */
	int			 accepted;	/* --accept: no status, no
						 * points */
};

struct findings;

const struct finding_def *finding_def(enum finding_code);
int			 finding_by_name(const char *);
const char		*finding_sev_name(enum finding_sev);
struct findings		*findings_new(void);
void			 findings_free(struct findings *);
void			 findings_add(struct findings *, enum finding_code,
			    const char *, const char *, ...)
			    __attribute__((format(printf, 4, 5)));
void			 findings_addn(struct findings *, enum finding_code,
			    const char *, unsigned long, const char *,
			    const char *, ...)
			    __attribute__((format(printf, 6, 7)));
void			 findings_append(struct findings *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));
void			 findings_appendn(struct findings *, unsigned long,
			    const char *, const char *, ...)
			    __attribute__((format(printf, 4, 5)));
const char		*finding_message(const struct finding *, int);
size_t			 findings_count(const struct findings *);
const struct finding	*findings_get(const struct findings *, size_t);
int			 findings_has(const struct findings *,
			    enum finding_code);
int			 findings_status(const struct findings *);
const char		*findings_status_name(int);
int			 finding_accept_code(const char *);
int			 findings_accept(struct findings *, const char *);

#endif
