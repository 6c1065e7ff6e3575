#!/usr/bin/env python3
"""A loopback HTTP/1.1 proxy that injects network faults between `fieldbook` and `fieldbook-server`.

    Scripts/fault-proxy.py --upstream 127.0.0.1:8080 [--port 0] [--seed N] [rates...]

It prints "fault-proxy listening on http://127.0.0.1:PORT" once it accepts connections. Every
request is read whole (head and body, Content-Length or chunked; `Expect: 100-continue` is
answered by the proxy), then a seeded random choice decides its fate:

  drop       close the client's connection: before the request reaches the server, or after
             the server answered (the change may be committed, the client never hears), or
             right after accepting a connection (per connection, a third of the drop rate)
  delay      hold the request or the response for a random time (up to --max-delay-ms)
  duplicate  also replay the complete request on a new upstream connection (before, alongside
             or after the original; the replay's answer is discarded)
  reorder    hold the request until a later request (from any connection) has passed, or a
             timeout: either the client waits for it ("hold"), or the client's connection is
             closed at once and the request is delivered late, after the later one ("late")
  truncate   cut the request mid-body (the server sees a short body then EOF), or relay only
             part of the response (the client sees a short body then EOF)

A request whose head arrives but whose body does not come within --body-timeout seconds is
closed and counted as "stalled_bodies" (libcurl sends such a head when it retries a POST after
a reused connection died; without the timeout the client would wait out its 60 s timeout).

Rates are probabilities per request (per connection for the accept-time drop). The counts of
each fault injected are written as JSON to --counts FILE and printed as one line on stdout
when the proxy ends (SIGTERM, SIGINT, or stdin closed with --exit-on-stdin-eof).
`--upstream-file FILE` (optional) is re-read for every new upstream connection, so a restarted
server on another port can be followed.

Through TLS (`--tls-cert FILE --tls-key FILE`, and `--upstream-ca FILE` for a server that serves
HTTPS): the proxy accepts TLS from the client with that certificate and opens TLS to the server
trusting that CA, so every fault above lands on TLS connections (a drop or a truncation cuts the
TCP connection without a close_notify, as a network would, so the client sees the TLS stream end
inside a record or between records, not a clean TLS close). One fault of its own:

  handshake  (per connection, --handshake-cut) cut the TLS handshake: close after reading part
             of the client's hello, or send only a prefix of the server's first flight (the
             ServerHello/certificate records cut at a random byte) and close

Python 3.11+ standard library only (3.9+ without TLS).
"""

import argparse
import asyncio
import json
import os
import random
import signal
import ssl
import sys
import time

HOP_HEADERS = {b"expect"}


class ProtocolError(Exception):
    pass


class Counts(dict):
    def bump(self, key, n=1):
        self[key] = self.get(key, 0) + n


