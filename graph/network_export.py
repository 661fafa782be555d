"""The actor network as other tools read it: GEXF 1.3 for Gephi (weighted, typed, with the
years each tie holds so that the timeline works), GraphML, and a dyad-year table in the shape
ATOP and COW users know (one row per pair of actors and year, counts by tie type).

All three read the one projection (`cypher/analysis/projection.cypher`) through
`graph.analysis`, so they hold the same network that `ties analyze` scores and the page draws.
The same graph always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph import analysis
from graph.errors import TiesError
from graph.files import write_atomically
from graph.store import Store

NETWORK_FORMATS = ("network-gexf", "network-graphml", "dyad-year")
SEPARATOR = " | "


def export_network(
    store: Store,
    fmt: str,
    out: Path,
    *,
    reference: bool = False,
    max_members: int = analysis.MAX_MEMBERS,
) -> Path:
    """Write the actor network as `fmt` (one of NETWORK_FORMATS) to `out`."""
    if fmt not in NETWORK_FORMATS:
        raise TiesError(f"unknown network format {fmt!r}; choose one of {NETWORK_FORMATS}")
    actors, rows = analysis.read_projection(store, reference, max_members)
    if fmt == "dyad-year":
        kinds = {str(actor["id"]): str(actor.get("kind") or "") for actor in actors}
        write_atomically(out, dyad_year_csv(rows, kinds))
        return out
    graph = network_graph(actors, rows)
    if fmt == "network-gexf":
        write_atomically(out, gexf_bytes(graph))
    else:
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
        write_atomically(out, buffer.getvalue())
    return out


def network_graph(
    actors: Iterable[Mapping[str, Any]], rows: Iterable[Mapping[str, Any]]
) -> nx.Graph:
    """The all-time actor network with flat attributes: on each edge its weight, its tie types,
    its evidence count, whether it is stated, and `start`/`end` (the first year it holds and
    the year it ends, when every reason for it has ended).

    >>> g = network_graph(
    ...     [{"id": "KZ", "name": "Kazakhstan", "kind": "state"},
    ...      {"id": "RU", "name": "Russia", "kind": "state"}],
    ...     [{"source": "KZ", "target": "RU", "via": "agreement", "through": "t1",
    ...       "label": "Treaty", "since": 1992, "until": 2012, "size": 2, "evidence": 1,
    ...       "stated": True}])
    >>> d = g["KZ"]["RU"]; (d["weight"], d["types"], d["start"], d["end"], d["stated"])
    (1.0, 'agreement', 1992, 2012, True)
    """
    rows = list(rows)
    graph = analysis.build_graph(actors, rows)
    ends = _ends(rows)
    flat = nx.Graph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, label=str(data.get("name") or node), kind=str(data.get("kind") or ""))
    for a, b, data in graph.edges(data=True):
        attrs: dict[str, Any] = {
            "label": SEPARATOR.join(data["types"]),
            "weight": round(float(data["weight"]), 6),
            "types": SEPARATOR.join(data["types"]),
            "through": SEPARATOR.join(sorted({str(t) for t in data["through"] if t})),
            "evidence": int(data["evidence"]),
            "stated": bool(data["stated"]),
            "statuses": SEPARATOR.join(data["statuses"]),
        }
        if data.get("since") is not None:
            attrs["start"] = int(data["since"])
        end = ends.get(_pair(a, b))
        if end is not None:
            attrs["end"] = int(end)
        flat.add_edge(a, b, **attrs)
    return flat


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _ends(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], int | None]:
    """The year a pair's tie ends: the latest end of its reasons, or None while any goes on."""
    ends: dict[tuple[str, str], int | None] = {}
    for row in rows:
        pair = _pair(row["source"], row["target"])
        until = row.get("until")
        if pair not in ends:
            ends[pair] = until
        elif ends[pair] is not None:
            ends[pair] = None if until is None else max(ends[pair], until)  # type: ignore[type-var]
    return ends


def gexf_bytes(graph: nx.Graph) -> bytes:
    """GEXF 1.3, without NetworkX's date stamp, so the bytes depend on the graph only."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.3")
    writer.meta_element.attrib.pop("lastmodifieddate", None)
    writer.add_graph(graph)
    buffer = io.BytesIO()
    writer.write(buffer)
    return _gexf_13(buffer.getvalue())


# NetworkX (3.7) writes the XML Schema instance namespace without "www." and the time format of
# integer years as "long"; GEXF 1.3 names the namespace in full and calls that format
# "integer". Both are fixed on the root and graph elements only.
_GEXF_FIXES = (
    (b'xmlns:xsi="http://w3.org/2001/XMLSchema-instance"',
     b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'),
    (b'timeformat="long"', b'timeformat="integer"'),
)  # fmt: skip


def _gexf_13(data: bytes) -> bytes:
    head, sep, rest = data.partition(b"<attributes")
    for wrong, right in _GEXF_FIXES:
        head = head.replace(wrong, right)
    return head + sep + rest


# -- dyad-year -------------------------------------------------------------------------------


def dyad_year_rows(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per pair of actors and year in which a dated fact ties them, with counts by tie
    type (and agreements by kind). A fact holds from its year until the year before it ends;
    one that has not ended holds up to the last year any fact of the network gives. Undated
    facts have no year and are left out.

    >>> dyad_year_rows([{"source": "KZ", "target": "RU", "via": "agreement", "kind": "treaty",
    ...                  "since": 1992, "until": 1994}])
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'actor_a': 'KZ', 'actor_b': 'RU', 'year': 1992, 'ties': 1, 'agreement': 1,
      'agreement_treaty': 1},
     {'actor_a': 'KZ', 'actor_b': 'RU', 'year': 1993, 'ties': 1, 'agreement': 1,
      'agreement_treaty': 1}]
    """
    rows = [row for row in rows if row.get("since") is not None]
    if not rows:
        return []
    last = max(max(int(r["since"]), int(r.get("until") or 0) - 1) for r in rows)
    counts: dict[tuple[str, str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        pair = _pair(str(row["source"]), str(row["target"]))
        end = int(row["until"]) - 1 if row.get("until") is not None else last
        columns = [str(row["via"])]
        if row["via"] == "agreement" and row.get("kind"):
            columns.append(f"agreement_{row['kind']}")
        for year in range(int(row["since"]), end + 1):
            cell = counts[(*pair, year)]
            cell["ties"] += 1
            for column in columns:
                cell[column] += 1
    return [
        {"actor_a": a, "actor_b": b, "year": year, **dict(sorted(cell.items(), key=_order))}
        for (a, b, year), cell in sorted(counts.items())
    ]


def _order(item: tuple[str, int]) -> tuple[int, str]:
    return (0 if item[0] == "ties" else 1, item[0])


def dyad_year_csv(rows: Iterable[Mapping[str, Any]], kinds: Mapping[str, str] | None = None) -> str:
    """The dyad-year table as CSV: the two actors and their kinds (state, organization…, so
    that a state-dyad table is one filter away), the year, then every count column in every
    row (0 where none)."""
    table = dyad_year_rows(rows)
    counts = sorted({key for row in table for key in row} - {"actor_a", "actor_b", "year"})
    counts = sorted(counts, key=lambda key: _order((key, 0)))
    kinds = kinds or {}
    for row in table:
        row["kind_a"] = kinds.get(row["actor_a"], "")
        row["kind_b"] = kinds.get(row["actor_b"], "")
    header = ["actor_a", "actor_b", "kind_a", "kind_b", "year", *counts]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in table:
        writer.writerow([row.get(column, 0) for column in header])
    return buffer.getvalue()
