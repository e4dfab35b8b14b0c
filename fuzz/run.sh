#!/bin/sh
# Build the libFuzzer targets with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) and run each for SECONDS (default 60),
# starting from the project's corpus. Not part of make check, which
# replays the corpora deterministically (t_*_fuzz); this explores.
#   fuzz/run.sh [SECONDS]
# Needs clang and libclang-rt-14-dev (Debian).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
out=${FUZZ_OUT:-$top/fuzz/out}
mkdir -p "$out"
cc="clang -g -O1 -fsanitize=fuzzer,address,undefined -I$top/src"
common="$top/src/util/buf.c $top/src/util/xalloc.c $top/src/util/log.c"
$cc -o "$out/fuzz_dns_wire" "$top/fuzz/fuzz_dns_wire.c" \
    "$top/src/parse/dns_wire.c" $common
$cc -o "$out/fuzz_smtp_reply" "$top/fuzz/fuzz_smtp_reply.c" \
    "$top/src/parse/smtp_reply.c" $common
$cc -o "$out/fuzz_spf" "$top/fuzz/fuzz_spf.c" "$top/src/parse/spf.c" $common
for t in dns_wire smtp_reply spf; do
	mkdir -p "$out/corpus-$t"
	cp "$top/tests/corpus/$t/"* "$out/corpus-$t/" 2>/dev/null || :
	echo "== fuzz_$t for ${secs}s"
	"$out/fuzz_$t" -max_total_time="$secs" -max_len=65536 \
	    "$out/corpus-$t" 2>&1 | tail -n 3
done
