#!/usr/bin/python3
"""faultsmtp - fault-injecting SMTP server for the mxprobe test lab.

Usage:
  faultsmtp.py --config FILE --port PORT --log FILE --pidfile FILE
               [--certdir DIR]

Runs in the foreground (start it with `&`; tests/lab/smtp-lab.sh does).
The pidfile is written once every listener is bound, and removed on
SIGTERM/SIGINT, after which the process exits 0.  A configuration error
or a failed bind exits 1 before the pidfile is written.

Config: one listener per line, shell-like quoting, `#` comments:

  ADDR BEHAVIOUR [key=value | flag ...]

ADDR is a loopback address (127.0.0.0/8 or ::1), each at most once; all
listeners share --port.  BEHAVIOUR `refuse` binds nothing, so connections
to ADDR are refused by the kernel.

Every behaviour starts from the `ok` session (RFC 5321 banner, EHLO,
RFC 3207 STARTTLS, EHLO again, QUIT) and injects exactly one fault.  The
`ok` options apply to all of them:

  cert=NAME     serve CERTDIR/NAME.pem + NAME.key after STARTTLS; required
                wherever a handshake is offered with the lab's good cert
  name=HOST     host name in the banner and EHLO reply (default: cert name,
                else mx.lab.invalid)
  banner=TEXT   banner text after "220 " (default "HOST ESMTP faultsmtp")
  size=N        SIZE N in the EHLO reply (default 10240000; size=none drops)
  no8bit        no 8BITMIME         noutf8    no SMTPUTF8
  tls=V         highest TLS version offered: 1.0 1.1 1.2 1.3
  delay=MS      wait MS before the banner
  ehlo_ext=LIST comma-separated EHLO keyword lines replacing the default
                list, e.g. ehlo_ext="STARTTLS,SIZE 1000" (empty: none);
                STARTTLS is left out of the EHLO reply once TLS is up
  life=S        hard cap on one connection's life (default 600)
  text=TEXT     the text of the refusal of banner421, banner554,
                ehlo_reject and starttls_reject (after the reply code)
  rcpt=CODE     take part in a recipient test: MAIL FROM -> 250, RCPT
                TO:<postmaster@...> -> CODE (250, 450, 550, 554) with
                [rcpt_text=TEXT]; any other RCPT -> [rcpt_any=CODE,
                default 550] with [rcpt_any_text=TEXT]; RSET -> 250.
                DATA and BDAT always get 554.  Without rcpt, MAIL and
                RCPT get 554 too.

Behaviours (extra options in brackets):
  ok                normal session
  refuse            nothing listens
  tarpit            accept, never greet, close after hold [hold=MS, 60000]
  slow_banner       greet after delay [delay=MS, default 10000]
  banner421         "421" banner, then close
  banner554         "554" banner, then 503 to all but QUIT (RFC 5321 3.1)
  multiline_banner  "220-" lines then "220 " [lines=N, default 3]
  ehlo_reject       EHLO -> 502 (or [code=500|421|450]), HELO -> 250, no
                    STARTTLS
  ehlo_helo_reject  EHLO and HELO both rejected [code=502]
  nostarttls        EHLO reply without STARTTLS; STARTTLS -> 502
  starttls_reject   STARTTLS advertised, answered 454 (or [code=421]: and
                    the connection closed)
  tls_fail          STARTTLS -> 220, read ClientHello, send a fatal TLS
                    alert [mode=alert] or plain text [mode=garbage], close
  tls_drop          STARTTLS -> 220, read ClientHello, close mid-handshake
  tls_cut_handshake STARTTLS -> 220, read ClientHello, make the real
                    server flight and send only part of its first record
                    (the ServerHello), then close: [cut=body] the 5-byte
                    record header and half the length it announces,
                    [cut=header] 3 bytes of the header
  tls_cut_reply     complete the handshake, read the EHLO sent over TLS,
                    encrypt the EHLO reply and send only part of its
                    record ([cut=body|header] as above), then close
  tls_notify_ehlo   complete the handshake, read the EHLO sent over TLS,
                    then end the TLS session cleanly instead of replying:
                    a close_notify alert (SSLObject.unwrap()), then close
  expired           handshake with CERTDIR/expired.pem
  wrongname         handshake with CERTDIR/wrongname.pem (wrong.invalid)
  selfsigned        handshake with CERTDIR/selfsigned.pem
  leafonly          handshake with CERTDIR/leafonly.pem: a leaf from the
                    lab's intermediate CA, sent without the intermediate
  hugeline          banner line "220 xxx..." of [bytes=N, 1048576] bytes sent
                    in 64 KiB pieces every [pace=MS, 50] ms, then CRLF, then
                    the ok session
  endless           "220-" banner lines every [pace=MS, 100] ms until the
                    client goes away (or life runs out)
  drip              the banner one byte every [pace=MS, 1000] ms, then the
                    ok session
  nulbytes          a banner with NUL bytes and invalid UTF-8, then the ok
                    session
  ehlo_lines        an EHLO reply of [lines=N, 10000] keyword lines
  reset             accept, then RST at once (SO_LINGER 0)
  drop_after_ehlo   close on the first EHLO without answering it
                    [reply=1: answer it, then close]
  silent_after_ehlo answer EHLO, then never answer STARTTLS (stops
                    answering in mid-dialogue)
  blackhole         listen with a full, never drained accept queue: the
                    kernel drops SYNs and connect() times out, as behind a
                    firewall that drops port 25 (nothing is logged)

Log: one JSON object per line, appended and flushed as it happens:
  {"t": 1700000000.123, "addr": "127.0.0.2", "peer": "127.0.0.1:40000",
   "event": "connect"}
  {..., "event": "command", "line": "EHLO x", "tls": false}
  {..., "event": "close", "tls": "none"|"ok"|"failed", "why": "..."}
"peer" is "IP:PORT" or "[IPv6]:PORT".
"line" is the received line without CRLF (non-UTF-8 bytes escaped, cut
at 1000 characters).  Commands read over TLS have "tls": true.  Lines
the client pipelined behind STARTTLS are logged with "discarded": true
and never executed.

Limits: command lines are capped at 4096 bytes (longer: 500, close);
each connection lives at most `life` seconds.  Mail is never accepted:
MAIL, RCPT and DATA get 554.

BUGS: the server answers one command at a time; a pipelined batch is
answered in order, which is what RFC 2920 asks, but nothing is tested
about it.
"""

