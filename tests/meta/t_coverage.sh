#!/bin/sh
# Every finding code in the catalogue is raised somewhere in the tests: a
# lab scenario asserts it ("finding CODE" or "points CODE" in an expect
# file) or a unit test names it (F_CODE, or the code as a string). TAP,
# one point per code.
: "${top_srcdir:=.}"
n=0
fail=0
for code in $(sed -n 's/^FINDING(\([A-Z0-9_]*\),.*/\1/p' \
    "$top_srcdir/src/analyze/catalogue.def"); do
	n=$((n + 1))
	where=$(grep -lE "^(finding|points) $code( |\$)" \
	    "$top_srcdir"/tests/lab/scenarios/*/expect 2>/dev/null | head -n 1)
	[ -n "$where" ] || where=$(grep -lwE "(F_)?$code" \
	    "$top_srcdir"/tests/unit/*.c 2>/dev/null | head -n 1)
	if [ -n "$where" ]; then
		echo "ok $n - $code is raised in ${where#"$top_srcdir"/}"
	else
		echo "not ok $n - $code is raised by no lab scenario or unit test"
		fail=1
	fi
done
echo "1..$n"
exit $fail
