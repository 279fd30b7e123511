"""Concurrent small requests are scored together, each gets its own answers, and a bad one its own error."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from oneclick.errors import InputDataError
from oneclick.features import input_fields
from oneclick.serve.batching import ScoringQueue


class _Scorer:
    """Answers each customer with its number; refuses a call holding a customer marked bad, naming its position."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []

    def __call__(self, snapshot: Any, customers: Sequence[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
        self.calls.append((len(customers), lang))
        for position, customer in enumerate(customers):
            if customer.get("bad"):
                raise InputDataError(f"customer {position}: bad")
        return [{"n": customer["n"], "lang": lang} for customer in customers]


def _run(queue: ScoringQueue, requests: list[tuple[object, list[dict[str, Any]], str]]) -> list[Any]:
    async def main() -> list[Any]:
        await queue.start()
        try:
            jobs = [queue.score(snapshot, customers, lang) for snapshot, customers, lang in requests]  # type: ignore[arg-type]
            return await asyncio.gather(*jobs, return_exceptions=True)
        finally:
            await queue.stop()

    return asyncio.run(main())


def test_requests_waiting_together_are_scored_in_one_call_and_answered_each() -> None:
    scorer, snapshot = _Scorer(), object()
    queue = ScoringQueue(scorer)
    answers = _run(queue, [(snapshot, [{"n": i}, {"n": i + 100}], "ru") for i in range(5)])
    assert answers == [[{"n": i, "lang": "ru"}, {"n": i + 100, "lang": "ru"}] for i in range(5)]
    assert scorer.calls == [(10, "ru")]


def test_a_bad_request_gets_its_own_error_and_the_others_their_answers() -> None:
    scorer, snapshot = _Scorer(), object()
    requests = [
        (snapshot, [{"n": 1}], "ru"),
        (snapshot, [{"n": 2}, {"n": 3, "bad": True}], "ru"),
        (snapshot, [{"n": 4}], "ru"),
    ]
    answers = _run(ScoringQueue(scorer), requests)
    assert answers[0] == [{"n": 1, "lang": "ru"}] and answers[2] == [{"n": 4, "lang": "ru"}]
    assert isinstance(answers[1], InputDataError) and str(answers[1]) == "customer 1: bad"  # its own position
    assert scorer.calls == [(4, "ru"), (1, "ru"), (2, "ru"), (1, "ru")]


def test_requests_of_other_languages_or_snapshots_are_scored_apart_and_batches_hold_at_most_max_customers() -> None:
    scorer, first, second = _Scorer(), object(), object()
    requests = [
        (first, [{"n": 1}], "ru"),
        (first, [{"n": 2}], "en"),
        (second, [{"n": 3}], "ru"),
        (first, [{"n": 4}], "ru"),
    ]
    answers = _run(ScoringQueue(scorer), requests)
    assert [a[0]["n"] for a in answers] == [1, 2, 3, 4]
    assert sorted(scorer.calls) == [(1, "en"), (1, "ru"), (2, "ru")]
    scorer = _Scorer()
    _run(ScoringQueue(scorer, max_customers=3), [(first, [{"n": i}, {"n": i}], "ru") for i in range(4)])
    assert scorer.calls == [(4, "ru"), (4, "ru")]  # a batch takes requests until it holds three customers or more


def test_the_service_answers_concurrent_requests_each_with_its_own_customers_and_errors(
    client: TestClient, headers: dict[str, str]
) -> None:
    sent = _customers(client)
    bad = dict(sent[3], revenue_change=sent[3]["revenue_change"] + 5)

    def post(body: object) -> Any:
        return client.post("/v1/score", json=body, headers=headers)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, [*sent[:3], bad, *sent[4:8], sent[:5]]))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [200, 200, 200, 422, 200, 200, 200, 200, 200]
    assert "revenue_change" in answers[3].json()["detail"] and "customer 0" in answers[3].json()["detail"]
    alone = [post(customer).json()["customers"][0] for customer in sent[:8]]
    assert [a.json()["customers"][0] for a in answers[:3] + answers[4:8]] == alone[:3] + alone[4:8]
    assert answers[8].json()["customers"] == alone[:5]


def _customers(client: TestClient) -> list[dict[str, Any]]:
    snapshot = client.app.state.snapshots.current  # type: ignore[attr-defined]
    frame = snapshot.query("SELECT * FROM customers ORDER BY customer_id LIMIT 8")
    names = [field.name for field in input_fields() if field.name in frame.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*(frame[n].tolist() for n in names), strict=True)]
