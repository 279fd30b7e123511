"""The dashboard's period comparisons: the list, one comparison in both languages, unknown ids, refreshes.

The comparisons are the library's own: the served run's period (the store's run) against a next
period written from the same synthetic export with its pages per visit moved down by one standard
deviation, judged by the store's champion, once with the new labels (the decay realised) and once
without (estimated). About a second for both.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape  # as the templates escape
from test_dashboard import login

from oneclick.analysis import period_changes
from oneclick.report.sections import changes_verdict
from oneclick.serve import ServiceSettings, create_app
from oneclick.serve.dashboard.changes_words import CHANGE_WORDS
from oneclick.serve.dashboard.words import WORDS
from oneclick.serve.snapshot import SnapshotHolder
from oneclick.store import reading, register_period_comparison
from oneclick.store.snapshot import copy_for_serving, store_state

DRIFTED = "pages_per_visit"


@pytest.fixture(scope="module")
def compared(served_run: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """``{"realised": ..., "estimated": ...}``: the JSON of the two comparisons (``as_dict()``)."""
    from oneclick.periods import compare_periods
    from oneclick.store import load_champion
    from oneclick.synth import write_next_period, write_synthetic_dataset

    root = tmp_path_factory.mktemp("periods")
    write_synthetic_dataset(root / "last", 400, seed=3)  # the served run's export (conftest)
    write_next_period(root / "last", root / "next", drift=f"{DRIFTED}:-1sd", seed=3)
    store = served_run[0]
    with reading(store) as connection:
        run_id = connection.execute("SELECT run_id FROM runs ORDER BY created_at DESC LIMIT 1").fetchall()[0][0]
    model_id, model = load_champion(store)
    return {
        name: compare_periods(
            run_id, root / "next", model=model, model_id=model_id, store=store, use_labels=use_labels
        ).as_dict()
        for name, use_labels in (("realised", True), ("estimated", False))
    }


@pytest.fixture(scope="module")
def changes_store(
    served_run: tuple[Path, Path], compared: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """The served run's store with both comparisons kept (the estimated one newer); their ids by name."""
    store = tmp_path_factory.mktemp("changes") / "served.duckdb"
    shutil.copy(served_run[0], store)
    ids = {name: register_period_comparison(store, compared[name]) for name in ("realised", "estimated")}
    return store, ids


@pytest.fixture(scope="module")
def signed_in(changes_store: tuple[Path, dict[str, str]], service_settings: ServiceSettings) -> Iterator[TestClient]:
    settings = ServiceSettings(store=changes_store[0], api_keys=service_settings.api_keys, refresh_seconds=60)
    with TestClient(create_app(settings)) as client:
        login(client, service_settings.api_keys[0])
        yield client


def _section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}"[^>]*>.*?</section>', html, flags=re.DOTALL)
    assert found, f"the page has no section {name!r}"
    return found.group()


