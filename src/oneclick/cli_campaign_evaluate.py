"""``oneclick campaign evaluate``: a stored campaign's outcome read from the next export."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

from oneclick.cli_options import (
    DEFAULT_STORE,
    BadRowsOption,
    ConfigOption,
    InactiveOption,
    LangOption,
    StoreOption,
    check_lang,
    fail,
)
from oneclick.errors import OneClickError

# The readable summary's words; the JSON carries codes.
_WORDS = {
    "head": {
        "ru": "кампания {campaign}: {treatment} получили предложение, {control} в контрольной группе; "
        "в новой выгрузке нет {left}",
        "en": "campaign {campaign}: {treatment} treated, {control} in the control group; {left} absent from the "
        "next export",
    },
    "row": {
        "ru": "  {offer} / {segment}: отток {rate_t} против {rate_c} в контроле, эффект {uplift} [{low}; {high}], "
        "p = {p}; {verdict}",
        "en": "  {offer} / {segment}: decline {rate_t} against {rate_c} in control, uplift {uplift} [{low}; {high}], "
        "p = {p}; {verdict}",
    },
    "rule": {"ru": "правило: {rule}", "en": "rule: {rule}"},
    "revenue": {
        "ru": "изменение выручки за месяц после кампании, ₽: {t} при воздействии против {c} в контроле, разница {diff} "
        "[{low}; {high}]",
        "en": "revenue change over the month after the campaign, RUB: {t} treated against {c} in control, difference "
        "{diff} [{low}; {high}]",
    },
    "qini": {
        "ru": "ранжирование плана (допущение эффекта × вероятность снижения): Qini AUC {auc} (0 — как случайный "
        "выбор, 1 — идеально)",
        "en": "the plan's ranking (assumed uplift × decline probability): Qini AUC {auc} (0: no better than random, "
        "1: perfect)",
    },
    "model_too_few": {
        "ru": "модель эффекта не строилась: {n_treatment} при воздействии и {n_control} в контроле, нужно "
        "{min_per_arm} в каждой группе",
        "en": "no uplift model: {n_treatment} treated and {n_control} control, {min_per_arm} needed in each arm",
    },
    "model": {
        "ru": "модель эффекта {decision}: Qini {qini_model} против {qini_rule} у правила, сохранённая прибыль "
        "{saved_model} против {saved_rule} на отложенной половине ({n_held_out})",
        "en": "uplift model {decision}: Qini {qini_model} against the rule's {qini_rule}, saved profit "
        "{saved_model} against {saved_rule} on the held-out half ({n_held_out})",
    },
    "beats_rule": {"ru": "используется", "en": "used"},
    "rule_not_beaten": {"ru": "не лучше правила", "en": "does not beat the rule"},
    "gain_not_clear": {
        "ru": "не используется, её выигрыш не отличить от случайности",
        "en": "not used, its gain cannot be told from chance",
    },
    "model_kept": {
        "ru": "модель эффекта, обученная на всех {n} клиентах кампании, сохранена как {id}: планы по {offers} "
        "будут считать по ней",
        "en": "the uplift model, refitted on all {n} of the campaign's customers, is kept as {id}: plans for "
        "{offers} will be scored by it",
    },
    "kept": {"ru": "оценка сохранена как {id} в {store}", "en": "evaluation kept as {id} in {store}"},
}


def evaluate(
    campaign: Annotated[str, typer.Argument(help="The campaign's id in the store (or its first 4+ characters).")],
    next_export: Annotated[Path, typer.Argument(help="The next export (the four tables) with its labels.")],
    store: StoreOption = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the evaluation as one JSON object.")] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write OUT/campaign_results.json (the report's section).")
    ] = None,
    lang: LangOption = "ru",
    config: ConfigOption = None,
    inactive: InactiveOption = None,
    bad_rows: BadRowsOption = None,
) -> None:
    """Read a campaign's outcome from the next export: the uplift of each offer, per segment and overall.

    The next export's label of each campaign customer is the outcome. Per offer and segment: the
    decline rate of the treated and of the control group, the uplift (the share of decline removed,
    the catalogue's unit) with its 95 % CI and p-value, the saved profit net of cost with its CI, and
    a verdict works / no evidence / harms by the rule printed with it. Customers absent from the next
    export are counted, not guessed. The evaluation is kept in the store.

    With uplift_model_min_per_arm matched customers in each arm, an uplift model learns from the
    features the campaign's run stored before the campaign (never the next export's) and is compared
    with the catalogue's rule on a held-out half; it is marked used only where it wins (seeded by seed).
    """
    from oneclick.campaigns import evaluate_campaign
    from oneclick.campaigns.uplift_kept import keep_if_used
    from oneclick.config import load_settings
    from oneclick.features import build_customer_table
    from oneclick.features.build import typed_customer_table
    from oneclick.layout import CAMPAIGN_RESULTS_FILE
    from oneclick.offers import catalogue_from_mapping
    from oneclick.pipeline import data_fingerprint, load_with
    from oneclick.store import (
        catalogue_version,
        ensure_current,
        load_campaign,
        planned_on_customers,
        reading,
        register_evaluation,
    )

    try:
        check_lang(lang)
        settings = load_settings(config, environ=os.environ, inactive_policy=inactive, bad_rows=bad_rows)
        if store.is_file():  # the evaluation is written to the store: an older schema is migrated first
            ensure_current(store)
        with reading(store) as connection:
            stored = load_campaign(connection, campaign)
            version = catalogue_version(connection, stored.record.catalogue_version)
            before = planned_on_customers(connection, stored.campaign_id)
        horizon = float(catalogue_from_mapping(version.catalogue, version.source).horizon_months)
        tables = load_with(settings, next_export)
        outcomes = build_customer_table(tables)
        features = typed_customer_table(before) if len(before) else None
        result = evaluate_campaign(
            stored.customers,
            outcomes,
            campaign_id=stored.campaign_id,
            horizon_months=horizon,
            features=features,
            uplift_model_min_per_arm=settings.uplift_model_min_per_arm,
            seed=settings.seed,
        )
        kept = keep_if_used(result, stored.customers, outcomes, features, seed=settings.seed)
        if kept is not None:
            result["uplift_model"] |= {"kept_model_id": kept.uplift_model_id, "kept_offers": list(kept.offers)}
        fingerprint = data_fingerprint(tables)
        result |= {"data_dir": str(next_export), "data_fingerprint": fingerprint}
        evaluation_id = register_evaluation(
            store,
            stored.campaign_id,
            result,
            data_dir=str(next_export),
            data_fingerprint=fingerprint,
            uplift_model=kept,
        )
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            incoming = out / f".{CAMPAIGN_RESULTS_FILE}.incoming"
            incoming.write_text(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False), encoding="utf-8")
            os.replace(incoming, out / CAMPAIGN_RESULTS_FILE)
    except OneClickError as err:
        fail(err)
    typer.echo(_WORDS["kept"][lang].format(id=evaluation_id, store=store), err=True)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        typer.echo(_summary(result, lang))


def _summary(result: dict, lang: str) -> str:
    from oneclick.report.sections.campaign_results_charts import verdict_word

    n = result["n"]
    lines = [_WORDS["head"][lang].format(campaign=result["campaign_id"], **n)]
    for row in result["offers"]:
        lines.append(
            _WORDS["row"][lang].format(
                offer=row["offer"],
                segment=row["segment"],
                rate_t=_share(row["decline_rate_treatment"]),
                rate_c=_share(row["decline_rate_control"]),
                uplift=_share(row["uplift"]),
                low=_share(row["uplift_ci_low"]),
                high=_share(row["uplift_ci_high"]),
                p="—" if row["p_value"] is None else f"{row['p_value']:.3g}",
                verdict=verdict_word(row["verdict"], lang) + (f" ({row['reason']})" if row.get("reason") else ""),
            )
        )
    overall = next((row for row in result["offers"] if row["offer"] == "all"), None)
    if overall is not None and overall.get("revenue_change_diff") is not None:
        lines.append(
            _WORDS["revenue"][lang].format(
                t=_amount(overall["revenue_change_treatment"]),
                c=_amount(overall["revenue_change_control"]),
                diff=_amount(overall["revenue_change_diff"]),
                low=_amount(overall["revenue_change_ci_low"]),
                high=_amount(overall["revenue_change_ci_high"]),
            )
        )
    if result.get("qini") and result["qini"].get("auc") is not None:
        lines.append(_WORDS["qini"][lang].format(auc=f"{result['qini']['auc']:.3f}"))
    lines.append(_WORDS["rule"][lang].format(rule=result["verdict_rule"]))
    model = result["uplift_model"]
    if model["reason"] == "too_few":
        lines.append(_WORDS["model_too_few"][lang].format(**model))
    else:
        saved = {key: _money(model[f"saved_profit_{key}"]) for key in ("model", "rule")}
        decision = _WORDS[model["reason"]][lang]
        lines.append(
            _WORDS["model"][lang].format(
                **(model | {key: _qini(model[key]) for key in ("qini_model", "qini_rule")}),
                decision=decision,
                saved_model=saved["model"],
                saved_rule=saved["rule"],
            )
        )
    if model.get("kept_model_id"):
        n = result["n"]["matched_treatment"] + result["n"]["matched_control"]
        offers = ", ".join(model["kept_offers"])
        lines.append(_WORDS["model_kept"][lang].format(n=n, id=model["kept_model_id"], offers=offers))
    return "\n".join(lines)


def _amount(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def _qini(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _money(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
