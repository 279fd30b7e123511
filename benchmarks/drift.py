"""Drift detection and model decay over many seeds, Evidently's verdicts beside oneclick's, and compare at scale.

Usage: python benchmarks/drift.py [--seeds 20] [--sizes 800,3000] [--kinds none,feature,mix,base_rate,concept]
                                  [--evidently-python PATH] [--scale 1000000] [--cache /tmp/oneclick_drift]

1. **Detection.** For each size N and seed, a last period of N synthetic customers, and its next
   period (``write_next_period``) for each kind of ``--drift``: none, a feature's distribution
   (``pages_per_visit:-0.5sd``), a category mix (``favourite_category:kids_goods+0.2``), the base
   rate (``base_rate:+0.1``) and concept drift (``concept:promo_purchase_share``). Each pair is
   compared by ``compare_periods`` under one logistic regression trained on 3,000 other synthetic
   customers. Printed per kind: how often the drifted feature (or the label, or the decay) is
   found (target >= 90 %), the false-positive rate of each undrifted feature (target <= 10 %, the
   worst feature shown), dataset drift on the no-drift seeds (target <= 5 %), and the verdicts.
   oneclick's reading (Benjamini–Hochberg) and Evidently's rule (no correction) are both shown.
2. **Evidently.** ``DataDriftPreset`` (evidently 0.7.23) on the same pairs' feature tables, and the
   per-column agreement of its verdicts with oneclick's. Evidently 0.7.23 does not import with
   pandas 3 (which oneclick needs: ``pandas.core.dtypes.common.infer_dtype_from_object`` is gone),
   so it runs in a venv of its own with pandas 2.3 (``--evidently-python``, e.g. made by
   ``python3.11 -m venv /tmp/evid-venv && /tmp/evid-venv/bin/pip install evidently==0.7.23
   'pandas<3' pyarrow``); the pairs go over as Parquet. Skipped, saying so, without it.
3. **At scale.** Two periods of ``--scale`` customers as Parquet (``oneclick synth --format
   parquet``, then ``--next-period``), compared in a fresh process through the DuckDB engine (1 GB
   DuckDB memory limit, batches of 100,000): wall seconds per step, CPU seconds, and the peak RSS
   of the process, sampled with psutil.

The machine's load average and CPU count are printed before each part: on a shared machine the
seconds are comparable only within one run.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import psutil

KINDS = {
    "none": "",
    "feature": "pages_per_visit:-0.5sd",
    "mix": "favourite_category:kids_goods+0.2",
    "base_rate": "base_rate:+0.1",
    "concept": "concept:promo_purchase_share",
}
TARGETS = {"detected": 0.90, "false_positive": 0.10, "dataset_drift_without_drift": 0.05}
MODEL_CUSTOMERS = 3_000

_EVIDENTLY = r"""
import json, sys, warnings
import pandas as pd
from evidently import DataDefinition, Dataset, Report
from evidently.presets import DataDriftPreset
warnings.filterwarnings("ignore")
pairs, numeric, categorical = json.load(open(sys.argv[1]))
definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
found = {}
for pair in pairs:
    frames = [pd.read_parquet(pair[side], columns=numeric + categorical) for side in ("old", "new")]
    for frame in frames:
        for column in categorical:
            frame[column] = frame[column].astype(str)
    old, new = (Dataset.from_pandas(frame, data_definition=definition) for frame in frames)
    snapshot = Report([DataDriftPreset()]).run(new, old)
    columns = {}
    for metric in snapshot.dict()["metrics"]:
        config = metric["config"]
        if config.get("type", "").endswith("ValueDrift"):
            method, value, threshold = config["method"], metric["value"], config["threshold"]
            if "p_value" in method:
                drift = value <= threshold if method.startswith("K-S") else value < threshold
            else:
                drift = value >= threshold
            columns[config["column"]] = {"method": method, "value": value, "drift": bool(drift)}
    found[pair["id"]] = columns
