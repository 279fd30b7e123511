"""Section 5, explanation, in words, charts and a table: the summary plot of contributions, the
importance of the feature groups, and three customers' predictions taken apart.

Shows what :func:`oneclick.analysis.prediction_explanation` summarised; every chart has its reading.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.patches import Patch

from oneclick.report import charts, i18n, names
from oneclick.report.i18n import Lang, t

ABBREVIATED_UNITS = ("min", "RUB", "items")  # English names of the units written as abbreviations
RAISES_COLOUR = "#d1495b"
LOWERS_COLOUR = "#30638e"
VALUE_COLOURS = LinearSegmentedColormap.from_list("value", ["#2c7bb6", "#d9d9d9", "#d7191c"])

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Вклад признака — насколько он сдвигает логарифм шансов снижения активности у покупателя "
        "относительно фоновых покупателей: больше нуля — повышает риск, меньше — снижает. Вклады всех "
        "признаков складываются в прогноз.",
        "en": "A feature's contribution is how far it moves a customer's log-odds of a decline away from the "
        "background customers': above zero it raises the risk, below zero it lowers it. The contributions of "
        "all features add up to the prediction.",
    },
    "swarm_title": {
        "ru": "Вклады признаков у каждого покупателя ({n} самых влиятельных)",
        "en": "Contributions of the features for every customer (the {n} most influential)",
    },
    "axis_contribution": {
        "ru": "Вклад в логарифм шансов снижения (> 0 повышает риск)",
        "en": "Contribution to the log-odds of a decline (> 0 raises the risk)",
    },
    "colour_value": {"ru": "Значение признака (ранг)", "en": "Feature value (rank)"},
    "value_low": {"ru": "низкое", "en": "low"},
    "value_high": {"ru": "высокое", "en": "high"},
    "swarm_reading_high": {
        "ru": "Сильнее всего прогноз двигает «{feature}» (средний |вклад| {impact}): чем выше значение, тем выше риск.",
        "en": "«{feature}» moves the predictions most (mean |contribution| {impact}): the higher it is, "
        "the higher the risk.",
    },
    "swarm_reading_low": {
        "ru": "Сильнее всего прогноз двигает «{feature}» (средний |вклад| {impact}): чем ниже значение, тем выше риск.",
        "en": "«{feature}» moves the predictions most (mean |contribution| {impact}): the lower it is, "
        "the higher the risk.",
    },
    "swarm_reading_category": {
        "ru": "Сильнее всего прогноз двигает «{feature}» (средний |вклад| {impact}).",
        "en": "«{feature}» moves the predictions most (mean |contribution| {impact}).",
    },
    "groups_title": {"ru": "Важность групп признаков", "en": "Importance of the feature groups"},
    "axis_group": {
        "ru": "Средний |вклад группы| в логарифм шансов",
        "en": "Mean |contribution of the group| to the log-odds",
    },
    "groups_reading": {
        "ru": "Больше всего прогноз определяет группа «{top}» ({top_share} суммы групп), меньше всего — «{last}» "
        "({last_share}).",
        "en": "The group «{top}» drives the predictions most ({top_share} of the groups' total), «{last}» "
        "least ({last_share}).",
    },
    "examples_title": {
        "ru": "Почему модель так оценила трёх покупателей",
        "en": "Why the model scored three customers as it did",
    },
    "example_panel": {"ru": "{who}: покупатель {id}, риск {risk}", "en": "{who}: customer {id}, risk {risk}"},
    "axis_example": {"ru": "Вклад в логарифм шансов", "en": "Contribution to the log-odds"},
    "raises": {"ru": "повышает риск", "en": "raises the risk"},
    "lowers": {"ru": "снижает риск", "en": "lowers the risk"},
    "examples_reading": {
        "ru": "У покупателя {top_id} (риск {top_risk}) риск больше всего повышает «{top_driver}» ({top_value}); "
        "у покупателя {low_id} (риск {low_risk}) больше всего снижает — «{low_driver}» ({low_value}).",
        "en": "For customer {top_id} (risk {top_risk}) «{top_driver}» ({top_value}) raises the risk most; "
        "for customer {low_id} (risk {low_risk}) «{low_driver}» ({low_value}) lowers it most.",
    },
    "who_at_risk": {"ru": "Самый рискованный из прибыльных", "en": "Highest risk among the profitable"},
    "who_median": {"ru": "Типичный риск (медиана)", "en": "Typical risk (median)"},
    "who_low": {"ru": "Низкий риск (10-й перцентиль)", "en": "Low risk (10th percentile)"},
    "examples_table": {"ru": "Три покупателя: причины и предложение", "en": "Three customers: drivers and offer"},
    "col_who": {"ru": "Кто", "en": "Who"},
    "col_id": {"ru": "Покупатель", "en": "Customer"},
    "col_risk": {"ru": "Риск снижения", "en": "Decline risk"},
    "col_profit": {"ru": "Прибыль", "en": "Profit"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_drivers": {"ru": "Главные причины прогноза", "en": "Main drivers of the prediction"},
    "col_offer": {"ru": "Предложение", "en": "Offer"},
    "examples_note": {
        "ru": "Причины — три признака с наибольшим по модулю вкладом (из scores.csv); предложение — из offers.csv.",
        "en": "Drivers: the three features with the largest absolute contribution (from scores.csv); the offer "
        "is from offers.csv.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the summary plot, group importance, the three customers as a chart and a table."""
    view = {
        "lead": t("lead", lang, _T),
        "swarm": _swarm_chart(data, lang),
        "groups": _groups_chart(data, lang),
        "examples": _examples_chart(data, lang),
        "table": _examples_table(data, lang),
    }
    if data.get("sample"):
        view["lead"] = f"{view['lead']} {i18n.sample_sentence(data['sample'], lang)}"
        view["table"]["note"] = f"{view['table']['note']} {i18n.sample_note(data['sample'], lang)}."
    return view


