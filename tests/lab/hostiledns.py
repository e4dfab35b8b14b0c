#!/usr/bin/python3
"""hostiledns - a hostile DNS responder for the mxprobe test lab.

Usage:
  hostiledns.py --listen ADDR [--udp-only ADDR] --port PORT --portfile F

Answers as a recursive resolver would (RA set), on UDP and TCP at
ADDR:PORT and on UDP alone at the --udp-only address (where a truncated
answer cannot be retried over TCP: the kernel refuses the connection).
The portfile is written once every socket is bound. Runs until SIGTERM.

The behaviour is chosen by the zone the question falls in, NAME.hostile.test
(every other name gets NXDOMAIN):

  tc           every answer over UDP has TC set and no records
  ptrloop      the answer's owner name is a compression-pointer loop
  mx1000       1,000 MX records (TC over UDP; over TCP all of them), every
               target m<N>.mx1000.hostile.test with A 127.0.0.1
  txt64k       a 62,000-octet SPF TXT record (TC over UDP; over TCP whole);
               MX mx.txt64k.hostile.test, A 127.0.0.1
  cnameloop    NAME CNAME a.NAME, a.NAME CNAME b.NAME, b.NAME CNAME a.NAME,
               all in one answer
  wrongid      the answer carries another ID than the question
  othername    the answer is for other.hostile.test, with the question's ID

Names inside a zone that the behaviour does not define get NXDOMAIN; the
responder never sends anything off loopback (it only answers).
"""
import argparse
import os
import select
import signal
import socket
import struct
import sys

