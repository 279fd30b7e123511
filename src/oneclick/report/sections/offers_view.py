"""Section 7, offers and campaign, in words, charts and tables: offers by segment, the profit curve,
the campaign at the chosen budget, the customers worth most and the catalogue's offers.

Shows what :func:`oneclick.analysis.offer_summary` summarised; every chart has its reading.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from oneclick.analysis import half_budget
from oneclick.offers.catalogue import NO_OFFER
from oneclick.offers.reasons import risk_drivers
from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t

OFFER_COLOURS = ("#00798c", "#edae49", "#d1495b", "#30638e", "#8e5572", "#66a182", "#f28f3b", "#2e4057")
CURVE_COLOUR = "#30638e"
BUDGET_COLOUR = "#d1495b"

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Каждому покупателю подобрано подходящее предложение с наибольшей ожидаемой сохранённой прибылью "
        "(вероятность снижения × прибыль × {horizon} мес. × эффект предложения − затраты), если она больше нуля. "
        "Всего предложений {n_offers} из {n} покупателей: ожидаемая сохранённая прибыль {saved} при затратах "
        "{cost}. Затраты и эффекты — допущения каталога; магазин может заменить их своими данными.",
        "en": "Each customer gets the eligible offer with the largest expected saved profit (decline probability "
        "× profit × {horizon} months × the offer's uplift − its cost), when it is above zero. {n_offers} of "
        "{n} customers get an offer: an expected saved profit of {saved} for a cost of {cost}. Costs and "
        "uplifts are the catalogue's assumptions; the store can replace them with its own figures.",
    },
    "mix_title": {"ru": "Предложения по сегментам", "en": "Offers by segment"},
    "axis_customers": {"ru": "Покупателей", "en": "Customers"},
    "axis_primary": {"ru": "Сегмент (первый подходящий)", "en": "Segment (the first that fits)"},
    "mix_reading": {
        "ru": "Чаще всего предлагается «{offer}» ({n} покупателей); без предложения остаются {none} покупателей, "
        "из них в группе высокого риска — {none_high}.",
        "en": "The most frequent offer is «{offer}» ({n} customers); {none} customers get no offer, {none_high} of "
        "them at high risk.",
    },
    "curve_title": {
        "ru": "Ожидаемая сохранённая прибыль в зависимости от бюджета",
        "en": "Expected saved profit against budget",
    },
    "axis_budget": {"ru": "Бюджет кампании, {unit}", "en": "Campaign budget, {unit}"},
    "axis_saved": {
        "ru": "Ожидаемая сохранённая прибыль за {horizon} мес., {unit}",
        "en": "Expected saved profit over {horizon} months, {unit}",
    },
    "chosen_budget": {"ru": "выбранный бюджет {budget}", "en": "chosen budget {budget}"},
    "curve_reading_budget": {
        "ru": "При бюджете {budget} кампания охватывает {n} покупателей и сохраняет ожидаемо {saved}; все окупающиеся "
        "предложения стоили бы {full_cost} и сохранили бы {full_saved}; половина этого достигается уже при бюджете "
        "{half}.",
        "en": "With a budget of {budget} the campaign reaches {n} customers and is expected to save {saved}; every "
        "offer worth its cost would cost {full_cost} and save {full_saved}; half of that comes already at a "
        "budget of {half}.",
    },
    "curve_reading_free": {
        "ru": "Без ограничения бюджета все окупающиеся предложения стоят {full_cost} и сохраняют ожидаемо "
        "{full_saved} ({n} покупателей); половина этого достигается уже при бюджете {half}.",
        "en": "Without a budget limit every offer worth its cost costs {full_cost} and is expected to save "
        "{full_saved} ({n} customers); half of that comes already at a budget of {half}.",
    },
    "campaign": {
        "ru": "Кампания при бюджете {budget}: {n} покупателей, затраты {spent}, ожидаемая сохранённая прибыль {saved} "
        "({status}; {method}).",
        "en": "The campaign at a budget of {budget}: {n} customers, spending {spent}, expected saved profit {saved} "
        "({status}; {method}).",
    },
    "curve_greedy": {
        "ru": "метод: LP-жадный — шаги предложений каждого клиента по убыванию отдачи, до бюджета (не MILP)",
        "en": "method: LP greedy — each customer's offer steps, best return first, up to the budget (not a MILP)",
    },
    "top_by_name": {"ru": "{feature} {contribution}", "en": "{feature} {contribution}"},
    "no_budget": {"ru": "без ограничения", "en": "no limit"},
    "optimal": {"ru": "оптимальный план", "en": "an optimal plan"},
    "near_optimal": {"ru": "до оптимума не больше {gap}", "en": "within {gap} of the optimum"},
    "top_title": {
        "ru": "{n} покупателей с наибольшей ожидаемой сохранённой прибылью",
        "en": "The {n} customers with the largest expected saved profit",
    },
    "col_rank": {"ru": "№", "en": "#"},
    "col_id": {"ru": "Покупатель", "en": "Customer"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_risk": {"ru": "Риск", "en": "Risk"},
    "col_profit": {"ru": "Прибыль, {unit}", "en": "Profit, {unit}"},
    "col_offer": {"ru": "Предложение", "en": "Offer"},
    "col_saved": {"ru": "Сохранённая прибыль, {unit}", "en": "Saved profit, {unit}"},
    "col_reason": {"ru": "Почему: что повышает риск", "en": "Why: what raises the risk"},
    "top_note": {
        "ru": "Сохранённая прибыль — ожидаемая за {horizon} мес. за вычетом затрат на предложение; причины — "
        "признаки с наибольшим вкладом в риск (столбец risk_drivers файла offers.csv).",
        "en": "Saved profit: expected over {horizon} months, after the cost of the offer; the reasons are the "
        "features raising the risk most (column risk_drivers of offers.csv).",
    },
    "top_note_by_name": {
        "ru": "Сохранённая прибыль — ожидаемая за {horizon} мес. за вычетом затрат на предложение; причины — "
        "признаки с наибольшим вкладом в риск и их вклад в логарифм шансов (столбцы driver_k_* в scores/).",
        "en": "Saved profit: expected over {horizon} months, after the cost of the offer; the reasons are the "
        "features raising the risk most, with their contribution to the log-odds (columns driver_k_* of scores/).",
    },
    "offers_title": {"ru": "Предложения каталога", "en": "Offers of the catalogue"},
    "col_n": {"ru": "Покупателей", "en": "Customers"},
    "col_cost": {"ru": "Затраты, {unit}", "en": "Cost, {unit}"},
    "col_uplift": {"ru": "Эффект (допущение)", "en": "Uplift (assumed)"},
    "col_campaign": {"ru": "В кампании", "en": "In the campaign"},
    "offers_note": {
        "ru": "Эффект — доля вероятности снижения, которую предложение убирает (в части сегментов каталог задаёт "
        "другой эффект); это допущение, его стоит проверить A/B-тестом.",
        "en": "Uplift: the share of the decline probability the offer removes (the catalogue sets another for some "
        "segments); an assumption worth checking with an A/B test.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, offers by segment, the profit curve, the campaign line and the two tables."""
    horizon = i18n.number(data["horizon_months"], lang, 0)
    return {
        "lead": t(
            "lead",
            lang,
            _T,
            horizon=horizon,
            n_offers=i18n.integer(data["n_with_offer"], lang),
            n=i18n.integer(data["n_customers"], lang),
            saved=i18n.money(data["expected_saved_profit"], lang),
            cost=i18n.money(data["offer_cost"], lang),
        ),
        "mix": _mix_chart(data, lang),
        "curve": _curve_chart(data, lang),
        "campaign": _campaign_line(data, lang),
        "top": _top_table(data, lang),
        "offers": _offers_table(data, lang),
    }


