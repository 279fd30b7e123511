"""What reading the store's tables found: a plain record the CLI and report print."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from oneclick.ingest.normalise import Fix
from oneclick.layout import QUALITY_FILE, QUARANTINE_FILE


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

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary; the keys are the ones `oneclick validate --json` prints."""
        return {
            "customers_read": self.customers_read,
            "customers_kept": self.customers_kept,
            "sources": [vars(source) for source in self.sources],
            "fixes": [fix.as_dict() for fix in self.fixes],
            "quarantined_rows": len(self.quarantine),
            "quarantine_by_file": self.quarantine["file"].value_counts().to_dict() if len(self.quarantine) else {},
            "excluded": [{"id": int(row.customer_id), "reason": str(row.reason)} for row in self.excluded.itertuples()],
            "inactive_customers": self.inactive,
            "revenue_outliers": [
                {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                for row in self.outliers.to_dict("records")
            ],
            "policy": self.policy,
            "class_balance": self.class_balance,
        }

    def write(self, out_dir: Path) -> dict[str, Path]:
        """Write ``quality.json`` and ``quarantine.csv`` (always, even when empty)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        quarantine_path = out_dir / QUARANTINE_FILE
        self.quarantine.to_csv(quarantine_path, index=False)
        summary = self.as_dict() | {"quarantine_file": str(quarantine_path)}
        quality_path = out_dir / QUALITY_FILE
        quality_path.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        return {"quality": quality_path, "quarantine": quarantine_path}

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
            lines.append(f"  ... and {len(self.excluded) - 20} more excluded (see quality.json)")
        if self.class_balance:
            lines.append(f"class balance: {self.class_balance}")
        lines.append(f"policy: {self.policy}")
        return "\n".join(lines)
