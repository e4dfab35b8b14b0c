#!/usr/bin/python3
"""The mxprobe test lab: real daemons on loopback, scenarios asserted.

  lab.py check [NAME...]   start the lab, run the scenarios, print TAP, stop
  lab.py compare OLD [NAME...]  every run with this build and with the
                           mxprobe binary OLD in one lab: what differs
  lab.py demo NAME...      start the lab, print mxprobe's text report for
                           each scenario, stop
  (MXPROBE_LAB_KEEP=1 keeps the state directory, logs included, after a
  check; it is kept anyway when a check fails.)

Each scenario is a directory tests/lab/scenarios/NAME/ with
  zone     the zone file of NAME.mxlab.test, as an administrator writes it
  smtp     optional: SMTP listeners it needs, "ADDR BEHAVIOUR [k=v...]"
           (tests/lab/faultsmtp.py behaviours)
  https/   optional: the document root of https://mta-sts.NAME.mxlab.test
           (an MTA-STS policy at https/.well-known/mta-sts.txt, with
           httpsd.py's side files: .status, .redirect, .ctype, .hang),
           served on the 127.0.0.x address the zone gives mta-sts with
           a certificate for mta-sts.NAME.mxlab.test from the lab's CA
  https.name  optional: the DNS name the policy host's certificate
           carries instead (a certificate for the wrong host)
  dnssec   optional: zones to sign, one name a line (tests/lab/dnssec.py:
           a key made at lab start; its DS is a trust anchor of the lab's
           validating unbound), a scenario zone or one of tests/lab/zones/;
           after the name, "expired" signs it with signatures that
           expired in 2020, "wrongds" gives it a DS (trust anchor and
           a record in the parent) of a key that signs nothing
           (dnssec.py)
  expect   what mxprobe must say: one assertion per line; several runs
           of mxprobe are separated by a line "---"
             args ARGS...        extra mxprobe arguments (shell words)
             domain NAME         probe NAME instead of NAME.mxlab.test
             exit N              the exit status
             finding CODE [SUBJECT]   a finding with this code is raised
             nofinding CODE      no finding with this code
             json PATH VALUE     JSON value at PATH (a.b[0].c; .length)
             stderr REGEX        stderr matches
             stdout REGEX        stdout matches (with "args --text")
             nostdout REGEX      stdout does not match
             maxwidth N          no stdout line is wider than N terminal
                                 columns (East Asian Wide and Fullwidth
                                 characters count 2), but for a line
                                 that is one token alone after its indent
                                 or a record ("v=...", never folded)
             jsonl N             stdout is N lines of JSON (--batch)
             points CODE N       the findings CODE cost N score points
             count CODE N        exactly N findings with this code
             wall SECONDS        mxprobe exits within SECONDS (wall time)
             maxrss MB           mxprobe's peak resident memory stays
                                 under MB (os.wait4's ru_maxrss)
             rlimit-nofile N     run mxprobe with RLIMIT_NOFILE at N
             connects ADDR N     the fault server on ADDR logged N
                                 connections during this run
             max-concurrent ADDR N  the most connections the fault
                                 server on ADDR had open at once during
                                 this run (its connect and close events)
                                 was exactly N
             same-stdout LABEL   stdout is that of run LABEL (NAME/N),
                                 durations masked
           In args, {dir} is the scenario's directory and {blackhole}
           a resolver address (127.0.0.1:PORT) that never answers, {dnsport}
           the lab NSD's port, {hostile} the hostile DNS responder
           (tests/lab/hostiledns.py, UDP and TCP) and {hostile_udponly}
           its UDP-only address (no TCP retry of a truncated answer), {nsport}
           the port of the --propagation name servers (below).
             nojson              stdout is not JSON (usage errors)
             class C             the delivery class the score gives this
                                 run (score.class: outage, degraded,
                                 hygiene); after every scenario, every
                                 outage must score below every
                                 degradation, below every hygiene run
             rank-below LABEL    this run scores below run LABEL (a
                                 scenario name, or NAME/N for run N),
                                 which has a class assertion
             nostderr REGEX      stderr does not match
             stderr-line REGEX   a line of stderr matches (^ and $ at
                                 each line: the -v trace)
             nostderr-line REGEX no line of stderr matches
             line N REGEX        stdout's line N (from 1) matches
             signal SIG S        send SIG (INT, TERM) S seconds after the
                                 start, stdout unread until then (a
                                 full pipe); repeatable
             head N              read N lines of stdout, then close it
             kill-worker SIG S   send SIG (KILL, SEGV, STOP...) S seconds
                                 after the start to mxprobe's first
                                 child process (the --jobs worker with
                                 the lowest pid); there must be one
             children N S        S seconds after the start mxprobe has N
                                 child processes (its --jobs workers),
                                 none a zombie; and none of them is left
                                 once mxprobe has exited
             within S            mxprobe exits within S seconds
             postfix-commands REGEX  the lab Postfix logged these counts
             resolver validating  ask the lab's validating unbound (which
                                 sets AD for the signed zones) instead
                                 of NSD
             env NAME=VALUE      run mxprobe with this environment
                                 variable (env LANG=ja_JP.UTF-8: the
                                 Japanese messages; the run is skipped,
                                 visibly, where that locale is missing).
                                 Otherwise mxprobe runs in the C locale,
                                 with the build tree's message catalogues
                                 (MXPROBE_LOCALEDIR, tests/locale)
  netns    optional: run this scenario's runs in a fresh network namespace
           (`unshare -n`, only lo up: no route but to 127.0.0.0/8 and ::1)
           with an NSD of its own serving the lab's zones on the same port
           and, if the scenario has an smtp file, a fault server of its own
           (the lab's do not listen for it). For zones that name global
           addresses (2001:db8::/32, 192.0.2.0/24): before the runs the lab
           asserts that the namespace has no route to each of them, so
           nothing can leave even on a host with a route (CI on the host's
           network). mxprobe gets --allow-documentation there (and
           nowhere else: a run outside a namespace that asks for it
           fails). Without the privilege to make a namespace, every run
           is a SKIP with the reason. The file holds comments and
           lines "route PREFIX": a route to PREFIX via lo in the
           namespace (to make the vantage check find a route).
  postfix  optional: "ADDR NAME [POLICY]": a real Postfix on ADDR for this scenario
           (POLICY reject, the default, or relay-denied: postfix-lab.sh)
           (skipped, visibly, where Postfix is not installed)

Zone files may hold TLSA data of certificates made at lab start:
{{spki-sha256 NAME}} / {{cert-sha256 NAME}} become the hex SHA-256 of
the SubjectPublicKeyInfo / the DER certificate of NAME (as `openssl x509
-pubkey | openssl pkey -pubin -outform DER | sha256sum`), where NAME's
certificate is the SMTP lab's (STATE/smtp/certs/NAME.pem, so the SMTP lab
starts before NSD) or, without one, a throwaway self-signed one made for
it (STATE/dane-certs). Signing happens after that substitution.


The daemons: NSD serves every scenario zone plus the zones in
tests/lab/zones/ (ORIGIN.zone: the parent zone mxlab.test, reverse DNS
and a few zones outside it) on 127.0.0.1 at a free port (a zone
configured without a zone file makes NSD answer SERVFAIL:
servfail.mxlab.test). mxprobe runs with --resolver 127.0.0.1:PORT
--smtp-port SPORT --allow-loopback. When a scenario has https/, every
policy host listens on one port HPORT and mxprobe gets --https-port HPORT
and --ca-file with the lab CA (joined with the SMTP lab's CA when both
exist). No address outside 127.0.0.0/8 is ever connected to.

For --propagation, two more NSD processes (start_prop_dns) listen on
127.0.0.53 and 127.0.0.54 at one free port: the name servers
propns1/propns2.mxlab.test that the parent zone delegates prop.mxlab.test
and propok.mxlab.test to. prop.mxlab.test differs between them
(scenarios/prop/ns1.zone, ns2.zone); propok.mxlab.test is the same on
both and on the lab's NSD (scenarios/propok/zone). propsplit.mxlab.test,
propsplit-ok.mxlab.test and propwide.mxlab.test differ between them too
(their ns1.zone, ns2.zone; PROP_SPLIT), and the lab's NSD serves the new
copy (their zone), which the probe itself resolves: the other copy's
exchangers are probed on port 25 as well.

compare runs every run of every scenario but the netns ones, as JSON
and, for a JSON run outside --batch, as text too, with both binaries at
once, in one lab. Two runs are the same when exit status, stdout and
stderr are equal after these rules (mask, canon), and only these; the
rest is compared exactly:
  masked, in every language and format (MASKS)
    - the JSON time of the check ("checked_at") and the measured
      durations connect_ms, banner_ms, ehlo_ms, tls_ms, total_ms,
      elapsed_ms, waited_ms (timeout_ms and step_ms echo options: exact)
    - every number of milliseconds in text: "N ms", "Nms" (Nagios
      perfdata, the -vv clock), "N milliseconds", "N ミリ秒" (this also
      blinds the configured limits that messages quote in ms)
    - measured seconds: the --batch summary "in N s" / "所要 N 秒", the
      progress rate and ETA ("N/s", "ETA N s" / "毎秒 N 件", "残り約 N
      秒"), the --wait time ("after N checks in N s", "After N s and N
      checks" / "確認 N 回、N 秒", "N 秒、N 回確認"; the number of
      checks is compared) (seconds of TTLs, max_age and options are
      not masked); the -vv clock with its padding ("+   12ms ")
    - dropped: the line "everywhere after 1 check in 0 s" (ja "すべてに
      反映済み (確認 1 回、0 秒)"), printed when a --wait that agreed at
      once took a millisecond or more, and not when it took less
    - random names: the wildcard probe label mxprobe-wildcard-HEX and
      the --rcpt test address's local part, 16 lowercase hex digits
      ("HEX@domain" anywhere: JSON, findings, trace, server replies)
  order compared as a set, where the DNS server chose it
    - the records of every JSON "tlsa" object (mx[].tlsa.records) and the
      TLSA record lines of the text report's DANE section: listed in
      answer order, which the validating unbound shuffles
      (dane-usage01); JSON is compared re-indented after that sort and,
      for its layout, as a multiset of its masked lines
    - with -v, -vv or --parallel above 1: stderr as a multiset of lines
      (the trace follows the order answers arrive in), each "-> OK N
      answers: a, b" with its answers sorted
    - with --jobs above 1: the same, after cutting each line where
      another worker's record starts inside it (RECORD_START: the
      workers share an unbuffered stderr, a line's text and its newline
      are separate writes)
  Everything else counts: the order of findings, of JSON keys and of
  every other array, text layout, stderr without -v. A pair that differs
  is run again, up to COMPARE_TRIES (3) times in all, and reported
  (DIFFERS) only when every attempt differs; one that became the same on
  a retry is listed as FLAKY and counted apart (a race in mxprobe or the
  lab, e.g. the reset scenario's connection reset before mxprobe read
  its local address, which then has no "from" line): a changed report
  differs every time. Exit 1 if any run differs.
"""
import concurrent.futures
import difflib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import unicodedata
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dnssec  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "scenarios")
BUILD = os.environ.get("top_builddir", os.path.join(HERE, "..", ".."))
MXPROBE = os.environ.get("MXPROBE", os.path.join(BUILD, "src", "mxprobe"))
OPENSSL = shutil.which("openssl")
HTTPSD = os.path.join(HERE, "httpsd.py")
HOSTILEDNS = os.path.join(HERE, "hostiledns.py")
HOSTILE_ADDRS = ("127.0.0.200", "127.0.0.201")
NSD = shutil.which("nsd", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))



