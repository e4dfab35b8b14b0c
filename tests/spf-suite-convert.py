#!/usr/bin/python3
"""Convert an openspf-schema SPF test suite (YAML) to flat lines.

Usage: spf-suite-convert.py SUITE.yml > SUITE.lines
       spf-suite-convert.py --stalwart FILE.yml... > stalwart.lines

One record per line, tab-separated, fields escaped as \\t \\n \\\\ \\xNN
(every byte outside 0x20-0x7e is written \\xNN):

  S <index> <description>
  Z <name> <TYPE> <value>       TYPE: A AAAA MX PTR CNAME TXT SPF;
                                MX value "prio exchange"; TXT/SPF value is
                                the character-strings joined by \\x1f
  Z <name> TIMEOUT -            (also SERVFAIL -) in list order
  T <name> <helo> <ip> <mailfrom> <result[,result]> <explanation> \\
    <receiver> <flags>

Rules (the suite's own conventions, as its reference driver applies them):
  * "TXT: NONE" / "SPF: NONE" are not data; a NONE TXT still counts as a
    TXT item for the next rule.
  * A name with no TXT item gets every SPF value also as a TXT RR, after
    all its other items (so after a TIMEOUT marker: the reference driver
    yields generated TXT records last).
  * Names are lower-cased; a trailing dot is dropped.
  * YAML \\xNN escapes become U+00NN and are sent as UTF-8, as the
    reference driver does.
  * flags: "strict" when the test carries a pyspf "strict" option.
The data files are never modified.

--stalwart reads the Stalwart mail-auth line format (not real YAML: keys
repeat) line by line: state is cumulative within a file, a record line
replaces the earlier one of the same name and kind, "expect:" runs a check
with the current parameters ("domain" is the HELO identity). An "mx: NAME
ADDR, ADDR" line becomes exchanges _mxN.NAME (preference N+1) whose A or
AAAA record is the N-th address. Each check becomes one T line, preceded by
a new scenario holding the whole zone when it changed.
"""
import sys

import yaml


def esc(s):
    if isinstance(s, bytes):
        b = s
    else:
        b = str(s).encode("utf-8")
    out = []
    for c in b:
        if c == 0x09:
            out.append("\\t")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x5C:
            out.append("\\\\")
        elif 0x20 <= c <= 0x7E:
            out.append(chr(c))
        else:
            out.append("\\x%02X" % c)
    return "".join(out)


def name_of(n):
    n = str(n).lower()
    if len(n) > 1 and n.endswith("."):
        n = n[:-1]
    return n


def txt_value(v):
    if isinstance(v, list):
        return "\x1f".join(str(x) for x in v)
    return str(v)


def zone_lines(zone):
    lines = []
    for name, items in (zone or {}).items():
        n = name_of(name)
        has_txt = False
        spf = []
        if items is None:
            items = []
        for it in items:
            if isinstance(it, dict) and ("TXT" in it):
                has_txt = True
        for it in items:
            if it == "TIMEOUT":
                lines.append(("Z", n, "TIMEOUT", "-"))
                continue
            if not isinstance(it, dict):
                raise SystemExit("unknown zone item %r at %s" % (it, n))
            for t, v in it.items():
                if t in ("TIMEOUT", "SERVFAIL"):
                    if v:
                        lines.append(("Z", n, t, "-"))
                    continue
                if t in ("TXT", "SPF"):
                    if v == "NONE":
                        continue
                    lines.append(("Z", n, t, txt_value(v)))
                    if t == "SPF":
                        spf.append(txt_value(v))
                elif t == "MX":
                    host = "" if v[1] is None else str(v[1])
                    lines.append(("Z", n, t, "%d %s" % (int(v[0]), host)))
                elif t in ("A", "AAAA", "PTR", "CNAME"):
                    lines.append(("Z", n, t, str(v)))
                else:
                    raise SystemExit("unknown RR type %r at %s" % (t, n))
        if not has_txt:
            for v in spf:
                lines.append(("Z", n, "TXT", v))
    return lines


