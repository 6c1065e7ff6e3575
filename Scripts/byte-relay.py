#!/usr/bin/env python3
"""A TCP relay that counts the bytes between `fieldbook` and `fieldbook-server`.

    Scripts/byte-relay.py --upstream 127.0.0.1:8080 [--port 0] --counts FILE

Why: a "bytes per change" figure taken from the product's own counters only measures what the
product believes it sends (usually bodies, not HTTP heads, retries or extra round trips). This
relay sits outside it, on the TCP stream, so every byte of every request and response is
counted, whatever the client or server think they did.

It listens on 127.0.0.1:PORT (0 picks a free port) and prints the chosen port as the first line
on stdout. Every connection is forwarded to --upstream as is. On SIGTERM or SIGINT it writes
{"client_to_server", "server_to_client", "connections", "upstream_failures"} as JSON to --counts
and exits 0. Python 3.8+ standard library only.
"""

import argparse
import asyncio
import json
import os
import signal

counts = {"client_to_server": 0, "server_to_client": 0, "connections": 0, "upstream_failures": 0}


async def pipe(reader, writer, key):
    try:
        while data := await reader.read(65536):
            counts[key] += len(data)
            writer.write(data)
            await writer.drain()
        # Pass the half-close on: an HTTP peer may wait for EOF before it answers or closes.
        if writer.can_write_eof():
            writer.write_eof()
    except OSError:  # reset by a peer: close the other side too
        writer.close()


async def handle(client_reader, client_writer, upstream):
    counts["connections"] += 1
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection(*upstream)
    except OSError:
        # Counted, so a benchmark can tell "the server was down" from "nothing was sent".
        counts["upstream_failures"] += 1
        client_writer.close()
        return
    await asyncio.gather(
        pipe(client_reader, upstream_writer, "client_to_server"),
        pipe(upstream_reader, client_writer, "server_to_client"),
    )
    for writer in (client_writer, upstream_writer):
        writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT to forward to")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--counts", required=True, help="JSON file written on SIGTERM/SIGINT")
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    upstream = (host or "127.0.0.1", int(port))

    server = await asyncio.start_server(
        lambda r, w: handle(r, w, upstream), "127.0.0.1", args.port
    )
    print(server.sockets[0].getsockname()[1], flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()

    # Written whole then renamed, so a reader never sees half a file.
    tmp = args.counts + ".tmp"
    with open(tmp, "w") as f:
        json.dump(counts, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, args.counts)


if __name__ == "__main__":
    asyncio.run(main())
