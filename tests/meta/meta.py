#!/usr/bin/python3
"""Meta-tests: the documentation says what the sources do (TAP).

Run by tests/meta/t_meta.sh from `make check`. Every check reads the
sources, so a finding or an option added without its documentation
fails here:

- `mxprobe --list-findings` lists exactly the codes of src/analyze/catalogue.def;
- every code is in doc/mxprobe-findings.7, doc/ja/mxprobe-findings.7 and
  doc/findings.md, and the generated documents (those three and the
  generated part of doc/scoring.md) are what
  tests/meta/gen-findings-doc.py makes now;
- every option of the getopt table in src/app/cli.c (long and short) is in
  doc/mxprobe.1's and doc/ja/mxprobe.1's option lists, in `mxprobe --help`,
  in README.md's option table and in contrib/mxprobe.bash-completion, and
  none of them lists an option that no longer exists;
- EXIT STATUS of doc/mxprobe.1 and doc/ja/mxprobe.1 lists 0, 1, 2 and 3;
- the manual pages pass mandoc -Tlint (or groff -ww when mandoc is not
  installed);
- the bash completion completes options and --color's values.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("top_srcdir", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
MXPROBE = os.environ.get("MXPROBE", os.path.join(BUILD, "src", "mxprobe"))
GEN = os.path.join(SRC, "tests", "meta", "gen-findings-doc.py")

n = 0
failed = 0


def ok(cond, desc, diag=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond:
        failed += 1
        if diag:
            print("#   " + str(diag).replace("\n", "\n#   "))
    sys.stdout.flush()


def skip(desc, why):
    global n
    n += 1
    print("ok %d - %s # SKIP %s" % (n, desc, why))


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read()


def missing(want, have):
    return [w for w in want if w not in have]


# -- the catalogue ---------------------------------------------------------
def catalogue_codes():
    """The codes of src/analyze/catalogue.def, in order, read as text (a second
    reading, independent of the C compiler)."""
    text = re.sub(r"/\*.*?\*/", "", read("src/analyze/catalogue.def"), flags=re.S)
    return re.findall(r"^\s*FINDING\(\s*([A-Z][A-Z0-9_]*)\s*,", text, re.M)


def check_findings():
    import json
    codes = catalogue_codes()
    ok(len(codes) > 0, "src/analyze/catalogue.def has FINDING() entries")
    p = subprocess.run([MXPROBE, "--list-findings"], capture_output=True)
    listed = []
    try:
        doc = json.loads(p.stdout.decode("utf-8"))
        listed = [e["code"] for e in doc]
        shape = all(set(e) >= {"code", "severity", "category", "penalty",
                               "title", "remedy", "reference"}
                    and isinstance(e["penalty"], int) for e in doc)
    except (ValueError, KeyError, TypeError) as e:
        doc, shape = None, False
        ok(False, "--list-findings prints JSON", e)
    ok(p.returncode == 0, "--list-findings exits 0", p.returncode)
    q = subprocess.run([MXPROBE, "--list-findings", "stray"],
                       capture_output=True)
    ok(q.returncode == 3 and q.stdout == b"",
       "--list-findings with a stray argument is a usage error (3)",
       q.returncode)
    ok(shape, "--list-findings: every entry has code, severity, category, "
       "penalty, title, remedy, reference")
    ok(listed == codes, "--list-findings lists the codes of catalogue.def",
       "only in catalogue.def: %s; only in --list-findings: %s" % (
           missing(codes, listed), missing(listed, codes)))
    dups = sorted({c for c in codes if codes.count(c) > 1})
    ok(not dups, "no code is defined twice", dups)

    man = read("doc/mxprobe-findings.7")
    in_man = set(re.findall(r"^\.It Sy ([A-Z][A-Z0-9_]*)$", man, re.M))
    ok(not missing(codes, in_man), "every code is in doc/mxprobe-findings.7",
       "missing: %s" % missing(codes, in_man))
    ok(not missing(in_man, codes), "doc/mxprobe-findings.7 lists no "
       "unknown code", "unknown: %s" % missing(in_man, codes))
    man = read("doc/ja/mxprobe-findings.7")
    in_man = set(re.findall(r"^\.It Sy ([A-Z][A-Z0-9_]*)$", man, re.M))
    ok(in_man == set(codes), "doc/ja/mxprobe-findings.7 lists every code "
       "and no other", "missing: %s; unknown: %s" % (
           missing(codes, in_man), missing(in_man, codes)))
    md = read("doc/findings.md")
    in_md = set(re.findall(r"^### `([A-Z][A-Z0-9_]*)`$", md, re.M))
    ok(not missing(codes, in_md), "every code is in doc/findings.md",
       "missing: %s" % missing(codes, in_md))
    ok(not missing(in_md, codes), "doc/findings.md lists no unknown code",
       "unknown: %s" % missing(in_md, codes))

    tmp = tempfile.mkdtemp(prefix="mxprobe-meta.")
    try:
        g = subprocess.run([sys.executable, GEN, "--srcdir", SRC,
                            "--mxprobe", MXPROBE, "--outdir", tmp],
                           capture_output=True, text=True)
        ok(g.returncode == 0, "gen-findings-doc.py runs", g.stderr)
        for name in ("mxprobe-findings.7", "findings.md", "scoring.md",
                     "ja/mxprobe-findings.7"):
            d = subprocess.run(["diff", "-u",
                                os.path.join(SRC, "doc", name),
                                os.path.join(tmp, name)],
                               capture_output=True, text=True)
            ok(g.returncode == 0 and d.returncode == 0,
               "doc/%s is up to date (else run: python3 "
               "tests/meta/gen-findings-doc.py)" % name,
               d.stdout[:3000] or d.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# -- options ---------------------------------------------------------------
def getopt_table():
    """(long options, long options with a value, short options) of the
    getopt table in src/app/cli.c."""
    c = read("src/app/cli.c")
    m = re.search(r"struct option\s+\w+\[\]\s*=\s*\{(.*?)\n\};", c, re.S)
    if not m:
        return [], [], []
    rows = re.findall(r'\{\s*"([a-z0-9-]+)"\s*,\s*(\w+)', m.group(1))
    longs = [r[0] for r in rows]
    valued = [r[0] for r in rows if r[1] == "required_argument"]
    s = re.search(r'getopt_long\s*\([^"]*"([^"]*)"', c)
    shorts = [ch for ch in (s.group(1) if s else "") if ch != ":"]
    return longs, valued, shorts


def long_in(name, text):
    return re.search(r"--%s(?![\w-])" % re.escape(name), text) is not None


def check_options():
    longs, valued, shorts = getopt_table()
    ok(len(longs) > 10 and len(shorts) > 0,
       "the getopt table of src/app/cli.c is found", (longs, shorts))

    for page in ("doc/mxprobe.1", "doc/ja/mxprobe.1"):
        man = read(page)
        items = "\n".join(l for l in man.splitlines()
                          if l.startswith(".It "))
        man_longs = re.findall(r"\bFl -([a-z0-9][a-z0-9-]*)", items)
        man_shorts = re.findall(r"\bFl ([A-Za-z0-9])(?=\s|$)", items)
        ok(not missing(longs, man_longs), "every long option is in "
           "%s" % page, "missing: %s" % missing(longs, man_longs))
        ok(not missing(shorts, man_shorts), "every short option is in "
           "%s" % page, "missing: %s" % missing(shorts, man_shorts))
        ok(not missing(man_longs, longs) and
           not missing(man_shorts, shorts),
           "%s lists no option that does not exist" % page,
           "unknown: %s" % (missing(man_longs, longs) +
                            missing(man_shorts, shorts)))

    p = subprocess.run([MXPROBE, "--help"], capture_output=True, text=True)
    ok(p.returncode == 0, "--help exits 0", p.returncode)
    ml = [o for o in longs if not long_in(o, p.stdout)]
    ms = [o for o in shorts
          if not re.search(r"(^|[\s,])-%s\b" % o, p.stdout, re.M)]
    ok(not ml and not ms, "every option is in --help", "missing: %s" %
       (ml + ms))
    help_longs = re.findall(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)", p.stdout)
    ok(not missing(help_longs, longs), "--help names no option that does "
       "not exist", "unknown: %s" % missing(help_longs, longs))

    rows = "\n".join(l for l in read("README.md").splitlines()
                     if l.startswith("| `-"))
    ml = [o for o in longs if not long_in(o, rows)]
    ms = [o for o in shorts if not re.search(r"`-%s[` ]" % o, rows)]
    ok(not ml and not ms, "every option is in README.md's option table",
       "missing: %s" % (ml + ms))
    readme_longs = re.findall(r"`--([a-z0-9][a-z0-9-]*)", rows)
    ok(not missing(readme_longs, longs), "README.md's option table names "
       "no option that does not exist",
       "unknown: %s" % missing(readme_longs, longs))

    comp = read("contrib/mxprobe.bash-completion")
    m = re.search(r'opts="([^"]*)"', comp)
    words = m.group(1).split() if m else []
    want = ["--" + o for o in longs] + ["-" + o for o in shorts]
    ok(not missing(want, words) and not missing(words, want),
       "contrib/mxprobe.bash-completion offers exactly the options",
       "missing: %s; unknown: %s" % (missing(want, words),
                                     missing(words, want)))
    m = re.search(r'case "\$prev" in(.*?)esac', comp, re.S)
    pats = re.findall(r"(?<![\w-])--([a-z0-9][a-z0-9-]*)",
                      m.group(1) if m else "")
    ok(sorted(set(pats)) == sorted(valued),
       "the bash completion knows which options take a value",
       "taking a value: %s; in the completion: %s" % (
           sorted(valued), sorted(set(pats))))
    check_completion()


def complete(line):
    """COMPREPLY for the command line `line` (completing its last word)."""
    words = line.split(" ")
    script = ("source %s\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n"
              "_mxprobe\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n" % (
                  shlex_quote(os.path.join(SRC, "contrib",
                                           "mxprobe.bash-completion")),
                  " ".join(shlex_quote(w) for w in words), len(words) - 1))
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script],
                       capture_output=True, text=True)
    return p.returncode, sorted(w for w in p.stdout.split("\n") if w)


def shlex_quote(s):
    import shlex
    return shlex.quote(s)


def check_completion():
    if not shutil.which("bash"):
        skip("bash completion works", "bash not installed")
        return
    rc, got = complete("mxprobe --expect-")
    ok(rc == 0 and got == ["--expect-banner", "--expect-mx",
                           "--expect-mx-contains"],
       "completion of --expect-", got)
    rc, got = complete("mxprobe --color a")
    ok(rc == 0 and got == ["always", "auto"], "completion of --color a",
       got)
    rc, got = complete("mxprobe --domain ")
    ok(rc == 0 and got == [], "no completion for --domain's value", got)


# -- exit status and lint --------------------------------------------------
def check_exit_status():
    for page in ("doc/mxprobe.1", "doc/ja/mxprobe.1"):
        man = read(page)
        m = re.search(r"^\.Sh EXIT STATUS$(.*?)^\.Sh ", man, re.M | re.S)
        sec = m.group(1) if m else ""
        got = re.findall(r"^\.It ([0-9]+)$", sec, re.M)
        ok(got == ["0", "1", "2", "3"], "EXIT STATUS of %s lists "
           "0, 1, 2, 3" % page, "found: %s" % got)
        ok(all(w in sec for w in ("OK", "WARNING", "CRITICAL", "UNKNOWN")),
           "EXIT STATUS of %s names OK, WARNING, CRITICAL, UNKNOWN" % page)


def check_lint():
    pages = [os.path.join(SRC, "doc", p)
             for p in ("mxprobe.1", "mxprobe-findings.7", "ja/mxprobe.1",
                       "ja/mxprobe-findings.7")]
    if shutil.which("mandoc"):
        for p in pages:
            r = subprocess.run(["mandoc", "-Tlint", "-W", "warning", p],
                               capture_output=True, text=True)
            ok(r.returncode == 0 and not r.stdout.strip() and
               not r.stderr.strip(), "mandoc -Tlint %s" %
               os.path.relpath(p, SRC), r.stdout + r.stderr)
    elif shutil.which("groff"):
        for p in pages:
            r = subprocess.run(["groff", "-mdoc", "-ww", "-z", p],
                               capture_output=True, text=True)
            ok(r.returncode == 0 and not r.stderr.strip(),
               "groff -mdoc -ww %s" % os.path.relpath(p, SRC), r.stderr)
    else:
        skip("manual pages lint clean", "neither mandoc nor groff installed")


def main():
    check_findings()
    check_options()
    check_exit_status()
    check_lint()
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
