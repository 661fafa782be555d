"""Issue 14: every failure is one true line, nothing leaks, nothing is left running.

Each test drives one case of the audit (the issue's "Why") through the real command line on a
real store: the CLI in-process (CliRunner) where only the output matters, a real `ties` process
where signals, child processes and temporary folders are the point.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import psutil
import pytest
from click.testing import Result

from graph.falkordb_store import FalkorDBStore
from tests.conftest import unavailable
from tests.e2e.cli_support import run, tiny_home

ROOT = Path(__file__).resolve().parents[2]
ENDLESS = (
    "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
    "WITH a, b WHERE a + b < 0 RETURN count(*) AS n"
)
SENTENCE = (
    "Le Kazakhstan et la Russie ont signé le Traité de coopération militaire en mars 1994. "
    "Le Kazakhstan est membre de l'OTSC.\n"
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store holding the tiny known graph, as TIES_HOME."""
    return tiny_home(tmp_path, monkeypatch)


def one_error_line(result: Result) -> str:
    """The whole stderr is one `Error:` line: no traceback, no second line."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]


def _cmdline(pid: int) -> str:
    """A process's command line; "" once it is gone or a zombie (another job's server that
    exited between the scan and this look: it holds nothing, and psutil cannot read it)."""
    try:
        return " ".join(psutil.Process(pid).cmdline())
    except psutil.Error:
        return ""


def servers_of(home: Path) -> list[psutil.Process]:
    """The redis-servers working in `home` (the embedded store runs its server there)."""
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        try:
            if "redis-server" not in " ".join(process.info["cmdline"] or []):
                continue
            if Path(process.cwd()).resolve() == home.resolve():
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def wait_until(condition, what: str, limit: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for a state, not for a time: the limit only stops a test that would hang."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.05)


def ties_env(home: Path, tmpdir: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "TIES_STORE")}
    env["TIES_HOME"] = str(home)
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return env


def ties_process(home: Path, *args: str, tmpdir: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", *args],
        env=ties_env(home, tmpdir),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def server_pid(home: Path) -> int | None:
    """The pid of the server working in `home`, once it is up."""
    servers = servers_of(home)
    return servers[0].pid if servers else None


# -- one error path -------------------------------------------------------------------------


def test_http_uri_is_one_line_not_a_traceback(home: Path) -> None:
    result = run("stats", "--store", "neo4j", "--neo4j-uri", "http://127.0.0.1:7474")
    assert result.exit_code == 1
    assert one_error_line(result).startswith(
        "Error: cannot use Neo4j URI http://127.0.0.1:7474: http:// is not a Bolt URI"
    )


def test_query_file_dev_zero_is_refused(home: Path) -> None:
    result = run("query", "--file", "/dev/zero")
    assert result.exit_code == 1
    assert one_error_line(result) == "Error: cannot read /dev/zero: not a regular file"


def test_unexpected_exception_is_still_one_line(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("graph.load.graph_counts", broken)
    result = run("stats")
    assert result.exit_code == 1
    assert one_error_line(result) == "Error: unexpected RuntimeError: boom second line"


def test_read_only_home_is_one_line_and_leaks_no_server(tmp_path: Path) -> None:
    """The home can be locked but not written (the audit's chmod 555 as a user; as root, a
    read-only bind mount with the lock file mounted writable over it)."""
    home = tmp_path / "home"
    store = FalkorDBStore(home)
    store.close()
    lock_copy = tmp_path / "lock"
    lock_copy.touch()
    script = (
        f"mount --bind -o ro {home} {home} && mount --bind {lock_copy} {home}/store.lock && "
        f"exec {sys.executable} -m graph.cli stats"
    )
    if shutil.which("unshare") is None:
        unavailable("unshare is needed to make a read-only TIES_HOME")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        unavailable(f"cannot make a mount namespace: {probe.stderr.strip()}")
    before = {p.pid for p in psutil.process_iter() if "redis-server" in p.name()}
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        env=ties_env(home, tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0] == (
        f"Error: the embedded store's server in {home} did not start: "
        "Failed opening Unix socket: bind: Read-only file system"
    )
    after = {p.pid for p in psutil.process_iter() if "redis-server" in p.name()}
    assert not servers_of(home)
    assert not {pid for pid in after - before if "ties" in _cmdline(pid)}


def test_server_dying_mid_reload_is_one_line_and_keeps_the_graph(
    home: Path, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph import load

    rows_from = load.rows_from

    def kill_server(facts):  # type: ignore[no-untyped-def]
        # The store is opened only for the write, once the corpus is extracted: kill its
        # server there, before the new graph is written.
        servers = servers_of(home)
        assert len(servers) == 1
        servers[0].kill()
        return rows_from(facts)

    monkeypatch.setattr("graph.load.rows_from", kill_server)
    result = run("reload", str(corpus_copy))
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith(f"Error: the embedded store's server in {home} stopped (")
    assert line.endswith("; the previous graph is unchanged")
    assert not servers_of(home)
    stats = run("stats", "--json")
    assert json.loads(stats.stdout)["counts"]["node:Actor"] == 3  # the tiny graph


# -- secrets --------------------------------------------------------------------------------


def test_uri_password_from_the_option_is_never_printed(home: Path) -> None:
    uri = "bolt://neo4j:secret123@127.0.0.1:1"
    result = run("stats", "--store", "neo4j", "--neo4j-uri", uri)
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "secret123" not in result.output
    assert line.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:1: ")


def test_uri_password_from_the_environment_is_never_printed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://admin:secret123@127.0.0.1:1")
    result = run("stats")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert "secret123" not in result.output
    assert line.startswith("Error: cannot reach Neo4j at neo4j://127.0.0.1:1: ")


@pytest.mark.neo4j
def test_credentials_in_the_uri_are_used_and_not_shown(home: Path, neo4j_settings) -> None:  # type: ignore[no-untyped-def]
    scheme, _, address = neo4j_settings.neo4j_uri.partition("://")
    user, password = neo4j_settings.neo4j_user, neo4j_settings.neo4j_password
    uri = f"{scheme}://{user}:{password}@{address}"
    result = run("stats", "--store", "neo4j", "--neo4j-uri", uri, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["store"] == f"Neo4j at {neo4j_settings.neo4j_uri}"
    assert password not in result.output


# -- processes and files left behind --------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_ties_leaves_no_server(home: Path, tmp_path: Path, sig: signal.Signals) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    process = ties_process(home, "query", "--cypher", ENDLESS, "--timeout", "600", tmpdir=tmpdir)
    try:
        wait_until(lambda: server_pid(home) is not None, "the server started")
        process.send_signal(sig)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    wait_until(lambda: not servers_of(home), "the server died with its parent")
    assert list(tmpdir.iterdir()) == []
    if sig == signal.SIGTERM:
        assert process.returncode == 130
        assert err == "Error: interrupted\n"
        assert not (home / "server.json").exists()


def test_commands_leave_no_temporary_folder(home: Path, tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    for args in (["stats"], ["query", "--cypher", "RETURN 1 AS one"]):
        done = ties_process(home, *args, tmpdir=tmpdir)
        _, err = done.communicate(timeout=120)
        assert done.returncode == 0, err
    assert list(tmpdir.iterdir()) == []
    assert not servers_of(home)


def test_a_long_home_path_puts_the_socket_in_a_temporary_folder_and_removes_it(
    tmp_path: Path,
) -> None:
    home = tmp_path / ("x" * 60) / ("y" * 60) / "home"
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    done = ties_process(home, "stats", "--json", tmpdir=tmpdir)
    out, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    assert json.loads(out)["counts"] == {}
    assert list(tmpdir.iterdir()) == []


def test_a_copied_home_does_not_stop_the_original_server(home: Path, tmp_path: Path) -> None:
    original = ties_process(home, "query", "--cypher", ENDLESS, "--timeout", "600")
    try:
        wait_until(
            lambda: (
                server_pid(home) is not None
                and any((home / name).exists() for name in ("server.json", "ties.rdb.settings"))
            ),
            "the original's server started and is recorded",
        )
        pid = server_pid(home) or 0
        copy = tmp_path / "copy"
        shutil.copytree(home, copy, ignore=shutil.ignore_patterns("*.sock"))
        # The copy carries the original's record of its server.
        result = subprocess.run(
            [sys.executable, "-m", "graph.cli", "stats", "--json"],
            env=ties_env(copy),
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["counts"]["node:Actor"] == 3
        assert psutil.pid_exists(pid) and original.poll() is None
        assert [p.pid for p in servers_of(home)] == [pid]
    finally:
        original.send_signal(signal.SIGTERM)
        original.communicate(timeout=60)
    wait_until(lambda: not servers_of(home), "the original's server stopped")


# -- queries: no end, no limit --------------------------------------------------------------


def test_a_query_with_no_end_is_stopped_by_the_server(home: Path) -> None:
    result = run("query", "--cypher", ENDLESS, "--timeout", "0.5")
    assert result.exit_code == 1
    assert one_error_line(result) == (
        "Error: the query ran longer than 0.5 s and was stopped (--timeout)"
    )


def test_a_huge_result_is_capped_by_the_server(home: Path) -> None:
    result = run("query", "--cypher", "UNWIND range(1, 10000000) AS i RETURN i", "--max-rows", "3")
    assert result.exit_code == 0, result.output
    assert result.stdout == "i\n-\n1\n2\n3\n(3 rows)\n"
    assert result.stderr == "Warning: only the first 3 rows are shown (--max-rows)\n"


@pytest.mark.neo4j
def test_timeout_and_row_cap_on_neo4j(neo4j_settings, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.neo4j_user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password)
    capped = run("query", "--cypher", "UNWIND range(1, 10000000) AS i RETURN i", "--max-rows", "2")
    assert capped.exit_code == 0, capped.output
    assert capped.stdout == "i\n-\n1\n2\n(2 rows)\n"
    endless = run("query", "--cypher", ENDLESS, "--timeout", "0.5")
    assert endless.exit_code == 1
    assert one_error_line(endless) == (
        "Error: the query ran longer than 0.5 s and was stopped (--timeout)"
    )


def test_properties_and_map_keys_named_like_clauses_are_not_writes(home: Path) -> None:
    result = run(
        "query",
        "--cypher",
        "MATCH (s:State {id: 'KZ'}) RETURN s.set AS set, {set: 1, delete: 2} AS m",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"set": None, "m": {"set": 1, "delete": 2}}]


def test_typed_parameters(home: Path, tmp_path: Path) -> None:
    adhoc = run(
        "query",
        "--cypher",
        "UNWIND range(1, 10) AS i RETURN i LIMIT $limit",
        "-p",
        "limit:int=2",
        "--format",
        "json",
    )
    assert adhoc.exit_code == 0, adhoc.output
    assert json.loads(adhoc.stdout) == [{"i": 1}, {"i": 2}]
    wrong_int = run("query", "most-central", "-p", "limit=five")
    assert wrong_int.exit_code == 1
    assert one_error_line(wrong_int) == "Error: parameter limit must be an integer, not 'five'"
    wrong_date = run("query", "--cypher", "RETURN $d AS d", "-p", "d:date=2024-13-01")
    assert one_error_line(wrong_date) == (
        "Error: parameter d must be a date (YYYY[-MM[-DD]]), not '2024-13-01'"
    )
    headed = tmp_path / "q.cypher"
    headed.write_text(
        "// name: top\n// param: limit: int = 1 — rows\nUNWIND range(1, 10) AS i "
        "RETURN i LIMIT $limit\n",
        encoding="utf-8",
    )
    from_file = run("query", "--file", str(headed), "-p", "limit=3", "--format", "json")
    assert json.loads(from_file.stdout) == [{"i": 1}, {"i": 2}, {"i": 3}]


# -- clean text in, clean files out ---------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_hidden_folders_and_the_home_are_not_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", SENTENCE)
    _write(corpus / ".git" / "notes.txt", SENTENCE)
    _write(corpus / ".draft.txt", SENTENCE)
    home = corpus / "store"
    monkeypatch.setenv("TIES_HOME", str(home))
    for name in ("NEO4J_URI", "TIES_STORE"):
        monkeypatch.delenv(name, raising=False)
    first = run("reload", str(corpus), "--json")
    assert first.exit_code == 0, first.output
    assert (home / "network.html").exists()
    second = run("reload", str(corpus), "--json")  # the page now lies inside the corpus
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["documents"] == 1
    assert second.stderr == ""


def test_escape_sequences_in_file_names_are_escaped_on_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", SENTENCE)
    _write(corpus / "bad\x1b[31m.txt", "")
    monkeypatch.setenv("TIES_HOME", str(tmp_path / "home"))
    for name in ("NEO4J_URI", "TIES_STORE"):
        monkeypatch.delenv(name, raising=False)
    result = run("reload", str(corpus), "--no-html")
    assert result.exit_code == 3
    assert result.stderr == "Skipped bad\\x1b[31m.txt: empty file\n"


def test_exports_of_a_corpus_with_control_characters_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "a.txt", "Le Kazakh\x01stan\x1b[0m et la Russie " + SENTENCE)
    home = tmp_path / "home"
    monkeypatch.setenv("TIES_HOME", str(home))
    for name in ("NEO4J_URI", "TIES_STORE"):
        monkeypatch.delenv(name, raising=False)
    assert run("reload", str(corpus), "--no-html").exit_code == 0
    # A store edited by hand (or by another loader) holds control characters too.
    edit = run(
        "query",
        "--write",
        "--cypher",
        "MATCH (s:State {id: 'KZ'}) SET s.note = $note",
        "-p",
        "note=bad\x01\x1b[31m\x7f",
    )
    assert edit.exit_code == 0, edit.output
    graphml, gexf = tmp_path / "g.graphml", tmp_path / "g.gexf"
    assert run("export", "--format", "graphml", "-o", str(graphml)).exit_code == 0
    assert run("export", "--format", "gexf", "-o", str(gexf)).exit_code == 0
    for graph in (nx.read_graphml(graphml), nx.read_gexf(gexf)):
        kz = next(data for node, data in graph.nodes(data=True) if data.get("iso2") == "KZ")
        assert kz["note"] == "bad[31m"
        assert kz["name"] == "Kazakhstan"


def test_invisible_characters_inside_names_do_not_hide_the_actor(tmp_path: Path) -> None:
    from loaders.documents import read_document
    from loaders.extract import extract_document

    path = _write(
        tmp_path / "a.txt",
        "Le Kazakh\u00adstan et la Rus\u200bsie ont signé le Traité de coopération militaire "
        "en mars 1994.\n",
    )
    text = read_document(path, tmp_path)
    assert not isinstance(text, type(None)) and hasattr(text, "text")
    assert text.text.startswith("Le Kazakhstan et la Russie")  # type: ignore[union-attr]
    facts = extract_document(text)  # type: ignore[arg-type]
    ids = {actor.id for actor in facts.actors}
    assert {"KZ", "RU"} <= ids
    for actor in facts.actors:
        for evidence in actor.evidence:
            surface = text.text[evidence.start : evidence.end]  # type: ignore[union-attr]
            assert surface and "\u00ad" not in surface and "\u200b" not in surface


# -- a reload is one unit -------------------------------------------------------------------


def test_a_page_that_cannot_be_written_after_the_switch_is_reported_truthfully(
    home: Path, corpus_copy: Path
) -> None:
    (home / "network.html").mkdir()  # the page path cannot be written
    _write(corpus_copy / "empty.txt", "")
    result = run("reload", str(corpus_copy))
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        "Skipped empty.txt: empty file",
        "Error: the graph was replaced (5 documents, scores written) but the network page was "
        f"not written: cannot write {home / 'network.html'}: it is a directory; give a file "
        "name; `ties viz` writes it",
    ]
    scored = run(
        "query",
        "--cypher",
        "MATCH (a:Actor) WHERE a.pagerank IS NULL RETURN count(a) AS unscored",
        "--format",
        "json",
    )
    assert json.loads(scored.stdout) == [{"unscored": 0}]
    assert json.loads(run("stats", "--json").stdout)["counts"]["node:Document"] == 5


@pytest.fixture
def no_servers_left(tmp_path: Path) -> Iterator[None]:
    yield
    assert not servers_of(tmp_path / "home")


def test_the_page_rendered_before_the_switch_is_the_page_of_the_new_graph(
    home: Path, corpus_copy: Path
) -> None:
    assert run("reload", str(corpus_copy)).exit_code == 0
    written_by_reload = (home / "network.html").read_bytes()
    assert run("viz").exit_code == 0
    assert (home / "network.html").read_bytes() == written_by_reload


def test_table_output_escapes_control_characters_from_the_graph(home: Path) -> None:
    edit = run(
        "query",
        "--write",
        "--cypher",
        "MATCH (s:State {id: 'KZ'}) SET s.note = $note",
        "-p",
        "note=red\x1b[31malert",
    )
    assert edit.exit_code == 0, edit.output
    result = run("query", "--cypher", "MATCH (s:State {id: 'KZ'}) RETURN s.note AS note")
    assert result.stdout == "note\n----------------\nred\\x1b[31malert\n(1 row)\n"
