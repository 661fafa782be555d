"""The query library on real stores: every query answers on the sample graph, both stores give
the same rows, nothing writes, and parameter values cannot change the graph.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from graph import catalogue, load
from graph.analysis import analyze
from graph.errors import ReadOnlyViolation, TiesError
from graph.resolve import resolve_actor
from graph.store import Store
from loaders.model import DocumentFacts

LIBRARY = catalogue.library()
NAMES = sorted(LIBRARY)
FLOAT_TOLERANCE = 1e-9
INJECTIONS = (
    "x'}) DETACH DELETE n //",
    'O\'Brien "quoted" back\\slash \\\' \\" end\\',
)


def load_sample(store: Store, facts: list[DocumentFacts]) -> None:
    """The sample graph, loaded and scored as `ties reload` does it."""
    writes = load.build_rows(facts).writes()
    store.replace_graph(load.schema_statements(store.backend), writes)
    analyze(store)


def bind(store: Store, entry: catalogue.CypherFile, given: dict[str, str]) -> dict[str, Any]:
    """Typed values with actor parameters resolved, as `ties query` does."""
    values = entry.bind(given)
    for param in entry.params:
        if param.type == "actor" and values.get(param.name):
            values[param.name] = resolve_actor(store, str(values[param.name]))
    return values


def run_example(store: Store, name: str) -> list[dict[str, Any]]:
    entry = LIBRARY[name]
    return store.run(entry.cypher, bind(store, entry, entry.example_params()))


def is_ordered(entry: catalogue.CypherFile) -> bool:
    text = entry.cypher.upper()
    return "ORDER BY" in text[text.rfind("RETURN") :]


def same_value(left: Any, right: Any) -> bool:
    """Equal values of the same type; floats within a tolerance (the stores print them apart)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, float):
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(same_value, left, right))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same_value(left[k], right[k]) for k in left)
    return left == right


def same_rows(left: list[dict[str, Any]], right: list[dict[str, Any]], ordered: bool) -> bool:
    if len(left) != len(right):
        return False
    if not ordered:
        left, right = sorted(left, key=repr), sorted(right, key=repr)
    return all(list(a) == list(b) and same_value(a, b) for a, b in zip(left, right, strict=True))


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def test_every_query_answers_on_the_sample_graph(
    store: Store, sample_facts: list[DocumentFacts]
) -> None:
    load_sample(store, sample_facts)
    empty, not_plain = [], []
    for name in NAMES:
        rows = run_example(store, name)
        if not rows:
            empty.append(f"{name} ({LIBRARY[name].example})")
        for row in rows:
            for column, value in row.items():
                plain = is_scalar(value) or (isinstance(value, list) and all(map(is_scalar, value)))
                if not plain:
                    not_plain.append(f"{name}.{column}")
    assert not empty, f"on {store.backend}, these examples return no rows: {empty}"
    assert not not_plain, f"columns that are not scalars or lists of scalars: {set(not_plain)}"


@pytest.mark.neo4j
def test_both_stores_return_identical_rows(
    embedded_store: Store, neo4j_store: Store, sample_facts: list[DocumentFacts]
) -> None:
    load_sample(embedded_store, sample_facts)
    load_sample(neo4j_store, sample_facts)
    differ = []
    for name in NAMES:
        embedded = run_example(embedded_store, name)
        neo4j = run_example(neo4j_store, name)
        if not same_rows(embedded, neo4j, is_ordered(LIBRARY[name])):
            differ.append(f"{name}:\n  embedded {embedded}\n  neo4j    {neo4j}")
    assert not differ, "rows differ between the stores:\n" + "\n".join(differ)


def test_a_write_without_write_flag_is_refused(
    store: Store, sample_facts: list[DocumentFacts]
) -> None:
    load_sample(store, sample_facts)
    before = load.graph_counts(store)
    for statement in (
        "MATCH (n) DETACH DELETE n",
        "CREATE (n:Probe {id: 'probe'}) RETURN n.id AS id",
        "MATCH (a:Actor) SET a.name = 'changed' RETURN count(a) AS n",
    ):
        with pytest.raises(ReadOnlyViolation):
            store.run(statement)
    assert load.graph_counts(store) == before


@pytest.mark.parametrize("value", INJECTIONS, ids=["cypher", "quotes-backslashes"])
def test_parameter_values_cannot_change_the_graph(
    store: Store, sample_facts: list[DocumentFacts], value: str
) -> None:
    load_sample(store, sample_facts)
    before = load.graph_counts(store)
    names_before = store.run("MATCH (a:Actor) RETURN a.id AS id, a.name AS name ORDER BY id")
    for name in NAMES:
        entry = LIBRARY[name]
        for param in entry.params:
            if param.type not in ("str", "actor"):
                continue
            given = {**entry.example_params(), param.name: value}
            # Unresolved, so the store itself sees the hostile text as a parameter value.
            store.run(entry.cypher, entry.bind(given))
    with pytest.raises(TiesError, match="no actor"):
        resolve_actor(store, value)
    assert load.graph_counts(store) == before
    assert store.run("MATCH (a:Actor) RETURN a.id AS id, a.name AS name ORDER BY id") == (
        names_before
    )
