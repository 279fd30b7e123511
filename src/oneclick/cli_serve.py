"""``oneclick serve``: the scoring service and the dashboard over a store of runs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from oneclick.cli_options import DEFAULT_STORE, StoreOption, fail
from oneclick.errors import OneClickError


def serve(
    store: StoreOption = DEFAULT_STORE,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 behind a proxy.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    keys_file: Annotated[
        Path | None,
        typer.Option(
            "--keys-file",
            envvar="ONECLICK_API_KEYS_FILE",
            help="API keys, one per line (also: ONECLICK_API_KEYS, comma-separated). Each at least 16 characters.",
        ),
    ] = None,
    max_body_mb: Annotated[float, typer.Option("--max-body-mb", min=0.001, help="Largest request body, MiB.")] = 16.0,
    refresh_seconds: Annotated[
        float, typer.Option("--refresh-seconds", min=0.1, help="How often to look for a new run or champion.")
    ] = 2.0,
) -> None:
    """Serve POST /v1/score, the latest run's customers, segments and campaign, and the dashboard at /.

    The model is the store's champion, loaded once; a new run or champion in the store is picked
    up within --refresh-seconds. OpenAPI at /docs and /openapi.json (with a key).
    """
    import uvicorn

    from oneclick.serve import ServiceSettings, create_app, load_api_keys

    try:
        settings = ServiceSettings(
            store=store,
            api_keys=load_api_keys(os.environ, keys_file),
            max_body_bytes=int(max_body_mb * 1024 * 1024),
            refresh_seconds=refresh_seconds,
        )
        app = create_app(settings)
    except OneClickError as err:
        fail(err)
    typer.echo(f"serving {store} on http://{host}:{port} (dashboard at /, API docs at /docs)", err=True)
    # One process (the model is loaded once); uvloop and httptools, the fastest loop and parser uvicorn has.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, loop="uvloop", http="httptools")
