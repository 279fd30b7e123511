"""Section 4, model: the leaderboard, the holdout, calibration and the confusion matrix.

The numbers come from :func:`oneclick.analysis.model_quality`, given ``model/metrics.json`` and (when
the run wrote it) ``model/holdout_predictions.csv``. The words and charts are in
:mod:`oneclick.report.sections.model_view`.
"""

from __future__ import annotations

from typing import Any

from oneclick.analysis import model_quality
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import model_view


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The leaderboard, holdout metrics and calibration from metrics.json; curves from the holdout predictions."""
    predictions = run.table("holdout_predictions") if run.has("holdout_predictions") else None
    return model_quality(run.json("metrics"), predictions)


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words and charts (see :func:`oneclick.report.sections.model_view.view`)."""
    return model_view.view(data, lang)
