"""The `ties` command line: thin Click commands over the library.

Exit codes: 0 success; 1 an error (one line on stderr, no traceback); 2 a usage error;
3 the corpus loaded but some documents were skipped (each named on stderr); 4 a reload replaced
the graph (with its scores) but could not write the network page (the line says so).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import gc
import io
import json
import math
import re
import signal
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from graph import catalogue
from graph.errors import TiesError
from graph.settings import Settings, load_settings, redact
from graph.store import BACKENDS, Runner, open_store

EXIT_PARTIAL = 3
EXIT_PAGE_NOT_WRITTEN = 4
EXIT_INTERRUPTED = 130
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_ROWS = 10_000
MAX_CYPHER_FILE = 1_000_000
# Kept here (not imported from graph.network_export) so that `ties --help` loads no NetworkX.
NETWORK_FORMATS = ("network-gexf", "network-graphml", "dyad-year")
DEFAULT_CORPUS = "data/corpus"


def store_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that opens a store takes."""

    @click.option(
        "--store",
        "store_name",
        type=click.Choice(BACKENDS),
        default=None,
        help="Which store: neo4j when NEO4J_URI is set, embedded otherwise.",
    )
    @click.option("--neo4j-uri", default=None, help="bolt:// or neo4j:// URI.")
    @click.option("--neo4j-user", default=None, help="Neo4j user.")
    @click.option(
        "--neo4j-password", default=None, help="Neo4j password (default: NEO4J_PASSWORD)."
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        store_name: str | None,
        neo4j_uri: str | None,
        neo4j_user: str | None,
        neo4j_password: str | None,
        **kwargs: Any,
    ) -> Any:
        settings = load_settings(store_name, neo4j_uri, neo4j_user, neo4j_password)
        return func(*args, settings=settings, **kwargs)

    return wrapper


# Kept for commands not yet moved to `output_options` (which every data command now takes).
def json_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print as JSON.")(func)


def format_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


def corrections_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--corrections",
        "corrections_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Analysts' decisions to apply (default: corrections.yaml in the corpus folder).",
    )(func)


def _corrections_path(corpus: Path, given: Path | None) -> Path:
    return given if given is not None else Path(corpus) / "corrections.yaml"


def _read_corrections(corpus: Path, given: Path | None) -> Any:
    """The validated decisions: of --corrections FILE (which must exist), else of
    CORPUS/corrections.yaml when there is one. Read before anything else, so that a malformed
    file stops the command with the store untouched."""
    from loaders.corrections import load_corrections

    path = _corrections_path(corpus, given)
    if given is None and not path.is_file():
        return None
    return load_corrections(path)


