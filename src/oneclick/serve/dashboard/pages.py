"""What every page shares: who is signed in, the language, the CSRF token, the templates and their filters.

- A page without a signed-in session redirects to ``/login?next=<the page>``; a CSV or JSON
  endpoint answers 401 instead (a key in ``X-API-Key`` works there too, for the CRM).
- The language is ``?lang=ru|en``, kept in the session; Russian by default.
- Every POST form carries the session's CSRF token; the cookie is also ``SameSite=Strict``.
- Templates are Jinja2 with autoescape on; every page is sent with a Content-Security-Policy
  allowing only this origin (and inline ``data:`` images), so nothing is fetched from elsewhere.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from oneclick.language import LANGS, Lang
from oneclick.report import i18n, names
from oneclick.serve.dashboard.words import w
from oneclick.serve.security import API_KEY_HEADER, Unauthorized, require_key
from oneclick.serve.snapshot import Snapshot

HERE = Path(__file__).parent
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class LoginRequired(Exception):
    """A page was asked for without a signed-in session; answered by a redirect to the login."""

    def __init__(self, back_to: str) -> None:
        super().__init__(back_to)
        self.back_to = back_to


def signed_in(request: Request) -> str:
    """The key id of the signed-in session (a page's dependency); :class:`LoginRequired` without one."""
    try:
        return require_key(request, None)
    except Unauthorized as err:
        raise LoginRequired(_path_of(request)) from err


def signed_in_or_key(request: Request) -> str:
    """The key id of the session or of the ``X-API-Key`` header (a download's dependency); 401 without."""
    return require_key(request, request.headers.get(API_KEY_HEADER))


def log_request(request: Request, route: str, n_customers: int, started: float, status: int) -> None:
    """Log a what-if or a CRM download to the store's request log, as the API logs its scoring."""
    latency_ms = (time.perf_counter() - started) * 1000
    request.app.state.request_log.record(signed_in_or_key(request), n_customers, latency_ms, status, route)


async def to_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse("/login?next=" + quote(exc.back_to, safe="/"), status_code=303)


def _path_of(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(target: str | None) -> str:
    """``target`` if it is a path of this site, else ``/``: a login never redirects elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def lang_of(request: Request) -> Lang:
    """The page's language: ``?lang=`` when given (and kept in the session), else the session's, else Russian."""
    asked = request.query_params.get("lang")
    for lang in LANGS:
        if asked == lang:
            request.session["lang"] = lang
            return lang
    kept = request.session.get("lang")
    return next((lang for lang in LANGS if lang == kept), "ru")


def csrf_token(request: Request) -> str:
    """The session's token for POST forms (made on first use)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_ok(request: Request, sent: str | None) -> bool:
    kept = request.session.get("csrf")
    return isinstance(kept, str) and isinstance(sent, str) and hmac.compare_digest(kept.encode(), sent.encode())


def snapshot_of(request: Request) -> Snapshot:
    return request.app.state.snapshots.current


def titles_of(snapshot: Snapshot) -> dict[str, names.Titles]:
    """Every segment's and offer's title in both languages, from the served run's rules."""
    return names.rule_titles(snapshot.rules.scheme, snapshot.rules.catalogue)


class PageCache:
    """Costly results (the map, plans at a budget) for the current snapshot, by key, at most ``limit``.

    A new snapshot starts it afresh. A result is computed outside the lock, so a slow one (a plan
    at an awkward budget) does not hold up the other pages; two requests may compute it twice.
    """

    def __init__(self, limit: int = 64) -> None:
        self._lock = threading.Lock()
        self._limit = limit
        self._snapshot = 0
        self._items: dict[tuple[Any, ...], Any] = {}

    def get(self, snapshot: Snapshot, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        with self._lock:
            if self._snapshot != id(snapshot):
                self._snapshot, self._items = id(snapshot), {}
            if key in self._items:
                return self._items[key]
        made = make()
        with self._lock:
            if self._snapshot == id(snapshot):
                self._items[key] = made
                while len(self._items) > self._limit:
                    self._items.pop(next(iter(self._items)))  # the oldest first
        return made


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every value is escaped; nothing is marked safe
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["integer"] = lambda value, lang: i18n.integer(value, lang) if value is not None else "—"
    env.filters["number"] = lambda value, lang, digits=2: i18n.number(value, lang, digits)
    env.filters["percent"] = lambda value, lang, digits=1: (
        i18n.percent(value, lang, digits) if value is not None else "—"
    )
    env.filters["money_month"] = lambda value, lang, digits=1: (
        i18n.money(value, lang, digits, per_month=True) if value is not None else "—"
    )
    env.filters["money"] = lambda value, lang, digits=1: i18n.money(value, lang, digits) if value is not None else "—"
    return env


templates = Jinja2Templates(env=_environment())


def page(request: Request, template: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """A page rendered with the frame's context: language, words, the user, the language switch, the token."""
    lang: Lang = context.get("lang") or lang_of(request)
    snapshot = snapshot_of(request)
    other: Lang = "en" if lang == "ru" else "ru"
    frame = {
        "lang": lang,
        "w": lambda key, **values: w(key, lang, **values),
        "key_id": request.session.get("key_id"),
        "csrf": csrf_token(request),
        "other_lang": other,
        "other_lang_url": _with_lang(request, other),
        "run_id": snapshot.run_id,
        "model_id": snapshot.model_id,
        "path": request.url.path,
    }
    return templates.TemplateResponse(request, template, frame | context, status_code=status_code, headers=PAGE_HEADERS)


def _with_lang(request: Request, lang: Lang) -> str:
    """This page's path and query with ``lang`` set: a relative link, never another site."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", lang)]
    return "/" + request.url.path.lstrip("/") + "?" + urlencode(query)  # "//host" would be another site


def not_found(request: Request, message: str) -> Response:
    return page(
        request, "message.html.j2", {"title": w("not_found", lang_of(request)), "message": message}, status_code=404
    )


def signed(value: float, lang: Lang, digits: int) -> str:
    """A number with its sign: ``+0,45``, ``−0,12``."""
    return ("+" if round(value, digits) > 0 else "") + i18n.number(value, lang, digits)


def bar(value: float, top: float, width: float = 120.0) -> dict[str, float | bool]:
    """An inline SVG bar of ``value`` on a scale where ``top`` fills half of ``width`` (zero in the middle)."""
    length = 0.0 if top <= 0 else abs(value) / top * width / 2
    return {"x": width / 2 - length if value < 0 else width / 2, "width": round(length, 2), "raises": value > 0}


def moment(value: Any, lang: Lang) -> str:
    """A moment as the dashboard's pages write it; the store's text of it when it is not a timestamp."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value[:16]
    if not hasattr(value, "strftime"):
        return "—"
    return str(value.strftime("%d.%m.%Y %H:%M" if lang == "ru" else "%Y-%m-%d %H:%M"))
