"""Every scoring request, logged to the store's ``score_requests`` for monitoring to read later.

Logged: ``POST /v1/score``, the dashboard's what-ifs (``/customers/{id}/what-if``, and the card
when it is asked one) and its CRM downloads (``/campaign.csv``), each with its route.

Requests are answered first and logged after: entries wait in memory and are written in one
short transaction per refresh period. When the store is busy (a run is registering) they wait
for the next period; past ``MAX_WAITING`` entries the oldest are counted and dropped, and the
count is logged as a warning, never silently.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

from oneclick.errors import StoreError
from oneclick.store import writing

log = logging.getLogger("oneclick.serve")
MAX_WAITING = 1_000_000
SCORE_ROUTE = "/v1/score"
WHAT_IF_ROUTE = "/customers/{id}/what-if"
CRM_DOWNLOAD_ROUTE = "/campaign.csv"


class RequestLog:
    """Entries (time, key id, customers, latency, status, route) waiting to be written to the store."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self._waiting: deque[tuple[datetime, str, int, float, int, str]] = deque()
        self._lock = threading.Lock()
        self.dropped = 0
        self.written = 0

    def record(self, key_id: str, n_customers: int, latency_ms: float, status: int, route: str = SCORE_ROUTE) -> None:
        with self._lock:
            if len(self._waiting) >= MAX_WAITING:
                self._waiting.popleft()
                self.dropped += 1
            now = datetime.now(UTC).replace(tzinfo=None)
            self._waiting.append((now, key_id, n_customers, latency_ms, status, route))

    def flush(self, *, timeout: float = 0.5) -> int:
        """Write the waiting entries; returns how many. A busy store keeps them for the next try."""
        with self._lock:
            entries = list(self._waiting)
        if not entries:
            return 0
        try:
            with writing(self.store, timeout=timeout) as connection:
                connection.executemany(
                    "INSERT INTO score_requests (requested_at, key_id, n_customers, latency_ms, status, route) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    entries,
                )
        except StoreError as err:
            log.warning("request log not written yet (%d waiting): %s", len(entries), err)
            return 0
        with self._lock:
            for _ in range(min(len(entries), len(self._waiting))):
                self._waiting.popleft()
            if self.dropped:
                log.warning("request log: %d entries dropped while the store was busy", self.dropped)
        self.written += len(entries)
        return len(entries)
