"""Section 1, data quality: what was read, fixed, quarantined and excluded, and why.

The numbers come from :func:`oneclick.analysis.data_quality`; this module words and draws them.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from oneclick.analysis import data_quality
from oneclick.report import charts, i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary

MAX_ROWS_SHOWN = 20

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Прочитано {n_files} файла, {read} покупателей. В анализ вошли {kept} ({kept_share}); "
        "исключено {excluded}, строк в карантине — {quarantined}.",
        "en": "{n_files} files were read, {read} customers. {kept} ({kept_share}) went on to the analysis; "
        "{excluded} were excluded, {quarantined} rows were quarantined.",
    },
    "sources": {"ru": "Что прочитано", "en": "What was read"},
    "file": {"ru": "Файл", "en": "File"},
    "rows": {"ru": "Строк", "en": "Rows"},
    "rows_quarantined": {"ru": "В карантине", "en": "Quarantined"},
    "separator": {"ru": "Разделитель", "en": "Separator"},
    "encoding": {"ru": "Кодировка", "en": "Encoding"},
    "fixes": {"ru": "Что исправлено", "en": "What was fixed"},
    "no_fixes": {"ru": "Исправлять ничего не пришлось.", "en": "Nothing needed fixing."},
    "column": {"ru": "Столбец", "en": "Column"},
    "was": {"ru": "Было", "en": "Found"},
    "now": {"ru": "Стало", "en": "Made"},
    "cells": {"ru": "Ячеек", "en": "Cells"},
    "quarantine": {"ru": "Карантин", "en": "Quarantine"},
    "no_quarantine": {"ru": "Ни одна строка не отклонена.", "en": "No row was rejected."},
    "quarantine_note": {
        "ru": "{n} строк отклонено; первые из них ниже, все с причинами — в файле {file}.",
        "en": "{n} rows were rejected; the first are below, all of them with reasons are in {file}.",
    },
    "line": {"ru": "Строка", "en": "Line"},
    "value": {"ru": "Значение", "en": "Value"},
    "reason": {"ru": "Причина", "en": "Reason"},
    "excluded": {"ru": "Кто исключён", "en": "Who was excluded"},
    "no_excluded": {"ru": "Никто не исключён.", "en": "Nobody was excluded."},
    "customer": {"ru": "Покупатель", "en": "Customer"},
    "more": {"ru": "…и ещё {n} (см. quality.json)", "en": "…and {n} more (see quality.json)"},
    "outliers": {"ru": "Выбросы выручки", "en": "Revenue outliers"},
    "no_outliers": {"ru": "Выбросов выручки нет.", "en": "No revenue outliers."},
    "month": {"ru": "Месяц", "en": "Month"},
    "revenue": {"ru": "Выручка, ₽", "en": "Revenue, RUB"},
    "threshold": {"ru": "Порог, ₽", "en": "Threshold, RUB"},
    "action": {"ru": "Что сделано", "en": "Action"},
    "policy": {"ru": "Правила очистки этого запуска", "en": "Cleaning policy of this run"},
    "kind_inactive": {"ru": "неактивен", "en": "inactive"},
    "kind_outlier": {"ru": "выброс выручки", "en": "revenue outlier"},
    "kind_incomplete": {"ru": "неполные данные", "en": "incomplete data"},
    "kind_other": {"ru": "другое", "en": "other"},
    "bar_read": {"ru": "Прочитано", "en": "Read"},
    "bar_excluded": {"ru": "Исключено: {kind}", "en": "Excluded: {kind}"},
    "bar_kept": {"ru": "В анализе", "en": "Analysed"},
    "chart_title": {"ru": "Покупатели в анализе и баланс классов", "en": "Customers analysed and class balance"},
    "flow_title": {"ru": "Путь покупателей через проверки", "en": "Customers through the checks"},
    "balance_title": {"ru": "Покупательская активность", "en": "Purchasing activity"},
    "axis_customers": {"ru": "Покупателей, чел.", "en": "Customers, people"},
    "reading": {
        "ru": "В анализ вошли {kept} из {read} покупателей; активность снизилась у {declined} из них ({share}).",
        "en": "{kept} of {read} customers were analysed; the activity of {declined} of them declined ({share}).",
    },
    "policy_inactive_exclude": {
        "ru": "Покупатели без выручки хотя бы в одном месяце исключаются.",
        "en": "Customers with no revenue in some month are excluded.",
    },
    "policy_inactive_keep": {
        "ru": "Покупатели без выручки в каком-то месяце остаются.",
        "en": "Customers with no revenue in some month are kept.",
    },
    "policy_outliers_cap": {
        "ru": "Выручка выше Q3 + {k} × IQR своего месяца ограничивается этим порогом.",
        "en": "Revenue above Q3 + {k} × IQR of its month is capped at that threshold.",
    },
    "policy_outliers_exclude": {
        "ru": "Покупатель с выручкой выше Q3 + {k} × IQR своего месяца исключается.",
        "en": "A customer with revenue above Q3 + {k} × IQR of its month is excluded.",
    },
    "policy_outliers_keep": {
        "ru": "Выручка выше Q3 + {k} × IQR отмечается, но остаётся как есть.",
        "en": "Revenue above Q3 + {k} × IQR is flagged and kept as is.",
    },
    "policy_bad_rows_quarantine": {
        "ru": "Строки с ошибками уходят в карантин с причиной, остальные читаются.",
        "en": "Rows with errors go to quarantine with a reason; the rest are read.",
    },
    "policy_bad_rows_fail": {
        "ru": "Любая строка с ошибкой останавливает запуск.",
        "en": "Any row with an error stops the run.",
    },
    "action_capped": {"ru": "ограничена порогом", "en": "capped"},
    "action_customer excluded": {"ru": "покупатель исключён", "en": "customer excluded"},
    "action_kept as is": {"ru": "оставлена как есть", "en": "kept as is"},
}

# Russian for the English phrases of the ingest stage's reasons (their Russian parts stay).
_REASON_RU = (
    ("inactive: zero revenue in", "нулевая выручка:"),
    ("revenue outlier", "выброс выручки"),
    ("no row for period", "нет строки за период"),
    ("no row in", "нет строки в"),
    ("(a row of it was quarantined)", "(его строка в карантине)"),
    ("above", "выше порога"),
    ("decimal comma", "десятичная запятая"),
    ("decimal point", "десятичная точка"),
    (" in ", " в "),
)


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The numbers of ``quality.json`` (and the first rows of ``quarantine.csv``) the section shows."""
    return data_quality(run.json("quality"), run.table("quarantine") if run.has("quarantine") else None)


