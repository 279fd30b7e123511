"""Drivers and offer reasons in words at scale: the batch job with and without its texts.

Usage: python benchmarks/words_at_scale.py [--customers 1000000] [--repeats 2] [--lang ru]
                                           [--micro] [--cache /tmp/oneclick_words]

The goal (issue 10): at 1 M customers, ``run_batch(..., reasons=True)`` takes at most 1.5x the
time of ``reasons=False`` (both explain every customer, ``drivers="all"``). Synthetic Parquet
tables and a fast logistic-regression model are made once and cached (as ``benchmarks/scale.py``
makes them); each run goes in a fresh subprocess, the two kinds alternate so that a change in the
machine's load hits both, and the ratio is taken within this one run. The machine is shared:
the load average is printed before and after.

``--micro`` also times the text step alone (drivers in words, risk drivers, offer reasons) on
the same customers, this tree's code against the per-customer code of commit ``afa18e5``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scale import _data, _model  # the same cached data and model as scale.py

_BEFORE = "afa18e5"  # the last commit with the per-customer texts
_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from oneclick.batch import run_batch
data, model, out, reasons, lang = sys.argv[1:6]
started = time.perf_counter()
result = run_batch(Path(data), Path(model), Path(out), engine="local", reasons=reasons == "1", lang=lang,
                   drivers="all", progress=False)
seconds = time.perf_counter() - started
cpu = sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
print(json.dumps({"rows": result.rows, "seconds": seconds, "cpu": cpu}))
"""


