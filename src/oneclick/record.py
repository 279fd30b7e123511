"""The record of a run (``run.json``): settings, input checksums, library versions, seed.

Both the in-memory pipeline and the batch engine write it, so it is defined once, here, below
every stage: it imports only the settings and the file layout.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from oneclick.config import Settings
from oneclick.layout import RUN_FILE

LIBRARIES = ("numpy", "pandas", "pyarrow", "duckdb", "pandera", "scikit-learn", "lightgbm", "shap", "skops")


def library_versions() -> dict[str, str]:
    """Versions of the libraries a result depends on."""
    return {"python": platform.python_version()} | {name: version(name) for name in LIBRARIES}


def fingerprint(checksums: Mapping[str, str]) -> str:
    """One sha256 over the input files' checksums, in the order given (the tables' order)."""
    return hashlib.sha256("".join(checksums.values()).encode()).hexdigest()


def run_record(settings: Settings, checksums: Mapping[str, str], **extra: Any) -> dict[str, Any]:
    """The content of ``run.json``; ``checksums``: input file name -> sha256, in table order."""
    return {
        "settings": settings.as_dict(),
        "seed": settings.seed,
        "inputs": dict(checksums),
        "data_fingerprint": fingerprint(checksums),
        "versions": library_versions(),
    } | extra


def write_run_file(out_dir: Path, record: Mapping[str, Any]) -> Path:
    """Write ``record`` (see :func:`run_record`) as ``out_dir/run.json``."""
    path = Path(out_dir) / RUN_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
