"""Findings of sections 4-7 for the conclusions: which segment to work with first and why, what the
campaign brings, and how far the model can be trusted.

Rules and writers as in :mod:`oneclick.report.sections.conclusions`: a rule reads the summary and
returns findings of numbers and names; a writer turns one into a sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.section import Summary
from oneclick.report.sections.model import comparison, gap_to_published
from oneclick.report.sections.model_view import published_text
from oneclick.report.sections.offers import half_budget

Finding = dict[str, Any]

_T: dict[str, dict[str, str]] = {
    "segment_first": {
        "ru": "Начинать стоит с сегмента «{segment}»: {n} покупателей ({share}) несут {at_risk} прибыли под угрозой — "
        "{at_risk_share} всей, больше любого другого сегмента магазина{next}.",
        "en": "Start with the segment «{segment}»: its {n} customers ({share}) carry {at_risk} of profit at risk, "
        "{at_risk_share} of all, more than any other of the store's segments{next}.",
    },
    "segment_next": {"ru": " (следующий — «{segment}», {at_risk})", "en": " (next: «{segment}», {at_risk})"},
    "segment_why": {
        "ru": " Риск в нём повышают прежде всего {drivers}.",
        "en": " Its risk is raised above all by {drivers}.",
    },
    "segment_offer": {
        "ru": " Чаще всего ему подходит «{offer}» ({offer_share} покупателей сегмента); все предложения сегмента "
        "ожидаемо сохранят {saved} при затратах {cost}.",
        "en": " The offer that fits most of it is «{offer}» ({offer_share} of the segment); all its offers are "
        "expected to save {saved} for a cost of {cost}.",
    },
    "best_return_other": {
        "ru": "Отдача на затраты выше всего у сегмента «{segment}»: {ratio} ₽ сохранённой прибыли на 1 ₽ "
        "затрат ({saved} при {cost}) — его разумно взять вторым.",
        "en": "The return on cost is highest in «{segment}»: {ratio} RUB of saved profit per rouble spent "
        "({saved} for {cost}); it is the natural second step.",
    },
    "best_return_same": {
        "ru": "У этого же сегмента и лучшая отдача на затраты: {ratio} ₽ сохранённой прибыли на 1 ₽ затрат.",
        "en": "The same segment also returns the most per rouble spent: {ratio} RUB of saved profit.",
    },
    "campaign_budget": {
        "ru": "Кампания с бюджетом {budget} охватывает {n} покупателей и ожидаемо сохраняет {saved} за {horizon} мес.; "
        "без ограничения все окупающиеся предложения стоили бы {full_cost} и сохранили бы {full_saved}, но половина "
        "этого достигается уже при бюджете {half}.",
        "en": "A campaign with a budget of {budget} reaches {n} customers and is expected to save {saved} over "
        "{horizon} months; without a limit every offer worth its cost would cost {full_cost} and save "
        "{full_saved}, but half of that comes already at a budget of {half}.",
    },
    "campaign_free": {
        "ru": "Все окупающиеся предложения ({n} покупателей) стоят {full_cost} и ожидаемо сохраняют {full_saved} за "
        "{horizon} мес.; половина этого достигается уже при бюджете {half} — с него и стоит начать.",
        "en": "Every offer worth its cost ({n} customers) costs {full_cost} and is expected to save {full_saved} "
        "over {horizon} months; half of that comes already at a budget of {half}, a sensible start.",
    },
    "model_within": {
        "ru": "Прогнозу можно доверять: ROC-AUC на отложенной выборке {auc} — в пределах опубликованных аналитиками "
        "{low}–{high}; при пороге {threshold} модель находит {recall} покупателей, снизивших активность.",
        "en": "The predictions can be trusted: holdout ROC-AUC {auc}, within the {low}–{high} the analysts "
        "published; at the threshold {threshold} the model finds {recall} of the customers whose activity declined.",
    },
    "model_above": {
        "ru": "Прогнозу можно доверять: ROC-AUC на отложенной выборке {auc} — выше опубликованных аналитиками "
        "{low}–{high}; при пороге {threshold} модель находит {recall} покупателей, снизивших активность.",
        "en": "The predictions can be trusted: holdout ROC-AUC {auc}, above the {low}–{high} the analysts "
        "published; at the threshold {threshold} the model finds {recall} of the customers whose activity declined.",
    },
    "model_below": {
        "ru": "Осторожно с прогнозом: ROC-AUC на отложенной выборке {auc} — ниже опубликованных аналитиками "
        "{low}–{high} (на {gap}); при пороге {threshold} модель находит {recall} покупателей, снизивших активность.",
        "en": "Use the predictions with care: holdout ROC-AUC {auc} is below the {low}–{high} the analysts "
        "published (by {gap}); at the threshold {threshold} the model finds {recall} of the customers whose "
        "activity declined.",
    },
    "model_group": {
        "ru": "Модель опирается прежде всего на группу «{group}» ({share} суммарного вклада групп); сильнее всего "
        "прогноз двигает «{feature}».",
        "en": "The model relies above all on the group «{group}» ({share} of the groups' total contribution); "
        "«{feature}» moves the predictions most.",
    },
}


def _named(summary: Summary) -> list[dict[str, Any]]:
    segments = summary.get("segments") or {}
    return [row for row in segments.get("segments", []) if row["kind"] == "named" and row["n_customers"]]


def segment_first(summary: Summary) -> list[Finding]:
    """The named segment with the most profit at risk: size, share, drivers and its most frequent offer."""
    if summary.get("segments") is None:
        return [{"key": "segments_missing", "values": {}}]
    ranked = sorted(_named(summary), key=lambda row: -(row["profit_at_risk"] or 0.0))
    if not ranked:
        return []
    titles = summary["segments"]["titles"]
    first = ranked[0]
    values = {
        key: first[key]
        for key in (
            "segment",
            "n_customers",
            "share_of_customers",
            "profit_at_risk",
            "share_of_profit_at_risk",
            "top_offer",
            "top_offer_share",
            "expected_saved_profit",
            "offer_cost",
        )
    }
    values |= {
        "drivers": [driver["feature"] for driver in first["drivers"]],
        "segment_title": titles["segments"].get(first["segment"], {}),
        "offer_title": titles["offers"].get(first["top_offer"] or "", {}),
        "next": None
        if len(ranked) < 2
        else {
            "segment_title": titles["segments"].get(ranked[1]["segment"], {}),
            "segment": ranked[1]["segment"],
            "profit_at_risk": ranked[1]["profit_at_risk"],
        },
    }
    return [{"key": "segment_first", "values": values}]


def best_return(summary: Summary) -> list[Finding]:
    """The named segment whose offers save the most per unit of their cost."""
    ranked = sorted(_named(summary), key=lambda row: -(row["profit_at_risk"] or 0.0))
    paying = [row for row in ranked if row["offer_cost"] > 0]
    if not paying:
        return []
    best = max(paying, key=lambda row: (row["expected_saved_profit"] or 0.0) / row["offer_cost"])
    return [
        {
            "key": "best_return",
            "values": {
                "segment": best["segment"],
                "segment_title": summary["segments"]["titles"]["segments"].get(best["segment"], {}),
                "same": best["segment"] == ranked[0]["segment"],
                "expected_saved_profit": best["expected_saved_profit"],
                "offer_cost": best["offer_cost"],
            },
        }
    ]


def campaign(summary: Summary) -> list[Finding]:
    """The campaign at the chosen budget against the unlimited one."""
    offers = summary.get("offers")
    if not offers or not offers["curve"]["budget"]:
        return []
    curve = offers["curve"]
    values = {
        "budget": offers["campaign"]["budget"],
        "n_customers": offers["campaign"]["n_customers"],
        "expected_saved_profit": offers["campaign"]["expected_saved_profit"],
        "full_cost": curve["spent"][-1],
        "full_saved": curve["expected_saved_profit"][-1],
        "half_budget": half_budget(curve),
        "horizon_months": offers["horizon_months"],
    }
    return [{"key": "campaign", "values": values}]


def model_quality(summary: Summary) -> list[Finding]:
    """The holdout ROC-AUC against the published range, and the recall at the threshold."""
    model = summary.get("model")
    if not model:
        return []
    holdout = model["holdout"]
    values = {
        "roc_auc": holdout["roc_auc"],
        "recall": holdout["recall"],
        "threshold": holdout["threshold"],
        "published": model["published_roc_auc"],
    }
    return [{"key": "model_quality", "values": values}]


def model_group(summary: Summary) -> list[Finding]:
    """The feature group and the feature the model's predictions rest on most."""
    explanation = summary.get("explanation")
    if not explanation or not explanation["groups"]:
        return []
    group, value = next(iter(explanation["groups"].items()))
    total = sum(explanation["groups"].values()) or 1.0
    feature = next(iter(explanation["mean_abs_contribution"]))
    return [{"key": "model_group", "values": {"group": group, "share": value / total, "feature": feature}}]


