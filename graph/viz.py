"""The interactive network page: one self-contained HTML file that opens offline.

The page is drawn from three reads of the store: the actor network and its scores
(`graph.analysis`), the projection rows (each reason two actors are tied, with its years, for the
year slider) and the evidence of the pairs it draws (`cypher/analysis/edge_evidence.cypher`, given
those pairs). It draws at most `MAX_NODES` actors (the top ones by the size score) and `MAX_EDGES`
ties among them (each actor's strongest tie and those that keep connected actors connected, then the
strongest others), so its size is bounded whatever the corpus; it counts what it leaves out and
names the query for the rest. PyVis turns actors and ties into vis-network records; PyVis's own
template is not used, because it links Bootstrap and vis-network from CDNs. Instead vis-network's JS
and CSS, as shipped inside the pyvis package, are inlined into our template
(`graph/templates/network.html`) with our stylesheet and script (`graph/static/`).

Safety: every text that comes from documents reaches the page inside one JSON block with ``<``,
``>``, ``&``, U+2028 and U+2029 escaped, and the script builds the DOM with ``textContent``. A
Content-Security-Policy forbids the page any network access.

Determinism: nodes, edges and evidence are sorted, floats rounded, the layout seeded, and the
current year (for the slider) read by the page when it is viewed: the same graph always gives
the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import shlex
import string
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.edge import Edge
from pyvis.network import Network

from graph import analysis, catalogue
from graph.analysis import SCORES, ActorScores
from graph.errors import TiesError
from graph.files import write_atomically
from graph.store import Runner, Store
from loaders.model import FACT_STATUSES

TITLE = "ties — network of actors"
VIS_VERSION = "vis-9.1.2"
FIRST_YEAR = 1992
# Above this many actors the layout is computed once, then frozen (physics off).
FREEZE_ABOVE = 200
# Above this many actors vis-network's initial Kamada-Kawai layout is too slow to be worth it.
IMPROVED_LAYOUT_UP_TO = 100
TOP_TIES = 5
# At most this many actors (the top ones by the size score) and this many ties among them: the
# page's size is then bounded whatever the corpus (BENCHMARKS.md, "Network page").
MAX_NODES = 500
MAX_EDGES = 5000
# A page of more actors than this opens on the OPEN_ON most connected by stated ties (the others
# are drawn but hidden: a search, a click on a neighbour or "show all" brings them in).
OPEN_ALL_UP_TO = 300
OPEN_ON = 80
LABEL_CHARS = 28
# The page embeds at most this many evidence sentences per pair (a fact without a quoted
# sentence counts as one), and at most this many documents and parties per fact: a page's size
# then grows with the ties it draws, not with the corpus. The rest is counted on the page,
# with the `ties query` that lists it.
EVIDENCE_PER_PAIR = 5
SOURCES_PER_FACT = 5
PARTIES_PER_FACT = 12
# A pair with more reasons than this (say 300 agreements between two states) embeds one reason
# per kind, years and status, with the weights summed: the year slider still adds up the same
# weights, and the list stays as long as the distinct spans of years.
REASONS_PER_PAIR = 10
SIZE_MIN, SIZE_MAX = 10.0, 40.0

# Okabe-Ito based: distinguishable with the common colour-vision deficiencies.
KIND_COLORS = {
    "state": "#0072B2",
    "organization": "#E69F00",
    "body": "#F0D43A",
    "company": "#009E73",
    "person": "#CC79A7",
    "programme": "#56B4E9",
    "place": "#D55E00",
    "facility": "#A0522D",
    "equipment": "#8C8C8C",
}
KIND_LABELS = {
    "state": "State",
    "organization": "Organisation",
    "body": "Body of an organisation",
    "company": "Company",
    "person": "Person",
    "programme": "Programme",
    "place": "Place",
    "facility": "Facility",
    "equipment": "Equipment",
}
OTHER_COLOR = "#444444"

_EXTERNAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|@import""", re.I)
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.M)


@dataclass(frozen=True)
class VizReport:
    """What `write_html` drew: ``nodes``/``edges`` on the page, ``nodes_total`` actors in the
    network; ``filtered`` when only the top `max_nodes` were kept; ``edges_total`` ties among
    the top `max_nodes` actors, of which the `max_edges` strongest were drawn."""

    path: Path
    nodes: int
    edges: int
    nodes_total: int
    filtered: bool
    edges_total: int = 0


# Reads the evidence of the given pairs (each (a, b) with a < b): the store read.
EvidenceReader = Callable[[Sequence[tuple[str, str]]], Sequence[Mapping[str, Any]]]


@dataclass(frozen=True)
class NetworkData:
    """Everything the page shows, as read from a store (or made by hand in tests)."""

    graph: nx.Graph
    scores: Sequence[ActorScores]
    rows: Sequence[Mapping[str, Any]] = ()
    # The evidence rows, or a function that reads those of the pairs it is given (the store
    # read: only the drawn pairs' evidence is fetched).
    evidence: Sequence[Mapping[str, Any]] | EvidenceReader = ()
    as_of: int | None = None
    # Every name an actor goes by (id -> names), for the page's search; and the documents
    # (id -> title, date, source) the evidence names.
    names: Mapping[str, Sequence[str]] = field(default_factory=dict)
    documents: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # Planned and reported facts (cypher/analysis/hedged_ties.cypher): not in the network or
    # its scores, drawn dotted between the actors shown.
    hedged: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class Page:
    html: str
    nodes: int
    edges: int
    nodes_total: int
    filtered: bool
    edges_total: int = 0


