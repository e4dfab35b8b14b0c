#!/usr/bin/python3
"""Benchmark: mxprobe --batch against posttls-finger on a generated lab.

  bench/bench.py [-n N] [-p P,P,...] [-j J,J,...] [-r RUNS]
                 [--mxprobe BIN] [--no-finger] [--dns-only]

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
  - `mxprobe --batch LIST --json --parallel P --jobs J` for each P
    (default 16,64,200,500) and, back to back for one P, each J (default
    1: one process, as the earlier figures; "auto" is mxprobe's own
    default), both exchangers of each domain probed with STARTTLS;
  - posttls-finger (Debian's postfix package) over the same list with
    `xargs -P 16`, in a private mount namespace whose /etc/resolv.conf
    names the lab's NSD (posttls-finger stops at the first exchanger
    that answers, so it does half the handshakes);
and prints, per run: domains/s, CPU ms per domain (user+sys of the
process and its children, from wait4: the --jobs workers included),
peak RSS (of the largest process, workers included), the number of UNKNOWN
statuses, and mxprobe's domains/s as a ratio of posttls-finger's.

Requires root (Postfix, port 53, unshare). Not part of `make check`:
speed is measured here, never asserted in a test. `make bench` runs it.
Traffic goes to 127.0.0.0/8 only.
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LAB = os.path.join(HERE, "..", "tests", "lab")
sys.path.insert(0, LAB)
import lab  # noqa: E402

MX_ADDRS = ("127.0.60.1", "127.0.60.2")
DNS_ADDR = "127.0.61.1"
ZONE = "bench.test"


def write_zone(path, n):
    with open(path, "w") as f:
        f.write("$ORIGIN %s.\n$TTL 3600\n" % ZONE)
        f.write("@ IN SOA ns1.%s. hostmaster.%s. "
                "( 1 3600 600 604800 300 )\n" % (ZONE, ZONE))
        f.write("@ IN NS ns1\nns1 IN A %s\n" % DNS_ADDR)
        for i in range(n):
            d = "d%d" % i
            f.write("%s IN MX 10 %s-mx1\n%s IN MX 20 %s-mx2\n" %
                    (d, d, d, d))
            f.write("%s-mx1 IN A %s\n%s-mx2 IN A %s\n" %
                    (d, MX_ADDRS[0], d, MX_ADDRS[1]))
            f.write('%s IN TXT "v=spf1 mx -all"\n' % d)
            f.write('_dmarc.%s IN TXT "v=DMARC1; p=reject; '
                    'rua=mailto:dmarc@%s.%s"\n' % (d, d, ZONE))


def start_nsd(state, n):
    zdir = os.path.join(state, "zones")
    os.makedirs(zdir)
    write_zone(os.path.join(zdir, ZONE + ".zone"), n)
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


def timed(cmd, out_path, **kw):
    """Run cmd with stdout to out_path; wall s, rusage (of cmd and its
    waited-for descendants), exit status."""
    with open(out_path, "w") as out, open(out_path + ".err", "w") as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err,
                             **kw)
        _, status, ru = os.wait4(p.pid, 0)
        dt = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru, p.returncode


def run_mxprobe(args, state, bf, par, n, dns_only, tag, jobs="1"):
    cmd = [args.mxprobe, "--resolver", "%s:53" % DNS_ADDR,
           "--allow-loopback", "--smtp-port", str(args.smtp_port),
           "--ca-file", args.ca, "--ehlo", "mxprobe.bench.test",
           "--batch", bf, "--json", "--parallel", str(par),
           "--jobs", jobs]
    if dns_only:
        cmd.append("--dns-only")
    out = os.path.join(state, "out-%s-%d-%s.jsonl" % (tag, par, jobs))
    dt, ru, rc = timed(cmd, out)
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
    return {"what": "mxprobe -P %d -j %s" % (par, jobs), "wall": dt,
            "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss,
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
    dt, ru, rc = timed(cmd, out, env=env)
    text = open(out).read()
    ok = text.count("Verified TLS connection established")
    return {"what": "posttls-finger -P 16", "wall": dt,
            "cpu": ru.ru_utime + ru.ru_stime, "rss": ru.ru_maxrss,
            "unknown": n - ok, "tls": ok, "rc": rc}


def run_single(args, state, runs=20):
    """One `mxprobe --domain` at a time: median process wall and the
    median of the probe's own elapsed_ms (its time on the network, the
    lab's floor for two exchangers), in ms."""
    cmd = [args.mxprobe, "--resolver", "%s:53" % DNS_ADDR,
           "--allow-loopback", "--smtp-port", str(args.smtp_port),
           "--ca-file", args.ca, "--ehlo", "mxprobe.bench.test",
           "--json", "--domain", "d0.%s" % ZONE]
    walls, probes = [], []
    for _ in range(runs):
        t0 = time.monotonic()
        r = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(1000 * (time.monotonic() - t0))
        probes.append(json.loads(r.stdout).get("elapsed_ms", 0))
    return statistics.median(walls), statistics.median(probes)


