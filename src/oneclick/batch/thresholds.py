"""Learned thresholds made concrete once, over every kept customer, before any batch runs.

Segment and offer rules may compare a feature with ``{quantile: q}`` "of the customers scored",
and the risk x profit grid splits profit at its median. A batch sees only its own customers,
so the batch engine computes every such quantile over the whole customer table in DuckDB and
hands the batches a scheme and a catalogue whose rules hold plain numbers: a customer's
segment and offer then depend on the customer alone, not on the batch size or the engine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import duckdb
import pandas as pd

from oneclick.errors import ConfigError
from oneclick.ingest.sqltext import ident
from oneclick.offers import OfferCatalogue
from oneclick.segments import Condition, Quantile, SegmentScheme, Thresholds
from oneclick.segments.assign import learn_thresholds
from oneclick.segments.conditions import PROFIT, RISK

Needed = tuple[tuple[str, float], ...]  # (column, q)


def needed_quantiles(scheme: SegmentScheme, catalogue: OfferCatalogue) -> Needed:
    """Every (column, q) the scheme and the catalogue learn from the customers, in a fixed order.

    Raises :class:`ConfigError` for a quantile of ``decline_probability``: it would need every
    customer scored before the first batch could be segmented.
    """
    found: list[tuple[str, float]] = []
    if isinstance(scheme.high_risk, Quantile):
        found.append((RISK, scheme.high_risk.q))
    if isinstance(scheme.high_profit, Quantile):
        found.append((PROFIT, scheme.high_profit.q))
    rules = [s.when for s in scheme.segments] + [o.eligible for o in catalogue.offers]
    found += [(c.subject, c.value.q) for rule in rules for c in rule if isinstance(c.value, Quantile)]
    risky = sorted({q for column, q in found if column == RISK})
    if risky:
        raise ConfigError(
            f"the batch engine cannot learn quantiles {risky} of {RISK}: every customer would have "
            "to be scored before the first batch. Use 'model' or a fixed probability in "
            "segments.yaml, or score with `oneclick offers` on data of normal size."
        )
    return tuple(dict.fromkeys(found))


def compute_quantiles(relation: duckdb.DuckDBPyRelation, needed: Needed) -> dict[tuple[str, float], float]:
    """``quantile_cont`` (pandas' linear interpolation) of each needed column over ``relation``."""
    if not needed:
        return {}
    parts = ", ".join(f"quantile_cont({ident(column)}, {q!r})" for column, q in needed)
    values = relation.query("customers", f"SELECT {parts} FROM customers").fetchall()[0]
    return {key: float(value) for key, value in zip(needed, values, strict=True)}


def resolve(
    scheme: SegmentScheme,
    catalogue: OfferCatalogue,
    quantiles: dict[tuple[str, float], float],
    model_threshold: float | None,
) -> tuple[SegmentScheme, OfferCatalogue, Thresholds]:
    """The scheme and catalogue with every learned value replaced by its number, and the thresholds."""

    def fixed(rule: Iterable[Condition]) -> tuple[Condition, ...]:
        return tuple(
            dataclasses.replace(c, value=quantiles[(c.subject, c.value.q)]) if isinstance(c.value, Quantile) else c
            for c in rule
        )

    high_profit = scheme.high_profit
    if isinstance(high_profit, Quantile):
        high_profit = quantiles[(PROFIT, high_profit.q)]
    segments = tuple(dataclasses.replace(s, when=fixed(s.when)) for s in scheme.segments)
    resolved_scheme = dataclasses.replace(scheme, high_profit=high_profit, segments=segments)
    offers = tuple(dataclasses.replace(o, eligible=fixed(o.eligible)) for o in catalogue.offers)
    resolved_catalogue = dataclasses.replace(catalogue, offers=offers)
    # Nothing is left to learn, so the table is not read.
    thresholds = learn_thresholds(resolved_scheme, pd.DataFrame(), model_threshold)
    return resolved_scheme, resolved_catalogue, thresholds