def reason_text(reason: str, lang: Lang) -> str:
    """A reason written by the ingest stage, in the reader's language (Russian value names kept)."""
    if lang == "en":
        return _spaced(reason)
    for english, russian in _REASON_RU:
        reason = reason.replace(english, russian)
    numbers = re.sub(r"\d[\d,]*(?:\.\d+)?", lambda m: _russian_number(m.group()), reason)
    return _spaced(numbers)


def _spaced(text: str) -> str:
    """``предыдущий_месяц`` -> ``предыдущий месяц``; file names keep their underscores."""
    return re.sub(r"(?<=[а-яё])_(?=[а-яё])", " ", text, flags=re.IGNORECASE)


def _russian_number(text: str) -> str:
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", "\u202f")
    return f"{whole},{fraction}" if fraction else whole


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """Words, tables and the chart of the section."""
    read, kept = data["customers_read"], data["customers_kept"]
    excluded = data["excluded"]
    return {
        "lead": t(
            "lead",
            lang,
            _T,
            n_files=len(data["sources"]),
            read=i18n.integer(read, lang),
            kept=i18n.integer(kept, lang),
            kept_share=i18n.percent(kept / read if read else 0, lang),
            excluded=i18n.integer(len(excluded), lang),
            quarantined=i18n.integer(data["quarantined_rows"], lang),
        ),
        "chart": _chart(data, lang),
        "sources": _sources(data, lang),
        "fixes": _fixes(data, lang),
        "quarantine": _quarantine(data, lang),
        "excluded": _excluded(data, lang),
        "outliers": _outliers(data, lang),
        "policy_title": t("policy", lang, _T),
        "policy": _policy(data["policy"], lang),
    }


def _table(title: str, empty: str, header: list[str], rows: list[list[str]], note: str = "") -> dict[str, Any]:
    return {"title": title, "empty": empty, "header": header, "rows": rows, "note": note}


