"""DNSSEC for the mxprobe lab: signed zones and a validating resolver.

Used by lab.py. Only the python3 standard library and Debian tools:
ldns-keygen and ldns-signzone (ldnsutils), unbound, unbound-checkconf.

  sign_zones(state_dir, zones)  signs each zone file state_dir/zones/
      ZONE.zone into ZONE.zone.signed with a key made now (ECDSA P-256,
      algorithm 13, one key with the SEP flag signing everything) kept in
      state_dir/keys; returns the trust anchors, one DS line per zone.
      Each entry is "ZONE [expired|wrongds]": with expired, the
      signatures are valid from 2020-01-01 to 2020-01-02 only (a zone
      never re-signed); with wrongds, the DS (trust anchor and parent
      record) is that of a second key that signs nothing (a key rolled
      without updating the DS). Returns (anchors, parent_ds): parent_ds
      maps each wrongds zone to the DS line the parent must publish.
  start_unbound(state_dir, port, nsd_port, anchors)  unbound on
      127.0.0.1 at port (the lab picks a free one) as a validating resolver: mxlab.test is a stub zone served
      by NSD at 127.0.0.1@nsd_port, each signed zone's DS is a trust
      anchor of its own (the parent mxlab.test stays unsigned: islands of
      trust), every other name is refused locally so that nothing leaves
      the machine. Returns (port, process) once it answers.
  tlsa_placeholders(text, certfile_for)  replaces {{spki-sha256 NAME}}
      and {{cert-sha256 NAME}} in a zone file with the hex SHA-256 of the
      SubjectPublicKeyInfo or of the whole certificate NAME (certfile_for
      maps NAME to a PEM file): TLSA data of certificates made at test
      time (RFC 6698 section 2.1, selector 1/0, matching type 1).

Why a resolver at all: the AD bit is set by a validating resolver (RFC
4035 section 3.2.3), never by an authoritative server, and mxprobe only
reads AD.
"""
import hashlib
import os
import re
import shutil
import socket
import subprocess
import time

UNBOUND = shutil.which("unbound",
                       path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))
CHECKCONF = shutil.which("unbound-checkconf",
                         path="/usr/sbin:/usr/bin:" +
                         os.environ.get("PATH", ""))
ALGORITHM = "ECDSAP256SHA256"  # 13: fast to make and to check


def _run(args, cwd=None):
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("%s failed: %s%s" % (args[0], p.stdout, p.stderr))
    return p.stdout


def sign_zones(state_dir, zones):
    """Sign state_dir/zones/ZONE.zone for each ZONE; return DS lines."""
    for tool in ("ldns-keygen", "ldns-signzone"):
        if not shutil.which(tool):
            raise SystemExit("%s not found: install ldnsutils" % tool)
    kdir = os.path.join(state_dir, "keys")
    os.makedirs(kdir, exist_ok=True)
    anchors = []
    parent_ds = {}
    for entry in zones:
        words = entry.split()
        zone = words[0].rstrip(".")
        opts = words[1:]
        zfile = os.path.join(state_dir, "zones", zone + ".zone")
        if not os.path.exists(zfile):
            raise SystemExit("dnssec: no zone file for %s" % zone)
        # -k: a key signing key (flags 257); used alone it signs the
        # whole zone (a combined signing key).
        base = _run(["ldns-keygen", "-a", ALGORITHM, "-k", zone],
                    cwd=kdir).strip()
        key = os.path.join(kdir, base)
        dates = []
        if "expired" in opts:
            dates = ["-i", "20200101000000", "-e", "20200102000000"]
        _run(["ldns-signzone"] + dates + ["-o", zone, zfile, key])
        if not os.path.exists(zfile + ".signed"):
            raise SystemExit("dnssec: ldns-signzone wrote no %s.signed"
                             % zfile)
        dsfile = key + ".ds"
        if "wrongds" in opts:
            other = _run(["ldns-keygen", "-a", ALGORITHM, "-k", zone],
                         cwd=kdir).strip()
            dsfile = os.path.join(kdir, other) + ".ds"
        with open(dsfile) as f:
            ds = " ".join(f.read().split())
        if " DS " not in ds:
            raise SystemExit("dnssec: no DS for %s: %r" % (zone, ds))
        anchors.append(ds)
        if "wrongds" in opts:
            parent_ds[zone] = ds
    return anchors, parent_ds