def _offer_title(data: dict[str, Any], offer: str, lang: Lang) -> str:
    return names.title(data["titles"]["offers"], offer, lang)


def _segment_title(data: dict[str, Any], segment: str, lang: Lang) -> str:
    return names.title(data["titles"]["segments"], segment, lang)


def _mix_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    by_segment = data["by_segment"]
    segments = [s for s in data["segment_order"] if s in by_segment] + [
        s for s in by_segment if s not in data["segment_order"]
    ]
    offers = [row["offer"] for row in data["offers"] if row["n_customers"]]
    colours = {
        offer: OFFER_COLOURS[k % len(OFFER_COLOURS)] for k, offer in enumerate(o for o in offers if o != NO_OFFER)
    }
    colours[NO_OFFER] = "#d0d0d0"
    title = t("mix_title", lang, _T)
    shown = segments[::-1]
    with charts.chart(10.0, 1.9 + 0.36 * len(shown)) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        left = np.zeros(len(shown))
        for offer in offers:
            counts = np.array([by_segment[s].get(offer, 0) for s in shown], dtype=float)
            ax.barh(range(len(shown)), counts, left=left, color=colours[offer], height=0.65)
            left += counts
        ax.set_xlim(0, max(left.max(), 1) * 1.04)
        ax.set_yticks(range(len(shown)), [_segment_title(data, s, lang) for s in shown])
        ax.set_xlabel(t("axis_customers", lang, _T))
        ax.set_ylabel(t("axis_primary", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 0))
        handles = [Patch(color=colours[o], label=charts.wrap(_offer_title(data, o, lang), 34)) for o in offers]
        figure.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=7.5)
        uri = charts.svg_uri(figure)
    with_offer = [row for row in data["offers"] if row["offer"] != NO_OFFER]
    most = max(with_offer, key=lambda row: row["n_customers"]) if with_offer else None
    none = next((row["n_customers"] for row in data["offers"] if row["offer"] == NO_OFFER), 0)
    reading = t(
        "mix_reading",
        lang,
        _T,
        offer=_offer_title(data, most["offer"], lang) if most else "—",
        n=i18n.integer(most["n_customers"] if most else 0, lang),
        none=i18n.integer(none, lang),
        none_high=i18n.integer(data["n_high_risk_without_offer"], lang),
    )
    return charts.Chart(uri, title, reading)


