"""The graph as pandas DataFrames, for notebooks and scripts: the same reads as the CLI, in
tables an analyst can filter, pivot and plot.

>>> frame([{"a": 1, "b": [1, 2]}]).columns.tolist()
['a', 'b']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from graph import analysis, catalogue
from graph.network_export import dyad_year_rows
from graph.store import Store


def frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Rows (a query's answer) as a DataFrame, columns in the query's order."""
    return pd.DataFrame([dict(row) for row in rows])


def ties_by_type_over_years(
    store: Store, *, reference: bool = False, max_members: int = analysis.MAX_MEMBERS
) -> pd.DataFrame:
    """How many pairs of actors each tie type links, year by year (index: year; columns: tie
    types). Built from the dyad-year table, so undated facts are not counted."""
    _, rows = analysis.read_projection(store, reference, max_members)
    table = frame(dyad_year_rows(rows))
    if table.empty:
        return pd.DataFrame()
    counts = [c for c in table.columns if c not in ("actor_a", "actor_b", "year", "ties")]
    types = [c for c in counts if not c.startswith("agreement_")]
    present = table[types].fillna(0).gt(0).astype(int)
    present["year"] = table["year"]
    return present.groupby("year").sum().sort_index()


def agreements(store: Store) -> pd.DataFrame:
    """Every agreement: id, name, kind, status, signed and expiry years, parties, evidence."""
    return frame(store.run(catalogue.get("analysis/agreements").cypher))


def network_edges(
    store: Store, *, as_of: int | None = None, reference: bool = False
) -> pd.DataFrame:
    """The actor network's edges: source, target, weight, tie types, evidence, stated."""
    graph = analysis.read_network(store, as_of=as_of, reference=reference)
    edges = frame(
        {
            "source": a,
            "target": b,
            "weight": round(float(data["weight"]), 6),
            "types": ", ".join(data["types"]),
            "evidence": data["evidence"],
            "stated": data["stated"],
            "since": data.get("since"),
        }
        for a, b, data in sorted(graph.edges(data=True))
    )
    return edges.astype({"since": "Int64"}) if not edges.empty else edges
