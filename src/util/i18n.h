/*
 * i18n - the gettext macros.
 *
 * Purpose: one place for the message-translation macros, so that a file
 * marks its user-visible strings the same way whether or not the build
 * has NLS (configure --disable-nls).
 *
 *	_("text")	the text in the user's language (LC_MESSAGES); the
 *			literal itself when there is no translation or no NLS
 *	ngettext("one", "many", n)  the singular or plural form for the
 *			count n, as the user's language counts (with
 *			NLS from libintl, without it English's rule)
 *	N_("text")	marks a string for xgettext where a call cannot
 *			stand (a static initialiser such as catalogue.def);
 *			the place that prints it writes _(s)
 *
 *	R_("text")	a reason: the text the net, parse and probe layers
 *			write into a why buffer when they find something
 *			(a record's syntax error, a session that timed
 *			out), in the language of the run's findings:
 *			translated when i18n_reasons_local(1) was called,
 *			else the English literal. A reason is formatted
 *			once, where it is found, so the language is chosen
 *			for the run before any check starts: the user's
 *			for the text report and --json-locale, English for
 *			the output meant for programs.
 *	i18n_reasons_local(on)	choose it (app/run.c, once)
 *
 * English is the source language and the default. Output meant for
 * programs (--json, --list-findings, --nagios status words) prints the
 * untranslated strings. env_locale_init() (app/env.c) calls setlocale()
 * and bindtextdomain(); the catalogue directory is LOCALEDIR, or
 * MXPROBE_LOCALEDIR when set (the tests use a catalogue built in the
 * build tree).
 */
#ifndef MXPROBE_I18N_H
#define MXPROBE_I18N_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)	gettext(s)
#else
#define _(s)	((const char *)(s))
#define ngettext(s, p, n)	((n) == 1 ? (const char *)(s) : (const char *)(p))
#endif
#define N_(s)	s
#define R_(s)	i18n_reason(s)

void		 i18n_reasons_local(int);
const char	*i18n_reason(const char *) __attribute__((format_arg(1)));


#endif
