"""Titles of the run's segments and offers in both languages, and the report's names of model families.

The segments and offers stages write their titles in one language (that of the run); the report
speaks both, so it reads the titles again from the segment scheme and the offer catalogue the run
used (named in ``offers_summary.json``). A file no longer where the run found it leaves the titles
the run wrote, in its language.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oneclick.errors import ConfigError
from oneclick.offers.catalogue import NO_OFFER, OfferCatalogue, load_catalogue
from oneclick.report.i18n import LANGS, Lang
from oneclick.report.run_folder import RunFolder
from oneclick.segments import CELLS, SegmentScheme, load_segment_scheme

Titles = dict[str, dict[str, str]]  # name -> {"ru": ..., "en": ...}

SHIPPED = "(shipped default)"  # how the stages name the YAML files shipped with oneclick

_CELL_WORDS = {
    "ru": {
        "risk": {"high": "высокий риск", "low": "низкий риск"},
        "profit": {"high": "высокая прибыль", "low": "низкая прибыль"},
    },
    "en": {"risk": {"high": "high risk", "low": "low risk"}, "profit": {"high": "high profit", "low": "low profit"}},
}
NO_OFFER_TITLE = {"ru": "Без предложения", "en": "No offer"}

FAMILY_LABELS: dict[str, dict[str, str]] = {
    "logreg": {"ru": "Логистическая регрессия", "en": "Logistic regression"},
    "knn": {"ru": "k ближайших соседей", "en": "k nearest neighbours"},
    "tree": {"ru": "Дерево решений", "en": "Decision tree"},
    "svc": {"ru": "Метод опорных векторов", "en": "Support vector machine"},
    "hgb": {"ru": "Градиентный бустинг (sklearn)", "en": "Gradient boosting (sklearn)"},
    "lgbm": {"ru": "LightGBM", "en": "LightGBM"},
}


def config_titles(run: RunFolder) -> dict[str, Titles]:
    """``{"segments": ..., "offers": ...}``: every segment (named and cell) and offer of the run, titled."""
    sources = run.json("offers_summary").get("sources", {}) if run.has("offers_summary") else {}
    segments = _written(run, "segments", "segment", "title") | _cell_titles()
    offers = _written(run, "offers", "offer", "offer_title") | {NO_OFFER: dict(NO_OFFER_TITLE)}
    try:
        scheme = load_segment_scheme(_source(sources.get("segments")))
        catalogue = load_catalogue(_source(sources.get("catalogue")), segment_names=scheme.names)
    except (ConfigError, FileNotFoundError):
        return {"segments": segments, "offers": offers}  # moved or changed since the run: the titles it wrote
    found = rule_titles(scheme, catalogue)
    return {"segments": segments | found["segments"], "offers": offers | found["offers"]}


def rule_titles(scheme: SegmentScheme, catalogue: OfferCatalogue) -> dict[str, Titles]:
    """``{"segments": ..., "offers": ...}`` in both languages from a segment scheme and an offer catalogue:
    every named segment, the four risk x profit cells, every offer and "no offer"."""
    segments: Titles = _cell_titles() | {rule.name: dict(rule.title) for rule in scheme.segments}
    offers: Titles = {offer.id: {lang: offer.label(lang) for lang in LANGS} for offer in catalogue.offers}
    return {"segments": segments, "offers": offers | {NO_OFFER: dict(NO_OFFER_TITLE)}}


def title(titles: Titles, name: str, lang: Lang) -> str:
    """The title of ``name`` in ``lang``; the name itself when it has none."""
    return titles.get(name, {}).get(lang) or name


def family(model: str, lang: Lang) -> str:
    """A model of the leaderboard by name: a family, or a blend ``logreg+lgbm``."""
    return " + ".join(FAMILY_LABELS.get(name, {}).get(lang, name) for name in model.split("+"))


def _source(recorded: str | None) -> Path | None:
    if recorded is None or recorded.endswith(SHIPPED):
        return None
    path = Path(recorded)
    if not path.is_file():
        raise FileNotFoundError(recorded)
    return path


def _cell_titles() -> Titles:
    titles: Titles = {}
    for cell in CELLS:
        risk, profit = cell.split("_risk_")[0], cell.split("_risk_")[1].removesuffix("_profit")
        titles[cell] = {
            lang: f"{_CELL_WORDS[lang]['risk'][risk]} · {_CELL_WORDS[lang]['profit'][profit]}".capitalize()
            for lang in LANGS
        }
    return titles


def _written(run: RunFolder, name: str, key: str, column: str) -> Titles:
    """The titles a table of the run carries, in the run's language, for both languages."""
    if not run.has(name):
        return {}
    table: Any = run.table(name)
    if key not in table or column not in table:
        return {}
    pairs = table[[key, column]].dropna().drop_duplicates(key)
    return {str(k): dict.fromkeys(LANGS, str(v)) for k, v in zip(pairs[key], pairs[column], strict=True) if v}
