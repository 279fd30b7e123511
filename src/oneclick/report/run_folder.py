"""The output folder of one run, as the report reads it: which files exist, and their contents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.errors import InputDataError
from oneclick.layout import (
    EXCLUDED_FILE,
    FEATURES_FILE,
    HOLDOUT_FILE,
    METRICS_FILE,
    MODEL_DIR,
    OFFERS_FILE,
    OFFERS_SUMMARY_FILE,
    PROFIT_CURVE_FILE,
    QUALITY_FILE,
    QUARANTINE_FILE,
    RUN_FILE,
    SCORES_FILE,
    SEGMENT_DRIVERS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENTS_FILE,
)

# Name the report uses -> path inside the run folder, as each stage writes it.
RUN_FILES: dict[str, str] = {
    "run": RUN_FILE,
    "quality": QUALITY_FILE,
    "quarantine": QUARANTINE_FILE,
    "excluded": EXCLUDED_FILE,
    "features": FEATURES_FILE,
    "metrics": f"{MODEL_DIR}/{METRICS_FILE}",
    "holdout_predictions": f"{MODEL_DIR}/{HOLDOUT_FILE}",
    "scores": SCORES_FILE,
    "segments": SEGMENTS_FILE,
    "segment_features": SEGMENT_FEATURES_FILE,
    "segment_drivers": SEGMENT_DRIVERS_FILE,
    "offers": OFFERS_FILE,
    "profit_curve": PROFIT_CURVE_FILE,
    "offers_summary": OFFERS_SUMMARY_FILE,
}


class RunFolder:
    """Read access to a run's outputs; each file is read once.

    >>> run = RunFolder(Path("out/run"))  # doctest: +SKIP
    >>> run.has("metrics")  # doctest: +SKIP
    False
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._cache: dict[str, Any] = {}
        if not self.path.is_dir():
            raise InputDataError(f"{self.path}: no such run folder; run `oneclick run --out {self.path}` first")
        if not any(self.has(name) for name in ("run", "quality", "features")):
            raise InputDataError(
                f"{self.path}: not the output folder of a oneclick run (none of {RUN_FILE}, {QUALITY_FILE}, "
                f"{FEATURES_FILE} is there); run `oneclick run --out {self.path}` first"
            )

    def file(self, name: str) -> Path:
        """Where the file ``name`` (a key of :data:`RUN_FILES`) is or would be."""
        return self.path / RUN_FILES[name]

    def has(self, name: str) -> bool:
        """Whether the run wrote the file ``name``."""
        return self.file(name).is_file()

    def missing(self, names: tuple[str, ...]) -> list[str]:
        """The file names (as in the folder) of those of ``names`` the run did not write."""
        return [RUN_FILES[name] for name in names if not self.has(name)]

    def json(self, name: str) -> Any:
        """The parsed contents of a JSON file of the run."""
        return self._read(name, lambda path: json.loads(path.read_text(encoding="utf-8")))

    def table(self, name: str) -> pd.DataFrame:
        """A CSV or Parquet file of the run as a data frame."""

        def read(path: Path) -> pd.DataFrame:
            return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)

        return self._read(name, read)

    def _read(self, name: str, reader: Any) -> Any:
        if name not in self._cache:
            path = self.file(name)
            try:
                self._cache[name] = reader(path)
            except (OSError, ValueError) as err:
                raise InputDataError(f"{path}: cannot read this output of the run ({err})") from err
        return self._cache[name]
