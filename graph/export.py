"""The whole property graph, exported for Gephi, neo4j-admin import or scripts.

Every format holds every node (labels and properties) and every relationship (type, ends and
properties), read through `cypher/analysis/export_nodes.cypher` and
`export_relationships.cypher`, so the same on every store. The files are byte-for-byte
deterministic: labels, property keys, nodes and relationships are sorted, and floats are written
with Python's shortest round-trip ``repr``.

A node is named by its ``id`` property. Ids are unique per label; in the rare graph where two
labels share an id, those nodes are named ``Label:id`` instead (``Label`` being their keyed label,
Actor, Agreement, Event or Document), so every format still has one name per node.

Formats:

* ``json`` — ``{"nodes": [{"id", "labels", "properties"}], "relationships": [{"type", "start",
  "end", "properties"}]}``.
* ``graphml`` and ``gexf`` — through NetworkX. Neither holds lists, so list properties are joined
  with `LIST_SEPARATOR`; labels go in ``labels`` as ``:Actor:State`` (the APOC convention), the
  display name in ``label`` and the relationship type in ``type`` (GraphML) or ``label`` (GEXF).
  GEXF reserves some attribute names (`GEXF_RESERVED`); properties with those names are written
  as ``<name>_``.
* ``csv`` — a folder with ``nodes.csv`` and ``relationships.csv`` in the layout of
  ``neo4j-admin database import`` (``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``, ``:TYPE``
  and typed property columns). The ``:ID`` column is not stored as a property; the ``id``
  column is. Arrays and labels are delimited by ``|`` (a ``|`` inside an element becomes ``¦``)
  and evidence may span lines, so import with::

      neo4j-admin database import full neo4j --nodes=nodes.csv \\
          --relationships=relationships.csv --array-delimiter="U+007C" --multiline-fields=true
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from graph import catalogue, schema
from graph.errors import TiesError
from graph.files import write_atomically
from graph.store import Store

FORMATS = ("graphml", "gexf", "json", "csv")
LIST_SEPARATOR = " | "
CSV_ARRAY_DELIMITER = "|"
CSV_DELIMITER_STANDIN = "¦"
GEXF_RESERVED = {
    "node": ("id", "label", "pid", "start", "end", "viz", "parents", "slices", "spells"),
    "edge": ("id", "label", "weight", "type", "start", "end", "viz", "slices", "spells", "key"),
}

Scalar = str | int | float | bool
Value = Scalar | list[Scalar]


class ExportError(TiesError):
    """The graph cannot be written in the asked format."""


@dataclass(frozen=True)
class GraphNode:
    key: str
    labels: tuple[str, ...]
    properties: dict[str, Value]


@dataclass(frozen=True)
class GraphRelationship:
    type: str
    start: str
    end: str
    properties: dict[str, Value]


# -- reading ------------------------------------------------------------------------------------


def read_graph(store: Store) -> tuple[list[GraphNode], list[GraphRelationship]]:
    """Every node and relationship of the store, normalised and sorted."""
    node_rows = store.run(catalogue.get("analysis/export_nodes").cypher)
    rel_rows = store.run(catalogue.get("analysis/export_relationships").cypher)
    return graph_from_rows(node_rows, rel_rows)


def graph_from_rows(
    node_rows: Iterable[Mapping[str, Any]], rel_rows: Iterable[Mapping[str, Any]]
) -> tuple[list[GraphNode], list[GraphRelationship]]:
    """Rows of the two export queries -> sorted nodes and relationships.

    >>> nodes, rels = graph_from_rows(
    ...     [{"labels": ["State", "Actor"], "properties": {"id": "KZ", "name": "Kazakhstan"}},
    ...      {"labels": ["Actor", "State"], "properties": {"id": "RU", "name": "Russia"}}],
    ...     [{"type": "SUPPLIES", "start_labels": ["Actor", "State"], "start_id": "RU",
    ...       "end_labels": ["Actor", "State"], "end_id": "KZ", "properties": {"year": 2010}}])
    >>> [(n.key, n.labels) for n in nodes]
    [('KZ', ('Actor', 'State')), ('RU', ('Actor', 'State'))]
    >>> rels[0]
    GraphRelationship(type='SUPPLIES', start='RU', end='KZ', properties={'year': 2010})
    """
    node_rows = list(node_rows)
    identities = [
        _identity(row["labels"], (row["properties"] or {}).get("id")) for row in node_rows
    ]
    keys = _node_keys(identities)
    nodes = [
        GraphNode(keys[identity], tuple(sorted(row["labels"])), _properties(row["properties"]))
        for identity, row in zip(identities, node_rows, strict=True)
    ]
    rels = []
    for row in rel_rows:
        start = keys.get(_identity(row["start_labels"], row["start_id"]))
        end = keys.get(_identity(row["end_labels"], row["end_id"]))
        if start is None or end is None:
            raise ExportError(f"a {row['type']} relationship joins a node without an id")
        rels.append(GraphRelationship(row["type"], start, end, _properties(row["properties"])))
    nodes.sort(key=lambda n: n.key)
    rels.sort(key=lambda r: (r.type, r.start, r.end, _canonical(r.properties)))
    return nodes, rels


def _identity(labels: Sequence[str], node_id: Any) -> tuple[str, str]:
    """(keyed label, id): ids are unique within a keyed label, not across labels."""
    if node_id is None:
        raise ExportError(
            f"a node labelled {':'.join(sorted(labels)) or '(none)'} has no id property; "
            "every node needs one to be exported"
        )
    keyed = [label for label in schema.KEYED_LABELS if label in labels]
    return (keyed[0] if keyed else ":".join(sorted(labels)), clean_text(str(node_id)))


def _node_keys(identities: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The plain id where it names one node, ``Label:id`` where labels share it.

    >>> _node_keys([("Actor", "KZ"), ("Actor", "x"), ("Document", "x")])
    {('Actor', 'KZ'): 'KZ', ('Actor', 'x'): 'Actor:x', ('Document', 'x'): 'Document:x'}
    """
    uses = Counter(node_id for _, node_id in set(identities))
    return {
        identity: identity[1] if uses[identity[1]] == 1 else f"{identity[0]}:{identity[1]}"
        for identity in identities
    }


