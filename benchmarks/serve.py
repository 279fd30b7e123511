"""The scoring service under load: one customer per request at 1, 8 and 32 clients, a fixed rate, 10,000 at once.

Usage: python benchmarks/serve.py [--store PATH] [--requests 2000] [--seconds 20] [--clients 1,8,32]
                                  [--rate 200] [--rate-seconds 20] [--big 10000] [--big-repeats 3]
                                  [--baseline 9c37521 | --baseline none] [--server-src DIR]

The goal (issue 11): on this 2-core machine, p99 <= 20 ms for one customer at 200 requests/s,
0 errors. Without ``--store`` a store is made once by ``oneclick run`` on synthetic data (cached
in ``--cache``). ``oneclick serve`` then starts as a subprocess on 127.0.0.1 at a free port with a
key made for the run (``ONECLICK_API_KEYS``); once ``/health`` answers:

(a) closed loop: ``--clients`` clients each send ``POST /v1/score`` with one customer and the
    next as soon as the answer comes, until ``--requests`` are answered or ``--seconds`` pass;
(b) open loop: requests start at a fixed ``--rate`` for ``--rate-seconds`` whatever the answers
    (so a slow answer cannot slow the load down), latency counted from when a request was due;
(c) one request of ``--big`` customers, ``--big-repeats`` times.

Clients are asyncio tasks in this process, over keep-alive connections of a minimal HTTP/1.1
client (httpx's pool cost several ms of CPU a request at 200 requests/s, more than the server:
the load generator became what was measured); they share the machine's two cores with the
server. Each row gives the load average (1 minute) before it and the CPU time per request of
the server (``psutil``: user + system of its process) and of the clients, which move less than
latency when the machine is shared. ``--baseline COMMIT`` also times ``score_sent`` of
one customer in process, in that commit's tree and in this one, in one fresh subprocess each,
for a ratio measured in the same run. The server is stopped at the end, also on an error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import psutil
from load_client import Client, Phase, closed_loop, one_big, open_loop, post_one

_BEFORE = "9c37521"  # the last commit before the single-customer speed-ups
_CLI = "from oneclick.cli import app; app()"
_IN_PROCESS = r"""
import json, statistics, sys, time
from pathlib import Path
from oneclick.features import input_fields
from oneclick.serve.scoring import score_sent
from oneclick.serve.snapshot import SnapshotHolder
store, repeats = Path(sys.argv[1]), int(sys.argv[2])
holder = SnapshotHolder(store)
try:
    snapshot = holder.current
    frame = snapshot.query("SELECT * FROM customers ORDER BY customer_id LIMIT 1000")
    names = [f.name for f in input_fields() if f.name in frame.columns]
    customers = [dict(zip(names, values)) for values in zip(*(frame[n].tolist() for n in names))]
    for customer in customers[:20]:
        score_sent(snapshot, [customer])
    cpu, wall = [], []
    for i in range(repeats):
        customer = [customers[i % len(customers)]]
        started, started_cpu = time.perf_counter(), time.thread_time()
        score_sent(snapshot, customer)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    started_cpu = time.thread_time()
    score_sent(snapshot, customers)
    thousand = time.thread_time() - started_cpu
finally:
    holder.close()
print(json.dumps({"cpu_ms": 1000 * statistics.median(cpu), "cpu_min_ms": 1000 * min(cpu),
                  "wall_ms": 1000 * statistics.median(wall), "thousand_cpu_ms": 1000 * thousand,
                  "n_thousand": len(customers)}))
