"""Scoring at scale: oneclick's batch engine (local and Dask) against a seed-style pandas path.

Usage: python benchmarks/scale.py [--sizes 100000,1000000,10000000] [--pandas-max 10000000]
                                  [--drivers none] [--cache /tmp/oneclick_scale]

For each size N, synthetic Parquet tables are generated once (cached), a fast model is trained
once (logistic regression only, on 3,000 synthetic customers), and each run goes in a fresh
subprocess that reports its own peak RSS (``getrusage``; Dask: the larger of the driver and
its workers) and the CPU seconds it and its child processes used: on a shared machine, wall
time well above CPU seconds / cores means the run waited for the CPU:

(a) ``run_batch(engine="local")``: Parquet -> checks -> features in DuckDB -> scores -> offers;
(b) the seed-style pandas path: read the four tables whole, map the Russian values, pivot,
    merge, predict with the same model, in memory (no checks, no offers: a lower bound);
(c) ``run_batch(engine="dask")`` on a LocalCluster of 2 single-threaded worker processes;
(d) the floor: bare DuckDB (2 threads, 2 GB) reading the four Parquet tables, pivoting the months,
    joining them and writing a fixed linear score per customer: no checks, no model, no offers.
    What the batch engine adds to it is the price of the checks, the model and the offers.

Each row also gives the load average (1 minute) just before the run: on a shared machine a
figure is comparable with the others of the same run only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psutil

_CHILD = r"""
import json, sys, time, resource
from pathlib import Path
kind, data, model, out, drivers = sys.argv[1:6]
started = time.perf_counter()
if kind in ("pandas", "floor"):
    sys.path.insert(0, {bench!r})
    import scale
    rows = scale.pandas_path(Path(data), Path(model)) if kind == "pandas" else scale.floor_path(Path(data), Path(out))
    peak = 0
else:
    from oneclick.batch import run_batch
    result = run_batch(Path(data), Path(model), Path(out), engine=kind, drivers=drivers, progress=False)
    rows, peak = result.rows, result.peak_rss_bytes
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
cpu = sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
print(json.dumps({{"rows": rows, "seconds": time.perf_counter() - started, "peak": max(own, peak), "cpu": cpu}}))
"""


def pandas_path(data_dir: Path, model_dir: Path) -> int:
    """The seed notebook's way, at scale: whole tables in pandas, pivot, merge, predict."""
    import pandas as pd

    from oneclick.ingest.columns import KNOWN_TYPOS, TABLES, VALUES
    from oneclick.model import load_model

    def read(name: str) -> pd.DataFrame:
        frame = pd.read_parquet(data_dir / f"{name}.parquet").rename(columns=dict(TABLES[name].columns))
        for column, values in VALUES.items():
            if column in frame:
                mapping = dict(values) | {typo: values[right] for typo, right in KNOWN_TYPOS.get(column, {}).items()}
                frame[column] = frame[column].map(mapping)
        return frame

    market_file, money = read("market_file"), read("money")
    revenue = read("market_money").pivot(index="customer_id", columns="period", values="revenue").add_prefix("revenue_")
    minutes = read("market_time").pivot(index="customer_id", columns="period", values="minutes").add_prefix("minutes_")
    table = market_file.merge(revenue, on="customer_id").merge(minutes, on="customer_id").merge(money, on="customer_id")
    table = table[(table[[c for c in table if c.startswith("revenue_")]] > 0).all(axis=1)].set_index("customer_id")
    table["allows_messages"] = table["allows_messages"] == "yes"
    table["revenue_change"] = table["revenue_current_month"] - table["revenue_previous_month"]
    for column in ("minutes_previous_month", "minutes_current_month"):
        table[column] = table[column].astype(float)
    table["minutes_change"] = table["minutes_current_month"] - table["minutes_previous_month"]
    loaded = load_model(model_dir)
    names = [entry["name"] for entry in loaded.metadata["feature_schema"]]
    for entry in loaded.metadata["feature_schema"]:
        if entry["dtype"] == "category":
            table[entry["name"]] = pd.Categorical(table[entry["name"]], categories=entry["categories"])
    probability = loaded.model.predict_proba(table[names])[:, 1]
    return len(probability)


