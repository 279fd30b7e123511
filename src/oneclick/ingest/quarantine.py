"""The quarantine: every row a table's checks rejected, with its file, line, column, value and
reason; and the refusal rule for a table too broken to trust.

A table is refused (:class:`InputDataError`) when more than ``max_bad_row_share`` of its lines
are rejected, when none is left, or, with ``bad_rows="fail"``, when any is. Otherwise its
rejected rows wait in the quarantine and the customers they belong to are excluded.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from oneclick.config import BadRowPolicy
from oneclick.errors import InputDataError
from oneclick.ingest.columns import TABLES
from oneclick.ingest.raw import QUARANTINE_COLUMNS, RawTable, line_problems_query
from oneclick.ingest.sqltext import literal

_EXAMPLES = 5


def write_quarantine(
    connection: duckdb.DuckDBPyConnection,
    raws: Mapping[str, RawTable],
    cell_problems: Mapping[str, str],
    repeated_keys: pd.DataFrame,
    path: Path,
) -> dict[str, int]:
    """Write every rejected row to ``path`` (Parquet), in table, line and column order.

    ``cell_problems``: the query of the failed cells of each table that has some
    (``ingest.cells.problems_query``). Returns the number of rejected lines per file name.
    """
    parts = [f"({query})" for query in cell_problems.values()]
    parts += [q for q in (line_problems_query(raw) for raw in raws.values()) if q is not None]
    connection.register("repeated_keys", repeated_keys.astype({"line": "int64"})[list(QUARANTINE_COLUMNS)])
    parts.append("SELECT * FROM repeated_keys")
    order = (
        "CASE file " + " ".join(f"WHEN {literal(raw.file)} THEN {k}" for k, raw in enumerate(raws.values())) + " END"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.execute(
        f'COPY (SELECT file, CAST(line AS BIGINT) AS line, "column", value, reason '
        f'FROM ({" UNION ALL ".join(parts)}) ORDER BY {order}, line, "column") '
        f"TO {literal(str(path))} (FORMAT parquet)"
    )
    connection.unregister("repeated_keys")
    return dict(
        connection.execute(
            f"SELECT file, count(DISTINCT line) FROM read_parquet({literal(str(path))}) GROUP BY file"
        ).fetchall()
    )


def refuse_broken_tables(
    connection: duckdb.DuckDBPyConnection,
    raws: Mapping[str, RawTable],
    rows_read: Mapping[str, int],
    rejected_lines: Mapping[str, int],
    path: Path,
    *,
    bad_rows: BadRowPolicy,
    max_bad_row_share: float,
) -> None:
    """Raise one :class:`InputDataError` naming every table the refusal rule refuses."""
    problems = []
    for name in TABLES:
        raw = raws[name]
        n_bad, n_read = int(rejected_lines.get(raw.file, 0)), int(rows_read[name])
        share = n_bad / max(n_read, 1)
        if not n_bad or (bad_rows == "quarantine" and share <= max_bad_row_share and n_bad < n_read):
            continue
        examples = connection.execute(
            f"SELECT line, reason FROM read_parquet({literal(str(path))}) "
            f'WHERE file = {literal(raw.file)} ORDER BY line, "column" LIMIT {_EXAMPLES}'
        ).fetchall()
        listed = "\n".join(f"  - line {line}: {reason}" for line, reason in examples)
        why = (
            f", more than {max_bad_row_share:.0%} of its rows"
            if share > max_bad_row_share or n_bad >= n_read
            else " (bad_rows='fail' stops at any bad row)"
        )
        problems.append(f"{raw.file} failed checks in {n_bad} of {n_read} rows{why}:\n{listed}")
    if problems:
        raise InputDataError(
            "\n".join(problems) + "\nFix the file, or see `oneclick validate --help` for the expected format."
        )
