"""Period comparisons in the store: what ``oneclick compare`` (or ``run`` against the period before) found.

A comparison is written once and never rewritten: the whole result (the JSON ``oneclick compare
--json`` prints) beside the columns a list needs (both sources and data fingerprints, the model
judged, the verdict). The report's "changes since the last period" and the dashboard's
``/changes`` pages render the stored result; nothing is recomputed from it.

>>> comparison_id = register_period_comparison(store, result.as_dict())  # doctest: +SKIP
>>> load_period_comparison(store, comparison_id[:12]).verdict  # doctest: +SKIP
'watch'
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from oneclick.errors import StoreError
from oneclick.store.connect import reading, writing

VERDICTS = ("keep", "watch", "retrain")
_COLUMNS = (
    "comparison_id",
    "created_at",
    "old_source",
    "new_source",
    "old_fingerprint",
    "new_fingerprint",
    "model_id",
    "verdict",
)
_SHORTEST_PREFIX = 4


@dataclass(frozen=True)
class StoredPeriodComparison:
    """A period comparison read back: its columns and the whole result."""

    comparison_id: str
    created_at: str
    old_source: str
    new_source: str
    old_fingerprint: str | None
    new_fingerprint: str | None
    model_id: str | None
    verdict: str
    result: dict[str, Any]


def new_period_comparison_id(now: datetime | None = None) -> str:
    """An id that sorts by time: ``periods-20261203T071500Z-3f9a1c``."""
    moment = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return f"periods-{moment}-{secrets.token_hex(3)}"


def register_period_comparison(
    store: Path,
    result: Mapping[str, Any],
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> str:
    """Keep a period comparison (``PeriodComparison.as_dict()``); returns its id.

    The sources, fingerprints, model id and verdict are read from ``result`` (``old``/``new``
    with ``source`` and ``data_fingerprint``, ``model.model_id``, ``verdict``), so the columns
    cannot disagree with the result they index.

    Raises :class:`StoreError` when ``result`` lacks one of them or its verdict is not one of
    :data:`VERDICTS`.
    """
    row = _row_of(result)
    if connection is None:
        with writing(store) as transaction:
            return register_period_comparison(store, result, connection=transaction)
    comparison_id = new_period_comparison_id()
    connection.execute(
        "INSERT INTO period_comparisons (comparison_id, created_at, old_source, new_source, old_fingerprint, "
        "new_fingerprint, model_id, verdict, result) VALUES (?, now(), ?, ?, ?, ?, ?, ?, ?)",
        [comparison_id, *row, json.dumps(dict(result), ensure_ascii=False, default=str)],
    )
    return comparison_id


def load_period_comparison(store: Path | duckdb.DuckDBPyConnection, comparison_id: str) -> StoredPeriodComparison:
    """A comparison by its id or an unambiguous prefix of it (4+ characters); :class:`StoreError` if none."""
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return load_period_comparison(connection, comparison_id)
    full_id = _resolve(store, comparison_id)
    row = store.execute(
        f"SELECT {', '.join(_COLUMNS)}, result FROM period_comparisons WHERE comparison_id = ?", [full_id]
    ).fetchall()[0]
    return _stored(row)


def latest_period_comparison(store: Path | duckdb.DuckDBPyConnection) -> StoredPeriodComparison | None:
    """The newest comparison, or None when the store has none."""
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return latest_period_comparison(connection)
    rows = store.execute(
        f"SELECT {', '.join(_COLUMNS)}, result FROM period_comparisons "
        "ORDER BY created_at DESC, comparison_id DESC LIMIT 1"
    ).fetchall()
    return _stored(rows[0]) if rows else None


def list_period_comparisons(store: Path | duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every comparison, newest first: its columns and, from its result, the drifted features."""
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return list_period_comparisons(connection)
    return store.execute(
        f"SELECT {', '.join(_COLUMNS)}, "
        "CAST(json_extract(result, '$.dataset_drift.drifted_features') AS VARCHAR[]) AS drifted_features "
        "FROM period_comparisons ORDER BY created_at DESC, comparison_id DESC"
    ).df()


def previous_period_run(
    store: Path | duckdb.DuckDBPyConnection, data_fingerprint: str | None, *, before: str | None = None
) -> str | None:
    """The newest run of kind ``run`` with a customer table and another data fingerprint than
    ``data_fingerprint``, registered before the run ``before`` (when given); None when there is none.

    The same fingerprint is the same export run again (a new seed, other settings): not a period.
    """
    if not isinstance(store, duckdb.DuckDBPyConnection):
        with reading(store) as connection:
            return previous_period_run(connection, data_fingerprint, before=before)
    query = (
        "SELECT r.run_id FROM runs AS r JOIN run_tables AS t ON t.run_id = r.run_id AND t.name = 'customers' "
        "WHERE r.kind = 'run' AND r.data_fingerprint IS DISTINCT FROM ?"
    )
    params: list[Any] = [data_fingerprint]
    if before is not None:
        query += " AND r.run_id <> ? AND r.created_at <= (SELECT created_at FROM runs WHERE run_id = ?)"
        params += [before, before]
    rows = store.execute(query + " ORDER BY r.created_at DESC, r.run_id DESC LIMIT 1", params).fetchall()
    return rows[0][0] if rows else None


def _row_of(result: Mapping[str, Any]) -> list[Any]:
    try:
        old, new, model, verdict = result["old"], result["new"], result["model"], result["verdict"]
        row = [str(old["source"]), str(new["source"]), old.get("data_fingerprint"), new.get("data_fingerprint")]
        row.append(model.get("model_id"))
    except (KeyError, TypeError, AttributeError) as err:
        raise StoreError(
            f"period comparison: the result lacks {err}; expected the JSON of `oneclick compare --json` "
            "(old.source, new.source, model, verdict)"
        ) from err
    if verdict not in VERDICTS:
        raise StoreError(f"period comparison: verdict must be one of {list(VERDICTS)}, found {verdict!r}")
    return [*row, verdict]


def _stored(row: tuple[Any, ...]) -> StoredPeriodComparison:
    values = dict(zip(_COLUMNS, row[:-1], strict=True))
    values["created_at"] = str(values["created_at"])
    return StoredPeriodComparison(**values, result=json.loads(row[-1]))


def _resolve(connection: duckdb.DuckDBPyConnection, comparison_id: str) -> str:
    if len(comparison_id) < _SHORTEST_PREFIX:
        raise StoreError(
            f"period comparison id {comparison_id!r}: give the id or at least {_SHORTEST_PREFIX} of its characters"
        )
    found = [
        r[0]
        for r in connection.execute(
            "SELECT comparison_id FROM period_comparisons WHERE starts_with(comparison_id, ?) ORDER BY 1",
            [comparison_id],
        ).fetchall()
    ]
    if len(found) == 1:
        return found[0]
    if not found:
        known = [
            r[0]
            for r in connection.execute(
                "SELECT comparison_id FROM period_comparisons ORDER BY 1 DESC LIMIT 5"
            ).fetchall()
        ]
        raise StoreError(f"no period comparison {comparison_id!r} in the store; the latest are {known or 'none'}")
    raise StoreError(
        f"period comparison id {comparison_id!r} is ambiguous: it starts {found[:5]}; give more characters"
    )
