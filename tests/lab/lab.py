#!/usr/bin/python3
"""The mxprobe test lab: real daemons on loopback, scenarios asserted.

  lab.py check [NAME...]   start the lab, run the scenarios, print TAP, stop
  lab.py demo NAME...      start the lab, print mxprobe's text report for
                           each scenario, stop
  lab.py start STATEDIR    start and leave running (prints the ports)
  lab.py stop STATEDIR

Each scenario is a directory tests/lab/scenarios/NAME/ with
  zone     the zone file of NAME.mxlab.test, as an administrator writes it
  smtp     optional: SMTP listeners it needs, "ADDR BEHAVIOUR [k=v...]"
           (tests/lab/faultsmtp.py behaviours)
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
             jsonl N             stdout is N lines of JSON (--batch)
           In args, {dir} is the scenario's directory, {nsport} the
           port of the --propagation name servers (below).
             nojson              stdout is not JSON (usage errors)

The daemons: NSD serves every scenario zone plus the parent zone
mxlab.test on 127.0.0.1 at a free port (a zone configured without a
zone file makes NSD answer SERVFAIL: servfail.mxlab.test). mxprobe runs
with --resolver 127.0.0.1:PORT --smtp-port SPORT --allow-loopback. No
address outside 127.0.0.0/8 is ever connected to.

For --propagation, two more NSD processes (start_prop_dns) listen on
127.0.0.53 and 127.0.0.54 at one free port: the name servers
propns1/propns2.mxlab.test that the parent zone delegates prop.mxlab.test
and propok.mxlab.test to. prop.mxlab.test differs between them
(scenarios/prop/ns1.zone, ns2.zone); propok.mxlab.test is the same on
both and on the lab's NSD (scenarios/propok/zone).
"""
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, "scenarios")
BUILD = os.environ.get("top_builddir", os.path.join(HERE, "..", ".."))
MXPROBE = os.environ.get("MXPROBE", os.path.join(BUILD, "src", "mxprobe"))
NSD = shutil.which("nsd", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", ""))


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


def scenarios(names=None):
    all_ = sorted(d for d in os.listdir(SCEN)
                  if os.path.isdir(os.path.join(SCEN, d)))
    if names:
        missing = [n for n in names if n not in all_]
        if missing:
            raise SystemExit("unknown scenario(s): " + " ".join(missing))
        return names
    return all_


class Lab:
    def __init__(self, state):
        self.state = state
        self.dns_port = None
        self.smtp_port = None
        self.procs = []

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
        shutil.copy(os.path.join(HERE, "zones", "mxlab.test.zone"), zdir)
        conf += ["zone:", "  name: mxlab.test",
                 "  zonefile: mxlab.test.zone"]
        for n in scenarios():
            z = os.path.join(SCEN, n, "zone")
            if not os.path.exists(z):
                continue
            shutil.copy(z, os.path.join(zdir, n + ".mxlab.test.zone"))
            conf += ["zone:", "  name: %s.mxlab.test" % n,
                     "  zonefile: %s.mxlab.test.zone" % n]
        # Configured, never loaded: NSD answers SERVFAIL for it.
        conf += ["zone:", "  name: servfail.mxlab.test",
                 "  zonefile: missing.zone"]
        cf = os.path.join(self.state, "nsd.conf")
        with open(cf, "w") as f:
            f.write("\n".join(conf) + "\n")
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

    def wait_dns(self, addr="127.0.0.1", port=None,
                 zone=b"\x05mxlab\x04test"):
        """Until NSD answers a query for the zone's SOA (5 s)."""
        port = port or self.dns_port
        q = (b"\x12\x34\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00" +
             zone + b"\x00\x00\x06\x00\x01")
        deadline = time.time() + 5
        while time.time() < deadline:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(0.2)
            try:
                s.sendto(q, (addr, port))
                r = s.recv(4096)
                if r[:2] == b"\x12\x34" and (r[3] & 0xf) == 0:
                    return
            except OSError:
                pass
            finally:
                s.close()
            time.sleep(0.05)
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
                f.write(nsd_conf(st, [addr], self.prop_port, {
                    "prop.mxlab.test": os.path.join(pdir, "ns%d.zone" % i),
                    "propok.mxlab.test": ok}))
            p = subprocess.Popen([NSD, "-d", "-c", cf],
                                 stdout=open(os.path.join(st, "nsd.out"),
                                             "w"),
                                 stderr=subprocess.STDOUT)
            self.procs.append(p)
            self.wait_dns(addr, self.prop_port, b"\x04prop\x05mxlab\x04test")

    # -- SMTP --------------------------------------------------------
    def smtp_config(self):
        lines = {}
        for n in scenarios():
            f = os.path.join(SCEN, n, "smtp")
            if not os.path.exists(f):
                continue
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

    def stop(self):
        if getattr(self, "smtp_state", None):
            subprocess.run(["bash", os.path.join(HERE, "smtp-lab.sh"),
                            "stop", self.smtp_state])
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()

    def base_args(self):
        a = [MXPROBE, "--resolver", "127.0.0.1:%d" % self.dns_port,
             "--allow-loopback", "--timeout", "20"]
        if self.smtp_port:
            a += ["--smtp-port", str(self.smtp_port)]
        ca = os.path.join(self.state, "smtp", "certs", "ca.pem")
        if os.path.exists(ca):
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


def run_scenario(lab, name):
    """Returns a list of (ok, description, diagnostic)."""
    out = []
    runs = parse_expect(name)
    for i, exp in enumerate(runs):
        label = name if len(runs) == 1 else "%s/%d" % (name, i + 1)
        out += run_one(lab, name, label, exp)
    return out


def run_one(lab, zone, name, exp):
    domain = zone + ".mxlab.test"
    extra = []
    text = False
    for kw, rest in exp:
        if kw == "args":
            extra += shlex.split(rest.replace(
                "{dir}", os.path.join(SCEN, zone)).replace(
                "{nsport}", str(getattr(lab, "prop_port", 0))))
        elif kw == "domain":
            domain = rest
    if "--text" in extra:
        extra.remove("--text")
        text = True
    args = lab.base_args() + ([] if text else ["--json"])
    if "--resolver" in extra:
        # The scenario names its own resolver: drop the lab's.
        i = args.index("--resolver")
        del args[i:i + 2]
    args += ["--domain", domain] if domain != "-" else []
    args += extra
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return [(False, "%s: mxprobe finishes" % name, "hung for 60 s")]
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
    for kw, rest in exp:
        if kw in ("args", "domain"):
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
        elif kw == "nojson":
            out.append((not p.stdout.strip().startswith("{"),
                        "%s: no report on stdout" % name,
                        "stdout=%r" % p.stdout[:200]))
        else:
            out.append((False, "%s: known assertion %s" % (name, kw), ""))
    return out


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 3
    cmd = sys.argv[1]
    if cmd == "check":
        state = tempfile.mkdtemp(prefix="mxprobe-lab.")
        lab = Lab(state)
        n = failed = 0
        try:
            lab.start_dns()
            lab.start_prop_dns()
            lab.start_smtp()
            for name in scenarios(sys.argv[2:]):
                for ok, desc, diag in run_scenario(lab, name):
                    n += 1
                    print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
                    if not ok:
                        failed += 1
                        print("#   " + diag.replace("\n", "\n#   "))
                    sys.stdout.flush()
        finally:
            lab.stop()
            if failed == 0 and not os.environ.get("MXPROBE_LAB_KEEP"):
                shutil.rmtree(state, ignore_errors=True)
            else:
                print("# lab state kept in %s" % state)
        print("1..%d" % n)
        return 1 if failed else 0
    if cmd == "demo":
        state = tempfile.mkdtemp(prefix="mxprobe-demo.")
        lab = Lab(state)
        try:
            lab.start_dns()
            lab.start_prop_dns()
            lab.start_smtp()
            for name in sys.argv[2:]:
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
