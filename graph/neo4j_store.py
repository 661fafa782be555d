"""The production store: Neo4j 5 over Bolt. The only module of the project that imports `neo4j`.

Any `bolt://`, `neo4j://` or `neo4j+s://` URI works, so a local server, Aura and clusters do.

Atomic reload by stage and switch. Community edition has one user database (CREATE DATABASE
and CREATE ALIAS are refused: "Unsupported administration command"), so there is no second
database to switch to, and a reload that deletes the old graph and writes the new one in ONE
transaction holds the whole graph (and the deletion of the old one) in the transaction's memory:
issue 12 saw that fail at 5,000 documents with the 1 GiB heap that the harness and
docker-compose.yml ship, and here it reached 644 of the 716.8 MiB allowed (BENCHMARKS.md).
So a reload:

1. writes the new graph in many small transactions (at most `batch_size` rows and `BATCH_CHARS`
   characters of row data each) as a *staged generation*: nodes labelled `Staged` plus
   `StagedActor`/`StagedAgreement`/`StagedEvent`/`StagedDocument` (cypher/stage/, with their
   own unique keys), relationships between staged nodes only. No reader matches those labels,
   and the library queries that match nodes without a label (counts, exports, review) leave
   `Staged` and `Retired` out;
2. switches in ONE small transaction (cypher/store/retire.cypher, promote.cypher): the previous
   graph's nodes lose their labels and become `Retired`, the staged nodes take theirs; `finish`
   (the scores, the counts) runs on the new graph in that same transaction. Only labels change
   here, so its memory grows with the number of nodes, not with their properties or the
   relationships. It first checks that the staged graph holds exactly what the batches created;
3. deletes the retired generation in batches (cypher/store/drop_hidden.cypher), after commit.

A failure before the switch commits (or a killed process) leaves the previous graph as it was; what
was staged is deleted then, or by the next reload. One reload at a time: each takes the database's
reload lock first (cypher/store/claim_reload.cypher, a `:ReloadLock` node under a unique key),
renews it in every staging transaction and in the switch, and gives it back at the end, so a second
reload is refused at once instead of deleting the first one's staged graph. Stage and switch was
chosen over the two other ways: a generation property on every node and relationship would have to
be filtered by every read query, the user's own included, and a diff against the current graph by
stable ids writes the whole graph in one transaction whenever most of it changes (a first load, a
new extractor), which is the case that failed. Readers see the previous graph until the switch
commits, then the new one (Neo4j's read-committed isolation, as with the one-transaction reload
before). Schema statements cannot share a transaction with writes, so they run first, each `IF NOT
EXISTS`.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
)

from graph import catalogue
from graph.errors import ConnectionFailed, ReadOnlyViolation, StoreError
from graph.settings import Settings, split_credentials
from graph.store import Finish, Store, Write, is_write_query


class Neo4jStore(Store):
    backend = "neo4j"

    def __init__(
        self, uri: str, user: str, password: str | None, database: str | None = None
    ) -> None:
        # Credentials written into the URI are used as such, and never shown: `uri` is the
        # address without them, the only form any message or log gets.
        address, uri_user, uri_password = split_credentials(uri)
        user = uri_user or user
        password = uri_password if uri_password is not None else password
        self.uri = address
        self.database = database
        uri = address
        check_scheme(uri)
        try:
            self._driver = neo4j.GraphDatabase.driver(
                uri,
                auth=(user, password or ""),
                notifications_min_severity="OFF",
                connection_timeout=10,
                max_transaction_retry_time=15,
            )
            self._driver.verify_connectivity()
        except AuthError:
            self._close_quietly()
            raise ConnectionFailed(
                f"Neo4j at {uri} refused the credentials of user {user!r} "
                f"(check NEO4J_USER / NEO4J_PASSWORD)"
            ) from None
        except Exception as exc:  # the driver raises many kinds; each becomes this one line
            self._close_quietly()
            raise ConnectionFailed(f"cannot reach Neo4j at {uri}: {_first_line(exc)}") from None

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            with contextlib.suppress(Exception):
                driver.close()

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        if not settings.neo4j_uri:
            raise ConnectionFailed("the neo4j store needs a URI: set NEO4J_URI or --neo4j-uri")
        return cls(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_database,
        )

    def describe(self) -> str:
        return f"Neo4j at {self.uri}"

    def close(self) -> None:
        self._driver.close()

    # -- queries ---------------------------------------------------------------------------

    def run(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> list[dict[str, Any]]:
        if not write and is_write_query(cypher):
            raise ReadOnlyViolation("this query writes to the graph; pass --write to allow it")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS

        # The server stops a transaction that runs longer than its timeout.
        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return _rows(tx, cypher, params, max_rows)

        try:
            with self._driver.session(database=self.database, default_access_mode=mode) as s:
                return s.execute_write(work) if write else s.execute_read(work)
        except Exception as exc:
            raise _store_error(exc, self.uri, timeout) from None

    # -- atomic reload ---------------------------------------------------------------------

    def replace_graph(
        self,
        schema: Sequence[str],
        writes: Iterable[Write],
        batch_size: int = 1000,
        finish: Finish | None = None,
    ) -> int:
        """Stage the new graph in batches, switch to it in one transaction, drop the old one.

        Each write must be one of the catalogue's load statements (cypher/load/): it is run as
        its staged form (cypher/stage/, same name), which no reader sees before the switch."""
        plan = [(write, staged_statement(write)) for write in writes]
        owner = uuid.uuid4().hex
        try:
            with self._driver.session(database=self.database) as session:
                for statement in schema:
                    session.run(statement).consume()
                _claim(session, owner)
                try:
                    # What a killed reload staged, or a switched one had no time to delete.
                    _drop_hidden(session, batch_size)
                    try:
                        created = {"nodes": 0, "relationships": 0}
                        statements = 0
                        for write, staged in plan:
                            for rows in sized_batches(write.rows, batch_size):
                                done = session.execute_write(_stage_batch, staged, rows, owner)
                                for key, count in done.items():
                                    created[key] += count
                                statements += 1
                        session.execute_write(_switch, created, finish, owner)
                    except BaseException:
                        with contextlib.suppress(Exception):
                            _drop_hidden(session, batch_size)
                        raise
                    # The switch has committed: the reload is done whatever happens now.
                    # Retired nodes are invisible; if this is cut short, the next reload
                    # deletes the rest.
                    with contextlib.suppress(Neo4jError, DriverError):
                        _drop_hidden(session, batch_size)
                finally:
                    with contextlib.suppress(Neo4jError, DriverError):
                        session.run(_cypher("store/release_reload"), owner=owner).consume()
                return len(schema) + statements + 1
        except StoreError:
            raise
        except Exception as exc:
            raise _store_error(exc, self.uri) from None


# A staging transaction also stops at this many characters of row data: a node's `sources` and
# `spans` list every document that names it, so at 50,000 documents 1,000 actor rows weighed
# enough to take one transaction to 656 MiB of the 716.8 MiB a 1 GiB heap allows (BENCHMARKS.md).
BATCH_CHARS = 2_000_000


def sized_batches(
    rows: Sequence[dict[str, Any]], max_rows: int, max_chars: int = BATCH_CHARS
) -> Iterator[list[dict[str, Any]]]:
    """Consecutive slices of at most `max_rows` rows and (unless one row is larger alone) at
    most `max_chars` characters of strings.

    >>> [len(b) for b in sized_batches([{"s": "x" * 10}] * 5, 2, max_chars=25)]
    [2, 2, 1]
    >>> [len(b) for b in sized_batches([{"s": "x" * 10}] * 5, 1000, max_chars=25)]
    [2, 2, 1]
    >>> [len(b) for b in sized_batches([{"s": "x" * 50}, {"s": "y"}], 1000, max_chars=25)]
    [1, 1]
    """
    batch: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        cost = _chars(row)
        if batch and (len(batch) >= max_rows or size + cost > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(row)
        size += cost
    if batch:
        yield batch


def _chars(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(len(key) + _chars(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return sum(_chars(item) for item in value)
    return 8


def staged_statement(write: Write) -> str:
    """The staged form of a load statement: `load/x` -> `stage/x` (the write's own Cypher must
    be the catalogue's `load/x`, whatever the write is called)."""
    staged = _staged_forms().get(write.cypher)
    if staged is None:
        raise StoreError(
            f"cannot stage the write {write.name!r} on Neo4j: only the load statements of "
            f"cypher/load/ have a staged form (cypher/stage/)"
        )
    return staged


@functools.cache
def _staged_forms() -> dict[str, str]:
    forms = {}
    for key, entry in catalogue.catalogue().items():
        if key.startswith("load/"):
            forms[entry.cypher] = catalogue.get("stage/" + key.removeprefix("load/")).cypher
    return forms


# A reload lock not renewed for this long is taken over: its reload died without giving it
# back. Each staging batch renews it, and so does the switch; what can run longest between two
# renewals is the switch's own scores (minutes at 50,000 documents, BENCHMARKS.md).
STALE_LOCK_SECONDS = 1800


def _claim(session: neo4j.Session, owner: str) -> None:
    """Take the database's reload lock, or fail with who holds it: a second reload would delete
    the first one's staged graph as leftovers, and both would fail."""
    row = session.run(
        _cypher("store/claim_reload"), owner=owner, stale_seconds=STALE_LOCK_SECONDS
    ).single()
    if row is None or row["owner"] != owner:
        renewed = row["renewed"] if row is not None else "?"
        raise StoreError(
            f"another reload is writing to this Neo4j database (its lock was last renewed at "
            f"{renewed}); the graph is unchanged. Run this reload again once that one has "
            f"finished (a lock not renewed for {STALE_LOCK_SECONDS // 60} minutes is taken over)"
        )


def _still_held(tx: neo4j.ManagedTransaction, owner: str) -> None:
    row = tx.run(_cypher("store/renew_reload"), owner=owner).single()
    if row is None or row["held"] != 1:
        raise StoreError(
            "this reload's lock on the Neo4j database was taken over by another reload (it was "
            "not renewed in time); nothing was switched"
        )


def _stage_batch(
    tx: neo4j.ManagedTransaction, cypher: str, rows: list[dict[str, Any]], owner: str
) -> dict[str, int]:
    _still_held(tx, owner)
    counters = tx.run(cypher, rows=rows).consume().counters
    return {"nodes": counters.nodes_created, "relationships": counters.relationships_created}


def _switch(
    tx: neo4j.ManagedTransaction, created: dict[str, int], finish: Finish | None, owner: str
) -> None:
    _still_held(tx, owner)
    staged = {row["what"]: row["count"] for row in _rows(tx, _cypher("store/staged_counts"), None)}
    if staged != created:
        raise StoreError(
            f"the staged graph holds {staged['nodes']} nodes and {staged['relationships']} "
            f"relationships, but the reload wrote {created['nodes']} and "
            f"{created['relationships']} (was another reload running?); nothing was switched"
        )
    tx.run(_cypher("store/retire")).consume()
    tx.run(_cypher("store/promote")).consume()
    if finish is not None:
        # Inside the switch: the scores commit with the new graph or not at all.
        finish(lambda cypher, params=None: _rows(tx, cypher, params))


def _drop_hidden(session: neo4j.Session, batch_size: int) -> None:
    for statement in catalogue.get("store/drop_hidden").statements():
        session.run(statement, batch=batch_size).consume()


def _cypher(key: str) -> str:
    return catalogue.get(key).cypher


def _rows(
    tx: neo4j.ManagedTransaction,
    cypher: str,
    params: dict[str, Any] | None,
    max_rows: int | None = None,
) -> list[dict[str, Any]]:
    result = tx.run(cypher, params or {})
    keys = result.keys()
    # Records are streamed in fetch-size batches; stopping early leaves the rest unsent.
    records = itertools.islice(result, max_rows) if max_rows else result
    return [{key: _plain(record[key]) for key in keys} for record in records]


SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def check_scheme(uri: str) -> None:
    """Refuse what is not a Bolt address before the driver sees it (an http:// URI made the
    driver import a module we do not ship, and crash)."""
    scheme = urlsplit(uri).scheme.lower() if "://" in uri else ""
    if scheme not in SCHEMES:
        shown = f"{scheme}:// is not a Bolt URI" if scheme else "it names no scheme"
        raise ConnectionFailed(
            f"cannot use Neo4j URI {uri}: {shown}; use one of "
            f"{', '.join(s + '://' for s in SCHEMES)} (7687 is the Bolt port, 7474 is HTTP)"
        )


def _plain(value: Any) -> Any:
    """Driver values as plain data, shaped like the embedded store's rows."""
    if isinstance(value, neo4j.graph.Node | neo4j.graph.Relationship):
        return dict(value.items())
    if isinstance(value, neo4j.graph.Path):
        return [dict(node.items()) for node in value.nodes]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _first_line(exc: BaseException) -> str:
    """The driver's message on one line (some span several, the reason on the last ones)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


def _store_error(exc: Exception, uri: str, timeout: float | None = None) -> StoreError:
    if isinstance(exc, StoreError):
        return exc
    code = getattr(exc, "code", None) or ""
    if timeout and ("TransactionTimedOut" in code or "Terminated" in code):
        return StoreError(f"the query ran longer than {timeout:g} s and was stopped (--timeout)")
    if isinstance(exc, ClientError) and "AccessMode" in (exc.code or ""):
        return ReadOnlyViolation("this query writes to the graph; pass --write to allow it")
    if isinstance(exc, AuthError):
        return ConnectionFailed(f"Neo4j at {uri} refused the credentials")
    if isinstance(exc, ServiceUnavailable):
        return ConnectionFailed(f"lost the connection to Neo4j at {uri}: {_first_line(exc)}")
    if isinstance(exc, Neo4jError):
        message = exc.message or str(exc)
        return StoreError(f"query failed on Neo4j at {uri}: {' '.join(message.split())}")
    return StoreError(f"query failed on Neo4j at {uri}: {_first_line(exc)}")
