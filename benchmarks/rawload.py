"""A small load generator: keep-alive HTTP/1.1 GETs over raw asyncio connections, for when wrk is not installed.

    python -m benchmarks.rawload URL [--connections 32] [--duration 10] [--mark TEXT]

Each connection sends one GET, reads the whole response (by its Content-Length), checks it and sends the next,
until the time is up: every connection always waits on one request, as wrk's do. A response is an error unless
it is a 200 whose body ends with `mark`. No HTTP library: an asyncio protocol (on uvloop, which uvicorn's
[standard] extra brings) that finds the status and Content-Length and counts bytes costs the client a fraction of
what a request costs the server, so on the same cores the figures are the server's, not the client's, and the
ceiling and a page are loaded by the very same client in one run (benchmarks/page_throughput.py).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

HEADER_END = b"\r\n\r\n"
CONTENT_LENGTH = b"\r\ncontent-length:"
CONNECT_TIMEOUT_S = 10.0


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, one per good response
    errors: int = 0
    first_error: str = ""

    def error(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what


class KeepAlive(asyncio.Protocol):
    """One connection sending the same GET again and again until the deadline."""

    def __init__(self, request: bytes, mark: bytes, tally: Tally, deadline: float, done: asyncio.Future) -> None:
        self.request, self.mark, self.tally, self.deadline, self.done = request, mark, tally, deadline, done
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.sent = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.send()

    def send(self) -> None:
        self.sent = time.perf_counter()
        self.transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (length := self.complete()) is not None:
            self.answered(bytes(self.buffer[:length]))
            del self.buffer[:length]
            if self.done.done():
                return
            if time.perf_counter() >= self.deadline:
                self.finish()
                return
            self.send()

    def complete(self) -> int | None:
        """The length of the first whole response in the buffer, None while it is still arriving."""
        end = self.buffer.find(HEADER_END)
        if end < 0:
            return None
        head = bytes(self.buffer[:end]).lower()
        at = head.find(CONTENT_LENGTH)
        if at < 0:
            self.tally.error("a response without Content-Length")
            self.finish()
            return None
        value = head[at + len(CONTENT_LENGTH):].split(b"\r\n", 1)[0]
        total = end + len(HEADER_END) + int(value)
        return total if len(self.buffer) >= total else None

    def answered(self, response: bytes) -> None:
        status = response[9:12]
        body = response[response.find(HEADER_END) + len(HEADER_END):]
        if status == b"200" and body.rstrip().endswith(self.mark):
            self.tally.latencies.append(time.perf_counter() - self.sent)
        else:
            self.tally.error(f"{status.decode(errors='replace')} {body[:80]!r}")

    def finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)
        if self.transport is not None:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.done.done():
            self.tally.error(f"connection lost: {exc or 'closed by the server'}")
            self.done.set_result(None)


async def load(url: str, mark: str, connections: int, duration: float) -> tuple[Tally, float]:
    """(the tally, seconds elapsed) of `connections` keep-alive connections on `url` for `duration` seconds."""
    parts = urlsplit(url)
    target = parts.path or "/"
    target += f"?{parts.query}" if parts.query else ""
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: */*\r\n\r\n".encode()
    loop = asyncio.get_running_loop()
    tally = Tally()
    started = time.perf_counter()
    deadline = started + duration
    finished = []
    for _ in range(connections):
        done = loop.create_future()
        factory: Callable[[], KeepAlive] = lambda done=done: KeepAlive(request, mark.encode(), tally, deadline, done)  # noqa: E731
        await asyncio.wait_for(loop.create_connection(factory, parts.hostname, parts.port or 80), CONNECT_TIMEOUT_S)
        finished.append(done)
    await asyncio.gather(*finished)
    return tally, time.perf_counter() - started


def run(url: str, mark: str, connections: int, duration: float) -> tuple[Tally, float]:
    """load() on uvloop when it is installed, else on asyncio's own loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(load(url, mark, connections, duration))
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(load(url, mark, connections, duration))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--mark", default="", help="the text every good response ends with")
    args = parser.parse_args(argv)
    tally, elapsed = run(args.url, args.mark, args.connections, args.duration)
    print(f"{len(tally.latencies) / elapsed:.1f} req/s, {tally.errors} errors {tally.first_error}".rstrip())


if __name__ == "__main__":
    main()
