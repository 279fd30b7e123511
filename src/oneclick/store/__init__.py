"""The store of runs: one DuckDB file that every command registers what it made into.

>>> run_id = register_run(Path("out/oneclick.duckdb"), RunRecord(kind="score"), {"scores": scores})  # doctest: +SKIP
>>> model_id, model = load_champion(Path("out/oneclick.duckdb"))  # doctest: +SKIP
>>> promote(Path("out/oneclick.duckdb"), "3f9a1c2b", reason="November's data")  # doctest: +SKIP
"""

from oneclick.store.campaigns import (
    ARMS,
    CONTROL,
    TREATMENT,
    CampaignRecord,
    StoredCampaign,
    latest_evaluation,
    list_campaigns,
    load_campaign,
    planned_on_customers,
    register_campaign,
    register_evaluation,
    treated_since,
)
from oneclick.store.catalogues import (
    CatalogueVersion,
    catalogue_version,
    current_catalogue,
    list_catalogue_versions,
    register_catalogue_version,
)
from oneclick.store.comparisons import (
    StoredPeriodComparison,
    latest_period_comparison,
    list_period_comparisons,
    load_period_comparison,
    previous_period_run,
    register_period_comparison,
)
from oneclick.store.connect import DEFAULT_STORE, ensure_current, reading, writing
from oneclick.store.models import (
    champion_folder,
    champion_id,
    load_champion,
    load_stored_model,
    model_id_of,
    register_model,
)
from oneclick.store.registry import list_models, promote, rollback
from oneclick.store.runs import RunRecord, latest_run, list_runs, register_run, run_record
from oneclick.store.schema import SCHEMA_VERSION
from oneclick.store.uplift_models import UpliftModelRecord, list_uplift_models, uplift_models_by_offer

__all__ = [
    "ARMS",
    "CONTROL",
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "TREATMENT",
    "CampaignRecord",
    "CatalogueVersion",
    "RunRecord",
    "StoredCampaign",
    "StoredPeriodComparison",
    "UpliftModelRecord",
    "catalogue_version",
    "champion_folder",
    "champion_id",
    "current_catalogue",
    "ensure_current",
    "latest_evaluation",
    "latest_period_comparison",
    "latest_run",
    "list_campaigns",
    "list_catalogue_versions",
    "list_models",
    "list_period_comparisons",
    "list_runs",
    "list_uplift_models",
    "load_campaign",
    "load_champion",
    "load_period_comparison",
    "load_stored_model",
    "model_id_of",
    "planned_on_customers",
    "previous_period_run",
    "promote",
    "reading",
    "register_campaign",
    "register_catalogue_version",
    "register_evaluation",
    "register_model",
    "register_period_comparison",
    "register_run",
    "rollback",
    "run_record",
    "treated_since",
    "uplift_models_by_offer",
    "writing",
]
