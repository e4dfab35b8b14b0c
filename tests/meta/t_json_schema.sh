#!/bin/sh
# make check entry: doc/json-schema.json describes mxprobe --json (TAP on
# stdout). See tests/meta/json_schema.py; skipped, visibly, without
# python3-jsonschema.
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
export top_srcdir top_builddir
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$top_srcdir/tests/meta/json_schema.py"