def show(r, n, finger_rate):
    rate = n / r["wall"]
    ratio = "%.2f" % (rate / finger_rate) if finger_rate else "-"
    print("%-22s %8.1f %8.2f %9d %8d %7d %6s" %
          (r["what"], rate, 1000 * r["cpu"] / n, r["rss"] // 1024,
           r["unknown"], r["tls"], ratio), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="domains")
    ap.add_argument("-p", default="16,64,200,500",
                    help="--parallel values, comma-separated")
    ap.add_argument("-j", default="1",
                    help="--jobs values (N or auto), comma-separated")
    ap.add_argument("-r", type=int, default=1, help="rounds")
    ap.add_argument("--mxprobe", default=lab.MXPROBE)
    ap.add_argument("--no-finger", action="store_true")
    ap.add_argument("--dns-only", action="store_true")
    ap.add_argument("--postfix-procs", type=int, default=500)
    args = ap.parse_args()
    if args.n < 1:
        ap.error("-n must be at least 1")
    pars = [int(p) for p in args.p.split(",") if p]
    jobs = [j for j in args.j.split(",") if j]
    if os.geteuid() != 0:
        raise SystemExit("bench.py needs root (Postfix, port 53, unshare)")
    # SIGTERM (and SIGINT in a background job) still stops the lab.
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(143))
    state = tempfile.mkdtemp(prefix="mxprobe-bench.")
    os.chmod(state, 0o755)
    nsd = None
    pf = []
    try:
        nsd = start_nsd(state, args.n)
        args.smtp_port = lab.free_port_on(list(MX_ADDRS))
        pf, args.ca = start_postfix(state, args.smtp_port,
                                    args.postfix_procs)
        args.pf = pf
        bf = os.path.join(state, "domains")
        with open(bf, "w") as f:
            for i in range(args.n):
                f.write("d%d.%s\n" % (i, ZONE))
        print("%d domains, 2 exchangers each (Postfix, STARTTLS); "
              "mxprobe %s" % (args.n, args.mxprobe))
        print("%-22s %8s %8s %9s %8s %7s %6s" %
              ("run", "domain/s", "cpu ms/d", "rss MiB", "UNKNOWN",
               "tls ok", "ratio"))
        results = {}
        for rnd in range(args.r):
            finger_rate = None
            if not args.no_finger:
                r = run_finger(args, state, bf, args.n)
                finger_rate = args.n / r["wall"]
                results.setdefault(r["what"], []).append(r)
                show(r, args.n, None)
            for par in pars:
                for j in jobs:
                    r = run_mxprobe(args, state, bf, par, args.n,
                                    args.dns_only, "r%d" % rnd, j)
                    results.setdefault(r["what"], []).append(r)
                    show(r, args.n, finger_rate)
        wall, probe = run_single(args, state)
        print("single --domain: process wall %.1f ms (median of 20), "
              "probe elapsed_ms %.1f ms: %.2fx" % (wall, probe,
                                                   wall / max(probe, 1)))
        if args.r > 1:
            print("medians of %d rounds:" % args.r)
            fr = None
            if not args.no_finger:
                fr = args.n / statistics.median(
                    x["wall"] for x in results["posttls-finger -P 16"])
            for what, rs in results.items():
                med = {"what": what,
                       "wall": statistics.median(x["wall"] for x in rs),
                       "cpu": statistics.median(x["cpu"] for x in rs),
                       "rss": max(x["rss"] for x in rs),
                       "unknown": max(x["unknown"] for x in rs),
                       "tls": min(x["tls"] for x in rs)}
                show(med, args.n, None if what.startswith("posttls")
                     else fr)
        return 0
    finally:
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
