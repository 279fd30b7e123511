"""The out-of-core job behind ``oneclick score`` and ``oneclick offers`` with ``--engine local|dask``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from oneclick.cli_options import fail, registered
from oneclick.config import Settings
from oneclick.errors import OneClickError


@dataclass(frozen=True)
class Engine:
    """Where ``score``/``offers`` run: ``memory`` (pandas), or out of core on ``local`` or ``dask``."""

    name: str
    scheduler: str | None
    batch_size: int

    @property
    def is_out_of_core(self) -> bool:
        return self.name != "memory"


def run_out_of_core(
    data_dir: Path,
    model: Path,
    out: Path,
    engine: Engine,
    lang: str,
    settings: Settings,
    *,
    store: Path,
    with_offers: bool,
    reasons: bool = False,
) -> None:
    """The out-of-core job behind ``score``/``offers`` with ``--engine local|dask``, on the same settings."""
    from oneclick.batch import run_batch
    from oneclick.store.register import register_batch

    try:
        if engine.name not in ("local", "dask"):
            raise OneClickError(f"--engine {engine.name!r}: expected memory, local or dask")
        result = run_batch(
            data_dir,
            model,
            out,
            engine=engine.name,  # type: ignore[arg-type]
            scheduler=engine.scheduler,
            batch_size=engine.batch_size,
            with_offers=with_offers,
            budget=(settings.campaign_budget or None) if with_offers else None,
            reasons=reasons,
            lang=lang,  # type: ignore[arg-type]
            drivers="all",
            settings=settings,
        )
        run_id = register_batch(store, out, settings=settings, data_dir=data_dir, model_dir=model)
    except OneClickError as err:
        fail(err)
    registered(run_id, store)
    typer.echo(f"{result.rows:,} customers in {result.seconds:.1f} s ({result.engine} engine)", err=True)
    for path in result.outputs.values():
        typer.echo(str(path))
