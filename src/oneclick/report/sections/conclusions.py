"""Section 8, conclusions: sentences made from the numbers of the sections built before it.

The findings (``{"key": ..., "values": {...}}``: numbers and names, no words) come from
:func:`oneclick.analysis.findings`, given the sections' numbers; :func:`view` turns each into a sentence
with the writer of its key: those of what to do first (which segment, what the campaign brings, how
far the model can be trusted) in :mod:`oneclick.report.sections.priorities`, those of why (the
features) and how sure the data are here. A new finding needs a rule in
:data:`oneclick.analysis.RULES` and a writer in :data:`WRITERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oneclick.analysis import findings
from oneclick.report import i18n
from oneclick.report.i18n import Lang, t
from oneclick.report.run_folder import RunFolder
from oneclick.report.section import Summary
from oneclick.report.sections import priorities

_T: dict[str, dict[str, str]] = {
    "segments_missing": {
        "ru": "С какого сегмента начинать, покажет разбиение на сегменты — в этом запуске его нет; "
        "пока ориентир — признаки ниже.",
        "en": "Which segment to start with will follow from the segments, which this run does not have; "
        "until then, go by the features below.",
    },
    "strongest_group": {
        "ru": "Снижение активности лучше всего видно по группе «{group}»: признак «{feature}» связан с ним "
        "сильнее прочих (φK = {phik}).",
        "en": "A decline shows best in the group «{group}»: its feature «{feature}» is associated with it more "
        "than any other (φK = {phik}).",
    },
    "strongest_numeric": {
        "ru": " У покупателей со сниженной активностью он в среднем {declined} против {unchanged} у остальных.",
        "en": " Customers whose activity declined have {declined} on average against {unchanged} for the others.",
    },
    "top_features": {
        "ru": "Три признака, сильнее всего связанных со снижением: {features}.",
        "en": "The three features most associated with a decline: {features}.",
    },
    "minutes_trend": {
        "ru": "Сигнал виден заранее: уже в предыдущем месяце покупатели со сниженной активностью провели на сайте "
        "{declined} мин против {unchanged} мин у остальных ({gap} меньше).",
        "en": "The signal comes early: already last month customers whose activity declined spent {declined} min "
        "on the site against {unchanged} min for the others ({gap} less).",
    },
    "class_balance": {
        "ru": "Активность снизилась у {share} покупателей: классы {balance}, поэтому модель разумно "
        "оценивать по ROC-AUC, а выборки делить со стратификацией.",
        "en": "The activity of {share} of customers declined: the classes are {balance}, so the model is best "
        "judged by ROC-AUC, with stratified samples.",
    },
    "balance_mild": {"ru": "умеренно несбалансированы", "en": "moderately imbalanced"},
    "balance_strong": {"ru": "сильно несбалансированы", "en": "strongly imbalanced"},
    "balance_even": {"ru": "почти сбалансированы", "en": "nearly balanced"},
    "duplicates": {
        "ru": "{features} дублируют месячные значения (VIF = ∞): при интерпретации их вклад надо складывать "
        "с исходными признаками.",
        "en": "{features} duplicate the monthly values (VIF = ∞): read their contribution together with "
        "the features they come from.",
    },
    "data_quality": {
        "ru": "Данные пригодны: в анализ вошли {kept} из {read} покупателей ({share}); исправлено {fixes} ячеек, "
        "в карантине {quarantined} строк, выбросов выручки — {outliers}.",
        "en": "The data are usable: {kept} of {read} customers were analysed ({share}); {fixes} cells were "
        "fixed, {quarantined} rows quarantined, {outliers} revenue outliers found.",
    },
}


def build(run: RunFolder, summary: Summary) -> dict[str, Any]:
    """The findings of :func:`oneclick.analysis.findings` for the sections above, in order, with the titles
    of the segments and offers they name."""
    titles = (summary.get("segments") or {}).get("titles", {"segments": {}, "offers": {}})
    return {"findings": [priorities.titled(finding, titles) for finding in findings(summary)]}


def _write_strongest_group(values: dict[str, Any], lang: Lang) -> str:
    text = t(
        "strongest_group",
        lang,
        _T,
        group=i18n.group(values["group"], lang),
        feature=i18n.feature(values["feature"], lang),
        phik=i18n.number(values["phik"], lang, 2),
    )
    if "mean" in values:
        name = values["feature"]
        text += t(
            "strongest_numeric",
            lang,
            _T,
            declined=i18n.with_unit(values["mean"]["declined"], name, lang),
            unchanged=i18n.with_unit(values["mean"]["unchanged"], name, lang),
        )
    return text


def _write_top_features(values: dict[str, Any], lang: Lang) -> str:
    names = [f"«{i18n.feature(f['name'], lang)}» ({i18n.number(f['phik'], lang, 2)})" for f in values["features"]]
    return t("top_features", lang, _T, features=", ".join(names))


def _write_minutes_trend(values: dict[str, Any], lang: Lang) -> str:
    declined, unchanged = values["declined"], values["unchanged"]
    return t(
        "minutes_trend",
        lang,
        _T,
        declined=i18n.number(declined, lang),
        unchanged=i18n.number(unchanged, lang),
        gap=i18n.percent(1 - declined / unchanged, lang, 0),
    )


def _write_class_balance(values: dict[str, Any], lang: Lang) -> str:
    share = values["declined_share"]
    minority = min(share, 1 - share)
    balance = "balance_even" if minority >= 0.45 else ("balance_mild" if minority >= 0.2 else "balance_strong")
    return t("class_balance", lang, _T, share=i18n.percent(share, lang), balance=t(balance, lang, _T))


def _write_duplicates(values: dict[str, Any], lang: Lang) -> str:
    names = ", ".join(f"«{i18n.feature(name, lang)}»" for name in values["features"])
    return t("duplicates", lang, _T, features=names)


def _write_data_quality(values: dict[str, Any], lang: Lang) -> str:
    read, kept = values["read"], values["kept"]
    return t(
        "data_quality",
        lang,
        _T,
        kept=i18n.integer(kept, lang),
        read=i18n.integer(read, lang),
        share=i18n.percent(kept / read if read else 0.0, lang),
        fixes=i18n.integer(values["fixes"], lang),
        quarantined=i18n.integer(values["quarantined"], lang),
        outliers=i18n.integer(values["outliers"], lang),
    )


WRITERS: dict[str, Callable[[dict[str, Any], Lang], str]] = {
    "segments_missing": lambda values, lang: t("segments_missing", lang, _T),
    **priorities.WRITERS,
    "strongest_group": _write_strongest_group,
    "top_features": _write_top_features,
    "minutes_trend": _write_minutes_trend,
    "class_balance": _write_class_balance,
    "duplicates": _write_duplicates,
    "data_quality": _write_data_quality,
}


def view(data: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """One sentence per finding; an empty list when there was nothing to conclude from."""
    sentences = [WRITERS[finding["key"]](finding["values"], lang) for finding in data["findings"]]
    return {"sentences": sentences, "empty": t("missing_conclusions", lang)}