def _title(titles: dict[str, str], name: str | None, lang: Lang) -> str:
    return titles.get(lang) or name or "—"


def _write_segment_first(values: dict[str, Any], lang: Lang) -> str:
    following = values["next"]
    text = t(
        "segment_first",
        lang,
        _T,
        segment=_title(values["segment_title"], values["segment"], lang),
        n=i18n.integer(values["n_customers"], lang),
        share=i18n.percent(values["share_of_customers"], lang, 0),
        at_risk=i18n.money(values["profit_at_risk"], lang, 1, per_month=True),
        at_risk_share=i18n.percent(values["share_of_profit_at_risk"], lang, 0),
        next=""
        if following is None
        else t(
            "segment_next",
            lang,
            _T,
            segment=_title(following["segment_title"], following["segment"], lang),
            at_risk=i18n.money(following["profit_at_risk"], lang, 1, per_month=True),
        ),
    )
    if values["drivers"]:
        drivers = ", ".join(f"«{i18n.feature(name, lang)}»" for name in values["drivers"])
        text += t("segment_why", lang, _T, drivers=drivers)
    if values["top_offer"]:
        text += t(
            "segment_offer",
            lang,
            _T,
            offer=_title(values["offer_title"], values["top_offer"], lang),
            offer_share=i18n.percent(values["top_offer_share"], lang, 0),
            saved=i18n.money(values["expected_saved_profit"], lang),
            cost=i18n.money(values["offer_cost"], lang),
        )
    return text


