"""CSV files a person opens in a spreadsheet, written so that no cell can run as a formula.

A spreadsheet takes a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula ("CSV injection", OWASP), so a category ``=HYPERLINK(...)`` in an export
would become a live link in the quarantine. Text cells that start so are written with a
leading apostrophe, which the spreadsheet shows as text; numbers stay numbers. Every CSV of a
run meant for people (``quarantine.csv``, ``excluded.csv``, ``scores.csv``, ``offers.csv``, the
segment tables) goes through :func:`write_csv`.

>>> spreadsheet_safe(pd.DataFrame({"value": ["=1+1", "ok"], "n": [-3, 4]}))["value"].tolist()
["'=1+1", 'ok']
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(values: pd.Series) -> pd.Series:
    """A text column with every cell that a spreadsheet would run as a formula made plain text."""
    text = values.astype(object)
    risky = text.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_STARTS))
    if not risky.any():
        return values
    return text.where(~risky, "'" + text[risky].astype(str))


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text columns (and text index) made safe by :func:`safe_text`."""
    safe = frame.copy()
    for column in safe.columns:
        dtype = safe[column].dtype
        if isinstance(dtype, pd.CategoricalDtype) or _is_text(dtype):
            safe[column] = safe_text(safe[column])
    if _is_text(safe.index.dtype):
        safe.index = pd.Index(safe_text(safe.index.to_series()), name=safe.index.name)
    return safe


def _is_text(dtype: Any) -> bool:
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def write_csv(frame: pd.DataFrame, path: Path, **to_csv: Any) -> Path:
    """Write ``frame`` as UTF-8 CSV for a spreadsheet (no index unless ``index=True`` is passed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    to_csv.setdefault("index", False)
    spreadsheet_safe(frame).to_csv(path, encoding="utf-8", **to_csv)
    return path