def floor_path(data_dir: Path, out_dir: Path) -> int:
    """Bare DuckDB: pivot, join, a fixed linear score of every numeric column, written to Parquet."""
    import duckdb

    from oneclick.ingest.columns import MARKET_FILE, MARKET_MONEY, MARKET_TIME, MONEY, VALUES

    def source(name: str) -> str:
        return f"read_parquet('{data_dir / name}.parquet')"

    def months(name: str, value: str) -> str:
        periods = {en: ru for ru, en in VALUES["period"].items()}
        layout = {MARKET_MONEY.name: MARKET_MONEY, MARKET_TIME.name: MARKET_TIME}[name]
        parts = ", ".join(
            f'max("{value}") FILTER (WHERE "Период" = \'{periods[p]}\') AS "{value}_{p}"' for p in layout.periods
        )
        return f"SELECT id, {parts} FROM {source(name)} GROUP BY id"

    numbers = [ru for ru, en in MARKET_FILE.columns.items() if en not in VALUES and en != "customer_id"]
    terms = [f'0.01 * f."{ru}"' for ru in numbers]
    terms += [f'0.0001 * r."Выручка_{p}"' for p in MARKET_MONEY.periods]
    terms += [f'0.01 * t."минут_{p}"' for p in MARKET_TIME.periods]
    out_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(config={"memory_limit": "2GB", "threads": 2}) as connection:
        connection.execute(
            f'COPY (SELECT f.id, m."Прибыль", 1 / (1 + exp(-({" + ".join(terms)}))) AS score '
            f"FROM {source(MARKET_FILE.name)} AS f JOIN ({months(MARKET_MONEY.name, 'Выручка')}) AS r USING (id) "
            f"JOIN ({months(MARKET_TIME.name, 'минут')}) AS t USING (id) JOIN {source(MONEY.name)} AS m USING (id)) "
            f"TO '{out_dir / 'scores.parquet'}' (FORMAT parquet)"
        )
        return int(connection.execute(f"SELECT count(*) FROM '{out_dir / 'scores.parquet'}'").fetchall()[0][0])


def _data(cache: Path, n: int) -> Path:
    from oneclick.synth import write_synthetic_dataset

    folder = cache / f"synth-{n}-seed0"
    if not (folder / "money.parquet").is_file():
        write_synthetic_dataset(folder, n, seed=0, fmt="parquet")
    return folder


def _model(cache: Path) -> Path:
    from oneclick.config import Settings
    from oneclick.features import build_features
    from oneclick.ingest import load_tables
    from oneclick.model import save_model, train_model

    folder = cache / "model-logreg"
    if not (folder / "metrics.json").is_file():
        X, y = build_features(load_tables(_data(cache, 3_000)))
        settings = Settings(
            model_families="logreg", search_iterations=4, cv_repeats=0, inner_folds=3, max_blend=1, n_jobs=1
        )
        result = train_model(X, y, settings)
        save_model(result.model, folder, metrics=result.metrics, background=result.background, X=X)
    return folder


def _run(kind: str, data: Path, model: Path, out: Path, drivers: str) -> dict[str, float]:
    """One run in a fresh subprocess, which reports its own peak RSS (and its Dask workers')."""
    code = _CHILD.format(bench=str(Path(__file__).parent))
    process = subprocess.run(
        [sys.executable, "-c", code, kind, str(data), str(model), str(out), drivers],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        return {"error": process.stderr.strip().splitlines()[-1] if process.stderr else "failed"}
    result = json.loads(process.stdout.strip().splitlines()[-1])
    return {
        "rows": result["rows"],
        "seconds": result["seconds"],
        "peak_gb": result["peak"] / 2**30,
        "cpu": result["cpu"],
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000,10000000")
    parser.add_argument("--pandas-max", type=int, default=10_000_000, help="largest N for the pandas path")
    parser.add_argument("--drivers", default="none", choices=["all", "offered", "none"])
    parser.add_argument("--engines", default="floor,local,pandas,dask")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/oneclick_scale"))
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    args.cache.mkdir(parents=True, exist_ok=True)
    model = _model(args.cache)
    memory = psutil.virtual_memory().total / 2**30
    print(
        f"machine: {platform.machine()}, {psutil.cpu_count()} cores, {memory:.0f} GiB, Python "
        f"{platform.python_version()}; model: logistic regression; drivers: {args.drivers}"
    )
    header = f"{'N':>11} {'engine':<7} {'seconds':>8} {'rows/s':>10} {'peak GB':>8} {'CPU s':>7} {'load':>5}"
    print(header)
    for n in sizes:
        data = _data(args.cache, n)
        results = {}
        for kind in engines:
            if kind == "pandas" and n > args.pandas_max:
                continue
            load = os.getloadavg()[0]
            results[kind] = _run(kind, data, model, args.cache / f"out-{kind}-{n}", args.drivers)
            r = results[kind]
            if "error" in r:
                print(f"{n:>11,} {kind:<7} failed: {r['error']}")
                continue
            print(
                f"{n:>11,} {kind:<7} {r['seconds']:>8.1f} {r['rows'] / r['seconds']:>10,.0f} {r['peak_gb']:>8.2f} "
                f"{r['cpu']:>7.1f} {load:>5.2f}",
                flush=True,
            )
        local, pandas, floor = results.get("local", {}), results.get("pandas", {}), results.get("floor", {})
        if "seconds" in local and "seconds" in floor:
            print(f"{'':>11} local vs the bare DuckDB floor: {local['seconds'] / floor['seconds']:.2f}x its time")
        if "seconds" in local and "seconds" in pandas:
            speed = (local["rows"] / local["seconds"]) / (pandas["rows"] / pandas["seconds"])
            print(
                f"{'':>11} local vs pandas: {speed:.2f}x the throughput, "
                f"{local['peak_gb'] / pandas['peak_gb']:.2f}x the peak memory "
                f"(pandas/local throughput {1 / speed:.2f}, memory {pandas['peak_gb'] / local['peak_gb']:.2f})"
            )
    started = time.strftime("%Y-%m-%d")
    print(f"({started}; synthetic data cached in {args.cache})")


if __name__ == "__main__":
    main(sys.argv[1:])