print(json.dumps(found))
"""

_SCALE = r"""
import json, logging, sys, time, resource
from pathlib import Path
logging.disable(logging.WARNING)
from oneclick.model import load_model
from oneclick.periods import compare_periods
old, new, model = sys.argv[1:4]
started = time.perf_counter()
result = compare_periods(old, new, model=load_model(Path(model)), memory_limit="1GB", batch_size=100_000)
summary = result.as_dict()
cpu = sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": cpu, "steps": summary["seconds"],
                  "drifted": result.drift.drifted, "verdict": summary["verdict"],
                  "n_old": summary["old"]["n_customers"], "n_new": summary["new"]["n_customers"],
                  "auc": summary["decay"]["realised"]["roc_auc"], "promised": summary["decay"]["promised"]["roc_auc"]}))
"""


def machine(label: str) -> None:
    load = os.getloadavg()
    print(
        f"[{label}] load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{os.cpu_count()} CPUs ({psutil.cpu_count(logical=False)} physical); "
        f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
        flush=True,
    )


def train_model(folder: Path) -> Path:
    """A logistic regression on MODEL_CUSTOMERS synthetic customers (not any benchmark period's)."""
    import dataclasses

    from oneclick import build_features, load_tables
    from oneclick.config import Settings
    from oneclick.pipeline import train_and_save
    from oneclick.synth import write_synthetic_dataset

    model_dir = folder / "model"
    if not (model_dir / "metrics.json").is_file():
        write_synthetic_dataset(folder / "model_data", MODEL_CUSTOMERS, seed=999)
        tables = load_tables(folder / "model_data")
        X, y = build_features(tables)
        settings = dataclasses.replace(
            Settings(), model_families="logreg", search_iterations=4, cv_repeats=0, n_jobs=1, background_size=30
        )
        train_and_save(X, y, tables, model_dir, settings)
    return model_dir


def detection(
    sizes: list[int], seeds: int, cache: Path, model_dir: Path, kinds: dict[str, str] = KINDS
) -> list[dict[str, Any]]:
    """Every pair compared; one record per pair with what the benchmark reads and where its tables are."""
    from oneclick.model import load_model
    from oneclick.periods import compare_periods
    from oneclick.synth import write_next_period, write_synthetic_dataset
    from oneclick.synth.drift_spec import parse_drift

    loaded = load_model(model_dir)
    records = []
    for size in sizes:
        started = time.perf_counter()
        for seed in range(seeds):
            last = cache / f"n{size}" / f"seed{seed}" / "last"
            if not (last / "money.csv").is_file():
                write_synthetic_dataset(last, size, seed=1_000 + seed)
            for kind, spec in kinds.items():
                new = last.parent / kind
                if not (new / "drift_truth.json").is_file():
                    write_next_period(last, new, drift=spec, seed=seed)
                work = last.parent / f"work_{kind}"
                result = compare_periods(last, new, model=loaded, seed=seed, work_dir=work)
                affected = {f for d in parse_drift(spec) for f in d.affected_features}
                records.append(
                    {
                        "id": f"{size}-{seed}-{kind}",
                        "size": size,
                        "kind": kind,
                        "affected": sorted(affected),
                        "features": {f.feature: (f.drift, f.drift_evidently, f.test) for f in result.drift.features},
                        "dataset_drift": result.drift.dataset_drift,
                        "dataset_drift_evidently": result.drift.as_dict()["evidently"]["dataset_drift"],
                        "label_shifted": bool(result.label_shift.get("shifted")),
                        "verdict": result.verdict.verdict,
                        "holding": [r.rule for r in result.verdict.holding if r.leads_to == "retrain"],
                        "shortfall": (result.decay.tests or {}).get("roc_auc", {}).get("shortfall"),
                        "auc": result.decay.value("roc_auc"),
                        "promised": result.decay.promised["roc_auc"],
                        "old": str(work / "old" / "customers.parquet"),
                        "new": str(work / "new" / "customers.parquet"),
                    }
                )
        print(f"  n={size:,}: {seeds} seeds x {len(kinds)} kinds in {time.perf_counter() - started:.0f} s", flush=True)
    return records


def print_rates(records: list[dict[str, Any]]) -> None:
    by_group: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_group[(record["size"], record["kind"])].append(record)
    print(
        f"\n{'N':>6} {'kind':10} {'test':15} {'found (BH)':>10} {'found (Ev.)':>11} {'FP mean':>8} "
        f"{'FP worst':>22} {'FP Ev. worst':>13} {'dataset':>8} {'verdicts'}"
    )
    for (size, kind), group in sorted(by_group.items()):
        n = len(group)
        target = group[0]["affected"][0] if group[0]["affected"] else None
        test = group[0]["features"][target][2] if target else "-"
        if kind == "base_rate":
            found, found_ev = (sum(r["label_shifted"] for r in group) / n,) * 2
            test = "label z-test"
        elif kind == "concept":
            found, found_ev = (sum(r["verdict"] == "retrain" for r in group) / n,) * 2
            test = "decay: retrain"
        elif target:
            found = sum(r["features"][target][0] for r in group) / n
            found_ev = sum(r["features"][target][1] for r in group) / n
        else:
            found = found_ev = float("nan")
        undrifted = [f for f in group[0]["features"] if f not in group[0]["affected"]]
        rates = {f: sum(r["features"][f][0] for r in group) / n for f in undrifted}
        rates_ev = {f: sum(r["features"][f][1] for r in group) / n for f in undrifted}
        worst = max(rates, key=rates.get)  # type: ignore[arg-type]
        dataset = sum(r["dataset_drift"] for r in group) / n
        verdicts = dict(Counter(r["verdict"] for r in group))
        print(
            f"{size:>6} {kind:10} {test:15} {found:>10.0%} {found_ev:>11.0%} {sum(rates.values()) / len(rates):>8.1%} "
            f"{worst[:16]:>16} {rates[worst]:>5.0%} {max(rates_ev.values()):>13.0%} {dataset:>8.0%} {verdicts}"
        )
    concept = [r for r in records if r["kind"] == "concept"]
    none = [r for r in records if r["kind"] == "none"]
    for size in sorted({r["size"] for r in concept}):
        group = [r for r in concept if r["size"] == size]
        flagged = sum(r["verdict"] != "keep" for r in group) / len(group)
        print(f"concept drift at N={size:,}: verdict watch or retrain in {flagged:.0%} of {len(group)} pairs")
    for label, group in (("no drift", none), ("concept", concept)):
        if group:
            fall = sum(r["promised"] - r["auc"] for r in group) / len(group)
            shortfall = sum(r["shortfall"] for r in group) / len(group)
            clauses = Counter(rule for r in group for rule in r["holding"])
            print(
                f"{label}: mean ROC-AUC fall below the promise {fall:+.4f}, below the expectation {shortfall:+.4f} "
                f"over {len(group)} pairs; retrain clauses holding: {dict(clauses) or 'none'}"
            )
    print(
        f"targets: found >= {TARGETS['detected']:.0%}, FP per feature <= {TARGETS['false_positive']:.0%}, "
        f"dataset drift without drift <= {TARGETS['dataset_drift_without_drift']:.0%}"
    )


def evidently(records: list[dict[str, Any]], python: str | None, cache: Path) -> None:
    from oneclick.features.groups import FEATURES

    if python is None:
        try:
            import evidently as _  # noqa: F401
        except ImportError:
            print("\nEvidently: skipped (not importable here, and no --evidently-python given)")
            return
        python = sys.executable
    numeric = [f.name for f in FEATURES if f.kind == "numeric"]
    categorical = [f.name for f in FEATURES if f.kind != "numeric"]
    request = cache / "evidently_pairs.json"
    request.write_text(json.dumps([[{k: r[k] for k in ("id", "old", "new")} for r in records], numeric, categorical]))
    script = cache / "evidently_run.py"
    script.write_text(_EVIDENTLY)
    started = time.perf_counter()
    done = subprocess.run([python, str(script), str(request)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        print(f"\nEvidently: failed in {python}:\n{done.stderr[-2000:]}")
        return
    found = json.loads(done.stdout)
    print(f"\nEvidently DataDriftPreset on the same {len(found)} pairs ({time.perf_counter() - started:.0f} s):")
    agree_ev, agree_bh, total, methods = 0, 0, 0, Counter()
    disagreements: Counter[str] = Counter()
    dataset_agree = 0
    for record in records:
        columns = found[record["id"]]
        for feature, (ours, ours_ev, test) in record["features"].items():
            theirs = columns[feature]["drift"]
            methods[(test, columns[feature]["method"])] += 1
            agree_ev += ours_ev == theirs
            agree_bh += ours == theirs
            total += 1
            if ours_ev != theirs:
                disagreements[feature] += 1
        their_share = sum(c["drift"] for c in columns.values()) / len(columns)
        dataset_agree += (their_share >= 0.5) == record["dataset_drift_evidently"]
    print(f"  per-column agreement with oneclick's Evidently rule (no correction): {agree_ev / total:.2%} of {total:,}")
    print(f"  per-column agreement with oneclick's drift (Benjamini–Hochberg):     {agree_bh / total:.2%} of {total:,}")
    print(f"  dataset-drift agreement: {dataset_agree / len(records):.2%} of {len(records)} pairs")
    print("  tests (oneclick -> Evidently): " + "; ".join(f"{a} -> {b}: {n}" for (a, b), n in sorted(methods.items())))
    if disagreements:
        print(f"  columns where the uncorrected verdicts differ: {dict(disagreements)}")


def at_scale(n: int, cache: Path, model_dir: Path) -> None:
    oneclick = [sys.executable, "-c", "from oneclick.cli import app; app()"]
    last, new = cache / f"scale{n}" / "last", cache / f"scale{n}" / "next"
    started = time.perf_counter()
    if not (last / "money.parquet").is_file():
        subprocess.run(
            [*oneclick, "synth", "--customers", str(n), "--out", str(last), "--format", "parquet"], check=True
        )
    made = time.perf_counter()
    if not (new / "drift_truth.json").is_file():
        subprocess.run(
            [
                *oneclick,
                "synth",
                "--next-period",
                "--from",
                str(last),
                "--out",
                str(new),
                "--format",
                "parquet",
                "--drift",
                KINDS["feature"],
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    print(f"  wrote {n:,} customers in {made - started:.1f} s, their next period in {time.perf_counter() - made:.1f} s")
    machine("compare at scale")
    child = subprocess.Popen(
        [sys.executable, "-c", _SCALE, str(last), str(new), str(model_dir)], stdout=subprocess.PIPE, text=True
    )
    peak = _peak_rss(child)
    out, _ = child.communicate()
    found = json.loads(out)
    print(
        f"  compare {found['n_old']:,} vs {found['n_new']:,} customers: {found['seconds']:.1f} s wall, "
        f"{found['cpu']:.1f} s CPU, peak RSS {peak / 2**30:.2f} GiB (psutil, sampled every 50 ms)"
    )
    print(f"  steps (s): {found['steps']}")
    print(
        f"  drifted: {found['drifted']}; verdict {found['verdict']}; ROC-AUC {found['auc']} vs {found['promised']:.4f}"
    )


def _peak_rss(child: subprocess.Popen[str]) -> int:
    """The largest RSS of ``child`` and its children while it runs (sampled)."""
    peak = 0
    process = psutil.Process(child.pid)
    while child.poll() is None:
        try:
            rss = process.memory_info().rss + sum(c.memory_info().rss for c in process.children(recursive=True))
        except psutil.Error:
            break
        peak = max(peak, rss)
        time.sleep(0.05)
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--sizes", default="800,3000", help="customers of the last period, comma-separated")
    parser.add_argument("--evidently-python", default=None, help="a Python with evidently 0.7.23 (and pandas 2)")
    parser.add_argument("--scale", type=int, default=1_000_000, help="customers per period at scale; 0 skips it")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"kinds of drift, comma-separated, of {', '.join(KINDS)}"
    )
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "oneclick_drift")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the synthetic exports' known typos, announced for every period
    args.cache.mkdir(parents=True, exist_ok=True)
    machine("start")
    model_dir = train_model(args.cache)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if sizes and args.seeds:
        kinds = {kind: KINDS[kind] for kind in args.kinds.split(",") if kind}
        records = detection(sizes, args.seeds, args.cache, model_dir, kinds)
        print_rates(records)
        evidently(records, args.evidently_python, args.cache)
    if args.scale:
        print(f"\nAt scale: {args.scale:,} customers per period")
        at_scale(args.scale, args.cache, model_dir)
    machine("end")


if __name__ == "__main__":
    main()
