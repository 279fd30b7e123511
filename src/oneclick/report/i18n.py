"""The report's words in Russian and English, and numbers written the way each reader expects.

Russian: decimal comma, a narrow no-break space between thousands, "38,2 %".
English: decimal point, comma between thousands, "38.2%".
:func:`number` is :func:`oneclick.language.number`, which the offers' reasons use too, so the
report and offers.csv write a number the same way.
"""

from __future__ import annotations

from oneclick.errors import ConfigError
from oneclick.features.groups import FEATURES, GROUP_LABELS, feature_label
from oneclick.ingest.columns import russian_value
from oneclick.language import LANGS, Lang, number

_NBSP = "\u00a0"

STRINGS: dict[str, dict[str, str]] = {
    # page
    "title": {"ru": "«В один клик»: удержание постоянных покупателей", "en": "«One Click»: keeping regular customers"},
    "subtitle": {"ru": "Отчёт запуска", "en": "Run report"},
    "toc": {"ru": "Содержание", "en": "Contents"},
    "run": {"ru": "Запуск", "en": "Run"},
    "run_date": {"ru": "Дата запуска", "en": "Run date"},
    "data_fingerprint": {"ru": "Отпечаток данных", "en": "Data fingerprint"},
    "seed": {"ru": "Зерно случайности", "en": "Random seed"},
    "policies": {"ru": "Правила очистки", "en": "Cleaning policy"},
    "versions": {"ru": "Версии", "en": "Versions"},
    "inputs": {"ru": "Входные файлы", "en": "Input files"},
    "footer": {
        "ru": "Сформировано oneclick {version}. Файл самодостаточен: стили и графики внутри, сеть не нужна.",
        "en": "Made by oneclick {version}. Self-contained: styles and charts are inside, no network needed.",
    },
    "no_run_record": {"ru": "нет файла run.json", "en": "no run.json"},
    # sections
    "section_quality": {"ru": "Качество данных", "en": "Data quality"},
    "section_exploration": {"ru": "Исследование признаков", "en": "Exploration"},
    "section_correlation": {"ru": "Взаимосвязи признаков", "en": "Correlation"},
    "section_model": {"ru": "Модель", "en": "Model"},
    "section_explanation": {"ru": "Объяснение прогноза", "en": "Explanation"},
    "section_segments": {"ru": "Сегменты покупателей", "en": "Customer segments"},
    "section_offers": {"ru": "Предложения и кампания", "en": "Offers and campaign"},
    "section_campaign_results": {"ru": "Итоги кампании", "en": "Campaign results"},
    "section_changes": {"ru": "Изменения с прошлого периода", "en": "Changes since the last period"},
    "section_conclusions": {"ru": "Выводы", "en": "Conclusions"},
    "missing_quality": {
        "ru": "Проверка данных в этом запуске не сохранена (нет {files}).",
        "en": "Data checks were not saved in this run (no {files}).",
    },
    "missing_exploration": {
        "ru": "Таблица покупателей в этом запуске не построена (нет {files}).",
        "en": "The customer table was not built in this run (no {files}).",
    },
    "missing_correlation": {
        "ru": "Таблица покупателей в этом запуске не построена (нет {files}).",
        "en": "The customer table was not built in this run (no {files}).",
    },
    "missing_model": {
        "ru": "Модель в этом запуске не обучалась (нет {files}).",
        "en": "The model was not trained in this run (no {files}).",
    },
    "missing_explanation": {
        "ru": "Прогнозы с объяснениями в этом запуске не сохранены (нет {files}).",
        "en": "Explained scores were not saved in this run (no {files}).",
    },
    "missing_segments": {
        "ru": "Сегменты в этом запуске не построены (нет {files}).",
        "en": "Segments were not built in this run (no {files}).",
    },
    "missing_offers": {
        "ru": "Предложения в этом запуске не подобраны (нет {files}).",
        "en": "Offers were not chosen in this run (no {files}).",
    },
    "missing_campaign_results": {
        "ru": "Кампания по этим данным не оценивалась (нет {files}).",
        "en": "No campaign was evaluated on this data (no {files}).",
    },
    "missing_changes": {
        "ru": "Запуск не сравнивался с прошлым периодом (нет {files}).",
        "en": "The run was not compared with a last period (no {files}).",
    },
    "missing_conclusions": {
        "ru": "Выводов нет: не хватает данных запуска.",
        "en": "No conclusions: the run has too little to go on.",
    },
    "pending": {
        "ru": "Файлы {files} есть, но эта версия отчёта ещё не показывает этот раздел.",
        "en": "{files} are present, but this version of the report does not show this section yet.",
    },
    # classes
    "class_declined": {"ru": "Активность снизилась", "en": "Activity declined"},
    "class_unchanged": {"ru": "Прежний уровень", "en": "Unchanged"},
    "declined_customers": {"ru": "покупатели со сниженной активностью", "en": "customers whose activity declined"},
    # common words
    "customers": {"ru": "покупателей", "en": "customers"},
    "share_of_class": {"ru": "% покупателей класса", "en": "% of the class"},
    "yes": {"ru": "да", "en": "yes"},
    "no": {"ru": "нет", "en": "no"},
    "infinite": {"ru": "∞ (точная зависимость)", "en": "∞ (exact dependence)"},
    # what a chart or table was drawn from, when it is not every customer (a batch run's sample)
    "sample_note": {"ru": "выборка {n} из {population} клиентов", "en": "sample of {n} of {population} customers"},
    "sample_sentence": {
        "ru": "Раздел построен по выборке: {n} из {population} клиентов (при тех же данных — те же клиенты).",
        "en": "This section is drawn from a sample: {n} of {population} customers (the same ones for the same data).",
    },
}

