"""Section 6, segments, in words, charts and a table: the risk x profit map, profit at risk by
segment, and how each named segment differs from the other customers.

Shows what :func:`oneclick.analysis.segment_summary` summarised; every chart has its reading.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from oneclick.analysis import by_profit_at_risk, named_segments
from oneclick.features.groups import NUMERIC_FEATURES
from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.risk_map import map_title, risk_profit_map, segment_colours

D_LIMIT = 1.5  # Cohen's d beyond this is drawn in the darkest colour (and its value written)

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "{n} покупателей разбиты на клетки «риск × прибыль» (высокий риск — вероятность снижения не ниже "
        "{risk}, высокая прибыль — не ниже {profit}) и на именованные сегменты магазина; сегменты могут "
        "пересекаться, на карте у покупателя цвет первого подходящего.",
        "en": "{n} customers are placed in the risk × profit cells (high risk: decline probability of at least "
        "{risk}; high profit: at least {profit}) and in the store's named segments; segments may overlap, "
        "and the map colours each customer by the first that fits.",
    },
    "map_reading": {
        "ru": "В правом верхнем углу (высокий риск и высокая прибыль) — {n} покупателей ({share}); на них приходится "
        "{at_risk_share} прибыли под угрозой.",
        "en": "The upper right corner (high risk, high profit) holds {n} customers ({share}) and {at_risk_share} "
        "of the profit at risk.",
    },
    "risk_title": {"ru": "Прибыль под угрозой по сегментам", "en": "Profit at risk by segment"},
    "axis_at_risk": {
        "ru": "Прибыль под угрозой (вероятность × прибыль), {unit}",
        "en": "Profit at risk (probability × profit), {unit}",
    },
    "risk_reading": {
        "ru": "Больше всего прибыли под угрозой у сегмента «{top}»: {value} ({share} всей) при {customers} "
        "покупателей; сегменты пересекаются, поэтому доли в сумме больше 100 %.",
        "en": "«{top}» has the most profit at risk: {value} ({share} of all) with {customers} of the customers; "
        "segments overlap, so the shares add up to more than 100%.",
    },
    "profile_title": {
        "ru": "Чем именованные сегменты отличаются от остальных покупателей (d Коэна)",
        "en": "How the named segments differ from the other customers (Cohen's d)",
    },
    "axis_segment": {"ru": "Сегмент", "en": "Segment"},
    "axis_feature": {"ru": "Признак", "en": "Feature"},
    "colour_d": {"ru": "d Коэна: сегмент − остальные, в ст. откл.", "en": "Cohen's d: segment − rest, in std"},
    "profile_reading": {
        "ru": "Сильнее всего отличия: {items}.",
        "en": "The largest differences: {items}.",
    },
    "profile_item": {"ru": "«{segment}» — «{feature}» (d = {d})", "en": "«{segment}»: «{feature}» (d = {d})"},
    "table_title": {
        "ru": "Профиль именованных сегментов против остальных",
        "en": "The named segments against the rest",
    },
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_customers": {"ru": "Покупателей (доля)", "en": "Customers (share)"},
    "col_declined": {"ru": "Снизили активность: сегмент / остальные", "en": "Declined: segment / rest"},
    "col_risk": {"ru": "Средний риск: сегмент / остальные", "en": "Mean risk: segment / rest"},
    "col_profit": {"ru": "Средняя прибыль, {unit}: сегмент / остальные", "en": "Mean profit, {unit}: segment / rest"},
    "col_at_risk": {"ru": "Прибыль под угрозой, {unit} (доля)", "en": "Profit at risk, {unit} (share)"},
    "col_drivers": {"ru": "Что повышает риск (средний вклад)", "en": "What raises the risk (mean contribution)"},
    "col_offer": {"ru": "Частое предложение (доля)", "en": "Most frequent offer (share)"},
    "table_note": {
        "ru": "Правила сегментов: {rules}.",
        "en": "Segment rules: {rules}.",
    },
    "no_drivers": {"ru": "—", "en": "—"},
    "top_drivers_note": {
        "ru": "Средний вклад посчитан по главным причинам каждого клиента ({n} признака с наибольшим |вкладом|, "
        "вклад остальных считается нулём): запуск сохранил только их.",
        "en": "Mean contributions are taken over each customer's top drivers (the {n} features of largest "
        "|contribution|, the others counting as 0): the run kept only those.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the map, profit at risk by segment, the profile heatmap and the profile table."""
    thresholds = data["thresholds"]
    return {
        "lead": t(
            "lead",
            lang,
            _T,
            n=i18n.integer(data["n_customers"], lang),
            risk=i18n.percent(thresholds["high_risk"], lang, 1),
            profit=i18n.money(thresholds["high_profit"], lang, 2, per_month=True),
        ),
        "map": _map_chart(data, lang),
        "at_risk": _at_risk_chart(data, lang),
        "profile": _profile_chart(data, lang),
        "table": _profile_table(data, lang),
    }