def test_the_list_shows_each_comparison_newest_first_with_verdict_drift_and_auc(
    signed_in: TestClient, changes_store: tuple[Path, dict[str, str]], compared: dict[str, dict[str, Any]]
) -> None:
    ids = changes_store[1]
    html = signed_in.get("/changes?lang=en").text
    assert re.findall(r'<tr data-comparison="([^"]+)">', html) == [ids["estimated"], ids["realised"]]
    for name in ("realised", "estimated"):
        row = re.search(rf'<tr data-comparison="{ids[name]}">.*?</tr>', html, flags=re.DOTALL).group()
        result = compared[name]
        assert f'href="/changes/{ids[name]}"' in row
        assert f'data-verdict="{result["verdict"]}"' in row
        assert escape(changes_verdict.verdict_word(result["verdict"], "en")) in row
        drift = result["dataset_drift"]
        assert f"{drift['n_drifted']} of {drift['n_features']} features" in row
        figures = result["decay"]["estimate" if name == "estimated" else "realised"]["roc_auc"]
        low, high = figures["ci"]
        assert f'{figures["value"]:.3f} <span class="muted">({low:.3f} … {high:.3f})</span>' in row
        assert (escape(CHANGE_WORDS["estimate"]["en"]) in row) is (name == "estimated")
    assert 'href="/changes" class="on"' in html  # the navigation marks the page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_comparisons_page_shows_the_verdict_its_clauses_and_the_drifted_features(
    signed_in: TestClient, changes_store: tuple[Path, dict[str, str]], compared: dict[str, dict[str, Any]], lang: str
) -> None:
    comparison_id, result = changes_store[1]["realised"], compared["realised"]
    response = signed_in.get(f"/changes/{comparison_id[:-2]}?lang={lang}")  # an unambiguous prefix finds it
    assert response.status_code == 200
    html = response.text
    verdict = _section(html, "verdict")
    assert f'data-verdict="{result["verdict"]}"' in verdict
    assert escape(changes_verdict.verdict_meaning(result["verdict"], lang)) in verdict
    clauses = re.findall(r'<tr data-rule="(\w+)" data-holds="(yes|no)"', verdict)
    assert clauses == [(r["rule"], "yes" if r["holds"] else "no") for r in result["verdict_reasons"]]
    arranged = period_changes(result)  # each clause in the report's very words, with the same figures
    for reason in arranged["reasons"]:
        assert f"<td>{escape(changes_verdict.clause(arranged, reason, lang))}</td>" in verdict
    drifted = _section(html, "drifted")
    assert re.findall(r'<figure class="chart distribution" data-feature="(\w+)">', drifted) == [DRIFTED]
    bars = re.findall(r'<rect class="bar-(old|new)"[^>]*><title>', drifted)  # the bars, not the legend
    n_bins = len(next(f for f in result["features"] if f["feature"] == DRIFTED)["distribution"]["bins"])
    assert bars.count("old") == bars.count("new") == n_bins  # old beside new in every bin
    labels = re.findall(r'text-anchor="middle">([^<]+)</text>', drifted)
    assert len(labels) == n_bins and labels[0].startswith("≤ ") and labels[-1].startswith("&gt; ")  # deciles' edges
    features = re.findall(r'<tr data-feature="(\w+)" data-drift="(yes|no)"', drifted)
    assert len(features) == len(result["features"]) + 1  # and the model's probabilities
    assert [f for f, drift in features if drift == "yes" and f != "decline_probability"] == [DRIFTED]
    decay = _section(html, "decay")
    assert 'data-estimated="yes"' not in decay and escape(CHANGE_WORDS["estimate"][lang]) not in decay
    assert re.findall(r'<tr data-figure="(\w+)">', decay) == ["roc_auc", "brier", "precision", "recall"]
    migration = _section(html, "migration")
    assert migration.count('class="num same"') == 4  # the four cells on the diagonal
    segments = _section(html, "migration-segments")  # as the report shows it, the primary segments' matrix too
    assert segments.count("<tr><th>") - segments.count("<thead><tr><th>") == len(
        result["migration"]["primary_segment"]["rows_old"]
    )
    left = re.search(r'<tr data-group="left"><td>[^<]*</td><td class="num">(\d+)</td>', html).group(1)
    assert int(left) == result["customers"]["left"]["n"]
    if lang == "en":
        text = html.replace(WORDS["other_lang"]["en"], "")
        assert re.findall(r"[^<>]{0,30}[а-яА-ЯёЁ]+[^<>]{0,30}", text) == []
    signed_in.get("/?lang=ru")


def test_an_estimate_without_labels_is_flagged(
    signed_in: TestClient, changes_store: tuple[Path, dict[str, str]], compared: dict[str, dict[str, Any]]
) -> None:
    html = signed_in.get(f"/changes/{changes_store[1]['estimated']}?lang=en").text
    decay = _section(html, "decay")
    assert 'data-estimated="yes"' in decay and escape(CHANGE_WORDS["estimate"]["en"]) in decay
    assert escape("the new period has no labels") in decay
    rules = re.findall(r'<tr data-rule="(\w+)"', _section(html, "verdict"))
    assert rules == [r["rule"] for r in compared["estimated"]["verdict_reasons"]]
    assert escape(changes_verdict.word("rule_label_shift_none", "en")) in html  # the clause it could not test, said so
    signed_in.get("/?lang=ru")


