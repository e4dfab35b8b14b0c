#!/bin/sh
#
# postfix-commands.sh - which SMTP commands a lab Postfix received.
#
# Usage: postfix-commands.sh DIR [N]
#
# Prints the command counts of the last N (default 1) "disconnect from"
# lines of DIR/maillog (written by postfix-lab.sh), oldest first, one
# session per line, e.g.
#   ehlo=2 starttls=1 quit=1 commands=4
# Postfix writes "name=ok/total" when some of them failed, e.g.
# "ehlo=1 starttls=0/1 commands=1/2"; that is printed as it is.
#
# Exit status: 0 printed, 1 no disconnect line (or no maillog), 2 usage.

prog=postfix-commands.sh
[ $# -eq 1 ] || [ $# -eq 2 ] || {
	echo "usage: $prog DIR [N]" >&2
	exit 2
}
n=${2:-1}
case $n in
''|*[!0-9]*|0) echo "$prog: bad count: $n" >&2; exit 2 ;;
esac
log=$1/maillog
[ -r "$log" ] || {
	echo "$prog: cannot read $log" >&2
	exit 1
}
# "... postfix/smtpd[PID]: disconnect from HOST[ADDR] ehlo=2 ... commands=4"
out=$(sed -n 's/.*postfix\/smtpd\[[0-9]*\]: disconnect from [^ ]* //p' "$log" |
    tail -n "$n")
[ -n "$out" ] || exit 1
printf '%s\n' "$out"