def _title(data: dict[str, Any], segment: str, lang: Lang) -> str:
    return names.title(data["titles"]["segments"], segment, lang)


def _colours(data: dict[str, Any]) -> dict[str, str]:
    return segment_colours([row["segment"] for row in named_segments(data)])


def _map_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    points, thresholds = data["map"], data["thresholds"]
    order = [row["segment"] for row in data["segments"]]
    uri = risk_profit_map(
        points,
        order,
        {segment: _title(data, segment, lang) for segment in order},
        _colours(data),
        high_risk=thresholds["high_risk"],
        high_profit=thresholds["high_profit"],
        lang=lang,
        note=i18n.sample_note(points.get("sample"), lang),
    )
    corner = next((row for row in data["segments"] if row["segment"] == "high_risk_high_profit"), None) or {
        "n_customers": 0,
        "share_of_customers": 0.0,
        "share_of_profit_at_risk": 0.0,
    }
    reading = t(
        "map_reading",
        lang,
        _T,
        n=i18n.integer(corner["n_customers"], lang),
        share=i18n.percent(corner["share_of_customers"] or 0.0, lang, 0),
        at_risk_share=i18n.percent(corner["share_of_profit_at_risk"] or 0.0, lang, 0),
    )
    return charts.Chart(uri, map_title(lang), reading)


def _at_risk_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    rows = data["segments"]
    colours = _colours(data)
    title = t("risk_title", lang, _T)
    # Named segments by profit at risk, then the four cells below a gap.
    ranked = by_profit_at_risk(named_segments(data))
    cells = [row for row in rows if row["kind"] != "named"]
    slots = [*ranked, None, *cells] if ranked and cells else [*ranked, *cells]
    shown = slots[::-1]
    bars = [(position, row) for position, row in enumerate(shown) if row is not None]
    with charts.chart(10.0, 1.2 + 0.36 * len(shown)) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        values = [row["profit_at_risk"] or 0.0 for _, row in bars]
        ax.barh(
            [position for position, _ in bars],
            values,
            color=[colours.get(row["segment"], charts.NEUTRAL_COLOUR) for _, row in bars],
            height=0.65,
        )
        ax.set_yticks([position for position, _ in bars], [_title(data, row["segment"], lang) for _, row in bars])
        for (position, row), value in zip(bars, values, strict=True):
            label = (
                f" {i18n.number(value, lang, 1)} "
                f"({i18n.percent(row['share_of_profit_at_risk'] or 0.0, lang, 0)}) · "
                f"{i18n.integer(row['n_customers'] or 0, lang)} {t('customers', lang)}"
            )
            charts.outside_layout(ax.text(value, position, label, va="center", fontsize=7.5))
        ax.set_xlim(0, max(values) * 1.4 if values and max(values) > 0 else 1)
        ax.set_xlabel(t("axis_at_risk", lang, _T, unit=i18n.money_unit(lang, per_month=True)))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 0))
        uri = charts.svg_uri(figure)
    top = by_profit_at_risk(named_segments(data) or rows)[0]
    reading = t(
        "risk_reading",
        lang,
        _T,
        top=_title(data, top["segment"], lang),
        value=i18n.money(top["profit_at_risk"] or 0.0, lang, 1, per_month=True),
        share=i18n.percent(top["share_of_profit_at_risk"] or 0.0, lang, 0),
        customers=i18n.percent(top["share_of_customers"] or 0.0, lang, 0),
    )
    return charts.Chart(uri, title, reading)


