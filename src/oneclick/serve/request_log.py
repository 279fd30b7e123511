"""Every scoring request, logged to the store's ``score_requests`` for monitoring to read later.

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


class RequestLog:
    """Entries (time, key id, customers, latency, status) waiting to be written to the store."""

    def __init__(self, store: Path) -> None:
        self.store = Path(store)
        self._waiting: deque[tuple[datetime, str, int, float, int]] = deque()
        self._lock = threading.Lock()
        self.dropped = 0
        self.written = 0

    def record(self, key_id: str, n_customers: int, latency_ms: float, status: int) -> None:
        with self._lock:
            if len(self._waiting) >= MAX_WAITING:
                self._waiting.popleft()
                self.dropped += 1
            self._waiting.append((datetime.now(UTC).replace(tzinfo=None), key_id, n_customers, latency_ms, status))

    def flush(self, *, timeout: float = 0.5) -> int:
        """Write the waiting entries; returns how many. A busy store keeps them for the next try."""
        with self._lock:
            entries = list(self._waiting)
        if not entries:
            return 0
        try:
            with writing(self.store, timeout=timeout) as connection:
                connection.executemany("INSERT INTO score_requests VALUES (?, ?, ?, ?, ?)", entries)
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
