"""The store interface: what loading, analysis and the CLI need from a graph database.

Two backends implement it: Neo4j 5 (`graph.neo4j_store`, the production store) and embedded
FalkorDB (`graph.falkordb_store`, the default when no server is configured). Backends are
imported lazily so that the embedded path never needs the Neo4j driver to be importable, and
the reverse.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph.errors import TiesError
from graph.settings import Settings

BACKENDS = ("embedded", "neo4j")

# Clauses that change the graph. Used to refuse writes up front with a clear message; the
# backends also enforce read-only mode themselves (READ access mode, GRAPH.RO_QUERY).
# A clause word is not a clause when it is a property (`n.set`), a label or type (`:Set`), a
# parameter (`$set`) or a map key (`{set: 1}`).
_WRITE_CLAUSE = re.compile(
    r"(?<![.:$\w])(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|DROP|LOAD\s+CSV|FOREACH)\b(?!\s*:)",
    re.IGNORECASE,
)
# `RETURN x AS set`: an alias is a name, whatever it spells.
_ALIAS = re.compile(r"\bAS\s+[A-Za-z_]\w*", re.IGNORECASE)
_STRING_OR_COMMENT = re.compile(
    r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S
)


# Runs one statement inside a reload, on the new graph before readers see it.
Runner = Callable[[str, dict[str, Any] | None], list[dict[str, Any]]]
# What a reload does on the new graph before the switch (the scores): given a Runner.
Finish = Callable[[Runner], None]


@dataclass(frozen=True)
class Staged:
    """A `Finish` in three steps: `read` the new graph, `compute` from what was read (no store),
    `write` the result onto the new graph; then the store switches to it.

    The split lets a store whose readers wait for its writer (the embedded store: one process
    at a time) hold its lock only while it reads and writes, and let readers in, on the
    previous graph, while the scores are computed. Called as one function it runs the three
    in a row: what a store whose readers never wait (Neo4j) does inside its transaction.

    >>> Staged(lambda run: 2, lambda x: x * 3, lambda run, y: run(str(y), None))(
    ...     lambda cypher, params: print(cypher))
    6
    """

    read: Callable[[Runner], Any]
    compute: Callable[[Any], Any]
    write: Callable[[Runner, Any], None]

    def __call__(self, run: Runner) -> None:
        self.write(run, self.compute(self.read(run)))


@dataclass(frozen=True)
class Write:
    """One load statement and the rows it is run with, in `UNWIND $rows` batches."""

    name: str
    cypher: str
    rows: Sequence[dict[str, Any]] = field(default_factory=list)


class Store(ABC):
    """A graph store. Every method raises a `graph.errors.StoreError` subclass on failure."""

    backend: str = ""

    @abstractmethod
    def run(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run one statement; rows come back as plain dicts (nodes as their properties).

        `timeout` (seconds) is enforced by the server, which stops the query. At most
        `max_rows` rows are fetched: the rest is never sent, so a huge result costs no memory.
        """

    @abstractmethod
    def replace_graph(
        self,
        schema: Sequence[str],
        writes: Iterable[Write],
        batch_size: int = 1000,
        finish: Finish | None = None,
    ) -> int:
        """Replace the whole graph atomically; return the number of statements run.

        Readers see either the previous graph or the new one, never a half-loaded graph: a
        failure anywhere leaves the previous graph in place. `finish` runs on the new graph
        before the switch (the scores), so it is switched in with it or not at all; a `Staged`
        finish may have its `compute` step run while readers use the previous graph.
        """

    @abstractmethod
    def describe(self) -> str:
        """Where the data is, for messages (never a password)."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection or the embedded server."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_write_query(cypher: str) -> bool:
    """True when the statement has a clause that writes (strings and comments ignored).

    >>> is_write_query("MATCH (n) RETURN n.name AS created")
    False
    >>> is_write_query("MATCH (n) DETACH DELETE n")
    True
    >>> is_write_query("MATCH (n {name: 'CREATE'}) RETURN n")
    False
    >>> is_write_query("MATCH (n) RETURN n.set AS set, {set: 1, delete: 2} AS m")
    False
    >>> is_write_query("MATCH (n) SET n:Set")
    True
    """
    text = _ALIAS.sub(" AS _", _STRING_OR_COMMENT.sub(" ", cypher))
    return bool(_WRITE_CLAUSE.search(text))


def batched(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    """Consecutive slices of at most `size` rows.

    >>> [len(b) for b in batched([{}] * 5, 2)]
    [2, 2, 1]
    """
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def open_store(settings: Settings) -> Store:
    """The store the settings name; the backend module is imported only when chosen."""
    if settings.store == "embedded":
        from graph.falkordb_store import FalkorDBStore

        return FalkorDBStore(settings.home)
    if settings.store == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    raise TiesError(f"unknown store {settings.store!r}; choose one of: {', '.join(BACKENDS)}")
