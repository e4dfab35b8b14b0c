#!/usr/bin/python3
"""doc/json-schema.json describes what mxprobe --json writes (TAP).

Run by tests/meta/t_json_schema.sh. Needs python3-jsonschema (Debian 12:
4.10, draft 2020-12); without it the whole test is skipped, visibly.

- the schema is a valid draft 2020-12 schema;
- its enums hold every name the sources can write (DNS and SMTP
  outcomes, severities, grades), read from src/*.c;
- it rejects broken documents and accepts unknown members;
- real reports validate: mxprobe runs against a small DNS server and
  SMTP server on 127.0.0.1 started here (an answering exchanger without
  STARTTLS, one refusing connections, a null MX, NXDOMAIN, SERVFAIL, an
  assumed outage, --dns-only, and a --batch file with a bad line).

The lab (tests/lab/lab.py) validates every JSON document of its
scenarios against the same schema.
"""
import copy
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading

SRC = os.environ.get("top_srcdir", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BUILD = os.environ.get("top_builddir", SRC)
MXPROBE = os.environ.get("MXPROBE", os.path.join(BUILD, "src", "mxprobe"))

try:
    import jsonschema
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed "
          "(apt-get install python3-jsonschema)")
    sys.exit(0)

n = 0
failed = 0


def ok(cond, desc, diag=""):
    global n, failed
    n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, desc))
    if not cond:
        failed += 1
        if diag:
            print("#   " + str(diag).replace("\n", "\n#   ")[:4000])
    sys.stdout.flush()


def read(rel):
    with open(os.path.join(SRC, rel), encoding="utf-8") as f:
        return f.read()


# -- a tiny authoritative DNS server -------------------------------------
T_A, T_NS, T_MX, T_AAAA = 1, 2, 15, 28
ZONE = {
    ("schema.test", T_MX): [(10, "mx1.schema.test"), (20, "mx2.schema.test")],
    ("mx1.schema.test", T_A): ["127.0.0.1"],
    ("mx2.schema.test", T_A): ["127.0.0.2"],
    ("nullmx.test", T_MX): [(0, "")],
}
NAMES = {k[0] for k in ZONE}
SERVFAIL = {"servfail.test"}


def encode_name(name):
    out = b""
    for label in (name.split(".") if name else []):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_answer(q):
    if len(q) < 17:
        return None
    qid, _flags, qd = struct.unpack("!HHH", q[:6])
    if qd != 1:
        return None
    i, labels = 12, []
    while i < len(q) and q[i] != 0:
        ln = q[i]
        labels.append(q[i + 1:i + 1 + ln].decode("ascii", "replace"))
        i += 1 + ln
    i += 1
    if i + 4 > len(q):
        return None
    qtype, _ = struct.unpack("!HH", q[i:i + 4])
    question = q[12:i + 4]
    name = ".".join(labels).lower()
    rrs = []
    if name in SERVFAIL:
        rcode = 2
    elif (name, qtype) in ZONE:
        rcode = 0
        for v in ZONE[(name, qtype)]:
            if qtype == T_MX:
                rd = struct.pack("!H", v[0]) + encode_name(v[1])
            else:
                rd = socket.inet_aton(v)
            rrs.append(struct.pack("!HHHIH", 0xc00c, qtype, 1, 300,
                                   len(rd)) + rd)
    else:
        rcode = 0 if name in NAMES else 3
    hdr = struct.pack("!HHHHHH", qid, 0x8400 | rcode, 1, len(rrs), 0, 0)
    return hdr + question + b"".join(rrs)


def serve_dns(sock):
    while True:
        try:
            q, peer = sock.recvfrom(4096)
        except OSError:
            return
        r = dns_answer(q)
        if r is not None:
            sock.sendto(r, peer)


# -- a tiny SMTP server: greets, EHLO without STARTTLS, QUIT -------------
def smtp_session(c):
    f = c.makefile("rb")
    try:
        c.sendall(b"220 mx1.schema.test ESMTP\r\n")
        for line in f:
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO"):
                c.sendall(b"250-mx1.schema.test\r\n250-PIPELINING\r\n"
                          b"250 SIZE 10240000\r\n")
            elif cmd.startswith(b"QUIT"):
                c.sendall(b"221 2.0.0 bye\r\n")
                break
            else:
                c.sendall(b"502 5.5.2 not here\r\n")
    except OSError:
        pass
    finally:
        f.close()
        c.close()


