"""A batch run is written to ``OUT/.incoming`` and moved into ``OUT`` only when it has succeeded.

So a run that fails or is stopped midway leaves the previous results as they were.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oneclick.batch.report_inputs import REPORT_INPUTS
from oneclick.layout import (
    BATCH_FILE,
    CAMPAIGN_DIR,
    EXCLUDED_FILE,
    OFFERS_DIR,
    QUALITY_FILE,
    QUARANTINE_FILE,
    SCORES_DIR,
    STAGING_DIR,
    WORK_DIR,
)


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """A staging folder inside ``out_dir``, moved into it when the block succeeds, removed either way."""
    staging = out_dir / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        yield staging
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# Everything a batch run writes into OUT: a new run replaces all of them, also those it does not write.
_OUTPUTS = (
    SCORES_DIR,
    OFFERS_DIR,
    CAMPAIGN_DIR,
    QUALITY_FILE,
    QUARANTINE_FILE,
    EXCLUDED_FILE,
    BATCH_FILE,
    *REPORT_INPUTS,
)


def _publish(staging: Path, out_dir: Path) -> None:
    """Move a finished run from ``staging`` into ``out_dir``, replacing the previous run's outputs."""
    shutil.rmtree(staging / WORK_DIR, ignore_errors=True)
    for name in _OUTPUTS:
        old = out_dir / name
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink(missing_ok=True)
    for entry in staging.iterdir():
        target = out_dir / entry.name
        if entry.is_dir() and target.is_dir():
            # A folder the batch shares with others (model/: beside the metrics it copies there may
            # be the model itself): its files are moved in one by one, nothing else in it is touched.
            for path in sorted(p for p in entry.rglob("*") if p.is_file()):
                moved = target / path.relative_to(entry)
                moved.parent.mkdir(parents=True, exist_ok=True)
                path.replace(moved)
        else:
            entry.replace(target)
