#!/bin/bash
#
# postfix-lab.sh - a real Postfix as a lab MTA on a loopback address.
#
# Usage:
#   postfix-lab.sh start DIR ADDR PORT CERT KEY CAFILE [NAME [POLICY]]
#   postfix-lab.sh stop  DIR
#
# start: writes a private instance under DIR (etc/ = config_directory,
# queue/ = queue_directory, data/ = data_directory), listening only on
# ADDR:PORT with STARTTLS offered (smtpd_tls_security_level = may, CERT
# and KEY, CAFILE as smtpd_tls_CAfile), myhostname NAME (default
# mx.lab.invalid), and starts it with `postfix -c DIR/etc start`.
# Postfix logs to DIR/maillog through its postlog service (no syslog is
# needed).  It accepts no mail at all: no local delivery, every transport
# is error:, and every recipient is rejected, as POLICY says:
#   reject        (the default) smtpd_recipient_restrictions = reject:
#                 "554 5.7.1 <r>: Recipient address rejected: Access denied"
#   relay-denied  a backup never told about the domain: only
#                 reject_unauth_destination, so a recipient in any domain
#                 gets Postfix's own "554 5.7.1 <r>: Relay access denied"  Waits (at most 15 s) until ADDR:PORT
# listens.
#
# stop: `postfix -c DIR/etc stop`, then waits for the master process (pid
# from queue/pid/master.pid) and its children to exit, SIGKILLing them after
# 5 s.  Stopping an instance that is not running is not an error.
#
# Requires root (Postfix's master runs as root; daemons drop to the
# `postfix` user and the `postdrop` group made by the Debian package).
#
# Exit status: 0 ok, 1 failure, 2 usage, 77 postfix is not installed or
# this is not root (the caller reports the test as skipped).

set -u

prog=postfix-lab.sh
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

usage() {
	echo "usage: $prog start DIR ADDR PORT CERT KEY CAFILE [NAME [POLICY]]" \
	    "| stop DIR" >&2
	exit 2
}

die() {
	echo "$prog: $*" >&2
	exit 1
}

need_postfix() {
	if ! command -v postfix >/dev/null 2>&1 ||
	    ! command -v postconf >/dev/null 2>&1; then
		echo "$prog: postfix is not installed (apt-get install postfix)" >&2
		exit 77
	fi
	getent passwd postfix >/dev/null ||
	    die "no postfix user: is the postfix package installed fully?"
	getent group postdrop >/dev/null ||
	    die "no postdrop group: is the postfix package installed fully?"
	# Postfix's master starts as root and drops to the postfix user:
	# as another user the lab runs without it (exit 77: skipped).
	if [ "$(id -u)" != 0 ]; then
		echo "$prog: needs root (Postfix's master starts as root)" >&2
		exit 77
	fi
}

# listening ADDR PORT (see smtp-lab.sh): from /proc, no connection made.
listening() {
	local a=$1 p=$2 hex file
	case $a in
	::1)
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

# is_master PID: alive and a Postfix master (guards against pid reuse).
is_master() {
	[ -n "$1" ] && [ -r "/proc/$1/cmdline" ] &&
	    tr '\0' ' ' <"/proc/$1/cmdline" | grep -q 'master'
}

# children PID: pids whose parent is PID.
children() {
	local s
	for s in /proc/[0-9]*/stat; do
		awk -v pp="$1" '{ sub(/^.*\) /, ""); if ($2 == pp) print FILENAME }' \
		    "$s" 2>/dev/null
	done | sed -e 's,^/proc/,,' -e 's,/stat$,,'
}

alive() {
	# A zombie has an empty cmdline: it is gone for our purposes.
	[ -r "/proc/$1/cmdline" ] && [ -n "$(tr -d '\0' <"/proc/$1/cmdline")" ]
}

master_pid() {
	local f=$1/queue/pid/master.pid
	[ -f "$f" ] && tr -d ' \n' <"$f"
}

# postfix(1) prints its fatal errors only to a terminal (else to syslog,
# which the lab does not run): replay `postfix check` under script(1).
diagnose() {
	command -v script >/dev/null 2>&1 || return 0
	timeout 20 script -qec "postfix -c '$1/etc' check" /dev/null >&2
}