import argparse
import asyncio
import ipaddress
import re
import json
import os
import shlex
import signal
import socket
import ssl
import struct
import sys
import time
import warnings

LINE_MAX = 4096
LOG_LINE_MAX = 1000

BEHAVIOURS = {
    "ok", "refuse", "tarpit", "slow_banner", "banner421", "banner554",
    "multiline_banner", "ehlo_reject", "ehlo_helo_reject", "nostarttls",
    "starttls_reject", "tls_fail", "tls_drop", "expired", "wrongname",
    "selfsigned", "hugeline", "endless", "reset", "drop_after_ehlo",
    "silent_after_ehlo", "blackhole", "drip", "nulbytes", "ehlo_lines",
    "leafonly", "tls_cut_handshake", "tls_cut_reply", "tls_notify_ehlo",
}

# Behaviours whose STARTTLS completes with the lab's good certificate:
# they need cert=NAME.  The bad-cert ones use fixed files.
NEEDS_CERT = {"ok", "slow_banner", "multiline_banner", "hugeline",
              "drop_after_ehlo", "silent_after_ehlo", "drip", "nulbytes",
              "tls_cut_handshake", "tls_cut_reply", "tls_notify_ehlo"}
FIXED_CERT = {"expired": "expired", "wrongname": "wrongname",
              "selfsigned": "selfsigned", "leafonly": "leafonly"}

FLAGS = {"no8bit", "noutf8"}
OPTIONS = {"cert", "name", "banner", "size", "tls", "delay", "ehlo_ext",
           "life", "hold", "lines", "code", "mode", "bytes", "pace", "reply",
           "text", "rcpt", "rcpt_text", "rcpt_any", "rcpt_any_text",
           "cut"}

TLS_VERSIONS = {
    "1.0": ssl.TLSVersion.TLSv1,
    "1.1": ssl.TLSVersion.TLSv1_1,
    "1.2": ssl.TLSVersion.TLSv1_2,
    "1.3": ssl.TLSVersion.TLSv1_3,
}