FORMATS = ("table", "json", "csv")


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--format table|json|csv` and `--json`, its alias: every command that prints data takes
    both, and `--json` prints the same bytes as `--format json`."""

    @click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format: table (default), json or csv.",
    )
    @click.option("--json", "as_json", is_flag=True, help="Print as JSON (= --format json).")
    @functools.wraps(func)
    def wrapper(*args: Any, fmt: str | None, as_json: bool, **kwargs: Any) -> Any:
        if as_json and fmt not in (None, "json"):
            raise click.UsageError(f"--json and --format {fmt} disagree; give one of them")
        return func(*args, fmt="json" if as_json else (fmt or "table"), **kwargs)

    return wrapper


@contextlib.contextmanager
def _kept_out_of_collection() -> Iterator[None]:
    """What exists now (a reload's facts: millions of objects, kept to the end) left out of the
    cyclic collector's walks while the rows, the scores and the page are built: in an add-one
    reload of 5,001 documents its full collections took 4.1 s of CPU, 1.5–2.0 s with the facts
    frozen (BENCHMARKS.md). The objects are handed back to the collector afterwards."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _progress(items: Iterable[Any], total: int, label: str) -> Iterable[Any]:
    from tqdm import tqdm

    class Bar(tqdm):  # type: ignore[type-arg]
        # No monitor thread: a reload forks its extracting workers, and a process forked
        # while another thread runs can leave a worker waiting on a lock forever.
        monitor_interval = 0

    # tqdm hides itself when stderr is not a terminal (disable=None): no noise in pipes or CI.
    return Bar(items, total=total, desc=label, unit="doc", file=sys.stderr, disable=None)


def for_terminal(text: str) -> str:
    """Text from documents, file names and servers, safe to print: control characters (escape
    sequences could drive the terminal) shown as escapes, and URI credentials hidden."""
    return redact(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def error_line(exc: BaseException) -> str:
    """Any failure as the one line the user sees."""
    if isinstance(exc, TiesError):
        message = str(exc)
    elif isinstance(exc, MemoryError):
        message = "out of memory"
    else:
        # Not one of ours: still one line, naming what failed, never a traceback.
        message = f"unexpected {type(exc).__name__}: {exc}"
    return "Error: " + " ".join(for_terminal(message).split())


class TiesGroup(click.Group):
    """Turns every failure into one line on stderr and exit code 1 (130 when interrupted)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            click.echo(error_line(exc), err=True)
            ctx.exit(1)


@click.group(cls=TiesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ties")
def cli() -> None:
    """ties: a graph database of bilateral and multilateral ties.

    Turn a folder of French or English articles and official texts into a graph of actors,
    agreements and ties, each fact with its evidence; then query it, score it and draw it.

    \b
    Examples:
      ties reload data/corpus          # build the graph, score it, write the network page
      ties stats                       # what the graph holds
      ties queries                     # the library of questions
      ties query actor-ties -p actor=Kazakhstan
      ties viz -o network.html
    """


# -- reload ----------------------------------------------------------------------------------


@cli.command()
@click.argument("corpus", type=click.Path(path_type=Path), default=DEFAULT_CORPUS)
@click.option("--no-analysis", is_flag=True, help="Do not compute centrality after loading.")
@click.option("--no-html", is_flag=True, help="Do not write the network page after loading.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that extract documents in parallel (default: every core).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Extract every document again, ignoring (and not writing) the extraction cache.",
)
@corrections_option
@output_options
@store_options
def reload(
    corpus: Path,
    no_analysis: bool,
    no_html: bool,
    jobs: int | None,
    no_cache: bool,
    corrections_file: Path | None,
    fmt: str,
    settings: Settings,
) -> None:
    """Rebuild the graph from every document in CORPUS (default: data/corpus).

    The previous graph stays in place until the new one is complete, with its centrality
    scores: a reload that fails changes nothing. Then the network page is written (through a
    temporary file); if only that fails, the exit code is 4 and the line says so.
    Analysts' decisions in CORPUS/corrections.yaml (or --corrections FILE) are applied after
    extraction; a decision whose target is gone is reported as stale, and the rest loads.
    Each document's facts are cached under TIES_HOME/cache, so a reload extracts only new or
    changed documents (and, once the graph is replaced, drops the entries of documents no
    longer in CORPUS and those of older extractors); documents are extracted in parallel, and
    the store is opened only once they are (readers keep the previous graph meanwhile, and
    while the scores are computed).

    \b
    Examples:
      ties reload                      # the sample corpus, embedded store
      ties reload ~/articles --store neo4j
      ties reload ~/articles --no-html --json
      ties reload ~/articles --corrections reviewed.yaml
      ties reload ~/articles --jobs 4 --no-cache
    """
    from graph import analysis
    from graph.files import write_atomically
    from graph.load import write_facts
    from graph.store import Staged
    from graph.viz import read_new_page_data, render_page
    from loaders.pipeline import ExtractionCache, corpus_facts, default_jobs

    decisions = _read_corrections(corpus, corrections_file)
    scored: list[Any] = []
    pages: list[Any] = []

    def score(projection: Any) -> Any:
        # No store here: the embedded store lets readers in (on the previous graph) meanwhile.
        return analysis.score_projection(*projection)

    def before_switch(run: Runner, projected: Any) -> None:
        # On the new graph, before anyone sees it: the scores are switched in with it, and what
        # the page shows is read from the same graph and projection; the page is rendered once
        # the store is released (no store needed), then written.
        if not no_analysis:
            analysis.write_scores(run, projected.scored)
        scored[:] = [] if no_analysis else projected.scored
        pages[:] = [] if no_html else [read_new_page_data(run, projected)]

    page = None
    page_error: str | None = None
    cache = None if no_cache else ExtractionCache(settings.cache_path)
    facts = corpus_facts(
        corpus,
        # The store's own folder (its network.html, its cache) is never read as a document.
        exclude=[settings.home],
        corrections=decisions,
        jobs=jobs or default_jobs(),
        cache=cache,
        progress=_progress,
        meanwhile=None if no_analysis else analysis.prepare,
    )
    with _kept_out_of_collection():
        with open_store(settings) as store:
            where = store.describe()
            report = write_facts(
                store,
                facts,
                finish=None
                if no_analysis and no_html
                else Staged(analysis.read_new_projection, score, before_switch),
            )
        # The graph and its scores are replaced. What follows cannot undo that, so a failure from
        # here on is reported as what it is, after the report of what was loaded.
        if cache is not None:
            # Only this corpus's entries, of this extractor, can be read by the next reload.
            cache.prune(facts.read)
        if pages:
            try:
                write_atomically(settings.html_path, render_page(pages[0]).html)
                page = settings.html_path
            except Exception as exc:
                page_error = error_line(exc).removeprefix("Error: ")
    for warning in report.warnings:
        click.echo(f"Warning: {for_terminal(warning)}", err=True)
    for error in report.errors:
        click.echo(f"Skipped {for_terminal(error.path)}: {for_terminal(error.reason)}", err=True)
    for stale in report.stale:
        click.echo(f"Stale decision: {for_terminal(str(stale))}", err=True)
    if fmt == "csv":
        click.echo(_counts_csv(report.counts), nl=False)
    elif fmt == "json":
        click.echo(
            json.dumps(
                {
                    "stale": [str(s) for s in report.stale],
                    "corpus": str(corpus),
                    "store": where,
                    "documents": report.documents,
                    "extracted": len(report.extracted),
                    "skipped": [{"path": e.path, "reason": e.reason} for e in report.errors],
                    "counts": report.counts,
                    "top": [s.as_row() for s in scored[:5]],
                    "html": str(page) if page else None,
                },
                indent=2,
                sort_keys=True,
            )
        )
    else:
        click.echo(
            f"Read {report.documents} documents from {corpus} ({len(report.errors)} skipped)"
        )
        click.echo(
            f"Extracted {len(report.extracted)}; "
            f"{report.documents - len(report.extracted)} from the cache"
        )
        click.echo(f"Loaded into {where}")
        click.echo(_counts_table(report.counts))
        if scored:
            top = ", ".join(s.name for s in scored[:5])
            click.echo(f"Centrality: {len(scored)} actors scored; top by PageRank: {top}")
        if page:
            click.echo(f"Network page: {page}")
    if page_error:
        click.echo(
            f"Error: the graph was replaced ({report.documents} documents"
            f"{', scores written' if scored else ''}) but the network page was not written: "
            f"{page_error}; `ties viz` writes it",
            err=True,
        )
        sys.exit(EXIT_PAGE_NOT_WRITTEN)
    if report.errors:
        sys.exit(EXIT_PARTIAL)


def _counts_csv(counts: dict[str, int], **extra: int) -> str:
    """Counts as `key,count` rows (node:Label, rel:TYPE, then any extra totals)."""
    rows = [{"key": key, "count": counts[key]} for key in sorted(counts)]
    rows += [{"key": key, "count": value} for key, value in extra.items()]
    return render_rows(rows, "csv")


def _counts_table(counts: dict[str, int]) -> str:
    nodes = {k[5:]: v for k, v in counts.items() if k.startswith("node:")}
    rels = {k[4:]: v for k, v in counts.items() if k.startswith("rel:")}
    lines = []
    for title, group, total_key in (
        ("Nodes", nodes, "Actor"),
        ("Relationships", rels, None),
    ):
        total = (
            sum(v for k, v in group.items() if k in ("Actor", "Agreement", "Event", "Document"))
            if total_key
            else sum(group.values())
        )
        lines.append(f"{title}: {total}")
        for key in sorted(group):
            lines.append(f"  {key:<18}{group[key]:>7}")
    return "\n".join(lines)


# -- stats -----------------------------------------------------------------------------------


@cli.command()
@output_options
@store_options
def stats(fmt: str, settings: Settings) -> None:
    """What the graph holds: nodes by label, relationships by type, provenance gaps.

    \b
    Examples:
      ties stats
      ties stats --store neo4j --json
    """
    from graph.load import graph_counts

    with open_store(settings) as store:
        counts = graph_counts(store)
        missing = store.run(catalogue.get("analysis/missing_provenance").cypher)
        where = store.describe()
    unsourced = sum(int(row["count"]) for row in missing)
    if fmt == "csv":
        click.echo(_counts_csv(counts, without_sources=unsourced), nl=False)
        return
    if fmt == "json":
        payload = {"store": where, "counts": counts, "without_sources": unsourced}
        click.echo(json.dumps(payload, indent=2, sort_keys=True))
        return
    click.echo(f"Store: {where}")
    click.echo(_counts_table(counts))
    click.echo(f"Nodes and relationships without sources: {unsourced}")


# -- query -----------------------------------------------------------------------------------


@cli.command()
@output_options
def queries(fmt: str) -> None:
    """List the library queries, each with the question it answers, its parameters and example.

    \b
    Examples:
      ties queries
      ties queries --format csv
      ties query actor-ties -p actor=KZ  # run one
    """
    library = catalogue.library()
    rows = [
        {
            "name": q.name,
            "question": q.question,
            "params": [p.name for p in q.params],
            "example": q.example,
        }
        for q in library.values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        click.echo(render_rows(rows, "csv"), nl=False)
    else:
        table = [{"name": row["name"], "question": row["question"]} for row in rows]
        click.echo(render_rows(sorted(table, key=lambda row: row["name"]), "table"), nl=False)


@cli.command()
@click.argument("name", required=False)
@click.option("--cypher", "cypher_text", help="Run this Cypher instead of a library query.")
@click.option(
    "--file",
    "cypher_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Run a .cypher file.",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    help="A parameter, as key=value (ad-hoc Cypher: key:int=5, also float, date).",
)
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds; the server stops a query that runs longer.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_ROWS,
    show_default=True,
    help="Print at most this many rows (the server stops sending after them).",
)
@output_options
@store_options
def query(
    name: str | None,
    cypher_text: str | None,
    cypher_file: Path | None,
    params: tuple[str, ...],
    write: bool,
    timeout: float,
    max_rows: int,
    fmt: str,
    settings: Settings,
) -> None:
    """Run a library query by NAME, or ad-hoc Cypher with --cypher or --file.

    Values are always passed as query parameters, never pasted into the Cypher. Queries run
    read-only unless --write is given. Actor parameters accept an id, a name or an alias.

    \b
    Examples:
      ties query actor-ties -p actor=KZ
      ties query agreements-between -p actor=Kazakhstan -p other=Russie --format json
      ties query --cypher "MATCH (s:State) RETURN s.name AS name ORDER BY name" --format csv
    """
    given = dict(_split_param(p) for p in params)
    sources = [x for x in (name, cypher_text, cypher_file) if x]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of NAME, --cypher or --file")
    if name and write:
        raise click.UsageError("library queries only read; --write goes with --cypher or --file")
    text = cypher_text or (_read_cypher_file(cypher_file) if cypher_file else None)
    with open_store(settings) as store:
        if name:
            from graph.resolve import run_library_query

            rows = run_library_query(store, name, given, timeout=timeout, max_rows=max_rows + 1)
        else:
            values = _adhoc_params(store, text or "", given)
            rows = store.run(
                text or "", values, write=write, timeout=timeout, max_rows=max_rows + 1
            )
    capped = len(rows) > max_rows
    click.echo(render_rows(rows[:max_rows], fmt), nl=False)
    if capped:
        click.echo(f"Warning: only the first {max_rows} rows are shown (--max-rows)", err=True)


def _adhoc_params(store: Any, text: str, given: dict[str, str]) -> dict[str, Any]:
    """Typed values for ad-hoc Cypher: a file whose header declares its parameters is bound like
    a library query; otherwise `-p NAME:TYPE=VALUE` gives the type (text by default)."""
    entry = catalogue.parse("file", "file", text)
    if not entry.params:
        return catalogue.typed_params(given)
    from graph.resolve import resolve_actor

    values = entry.bind(given)
    for param in entry.params:
        if param.type == "actor" and values.get(param.name):
            values[param.name] = resolve_actor(store, str(values[param.name]))
    return values


def _read_cypher_file(path: Path) -> str:
    try:
        # Not a device or a pipe (/dev/zero never ends), and not a huge file read whole.
        if not path.is_file():
            raise TiesError(f"cannot read {path}: not a regular file")
        with path.open("rb") as handle:
            data = handle.read(MAX_CYPHER_FILE + 1)
        if len(data) > MAX_CYPHER_FILE:
            raise TiesError(f"cannot read {path}: larger than {MAX_CYPHER_FILE} bytes")
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TiesError(f"{path} is not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise TiesError(f"cannot read {path}: {exc.strerror or exc}") from None


def _split_param(raw: str) -> tuple[str, str]:
    key, sep, value = raw.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"expected key=value, got {raw!r}", param_hint="-p")
    return key.strip(), value


def render_rows(rows: list[dict[str, Any]], fmt: str) -> str:
    """Rows as an aligned table, JSON or CSV; the same columns in the same order every time."""
    if fmt == "json":
        return json.dumps(_finite(rows), indent=2, ensure_ascii=False, default=str) + "\n"
    columns: list[str] = list(rows[0]) if rows else []
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c), limit=None) for c in columns])
        return buffer.getvalue()
    if not rows:
        return "(no rows)\n"
    cells = [[_cell(row.get(c), limit=CELL_LIMIT) for c in columns] for row in rows]
    natural = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    floors = [
        max(len(c), min(MAX_WORD, *(_longest_word(r[i]) for r in cells)))
        for i, c in enumerate(columns)
    ]
    if sum(floors) + GAP * (len(floors) - 1) > TABLE_WIDTH:
        return _records(columns, cells)
    widths = fit_widths(natural, floors)
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row_cells in cells:
        lines.extend(_table_lines(row_cells, widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def _records(columns: list[str], cells: list[list[str]]) -> str:
    """Rows too wide for columns, one block per row: `column  value`, values wrapped."""
    key_width = max(len(c) for c in columns)
    value_width = TABLE_WIDTH - key_width - GAP
    lines: list[str] = []
    for number, row_cells in enumerate(cells, start=1):
        lines.append(f"-[ {number} ]".ljust(TABLE_WIDTH, "-"))
        for column, cell in zip(columns, row_cells, strict=True):
            wrapped = wrap_cell(cell, value_width)
            lines.append(f"{column.ljust(key_width)}  {wrapped[0]}".rstrip())
            lines.extend(f"{'':{key_width}}  {line}" for line in wrapped[1:])
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


TABLE_WIDTH = 100
CELL_LIMIT = 400  # a table cell longer than this is cut (at a word) before it is wrapped
MIN_COLUMN = 8
MAX_WORD = 24  # a longer word (a URL, an id) may be cut with an ellipsis
GAP = 2


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def fit_widths(natural: list[int], floors: list[int], total: int = TABLE_WIDTH) -> list[int]:
    """Column widths that fit `total` characters with two spaces between columns: the widest
    column gives way first, never below its floor (its header and longest word, so text
    wraps between words).

    >>> fit_widths([10, 200, 5], [2, 8, 5])
    [10, 81, 5]
    >>> fit_widths([3, 4], [2, 4])
    [3, 4]
    """
    widths = list(natural)
    while sum(widths) + GAP * (len(widths) - 1) > total:
        over = sum(widths) + GAP * (len(widths) - 1) - total
        index = max(range(len(widths)), key=lambda i: (widths[i] - floors[i], -i))
        if widths[index] <= floors[index]:
            break
        others = [w for i, w in enumerate(widths) if i != index]
        target = max(floors[index], widths[index] - over, max(others, default=0))
        widths[index] = target if target < widths[index] else widths[index] - 1
    return widths


def wrap_cell(text: str, width: int) -> list[str]:
    """`text` wrapped at word boundaries to `width`; a word longer than a line is cut with an
    ellipsis (never split in two).

    >>> wrap_cell("Russia supplies S-300 systems to Kazakhstan", 16)
    ['Russia supplies', 'S-300 systems to', 'Kazakhstan']
    >>> wrap_cell("Transcaucasian", 8)
    ['Transca…']
    """
    if len(text) <= width:
        return [text]
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines] or [""]


def _table_lines(row_cells: list[str], widths: list[int]) -> list[str]:
    wrapped = [wrap_cell(cell, width) for cell, width in zip(row_cells, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    return [
        "  ".join(
            (lines[i] if i < len(lines) else "").ljust(width)
            for lines, width in zip(wrapped, widths, strict=True)
        ).rstrip()
        for i in range(height)
    ]


def _finite(value: Any) -> Any:
    """JSON has no NaN or Infinity: such floats are written as the strings Cypher shows."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def _cell(value: Any, limit: int | None = 60) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float) and not math.isfinite(value):
        text = str(_finite(value))
    elif isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    elif isinstance(value, list):
        text = "; ".join(_cell(v, None) for v in value)
    elif isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    else:
        text = str(value)
    text = " ".join(text.split())
    if limit is not None:  # a table cell goes to a terminal: no escape sequences from the data
        text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)
    if limit and len(text) > limit:
        cut = text[: limit - 1]
        # At a word boundary when there is one in the second half, never mid-word.
        space = cut.rfind(" ")
        text = (cut[:space] if space > limit // 2 else cut).rstrip() + "…"
    return text


# -- analyze, viz, export --------------------------------------------------------------------


def network_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Which facts make the actor network: the same options wherever it is read."""
    from graph.analysis import MAX_MEMBERS

    @click.option(
        "--reference",
        is_flag=True,
        help="Also tie actors by reference-data memberships (no sentence states them).",
    )
    @click.option(
        "--max-members",
        type=click.IntRange(min=2),
        default=MAX_MEMBERS,
        show_default=True,
        help="An organisation with more members never ties them pairwise.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **kwargs)

    return wrapper


@cli.command()
@click.option(
    "--as-of",
    type=int,
    default=None,
    help="Only facts dated this year or earlier and not ended (undated ones are left out).",
)
@click.option("--top", type=int, default=15, show_default=True, help="How many actors to show.")
@click.option("--ego", default=None, help="Only this actor's neighbourhood (id, name or alias).")
@click.option("--radius", type=int, default=1, show_default=True, help="Steps around --ego.")
@network_options
@output_options
@store_options
def analyze(
    as_of: int | None,
    top: int,
    ego: str | None,
    radius: int,
    reference: bool,
    max_members: int,
    fmt: str,
    settings: Settings,
) -> None:
    """Compute centrality and communities of the actor network and print the top actors.

    The network holds the ties the documents state (direct ties, shared agreements, stated
    memberships) and the co-memberships they imply; --reference adds memberships from reference
    data. Scores of the default present-day network are written onto the actor nodes (degree,
    pagerank, betweenness, eigenvector, closeness, community) so Cypher can ORDER BY them;
    --as-of, --ego, --reference and --max-members only print. Edge weights: see
    graph/analysis.py (a bilateral agreement counts 1, an n-party one 1/(n-1) per pair, a
    membership 0.5, a direct tie 1).

    \b
    Examples:
      ties analyze --top 10
      ties analyze --as-of 2000 --json
      ties analyze --ego Kazakhstan --radius 2
      ties analyze --reference --max-members 60 --format csv
    """
    from graph.analysis import analyze_network
    from graph.resolve import resolve_actor

    with open_store(settings) as store:
        center = resolve_actor(store, ego) if ego else None
        result = analyze_network(
            store,
            as_of=as_of,
            ego=center,
            radius=radius,
            reference=reference,
            max_members=max_members,
        )
    rows = [s.as_row() for s in result.scores[:top]]
    summary = {
        "as_of": as_of,
        "actors": result.actors,
        "ties": result.ties,
        "undated_left_out": result.undated_left_out,
        "reference": reference,
        "max_members": max_members,
    }
    if fmt == "json":
        payload = {**summary, "top": _finite(rows)}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True))
        return
    if fmt == "table":
        # The table keeps the scores an analyst ranks by, so it fits 100 columns; json and
        # csv carry every score.
        table = [{key: row[key] for key in TABLE_SCORES} for row in rows]
        click.echo(render_rows(table, fmt), nl=False)
        click.echo(_network_summary(summary))
    else:
        click.echo(render_rows(rows, fmt), nl=False)


TABLE_SCORES = (
    "id",
    "name",
    "kind",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "community",
)


def _network_summary(summary: dict[str, Any]) -> str:
    """One line: the network's size and, for a dated one, the undated facts left out."""
    text = f"Network: {summary['actors']} actors, {summary['ties']} ties"
    if summary["as_of"] is not None:
        text += f" as of {summary['as_of']}; {summary['undated_left_out']} undated facts left out"
    return text


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to write the page (default: TIES_HOME/network.html).",
)
@click.option(
    "--size-by",
    default="pagerank",
    show_default=True,
    type=click.Choice(
        ["degree", "weighted_degree", "betweenness", "eigenvector", "pagerank", "closeness"]
    ),
    help="The centrality that sizes the nodes.",
)
@click.option(
    "--max-nodes",
    type=int,
    default=500,
    show_default=True,
    help="Keep the top N actors by the size score above this many.",
)
@click.option(
    "--max-edges",
    type=int,
    default=5000,
    show_default=True,
    help="Draw at most M ties among those actors: each actor's strongest and those that keep "
    "connected actors connected (a maximum spanning forest), then the strongest others (by "
    "weight, then ids). The page counts the rest and names `ties query` for them.",
)
@click.option("--as-of", type=int, default=None, help="Draw the network as of this year.")
@network_options
@store_options
def viz(
    output: Path | None,
    size_by: str,
    max_nodes: int,
    max_edges: int,
    as_of: int | None,
    reference: bool,
    max_members: int,
    settings: Settings,
) -> None:
    """Write the interactive network page: one HTML file that opens offline.

    The page draws at most --max-nodes actors and --max-edges ties among them (the defaults,
    which `ties reload` uses too, keep it to about 20 MB whatever the corpus); it says how
    many it leaves out, and each actor's panel names the query that lists all its ties.

    \b
    Examples:
      ties viz
      ties viz -o kazakhstan.html --size-by betweenness
      ties viz --max-nodes 200 --max-edges 1000    # a lighter page: 200 actors, 1,000 ties
      ties viz --reference --max-members 60
    """
    from graph.viz import write_html

    path = output or settings.html_path
    with open_store(settings) as store:
        report = write_html(
            store,
            path,
            size_by=size_by,
            max_nodes=max_nodes,
            max_edges=max_edges,
            as_of=as_of,
            reference=reference,
            max_members=max_members,
        )
    notes = [f"top {max_nodes} of {report.nodes_total} by {size_by}"] if report.filtered else []
    if report.edges_total > report.edges:
        notes.append(f"{report.edges} of the {report.edges_total} ties among them")
    left_out = min(max_nodes, report.nodes_total) - report.nodes
    if left_out:
        notes.append(f"{left_out} more left out: none of their ties is drawn")
    note = f" ({'; '.join(notes)})" if notes else ""
    click.echo(f"Network page: {report.path} — {report.nodes} actors, {report.edges} ties{note}")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "gexf", "json", "csv", *NETWORK_FORMATS]),
    required=True,
    help="Export format: the whole graph, or the actor network (network-*, dyad-year).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file to write (a folder for csv).",
)
@network_options
@store_options
def export(fmt: str, output: Path, reference: bool, max_members: int, settings: Settings) -> None:
    """Export the whole graph for Gephi, neo4j-admin import or scripts; or the actor network.

    The same graph always gives the same bytes. GraphML and GEXF open in Gephi; lists are
    joined with " | ". The csv folder holds nodes.csv and relationships.csv for
    neo4j-admin database import, with "|" between labels and list items.

    The actor network (the one `ties analyze` scores) exports as network-gexf (GEXF 1.3:
    weighted, typed edges with start/end years for Gephi's timeline), network-graphml, or
    dyad-year (CSV: actor_a, actor_b, year, counts by tie type and agreement kind).

    \b
    Examples:
      ties export --format graphml -o ties.graphml
      ties export --format json -o ties.json
      ties export --format csv -o ties-csv/
      ties export --format network-gexf -o network.gexf
      ties export --format dyad-year -o dyads.csv --reference
      neo4j-admin database import full neo4j --array-delimiter="U+007C" \\
        --multiline-fields=true --nodes=ties-csv/nodes.csv \\
        --relationships=ties-csv/relationships.csv
    """
    from graph.export import export_graph
    from graph.network_export import export_network

    with open_store(settings) as store:
        if fmt in NETWORK_FORMATS:
            path = export_network(store, fmt, output, reference=reference, max_members=max_members)
        else:
            path = export_graph(store, fmt, output)
    click.echo(f"Exported {fmt} to {path}")


# -- eval ------------------------------------------------------------------------------------


@cli.command(name="eval")
@click.option(
    "--gold",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="A gold file in the format of tests/fixtures/FORMAT.md.",
)
@click.option(
    "--corpus",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="The folder of the documents the gold annotates.",
)
@output_options
@click.option("--details", is_flag=True, help="List false positives and negatives per document.")
@click.option(
    "--totals",
    is_flag=True,
    help="Print only the overall scores (for a blind set, whose per-document errors stay unread).",
)
@click.option(
    "--corrections",
    "corrections_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Score with these analysts' decisions applied (the gain from review).",
)
def evaluate(
    gold: Path,
    corpus: Path,
    fmt: str,
    details: bool,
    totals: bool,
    corrections_file: Path | None = None,
) -> None:
    """Score extraction against a gold annotation: precision, recall, F1 per kind.

    Needs no store: it extracts the corpus and compares the facts with the gold.

    \b
    Examples:
      ties eval --gold tests/fixtures/seeds_gold.yaml --corpus data/corpus
      ties eval --gold gold.yaml --corpus articles/ --json
      ties eval --gold real/blind.gold.yaml --corpus real/blind --totals
      ties eval --gold gold.yaml --corpus articles/ --corrections articles/corrections.yaml
    """
    from loaders.corrections import load_corrections
    from loaders.evaluate import evaluate_corpus, load_gold

    decisions = load_corrections(corrections_file) if corrections_file else None

    try:
        gold_data = load_gold(gold)
    except ValueError as exc:
        raise TiesError(" ".join(str(exc).split())) from None
    for warning in gold_data.warnings:
        click.echo(f"Warning: {for_terminal(warning)}", err=True)
    report, errors = evaluate_corpus(gold_data, corpus, decisions)
    for error in errors:
        click.echo(f"Skipped {for_terminal(error.path)}: {for_terminal(error.reason)}", err=True)
    for stale in report.stale:
        click.echo(f"Stale decision: {for_terminal(str(stale))}", err=True)
    if fmt == "csv":
        rows = [{"kind": kind, **score} for kind, score in report.totals_dict()["overall"].items()]
        click.echo(render_rows(rows, "csv"), nl=False)
    elif fmt == "json":
        data = report.totals_dict() if totals else report.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(report.to_table(details=details and not totals, totals=totals))


# -- review and correct ----------------------------------------------------------------------


@cli.command()
@click.option(
    "--reason",
    "reasons",
    multiple=True,
    type=click.Choice(["hedged", "one-party", "near-duplicate", "one-sentence", "no-tie"]),
    help="Only items of this reason (repeatable). Default: all.",
)
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many items.")
@output_options
@store_options
def review(reasons: tuple[str, ...], limit: int, fmt: str, settings: Settings) -> None:
    """List the facts and actors most worth a human look, each with its id and evidence.

    Reasons, likeliest errors first: hedged (a planned or reported fact), one-party (an
    agreement with fewer than two known parties), near-duplicate (two actors with near-identical
    names), one-sentence (a fact read in one sentence only), no-tie (an actor tied to nothing).
    Curated facts and nodes are left out. Fix what is wrong with `ties correct`.

    \b
    Examples:
      ties review
      ties review --reason near-duplicate --reason no-tie --format json
      ties correct reject f-cd26cb40a8ef --note "a joint venture of companies"
    """
    from graph.review import REASONS
    from graph.review import review as review_graph

    with open_store(settings) as store:
        items = review_graph(store, reasons or REASONS)
    rows = [item.as_row() for item in items[:limit]]
    click.echo(render_rows(rows, fmt), nl=False)
    if fmt == "table" and len(items) > limit:
        click.echo(f"({len(items) - limit} more: --limit {len(items)})")


@cli.group(cls=TiesGroup)
def correct() -> None:
    """Record an analyst's decision in the corrections file, applied by every reload.

    Decisions are written into CORPUS/corrections.yaml (default data/corpus), or into the FILE
    each subcommand's corrections option names, kept sorted so that a diff of the file reads
    as a review. A decision about the same
    target replaces the earlier one. Ids are those of the graph: `ties review`, `ties query`
    and the exports show them.

    \b
    Examples:
      ties correct reject f-cd26cb40a8ef --note "a joint venture of companies, not states"
      ties correct same KZ kazakhstan-1
      ties correct set f-79656912b30b date 2006 --note "annual since 2006"
      ties correct add SUPPLIES TR KZ --doc 002_1961063e3a03987f --quote "…" --note "…"
    """


def decision_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every `ties correct` subcommand takes: where, who and why."""

    @click.option(
        "--corpus",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_CORPUS,
        show_default=True,
        help="The corpus whose corrections.yaml to write.",
    )
    @corrections_option
    @click.option("--by", default=None, help="Who decided (kept in the file).")
    @click.option("--note", default=None, help="Why (shown on the corrected node or fact).")
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        corpus: Path,
        corrections_file: Path | None,
        by: str | None,
        note: str | None,
        **kwargs: Any,
    ) -> None:
        decision = func(*args, by=by, note=note, **kwargs)
        _record(_corrections_path(corpus, corrections_file), decision)

    return wrapper


def _record(path: Path, decision: Any) -> None:
    from loaders.corrections import record_decision

    if not path.parent.is_dir():
        raise TiesError(f"{path.parent}: no such folder")
    replaced, line = record_decision(path, decision)
    verb = "Replaced" if replaced else "Recorded"
    click.echo(f"{verb} in {path} line {line}: {decision.describe()}")


def _decision(kind: str, **fields: Any) -> Any:
    """A validated decision; a bad value is one clear error, as in the file."""
    from loaders.corrections import parse_decision

    item = {kind: fields.pop(kind), **{k: v for k, v in fields.items() if v is not None}}
    return parse_decision(item, "ties correct", 0)


@correct.command(name="reject")
@click.argument("fact", required=False)
@click.option(
    "--fact",
    "ends",
    nargs=3,
    default=None,
    metavar="KIND SOURCE TARGET",
    help="Name the fact by its kind and ends instead of its id.",
)
@click.option("--doc", default=None, help="Only this document's reading of the fact.")
@decision_options
def correct_reject(
    fact: str | None,
    ends: tuple[str, str, str] | None,
    doc: str | None,
    by: str | None,
    note: str | None,
) -> Any:
    """A fact (a fact id) or a node (an actor, agreement or event id) is wrong: drop it.

    A node goes with every fact it is an end of.

    \b
    Examples:
      ties correct reject f-cd26cb40a8ef --note "a joint venture of companies, not states"
      ties correct reject bao-quoc --note "a newspaper's masthead, not a person"
      ties correct reject --fact SUPPLIES RU KZ --doc 000_c1372565236902e0
    """
    from loaders.model import fact_id

    if bool(fact) == bool(ends):
        raise click.UsageError("give a FACT id or --fact KIND SOURCE TARGET")
    target = fact or fact_id(*ends)  # type: ignore[misc]
    return _decision("reject", reject=target, doc=doc, by=by, note=note)


@correct.command(name="same")
@click.argument("keep")
@click.argument("merge")
@decision_options
def correct_same(keep: str, merge: str, by: str | None, note: str | None) -> Any:
    """Two actor ids are one entity: MERGE becomes KEEP everywhere.

    \b
    Examples:
      ties correct same KZ kazakhstan-1
      ties correct same nato-eapc conseil-de-cooperation-nord-atlantique --note "renamed in 1997"
    """
    return _decision("same", same=[keep, merge], by=by, note=note)


@correct.command(name="different")
@click.argument("first")
@click.argument("second")
@decision_options
def correct_different(first: str, second: str, by: str | None, note: str | None) -> Any:
    """Two actors that resolution merged are different entities: keep them apart.

    \b
    Examples:
      ties correct different john-smith jon-smith --note "two people"
    """
    return _decision("different", different=[first, second], by=by, note=note)


@correct.command(name="alias")
@click.argument("actor")
@click.argument("name")
@decision_options
def correct_alias(actor: str, name: str, by: str | None, note: str | None) -> Any:
    """NAME is a name of ACTOR.

    \b
    Examples:
      ties correct alias KZ Qazaqstan
    """
    return _decision("alias", alias=actor, name=name, by=by, note=note)


@correct.command(name="not-alias")
@click.argument("actor")
@click.argument("name")
@decision_options
def correct_not_alias(actor: str, name: str, by: str | None, note: str | None) -> Any:
    """NAME is not a name of ACTOR: remove it.

    \b
    Examples:
      ties correct not-alias KZ "Centre de formation" --note "a training centre"
    """
    return _decision("not-alias", **{"not-alias": actor}, name=name, by=by, note=note)


@correct.command(name="set")
@click.argument("target")
@click.argument("prop", metavar="PROPERTY")
@click.argument("value")
@decision_options
def correct_set(target: str, prop: str, value: str, by: str | None, note: str | None) -> Any:
    """A fact's or node's PROPERTY (a date, a status, a kind, a name) has this VALUE.

    \b
    Examples:
      ties correct set f-79656912b30b date 2006 --note "annual since 2006"
      ties correct set treaty-cooperation-militaire-1994 signed 1994-03-28
    """
    return _decision("set", set=target, property=prop, value=value, by=by, note=note)


@correct.command(name="add")
@click.argument("kind")
@click.argument("source")
@click.argument("target")
@click.option("--doc", default=None, help="The document that states it (with --quote).")
@click.option("--quote", default=None, help="The sentence, quoted exactly from --doc.")
@click.option("--citation", default=None, help="A free-text source instead of --doc/--quote.")
@click.option("--date", default=None, help="The fact's date.")
@decision_options
def correct_add(
    kind: str,
    source: str,
    target: str,
    doc: str | None,
    quote: str | None,
    citation: str | None,
    date: str | None,
    by: str | None,
    note: str | None,
) -> Any:
    """Assert a fact KIND from SOURCE to TARGET, with a citation and a --note.

    \b
    Examples:
      ties correct add SUPPLIES TR KZ --doc 002_1961063e3a03987f \\
        --quote "La Turquie livre des drones au Kazakhstan." --note "missed by the patterns"
      ties correct add MEMBER_OF KZ sco --citation "sectsco.org, 2024" --note "founding member"
    """
    return _decision(
        "add",
        add=kind,
        source=source,
        target=target,
        doc=doc,
        quote=quote,
        citation=citation,
        date=date,
        by=by,
        note=note,
    )


def main() -> None:
    # SIGTERM (a timeout, a service manager) unwinds like Ctrl-C does, so the store closes its
    # server and removes its files; the server would die with us anyway (parent-death signal).
    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="ties")


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
