#!/usr/bin/python3
"""Benchmark: mxprobe --batch against posttls-finger on a generated lab.

  bench/bench.py [-n N] [-p P,P,...] [-j J,J,...] [-r RUNS] [--mxprobe BIN]
                 [--baseline BIN] [--hosted] [--hosters H] [--dkim]
                 [--lengths L,L,...] [--lengths-p P] [--all]
                 [--no-finger] [--no-single] [--dns-only]
                 [--single-only] [--single-runs K]

Builds a lab of N generated mail domains (default 1,000) on loopback:
  - one zone bench.test with dN.bench.test for N domains, each with two
    exchangers dN-mx1.bench.test (127.0.60.1) and dN-mx2.bench.test
    (127.0.60.2), an SPF record and a DMARC record;
  - NSD serving it on 127.0.61.1 port 53 (posttls-finger uses the
    system resolver, which only speaks to port 53);
  - two real Postfix instances (tests/lab/postfix-lab.sh) on 127.0.60.1
    and 127.0.60.2 at one free port, offering STARTTLS with a lab CA
    certificate for *.bench.test.

Then runs, in that one lab and for each of RUNS rounds (default 1):
  - posttls-finger (Debian's postfix package) over the list with
    `xargs -P 16`, in a private mount namespace whose /etc/resolv.conf
    names the lab's NSD (posttls-finger stops at the first exchanger
    that answers, so it does half the handshakes);
  - `mxprobe --batch LIST --json --parallel P --jobs J` for each P
    (default 16,64,200,500) and, back to back for one P, each J (default
    1: one process, as the earlier figures; "auto" is mxprobe's own
    default), both exchangers of each domain probed with STARTTLS (the
    --baseline binary is given no --jobs: it runs with its own default,
    which for a binary that has --jobs is auto, one worker per CPU from
    100 names on; compare it with the "-j auto" row, not "-j 1");
  - with --baseline BIN, the same mxprobe run with BIN right after each
    (before/after figures from one lab, back to back; which of the two
    goes first turns round by round, so that neither always meets the
    servers first: use an even RUNS);
and prints, per run: domains/s, CPU ms per domain (user+sys of the
process and its children, from wait4: the --jobs workers included), peak
RSS (GNU time's, of the largest process), the number of UNKNOWN
statuses, verified TLS sessions in the output, SMTP connections the two
Postfix instances logged, and mxprobe's domains/s as a ratio of
posttls-finger's in the same round.  With RUNS > 1, the medians.

Optional sets of domains, in the same zone and the same rounds:
  --hosted   N domains hN.bench.test whose exchangers are those of H
             hosting providers (hostK-mx1/-mx2.bench.test, K = i mod H,
             --hosters, default 4): each P is run with sharing (one
             session per exchanger and run, src/probe/share.c) and with
             --no-share, one after the other;
  --dkim     N domains kN.bench.test like dN with DKIM keys at four
             commonly guessed selectors (default, selector1, google:
             RSA 2048; s1: Ed25519), so _domainkey.kN is an empty
             non-terminal and every guess is asked and every key decoded;
  --lengths  lists of the first L dN domains (L up to any length: the
             zone grows to the longest) at --parallel --lengths-p
             (default 64): CPU per domain and peak RSS against the list
             length;
  --all      all three (--lengths 100,5000).
Last, unless --no-single:
  - single: 20 (--single-runs) runs of `mxprobe --json --domain
    d0.bench.test`: median process wall and CPU (user+sys), the probe's
    own elapsed_ms, and the lab's floor for two exchangers: both
    exchangers' SMTP sessions (connect, banner, EHLO, STARTTLS, verified
    TLS handshake, EHLO, QUIT) at the same time from this Python
    process, no process start-up, no DNS; measured once per iteration,
    each iteration then runs every binary (--mxprobe, --baseline) once,
    in an order that turns, so before/after share the same moments;
  - slow: 3 runs of `mxprobe --domain slow3.bench.test`, whose three
    exchangers (tests/lab/faultsmtp.py, 127.0.62.1-3) each wait 2 s
    before their greeting: the process wall against 2 s.

--single-only runs the single and slow runs alone (no posttls-finger, no
batch run; -n 1 makes the lab quick to build): the start-up and
single-domain figures, before/after with --baseline.

Requires root (Postfix, port 53, unshare): run it in a private network
namespace, e.g. `/work/wt/ns python3 bench/bench.py`.  Not part of
`make check`: speed is measured here, never asserted in a test.  `make
bench` runs it (BENCH_ARGS=...).  Traffic goes to 127.0.0.0/8 only.
MXPROBE_BENCH_KEEP=1 keeps the state directory (outputs, logs).
"""
import argparse
import base64
import json
import os
import resource
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "tests", "lab")
sys.path.insert(0, LAB)
import lab  # noqa: E402