async def read_head(reader):
    """Reads up to the blank line; returns the raw head, or None at a clean EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as error:
        if not error.partial:
            return None
        raise ProtocolError("connection closed inside a message head")
    except asyncio.LimitOverrunError:
        raise ProtocolError("message head too large")
    return head


def parse_head(head):
    lines = head[:-4].split(b"\r\n")
    start = lines[0]
    headers = []
    for line in lines[1:]:
        if b":" not in line:
            raise ProtocolError("malformed header line")
        name, value = line.split(b":", 1)
        headers.append((name.strip(), value.strip()))
    return start, headers


def header(headers, name):
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def build_head(start, headers):
    return start + b"\r\n" + b"".join(k + b": " + v + b"\r\n" for k, v in headers) + b"\r\n"


async def read_chunked(reader):
    """Reads a chunked body and returns its raw bytes (framing included)."""
    raw = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        raw += line
        size = int(line.split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            while True:  # trailers up to the blank line
                trailer = await reader.readuntil(b"\r\n")
                raw += trailer
                if trailer == b"\r\n":
                    return bytes(raw)
        raw += await reader.readexactly(size + 2)


class Message:
    """One HTTP message: the head as parsed, and the body as raw bytes."""

    def __init__(self, start, headers, body):
        self.start = start
        self.headers = headers
        self.body = body

    def encode(self):
        return build_head(self.start, self.headers) + self.body

    @property
    def method(self):
        return self.start.split(b" ", 1)[0].upper()

    @property
    def status(self):
        parts = self.start.split(b" ", 2)
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    def wants_close(self):
        value = header(self.headers, b"connection")
        return value is not None and value.lower() == b"close"


class StalledBody(Exception):
    pass


async def read_request(reader, writer, body_timeout):
    head = await read_head(reader)
    if head is None:
        return None
    start, headers = parse_head(head)
    expect = header(headers, b"expect")
    if expect is not None and expect.lower() == b"100-continue":
        # Answer it here; the server then sees an ordinary request.
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    headers = [(k, v) for k, v in headers if k.lower() not in HOP_HEADERS]
    body = b""
    encoding = header(headers, b"transfer-encoding")
    length = header(headers, b"content-length")
    try:
        if encoding is not None and b"chunked" in encoding.lower():
            body = await asyncio.wait_for(read_chunked(reader), body_timeout)
        elif length is not None:
            body = await asyncio.wait_for(reader.readexactly(int(length)), body_timeout)
    except asyncio.TimeoutError:
        # A head whose body never comes: libcurl (URLSession on Linux) retrying a POST on a
        # fresh connection after its reused one died sends the head and no body.
        raise StalledBody(start.decode(errors="replace"))
    return Message(start, headers, body)


async def read_response(reader, method):
    while True:
        head = await read_head(reader)
        if head is None:
            raise ProtocolError("upstream closed before answering")
        start, headers = parse_head(head)
        response = Message(start, headers, b"")
        if 100 <= response.status < 200:
            continue  # interim answers are not relayed (the proxy answered Expect itself)
        break
    if method == b"HEAD" or response.status in (204, 304):
        return response
    encoding = header(headers, b"transfer-encoding")
    length = header(headers, b"content-length")
    if encoding is not None and b"chunked" in encoding.lower():
        response.body = await read_chunked(reader)
    elif length is not None:
        response.body = await reader.readexactly(int(length))
    else:
        response.body = await reader.read()
        response.headers.append((b"Connection", b"close"))
    return response


class Proxy:
    def __init__(self, options):
        self.options = options
        self.random = random.Random(options.seed)
        self.counts = Counts()
        for key in ("connections", "requests", "forwarded", "drops", "delays", "duplicates", "reorders",
                    "truncations", "upstream_failures", "handshake_cuts"):
            self.counts[key] = 0
        self.passed = 0  # requests forwarded upstream so far (for reorders)
        self.passed_event = asyncio.Event()
        self.tasks = set()
        self.client_tls = None
        self.upstream_tls = None
        if options.tls_cert:
            self.client_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.client_tls.load_cert_chain(options.tls_cert, options.tls_key)
        if options.upstream_ca:
            self.upstream_tls = ssl.create_default_context(cafile=options.upstream_ca)
        self.kinds = [
            ("drop", options.drop), ("delay", options.delay), ("duplicate", options.duplicate),
            ("reorder", options.reorder), ("truncate", options.truncate),
        ]

    # -- choices ---------------------------------------------------------------------------
    def choose(self):
        roll = self.random.random()
        for kind, rate in self.kinds:
            if roll < rate:
                return kind
            roll -= rate
        return None

    def upstream_address(self):
        if self.options.upstream_file:
            try:
                with open(self.options.upstream_file) as handle:
                    text = handle.read().strip()
                if text:
                    host, port = text.rsplit(":", 1)
                    return host, int(port)
            except (OSError, ValueError):
                pass
        host, port = self.options.upstream.rsplit(":", 1)
        return host, int(port)

    async def connect(self):
        host, port = self.upstream_address()
        if self.upstream_tls is None:
            return await asyncio.open_connection(host, port, limit=1 << 20)
        try:
            return await asyncio.wait_for(asyncio.open_connection(host, port, limit=1 << 20, ssl=self.upstream_tls,
                                                                  server_hostname=host), 30)
        except (ssl.SSLError, asyncio.TimeoutError) as error:
            # A server killed inside the handshake: like a refused connection.
            raise ConnectionError(str(error))

    def cut(self, writer):
        """Ends a connection as the network would: through TLS, the TCP connection is cut
        without a close_notify (most of the time; else a clean TLS close)."""
        if writer.get_extra_info("sslcontext") is not None and self.random.random() < 0.8:
            writer.transport.abort()
        else:
            writer.close()

    async def cut_handshake(self, reader, writer):
        """Cuts the client's TLS handshake: after part of its hello, or inside the server's
        first flight (a prefix of the ServerHello and certificate records)."""
        loop = asyncio.get_running_loop()
        if self.random.random() < 0.3:
            self.counts.bump("handshake_cuts_client_hello")
            try:
                data = await asyncio.wait_for(reader.read(self.random.randint(1, 300)), 5)
            except (OSError, asyncio.TimeoutError):
                return
            writer.transport.abort()
            return
        self.counts.bump("handshake_cuts_server_flight")
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self.client_tls.wrap_bio(incoming, outgoing, server_side=True)
        deadline = loop.time() + 5
        flight = b""
        while not flight and loop.time() < deadline:
            try:
                data = await asyncio.wait_for(reader.read(65536), max(0.01, deadline - loop.time()))
            except (OSError, asyncio.TimeoutError):
                break
            if not data:
                break
            incoming.write(data)
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass
            except ssl.SSLError:
                break
            flight = outgoing.read()
        if flight:
            writer.write(flight[:self.random.randrange(0, len(flight))])
            try:
                await writer.drain()
            except OSError:
                pass
        writer.transport.abort()

    def note_passed(self):
        self.passed += 1
        self.counts.bump("forwarded")
        self.passed_event.set()
        self.passed_event = asyncio.Event()

    def spawn(self, coroutine):
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def wait_for_later(self, since, timeout):
        """Waits until a request that arrived later has been forwarded, or the timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.passed <= since:
            left = deadline - loop.time()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.passed_event.wait(), left)
            except asyncio.TimeoutError:
                return False
        return True

    # -- upstream exchanges ----------------------------------------------------------------
    async def exchange_once(self, request):
        """The request on a fresh upstream connection; its answer (or None)."""
        try:
            reader, writer = await self.connect()
        except OSError:
            self.counts.bump("upstream_failures")
            return None
        try:
            writer.write(request.encode())
            await writer.drain()
            self.note_passed()
            return await read_response(reader, request.method)
        except (OSError, asyncio.IncompleteReadError, ProtocolError, asyncio.LimitOverrunError):
            return None
        finally:
            writer.close()

    async def replay(self, request, delay):
        if delay:
            await asyncio.sleep(delay)
        await self.exchange_once(request)

    async def late_delivery(self, request, since, timeout):
        overtaken = await self.wait_for_later(since, timeout)
        if overtaken:
            self.counts.bump("reorders_overtaken")
        await self.exchange_once(request)

    # -- one client connection -------------------------------------------------------------
    async def handle(self, client_reader, client_writer):
        self.counts.bump("connections")
        number = self.counts["connections"]
        upstream = None
        try:
            if self.random.random() < self.options.drop / 3:
                self.counts.bump("drops")
                self.counts.bump("drops_connection")
                return
            if self.client_tls is not None:
                if self.random.random() < self.options.handshake_cut:
                    self.counts.bump("handshake_cuts")
                    await self.cut_handshake(client_reader, client_writer)
                    return
                try:
                    await client_writer.start_tls(self.client_tls, ssl_handshake_timeout=30)
                except (OSError, asyncio.TimeoutError, ssl.SSLError):
                    self.counts.bump("client_handshake_failures")
                    return
            while True:
                try:
                    request = await read_request(client_reader, client_writer, self.options.body_timeout)
                except StalledBody as stalled:
                    self.counts.bump("stalled_bodies")
                    if self.options.log:
                        print(f"{time.time():.3f} conn {number} {str(stalled)[:90]} body never came", file=sys.stderr, flush=True)
                    return
                except (ProtocolError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, OSError):
                    return
                if request is None:
                    return
                self.counts.bump("requests")
                arrived = self.passed
                fault = self.choose()
                if self.options.log:
                    print(f"{time.time():.3f} conn {number} {request.start.decode(errors='replace')[:90]} fault={fault}", file=sys.stderr, flush=True)
                response_delay = 0.0
                if fault == "drop" and self.random.random() < 0.5:
                    self.counts.bump("drops")
                    self.counts.bump("drops_request")
                    self.cut(client_writer)
                    return
                if fault == "delay":
                    self.counts.bump("delays")
                    pause = self.random.uniform(0.005, self.options.max_delay_ms / 1000)
                    if self.random.random() < 0.5:
                        await asyncio.sleep(pause)
                    else:
                        response_delay = pause
                if fault == "reorder":
                    self.counts.bump("reorders")
                    timeout = self.random.uniform(0.05, self.options.max_hold_ms / 1000)
                    if self.random.random() < 0.5:
                        self.counts.bump("reorders_late")
                        self.spawn(self.late_delivery(request, arrived, timeout))
                        return
                    self.counts.bump("reorders_hold")
                    if await self.wait_for_later(arrived, timeout):
                        self.counts.bump("reorders_overtaken")
                if fault == "duplicate":
                    self.counts.bump("duplicates")
                    when = self.random.choice(["before", "alongside", "after"])
                    self.counts.bump("duplicates_" + when)
                    if when == "before":
                        await self.exchange_once(request)
                    elif when == "alongside":
                        self.spawn(self.replay(request, 0))
                    else:
                        self.spawn(self.replay(request, self.random.uniform(0, 0.1)))
                if upstream is None:
                    try:
                        upstream = await self.connect()
                    except OSError:
                        self.counts.bump("upstream_failures")
                        return
                up_reader, up_writer = upstream
                encoded = request.encode()
                if fault == "truncate" and self.random.random() < 0.5:
                    self.counts.bump("truncations")
                    self.counts.bump("truncated_requests")
                    head_size = len(encoded) - len(request.body)
                    if request.body:
                        cut = head_size + self.random.randrange(0, len(request.body))
                    else:
                        cut = self.random.randrange(1, head_size)
                    up_writer.write(encoded[:cut])
                    try:
                        await up_writer.drain()
                    except OSError:
                        pass
                    await asyncio.sleep(0.01)
                    self.cut(up_writer)
                    upstream = None
                    return
                try:
                    up_writer.write(encoded)
                    await up_writer.drain()
                    self.note_passed()
                    response = await read_response(up_reader, request.method)
                except (OSError, asyncio.IncompleteReadError, ProtocolError, asyncio.LimitOverrunError, ValueError):
                    self.counts.bump("upstream_failures")
                    return
                if fault == "drop":
                    self.counts.bump("drops")
                    self.counts.bump("drops_response")
                    self.cut(client_writer)
                    return
                if response_delay:
                    await asyncio.sleep(response_delay)
                answer = response.encode()
                if fault == "truncate":
                    self.counts.bump("truncations")
                    self.counts.bump("truncated_responses")
                    head_size = len(answer) - len(response.body)
                    if response.body:
                        cut = head_size + self.random.randrange(0, len(response.body))
                    else:
                        cut = self.random.randrange(1, head_size)
                    client_writer.write(answer[:cut])
                    await client_writer.drain()
                    self.cut(client_writer)
                    return
                client_writer.write(answer)
                await client_writer.drain()
                if request.wants_close() or response.wants_close():
                    return
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            return
        finally:
            if upstream is not None:
                upstream[1].close()
            if not client_writer.transport.is_closing():
                client_writer.close()

    def report(self):
        text = json.dumps(dict(sorted(self.counts.items())), sort_keys=True)
        if self.options.counts:
            temporary = self.options.counts + ".tmp"
            with open(temporary, "w") as handle:
                handle.write(text + "\n")
            os.replace(temporary, self.options.counts)
        print(text, flush=True)


