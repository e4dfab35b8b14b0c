#!/bin/sh
# make check entry: run every lab scenario (TAP on stdout).
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
export top_builddir
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$top_srcdir/tests/lab/lab.py" check
