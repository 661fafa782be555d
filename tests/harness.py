"""A real Neo4j 5.26 Community server for the tests, without Docker.

The server is Neo4j's own test harness (Maven artifact ``org.neo4j.test:neo4j-harness``) run by the
tiny launcher in ``tests/neo4j_harness``; Maven builds it once and caches the jars in ``~/.m2``.
Needs ``java`` (17+) and ``mvn`` on PATH, and Maven Central the first time only.

Intended fixture use (conftest.py)::

    from tests.harness import HarnessError, Neo4jHarness

    @pytest.fixture(scope="session")
    def neo4j_server():
        harness = Neo4jHarness()
        try:
            harness.start()
        except HarnessError as exc:
            pytest.fail(str(exc))  # or pytest.skip, if Neo4j tests are optional
        yield harness  # harness.uri, harness.user, harness.password
        harness.stop()

    @pytest.fixture
    def neo4j_db(neo4j_server):
        neo4j_server.reset()  # Community has one user database, so tests share it
        return neo4j_server

For a server to poke at by hand: ``python tests/harness.py`` (Ctrl-C stops it).
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

HARNESS_DIR = Path(__file__).resolve().parent / "neo4j_harness"
POM = HARNESS_DIR / "pom.xml"
JVM_ARGS = HARNESS_DIR / "jvm.args"
TARGET = HARNESS_DIR / "target"
CLASSES = TARGET / "classes"
LAUNCHER_CLASS = CLASSES / "ties" / "harness" / "Launcher.class"
CLASSPATH_FILE = TARGET / "classpath.txt"
# Written after each good build: Maven leaves classpath.txt (and up-to-date classes) untouched,
# so their own mtimes cannot tell whether the last build saw the current sources.
BUILD_STAMP = TARGET / ".ties-build-stamp"
MAIN_CLASS = "ties.harness.Launcher"

DEFAULT_USER = "neo4j"
DEFAULT_PASSWORD = "ties-test-password"
# On top of jvm.args (Neo4j's own flags). C1 only: C2 compiler threads fight the server for the
# 2 cores during startup; with it a start took ~8 s instead of ~15 s on a busy machine, and test
# queries are too short to profit from C2. Pass jvm_args=() when measuring Neo4j's speed.
FAST_START_JVM_ARGS: tuple[str, ...] = ("-XX:TieredStopAtLevel=1",)


class HarnessError(RuntimeError):
    """The Neo4j test server could not be built, started or reached."""


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _read_tail(path: Path, lines: int = 40) -> str:
    try:
        return _tail(path.read_text(errors="replace"), lines)
    except OSError:
        return "(no log)"


def _java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise HarnessError(
            "`java` not found on PATH (Neo4j 5.26 needs Java 17+; "
            "Debian: apt-get install openjdk-17-jdk-headless)"
        )
    return java


def _build_is_stale() -> bool:
    if not (LAUNCHER_CLASS.is_file() and CLASSPATH_FILE.is_file() and BUILD_STAMP.is_file()):
        return True
    built = BUILD_STAMP.stat().st_mtime
    sources = [POM, *HARNESS_DIR.joinpath("src").rglob("*.java")]
    if any(src.stat().st_mtime > built for src in sources):
        return True
    # A wiped ~/.m2 leaves classpath.txt pointing at jars that are gone.
    entries = CLASSPATH_FILE.read_text().strip().split(os.pathsep)
    return not all(Path(entry).exists() for entry in entries if entry)


def build_harness(timeout: float = 1800) -> Path:
    """Compile the launcher and resolve its classpath if needed; return the harness directory."""
    if not _build_is_stale():
        return HARNESS_DIR
    _java()  # fail on a missing JDK before Maven reports it less clearly
    mvn = shutil.which("mvn")
    if mvn is None:
        raise HarnessError(
            "`mvn` not found on PATH; it builds tests/neo4j_harness (Debian: apt-get install maven)"
        )
    TARGET.mkdir(exist_ok=True)
    # pytest-xdist workers may all get here at once; one build, the others wait for it.
    with open(TARGET / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _build_is_stale():
            return HARNESS_DIR
        BUILD_STAMP.unlink(missing_ok=True)
        cmd = [mvn, "-B", "-q", "-f", str(POM), "compile"]
        try:
            proc = subprocess.run(
                cmd,
                cwd=HARNESS_DIR,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout if isinstance(exc.stdout, str) else ""
            raise HarnessError(
                f"Maven build of the Neo4j harness timed out after {timeout:.0f}s:\n{_tail(out)}"
            ) from exc
        if proc.returncode != 0 or not (LAUNCHER_CLASS.is_file() and CLASSPATH_FILE.is_file()):
            raise HarnessError(
                f"Maven build of the Neo4j harness failed (exit {proc.returncode}): "
                f"{' '.join(cmd)}\n{_tail(proc.stdout + proc.stderr)}"
            )
        BUILD_STAMP.touch()
    return HARNESS_DIR


class Neo4jHarness:
    """One throwaway Neo4j server in its own JVM and temporary directory.

    After ``start()``: ``uri`` (bolt://127.0.0.1:PORT), ``user``, ``password``, ``pid``,
    ``startup_seconds`` and ``workdir`` (holds launcher.log and the database).
    """

    def __init__(
        self,
        password: str | None = None,
        *,
        keep_workdir: bool = False,
        base_dir: str | os.PathLike[str] | None = None,
        jvm_args: Sequence[str] = FAST_START_JVM_ARGS,
    ) -> None:
        self.user = DEFAULT_USER
        self.password = password or os.environ.get("NEO4J_PASSWORD") or DEFAULT_PASSWORD
        if len(self.password) < 8:
            raise HarnessError("Neo4j refuses passwords shorter than 8 characters")
        self.uri: str | None = None
        self.workdir: Path | None = None
        self.startup_seconds: float | None = None
        self._keep_workdir = keep_workdir
        self._base_dir = base_dir
        self._jvm_args = list(jvm_args)
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: Path | None = None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def start(self, timeout: float = 120) -> Neo4jHarness:
        if self._proc is not None:
            raise HarnessError("Neo4jHarness already started")
        build_harness()
        began = time.monotonic()
        deadline = began + timeout
        self.workdir = Path(tempfile.mkdtemp(prefix="ties-neo4j-", dir=self._base_dir))
        self._log = self.workdir / "launcher.log"
        classpath = f"{CLASSES}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"
        cmd = [
            _java(),
            f"@{JVM_ARGS}",
            *self._jvm_args,
            "-cp",
            classpath,
            MAIN_CLASS,
            str(self.workdir),
            # Our end of stdin closes whenever this process dies, even by SIGKILL, and the
            # launcher then shuts down: no orphan JVM survives a killed test run.
            "--exit-on-stdin-eof",
        ]
        with open(self._log, "wb") as log:
            self._proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "NEO4J_PASSWORD": self.password},
                # Keeps a terminal Ctrl-C away from the JVM so stop() runs the orderly shutdown.
                start_new_session=True,
            )
        atexit.register(self.stop)
        try:
            self.uri = self._wait_for_uri(deadline)
            self._wait_for_bolt(deadline)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - began
        return self

    def _wait_for_uri(self, deadline: float) -> str:
        assert self._proc is not None and self.workdir is not None
        uri_file = self.workdir / "bolt.uri"
        while True:
            if uri_file.exists():  # written atomically by the launcher
                return uri_file.read_text().strip()
            self._raise_if_dead()
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"Neo4j did not report a Bolt address in time; log {self._log}:\n"
                    f"{_read_tail(self._log)}"  # type: ignore[arg-type]
                )
            time.sleep(0.1)

    def _wait_for_bolt(self, deadline: float) -> None:
        import neo4j  # only here, so build_harness() works without the driver installed

        last_error: Exception | None = None
        while time.monotonic() < deadline:
            self._raise_if_dead()
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=self.auth) as driver:
                    driver.verify_connectivity()
                return
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
                last_error = exc
                time.sleep(0.2)
        raise HarnessError(
            f"Neo4j at {self.uri} did not accept a Bolt login in time: {last_error!r}; "
            f"log {self._log}:\n{_read_tail(self._log)}"  # type: ignore[arg-type]
        )

    def is_running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _raise_if_dead(self) -> None:
        assert self._proc is not None
        code = self._proc.poll()
        if code is not None:
            raise HarnessError(
                f"Neo4j launcher exited with code {code} during startup; log {self._log}:\n"
                f"{_read_tail(self._log)}"  # type: ignore[arg-type]
            )

    def reset(self) -> None:
        """Empty the database: all nodes, relationships, constraints and indexes."""
        import neo4j

        with neo4j.GraphDatabase.driver(self.uri, auth=self.auth) as driver:
            with driver.session() as session:
                session.run(
                    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                ).consume()
            for (name,) in driver.execute_query("SHOW CONSTRAINTS YIELD name").records:
                driver.execute_query(f"DROP CONSTRAINT `{name}` IF EXISTS")
            # LOOKUP indexes are built in; dropping them only slows later label scans.
            records = driver.execute_query(
                "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name"
            ).records
            for (name,) in records:
                driver.execute_query(f"DROP INDEX `{name}` IF EXISTS")

    def stop(self, timeout: float = 30) -> None:
        """Stop the server (orderly first, then SIGTERM, then SIGKILL); safe to call twice."""
        proc, self._proc = self._proc, None
        atexit.unregister(self.stop)
        if proc is not None:
            if proc.poll() is None:
                if self.workdir is not None:
                    with contextlib.suppress(OSError):
                        (self.workdir / "stop").touch()
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    proc.terminate()
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        self.uri = None
        if self.workdir is not None and not self._keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self) -> Neo4jHarness:
        if self._proc is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main() -> int:
    try:
        harness = Neo4jHarness(keep_workdir="--keep" in sys.argv[1:]).start()
    except HarnessError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Neo4j ready in {harness.startup_seconds:.1f}s at {harness.uri}", flush=True)
    print(f"user {harness.user!r}, password {harness.password!r}; workdir {harness.workdir}")
    print("Ctrl-C to stop.", flush=True)
    try:
        while harness.is_running():
            time.sleep(0.5)
        log = _read_tail(harness._log) if harness._log else "(no log)"
        print(f"Neo4j exited on its own:\n{log}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    finally:
        harness.stop()


if __name__ == "__main__":
    sys.exit(main())
