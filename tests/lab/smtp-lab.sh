#!/bin/bash
#
# smtp-lab.sh - start and stop the lab's fault-injecting SMTP server.
#
# Usage:
#   smtp-lab.sh start STATEDIR PORT CONFIG
#   smtp-lab.sh stop  STATEDIR [PORT CONFIG]
#
# start: makes certificates for every cert=NAME in CONFIG (mkcerts.sh into
# STATEDIR/certs; at least mx.lab.invalid), runs faultsmtp.py in the
# background and waits (at most 10 s) until its pidfile exists and every
# non-refuse address of CONFIG is listening on PORT.  On failure it kills
# what it started, shows the server's stderr and exits 1.
#
# STATEDIR afterwards holds:
#   certs/           ca.pem (trust anchor for clients) and the leaves
#   smtp.log         JSON-lines log of every connection (see faultsmtp.py)
#   faultsmtp.pid    server pid (removed by the server when it stops)
#   faultsmtp.err    server stderr
#
# stop: SIGTERM to the recorded pid (only if it is a faultsmtp.py process),
# waits at most 5 s, then SIGKILL.  Stopping a lab that is not running is
# not an error.
#
# Environment: PYTHON (default /usr/bin/python3).
# Exit status: 0 ok, 1 failure, 2 usage.

set -u

here=$(cd "$(dirname "$0")" && pwd)
prog=smtp-lab.sh
python=${PYTHON:-/usr/bin/python3}

usage() {
	echo "usage: $prog start STATEDIR PORT CONFIG | stop STATEDIR" >&2
	exit 2
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

# is_ours PID: PID is alive and runs faultsmtp.py (guards against pid reuse)
is_ours() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] &&
	    tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'faultsmtp\.py'
}

# listening ADDR PORT: the kernel has a listening socket there.  Read from
# /proc so that readiness checks leave no connection in the server log.
listening() {
	local a=$1 p=$2 hex file
	case $a in
	*:*)
		[ "$a" = ::1 ] || return 1
		hex=$(printf '00000000000000000000000001000000:%04X' "$p")
		file=/proc/net/tcp6 ;;
	*)
		local IFS=.
		# shellcheck disable=SC2086
		set -- $a
		hex=$(printf '%02X%02X%02X%02X:%04X' "$4" "$3" "$2" "$1" "$p")
		file=/proc/net/tcp ;;
	esac
	awk -v h="$hex" '$2 == h && $4 == "0A" { f = 1 } END { exit !f }' \
	    "$file" 2>/dev/null
}

# Addresses that must be listening: first word of lines whose second word
# is not "refuse".
addresses() {
	sed -e 's/#.*//' "$1" | awk 'NF >= 2 && $2 != "refuse" { print $1 }'
}

certnames() {
	sed -n -e 's/#.*//' \
	    -e 's/.*[[:space:]]cert=["'\'']\{0,1\}\([^[:space:]"'\'']*\).*/\1/p' \
	    "$1" | sort -u
}

stop_pid() {
	local pid=$1
	is_ours "$pid" || return 0
	kill -TERM "$pid" 2>/dev/null
	for _ in $(seq 50); do
		is_ours "$pid" || return 0
		sleep 0.1
	done
	echo "$prog: pid $pid ignored SIGTERM, killing" >&2
	kill -KILL "$pid" 2>/dev/null
	sleep 0.1
}

do_stop() {
	local st=$1 pid
	for f in "$st/faultsmtp.pid" "$st/faultsmtp.bgpid"; do
		[ -f "$f" ] || continue
		pid=$(cat "$f" 2>/dev/null)
		stop_pid "$pid"
	done
	rm -f "$st/faultsmtp.pid" "$st/faultsmtp.bgpid"
	return 0
}

do_start() {
	local st=$1 port=$2 conf=$3 names pid a ready
	case $port in
	''|*[!0-9]*) die "bad port: $port" ;;
	esac
	[ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port: $port"
	[ -r "$conf" ] || die "cannot read config $conf"
	[ -x "$python" ] || die "python not found: $python"
	mkdir -p "$st" || die "cannot create $st"
	st=$(cd "$st" && pwd)
	conf=$(cd "$(dirname "$conf")" && pwd)/$(basename "$conf")
	for f in "$st/faultsmtp.pid" "$st/faultsmtp.bgpid"; do
		if [ -f "$f" ] && is_ours "$(cat "$f")"; then
			die "already running in $st (pid $(cat "$f"))"
		fi
	done
	rm -f "$st/faultsmtp.pid" "$st/faultsmtp.bgpid"

	names=$(certnames "$conf")
	[ -n "$names" ] || names=mx.lab.invalid
	# shellcheck disable=SC2086
	timeout 120 "$here/mkcerts.sh" "$st/certs" $names ||
	    die "mkcerts.sh failed"

	"$python" "$here/faultsmtp.py" --config "$conf" --port "$port" \
	    --log "$st/smtp.log" --pidfile "$st/faultsmtp.pid" \
	    --certdir "$st/certs" </dev/null >"$st/faultsmtp.err" 2>&1 &
	pid=$!
	echo "$pid" >"$st/faultsmtp.bgpid"

	for _ in $(seq 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			cat "$st/faultsmtp.err" >&2
			rm -f "$st/faultsmtp.bgpid"
			die "faultsmtp.py exited during start"
		fi
		ready=no
		if [ -s "$st/faultsmtp.pid" ]; then
			ready=yes
			for a in $(addresses "$conf"); do
				listening "$a" "$port" || { ready=no; break; }
			done
		fi
		[ $ready = yes ] && return 0
		sleep 0.1
	done
	cat "$st/faultsmtp.err" >&2
	do_stop "$st"
	die "faultsmtp.py not listening after 10 s"
}

[ $# -ge 2 ] || usage
case $1 in
start)
	[ $# -eq 4 ] || usage
	do_start "$2" "$3" "$4"
	;;
stop)
	do_stop "$2"
	;;
*)
	usage
	;;
esac
