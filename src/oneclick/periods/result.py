"""The result of comparing two periods: one frozen object, the same as JSON for the CLI, report and dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oneclick.periods.decay import Decay
from oneclick.periods.drift import DataDrift
from oneclick.periods.sources import Period
from oneclick.periods.verdict import RULE, Verdict

FORMAT = "oneclick-comparison/1"


@dataclass(frozen=True)
class PeriodComparison:
    """Everything :func:`oneclick.periods.compare_periods` found; ``as_dict()`` is its JSON.

    The JSON's keys: ``old``, ``new`` (where each came from, customers, labels, data quality),
    ``model`` (id, where it came from, threshold), ``features`` (one entry per feature: ``feature``,
    ``test``, ``statistic``, ``threshold``, ``p_value``, ``p_value_adjusted``, ``drift``,
    ``drift_evidently``, ``psi``, ``psi_band``, ``distribution``), ``dataset_drift``, ``label_shift``,
    ``prediction_drift``, ``customers`` (in both, left, joined), ``migration`` (risk x profit cells
    and primary segments), ``decay`` (promised, realised or estimated, expected), ``verdict``
    (``keep``, ``watch`` or ``retrain``), ``verdict_rule``, ``verdict_reasons``, ``settings``, ``seconds``.
    """

    old: Period
    new: Period
    model: dict[str, Any]
    drift: DataDrift
    label_shift: dict[str, Any]
    prediction_drift: dict[str, Any]
    customers: dict[str, Any]
    migration: dict[str, Any]
    decay: Decay
    verdict: Verdict
    settings: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "old": self.old.as_dict(),
            "new": self.new.as_dict(),
            "model": self.model,
            "features": [feature.as_dict() for feature in self.drift.features],
            "dataset_drift": self.drift.as_dict(),
            "label_shift": self.label_shift,
            "prediction_drift": self.prediction_drift,
            "customers": self.customers,
            "migration": self.migration,
            "decay": self.decay.as_dict(),
            "verdict": self.verdict.verdict,
            "verdict_rule": RULE,
            "verdict_reasons": [reason.as_dict() for reason in self.verdict.reasons],
            "settings": self.settings,
            "seconds": {step: round(seconds, 3) for step, seconds in self.seconds.items()},
        }
