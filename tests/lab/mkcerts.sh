#!/bin/sh
#
# mkcerts.sh - certificates for the mxprobe SMTP test lab.
#
# Usage: mkcerts.sh OUTDIR NAME...
#
# Writes into OUTDIR (created if missing, mode 0755; keys 0600):
#   ca.pem ca.key             lab CA (EC P-256, 10 years)
#   NAME.pem NAME.key         leaf for each NAME: SAN dNSName=NAME,
#                             issued by the lab CA, valid for 10 years
#   expired.pem expired.key   issued by the lab CA, SAN = every NAME,
#                             valid only from 2020-01-01 to 2020-02-01
#   wrongname.pem .key        issued by the lab CA, valid, for wrong.invalid
#   selfsigned.pem .key       self-signed, SAN = every NAME, not from the CA
#   inter.pem inter.key       an intermediate CA issued by the lab CA
#   leafonly.pem .key         issued by the intermediate, SAN = every NAME;
#                             the file holds the leaf alone (a server that
#                             forgets the intermediate)
#
# Each bad certificate carries exactly one fault: the expired one and the
# self-signed one name every NAME, so a client that checks them finds
# nothing wrong but the expiry or the issuer.
#
# Idempotent: the CA is kept once made; if OUTDIR/names already lists the
# same NAMEs and every file is present, nothing is done.  Otherwise the
# leaves are made again (fast: EC keys).
#
# NAME must be a DNS name (letters, digits, '-', '.', optional leading
# "*."); anything else is refused, since it also becomes a file name.
#
# Exit status: 0 done, 2 usage, 1 openssl failed.

set -eu

prog=mkcerts.sh
usage() {
	echo "usage: $prog OUTDIR NAME..." >&2
	exit 2
}

[ $# -ge 2 ] || usage
out=$1
shift

for n in "$@"; do
	case $n in
	ca|expired|wrongname|selfsigned|inter|leafonly|names)
		echo "$prog: reserved name: $n" >&2; exit 2 ;;
	esac
	if ! printf '%s\n' "$n" |
	    grep -Eq '^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$'
	then
		echo "$prog: not a DNS name: $n" >&2
		exit 2
	fi
done

command -v openssl >/dev/null 2>&1 || {
	echo "$prog: openssl not found" >&2
	exit 1
}

mkdir -p "$out"
chmod 755 "$out"

# Sorted, unique list of names: the stamp that makes a rerun a no-op.
stamp=$(printf '%s\n' "$@" | sort -u)

uptodate=yes
[ -f "$out/names" ] && [ "$(cat "$out/names")" = "$stamp" ] || uptodate=no
for f in ca expired wrongname selfsigned inter leafonly $stamp; do
	[ -s "$out/$f.pem" ] && [ -s "$out/$f.key" ] || uptodate=no
done
[ $uptodate = yes ] && exit 0

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkcerts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

log=$tmp/openssl.log
run() {
	if ! "$@" >>"$log" 2>&1; then
		echo "$prog: failed: $*" >&2
		cat "$log" >&2
		exit 1
	fi
}

newkey() {
	run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$1"
	chmod 600 "$1"
}

# SAN value listing every given name.
allsan=
for n in $stamp; do
	allsan="${allsan:+$allsan,}DNS:$n"
done

# Extension sections for leaves; SAN is substituted per certificate.
leafext() {
	cat >"$tmp/ext.cnf" <<EOF
[req]
distinguished_name = dn
[dn]
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $1
[self]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
subjectAltName = $1
EOF
}

# CA: kept across runs so that certificates already handed out stay valid.
if ! [ -s "$out/ca.pem" ] || ! [ -s "$out/ca.key" ]; then
	newkey "$tmp/ca.key"
	run openssl req -x509 -new -key "$tmp/ca.key" -sha256 -days 3650 \
	    -subj "/O=mxprobe lab/CN=mxprobe lab CA" \
	    -addext "basicConstraints=critical,CA:TRUE" \
	    -addext "keyUsage=critical,keyCertSign,cRLSign" \
	    -addext "subjectKeyIdentifier=hash" \
	    -out "$tmp/ca.pem"
	mv "$tmp/ca.key" "$out/ca.key"
	mv "$tmp/ca.pem" "$out/ca.pem"
