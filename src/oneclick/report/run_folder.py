"""The output folder of one run, as the report reads it: which files exist, and their contents.

A run of ``oneclick run`` holds CSV files of every customer. A batch run (``oneclick offers
--engine ...``, any size) holds its scores and offers as Parquet folders, a seeded sample of the
customer table and the sample's scores; there the offers are read by group of customers or a few
rows at a time (:mod:`oneclick.report.batch_tables`), and :meth:`RunFolder.sample` says how large
the sample is, so the charts drawn from it can say so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.analysis import top_customers
from oneclick.errors import InputDataError
from oneclick.layout import (
    BATCH_FILE,
    CAMPAIGN_RESULTS_FILE,
    CHANGES_FILE,
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
    SAMPLE_SCORES_FILE,
    SCORES_FILE,
    SEGMENT_DRIVERS_FILE,
    SEGMENT_FEATURES_FILE,
    SEGMENTS_FILE,
)
from oneclick.layout import OFFERS_DIR as BATCH_OFFERS_DIR
from oneclick.report import batch_tables

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
    "batch": BATCH_FILE,
    "campaign_results": CAMPAIGN_RESULTS_FILE,
    "changes": CHANGES_FILE,
}
# What a batch run has instead of the CSV files of every customer.
BATCH_FILES: dict[str, str] = {"scores": SAMPLE_SCORES_FILE, "offers": BATCH_OFFERS_DIR}
# Columns of offers.csv the sections count and sum, by group (see RunFolder.offer_groups).
GROUP_KEYS = ["primary_segment", "segments", "risk_profit_cell", "is_high_risk", "offer", "campaign_offer"]


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

    @property
    def is_batch(self) -> bool:
        """Whether this is the folder of a batch run (``batch.json``, Parquet folders, a sample)."""
        return (self.path / BATCH_FILE).is_file() and not (self.path / OFFERS_FILE).is_file()

    def file(self, name: str) -> Path:
        """Where the file ``name`` (a key of :data:`RUN_FILES`) is or would be."""
        if self.is_batch and name in BATCH_FILES:
            return self.path / BATCH_FILES[name]
        return self.path / RUN_FILES[name]

    def label(self, name: str) -> str:
        """The file ``name`` as the folder names it (``offers.csv``, or ``offers`` in a batch run)."""
        return str(self.file(name).relative_to(self.path))

    def has(self, name: str) -> bool:
        """Whether the run wrote the file ``name`` (a Parquet folder: with at least one part)."""
        path = self.file(name)
        return path.is_file() or (path.is_dir() and any(path.glob("*.parquet")))

    def missing(self, names: tuple[str, ...]) -> list[str]:
        """The file names (as in the folder) of those of ``names`` the run did not write."""
        return [self.label(name) for name in names if not self.has(name)]

    def sample(self) -> dict[str, int] | None:
        """``{"n_customers": ..., "population": ...}`` when the customer table is a sample of the run's
        customers (a batch run), else ``None``."""
        if not self.is_batch or not self.has("batch"):
            return None
        found = self.json("batch").get("report", {}).get("sample")
        if not found or int(found["n_customers"]) >= int(found["population"]):
            return None
        return {"n_customers": int(found["n_customers"]), "population": int(found["population"])}

    def offer_groups(self) -> pd.DataFrame:
        """The offers by group of customers sharing :data:`GROUP_KEYS`, with ``n``, ``first_id`` and the
        sums of ``profit_at_risk``, ``offer_cost``, ``expected_saved_profit``, ``in_campaign`` and
        ``campaign_expected_saved_profit``, in the order of each group's first customer.

        offers.csv gives one group per customer, so its sums are those of its rows, in its order.
        """
        if self.is_batch:
            return self._read("offer_groups", lambda _: batch_tables.offer_groups(self.path))
        offers = self.table("offers")
        return pd.DataFrame(
            {
                "primary_segment": offers["primary_segment"],
                "segments": offers["segments"].fillna("").astype(str),
                "risk_profit_cell": offers["risk_profit_cell"],
                "is_high_risk": offers["is_high_risk"].astype(bool),
                "offer": offers["offer"],
                "campaign_offer": offers["campaign_offer"].fillna("").astype(str),
                "n": 1,
                "first_id": offers["customer_id"],
                "profit_at_risk": offers["profit_at_risk"],
                "offer_cost": offers["offer_cost"],
                "expected_saved_profit": offers["expected_saved_profit"],
                "in_campaign": offers["in_campaign"].astype(bool).astype("int64"),
                "campaign_expected_saved_profit": offers["campaign_expected_saved_profit"],
            }
        )

    def top_offers(self, n: int) -> pd.DataFrame:
        """The ``n`` customers with the largest expected saved profit (ties: the smaller id first)."""
        if self.is_batch:
            return batch_tables.top_offers(self.path, n)
        return top_customers(self.table("offers"), n)

    def json(self, name: str) -> Any:
        """The parsed contents of a JSON file of the run."""
        return self._read(name, lambda path: json.loads(path.read_text(encoding="utf-8")))

    def table(self, name: str) -> pd.DataFrame:
        """A CSV or Parquet file of the run as a data frame (a batch run's offers: the sample's)."""

        def read(path: Path) -> pd.DataFrame:
            if path.is_dir():
                return batch_tables.sample_offers(self.path)
            return pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)

        return self._read(name, read)

    def _read(self, name: str, reader: Any) -> Any:
        if name not in self._cache:
            path = self.file(name) if name in RUN_FILES else self.path
            try:
                self._cache[name] = reader(path)
            except (OSError, ValueError, duckdb.Error) as err:
                raise InputDataError(f"{path}: cannot read this output of the run ({err})") from err
        return self._cache[name]
