"""The production store: Neo4j 5 over Bolt. The only module of the project that imports `neo4j`.

Any `bolt://`, `neo4j://` or `neo4j+s://` URI works, so a local server, Aura and clusters do.

Atomic reload: Community edition has one user database, so there is no second graph to switch
to. The whole reload (delete the old graph, write every batch) runs in ONE write transaction
through `execute_write`, which the driver retries as a whole on transient errors; anything that
fails rolls the transaction back and the previous graph is untouched. Schema statements cannot
share a transaction with writes, so they run first, each `IF NOT EXISTS`, on every reload.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    ClientError,
    Neo4jError,
    ServiceUnavailable,
)

from graph import catalogue
from graph.errors import ConnectionFailed, ReadOnlyViolation, StoreError
from graph.settings import Settings, split_credentials
from graph.store import Finish, Store, Write, batched, is_write_query


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
        plan = list(writes)
        try:
            with self._driver.session(database=self.database) as session:
                for statement in schema:
                    session.run(statement).consume()
                done = session.execute_write(_replace_all, plan, batch_size, finish)
                return done + len(schema)
        except Exception as exc:
            raise _store_error(exc, self.uri) from None


def _replace_all(
    tx: neo4j.ManagedTransaction, plan: list[Write], batch_size: int, finish: Finish | None
) -> int:
    tx.run(catalogue.get("store/delete_all").cypher).consume()
    statements = 1
    for write in plan:
        for rows in batched(write.rows, batch_size):
            tx.run(write.cypher, rows=rows).consume()
            statements += 1
    if finish is not None:
        # Inside the same transaction: the scores commit with the graph or not at all.
        finish(lambda cypher, params=None: _rows(tx, cypher, params))
    return statements


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