def _sources(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    header = [t(k, lang, _T) for k in ("file", "rows", "rows_quarantined", "separator", "encoding")]
    rows = [
        [
            s["file"],
            i18n.integer(s["rows_read"], lang),
            i18n.integer(s["rows_quarantined"], lang),
            repr(s["separator"]) if s["separator"] else "—",
            s["encoding"],
        ]
        for s in data["sources"]
    ]
    return _table(t("sources", lang, _T), "", header, rows)


def _fixes(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    header = [t(k, lang, _T) for k in ("file", "column", "was", "now", "cells")]
    rows = [
        [
            f["table"],
            f["column"],
            reason_text(f["from"], lang) if lang == "ru" else f["from"],
            reason_text(f["to"], lang) if lang == "ru" else f["to"],
            i18n.integer(f["count"], lang),
        ]
        for f in data["fixes"]
    ]
    return _table(t("fixes", lang, _T), t("no_fixes", lang, _T), header, rows)


def _quarantine(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    n = data["quarantined_rows"]
    header = [t(k, lang, _T) for k in ("file", "line", "column", "value", "reason")]
    rows = [
        [e.get("file", ""), e.get("line", ""), e.get("column", ""), e.get("value", ""), e.get("reason", "")]
        for e in data["quarantine_examples"]
    ]
    note = t("quarantine_note", lang, _T, n=i18n.integer(n, lang), file="quarantine.csv") if n else ""
    return _table(t("quarantine", lang, _T), t("no_quarantine", lang, _T), header, rows, note)


def _excluded(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    excluded = data["excluded"]
    header = [t(k, lang, _T) for k in ("customer", "reason")]
    rows = [
        [str(row["id"]), f"{t('kind_' + row['kind'], lang, _T)} — {reason_text(row['reason'], lang)}"]
        for row in excluded[:MAX_ROWS_SHOWN]
    ]
    more = len(excluded) - MAX_ROWS_SHOWN
    note = t("more", lang, _T, n=i18n.integer(more, lang)) if more > 0 else ""
    return _table(t("excluded", lang, _T), t("no_excluded", lang, _T), header, rows, note)


def _outliers(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    header = [t(k, lang, _T) for k in ("customer", "month", "revenue", "threshold", "action")]
    rows = []
    for row in data["revenue_outliers"][:MAX_ROWS_SHOWN]:
        action_key = f"action_{row['action']}"
        rows.append(
            [
                str(row["customer_id"]),
                i18n.value("period", row["period"], lang).replace("_", " "),
                i18n.number(row["revenue"], lang),
                i18n.number(row["threshold"], lang),
                t(action_key, lang, _T) if action_key in _T else str(row["action"]),
            ]
        )
    return _table(t("outliers", lang, _T), t("no_outliers", lang, _T), header, rows)


def _policy(policy: dict[str, Any], lang: Lang) -> list[str]:
    lines = []
    for name in ("inactive", "outliers", "bad_rows"):
        key = f"policy_{name}_{policy.get(name)}"
        if key in _T:
            lines.append(t(key, lang, _T, k=i18n.number(policy.get("outlier_iqr_factor", 3.0), lang)))
    return lines


def _chart(data: dict[str, Any], lang: Lang) -> charts.Chart:
    read, kept = data["customers_read"], data["customers_kept"]
    balance = data["class_balance"]
    declined, unchanged = int(balance.get("declined", 0)), int(balance.get("unchanged", 0))
    flow = [(t("bar_read", lang, _T), read, charts.NEUTRAL_COLOUR)]
    flow += [
        (t("bar_excluded", lang, _T, kind=t("kind_" + kind, lang, _T)), n, "#b0b0b0")
        for kind, n in data["excluded_by_kind"].items()
        if n
    ]
    flow.append((t("bar_kept", lang, _T), kept, charts.UNCHANGED_COLOUR))
    title = t("chart_title", lang, _T)
    with charts.chart(9.0, 0.5 + 0.42 * max(len(flow), 3)) as figure:
        figure.suptitle(title)
        left, right = figure.subplots(1, 2, width_ratios=[1.6, 1])
        positions = np.arange(len(flow))[::-1]
        left.barh(positions, [n for _, n, _ in flow], color=[c for _, _, c in flow], height=0.6)
        left.set_yticks(positions, [label for label, _, _ in flow])
        left.set_title(t("flow_title", lang, _T))
        left.set_xlabel(t("axis_customers", lang, _T))
        left.xaxis.set_major_formatter(charts.number_formatter(lang))
        left.set_xlim(0, read * 1.18 if read else 1)
        for y, (_, n, _) in zip(positions, flow, strict=True):
            charts.outside_layout(left.text(n, y, " " + i18n.integer(n, lang), va="center", fontsize=8))
        labels = [i18n.class_label(True, lang), i18n.class_label(False, lang)]
        counts = [declined, unchanged]
        bars = right.bar(
            [charts.wrap(label, 16) for label in labels],
            counts,
            color=[charts.class_colour(True), charts.class_colour(False)],
            width=0.6,
        )
        right.set_title(t("balance_title", lang, _T))
        right.set_ylabel(t("axis_customers", lang, _T))
        right.yaxis.set_major_formatter(charts.number_formatter(lang))
        right.set_ylim(0, max([*counts, 1]) * 1.35)
        total = max(declined + unchanged, 1)
        for bar, n in zip(bars, counts, strict=True):
            charts.outside_layout(
                right.text(
                    bar.get_x() + bar.get_width() / 2,
                    n,
                    f"{i18n.integer(n, lang)}\n{i18n.percent(n / total, lang)}",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
            )
        uri = charts.svg_uri(figure)
    reading = t(
        "reading",
        lang,
        _T,
        kept=i18n.integer(kept, lang),
        read=i18n.integer(read, lang),
        declined=i18n.integer(declined, lang),
        share=i18n.percent(declined / total, lang),
    )
    return charts.Chart(uri, title, reading)