ZONE = "hostile.test"


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def parse_question(msg):
    """(id, rd, qname, qtype, raw question bytes, udp size) or None."""
    if len(msg) < 12:
        return None
    qid, flags, qd, _an, _ns, ar = struct.unpack("!HHHHHH", msg[:12])
    if qd != 1 or flags & 0x8000:
        return None
    i = 12
    labels = []
    while True:
        if i >= len(msg):
            return None
        n = msg[i]
        if n == 0:
            i += 1
            break
        if n & 0xC0:
            return None
        labels.append(msg[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    if i + 4 > len(msg):
        return None
    qtype, _qclass = struct.unpack("!HH", msg[i:i + 4])
    raw = msg[12:i + 4]
    udp = 512
    # EDNS: the OPT record's class is the requester's UDP size.
    if ar and i + 4 + 11 <= len(msg) and msg[i + 4] == 0 and \
            struct.unpack("!H", msg[i + 5:i + 7])[0] == 41:
        udp = max(512, min(4096, struct.unpack("!H", msg[i + 7:i + 9])[0]))
    return qid, flags & 0x0100, ".".join(labels).lower(), qtype, raw, udp


def rr(owner, rtype, rdata, ttl=300):
    return owner + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


QPTR = b"\xc0\x0c"  # the question's name, at offset 12


def header(qid, rd, rcode, an, tc=False, aa=False):
    flags = 0x8000 | 0x0080 | rd | rcode | (0x0200 if tc else 0) | \
        (0x0400 if aa else 0)
    return struct.pack("!HHHHHH", qid, flags, 1, an, 0, 0)


def answer(q, tcp):
    """The reply bytes for question q, or None to stay silent."""
    qid, rd, qname, qtype, raw, udp = q
    if not (qname == ZONE or qname.endswith("." + ZONE)):
        return header(qid, rd, 3, 0) + raw
    rest = qname[:-len(ZONE) - 1] if qname != ZONE else ""
    zone = rest.split(".")[-1] if rest else ""
    sub = rest[:-len(zone)].rstrip(".") if zone else ""
    nx = header(qid, rd, 3, 0) + raw
    nodata = header(qid, rd, 0, 0) + raw

    def reply(records):
        msg = header(qid, rd, 0, len(records)) + raw + b"".join(records)
        if not tcp and len(msg) > udp:
            return header(qid, rd, 0, 0, tc=True) + raw
        return msg

    if zone == "tc":
        return header(qid, rd, 0, 0, tc=True) + raw
    if zone == "ptrloop":
        # At offset X: label "a", then a pointer back to X: a name that
        # never ends.
        x = 12 + len(raw)
        loop = b"\x01a" + struct.pack("!H", 0xC000 | x)
        return header(qid, rd, 0, 1) + raw + loop + \
            struct.pack("!HHIH", qtype, 1, 300, 4) + b"\x7f\x00\x00\x01"
    if zone == "wrongid":
        return header(qid ^ 0x5555, rd, 0, 0) + raw
    if zone == "othername":
        other = encode_name("other." + ZONE)
        return header(qid, rd, 0, 1) + other + struct.pack("!HH", qtype, 1) \
            + rr(b"\xc0\x0c", 15, struct.pack("!H", 10) + b"\x02mx\xc0\x0c")
    if zone == "cnameloop":
        a = encode_name("a.cnameloop." + ZONE)
        b = encode_name("b.cnameloop." + ZONE)
        return reply([rr(QPTR, 5, a), rr(a, 5, b), rr(b, 5, a)])
    if zone == "mx1000":
        if sub == "" and qtype == 15:
            return reply([rr(QPTR, 15, struct.pack("!H", i) +
                             bytes([len("m%d" % i)]) +
                             ("m%d" % i).encode() + QPTR)
                          for i in range(1000)])
        if sub.startswith("m") and sub[1:].isdigit() and \
                int(sub[1:]) < 1000:
            if qtype == 1:
                return reply([rr(QPTR, 1, b"\x7f\x00\x00\x01")])
            return nodata
        return nodata if sub == "" else nx
    if zone == "txt64k":
        if sub == "" and qtype == 16:
            text = b"v=spf1 " + b"ip4:192.0.2.1 " * 4428 + b"-all"
            rdata = b"".join(bytes([len(text[i:i + 255])]) + text[i:i + 255]
                             for i in range(0, len(text), 255))
            return reply([rr(QPTR, 16, rdata)])
        if sub == "" and qtype == 15:
            return reply([rr(QPTR, 15, b"\x00\x0a\x02mx" + QPTR)])
        if sub == "mx" and qtype == 1:
            return reply([rr(QPTR, 1, b"\x7f\x00\x00\x01")])
        return nodata if sub in ("", "mx") else nx
    return nx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--udp-only")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--portfile", required=True)
    a = ap.parse_args()
    for addr in [a.listen] + ([a.udp_only] if a.udp_only else []):
        if not addr.startswith("127."):
            sys.exit("hostiledns: %s is not on loopback" % addr)
    udps = []
    for addr in [a.listen] + ([a.udp_only] if a.udp_only else []):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind((addr, a.port))
        udps.append(u)
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((a.listen, a.port))
    t.listen(64)
    with open(a.portfile + ".tmp", "w") as f:
        f.write("%d\n" % a.port)
    os.rename(a.portfile + ".tmp", a.portfile)
    signal.signal(signal.SIGTERM, lambda *x: sys.exit(0))
    conns = {}  # socket -> bytes read so far
    while True:
        r, _, _ = select.select(udps + [t] + list(conns), [], [], 1.0)
        for s in r:
            if s in udps:
                try:
                    msg, peer = s.recvfrom(65535)
                except OSError:
                    continue
                q = parse_question(msg)
                out = answer(q, False) if q else None
                if out is not None:
                    s.sendto(out, peer)
            elif s is t:
                c, _ = t.accept()
                conns[c] = b""
            else:
                try:
                    data = s.recv(65535)
                except OSError:
                    data = b""
                if not data:
                    s.close()
                    del conns[s]
                    continue
                buf = conns[s] + data
                while len(buf) >= 2:
                    n = struct.unpack("!H", buf[:2])[0]
                    if len(buf) < 2 + n:
                        break
                    q = parse_question(buf[2:2 + n])
                    buf = buf[2 + n:]
                    out = answer(q, True) if q else None
                    if out is not None:
                        try:
                            s.sendall(struct.pack("!H", len(out)) + out)
                        except OSError:
                            break
                conns[s] = buf


if __name__ == "__main__":
    main()