# TLS 1.2 record: alert, fatal (2), handshake_failure (40).
TLS_ALERT = b"\x15\x03\x03\x00\x02\x02\x28"


class ConfigError(Exception):
    pass


class Listener:
    """One configured address and its session parameters."""

    def __init__(self, lineno, addr, behaviour, opts):
        self.lineno = lineno
        self.addr = addr
        self.behaviour = behaviour
        self.opts = opts
        self.sslctx = None

    def opt(self, key, default=None):
        return self.opts.get(key, default)

    def intopt(self, key, default, lo=0, hi=10**9):
        v = self.opts.get(key)
        if v is None:
            return default
        try:
            n = int(v)
        except ValueError:
            raise ConfigError("line %d: %s=%r is not a number" %
                              (self.lineno, key, v))
        if n < lo or n > hi:
            raise ConfigError("line %d: %s=%d out of range %d..%d" %
                              (self.lineno, key, n, lo, hi))
        return n

    def hostname(self):
        return self.opt("name") or self.opt("cert") or "mx.lab.invalid"

    def ehlo_keywords(self):
        ext = self.opt("ehlo_ext")
        if ext is not None:
            return [k.strip() for k in ext.split(",") if k.strip()]
        kw = []
        if self.behaviour != "nostarttls":
            kw.append("STARTTLS")
        size = self.opt("size", "10240000")
        if size != "none":
            kw.append("SIZE " + size)
        kw.append("PIPELINING")
        if "no8bit" not in self.opts:
            kw.append("8BITMIME")
        if "noutf8" not in self.opts:
            kw.append("SMTPUTF8")
        kw.append("ENHANCEDSTATUSCODES")
        return kw

    def validate(self, certdir):
        for k in ("delay", "hold", "pace", "life", "lines", "bytes"):
            self.intopt(k, 0)
        self.intopt("life", 600, 1)
        self.intopt("lines", 3, 1, 10000)
        self.intopt("bytes", 1, 1, 1 << 30)
        if self.opt("code") not in (None, "500", "502", "421", "450",
                                    "454"):
            raise ConfigError("line %d: code must be 500, 502, 421, 450 "
                              "or 454" % self.lineno)
        for k in ("rcpt", "rcpt_any"):
            if self.opt(k) not in (None, "250", "450", "550", "554"):
                raise ConfigError("line %d: %s must be 250, 450, 550 or "
                                  "554" % (self.lineno, k))
        if self.opt("cut") not in (None, "body", "header"):
            raise ConfigError("line %d: cut must be body or header" %
                              self.lineno)
        if self.opt("mode") not in (None, "alert", "garbage"):
            raise ConfigError("line %d: mode must be alert or garbage" %
                              self.lineno)
        if self.opt("tls") is not None and \
                self.opt("tls") not in TLS_VERSIONS:
            raise ConfigError("line %d: tls must be one of %s" %
                              (self.lineno, " ".join(TLS_VERSIONS)))
        size = self.opt("size")
        if size is not None and size != "none" and not size.isdigit():
            raise ConfigError("line %d: size must be a number or none" %
                              self.lineno)
        for k in ("banner", "name", "ehlo_ext"):
            v = self.opt(k)
            if v is not None and any(c in v for c in "\r\n"):
                raise ConfigError("line %d: %s has a line break" %
                                  (self.lineno, k))
        cert = FIXED_CERT.get(self.behaviour, self.opt("cert"))
        if self.behaviour in NEEDS_CERT and cert is None:
            raise ConfigError("line %d: %s needs cert=NAME" %
                              (self.lineno, self.behaviour))
        if cert is not None:
            if "/" in cert or cert.startswith("."):
                raise ConfigError("line %d: bad cert name %r" %
                                  (self.lineno, cert))
            if certdir is None:
                raise ConfigError("line %d: certificate %s needs --certdir"
                                  % (self.lineno, cert))
            self.sslctx = make_sslctx(certdir, cert, self.opt("tls"),
                                      self.lineno)