do_stop() {
	local dir=$1 mpid kids p
	[ -d "$dir/etc" ] || return 0
	mpid=$(master_pid "$dir")
	kids=
	if is_master "$mpid"; then
		kids=$(children "$mpid")
	fi
	if command -v postfix >/dev/null 2>&1; then
		timeout 20 postfix -c "$dir/etc" stop >>"$dir/postfix.out" 2>&1
	fi
	for _ in $(seq 50); do
		is_master "$mpid" || break
		sleep 0.1
	done
	if is_master "$mpid"; then
		echo "$prog: master $mpid still running, killing" >&2
		kill -KILL "$mpid" 2>/dev/null
	fi
	for p in $kids; do
		alive "$p" && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

do_start() {
	local dir=$1 addr=$2 port=$3 cert=$4 key=$5 ca=$6 name=$7 policy=$8
	local proto f rcpt
	need_postfix
	case $port in
	''|*[!0-9]*) die "bad port: $port" ;;
	esac
	case $addr in
	127.*) proto=ipv4 ;;
	::1) proto=ipv6 ;;
	*) die "not a loopback address: $addr" ;;
	esac
	case $policy in
	reject) rcpt="smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject" ;;
	relay-denied) rcpt="smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions =" ;;
	*) die "bad recipient policy: $policy" ;;
	esac
	case $name in
	*[!A-Za-z0-9.-]*|'') die "bad host name: $name" ;;
	esac
	for f in "$cert" "$key" "$ca"; do
		[ -r "$f" ] || die "cannot read $f"
	done
	mkdir -p "$dir" || die "cannot create $dir"
	dir=$(cd "$dir" && pwd)
	cert=$(cd "$(dirname "$cert")" && pwd)/$(basename "$cert")
	key=$(cd "$(dirname "$key")" && pwd)/$(basename "$key")
	ca=$(cd "$(dirname "$ca")" && pwd)/$(basename "$ca")
	if is_master "$(master_pid "$dir")"; then
		die "already running in $dir (master $(master_pid "$dir"))"
	fi
	# The daemons run as the postfix user and must reach the queue: every
	# directory above DIR must be searchable by others.
	chmod 755 "$dir"
	local up=$dir
	while [ "$up" != / ]; do
		up=$(dirname "$up")
		[ -n "$(find "$up" -maxdepth 0 -perm -o+x)" ] ||
		    die "$up is not searchable by the postfix user (chmod o+x)"
	done
	mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
	chown postfix "$dir/data"
	: >"$dir/maillog"
	chmod 644 "$dir/maillog"

	local meta
	meta=$(postconf -dh meta_directory)
	cat >"$dir/etc/main.cf" <<EOF
# Lab instance written by postfix-lab.sh; accepts no mail.
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
meta_directory = $meta
mail_owner = postfix
setgid_group = postdrop
# Postfix rejects an inet_interfaces address that no interface carries,
# and 127.0.0.x (x > 1) is routed to lo without being assigned to it.
# The listener address is therefore set in master.cf only, which binds
# exactly ADDR:PORT whatever inet_interfaces says.
inet_interfaces = loopback-only
inet_protocols = $proto
myhostname = $name
mydomain = lab.invalid
myorigin = \$myhostname
mydestination =
mynetworks = 127.0.0.1/32
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
$rcpt
default_transport = error:lab MTA accepts no mail
relay_transport = error:lab MTA accepts no mail
local_transport = error:lab MTA accepts no mail
smtpd_banner = \$myhostname ESMTP lab
biff = no
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
smtpd_tls_security_level = may
smtpd_tls_cert_file = $cert
smtpd_tls_key_file = $key
smtpd_tls_CAfile = $ca
smtpd_tls_loglevel = 1
smtp_tls_security_level = none
smtpd_client_connection_rate_limit = 0
EOF
	# master.cf: the SMTP listener on ADDR:PORT and the services it and
	# postfix(1) need; nothing that delivers mail.
	local lst=$addr:$port
	[ $proto = ipv6 ] && lst="[$addr]:$port"
	cat >"$dir/etc/master.cf" <<EOF
$lst inet n - n - - smtpd
postlog   unix-dgram n - n - 1 postlogd
tlsmgr    unix - - n 1000? 1 tlsmgr
anvil     unix - - n - 1 anvil
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
proxymap  unix - - n - - proxymap
scache    unix - - n - 1 scache
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
EOF
	if ! timeout 30 postfix -c "$dir/etc" start >"$dir/postfix.out" 2>&1
	then
		cat "$dir/postfix.out" "$dir/maillog" >&2
		diagnose "$dir"
		do_stop "$dir"
		die "postfix start failed"
	fi
	for _ in $(seq 150); do
		listening "$addr" "$port" && return 0
		sleep 0.1
	done
	cat "$dir/postfix.out" "$dir/maillog" >&2
	do_stop "$dir"
	die "postfix not listening on $addr port $port after 15 s"
}

[ $# -ge 2 ] || usage
case $1 in
start)
	[ $# -ge 7 ] && [ $# -le 9 ] || usage
	do_start "$2" "$3" "$4" "$5" "$6" "$7" "${8:-mx.lab.invalid}" \
	    "${9:-reject}"
	;;
stop)
	do_stop "$2"
	;;
*)
	usage
	;;
esac
