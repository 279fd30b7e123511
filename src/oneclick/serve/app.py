"""The service in one process: the API, the dashboard, and a worker that keeps the store in view.

The worker thread, every ``refresh_seconds``: writes the request log to the store, then checks
whether the store has a new run or champion and, if so, swaps in a new snapshot (and makes it
ready: :func:`make_ready`). It is the only thread that opens the store, so the process never
holds it open in two ways at once. Scoring requests are scored on the event loop, the small ones
together (:mod:`oneclick.serve.batching`); uvicorn runs one process, so the model is loaded once.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.middleware.sessions import SessionMiddleware

from oneclick.errors import OneClickError
from oneclick.features import input_fields
from oneclick.serve import api
from oneclick.serve.batching import ScoringQueue
from oneclick.serve.request_log import RequestLog
from oneclick.serve.schemas import Health
from oneclick.serve.scoring import score_sent
from oneclick.serve.security import (
    API_KEY_HEADER,
    BodyLimit,
    Unauthorized,
    require_key,
    server_error,
    unauthorized,
)
from oneclick.serve.settings import ServiceSettings
from oneclick.serve.snapshot import Snapshot, SnapshotHolder

log = logging.getLogger("oneclick.serve")


class StoreWorker:
    """Flushes the request log and refreshes the snapshot, every period, on one thread."""

    def __init__(self, snapshots: SnapshotHolder, request_log: RequestLog, period: float) -> None:
        self.snapshots, self.request_log, self.period = snapshots, request_log, period
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="oneclick-store", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            try:
                self.request_log.flush()
                if self.snapshots.refresh():
                    make_ready(self.snapshots.current)
            except Exception:  # the worker must outlive any one failure; the next period tries again
                log.exception("store worker")

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        self.request_log.flush(timeout=10)


def make_ready(snapshot: Snapshot) -> None:
    """Score one of the served run's customers, then keep what is loaded out of the garbage collector's way.

    What is made once per model (its explainer, the fast form of its preprocessing) is made here,
    not by the first request. Then ``gc.freeze``: a full pass of the cyclic garbage collector over
    the ~230,000 objects of the libraries and the model took ~150 ms, every few hundred requests,
    the slowest answers of all; frozen objects are left out of those passes (and still freed by
    their reference counts).
    """
    if snapshot.run_id is not None and snapshot.has_table("customers"):
        frame = snapshot.query("SELECT * FROM customers ORDER BY customer_id LIMIT 1")
        names = [f.name for f in input_fields() if f.name in frame.columns]
        try:
            score_sent(snapshot, [{name: frame[name].tolist()[0] for name in names}])
        except OneClickError as err:  # the run's own customer: the service still starts, and says why
            log.warning("scoring a customer of run %s failed: %s", snapshot.run_id, err)
    gc.collect()
    gc.freeze()


def create_app(settings: ServiceSettings, *, dashboard: bool = True) -> FastAPI:
    """The FastAPI application; the store is read when it starts (its lifespan), not here."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        snapshots = SnapshotHolder(settings.store)
        make_ready(snapshots.current)
        request_log = RequestLog(settings.store)
        worker = StoreWorker(snapshots, request_log, settings.refresh_seconds)
        scoring = ScoringQueue(score_sent, max_customers=settings.batch_customers)
        app.state.snapshots, app.state.request_log, app.state.worker = snapshots, request_log, worker
        app.state.scoring = scoring
        worker.start()
        await scoring.start()
        try:
            yield
        finally:
            await scoring.stop()
            worker.stop()
            snapshots.close()
            gc.unfreeze()

    app = FastAPI(
        title="oneclick",
        version="1",
        summary="Decline risk, segments and offers of «В один клик»'s regular customers",
        description=(
            f"Every route but /health needs an API key in the `{API_KEY_HEADER}` header. "
            "Money is in profit units, as money.csv's profit."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.add_exception_handler(Unauthorized, unauthorized)
    app.add_exception_handler(Exception, server_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.include_router(api.router)
    _docs(app)

    @app.get("/health", response_model=Health, summary="Alive, and what it serves (no key needed)")
    async def health(request: Request) -> dict[str, object]:  # reads no store: no thread-pool hop
        holder: SnapshotHolder = request.app.state.snapshots
        snapshot = holder.current
        return {
            "status": "ok",
            "model_id": snapshot.model_id,
            "run_id": snapshot.run_id,
            "loaded_at": snapshot.loaded_at.astimezone(UTC).isoformat(),
            "store_error": holder.last_error,
        }

    if dashboard:
        from oneclick.serve.dashboard import add_dashboard

        add_dashboard(app)
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret, same_site="strict", https_only=False)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 (each error names its field's location and what was expected); a scoring request is logged."""
    if request.url.path == "/v1/score":
        key_id = request.app.state.settings.key_id_of(request.headers.get(API_KEY_HEADER)) or "none"
        request.app.state.request_log.record(key_id, 0, 0.0, 422)
    assert isinstance(exc, RequestValidationError)
    return await request_validation_exception_handler(request, RequestValidationError(_one_shape(exc.errors())))


LIST_BRANCH = "list[Customer]"


def _one_shape(errors: Sequence[Any]) -> list[Any]:
    """A body that may be one customer or a list fails as both; keep the errors of the shape it had.

    pydantic reports each member of ``Customer | list[Customer]``: ``["body", "Customer", field]``
    and ``["body", "list[Customer]", 3, field]``. An object keeps the first kind, a list the
    second, each without the member's name, so the location reads ``["body", 3, "pages_per_visit"]``.
    """
    branches = {str(e["loc"][1]) for e in errors if len(e.get("loc", ())) > 1 and e["loc"][0] == "body"}
    if not branches <= {"Customer", LIST_BRANCH} or len(branches) < 2:
        return list(errors)
    sent_list = any(e["loc"][1] == LIST_BRANCH and e["type"] != "list_type" for e in errors)
    keep = LIST_BRANCH if sent_list else "Customer"
    return [e | {"loc": ("body", *e["loc"][2:])} for e in errors if e["loc"][1] == keep]


def _docs(app: FastAPI) -> None:
    """OpenAPI at /openapi.json and Swagger UI at /docs, behind the key like every route."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles
    from swagger_ui_bundle import swagger_ui_path

    app.mount("/docs-static", StaticFiles(directory=swagger_ui_path), name="docs-static")

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(request: Request) -> JSONResponse:
        require_key(request, request.headers.get(API_KEY_HEADER))
        return JSONResponse(app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> object:
        require_key(request, request.headers.get(API_KEY_HEADER))
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="oneclick API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js",
            swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon-32x32.png",
        )
