"""The CLI as a user runs it: exact output, exit codes, one-line errors, on real stores."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from graph.cli import cli
from graph.falkordb_store import FalkorDBStore
from graph.load import build_rows, schema_statements
from loaders.model import Actor, Document, DocumentFacts, Evidence
from tests.e2e.cli_support import run, tiny_home
from tests.fixtures.tiny import tiny_facts


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store holding the tiny known graph, as TIES_HOME."""
    return tiny_home(tmp_path, monkeypatch)


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
    # A hostile "name" names no actor: one line, exit 1, and the graph is untouched.
    evil = run("query", "actor-ties", "-p", "actor=x'}) DETACH DELETE n //", *auth)
    assert evil.exit_code == 1 and evil.output.startswith("Error: no actor "), evil.output
    assert "Nodes: 5" in run("stats", *auth).output


def test_analyze_writes_scores_and_ego_network_prints_only(home: Path) -> None:
    result = run("analyze", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [row["id"] for row in payload["top"]] == ["KZ", "RU", "csto"]
    assert (payload["actors"], payload["ties"], payload["undated_left_out"]) == (3, 2, 0)
    stored = run(
        "query", "--cypher", "MATCH (a:Actor) RETURN a.id AS id, a.degree AS d ORDER BY id"
    )
    assert stored.output.splitlines()[2:5] == ["KZ    2", "RU    1", "csto  1"]
    ego = run("analyze", "--ego", "Russie", "--format", "json")
    assert ego.exit_code == 0, ego.output
    assert sorted(row["id"] for row in json.loads(ego.output)["top"]) == ["KZ", "RU"]
    missing = run("analyze", "--ego", "Atlantis")
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: no actor 'Atlantis'")


def test_analyze_as_of_leaves_undated_facts_out_and_says_so(home: Path) -> None:
    # The tiny graph dates only the 1994 treaty; the supply tie and the membership are undated.
    early = json.loads(run("analyze", "--as-of", "1800", "--json").output)
    assert (early["ties"], early["undated_left_out"]) == (0, 2)
    later = run("analyze", "--as-of", "1995")
    assert later.output.splitlines()[-1] == (
        "Network: 3 actors, 1 ties as of 1995; 2 undated facts left out"
    )


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
    assert text[0].split() == ["name", "question"]
    names = [line.split()[0] for line in text[2:-1] if not line.startswith(" ")]
    assert names == sorted(names) and "actor-ties" in names
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


def test_viz_max_edges_from_the_cli(home: Path, tmp_path: Path) -> None:
    from graph import viz

    page = tmp_path / "page.html"
    result = run("viz", "-o", str(page), "--size-by", "degree", "--max-edges", "1")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Network page: {page} — 2 actors, 1 ties (1 of the 2 ties among them; "
        "1 more left out: none of their ties is drawn)\n"
    )
    assert run("viz", "--max-edges", "0").exit_code == 1
    shown = run("viz", "--help").output
    assert "--max-edges INTEGER" in shown and "ties viz --max-nodes 200 --max-edges 1000" in shown
    # `ties viz` and `ties reload` (graph.viz's defaults) draw the same page.
    assert f"[default: {viz.MAX_EDGES}]" in shown and f"[default: {viz.MAX_NODES}]" in shown


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


# -- one CLI convention (issue 11) ------------------------------------------------------------

DATA_COMMANDS = (
    ("stats",),
    ("queries",),
    ("query", "--cypher", "MATCH (s:State) RETURN s.id AS id ORDER BY id"),
    ("query", "actor-ties", "-p", "actor=KZ"),
    ("analyze",),
    ("analyze", "--as-of", "2000"),
)


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_json_is_an_alias_of_format_json_everywhere(home: Path, args: tuple[str, ...]) -> None:
    alias = run(*args, "--json")
    long = run(*args, "--format", "json")
    assert alias.exit_code == 0 and long.exit_code == 0, (alias.output, long.output)
    assert alias.output == long.output
    json.loads(alias.output)
    for fmt in ("table", "csv"):
        assert run(*args, "--format", fmt).exit_code == 0, (args, fmt)
    assert run(*args, "--json", "--format", "csv").exit_code == 2


def test_every_command_that_prints_data_takes_both_options() -> None:
    for name in ("reload", "stats", "queries", "query", "analyze", "eval"):
        options = {opt for param in cli.commands[name].params for opt in param.opts}
        assert {"--format", "--json"} <= options, name


def test_unknown_actor_exits_1_with_suggestions(home: Path) -> None:
    result = run("query", "actor-ties", "-p", "actor=Nowhereland")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no actor 'Nowhereland': no id, name, acronym or alias is close to it\n"
    )
    close = run("query", "actor-ties", "-p", "actor=Kazakhztan")
    assert close.exit_code == 1
    assert close.output == "Error: no actor 'Kazakhztan'; did you mean: KZ (Kazakhstan)?\n"


