"""The dashboard's campaign pages: the store's campaigns, one campaign's strata and results, unknown ids."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from test_dashboard import login

from campaign_results import CAMPAIGN_ID, campaign_in_store
from oneclick.serve import ServiceSettings, create_app
from oneclick.serve.dashboard.words import WORDS
from oneclick.serve.snapshot import SnapshotHolder


@pytest.fixture(scope="module")
def campaign_store(served_run: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The served run's store with one campaign, evaluated, and the catalogue version it taught."""
    import shutil

    store = tmp_path_factory.mktemp("campaigns") / "served.duckdb"
    shutil.copy(served_run[0], store)
    campaign_in_store(store, updated=True)
    return store


@pytest.fixture(scope="module")
def signed_in(campaign_store: Path, service_settings: ServiceSettings) -> Iterator[TestClient]:
    settings = ServiceSettings(store=campaign_store, api_keys=service_settings.api_keys)
    with TestClient(create_app(settings)) as client:
        login(client, service_settings.api_keys[0])
        yield client


def test_the_campaigns_page_lists_the_campaign_with_its_arms(signed_in: TestClient) -> None:
    html = signed_in.get("/campaigns?lang=en").text
    row = re.search(rf'<tr data-campaign="{CAMPAIGN_ID}">.*?</tr>', html, flags=re.DOTALL)
    assert row, "the campaign is not listed"
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group())
    assert cells[-2:] == ["4", "2"]  # treatment, control
    assert "evaluated (1)" in row.group()
    assert f'href="/campaigns/{CAMPAIGN_ID}"' in row.group()
    assert 'href="/campaigns" class="on"' in html  # the navigation marks the page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_campaigns_page_shows_its_strata_results_and_catalogue_change(signed_in: TestClient, lang: str) -> None:
    response = signed_in.get(f"/campaigns/{CAMPAIGN_ID[:18]}?lang={lang}")  # a prefix finds it
    assert response.status_code == 200
    html = response.text
    assert CAMPAIGN_ID in html
    strata = re.search(r'<table id="strata">.*?</table>', html, flags=re.DOTALL).group()
    assert strata.count("<tr>") == 3  # the header and two strata
    assert WORDS["stratum_too_small"][lang].split(":")[0].split("{")[0].strip() in strata  # the small one warns
    assert strata.count('class="warning"') == 1
    results = re.search(r'<section id="campaign-results">.*?</section>', html, flags=re.DOTALL).group()
    assert re.findall(r'data-verdict="(\w+)"', results) == ["works", "no_evidence", "harms"]
    assert results.count("<img") == 3 and "data:image/svg+xml" in results
    version_words = {"ru": "версия 1 и версия 2", "en": "version 1 and version 2"}
    assert version_words[lang] in results  # the catalogue's old and new figures, from the store's versions
    if lang == "en":
        text = html.replace(WORDS["other_lang"]["en"], "")
        assert re.findall(r"[^<>]{0,30}[а-яА-ЯёЁ]+[^<>]{0,30}", text) == []
    signed_in.get("/?lang=ru")


def test_an_unknown_campaign_is_a_404_that_says_so(signed_in: TestClient) -> None:
    response = signed_in.get("/campaigns/campaign-nope?lang=en")
    assert response.status_code == 404
    assert "The store has no campaign «campaign-nope»" in response.text
    assert signed_in.get("/campaigns/ca").status_code == 404  # too short to look up
    assert signed_in.get("/campaigns/%3Cscript%3E").text.count("<script>") == 0  # what the URL carries is escaped
    signed_in.get("/?lang=ru")


def test_the_pages_need_a_session(campaign_store: Path, service_settings: ServiceSettings) -> None:
    settings = ServiceSettings(store=campaign_store, api_keys=service_settings.api_keys)
    with TestClient(create_app(settings)) as client:
        for path in ("/campaigns", f"/campaigns/{CAMPAIGN_ID}"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_campaign_not_yet_evaluated_says_how_to_evaluate_it(
    store: Path, service_settings: ServiceSettings, tmp_path: Path
) -> None:
    holder = SnapshotHolder(store, work_root=tmp_path)
    try:
        campaign_in_store(store, updated=False, evaluated=False)
        assert holder.refresh(), "a new campaign in the store is a new snapshot"
        assert holder.current.query("SELECT count(*) AS n FROM campaigns")["n"].tolist() == [1]
    finally:
        holder.close()
    settings = ServiceSettings(store=store, api_keys=service_settings.api_keys)
    with TestClient(create_app(settings)) as client:
        login(client, service_settings.api_keys[0])
        html = client.get(f"/campaigns/{CAMPAIGN_ID}?lang=en").text
        assert f"`oneclick campaign evaluate {CAMPAIGN_ID} NEXT_EXPORT`" in html
        assert 'id="campaign-results"' not in html
        assert "not yet" in client.get("/campaigns?lang=en").text