def make_sslctx(certdir, name, version, lineno):
    crt = os.path.join(certdir, name + ".pem")
    key = os.path.join(certdir, name + ".key")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        ctx.load_cert_chain(crt, key)
    except (OSError, ssl.SSLError) as e:
        raise ConfigError("line %d: cannot load %s / %s: %s" %
                          (lineno, crt, key, e))
    if version is not None:
        v = TLS_VERSIONS[version]
        with warnings.catch_warnings():
            # TLSv1 and TLSv1_1 are deprecated names; they are the point.
            warnings.simplefilter("ignore", DeprecationWarning)
            if v < ssl.TLSVersion.TLSv1_2:
                # Old protocols are off at the default security level.
                ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
                ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = v
    return ctx


def parse_config(path, certdir):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("cannot read %s: %s" % (path, e))
    listeners = []
    seen = set()
    for lineno, raw in enumerate(text.splitlines(), 1):
        try:
            words = shlex.split(raw, comments=True)
        except ValueError as e:
            raise ConfigError("line %d: %s" % (lineno, e))
        if not words:
            continue
        if len(words) < 2:
            raise ConfigError("line %d: want ADDR BEHAVIOUR [key=value...]"
                              % lineno)
        addr, behaviour = words[0], words[1]
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            raise ConfigError("line %d: bad address %r" % (lineno, addr))
        if not ip.is_loopback:
            raise ConfigError("line %d: %s is not a loopback address" %
                              (lineno, addr))
        addr = str(ip)
        if addr in seen:
            raise ConfigError("line %d: %s listed twice" % (lineno, addr))
        seen.add(addr)
        if behaviour not in BEHAVIOURS:
            raise ConfigError("line %d: unknown behaviour %r" %
                              (lineno, behaviour))
        opts = {}
        for w in words[2:]:
            k, eq, v = w.partition("=")
            if not eq:
                if k not in FLAGS:
                    raise ConfigError("line %d: unknown flag %r" %
                                      (lineno, k))
                opts[k] = True
            elif k in OPTIONS:
                opts[k] = v
            else:
                raise ConfigError("line %d: unknown option %r" %
                                  (lineno, k))
        lst = Listener(lineno, addr, behaviour, opts)
        if behaviour != "refuse":
            lst.validate(certdir)
        listeners.append(lst)
    if not any(l.behaviour != "refuse" for l in listeners):
        raise ConfigError("%s: no listener" % path)
    return listeners


class Log:
    def __init__(self, path):
        self.f = open(path, "a", encoding="utf-8")

    def write(self, **rec):
        rec = {"t": round(time.time(), 6), **rec}
        try:
            self.f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self.f.flush()
        except (OSError, ValueError) as e:
            print("faultsmtp: log: %s" % e, file=sys.stderr)


def text_of(raw):
    s = raw.decode("utf-8", errors="backslashreplace")
    if len(s) > LOG_LINE_MAX:
        s = s[:LOG_LINE_MAX] + "...[cut]"
    return s


class Closed(Exception):
    """The session is over (QUIT, client gone, or fault done)."""


