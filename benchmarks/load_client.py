"""The load generator of benchmarks/serve.py: a minimal keep-alive HTTP/1.1 client and its load shapes.

httpx's pool cost several ms of CPU a request at 200 requests/s, more than the server: the load
generator became what was measured. This client writes one prepared request head and reads the
answer by its Content-Length, on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import time
from dataclasses import dataclass, field

import numpy as np

_KEEP_ALIVE = 4.0  # seconds a client keeps an idle connection: uvicorn closes them after 5


@dataclass
class Phase:
    """One load level's answers: latencies (seconds) of the successful ones, errors, time, server CPU."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    not_sent: int = 0  # open loop: due while too many were unanswered (counted as errors too)
    first_error: str | None = None
    seconds: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    load: float = 0.0
    late: float = 0.0  # open loop: the latest a request started after it was due (the client's own lag)

    def failed(self, detail: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or detail

    @property
    def n(self) -> int:
        return len(self.latencies) + self.errors

    def quantile(self, q: float) -> float:
        return float(np.quantile(self.latencies, q)) * 1000 if self.latencies else math.nan


class Client:
    """``POST /v1/score`` over keep-alive HTTP/1.1 connections, a connection per request in flight."""

    def __init__(self, port: int, key: str, timeout: float) -> None:
        self.port, self.timeout = port, timeout
        self._head = (
            f"POST /v1/score HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-API-Key: {key}\r\n"
            "Content-Type: application/json\r\n"
        ).encode()
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """The status and body of the answer to one request."""
        while self._idle:
            reader, writer, last_used = self._idle.pop()
            if time.monotonic() - last_used < _KEEP_ALIVE:  # the server closes a connection idle for 5 s
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(b"%sContent-Length: %d\r\n\r\n%s" % (self._head, len(body), body))
            await writer.drain()
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.timeout)
            lengths = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if not lengths:
                raise OSError(f"an answer without Content-Length: {head[:200]!r}")
            answer = await asyncio.wait_for(reader.readexactly(int(lengths[0].split(b":", 1)[1])), self.timeout)
        except BaseException:
            writer.close()
            raise
        self._idle.append((reader, writer, time.monotonic()))
        return int(head[9:12]), answer

    def close(self) -> None:
        for _, writer, _ in self._idle:
            writer.close()


async def post_one(client: Client, body: bytes, phase: Phase, since: float | None = None) -> None:
    started = time.perf_counter() if since is None else since
    try:
        status, answer = await client.post(body)
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as err:
        phase.failed(f"{type(err).__name__}: {err}")
        return
    if status != 200:
        phase.failed(f"HTTP {status}: {answer[:200].decode(errors='replace')}")
        return
    phase.latencies.append(time.perf_counter() - started)


async def closed_loop(client: Client, bodies: list[bytes], clients: int, args: argparse.Namespace) -> Phase:
    """``clients`` clients, each sending the next request when its answer comes; bounded in requests and time."""
    phase, sent = Phase(), 0
    deadline = time.perf_counter() + args.seconds

    async def one_client() -> None:
        nonlocal sent
        while sent < args.requests and time.perf_counter() < deadline:
            body = bodies[sent % len(bodies)]
            sent += 1
            await post_one(client, body, phase)

    started = time.perf_counter()
    await asyncio.gather(*(one_client() for _ in range(clients)))
    phase.seconds = time.perf_counter() - started
    return phase


async def open_loop(client: Client, bodies: list[bytes], args: argparse.Namespace) -> Phase:
    """Requests due at a fixed rate, each started when due (at most ``--max-in-flight`` unanswered at once)."""
    phase, tasks, n = Phase(), [], int(args.rate * args.rate_seconds)
    in_flight = asyncio.Semaphore(args.max_in_flight)

    async def one(body: bytes, due: float) -> None:
        try:
            await post_one(client, body, phase, since=due)
        finally:
            in_flight.release()

    started = time.perf_counter() + 0.05
    for i in range(n):
        due = started + i / args.rate
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        if in_flight.locked():  # the server is this far behind: the request counts as failed
            phase.failed(f"not sent: {args.max_in_flight} requests unanswered")
            phase.not_sent += 1
            continue
        await in_flight.acquire()
        phase.late = max(phase.late, time.perf_counter() - due)
        tasks.append(asyncio.create_task(one(bodies[i % len(bodies)], due)))
    await asyncio.gather(*tasks)
    phase.seconds = time.perf_counter() - started
    return phase


async def one_big(client: Client, body: bytes, repeats: int) -> Phase:
    phase = Phase()
    for _ in range(repeats):
        await post_one(client, body, phase)
    return phase