def _swarm_note(data: dict[str, Any], lang: Lang) -> str | None:
    """The summary plot draws at most ``MAX_POINTS`` customers: of the sample, or of all of them."""
    shown = len(data["swarm"][0]["contribution"]) if data["swarm"] else 0
    population = data["sample"]["population"] if data.get("sample") else data["n_customers"]
    return i18n.sample_note({"n_customers": shown, "population": population} if shown < population else None, lang)


def _swarm_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    rows = data["swarm"][::-1]
    title = t("swarm_title", lang, _T, n=len(rows))
    rng = np.random.default_rng(0)
    with charts.chart(10.0, 1.4 + 0.42 * len(rows)) as figure:
        charts.suptitle(figure, title, _swarm_note(data, lang))
        ax = figure.subplots()
        image = None
        for position, row in enumerate(rows):
            x = np.asarray(row["contribution"], dtype=float)
            y = position + _jitter(x, rng)
            level = np.array([np.nan if v is None else v for v in row["level"]], dtype=float)
            known = np.isfinite(level)
            ax.scatter(x[~known], y[~known], s=5, color=charts.NEUTRAL_COLOUR, alpha=0.6, linewidths=0)
            image = ax.scatter(
                x[known], y[known], s=5, c=level[known], cmap=VALUE_COLOURS, vmin=0, vmax=1, alpha=0.8, linewidths=0
            )
        ax.axvline(0, color="#555555", linewidth=0.8)
        ax.set_yticks(range(len(rows)), [i18n.feature(row["feature"], lang) for row in rows])
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel(t("axis_contribution", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 1))
        ax.grid(axis="y", visible=False)
        if image is not None:
            bar = figure.colorbar(image, ax=ax, shrink=0.7, pad=0.01, ticks=[0, 1])
            bar.ax.set_yticklabels([t("value_low", lang, _T), t("value_high", lang, _T)])
            bar.set_label(t("colour_value", lang, _T))
        uri = charts.png_uri(figure, dpi=100)
    return charts.Chart(uri, title, _swarm_reading(data, lang))