"""


class Server:
    """``oneclick serve`` on 127.0.0.1 at a free port, as a subprocess; stopped by :meth:`stop`."""

    def __init__(self, store: Path, source: Path | None) -> None:
        self.key = secrets.token_urlsafe(24)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = os.environ | {"ONECLICK_API_KEYS": self.key}
        if source is not None:
            environment["PYTHONPATH"] = str(source)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (the server's output, kept until stop())
        command = [sys.executable, "-c", _CLI, "serve", "--store", str(store), "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)], env=environment, stdout=self._log, stderr=subprocess.STDOUT
        )
        self.psutil = psutil.Process(self.process.pid)

    def wait_ready(self, timeout: float = 180.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oneclick serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                answer = httpx.get(f"{self.url}/health", timeout=1.0)
                if answer.status_code == 200:
                    return dict(answer.json())
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"oneclick serve did not answer /health within {timeout:.0f} s:\n{self.output()}")

    def cpu_seconds(self) -> float:
        times = self.psutil.cpu_times()
        return float(times.user + times.system)

    def output(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _store(args: argparse.Namespace) -> Path:
    """The store to serve: ``--store``, else one made once by ``oneclick run`` on synthetic data."""
    if args.store is not None:
        return Path(args.store)
    out = args.cache / "run"
    store = out / "oneclick.duckdb"
    if not store.is_file():
        print(f"making a store: oneclick run --out {out} (synthetic data, about a minute)", flush=True)
        subprocess.run(
            [sys.executable, "-c", _CLI, "run", "--out", str(out), "--store", str(store)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return store


def _bodies(store: Path, n_big: int) -> tuple[list[bytes], bytes]:
    """Each served customer as a request body of one, and ``n_big`` of them (repeated as needed) as one list."""
    from oneclick.features import input_fields
    from oneclick.serve.snapshot import SnapshotHolder

    holder = SnapshotHolder(store)
    try:
        frame = holder.current.query("SELECT * FROM customers ORDER BY customer_id")
    finally:
        holder.close()
    names = [f.name for f in input_fields() if f.name in frame.columns]
    columns = [frame[name].tolist() for name in names]
    customers = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    big = [customers[i % len(customers)] for i in range(n_big)]
    return [json.dumps(c).encode() for c in customers], json.dumps(big).encode()


async def _measured(server: Server, run: Any) -> Phase:
    """Run one phase, with the load average before it and the server's CPU seconds during it."""
    load, cpu, own = os.getloadavg()[0], server.cpu_seconds(), time.process_time()
    phase: Phase = await run
    phase.server_cpu, phase.client_cpu, phase.load = server.cpu_seconds() - cpu, time.process_time() - own, load
    return phase


async def _load(server: Server, bodies: list[bytes], big: bytes, args: argparse.Namespace) -> None:
    client = Client(server.port, server.key, args.timeout)
    try:
        warm = Phase()
        for body in bodies[:20]:  # the first requests open connections and warm the server
            await post_one(client, body, warm)
        if warm.errors:
            raise RuntimeError(f"warm-up failed: {warm.first_error}")
        print("\nPOST /v1/score, one customer per request")
        print(
            f"{'load':<17} {'requests':>8} {'seconds':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
            f"{'errors':>6} {'CPU ms/req: server':>18} {'client':>6} {'load avg':>8}"
        )
        for clients in args.clients:
            phase = await _measured(server, closed_loop(client, bodies, clients, args))
            _row(f"{clients} client{'s' if clients > 1 else ''}", phase)
        if args.rate > 0:
            phase = await _measured(server, open_loop(client, bodies, args))
            _row(f"{args.rate:g} req/s, open", phase)
            verdict = "met" if phase.errors == 0 and phase.quantile(0.99) <= 20 else "NOT met"
            print(
                f"  goal p99 <= 20 ms at {args.rate:g} req/s with 0 errors: {verdict} "
                f"(the client started a request at most {phase.late * 1000:.1f} ms after it was due)"
            )
            if phase.first_error:
                print(f"  first error: {phase.first_error}")
        if args.big and args.big_repeats:
            phase = await _measured(server, one_big(client, big, args.big_repeats))
            seconds = [f"{s * 1000:.0f}" for s in phase.latencies]
            print(
                f"\n{args.big:,} customers in one request, {args.big_repeats} times: {', '.join(seconds)} ms "
                f"(median {phase.quantile(0.5):.0f} ms, {phase.quantile(0.5) * 1000 / args.big:.0f} us a customer; "
                f"body {len(big) / 2**20:.1f} MiB; errors {phase.errors}; load avg {phase.load:.2f})"
            )
            if phase.first_error:
                print(f"  first error: {phase.first_error}")
    finally:
        client.close()


def _row(label: str, phase: Phase) -> None:
    answered = len(phase.latencies)
    rate = answered / phase.seconds if phase.seconds else math.nan
    sent = phase.n - phase.not_sent
    server = phase.server_cpu * 1000 / sent if sent else math.nan
    client = phase.client_cpu * 1000 / sent if sent else math.nan
    print(
        f"{label:<17} {phase.n:>8} {phase.seconds:>8.1f} {rate:>7.0f} {phase.quantile(0.5):>7.1f} "
        f"{phase.quantile(0.99):>7.1f} {phase.quantile(1.0):>7.1f} {phase.errors:>6} {server:>18.2f} {client:>6.2f} "
        f"{phase.load:>8.2f}",
        flush=True,
    )


