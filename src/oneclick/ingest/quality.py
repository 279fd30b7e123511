"""What reading the store's tables found: a plain record the CLI, the report and both engines write.

``quality.json``, ``quarantine.csv`` and ``excluded.csv`` come from :meth:`DataQuality.write`
whichever engine read the tables, so they are the same file for the same data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.exports import write_csv
from oneclick.ingest.values import Fix
from oneclick.layout import EXCLUDED_FILE, QUALITY_FILE, QUARANTINE_FILE


@dataclass(frozen=True)
class SourceFile:
    """One input file and how it was read."""

    table: str
    file: str
    sha256: str
    encoding: str
    separator: str | None
    rows_read: int
    rows_quarantined: int


@dataclass(frozen=True)
class DataQuality:
    """Every repair, reject and exclusion made while loading the tables."""

    sources: list[SourceFile]
    fixes: list[Fix]
    quarantine: pd.DataFrame  # file, line, column, value, reason
    excluded: pd.DataFrame  # customer_id, reason
    inactive: list[int]
    outliers: pd.DataFrame  # customer_id, period, revenue, threshold, action
    policy: dict[str, Any]
    customers_read: int
    customers_kept: int
    class_balance: dict[str, Any] = field(default_factory=dict)
    revenue_fences: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary; the keys are the ones `oneclick validate --json` prints."""
        return {
            "customers_read": self.customers_read,
            "customers_kept": self.customers_kept,
            "customers_excluded": len(self.excluded),
            "sources": [vars(source) for source in self.sources],
            "fixes": [fix.as_dict() for fix in self.fixes],
            "quarantined_rows": len(self.quarantine),
            "quarantine_by_file": self.quarantine["file"].value_counts(sort=False).to_dict()
            if len(self.quarantine)
            else {},
            "quarantine_file": QUARANTINE_FILE,
            "excluded": [{"id": int(row.customer_id), "reason": str(row.reason)} for row in self.excluded.itertuples()],
            "excluded_file": EXCLUDED_FILE,
            "inactive_customers": self.inactive,
            "revenue_fences": {period: round(fence, 4) for period, fence in self.revenue_fences.items()},
            "revenue_outliers": [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in self.outliers.to_dict("records")
            ],
            "policy": self.policy,
            "class_balance": self.class_balance,
        }

    def write(self, out_dir: Path) -> dict[str, Path]:
        """Write ``quality.json``, ``quarantine.csv`` and ``excluded.csv`` (always, even when empty)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {
            "quality": out_dir / QUALITY_FILE,
            "quarantine": write_csv(self.quarantine, out_dir / QUARANTINE_FILE),
            "excluded": write_csv(self.excluded, out_dir / EXCLUDED_FILE),
        }
        paths["quality"].write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        return paths

    def describe(self) -> str:
        """A few lines a person reads in the terminal."""
        lines = [f"customers read: {self.customers_read}, kept: {self.customers_kept}"]
        for source in self.sources:
            lines.append(
                f"  {source.file}: {source.rows_read} rows, {source.rows_quarantined} quarantined "
                f"(encoding {source.encoding}, separator {source.separator!r})"
            )
        for fix in self.fixes:
            lines.append(f"  fixed {fix.table}.{fix.as_dict()['column']}: {fix.before!r} -> {fix.after!r} x{fix.count}")
        for row in self.excluded.head(20).itertuples():
            lines.append(f"  excluded {row.customer_id}: {row.reason}")
        if len(self.excluded) > 20:
            lines.append(f"  ... and {len(self.excluded) - 20} more excluded (see {EXCLUDED_FILE})")
        if self.class_balance:
            lines.append(f"class balance: {self.class_balance}")
        lines.append(f"policy: {self.policy}")
        return "\n".join(lines)
