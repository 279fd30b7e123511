"""The main job, stage after stage: ingest -> features (-> model -> segments -> offers -> report).

Used by the CLI's ``run`` command; each stage lives in its own package.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from oneclick.config import Settings
from oneclick.features import build_customer_table
from oneclick.features.write import write_customer_table
from oneclick.ingest import StoreTables, load_tables

LIBRARIES = ("numpy", "pandas", "pyarrow", "duckdb", "pandera", "scikit-learn", "lightgbm", "shap", "skops")
FEATURES_FILE = "customer_features.parquet"
RUN_FILE = "run.json"


@dataclass
class RunResult:
    """Where a run wrote its outputs."""

    out_dir: Path
    data_dir: Path
    outputs: dict[str, Path] = field(default_factory=dict)


def load_with(settings: Settings, data_dir: Path) -> StoreTables:
    """Load the tables with the cleaning policy of ``settings``."""
    return load_tables(
        data_dir,
        inactive_policy=settings.inactive_policy,
        outlier_policy=settings.outlier_policy,
        outlier_iqr_factor=settings.outlier_iqr_factor,
        bad_rows=settings.bad_rows,
        max_bad_row_share=settings.max_bad_row_share,
    )


def run_pipeline(data_dir: Path, out_dir: Path, settings: Settings) -> RunResult:
    """Run every stage on the tables in ``data_dir`` and write the results into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = RunResult(out_dir, data_dir)
    tables = load_with(settings, data_dir)
    result.outputs.update(tables.quality.write(out_dir))
    customers = build_customer_table(tables)
    result.outputs["features"] = write_customer_table(customers, out_dir / FEATURES_FILE)
    result.outputs["run"] = write_run_record(out_dir, settings, tables)
    return result


def library_versions() -> dict[str, str]:
    """Versions of the libraries a result depends on."""
    return {"python": platform.python_version()} | {name: version(name) for name in LIBRARIES}


def data_fingerprint(tables: StoreTables) -> str:
    """One sha256 over the four input files' checksums, in table order."""
    joined = "".join(source.sha256 for source in tables.quality.sources)
    return hashlib.sha256(joined.encode()).hexdigest()


def write_run_record(out_dir: Path, settings: Settings, tables: StoreTables) -> Path:
    """``run.json``: settings, input checksums, library versions and seed of this run."""
    record = {
        "settings": settings.as_dict(),
        "seed": settings.seed,
        "inputs": {s.file: s.sha256 for s in tables.quality.sources},
        "data_fingerprint": data_fingerprint(tables),
        "versions": library_versions(),
    }
    path = out_dir / RUN_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