MX_ADDRS = ("127.0.60.1", "127.0.60.2")
DNS_ADDR = "127.0.61.1"
SLOW_ADDRS = ("127.0.62.1", "127.0.62.2", "127.0.62.3")
SLOW_MS = 2000
ZONE = "bench.test"
# Commonly guessed selectors (all in src/parse/dkim.c's list) and the
# key type published at each in the --dkim set.
DKIM_SELECTORS = (("default", "rsa"), ("selector1", "rsa"),
                  ("google", "rsa"), ("s1", "ed25519"))


def dkim_keys(state):
    """{"rsa": base64 SubjectPublicKeyInfo, "ed25519": raw key base64}."""
    keys = {}
    for kind, gen in (("rsa", ["-algorithm", "RSA", "-pkeyopt",
                               "rsa_keygen_bits:2048"]),
                      ("ed25519", ["-algorithm", "ED25519"])):
        path = os.path.join(state, "dkim-%s.key" % kind)
        subprocess.run(["openssl", "genpkey"] + gen + ["-out", path],
                       check=True, capture_output=True)
        der = subprocess.run(["openssl", "pkey", "-in", path, "-pubout",
                              "-outform", "DER"], check=True,
                             capture_output=True).stdout
        if kind == "ed25519":
            der = der[-32:]     # RFC 8463: the raw 32-byte key
        keys[kind] = base64.b64encode(der).decode()
    return keys


def txt(value):
    """A TXT record's data as zone-file strings of at most 255 bytes."""
    return " ".join('"%s"' % value[i:i + 255]
                    for i in range(0, len(value), 255))


def write_two(f, d, mx1, mx2, spf=True):
    f.write("%s IN MX 10 %s\n%s IN MX 20 %s\n" % (d, mx1, d, mx2))
    if spf:
        f.write('%s IN TXT "v=spf1 mx -all"\n' % d)
    f.write('_dmarc.%s IN TXT "v=DMARC1; p=reject; '
            'rua=mailto:dmarc@%s.%s"\n' % (d, d, ZONE))


def write_zone(path, n, hosted=0, hosters=4, dkim=0, keys=None):
    with open(path, "w") as f:
        f.write("$ORIGIN %s.\n$TTL 3600\n" % ZONE)
        f.write("@ IN SOA ns1.%s. hostmaster.%s. "
                "( 1 3600 600 604800 300 )\n" % (ZONE, ZONE))
        f.write("@ IN NS ns1\nns1 IN A %s\n" % DNS_ADDR)
        for i in range(n):
            d = "d%d" % i
            write_two(f, d, d + "-mx1", d + "-mx2")
            f.write("%s-mx1 IN A %s\n%s-mx2 IN A %s\n" %
                    (d, MX_ADDRS[0], d, MX_ADDRS[1]))
        # Hosted mail: hN names the exchangers of provider N mod H.
        for k in range(hosters if hosted else 0):
            f.write("host%d-mx1 IN A %s\nhost%d-mx2 IN A %s\n" %
                    (k, MX_ADDRS[0], k, MX_ADDRS[1]))
        for i in range(hosted):
            k = i % hosters
            write_two(f, "h%d" % i, "host%d-mx1" % k, "host%d-mx2" % k)
        # DKIM: keys at commonly guessed selectors; _domainkey.kN is an
        # empty non-terminal (NODATA), so every guess is asked.
        for i in range(dkim):
            d = "k%d" % i
            write_two(f, d, d + "-mx1", d + "-mx2")
            f.write("%s-mx1 IN A %s\n%s-mx2 IN A %s\n" %
                    (d, MX_ADDRS[0], d, MX_ADDRS[1]))
            for sel, kind in DKIM_SELECTORS:
                f.write("%s._domainkey.%s IN TXT %s\n" %
                        (sel, d, txt("v=DKIM1; k=%s; p=%s" %
                                     (kind, keys[kind]))))
        # slow3: three exchangers that each greet after SLOW_MS.
        for j, a in enumerate(SLOW_ADDRS):
            f.write("slow3 IN MX %d slow3-mx%d\nslow3-mx%d IN A %s\n" %
                    (10 * (j + 1), j + 1, j + 1, a))
        f.write('slow3 IN TXT "v=spf1 mx -all"\n')