def _jitter(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Vertical spread proportional to how many customers share a contribution: a beeswarm's shape."""
    if len(x) == 0 or np.ptp(x) == 0:
        return rng.uniform(-0.35, 0.35, len(x))
    counts, edges = np.histogram(x, bins=40)
    density = counts[np.clip(np.digitize(x, edges[1:-1]), 0, len(counts) - 1)] / counts.max()
    return rng.uniform(-1, 1, len(x)) * 0.38 * np.sqrt(density)


def _swarm_reading(data: dict[str, Any], lang: Lang) -> str:
    top = data["swarm"][0]
    feature = top["feature"]
    values = {
        "feature": i18n.feature(feature, lang),
        "impact": i18n.number(data["mean_abs_contribution"][feature], lang, 2),
    }
    level = np.array([np.nan if v is None else v for v in top["level"]], dtype=float)
    known = np.isfinite(level)
    if known.sum() < 3 or np.ptp(level[known]) == 0:
        return t("swarm_reading_category", lang, _T, **values)
    slope = np.corrcoef(level[known], np.asarray(top["contribution"], dtype=float)[known])[0, 1]
    return t("swarm_reading_high" if slope > 0 else "swarm_reading_low", lang, _T, **values)


def _groups_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    groups = list(data["groups"].items())
    total = sum(value for _, value in groups) or 1.0
    title = t("groups_title", lang, _T)
    with charts.chart(10.0, 2.6) as figure:
        charts.suptitle(figure, title, i18n.sample_note(data.get("sample"), lang))
        ax = figure.subplots()
        shown = groups[::-1]
        ax.barh(
            range(len(shown)),
            [value for _, value in shown],
            color=[charts.GROUP_COLOURS.get(group, charts.NEUTRAL_COLOUR) for group, _ in shown],
            height=0.6,
        )
        ax.set_yticks(range(len(shown)), [i18n.group(group, lang) for group, _ in shown])
        for position, (_, value) in enumerate(shown):
            label = f" {i18n.number(value, lang, 2)} ({i18n.percent(value / total, lang, 0)})"
            charts.outside_layout(ax.text(value, position, label, va="center", fontsize=8))
        ax.set_xlim(0, max(value for _, value in groups) * 1.18)
        ax.set_xlabel(t("axis_group", lang, _T))
        ax.xaxis.set_major_formatter(charts.number_formatter(lang, 2))
        uri = charts.svg_uri(figure)
    (top, top_value), (last, last_value) = groups[0], groups[-1]
    reading = t(
        "groups_reading",
        lang,
        _T,
        top=i18n.group(top, lang),
        top_share=i18n.percent(top_value / total, lang, 0),
        last=i18n.group(last, lang),
        last_share=i18n.percent(last_value / total, lang, 0),
    )
    return charts.Chart(uri, title, reading)


def _who(example: dict[str, Any], lang: Lang) -> str:
    return t(f"who_{example['who']}", lang, _T)


def _value(term: dict[str, Any], lang: Lang) -> str:
    """A customer's value of a feature: ``7 мин``, ``4 679 ₽``, ``0,97``, ``премиум``."""
    value, feature = term["value"], term["feature"]
    if not isinstance(value, float):
        return i18n.value(feature, value, lang)
    if value.is_integer():
        # Counts read without a unit ("Страниц за визит = 2"): the label names it, and a Russian noun
        # after a number changes with the number; abbreviations (мин, ₽, шт.) do not.
        unit = i18n.unit(feature, "en")
        shown = i18n.integer(value, lang)
        return f"{shown}\u00a0{i18n.unit(feature, lang)}" if unit in ABBREVIATED_UNITS else shown
    return i18n.with_unit(value, feature, lang)


def _driver(term: dict[str, Any], lang: Lang) -> str:
    direction = t("raises" if term["contribution"] > 0 else "lowers", lang, _T)
    return f"{i18n.feature(term['feature'], lang)} = {_value(term, lang)} ({direction})"


def _examples_chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    examples = data["examples"]
    title = t("examples_title", lang, _T)
    with charts.chart(10.0, 1.0 + 1.75 * len(examples)) as figure:
        # A batch run's examples are the sample's: its highest-risk customer, its median one, ...
        charts.suptitle(figure, title, i18n.sample_note(data.get("sample"), lang))
        axes = np.atleast_1d(figure.subplots(len(examples), 1, sharex=True))
        for ax, example in zip(axes, examples, strict=True):
            bars = example["bars"][::-1]
            values = [bar["contribution"] for bar in bars]
            colours = [RAISES_COLOUR if v > 0 else LOWERS_COLOUR for v in values]
            ax.barh(range(len(bars)), values, color=colours, height=0.65)
            ax.set_yticks(range(len(bars)), [f"{i18n.feature(b['feature'], lang)} = {_value(b, lang)}" for b in bars])
            ax.axvline(0, color="#555555", linewidth=0.8)
            panel = t(
                "example_panel",
                lang,
                _T,
                who=_who(example, lang),
                id=example["customer_id"],
                risk=i18n.percent(example["decline_probability"], lang, 0),
            )
            ax.set_title(panel, loc="left", fontsize=8.5)
            ax.xaxis.set_major_formatter(charts.number_formatter(lang, 1))
        axes[-1].set_xlabel(t("axis_example", lang, _T))
        handles = [
            Patch(color=RAISES_COLOUR, label=t("raises", lang, _T)),
            Patch(color=LOWERS_COLOUR, label=t("lowers", lang, _T)),
        ]
        figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        uri = charts.svg_uri(figure)
    top, low = examples[0], examples[-1]
    raising = max(top["bars"], key=lambda bar: bar["contribution"])
    lowering = min(low["bars"], key=lambda bar: bar["contribution"])
    reading = t(
        "examples_reading",
        lang,
        _T,
        top_id=top["customer_id"],
        top_risk=i18n.percent(top["decline_probability"], lang, 0),
        top_driver=i18n.feature(raising["feature"], lang),
        top_value=_value(raising, lang),
        low_id=low["customer_id"],
        low_risk=i18n.percent(low["decline_probability"], lang, 0),
        low_driver=i18n.feature(lowering["feature"], lang),
        low_value=_value(lowering, lang),
    )
    return charts.Chart(uri, title, reading)


def _examples_table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    titles = data["titles"]
    rows = []
    for example in data["examples"]:
        drivers = "; ".join(_driver(term, lang) for term in example["drivers"])
        offer = example["offer"]
        rows.append(
            [
                _who(example, lang),
                str(example["customer_id"]),
                i18n.percent(example["decline_probability"], lang, 1),
                i18n.money(example["profit"], lang, 2, per_month=True),
                "—" if example["segment"] is None else names.title(titles["segments"], example["segment"], lang),
                drivers,
                "—" if offer is None else names.title(titles["offers"], offer, lang),
            ]
        )
    header = [
        t(key, lang, _T)
        for key in ("col_who", "col_id", "col_risk", "col_profit", "col_segment", "col_drivers", "col_offer")
    ]
    return {
        "title": t("examples_table", lang, _T),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("examples_note", lang, _T),
    }
