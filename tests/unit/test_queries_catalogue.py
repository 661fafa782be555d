"""The query library's files: headers complete, parameters consistent, Cypher portable, docs fresh.

What runs where is tested in tests/integration/test_queries.py; these checks need no store.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import catalogue, docs, schema
from graph.store import is_write_query

ROOT = Path(__file__).resolve().parents[2]
QUERY_DIR = ROOT / "cypher" / "queries"
FILES = sorted(QUERY_DIR.glob("*.cypher"))
HEADER_KEYS = {"name", "question", "param", "example"}

# Constructs one of the two stores lacks, or that make results differ between them.
NOT_PORTABLE = {
    r"\bdatetime\s*\(": "datetime()",
    r"\bduration\s*\.": "duration functions",
    r"\belementId\s*\(": "elementId()",
    r"(?<![\w.])id\s*\(": "id()",
    r"\bEXISTS\s*\{": "EXISTS {} subqueries",
    r"\bCOUNT\s*\{": "COUNT {} subqueries",
    r"\bCALL\b": "CALL (subqueries and procedures)",
    r"\bapoc\.": "APOC",
    r"\bavg\s*\(": "avg() (float formatting differs; compute and round explicitly)",
    r"(?<!all)shortestPath\s*\(": "shortestPath() outside allShortestPaths",
}
# Single-row queries (one actor by id) need no ORDER BY.
SINGLE_ROW = {"actor-profile"}


def _entry(path: Path) -> catalogue.CypherFile:
    return catalogue.get(f"queries/{path.stem}")


def _header_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("//"):
            break
        lines.append(line)
    return lines


def test_the_library_has_the_queries_analysts_need() -> None:
    names = {path.stem for path in FILES}
    assert len(names) >= 16
    assert {
        "actor-ties",
        "agreements-between",
        "actor-memberships",
        "organization-members",
        "actor-timeline",
        "renewals-due",
        "draft-agreements",
        "who-supplies-whom",
        "joint-exercises",
        "shortest-chain",
        "common-ties",
        "most-central",
        "bilateral-vs-multilateral",
        "tie-evidence",
        "actor-documents",
    } <= names
    assert set(catalogue.library()) == names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_header_is_complete(path: Path) -> None:
    header = _header_lines(path)
    keys = [line[2:].strip().partition(":")[0].strip() for line in header]
    assert set(keys) <= HEADER_KEYS, f"{path.name}: unknown header lines {set(keys) - HEADER_KEYS}"
    for key in ("name", "question", "example"):
        assert keys.count(key) == 1, f"{path.name}: needs exactly one `// {key}:` line"
    entry = _entry(path)
    assert entry.name == path.stem
    assert entry.question.endswith("?"), f"{path.name}: the question should be a question"
    assert entry.example.startswith("-p "), f"{path.name}: the example gives -p parameters"
    assert entry.cypher, f"{path.name}: no Cypher after the header"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_parameters_declared_and_used(path: Path) -> None:
    entry = _entry(path)
    declared = [param.name for param in entry.params]
    assert len(declared) == len(set(declared)), f"{path.name}: a parameter is declared twice"
    used = set(re.findall(r"\$(\w+)", entry.cypher))
    assert used <= set(declared), f"{path.name}: undeclared {sorted(used - set(declared))}"
    assert set(declared) <= used, f"{path.name}: declared but unused {set(declared) - used}"
    example = entry.example_params()
    assert set(example) <= set(declared), f"{path.name}: the example sets unknown parameters"
    bound = entry.bind(example)  # every required parameter is in the example
    for param in entry.params:
        if param.type == "int":
            assert isinstance(bound[param.name], int)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_cypher_is_read_only_and_portable(path: Path) -> None:
    text = _entry(path).cypher
    assert not is_write_query(text), f"{path.name}: library queries must not write"
    for pattern, what in NOT_PORTABLE.items():
        assert not re.search(pattern, text, re.IGNORECASE), f"{path.name}: uses {what}"
    for match in re.finditer(r"\bsum\s*\(", text, re.IGNORECASE):
        before = text[: match.start()].rstrip()
        assert before.endswith("toInteger("), f"{path.name}: sum() is a float on FalkorDB"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_rows_come_in_a_fixed_order(path: Path) -> None:
    if path.stem in SINGLE_ROW:
        return
    text = _entry(path).cypher
    last_return = text.upper().rfind("RETURN")
    assert "ORDER BY" in text.upper()[last_return:], f"{path.name}: the final rows need ORDER BY"


def test_shortest_chain_uses_the_portable_form() -> None:
    text = catalogue.library_query("shortest-chain").cypher
    assert "WITH a, b\nMATCH p = allShortestPaths((a)-[:" in text
    assert "*..6]-(b))" in text


@pytest.mark.parametrize("name", ["shortest-chain", "common-ties"])
def test_walks_follow_every_fact_type(name: str) -> None:
    """The type lists are spelt out (no MENTIONS hops through documents); they must follow
    graph/schema.py when a relationship type is added."""
    text = catalogue.library_query(name).cypher
    lists = re.findall(r"\[:([A-Z_|]+)\*", text)
    assert lists, f"{name}: expected variable-length patterns with a type list"
    for found in lists:
        assert sorted(found.split("|")) == sorted(schema.FACT_RELATIONSHIPS)


def test_docs_page_is_up_to_date() -> None:
    page = ROOT / "docs" / "queries.md"
    assert page.exists(), "docs/queries.md is missing: run `make docs`"
    assert page.read_text(encoding="utf-8") == docs.render(), (
        "docs/queries.md is out of date with cypher/queries/: run `make docs`"
    )


def test_docs_page_shows_every_query() -> None:
    page = docs.render()
    for name, entry in catalogue.library().items():
        assert f"## {name}\n" in page
        assert f"ties query {name} {entry.example}" in page
        assert entry.question in page
    assert docs.render() == page  # deterministic