def start_nsd(state, n, **sets):
    zdir = os.path.join(state, "zones")
    os.makedirs(zdir)
    write_zone(os.path.join(zdir, ZONE + ".zone"), n, **sets)
    cf = os.path.join(state, "nsd.conf")
    with open(cf, "w") as f:
        conf = lab.nsd_conf(state, [DNS_ADDR], 53,
                            {ZONE: os.path.join(zdir, ZONE + ".zone")})
        # Debian's NSD is built with --enable-ratelimit and answers at
        # most 200 queries/s from one source by default (rrl-ratelimit):
        # the benchmark's one client would measure that limit (about 4
        # domains/s at 57 queries each), not mxprobe.
        conf = conf.replace("server:\n", "server:\n  rrl-ratelimit: 0\n"
                            "  rrl-whitelist-ratelimit: 0\n", 1)
        f.write(conf)
    p = subprocess.Popen([lab.NSD, "-d", "-c", cf],
                         stdout=open(os.path.join(state, "nsd.out"), "w"),
                         stderr=subprocess.STDOUT)
    L = lab.Lab(state, [])
    L.wait_dns(addr=DNS_ADDR, port=53, zone=b"\x05bench\x04test")
    if p.poll() is not None:
        raise SystemExit("nsd exited: see %s/nsd.out" % state)
    return p


