from __future__ import annotations

from pathlib import Path

import pytest

from oneclick.errors import StoreError
from oneclick.offers import shipped_catalogue_mapping
from oneclick.store import (
    current_catalogue,
    list_catalogue_versions,
    reading,
    register_catalogue_version,
    writing,
)


def test_a_new_store_plans_with_the_shipped_catalogue_and_an_update_keeps_the_old_version(tmp_path: Path) -> None:
    store = tmp_path / "oneclick.duckdb"
    with writing(store) as connection:
        first = current_catalogue(connection)
    assert first.version == 1 and first.created_at is None and first.source == "shipped with oneclick"

    updated = dict(shipped_catalogue_mapping())
    updated["offers"] = [{**updated["offers"][0], "uplift": 0.15}, *updated["offers"][1:]]
    with writing(store) as connection:
        version = register_catalogue_version(
            connection, updated, parent_version=1, source_campaign_id="cmp-1", method={"name": "shrinkage"}
        )
    assert version == 2
    versions = list_catalogue_versions(store)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].catalogue["offers"][0]["uplift"] == shipped_catalogue_mapping()["offers"][0]["uplift"]
    assert versions[1].catalogue["offers"][0]["uplift"] == 0.15 and versions[1].catalogue["version"] == 2
    assert versions[1].source_campaign_id == "cmp-1" and versions[1].parent_version == 1
    with reading(store) as connection:
        assert current_catalogue(connection).version == 2


def test_an_unknown_version_is_refused_with_the_versions_there_are(tmp_path: Path) -> None:
    from oneclick.store import catalogue_version

    store = tmp_path / "oneclick.duckdb"
    with writing(store) as connection:
        assert catalogue_version(connection, 1).created_at is None
        with pytest.raises(StoreError, match=r"no catalogue version 7 in the store; it has \[1\]"):
            catalogue_version(connection, 7)
