#!/bin/sh
# The example commands of README.md and of the EXAMPLES section of
# doc/mxprobe.1 are the "# example:" lines of the examples lab scenario
# (tests/lab/scenarios/examples/expect), which runs each one against the
# lab: an example added, changed or removed in a document fails here
# until the scenario runs it. TAP.
: "${top_srcdir:=.}"
tmp=${TMPDIR:-/tmp}/t_examples.$$
trap 'rm -f "$tmp".*' EXIT
# Commands joined across "\" continuations; the man page's "\e" is "\".
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$top_srcdir/doc/mxprobe.1" |
    sed -n 's/^\$ //p; /^    /p' | sed 's/\\e/\\/g' >"$tmp.man"
awk '/^    (\$ )?mxprobe -/ { on = 1 }
	on { print; if ($0 !~ /\\$/) on = 0 }' "$top_srcdir/README.md" |
    sed 's/^    \$ /    /' | grep -v 'DOMAIN \[options\]' >"$tmp.readme"
cat "$tmp.man" "$tmp.readme" |
    awk '{ sub(/^ +/, ""); sub(/ +$/, "") }
	/\\$/ { sub(/ *\\$/, ""); line = line $0 " "; next }
	{ print line $0; line = "" }' |
    grep '^mxprobe ' | sort -u >"$tmp.docs"
sed -n 's/^# example: //p' \
    "$top_srcdir/tests/lab/scenarios/examples/expect" | sort -u >"$tmp.lab"
n=0
fail=0
while IFS= read -r c; do
	n=$((n + 1))
	if grep -qxF -- "$c" "$tmp.lab"; then
		echo "ok $n - the lab runs: $c"
	else
		echo "not ok $n - no run of the examples scenario for: $c"
		fail=1
	fi
done <"$tmp.docs"
while IFS= read -r c; do
	grep -qxF -- "$c" "$tmp.docs" && continue
	n=$((n + 1))
	echo "not ok $n - the examples scenario runs what no document shows: $c"
	fail=1
done <"$tmp.lab"
[ "$n" -ge 10 ] || { n=$((n + 1)); echo "not ok $n - only $((n - 1)) examples found"; fail=1; }
echo "1..$n"
exit $fail