def _two_actors_called_ua(tmp_path: Path) -> None:
    """Ukraine (id UA) and the African Union, whose French acronym is UA."""
    text = "L'Ukraine et l'UA."
    evidence = (Evidence("d", 0, 9, text),)
    facts = DocumentFacts(
        document=Document("d", "D", "fr", "d.txt", "0" * 64, chars=len(text)),
        actors=[
            Actor("UA", "Ukraine", "state", iso2="UA", evidence=evidence),
            Actor("au", "African Union", "organization", acronyms=("AU", "UA"), evidence=evidence),
        ],
    )
    store = FalkorDBStore(tmp_path / "home")
    store.replace_graph(schema_statements("embedded"), build_rows([facts], False).writes())
    store.close()


def test_an_exact_id_wins_over_an_alias(home: Path, tmp_path: Path) -> None:
    _two_actors_called_ua(tmp_path)
    result = run("query", "actor-profile", "-p", "actor=UA", "--json")
    assert result.exit_code == 0, result.output
    assert [(row["id"], row["name"]) for row in json.loads(result.output)] == [("UA", "Ukraine")]
    au = run("analyze", "--ego", "AU", "--json")
    assert au.exit_code == 0, au.output
    assert [row["id"] for row in json.loads(au.output)["top"]] == ["au"]


OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*)")
COMMAND = re.compile(r"\bties ([a-z-]+)(?: ([a-z-]+))?")


def _named_command(line: str) -> click.Command | None:
    """The last command an example line names (`ties correct reject …`: the subcommand)."""
    found = None
    for first, second in COMMAND.findall(line):
        command = cli.commands.get(first)
        if isinstance(command, click.Group) and second in command.commands:
            command = command.commands[second]
        found = command or found
    return found


def test_help_texts_name_only_options_that_exist() -> None:
    """Every `--option` a help text names is an option of the command it names on that line
    (an example line `ties query ... --format json`) or of the command whose help it is."""
    helps = [(name, command, run(name, "--help").output) for name, command in cli.commands.items()]
    helps += [
        (f"{name} {sub}", subcommand, run(name, sub, "--help").output)
        for name, command in cli.commands.items()
        if isinstance(command, click.Group)
        for sub, subcommand in command.commands.items()
    ]
    helps.append(("", cli, run("--help").output))
    for name, command, text in sorted(helps, key=lambda item: item[0]):
        continued = False
        for line in text.splitlines():
            if "neo4j-admin" in line or continued:
                continued = line.rstrip().endswith("\\")
                continue
            owner = _named_command(line) or command
            listed = line.split()[:1]
            if command is cli and listed and listed[0] in cli.commands:
                owner = cli.commands[listed[0]]  # the command list: "query  Run a library query…"
            known = {opt for param in owner.params for opt in param.opts} | {"--help"}
            for option in OPTION.findall(line):
                assert option in known, f"`ties {name} --help` names {option}: {line.strip()}"


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_tables_fit_100_columns(home: Path, args: tuple[str, ...]) -> None:
    lines = run(*args).output.splitlines()
    assert max(len(line) for line in lines) <= 100


def test_viz_draws_the_reload_page_from_the_stored_scores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ties viz` with its defaults draws the network the reload scored, with the scores the
    reload stored on the actors: the reload's own page, byte for byte, and no score computed
    again. A network the reload did not score (`--as-of`) is scored by `ties viz` itself."""
    import shutil

    from graph import analysis
    from tests.conftest import ROOT

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in sorted(p.name for p in (ROOT / "data" / "corpus").glob("*.txt"))[:4]:
        shutil.copy(ROOT / "data" / "corpus" / name, corpus / name)
    home = tmp_path / "home"
    monkeypatch.setenv("TIES_HOME", str(home))
    for name in ("NEO4J_URI", "TIES_STORE"):
        monkeypatch.delenv(name, raising=False)
    assert run("reload", str(corpus)).exit_code == 0

    def not_again(graph: object) -> list[analysis.ActorScores]:
        raise AssertionError("the scores were computed again")

    with monkeypatch.context() as patched:
        patched.setattr(analysis, "score_actors", not_again)
        result = run("viz", "-o", str(tmp_path / "viz.html"))
        assert result.exit_code == 0, result.output
    assert (tmp_path / "viz.html").read_bytes() == (home / "network.html").read_bytes()
    result = run("viz", "-o", str(tmp_path / "then.html"), "--as-of", "2000")
    assert result.exit_code == 0, result.output
