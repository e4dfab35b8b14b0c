#!/bin/sh
# make check entry: the documentation matches the sources (TAP on stdout).
# See tests/meta/meta.py.
: "${top_srcdir:=.}"
: "${top_builddir:=.}"
export top_srcdir top_builddir
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
exec "$PY" "$top_srcdir/tests/meta/meta.py"