def columns(line):
    """Terminal columns of a line: East Asian Wide and Fullwidth are 2,
    combining marks 0 (the report's own util/width rules, roughly)."""
    w = 0
    for ch in line:
        if unicodedata.combining(ch):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w

def free_port():
    """A port free on 127.0.0.1 for both UDP and TCP."""
    for _ in range(50):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", 0))
        port = t.getsockname()[1]
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            u.bind(("127.0.0.1", port))
        except OSError:
            t.close()
            continue
        t.close()
        u.close()
        return port
    raise RuntimeError("no free port")


def free_port_on(addrs):
    """A port free for UDP and TCP on every one of addrs."""
    for _ in range(50):
        port = free_port()
        socks = []
        try:
            for a in addrs:
                for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
                    s = socket.socket(socket.AF_INET, kind)
                    socks.append(s)
                    s.bind((a, port))
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free port on %s" % ", ".join(addrs))


# Scenarios with an ns1.zone and ns2.zone of their own for propns1 and
# propns2 (start_prop_dns); the lab's NSD serves their zone file.
PROP_SPLIT = ("propsplit", "propsplit-ok", "propwide")


def nsd_conf(state, listen, port, zones):
    """nsd.conf for one NSD serving zones {name: zone file} on listen."""
    conf = ["server:"]
    conf += ["  ip-address: %s@%d" % (a, port) for a in listen]
    conf += [
        "  port: %d" % port,
        "  do-ip6: no",
        '  username: ""',
        '  chroot: ""',
        "  zonesdir: %s" % state,
        "  pidfile: %s/nsd.pid" % state,
        '  database: ""',
        "  xfrdfile: %s/xfrd.state" % state,
        "  xfrdir: %s" % state,
        "  zonelistfile: %s/zone.list" % state,
        "  logfile: %s/nsd.log" % state,
        "  server-count: 1",
        "  verbosity: 1",
        "  hide-version: yes",
        "remote-control:",
        "  control-enable: no",
    ]
    for name, path in sorted(zones.items()):
        shutil.copy(path, os.path.join(state, name + ".zone"))
        conf += ["zone:", "  name: %s" % name,
                 "  zonefile: %s.zone" % name]
    return "\n".join(conf) + "\n"


def dns_answers(addr, port, zone=b"\x05mxlab\x04test", secs=5):
    """Whether the name server at addr:port answers a query for zone's
    SOA within secs."""
    q = (b"\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" +
         zone + b"\x00\x00\x06\x00\x01")
    deadline = time.time() + secs
    while time.time() < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
        try:
            s.sendto(q, (addr, port))
            r = s.recv(4096)
            if r[:2] == b"\x12\x34" and (r[3] & 0xf) == 0:
                return True
        except OSError:
            pass
        finally:
            s.close()
        time.sleep(0.05)
    return False