def start_postfix(state, port, procs):
    certs = os.path.join(state, "certs")
    name = "*." + ZONE
    r = subprocess.run(["sh", os.path.join(LAB, "mkcerts.sh"), certs,
                        name], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("mkcerts.sh: " + r.stderr)
    dirs = []
    for i, addr in enumerate(MX_ADDRS):
        d = os.path.join(state, "postfix%d" % (i + 1))
        r = subprocess.run(
            ["bash", os.path.join(LAB, "postfix-lab.sh"), "start", d, addr,
             str(port), os.path.join(certs, name + ".pem"),
             os.path.join(certs, name + ".key"),
             os.path.join(certs, "ca.pem"), "mx%d.%s" % (i + 1, ZONE)],
            capture_output=True, text=True)
        if r.returncode == 77:
            raise SystemExit("postfix is not installed")
        if r.returncode != 0:
            raise SystemExit("postfix-lab.sh: " + r.stdout + r.stderr)
        dirs.append(d)
        # Enough smtpd processes that --parallel 500 is not queued
        # behind Postfix's default limit of 100.
        etc = os.path.join(d, "etc")
        subprocess.run(["postconf", "-c", etc, "-e",
                        "default_process_limit = %d" % procs], check=True)
        subprocess.run(["postfix", "-c", etc, "reload"],
                       capture_output=True, check=True)
    return dirs, os.path.join(certs, "ca.pem")


def start_slow(state):
    """tests/lab/faultsmtp.py on SLOW_ADDRS, each greeting after SLOW_MS:
    (state dir, port, CA file)."""
    sd = os.path.join(state, "slow")
    os.makedirs(sd)
    cf = os.path.join(state, "slow.conf")
    with open(cf, "w") as f:
        for j, a in enumerate(SLOW_ADDRS):
            f.write("%s slow_banner delay=%d cert=slow3-mx%d.%s\n" %
                    (a, SLOW_MS, j + 1, ZONE))
    port = lab.free_port_on(list(SLOW_ADDRS))
    r = subprocess.run(["bash", os.path.join(LAB, "smtp-lab.sh"), "start",
                        sd, str(port), cf], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("smtp-lab.sh: " + r.stdout + r.stderr)
    return sd, port, os.path.join(sd, "certs", "ca.pem")


def smtp_connections(args):
    """Connections both Postfix instances have logged so far."""
    n = 0
    for d in args.pf:
        try:
            with open(os.path.join(d, "maillog"), "rb") as f:
                n += sum(1 for ln in f if b"]: connect from " in ln)
        except OSError:
            pass
    return n


def timed(cmd, out_path, **kw):
    """Run cmd with stdout to out_path; wall s, rusage (of cmd and its
    waited-for descendants), exit status, peak RSS in KiB.

    The peak RSS is GNU time's (%M: the largest of cmd's tree), not
    wait4's: a child forked from this Python process counts the
    parent's pages until it calls exec (Linux keeps the larger of the
    two high-water marks), so ru_maxrss here never falls below the
    bench's own size (about 25 MiB)."""
    rss_path = out_path + ".rss"
    cmd = ["/usr/bin/time", "-f", "%M", "-o", rss_path, "--"] + cmd
    with open(out_path, "w") as out, open(out_path + ".err", "w") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err,
                             **kw)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    with open(rss_path) as f:
        rss = int(f.read().split()[-1])
    return dt, ru, p.returncode, rss


def counted(args, fn):
    """fn()'s result, with the SMTP connections the servers logged."""
    before = smtp_connections(args)
    r = fn()
    time.sleep(0.3)             # postlogd writes the last lines
    r["conns"] = smtp_connections(args) - before
    return r


def mx_base(args, binary):
    return [binary, "--resolver", "%s:53" % DNS_ADDR,
            "--allow-loopback", "--smtp-port", str(args.smtp_port),
            "--ca-file", args.ca, "--ehlo", "mxprobe.bench.test"]


def run_mxprobe(args, state, bf, par, n, what, binary=None, extra=()):
    binary = binary or args.mxprobe
    cmd = mx_base(args, binary) + ["--batch", bf, "--json", "--parallel",
                                   str(par)] + list(extra)
    if args.dns_only:
        cmd.append("--dns-only")
    out = os.path.join(state, "out-%d.jsonl" % len(os.listdir(state)))
    dt, ru, rc, rss = timed(cmd, out)
    lines = [ln for ln in open(out) if ln.strip()]
    unknown = 0
    bad = 0
    hs = 0
    for ln in lines:
        try:
            doc = json.loads(ln)
        except ValueError:
            bad += 1
            continue
        if doc.get("status") == "unknown":
            unknown += 1
        for mx in doc.get("mx", []):
            for s in mx.get("smtp", []):
                if (s.get("tls") or {}).get("verify_ok"):
                    hs += 1
    return {"what": what, "n": n, "wall": dt,
            "cpu": ru.ru_utime + ru.ru_stime, "rss": rss,
            "unknown": unknown + bad + (n - len(lines)), "tls": hs,
            "rc": rc}


def run_finger(args, state, bf, n):
    resolv = os.path.join(state, "resolv.conf")
    with open(resolv, "w") as f:
        f.write("nameserver %s\noptions attempts:5 timeout:2\n" % DNS_ADDR)
    # One posttls-finger per domain: DOMAIN:PORT, MX lookup, TLS at
    # level secure (the default without DNSSEC) with the lab CA.
    sh = ('mount --bind "$1" /etc/resolv.conf && '
          'sed "s/\\$/:%d/" "$2" | xargs -P 16 -n 1 '
          'posttls-finger -c -l secure -F "$3" -t 10 -T 30'
          % args.smtp_port)
    cmd = ["unshare", "-m", "sh", "-c", sh, "finger", resolv, bf, args.ca]
    out = os.path.join(state, "out-finger.txt")
    # posttls-finger reads main.cf: the first lab instance's will do.
    env = dict(os.environ, MAIL_CONFIG=os.path.join(args.pf[0], "etc"))
    dt, ru, rc, rss = timed(cmd, out, env=env)
    text = open(out).read()
    ok = text.count("Verified TLS connection established")
    return {"what": "posttls-finger -P 16", "n": n, "wall": dt,
            "cpu": ru.ru_utime + ru.ru_stime, "rss": rss,
            "unknown": n - ok, "tls": ok, "rc": rc}


def smtp_floor_session(addr, port, name, ctx, errors):
    """One exchanger's STARTTLS session, as lean as it gets."""
    try:
        s = socket.create_connection((addr, port), timeout=10)
        f = s.makefile("rb")

        def reply():
            while True:
                ln = f.readline()
                if not ln or ln[3:4] != b"-":
                    return ln
        reply()
        s.sendall(b"EHLO floor.bench.test\r\n")
        reply()
        s.sendall(b"STARTTLS\r\n")
        if not reply().startswith(b"220"):
            raise OSError("no STARTTLS")
        f.close()
        t = ctx.wrap_socket(s, server_hostname=name)
        f = t.makefile("rb")
        t.sendall(b"EHLO floor.bench.test\r\n")
        reply()
        t.sendall(b"QUIT\r\n")
        reply()
        f.close()
        t.close()
    except (OSError, ssl.SSLError) as e:
        errors.append(str(e))


def smtp_floor(args):
    """The lab's floor for two exchangers, in ms: both sessions of
    d0.bench.test at once, in this process (no start-up, no DNS)."""
    ctx = ssl.create_default_context(cafile=args.ca)
    errors = []
    th = [threading.Thread(target=smtp_floor_session,
                           args=(a, args.smtp_port,
                                 "d0-mx%d.%s" % (i + 1, ZONE), ctx,
                                 errors))
          for i, a in enumerate(MX_ADDRS)]
    t0 = time.monotonic()
    for t in th:
        t.start()
    for t in th:
        t.join()
    dt = 1000 * (time.monotonic() - t0)
    if errors:
        raise SystemExit("floor session failed: %s" % errors[0])
    return dt


def run_single(args, binaries, runs=20):
    """`mxprobe --domain d0` one at a time, each binary once per
    iteration after one floor measurement (the binaries' order turns
    every iteration, so that the machine's load falls on both alike).
    Per binary: medians of the process wall, its CPU (user+sys, wait4),
    the probe's own elapsed_ms, and of the floor, in ms."""
    per = {b: {"wall": [], "cpu": [], "probe": []} for b in binaries}
    floors = []
    for i in range(runs):
        floors.append(smtp_floor(args))
        for binary in binaries[::1 - 2 * (i % 2)]:
            cmd = mx_base(args, binary) + ["--json", "--domain",
                                           "d0.%s" % ZONE]
            ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.monotonic()
            r = subprocess.run(cmd, capture_output=True, text=True)
            per[binary]["wall"].append(1000 * (time.monotonic() - t0))
            ru = resource.getrusage(resource.RUSAGE_CHILDREN)
            per[binary]["cpu"].append(1000 * (
                ru.ru_utime + ru.ru_stime - ru0.ru_utime - ru0.ru_stime))
            doc = json.loads(r.stdout)
            per[binary]["probe"].append(doc.get("elapsed_ms", 0))
            if doc.get("status") == "unknown":
                raise SystemExit("single run: status unknown")
    floor = statistics.median(floors)
    return {b: (statistics.median(v["wall"]), statistics.median(v["cpu"]),
                statistics.median(v["probe"]), floor)
            for b, v in per.items()}


def run_slow(args, binary, port, ca, runs=3):
    """`mxprobe --domain slow3.bench.test`: median process wall (s) and
    whether every exchanger was probed to a verified TLS session."""
    cmd = [binary, "--resolver", "%s:53" % DNS_ADDR,
           "--allow-loopback", "--smtp-port", str(port), "--ca-file", ca,
           "--ehlo", "mxprobe.bench.test", "--json", "--domain",
           "slow3.%s" % ZONE]
    walls, ok = [], True
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.monotonic() - t0)
        doc = json.loads(r.stdout)
        verified = sum(1 for mx in doc.get("mx", [])
                       for s in mx.get("smtp", [])
                       if (s.get("tls") or {}).get("verify_ok"))
        ok = ok and verified == len(SLOW_ADDRS)
    return statistics.median(walls), ok


