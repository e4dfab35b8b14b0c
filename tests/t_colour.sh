#!/bin/sh
# Colour only on a terminal, and never when NO_COLOR is set (no-color.org).
# script(1) gives mxprobe a terminal; the resolver address is one where
# nothing listens, so the report (UNKNOWN) comes at once. TAP.
: "${top_builddir:=.}"
mx="$top_builddir/src/mxprobe"
args="--domain colour.invalid --resolver 127.0.0.1:9 --timeout 2 --dns-only"
esc=$(printf '\033')
n=0
fail=0
check() {	# check DESCRIPTION WANT(yes|no) OUTPUT
	n=$((n + 1))
	case "$3" in
	*"$esc["*) got=yes ;;
	*) got=no ;;
	esac
	if [ "$got" = "$2" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1 (colour: $got)"
		fail=1
	fi
}
if ! command -v script >/dev/null 2>&1; then
	echo "1..0 # SKIP script(1) is not installed"
	exit 0
fi
out=$(env -u NO_COLOR script -qec "$mx $args" /dev/null 2>&1)
check "a terminal gets colour" yes "$out"
out=$(NO_COLOR=1 script -qec "$mx $args" /dev/null 2>&1)
check "NO_COLOR turns it off on a terminal" no "$out"
out=$(NO_COLOR=1 script -qec "$mx $args --color always" /dev/null 2>&1)
check "--color always wins over NO_COLOR" yes "$out"
out=$(env -u NO_COLOR script -qec "$mx $args --color never" /dev/null 2>&1)
check "--color never on a terminal" no "$out"
out=$(env -u NO_COLOR "$mx" $args 2>&1)
check "a pipe gets none" no "$out"
echo "1..$n"
exit $fail