def _curve_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    curve, campaign = data["curve"], data["campaign"]
    horizon = i18n.number(data["horizon_months"], lang, 0)
    title = t("curve_title", lang, _T)
    unit = i18n.money_unit(lang)
    budget = campaign["budget"]
    method = t("curve_greedy", lang, _T) if "curve_method" in data else None
    with charts.chart(10.0, 4.0) as figure:
        charts.suptitle(figure, title, method)
        ax = figure.subplots()
        ax.plot(
            curve["budget"], curve["expected_saved_profit"], "o-", color=CURVE_COLOUR, markersize=3.5, linewidth=1.6
        )
        if budget is not None:
            ax.axvline(
                budget,
                color=BUDGET_COLOUR,
                linestyle="--",
                linewidth=1.1,
                label=t("chosen_budget", lang, _T, budget=i18n.money(budget, lang)),
            )
            ax.plot([campaign["spent"]], [campaign["expected_saved_profit"]], "o", color=BUDGET_COLOUR, markersize=6)
            ax.legend(loc="lower right", frameon=False)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(t("axis_budget", lang, _T, unit=unit))
        ax.set_ylabel(charts.wrap(t("axis_saved", lang, _T, horizon=horizon, unit=unit), 34))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 0))
        ax.yaxis.set_major_formatter(charts.number_formatter(lang, 0))
        uri = charts.svg_uri(figure)
    values = {
        "full_cost": i18n.money(curve["spent"][-1] if curve["spent"] else 0.0, lang),
        "full_saved": i18n.money(curve["expected_saved_profit"][-1] if curve["expected_saved_profit"] else 0.0, lang),
        "half": i18n.money(half_budget(curve), lang),
    }
    if budget is None:
        reading = t("curve_reading_free", lang, _T, n=i18n.integer(campaign["n_customers"], lang), **values)
    else:
        reading = t(
            "curve_reading_budget",
            lang,
            _T,
            budget=i18n.money(budget, lang),
            n=i18n.integer(campaign["n_customers"], lang),
            saved=i18n.money(campaign["expected_saved_profit"], lang),
            **values,
        )
    return charts.Chart(uri, title, reading)