def serve_smtp(sock):
    while True:
        try:
            c, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=smtp_session, args=(c,), daemon=True).start()


def start_servers():
    """DNS on UDP and SMTP on TCP, both on 127.0.0.1, free ports."""
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("127.0.0.1", 0))
    t.listen(16)
    threading.Thread(target=serve_dns, args=(u,), daemon=True).start()
    threading.Thread(target=serve_smtp, args=(t,), daemon=True).start()
    return u.getsockname()[1], t.getsockname()[1]


# -- checks ----------------------------------------------------------------
def validator():
    schema = json.loads(read("doc/json-schema.json"))
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
        ok(True, "doc/json-schema.json is a valid draft 2020-12 schema")
    except jsonschema.exceptions.SchemaError as e:
        ok(False, "doc/json-schema.json is a valid draft 2020-12 schema", e)
    return schema, jsonschema.Draft202012Validator(schema)


def errors(v, doc):
    return ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "/",
                        e.message) for e in v.iter_errors(doc)]


def table(rel, start):
    """The string values of a C name table starting at `start`."""
    text = read(rel)
    i = text.find(start)
    if i < 0:
        return []
    body = text[i:text.find("};", i)]
    return re.findall(r'"([^"]*)"', body)


def json_enum(name):
    """A name of the C tables as the JSON writes it (json_enum() in
    src/report/json.c): lower case, '_' and ' ' as '-', "n/a" as
    "not-applicable"."""
    if name == "n/a":
        return "not-applicable"
    return name.lower().replace("_", "-").replace(" ", "-")


def check_enums(schema):
    d = schema["$defs"]
    dns = [json_enum(x) for x in table("src/facts/dns_facts.c",
                                       "dns_outcome_name")]
    ok(dns and set(dns) <= set(d["dns_outcome"]["enum"]),
       "schema: dns_outcome holds every name of src/facts/dns_facts.c",
       "missing: %s" % sorted(set(dns) - set(d["dns_outcome"]["enum"])))
    smtp = [json_enum(x) for x in table("src/facts/smtp_facts.c",
                                        "outcome_names[")]
    want = set(smtp) | {"not-probed", "unfinished"}
    have = set(d["smtp_outcome"]["enum"])
    ok(smtp and want <= have,
       "schema: smtp outcome holds every name of src/facts/smtp_facts.c",
       "missing: %s" % sorted(want - have))
    sev = re.findall(r'return "(\w+)";', read("src/analyze/findings.c").split(
        "finding_sev_name")[1].split("\n}")[0])
    have = set(d["finding"]["properties"]["severity"]["enum"])
    ok(sev and set(sev) <= have, "schema: severity holds every name of "
       "src/analyze/findings.c", "missing: %s" % sorted(set(sev) - have))
    status = [json_enum(x) for x in table("src/analyze/findings.c",
                                          "findings_status_name")]
    have = set(d["status"]["enum"])
    ok(status and set(status) <= have, "schema: status holds every name "
       "of src/analyze/findings.c", "missing: %s" % sorted(set(status) -
                                                        have))
    dane = [json_enum(x) for x in table("src/analyze/analyze_dane.c",
                                        "senders_names[]")]
    have = set(d["mx_host"]["properties"]["dane_senders"]["enum"])
    ok(dane and set(dane) <= have, "schema: dane_senders holds every name "
       "of src/analyze/analyze_dane.c", "missing: %s" % sorted(set(dane) -
                                                            have))
    steps = table("src/facts/smtp_facts.c", "step_names[")
    have = set(d["smtp_step"]["enum"])
    ok(steps and set(steps) <= have, "schema: smtp_step holds every name "
       "of src/facts/smtp_facts.c", "missing: %s" % sorted(set(steps) -
                                                        have))
    grades = re.findall(r'return "([A-Z-])";', read("src/analyze/score.c"))
    have = set(d["score"]["properties"]["grade"]["enum"])
    ok(grades and set(grades) <= have, "schema: grade holds every grade "
       "of src/analyze/score.c", "missing: %s" % sorted(set(grades) - have))


