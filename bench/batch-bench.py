#!/usr/bin/python3
"""Benchmark: mxprobe --batch over many domains, against the hermetic lab.

  bench/batch-bench.py [N] [PARALLEL] [--dns-only]

Starts the lab (tests/lab/lab.py: NSD, the fault-injecting SMTP server,
Postfix where installed, the MTA-STS policy hosts; loopback only), writes
a batch file of N domains cycling through the lab's scenario domains,
runs `mxprobe --batch FILE --json --parallel PARALLEL` once, and prints
wall time, domains per second, the peak resident memory of mxprobe and
the number of JSON lines. Defaults: N=1000, PARALLEL=64.

Not part of `make check`: speed and memory are measured here, not
asserted in tests. `make bench` runs it.
"""
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lab"))
import lab  # noqa: E402


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    dns_only = "--dns-only" in sys.argv
    n = int(args[0]) if args else 1000
    par = int(args[1]) if len(args) > 1 else 64
    # Scenarios that answer quickly; tarpits and slow banners would only
    # measure their own timeouts.
    slow = {"tarpit", "slowbanner", "slow3", "endless", "auth-deadline",
            "badresolver", "sts-hang"}
    names = [s for s in lab.scenarios() if s not in slow and
             os.path.exists(os.path.join(lab.SCEN, s, "zone"))]
    state = tempfile.mkdtemp(prefix="mxprobe-bench.")
    os.chmod(state, 0o755)
    L = lab.Lab(state, lab.scenarios())
    try:
        L.start_smtp()
        L.start_dns()
        L.start_postfix()
        L.start_https()
        bf = os.path.join(state, "domains")
        with open(bf, "w") as f:
            for i in range(n):
                f.write("%s.mxlab.test\n" % names[i % len(names)])
        cmd = L.base_args() + ["--batch", bf, "--json", "--parallel",
                               str(par), "--step-timeout", "2"]
        if dns_only:
            cmd.append("--dns-only")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True)
        dt = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        lines = [l for l in p.stdout.splitlines() if l.strip()]
        print("domains:        %d (%d distinct lab domains)" %
              (n, len(names)))
        print("parallel:       %d%s" % (par, ", --dns-only" if dns_only
                                        else ""))
        print("json lines:     %d" % len(lines))
        print("exit status:    %d" % p.returncode)
        print("wall time:      %.2f s" % dt)
        print("domains/s:      %.1f" % (n / dt))
        print("cpu (user+sys): %.2f s" % (
            (after.ru_utime - before.ru_utime) +
            (after.ru_stime - before.ru_stime)))
        print("peak RSS:       %d KiB" % after.ru_maxrss)
        return 0 if len(lines) == n else 1
    finally:
        L.stop()


if __name__ == "__main__":
    sys.exit(main())
