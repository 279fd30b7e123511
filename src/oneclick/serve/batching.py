"""Requests of a few customers scored together on the event loop: concurrent requests share the fixed costs.

Scoring one customer costs a few milliseconds, nearly all of it fixed (the model's preprocessing
of a frame, the frames of the segments, offers and texts); a hundred customers cost little more.
So the small requests that come while one is being scored wait for it, and are then scored
together in one call of :func:`~oneclick.serve.scoring.score_sent`, which scores each customer
alone (nothing it computes depends on the other customers of the call). Under load the batches
grow and the cost per request falls; an idle service answers a request as soon as it comes.

The scoring runs on the event loop's own thread, between its turns of reading and answering
requests. Scoring on another thread was slower: it holds the interpreter's lock, and the loop
then waits for it at every small step of every request (the "convoy" of a CPU-bound thread and
an I/O thread). When a batch fails on bad input (a derived feature that disagrees with the
others), each of its requests is scored alone, so the error goes to the request that sent it,
naming its own customer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from oneclick.errors import OneClickError
from oneclick.serve.snapshot import Snapshot

log = logging.getLogger("oneclick.serve")
Lang = Literal["ru", "en"]
Score = Callable[[Snapshot, Sequence[dict[str, Any]], Lang], list[dict[str, Any]]]
# Turns of the loop given to requests already read before a batch is closed: they reach the queue
# in a few (body, validation, the route); a turn with no request added closes the batch sooner.
_GATHER_TURNS = 8


@dataclass(frozen=True)
class _Request:
    snapshot: Snapshot
    customers: Sequence[dict[str, Any]]
    lang: Lang
    answer: asyncio.Future[list[dict[str, Any]]]


class ScoringQueue:
    """Scores the requests waiting, together; :meth:`score` awaits one request's answers.

    ``max_customers``: a batch takes the requests waiting until it holds that many customers.
    :meth:`start` and :meth:`stop` run on the event loop (the application's lifespan).
    """

    def __init__(self, score: Score, *, max_customers: int = 256) -> None:
        self._score, self.max_customers = score, max_customers
        self._waiting: deque[_Request] = deque()
        self._ready: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.n_batches = 0
        self.n_requests = 0

    async def start(self) -> None:
        self._ready = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="oneclick-scoring")

    async def stop(self) -> None:
        """Stop scoring; requests still waiting are answered with an error."""
        log.info("scored %d requests in %d batches", self.n_requests, self.n_batches)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        while self._waiting:
            request = self._waiting.popleft()
            if not request.answer.done():
                request.answer.set_exception(RuntimeError("the service is stopping"))

    async def score(self, snapshot: Snapshot, customers: Sequence[dict[str, Any]], lang: Lang) -> list[dict[str, Any]]:
        """The answers for ``customers``, in order, scored with the next batch; raises what scoring raised."""
        if self._ready is None:
            raise RuntimeError("the scoring queue is not started")
        answer: asyncio.Future[list[dict[str, Any]]] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Request(snapshot, customers, lang, answer))
        self._ready.set()
        return await answer

    async def _run(self) -> None:
        assert self._ready is not None
        while True:
            await self._ready.wait()
            self._ready.clear()
            seen = -1
            for _ in range(_GATHER_TURNS):  # let the requests already read reach the queue
                if len(self._waiting) == seen:
                    break
                seen = len(self._waiting)
                await asyncio.sleep(0)
            while self._waiting:
                batch, n_customers = [], 0
                while self._waiting and n_customers < self.max_customers:
                    batch.append(self._waiting.popleft())
                    n_customers += len(batch[-1].customers)
                for group in _groups(batch):
                    self._answer(group)
                await asyncio.sleep(0)  # answer these before the next batch

    def _answer(self, group: list[_Request]) -> None:
        """Score a group of requests (one snapshot, one language) in one call; each alone if that fails."""
        group = [request for request in group if not request.answer.done()]  # a caller may have gone
        if not group:
            return
        self.n_batches += 1
        self.n_requests += len(group)
        if len(group) > 1:
            customers = [customer for request in group for customer in request.customers]
            try:
                answers = self._score(group[0].snapshot, customers, group[0].lang)
            except Exception as err:  # each request is then scored alone: its own error, or its answers
                if not isinstance(err, OneClickError):
                    log.warning("a batch of %d requests failed (%s); scoring each alone", len(group), err)
            else:
                start = 0
                for request in group:
                    request.answer.set_result(answers[start : start + len(request.customers)])
                    start += len(request.customers)
                return
        for request in group:
            try:
                request.answer.set_result(self._score(request.snapshot, request.customers, request.lang))
            except Exception as err:  # the request's own error, raised where it awaits its answer
                request.answer.set_exception(err)


def _groups(batch: list[_Request]) -> list[list[_Request]]:
    """The batch's requests by snapshot and language, in the order they came."""
    groups: dict[tuple[int, Lang], list[_Request]] = {}
    for request in batch:
        groups.setdefault((id(request.snapshot), request.lang), []).append(request)
    return list(groups.values())