def stalwart_file(path, out, idx):
    base = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    recs = {}           # (name, kind) -> list of (TYPE, value)
    order = []
    params = {"domain": "", "sender": "", "ip": ""}
    name = ""
    count = {}
    dirty = True

    def put(key, rrs):
        nonlocal dirty
        if key not in recs:
            order.append(key)
        recs[key] = rrs
        dirty = True

    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#") or line == "---":
                continue
            if line.startswith("-"):
                line = line[1:].strip()
            key, sep, val = line.partition(":")
            if not sep:
                continue
            key = key.strip()
            val = val.strip()
            if key in ("records", "tests"):
                continue
            if key == "name":
                name = val
                continue
            if key in ("domain", "sender", "ip"):
                params[key] = val
                continue
            if key in ("spf", "exp"):
                n, _, text = val.partition(" ")
                put((name_of(n), key), [("TXT", text.strip())])
                continue
            if key in ("a", "aaaa", "ptr", "mx"):
                n, _, rest = val.partition(" ")
                items = [x.strip() for x in rest.split(",") if x.strip()]
                if key == "a":
                    put((name_of(n), key), [("A", x) for x in items])
                elif key == "aaaa":
                    put((name_of(n), key), [("AAAA", x) for x in items])
                elif key == "ptr":
                    put((reverse_name(n), key), [("PTR", x) for x in items])
                else:
                    mx = []
                    for i, x in enumerate(items):
                        host = "_mx%d.%s" % (i, name_of(n))
                        mx.append(("MX", "%d %s" % (i + 1, host)))
                        t = "AAAA" if ":" in x else "A"
                        put((host, "mxaddr"), [(t, x)])
                    put((name_of(n), key), mx)
                continue
            if key == "expect":
                result, _, exp = val.partition(" ")
                if dirty:
                    idx += 1
                    out.write("S\t%d\t%s\n" % (idx, esc(base + " " + name)))
                    for k in order:
                        for t, v in recs[k]:
                            out.write("\t".join(esc(x) for x in
                                                ("Z", k[0], t, v)) + "\n")
                    dirty = False
                tag = base + ":" + name
                count[tag] = count.get(tag, 0) + 1
                fields = ["T", "%s#%d" % (name, count[tag]),
                          params["domain"], params["ip"], params["sender"],
                          result, exp.strip(), "", ""]
                out.write("\t".join(esc(x) for x in fields) + "\n")
                continue
            raise SystemExit("%s: unknown line %r" % (path, raw))
    return idx


def reverse_name(ip):
    import ipaddress
    return ipaddress.ip_address(ip).reverse_pointer.lower()


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--stalwart":
        idx = 0
        for path in sys.argv[2:]:
            idx = stalwart_file(path, sys.stdout, idx)
        return 0
    if len(sys.argv) != 2:
        sys.stderr.write("usage: spf-suite-convert.py SUITE.yml\n")
        return 2
    with open(sys.argv[1], "rb") as f:
        docs = list(yaml.safe_load_all(f))
    out = sys.stdout
    idx = 0
    for doc in docs:
        if not doc:
            continue
        idx += 1
        out.write("S\t%d\t%s\n" % (idx, esc(doc.get("description", ""))))
        for ln in zone_lines(doc.get("zonedata")):
            out.write("\t".join(esc(x) for x in ln) + "\n")
        for tname, t in (doc.get("tests") or {}).items():
            res = t.get("result")
            if isinstance(res, list):
                res = ",".join(res)
            mailfrom = t.get("mailfrom", "")
            if mailfrom is None:
                mailfrom = ""
            fields = ["T", tname, t.get("helo", "") or "",
                      str(t.get("host", "")), mailfrom, res,
                      t.get("explanation", "") or "",
                      t.get("receiver", "") or "",
                      "strict" if "strict" in t else ""]
            out.write("\t".join(esc(x) for x in fields) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
