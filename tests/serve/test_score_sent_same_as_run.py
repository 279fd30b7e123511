"""A customer sent to the service is scored as the stored run scored it: probability, drivers, segments, offer,
reason, every value as stored; one at a time and all in one call (the service batches requests together)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from oneclick.features import input_fields
from oneclick.offers import NO_OFFER
from oneclick.serve.scoring import score_sent
from oneclick.serve.snapshot import Snapshot, SnapshotHolder


@pytest.fixture(scope="module")
def snapshot(served_run: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Snapshot]:
    holder = SnapshotHolder(served_run[0], tmp_path_factory.mktemp("snapshot"))
    try:
        yield holder.current
    finally:
        holder.close()


def _sent(snapshot: Snapshot) -> tuple[list[dict[str, Any]], pd.DataFrame, pd.DataFrame]:
    """The run's customers as a caller sends them (the input fields, Python values), its scores and offers."""
    customers = snapshot.query("SELECT * FROM customers ORDER BY customer_id")
    names = [field.name for field in input_fields() if field.name in customers.columns]
    columns = [customers[name].tolist() for name in names]
    sent = [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]
    scores = snapshot.query("SELECT * FROM scores ORDER BY customer_id").set_index("customer_id")
    offers = snapshot.query("SELECT * FROM offers ORDER BY customer_id").set_index("customer_id")
    return sent, scores, offers


def _as_stored(answer: dict[str, Any], score: pd.Series, offer: pd.Series) -> None:
    customer = answer["customer_id"]
    assert answer["decline_probability"] == score["decline_probability"], customer
    assert answer["is_high_risk"] == score["is_high_risk"], customer
    for rank, driver in enumerate(answer["drivers"], start=1):
        assert driver["feature"] == score[f"driver_{rank}_feature"], (customer, rank)
        assert driver["contribution"] == score[f"driver_{rank}_contribution"], (customer, rank)
        assert driver["text"] == score[f"driver_{rank}"], (customer, rank)
    assert len(answer["drivers"]) == 3
    assert answer["primary_segment"] == offer["primary_segment"], customer
    assert ";".join(answer["segments"]) == (offer["segments"] or ""), customer
    assert answer["risk_profit_cell"] == offer["risk_profit_cell"], customer
    assert answer["profit"] == offer["profit"], customer
    assert answer["profit_at_risk"] == offer["profit_at_risk"], customer
    if offer["offer"] == NO_OFFER:
        assert answer["offer"] is None, customer
        return
    chosen = answer["offer"]
    assert chosen["offer"] == offer["offer"], customer
    assert chosen["title"] == offer["offer_title"], customer
    assert chosen["reason"] == offer["reason"], customer
    assert chosen["cost"] == offer["offer_cost"], customer
    assert chosen["uplift_assumed"] == offer["offer_uplift_assumed"], customer
    assert chosen["expected_saved_profit"] == offer["expected_saved_profit"], customer


def test_every_customer_of_the_run_scored_in_one_call_is_scored_as_stored(snapshot: Snapshot) -> None:
    sent, scores, offers = _sent(snapshot)
    answers = score_sent(snapshot, sent)
    assert [a["customer_id"] for a in answers] == scores.index.tolist()
    for answer in answers:
        _as_stored(answer, scores.loc[answer["customer_id"]], offers.loc[answer["customer_id"]])


def test_a_customer_scored_alone_is_scored_as_stored(snapshot: Snapshot) -> None:
    sent, scores, offers = _sent(snapshot)
    for customer in sent[:40]:
        (answer,) = score_sent(snapshot, [customer])
        _as_stored(answer, scores.loc[answer["customer_id"]], offers.loc[answer["customer_id"]])


def test_the_same_customers_alone_and_together_get_the_same_answers(snapshot: Snapshot) -> None:
    sent, _, _ = _sent(snapshot)
    together = score_sent(snapshot, sent[:25], "en")
    assert together == [score_sent(snapshot, [customer], "en")[0] for customer in sent[:25]]
