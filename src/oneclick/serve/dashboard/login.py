"""Signing in with one of the service's API keys, and out. The session keeps only the key's id."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from oneclick.serve.dashboard.pages import csrf_ok, lang_of, page, safe_next
from oneclick.serve.dashboard.words import w
from oneclick.serve.security import Unauthorized, require_key
from oneclick.serve.settings import ServiceSettings

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, back_to: Annotated[str, Query(alias="next", max_length=2048)] = "/") -> Response:
    lang = lang_of(request)
    try:
        require_key(request, None)
    except Unauthorized:
        return page(request, "login.html.j2", {"lang": lang, "next": safe_next(back_to), "problem": None})
    return RedirectResponse(safe_next(back_to), status_code=303)


@router.post("/login")
def login(
    request: Request,
    key: Annotated[str, Form(max_length=1024)] = "",
    csrf: Annotated[str, Form(max_length=256)] = "",
    back_to: Annotated[str, Form(alias="next", max_length=2048)] = "/",
) -> Response:
    lang = lang_of(request)
    settings: ServiceSettings = request.app.state.settings
    if not csrf_ok(request, csrf):
        context = {"lang": lang, "next": safe_next(back_to), "problem": w("login_expired", lang)}
        return page(request, "login.html.j2", context, status_code=400)
    found = settings.key_id_of(key.strip())
    if found is None:
        context = {"lang": lang, "next": safe_next(back_to), "problem": w("login_wrong", lang)}
        return page(request, "login.html.j2", context, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) for the signed-in user
    request.session.update({"key_id": found, "lang": lang})
    return RedirectResponse(safe_next(back_to), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=256)] = "") -> Response:
    lang = lang_of(request)
    if csrf_ok(request, csrf):
        request.session.clear()
        request.session["lang"] = lang
    return RedirectResponse("/login", status_code=303)
