"""A run against the period before it: the comparison ``oneclick run`` keeps and its report shows.

The last period is the one given (``--previous``: a data folder or a run id), or by default the
store's newest ``run`` of another export (another data fingerprint: the same export run again is
not a new period). It is compared with this run's customers as ``oneclick compare`` compares
them, under the model that served the last period: the previous run's own model when the store
holds it, else the champion. The result is kept in the store and written to the run folder
(``changes.json``), which the report's "changes since the last period" section reads.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from oneclick.errors import ConfigError, OneClickError
from oneclick.ingest import Policy
from oneclick.layout import CHANGES_FILE
from oneclick.model import LoadedModel
from oneclick.periods.compare import compare_periods
from oneclick.periods.sources import locate

log = logging.getLogger("oneclick.periods")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class PreviousPeriod:
    """Which last period a run is compared with: ``source`` (a folder or a run id), else the store's
    newest run of another export when ``find`` (the default), else none."""

    source: str | None = None
    find: bool = True

    @classmethod
    def of(cls, source: str | None, no_previous: bool) -> PreviousPeriod:
        """From the options ``--previous SOURCE`` and ``--no-previous``; :class:`ConfigError` for both."""
        if source is not None and no_previous:
            raise ConfigError("--previous and --no-previous: give one of them (or neither: the store's last period)")
        return cls(source=source, find=not no_previous)

    def check(self, store: Path | None) -> None:
        """Fail before the run's work when the period given is neither a data folder nor a run in ``store``."""
        if self.source is None:
            return
        if store is None:
            raise ConfigError(f"previous period {self.source!r}: a run is compared with it only with a store")
        locate(self.source, "the previous period", store)


@dataclass(frozen=True)
class Changes:
    """What a run found against its last period: which one, the verdict, the stored comparison, the file."""

    previous: str
    comparison_id: str
    verdict: str
    path: Path


def compare_with_previous(
    run_id: str,
    out_dir: Path,
    *,
    store: Path,
    previous: PreviousPeriod,
    policy: Policy,
    seed: int = 0,
    progress: Progress | None = None,
) -> Changes | None:
    """Compare the registered run ``run_id`` with its last period; keep and write the result.

    Returns None when no last period was given and the store has none (the run is the store's
    first export). A last period found in the store that cannot be compared with this run (its
    features or model no longer fit) is logged and skipped; one given explicitly raises.

    Raises
    ------
    InputDataError, ModelArtifactError, StoreError : the given last period cannot be compared.
    """
    from oneclick.store import previous_period_run, reading, run_record

    source = previous.source
    if source is None:
        if not previous.find:
            return None
        with reading(store) as connection:
            fingerprint = run_record(connection, run_id)["data_fingerprint"]  # type: ignore[index]
        source = previous_period_run(store, fingerprint, before=run_id)
        if source is None:
            return None
    try:
        return _compare(source, run_id, out_dir, store, policy, seed, progress)
    except OneClickError as err:
        if previous.source is not None:
            raise
        log.warning("this run is not compared with the last period's run %s: %s", source, err)
        return None


def read_changes(path: Path) -> dict[str, Any]:
    """A run folder's ``changes.json``: the stored comparison's id and the comparison."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _compare(
    source: str,
    run_id: str,
    out_dir: Path,
    store: Path,
    policy: Policy,
    seed: int,
    progress: Progress | None,
) -> Changes:
    from oneclick.store import register_period_comparison

    model_id, model, model_source = _model_of(source, store)
    result = compare_periods(
        source,
        run_id,
        model=model,
        model_id=model_id,
        model_source=model_source,
        store=store,
        seed=seed,
        policy=policy,
        progress=progress,
    ).as_dict()
    comparison_id = register_period_comparison(store, result)
    path = Path(out_dir) / CHANGES_FILE
    path.write_text(
        json.dumps({"comparison_id": comparison_id, **result}, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return Changes(source, comparison_id, result["verdict"], path)


def _model_of(source: str, store: Path) -> tuple[str, LoadedModel, str]:
    """The model that served the last period: the previous run's own, else the store's champion."""
    from oneclick.store import load_champion, load_stored_model, reading, run_record

    with reading(store) as connection:
        record = run_record(connection, source)
    model_id = record.get("model_id") if record else None
    if model_id:
        return model_id, load_stored_model(store, model_id), f"the model of run {source}"
    champion_id, champion = load_champion(store)
    return champion_id, champion, f"champion of {store}"