def _campaign_line(data: dict[str, Any], lang: Lang) -> str:
    campaign = data["campaign"]
    gap = (campaign["upper_bound"] or 0.0) - (campaign["expected_saved_profit"] or 0.0)
    status = (
        t("optimal", lang, _T)
        if str(campaign["status"]).startswith("optimal") or gap < 1e-6
        else t("near_optimal", lang, _T, gap=i18n.money(gap, lang, 3))
    )
    return t(
        "campaign",
        lang,
        _T,
        budget=t("no_budget", lang, _T) if campaign["budget"] is None else i18n.money(campaign["budget"], lang),
        n=i18n.integer(campaign["n_customers"], lang),
        spent=i18n.money(campaign["spent"], lang),
        saved=i18n.money(campaign["expected_saved_profit"], lang),
        status=status,
        method=campaign["method"],
    )


def _drivers(data: dict[str, Any], row: dict[str, Any], lang: Lang) -> str:
    """What raises the customer's risk, as offers.csv says it; told again in ``lang`` when that differs.

    A batch run without texts has the top drivers by name and contribution (log-odds).
    """
    text = row["risk_drivers"]
    if text is None and row.get("drivers") is not None:
        named = [
            t(
                "top_by_name",
                lang,
                _T,
                feature=i18n.feature(d["feature"], lang),
                contribution=_plus(d["contribution"], lang),
            )
            for d in row["drivers"]
        ]
        return "; ".join(named) or "—"
    if lang != data["lang"] and row["features"] is not None:
        customer = row["features"]
        table = pd.DataFrame([customer["values"]], index=[row["customer_id"]])
        contributions = pd.DataFrame([customer["contributions"]], index=[row["customer_id"]])
        text = str(risk_drivers(table, contributions, lang=lang).iloc[0])
    return text[:1].upper() + text[1:]


def _top_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = [
        [
            str(rank),
            str(row["customer_id"]),
            _segment_title(data, row["primary_segment"], lang),
            i18n.percent(row["decline_probability"], lang, 0),
            i18n.number(row["profit"], lang, 2),
            _offer_title(data, row["offer"], lang),
            i18n.number(row["offer_cost"], lang, 2),
            i18n.number(row["expected_saved_profit"], lang, 2),
            _drivers(data, row, lang),
        ]
        for rank, row in enumerate(data["top"], start=1)
    ]
    unit = i18n.money_unit(lang)
    header = [
        t("col_rank", lang, _T),
        t("col_id", lang, _T),
        t("col_segment", lang, _T),
        t("col_risk", lang, _T),
        t("col_profit", lang, _T, unit=i18n.money_unit(lang, per_month=True)),
        t("col_offer", lang, _T),
        t("col_cost", lang, _T, unit=unit),
        t("col_saved", lang, _T, unit=unit),
        t("col_reason", lang, _T),
    ]
    horizon = i18n.number(data["horizon_months"], lang, 0)
    by_name = any(row["risk_drivers"] is None and row.get("drivers") is not None for row in data["top"])
    return {
        "title": t("top_title", lang, _T, n=len(rows)),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("top_note_by_name" if by_name else "top_note", lang, _T, horizon=horizon),
    }


def _offers_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = [
        [
            _offer_title(data, row["offer"], lang),
            i18n.integer(row["n_customers"], lang),
            i18n.number(row["cost"], lang, 1),
            i18n.number(row["expected_saved_profit"], lang, 1),
            "—" if row["uplift"] is None else i18n.percent(row["uplift"], lang, 0),
            i18n.integer(row["n_in_campaign"], lang),
        ]
        for row in data["offers"]
    ]
    unit = i18n.money_unit(lang)
    header = [
        t("col_offer", lang, _T),
        t("col_n", lang, _T),
        t("col_cost", lang, _T, unit=unit),
        t("col_saved", lang, _T, unit=unit),
        t("col_uplift", lang, _T),
        t("col_campaign", lang, _T),
    ]
    return {
        "title": t("offers_title", lang, _T),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("offers_note", lang, _T),
    }


def _plus(value: float, lang: Lang) -> str:
    return ("+" if round(value, 2) > 0 else "") + i18n.number(value, lang, 2)
