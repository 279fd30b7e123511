"""``oneclick campaign plan``: the campaign for a stored run, with control groups and CRM exports."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from oneclick.cli_campaign_evaluate import evaluate
from oneclick.cli_options import DEFAULT_STORE, ConfigOption, LangOption, StoreOption, fail
from oneclick.errors import ConfigError, OneClickError

campaign_app = typer.Typer(
    help="Campaigns: plan one for a run (rules, budget, control groups, CRM files), then read its outcome from "
    "the next export (evaluate).",
    no_args_is_help=True,
)

# The command's sentences, passed to report.i18n.t as its table (words at the edge, ru/en).
WORDS: dict[str, dict[str, str]] = {
    "no_action": {"ru": "без действий", "en": "no action"},
    "planned": {
        "ru": "Кампания {campaign_id}: {n_treatment} клиентов получат предложение, {n_control} — контрольная "
        "группа; потрачено {spent} из {budget}, ожидаемая сохранённая прибыль {saved} "
        "(каталог, версия {version}).",
        "en": "Campaign {campaign_id}: {n_treatment} customers get an offer, {n_control} are the control group; "
        "spent {spent} of {budget}, expected saved profit {saved} (catalogue version {version}).",
    },
    "excluded": {"ru": "Исключены правилами: {counts}.", "en": "Removed by the contact rules: {counts}."},
    "stratum": {
        "ru": "  {stratum}: {n_treatment} + {n_control} контроль, мин. заметный эффект {mde}{warning}",
        "en": "  {stratum}: {n_treatment} + {n_control} control, minimum detectable uplift {mde}{warning}",
    },
    "warning": {"ru": " (предупреждение: {code})", "en": " (warning: {code})"},
    # the plan's warning codes (campaigns.control), said with the figures they rest on; --json keeps the codes
    "fewer_than_min_per_arm": {
        "ru": "; меньше {min_per_arm} в группе: эффект здесь не узнать",
        "en": "; fewer than {min_per_arm} per arm: nothing can be learnt",
    },
    "minimum_detectable_uplift_too_large": {
        "ru": "; наименьший эффект, который эта страта может обнаружить, {mde}, больше допущения {assumed} "
        "более чем в {ratio} раза",
        "en": "; the smallest uplift this stratum can detect, {mde}, is over {ratio} × the assumed {assumed}",
    },
    "files": {"ru": "Файлы для CRM: {paths}", "en": "CRM files: {paths}"},
    "by_uplift_model": {
        "ru": "  {offer_id}: ожидаемая сохранённая прибыль по модели эффекта {model_id} из кампании {campaign_id} "
        "(предсказанный эффект × прибыль × горизонт − стоимость)",
        "en": "  {offer_id}: expected saved profit by the uplift model {model_id} from campaign {campaign_id} "
        "(predicted uplift × profit × horizon − cost)",
    },
    "scored_head": {
        "ru": "Предложения, оценённые моделью эффекта (она обошла правило каталога на отложенных клиентах):",
        "en": "Offers valued by an uplift model (it beat the catalogue's rule on held-out customers):",
    },
    "catalogue_only": {
        "ru": "Все предложения оценены по правилу каталога (допущение эффекта × вероятность снижения).",
        "en": "Every offer valued by the catalogue's rule (assumed uplift × decline probability).",
    },
}


@campaign_app.command()
def plan(
    run: Annotated[str, typer.Argument(help="A run id (or an unambiguous prefix) in the store, or `latest`.")],
    budget: Annotated[float, typer.Option("--budget", help="The most the treated customers' offers may cost.")],
    control_share: Annotated[
        float | None, typer.Option("--control-share", help="Control group's share of each stratum, in (0, 1).")
    ] = None,
    power: Annotated[
        float | None, typer.Option("--power", help="Size each control group to reach this power (default 0.8).")
    ] = None,
    alpha: Annotated[float | None, typer.Option("--alpha", help="Significance level of the power calculation.")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the control draw: same seed, same group.")] = 0,
    starts_on: Annotated[
        str | None, typer.Option("--starts-on", help="The campaign's first day, YYYY-MM-DD (default: today).")
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    out: Annotated[Path, typer.Option("--out", help="Folder for treated.csv, control.csv and exclusions.csv.")] = Path(
        "out/campaign"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as one JSON object.")] = False,
    no_uplift_model: Annotated[
        bool,
        typer.Option("--no-uplift-model", help="Value every offer by the catalogue, even where a kept model wins."),
    ] = False,
    lang: LangOption = "ru",
    config: ConfigOption = None,
) -> None:
    """Plan a campaign for RUN within BUDGET: contact rules, the exact budgeted plan, control groups.

    Rules (consent for message offers, the monthly contact cap, one offer per customer, the
    cool-down after an earlier campaign) remove pairs before the optimisation; every removal is
    listed in exclusions.csv. In each stratum (segment x offer) a control group is drawn with the
    seed, sized by --control-share or by --power/--alpha (statsmodels). The plan is kept in the store.

    An offer covered by an uplift model that `campaign evaluate` kept (it beat the catalogue's rule)
    is valued by it: predicted uplift x profit x horizon - cost; --no-uplift-model turns that off.
    """
    from oneclick.campaigns import ContactRules, make_plan, write_exports
    from oneclick.config import load_settings
    from oneclick.report.i18n import check_lang, t

    try:
        language = check_lang(lang)
        settings = load_settings(config, environ=os.environ)
        control = _control(settings, control_share, power, alpha)
        if budget < 0:
            raise ConfigError(f"--budget {budget:g}: expected 0 or more (profit units; 0 = no limit)")
        result = make_plan(
            store,
            run,
            budget=budget,
            control=control,
            rules=ContactRules(settings.campaign_contact_cap, settings.campaign_cooldown_months),
            seed=seed,
            starts_on=_day(starts_on),
            use_uplift_model=not no_uplift_model,
        )
        paths = write_exports(
            out,
            result.customers,
            result.exclusions,
            result.catalogue,
            lang=language,
            no_action=t("no_action", language, WORDS),
        )
    except OneClickError as err:
        fail(err)
    if as_json:
        typer.echo(json.dumps({**result.as_json, "files": {k: str(v) for k, v in paths.items()}}, ensure_ascii=False))
        return
    typer.echo(_summary(result.as_json, paths, language, t))


def _control(settings: Any, share: float | None, power: float | None, alpha: float | None) -> Any:
    from oneclick.campaigns import ControlSettings

    if share is not None and (power is not None or alpha is not None):
        raise ConfigError("--control-share and --power/--alpha: give one way to size the control groups, not both")
    if share is not None and not 0 < share < 1:
        raise ConfigError(f"--control-share {share:g}: expected a share strictly between 0 and 1")
    power = settings.campaign_power if power is None else power
    alpha = settings.campaign_alpha if alpha is None else alpha
    if not 0 < power < 1:
        raise ConfigError(f"--power {power:g}: expected a probability strictly between 0 and 1")
    if not 0 < alpha < 1:
        raise ConfigError(f"--alpha {alpha:g}: expected a probability strictly between 0 and 1")
    return ControlSettings(
        share=share,
        power=power,
        alpha=alpha,
        max_share=settings.campaign_max_control_share,
        min_per_arm=settings.campaign_min_per_arm,
        mde_warning_ratio=settings.campaign_mde_warning_ratio,
    )


def _day(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--starts-on {text!r}: expected a date as YYYY-MM-DD") from None


def _summary(plan: dict[str, Any], paths: dict[str, Path], lang: Any, t: Any) -> str:
    from oneclick.language import number

    lines = [
        t(
            "planned",
            lang,
            WORDS,
            campaign_id=plan["campaign_id"],
            n_treatment=plan["n_treatment"],
            n_control=plan["n_control"],
            spent=number(plan["spent"], lang, 2),
            budget=number(plan["budget"], lang, 2),
            saved=number(plan["expected_saved_profit"], lang, 2),
            version=plan["catalogue_version"],
        ),
        t("excluded", lang, WORDS, counts=", ".join(f"{k} {v}" for k, v in plan["exclusions"].items())),
    ]
    for row in plan["strata"]:
        mde = row["minimum_detectable_uplift"]
        warning = _warning(row, plan["control"], lang, t)
        lines.append(
            t(
                "stratum",
                lang,
                WORDS,
                stratum=row["stratum"],
                n_treatment=row["n_treatment"],
                n_control=row["n_control"],
                mde="—" if mde is None else number(mde, lang, 3),
                warning=warning,
            )
        )
    scored = plan.get("scored_by_uplift_model") or []
    lines.append(t("scored_head" if scored else "catalogue_only", lang, WORDS))
    lines.extend(t("by_uplift_model", lang, WORDS, **row) for row in scored)
    lines.append(t("files", lang, WORDS, paths=", ".join(str(p) for p in paths.values())))
    return "\n".join(lines)


def _warning(row: dict[str, Any], control: dict[str, Any], lang: Any, t: Any) -> str:
    """A stratum's warning in words with its figures; a code this version does not know, as the code."""
    from oneclick.campaigns.control import MDE_TOO_LARGE, TOO_FEW_PER_ARM
    from oneclick.language import number

    code = row["warning"]
    if not code:
        return ""
    if code not in (TOO_FEW_PER_ARM, MDE_TOO_LARGE):
        return t("warning", lang, WORDS, code=code)
    ratio = float(control["mde_warning_ratio"])
    return t(
        code,
        lang,
        WORDS,
        min_per_arm=control["min_per_arm"],
        mde="—" if row["minimum_detectable_uplift"] is None else number(row["minimum_detectable_uplift"], lang, 2),
        assumed=number(row["assumed_uplift"], lang, 2),
        ratio=number(ratio, lang, 1, trim=True),
    )


campaign_app.command()(evaluate)
