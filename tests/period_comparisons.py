"""Real comparisons of two small synthetic periods, as `oneclick compare --json` and `oneclick run` write them.

The last period (300 customers) trains a logistic regression; the next one has its pages per visit
moved down by one standard deviation. The comparison is made twice: with the next period's labels
(the decay realised) and without them (the decay estimated). About two seconds in all.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from fast_settings import FAST

N_CUSTOMERS = 300
DRIFT = "pages_per_visit:-1sd"
COMPARISON_ID = "comparison-20261201T090000Z-c0ffee"


def write_comparisons(root: Path) -> dict[str, dict[str, Any]]:
    """``{"realised": ..., "estimated": ...}``: the JSON of each comparison (the first with a comparison id,
    as ``changes.json`` carries it)."""
    from oneclick import build_features, load_tables
    from oneclick.model import load_model
    from oneclick.periods import compare_periods
    from oneclick.pipeline import train_and_save
    from oneclick.synth import write_next_period, write_synthetic_dataset

    write_synthetic_dataset(root / "last", N_CUSTOMERS, seed=3)
    write_next_period(root / "last", root / "next", drift=DRIFT, seed=3)
    tables = load_tables(root / "last")
    X, y = build_features(tables)
    train_and_save(X, y, tables, root / "model", dataclasses.replace(FAST, model_families="logreg"))
    model = load_model(root / "model")
    compared = {
        name: compare_periods(
            root / "last", root / "next", model=model, model_id="model-last", use_labels=use_labels
        ).as_dict()
        for name, use_labels in (("realised", True), ("estimated", False))
    }
    compared["realised"] = {"comparison_id": COMPARISON_ID, **compared["realised"]}
    return compared