def test_an_unknown_comparison_is_a_404_that_says_so(signed_in: TestClient) -> None:
    response = signed_in.get("/changes/periods-nope?lang=en")
    assert response.status_code == 404
    assert "The store has no comparison «periods-nope»" in response.text
    assert signed_in.get("/changes/pe").status_code == 404  # too short to look up
    assert signed_in.get("/changes/%3Cscript%3E").text.count("<script>") == 0  # what the URL carries is escaped
    signed_in.get("/?lang=ru")


def test_the_pages_need_a_session(
    changes_store: tuple[Path, dict[str, str]], service_settings: ServiceSettings
) -> None:
    settings = ServiceSettings(store=changes_store[0], api_keys=service_settings.api_keys, refresh_seconds=60)
    with TestClient(create_app(settings)) as client:
        for path in ("/changes", f"/changes/{changes_store[1]['realised']}"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_the_served_copy_holds_the_comparisons(changes_store: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    store, ids = changes_store
    copy = copy_for_serving(store, tmp_path / "copy.duckdb")
    assert copy.state.n_period_comparisons == 2 == store_state(store).n_period_comparisons
    with duckdb.connect(str(copy.path), read_only=True) as connection:  # the service's own file, not a store
        kept = connection.execute("SELECT comparison_id, verdict FROM period_comparisons ORDER BY 1").fetchall()
    with reading(store) as connection:
        assert kept == connection.execute("SELECT comparison_id, verdict FROM period_comparisons ORDER BY 1").fetchall()
    assert sorted(ids.values()) == [k for k, _ in kept]


def test_a_comparison_kept_after_the_start_is_shown_after_a_refresh(
    store: Path, compared: dict[str, dict[str, Any]], service_settings: ServiceSettings
) -> None:
    settings = ServiceSettings(store=store, api_keys=service_settings.api_keys, refresh_seconds=60)  # by hand below
    with TestClient(create_app(settings)) as client:
        login(client, service_settings.api_keys[0])
        assert escape(CHANGE_WORDS["no_changes"]["en"]) in client.get("/changes?lang=en").text
        snapshots: SnapshotHolder = client.app.state.snapshots  # type: ignore[attr-defined]
        assert snapshots.refresh() is False
        comparison_id = register_period_comparison(store, compared["realised"])
        assert client.get(f"/changes/{comparison_id}").status_code == 404  # not yet in the served copy
        assert snapshots.refresh() is True, "a new comparison in the store is a new snapshot"
        assert f'data-comparison="{comparison_id}"' in client.get("/changes?lang=en").text
        assert client.get(f"/changes/{comparison_id}").status_code == 200


def test_a_comparison_kept_in_another_format_is_said_so_not_an_error(
    store: Path, compared: dict[str, dict[str, Any]], service_settings: ServiceSettings
) -> None:
    result = compared["realised"]
    older = {key: result[key] for key in ("old", "new", "model", "verdict")}  # all the store itself asks for
    comparison_id = register_period_comparison(store, older)
    settings = ServiceSettings(store=store, api_keys=service_settings.api_keys, refresh_seconds=60)
    with TestClient(create_app(settings)) as client:
        login(client, service_settings.api_keys[0])
        listed = client.get("/changes?lang=en").text
        assert f'data-comparison="{comparison_id}"' in listed
        response = client.get(f"/changes/{comparison_id}?lang=en")
        assert response.status_code == 200
        assert f"The comparison «{comparison_id}» was kept in a format this version cannot show" in response.text
        # the library's check says what is wrong under the comparison's own id, not a file's name
        assert f"({comparison_id}: not a comparison of two periods" in response.text
        assert "changes.json" not in response.text