def _write_best_return(values: dict[str, Any], lang: Lang) -> str:
    saved, cost = values["expected_saved_profit"], values["offer_cost"]
    key = "best_return_same" if values["same"] else "best_return_other"
    return t(
        key,
        lang,
        _T,
        segment=_title(values["segment_title"], values["segment"], lang),
        ratio=i18n.number(saved / cost, lang, 1),
        saved=i18n.money(saved, lang),
        cost=i18n.money(cost, lang),
    )


def _write_campaign(values: dict[str, Any], lang: Lang) -> str:
    common = {
        "n": i18n.integer(values["n_customers"], lang),
        "full_cost": i18n.money(values["full_cost"], lang),
        "full_saved": i18n.money(values["full_saved"], lang),
        "half": i18n.money(values["half_budget"], lang),
        "horizon": i18n.number(values["horizon_months"], lang, 0),
    }
    if values["budget"] is None:
        return t("campaign_free", lang, _T, **common)
    return t(
        "campaign_budget",
        lang,
        _T,
        budget=i18n.money(values["budget"], lang),
        saved=i18n.money(values["expected_saved_profit"], lang),
        **common,
    )


def _write_model_quality(values: dict[str, Any], lang: Lang) -> str:
    published = values["published"]
    return t(
        f"model_{comparison(values['roc_auc'], published)}",
        lang,
        _T,
        auc=i18n.number(values["roc_auc"], lang, 3),
        low=published_text(published["low"], lang),
        high=published_text(published["high"], lang),
        gap=i18n.number(gap_to_published(values["roc_auc"], published), lang, 3),
        threshold=i18n.number(values["threshold"], lang, 3),
        recall=i18n.percent(values["recall"], lang, 0),
    )


def _write_model_group(values: dict[str, Any], lang: Lang) -> str:
    return t(
        "model_group",
        lang,
        _T,
        group=i18n.group(values["group"], lang),
        share=i18n.percent(values["share"], lang, 0),
        feature=i18n.feature(values["feature"], lang),
    )


# In the order they are read: what to do first, what it brings, how sure the model is.
RULES: list[Callable[[Summary], list[Finding]]] = [segment_first, best_return, campaign, model_quality, model_group]

WRITERS: dict[str, Callable[[dict[str, Any], Lang], str]] = {
    "segment_first": _write_segment_first,
    "best_return": _write_best_return,
    "campaign": _write_campaign,
    "model_quality": _write_model_quality,
    "model_group": _write_model_group,
}
