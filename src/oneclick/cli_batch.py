"""The out-of-core job behind ``oneclick score`` and ``oneclick offers`` with ``--engine local|dask``."""

from __future__ import annotations

from pathlib import Path

import typer

from oneclick.cli_options import fail, registered
from oneclick.config import Settings
from oneclick.errors import OneClickError


def run_out_of_core(
    data_dir: Path,
    model: Path,
    out: Path,
    engine: str,
    scheduler: str | None,
    batch_size: int,
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
        if engine not in ("local", "dask"):
            raise OneClickError(f"--engine {engine!r}: expected memory, local or dask")
        result = run_batch(
            data_dir,
            model,
            out,
            engine=engine,
            scheduler=scheduler,
            batch_size=batch_size,  # type: ignore[arg-type]
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
