"""The champion and its challengers: promotions with their history, rollback, the list of models.

The policy: **nothing is promoted silently.**

- The store's first model becomes the champion when it is trained (``run``, ``train``): the
  service and ``score``/``offers`` without ``--model`` need one, and there is nothing to
  compare it with.
- Every later trained model (``run``, ``train``, ``retrain``) is registered as a challenger;
  the command says so on stderr and names the champion that stays.
- Only ``oneclick promote MODEL_ID`` changes the champion, and ``oneclick promote --rollback``
  goes back to the one before. Each is a row of ``promotions`` (model, time, action, reason,
  the champion it replaced), never deleted, so the history stays whole.

The champion is the model of the last row of ``promotions`` (what the service reads, see
:mod:`oneclick.store.snapshot`). A rollback undoes the last promotion not yet undone: the
history is replayed as a stack (``trained`` and ``promote`` push, ``rollback`` pops), so two
rollbacks in a row go back two champions.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb

from oneclick.errors import StoreError
from oneclick.store.connect import reading, writing
from oneclick.store.models import champion_id

Action = Literal["trained", "promote", "rollback"]
# A model id may be given by its first characters, as a git commit is, when they name one model.
MIN_PREFIX = 4


@dataclass(frozen=True)
class Promotion:
    """One row of the champion's history."""

    model_id: str
    promoted_at: str
    action: str
    reason: str
    previous_model_id: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def promote_if_first(connection: duckdb.DuckDBPyConnection, model_id: str, run_id: str) -> bool:
    """Make ``model_id`` the champion when the store has none yet (its first model); True if it did."""
    if champion_id(connection) is not None:
        return False
    _insert(connection, model_id, "trained", f"trained by {run_id}: the store's first model", None)
    return True


def promote(store: Path, model: str, *, reason: str | None = None) -> Promotion:
    """Make the model ``model`` (its id, or a unique start of it) the champion; returns the promotion.

    Raises :class:`StoreError` when no model or several match, or the model already is the champion.
    """
    with writing(store) as connection:
        model_id = resolve_model_id(connection, model, store)
        current = champion_id(connection)
        if model_id == current:
            raise StoreError(f"model {model_id} already is the champion; nothing to promote")
        return _insert(connection, model_id, "promote", reason or "promoted by oneclick promote", current)


def rollback(store: Path, *, reason: str | None = None) -> Promotion:
    """Make the champion before the current one the champion again; returns the rollback's row.

    Raises :class:`StoreError` when there is no earlier champion to go back to.
    """
    with writing(store) as connection:
        stack = champion_stack(history(connection))
        if len(stack) < 2:
            found = (
                "the store has no champion" if not stack else f"no champion before {stack[-1]} is left to go back to"
            )
            raise StoreError(
                f"{store}: nothing to roll back: {found}; `oneclick models --store {store}` shows the history"
            )
        return _insert(connection, stack[-2], "rollback", reason or f"rolled back from {stack[-1]}", stack[-1])


def champion_stack(promotions: list[Promotion]) -> list[str]:
    """The champions a rollback would go back through, oldest first; the last one is the champion."""
    stack: list[str] = []
    for row in promotions:
        if row.action == "rollback":
            stack.pop()
            if not stack or stack[-1] != row.model_id:  # a history edited by hand: follow what it says
                stack.append(row.model_id)
        else:
            stack.append(row.model_id)
    return stack


def history(connection: duckdb.DuckDBPyConnection) -> list[Promotion]:
    """Every promotion, oldest first."""
    rows = connection.execute(
        "SELECT model_id, promoted_at, action, reason, previous_model_id FROM promotions ORDER BY promoted_at, rowid"
    ).fetchall()
    return [Promotion(row[0], str(row[1]), row[2] or "trained", row[3], row[4]) for row in rows]


def model_standing(store: Path, model_id: str) -> tuple[str | None, bool]:
    """The store's champion, and whether ``model_id`` became it as the store's first model."""
    with reading(store) as connection:
        champion = champion_id(connection)
        first = connection.execute(
            "SELECT count(*) FROM promotions WHERE model_id = ? AND action = 'trained' AND previous_model_id IS NULL",
            [model_id],
        ).fetchall()[0][0]
    return champion, bool(first) and champion == model_id