def _properties(props: Mapping[str, Any] | None) -> dict[str, Value]:
    cleaned = {key: _value(value) for key, value in (props or {}).items()}
    return {key: cleaned[key] for key in sorted(cleaned) if cleaned[key] is not None}


def _value(value: Any) -> Value | None:
    """Store values as JSON-ready scalars or lists of scalars (maps become JSON text).

    >>> _value([1, "a"]), _value({"b": 1, "a": 2}), _value(float("nan"))
    ([1, 'a'], '{"a": 2, "b": 1}', 'NaN')
    """
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value).replace("nan", "NaN")
    if isinstance(value, list | tuple):
        items = [_value(item) for item in value if item is not None]
        return [item if not isinstance(item, list) else _canonical(item) for item in items]
    if isinstance(value, dict):
        return _canonical(value)
    return str(value)


def _canonical(value: Any) -> str:
    return clean_text(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


# Control characters (but tab and newlines) and the code points XML 1.0 forbids: a document's
# stray \x01 or ESC would otherwise make the GraphML and GEXF files invalid XML, which Gephi
# and networkx refuse. The graph keeps what the documents said; the files get clean text.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    r"""`text` without control characters or code points XML cannot carry.

    >>> clean_text("Kazakh\x01stan\x1b[31m, Russia\n")
    'Kazakhstan[31m, Russia\n'
    """
    return _NOT_TEXT.sub("", text)


# -- formats ------------------------------------------------------------------------------------


def export_graph(store: Store, fmt: str, out: Path) -> Path:
    """Write the whole graph as `fmt` to `out` (a folder for csv); return what was written.

    Parameters
    ----------
    store : Store
        Any store; it is only read.
    fmt : str
        One of `FORMATS`.
    out : Path
        The file to write, or for ``csv`` the folder to write ``nodes.csv`` and
        ``relationships.csv`` into (created if missing).
    """
    writers: dict[str, Callable[[list[GraphNode], list[GraphRelationship], Path], Path]] = {
        "json": write_json,
        "graphml": write_graphml,
        "gexf": write_gexf,
        "csv": write_csv,
    }
    if fmt not in writers:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    nodes, rels = read_graph(store)
    return writers[fmt](nodes, rels, Path(out))


def to_json(nodes: Sequence[GraphNode], rels: Sequence[GraphRelationship]) -> str:
    document = {
        "nodes": [
            {"id": n.key, "labels": list(n.labels), "properties": n.properties} for n in nodes
        ],
        "relationships": [
            {"type": r.type, "start": r.start, "end": r.end, "properties": r.properties}
            for r in rels
        ],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(nodes: list[GraphNode], rels: list[GraphRelationship], out: Path) -> Path:
    write_atomically(out, to_json(nodes, rels))
    return out


def to_networkx(
    nodes: Sequence[GraphNode], rels: Sequence[GraphRelationship], *, gexf: bool = False
) -> nx.MultiDiGraph:
    """The property graph as a NetworkX multigraph with flat (list-free) attributes.

    >>> nodes, rels = graph_from_rows(
    ...     [{"labels": ["Actor"], "properties": {"id": "a", "sources": ["d1", "d2"]}}], [])
    >>> dict(to_networkx(nodes, rels).nodes["a"])
    {'id': 'a', 'sources': 'd1 | d2', 'labels': ':Actor', 'label': 'a'}
    """
    graph = nx.MultiDiGraph()
    node_attrs = _uniform([_flat(n.properties, "node" if gexf else None) for n in nodes])
    for node, attrs in zip(nodes, node_attrs, strict=True):
        name = node.properties.get("name", node.properties.get("id", node.key))
        graph.add_node(node.key, **attrs, labels=_label_text(node.labels), label=str(name))
    edge_attrs = _uniform([_flat(r.properties, "edge" if gexf else None) for r in rels])
    for index, (rel, attrs) in enumerate(zip(rels, edge_attrs, strict=True)):
        typed = {"label": rel.type} if gexf else {"type": rel.type, "label": rel.type}
        # Keys in sorted order make the edge ids of both formats stable.
        graph.add_edge(rel.start, rel.end, key=f"e{index}", **attrs, **typed)
    return graph


def _label_text(labels: Sequence[str]) -> str:
    return "".join(f":{label}" for label in labels)


def _flat(props: Mapping[str, Value], reserved_for: str | None) -> dict[str, Scalar]:
    reserved = GEXF_RESERVED[reserved_for] if reserved_for else ()
    flat: dict[str, Scalar] = {}
    for key, value in props.items():
        name = f"{key}_" if key in reserved or key in ("labels", "label", "type") else key
        flat[name] = LIST_SEPARATOR.join(map(_text, value)) if isinstance(value, list) else value
    return flat


def _uniform(records: list[dict[str, Scalar]]) -> list[dict[str, Scalar]]:
    """One type per attribute name, as GraphML and GEXF declare attributes once: ints mixed
    with floats become floats, anything else mixed becomes text."""
    kinds: dict[str, set[type]] = {}
    for record in records:
        for key, value in record.items():
            kinds.setdefault(key, set()).add(type(value))
    cast: dict[str, Callable[[Scalar], Scalar]] = {}
    for key, found in kinds.items():
        if len(found) > 1:
            cast[key] = float if found <= {int, float} else _text
    return [{key: cast.get(key, _same)(value) for key, value in r.items()} for r in records]


def _same(value: Scalar) -> Scalar:
    return value


def _text(value: Scalar) -> str:
    """Scalars as text, floats as their shortest round-trip form.

    >>> _text(True), _text(0.1), _text(3)
    ('true', '0.1', '3')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def write_graphml(nodes: list[GraphNode], rels: list[GraphRelationship], out: Path) -> Path:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(nodes, rels), buffer, encoding="utf-8", prettyprint=True)
    write_atomically(out, buffer.getvalue())
    return out


