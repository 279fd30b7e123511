"""One BLAS/OpenMP thread for a block: the process's threads go to customers, not to one matrix.

``threadpoolctl.threadpool_limits`` looks up the loaded libraries at every call (it reads the
process's memory map: ~5 ms); the controller here looks once and is reused, so a request of one
customer does not pay that twice.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    return ThreadpoolController()


def one_thread() -> Any:
    """A context manager limiting every thread pool to one thread for its block."""
    return _controller().limit(limits=1)
