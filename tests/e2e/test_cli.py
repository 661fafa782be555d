"""The CLI as a user runs it: exact output, exit codes, one-line errors, on real stores."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from graph.cli import cli
from graph.falkordb_store import FalkorDBStore
from graph.load import build_rows, schema_statements
from tests.fixtures.tiny import tiny_facts


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store holding the tiny known graph, as TIES_HOME."""
    path = tmp_path / "home"
    for name in ("NEO4J_URI", "TIES_STORE", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TIES_HOME", str(path))
    store = FalkorDBStore(path)
    store.replace_graph(schema_statements("embedded"), build_rows(tiny_facts(), False).writes())
    store.close()
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="ties")


def test_every_command_has_help_with_an_example() -> None:
    for name, command in sorted(cli.commands.items()):
        assert command.help, f"`ties {name}` has no help"
        assert "Examples:" in command.help, f"`ties {name}` help has no example"
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert f"ties {name}" in result.output


def test_stats_exact_output(home: Path) -> None:
    result = run("stats")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Store: embedded FalkorDB in {home}\n"
        "Nodes: 5\n"
        "  Actor                   3\n"
        "  Agreement               1\n"
        "  Document                1\n"
        "  Organization            1\n"
        "  State                   2\n"
        "Relationships: 8\n"
        "  MEMBER_OF               1\n"
        "  MENTIONS                4\n"
        "  PARTY_TO                2\n"
        "  SUPPLIES                1\n"
        "Nodes and relationships without sources: 0\n"
    )


def test_query_table_exact_output(home: Path) -> None:
    result = run(
        "query", "--cypher", "MATCH (s:State) RETURN s.id AS id, s.name AS name ORDER BY id"
    )
    assert result.exit_code == 0, result.output
    assert result.output == ("id  name\n--  ----------\nKZ  Kazakhstan\nRU  Russia\n(2 rows)\n")


def test_query_json_is_valid_json(home: Path) -> None:
    result = run(
        "query",
        "--cypher",
        "MATCH (a:Actor)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, r.sources AS s "
        "ORDER BY a, t, b",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"a": "RU", "t": "SUPPLIES", "b": "KZ", "s": ["doc1"]} in rows


def test_query_csv(home: Path) -> None:
    result = run(
        "query", "--cypher", "MATCH (s:State) RETURN s.id AS id ORDER BY id", "--format", "csv"
    )
    assert result.output == "id\nKZ\nRU\n"


def test_parameters_are_passed_not_pasted(home: Path) -> None:
    evil = "x'}) DETACH DELETE n //"
    result = run(
        "query", "--cypher", "MATCH (a:Actor {name: $name}) RETURN a.id AS id", "-p", f"name={evil}"
    )
    assert result.exit_code == 0, result.output
    assert result.output == "(no rows)\n"
    assert "Nodes: 5" in run("stats").output


def test_cypher_syntax_error_is_one_line_exit_1(home: Path) -> None:
    result = run("query", "--cypher", "MATCH (n RETURN n")
    assert result.exit_code == 1
    assert result.output.startswith("Error: query failed on the embedded store:")
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_write_without_flag_is_refused(home: Path) -> None:
    result = run("query", "--cypher", "MATCH (n) DETACH DELETE n")
    assert result.exit_code == 1
    assert result.output == "Error: this query writes to the graph; pass --write to allow it\n"
    assert "Nodes: 5" in run("stats").output


def test_write_with_flag_is_allowed(home: Path) -> None:
    result = run("query", "--write", "--cypher", "MATCH (n:Document) SET n.note = 'checked'")
    assert result.exit_code == 0, result.output


def test_usage_error_exits_2(home: Path) -> None:
    assert run("query").exit_code == 2
    assert run("query", "x", "-p", "novalue").exit_code == 2
    assert run("stats", "--store", "mongodb").exit_code == 2


def test_unknown_library_query(home: Path) -> None:
    result = run("query", "no-such-query")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no library query named 'no-such-query'")


