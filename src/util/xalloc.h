/*
 * xalloc - allocation that never returns NULL.
 *
 * Purpose: every allocation in mxprobe goes through these wrappers; on
 * out-of-memory they print a message and abort(), as Postfix mymalloc()
 * does. There is no recovery path worth having for a command-line probe.
 *
 * API: xmalloc, xcalloc, xrealloc, xstrdup, xstrndup, xreallocarray.
 * Returns: a valid pointer (size 0 is promoted to 1).
 * BUGS: none known.
 */
#ifndef MXPROBE_XALLOC_H
#define MXPROBE_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
