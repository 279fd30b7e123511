"""Who may call, how much they may send, and what a failure tells them.

- Every route but ``/health`` needs a key in ``X-API-Key`` (the dashboard: a session made by
  logging in with one); a missing or wrong key is 401 either way.
- A body larger than the configured limit is refused with 413 before it is read whole: by its
  ``Content-Length``, or while it streams in when it has none.
- A server error answers a generic message and an error id; the traceback goes to the log
  under that id, never to the caller.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oneclick.serve.settings import ServiceSettings

log = logging.getLogger("oneclick.serve")
API_KEY_HEADER = "X-API-Key"
api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="One of the service's API keys")
UNAUTHORIZED = f"missing or wrong API key: send one of the service's keys in the {API_KEY_HEADER} header"


class Unauthorized(Exception):
    """Raised by the key check; answered 401."""


def require_key(request: Request, presented: str | None) -> str:
    """The key id of the caller: the API key sent, else the dashboard session's; :class:`Unauthorized` if none."""
    settings: ServiceSettings = request.app.state.settings
    found = settings.key_id_of(presented)
    if found is None and "session" in request.scope:
        found = request.session.get("key_id")
        if found is not None and found not in {settings.key_id_of(k) for k in settings.api_keys}:
            found = None
    if found is None:
        raise Unauthorized
    return found


async def unauthorized(request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": UNAUTHORIZED}, status_code=401, headers={"WWW-Authenticate": API_KEY_HEADER})


async def server_error(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex[:12]
    log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
    return JSONResponse(
        {"detail": "internal error; quote the error id when you report it", "error_id": error_id}, status_code=500
    )


class BodyLimit:
    """ASGI middleware: 413 for a request body over ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await _too_large(send, self.max_bytes)
            return
        received = 0
        refused = False

        async def limited() -> Message:
            # Past the limit the app is told the client left, so it stops reading; the 413 is ours.
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not refused:
                    refused = True
                    await _too_large(send, self.max_bytes)
                    return {"type": "http.disconnect"}
            return message

        async def unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, limited, unless_refused)
        except Exception:
            if not refused:
                raise


async def _too_large(send: Send, max_bytes: int) -> None:
    body = json.dumps({"detail": f"request body larger than {max_bytes} bytes"}).encode()
    headers: list[Any] = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
