#!/bin/sh
# make check entry: the message catalogues are complete and up to date
# (TAP on stdout).
#
#  - po/mxprobe.pot holds exactly the messages xgettext finds today in
#    the files of po/POTFILES.in, with the options of po/Makevars (a
#    string marked or changed without `make update-po` fails here);
#  - po/POTFILES.in names every source file that marks a string;
#  - every language of po/LINGUAS translates every message: msgfmt
#    --check passes, and nothing is untranslated, fuzzy or obsolete.
: "${top_srcdir:=.}"
: "${MSGFMT:=msgfmt}"
: "${XGETTEXT:=xgettext}"
: "${MSGCMP:=msgcmp}"
po=$top_srcdir/po
n=0
failed=0

for tool in "$MSGFMT" "$XGETTEXT" "$MSGCMP"; do
	if ! command -v "$tool" >/dev/null 2>&1 || [ "$tool" = : ]; then
		echo "1..0 # SKIP gettext tools missing ($tool)"
		exit 0
	fi
done

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

result() {	# result OK DESCRIPTION [DIAGNOSTIC FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - $2"
		[ -n "$3" ] && sed 's/^/#   /' "$3"
	fi
}

# The sources xgettext reads.
grep -v '^#' "$po/POTFILES.in" | grep -v '^[[:space:]]*$' > "$tmp/files"
# Every file of src/ that marks a string is listed: _(), N_(), R_() or a
# call of findings_add(), _addn(), _append() or _appendn(), whose formats
# xgettext extracts (po/Makevars); i18n.[ch] define the macros,
# findings.[ch] define the calls.
(cd "$top_srcdir" &&
    grep -rlE '(^|[^A-Za-z0-9_])([NR]?_\("|findings_(add|addn|append|appendn)\()' src) |
    grep -vx -e 'src/util/i18n.h' -e 'src/util/i18n.c' \
    -e 'src/analyze/findings.c' -e 'src/analyze/findings.h' |
    sort > "$tmp/marking"
sort "$tmp/files" > "$tmp/listed"
comm -23 "$tmp/marking" "$tmp/listed" > "$tmp/unlisted"
[ -s "$tmp/unlisted" ]
result $((! $?)) "po/POTFILES.in names every file that marks strings" \
    "$tmp/unlisted"

# xgettext with the options of po/Makevars (continuation lines joined).
opts=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$po/Makevars" |
    sed -n 's/^XGETTEXT_OPTIONS *= *//p')
# shellcheck disable=SC2086
(cd "$top_srcdir" && "$XGETTEXT" $opts --package-name=mxprobe \
    -o "$tmp/new.pot" -f "$tmp/files") > "$tmp/xgettext.log" 2>&1
result $? "xgettext reads the files of po/POTFILES.in" "$tmp/xgettext.log"

"$MSGCMP" --use-untranslated "$po/mxprobe.pot" "$tmp/new.pot" \
    > "$tmp/cmp1" 2>&1
r1=$?
"$MSGCMP" --use-untranslated "$tmp/new.pot" "$po/mxprobe.pot" \
    > "$tmp/cmp2" 2>&1
r2=$?
cat "$tmp/cmp1" "$tmp/cmp2" > "$tmp/cmp"
echo "(run make update-po)" >> "$tmp/cmp"
result $((r1 || r2)) "po/mxprobe.pot matches the marked sources" "$tmp/cmp"

for lang in $(grep -v '^#' "$po/LINGUAS"); do
	f=$po/$lang.po
	"$MSGFMT" --check --statistics -o "$tmp/$lang.mo" "$f" \
	    > "$tmp/$lang.stat" 2>&1
	result $? "$lang.po passes msgfmt --check" "$tmp/$lang.stat"
	grep -Eq 'fuzzy|untranslated' "$tmp/$lang.stat"
	result $((! $?)) "$lang.po: no fuzzy or untranslated message" \
	    "$tmp/$lang.stat"
	"$MSGCMP" "$f" "$tmp/new.pot" > "$tmp/$lang.cmp" 2>&1
	result $? "$lang.po translates every message of the sources" \
	    "$tmp/$lang.cmp"
	"$MSGCMP" --use-untranslated "$tmp/new.pot" "$f" \
	    > "$tmp/$lang.stale" 2>&1
	r=$?
	grep -n '^#~' "$f" >> "$tmp/$lang.stale"
	[ $r = 0 ] && ! grep -q '^#~' "$f"
	result $? "$lang.po holds no message the sources no longer have" \
	    "$tmp/$lang.stale"
done

echo "1..$n"
[ "$failed" = 0 ]
