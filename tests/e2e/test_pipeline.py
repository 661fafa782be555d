"""The main job end to end through the CLI: sample corpus -> graph -> centrality -> HTML."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from tests.conftest import SAMPLE_CORPUS

EXTERNAL = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(\s*["']?https?:""", re.I)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("NEO4J_URI", "TIES_STORE", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIES_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="ties")


def stats(*extra: str) -> dict:
    result = run("stats", "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_main_job_builds_the_graph_and_a_self_contained_page(env: Path) -> None:
    result = run("reload", str(SAMPLE_CORPUS))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Read 5 documents from {SAMPLE_CORPUS} (0 skipped)\n")
    assert "Centrality: " in result.output
    page = env / "network.html"
    assert f"Network page: {page}" in result.output
    html = page.read_text(encoding="utf-8")
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    counts = stats()["counts"]
    assert counts["node:State"] >= 15
    assert counts["node:Organization"] >= 8
    assert counts["node:Agreement"] >= 10
    assert stats()["without_sources"] == 0


def test_reloading_twice_changes_nothing(env: Path, tmp_path: Path) -> None:
    assert run("reload", str(SAMPLE_CORPUS), "--no-html").exit_code == 0
    first = stats()
    assert run("export", "--format", "json", "-o", str(tmp_path / "a.json")).exit_code == 0
    assert run("reload", str(SAMPLE_CORPUS), "--no-html").exit_code == 0
    assert stats() == first
    assert run("export", "--format", "json", "-o", str(tmp_path / "b.json")).exit_code == 0
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


def test_bad_files_are_named_and_the_rest_is_loaded(env: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (corpus / "latin1.txt").write_bytes(
        "Le Kazakhstan et la Turquie ont signé un accord de coopération militaire en 2022.".encode(
            "latin-1"
        )
    )
    result = CliRunner().invoke(cli, ["reload", str(corpus), "--no-html"], prog_name="ties")
    assert result.exit_code == 3, result.output
    assert "Skipped empty.txt: empty file\n" in result.output
    assert "Skipped image.txt: binary file, not text\n" in result.output
    assert "Warning: latin1.txt: not valid UTF-8" in result.output
    assert "Read 6 documents" in result.output  # five samples and the Latin-1 one
    documents = run("query", "--cypher", "MATCH (d:Document) RETURN d.source AS s ORDER BY s")
    assert "latin1.txt" in documents.output


def test_query_json_after_reload(env: Path) -> None:
    assert run("reload", str(SAMPLE_CORPUS), "--no-html").exit_code == 0
    result = run(
        "query", "--cypher", "MATCH (s:State) RETURN s.id AS id ORDER BY id", "--format", "json"
    )
    rows = json.loads(result.output)
    assert {"id": "KZ"} in rows and {"id": "RU"} in rows


@pytest.mark.neo4j
def test_neo4j_and_embedded_give_the_same_counts(
    env: Path, neo4j_settings: object, neo4j_store: object
) -> None:
    uri = neo4j_settings.neo4j_uri  # type: ignore[attr-defined]
    auth = [
        "--neo4j-uri",
        uri,
        "--neo4j-user",
        neo4j_settings.neo4j_user,  # type: ignore[attr-defined]
        "--neo4j-password",
        neo4j_settings.neo4j_password,  # type: ignore[attr-defined]
    ]
    assert run("reload", str(SAMPLE_CORPUS), "--no-html").exit_code == 0
    loaded = run("reload", str(SAMPLE_CORPUS), "--no-html", "--store", "neo4j", *auth)
    assert loaded.exit_code == 0, loaded.output
    assert stats("--store", "neo4j", *auth)["counts"] == stats()["counts"]


def test_sample_as_of_1800_reports_no_ties_and_the_undated_facts_left_out(env: Path) -> None:
    assert run("reload", str(SAMPLE_CORPUS), "--no-html").exit_code == 0
    early = run("analyze", "--as-of", "1800", "--json")
    assert early.exit_code == 0, early.output
    report = json.loads(early.output)
    assert report["ties"] == 0 and report["undated_left_out"] > 0
    assert json.loads(run("analyze", "--json").output)["ties"] > 20
    # The 2024 visit is dated by the document's dateline ("du 27 au 28 novembre"): not in 2000.
    visits = run(
        "query",
        "--cypher",
        "MATCH (:Person {id: 'vladimir-poutine'})-[r:VISITED]->() RETURN r.year AS year",
        "--json",
    )
    assert json.loads(visits.output) == [{"year": 2024}]
