"""A period to compare: a data folder or a run in the store, as one customer table in Parquet.

A data folder is read and checked by the rules every command follows (``oneclick.ingest.check_export``,
which ``load_tables`` runs too), and its customer table built by the same SQL as
``build_customer_table`` (``oneclick.features``), in DuckDB, out of core: at the store's size or at
millions of customers alike. A run in the store gives the customer table it registered
(``run_customers``). Either way the table is written, sorted by customer id, to a Parquet file of
the comparison's work folder, which the comparison reads through DuckDB views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from oneclick.errors import InputDataError
from oneclick.features import FEATURE_NAMES, LABEL, PROFIT
from oneclick.features.build import customer_features_sql
from oneclick.ingest import Policy, check_export, create_customer_months
from oneclick.ingest.sqltext import literal
from oneclick.ingest.tables import announce
from oneclick.record import fingerprint

CUSTOMER_COLUMNS = ("customer_id", *FEATURE_NAMES, LABEL, PROFIT)


@dataclass(frozen=True)
class Period:
    """One side of a comparison: where it came from and its customer table (Parquet, by customer id)."""

    name: str  # "OLD" or "NEW", as messages name it
    source: str  # the folder or the run id
    kind: Literal["folder", "run"]
    customers_path: str
    n_customers: int
    n_labelled: int  # customers whose label is known
    quality: dict[str, Any] = field(default_factory=dict)
    data_fingerprint: str | None = None  # the four input files' (as `oneclick run` records it)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "n_customers": self.n_customers,
            "n_labelled": self.n_labelled,
            "quality": self.quality,
            "data_fingerprint": self.data_fingerprint,
        }


def locate(source: str | Path, name: str, store: Path | None) -> Literal["folder", "run"]:
    """Whether ``source`` is a data folder or a run id in ``store``; :class:`InputDataError` if neither."""
    if Path(source).is_dir():
        return "folder"
    if store is not None and Path(store).is_file() and _is_run(Path(store), str(source)):
        return "run"
    where = f"a run in the store {store}" if store is not None else "a run (no store given)"
    hint = "`oneclick` commands list their run ids as they register them" if store is not None else "pass --store"
    raise InputDataError(
        f"{name} {str(source)!r}: not a data folder (with market_file, market_money, market_time and money), "
        f"and not {where}. Give an export's folder or a run id ({hint})."
    )


def read_period(
    source: str | Path,
    name: str,
    work_dir: Path,
    *,
    store: Path | None,
    policy: Policy,
    config: dict[str, Any],
) -> Period:
    """The period ``source``: a data folder, else a run id in ``store``.

    Raises :class:`InputDataError` when it is neither, when the folder's tables cannot be read,
    or when the run has no customer table.
    """
    kind = locate(source, name, store)
    out = Path(work_dir) / name.lower()
    out.mkdir(parents=True, exist_ok=True)
    if kind == "folder":
        return _folder(Path(source), name, out, policy, config)
    return _run(Path(store), str(source), name, out)  # type: ignore[arg-type]


def _folder(path: Path, name: str, out: Path, policy: Policy, config: dict[str, Any]) -> Period:
    customers_path = out / "customers.parquet"
    with duckdb.connect(config=config) as connection:
        connection.execute("SET enable_progress_bar = false")
        try:
            checked = check_export(path, out / "checks", policy, connection)
        except InputDataError as err:
            raise InputDataError(f"{name} {path}: {err}") from err
        create_customer_months(connection, checked.months)
        customer_features_sql(connection).order("customer_id").write_parquet(str(customers_path), compression="zstd")
    announce(checked.quality)
    quality = checked.quality
    summary = {
        "customers_read": quality.customers_read,
        "customers_kept": quality.customers_kept,
        "rows_quarantined": len(quality.quarantine),
        "customers_excluded": len(quality.excluded),
    }
    checksums = {source.file: source.sha256 for source in quality.sources}
    return _period(name, str(path), "folder", customers_path, summary, fingerprint(checksums))


def _is_run(store: Path, run_id: str) -> bool:
    from oneclick.store import reading

    with reading(store) as connection:
        return bool(connection.execute("SELECT count(*) FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0])


def _run(store: Path, run_id: str, name: str, out: Path) -> Period:
    from oneclick.store import reading, run_record

    customers_path = out / "customers.parquet"
    with reading(store) as connection:
        has_table = connection.execute(
            "SELECT count(*) FROM run_tables WHERE run_id = ? AND name = 'customers'", [run_id]
        ).fetchall()[0][0]
        if not has_table:
            kind = run_record(connection, run_id)["kind"]  # type: ignore[index]
            raise InputDataError(
                f"{name} {run_id}: this {kind} run registered no customer table (only `oneclick run` and "
                "`oneclick offers` in memory do); compare the folder of its data instead"
            )
        found = {row[0] for row in connection.execute("DESCRIBE run_customers").fetchall()}
        missing = [column for column in CUSTOMER_COLUMNS if column not in found]
        if missing:
            raise InputDataError(f"{name} {run_id}: the stored customer table lacks {missing}")
        columns = ", ".join(CUSTOMER_COLUMNS)
        connection.execute(
            f"COPY (SELECT {columns} FROM run_customers WHERE run_id = {literal(run_id)} ORDER BY customer_id) "
            f"TO {literal(str(customers_path))} (FORMAT parquet, COMPRESSION zstd)"
        )
        record = run_record(connection, run_id)
    quality = record["quality"]  # type: ignore[index]
    summary = {key: quality.get(key) for key in ("customers_read", "customers_kept")}
    return _period(name, run_id, "run", customers_path, summary, record["data_fingerprint"])  # type: ignore[index]


def _period(
    name: str,
    source: str,
    kind: Literal["folder", "run"],
    path: Path,
    quality: dict[str, Any],
    data_fingerprint: str | None,
) -> Period:
    with duckdb.connect() as connection:
        n, labelled = connection.execute(
            f"SELECT count(*), count({LABEL}) FROM read_parquet({literal(str(path))})"
        ).fetchall()[0]
    if n == 0:
        raise InputDataError(f"{name} {source}: no customer is left to compare")
    return Period(name, source, kind, str(path), int(n), int(labelled), quality, data_fingerprint)