_UNITS: dict[str, dict[str, str]] = {
    "RUB": {"ru": "₽", "en": "RUB"},
    "min": {"ru": "мин", "en": "min"},
    "days": {"ru": "дней", "en": "days"},
    "contacts": {"ru": "контактов", "en": "contacts"},
    "categories": {"ru": "категорий", "en": "categories"},
    "items": {"ru": "шт.", "en": "items"},
    "errors": {"ru": "сбоев", "en": "errors"},
    "pages": {"ru": "страниц", "en": "pages"},
    "": {"ru": "доля", "en": "share"},
    # Profit is in the units of money.csv: thousands of roubles (a month's profit, or a saving over the horizon).
    "profit": {"ru": "тыс.\u00a0₽", "en": "thousand RUB"},
    "profit_month": {"ru": "тыс.\u00a0₽/мес.", "en": "thousand RUB/month"},
}
_FEATURE_UNITS = {feature.name: feature.unit for feature in FEATURES}


def t(key: str, lang: Lang, /, table: dict[str, dict[str, str]] | None = None, **values: object) -> str:
    """The string ``key`` in ``lang`` from ``table`` (default: the page's strings), filled from ``values``.

    Sections keep their own sentences in their module and pass them as ``table``.

    >>> t("pending", "en", files="metrics.json")
    'metrics.json are present, but this version of the report does not show this section yet.'
    """
    text = (STRINGS if table is None else table)[key][lang]
    return text.format(**values) if values else text


def check_lang(lang: str) -> Lang:
    """``lang`` if the report speaks it; otherwise a :class:`ConfigError` naming the choices."""
    for known in LANGS:
        if lang == known:
            return known
    raise ConfigError(f"report language {lang!r}: expected one of {list(LANGS)}")


def integer(value: float, lang: Lang) -> str:
    """A whole number with thousands separated: ``integer(1297, 'ru') == '1 297'``."""
    return number(round(value), lang, 0)


def percent(share: float, lang: Lang, digits: int = 1) -> str:
    """A share as a percentage: ``percent(0.3816, 'ru') == '38,2 %'``, ``'38.2%'`` in English."""
    text = number(100 * share, lang, digits)
    return f"{text}{_NBSP}%" if lang == "ru" else f"{text}%"


def unit(feature: str, lang: Lang) -> str:
    """The unit of a feature's values, in words short enough for an axis."""
    return _UNITS[_FEATURE_UNITS.get(feature, "")][lang]


def with_unit(value: float, feature: str, lang: Lang) -> str:
    """``'10,4 мин'``, ``'4 679 ₽'``; shares have no unit and get two decimals."""
    kind = _FEATURE_UNITS.get(feature, "")
    if kind == "":
        return number(value, lang, 2)
    return f"{number(value, lang, 0 if kind == 'RUB' else 1)}{_NBSP}{unit(feature, lang)}"


def money(value: float, lang: Lang, digits: int = 1, *, per_month: bool = False) -> str:
    """An amount of profit units: ``money(483.4, 'ru', per_month=True) == '483,4 тыс. ₽/мес.'``."""
    return f"{number(value, lang, digits)}{_NBSP}{_UNITS['profit_month' if per_month else 'profit'][lang]}"


def money_unit(lang: Lang, *, per_month: bool = False) -> str:
    """The unit of profit for an axis: ``тыс. ₽`` or ``тыс. ₽/мес.``."""
    return _UNITS["profit_month" if per_month else "profit"][lang]


def feature(name: str, lang: Lang) -> str:
    """A feature's business name (see :func:`oneclick.features.groups.feature_label`)."""
    return feature_label(name, lang)


def group(name: str, lang: Lang) -> str:
    """A feature group's business name."""
    return GROUP_LABELS[name][lang]


def value(column: str, raw: object, lang: Lang) -> str:
    """One value of a column as the store says it: ``value('service_type', 'premium', 'ru') == 'премиум'``."""
    if isinstance(raw, bool):
        return t("yes" if raw else "no", lang)
    text = str(raw)
    if lang == "ru":
        return russian_value(column, text)
    return text.replace("_", " ")


def class_label(declined: bool, lang: Lang) -> str:
    """The name of a class of the label."""
    return t("class_declined" if declined else "class_unchanged", lang)


def sample_note(sample: dict[str, int] | None, lang: Lang) -> str | None:
    """``'sample of 50,000 of 10,000,000 customers'`` for a chart drawn from a sample; ``None`` otherwise.

    ``sample``: ``{"n_customers": ..., "population": ...}`` (see ``RunFolder.sample``).
    """
    if not sample:
        return None
    n, population = integer(sample["n_customers"], lang), integer(sample["population"], lang)
    return t("sample_note", lang, n=n, population=population)


def sample_sentence(sample: dict[str, int] | None, lang: Lang) -> str:
    """A sentence saying a section was drawn from a sample; ``""`` when it was drawn from every customer."""
    if not sample:
        return ""
    n, population = integer(sample["n_customers"], lang), integer(sample["population"], lang)
    return t("sample_sentence", lang, n=n, population=population)