def resolve_model_id(connection: duckdb.DuckDBPyConnection, model: str, store: Path) -> str:
    """The id of the one model whose id is ``model`` or starts with it; :class:`StoreError` otherwise."""
    exact = connection.execute("SELECT model_id FROM models WHERE model_id = ?", [model]).fetchall()
    if exact:
        return str(exact[0][0])
    matches = (
        [
            row[0]
            for row in connection.execute(
                "SELECT model_id FROM models WHERE starts_with(model_id, ?)", [model]
            ).fetchall()
        ]
        if len(model) >= MIN_PREFIX
        else []
    )
    if len(matches) == 1:
        return str(matches[0])
    known = [
        row[0] for row in connection.execute("SELECT model_id FROM models ORDER BY created_at DESC LIMIT 5").fetchall()
    ]
    if len(matches) > 1:
        raise StoreError(f"model id {model!r} is ambiguous: {sorted(matches)[:5]}; give more of it")
    raise StoreError(
        f"{store}: no model {model!r} in the store"
        + (f" (a start of an id needs {MIN_PREFIX} characters or more)" if len(model) < MIN_PREFIX else "")
        + f"; newest models: {known or 'none'}. `oneclick models --store {store}` lists them all."
    )


def register_comparison(connection: duckdb.DuckDBPyConnection, run_id: str, result: dict[str, Any]) -> str:
    """Keep a champion/challenger comparison (``oneclick retrain``) beside the models; returns its id."""
    comparison_id = f"cmp-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
    connection.execute(
        "INSERT INTO comparisons VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?)",
        [
            comparison_id,
            run_id,
            result["champion_id"],
            result["challenger_id"],
            result.get("data_fingerprint"),
            result["n_customers"],
            result["recommendation"]["decision"],
            json.dumps(result, ensure_ascii=False, default=str),
        ],
    )
    return comparison_id


def list_models(store: Path) -> dict[str, Any]:
    """Every model with its figures, what it was trained on and its standing; the promotions; the comparisons.

    ``standing``: ``champion``, ``former champion`` (promoted once, replaced since) or
    ``challenger`` (never promoted).
    """
    with reading(store) as connection:
        promotions = history(connection)
        champion = champion_id(connection)
        rows = connection.execute(
            "SELECT model_id, run_id, created_at, data_fingerprint, training_period, data_dir, n_customers, metrics "
            "FROM models ORDER BY created_at, model_id"
        ).fetchall()
        comparisons = connection.execute(
            "SELECT comparison_id, created_at, champion_id, challenger_id, recommendation, result "
            "FROM comparisons ORDER BY created_at"
        ).fetchall()
    promoted = {row.model_id for row in promotions}
    models = []
    for model_id, run_id, created_at, fingerprint, period, data_dir, n_customers, metrics_json in rows:
        metrics = json.loads(metrics_json) if metrics_json else {}
        standing = "champion" if model_id == champion else "former champion" if model_id in promoted else "challenger"
        models.append(
            {
                "model_id": model_id,
                "standing": standing,
                "is_champion": model_id == champion,
                "created_at": str(created_at),
                "run_id": run_id,
                "best_model": metrics.get("best_model"),
                "holdout_roc_auc": metrics.get("holdout", {}).get("roc_auc"),
                "holdout_brier": metrics.get("holdout", {}).get("brier"),
                "cv_roc_auc_mean": metrics.get("cv", {}).get("roc_auc_mean"),
                "cv_nested": metrics.get("cv", {}).get("nested"),
                "threshold": metrics.get("selection", {}).get("threshold"),
                "refit": metrics.get("refit"),
                "data_fingerprint": fingerprint,
                "training_period": period,
                "data_dir": data_dir,
                "n_customers": n_customers,
            }
        )
    return {
        "champion": champion,
        "models": models,
        "promotions": [row.as_dict() for row in promotions],
        "comparisons": [
            {
                "comparison_id": row[0],
                "created_at": str(row[1]),
                "champion_id": row[2],
                "challenger_id": row[3],
                "recommendation": row[4],
                "reason": json.loads(row[5]).get("recommendation", {}).get("reason"),
            }
            for row in comparisons
        ],
    }


def _insert(
    connection: duckdb.DuckDBPyConnection, model_id: str, action: Action, reason: str, previous: str | None
) -> Promotion:
    connection.execute(
        "INSERT INTO promotions (model_id, promoted_at, reason, action, previous_model_id) VALUES (?, now(), ?, ?, ?)",
        [model_id, reason, action, previous],
    )
    promoted_at = connection.execute("SELECT max(promoted_at) FROM promotions").fetchall()[0][0]
    return Promotion(model_id, str(promoted_at), action, reason, previous)
