"""Synthetic customers of «В один клик», in the store's own export format.

The tables look like the real export (headers, values, distributions, defects) and the
label depends on the features as in the real data, so the whole pipeline can be run and
benchmarked at any size without the store's data.

>>> from pathlib import Path
>>> paths = write_synthetic_dataset(Path(tmp), 1_000, seed=7)  # doctest: +SKIP
>>> written = write_next_period(Path(tmp), Path(tmp2), drift="pages_per_visit:-0.5sd")  # doctest: +SKIP

``write_next_period`` writes the next period of an export (the same customers a period later,
with shifts of known size and the truth in ``drift_truth.json``), for the comparison of periods.
"""

from oneclick.synth.campaign_truth import (
    CAMPAIGN_TRUTH_FILE,
    TrueUplift,
    parse_true_uplift,
    treated_uplift,
    write_campaign_truth,
)
from oneclick.synth.drift_spec import parse_drift
from oneclick.synth.generate import generate_tables
from oneclick.synth.next_period import TRUTH_FILE, NextPeriod, write_next_period
from oneclick.synth.write import write_synthetic_dataset, write_tables

__all__ = [
    "CAMPAIGN_TRUTH_FILE",
    "TRUTH_FILE",
    "NextPeriod",
    "TrueUplift",
    "generate_tables",
    "parse_drift",
    "parse_true_uplift",
    "treated_uplift",
    "write_campaign_truth",
    "write_next_period",
    "write_synthetic_dataset",
    "write_tables",
]
