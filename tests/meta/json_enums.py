#!/usr/bin/python3
"""Every enum of doc/json-schema.json is spelt one way (TAP).

Run by tests/meta/t_json_enums.sh. Walks the schema and checks every
string of every "enum" and "const": lower-case words joined by '-'
(^[a-z0-9]+(-[a-z0-9]+)*$: "ok", "nxdomain", "connect-timeout",
"not-applicable"), the spelling json_enum() in src/report/json.c gives
the name tables. The text report and the Nagios line keep their own
spelling (OK, NXDOMAIN, CONNECT_TIMEOUT); only the JSON is checked here.

Not words of ours, and so left as they are (EXCEPTIONS, by where they
are in the schema): the score grade letters A-F and "-", the DMARC tag
values r/s of adkim/aspf, the SPF all terms as the record writes them
(-all, ~all, ?all, +all), and the member paths a baseline change names
(mx.tlsa.records, mta_sts.record). Finding codes (MX_TARGET_CNAME) are
stable identifiers with a pattern of their own, not an enum. Address
family numbers (4, 6) are not strings.
"""
import json
import os
import re
import sys

from meta import SRC, ok
import meta

WORD = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EXCEPTIONS = {
    "/$defs/score/properties/grade": "the score's grade letters",
    "/$defs/dmarc/properties/adkim": "DMARC tag values (RFC 7489)",
    "/$defs/dmarc/properties/aspf": "DMARC tag values (RFC 7489)",
    "/$defs/spf/properties/all": "the SPF record's all term",
    "/$defs/baseline/properties/changes/items/properties/field":
        "member paths of the report",
}

def enums(node, path, out):
    """(path, values) of every enum and const under node."""
    if isinstance(node, dict):
        if "enum" in node:
            out.append((path, node["enum"]))
        if "const" in node:
            out.append((path, [node["const"]]))
        for k, v in node.items():
            enums(v, path + "/" + k, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            enums(v, "%s/%d" % (path, i), out)
    return out


def main():
    with open(os.path.join(SRC, "doc", "json-schema.json"),
              encoding="utf-8") as f:
        schema = json.load(f)
    found = enums(schema, "", [])
    ok(len(found) > 20, "the schema has enums (%d found)" % len(found))
    bad = []
    seen = set()
    for path, values in found:
        if path in EXCEPTIONS:
            seen.add(path)
            continue
        bad += ["%s: %r" % (path, v) for v in values
                if isinstance(v, str) and not WORD.match(v)]
    ok(not bad, "every enum string is lower-case words joined by '-'",
       "\n".join(bad))
    ok(seen == set(EXCEPTIONS), "every exception names an enum of the "
       "schema", "gone: %s" % sorted(set(EXCEPTIONS) - seen))
    # The check itself: what it must refuse and accept.
    for v in ("OK", "CONNECT_TIMEOUT", "lookup_failed", "n/a", "weak key",
              "-all", "", "a--b", "-a", "a-"):
        ok(not WORD.match(v), "the style refuses %r" % v)
    for v in ("ok", "connect-timeout", "not-applicable", "ed25519"):
        ok(WORD.match(v) is not None, "the style accepts %r" % v)
    print("1..%d" % meta.n)
    return 1 if meta.failed else 0


if __name__ == "__main__":
    sys.exit(main())
