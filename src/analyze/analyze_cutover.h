/*
 * cutover - the checks of an MX cutover, shaped like its steps. Pure.
 *
 *   ten days before:  --max-ttl SECONDS  the MX TTL is low enough, as
 *                     the authoritative servers publish it (a cache's
 *                     remaining TTL says less)
 *   on the day:       --expect-mx HOST   the MX set is exactly these
 *                     (--expect-mx-contains: includes these)
 *                     --old-mx HOST      the old exchangers are gone from
 *                     the MX set; one that still answers on port 25 is a
 *                     risk while caches can still point at it
 *   afterwards:       --expect-banner REGEX  every exchanger's banner
 *                     matches (PCRE2): the new gateway is the one answering
 *
 * API:
 *	analyze_cutover(facts, opts, fs)	declared in analyze.h
 *	cutover_banner_compile(pattern, why)	-> pcre2_code, or NULL with
 *		the PCRE2 error and its offset in why
 *	cutover_banner_match(code, text)	1 match, 0 no, -1 error
 */
#ifndef MXPROBE_CUTOVER_H
#define MXPROBE_CUTOVER_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct buf;
struct findings;
struct probe_facts;

struct cutover_opts {
	const char	**expect_mx;	/* exactly these; NULL-terminated */
	const char	**expect_contains; /* at least these */
	long		  max_ttl;	/* -1: no check */
	long		  auth_ttl;	/* the MX TTL the authoritative
					 * servers give (--propagation), or
					 * -1: then the resolver's, which a
					 * cache may have counted down */
	const char	**old_mx;
	pcre2_code	 *banner;	/* NULL: no check */
	const char	 *banner_pattern;
};

pcre2_code	*cutover_banner_compile(const char *, struct buf *);
int		 cutover_banner_match(const pcre2_code *, const char *);

#endif