def stop_procs(procs):
    """SIGTERM to each process still running, SIGKILL after 5 s."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def is_netns(name):
    """The scenario runs in a fresh network namespace (its netns file)."""
    return os.path.exists(os.path.join(SCEN, name, "netns"))


def scenarios(names=None):
    all_ = sorted(d for d in os.listdir(SCEN)
                  if os.path.isdir(os.path.join(SCEN, d)))
    if names:
        missing = [n for n in names if n not in all_]
        if missing:
            raise SystemExit("unknown scenario(s): " + " ".join(missing))
        return names
    return all_


def with_named(selected):
    """The selected scenarios and every scenario whose domain the files
    of a selected one name (a --batch list of other scenarios' domains
    needs their listeners too), transitively."""
    all_ = set(scenarios())
    out, todo = list(selected), list(selected)
    while todo:
        d = os.path.join(SCEN, todo.pop())
        for fn in os.listdir(d):
            f = os.path.join(d, fn)
            if fn == "zone" or not os.path.isfile(f):
                continue
            text = open(f, encoding="utf-8", errors="replace").read()
            for m in re.findall(r"\b([a-z0-9-]+)\.mxlab\.test\b", text):
                if m in all_ and m not in out:
                    out.append(m)
                    todo.append(m)
    return out


class Lab:
    def __init__(self, state, selected=None):
        self.state = state
        self.selected = with_named(selected) if selected else scenarios()
        self.dns_port = None
        self.smtp_port = None
        self.https_port = None
        self.https_ca = None
        self.blackhole = None
        self.resolver_port = None
        self.hostile_port = None
        self.procs = []

    # -- DNSSEC and TLSA data ------------------------------------------
    def certfile(self, name):
        """The PEM of certificate NAME for TLSA data (see the docstring)."""
        smtp = os.path.join(self.state, "smtp", "certs", name + ".pem")
        if os.path.exists(smtp):
            return smtp
        return dnssec.make_cert(os.path.join(self.state, "dane-certs"),
                                name)

    def signed_zones(self):
        """Every scenario's `dnssec` zones: all zones are served, so all
        that should be signed are (a key and a signature take ms)."""
        zones = []
        for n in scenarios():
            f = os.path.join(SCEN, n, "dnssec")
            if not os.path.exists(f):
                continue
            for ln in open(f):
                ln = ln.split("#", 1)[0].strip().lower()
                if ln:
                    zones.append(ln)
        return zones

    def wants_resolver(self):
        """A selected scenario asks the validating resolver."""
        for n in self.selected:
            f = os.path.join(SCEN, n, "expect")
            if os.path.exists(f) and any(
                    ln.split() == ["resolver", "validating"]
                    for ln in open(f)):
                return True
        return False

    # -- NSD ---------------------------------------------------------
    def start_dns(self):
        if not NSD:
            raise SystemExit("nsd not found: install the nsd package")
        zdir = os.path.join(self.state, "zones")
        os.makedirs(zdir, exist_ok=True)
        self.dns_port = free_port()
        conf = [
            "server:",
            "  ip-address: 127.0.0.1@%d" % self.dns_port,
            "  port: %d" % self.dns_port,
            "  do-ip6: no",
            '  username: ""',
            '  chroot: ""',
            "  zonesdir: %s" % zdir,
            "  pidfile: %s/nsd.pid" % self.state,
            '  database: ""',
            "  xfrdfile: %s/xfrd.state" % self.state,
            "  xfrdir: %s" % self.state,
            "  zonelistfile: %s/zone.list" % self.state,
            "  logfile: %s/nsd.log" % self.state,
            "  server-count: 1",
            "  verbosity: 1",
            "  hide-version: yes",
            "remote-control:",
            "  control-enable: no",
        ]
        signed = self.signed_zones()
        signed_names = [ln.split()[0].rstrip(".") for ln in signed]
        # The lab's own zones: the parent mxlab.test and reverse DNS.
        lab_zones = []
        for zf in sorted(os.listdir(os.path.join(HERE, "zones"))):
            if not zf.endswith(".zone"):
                continue
            shutil.copy(os.path.join(HERE, "zones", zf), zdir)
            lab_zones.append(zf[:-5])
            conf += ["zone:", "  name: %s" % zf[:-5],
                     "  zonefile: %s%s" % (zf, ".signed" if zf[:-5]
                                           in signed_names else "")]
        served = []
        for n in scenarios():
            z = os.path.join(SCEN, n, "zone")
            if not os.path.exists(z):
                continue
            with open(z) as f:
                text = dnssec.tlsa_placeholders(f.read(), self.certfile)
            with open(os.path.join(zdir, n + ".mxlab.test.zone"), "w") as f:
                f.write(text)
            served.append(n + ".mxlab.test")
        for z in signed_names:
            if z not in served and z not in lab_zones:
                raise SystemExit("dnssec: %s is not a lab zone" % z)
        self.anchors, parent_ds = dnssec.sign_zones(self.state, signed)
        # A wrong DS is published where resolvers ask for it: in the
        # parent zone, at a delegation to the child (unsigned parent:
        # the child's trust anchor is the same DS).
        if parent_ds:
            with open(os.path.join(zdir, "mxlab.test.zone"), "a") as f:
                for z, ds in sorted(parent_ds.items()):
                    w = ds.split()
                    f.write("%s.\t3600\tIN\tNS\tns1.mxlab.test.\n"
                            "%s.\t3600\tIN\tDS\t%s\n"
                            % (z, z, " ".join(w[w.index("DS") + 1:])))
        for z in served:
            conf += ["zone:", "  name: %s" % z,
                     "  zonefile: %s.zone%s" % (z, ".signed" if z in
                                                signed_names else "")]
        # Configured, never loaded: NSD answers SERVFAIL for it.
        conf += ["zone:", "  name: servfail.mxlab.test",
                 "  zonefile: missing.zone"]
        cf = os.path.join(self.state, "nsd.conf")
        with open(cf, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.nsd_conf = conf	# the netns scenarios' NSD serves the same
        chk = subprocess.run(["nsd-checkconf", cf], capture_output=True,
                             text=True)
        if chk.returncode != 0:
            raise SystemExit("nsd.conf: " + chk.stderr)
        p = subprocess.Popen([NSD, "-d", "-c", cf],
                             stdout=open(os.path.join(self.state,
                                                      "nsd.out"), "w"),
                             stderr=subprocess.STDOUT)
        self.procs.append(p)
        with open(os.path.join(self.state, "dns.port"), "w") as f:
            f.write("%d\n" % self.dns_port)
        self.wait_dns()
        if self.wants_resolver():
            self.resolver_port, p = dnssec.start_unbound(
                self.state, free_port(), self.dns_port, self.anchors)
            self.procs.append(p)

    def wait_dns(self, addr="127.0.0.1", port=None,
                 zone=b"\x05mxlab\x04test"):
        """Until NSD answers a query for the zone's SOA (5 s)."""
        if dns_answers(addr, port or self.dns_port, zone):
            return
        raise SystemExit("nsd did not start; see %s/nsd.log" % self.state)

    def start_prop_dns(self):
        """The --propagation name servers: propns1 (127.0.0.53) and
        propns2 (127.0.0.54), one NSD each, on one free port."""
        pdir = os.path.join(SCEN, "prop")
        ok = os.path.join(SCEN, "propok", "zone")
        if not os.path.isdir(pdir):
            return
        addrs = ["127.0.0.53", "127.0.0.54"]
        self.prop_port = free_port_on(addrs)
        for i, addr in enumerate(addrs, 1):
            st = os.path.join(self.state, "propns%d" % i)
            os.makedirs(st, exist_ok=True)
            cf = os.path.join(st, "nsd.conf")
            with open(cf, "w") as f:
                zones = {
                    "prop.mxlab.test": os.path.join(pdir, "ns%d.zone" % i),
                    "propok.mxlab.test": ok}
                # A split MX set whose exchangers the probe checks:
                # each name server its own copy, as prop.
                for n in PROP_SPLIT:
                    z = os.path.join(SCEN, n, "ns%d.zone" % i)
                    if os.path.exists(z):
                        zones[n + ".mxlab.test"] = z
                f.write(nsd_conf(st, [addr], self.prop_port, zones))
            p = subprocess.Popen([NSD, "-d", "-c", cf],
                                 stdout=open(os.path.join(st, "nsd.out"),
                                             "w"),
                                 stderr=subprocess.STDOUT)
            self.procs.append(p)
            self.wait_dns(addr, self.prop_port, b"\x04prop\x05mxlab\x04test")

    # -- SMTP --------------------------------------------------------
    def smtp_config(self):
        lines = {}
        for n in self.selected:
            f = os.path.join(SCEN, n, "smtp")
            if not os.path.exists(f) or is_netns(n):
                continue	# a netns scenario has a server of its own
            for ln in open(f):
                ln = ln.split("#", 1)[0].strip()
                if not ln:
                    continue
                addr = ln.split()[0]
                if not addr.startswith("127."):
                    raise SystemExit("%s: listener %s is not on loopback"
                                     % (f, addr))
                if addr in lines and lines[addr] != ln:
                    raise SystemExit("%s: %s conflicts with %r"
                                     % (f, ln, lines[addr]))
                lines[addr] = ln
        return [lines[a] for a in sorted(lines)]

    def start_smtp(self):
        conf = self.smtp_config()
        if not conf:
            return
        script = os.path.join(HERE, "smtp-lab.sh")
        if not os.path.exists(script):
            raise SystemExit("smtp-lab.sh missing")
        self.smtp_port = free_port()
        cf = os.path.join(self.state, "smtp.conf")
        with open(cf, "w") as f:
            f.write("\n".join(conf) + "\n")
        sd = os.path.join(self.state, "smtp")
        os.makedirs(sd, exist_ok=True)
        r = subprocess.run(["bash", script, "start", sd,
                            str(self.smtp_port), cf])
        if r.returncode != 0:
            raise SystemExit("smtp lab did not start")
        self.smtp_state = sd

    # -- HTTPS policy hosts (MTA-STS) ---------------------------------
    def https_sites(self):
        """(scenario, address) for every scenario with an https/ root
        (all of them, even when only some scenarios run: a run may probe
        another scenario's domain)."""
        sites = []
        for n in scenarios():
            root = os.path.join(SCEN, n, "https")
            if not os.path.isdir(root):
                continue
            addr = None
            pat = re.compile(r"^mta-sts(\.%s\.mxlab\.test\.)?\s+(\d+\s+)?"
                             r"(IN\s+)?A\s+(\S+)" % re.escape(n), re.I)
            for ln in open(os.path.join(SCEN, n, "zone")):
                m = pat.match(ln)
                if m:
                    addr = m.group(4)
                    break
            if addr is None or not addr.startswith("127."):
                raise SystemExit("%s: https/ needs \"mta-sts A 127.x.y.z\" "
                                 "in the zone" % n)
            other = [m for m, a in sites if a == addr]
            if other:
                raise SystemExit("%s: policy host address %s is %s's too"
                                 % (n, addr, other[0]))
            sites.append((n, addr))
        return sites

    def openssl(self, *args):
        r = subprocess.run([OPENSSL] + list(args), capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise SystemExit("openssl %s: %s" % (args[0], r.stderr))

    def https_certs(self, d, certs):
        """A lab CA and one EC leaf certificate per (file, DNS name)."""
        ca, cakey = os.path.join(d, "ca.pem"), os.path.join(d, "ca.key")
        self.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt",
                     "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                     "-subj", "/CN=mxprobe lab HTTPS CA", "-keyout", cakey,
                     "-out", ca, "-addext", "basicConstraints=critical,CA:TRUE",
                     "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        for base, name in certs:
            key = os.path.join(d, base + ".key")
            csr = os.path.join(d, base + ".csr")
            crt = os.path.join(d, base + ".pem")
            ext = os.path.join(d, base + ".ext")
            with open(ext, "w") as f:
                f.write("subjectAltName=DNS:%s\n"
                        "extendedKeyUsage=serverAuth\n" % name)
            self.openssl("req", "-new", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes",
                         "-subj", "/CN=%s" % name, "-keyout", key,
                         "-out", csr)
            self.openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
                         cakey, "-CAcreateserial", "-days", "2",
                         "-extfile", ext, "-out", crt)
        return ca

    def start_https(self):
        sites = self.https_sites()
        if not sites:
            return
        if not OPENSSL:
            raise SystemExit("openssl not found: install the openssl "
                             "package")
        d = os.path.join(self.state, "https")
        os.makedirs(d, exist_ok=True)
        names = ["mta-sts.%s.mxlab.test" % n for n, _ in sites]
        certs = []
        for (n, _), name in zip(sites, names):
            f = os.path.join(SCEN, n, "https.name")
            certs.append((name, open(f).read().strip()
                          if os.path.exists(f) else name))
        self.https_ca = self.https_certs(d, certs)
        self.https_port = free_port()
        pending = []
        for (n, addr), name in zip(sites, names):
            pf = os.path.join(d, name + ".port")
            p = subprocess.Popen(
                [sys.executable, HTTPSD, "--listen", addr, "--port",
                 str(self.https_port), "--cert",
                 os.path.join(d, name + ".pem"), "--key",
                 os.path.join(d, name + ".key"), "--root",
                 os.path.join(SCEN, n, "https"), "--portfile", pf,
                 "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=open(os.path.join(d, name + ".log"), "w"))
            self.procs.append(p)
            pending.append((p, pf, name))
        deadline = time.time() + 10
        for p, pf, name in pending:
            while not os.path.exists(pf):
                if p.poll() is not None or time.time() > deadline:
                    raise SystemExit("httpsd for %s did not start; see "
                                     "%s/%s.log" % (name, d, name))
                time.sleep(0.05)

    # -- the hostile DNS responder (tests/lab/hostiledns.py) ----------
    def start_hostile_dns(self):
        """Started when a selected scenario names {hostile} or
        {hostile_udponly} in its expect file."""
        want = False
        for n in self.selected:
            f = os.path.join(SCEN, n, "expect")
            if os.path.exists(f) and "{hostile" in open(f).read():
                want = True
        if not want:
            return
        self.hostile_port = free_port_on(list(HOSTILE_ADDRS))
        pf = os.path.join(self.state, "hostiledns.port")
        p = subprocess.Popen(
            [sys.executable, HOSTILEDNS, "--listen", HOSTILE_ADDRS[0],
             "--udp-only", HOSTILE_ADDRS[1], "--port",
             str(self.hostile_port), "--portfile", pf],
            stdout=subprocess.DEVNULL,
            stderr=open(os.path.join(self.state, "hostiledns.log"), "w"))
        self.procs.append(p)
        deadline = time.time() + 10
        while not os.path.exists(pf):
            if p.poll() is not None or time.time() > deadline:
                raise SystemExit("hostiledns.py did not start; see "
                                 "%s/hostiledns.log" % self.state)
            time.sleep(0.05)

    # -- a resolver that never answers (the overall deadline) ---------
    def start_blackhole(self):
        """A UDP socket nobody reads: queries sent there get no answer."""
        port = free_port()
        self.blackhole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.blackhole.bind(("127.0.0.1", port))
        return "127.0.0.1:%d" % port

    def ca_file(self):
        """One --ca-file for both labs: the CAs joined when both exist."""
        cas = [c for c in (os.path.join(self.state, "smtp", "certs",
                                        "ca.pem"), self.https_ca)
               if c and os.path.exists(c)]
        if len(cas) < 2:
            return cas[0] if cas else None
        both = os.path.join(self.state, "ca-all.pem")
        if not os.path.exists(both):
            with open(both, "w") as out:
                for c in cas:
                    out.write(open(c).read())
        return both

    # -- Postfix -----------------------------------------------------
    def start_postfix(self):
        """A real Postfix for each scenario with a `postfix` file
        ("ADDR NAME [POLICY]", POLICY as postfix-lab.sh takes it), on
        ADDR at the lab's SMTP port, with a lab CA certificate for NAME.
        Skipped (visibly) where Postfix is not installed."""
        self.postfix = {}
        self.postfix_skip = None
        for n in self.selected:
            f = os.path.join(SCEN, n, "postfix")
            if not os.path.exists(f):
                continue
            words = open(f).read().split()
            addr, name = words[:2]
            policy = words[2:3] or ["reject"]
            if not addr.startswith("127."):
                raise SystemExit("%s: %s is not on loopback" % (f, addr))
            if self.smtp_port is None:
                self.smtp_port = free_port()
            certs = os.path.join(self.state, "smtp", "certs")
            r = subprocess.run(["sh", os.path.join(HERE, "mkcerts.sh"),
                                certs, name], capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit("mkcerts.sh: " + r.stderr)
            d = os.path.join(self.state, "postfix-" + n)
            r = subprocess.run(
                ["bash", os.path.join(HERE, "postfix-lab.sh"), "start", d,
                 addr, str(self.smtp_port),
                 os.path.join(certs, name + ".pem"),
                 os.path.join(certs, name + ".key"),
                 os.path.join(certs, "ca.pem"), name] + policy,
                capture_output=True, text=True)
            if r.returncode == 77:
                # Not installed, or not root: the reason is on stderr.
                self.postfix_skip = ("needs root" if "needs root" in
                                     r.stderr else
                                     "postfix is not installed")
                return
            if r.returncode != 0:
                raise SystemExit("postfix-lab.sh: %s%s" % (r.stdout,
                                                          r.stderr))
            self.postfix[n] = d

    def stop(self):
        if self.blackhole is not None:
            self.blackhole.close()
        for d in getattr(self, "postfix", {}).values():
            subprocess.run(["bash", os.path.join(HERE, "postfix-lab.sh"),
                            "stop", d], capture_output=True)
        if getattr(self, "smtp_state", None):
            subprocess.run(["bash", os.path.join(HERE, "smtp-lab.sh"),
                            "stop", self.smtp_state])
        stop_procs(self.procs)

    def base_args(self):
        a = [MXPROBE, "--resolver", "127.0.0.1:%d" % self.dns_port,
             "--allow-loopback", "--timeout", "20",
             "--ehlo", "mxprobe.lab.test"]
        port = self.smtp_port
        if getattr(self, "netns", None) is not None and \
                self.netns.smtp_port:
            port = self.netns.smtp_port
        if port:
            a += ["--smtp-port", str(port)]
        if getattr(self, "netns", None) is not None:
            # Only here may 2001:db8::/32 count as public: nothing can
            # leave the namespace for it (Netns.no_route).
            a += ["--allow-documentation"]
        if self.https_port:
            a += ["--https-port", str(self.https_port)]
        ca = self.ca_file()
        ns = getattr(self, "netns", None)
        if ns is not None and ns.smtp_state:
            ca = os.path.join(ns.smtp_state, "certs", "ca.pem")
        if ca:
            a += ["--ca-file", ca]
        return a


# -- assertions ----------------------------------------------------------
def jpath(doc, path):
    cur = doc
    for tok in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if tok.startswith("["):
            i = int(tok[1:-1])
            if not isinstance(cur, list) or i >= len(cur):
                raise KeyError(path)
            cur = cur[i]
        elif tok == "length":
            cur = len(cur)
        else:
            if not isinstance(cur, dict) or tok not in cur:
                raise KeyError(path)
            cur = cur[tok]
    return cur


def smtp_log(lab):
    ns = getattr(lab, "netns", None)
    st = ns.smtp_state if ns is not None else getattr(lab, "smtp_state", "")
    path = os.path.join(st or "", "smtp.log")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def smtp_spans(lab, addrs):
    """(first connect, first close) per address, from the server log."""
    spans = []
    for a in addrs:
        ev = [e for e in smtp_log(lab) if e.get("addr") == a]
        c = [e["t"] for e in ev if e.get("event") == "connect"]
        z = [e["t"] for e in ev if e.get("event") == "close"]
        if c and z:
            spans.append((c[0], z[0]))
    return spans


def rcpt_listeners():
    """Addresses of the fault servers that take part in the recipient
    test (rcpt=CODE): only scenarios running --rcpt use them."""
    addrs = set()
    for n in scenarios():
        p = os.path.join(SCEN, n, "smtp")
        if not os.path.exists(p):
            continue
        with open(p) as f:
            for l in f:
                w = l.split()
                if w and not w[0].startswith("#") and any(
                        x.startswith("rcpt=") for x in w[2:]):
                    addrs.add(w[0])
    return addrs


def check_no_mail(lab):
    """mxprobe never sent DATA or BDAT to any lab server, and MAIL, RCPT
    and RSET only to the fault servers of the recipient test (--rcpt):
    the fault server's command log, and Postfix's own per-session
    counts."""
    log = smtp_log(lab)
    rl = rcpt_listeners()
    ev = [e for e in log if e.get("event") == "command"]
    cmds = [e.get("line", "") for e in ev]
    bad = [c for c in cmds if re.match(r"(?i)\s*(DATA|BDAT)\b", c)]
    bad += [e.get("line", "") for e in ev
            if re.match(r"(?i)\s*(MAIL|RCPT|RSET)\b", e.get("line", ""))
            and e.get("addr") not in rl]
    # The whole suite must have talked SMTP; a subset may not have.
    full = lab.selected == scenarios()
    out = [((bool(cmds) or not full) and not bad,
            "no DATA or BDAT among the %d commands the lab's SMTP "
            "servers received, MAIL/RCPT/RSET only at the %d recipient-"
            "test listeners" % (len(cmds), len(rl)),
            "offending: %r" % bad[:5])]
    for n, d in sorted(getattr(lab, "postfix", {}).items()):
        r = subprocess.run(["sh", os.path.join(HERE, "postfix-commands.sh"),
                            d, "100"], capture_output=True, text=True)
        lines = r.stdout.splitlines()
        # MAIL and RCPT only where a run asks for the recipient test,
        # and then each such session ends with RSET and QUIT.
        rcpt = any(kw == "args" and "--rcpt" in rest.split()
                   for run in parse_expect(n) for kw, rest in run)
        bad = [l for l in lines if re.search(r"\b(data|bdat)=", l) or
               (re.search(r"\b(mail|rcpt)=", l) and
                (not rcpt or not re.search(r"\brset=1 quit=1\b", l)))]
        out.append((bool(lines) and not bad,
                    "Postfix (%s) logged %d sessions, none with DATA or "
                    "BDAT, %s" % (n, len(lines),
                                  "MAIL/RCPT only in --rcpt runs, each "
                                  "ended by RSET and QUIT" if rcpt else
                                  "none with MAIL or RCPT"),
                    "sessions: %r %r" % (lines[:5], r.stderr)))
    return out


def parse_expect(name):
    """The runs of a scenario: blocks of assertions separated by ---."""
    f = os.path.join(SCEN, name, "expect")
    runs = [[]]
    for ln in open(f):
        ln = ln.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln == "---":
            runs.append([])
            continue
        kw, _, rest = ln.partition(" ")
        runs[-1].append((kw, rest.strip()))
    return [r for r in runs if r]


# Runs with a "class" assertion: (label, class, score), and the
# "rank-below" pairs: (label, other label, score).
RANKED = []
RANK_BELOW = []
CLASSES = ("outage", "degraded", "hygiene")


def ranking():
    """Every outage scores below every degradation, every degradation
    below every hygiene issue; each rank-below pair holds. The ranking
    itself is printed as TAP comments."""
    if not RANKED:
        return []
    out = []
    for label, cls, value in sorted(RANKED, key=lambda r: (
            r[2] is None, r[2] if r[2] is not None else 0)):
        print("# rank %4s  %-9s %s" % (value, cls, label))
    by = {c: [v for _, k, v in RANKED if k == c and v is not None]
          for c in CLASSES}
    for lo, hi in zip(CLASSES, CLASSES[1:]):
        if not by[lo] or not by[hi]:
            # A partial run (lab.py check NAME) may lack a class.
            out.append(("skip", "ranking: %s below %s" % (lo, hi),
                        "no run of one of the classes was selected"))
            continue
        out.append((max(by[lo]) < min(by[hi]),
                    "ranking: every %s (at most %d) scores below every %s "
                    "(at least %d)" % (lo, max(by[lo]), hi, min(by[hi])),
                    "; ".join("%s %s %s" % r for r in RANKED
                              if r[1] in (lo, hi))))
    scores = {label: value for label, _, value in RANKED}
    for label, other, value in RANK_BELOW:
        want = scores.get(other)
        if other not in scores:
            out.append(("skip", "ranking: %s below %s" % (label, other),
                        "%s was not selected" % other))
            continue
        out.append((value is not None and want is not None and value < want,
                    "ranking: %s (%s) scores below %s (%s)" %
                    (label, value, other, want),
                    "the other run needs a class assertion"))
    return out


def run_scenario(lab, name):
    """Returns a list of (ok, description, diagnostic); ok may be "skip"."""
    out = []
    if os.path.exists(os.path.join(SCEN, name, "postfix")) and \
            name not in getattr(lab, "postfix", {}):
        return [("skip", "%s: real Postfix" % name,
                 lab.postfix_skip or "postfix did not start")]
    runs = parse_expect(name)
    if is_netns(name):
        return run_netns(lab, name, runs)
    for i, exp in enumerate(runs):
        label = name if len(runs) == 1 else "%s/%d" % (name, i + 1)
        out += run_one(lab, name, label, exp)
    return out


class Netns:
    """A fresh network namespace for one scenario (its netns file): only
    lo up, an NSD serving the lab's zones, the scenario's fault server.
    Everything in it is started through nsenter into the namespace that
    `unshare -n` made for a holder process, and stopped with it."""

    def __init__(self, lab, name):
        self.lab = lab
        self.name = name
        self.state = os.path.join(lab.state, "netns-" + name)
        self.holder = None
        self.procs = []
        self.smtp_state = None
        self.smtp_port = None
        self.enter = None

    def start(self):
        """None when the namespace is up; the reason when it cannot be
        made (no privilege): a SKIP. Other failures raise."""
        os.makedirs(self.state, exist_ok=True)
        try:
            self.holder = subprocess.Popen(
                ["unshare", "-n", "sh", "-c",
                 "ip link set lo up && echo up && exec sleep 3600"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as e:
            return "unshare: %s" % e
        if self.holder.stdout.readline().strip() != "up":
            err = self.holder.stderr.read().strip()
            self.holder.wait()
            self.holder = None
            if shutil.which("ip") is None:
                return "no ip command (iproute2) to bring up lo in a " \
                    "network namespace"
            return "cannot make a network namespace (root is needed): " + \
                (err or "unshare failed")
        # unshare and sh exec: the holder's pid is the process in it.
        self.enter = ["nsenter", "--net=/proc/%d/ns/net" % self.holder.pid]
        for ln in open(os.path.join(SCEN, self.name, "netns")):
            w = ln.split("#", 1)[0].split()
            if len(w) == 2 and w[0] == "route":
                # A route to one prefix via lo: what the vantage check
                # asks about, never the zone's addresses (no_route()).
                r = subprocess.run(self.enter + [
                    "ip", "-6" if ":" in w[1] else "-4", "route", "add",
                    w[1], "dev", "lo"], capture_output=True, text=True)
                if r.returncode != 0:
                    raise RuntimeError("ip route add %s: %s" %
                                       (w[1], r.stderr.strip()))
            elif w:
                raise RuntimeError("netns: unknown line %r" % ln)
        conf = []
        for ln in self.lab.nsd_conf:
            k = ln.strip().split(":")[0]
            if k in ("pidfile", "xfrdfile", "zonelistfile", "logfile"):
                ln = "  %s: %s/%s" % (k, self.state, os.path.basename(
                    ln.split(":", 1)[1].strip()))
            elif k == "xfrdir":
                ln = "  xfrdir: %s" % self.state
            conf.append(ln)
        cf = os.path.join(self.state, "nsd.conf")
        with open(cf, "w") as f:
            f.write("\n".join(conf) + "\n")
        self.procs.append(subprocess.Popen(
            self.enter + [NSD, "-d", "-c", cf],
            stdout=open(os.path.join(self.state, "nsd.out"), "w"),
            stderr=subprocess.STDOUT))
        r = subprocess.run(self.enter + [
            sys.executable, "-c", "import sys; sys.path.insert(0, %r); "
            "import lab; sys.exit(0 if lab.dns_answers('127.0.0.1', %d) "
            "else 1)" % (HERE, self.lab.dns_port)])
        if r.returncode != 0:
            raise RuntimeError("nsd in the namespace did not start; see "
                               "%s/nsd.log" % self.state)
        smtp = os.path.join(SCEN, self.name, "smtp")
        if os.path.exists(smtp):
            self.smtp_port = self.lab.smtp_port or free_port()
            self.smtp_state = os.path.join(self.state, "smtp")
            r = subprocess.run(self.enter + [
                "bash", os.path.join(HERE, "smtp-lab.sh"), "start",
                self.smtp_state, str(self.smtp_port), smtp])
            if r.returncode != 0:
                self.smtp_state = None
                raise RuntimeError("the fault server in the namespace did "
                                   "not start")
        return None

    def no_route(self):
        """One point per address of the scenario's zone outside
        loopback: the namespace has no route to it (ip route get fails),
        so a connection there cannot leave this host."""
        out = []
        with open(os.path.join(SCEN, self.name, "zone")) as f:
            for ln in f:
                w = ln.split(";", 1)[0].split()
                if len(w) < 2 or w[-2] not in ("A", "AAAA"):
                    continue
                a = w[-1]
                if a.startswith("127.") or a == "::1":
                    continue
                r = subprocess.run(self.enter + [
                    "ip", "-6" if ":" in a else "-4", "route", "get", a],
                    capture_output=True, text=True)
                out.append((r.returncode != 0, "%s: the namespace has no "
                            "route to %s (nothing can leave for it)" %
                            (self.name, a), "ip route get: %r" % r.stdout))
        return out

    def stop(self):
        if self.smtp_state:
            subprocess.run(self.enter + ["bash", os.path.join(
                HERE, "smtp-lab.sh"), "stop", self.smtp_state])
        stop_procs(self.procs + ([self.holder] if self.holder else []))


def run_netns(lab, name, runs):
    """The runs of a scenario with a netns file, in its namespace."""
    ns = Netns(lab, name)
    try:
        why = ns.start()
        if why is not None:
            return [("skip", "%s: runs in a fresh network namespace" % name,
                     why)]
        out = ns.no_route()
        lab.netns = ns
        for i, exp in enumerate(runs):
            label = name if len(runs) == 1 else "%s/%d" % (name, i + 1)
            out += run_one(lab, name, label, exp)
        return out
    except (OSError, RuntimeError) as e:
        return [(False, "%s: the network namespace starts" % name, str(e))]
    finally:
        lab.netns = None
        ns.stop()


def scenario_args(lab, zone, exp):
    """The mxprobe command line of one run of a scenario, and whether it
    asks for the text report."""
    domain = zone + ".mxlab.test"
    extra = []
    text = False
    for kw, rest in exp:
        if kw == "args":
            if "{blackhole}" in rest and lab.blackhole is None:
                lab.start_blackhole()
            if lab.blackhole is not None:
                rest = rest.replace("{blackhole}", "127.0.0.1:%d" %
                                    lab.blackhole.getsockname()[1])
            extra += shlex.split(rest.replace(
                "{dir}", os.path.join(SCEN, zone)).replace(
                "{nsport}", str(getattr(lab, "prop_port", 0))).replace(
                "{hostile_udponly}", "%s:%s" % (HOSTILE_ADDRS[1],
                                                lab.hostile_port)).replace(
                "{hostile}", "%s:%s" % (HOSTILE_ADDRS[0],
                                        lab.hostile_port)).replace(
                "{dnsport}", str(lab.dns_port)))
        elif kw == "domain":
            domain = rest
    if "--text" in extra:
        extra.remove("--text")
        text = True
    args = lab.base_args() + ([] if text else ["--json"])
    if ("resolver", "validating") in exp:
        i = args.index("--resolver")
        args[i + 1] = "127.0.0.1:%d" % lab.resolver_port
    if "--resolver" in extra:
        # The scenario names its own resolver: drop the lab's.
        i = args.index("--resolver")
        del args[i:i + 2]
    args += ["--domain", domain] if domain != "-" else []
    args += extra
    return args, text


def locale_missing(name):
    """Whether the locale NAME (ja_JP.UTF-8) is not installed."""
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    have = [l.lower().replace("-", "") for l in r.stdout.split()]
    return name.lower().replace("-", "") not in have


def mxprobe_env(exp):
    """The environment of one run: the C locale unless the scenario says
    otherwise, the build tree's catalogues."""
    env = dict(os.environ)
    for k in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"):
        env.pop(k, None)
    env.setdefault("MXPROBE_LOCALEDIR", os.path.join(BUILD, "tests",
                                                     "locale"))
    for kw, rest in exp:
        if kw == "env":
            k, _, v = rest.partition("=")
            env[k] = v
    return env


class Run:
    """What one measured run of mxprobe left: like CompletedProcess,
    with the wall time (s) and the peak resident memory (KiB)."""

    def __init__(self, returncode, stdout, stderr, wall, maxrss):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.wall = wall
        self.maxrss = maxrss


def run_measured(args, env, timeout=60, nofile=None):
    """Run mxprobe and wait for it with os.wait4, which gives this child's
    own rusage (RUSAGE_CHILDREN would be the largest of every child the
    lab ever waited for). None when it outlives timeout (killed)."""
    def limits():
        if nofile is not None:
            import resource
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(args, stdout=out, stderr=err, env=env,
                             preexec_fn=limits)
        hung = False
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid == p.pid:
                break
            if time.monotonic() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                hung = True
                break
            time.sleep(0.005)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        if hung:
            return None
        out.seek(0)
        err.seek(0)
        return Run(p.returncode, out.read().decode("utf-8", "replace"),
                   err.read().decode("utf-8", "replace"), wall,
                   ru.ru_maxrss)


def child_procs(pid):
    """The child processes of pid: (pid, state) from /proc."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        fields = st[st.rfind(")") + 2:].split()
        if int(fields[1]) == pid:
            out.append((int(d), fields[0]))
    return sorted(out)


def run_controlled(args, env, exp):
    """Run mxprobe with signals sent while its stdout is unread (so a
    pipe fills), or with stdout closed after some lines (head N), or a
    worker killed (kill-worker), or its children counted (children)."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    t0 = time.monotonic()
    events = [(float(r.split()[1]), kw, r.split()[0])
              for kw, r in exp if kw in ("signal", "kill-worker",
                                         "children")]
    seen = {"killed": [], "children": [], "pids": set()}
    for at, kw, what in sorted(events):
        time.sleep(max(0, at - (time.monotonic() - t0)))
        if kw == "signal":
            p.send_signal(getattr(signal, "SIG" + what))
        elif kw == "kill-worker":
            kids = child_procs(p.pid)
            if kids:
                os.kill(kids[0][0], getattr(signal, "SIG" + what))
            seen["killed"].append(kids[0][0] if kids else None)
        else:
            kids = child_procs(p.pid)
            seen["children"].append(kids)
            seen["pids"].update(k for k, _ in kids)
    heads = [int(r) for kw, r in exp if kw == "head"]
    text = b""
    if heads:
        for _ in range(heads[0]):
            text += p.stdout.readline()
        p.stdout.close()
        err = p.stderr.read()
        rc = p.wait(60)
    else:
        try:
            text, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            # A hung run: its workers go too (a stopped one would stay).
            for k, _ in child_procs(p.pid):
                os.kill(k, signal.SIGKILL)
            p.kill()
            p.communicate()
            raise
        rc = p.returncode
    wall = time.monotonic() - t0
    seen["left"] = [k for k in seen["pids"] if os.path.exists("/proc/%d" %
                                                              k)]
    cp = subprocess.CompletedProcess(args, rc, text.decode("utf-8",
                                     "replace"), err.decode("utf-8",
                                                            "replace"))
    cp.seen = seen
    cp.wall = wall
    return cp


def run_one(lab, zone, name, exp):
    args, text = scenario_args(lab, zone, exp)
    if getattr(lab, "netns", None) is not None:
        args = lab.netns.enter + args	# setns, then exec: same pid
    elif "--allow-documentation" in args:
        return [(False, "%s: --allow-documentation only in a netns "
                 "scenario" % name, "it would connect to documentation "
                 "addresses from the host's network")]
    env = mxprobe_env(exp)
    for kw, rest in exp:
        if kw == "env" and rest.split("=")[0] in ("LANG", "LC_ALL") and \
                locale_missing(rest.partition("=")[2]):
            return [("skip", "%s: runs under %s" % (name, rest),
                     "the locale is not installed (locale-gen)")]
    nlog0 = len(smtp_log(lab))
    t0 = time.monotonic()
    if any(kw in ("signal", "head", "kill-worker", "children")
           for kw, _ in exp):
        try:
            p = run_controlled(args, env, exp)
        except subprocess.TimeoutExpired:
            p = None
    else:
        nofile = [int(rest) for kw, rest in exp if kw == "rlimit-nofile"]
        p = run_measured(args, env, nofile=nofile[0] if nofile else None)
    if p is None:
        return [(False, "%s: mxprobe finishes" % name, "hung for 60 s")]
    elapsed = time.monotonic() - t0
    if not hasattr(lab, "stdouts"):
        lab.stdouts = {}
    lab.stdouts[name] = p.stdout
    out = []
    doc = None
    want_json = not text and not any(kw == "nojson" for kw, _ in exp)
    if want_json:
        try:
            doc = json.loads(p.stdout)
            out.append((True, "%s: JSON output parses" % name, ""))
        except ValueError as e:
            out.append((False, "%s: JSON output parses" % name,
                        "%s; stdout=%r stderr=%r" % (e, p.stdout[:500],
                                                      p.stderr[:500])))
    findings = (doc or {}).get("findings", [])
    sc = (doc or {}).get("score")
    if sc and sc.get("value") is not None and not sc.get("capped"):
        lost = sum(f.get("points", 0) for f in findings)
        out.append((sc["value"] == 100 - lost,
                    "%s: score %s is 100 less the points of its findings"
                    % (name, sc["value"]), "points sum to %d" % lost))
    for kw, rest in exp:
        if kw in ("args", "domain", "resolver", "env", "rlimit-nofile"):
            continue
        if kw == "wall":
            out.append((p.wall <= float(rest), "%s: exits within %s s" %
                        (name, rest), "took %.2f s" % p.wall))
            continue
        if kw == "maxrss":
            out.append((p.maxrss < int(rest) * 1024, "%s: peak RSS under "
                        "%s MB" % (name, rest), "peak RSS %d KiB" %
                        p.maxrss))
            continue
        if kw == "count":
            code, _, want = rest.partition(" ")
            got = len([f for f in findings if f.get("code") == code])
            out.append((got == int(want), "%s: %s findings %s" %
                        (name, want, code), "got %d" % got))
            continue
        if kw == "exit":
            out.append((p.returncode == int(rest),
                        "%s: exit %s" % (name, rest),
                        "got %d; stderr=%r" % (p.returncode,
                                              p.stderr[:300])))
        elif kw in ("finding", "nofinding"):
            parts = rest.split()
            code = parts[0]
            subj = parts[1] if len(parts) > 1 else None
            hit = [f for f in findings if f.get("code") == code and
                   (subj is None or f.get("subject") == subj)]
            ok = bool(hit) if kw == "finding" else not hit
            out.append((ok, "%s: %s %s" % (name, kw, rest),
                        "findings: %s" % ", ".join(
                            "%s(%s)" % (f["code"], f.get("subject"))
                            for f in findings)))
        elif kw == "points":
            # What a finding cost: the points the score traces to it.
            code, _, want = rest.partition(" ")
            got = sum(f.get("points", 0) for f in findings
                      if f.get("code") == code)
            out.append((got == int(want), "%s: %s costs %s points" %
                        (name, code, want), "got %d" % got))
        elif kw == "json":
            path, _, val = rest.partition(" ")
            want = json.loads(val)
            try:
                got = jpath(doc, path)
                ok = got == want
            except (KeyError, TypeError):
                got, ok = "<missing>", False
            out.append((ok, "%s: %s == %s" % (name, path, val),
                        "got %r" % (got,)))
        elif kw == "stderr":
            out.append((re.search(rest, p.stderr) is not None,
                        "%s: stderr ~ %s" % (name, rest),
                        "stderr=%r" % p.stderr[:500]))
        elif kw == "stderr-line":
            out.append((re.search(rest, p.stderr, re.M) is not None,
                        "%s: a stderr line ~ %s" % (name, rest),
                        "stderr=%r" % (p.stderr if len(p.stderr) < 4000
                                       else p.stderr[:1000] + "..." +
                                       p.stderr[-3000:])))
        elif kw == "nostderr-line":
            out.append((re.search(rest, p.stderr, re.M) is None,
                        "%s: no stderr line ~ %s" % (name, rest),
                        "stderr=%r" % p.stderr[:4000]))
        elif kw == "nostdout":
            out.append((re.search(rest, p.stdout, re.M) is None,
                        "%s: stdout does not match %s" % (name, rest),
                        "stdout=%r" % p.stdout[:800]))
        elif kw == "maxwidth":
            over = [l for l in p.stdout.split("\n")
                    if columns(l) > int(rest) and " " in l.strip()
                    and not re.match(r'\s*"?v=', l)]
            out.append((not over, "%s: no line over %s columns" %
                        (name, rest), "over=%r" % over[:3]))
        elif kw == "stdout":
            out.append((re.search(rest, p.stdout, re.M) is not None,
                        "%s: stdout ~ %s" % (name, rest),
                        "stdout=%r" % p.stdout[:800]))
        elif kw == "jsonl":
            # JSON Lines (--batch --json): count, and every line parses.
            lines = [l for l in p.stdout.splitlines() if l.strip()]
            try:
                docs = [json.loads(l) for l in lines]
                ok = len(docs) == int(rest)
            except ValueError:
                docs, ok = [], False
            out.append((ok, "%s: %s JSON lines" % (name, rest),
                        "stdout=%r" % p.stdout[:800]))
        elif kw == "same-stdout":
            # The same output as an earlier run, durations masked.
            other = getattr(lab, "stdouts", {}).get(rest)
            out.append((other is not None and mask(p.stdout) == mask(other),
                        "%s: the same output as %s" % (name, rest),
                        "stdout=%r" % p.stdout[:300]))
        elif kw == "connects":
            # The servers' own log: connections to ADDR during this run.
            addr, _, want = rest.partition(" ")
            got = sum(1 for e in smtp_log(lab)[nlog0:]
                      if e.get("addr") == addr and
                      e.get("event") == "connect")
            out.append((got == int(want), "%s: %s connections to %s" %
                        (name, want, addr), "got %d" % got))
        elif kw == "max-concurrent":
            # The servers' own log: connections open at once to ADDR.
            addr, _, want = rest.partition(" ")
            ev = sorted((e["t"], e.get("event") == "connect",
                         e.get("peer"))
                        for e in smtp_log(lab)[nlog0:]
                        if e.get("addr") == addr and
                        e.get("event") in ("connect", "close"))
            # At one instant a close comes before a connect (False <
            # True); a close of a connection an earlier run opened (the
            # server may log it late) does not count.
            now = most = 0
            live = set()
            for _, opened, peer in ev:
                if opened:
                    live.add(peer)
                elif peer in live:
                    live.discard(peer)
                else:
                    continue
                now = len(live)
                most = max(most, now)
            out.append((most == int(want) and now == 0,
                        "%s: at most %s connections to %s at once" %
                        (name, want, addr),
                        "got %d (%d left open)" % (most, now)))
        elif kw == "overlap":
            # The servers' own log: did the sessions overlap in time?
            spans = smtp_spans(lab, rest.split())
            ok = len(spans) == len(rest.split()) and \
                max(s for s, _ in spans) < min(e for _, e in spans)
            out.append((ok, "%s: sessions to %s overlapped" % (name, rest),
                        "spans (connect, close): %r" % (spans,)))
        elif kw == "postfix-commands":
            # What Postfix itself logged of our session.
            r = subprocess.run(["sh", os.path.join(HERE,
                                "postfix-commands.sh"), lab.postfix[zone]],
                               capture_output=True, text=True)
            out.append((re.search(rest, r.stdout) is not None,
                        "%s: Postfix saw %s" % (name, rest),
                        "postfix-commands: %r %r" % (r.stdout, r.stderr)))
        elif kw == "class":
            # The delivery class a person judged this run to be in; the
            # score must place it there (ranking() compares the runs).
            got = jpath(doc, "score.class") if doc else None
            value = jpath(doc, "score.value") if doc else None
            out.append((got == rest, "%s: delivery class %s" % (name, rest),
                        "got %r (score %r)" % (got, value)))
            RANKED.append((name, rest, value))
        elif kw == "rank-below":
            # This run scores below the named run (a scenario label).
            RANK_BELOW.append((name, rest,
                               jpath(doc, "score.value") if doc else None))
        elif kw == "nostderr":
            out.append((re.search(rest, p.stderr) is None,
                        "%s: stderr does not match %s" % (name, rest),
                        "stderr=%r" % p.stderr[:500]))
        elif kw == "line":
            n, _, rx = rest.partition(" ")
            lines = p.stdout.splitlines()
            got = lines[int(n) - 1] if len(lines) >= int(n) else ""
            out.append((re.search(rx, got) is not None,
                        "%s: stdout line %s ~ %s" % (name, n, rx),
                        "line=%r" % got[:300]))
        elif kw == "within":
            out.append((elapsed <= float(rest),
                        "%s: exits within %s s" % (name, rest),
                        "took %.1f s" % elapsed))
        elif kw in ("signal", "head"):
            continue
        elif kw == "kill-worker":
            k = p.seen["killed"].pop(0)
            out.append((k is not None, "%s: a worker sent SIG%s"
                        % (name, rest.split()[0]), "mxprobe had no child"))
        elif kw == "children":
            kids = p.seen["children"].pop(0)
            want = int(rest.split()[0])
            out.append((len(kids) == want and all(s != "Z" for _, s in kids),
                        "%s: %d worker processes at %s s, no zombie" %
                        (name, want, rest.split()[1]), "children %r" % kids))
            out.append((not p.seen["left"], "%s: no worker outlives mxprobe"
                        % name, "still there: %r" % p.seen["left"]))
        elif kw == "nojson":
            out.append((not p.stdout.strip().startswith("{"),
                        "%s: no report on stdout" % name,
                        "stdout=%r" % p.stdout[:200]))
        else:
            out.append((False, "%s: known assertion %s" % (name, kw), ""))
    out += schema_points(name, p.stdout)
    return out


# -- JSON Schema ---------------------------------------------------------
_SCHEMA = {}


def schema_points(name, stdout):
    """Validate every JSON document in stdout (one document, or JSON
    Lines) against doc/json-schema.json: one TAP point per run that wrote
    JSON. Without python3-jsonschema, one visible SKIP per lab run."""
    docs = []
    try:
        docs = [json.loads(stdout)]
    except ValueError:
        for line in stdout.splitlines():
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if isinstance(d, dict):
                docs.append(d)
    if not docs:
        return []
    if "v" not in _SCHEMA:
        try:
            import jsonschema
            with open(os.path.join(HERE, "..", "..", "doc",
                                   "json-schema.json")) as f:
                _SCHEMA["v"] = jsonschema.Draft202012Validator(json.load(f))
        except ImportError:
            _SCHEMA["v"] = None
            return [(True, "JSON Schema # SKIP python3-jsonschema is not "
                     "installed", "")]
    v = _SCHEMA["v"]
    if v is None:
        return []
    errs = ["%s: %s" % ("/".join(str(x) for x in e.absolute_path) or "/",
                        e.message) for d in docs for e in v.iter_errors(d)]
    return [(not errs, "%s: JSON matches doc/json-schema.json" % name,
             "\n".join(errs[:20]))]


# The JSON fields that hold a measured duration (the options timeout_ms
# and step_ms are not masked: they echo the command line).
ELAPSED_MS = ("connect_ms", "banner_ms", "ehlo_ms", "tls_ms", "total_ms",
              "elapsed_ms", "waited_ms")
MASKS = [
    # JSON: the time of the check, measured durations.
    (r'("checked_at"\s*:\s*)"[^"]*"', r'\1"#"'),
    (r'("(?:%s)"\s*:\s*)[0-9.]+' % "|".join(ELAPSED_MS), r'\1#'),
    # Milliseconds in any text: the -vv clock "+   12ms " (its padding
    # too), "in 12 ms", "12ms;;;0" (Nagios perfdata), "after 12
    # milliseconds"; Japanese "12 ミリ秒".
    (r'(?m)^\+ *[0-9]+ms ', '+# ms '),
    (r'\b[0-9]+(\.[0-9]+)? ?ms\b', '# ms'),
    (r'\b[0-9]+ milliseconds\b', '# milliseconds'),
    (r'[0-9]+(\.[0-9]+)? ?ミリ秒', '# ミリ秒'),
    # Seconds that were measured, not configured: the --batch summary
    # ") in 0.1 s:" / ")、所要 0.1 秒。", the progress line ("1.5/s, ETA
    # 3 s" / "毎秒 1.5 件、残り約 3 秒") and the --wait time ("after 2
    # checks in 3 s", "After 3 s and 2 checks" / "（確認 2 回、3 秒）",
    # "3 秒、2 回確認しましたが"; the number of checks stays). A --wait
    # that agreed at its first check prints "everywhere after 1 check in
    # 0 s" only when the clock moved a millisecond (waited_ms > 0,
    # report_propagation.c): that line is dropped.
    (r'(?m)^  everywhere after 1 check in 0 s\n', ''),
    (r'(?m)^  すべてに反映済み \(確認 1 回、0 秒\)\n', ''),
    (r'\) in [0-9.]+ s: ', ') in # s: '),
    (r'\)、所要 [0-9.]+ 秒。', ')、所要 # 秒。'),
    (r'[0-9.]+/s\b', '#/s'), (r'ETA [0-9.]+ s\b', 'ETA # s'),
    (r'毎秒 [0-9.]+ 件', '毎秒 # 件'), (r'残り約 [0-9.]+ 秒', '残り約 # 秒'),
    (r'(after [0-9]+ checks? in )[0-9]+ s\b', r'\1# s'),
    (r'After [0-9]+ s( and [0-9]+ checks?)\b', r'After # s\1'),
    (r'(確認 [0-9]+ 回、)[0-9]+ 秒', r'\1# 秒'),
    (r'[0-9]+ 秒(、[0-9]+ 回確認しました)', r'# 秒\1'),
    # Random names: the wildcard probe label (probe_mx.c random_label) and
    # the local part of the --rcpt test address, 16 lowercase hex digits
    # from RAND_bytes (smtp_session.c start_end), wherever they appear
    # (JSON random_address, findings, -v trace, the server's reply).
    (r'mxprobe-wildcard-[0-9a-f]+', 'mxprobe-wildcard-#'),
    (r'(?<![0-9A-Za-z])[0-9a-f]{16}@', '#@'),
]
MASKS = [(re.compile(a), b) for a, b in MASKS]


def mask(text):
    """Output with what differs from run to run masked (MASKS): measured
    durations, the time of the check, random names."""
    for rx, to in MASKS:
        text = rx.sub(to, text)
    return text


# A text report's TLSA record line ("      3 1 1 ab12...  (DANE-EE)").
TLSA_LINE = re.compile(r"      [0-9]+ [0-9]+ [0-9]+ [0-9a-f.]+  \(.*\)$")
# A -v trace line of a DNS answer with several records.
TRACE_ANSWERS = re.compile(r"^(.* -> OK [0-9]+ answers: )(.*?)( \(AD\))?$")


def sort_runs(lines, pred):
    """LINES with each run of consecutive lines matching PRED sorted."""
    out, run = [], []
    for ln in lines + [None]:
        if ln is not None and pred(ln):
            run.append(ln)
            continue
        out += sorted(run)
        run = []
        if ln is not None:
            out.append(ln)
    return out


def canon_json(doc):
    """DOC with the arrays whose order is the DNS server's sorted: the
    records of every "tlsa" object (mx[].tlsa.records, listed in answer
    order, which the validating unbound shuffles)."""
    if isinstance(doc, dict):
        doc = {k: canon_json(v) for k, v in doc.items()}
        t = doc.get("tlsa")
        if isinstance(t, dict) and isinstance(t.get("records"), list):
            t["records"] = sorted(t["records"], key=json.dumps)
        return doc
    if isinstance(doc, list):
        return [canon_json(v) for v in doc]
    return doc


# Where a line of stderr starts: in a mixed stream of --jobs workers a
# record can land inside another's line, before its newline (stderr is
# unbuffered: a trace line is written as its text, then "\n").
RECORD_START = re.compile(r"(?<=.)(?<!\] )(?=\[[A-Za-z0-9.-]+\] |"
                          r"mxprobe: |https: |dns: |vantage: )")


def stderr_mixed(args):
    """How stderr is compared: "workers" when --jobs workers above 1 write
    to it at once, "trace" for a -v trace or --parallel probes (one
    process, answers in arrival order), else None (exactly)."""
    how = None
    for i, a in enumerate(args):
        n = args[i + 1] if i + 1 < len(args) else ""
        if a == "--jobs" and n.isdigit() and int(n) > 1:
            return "workers"
        if a == "--verbose" or re.fullmatch(r"-v+", a) or (
                a == "--parallel" and n.isdigit() and int(n) > 1):
            how = "trace"
    return how


def canon(returncode, stdout, stderr, args):
    """One run's (exit, stdout, stderr, layout) as compare compares it:
    masked (mask), with the DNS server's order sorted out of stdout
    (canon_json, re-indented; TLSA_LINE in a text report) and, for a -v
    trace or parallel probes, stderr as a multiset of lines (sorted; for
    --jobs workers first cut where a record starts, RECORD_START),
    each multi-record answer of the trace (TRACE_ANSWERS) with its
    records sorted. Where stdout is JSON, layout is its masked lines
    sorted: the JSON's whitespace and layout still count, its order is
    the canonical form's to judge."""
    stdout, stderr = mask(stdout), mask(stderr)
    layout = ""
    lines = stdout.split("\n")
    try:
        out = json.dumps(canon_json(json.loads(stdout)), indent=2,
                         ensure_ascii=False) + "\n"
        layout = "\n".join(sorted(lines))
    except ValueError:
        try:
            out = "\n".join(json.dumps(canon_json(json.loads(ln)),
                                       ensure_ascii=False) if ln else ln
                            for ln in lines)
            layout = "\n".join(sorted(lines))
        except ValueError:
            out = "\n".join(sort_runs(lines, TLSA_LINE.match))
    how = stderr_mixed(args)
    if how:
        lines = []
        split = stderr.split("\n")
        if how == "workers":
            split = [r for ln in split for r in RECORD_START.split(ln) if r]
        for ln in split:
            m = TRACE_ANSWERS.match(ln)
            if m:
                ln = m.group(1) + ", ".join(sorted(
                    m.group(2).split(", "))) + (m.group(3) or "")
            lines.append(ln)
        stderr = "\n".join(sorted(lines))
    return returncode, out, stderr, layout


# How often compare runs a pair that differs before it reports it.
COMPARE_TRIES = 3


def compare_forms(exp, forms, old):
    """Run each command line of FORMS with this build and with OLD, all
    at once (the runs wait on the lab's servers far more than they
    compute), and compare them (canon). A pair that differs is run again,
    up to COMPARE_TRIES times in all: a race in a run (a reset before
    the local address was read, say) seldom strikes both binaries the
    same way twice, a changed report differs every time. Yields (form,
    None, tries) for a pair that became the same on attempt TRIES > 1,
    (form, [new, old], tries) for one that differed every time; nothing
    for a pair the same at once."""
    def run(job):
        form, binary = job
        r = subprocess.run([binary] + form[1:], capture_output=True,
                           text=True, timeout=60, env=mxprobe_env(exp))
        return canon(r.returncode, r.stdout, r.stderr, form)

    todo = list(forms)
    for tries in range(1, COMPARE_TRIES + 1):
        jobs = [(form, binary) for form in todo
                for binary in (MXPROBE, old)]
        with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
            done = list(pool.map(run, jobs))
        again = []
        for f, form in enumerate(todo):
            outs = done[2 * f:2 * f + 2]
            if outs[0] == outs[1]:
                if tries > 1:
                    yield form, None, tries
            elif tries == COMPARE_TRIES:
                yield form, outs, tries
            else:
                again.append(form)
        todo = again
        if not todo:
            return


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 3
    cmd = sys.argv[1]
    if cmd == "check":
        state = tempfile.mkdtemp(prefix="mxprobe-lab.")
        # Postfix's daemons run as the postfix user: let them in.
        os.chmod(state, 0o755)
        lab = Lab(state, scenarios(sys.argv[2:]))
        n = failed = 0
        try:
            try:
                # The SMTP lab first: its certificates feed TLSA data.
                lab.start_smtp()
                lab.start_dns()
                lab.start_prop_dns()
                lab.start_postfix()
                lab.start_https()
                lab.start_hostile_dns()
            except (SystemExit, OSError, RuntimeError) as e:
                # TAP: a lab that cannot start fails loudly, with why.
                print("Bail out! the lab did not start: %s" % (e,))
                return 1

            def emit(results):
                nonlocal n, failed
                for ok, desc, diag in results:
                    n += 1
                    if ok == "skip":
                        print("ok %d - %s # SKIP %s" % (n, desc, diag))
                        continue
                    print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
                    if not ok:
                        failed += 1
                        print("#   " + diag.replace("\n", "\n#   "))
                    sys.stdout.flush()

            for name in scenarios(sys.argv[2:]):
                emit(run_scenario(lab, name))
            emit(ranking())
            if getattr(lab, "smtp_state", None):
                emit(check_no_mail(lab))
        finally:
            lab.stop()
            if failed == 0 and not os.environ.get("MXPROBE_LAB_KEEP"):
                shutil.rmtree(state, ignore_errors=True)
            else:
                print("# lab state kept in %s" % state)
        print("1..%d" % n)
        return 1 if failed else 0
    if cmd == "compare":
        # lab.py compare OLD_MXPROBE [NAME...]: every run of every scenario
        # with this build and with OLD_MXPROBE, in the same lab (same
        # certificates), JSON and text; prints the runs whose output
        # differs once volatile fields (timings) are masked. Exit 1 if any.
        old = sys.argv[2]
        state = tempfile.mkdtemp(prefix="mxprobe-compare.")
        os.chmod(state, 0o755)
        lab = Lab(state, scenarios(sys.argv[3:]))
        differ = flaky = 0
        try:
            lab.start_smtp()
            lab.start_dns()
            lab.start_prop_dns()
            lab.start_postfix()
            lab.start_https()
            lab.start_hostile_dns()
            for name in scenarios(sys.argv[3:]):
                if is_netns(name):
                    # Its zone names global addresses: only in its
                    # namespace (lab.py check), never from here.
                    print("SKIPPED %s: runs in a network namespace "
                          "(lab.py check)" % name)
                    continue
                for i, exp in enumerate(parse_expect(name)):
                    args, text = scenario_args(lab, name, exp)
                    forms = [args]
                    if "--json" in args and "--batch" not in args:
                        forms.append([a for a in args if a != "--json"])
                    for form, outs, tries in compare_forms(exp, forms, old):
                        label = "%s/%d %s" % (name, i + 1,
                                              " ".join(form[1:]))
                        if outs is None:
                            flaky += 1
                            print("FLAKY %s: the same only on attempt %d"
                                  % (label, tries))
                            continue
                        differ += 1
                        print("DIFFERS %s (%d attempts)" % (label, tries))
                        for k, what in ((0, "exit"), (1, "stdout"),
                                        (2, "stderr"), (3, "stdout layout")):
                            if k == 3 and outs[0][1] != outs[1][1]:
                                break
                            if outs[0][k] != outs[1][k]:
                                print("  %s:" % what)
                                a = str(outs[1][k]).splitlines()
                                b = str(outs[0][k]).splitlines()
                                for ln in list(difflib.unified_diff(
                                        a, b, "old", "new",
                                        lineterm=""))[:40]:
                                    print("  " + ln)
                        sys.stdout.flush()
        finally:
            lab.stop()
            shutil.rmtree(state, ignore_errors=True)
        print("compare: %d run(s) differ, %d the same only on a retry"
              % (differ, flaky))
        return 1 if differ else 0
    if cmd == "demo":
        state = tempfile.mkdtemp(prefix="mxprobe-demo.")
        os.chmod(state, 0o755)
        lab = Lab(state, scenarios(sys.argv[2:]))
        try:
            lab.start_smtp()
            lab.start_dns()
            lab.start_prop_dns()
            lab.start_postfix()
            lab.start_https()
            lab.start_hostile_dns()
            for name in sys.argv[2:]:
                if is_netns(name):
                    print("(%s runs in a network namespace: lab.py check)"
                          "\n" % name)
                    continue
                args = lab.base_args() + ["--domain", name + ".mxlab.test"]
                print("$ mxprobe --domain %s.mxlab.test" % name)
                sys.stdout.flush()
                r = subprocess.run(args)
                print("(exit status %d)\n" % r.returncode)
                sys.stdout.flush()
        finally:
            lab.stop()
            shutil.rmtree(state, ignore_errors=True)
        return 0
    print(__doc__)
    return 3


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    sys.exit(main())
