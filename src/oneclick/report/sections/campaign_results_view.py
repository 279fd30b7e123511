"""Campaign results in words, charts and tables: treatment against control for every offer and segment,
the verdicts with their evidence, the Qini curve, decline by decile, old against new catalogue figures.

Shows what :func:`oneclick.report.sections.campaign_results_data.summarise` made ready; the dashboard's
campaign page shows the same dict (:mod:`oneclick.serve.dashboard.campaigns`).
"""

from __future__ import annotations

from typing import Any

from oneclick.report import i18n, names
from oneclick.report.i18n import Lang, t
from oneclick.report.sections import campaign_results_charts as plots
from oneclick.report.sections.campaign_results_data import ALL, rows_of

_T: dict[str, dict[str, str]] = {
    "lead": {
        "ru": "Кампания {campaign} оценена по следующей выгрузке ({data}): из {planned} покупателей плана в ней "
        "найдены {treatment} из группы воздействия и {control} из контрольной; {left} ушли из выгрузки — они "
        "посчитаны, но не угаданы. Исход — снизилась ли активность. Эффект — доля снижения, которую убрало "
        "предложение: 1 − доля снизивших при воздействии / доля снизивших в контроле.",
        "en": "The campaign {campaign} was evaluated on the next export ({data}): of the plan's {planned} customers, "
        "{treatment} treated and {control} control customers are in it; {left} left the export and are counted, "
        "not guessed. The outcome is whether activity declined. Uplift is the share of decline the offer "
        "removed: 1 − the share who declined when treated / the share who declined in control.",
    },
    "other_data": {
        "ru": "Внимание: кампания оценена по другим данным, чем данные этого запуска (отпечаток {found}…), — "
        "этот файл, видимо, остался от другого периода.",
        "en": "Note: the campaign was evaluated on other data than this run's (fingerprint {found}…); the file "
        "was probably left by another period's run.",
    },
    "overall": {
        "ru": "Кампания целиком: снизили активность {treated} при воздействии против {control} в контроле; эффект "
        "{uplift} (95 % ДИ {low} … {high}), сохранённая прибыль {saved} (95 % ДИ {saved_low} … {saved_high}) за "
        "вычетом затрат {cost}. Вывод: {verdict}.",
        "en": "The whole campaign: {treated} declined when treated against {control} in control; uplift {uplift} "
        "(95% CI {low} … {high}), saved profit {saved} (95% CI {saved_low} … {saved_high}) after a cost of "
        "{cost}. Verdict: {verdict}.",
    },
    "verdicts_title": {"ru": "Выводы по предложениям", "en": "Verdicts by offer"},
    "verdict_sentence": {
        "ru": "«{offer}» — {verdict}: эффект {uplift} (95 % ДИ {low} … {high}; p = {p}) при допущении каталога "
        "{assumed}; {evidence}.",
        "en": "«{offer}» {verdict}: uplift {uplift} (95% CI {low} … {high}; p = {p}) against the catalogue's "
        "assumed {assumed}; {evidence}.",
    },
    "evidence_works": {"ru": "интервал целиком выше нуля", "en": "the interval lies wholly above zero"},
    "evidence_harms": {"ru": "интервал целиком ниже нуля", "en": "the interval lies wholly below zero"},
    "evidence_no_evidence": {
        "ru": "интервал содержит ноль: эффект не отличить от отсутствия эффекта",
        "en": "the interval holds zero: the effect cannot be told from none",
    },
    "rule": {
        "ru": "Правило вывода: «работает» — 95 % доверительный интервал эффекта целиком выше нуля, «вредит» — "
        "целиком ниже нуля, иначе «нет доказательств». Метод: {test}.",
        "en": "The verdict's rule: «works» when the uplift's 95% confidence interval lies wholly above zero, "
        "«harms» when wholly below, otherwise «no evidence». Method: {test}.",
    },
    "table_title": {
        "ru": "Воздействие и контроль по предложениям и сегментам",
        "en": "Treatment and control by offer and segment",
    },
    "col_row": {"ru": "Предложение · сегмент", "en": "Offer · segment"},
    "col_n": {"ru": "Покупателей: воздействие / контроль", "en": "Customers: treatment / control"},
    "col_treated": {"ru": "Снизили: воздействие", "en": "Declined: treatment"},
    "col_control": {"ru": "Снизили: контроль", "en": "Declined: control"},
    "col_uplift": {"ru": "Эффект (95 % ДИ)", "en": "Uplift (95% CI)"},
    "col_p": {"ru": "p", "en": "p"},
    "col_assumed": {"ru": "Допущение", "en": "Assumed"},
    "col_saved": {"ru": "Сохранённая прибыль, {unit} (95 % ДИ)", "en": "Saved profit, {unit} (95% CI)"},
    "col_verdict": {"ru": "Вывод", "en": "Verdict"},
    "col_revenue": {
        "ru": "Изменение выручки, {unit}: воздействие / контроль",
        "en": "Revenue change, {unit}: treatment / control",
    },
    "col_revenue_diff": {"ru": "Разница выручки, {unit} (95 % ДИ)", "en": "Revenue difference, {unit} (95% CI)"},
    "revenue_note": {
        "ru": " Изменение выручки — выручка месяца после кампании минус выручка месяца кампании (из следующей "
        "выгрузки), в среднем на покупателя; разница — воздействие минус контроль (больше нуля — получившие "
        "предложение потратили больше), интервал по критерию Уэлча.",
        "en": " Revenue change: the month after the campaign's revenue minus the campaign month's (from the next "
        "export), on average per customer; the difference is treatment minus control (above zero, the treated "
        "spent more), its interval from Welch's test.",
    },
    "table_note": {
        "ru": "Сохранённая прибыль — (доля снизивших в контроле − при воздействии) × прибыль получивших предложение "
        "× горизонт − затраты на предложения, в единицах прибыли money.csv.",
        "en": "Saved profit: (share who declined in control − when treated) × the treated customers' profit × "
        "the horizon − the offers' cost, in the profit units of money.csv.",
    },
    "interval": {"ru": "{value} ({low} … {high})", "en": "{value} ({low} … {high})"},
    "model_used": {
        "ru": "Модель эффекта ({n_treatment} при воздействии, {n_control} в контроле) ранжирует лучше правила "
        "(Qini {qini_model} против {qini_rule}; сохранённая прибыль на отложенной половине {saved_model} против "
        "{saved_rule}) и используется.",
        "en": "The uplift model ({n_treatment} treated, {n_control} control) ranks better than the rule (Qini "
        "{qini_model} against {qini_rule}; saved profit on the held-out half {saved_model} against {saved_rule}) "
        "and is used.",
    },
    "model_too_few": {
        "ru": "Модель эффекта не строилась: {n_treatment} покупателей при воздействии и {n_control} в контроле, "
        "а нужно не меньше {min_per_arm} в каждой группе; ранжирует правило каталога.",
        "en": "No uplift model was fitted: {n_treatment} treated and {n_control} control customers, and it needs "
        "{min_per_arm} in each arm; the catalogue's rule ranks.",
    },
    "model_not_clear": {
        "ru": "Модель эффекта обошла правило (Qini {qini_model} против {qini_rule}; сохранённая прибыль "
        "{saved_model} против {saved_rule}), но её выигрыш не отличить от случайности (95 % интервал "
        "{gain_low} … {gain_high}); ранжирует правило каталога.",
        "en": "The uplift model beat the rule (Qini {qini_model} against {qini_rule}; saved profit {saved_model} "
        "against {saved_rule}), but its gain cannot be told from chance (95% interval {gain_low} … {gain_high}); "
        "the catalogue's rule ranks.",
    },
    "model_lost": {
        "ru": "Модель эффекта не лучше правила (Qini {qini_model} против {qini_rule}) и не используется.",
        "en": "The uplift model does not beat the rule (Qini {qini_model} against {qini_rule}) and is not used.",
    },
    "catalogue_title": {
        "ru": "Каталог: версия {old} и версия {new}, обновлённая по кампании",
        "en": "The catalogue: version {old} and version {new}, updated from the campaign",
    },
    "col_offer": {"ru": "Предложение", "en": "Offer"},
    "col_segment": {"ru": "Сегмент", "en": "Segment"},
    "col_prior": {"ru": "Было (версия {old})", "en": "Before (version {old})"},
    "col_measured": {"ru": "Измерено", "en": "Measured"},
    "col_new": {"ru": "Стало (версия {new})", "en": "Now (version {new})"},
    "col_source": {"ru": "Откуда", "en": "Source"},
    "is_measured": {"ru": "измерено кампанией", "en": "measured by the campaign"},
    "is_assumed": {"ru": "допущение", "en": "assumption"},
    "all_customers": {"ru": "все покупатели", "en": "every customer"},
    "catalogue_note": {
        "ru": "Новый эффект — измеренный, притянутый к прежнему пропорционально неопределённости измерения; "
        "прежняя версия сохранена.",
        "en": "The new uplift is the measured one shrunk toward the old in proportion to the measurement's "
        "uncertainty; the old version is kept.",
    },
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """The lead, the overall line, the charts, the verdicts, the table, the model line, the catalogue table."""
    rows = rows_of(data)
    tests = sorted({str(row["test"]) for row in rows if row.get("test")})
    return {
        "lead": _lead(data, lang),
        "warning": t("other_data", lang, _T, found=str(data["data_fingerprint"])[:12])
        if data["is_other_data"]
        else None,
        "overall": _overall(data, lang),
        "forest": plots.forest(data, lang),
        "verdicts_title": t("verdicts_title", lang, _T),
        "verdicts": [_verdict(data, entry["all"], lang) for entry in data["offers"] if entry["all"]],
        "rule": t("rule", lang, _T, test="; ".join(tests) or "—"),
        "table": _table(data, lang),
        "qini": plots.qini(data, lang),
        "deciles": plots.deciles(data, lang),
        "model": _model(data["uplift_model"], lang),
        "catalogue": _catalogue(data, lang),
    }


def _lead(data: dict[str, Any], lang: Lang) -> str:
    n = data["n"]
    return t(
        "lead",
        lang,
        _T,
        campaign=data["campaign_id"],
        data=data["data_dir"] or "—",
        planned=_integer(n["planned"], lang),
        treatment=_integer(n["matched_treatment"], lang),
        control=_integer(n["matched_control"], lang),
        left=_integer(n["left"], lang),
    )


def _overall(data: dict[str, Any], lang: Lang) -> str | None:
    row = data["overall"]
    if row is None:
        return None
    return t(
        "overall",
        lang,
        _T,
        treated=_share(row["decline_rate_treatment"], lang),
        control=_share(row["decline_rate_control"], lang),
        uplift=_share(row["uplift"], lang),
        low=_share(row["uplift_ci_low"], lang),
        high=_share(row["uplift_ci_high"], lang),
        saved=_money(row["saved_profit"], lang),
        saved_low=_money(row["saved_profit_ci_low"], lang),
        saved_high=_money(row["saved_profit_ci_high"], lang),
        cost=_money(row["cost"], lang),
        verdict=plots.verdict_word(row["verdict"], lang),
    )


def _verdict(data: dict[str, Any], row: dict[str, Any], lang: Lang) -> dict[str, str]:
    text = t(
        "verdict_sentence",
        lang,
        _T,
        offer=names.title(data["titles"]["offers"], row["offer"], lang),
        verdict=plots.verdict_word(row["verdict"], lang),
        uplift=_share(row["uplift"], lang),
        low=_share(row["uplift_ci_low"], lang),
        high=_share(row["uplift_ci_high"], lang),
        p="—" if row["p_value"] is None else i18n.number(row["p_value"], lang, 3),
        assumed=_share(row["assumed_uplift"], lang),
        evidence=t(f"evidence_{row['verdict']}", lang, _T),
    )
    return {"verdict": row["verdict"], "text": text}


def _table(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    rows = ([data["overall"]] if data["overall"] else []) + rows_of(data)
    # the second outcome's columns, when the evaluation measured it (an export with revenue_change)
    has_revenue = any(row.get("revenue_change_treatment") is not None for row in rows)
    body = [
        [
            plots.row_label(data, row, lang),
            f"{_integer(row['n_treatment'], lang)} / {_integer(row['n_control'], lang)}",
            _share(row["decline_rate_treatment"], lang),
            _share(row["decline_rate_control"], lang),
            t(
                "interval",
                lang,
                _T,
                value=_share(row["uplift"], lang),
                low=_share(row["uplift_ci_low"], lang),
                high=_share(row["uplift_ci_high"], lang),
            ),
            "—" if row["p_value"] is None else i18n.number(row["p_value"], lang, 3),
            _share(row["assumed_uplift"], lang),
            t(
                "interval",
                lang,
                _T,
                value=_number(row["saved_profit"], lang),
                low=_number(row["saved_profit_ci_low"], lang),
                high=_number(row["saved_profit_ci_high"], lang),
            ),
            *(_revenue_cells(row, lang) if has_revenue else []),
            plots.verdict_word(row["verdict"], lang),
        ]
        for row in rows
    ]
    header = [
        # profit in money.csv's thousands of roubles, revenue in market_money's roubles
        t(key, lang, _T, unit=i18n.unit("revenue_change", lang) if "revenue" in key else i18n.money_unit(lang))
        for key in (
            "col_row",
            "col_n",
            "col_treated",
            "col_control",
            "col_uplift",
            "col_p",
            "col_assumed",
            "col_saved",
            *(("col_revenue", "col_revenue_diff") if has_revenue else ()),
            "col_verdict",
        )
    ]
    return {
        "title": t("table_title", lang, _T),
        "header": header,
        "rows": body,
        "empty": "",
        "note": t("table_note", lang, _T) + (t("revenue_note", lang, _T) if has_revenue else ""),
    }


def _revenue_cells(row: dict[str, Any], lang: Lang) -> list[str]:
    """Mean revenue change of the treated / of control, and their difference with its 95 % CI."""
    difference = row.get("revenue_change_diff")
    return [
        f"{_number(row['revenue_change_treatment'], lang)} / {_number(row['revenue_change_control'], lang)}",
        "—"
        if difference is None
        else t(
            "interval",
            lang,
            _T,
            value=_number(difference, lang),
            low=_number(row.get("revenue_change_ci_low"), lang),
            high=_number(row.get("revenue_change_ci_high"), lang),
        ),
    ]


def _model(model: dict[str, Any] | None, lang: Lang) -> str | None:
    if model is None:
        return None
    values = {
        "n_treatment": _integer(model.get("n_treatment"), lang),
        "n_control": _integer(model.get("n_control"), lang),
        "min_per_arm": _integer(model.get("min_per_arm"), lang),
        "qini_model": _number(model.get("qini_model"), lang, 3),
        "qini_rule": _number(model.get("qini_rule"), lang, 3),
        "saved_model": _money(model.get("saved_profit_model"), lang),
        "saved_rule": _money(model.get("saved_profit_rule"), lang),
        "gain_low": _money(model.get("saved_profit_gain_ci_low"), lang),
        "gain_high": _money(model.get("saved_profit_gain_ci_high"), lang),
    }
    if model.get("used"):
        return t("model_used", lang, _T, **values)
    if model.get("reason") == "gain_not_clear":
        return t("model_not_clear", lang, _T, **values)
    too_few = model.get("min_per_arm") is not None and min(
        model.get("n_treatment") or 0, model.get("n_control") or 0
    ) < int(model["min_per_arm"])
    return t("model_too_few" if too_few or model.get("qini_model") is None else "model_lost", lang, _T, **values)


def _catalogue(data: dict[str, Any], lang: Lang) -> dict[str, Any] | None:
    update = data["catalogue_update"]
    if update is None:
        return None
    old, new = update["old_version"], update["new_version"]
    titles = data["titles"]
    rows = [
        [
            names.title(titles["offers"], row["offer"], lang),
            t("all_customers", lang, _T)
            if row["segment"] == ALL
            else names.title(titles["segments"], row["segment"], lang),
            _share(row["prior_uplift"], lang),
            _share(row["measured_uplift"], lang),
            _share(row["uplift"], lang),
            t("is_measured" if row["is_measured"] else "is_assumed", lang, _T),
        ]
        for row in update["offers"]
    ]
    header = [
        t("col_offer", lang, _T),
        t("col_segment", lang, _T),
        t("col_prior", lang, _T, old=old),
        t("col_measured", lang, _T),
        t("col_new", lang, _T, new=new),
        t("col_source", lang, _T),
    ]
    return {
        "title": t("catalogue_title", lang, _T, old=old, new=new),
        "header": header,
        "rows": rows,
        "empty": "",
        "note": t("catalogue_note", lang, _T),
    }


def _share(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.percent(value, lang, 1)


def _integer(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.integer(value, lang)


def _number(value: float | None, lang: Lang, digits: int = 1) -> str:
    return "—" if value is None else i18n.number(value, lang, digits)


def _money(value: float | None, lang: Lang) -> str:
    return "—" if value is None else i18n.money(value, lang, 1)
