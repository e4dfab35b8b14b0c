#!/usr/bin/python3
"""labclient - tiny SMTP client for the lab self-test.

Usage:
  labclient.py banner ADDR PORT [--timeout S]
  labclient.py session ADDR PORT [--ca FILE --name NAME] [--helo]
               [--tls-max 1.2] [--timeout S]
  labclient.py hugeline ADDR PORT [--timeout S]
  labclient.py tlscut ADDR PORT --ca FILE --name NAME [--timeout S]

Prints key=value lines, one fact per line, e.g.
  connect=ok|refused|timeout|error
  banner=220 | banner=timeout | banner=closed | banner=reset
  banner_text=LAST LINE  banner_lines=N  banner_secs=F
  banner_lines_seen=N   (lines read before a banner timeout)
  ehlo=250  ehlo_kw=STARTTLS SIZE 10240000 ...
  starttls=220
  tls=ok version=TLSv1.3 | tls=failed why=...
  verify=ok | verify=failed why=...   (second handshake with CA checks)
  ehlo2=250
  quit=221
  line_bytes=N   (hugeline: bytes before the first CRLF)
  tlscut: the TLS bytes on the wire, read raw after STARTTLS (ssl.SSLObject
  over memory BIOs), then an EHLO over TLS if the handshake completes:
  tls=ok|failed  records=N (whole records before the end)
  cut=GOT/WANT (the last record: bytes that came of those its header
  announces, or GOT/5+ for a cut header) | cut=none (ended on a boundary)
  data=N (plaintext bytes the server sent over TLS before the end)
  close=notify (a close_notify alert) | close=eof (TCP closed without it)
  | close=error why=... (after a completed handshake only)
Never raises: every failure becomes a fact.  Exit 0 always.
"""

import argparse
import socket
import ssl
import sys
import time

VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}


def out(k, v):
    print("%s=%s" % (k, v))
    sys.stdout.flush()