def test_unreachable_neo4j_names_the_uri_not_the_password(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret-pw")
    result = run("stats", "--store", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:9")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach Neo4j at bolt://127.0.0.1:9")
    assert result.output.count("\n") == 1
    assert "s3cret-pw" not in result.output


@pytest.mark.neo4j
def test_wrong_neo4j_password_is_one_clear_line(home: Path, neo4j_settings) -> None:
    uri, user = neo4j_settings.neo4j_uri, neo4j_settings.neo4j_user
    result = run(
        "stats",
        "--store",
        "neo4j",
        "--neo4j-uri",
        uri,
        "--neo4j-user",
        user,
        "--neo4j-password",
        "wrong-pw-123",
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Neo4j at {uri} refused the credentials of user {user!r} "
        "(check NEO4J_USER / NEO4J_PASSWORD)\n"
    )


def test_missing_corpus_is_one_line(home: Path, tmp_path: Path) -> None:
    result = run("reload", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert "no readable documents" in result.output
    assert "Nodes: 5" in run("stats").output  # the previous graph is untouched


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ("reload", "query", "queries", "analyze", "viz", "stats", "export", "eval"):
        assert f"  {name}" in result.output


def test_root_error_is_a_click_group_feature() -> None:
    assert isinstance(cli, click.Group)


@pytest.mark.neo4j
def test_neo4j_query_is_read_only_and_parameterised(
    home: Path, neo4j_store, neo4j_settings
) -> None:
    neo4j_store.replace_graph(schema_statements("neo4j"), build_rows(tiny_facts(), False).writes())
    auth = [
        "--store",
        "neo4j",
        "--neo4j-uri",
        neo4j_settings.neo4j_uri,
        "--neo4j-user",
        neo4j_settings.neo4j_user,
        "--neo4j-password",
        neo4j_settings.neo4j_password,
    ]
    refused = run("query", "--cypher", "MATCH (n) DETACH DELETE n", *auth)
    assert refused.exit_code == 1
    assert refused.output == "Error: this query writes to the graph; pass --write to allow it\n"
    # Past the up-front check, Neo4j's READ access mode refuses the write itself.
    sneaky = run("query", "--cypher", "CALL db.createLabel('Sneaky')", *auth)
    assert sneaky.exit_code == 1, sneaky.output
    assert sneaky.output.startswith("Error: this query writes to the graph"), sneaky.output
    evil = run("query", "actor-ties", "-p", "actor=x'}) DETACH DELETE n //", *auth)
    assert evil.exit_code == 0, evil.output
    assert "Nodes: 5" in run("stats", *auth).output


def test_analyze_writes_scores_and_ego_network_prints_only(home: Path) -> None:
    result = run("analyze", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.output)] == ["KZ", "RU", "csto"]
    stored = run(
        "query", "--cypher", "MATCH (a:Actor) RETURN a.id AS id, a.degree AS d ORDER BY id"
    )
    assert stored.output.splitlines()[2:5] == ["KZ    2", "RU    1", "csto  1"]
    ego = run("analyze", "--ego", "Russie", "--format", "json")
    assert ego.exit_code == 0, ego.output
    assert sorted(row["id"] for row in json.loads(ego.output)) == ["KZ", "RU"]
    missing = run("analyze", "--ego", "Atlantis")
    assert missing.exit_code == 1
    assert missing.output == "Error: no actor 'Atlantis' in the network\n"


def test_bad_outputs_and_inputs_are_one_line_errors(home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for args in (
        ("viz", "-o", str(folder)),
        ("export", "--format", "json", "-o", str(folder)),
        ("export", "--format", "csv", "-o", "/proc/ties-cannot-write"),
    ):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Error: cannot write"), (args, result.output)
        assert result.output.count("\n") == 1
    latin1 = tmp_path / "q.cypher"
    latin1.write_bytes("RETURN 'é' AS x".encode("latin-1"))
    result = run("query", "--file", str(latin1))
    assert result.exit_code == 1 and result.output.startswith(f"Error: {latin1} is not UTF-8")
    assert run("query", "--file", str(folder)).exit_code == 2


def test_non_finite_numbers_print_and_stay_valid_json(home: Path) -> None:
    cypher = "RETURN 0.0 / 0.0 AS nan, 1e308 * 10 AS inf"
    assert run("query", "--cypher", cypher).output.splitlines()[2].split() == ["NaN", "Infinity"]
    assert json.loads(run("query", "--cypher", cypher, "--format", "json").output) == [
        {"nan": "NaN", "inf": "Infinity"}
    ]


def test_write_flag_is_refused_with_a_library_query(home: Path) -> None:
    result = run("query", "actor-ties", "-p", "actor=KZ", "--write")
    assert result.exit_code == 2
    assert "library queries only read" in result.output


def test_queries_lists_the_library(home: Path) -> None:
    text = run("queries").output.splitlines()
    assert text == sorted(text) and any(line.startswith("actor-ties ") for line in text)
    listed = json.loads(run("queries", "--json").output)
    assert [q["name"] for q in listed] == sorted(q["name"] for q in listed)
    assert all(q["question"] and q["example"] for q in listed)


def test_viz_and_exports_from_the_cli(home: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    result = run("viz", "-o", str(page), "--size-by", "degree")
    assert result.exit_code == 0, result.output
    assert result.output == f"Network page: {page} — 3 actors, 2 ties\n"
    for fmt, name in (("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "csv")):
        out = tmp_path / name
        assert run("export", "--format", fmt, "-o", str(out)).exit_code == 0
    assert (tmp_path / "csv" / "nodes.csv").read_text().startswith(":ID,:LABEL,")


def test_a_cli_call_leaves_no_server_and_no_lock_behind(home: Path) -> None:
    import fcntl
    import os

    import psutil

    assert run("stats").exit_code == 0
    servers = [
        p
        for p in psutil.process_iter(["cmdline", "status"])
        if "redis-server" in " ".join(p.info["cmdline"] or [])
        and p.info["status"] != psutil.STATUS_ZOMBIE
        and str(home) in " ".join(psutil.Process(p.pid).cwd() for _ in [0])
    ]
    assert servers == []
    fd = os.open(home / "store.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free: nobody holds the store
    finally:
        os.close(fd)