class Session:
    def __init__(self, lst, log, reader, writer):
        self.lst = lst
        self.log = log
        self.reader = reader
        self.writer = writer
        self.tls = "none"
        self.in_tls = False
        self.why = "closed"
        peer = writer.get_extra_info("peername")
        fmt = "[%s]:%d" if peer and ":" in peer[0] else "%s:%d"
        self.peer = fmt % (peer[0], peer[1]) if peer else "?"
        self.host = lst.hostname()

    def record(self, event, **kw):
        self.log.write(addr=self.lst.addr, peer=self.peer, event=event, **kw)

    async def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.writer.is_closing():
            raise Closed("client gone")
        self.writer.write(data)
        await self.writer.drain()

    async def reply(self, code, *lines):
        """Multi-line reply: code-text ... code text (RFC 5321 4.2.1)."""
        out = []
        for i, text in enumerate(lines):
            sep = " " if i == len(lines) - 1 else "-"
            out.append("%d%s%s\r\n" % (code, sep, text))
        await self.send("".join(out))

    async def readline(self):
        try:
            raw = await self.reader.readuntil(b"\n")
        except asyncio.IncompleteReadError as e:
            if e.partial:
                self.record("command", line=text_of(e.partial),
                            tls=self.in_tls)
            raise Closed("client closed")
        except asyncio.LimitOverrunError:
            await self.reply(500, "5.5.2 Line too long")
            raise Closed("line too long")
        line = raw.rstrip(b"\r\n")
        self.record("command", line=text_of(line), tls=self.in_tls)
        return line

    # --- the session ---------------------------------------------------

    async def run(self):
        b = self.lst.behaviour
        self.record("connect")
        if b == "reset":
            sock = self.writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            self.writer.transport.abort()
            self.why = "reset"
            return
        if b == "tarpit":
            await self.tarpit()
            return
        delay = self.lst.intopt("delay", 10000 if b == "slow_banner" else 0)
        if delay:
            await asyncio.sleep(delay / 1000)
        if b == "endless":
            await self.endless()
            return
        await self.banner()
        await self.commands()

    async def tarpit(self):
        hold = self.lst.intopt("hold", 60000) / 1000

        async def drain():
            while True:
                await self.readline()
        try:
            await asyncio.wait_for(drain(), hold)
        except asyncio.TimeoutError:
            self.why = "tarpit hold over"

    async def endless(self):
        pace = self.lst.intopt("pace", 100) / 1000

        async def watch():
            # The client's EOF ends the banner; whatever it says is logged.
            try:
                while True:
                    await self.readline()
            except Closed:
                pass
        watcher = asyncio.ensure_future(watch())
        try:
            n = 0
            while not watcher.done():
                n += 1
                await self.send("220-%s endless banner line %d\r\n" %
                                (self.host, n))
                await asyncio.sleep(pace)
            self.why = "client gone after %d lines" % n
        finally:
            watcher.cancel()

    async def banner(self):
        b = self.lst.behaviour
        text = self.lst.opt("banner") or "%s ESMTP faultsmtp" % self.host
        if b == "banner421":
            await self.reply(421, self.lst.opt("text") or
                             "4.3.2 %s Service not available" % self.host)
            raise Closed("banner421 sent")
        if b == "banner554":
            await self.reply(554, self.lst.opt("text") or
                             "5.3.2 %s No SMTP service here" % self.host)
            return
        if b == "multiline_banner":
            n = self.lst.intopt("lines", 3, 1, 10000)
            lines = ["%s multi-line banner %d" % (self.host, i)
                     for i in range(1, n)]
            await self.reply(220, *lines, text)
            return
        if b == "drip":
            # One byte every pace ms (1 s by default).
            pace = self.lst.intopt("pace", 1000) / 1000
            for ch in ("220 %s\r\n" % text).encode("utf-8"):
                await self.send(bytes([ch]))
                await asyncio.sleep(pace)
            return
        if b == "nulbytes":
            # NUL bytes and invalid UTF-8 (a lone continuation byte, an
            # overlong form, a Latin-1 e acute) in the banner.
            await self.send(b"220 " + self.host.encode("ascii") +
                            b" \x00ESMTP \x80\xc0\xaf caf\xe9 \x00\r\n")
            return
        if b == "hugeline":
            total = self.lst.intopt("bytes", 1048576, 1, 1 << 30)
            pace = self.lst.intopt("pace", 50) / 1000
            await self.send("220 ")
            chunk = b"x" * 65536
            left = total
            while left > 0:
                await self.send(chunk[:left])
                left -= min(left, len(chunk))
                if left:
                    await asyncio.sleep(pace)
            await self.send("\r\n")
            return
        await self.reply(220, text)

    async def commands(self):
        b = self.lst.behaviour
        ehlo_seen = False
        while True:
            line = await self.readline()
            verb = line.split(b" ", 1)[0].upper()
            if verb == b"QUIT":
                await self.reply(221, "2.0.0 %s closing" % self.host)
                raise Closed("quit")
            if b == "banner554":
                await self.reply(503, "5.5.1 No SMTP service here")
                continue
            if verb == b"EHLO":
                if b in ("ehlo_reject", "ehlo_helo_reject"):
                    code = int(self.lst.opt("code", "502"))
                    await self.reply(code, self.lst.opt("text") or
                                     "5.5.1 EHLO not implemented")
                    if code == 421:
                        raise Closed("EHLO answered 421")
                    continue
                if b == "drop_after_ehlo" and not ehlo_seen:
                    if self.lst.opt("reply") == "1":
                        await self.ehlo_reply()
                    raise Closed("dropped after EHLO")
                ehlo_seen = True
                await self.ehlo_reply()
            elif verb == b"HELO":
                if b == "ehlo_helo_reject":
                    code = int(self.lst.opt("code", "502"))
                    await self.reply(code, "5.5.1 HELO not implemented")
                    continue
                await self.reply(250, self.host)
            elif verb == b"STARTTLS" and b == "silent_after_ehlo":
                # Stops answering in mid-dialogue: the client's step
                # timer must fire. Closed when the connection's life ends
                # or the client goes away.
                while True:
                    await self.readline()
            elif verb == b"STARTTLS":
                await self.starttls()
            elif verb in (b"NOOP", b"RSET"):
                await self.reply(250, "2.0.0 OK")
            elif verb == b"VRFY":
                await self.reply(252, "2.5.2 Cannot VRFY")
            elif verb == b"MAIL" and self.lst.opt("rcpt"):
                await self.reply(250, "2.1.0 Ok")
            elif verb == b"RCPT" and self.lst.opt("rcpt"):
                await self.rcpt(line)
            elif verb in (b"MAIL", b"RCPT", b"DATA", b"BDAT"):
                await self.reply(554, "5.7.1 This lab server accepts no"
                                 " mail")
            else:
                await self.reply(500, "5.5.2 Command not recognized")

    async def rcpt(self, line):
        texts = {250: "2.1.5 Ok", 450: "4.2.0 Recipient address "
                 "rejected: try again later", 550: "5.1.1 Recipient "
                 "address rejected: User unknown", 554: "5.7.1 Relay "
                 "access denied"}
        if re.match(rb"(?i)RCPT TO:<postmaster@", line):
            code = int(self.lst.opt("rcpt"))
            text = self.lst.opt("rcpt_text")
        else:
            code = int(self.lst.opt("rcpt_any", "550"))
            text = self.lst.opt("rcpt_any_text")
        await self.reply(code, text or texts[code])

    async def ehlo_reply(self):
        if self.lst.behaviour == "ehlo_lines":
            n = self.lst.intopt("lines", 10000, 1, 1000000)
            await self.reply(250, self.host,
                             *["X-LINE-%d" % i for i in range(n)])
            return
        kw = self.lst.ehlo_keywords()
        if self.in_tls:
            # RFC 3207 4.2: no STARTTLS once TLS is up.
            kw = [k for k in kw if k.split(" ")[0].upper() != "STARTTLS"]
        await self.reply(250, self.host, *kw)

    async def starttls(self):
        b = self.lst.behaviour
        advertised = "STARTTLS" in [k.split(" ")[0].upper()
                                    for k in self.lst.ehlo_keywords()]
        if (self.in_tls or not advertised or b in
                ("nostarttls", "ehlo_reject", "ehlo_helo_reject")):
            await self.reply(502 if not self.in_tls else 503,
                             "5.5.1 STARTTLS not available")
            return
        if b == "starttls_reject":
            code = int(self.lst.opt("code", "454"))
            await self.reply(code, self.lst.opt("text") or
                             "4.7.0 TLS not available due to"
                             " temporary reason")
            if code == 421:
                raise Closed("STARTTLS answered 421")
            return
        # Plaintext the client pipelined after STARTTLS must not survive
        # into the TLS session (the CVE-2011-0411 injection): it is
        # logged as plaintext commands and dropped.
        injected = bytes(self.reader._buffer)
        self.reader._buffer.clear()
        for raw in injected.split(b"\n"):
            if raw:
                self.record("command", line=text_of(raw.rstrip(b"\r")),
                            tls=False, discarded=True)
        await self.reply(220, "2.0.0 Ready to start TLS")
        if b in ("tls_fail", "tls_drop"):
            try:
                hello = await asyncio.wait_for(self.reader.read(16384), 10)
            except asyncio.TimeoutError:
                hello = b""
            if b == "tls_fail":
                if self.lst.opt("mode") == "garbage":
                    await self.send(b"this is not TLS, sorry\r\n" * 8)
                else:
                    await self.send(TLS_ALERT)
                self.tls = "failed"
                raise Closed("%s after %d bytes of ClientHello" %
                             (b, len(hello)))
            self.tls = "failed"
            raise Closed("tls_drop after %d bytes of ClientHello" %
                         len(hello))
        if self.lst.sslctx is None:
            raise Closed("no certificate configured")
        if b in ("tls_cut_handshake", "tls_cut_reply", "tls_notify_ehlo"):
            await CutTLS(self).run()
            return
        try:
            await asyncio.wait_for(self.writer.start_tls(self.lst.sslctx),
                                   30)
        except Exception as e:
            self.tls = "failed"
            raise Closed("handshake failed: %s" % e)
        self.tls = "ok"
        self.in_tls = True


