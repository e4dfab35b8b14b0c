#!/usr/bin/python3
"""httpsd - a small HTTPS file server for the mxprobe lab and unit tests.

Serves the files under ROOT over HTTPS (HTTP/1.1, one thread per
connection) with one certificate, on one loopback address, so that the
lab can publish /.well-known/mta-sts.txt for a lab domain (RFC 8461
section 3.3) at its own 127.0.0.x address: one httpsd per policy host.

Usage:
  httpsd.py --listen ADDR --port PORT --cert CERT --key KEY --root DIR
            [--pidfile F] [--portfile F] [--quiet]

  --listen ADDR   address to bind (IPv4 or IPv6 literal); anything outside
                  127.0.0.0/8 and ::1 is refused
  --port PORT     TCP port; 0 picks a free one (see --portfile)
  --cert, --key   PEM certificate chain and private key
  --root DIR      document root: GET /a/b serves DIR/a/b
  --pidfile F     written once the socket listens (removed on exit)
  --portfile F    the bound port, written once the socket listens; the
                  file appears atomically, so "file exists" means "ready"
  --quiet         no request log on stderr

For a request path P that maps to the file F = ROOT/P (paths escaping
ROOT are 404), the answer is chosen by side files next to F, first
match wins:

  F.hang       read the request, never answer (until the client leaves
               or 10 minutes pass): a policy host that times out
  F.redirect   "[CODE] LOCATION" on its first line: CODE (default 301)
               with that Location header and a short text body
  F.status     "CODE" on its first line: that status, with F's contents
               as the body when F exists
  F            200 with F's contents
  (nothing)    404

The Content-Type is the first line of F.ctype when that file exists (an
empty F.ctype sends no Content-Type at all), else by F's extension:
.txt text/plain, .html text/html, .json application/json, otherwise
application/octet-stream.

Stop it with SIGTERM or SIGINT. Only the Python standard library is used.
"""
import argparse
import http.server
import ipaddress
import os
import signal
import socket
import ssl
import sys
import threading
import time

TYPES = {
    ".txt": "text/plain",
    ".html": "text/html",
    ".json": "application/json",
}


def side(path, suffix):
    """The first line of path+suffix, or None when it does not exist."""
    try:
        with open(path + suffix, "r", encoding="utf-8") as f:
            return f.readline().strip()
    except FileNotFoundError:
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mxprobe-httpsd"
    timeout = 30          # a silent client does not hold a thread forever

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            sys.stderr.write("httpsd %s: %s\n" % (self.client_address[0],
                                                  fmt % args))

    def resolve(self):
        """Map the request path to a file under the root, or None."""
        p = self.path.split("?", 1)[0].split("#", 1)[0]
        root = self.server.root
        f = os.path.realpath(os.path.join(root, p.lstrip("/")))
        if f != root and not f.startswith(root + os.sep):
            return None
        return f

    def send(self, code, body, ctype, extra=()):
        self.send_response(code)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        f = self.resolve()
        if f is None:
            self.send(404, b"not found\n", "text/plain")
            return
        if side(f, ".hang") is not None:
            self.hang()
            return
        ctype = side(f, ".ctype")
        if ctype is None:
            ctype = TYPES.get(os.path.splitext(f)[1].lower(),
                              "application/octet-stream")
        r = side(f, ".redirect")
        if r is not None:
            code, loc = 301, r
            parts = r.split(None, 1)
            if len(parts) == 2 and parts[0].isdigit():
                code, loc = int(parts[0]), parts[1]
            self.send(code, b"moved\n", "text/plain", [("Location", loc)])
            return
        st = side(f, ".status")
        body = None
        if os.path.isfile(f):
            with open(f, "rb") as fh:
                body = fh.read()
        if st is not None:
            self.send(int(st), body if body is not None else b"status\n",
                      ctype)
            return
        if body is None:
            self.send(404, b"not found\n", "text/plain")
            return
        self.send(200, body, ctype)

    do_HEAD = do_GET

    def hang(self):
        """Say nothing; return when the client closes or after 10 min."""
        self.close_connection = True
        self.connection.settimeout(1.0)
        end = time.monotonic() + 600
        while time.monotonic() < end and not self.server.stopping:
            try:
                if self.connection.recv(4096) == b"":
                    return
            except (socket.timeout, TimeoutError):
                continue
            except (OSError, ssl.SSLError):
                return


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, addr, family, ctx, root, quiet):
        self.address_family = family
        self.ctx = ctx
        self.root = os.path.realpath(root)
        self.quiet = quiet
        self.stopping = False
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        # The handshake runs in the connection's thread (on first read),
        # so a client that never speaks TLS cannot stall accept().
        return self.ctx.wrap_socket(sock, server_side=True,
                                    do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address):
        # Clients that reject our certificate are part of the tests.
        e = sys.exc_info()[1]
        if not self.quiet:
            sys.stderr.write("httpsd %s: %s\n" % (client_address[0], e))


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def main():
    ap = argparse.ArgumentParser(description="HTTPS file server for the "
                                 "mxprobe lab (loopback only)")
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--pidfile")
    ap.add_argument("--portfile")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    try:
        ip = ipaddress.ip_address(a.listen)
    except ValueError:
        ap.error("--listen needs an IP address literal")
    if not ip.is_loopback:
        ap.error("--listen %s: only loopback addresses are served" % ip)
    if not os.path.isdir(a.root):
        ap.error("--root %s: not a directory" % a.root)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    srv = Server((str(ip), a.port), family, ctx, a.root, a.quiet)
    port = srv.server_address[1]

    def stop(signum, frame):
        srv.stopping = True
        threading.Thread(target=srv.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if a.pidfile:
        write_atomic(a.pidfile, "%d\n" % os.getpid())
    if a.portfile:
        write_atomic(a.portfile, "%d\n" % port)
    try:
        srv.serve_forever(poll_interval=0.2)
    finally:
        srv.server_close()
        for f in (a.pidfile, a.portfile):
            if f:
                try:
                    os.unlink(f)
                except OSError:
                    pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
