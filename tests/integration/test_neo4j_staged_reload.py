"""A Neo4j reload by stage and switch (graph/neo4j_store.py), on the real server.

The new graph is written in many small transactions under staging labels, switched in with one
transaction, and the previous graph deleted in batches after. These tests pin what readers see
at each step, with a one-row transaction budget (`batch_size=1`) so that a reload of the tiny
graph is a dozen transactions.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import graph.neo4j_store as neo4j_store
from graph.errors import StoreError
from graph.export import read_graph
from graph.load import build_rows, graph_counts, schema_statements
from graph.neo4j_store import STALE_LOCK_SECONDS
from graph.settings import Settings
from graph.store import Runner, Store, Write
from tests.fixtures.tiny import tiny_facts

OLD = {
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
NEW = {**OLD, "node:Actor": 4, "node:State": 3}  # the same document with China added


def writes(extra_actor: bool) -> list[Write]:
    return build_rows(tiny_facts(extra_actor), False).writes()


def reload(store: Store, extra_actor: bool, finish: Any = None, batch_size: int = 1) -> int:
    return store.replace_graph(schema_statements("neo4j"), writes(extra_actor), batch_size, finish)


def hidden(store: Store) -> dict[str, int]:
    """Nodes and relationships of the hidden generations (staged or retired)."""
    rows = store.run(
        "MATCH (n) WHERE n:Staged OR n:Retired "
        "OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels"
    )
    return rows[0]


@pytest.fixture
def reader(neo4j_settings: Settings) -> Iterator[Store]:
    """A second connection: what another user of the database sees during a reload."""
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore.from_settings(neo4j_settings)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def after_batches(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """`hooks.append(fn)`: fn() runs each time a staging transaction has committed."""
    hooks: list[Any] = []
    sized = neo4j_store.sized_batches

    def spying(rows: Any, size: int) -> Iterator[list[dict[str, Any]]]:
        for batch in sized(rows, size):
            yield batch  # the reload writes and commits this batch before asking for the next
            for hook in hooks:
                hook()

    monkeypatch.setattr(neo4j_store, "sized_batches", spying)
    return hooks


def test_readers_see_the_previous_graph_until_the_switch(
    neo4j_store: Store, reader: Store, after_batches: list[Any]
) -> None:
    reload(neo4j_store, extra_actor=False)
    before = read_graph(reader)
    seen: list[int] = []

    def look() -> None:
        # Committed staging transactions: the new graph is half written, and hidden.
        assert hidden(reader)["nodes"] > 0
        assert graph_counts(reader) == OLD
        assert read_graph(reader) == before
        assert reader.run("MATCH (a:Actor {id: 'CN'}) RETURN a.id AS id") == []
        seen.append(len(seen) + 1)

    after_batches.append(look)
    in_switch: list[dict[str, int]] = []

    def finish(run: Runner) -> None:
        # Inside the switch transaction: it sees the new graph, another session the old one.
        in_switch.append(
            {
                row["key"]: row["count"]
                for row in run("MATCH (a:Actor) RETURN 'actors' AS key, count(a) AS count", None)
            }
        )
        assert graph_counts(reader) == OLD
        assert read_graph(reader) == before

    statements = reload(neo4j_store, extra_actor=True, finish=finish)
    # 5 nodes and 9 relationships, one row per transaction.
    assert len(seen) == 14
    assert statements == 9 + 14 + 1  # schema statements, staging transactions, the switch
    assert in_switch == [{"actors": 4}]
    assert graph_counts(reader) == NEW
    assert hidden(reader) == {"nodes": 0, "rels": 0}  # the previous graph is deleted


def test_a_reload_failing_midway_leaves_the_previous_graph_and_nothing_staged(
    neo4j_store: Store, reader: Store, after_batches: list[Any]
) -> None:
    reload(neo4j_store, extra_actor=False)
    before = read_graph(reader)

    done: list[int] = []

    def fail() -> None:
        done.append(1)
        if len(done) == 8:  # nodes staged, some relationships too
            raise StoreError("the server went away half-way")

    after_batches.append(fail)
    with pytest.raises(StoreError, match="half-way"):
        reload(neo4j_store, extra_actor=True)
    assert read_graph(reader) == before
    assert graph_counts(reader) == OLD
    assert hidden(reader) == {"nodes": 0, "rels": 0}


def test_a_staged_graph_changed_by_someone_else_is_not_switched_in(
    neo4j_store: Store, reader: Store, after_batches: list[Any]
) -> None:
    reload(neo4j_store, extra_actor=False)
    before = read_graph(reader)

    done: list[int] = []

    def interfere() -> None:
        done.append(1)
        if len(done) == 13:  # say, another reload clearing what it takes for its own leftovers
            reader.run("MATCH (n:StagedActor {id: 'CN'}) DETACH DELETE n", write=True)

    after_batches.append(interfere)
    with pytest.raises(StoreError, match="nothing was switched"):
        reload(neo4j_store, extra_actor=True)
    assert read_graph(reader) == before
    assert hidden(reader) == {"nodes": 0, "rels": 0}


def test_leftovers_of_a_killed_reload_are_invisible_and_cleared_by_the_next(
    neo4j_store: Store, reader: Store
) -> None:
    reload(neo4j_store, extra_actor=False)
    before = read_graph(reader)
    # What a reload killed while staging, or right after its switch, leaves behind.
    reader.run(
        "CREATE (:Staged:StagedActor {id: 'KZ', name: 'half-written'})"
        "-[:SUPPLIES {sources: ['x']}]->(:Staged:StagedActor {id: 'RU'}) "
        "CREATE (:Retired {id: 'old', name: 'retired'})-[:MEMBER_OF]->(:Retired {id: 'older'})",
        write=True,
    )
    assert graph_counts(reader) == OLD
    assert read_graph(reader) == before
    assert [row["id"] for row in reader.run("MATCH (a:Actor) RETURN a.id AS id ORDER BY id")] == [
        "KZ",
        "RU",
        "csto",
    ]
    reload(neo4j_store, extra_actor=True)
    assert graph_counts(reader) == NEW
    assert hidden(reader) == {"nodes": 0, "rels": 0}


def test_only_load_statements_can_be_staged(neo4j_store: Store) -> None:
    reload(neo4j_store, extra_actor=False)
    custom = Write("custom", "UNWIND $rows AS row CREATE (:Actor {id: row.id})", [{"id": "X"}])
    with pytest.raises(StoreError, match="only the load statements of cypher/load/"):
        neo4j_store.replace_graph(schema_statements("neo4j"), [custom])
    assert graph_counts(neo4j_store) == OLD


def locks(store: Store) -> list[str]:
    return [r["owner"] for r in store.run("MATCH (l:ReloadLock) RETURN l.owner AS owner")]


def test_a_second_reload_started_meanwhile_is_refused_and_the_first_completes(
    neo4j_store: Store, reader: Store, after_batches: list[Any]
) -> None:
    """Two reloads of one database at once: the second would have deleted the first one's
    staged graph as leftovers, and both failed. Now the second is refused at once, with the
    previous graph unchanged, and the first switches in."""
    reload(neo4j_store, extra_actor=False)
    refused: list[str] = []

    def second_reload() -> None:
        if not refused:
            with pytest.raises(StoreError, match="another reload is writing") as info:
                reload(reader, extra_actor=False)
            refused.append(str(info.value))
            assert graph_counts(reader) == OLD  # the refused one changed nothing

    after_batches.append(second_reload)
    reload(neo4j_store, extra_actor=True)
    assert len(refused) == 1 and "the graph is unchanged" in refused[0]
    assert graph_counts(reader) == NEW
    assert hidden(reader) == {"nodes": 0, "rels": 0}
    assert locks(reader) == []  # given back


def test_a_lock_left_by_a_dead_reload_is_taken_over_once_stale(
    neo4j_store: Store, reader: Store
) -> None:
    reload(neo4j_store, extra_actor=False)
    reader.run(
        "CREATE (:ReloadLock {id: 'reload', owner: 'dead', renewed: datetime()})", write=True
    )
    with pytest.raises(StoreError, match="another reload is writing"):
        reload(neo4j_store, extra_actor=True)
    assert graph_counts(reader) == OLD
    assert locks(reader) == ["dead"]  # a refused reload leaves the holder's lock alone
    reader.run(
        "MATCH (l:ReloadLock) SET l.renewed = datetime() - duration({seconds: $age})",
        {"age": STALE_LOCK_SECONDS + 60},
        write=True,
    )
    reload(neo4j_store, extra_actor=True)
    assert graph_counts(reader) == NEW
    assert locks(reader) == []


def test_a_failed_reload_gives_its_lock_back(
    neo4j_store: Store, reader: Store, after_batches: list[Any]
) -> None:
    def fail() -> None:
        raise StoreError("the server went away")

    after_batches.append(fail)
    with pytest.raises(StoreError, match="went away"):
        reload(neo4j_store, extra_actor=True)
    assert locks(reader) == []