async def main(options):
    proxy = Proxy(options)
    server = await asyncio.start_server(proxy.handle, options.host, options.port, limit=1 << 20)
    port = server.sockets[0].getsockname()[1]
    print(f"fault-proxy listening on {'https' if options.tls_cert else 'http'}://{options.host}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if options.exit_on_stdin_eof:
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not os.read(sys.stdin.fileno(), 1024) else None)
    await stop.wait()
    server.close()
    for task in list(proxy.tasks):
        task.cancel()
    proxy.report()


def parse(arguments=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT of fieldbook-server")
    parser.add_argument("--upstream-file", help="a file holding HOST:PORT, re-read per upstream connection")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: a free one, printed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--drop", type=float, default=0.04, help="rate of dropped connections")
    parser.add_argument("--delay", type=float, default=0.08, help="rate of delayed requests or responses")
    parser.add_argument("--duplicate", type=float, default=0.05, help="rate of replayed requests")
    parser.add_argument("--reorder", type=float, default=0.04, help="rate of held (reordered) requests")
    parser.add_argument("--truncate", type=float, default=0.04, help="rate of cut requests or responses")
    parser.add_argument("--max-delay-ms", type=float, default=150)
    parser.add_argument("--max-hold-ms", type=float, default=400)
    parser.add_argument("--body-timeout", type=float, default=1.0,
                        help="seconds to wait for a request body once its head arrived (then close; counted as stalled_bodies)")
    parser.add_argument("--tls-cert", help="PEM certificate to serve TLS to the client with (with --tls-key)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--upstream-ca", help="speak TLS to the upstream server, trusting this PEM CA certificate")
    parser.add_argument("--handshake-cut", type=float, default=0.0,
                        help="rate (per connection, with --tls-cert) of TLS handshakes cut by the proxy")
    parser.add_argument("--counts", help="write the fault counts here as JSON on exit")
    parser.add_argument("--log", action="store_true", help="one line per request on stderr")
    parser.add_argument("--exit-on-stdin-eof", action="store_true", help="also end when stdin closes")
    options = parser.parse_args(arguments)
    if sum(rate for rate in (options.drop, options.delay, options.duplicate, options.reorder, options.truncate)) > 1:
        parser.error("the fault rates add up to more than 1")
    if bool(options.tls_cert) != bool(options.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return options


if __name__ == "__main__":
    asyncio.run(main(parse()))
