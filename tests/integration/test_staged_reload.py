"""A staged reload on the embedded store (`graph.store.Staged`): the store is released while the
scores are computed, so a reader opens it on the previous graph meanwhile; the scores then
switch in with the new graph, or, when computing them fails, the previous graph stays and no
half-written graph is left. Real stores, the tiny known graph."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from graph import falkordb_store
from graph.errors import StoreError
from graph.falkordb_store import PENDING_KEY, FalkorDBStore
from graph.load import build_rows, schema_statements
from graph.store import Runner, Staged
from tests.fixtures.tiny import tiny_facts

COUNT = "MATCH (n) RETURN count(n) AS n"
ACTORS = "MATCH (a:Actor) RETURN a.id AS id, a.pagerank AS score ORDER BY id"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A reader that found the store held would wait 1 s and fail "busy", not 120 s.
    monkeypatch.setattr(falkordb_store, "LOCK_TIMEOUT_S", 1.0)
    return tmp_path / "home"


def reload(store: FalkorDBStore, finish: Any = None) -> None:
    writes = build_rows(tiny_facts(), False).writes()
    store.replace_graph(schema_statements("embedded"), writes, finish=finish)


def count_actors(run: Runner) -> int:
    return run("MATCH (a:Actor) RETURN count(a) AS n", None)[0]["n"]


def score_all(run: Runner, value: float) -> None:
    run("MATCH (a:Actor) SET a.pagerank = $value", {"value": value})


def test_a_reader_opens_the_store_on_the_previous_graph_while_scores_are_computed(
    home: Path,
) -> None:
    store = FalkorDBStore(home)
    store.run("CREATE (:Marker {n: 1})", write=True)
    seen: list[Any] = []

    def compute(actors: int) -> float:
        reader = FalkorDBStore(home)
        try:
            seen.append(reader.run(COUNT))
        finally:
            reader.close()
        return actors / 10

    try:
        reload(store, Staged(count_actors, compute, score_all))
        assert seen == [[{"n": 1}]]
        assert store.run(ACTORS) == [
            {"id": "KZ", "score": 0.3},
            {"id": "RU", "score": 0.3},
            {"id": "csto", "score": 0.3},
        ]
        assert store._db.list_graphs() == [store.current_graph()]
        assert store._redis.hgetall(PENDING_KEY) == {}
    finally:
        store.close()
    reopened = FalkorDBStore(home)
    try:
        assert reopened.run("MATCH (a:Actor) RETURN count(a.pagerank) AS n") == [{"n": 3}]
    finally:
        reopened.close()


def test_a_failed_computation_leaves_the_previous_graph_and_nothing_else(home: Path) -> None:
    store = FalkorDBStore(home)
    store.run("CREATE (:Marker {n: 1})", write=True)

    def compute(actors: int) -> float:
        raise ValueError("no scores today")

    try:
        with pytest.raises(ValueError, match="no scores today"):
            reload(store, Staged(count_actors, compute, score_all))
        assert store.run(COUNT) == [{"n": 1}]
        assert store._db.list_graphs() == [store.current_graph()]
        assert store._redis.hgetall(PENDING_KEY) == {}
    finally:
        store.close()


def test_a_failed_write_of_the_scores_leaves_the_previous_graph_and_nothing_else(
    home: Path,
) -> None:
    store = FalkorDBStore(home)
    store.run("CREATE (:Marker {n: 1})", write=True)

    def write(run: Runner, value: float) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the scores are written

    try:
        with pytest.raises(KeyboardInterrupt):
            reload(store, Staged(count_actors, lambda actors: 1.0, write))
        assert store.run(COUNT) == [{"n": 1}]
        assert store._db.list_graphs() == [store.current_graph()]
        assert store._redis.hgetall(PENDING_KEY) == {}
    finally:
        store.close()


def test_a_generation_being_scored_survives_another_reload_and_then_wins(home: Path) -> None:
    store = FalkorDBStore(home)

    def compute(actors: int) -> float:
        other = FalkorDBStore(home)  # another process reloads meanwhile, start to end
        try:
            other.replace_graph(schema_statements("embedded"), [])
        finally:
            other.close()
        return 1.0

    try:
        reload(store, Staged(count_actors, compute, score_all))
        assert store.run("MATCH (a:Actor) RETURN sum(a.pagerank) AS total") == [{"total": 3.0}]
        assert store._db.list_graphs() == [store.current_graph()]
    finally:
        store.close()


def test_a_switch_drops_the_generation_of_a_reload_that_died_while_scoring(home: Path) -> None:
    store = FalkorDBStore(home)
    try:
        store._query("ties_90", "CREATE (:Actor {id: 'X'})", None, read_only=False)
        store._query("ties_91", "CREATE (:Actor {id: 'Y'})", None, read_only=False)
        # ties_90's owner has this pid but another start time: a process that is gone.
        gone = {"pid": os.getpid(), "started": 1.0}
        store._redis.hset(PENDING_KEY, "ties_90", json.dumps(gone))
        store._redis.hset(PENDING_KEY, "ties_91", json.dumps(falkordb_store._owner()))
        reload(store)
        assert sorted(store._db.list_graphs()) == sorted([store.current_graph(), "ties_91"])
        assert list(store._redis.hgetall(PENDING_KEY)) == ["ties_91"]
    finally:
        store.close()


def test_a_generation_dropped_while_it_was_scored_fails_the_reload(home: Path) -> None:
    store = FalkorDBStore(home)
    store.run("CREATE (:Marker {n: 1})", write=True)

    def compute(actors: int) -> float:
        other = FalkorDBStore(home)
        try:
            for name in other._db.list_graphs():
                if name != other.current_graph():
                    other._drop(name)
            other._save()
        finally:
            other.close()
        return 1.0

    try:
        with pytest.raises(StoreError, match="lost the new graph while its scores were computed"):
            reload(store, Staged(count_actors, compute, score_all))
        assert store.run(COUNT) == [{"n": 1}]
    finally:
        store.close()
