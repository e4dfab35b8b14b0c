#!/bin/sh
# Run the SPF conformance suites (tests/data/spf/*.yml) through
# spf-suite-convert.py and the t_spf_suite harness. TAP on stdout.
# The YAML files are used as shipped; the flat form is made at test time.
srcdir=${top_srcdir:-.}
builddir=${top_builddir:-.}
PYTHON3=${PYTHON3:-python3}
command -v "$PYTHON3" >/dev/null 2>&1 || PYTHON3=/usr/bin/python3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/spf-suite.XXXXXX") || {
	echo "Bail out! mktemp failed"; exit 1; }
trap 'rm -rf "$tmp"' EXIT INT TERM
args=
for s in rfc7208:rfc7208-tests rfc4408:rfc4408-tests \
    blitiri:blitirispf-tests pyspf:pyspf-test; do
	label=${s%%:*}
	file=${s#*:}
	if ! "$PYTHON3" "$srcdir/tests/spf-suite-convert.py" \
	    "$srcdir/tests/data/spf/$file.yml" >"$tmp/$file.lines"; then
		echo "Bail out! cannot convert $file.yml" \
		    "(python3-yaml missing?)"
		exit 1
	fi
	args="$args $label $tmp/$file.lines"
done
if ! "$PYTHON3" "$srcdir/tests/spf-suite-convert.py" --stalwart \
    "$srcdir"/tests/data/spf/stalwart/*.yml >"$tmp/stalwart.lines"; then
	echo "Bail out! cannot convert the Stalwart files"
	exit 1
fi
args="$args stalwart $tmp/stalwart.lines"
# shellcheck disable=SC2086
"$builddir/tests/unit/t_spf_suite" $args
