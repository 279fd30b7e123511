"""Opening the store: a writer holds it for one short transaction, readers for one short read.

DuckDB lets one process write a database file, or several read it, never both at once. So no
oneclick process keeps the store open: a command opens it at the end of its run to register
what it made, in one transaction, and closes it; the service copies what it serves and closes
it (:mod:`oneclick.store.snapshot`). Either side that finds the file locked waits and tries
again, for a bounded time. A run killed in the middle of its transaction leaves the store as
it was: DuckDB rolls the transaction back when the file is next opened.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from oneclick.errors import StoreError
from oneclick.store.schema import SCHEMA_VERSION, check_version, migrate

DEFAULT_STORE = Path("out/oneclick.duckdb")
_FIRST_WAIT = 0.02  # seconds, doubled at each try


@contextmanager
def writing(path: Path, *, timeout: float = 120.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store open for writing, migrated to the current schema; one transaction for the block.

    The transaction is committed when the block ends, and rolled back if it raises.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = _open(path, read_only=False, timeout=timeout)
    try:
        migrate(connection, str(path))
        connection.execute("BEGIN TRANSACTION")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()


@contextmanager
def reading(path: Path, *, timeout: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store open for reading only; :class:`StoreError` if it does not exist or needs migrating."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no store here; `oneclick run --store {path}` makes one")
    connection = _open(path, read_only=True, timeout=timeout)
    try:
        version = check_version(connection, str(path))
        if version == 0:
            raise StoreError(f"{path}: not a oneclick store (it has no store_schema table)")
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{path}: the store has schema version {version}, from an older oneclick; open it once for "
                f"writing to migrate it to version {SCHEMA_VERSION} (any command with --store {path})"
            )
        yield connection
    finally:
        connection.close()


def ensure_current(path: Path, *, timeout: float = 120.0) -> None:
    """Create or migrate the store at ``path``, so that readers find the current schema."""
    with writing(path, timeout=timeout):
        pass


def is_busy(err: Exception) -> bool:
    """The store is held by a writer: another process's lock, or this process's own other connection
    (DuckDB opens one file in one way at a time within a process: a service's log writer and its reader)."""
    text = str(err).lower()
    return "lock" in text or "different configuration" in text or "already attached" in text


def _open(path: Path, *, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    wait = _FIRST_WAIT
    while True:
        try:
            connection = duckdb.connect(str(path), read_only=read_only)
            connection.execute("SET enable_progress_bar = false")
            return connection
        except (duckdb.IOException, duckdb.ConnectionException) as err:
            if not is_busy(err) or time.monotonic() + wait > deadline:
                found = re.search(r"\(PID (\d+)\)", str(err))
                holder = f"PID {found.group(1)}" if found else "unknown"
                raise StoreError(
                    f"{path}: the store is in use by another process ({holder}) and stayed so for "
                    f"{timeout:g} s; try again when it has finished"
                    if is_busy(err)
                    else f"{path}: cannot open the store ({str(err).splitlines()[0]})"
                ) from err
            time.sleep(wait)
            wait = min(wait * 2, 1.0)
        except duckdb.Error as err:
            raise StoreError(f"{path}: not a readable DuckDB store ({str(err).splitlines()[0]})") from err
