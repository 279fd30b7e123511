"""The campaign plan for a stored run: contact rules, the exact budgeted plan, control groups, the store.

The run's customers, decline probabilities and thresholds come from the store; the catalogue is
the store's current version (the shipped one when it has none), so a plan made after
``oneclick catalogue update`` uses the measured uplifts and says which they are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from dateutil.relativedelta import relativedelta

from oneclick.batch import assign_batch_segments, compute_quantiles, needed_quantiles, resolve
from oneclick.campaigns.control import ControlSettings, draw_control, size_strata
from oneclick.campaigns.rules import ContactRules, apply_rules, one_row_per_customer
from oneclick.campaigns.uplift_scoring import score_by_uplift_models
from oneclick.errors import ConfigError, StoreError
from oneclick.features.build import typed_customer_table
from oneclick.ingest.sqltext import literal
from oneclick.offers import OfferCatalogue, catalogue_from_mapping, offer_values, plan_campaign, solver_for
from oneclick.segments import Thresholds, load_segment_scheme
from oneclick.segments.assign import scoring_table
from oneclick.store import (
    CampaignRecord,
    current_catalogue,
    ensure_current,
    latest_run,
    reading,
    register_campaign,
    treated_since,
    uplift_models_by_offer,
)
from oneclick.store.campaigns import CUSTOMER_COLUMNS


@dataclass(frozen=True)
class CampaignPlanResult:
    """A registered plan: its JSON (the contract's keys), its customers and exclusions, its catalogue."""

    campaign_id: str
    as_json: dict[str, Any]
    customers: pd.DataFrame  # CUSTOMER_COLUMNS, one row per planned customer
    exclusions: pd.DataFrame  # customer_id, offer_id, rule, detail
    catalogue: OfferCatalogue


def find_run(connection: Any, run: str) -> str:
    """A run id from an id, an unambiguous prefix, or ``latest`` (the newest run with customers)."""
    if run == "latest":
        found = latest_run(connection, having="customers")
        if found is None:
            raise StoreError("the store has no run with customers yet: `oneclick run --store` makes one")
        return found
    ids = [r[0] for r in connection.execute("SELECT run_id FROM runs WHERE starts_with(run_id, ?)", [run]).fetchall()]
    if run in ids:
        return run
    if not ids:
        raise StoreError(f"run {run!r}: no run in the store has this id or prefix (`oneclick runs` lists them)")
    if len(ids) > 1:
        raise StoreError(f"run {run!r}: the prefix names {len(ids)} runs, e.g. {sorted(ids)[:3]}; give more of it")
    return ids[0]


def make_plan(
    store: Path,
    run: str,
    *,
    budget: float,
    control: ControlSettings,
    rules: ContactRules,
    seed: int,
    starts_on: date,
    use_uplift_model: bool = True,
) -> CampaignPlanResult:
    """Plan, draw and register a campaign for ``run``; the treated customers' cost stays within ``budget``.

    With ``use_uplift_model``, an offer that an uplift model kept by a campaign's evaluation covers
    (the newest such evaluation) is valued by the model (:mod:`oneclick.campaigns.uplift_scoring`);
    the plan's ``scored_by_uplift_model`` lists those offers. Without it, the catalogue alone.
    """
    if budget < 0:
        raise ConfigError(f"budget={budget}: expected 0 or more (profit units)")
    if Path(store).is_file():  # the plan writes to the store anyway: a store of an older schema is migrated first
        ensure_current(store)
    with reading(store) as connection:
        run_id = find_run(connection, run)
        summary = json.loads(
            connection.execute("SELECT summary FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0] or "{}"
        )
        raw = connection.execute(
            "SELECT * EXCLUDE (run_id) FROM run_customers WHERE run_id = ? ORDER BY customer_id", [run_id]
        ).df()
        scores = connection.execute(
            "SELECT customer_id, decline_probability FROM run_scores WHERE run_id = ?", [run_id]
        ).df()
        model_id = connection.execute("SELECT model_id FROM runs WHERE run_id = ?", [run_id]).fetchall()[0][0]
        version = current_catalogue(connection)
        window = treated_since(connection, starts_on - relativedelta(months=rules.cooldown_months), starts_on)
        uplift_models = uplift_models_by_offer(connection) if use_uplift_model else {}
    window["starts_on"] = pd.to_datetime(window["starts_on"]).dt.date  # days in the exclusions' details
    if raw.empty or scores.empty:
        raise StoreError(f"run {run_id}: it stored no customers and scores (`oneclick run --store` stores both)")
    customers, repeats = one_row_per_customer(typed_customer_table(raw).sort_index())
    probability = scores.drop_duplicates("customer_id").set_index("customer_id")["decline_probability"]
    table = scoring_table(customers, probability.reindex(customers.index))

    scheme = load_segment_scheme(_file(summary.get("sources", {}).get("segments")))
    catalogue = catalogue_from_mapping(version.catalogue, version.source, segment_names=scheme.names)
    needed = needed_quantiles(scheme, catalogue)
    with reading(store) as connection:
        relation = connection.sql(f"SELECT * FROM run_customers WHERE run_id = {literal(run_id)}")
        quantiles = compute_quantiles(relation, needed) if needed else {}
    scheme, catalogue, _ = resolve(scheme, catalogue, quantiles, None)
    stored = summary.get("thresholds") or {}
    if "high_risk" not in stored or "high_profit" not in stored:
        raise StoreError(f"run {run_id}: its summary has no thresholds; run `oneclick run --store` again")
    thresholds = Thresholds(float(stored["high_risk"]), float(stored["high_profit"]))
    membership, primary, _ = assign_batch_segments(table, scheme, thresholds)
    values = offer_values(table, catalogue, thresholds, membership)
    primary_segment = pd.Series(primary, index=table.index).astype(str)
    values, scored = score_by_uplift_models(values, table, primary_segment, catalogue, uplift_models)

    ruled = apply_rules(values, table, catalogue, rules, window, minimum=catalogue.min_expected_saved_profit)
    method, _ = solver_for(ruled.values, catalogue)
    campaign = plan_campaign(
        ruled.values.expected_saved_profit,
        ruled.values.cost,
        budget if budget > 0 else None,
        minimum=catalogue.min_expected_saved_profit,
        method=method,
    )
    chosen = campaign.offers
    ids = chosen.index
    segment = primary_segment.reindex(ids)
    planned = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "segment": segment.to_numpy(),
            "offer_id": chosen.to_numpy(dtype=object),
            "decline_probability": table["decline_probability"].reindex(ids).to_numpy(dtype=float),
            "profit": table["profit"].reindex(ids).to_numpy(dtype=float),
            "cost": [values.cost.at[c, o] for c, o in chosen.items()],
            "assumed_uplift": [values.uplift.at[c, o] for c, o in chosen.items()],
            "expected_saved_profit": [values.expected_saved_profit.at[c, o] for c, o in chosen.items()],
        }
    )
    planned["stratum"] = planned["segment"] + "|" + planned["offer_id"]
    strata = size_strata(planned, control) if len(planned) else pd.DataFrame(columns=["stratum", "n_control"])
    arms = draw_control(planned, strata, seed)
    planned["arm"] = arms.reindex(planned["customer_id"]).to_numpy()
    planned = planned.sort_values("customer_id").reset_index(drop=True)[list(CUSTOMER_COLUMNS)]
    exclusions = pd.concat([repeats, ruled.exclusions], ignore_index=True) if len(repeats) else ruled.exclusions
    counts = ruled.counts()
    counts["one_offer_per_customer"] += len(repeats)

    treated = planned[planned["arm"] == "treatment"]
    measured = [{"offer_id": o.id, "segment": name} for o in catalogue.offers for name, _ in o.uplift_evidence]
    strata_rows = _records(strata)
    figures = {
        "spent": float(treated["cost"].sum()),
        "budget": float(budget),
        "expected_saved_profit": float(treated["expected_saved_profit"].sum()),
        "planned_spent": float(campaign.spent),
        "planned_expected_saved_profit": float(campaign.expected_saved_profit),
        "n_treatment": len(treated),
        "n_control": int((planned["arm"] == "control").sum()),
        "solver": {"method": campaign.method, "status": campaign.status},
    }
    record = CampaignRecord(
        run_id=run_id,
        budget=float(budget),
        seed=int(seed),
        catalogue_version=int(version.version),
        starts_on=starts_on,
        model_id=model_id,
        control={**control.as_dict(), "strata": strata_rows},
        rules={**rules.as_dict(), "counts": counts},
        summary={**figures, "exclusions": counts, "measured_figures": measured, "scored_by_uplift_model": scored},
    )
    campaign_id = register_campaign(store, record, planned, exclusions)
    result = {
        "campaign_id": campaign_id,
        "run_id": run_id,
        "starts_on": starts_on.isoformat(),
        "strata": strata_rows,
        "exclusions": counts,
        **figures,
        "catalogue_version": int(version.version),
        "catalogue_source": version.source,
        "measured_figures": measured,
        "scored_by_uplift_model": scored,
        "rules": rules.as_dict(),
        "control": control.as_dict(),
        "seed": int(seed),
    }
    return CampaignPlanResult(campaign_id, result, planned, exclusions, catalogue)


def _records(strata: pd.DataFrame) -> list[dict[str, Any]]:
    """The strata as JSON rows (numpy numbers as Python ones, missing as null)."""
    rows = []
    for row in strata.to_dict("records"):
        rows.append(
            {k: (None if v is None or (isinstance(v, float) and v != v) else _plain(v)) for k, v in row.items()}
        )
    return rows


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _file(source: str | None) -> Path | None:
    """A rules file the run named, when it is a file here (the shipped defaults are named as package data)."""
    return Path(source) if source and Path(source).is_file() else None
