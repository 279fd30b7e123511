"""The store of runs: one DuckDB file that every command registers what it made into.

>>> run_id = register_run(Path("out/oneclick.duckdb"), RunRecord(kind="score"), {"scores": scores})  # doctest: +SKIP
>>> model_id, model = load_champion(Path("out/oneclick.duckdb"))  # doctest: +SKIP
>>> promote(Path("out/oneclick.duckdb"), "3f9a1c2b", reason="November's data")  # doctest: +SKIP
"""

from oneclick.store.catalogues import (
    CatalogueVersion,
    catalogue_version,
    current_catalogue,
    list_catalogue_versions,
    register_catalogue_version,
)
from oneclick.store.connect import DEFAULT_STORE, ensure_current, reading, writing
from oneclick.store.models import champion_folder, champion_id, load_champion, model_id_of, register_model
from oneclick.store.registry import list_models, promote, rollback
from oneclick.store.runs import RunRecord, latest_run, list_runs, register_run, run_record
from oneclick.store.schema import SCHEMA_VERSION

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "CatalogueVersion",
    "RunRecord",
    "catalogue_version",
    "champion_folder",
    "champion_id",
    "current_catalogue",
    "ensure_current",
    "latest_run",
    "list_catalogue_versions",
    "list_models",
    "list_runs",
    "load_champion",
    "model_id_of",
    "promote",
    "reading",
    "register_catalogue_version",
    "register_model",
    "register_run",
    "rollback",
    "run_record",
    "writing",
]
