"""The offer catalogue's versions: the shipped one first, then one per ``oneclick catalogue update``.

A version is never rewritten: an update writes the next one with the campaign it learned from and
the method that turned its measurements into uplifts, so a plan can always say which catalogue
(and which measured figures) it used. A store without versions uses the catalogue shipped with
oneclick as version 1.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from oneclick.errors import StoreError
from oneclick.offers.catalogue import shipped_catalogue_mapping
from oneclick.store.connect import reading

SHIPPED_SOURCE = "shipped with oneclick"


@dataclass(frozen=True)
class CatalogueVersion:
    """One version of the catalogue as the store keeps it (``catalogue``: the YAML's mapping)."""

    version: int
    catalogue: Mapping[str, Any]
    parent_version: int | None
    source_campaign_id: str | None
    method: Mapping[str, Any] | None
    created_at: str | None

    @property
    def source(self) -> str:
        """Where the version came from, for messages: the store's version or the shipped file."""
        if self.created_at is None:
            return SHIPPED_SOURCE
        return f"catalogue version {self.version} of the store"


def current_catalogue(connection: duckdb.DuckDBPyConnection) -> CatalogueVersion:
    """The newest version in the store, or the shipped catalogue when the store has none."""
    newest = connection.execute("SELECT max(version) FROM catalogue_versions").fetchall()[0][0]
    if newest is None:
        raw = dict(shipped_catalogue_mapping())
        return CatalogueVersion(int(raw.get("version", 1)), raw, None, None, None, None)
    return catalogue_version(connection, int(newest))


def catalogue_version(connection: duckdb.DuckDBPyConnection, version: int) -> CatalogueVersion:
    """A given version; version 1 of a store without versions is the shipped catalogue."""
    row = connection.execute(
        "SELECT version, catalogue, parent_version, source_campaign_id, method, created_at "
        "FROM catalogue_versions WHERE version = ?",
        [version],
    ).fetchall()
    if not row:
        shipped = current_catalogue(connection) if version == 1 else None
        if shipped is not None and shipped.created_at is None:
            return shipped
        known = [r[0] for r in connection.execute("SELECT version FROM catalogue_versions ORDER BY 1").fetchall()]
        raise StoreError(f"no catalogue version {version} in the store; it has {known or [1]}")
    number, catalogue, parent, campaign, method, created = row[0]
    return CatalogueVersion(
        int(number),
        json.loads(catalogue),
        parent,
        campaign,
        json.loads(method) if method else None,
        str(created),
    )


def register_catalogue_version(
    connection: duckdb.DuckDBPyConnection,
    catalogue: Mapping[str, Any],
    *,
    parent_version: int,
    source_campaign_id: str | None,
    method: Mapping[str, Any] | None,
) -> int:
    """Keep a new catalogue version (inside the caller's transaction); returns its number.

    The shipped catalogue is written first as version 1 when the store had no versions, so the
    old version is kept beside the new one.
    """
    if connection.execute("SELECT count(*) FROM catalogue_versions").fetchall()[0][0] == 0:
        shipped = current_catalogue(connection)
        _insert(connection, shipped.version, shipped.catalogue, None, None, {"source": SHIPPED_SOURCE})
    version = int(connection.execute("SELECT max(version) FROM catalogue_versions").fetchall()[0][0]) + 1
    _insert(connection, version, {**catalogue, "version": version}, parent_version, source_campaign_id, method)
    return version


def list_catalogue_versions(store: Path) -> list[CatalogueVersion]:
    """Every version, oldest first (the shipped one alone when the store has none)."""
    with reading(store) as connection:
        numbers = [r[0] for r in connection.execute("SELECT version FROM catalogue_versions ORDER BY 1").fetchall()]
        if not numbers:
            return [current_catalogue(connection)]
        return [catalogue_version(connection, n) for n in numbers]


def _insert(
    connection: duckdb.DuckDBPyConnection,
    version: int,
    catalogue: Mapping[str, Any],
    parent: int | None,
    campaign: str | None,
    method: Mapping[str, Any] | None,
) -> None:
    connection.execute(
        "INSERT INTO catalogue_versions VALUES (?, now(), ?, ?, ?, ?)",
        [
            version,
            parent,
            campaign,
            json.dumps(method, ensure_ascii=False) if method is not None else None,
            json.dumps(catalogue, ensure_ascii=False, default=str),
        ],
    )
