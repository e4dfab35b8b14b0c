#!/bin/sh
# Run every libFuzzer target (make fuzz builds them into fuzz/out/) for
# SECONDS each (default 60), one after the other, starting from a copy of
# tests/corpus/<parser>/. New inputs stay in fuzz/out/corpus-<parser>/;
# a crash leaves fuzz/out/crash-* and makes the script fail.
#   fuzz/run.sh [SECONDS [PARSER...]]
# FUZZ_OUT overrides fuzz/out; FUZZ_JOBS=N runs N processes per target.
# make check replays the same corpora deterministically (fuzz/fuzz_*).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
out=${FUZZ_OUT:-fuzz/out}
# By default every fuzz/fuzz_<parser>.c but fuzz_main.c.
all=$(cd "$top/fuzz" && ls fuzz_*.c | sed '/^fuzz_main\.c$/d; s/^fuzz_//; s/\.c$//')
targets=${*:-$all}
fail=0
for t in $targets; do
	if [ ! -x "$out/fuzz_$t" ]; then
		echo "fuzz/run.sh: no $out/fuzz_$t: run make fuzz first" >&2
		exit 2
	fi
	mkdir -p "$out/corpus-$t"
	cp "$top/tests/corpus/$t/"* "$out/corpus-$t/" 2>/dev/null || :
	echo "== fuzz_$t for ${secs}s"
	if ! "$out/fuzz_$t" -max_total_time="$secs" -max_len=65536 \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$out/crash-$t-" \
	    "$out/corpus-$t" >"$out/fuzz_$t.log" 2>&1; then
		echo "fuzz_$t FAILED: see $out/fuzz_$t.log" >&2
		tail -n 30 "$out/fuzz_$t.log" >&2
		fail=1
	fi
	grep -E 'stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
	    "$out/fuzz_$t.log" || :
done
exit $fail
