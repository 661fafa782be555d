"""A reload is one unit on every store: the new graph with its scores, or the previous graph."""

from __future__ import annotations

import pytest

from graph.analysis import score_new_graph
from graph.errors import StoreError
from graph.load import build_rows, graph_counts, schema_statements
from graph.store import Runner, Store
from tests.fixtures.tiny import tiny_facts


def _load(store: Store, extra_actor: bool = False, finish=None) -> int:  # type: ignore[no-untyped-def]
    rows = build_rows(tiny_facts(extra_actor), False)
    return store.replace_graph(schema_statements(store.backend), rows.writes(), 1000, finish)


def test_scores_are_switched_in_with_the_graph(store: Store) -> None:
    scored: list[object] = []

    def score(run: Runner) -> None:
        scored[:] = score_new_graph(run)

    _load(store, finish=score)
    rows = store.run(
        "MATCH (a:Actor) RETURN a.id AS id, a.pagerank IS NOT NULL AS scored ORDER BY id"
    )
    assert rows == [
        {"id": "KZ", "scored": True},
        {"id": "RU", "scored": True},
        {"id": "csto", "scored": True},
    ]
    assert len(scored) == 3


def test_a_failure_before_the_switch_keeps_the_previous_graph(store: Store) -> None:
    _load(store)
    before = graph_counts(store)

    def fail(run: Runner) -> None:
        score_new_graph(run)
        raise StoreError("disk full while scoring")

    with pytest.raises(StoreError, match="disk full while scoring"):
        _load(store, extra_actor=True, finish=fail)
    assert graph_counts(store) == before
    unscored = store.run("MATCH (a:Actor) WHERE a.pagerank IS NOT NULL RETURN count(a) AS n")
    assert unscored == [{"n": 0}]  # the previous graph, untouched: not even its scores
