"""Two periods of the store's export compared: drift, label shift, model decay, and the verdict.

The next export is new data to score, a sample to compare with the last one, and the outcome of
the last period's predictions. :func:`compare_periods` answers all three, for data folders or runs
in the store, at any size (DuckDB), and returns one :class:`PeriodComparison` whose ``as_dict()``
is the JSON ``oneclick compare --json`` prints.

>>> from oneclick.model import load_model
>>> result = compare_periods("exports/2026-11", "exports/2026-12", model=load_model("out/model"))  # doctest: +SKIP
>>> result.verdict.verdict, result.drift.drifted  # doctest: +SKIP
('watch', ['pages_per_visit'])

Modules, one job each: ``sources`` (a folder or a run as a customer table), ``stattests`` (the
tests on value counts), ``drift`` (per feature and the data set), ``scoring`` (both periods
scored and segmented), ``shifts`` (label, predictions, migration, movements), ``metrics``
(realised and expected figures with bootstrap intervals), ``decay`` (promised against realised),
``verdict`` (the rule), ``result`` (the frozen result), ``compare`` (all of it in order),
``previous`` (a run against its last period: ``oneclick run``'s ``changes.json``).
"""

from oneclick.periods.compare import compare_periods
from oneclick.periods.decay import Decay
from oneclick.periods.drift import DATASET_DRIFT_SHARE, DataDrift, FeatureDrift
from oneclick.periods.previous import Changes, PreviousPeriod, compare_with_previous, read_changes
from oneclick.periods.result import PeriodComparison
from oneclick.periods.sources import Period
from oneclick.periods.verdict import AUC_TOLERANCE, BRIER_TOLERANCE, FALL_Z, RULE, Verdict

__all__ = [
    "AUC_TOLERANCE",
    "BRIER_TOLERANCE",
    "DATASET_DRIFT_SHARE",
    "FALL_Z",
    "RULE",
    "Changes",
    "DataDrift",
    "Decay",
    "FeatureDrift",
    "Period",
    "PeriodComparison",
    "PreviousPeriod",
    "Verdict",
    "compare_periods",
    "compare_with_previous",
    "read_changes",
]
