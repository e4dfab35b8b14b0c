#!/bin/bash
#
# t_lab_selftest.sh - the SMTP lab tests itself (TAP).
#
# Starts faultsmtp.py through smtp-lab.sh with one listener per behaviour
# on 127.0.0.x and a free port, talks to each with labclient.py and
# openssl s_client, checks the behaviour and the JSON log; then runs a
# real Postfix through postfix-lab.sh (skipped when not installed or not
# root) and checks STARTTLS and postfix-commands.sh.  Loopback only.

set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
lab=$srcdir/tests/lab
py=${PYTHON:-/usr/bin/python3}
client="$py $lab/labclient.py"

n=0
pass() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# t DESC CMD...: CMD's status decides.
t() {
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}

# has OUTPUT LINE...: every LINE is a whole line of OUTPUT.
has() {
	local o=$1 l
	shift
	for l in "$@"; do
		printf '%s\n' "$o" | grep -qxF -- "$l" || {
			diag "missing line: $l" "in:" "$o"
			return 1
		}
	done
}

# hasnt OUTPUT REGEX: no line of OUTPUT matches.
hasnt() {
	! printf '%s\n' "$1" | grep -qE -- "$2" || {
		diag "unexpected /$2/ in:" "$1"
		return 1
	}
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/labtest.XXXXXX") || exit 99
chmod 755 "$tmp"
st=$tmp/smtp
pf=$tmp/postfix
cleanup() {
	"$lab/smtp-lab.sh" stop "$st" >/dev/null 2>&1
	[ -d "$pf" ] && "$lab/postfix-lab.sh" stop "$pf" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# A port free on every address used below (the kernel picks one for
# 127.0.0.1; it is kept only if it binds on all of them).
port=$("$py" - <<'EOF'
import socket
addrs = ["127.0.0.%d" % i for i in range(1, 31)]
for _ in range(50):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    try:
        for a in addrs:
            b = socket.socket()
            b.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            b.bind((a, port))
            b.close()
    except OSError:
        continue
    print(port)
    break
EOF
)
[ -n "$port" ] || { echo "Bail out! no free port"; exit 99; }
diag "port $port, state in $tmp"

A=127.0.0
cat >"$tmp/lab.conf" <<EOF
# listener per behaviour
$A.2  ok cert=mx1.lab.test
$A.3  tarpit hold=5000
$A.4  refuse
$A.5  expired
$A.6  reset
$A.7  hugeline cert=mx1.lab.test
$A.8  banner421
$A.9  banner554
$A.10 multiline_banner cert=mx1.lab.test lines=4
$A.11 ehlo_reject
$A.12 nostarttls
$A.13 starttls_reject
$A.14 tls_fail
$A.15 tls_drop
$A.16 wrongname
$A.17 selfsigned
$A.18 slow_banner delay=1200 cert=mx1.lab.test
$A.19 endless pace=20
$A.20 drop_after_ehlo cert=mx1.lab.test
$A.21 ok cert=mx2.lab.test tls=1.2 no8bit noutf8 size=none banner="custom banner"
$A.22 ehlo_helo_reject code=500
$A.23 ok cert=mx1.lab.test   # hammered with junk
$A.24 tls_cut_handshake cert=mx1.lab.test
$A.25 tls_cut_handshake cert=mx1.lab.test cut=header
$A.26 tls_cut_reply cert=mx1.lab.test
$A.27 tls_cut_reply cert=mx1.lab.test cut=header
$A.28 tls_notify_ehlo cert=mx1.lab.test
EOF

# --- mkcerts.sh ----------------------------------------------------------
certs=$tmp/certs
t "mkcerts.sh makes CA and leaves" \
    "$lab/mkcerts.sh" "$certs" mx1.lab.test mx2.lab.test
v() { openssl verify -CAfile "$certs/ca.pem" "$certs/$1.pem" 2>&1; }
o=$(v mx1.lab.test)
t "leaf verifies against the lab CA" has "$o" "$certs/mx1.lab.test.pem: OK"
o=$(openssl x509 -in "$certs/mx2.lab.test.pem" -noout -ext subjectAltName)
t "leaf carries SAN dNSName" has "$o" "    DNS:mx2.lab.test"
o=$(v expired)
t "expired.pem is expired" has "$o" \
    "error 10 at 0 depth lookup: certificate has expired"
o=$(v selfsigned)
t "selfsigned.pem is not from the CA" has "$o" \
    "error 18 at 0 depth lookup: self-signed certificate"
o=$(v wrongname; openssl x509 -in "$certs/wrongname.pem" -noout \
    -ext subjectAltName)
t "wrongname.pem is valid for wrong.invalid" has "$o" \
    "$certs/wrongname.pem: OK" "    DNS:wrong.invalid"
sum1=$(cat "$certs"/*.pem | cksum)
s0=$(date +%s%N)
"$lab/mkcerts.sh" "$certs" mx2.lab.test mx1.lab.test
s1=$(date +%s%N)
sum2=$(cat "$certs"/*.pem | cksum)
t "mkcerts.sh rerun is a fast no-op" \
    test "$sum1" = "$sum2" -a $(((s1 - s0) / 1000000)) -lt 1000
"$lab/mkcerts.sh" "$certs" ../evil 2>/dev/null
t "mkcerts.sh refuses a bad name" test $? = 2

# --- faultsmtp.py config errors ------------------------------------------
badconf() {
	printf '%s\n' "$1" >"$tmp/bad.conf"
	o=$("$py" "$lab/faultsmtp.py" --config "$tmp/bad.conf" --port "$port" \
	    --log "$tmp/bad.log" --pidfile "$tmp/bad.pid" --certdir "$certs" \
	    2>&1)
	local rc=$?
	[ $rc = 1 ] && printf '%s\n' "$o" | grep -q "$2" &&
	    ! [ -e "$tmp/bad.pid" ] || {
		diag "rc=$rc: $o"
		return 1
	}
}
t "config: unknown behaviour refused" badconf "$A.2 bogus" \
    "unknown behaviour"
t "config: non-loopback address refused" badconf "192.0.2.1 ok cert=x" \
    "not a loopback"
t "config: ok without cert refused" badconf "$A.2 ok" "needs cert=NAME"
t "config: missing certificate named" badconf "$A.2 ok cert=nope" \
    "cannot load"
t "config: bad cut= refused" badconf "$A.2 tls_cut_reply cert=mx1.lab.test \
    cut=middle" "cut must be body or header"
t "config: duplicate address refused" \
    badconf "$(printf '%s\n' "$A.2 tarpit" "$A.2 reset")" "listed twice"

# --- start ---------------------------------------------------------------
s0=$(date +%s)
"$lab/smtp-lab.sh" start "$st" "$port" "$tmp/lab.conf"
rc=$?
t "smtp-lab.sh start" test $rc = 0
if [ $rc != 0 ]; then
	echo "Bail out! smtp lab did not start"
	exit 1
fi
diag "started in $(($(date +%s) - s0)) s"
ca=$st/certs/ca.pem
log=$st/smtp.log
o=$("$lab/smtp-lab.sh" start "$st" "$port" "$tmp/lab.conf" 2>&1)
t "second start is refused" has "$o" \
    "smtp-lab.sh: already running in $st (pid $(cat "$st/faultsmtp.pid"))"

# --- behaviours ----------------------------------------------------------
sess() { $client session "$@" --timeout 5; }

o=$(sess $A.2 "$port" --ca "$ca" --name mx1.lab.test)
t "ok: banner, EHLO, STARTTLS verified by the CA, EHLO, QUIT" has "$o" \
    banner=220 ehlo=250 \
    "ehlo_kw=STARTTLS SIZE 10240000 PIPELINING 8BITMIME SMTPUTF8 ENHANCEDSTATUSCODES" \
    starttls=220 tls=ok ehlo2=250 quit=221 \
    "ehlo2_kw=SIZE 10240000 PIPELINING 8BITMIME SMTPUTF8 ENHANCEDSTATUSCODES"
o=$(timeout 10 openssl s_client -connect $A.2:"$port" -starttls smtp \
    -CAfile "$ca" -verify_hostname mx1.lab.test -verify_return_error \
    </dev/null 2>&1)
t "ok: openssl s_client -starttls smtp verifies" has "$o" \
    "Verify return code: 0 (ok)"

o=$(sess $A.21 "$port" --ca "$ca" --name mx2.lab.test)
t "ok options: banner, no SIZE/8BITMIME/SMTPUTF8, TLS 1.2 cap" has "$o" \
    "ehlo_kw=STARTTLS PIPELINING ENHANCEDSTATUSCODES" tls=ok \
    version=TLSv1.2
o=$($client banner $A.21 "$port")
t "ok options: custom banner text" has "$o" "banner_text=220 custom banner"

s0=$(date +%s%N)
o=$($client banner $A.3 "$port" --timeout 1)
s1=$(date +%s%N)
t "tarpit: no banner within 1 s" has "$o" connect=ok banner=timeout
t "tarpit: client gave up after about 1 s" \
    test $(((s1 - s0) / 1000000)) -lt 3000

o=$($client banner $A.4 "$port")
t "refuse: connection refused" has "$o" connect=refused

o=$($client banner $A.6 "$port")
t "reset: connection reset" bash -c "printf '%s\n' \"\$1\" |
    grep -qE '^(banner=reset|connect_why=.*Connection reset)'" _ "$o"

o=$(sess $A.5 "$port" --ca "$ca" --name mx1.lab.test)
t "expired: certificate has expired" has "$o" starttls=220 \
    tls=verify-failed "verify_why=certificate has expired"
o=$(timeout 10 openssl s_client -connect $A.5:"$port" -starttls smtp \
    -CAfile "$ca" </dev/null 2>&1)
t "expired: s_client verify code 10" has "$o" \
    "Verify return code: 10 (certificate has expired)"

o=$(sess $A.16 "$port" --ca "$ca" --name mx1.lab.test)
t "wrongname: hostname mismatch" has "$o" tls=verify-failed \
    "verify_why=Hostname mismatch, certificate is not valid for 'mx1.lab.test'."

o=$(sess $A.17 "$port" --ca "$ca" --name mx1.lab.test)
t "selfsigned: not from the CA" has "$o" tls=verify-failed \
    "verify_why=self-signed certificate"

o=$($client hugeline $A.7 "$port" --timeout 5)
b=$(printf '%s\n' "$o" | sed -n 's/^line_bytes=//p')
t "hugeline: banner line over 1 MB ($b bytes)" test "${b:-0}" -gt 1048576

o=$($client banner $A.8 "$port")
t "banner421" has "$o" banner=421

o=$(sess $A.9 "$port")
t "banner554: then 503 until QUIT" has "$o" banner=554 ehlo=503 quit=221

o=$($client banner $A.10 "$port")
t "multiline_banner: 4 lines then 220" has "$o" banner=220 banner_lines=4

o=$(sess $A.11 "$port" --ca "$ca" --name mx1.lab.test)
t "ehlo_reject: EHLO 502, HELO 250, no STARTTLS" has "$o" \
    ehlo=502 helo=250 starttls=502 quit=221

o=$(sess $A.22 "$port")
t "ehlo_helo_reject: both 500" has "$o" ehlo=500 helo=500 quit=221

o=$(sess $A.12 "$port" --ca "$ca" --name mx1.lab.test)
t "nostarttls: not advertised, 502" has "$o" \
    "ehlo_kw=SIZE 10240000 PIPELINING 8BITMIME SMTPUTF8 ENHANCEDSTATUSCODES" \
    starttls=502

o=$(sess $A.13 "$port" --ca "$ca" --name mx1.lab.test)
t "starttls_reject: 454" has "$o" "ehlo_kw=STARTTLS SIZE 10240000 PIPELINING 8BITMIME SMTPUTF8 ENHANCEDSTATUSCODES" \
    starttls=454 quit=221

o=$(sess $A.14 "$port" --ca "$ca" --name mx1.lab.test)
t "tls_fail: 220 then handshake fails on an alert" has "$o" \
    starttls=220 tls=failed
t "tls_fail: alert seen by the client" bash -c "printf '%s\n' \"\$1\" |
    grep -q '^tls_why=.*HANDSHAKE_FAILURE'" _ "$o"

o=$(sess $A.15 "$port" --ca "$ca" --name mx1.lab.test)
t "tls_drop: 220 then closed mid-handshake" has "$o" starttls=220 \
    tls=failed

# The cut behaviours: the raw TLS bytes end inside a record whose header
# announces more (body cut: the header and half the length), or inside
# the 5-byte header itself.
tlscut() { $client tlscut "$@" --ca "$ca" --name mx1.lab.test --timeout 5; }
o=$(tlscut $A.24 "$port")
t "tls_cut_handshake: the ServerHello record cut in its body" bash -c \
    "printf '%s\n' \"\$1\" | grep -qx tls=failed &&
     printf '%s\n' \"\$1\" | grep -qx records=0 &&
     printf '%s\n' \"\$1\" | awk -F'[=/]' '/^cut=/ {
	exit !(\$2 > 5 && \$2 == 5 + int((\$3 - 5) / 2)) }'" _ "$o" ||
    diag "$o"
o=$(tlscut $A.25 "$port")
t "tls_cut_handshake cut=header: 3 bytes of the record header" has "$o" \
    tls=failed records=0 cut=3/5+
o=$(tlscut $A.26 "$port")
t "tls_cut_reply: handshake done, EHLO reply record cut in its body" \
    bash -c "printf '%s\n' \"\$1\" | grep -qx tls=ok &&
     printf '%s\n' \"\$1\" | awk -F'[=/]' '/^cut=/ {
	exit !(\$2 > 5 && \$2 == 5 + int((\$3 - 5) / 2)) }'" _ "$o" ||
    diag "$o"
o=$(tlscut $A.27 "$port")
t "tls_cut_reply cut=header: 3 bytes of the record header" has "$o" \
    tls=ok cut=3/5+
t "tls_cut_reply: no close_notify, no reply byte decrypted" has "$o" \
    data=0 close=eof
# A clean TLS shutdown instead of the reply: whole records, no byte of
# plaintext, then a close_notify alert.
o=$(tlscut $A.28 "$port")
t "tls_notify_ehlo: handshake done, close_notify instead of the reply" \
    has "$o" tls=ok cut=none data=0 close=notify

o=$($client banner $A.18 "$port")
secs=$(printf '%s\n' "$o" | sed -n 's/^banner_secs=//p')
t "slow_banner: 220 after ${secs:-?} s" bash -c \
    "printf '%s\n' \"\$1\" | grep -qx banner=220 &&
     awk 'BEGIN { exit !(${secs:-0} >= 1.1) }'" _ "$o"

o=$($client banner $A.19 "$port" --timeout 1)
lines=$(printf '%s\n' "$o" | sed -n 's/^banner_lines_seen=//p')
t "endless: banner never ends (${lines:-0} lines in 1 s)" \
    test "${lines:-0}" -ge 10

o=$(sess $A.20 "$port")
t "drop_after_ehlo: closed, EHLO unanswered" has "$o" banner=220 end=closed

# Junk must not kill the server: a 10 kB line, binary, a bare TLS hello.
"$py" - "$A.23" "$port" <<'EOF'
import socket, sys, time
a, p = sys.argv[1], int(sys.argv[2])
for junk in (b"A" * 10000, b"\x00\xff\xfe\r\n\x80\x81garbage\r\n",
             b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
             b"EHLO x\r\nSTARTTLS\r\nEHLO injected\r\n"):
    try:
        s = socket.create_connection((a, p), timeout=3)
        s.sendall(junk)
        time.sleep(0.05)
        s.recv(65536)
        s.close()
    except OSError:
        pass
# A client that vanishes at once.
s = socket.create_connection((a, p), timeout=3)
s.close()
EOF
o=$(sess $A.23 "$port" --ca "$ca" --name mx1.lab.test)
t "junk: server still serves" has "$o" tls=ok quit=221

# --- the log ---------------------------------------------------------------
sleep 0.3
t "log: JSON lines with t/addr/peer/event" "$py" - "$log" <<'EOF'
import json, sys
ok = True
for n, line in enumerate(open(sys.argv[1]), 1):
    r = json.loads(line)
    if not (isinstance(r["t"], float) and r["addr"].startswith("127.")
            and ":" in r["peer"]
            and r["event"] in ("connect", "command", "close")
            and (r["event"] != "command" or isinstance(r["line"], str))):
        print("# bad line %d: %s" % (n, line.strip()))
        ok = False
sys.exit(0 if ok else 1)
EOF
cmds() {
	"$py" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["addr"] == sys.argv[2] and r["event"] == "command":
        print(("tls " if r["tls"] else "") + r["line"].replace("\0", "?"))
' "$log" "$1"
}
o=$(cmds $A.2)
t "log: commands of the ok session, over TLS too" has "$o" \
    "EHLO client.lab.invalid" STARTTLS "tls EHLO client.lab.invalid" \
    "tls QUIT"
o=$(cmds $A.23)
t "log: junk recorded, injected command not run over TLS" has "$o" \
    "EHLO x" STARTTLS "EHLO injected"
t "log: injection after STARTTLS not seen as TLS" hasnt "$o" \
    "^tls EHLO injected"
o=$(cmds $A.26)
t "log: tls_cut_reply read the EHLO over TLS" has "$o" \
    "EHLO client.lab.invalid" STARTTLS "tls EHLO client.lab.invalid"
# closes DESC ADDR TLS WHY: the close record of ADDR says "tls": TLS and
# its "why" begins with WHY.
closes() {
	local o
	o=$(grep "\"$2\".*\"close\"" "$log")
	t "$1" grep -qF "\"tls\": \"$3\", \"why\": \"$4" <<<"$o"
}
closes "log: tls_cut_reply closes with TLS up and says what it cut" \
    $A.26 ok "cut the EHLO reply record after"
o=$(cmds $A.28)
t "log: tls_notify_ehlo read the EHLO over TLS" has "$o" \
    "EHLO client.lab.invalid" STARTTLS "tls EHLO client.lab.invalid"
closes "log: tls_notify_ehlo closes with TLS up after its close_notify" \
    $A.28 ok "sent close_notify"
closes "log: tls_cut_handshake closes with TLS failed" \
    $A.24 failed "cut the ServerHello record after"
o=$(grep "\"$A.3\"" "$log")
t "log: tarpit connection recorded" bash -c \
    "printf '%s\n' \"\$1\" | grep -q '\"event\": \"connect\"'" _ "$o"
o=$(grep "\"$A.19\"" "$log")
t "log: endless stopped when the client left" bash -c \
    "printf '%s\n' \"\$1\" | grep -q '\"why\": \"client gone'" _ "$o"

# --- stop ----------------------------------------------------------------
pid=$(cat "$st/faultsmtp.pid")
"$lab/smtp-lab.sh" stop "$st"
t "smtp-lab.sh stop: process gone, pidfile removed" bash -c \
    "! [ -e '$st/faultsmtp.pid' ] &&
     ! tr '\0' ' ' </proc/$pid/cmdline 2>/dev/null | grep -q faultsmtp"
o=$($client banner $A.2 "$port")
t "after stop: connection refused" has "$o" connect=refused

# --- postfix ---------------------------------------------------------------
pfaddr=$A.30
"$lab/postfix-lab.sh" start "$pf" $pfaddr "$port" \
    "$st/certs/mx1.lab.test.pem" "$st/certs/mx1.lab.test.key" "$ca" \
    mx1.lab.test 2>"$tmp/postfix.err"
rc=$?
if [ $rc = 77 ]; then
	why="postfix not installed"
	! grep -q "needs root" "$tmp/postfix.err" ||
	    why="needs root: the postfix lab starts Postfix's master"
	for _ in 1 2 3 4; do skip "$why"; done
else
	[ $rc = 0 ] || sed 's/^/# /' "$tmp/postfix.err"
	t "postfix-lab.sh start" test $rc = 0
	o=$(sess $pfaddr "$port" --ca "$ca" --name mx1.lab.test)
	t "postfix: STARTTLS verified by the lab CA" has "$o" \
	    banner=220 starttls=220 tls=ok ehlo2=250 quit=221
	sleep 0.5
	o=$("$lab/postfix-commands.sh" "$pf")
	t "postfix-commands.sh reports the commands" has "$o" \
	    "ehlo=2 starttls=1 quit=1 commands=4"
	mpid=$(tr -d ' ' <"$pf/queue/pid/master.pid" 2>/dev/null)
	"$lab/postfix-lab.sh" stop "$pf"
	t "postfix-lab.sh stop: no master left" bash -c \
	    "! tr '\0' ' ' </proc/${mpid:-0}/cmdline 2>/dev/null |
	     grep -q master"
fi

echo "1..$n"
