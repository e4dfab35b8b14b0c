#!/bin/sh
# make check entry: every enum of doc/json-schema.json in one spelling,
# lower-case words joined by '-' (TAP on stdout). See
# tests/meta/json_enums.py.
: "${top_srcdir:=.}"
export top_srcdir
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$top_srcdir/tests/meta/json_enums.py"