def _in_process(store: Path, baseline: str, cache: Path, repeats: int) -> None:
    """``score_sent`` of one customer (and of 1,000) in ``baseline``'s tree and in this one, a subprocess each."""
    before = cache / f"src-{baseline}"
    if not before.is_dir():
        repo = Path(__file__).resolve().parents[1]
        archive = subprocess.run(["git", "-C", str(repo), "archive", baseline, "src"], capture_output=True, check=True)
        before.mkdir(parents=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
    this_tree = Path(__file__).resolve().parents[1] / "src"
    print(f"\nin process, score_sent (CPU ms of the scoring thread; median of {repeats}, load avg before each)")
    print(f"{'tree':<10} {'1 customer':>10} {'min':>6} {'wall':>6} {'1,000 customers':>15} {'load avg':>8}")
    found = {}
    for label, source in ((baseline, before / "src"), ("this tree", this_tree)):
        load = os.getloadavg()[0]
        process = subprocess.run(
            [sys.executable, "-c", _IN_PROCESS, str(store), str(repeats)],
            capture_output=True,
            text=True,
            check=False,
            env=os.environ | {"PYTHONPATH": str(source)},
        )
        if process.returncode != 0:
            print(f"{label:<10} failed: {process.stderr.strip().splitlines()[-1] if process.stderr else '?'}")
            continue
        result = found[label] = json.loads(process.stdout.strip().splitlines()[-1])
        print(
            f"{label:<10} {result['cpu_ms']:>10.2f} {result['cpu_min_ms']:>6.2f} {result['wall_ms']:>6.2f} "
            f"{result['thousand_cpu_ms']:>15.1f} {load:>8.2f}",
            flush=True,
        )
    if len(found) == 2:
        old, new = found[baseline], found["this tree"]
        print(
            f"{'ratio':<10} {new['cpu_ms'] / old['cpu_ms']:>10.2f} {new['cpu_min_ms'] / old['cpu_min_ms']:>6.2f} "
            f"{new['wall_ms'] / old['wall_ms']:>6.2f} {new['thousand_cpu_ms'] / old['thousand_cpu_ms']:>15.2f}"
            "   (this tree / baseline)"
        )


def _list(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, default=None, help="serve this store (default: make one in --cache)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/oneclick_serve"))
    parser.add_argument("--requests", type=int, default=2000, help="requests per closed-loop level, at most")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds per closed-loop level, at most")
    parser.add_argument("--clients", type=_list, default=[1, 8, 32], help="closed-loop levels, e.g. 1,8,32")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop requests per second (0: skip)")
    parser.add_argument("--rate-seconds", type=float, default=20.0)
    parser.add_argument("--max-in-flight", type=int, default=256, help="open loop: more unanswered = an error")
    parser.add_argument("--big", type=int, default=10_000, help="customers in the one large request (0: skip)")
    parser.add_argument("--big-repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a request may take")
    parser.add_argument("--baseline", default=_BEFORE, help="commit to time score_sent against in process, or none")
    parser.add_argument("--in-process-repeats", type=int, default=300)
    parser.add_argument("--server-src", type=Path, default=None, help="run the server from this src tree instead")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    print(
        f"{os.cpu_count()} CPUs (psutil: {psutil.cpu_count(logical=False)} physical); "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; Python {sys.version.split()[0]}"
    )
    store = _store(args)
    bodies, big = _bodies(store, args.big)
    if args.baseline != "none":
        _in_process(store, args.baseline, args.cache, args.in_process_repeats)
    server = Server(store, args.server_src)
    try:
        health = server.wait_ready()
        source = f"src {args.server_src}" if args.server_src else "this tree"
        print(
            f"\noneclick serve ({source}) at {server.url}: model {health['model_id']}, run {health['run_id']}, "
            f"{len(bodies):,} customers to send"
        )
        asyncio.run(_load(server, bodies, big, args))
    finally:
        server.stop()
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({time.strftime('%Y-%m-%d')})")


if __name__ == "__main__":
    main(sys.argv[1:])