def check_negative(v, good):
    def broken(desc, change):
        doc = copy.deepcopy(good)
        change(doc)
        ok(errors(v, doc) != [], "schema rejects %s" % desc)

    broken("an unknown status", lambda d: d.update(status="fine"))
    broken("a status in the text's spelling",
           lambda d: d.update(status="OK"))
    broken("exit_code 4", lambda d: d.update(exit_code=4))
    broken("a report without findings", lambda d: d.pop("findings"))
    broken("a lower-case finding code",
           lambda d: d["findings"][0].update(code="mx_target_cname"))
    broken("an unknown severity",
           lambda d: d["findings"][0].update(severity="fatal"))
    broken("a score of 101", lambda d: d["score"].update(value=101))
    broken("an smtp outcome it does not know",
           lambda d: d["mx"][0]["smtp"][0].update(outcome="maybe"))
    broken("an smtp outcome in the text's spelling",
           lambda d: d["mx"][0]["smtp"][0].update(
               outcome="STARTTLS_NOT_OFFERED"))
    broken("DATA among the commands sent",
           lambda d: d["mx"][0]["smtp"][0]["commands_sent"].append(
               "DATA"))
    broken("BDAT among the commands sent",
           lambda d: d["mx"][0]["smtp"][0]["commands_sent"].append(
               "BDAT 100 LAST"))
    broken("an error object with status OK",
           lambda d: d.update(error="x", status="ok"))
    doc = copy.deepcopy(good)
    doc["added_later"] = {"x": 1}
    doc["mx"][0]["added_later"] = True
    doc["score"]["added_later"] = 1
    doc["findings"][0]["added_later"] = []
    doc["mx"][0]["smtp"][0]["added_later"] = None
    ok(errors(v, doc) == [], "schema accepts members added later",
       errors(v, doc))


def run(args):
    p = subprocess.run([MXPROBE] + args, capture_output=True, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def main():
    schema, v = validator()
    check_enums(schema)
    dport, sport = start_servers()
    base = ["--resolver", "127.0.0.1:%d" % dport, "--smtp-port", str(sport),
            "--allow-loopback", "--timeout", "10", "--step-timeout", "3",
            "--json"]
    good = None
    cases = [
        ("two exchangers, one answering without STARTTLS, assumed outage",
         ["--domain", "schema.test", "--assume-down", "mx1.schema.test"]),
        ("--dns-only", ["--domain", "schema.test", "--dns-only"]),
        ("null MX", ["--domain", "nullmx.test", "--dns-only"]),
        ("NXDOMAIN", ["--domain", "nx.test", "--dns-only"]),
        ("SERVFAIL", ["--domain", "servfail.test", "--dns-only"]),
    ]
    for desc, args in cases:
        rc, out, err = run(base + args)
        try:
            doc = json.loads(out)
        except ValueError as e:
            ok(False, "report validates: %s" % desc,
               "not JSON (%s); exit %d; stderr %s" % (e, rc, err))
            continue
        e = errors(v, doc)
        ok(e == [] and doc.get("exit_code") == rc,
           "report validates: %s" % desc,
           "\n".join(e) or "exit %d, exit_code %s" % (rc,
                                                      doc.get("exit_code")))
        if good is None and doc.get("mx") and doc["mx"][0].get("smtp"):
            good = doc
    ok(good is not None and good["mx"][0]["smtp"][0]["outcome"] ==
       "starttls-not-offered" and good["findings"],
       "the SMTP case has a probed exchanger and findings",
       json.dumps(good)[:1500] if good else "no smtp[]")

    with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
        f.write("schema.test\nbad..name.test\nnx.test\n")
        f.flush()
        rc, out, err = run(base + ["--batch", f.name, "--dns-only"])
        lines = [l for l in out.splitlines() if l.strip()]
        bad = []
        for l in lines:
            try:
                bad += errors(v, json.loads(l))
            except ValueError as e:
                bad.append("not JSON: %s: %r" % (e, l[:200]))
        ok(len(lines) == 3 and not bad,
           "--batch --json: every line validates, the bad line too",
           "\n".join(bad) or out)
        ok(any('"error"' in l for l in lines),
           "--batch --json: the bad line gives the error form", out)

    if good is not None:
        check_negative(v, good)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
