"""The report of a batch run of N customers: the batch job, `oneclick report`, and the HTML opened offline.

Usage: python benchmarks/report_at_scale.py [--customers 1000000] [--budget B] [--lang ru|en]
                                            [--cache /tmp/oneclick_report_scale]

Synthetic Parquet tables of N customers and a fast model (logistic regression on 3,000 synthetic
customers) are made once and cached (as ``benchmarks/scale.py`` makes them). Then, each in a fresh
process whose peak RSS and CPU seconds are read when it ends:

1. ``oneclick offers DATA --model M --out OUT --engine local --budget B --no-reasons``: the batch job,
   which also writes the report's inputs (its ``batch.json`` says how long they took);
2. ``oneclick report OUT``: the HTML report;

and the report is opened 5 times in Debian's headless Chromium, offline (``benchmarks/report_open.py``).
The machine is shared: the load average before and after is printed beside the times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from report_open import open_times  # a sibling script, not a package
from scale import _data, _model

_CLI = "from oneclick.cli import app; app()"


def _run(arguments: list[str]) -> dict[str, float]:
    """Run ``oneclick ARGUMENTS`` in a fresh process: its wall seconds, peak RSS (GB) and CPU seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", _CLI, *arguments], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    # wait4 gives this child's own resource use (with Dask, its workers would be its children).
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stdout, stderr = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"oneclick {' '.join(arguments)} failed:\n{stderr[-3000:]}")
    return {
        "seconds": seconds,
        "peak_gb": usage.ru_maxrss * 1024 / 2**30,
        "cpu": usage.ru_utime + usage.ru_stime,
        "stdout": stdout,  # type: ignore[dict-item]
    }


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--budget", type=float, default=None, help="profit units; default 0.005 per customer")
    parser.add_argument("--lang", default="ru", choices=["ru", "en"])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/oneclick_report_scale"))
    args = parser.parse_args(argv)
    n = args.customers
    # Every offer worth its cost costs about 0.43 per customer on the synthetic data: this budget binds.
    budget = args.budget if args.budget is not None else 0.005 * n
    args.cache.mkdir(parents=True, exist_ok=True)
    model, data = _model(args.cache), _data(args.cache, n)
    out = args.cache / f"report-run-{n}"
    memory = psutil.virtual_memory().total / 2**30
    print(
        f"machine: {platform.machine()}, {psutil.cpu_count()} cores, {memory:.0f} GiB, Python "
        f"{platform.python_version()}; model: logistic regression; {n:,} customers, budget {budget:,.0f}"
    )
    print(f"load average before: {_load()}", flush=True)
    job = ["offers", str(data), "--model", str(model), "--out", str(out), "--engine", "local"]
    batch = _run([*job, "--budget", repr(budget), "--no-reasons"])
    record = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    steps = ", ".join(f"{step} {s:.1f}" for step, s in record["report"]["seconds"].items())
    inputs = sum(record["report"]["seconds"].values())
    print(
        f"batch (oneclick offers --engine local --budget --no-reasons): {batch['seconds']:.1f} s, "
        f"peak {batch['peak_gb']:.2f} GB, CPU {batch['cpu']:.1f} s; of which the report's inputs "
        f"{inputs:.1f} s ({steps}); sample {record['report']['sample']['n_customers']:,} of {record['rows']:,}",
        flush=True,
    )
    report = _run(["report", str(out), "--lang", args.lang])
    html = Path(report["stdout"].strip().splitlines()[-1])  # type: ignore[attr-defined]
    print(
        f"report (oneclick report): {report['seconds']:.1f} s, peak {report['peak_gb']:.2f} GB, "
        f"CPU {report['cpu']:.1f} s; HTML {html.stat().st_size / 1e6:.2f} MB",
        flush=True,
    )
    times = open_times(html)
    load = statistics.median(t for t, _ in times)
    wall = statistics.median(w for _, w in times)
    print(
        f"opened offline in headless Chromium, median of {len(times)}: load event {load:.3f} s, "
        f"navigation wall time {wall:.3f} s"
    )
    print(f"load average after: {_load()}")
    print(f"({time.strftime('%Y-%m-%d')}; data and outputs in {args.cache})")


if __name__ == "__main__":
    main(sys.argv[1:])