fi

serial=$(date +%s)
# leaf NAME-FILE SAN CN: valid leaf from the lab CA
leaf() {
	newkey "$tmp/$1.key"
	leafext "$2"
	run openssl req -new -key "$tmp/$1.key" -subj "/O=mxprobe lab/CN=$3" \
	    -out "$tmp/$1.csr"
	serial=$((serial + 1))
	run openssl x509 -req -in "$tmp/$1.csr" -CA "$out/ca.pem" \
	    -CAkey "$out/ca.key" -set_serial "$serial" -sha256 -days 3650 \
	    -extfile "$tmp/ext.cnf" -extensions leaf -out "$tmp/$1.pem"
	mv "$tmp/$1.key" "$out/$1.key"
	mv "$tmp/$1.pem" "$out/$1.pem"
}

for n in $stamp; do
	leaf "$n" "DNS:$n" "$n"
done
leaf wrongname DNS:wrong.invalid wrong.invalid

# Expired: `openssl x509 -req` cannot back-date, `openssl ca` can.
first=$(printf '%s\n' "$stamp" | head -n 1)
newkey "$tmp/expired.key"
leafext "$allsan"
run openssl req -new -key "$tmp/expired.key" \
    -subj "/O=mxprobe lab/CN=$first" -out "$tmp/expired.csr"
mkdir "$tmp/ca"
: >"$tmp/ca/index.txt"
printf '%X\n' $((serial + 1)) | sed 's/^\(.\(..\)*\)$/0\1/' >"$tmp/ca/serial"
cat >"$tmp/ca.cnf" <<EOF
[ca]
default_ca = lab
[lab]
dir = $tmp/ca
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
organizationName = optional
commonName = supplied
EOF
run openssl ca -batch -notext -config "$tmp/ca.cnf" \
    -cert "$out/ca.pem" -keyfile "$out/ca.key" \
    -startdate 20200101000000Z -enddate 20200201000000Z \
    -extfile "$tmp/ext.cnf" -extensions leaf \
    -in "$tmp/expired.csr" -out "$tmp/expired.pem"
mv "$tmp/expired.key" "$out/expired.key"
mv "$tmp/expired.pem" "$out/expired.pem"

# Self-signed: its own issuer, never chained to the lab CA.
newkey "$tmp/selfsigned.key"
leafext "$allsan"
run openssl req -x509 -new -key "$tmp/selfsigned.key" -sha256 -days 3650 \
    -subj "/O=mxprobe lab self-signed/CN=$first" \
    -config "$tmp/ext.cnf" -extensions self -out "$tmp/selfsigned.pem"
mv "$tmp/selfsigned.key" "$out/selfsigned.key"
mv "$tmp/selfsigned.pem" "$out/selfsigned.pem"

# Intermediate CA, and a leaf it issued whose file lacks it.
newkey "$tmp/inter.key"
run openssl req -new -key "$tmp/inter.key" \
    -subj "/O=mxprobe lab/CN=mxprobe lab intermediate" -out "$tmp/inter.csr"
cat >"$tmp/inter.cnf" <<EOF
[inter]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
serial=$((serial + 1))
run openssl x509 -req -in "$tmp/inter.csr" -CA "$out/ca.pem" \
    -CAkey "$out/ca.key" -set_serial "$serial" -sha256 -days 3650 \
    -extfile "$tmp/inter.cnf" -extensions inter -out "$tmp/inter.pem"
newkey "$tmp/leafonly.key"
leafext "$allsan"
run openssl req -new -key "$tmp/leafonly.key" \
    -subj "/O=mxprobe lab/CN=$first" -out "$tmp/leafonly.csr"
serial=$((serial + 1))
run openssl x509 -req -in "$tmp/leafonly.csr" -CA "$tmp/inter.pem" \
    -CAkey "$tmp/inter.key" -set_serial "$serial" -sha256 -days 3650 \
    -extfile "$tmp/ext.cnf" -extensions leaf -out "$tmp/leafonly.pem"
for f in inter leafonly; do
	mv "$tmp/$f.key" "$out/$f.key"
	mv "$tmp/$f.pem" "$out/$f.pem"
done

printf '%s\n' "$stamp" >"$out/names"
exit 0