class CutTLS:
    """A server-side TLS session driven by hand (ssl.SSLObject over memory
    BIOs) on the session's plain stream, so that the bytes on the wire can
    be cut where a real TLS stack never cuts them: in the middle of a
    record. tls_cut_handshake cuts the first record of the server's
    flight (the ServerHello); tls_cut_reply completes the handshake,
    reads one command over TLS (the EHLO) and cuts the record of its
    encrypted reply. Either way the TCP connection is then closed with no
    close_notify. tls_notify_ehlo reads the EHLO the same way, then sends
    a close_notify alert (a clean TLS shutdown) instead of the reply and
    closes."""

    def __init__(self, sess):
        self.sess = sess
        self.inc = ssl.MemoryBIO()
        self.out = ssl.MemoryBIO()
        self.obj = sess.lst.sslctx.wrap_bio(self.inc, self.out,
                                            server_side=True)

    async def feed(self, what):
        try:
            data = await asyncio.wait_for(self.sess.reader.read(16384), 10)
        except asyncio.TimeoutError:
            raise Closed("no data from the client during %s" % what)
        if not data:
            raise Closed("client closed during %s" % what)
        self.inc.write(data)

    async def cut(self, flight, what):
        """Send flight's first record only in part, then close."""
        if len(flight) < 5:
            raise Closed("no TLS record to cut (%d bytes)" % len(flight))
        length = struct.unpack("!H", flight[3:5])[0]
        if self.sess.lst.opt("cut") == "header":
            part = flight[:3]
        else:
            part = flight[:5 + length // 2]
        await self.sess.send(part)
        raise Closed("cut the %s record after %d of its %d bytes" %
                     (what, len(part), 5 + length))

    async def run(self):
        sess = self.sess
        await self.feed("the handshake")
        while True:
            try:
                self.obj.do_handshake()
                break
            except ssl.SSLWantReadError:
                flight = self.out.read()
                if sess.lst.behaviour == "tls_cut_handshake" and flight:
                    sess.tls = "failed"
                    await self.cut(flight, "ServerHello")
                if flight:
                    await sess.send(flight)
                await self.feed("the handshake")
            except ssl.SSLError as e:
                sess.tls = "failed"
                raise Closed("handshake failed: %s" % e)
        # The rest of the flight (TLS 1.3 session tickets) goes out whole.
        rest = self.out.read()
        if rest:
            await sess.send(rest)
        sess.tls = "ok"
        sess.in_tls = True
        data = b""
        while b"\n" not in data:
            try:
                data += self.obj.read(4096)
            except ssl.SSLWantReadError:
                await self.feed("the first command over TLS")
            except ssl.SSLError as e:
                raise Closed("TLS read failed: %s" % e)
        line = data.split(b"\n", 1)[0].rstrip(b"\r")
        sess.record("command", line=text_of(line), tls=True)
        if sess.lst.behaviour == "tls_notify_ehlo":
            await self.notify()
        kw = [k for k in sess.lst.ehlo_keywords()
              if k.split(" ")[0].upper() != "STARTTLS"]
        lines = [sess.host] + kw
        reply = "".join("250%s%s\r\n" % ("-" if i < len(lines) - 1 else
                                           " ", t)
                        for i, t in enumerate(lines))
        self.obj.write(reply.encode("utf-8"))
        await self.cut(self.out.read(), "EHLO reply")

    async def notify(self):
        """Send close_notify (the peer's is not awaited), then close."""
        try:
            self.obj.unwrap()
        except ssl.SSLWantReadError:
            pass
        alert = self.out.read()
        if not alert:
            raise Closed("unwrap made no close_notify")
        await self.sess.send(alert)
        raise Closed("sent close_notify (%d bytes) instead of the EHLO "
                     "reply" % len(alert))


async def serve(lst, log, reader, writer):
    sess = Session(lst, log, reader, writer)
    try:
        await asyncio.wait_for(sess.run(), lst.intopt("life", 600))
    except Closed as e:
        sess.why = str(e)
    except asyncio.TimeoutError:
        sess.why = "life over"
    except (ConnectionError, OSError, ssl.SSLError) as e:
        sess.why = "I/O error: %s" % e
    except asyncio.CancelledError:
        sess.why = "server stopping"
    except Exception as e:                      # never die on a client
        sess.why = "internal error: %r" % e
        print("faultsmtp: %s %s: %r" % (lst.addr, sess.peer, e),
              file=sys.stderr)
    finally:
        try:
            writer.transport.abort() if sess.why == "reset" else \
                writer.close()
        except Exception:
            pass
        sess.record("close", tls=sess.tls, why=sess.why)


def quiet_handler(loop, ctx):
    # asyncio reports handshake failures and resets of closed transports
    # here; they are the point of this server, not errors.
    msg = ctx.get("message", "")
    exc = ctx.get("exception")
    if isinstance(exc, (ConnectionError, ssl.SSLError, OSError)):
        return
    print("faultsmtp: %s %r" % (msg, exc), file=sys.stderr)


async def main_async(args, listeners):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(quiet_handler)
    log = Log(args.log)
    servers = []
    tasks = set()

    def handler_for(lst):
        async def handle(reader, writer):
            task = asyncio.current_task()
            tasks.add(task)
            try:
                await serve(lst, log, reader, writer)
            finally:
                tasks.discard(task)
        return handle

    held = []
    for lst in listeners:
        if lst.behaviour == "refuse":
            continue
        if lst.behaviour == "blackhole":
            # A listening socket whose accept queue is full and never
            # drained: the kernel drops further SYNs, so a client's
            # connect() times out, as behind a firewall that drops port
            # 25. Filled by our own connections, never accepted.
            try:
                ls = socket.socket(socket.AF_INET6 if ":" in lst.addr
                                   else socket.AF_INET)
                ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                ls.bind((lst.addr, args.port))
                ls.listen(0)
                held.append(ls)
                for _ in range(4):
                    c = socket.socket(ls.family)
                    c.setblocking(False)
                    try:
                        c.connect((lst.addr, args.port))
                    except (BlockingIOError, OSError):
                        pass
                    held.append(c)
            except OSError as e:
                print("faultsmtp: cannot listen on %s port %d: %s" %
                      (lst.addr, args.port, e.strerror or e),
                      file=sys.stderr)
                return 1
            continue
        try:
            srv = await asyncio.start_server(
                handler_for(lst), host=lst.addr, port=args.port,
                reuse_address=True, limit=LINE_MAX, backlog=128)
        except OSError as e:
            for s in servers:
                s.close()
            print("faultsmtp: cannot listen on %s port %d: %s" %
                  (lst.addr, args.port, e.strerror or e), file=sys.stderr)
            return 1
        servers.append(srv)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    tmp = args.pidfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(tmp, args.pidfile)
    try:
        await stop.wait()
    finally:
        for s in servers:
            s.close()
        for h in held:
            h.close()
        for t in list(tasks):
            t.cancel()
        if tasks:
            await asyncio.wait(list(tasks), timeout=2)
        try:
            os.unlink(args.pidfile)
        except OSError:
            pass
    return 0


def main():
    ap = argparse.ArgumentParser(
        prog="faultsmtp.py",
        description="fault-injecting SMTP server for the mxprobe lab")
    ap.add_argument("--config", required=True)
    ap.add_argument("--port", required=True, type=int)
    ap.add_argument("--log", required=True)
    ap.add_argument("--pidfile", required=True)
    ap.add_argument("--certdir")
    args = ap.parse_args()
    if not 1 <= args.port <= 65535:
        print("faultsmtp: bad port %d" % args.port, file=sys.stderr)
        return 1
    try:
        listeners = parse_config(args.config, args.certdir)
    except ConfigError as e:
        print("faultsmtp: config: %s" % e, file=sys.stderr)
        return 1
    try:
        return asyncio.run(main_async(args, listeners))
    except OSError as e:
        print("faultsmtp: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
