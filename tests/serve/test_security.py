"""Who may call the service, how much they may send, and what a failure tells them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oneclick.errors import ConfigError
from oneclick.serve import ServiceSettings, key_id, load_api_keys
from serve_keys import KEY, OTHER_KEY


def _api_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route of the OpenAPI, with a valid example in each path parameter."""
    spec = client.get("/openapi.json", headers={"X-API-Key": KEY}).json()
    routes = []
    for path, operations in spec["paths"].items():
        for method in operations:
            routes.append((method.upper(), re.sub(r"\{[^}]+\}", "1", path)))
    return [*routes, ("GET", "/openapi.json"), ("GET", "/docs")]


def test_every_route_but_health_needs_a_key(client: TestClient) -> None:
    routes = _api_routes(client)
    assert {path for _, path in routes} >= {"/v1/score", "/v1/customers/1", "/v1/segments", "/v1/campaign", "/v1/runs"}
    for method, path in routes:
        if path == "/health":
            continue
        for headers in ({}, {"X-API-Key": "wrong-key-0123456789abcdef"}, {"X-API-Key": ""}, {"X-API-Key": KEY[:-1]}):
            answer = client.request(method, path, headers=headers, json={})
            assert answer.status_code == 401, (method, path, headers, answer.text)
            assert "X-API-Key" in answer.json()["detail"]
    assert client.get("/health").status_code == 200


def test_each_key_opens_the_routes(client: TestClient) -> None:
    for key in (KEY, OTHER_KEY):
        assert client.get("/v1/runs", headers={"X-API-Key": key}).status_code == 200


def test_a_body_over_the_limit_is_413(client: TestClient, headers: dict[str, str]) -> None:
    limit = client.app.state.settings.max_body_bytes  # type: ignore[attr-defined]
    body = b"[" + b" " * limit + b"]"
    answer = client.post("/v1/score", content=body, headers=headers | {"content-type": "application/json"})
    assert answer.status_code == 413
    assert str(limit) in answer.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused while it streams in
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = client.post("/v1/score", content=chunks(), headers=headers | {"content-type": "application/json"})
    assert streamed.status_code == 413


def test_a_server_error_answers_an_error_id_and_no_traceback(
    client: TestClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals at /srv/oneclick/model.py line 12")

    monkeypatch.setattr("oneclick.serve.api.campaign_at", broken)
    answer = client.get("/v1/campaign", headers=headers)
    assert answer.status_code == 500
    body = answer.json()
    assert set(body) == {"detail", "error_id"} and re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert "secret" not in answer.text and "Traceback" not in answer.text
    assert any(body["error_id"] in record.getMessage() for record in caplog.records)  # the log has it, by id


def test_keys_come_from_the_environment_or_a_file_and_short_ones_are_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("# the CRM\ncrm-key-0123456789abcdef\n\nsite-key-0123456789abcdef\n", encoding="utf-8")
    found = load_api_keys({"ONECLICK_API_KEYS": "a-key-0123456789abcdef, crm-key-0123456789abcdef"}, keys)
    assert found == ("a-key-0123456789abcdef", "crm-key-0123456789abcdef", "site-key-0123456789abcdef")
    with pytest.raises(ConfigError, match="no API keys"):
        ServiceSettings(store=tmp_path / "s.duckdb", api_keys=())
    with pytest.raises(ConfigError, match="shorter than 16"):
        ServiceSettings(store=tmp_path / "s.duckdb", api_keys=("short",))
    settings = ServiceSettings(store=tmp_path / "s.duckdb", api_keys=found)
    assert settings.key_id_of("site-key-0123456789abcdef") == key_id("site-key-0123456789abcdef")
    assert settings.key_id_of("site-key-0123456789abcdeF") is None
    assert "site-key" not in repr(settings)