def unbound_conf(state_dir, port, nsd_port, anchors):
    """The configuration text (separate for the lab's self-test)."""
    hints = os.path.join(state_dir, "root.hints")
    with open(hints, "w") as f:
        # Never used (the root is refused below); a root hints file on
        # loopback keeps unbound from knowing any address on the
        # internet even if it tried.
        f.write(".\t3600000\tIN\tNS\tlocalhost.\n"
                "localhost.\t3600000\tIN\tA\t127.0.0.1\n")
    c = [
        "server:",
        "  interface: 127.0.0.1",
        "  port: %d" % port,
        "  do-ip6: no",
        '  username: ""',
        '  chroot: ""',
        "  directory: \"%s\"" % state_dir,
        "  pidfile: \"%s\"" % os.path.join(state_dir, "unbound.pid"),
        "  logfile: \"%s\"" % os.path.join(state_dir, "unbound.log"),
        "  use-syslog: no",
        "  verbosity: 1",
        "  val-log-level: 2",
        "  num-threads: 1",
        "  so-reuseport: no",
        "  module-config: \"validator iterator\"",
        "  root-hints: \"%s\"" % hints,
        "  do-not-query-localhost: no",
        "  access-control: 127.0.0.0/8 allow",
        # Nothing but the lab resolves: the root is refused here, the
        # lab's tree is passed on to the stub (NSD).
        '  local-zone: "." refuse',
        '  local-zone: "mxlab.test." transparent',
    ]
    for a in anchors:
        c.append('  trust-anchor: "%s"' % a)
    c += [
        "remote-control:",
        "  control-enable: no",
        "stub-zone:",
        '  name: "mxlab.test."',
        "  stub-addr: 127.0.0.1@%d" % nsd_port,
        "  stub-no-cache: yes",
    ]
    return "\n".join(c) + "\n"


def _query(port, name, qtype=6):
    """One UDP question with RD and AD set; returns the answer or None."""
    q = b"\xab\xcd\x01\x20\x00\x01\x00\x00\x00\x00\x00\x00"
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\x00" + qtype.to_bytes(2, "big") + b"\x00\x01"
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.3)
    try:
        s.sendto(q, ("127.0.0.1", port))
        r = s.recv(4096)
        return r if r[:2] == b"\xab\xcd" else None
    except OSError:
        return None
    finally:
        s.close()


def start_unbound(state_dir, port, nsd_port, anchors, probe="mxlab.test"):
    """Start unbound on PORT; return (port, Popen) once it answers (10 s)."""
    if not UNBOUND:
        raise SystemExit("unbound not found: install the unbound package")
    cf = os.path.join(state_dir, "unbound.conf")
    with open(cf, "w") as f:
        f.write(unbound_conf(state_dir, port, nsd_port, anchors))
    if CHECKCONF:
        chk = subprocess.run([CHECKCONF, cf], capture_output=True,
                             text=True)
        if chk.returncode != 0:
            raise SystemExit("unbound.conf: " + chk.stdout + chk.stderr)
    p = subprocess.Popen([UNBOUND, "-d", "-c", cf],
                         stdout=open(os.path.join(state_dir,
                                                  "unbound.out"), "w"),
                         stderr=subprocess.STDOUT)
    deadline = time.time() + 10
    while time.time() < deadline:
        if p.poll() is not None:
            raise SystemExit("unbound exited; see %s/unbound.log"
                             % state_dir)
        r = _query(port, probe)
        if r is not None and (r[3] & 0xf) == 0:
            return port, p
        time.sleep(0.1)
    p.terminate()
    p.wait()
    raise SystemExit("unbound did not answer; see %s/unbound.log"
                     % state_dir)


def _der(certfile, what):
    if what == "cert":
        return subprocess.run(["openssl", "x509", "-in", certfile,
                               "-outform", "DER"], capture_output=True,
                              check=True).stdout
    # openssl x509 -pubkey | openssl pkey -pubin -outform DER
    pem = subprocess.run(["openssl", "x509", "-in", certfile, "-noout",
                          "-pubkey"], capture_output=True,
                         check=True).stdout
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"],
                          input=pem, capture_output=True,
                          check=True).stdout


PLACEHOLDER = re.compile(r"\{\{(spki|cert)-sha256 ([A-Za-z0-9._*-]+)\}\}")


def tlsa_placeholders(text, certfile_for):
    """Replace the TLSA data placeholders in a zone file's text."""
    def sub(m):
        der = _der(certfile_for(m.group(2)), m.group(1))
        return hashlib.sha256(der).hexdigest()
    return PLACEHOLDER.sub(sub, text)


def make_cert(certdir, name):
    """A throwaway self-signed EC certificate for NAME (when the SMTP lab
    made none): certdir/NAME.pem and .key. Returns the PEM path."""
    os.makedirs(certdir, exist_ok=True)
    pem = os.path.join(certdir, name + ".pem")
    if not os.path.exists(pem):
        _run(["openssl", "req", "-x509", "-newkey", "ec",
              "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", os.path.join(certdir, name + ".key"),
              "-out", pem, "-days", "30", "-subj", "/CN=" + name,
              "-addext", "subjectAltName=DNS:" + name])
    return pem
