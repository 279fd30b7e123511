"""The data-quality figures: every excluded customer has a kind, the quarantine shows its first rows."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from oneclick.analysis import EXCLUSION_KINDS, data_quality, exclusion_kind


def _quality(quarantined_rows: int = 0, **changes: Any) -> dict[str, Any]:
    quality = {
        "customers_read": 6,
        "customers_kept": 2,
        "sources": [
            {"file": "money.csv", "rows_read": 6, "rows_quarantined": 0, "separator": ";", "encoding": "utf-8", "x": 1}
        ],
        "fixes": [{"table": "market_file", "column": "Тип сервиса", "from": "стандартт", "to": "стандарт", "count": 3}],
        "quarantined_rows": quarantined_rows,
        "quarantine_by_file": {},
        "excluded": [
            {"id": 3, "reason": "inactive: zero revenue in previous_month"},
            {"id": 4, "reason": "revenue outlier: 106862.2 above 20 000"},
            {"id": 5, "reason": "no row for period current_month in market_money.csv"},
            {"id": 6, "reason": "something else"},
        ],
        "revenue_outliers": [],
        "policy": {"inactive": "exclude"},
        "class_balance": {"declined": 1, "unchanged": 1, "declined_share": 0.5},
    }
    return quality | changes


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("inactive: zero revenue in previous_month", "inactive"),
        ("revenue outlier: 106862.2 above 20 000", "outlier"),
        ("no row in market_time.csv", "incomplete"),
        ("a row of it was quarantined", "other"),
    ],
)
def test_an_exclusion_gets_its_kind_from_the_reason(reason: str, kind: str) -> None:
    assert exclusion_kind(reason) == kind


def test_excluded_customers_are_counted_by_kind() -> None:
    result = data_quality(_quality())
    assert [row["id"] for row in result["excluded"]] == [3, 4, 5, 6]
    assert result["excluded_by_kind"] == dict.fromkeys(EXCLUSION_KINDS, 1)
    assert (result["customers_read"], result["customers_kept"]) == (6, 2)
    assert result["sources"] == [
        {"file": "money.csv", "rows_read": 6, "rows_quarantined": 0, "separator": ";", "encoding": "utf-8"}
    ]
    assert result["fixes"][0]["count"] == 3


def test_the_first_quarantined_rows_are_examples_with_blanks_for_missing_cells() -> None:
    quarantine = pd.DataFrame(
        {"file": ["money.csv"] * 7, "line": range(2, 9), "value": ["x", np.nan, "y", "z", "w", "v", "u"]}
    )
    examples = data_quality(_quality(quarantined_rows=7), quarantine)["quarantine_examples"]
    assert len(examples) == 5
    assert examples[0] == {"file": "money.csv", "line": "2", "value": "x"}
    assert examples[1]["value"] == ""
    # Nothing quarantined: no examples, whatever the file holds.
    assert data_quality(_quality(), quarantine)["quarantine_examples"] == []