HEAD = "%-34s %8s %8s %7s %7s %6s %6s %6s"
ROW = "%-34s %8.1f %8.2f %7.1f %7d %6d %6s %6s"


def show(r, finger_rate):
    n = r["n"]
    rate = n / r["wall"]
    ratio = "%.2f" % (rate / finger_rate) if finger_rate else "-"
    conns = "%d" % r["conns"] if r.get("conns") is not None else "-"
    print(ROW % (r["what"], rate, 1000 * r["cpu"] / n, r["rss"] / 1024,
                 r["unknown"], r["tls"], conns, ratio), flush=True)


def load():
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="One command: `/work/wt/ns python3 bench/bench.py` (or "
        "`make bench`, BENCH_ARGS=...). Results and how to read them: "
        "doc/performance.md.")
    ap.add_argument("-n", type=int, default=1000,
                    help="domains in each set (default 1000)")
    ap.add_argument("-p", default="16,64,200,500",
                    help="--parallel values, comma-separated")
    ap.add_argument("-j", default="1",
                    help="--jobs values (N or auto), comma-separated "
                    "(default 1)")
    ap.add_argument("-r", type=int, default=1, help="rounds (medians)")
    ap.add_argument("--mxprobe", default=lab.MXPROBE,
                    help="the mxprobe binary (default: this tree's)")
    ap.add_argument("--baseline", metavar="BIN",
                    help="also run every mxprobe run with BIN, right "
                    "after (before/after)")
    ap.add_argument("--hosted", action="store_true",
                    help="the hosted set: shared exchangers, with and "
                    "without --no-share")
    ap.add_argument("--hosters", type=int, default=4,
                    help="hosting providers in the hosted set (default 4)")
    ap.add_argument("--dkim", action="store_true",
                    help="the DKIM set: keys at 4 guessed selectors")
    ap.add_argument("--lengths", default="",
                    help="list lengths for CPU and RSS against length, "
                    "comma-separated")
    ap.add_argument("--lengths-p", type=int, default=64,
                    help="--parallel of the --lengths runs (default 64)")
    ap.add_argument("--all", action="store_true",
                    help="--hosted --dkim --lengths 100,5000")
    ap.add_argument("--no-finger", action="store_true",
                    help="no posttls-finger run")
    ap.add_argument("--no-single", action="store_true",
                    help="no single-domain and slow-greeting runs")
    ap.add_argument("--single-only", action="store_true",
                    help="only the single-domain and slow-greeting runs "
                    "(no posttls-finger, no batch run)")
    ap.add_argument("--single-runs", type=int, default=20,
                    help="runs of each binary in the single-domain "
                    "measurement (default 20)")
    ap.add_argument("--dns-only", action="store_true",
                    help="pass --dns-only to the batch runs")
    ap.add_argument("--postfix-procs", type=int, default=500)
    args = ap.parse_args()
    if args.n < 1 or args.single_runs < 1:
        ap.error("-n and --single-runs must be at least 1")
    if args.single_only and args.no_single:
        ap.error("--single-only and --no-single exclude each other")
    if args.all:
        args.hosted = args.dkim = True
        args.lengths = args.lengths or "100,5000"
    try:
        pars = [int(p) for p in args.p.split(",") if p]
        lengths = [int(x) for x in args.lengths.split(",") if x]
    except ValueError:
        ap.error("-p and --lengths take comma-separated numbers")
    jobs = [j for j in args.j.split(",") if j]
    if not jobs:
        ap.error("-j takes comma-separated --jobs values")
    if args.hosters < 1 or any(x < 1 for x in lengths):
        ap.error("--hosters and --lengths must be at least 1")
    if os.geteuid() != 0:
        raise SystemExit("bench.py needs root (Postfix, port 53, unshare)")
    # SIGTERM (and SIGINT in a background job) still stops the lab.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    state = tempfile.mkdtemp(prefix="mxprobe-bench.")
    os.chmod(state, 0o755)
    out = os.path.join(state, "out")
    os.makedirs(out)
    nsd = None
    pf = []
    slow = None
    args.pf = []
    try:
        nd = max([args.n] + lengths)
        keys = dkim_keys(state) if args.dkim else None
        nsd = start_nsd(state, nd, hosted=args.n if args.hosted else 0,
                        hosters=args.hosters,
                        dkim=args.n if args.dkim else 0, keys=keys)
        args.smtp_port = lab.free_port_on(list(MX_ADDRS))
        pf, args.ca = start_postfix(state, args.smtp_port,
                                    args.postfix_procs)
        args.pf = pf
        if not args.no_single:
            slow = start_slow(state)

        def listfile(name, prefix, count):
            path = os.path.join(state, name)
            with open(path, "w") as f:
                for i in range(count):
                    f.write("%s%d.%s\n" % (prefix, i, ZONE))
            return path
        bf = listfile("domains", "d", args.n)
        hf = listfile("hosted", "h", args.n) if args.hosted else None
        kf = listfile("dkim", "k", args.n) if args.dkim else None
        lf = {x: listfile("len%d" % x, "d", x) for x in lengths}
        binaries = [(args.mxprobe, "")]
        if args.baseline:
            binaries.append((args.baseline, " [baseline]"))
        print("%d domains, 2 exchangers each (Postfix, STARTTLS); mxprobe "
              "%s%s; %s; %d cores" %
              (args.n, args.mxprobe,
               "; baseline %s" % args.baseline if args.baseline else "",
               load(), os.cpu_count()), flush=True)
        print(HEAD % ("run", "domain/s", "cpu ms/d", "rss MiB", "UNKNOWN",
                      "tls ok", "conns", "ratio"), flush=True)
        results = {}
        finger = []

        def record(r, fr):
            results.setdefault(r["what"], []).append(r)
            show(r, fr)

        def mx(lst, n, par, label, extra=()):
            # Neither binary always meets the servers first (Postfix
            # starts its smtpd processes on demand): the order turns
            # round by round.
            for binary, tag in binaries[::1 - 2 * (rnd % 2)]:
                # --jobs only for this tree's binary: the baseline may
                # predate it (and is one process).
                for j in jobs if binary == args.mxprobe else [None]:
                    more = list(extra) + (["--jobs", j] if j else [])
                    name = label + (" -j %s" % j if j and len(jobs) > 1
                                    else "") + tag
                    r = counted(args, lambda: run_mxprobe(
                        args, out, lst, par, n, name, binary, more))
                    record(r, fr)

        for rnd in range(args.r if not args.single_only else 0):
            fr = None
            if not args.no_finger:
                r = counted(args, lambda: run_finger(args, out, bf, args.n))
                fr = args.n / r["wall"]
                finger.append(fr)
                record(r, None)
            for par in pars:
                mx(bf, args.n, par, "mxprobe -P %d" % par)
            for par in pars if args.hosted else ():
                mx(hf, args.n, par, "hosted -P %d" % par)
                mx(hf, args.n, par, "hosted -P %d --no-share" % par,
                   ["--no-share"])
            for par in pars if args.dkim else ():
                mx(kf, args.n, par, "dkim -P %d" % par)
            for x in lengths:
                mx(lf[x], x, args.lengths_p,
                   "mxprobe -P %d n=%d" % (args.lengths_p, x))
            print("(round %d done; %s)" % (rnd + 1, load()), flush=True)
        if args.r > 1 and not args.single_only:
            print("medians of %d rounds (rss, UNKNOWN: the largest; tls "
                  "ok: the smallest):" % args.r)
            fr = statistics.median(finger) if finger else None
            for what, rs in results.items():
                med = {"what": what, "n": rs[0]["n"],
                       "wall": statistics.median(x["wall"] for x in rs),
                       "cpu": statistics.median(x["cpu"] for x in rs),
                       "rss": max(x["rss"] for x in rs),
                       "unknown": max(x["unknown"] for x in rs),
                       "tls": min(x["tls"] for x in rs),
                       "conns": statistics.median(x["conns"] for x in rs)}
                show(med, None if what.startswith("posttls") else fr)
        singles = run_single(args, [b for b, _ in binaries],
                             args.single_runs) if not args.no_single else {}
        for binary, tag in binaries if not args.no_single else ():
            wall, cpu, probe, floor = singles[binary]
            print("single --domain d0%s: process wall %.1f ms, cpu %.1f "
                  "ms, probe elapsed_ms %.1f ms, two-exchanger floor %.1f "
                  "ms (medians of %d): wall/floor %.2fx" %
                  (tag, wall, cpu, probe, floor, args.single_runs,
                   wall / max(floor, 0.1)))
            wall, ok = run_slow(args, binary, slow[1], slow[2])
            print("slow3%s (3 exchangers, greeting after %.1f s each): "
                  "process wall %.2f s (median of 3): %.2fx; every "
                  "exchanger verified: %s" %
                  (tag, SLOW_MS / 1000, wall, wall / (SLOW_MS / 1000),
                   "yes" if ok else "NO"), flush=True)
        print(load())
        return 0
    finally:
        if slow is not None:
            subprocess.run(["bash", os.path.join(LAB, "smtp-lab.sh"),
                            "stop", slow[0]], capture_output=True)
        for d in pf:
            subprocess.run(["bash", os.path.join(LAB, "postfix-lab.sh"),
                            "stop", d], capture_output=True)
        if nsd is not None and nsd.poll() is None:
            nsd.terminate()
            nsd.wait(5)
        if os.environ.get("MXPROBE_BENCH_KEEP"):
            print("state kept in %s" % state)
        else:
            shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
