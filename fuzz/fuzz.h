/*
 * fuzz - one exercise() per parser of untrusted input.
 *
 * Purpose: each fuzz/fuzz_<parser>.c defines exercise() and fuzz_corpus;
 * fuzz_main.c turns it into a libFuzzer target (built with
 * -DMXPROBE_LIBFUZZER by make fuzz) or into the standalone replay and
 * mutation test run by make check.
 *
 * API:
 *	exercise(p, n)	feeds n bytes to the parser and checks what comes
 *		back against the parser's promises (a result, or an error
 *		with a reason and an in-range position). Returns 1 when
 *		they hold, 0 when not. Must not leak, crash or keep state.
 *	fuzz_corpus	the folder under tests/corpus/ with the seeds
 *	fuzz_mutations	how many mutated inputs the replay test runs
 */
#ifndef MXPROBE_FUZZ_H
#define MXPROBE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_MAX_LEN	70000	/* a 64 KB TXT answer and some */

extern const char	fuzz_corpus[];
extern const unsigned	fuzz_mutations;

int	exercise(const uint8_t *, size_t);

#endif