@dataclass
class _Choice:
    """Which actors and ties a page draws, before anything is read for them.

    ``total`` actors are in the network (as of the page's year); the top `max_nodes` of them by the
    size score are candidates, with ``ties_total`` ties among them (a planned or reported one counts
    when it is the pair's only tie). ``pairs`` are the ties drawn, at most `max_edges`: first a
    maximum spanning forest (`_spanning_forest`: each candidate's strongest tie, and what keeps
    connected actors connected), then the strongest others; ties in order of weight, then ids.
    ``actors`` are the candidates drawn: those with a drawn tie, and those with no tie among the
    candidates at all (drawn alone, as before any bound); ``left_out`` counts the candidates none of
    whose ties fit. ``not_drawn`` is, per actor drawn, how many of its ties in the network are not
    on the page."""

    actors: list[str]
    total: int
    pairs: list[tuple[str, str]]
    weights: dict[tuple[str, str], float]
    ties_total: int
    left_out: int
    not_drawn: dict[str, int]


@dataclass
class _Selection:
    """The actors and ties drawn, with the per-pair details the page embeds."""

    actors: list[str]
    total: int
    pairs: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    ties_total: int = 0
    left_out: int = 0
    not_drawn: dict[str, int] = field(default_factory=dict)


# -- public API ---------------------------------------------------------------------------------


def write_html(
    store: Store,
    path: Path,
    *,
    size_by: str = "pagerank",
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
    as_of: int | None = None,
    reference: bool = False,
    max_members: int = analysis.MAX_MEMBERS,
) -> VizReport:
    """Write the network page of the store's actor network to `path`.

    Parameters
    ----------
    store : Store
        Any store; it is only read.
    path : Path
        The HTML file to write (its folder is created).
    size_by : str
        The score that sizes the nodes, one of `graph.analysis.SCORES`.
    max_nodes : int
        Above this many actors only the top `max_nodes` by `size_by` are drawn, and the page
        says so.
    max_edges : int
        At most this many ties among them are drawn: a maximum spanning forest (each actor's
        strongest tie, and connected actors stay connected), then the strongest others (by
        weight, then ids); the page counts the rest and names the query for them.
    as_of : int or None
        Draw (and score) the network as it stood in this year.
    reference, max_members
        Which facts make the network, as for `graph.analysis.read_projection`.
    """
    _check_options(size_by, max_nodes, max_edges)
    data = read_network_data(store, as_of, reference, max_members)
    page = render_page(data, size_by=size_by, max_nodes=max_nodes, max_edges=max_edges)
    path = Path(path)
    write_atomically(path, page.html)
    return VizReport(
        path, page.nodes, page.edges, page.nodes_total, page.filtered, page.edges_total
    )


def render_new_page(run: Runner, projected: analysis.Projected) -> Page:
    """The page of a graph being reloaded, from the projection its scores were computed on:
    read before the switch, so the page written after it shows exactly that graph."""
    return render_page(read_new_page_data(run, projected))


def read_new_page_data(run: Runner, projected: analysis.Projected) -> NetworkData:
    """What the page of a graph being reloaded shows, read from it before the switch: names,
    documents, hedged ties and the evidence of the pairs the page draws (default options), so
    that `render_page` needs no store and can run once the store is released."""
    names, documents = _names_and_documents(run)
    data = NetworkData(
        projected.graph,
        projected.scored,
        projected.rows,
        (),
        None,
        names,
        documents,
        _hedged_rows(run),
    )
    return replace(data, evidence=_evidence_reader(run)(drawn_pairs(data)))