class Conn:
    def __init__(self, sock, timeout):
        self.sock = sock
        self.buf = b""
        self.sock.settimeout(timeout)
        # A whole reply must come within the timeout too: an endless
        # multi-line banner never times out a single recv().
        self.timeout = timeout
        self.deadline = None
        self.seen = 0

    def line(self):
        while b"\n" not in self.buf:
            if time.monotonic() > self.deadline:
                raise socket.timeout("reply deadline")
            d = self.sock.recv(65536)
            if not d:
                raise EOFError
            self.buf += d
            if len(self.buf) > 8 << 20:
                raise ValueError("line too long")
        ln, _, self.buf = self.buf.partition(b"\n")
        return ln.rstrip(b"\r").decode("utf-8", "replace")

    def reply(self):
        lines = []
        self.deadline = time.monotonic() + self.timeout
        self.seen = 0
        while True:
            ln = self.line()
            lines.append(ln)
            self.seen += 1
            if len(ln) < 4 or ln[3] != "-":
                return ln[:3], lines

    def cmd(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.reply()


def connect(addr, port, timeout):
    try:
        s = socket.create_connection((addr, port), timeout=timeout)
    except ConnectionRefusedError:
        out("connect", "refused")
        return None
    except socket.timeout:
        out("connect", "timeout")
        return None
    except OSError as e:
        out("connect", "error")
        out("connect_why", e)
        return None
    out("connect", "ok")
    return s


def read_banner(c):
    t0 = time.monotonic()
    try:
        code, lines = c.reply()
    except socket.timeout:
        out("banner", "timeout")
        out("banner_lines_seen", c.seen)
        return None
    except ConnectionResetError:
        out("banner", "reset")
        return None
    except (EOFError, OSError, ValueError) as e:
        out("banner", "closed")
        out("banner_why", repr(e))
        return None
    out("banner", code)
    out("banner_text", lines[-1])
    out("banner_lines", len(lines))
    out("banner_secs", "%.2f" % (time.monotonic() - t0))
    return code


def do_banner(a):
    s = connect(a.addr, a.port, a.timeout)
    if s:
        read_banner(Conn(s, a.timeout))
        s.close()


def do_hugeline(a):
    s = connect(a.addr, a.port, a.timeout)
    if not s:
        return
    s.settimeout(a.timeout)
    n = 0
    buf = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf = (buf + d)[-2:]
            i = d.find(b"\r\n")
            if i >= 0:
                n += i
                break
            n += len(d)
    except OSError as e:
        out("hugeline_why", repr(e))
    out("line_bytes", n)
    s.close()


def do_session(a):
    s = connect(a.addr, a.port, a.timeout)
    if not s:
        return
    c = Conn(s, a.timeout)
    try:
        session(a, c)
    except socket.timeout:
        out("end", "timeout")
    except ConnectionResetError:
        out("end", "reset")
    except EOFError:
        out("end", "closed")
    except (OSError, ValueError) as e:
        out("end", "error")
        out("end_why", repr(e))
    c.sock.close()


def session(a, c):
    code = read_banner(c)
    if code == "554":
        # RFC 5321 3.1: the server waits for QUIT, refusing the rest.
        out("ehlo", c.cmd("EHLO client.lab.invalid")[0])
        out("quit", c.cmd("QUIT")[0])
        return
    if code != "220":
        return
    verb = "HELO" if a.helo else "EHLO"
    code, lines = c.cmd("%s client.lab.invalid" % verb)
    out("ehlo", code)
    if code != "250" and not a.helo:
        code, lines = c.cmd("HELO client.lab.invalid")
        out("helo", code)
    out("ehlo_kw", " ".join(ln[4:] for ln in lines[1:]))
    if a.ca is None:
        out("quit", c.cmd("QUIT")[0])
        return
    code, _ = c.cmd("STARTTLS")
    out("starttls", code)
    if code != "220":
        out("quit", c.cmd("QUIT")[0])
        return
    ctx = ssl.create_default_context(cafile=a.ca)
    if a.tls_max:
        ctx.maximum_version = VERSIONS[a.tls_max]
    try:
        tsock = ctx.wrap_socket(c.sock, server_hostname=a.name)
    except ssl.SSLCertVerificationError as e:
        out("tls", "verify-failed")
        out("verify_why", e.verify_message)
        return
    except (ssl.SSLError, OSError) as e:
        out("tls", "failed")
        out("tls_why", repr(e))
        return
    out("tls", "ok")
    out("version", tsock.version())
    c.sock = tsock
    code, lines = c.cmd("EHLO client.lab.invalid")
    out("ehlo2", code)
    out("ehlo2_kw", " ".join(ln[4:] for ln in lines[1:]))
    out("quit", c.cmd("QUIT")[0])


class RawTLS:
    """The client side of TLS driven by hand, with every byte the peer
    sends kept, to see where its stream ends."""

    def __init__(self, sock, a):
        ctx = ssl.create_default_context(cafile=a.ca)
        # Some Pythons (3.11) set OpenSSL's IGNORE_UNEXPECTED_EOF, which
        # takes any EOF, even inside a record, for a close_notify.
        ctx.options &= ~getattr(ssl, "OP_IGNORE_UNEXPECTED_EOF", 0)
        self.inc = ssl.MemoryBIO()
        self.outb = ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inc, self.outb,
                                server_hostname=a.name)
        self.sock = sock
        self.raw = b""
        self.eof = False

    def flush(self):
        d = self.outb.read()
        if d:
            self.sock.sendall(d)

    def pull(self):
        d = self.sock.recv(65536)
        if not d:
            self.eof = True
            self.inc.write_eof()
            return
        self.raw += d
        self.inc.write(d)

    def report(self):
        n, i = 0, 0
        while len(self.raw) - i >= 5:
            want = 5 + int.from_bytes(self.raw[i + 3:i + 5], "big")
            if len(self.raw) - i < want:
                out("records", n)
                out("cut", "%d/%d" % (len(self.raw) - i, want))
                return
            n += 1
            i += want
        out("records", n)
        out("cut", "%d/5+" % (len(self.raw) - i) if i < len(self.raw)
            else "none")

    def ending(self):
        """After EOF: decrypt what came and say how the stream ended. A
        read() that ends without an error (b"" or SSLZeroReturnError)
        is a close_notify only if the shutdown then completes: OpenSSL
        has the peer's close_notify."""
        n, end = 0, "eof"
        try:
            while True:
                d = self.obj.read(65536)
                if not d:
                    break
                n += len(d)
        except ssl.SSLZeroReturnError:
            pass
        except (ssl.SSLEOFError, ssl.SSLWantReadError):
            end = None
        except ssl.SSLError as e:
            end = None
            out("why", repr(e))
        if end is not None:
            try:
                self.obj.unwrap()
                end = "notify"
            except ssl.SSLError as e:
                out("why", repr(e))
        out("data", n)
        out("close", end or "eof")


def do_tlscut(a):
    s = connect(a.addr, a.port, a.timeout)
    if s is None:
        return
    c = Conn(s, a.timeout)
    try:
        if read_banner(c) != "220":
            return
        out("ehlo", c.cmd("EHLO client.lab.invalid")[0])
        code, _ = c.cmd("STARTTLS")
        out("starttls", code)
        if code != "220":
            return
        t = RawTLS(s, a)
        while True:
            try:
                t.obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                t.flush()
                t.pull()
            except ssl.SSLError:
                out("tls", "failed")
                while not t.eof:
                    t.pull()
                t.report()
                return
        t.flush()
        out("tls", "ok")
        t.obj.write(b"EHLO client.lab.invalid\r\n")
        t.flush()
        while not t.eof:
            t.pull()
        t.report()
        t.ending()
    except (OSError, ValueError, EOFError) as e:
        out("end", "error")
        out("end_why", repr(e))
    finally:
        s.close()


def main():
    ap = argparse.ArgumentParser(prog="labclient.py")
    ap.add_argument("mode", choices=("banner", "session", "hugeline",
                                     "tlscut"))
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("--timeout", type=float, default=5)
    ap.add_argument("--ca")
    ap.add_argument("--name")
    ap.add_argument("--helo", action="store_true")
    ap.add_argument("--tls-max", choices=sorted(VERSIONS))
    a = ap.parse_args()
    {"banner": do_banner, "session": do_session,
     "hugeline": do_hugeline, "tlscut": do_tlscut}[a.mode](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