def _profile_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    segments = [row["segment"] for row in named_segments(data)]
    features = [f for f in NUMERIC_FEATURES if any(f in data["effects"].get(s, {}) for s in segments)]
    values = np.array([[_nan(data["effects"].get(s, {}).get(f)) for s in segments] for f in features], dtype=float)
    title = t("profile_title", lang, _T)
    with charts.chart(10.0, 1.6 + 0.3 * len(features)) as figure:
        figure.suptitle(title)
        ax = figure.subplots()
        image = ax.imshow(np.clip(values, -D_LIMIT, D_LIMIT), cmap="RdBu_r", vmin=-D_LIMIT, vmax=D_LIMIT, aspect="auto")
        ax.grid(False)
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                colour = "white" if abs(value) > 0.9 * D_LIMIT else "#1f2933"
                charts.outside_layout(
                    ax.text(j, i, i18n.number(value, lang, 1), ha="center", va="center", fontsize=7, color=colour)
                )
        ax.set_xticks(range(len(segments)), [charts.wrap(_title(data, s, lang), 18) for s in segments], fontsize=7.5)
        ax.set_yticks(range(len(features)), [i18n.feature(f, lang) for f in features], fontsize=7.5)
        ax.set_xlabel(t("axis_segment", lang, _T))
        ax.set_ylabel(t("axis_feature", lang, _T))
        figure.colorbar(
            image,
            ax=ax,
            shrink=0.6,
            label=charts.wrap(t("colour_d", lang, _T), 26),
            format=charts.number_formatter(lang, 1),
        )
        uri = charts.svg_uri(figure)
    items = []
    for j, segment in enumerate(segments):
        column = values[:, j]
        if np.isfinite(column).any():
            i = int(np.nanargmax(np.abs(column)))
            items.append(
                t(
                    "profile_item",
                    lang,
                    _T,
                    segment=_title(data, segment, lang),
                    feature=i18n.feature(features[i], lang),
                    d=_signed(column[i], lang),
                )
            )
    return charts.Chart(uri, title, t("profile_reading", lang, _T, items="; ".join(items)))


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


def _signed(value: float, lang: Lang, digits: int = 1) -> str:
    return ("+" if round(value, digits) > 0 else "") + i18n.number(value, lang, digits)


def _pair(segment: float | None, rest: float | None, lang: Lang, show: Any) -> str:
    return f"{show(segment, lang) if segment is not None else '—'} / {show(rest, lang) if rest is not None else '—'}"


def _with_share(value: float | None, share: float | None, lang: Lang) -> str:
    return f"{i18n.number(value or 0.0, lang, 1)} ({i18n.percent(share or 0.0, lang, 0)})"


def _profile_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    titles = data["titles"]["offers"]
    rows = []
    for row in named_segments(data):
        drivers = "; ".join(
            f"{i18n.feature(d['feature'], lang)} {_signed(d['mean_contribution'], lang, 2)}" for d in row["drivers"]
        ) or t("no_drivers", lang, _T)
        offer = (
            "—"
            if row["top_offer"] is None
            else (f"{names.title(titles, row['top_offer'], lang)} ({i18n.percent(row['top_offer_share'], lang, 0)})")
        )
        rows.append(
            [
                _title(data, row["segment"], lang),
                f"{i18n.integer(row['n_customers'], lang)} ({i18n.percent(row['share_of_customers'], lang, 0)})",
                _pair(row["share_declined"], row["share_declined_rest"], lang, lambda v, la: i18n.percent(v, la, 0)),
                _pair(
                    row["mean_decline_probability"],
                    row["mean_decline_probability_rest"],
                    lang,
                    lambda v, la: i18n.percent(v, la, 0),
                ),
                _pair(row["mean_profit"], row["mean_profit_rest"], lang, lambda v, la: i18n.number(v, la, 2)),
                _with_share(row["profit_at_risk"], row["share_of_profit_at_risk"], lang),
                drivers,
                offer,
            ]
        )
    unit = i18n.money_unit(lang, per_month=True)
    header = [
        t("col_segment", lang, _T),
        t("col_customers", lang, _T),
        t("col_declined", lang, _T),
        t("col_risk", lang, _T),
        t("col_profit", lang, _T, unit=unit),
        t("col_at_risk", lang, _T, unit=unit),
        t("col_drivers", lang, _T),
        t("col_offer", lang, _T),
    ]
    rules = "; ".join(f"«{_title(data, row['segment'], lang)}»: {row['rule']}" for row in named_segments(data))
    return {
        "title": t("table_title", lang, _T),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("table_note", lang, _T, rules=rules) + _drivers_note(data.get("drivers_kept"), lang),
    }


def _drivers_note(kept: dict[str, Any] | None, lang: Lang) -> str:
    """How the drivers were averaged, when a batch run kept only each customer's top ones."""
    if not kept or kept.get("source") == "contributions":
        return ""
    return " " + t("top_drivers_note", lang, _T, n=kept.get("top_n", 3))
