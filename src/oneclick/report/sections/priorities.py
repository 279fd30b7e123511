"""Sentences of the conclusions from sections 4-7: which segment to work with first and why, what the
campaign brings, and how far the model can be trusted.

The findings come from :func:`oneclick.analysis.findings`; :func:`titled` adds the titles of the segments
and offers they name, and a writer turns one into a sentence (as in
:mod:`oneclick.report.sections.conclusions`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oneclick.analysis import gap_to_published, published_comparison
from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.names import Titles
from oneclick.report.sections.model_view import published_text

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


def titled(finding: Finding, titles: dict[str, Titles]) -> Finding:
    """A finding of :func:`oneclick.analysis.findings` with the titles (both languages) of the segments and
    offer it names; ``titles`` as :func:`oneclick.report.names.config_titles` gives them."""
    values = finding["values"]
    segments, offers = titles.get("segments", {}), titles.get("offers", {})
    if finding["key"] in ("segment_first", "best_return"):
        values = values | {"segment_title": segments.get(values["segment"], {})}
    if finding["key"] == "segment_first":
        values["offer_title"] = offers.get(values["top_offer"] or "", {})
        if values["next"] is not None:
            values["next"] = {"segment_title": segments.get(values["next"]["segment"], {})} | values["next"]
    return finding | {"values": values}


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
        f"model_{published_comparison(values['roc_auc'], published)}",
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


WRITERS: dict[str, Callable[[dict[str, Any], Lang], str]] = {
    "segment_first": _write_segment_first,
    "best_return": _write_best_return,
    "campaign": _write_campaign,
    "model_quality": _write_model_quality,
    "model_group": _write_model_group,
}
