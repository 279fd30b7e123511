"""A campaign's evaluation made ready to be shown: checked, its rows grouped by offer.

The figures are the evaluation's (``oneclick campaign evaluate``); nothing is computed again here, so
the report's section and the dashboard's campaign page, which both call :func:`summarise`, show the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oneclick.errors import InputDataError
from oneclick.report import names

ALL = "all"  # the segment (or offer) of a row over every customer of the offer (or of the campaign)
VERDICTS = ("works", "no_evidence", "harms")
ROW_KEYS = (
    "offer",
    "segment",
    "n_treatment",
    "n_control",
    "decline_rate_treatment",
    "decline_rate_control",
    "uplift",
    "uplift_ci_low",
    "uplift_ci_high",
    "verdict",
)
# Figures a row may lack (an evaluation without costs, a stratum too small for a test): shown as "—".
OPTIONAL_ROW_KEYS = (
    "p_value",
    "test",
    "assumed_uplift",
    "saved_profit",
    "saved_profit_ci_low",
    "saved_profit_ci_high",
    "cost",
    "revenue_change_treatment",
    "revenue_change_control",
)
UPDATE_KEYS = ("offer", "segment", "prior_uplift", "uplift", "is_measured")


def summarise(result: Mapping[str, Any], titles: dict[str, names.Titles], *, source: str) -> dict[str, Any]:
    """The evaluation ``result`` (the JSON of ``oneclick campaign evaluate``) ready to be shown.

    Rows keep the evaluation's order; each offer gets its row over all its customers (segment
    ``"all"``) and its segments' rows; the row of offer ``"all"`` is the campaign overall.
    ``titles``: ``{"segments": ..., "offers": ...}`` (see :mod:`oneclick.report.names`).

    Raises :class:`InputDataError` naming ``source`` and every entry that is missing or unknown.
    """
    problems = _problems(result)
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:10])
        raise InputDataError(
            f"{source}: not an evaluation of a campaign as `oneclick campaign evaluate` writes it "
            f"({len(problems)} problems)\n{listed}\nEvaluate the campaign again with this version of oneclick."
        )
    rows = [dict(row) | {key: row.get(key) for key in OPTIONAL_ROW_KEYS} for row in result["offers"]]
    offers: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["offer"] == ALL:
            continue
        entry = offers.setdefault(row["offer"], {"offer": row["offer"], "all": None, "segments": []})
        if row["segment"] == ALL:
            entry["all"] = row
        else:
            entry["segments"].append(row)
    qini = result.get("qini") or None
    return {
        "campaign_id": str(result["campaign_id"]),
        "data_dir": result.get("data_dir"),
        "data_fingerprint": result.get("data_fingerprint"),
        "is_other_data": False,
        "evaluated_at": result.get("evaluated_at"),
        "outcome": result.get("outcome", "declined"),
        "n": {
            key: result["n"].get(key)
            for key in ("planned", "treatment", "control", "matched_treatment", "matched_control", "left")
        },
        "uplift_definition": result.get("uplift_definition"),
        "verdict_rule": result.get("verdict_rule"),
        "overall": next((row for row in rows if row["offer"] == ALL and row["segment"] == ALL), None),
        "offers": list(offers.values()),
        "by_decile": list(result.get("by_decile") or []),
        "qini": None if qini is None or not qini.get("x") else dict(qini),
        "uplift_model": dict(result["uplift_model"]) if result.get("uplift_model") else None,
        "catalogue_update": _update(result.get("catalogue_update")),
        "titles": titles,
    }


def rows_of(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every offer's rows, its own first, then its segments' (the campaign's overall row left out)."""
    return [row for entry in data["offers"] for row in ([entry["all"]] if entry["all"] else []) + entry["segments"]]


def _problems(result: Mapping[str, Any]) -> list[str]:
    if not isinstance(result, Mapping):
        return [f"expected a JSON object, found {type(result).__name__}"]
    problems = [f"entry {key!r} is missing" for key in ("campaign_id", "n", "offers") if key not in result]
    for k, row in enumerate(result.get("offers") or []):
        if not isinstance(row, Mapping):
            problems.append(f"offers[{k}]: expected an object, found {row!r}")
            continue
        missing = [key for key in ROW_KEYS if key not in row]
        if missing:
            problems.append(f"offers[{k}] ({row.get('offer')}, {row.get('segment')}): entries {missing} are missing")
        elif row["verdict"] not in VERDICTS:
            problems.append(f"offers[{k}]: verdict {row['verdict']!r}, expected one of {list(VERDICTS)}")
    update = result.get("catalogue_update")
    if update:
        for k, row in enumerate(update.get("offers") or []):
            missing = [key for key in UPDATE_KEYS if key not in row]
            if missing:
                problems.append(f"catalogue_update.offers[{k}]: entries {missing} are missing")
    return problems


def _update(update: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not update or not update.get("offers"):
        return None
    return {
        "old_version": update.get("old_version"),
        "new_version": update.get("new_version"),
        "offers": [dict(row) | {"measured_uplift": row.get("measured_uplift")} for row in update["offers"]],
    }