def _run(data: Path, model: Path, out: Path, *, reasons: bool, lang: str) -> dict[str, float]:
    """One batch job in a fresh subprocess: its rows, wall seconds and CPU seconds."""
    process = subprocess.run(
        [sys.executable, "-c", _CHILD, str(data), str(model), str(out), "1" if reasons else "0", lang],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(process.stderr.strip()[-2000:])
    return json.loads(process.stdout.strip().splitlines()[-1])


_MICRO = r"""
import json, sys, time
from pathlib import Path
import pandas as pd
from oneclick.model import load_model
from oneclick.model.drivers import top_drivers
from oneclick.model.score import explain_customers
from oneclick.offers import choose_offers, load_catalogue, offer_values, risk_drivers
from oneclick.segments import assign_segments, load_segment_scheme
from oneclick.segments.assign import scoring_table
customers_file, model_dir, lang = sys.argv[1:4]
customers = pd.read_parquet(customers_file)
loaded = load_model(Path(model_dir))
X = customers[[entry["name"] for entry in loaded.metadata["feature_schema"]]]
probability = pd.Series(loaded.model.predict_proba(X)[:, 1], index=X.index)
explanation = explain_customers(loaded, X)
scheme = load_segment_scheme()
catalogue = load_catalogue(segment_names=scheme.names)
assignment = assign_segments(customers, probability, scheme, model_threshold=loaded.threshold)
membership = pd.DataFrame({name: mask.astype(bool) for name, mask in assignment.masks().items()})
table = scoring_table(customers, probability)
values = offer_values(table, catalogue, assignment.thresholds, membership)
seconds = {}
started = time.process_time()
top_drivers(explanation, X, n=3, lang=lang)
seconds["top_drivers"] = time.process_time() - started
started = time.process_time()
drivers = risk_drivers(table, explanation.contributions, lang=lang, top_n=3)
seconds["risk_drivers"] = time.process_time() - started
started = time.process_time()
choose_offers(values, catalogue, drivers, lang=lang)
seconds["choose_offers"] = time.process_time() - started
print(json.dumps(seconds))
"""


def _customer_table(cache: Path, data: Path) -> Path:
    """The in-memory customer table of ``data`` (``load_tables``, about a minute at 1 M), cached."""
    path = cache / f"customers-{data.name}.parquet"
    if not path.is_file():
        from oneclick.features import build_customer_table
        from oneclick.ingest import load_tables

        build_customer_table(load_tables(data)).to_parquet(path)
    return path


def _micro(cache: Path, data: Path, model: Path, lang: str) -> None:
    """The text step alone, in this tree and in the per-customer code of ``_BEFORE``, one subprocess each."""
    customers = _customer_table(cache, data)
    before = cache / f"src-{_BEFORE}"
    if not before.is_dir():
        before.mkdir()
        repo = Path(__file__).resolve().parents[1]
        archive = subprocess.run(["git", "-C", str(repo), "archive", _BEFORE, "src"], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
    this_tree = Path(__file__).resolve().parents[1] / "src"
    print(f"the text step alone ({lang}), CPU seconds of one thread; load average before: {_load()}")
    print(f"{'':<10} {'top_drivers':>12} {'risk_drivers':>13} {'choose_offers':>14} {'total':>7}")
    for label, source in ((f"{_BEFORE}", before / "src"), ("this tree", this_tree)):
        environment = os.environ | {"PYTHONPATH": str(source)}
        process = subprocess.run(
            [sys.executable, "-c", _MICRO, str(customers), str(model), lang],
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        if process.returncode != 0:
            raise RuntimeError(process.stderr.strip()[-2000:])
        step = json.loads(process.stdout.strip().splitlines()[-1])
        print(
            f"{label:<10} {step['top_drivers']:>12.2f} {step['risk_drivers']:>13.2f} {step['choose_offers']:>14.2f} "
            f"{sum(step.values()):>7.2f}"
        )
    print(f"load average after: {_load()}")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2, help="runs of each kind (0: only --micro)")
    parser.add_argument("--lang", default="ru", choices=["ru", "en"])
    parser.add_argument("--micro", action="store_true", help="also time the text step alone, before vs after")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/oneclick_words"))
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    model, data = _model(args.cache), _data(args.cache, args.customers)
    print(f"{args.customers:,} customers, lang={args.lang}, {os.cpu_count()} cores; load average before: {_load()}")
    if args.repeats:
        _jobs(data, model, args)
    if args.micro:
        _micro(args.cache, data, model, args.lang)
    print(f"({time.strftime('%Y-%m-%d')}; data and model cached in {args.cache})")


def _jobs(data: Path, model: Path, args: argparse.Namespace) -> None:
    """The batch job with and without words, alternating, ``args.repeats`` times each; the table.

    CPU seconds (the job's own, with its child processes, imports included) are printed beside the
    wall time: on a shared machine they move less than the wall time does.
    """
    runs: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for repeat in range(args.repeats):
        for reasons in (False, True):
            out = args.cache / f"out-{args.customers}-{'words' if reasons else 'plain'}"
            result = _run(data, model, out, reasons=reasons, lang=args.lang)
            runs[reasons].append(result)
            print(
                f"  run {repeat + 1}, reasons={reasons!s:<5}: {result['seconds']:6.1f} s, CPU {result['cpu']:6.1f} s "
                f"({result['rows']:,} rows; load {_load()})",
                flush=True,
            )
    print(f"load average after: {_load()}")
    print(f"{'':<10} {'wall min':>9} {'wall median':>12} {'CPU min':>8} {'CPU median':>11}")
    summary = {}
    for reasons, label in ((False, "no words"), (True, "words")):
        wall = [run["seconds"] for run in runs[reasons]]
        cpu = [run["cpu"] for run in runs[reasons]]
        summary[reasons] = (min(wall), statistics.median(wall), min(cpu), statistics.median(cpu))
        print(
            f"{label:<10} {summary[reasons][0]:>9.1f} {summary[reasons][1]:>12.1f} {summary[reasons][2]:>8.1f} "
            f"{summary[reasons][3]:>11.1f}"
        )
    ratio = [words / plain for words, plain in zip(summary[True], summary[False], strict=True)]
    print(f"{'ratio':<10} {ratio[0]:>9.2f} {ratio[1]:>12.2f} {ratio[2]:>8.2f} {ratio[3]:>11.2f}   (goal: wall <= 1.5)")


if __name__ == "__main__":
    main(sys.argv[1:])
