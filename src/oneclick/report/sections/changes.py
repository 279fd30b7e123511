"""Changes since the last period: the verdict on the model, drift, decay against the promise, migration.

Shown only in a run whose folder holds ``changes.json``: ``oneclick run`` writes it when the run was
compared with its last period (``--previous DIR_OR_RUN_ID``, or by default the store's last run of
another export; :mod:`oneclick.periods.previous`). The figures are the comparison's;
:func:`oneclick.analysis.period_changes` only checks and arranges them, so the dashboard, which calls it
with the store's comparison, shows the same. The words and charts are in
:mod:`oneclick.report.sections.changes_view`, ``changes_verdict`` and ``changes_charts``.
"""

from __future__ import annotations

from typing import Any

from oneclick.analysis import period_changes
from oneclick.report import names
from oneclick.report.i18n import Lang
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import changes_view


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The comparison from ``changes.json``, checked and arranged, with the titles of the run's segments."""
    data = period_changes(run.json("changes"), source=str(run.file("changes")))
    data["titles"] = {"segments": names.config_titles(run)["segments"]}
    run_fingerprint = run.json("run").get("data_fingerprint") if run.has("run") else None
    new_fingerprint = data["new"].get("data_fingerprint")
    # A file left from another run (the folder reused) is shown with a warning, not hidden.
    data["is_other_data"] = bool(run_fingerprint and new_fingerprint and new_fingerprint != run_fingerprint)
    return data


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The section in words, charts and tables (see :func:`changes_view.view`)."""
    return changes_view.view(data, lang)
