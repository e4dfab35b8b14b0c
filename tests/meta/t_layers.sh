#!/bin/sh
# The dependency rule of the tree (doc/internals.md): which project headers
# each folder of src/ may include, and which library headers and calls the
# pure folders (util, facts, parse, analyze, report) may not use. TAP.
#   util <- facts <- parse <- {net <- probe}, {analyze <- report} <- app <- main.c
set -u
src="${top_srcdir:-.}/src"
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
		printf '%s\n' "$3" | sed 's/^/#   /'
	fi
}

# allowed FOLDER: the folders its files may include from (besides itself).
# facts/ and parse/ form one tier for now (doc/internals.md): facts embed
# parsed records (struct smtp_reply, spf_record, dkim_record ...) and the
# parsers' results carry the DNS fact types. Neither may include anything
# above them, which is what keeps the two columns apart.
allowed() {
	case "$1" in
	util)		echo "" ;;
	facts)		echo "util parse" ;;
	parse)		echo "util facts" ;;
	net)		echo "util facts parse" ;;
	probe)		echo "util facts parse net" ;;
	analyze)	echo "util facts parse" ;;
	report)		echo "util facts parse analyze" ;;
	app)		echo "util facts parse net probe analyze report" ;;
	esac
}

folders="util facts parse net probe analyze report app"

# Every .c and .h of src/ lives in one of the folders, main.c alone on top.
flat=$(cd "$src" && ls *.c *.h 2>/dev/null | grep -v '^main\.c$')
ok "$([ -z "$flat" ]; echo $?)" "src/ holds main.c alone at the top" "$flat"
for d in $(cd "$src" && ls -d */ | tr -d /); do
	case " $folders " in
	*" $d "*) ;;
	*) ok 1 "src/$d/ is a folder of the layout" "unknown folder" ;;
	esac
done

for d in $folders; do
	[ -d "$src/$d" ] || { ok 1 "src/$d exists" ""; continue; }
	ok_dirs="$d $(allowed $d)"
	bad=""
	for f in "$src/$d"/*.[ch] "$src/$d"/*.def; do
		[ -f "$f" ] || continue
		for inc in $(sed -n 's/^[ 	]*#[ 	]*include[ 	]*"\([^"]*\)".*/\1/p' "$f"); do
			case "$inc" in
			config.h) continue ;;
			*/*) top=${inc%%/*} ;;
			*) bad="$bad
${f#$src/}: \"$inc\" names no folder"; continue ;;
			esac
			case " $ok_dirs " in
			*" $top "*) ;;
			*) bad="$bad
${f#$src/}: includes $inc" ;;
			esac
		done
	done
	ok "$([ -z "$bad" ]; echo $?)" "src/$d/ includes only from: $ok_dirs" "$bad"
done

# The pure folders: no engine library, no host access.
for d in util facts parse analyze report; do
	[ -d "$src/$d" ] || continue
	bad=$(grep -nE '#[ 	]*include[ 	]*<(ares\.h|ares_[a-z]+\.h|curl/curl\.h|openssl/ssl\.h|poll\.h|sys/epoll\.h|netdb\.h)>' \
	    "$src/$d"/*.[ch] 2>/dev/null)
	ok "$([ -z "$bad" ]; echo $?)" "src/$d/ includes no I/O library header" "$bad"
	bad=$(grep -nE '\b(fopen|freopen|opendir|getenv|secure_getenv|psl_latest|psl_load_file|json_object_from_file|json_object_to_file|clock_gettime|gettimeofday|socket|connect|poll|select)[ 	]*\(' \
	    "$src/$d"/*.[ch] 2>/dev/null | grep -v '^[^:]*:[0-9]*:[ 	]*\*\|/\*.*\*/' )
	ok "$([ -z "$bad" ]; echo $?)" "src/$d/ calls no file, environment, clock or socket function" "$bad"
done

# Only app/ touches the environment and stdout; only main() exits.
bad=$(cd "$src" && grep -nE '\b(getenv|secure_getenv)[ 	]*\(|\bstdout\b|(^|[^a-z_])(printf|puts|putchar)[ 	]*\(' \
    util/*.[ch] facts/*.[ch] parse/*.[ch] net/*.[ch] probe/*.[ch] analyze/*.[ch] report/*.[ch] 2>/dev/null |
    grep -v ':[0-9]*:[ 	]*\*\|:[0-9]*:[ 	]*/\*')
ok "$([ -z "$bad" ]; echo $?)" "only app/ reads the environment or writes stdout" "$bad"
bad=$(cd "$src" && grep -nE '(^|[^_a-z])(_?exit|_Exit|quick_exit)[ 	]*\(' */*.c 2>/dev/null |
    grep -v ':[0-9]*:[ 	]*\*\|:[0-9]*:[ 	]*/\*')
ok "$([ -z "$bad" ]; echo $?)" "only main() exits" "$bad"

# One unit test per source file (tests/unit/t_<basename>.c), and no unit
# test named after no source file but the RFC 7208 suite's runner.
units="${top_srcdir:-.}/tests/unit"
bad=""
for f in "$src"/*/*.c; do
	b=$(basename "$f" .c)
	[ -f "$units/t_$b.c" ] || bad="$bad
${f#$src/}: no tests/unit/t_$b.c"
done
ok "$([ -z "$bad" ]; echo $?)" "every source file has its tests/unit/t_<basename>.c" "$bad"
bad=""
for t in "$units"/t_*.c; do
	b=$(basename "$t" .c)
	b=${b#t_}
	case "$b" in spf_suite) continue ;; esac
	ls "$src"/*/"$b.c" >/dev/null 2>&1 || bad="$bad
tests/unit/t_$b.c: no src/*/$b.c"
done
ok "$([ -z "$bad" ]; echo $?)" "every unit test is named after its source file" "$bad"

echo "1..$n"
exit $fail
