"""The catalogue a run values its offers by: the store's newest version, written into the run folder."""

from __future__ import annotations

from pathlib import Path

from oneclick.layout import CATALOGUE_FILE
from oneclick.offers import load_catalogue, shipped_catalogue_mapping
from oneclick.pipeline import store_catalogue
from oneclick.store import ensure_current, register_catalogue_version, writing


def test_a_store_without_versions_leaves_the_shipped_catalogue_and_clears_an_old_file(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    (out / CATALOGUE_FILE).write_text("an earlier run's", encoding="utf-8")
    assert store_catalogue(None, out) is None and not (out / CATALOGUE_FILE).exists()
    ensure_current(tmp_path / "s.duckdb")
    assert store_catalogue(tmp_path / "s.duckdb", out) is None


def test_the_newest_version_is_written_and_reads_back_as_the_catalogue_the_run_uses(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    updated = dict(shipped_catalogue_mapping())
    first = updated["offers"][0]
    updated["offers"] = [{**first, "uplift": 0.31}, *updated["offers"][1:]]
    with writing(store) as connection:
        register_catalogue_version(connection, updated, parent_version=1, source_campaign_id="c-1", method={})
    path = store_catalogue(store, tmp_path / "run")
    assert path == (tmp_path / "run" / CATALOGUE_FILE).resolve()
    assert "version 2" in path.read_text(encoding="utf-8").splitlines()[0]
    catalogue = load_catalogue(path)
    assert next(o for o in catalogue.offers if o.id == first["id"]).uplift == 0.31
