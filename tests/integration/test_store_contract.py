"""The store contract, run on BOTH backends: what loading promises whatever the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import ReadOnlyViolation, StoreError
from graph.load import build_rows, graph_counts, schema_statements
from graph.store import Store, Write
from loaders.model import Actor, DocumentFacts, Evidence, Membership
from tests.conftest import ROOT
from tests.fixtures.tiny import tiny_facts


def load(store: Store, facts: list[DocumentFacts], background: bool = False) -> dict[str, int]:
    store.replace_graph(schema_statements(store.backend), build_rows(facts, background).writes())
    return graph_counts(store)


def test_tiny_graph_has_exact_counts(store: Store) -> None:
    counts = load(store, tiny_facts())
    assert counts == {
        "node:Actor": 3,
        "node:State": 2,
        "node:Organization": 1,
        "node:Agreement": 1,
        "node:Document": 1,
        "rel:MEMBER_OF": 1,
        "rel:PARTY_TO": 2,
        "rel:SUPPLIES": 1,
        "rel:MENTIONS": 4,
    }


AWKWARD_VALUES = [
    'quote " backslash \\ and a newline\n, a tab\t, a return\r',
    '{"key": 1}, ,"not":"a key", `backticks`',
    "été, 中文, emoji 🛰, line separator \u2028",
    "a bell \x07 and a NUL-free control \x01",  # JSON cannot carry these to FalkorDB as text
    "",
    "trailing backslash \\",
]


def test_parameters_come_back_as_they_were_sent(store: Store) -> None:
    """Rows reach the store as parameters, however their text is written: awkward strings,
    nested maps and lists, numbers, booleans and nulls come back equal, in both stores (each
    value alone, then all together)."""
    rows = [
        {"text": text, "n": i, "x": 0.25 * i, "ok": i % 2 == 0, "none": None, "list": [text, i]}
        for i, text in enumerate(AWKWARD_VALUES)
    ]
    query = (
        "UNWIND $rows AS row RETURN row.text AS text, row.n AS n, row.x AS x, row.ok AS ok, "
        "row.none AS none, row.list AS list ORDER BY n"
    )
    for row in rows:
        assert store.run(query, {"rows": [row]}) == [row]
    assert store.run(query, {"rows": rows}) == rows
    nested = {"deep": {"inner": [{"k": AWKWARD_VALUES[1], "n": [1, [2.5, None]]}]}}
    assert store.run("RETURN $p AS p, $q AS q", {"p": nested, "q": "x"}) == [
        {"p": nested, "q": "x"}
    ]


def test_every_fact_carries_its_sources(store: Store) -> None:
    load(store, tiny_facts())
    rows = store.run(
        "MATCH (a)-[r]->(b) RETURN type(r) AS type, r.sources AS sources, r.spans AS spans "
        "ORDER BY type"
    )
    assert rows and all(row["sources"] == ["doc1"] for row in rows)
    assert all(row["spans"] for row in rows)


def test_reload_is_idempotent(store: Store) -> None:
    first = load(store, tiny_facts())
    snapshot = store.run("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id")
    second = load(store, tiny_facts())
    assert first == second
    assert store.run("MATCH (n) RETURN n.id AS id, n.name AS name ORDER BY id") == snapshot


def test_failed_reload_leaves_the_previous_graph(store: Store) -> None:
    before = load(store, tiny_facts())

    def failing_writes() -> Iterator[Write]:
        yield from build_rows(tiny_facts(extra_actor=True), False).writes()[:3]
        raise RuntimeError("injected failure half-way through the reload")

    with pytest.raises((RuntimeError, StoreError)):
        store.replace_graph(schema_statements(store.backend), failing_writes())
    assert graph_counts(store) == before


def test_bad_statement_mid_reload_leaves_the_previous_graph(store: Store) -> None:
    before = load(store, tiny_facts())
    writes = build_rows(tiny_facts(extra_actor=True), False).writes()
    broken = [*writes[:2], Write("broken", "UNWIND $rows AS row RETURN row.", [{"x": 1}])]
    with pytest.raises(StoreError):
        store.replace_graph(schema_statements(store.backend), broken)
    assert graph_counts(store) == before


def test_unique_ids_are_enforced(store: Store) -> None:
    load(store, tiny_facts())
    with pytest.raises(StoreError):
        store.run("CREATE (:Actor {id: 'KZ'})", write=True)


def test_read_only_by_default(store: Store) -> None:
    load(store, tiny_facts())
    with pytest.raises(ReadOnlyViolation):
        store.run("MATCH (n) DETACH DELETE n")
    assert graph_counts(store)["node:Actor"] == 3


def test_syntax_error_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.run("MATCH (n RETURN n")
    assert "\n" not in str(caught.value)


def test_sample_corpus_same_counts_on_both_stores(
    embedded_store: Store, neo4j_store: Store, sample_facts: list[DocumentFacts]
) -> None:
    embedded = load(embedded_store, sample_facts, background=True)
    neo4j = load(neo4j_store, sample_facts, background=True)
    assert embedded == neo4j
    assert embedded["node:State"] >= 15


# -- a process killed in the middle of a reload --------------------------------------------------

KILLED_RELOAD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from graph.settings import Settings
    from graph.store import open_store, Write
    from graph.load import build_rows, schema_statements
    from tests.fixtures.tiny import tiny_facts

    settings = Settings({backend!r}, Path({home!r}), {uri!r}, {user!r}, {password!r}, None)
    store = open_store(settings)
    writes = build_rows(tiny_facts(extra_actor=True), False).writes()

    def slow():
        for index, write in enumerate(writes):
            yield write
            if index == 2:
                Path({marker!r}).write_text("half-way")
                time.sleep(60)

    store.replace_graph(schema_statements(store.backend), slow())
    """
)


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
def test_killed_reload_leaves_the_previous_graph(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    store: Store = request.getfixturevalue(f"{backend}_store")
    before = load(store, tiny_facts())
    if backend == "embedded":
        home = str(store.home)  # type: ignore[attr-defined]
        store.close()  # one process drives the embedded server at a time
        uri = user = password = None
    else:
        settings = request.getfixturevalue("neo4j_settings")
        home, uri, user, password = (
            str(tmp_path),
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
        )
    marker = tmp_path / "marker"
    script = KILLED_RELOAD.format(
        root=str(ROOT),
        backend=backend,
        home=home,
        uri=uri,
        user=user,
        password=password,
        marker=str(marker),
    )
    child = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, "the reload process died before the failure point"
        assert time.monotonic() < deadline, "the reload never reached half-way"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    if backend == "embedded":
        from graph.falkordb_store import FalkorDBStore

        reopened = FalkorDBStore(Path(home))
        try:
            assert graph_counts(reopened) == before
        finally:
            reopened.close()
    else:
        assert graph_counts(store) == before


def test_gazetteer_background_facts_name_their_dataset(embedded_store: Store) -> None:
    evidence = (Evidence("doc1", 0, 4, "OTSC et Kazakhstan."),)
    facts = DocumentFacts(
        document=tiny_facts()[0].document,
        actors=[
            Actor(
                "csto", "Collective Security Treaty Organization", "organization", evidence=evidence
            ),
            Actor("KZ", "Kazakhstan", "state", iso2="KZ", evidence=evidence),
        ],
        memberships=[Membership("KZ", "csto", evidence=evidence)],
    )
    load(embedded_store, [facts], background=True)
    rows = embedded_store.run(
        "MATCH (a)-[r:MEMBER_OF]->(o) RETURN a.id AS a, o.id AS o, r.sources AS sources, "
        "r.dataset AS dataset ORDER BY a"
    )
    assert rows == [{"a": "KZ", "o": "csto", "sources": ["doc1"], "dataset": rows[0]["dataset"]}]
    assert rows[0]["dataset"]  # the gazetteer also knows KZ is a member: both provenances kept


def test_embedded_store_survives_reload_and_reopen_cycles(tmp_path: Path) -> None:
    """Regression: with an append-only file, FalkorDB 4.22.1 crashed replaying the third reload."""
    from graph.falkordb_store import FalkorDBStore

    for _ in range(5):
        store = FalkorDBStore(tmp_path)
        try:
            load(store, tiny_facts())
            store.run("MATCH (a:Actor {id: 'KZ'}) SET a.note = 'kept'", write=True)
        finally:
            store.close()
    store = FalkorDBStore(tmp_path)
    try:
        assert graph_counts(store)["node:Actor"] == 3
        assert store.run("MATCH (a:Actor {id: 'KZ'}) RETURN a.note AS note") == [{"note": "kept"}]
    finally:
        store.close()