def drawn_pairs(
    data: NetworkData,
    *,
    size_by: str = "pagerank",
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> list[tuple[str, str]]:
    """The pairs `render_page` draws for `data` (those whose evidence it reads), sorted."""
    _check_options(size_by, max_nodes, max_edges)
    scores = {s.id: s for s in data.scores}
    return sorted(_choose(data, scores, size_by, max_nodes, max_edges).pairs)


def _evidence_reader(run: Runner) -> EvidenceReader:
    """Reads the evidence of the given pairs: the pairs (and their actors) are parameters."""
    cypher = catalogue.get("analysis/edge_evidence").cypher

    def read(pairs: Sequence[tuple[str, str]]) -> Sequence[Mapping[str, Any]]:
        actors = sorted({node for pair in pairs for node in pair})
        return run(cypher, {"pairs": [[a, b] for a, b in pairs], "actors": actors})

    return read


def _hedged_rows(run: Runner) -> list[dict[str, Any]]:
    params = {"hedged": list(FACT_STATUSES), "tie_types": analysis.direct_tie_types()}
    return run(catalogue.get("analysis/hedged_ties").cypher, params)


def _names_and_documents(
    run: Runner,
) -> tuple[dict[str, list[str]], dict[str, dict[str, Any]]]:
    """Every name of each actor (for the search) and each document's title, date and source
    (for the evidence)."""
    names = {
        row["id"]: _names(row) for row in run(catalogue.get("analysis/actor_names").cypher, None)
    }
    documents = {
        row["id"]: {key: row.get(key) or "" for key in ("title", "date", "source")}
        for row in run(catalogue.get("analysis/documents").cypher, None)
    }
    return names, documents


def read_network_data(
    store: Store,
    as_of: int | None = None,
    reference: bool = False,
    max_members: int = analysis.MAX_MEMBERS,
) -> NetworkData:
    """The network, its scores, the projection rows and the pair evidence from `store`. The
    network the reload scored (no `as_of`, no reference facts, the default `max_members`) is
    drawn with the scores stored on its actors; another is scored here."""
    actors, rows = analysis.read_projection(store, reference, max_members)
    graph = analysis.build_graph(actors, rows, as_of=as_of)
    stored = None
    if as_of is None and not reference and max_members == analysis.MAX_MEMBERS:
        stored = analysis.stored_scores(graph, actors)
    run = lambda cypher, params=None: store.run(cypher, params)  # noqa: E731
    evidence = _evidence_reader(run)
    names, documents = _names_and_documents(run)
    return NetworkData(
        graph,
        stored if stored is not None else analysis.score_actors(graph),
        rows,
        evidence,
        as_of,
        names,
        documents,
        _hedged_rows(run),
    )


def _names(row: Mapping[str, Any]) -> list[str]:
    """An actor's id, name, acronyms and aliases, each once, in that order."""
    found = [row["id"], row.get("name") or "", *_as_list(row.get("acronyms"))]
    found += _as_list(row.get("aliases"))
    return list(dict.fromkeys(str(name) for name in found if name))


def render_page(
    data: NetworkData,
    *,
    size_by: str = "pagerank",
    max_nodes: int = MAX_NODES,
    max_edges: int = MAX_EDGES,
) -> Page:
    """The page's HTML for `data`: a pure function, so the same data gives the same bytes."""
    _check_options(size_by, max_nodes, max_edges)
    scores = {s.id: s for s in data.scores}
    selection = _select(data, scores, size_by, max_nodes, max_edges)
    net = build_network(data.graph, scores, selection, size_by)
    payload = _payload(data, scores, selection, net, size_by)
    text = _fill_template(payload)
    return Page(
        html=text,
        nodes=len(net.nodes),
        edges=len(net.edges),
        nodes_total=selection.total,
        filtered=selection.total > len(selection.actors) + selection.left_out,
        edges_total=selection.ties_total,
    )


def edge_width(weight: float, max_weight: float) -> float:
    """Edge width in pixels (the page's script uses the same formula for other years).

    >>> edge_width(2.0, 2.0), edge_width(0.5, 2.0)
    (6.0, 2.25)
    """
    return round(1 + 5 * weight / max_weight, 3) if max_weight > 0 else 1.0


def node_size(score: float, low: float, high: float) -> float:
    """Node radius: the score scaled linearly between `SIZE_MIN` and `SIZE_MAX`.

    >>> node_size(0.5, 0.0, 1.0), node_size(3, 3, 3)
    (25.0, 18.0)
    """
    if high <= low:
        return 18.0
    return round(SIZE_MIN + (SIZE_MAX - SIZE_MIN) * (score - low) / (high - low), 2)


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element and in JavaScript source.

    ``<``, ``>`` and ``&`` can only occur inside JSON strings, where ``\\u003c`` and friends
    mean the same characters; escaping them means no ``</script>`` or ``<!--`` can end or
    change the script element. U+2028/U+2029 are line breaks to older JavaScript parsers.

    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def external_references(page: str) -> list[str]:
    """Every ``src=``/``href=`` to an http(s) or protocol-relative URL, and every ``@import``.

    >>> external_references('<script src="https://cdn.example/x.js"></script>')
    ['src="https://']
    >>> external_references("<p>see https://example.org</p>")
    []
    """
    return [match.group(0) for match in _EXTERNAL_REFERENCE.finditer(page)]


# -- selection ----------------------------------------------------------------------------------


def _check_options(size_by: str, max_nodes: int, max_edges: int = MAX_EDGES) -> None:
    if size_by not in SCORES:
        raise TiesError(f"cannot size nodes by {size_by!r}; choose one of: {', '.join(SCORES)}")
    if max_nodes < 1:
        raise TiesError(f"max_nodes must be at least 1, not {max_nodes}")
    if max_edges < 1:
        raise TiesError(f"max_edges must be at least 1, not {max_edges}")


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _choose(
    data: NetworkData,
    scores: Mapping[str, ActorScores],
    size_by: str,
    max_nodes: int,
    max_edges: int,
) -> _Choice:
    """The actors and ties drawn (see `_Choice`), in time linear in the rows and the ties among
    the top actors (plus one sort of those ties); nothing is read from the store."""
    graph = data.graph
    degree = dict(graph.degree())
    # An actor whose ties all begin after `as_of` is not on the map yet; one with no tie at
    # all (an isolate) always is. The page's script applies the same rule for its slider.
    # Without `as_of` every row between two actors is an edge (`analysis.build_graph`), so
    # every actor is present: the rows (300,000 at 5,000 documents) need no scan.
    present = list(graph.nodes) if data.as_of is None else _present(data, degree)
    # Actors with a tie first (by the score, then id), then those with none: an isolate can
    # rank high on some scores (PageRank gives it its share) but has no tie to show.
    ranked = sorted(
        present,
        key=lambda node: (degree[node] == 0, -_score(scores, node, size_by), str(node)),
    )
    candidates = set(ranked[:max_nodes])
    weights: dict[tuple[str, str], float] = {}
    for a in candidates:
        for b, attrs in graph[a].items():
            if b in candidates and a < b:
                weights[(a, b)] = round(float(attrs["weight"]), 6)
    # What the texts only plan or report ties two actors with no weight: drawn (dotted) when
    # it is all the pair has, after every weighted tie.
    for row in data.hedged:
        source, target = row["source"], row["target"]
        if source == target or source not in candidates or target not in candidates:
            continue
        if analysis.holds_in(row, data.as_of):
            weights.setdefault(_pair(source, target), 0.0)
    strongest = sorted(weights, key=lambda pair: (-weights[pair], pair))
    backbone = _spanning_forest(strongest)
    ordered = [p for p in strongest if p in backbone] + [p for p in strongest if p not in backbone]
    drawn = ordered[:max_edges]
    ends = {node for pair in drawn for node in pair}
    tied = {node for pair in strongest for node in pair}
    # A candidate with no tie among the candidates is drawn alone (as an isolate always was);
    # one whose ties all fell outside `max_edges` is left out rather than drawn as if alone.
    actors = sorted(node for node in candidates if node in ends or node not in tied)
    drawn_degree: dict[str, int] = defaultdict(int)
    for a, b in drawn:
        if graph.has_edge(a, b):
            drawn_degree[a] += 1
            drawn_degree[b] += 1
    not_drawn = {
        node: degree[node] - drawn_degree[node]
        for node in actors
        if degree[node] > drawn_degree[node]
    }
    return _Choice(
        actors=actors,
        total=len(present),
        pairs=drawn,
        weights=weights,
        ties_total=len(weights),
        left_out=len(candidates) - len(actors),
        not_drawn=not_drawn,
    )


def _present(data: NetworkData, degree: Mapping[str, int]) -> list[str]:
    """The actors on the map in `data.as_of`: those with a tie then, and those with no tie at
    all (isolates); not those whose every row begins later."""
    graph = data.graph
    with_rows: set[str] = set()
    for row in data.rows:
        source, target = row["source"], row["target"]
        if source != target and source in graph and target in graph:
            with_rows.add(source)
            with_rows.add(target)
    return [node for node in graph.nodes if node not in with_rows or degree[node] > 0]


def _spanning_forest(ordered: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    """The ties drawn first: a maximum spanning forest (Kruskal's, taking the ties in the given
    order, strongest first). It holds each actor's strongest tie (the first of its ties in that
    order always joins it to another tree) and keeps together on the page what is connected in
    the network, in at most one tie fewer than the actors.

    >>> sorted(_spanning_forest([("A", "B"), ("B", "C"), ("A", "C"), ("C", "D")]))
    [('A', 'B'), ('B', 'C'), ('C', 'D')]
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    forest = set()
    for a, b in ordered:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
            forest.add((a, b))
    return forest


def _select(
    data: NetworkData,
    scores: Mapping[str, ActorScores],
    size_by: str,
    max_nodes: int,
    max_edges: int = MAX_EDGES,
) -> _Selection:
    """The actors and ties drawn (`_choose`), with the reasons and evidence of the drawn ties
    only: the evidence reader is asked for those pairs, and nothing else is kept."""
    choice = _choose(data, scores, size_by, max_nodes, max_edges)
    drawn = set(choice.pairs)
    selection = _Selection(
        actors=choice.actors,
        total=choice.total,
        ties_total=choice.ties_total,
        left_out=choice.left_out,
        not_drawn=choice.not_drawn,
    )
    reasons: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in data.rows:
        key = _pair(row["source"], row["target"])
        if key in drawn and analysis.holds_in(row, data.as_of):
            reasons[key].append(_reason(row))
    read = data.evidence
    pairs = sorted(drawn)
    evidence = _evidence_by_pair(read(pairs) if callable(read) else read, drawn)
    for key in pairs:
        selection.pairs[key] = {
            "weight": choice.weights[key],
            "reasons": reasons.get(key, []),
            **bounded_evidence(key, evidence.get(key, [])),
        }
    # What the texts only plan or report: shown apart (dotted, weightless), never scored.
    for row in data.hedged:
        key = _pair(row["source"], row["target"])
        if key in drawn and analysis.holds_in(row, data.as_of):
            selection.pairs[key]["reasons"].append({**_reason(row), "weight": 0.0})
    for pair in selection.pairs.values():
        pair["reasons"] = bounded_reasons(pair["reasons"])
    return selection


def _score(scores: Mapping[str, ActorScores], node: str, size_by: str) -> float:
    found = scores.get(node)
    return round(float(getattr(found, size_by)), 12) if found else 0.0


def _reason(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "via": str(row["via"]),
        "label": str(row.get("label") or row.get("through") or row["via"]),
        "since": _year(row.get("since")),
        "until": _year(row.get("until")),
        "weight": round(analysis.edge_weight(row["via"], row.get("size")), 6),
        # Rows made by hand (tests, other tools) without these columns count as stated.
        "stated": bool(row.get("stated", True)),
        "status": str(row["status"]) if row.get("status") else None,
    }


def bounded_reasons(reasons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A pair's reasons, sorted; above `REASONS_PER_PAIR`, merged by (via, since, until,
    stated, status): the merged reason's weight is the sum, its label the first one's followed
    by how many more it stands for, and `count` how many it merges.

    >>> r = {"via": "agreement", "since": 2001, "until": None, "stated": True, "status": None}
    >>> many = [{**r, "label": f"A{i:02d}", "weight": 1.0} for i in range(12)]
    >>> [(x["label"], x["weight"], x["count"]) for x in bounded_reasons(many)]
    [('A00 and 11 more', 12.0, 12)]
    """
    ordered = sorted((dict(reason) for reason in reasons), key=_reason_key)
    if len(ordered) <= REASONS_PER_PAIR:
        return ordered
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for reason in ordered:
        key = tuple(reason.get(k) for k in ("via", "since", "until", "stated", "status"))
        groups.setdefault(key, []).append(reason)
    merged = []
    for group in groups.values():
        first = dict(group[0])
        if len(group) > 1:
            first["label"] = f"{first['label']} and {len(group) - 1} more"
            first["weight"] = round(sum(reason["weight"] for reason in group), 6)
        first["count"] = len(group)
        merged.append(first)
    return sorted(merged, key=_reason_key)


def _reason_key(reason: Mapping[str, Any]) -> tuple[Any, ...]:
    """Year first for reading, then the whole reason: a total order, whatever the store's."""
    return (reason["since"] is None, reason["since"] or 0, _canonical(reason))


def _year(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _row_pairs(
    row: Mapping[str, Any], linked: Mapping[str, set[str]] | None = None
) -> list[tuple[str, str]]:
    """The pairs one evidence row ties: its source and target, or every pair of its `members`
    (an agreement's parties among the drawn actors, read once for all their pairs). Given
    `linked` (each drawn actor's drawn neighbours), only the drawn pairs, those of `members`
    found through `linked` rather than by trying every pair of a 150-party agreement.

    >>> _row_pairs({"source": "RU", "target": "KZ"})
    [('KZ', 'RU')]
    >>> _row_pairs({"source": None, "target": None, "members": ["RU", "KZ", "BY", "KZ"]})
    [('BY', 'KZ'), ('BY', 'RU'), ('KZ', 'RU')]
    >>> _row_pairs({"members": ["RU", "KZ", "BY"]}, {"KZ": {"RU"}, "RU": {"KZ"}})
    [('KZ', 'RU')]
    """
    members = row.get("members")
    if members is not None:
        ids = {str(m) for m in _as_list(members)}
        if linked is None:
            found = {(a, b) for a in ids for b in ids if a < b}
        else:
            found = {(a, b) for a in ids for b in linked.get(a, ()) if a < b and b in ids}
    elif row.get("source") is None or row.get("target") is None:
        return []
    else:
        found = {_pair(str(row["source"]), str(row["target"]))}
    if linked is not None:
        found = {(a, b) for a, b in found if b in linked.get(a, ())}
    return sorted(found)


def _evidence_by_pair(
    rows: Iterable[Mapping[str, Any]], drawn: Iterable[tuple[str, str]] | None = None
) -> dict[tuple[str, str], list[Any]]:
    """Each pair's evidence items, sorted (`_evidence_order`); only the `drawn` pairs' when
    given."""
    linked: dict[str, set[str]] | None = None
    if drawn is not None:
        linked = defaultdict(set)
        for a, b in drawn:
            linked[a].add(b)
            linked[b].add(a)
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    order: dict[int, tuple[int, str]] = {}  # each fact's sort key, once for all its pairs
    for row in rows:
        pairs = _row_pairs(row, linked)
        if not pairs:
            continue
        item = {
            "kind": str(row.get("kind") or ""),
            "name": str(row.get("name") or row.get("kind") or ""),
            "date": str(row["date"]) if row.get("date") is not None else "",
            "sentences": [str(s) for s in _as_list(row.get("evidence"))],
            "sources": sorted(str(s) for s in _as_list(row.get("sources"))),
            "id": str(row.get("fact") or ""),
            "status": str(row["status"]) if row.get("status") else "",
            "parties": sorted(str(p) for p in _as_list(row.get("parties"))),
            "until": str(row["expires"]) if row.get("expires") else "",
        }
        order[id(item)] = _evidence_order(item)
        for key in pairs:
            found[key].append(item)
    return {key: sorted(items, key=lambda x: order[id(x)]) for key, items in found.items()}


def _evidence_order(item: Mapping[str, Any]) -> tuple[int, str]:
    """The facts most specific to the pair first: a direct tie (no parties listed: it ties just
    these two), then agreements by their number of parties, since the page shows only the
    first `EVIDENCE_PER_PAIR` sentences; then the whole fact, for a total order."""
    return (len(item["parties"]) or 1, _canonical(item))


def bounded_evidence(
    pair: tuple[str, str], items: Sequence[Mapping[str, Any]], limit: int | None = None
) -> dict[str, Any]:
    """The evidence a page embeds for one pair: facts in their (sorted) order until `limit`
    sentences are shown (a fact without a quoted sentence counts as one), each fact's documents
    and parties cut at `SOURCES_PER_FACT` and `PARTIES_PER_FACT`. `more` counts the sentences
    and the whole facts left out, and names the query that lists them all.

    >>> item = {"sentences": ["s1", "s2", "s3"], "sources": ["d1"], "parties": []}
    >>> found = bounded_evidence(("KZ", "RU"), [item, item, item], limit=4)
    >>> [i["sentences"] for i in found["evidence"]]
    [['s1', 's2', 's3'], ['s1']]
    >>> found["more"]["sentences"], found["more"]["facts"], found["more"]["query"]
    (5, 1, 'ties query tie-evidence -p actor=KZ -p other=RU')
    """
    shown: list[dict[str, Any]] = []
    left = EVIDENCE_PER_PAIR if limit is None else limit
    hidden_sentences, hidden_facts = 0, 0
    for item in items:
        sentences = list(item["sentences"])
        if left <= 0:
            hidden_sentences += len(sentences)
            hidden_facts += 1
            continue
        kept = sentences[:left]
        left -= max(1, len(kept))
        hidden_sentences += len(sentences) - len(kept)
        cut = {**item, "sentences": kept}
        cut.update(_cut(item, "sources", SOURCES_PER_FACT))
        cut.update(_cut(item, "parties", PARTIES_PER_FACT))
        shown.append(cut)
    more = None
    if hidden_sentences or hidden_facts:
        query = _evidence_query(pair)
        more = {"sentences": hidden_sentences, "facts": hidden_facts, "query": query}
    return {"evidence": shown, "more": more}


def _cut(item: Mapping[str, Any], key: str, limit: int) -> dict[str, Any]:
    """`item[key]` cut at `limit`, with `<key>More` counting the rest when there is any."""
    values = list(item.get(key) or [])
    if len(values) <= limit:
        return {key: values}
    return {key: values[:limit], f"{key}More": len(values) - limit}


def _evidence_query(pair: tuple[str, str]) -> str:
    a, b = pair
    return f"ties query tie-evidence -p {shlex.quote(f'actor={a}')} -p {shlex.quote(f'other={b}')}"


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# -- the PyVis network --------------------------------------------------------------------------


def build_network(
    graph: nx.Graph,
    scores: Mapping[str, ActorScores],
    selection: _Selection,
    size_by: str,
) -> Network:
    """PyVis nodes and edges of the selected actors, sorted, with sizes, colours and widths."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    values = [_score(scores, node, size_by) for node in selection.actors]
    low, high = (min(values), max(values)) if values else (0.0, 0.0)
    positions = precomputed_layout(graph, selection)
    for node, value in zip(selection.actors, values, strict=True):
        attrs = graph.nodes[node]
        name = str(attrs.get("name") or node)
        kind = str(attrs.get("kind") or "")
        place = {"x": positions[node][0], "y": positions[node][1]} if node in positions else {}
        net.add_node(
            node,
            label=_short(name),
            color=KIND_COLORS.get(kind, OTHER_COLOR),
            size=node_size(value, low, high),
            title=_plain_title(name, kind, scores.get(node)),
            **place,
        )
    max_weight = max((p["weight"] for p in selection.pairs.values()), default=0.0)
    for index, (a, b) in enumerate(sorted(selection.pairs)):
        weight = selection.pairs[(a, b)]["weight"]
        # Pairs are unique already; Network.add_edge would re-check every edge (quadratic).
        net.edges.append(Edge(a, b, id=f"e{index}", width=edge_width(weight, max_weight)).options)
    net.options = _vis_options(len(selection.actors))
    if positions:
        # Laid out here: the browser draws at once instead of running the physics first.
        net.options["physics"]["enabled"] = False
    return net


def precomputed_layout(graph: nx.Graph, selection: _Selection) -> dict[str, tuple[int, int]]:
    """Above FREEZE_ABOVE actors, positions from a seeded force-directed layout
    (Fruchterman-Reingold, `analysis.force_layout`), rounded to whole pixels so the page's
    bytes stay the same; the browser then has no physics to run before the page answers.
    Smaller pages keep vis-network's own layout, which reads better and is quick at that
    size."""
    if len(selection.actors) <= FREEZE_ABOVE:
        return {}
    sub = nx.Graph()
    sub.add_nodes_from(selection.actors)
    sub.add_weighted_edges_from((a, b, p["weight"]) for (a, b), p in selection.pairs.items())
    spread = 40.0 * len(selection.actors) ** 0.5
    found = analysis.force_layout(sub, spread)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in sorted(found.items())}


def _short(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _plain_title(name: str, kind: str, scores: ActorScores | None) -> str:
    """A plain-text tooltip (vis-network 9 shows string titles as text); the page's script
    replaces it with a richer one built from the same data."""
    lines = [f"{name} ({KIND_LABELS.get(kind, kind or 'actor')})"]
    if scores is not None:
        lines += [f"{score}: {getattr(scores, score):.4g}" for score in SCORES]
    return "\n".join(lines)


def _vis_options(nodes: int) -> dict[str, Any]:
    freeze = nodes > FREEZE_ABOVE
    return {
        "autoResize": True,
        "layout": {
            "randomSeed": analysis.SEED,
            "improvedLayout": nodes <= IMPROVED_LAYOUT_UP_TO,
        },
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -80,
                "centralGravity": 0.01,
                "springLength": 120,
                "springConstant": 0.06,
                "avoidOverlap": 0.3,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 600 if freeze else 1000,
                "updateInterval": 50,
                "fit": True,
            },
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": freeze,
            "keyboard": False,
            "multiselect": False,
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "color": "#1d2329",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#c2255c", "hover": "#4a5560"},
            "smooth": False,
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
    }


# -- the page -----------------------------------------------------------------------------------


def _payload(
    data: NetworkData,
    scores: Mapping[str, ActorScores],
    selection: _Selection,
    net: Network,
    size_by: str,
) -> dict[str, Any]:
    pair_ids = {pair: f"e{index}" for index, pair in enumerate(sorted(selection.pairs))}
    years = [
        reason["since"]
        for pair in selection.pairs.values()
        for reason in pair["reasons"]
        if reason["since"] is not None
    ]
    filtered = selection.total > len(selection.actors) + selection.left_out
    cut = selection.ties_total > len(selection.pairs) or selection.left_out > 0
    return {
        "meta": {
            "title": TITLE,
            "sizeBy": size_by,
            "scores": list(SCORES),
            "asOf": data.as_of,
            "minYear": min([FIRST_YEAR, *years]),
            "maxWeight": max((p["weight"] for p in selection.pairs.values()), default=1.0),
            "nodesTotal": selection.total,
            "nodesDrawn": len(selection.actors),
            # Ties among the top actors, and how many of them the page draws (`max_edges`).
            "tiesTotal": selection.ties_total,
            "tiesDrawn": len(selection.pairs),
            "actorsLeftOut": selection.left_out,
            "freezeLayout": len(selection.actors) > FREEZE_ABOVE,
            "openOn": _open_on(data.graph, selection),
            "note": _note(selection, size_by) if filtered or cut or not net.nodes else "",
        },
        "kinds": _kinds(data.graph, selection.actors),
        "tieTypes": _tie_types(selection),
        "documents": {
            doc: dict(data.documents[doc])
            for doc in sorted(_cited_documents(selection))
            if doc in data.documents
        },
        "nodes": net.nodes,
        "edges": net.edges,
        "actors": _actors(data.graph, scores, selection, pair_ids, data.names),
        "pairs": {
            pair_ids[(a, b)]: {"source": a, "target": b, **details}
            for (a, b), details in selection.pairs.items()
        },
        "options": net.options,
    }


def _open_on(graph: nx.Graph, selection: _Selection) -> list[str] | None:
    """The actors a large page opens on: the most connected by stated ties (then by all ties,
    then by id); None when the page is small enough to open on everything."""
    if len(selection.actors) <= OPEN_ALL_UP_TO:
        return None
    stated: dict[str, int] = defaultdict(int)
    degree: dict[str, int] = defaultdict(int)
    for (a, b), pair in selection.pairs.items():
        is_stated = any(reason.get("stated", True) for reason in pair["reasons"])
        for node in (a, b):
            degree[node] += 1
            stated[node] += is_stated
    ranked = sorted(selection.actors, key=lambda n: (-stated[n], -degree[n], n))
    return sorted(ranked[:OPEN_ON])


def _note(selection: _Selection, size_by: str) -> str:
    """What the page leaves out, counted, and how to get it.

    >>> sel = _Selection(["a", "b"], 9, {("a", "b"): {}}, ties_total=3, left_out=1)
    >>> print(_note(sel, "weighted_degree"))  # doctest: +NORMALIZE_WHITESPACE
    Showing the 3 actors with the highest weighted degree out of 9 and 1 of the 3 ties among
    them (each actor's strongest and those that keep connected actors connected first, then the
    strongest); 1 of these actors is left out: none of its ties is among those drawn. `ties viz
    --max-nodes N --max-edges M` draws more; `ties query actor-ties -p actor=ID` lists an
    actor's ties.
    """
    if not selection.actors and not selection.total:
        return "The store holds no actors yet: run `ties reload` to build the graph."
    candidates = len(selection.actors) + selection.left_out
    if candidates < selection.total:
        text = (
            f"Showing the {candidates:,} actors with the highest {size_by.replace('_', ' ')}"
            f" out of {selection.total:,}"
        )
    else:
        text = f"Showing all {selection.total:,} actors"
    if selection.ties_total > len(selection.pairs):
        text += (
            f" and {len(selection.pairs):,} of the {selection.ties_total:,} ties among them"
            " (each actor's strongest and those that keep connected actors connected first,"
            " then the strongest)"
        )
    if selection.left_out == 1:
        text += "; 1 of these actors is left out: none of its ties is among those drawn"
    elif selection.left_out:
        text += (
            f"; {selection.left_out:,} of these actors are left out: none of their ties is"
            " among those drawn"
        )
    return (
        f"{text}. `ties viz --max-nodes N --max-edges M` draws more; "
        "`ties query actor-ties -p actor=ID` lists an actor's ties."
    )


# Tie types in a fixed order with colours distinct from the node kinds' (Tol's muted palette).
TIE_COLORS = {
    "agreement": "#332288",
    "membership": "#117733",
    "co-membership": "#88CCEE",
    "SUPPLIES": "#CC6677",
    "TRAINS": "#AA4499",
    "VISITED": "#DDCC77",
    "ALLIED_WITH": "#882255",
    "COOPERATES_WITH": "#44AA99",
    "JOINT_VENTURE": "#999933",
    "LEASES": "#661100",
    "REPRESENTS": "#6699CC",
    "PART_OF": "#888888",
    "HOSTED": "#AA7744",
    "PARTICIPATED_IN": "#BBBBBB",
}
TIE_LABELS = {
    "agreement": "Shared agreement",
    "membership": "Membership",
    "co-membership": "Co-membership (inferred)",
}
# Statuses that say a fact is not (yet) an asserted one: drawn dotted on the page.
HEDGED = ("draft", "planned", "reported")


def _tie_types(selection: _Selection) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for pair in selection.pairs.values():
        for via in {reason["via"] for reason in pair["reasons"]}:
            counts[via] += 1
    order = list(TIE_COLORS)
    return [
        {
            "type": via,
            "label": TIE_LABELS.get(via, via.replace("_", " ").lower().capitalize()),
            "color": TIE_COLORS.get(via, OTHER_COLOR),
            "count": counts[via],
        }
        for via in sorted(counts, key=lambda v: (order.index(v) if v in order else 99, v))
    ]


def _cited_documents(selection: _Selection) -> set[str]:
    return {
        str(doc)
        for pair in selection.pairs.values()
        for item in pair["evidence"]
        for doc in item["sources"]
    }


def _kinds(graph: nx.Graph, actors: Sequence[str]) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for node in actors:
        counts[str(graph.nodes[node].get("kind") or "")] += 1
    order = list(KIND_COLORS)
    return [
        {
            "kind": kind,
            "label": KIND_LABELS.get(kind, kind or "Other"),
            "color": KIND_COLORS.get(kind, OTHER_COLOR),
            "count": counts[kind],
        }
        for kind in sorted(counts, key=lambda k: (order.index(k) if k in order else 99, k))
    ]


def _actors(
    graph: nx.Graph,
    scores: Mapping[str, ActorScores],
    selection: _Selection,
    pair_ids: Mapping[tuple[str, str], str],
    data_names: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    actors = {}
    for node in selection.actors:
        attrs = graph.nodes[node]
        found = scores.get(node)
        row = found.as_row() if found else {}
        kind = str(attrs.get("kind") or "")
        actors[node] = {
            "name": str(attrs.get("name") or node),
            "kind": kind,
            "kindLabel": KIND_LABELS.get(kind, kind or "Actor"),
            "names": list(data_names.get(node, [node, str(attrs.get("name") or node)])),
            "scores": {score: row.get(score, 0) for score in SCORES},
            "community": row.get("community", -1),
            "top": _top_ties(graph, node, selection, pair_ids),
        }
        hidden = selection.not_drawn.get(node, 0)
        if hidden:
            # Its ties in the network that the page does not draw, and the query for them all.
            actors[node]["notDrawn"] = hidden
            actors[node]["query"] = f"ties query actor-ties -p {shlex.quote(f'actor={node}')}"
    return actors


def _top_ties(
    graph: nx.Graph,
    node: str,
    selection: _Selection,
    pair_ids: Mapping[tuple[str, str], str],
) -> list[dict[str, Any]]:
    ties = []
    for other in graph[node]:
        key = _pair(node, other)
        if key not in pair_ids:
            continue
        details = selection.pairs[key]
        via = sorted({reason["via"] for reason in details["reasons"]})
        ties.append(
            {
                "id": other,
                "name": str(graph.nodes[other].get("name") or other),
                "weight": details["weight"],
                "via": ", ".join(via),
                "edge": pair_ids[key],
            }
        )
    ties.sort(key=lambda tie: (-tie["weight"], tie["id"]))
    return ties[:TOP_TIES]


def _asset(*parts: str) -> str:
    return resources.files("graph").joinpath(*parts).read_text(encoding="utf-8")


def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the pyvis package, made safe to inline."""
    lib = resources.files("pyvis").joinpath("templates", "lib", VIS_VERSION)
    js = lib.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = lib.joinpath("vis-network.css").read_text(encoding="utf-8")
    # A source map comment would make browser dev tools look for a file that is not there.
    js = _SOURCE_MAP.sub("", js).rstrip() + "\n"
    for name, text in (("vis-network.min.js", js), ("vis-network.css", css)):
        lowered = text.lower()
        if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
            raise TiesError(f"pyvis's {name} cannot be inlined safely (it closes its element)")
    return js, css


def _fill_template(payload: dict[str, Any]) -> str:
    vis_js, vis_css = _vis_assets()
    template = string.Template(_asset("templates", "network.html"))
    page = template.substitute(
        title=html.escape(TITLE),
        vis_css=vis_css.rstrip(),
        vis_js=vis_js.rstrip(),
        page_css=_asset("static", "ties.css").rstrip(),
        page_js=_asset("static", "ties.js").rstrip(),
        data=script_json(payload),
    )
    found = external_references(page)
    if found:
        raise TiesError(f"the network page would load from the web ({found[0]}...)")
    return page