def write_gexf(nodes: list[GraphNode], rels: list[GraphRelationship], out: Path) -> Path:
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    # NetworkX stamps today's date into <meta>; drop it so the bytes depend on the graph only.
    writer.meta_element.attrib.pop("lastmodifieddate", None)
    writer.add_graph(to_networkx(nodes, rels, gexf=True))
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(out, buffer.getvalue())
    return out


# -- csv for neo4j-admin import -----------------------------------------------------------------


def write_csv(nodes: list[GraphNode], rels: list[GraphRelationship], out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; csv export writes a folder (nodes.csv, ...)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    node_props = [n.properties for n in nodes]
    node_columns = _csv_columns(node_props)
    node_rows = [
        [n.key, CSV_ARRAY_DELIMITER.join(n.labels), *_csv_cells(n.properties, node_columns)]
        for n in nodes
    ]
    write_atomically(
        out / "nodes.csv", _csv_text([":ID", ":LABEL", *_headers(node_columns)], node_rows)
    )
    rel_columns = _csv_columns([r.properties for r in rels])
    rel_rows = [[r.start, r.end, r.type, *_csv_cells(r.properties, rel_columns)] for r in rels]
    header = [":START_ID", ":END_ID", ":TYPE", *_headers(rel_columns)]
    write_atomically(out / "relationships.csv", _csv_text(header, rel_rows))
    return out


def _csv_columns(records: Iterable[Mapping[str, Value]]) -> list[tuple[str, str]]:
    """(property, neo4j-admin type) for every key, sorted.

    >>> _csv_columns([{"n": 1, "x": [1.5], "s": ["a"]}, {"n": 2.5, "b": True}])
    [('b', 'boolean'), ('n', 'double'), ('s', 'string[]'), ('x', 'double[]')]
    """
    found: dict[str, set[str]] = {}
    for record in records:
        for key, value in record.items():
            kinds = found.setdefault(key, set())
            if isinstance(value, list):
                kinds.add("[]")
                kinds.update(_scalar_kind(item) for item in value)
            else:
                kinds.add(_scalar_kind(value))
    return [(key, _column_type(found[key])) for key in sorted(found)]


def _scalar_kind(value: Scalar) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _column_type(kinds: set[str]) -> str:
    array = "[]" in kinds
    scalars = kinds - {"[]"}
    if scalars == {"long"}:
        base = "long"
    elif scalars and scalars <= {"long", "double"}:
        base = "double"
    elif scalars == {"boolean"}:
        base = "boolean"
    else:
        base = "string"
    return base + ("[]" if array else "")


def _headers(columns: Sequence[tuple[str, str]]) -> list[str]:
    return [name if kind == "string" else f"{name}:{kind}" for name, kind in columns]


def _csv_cells(props: Mapping[str, Value], columns: Sequence[tuple[str, str]]) -> list[str]:
    cells = []
    for name, kind in columns:
        value = props.get(name)
        if value is None:
            cells.append("")
        elif kind.endswith("[]"):
            items = value if isinstance(value, list) else [value]
            cells.append(CSV_ARRAY_DELIMITER.join(_csv_item(item, kind) for item in items))
        else:
            cells.append(_csv_scalar(value, kind))
    return cells


def _csv_item(item: Scalar, kind: str) -> str:
    text = _csv_scalar(item, kind[:-2])
    return text.replace(CSV_ARRAY_DELIMITER, CSV_DELIMITER_STANDIN)


def _csv_scalar(value: Scalar, kind: str) -> str:
    if kind == "double" and isinstance(value, int) and not isinstance(value, bool):
        return repr(float(value))
    return _text(value)


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# -- files --------------------------------------------------------------------------------------
