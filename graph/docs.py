"""The query library's reference page, generated from the headers of `cypher/queries/*.cypher`.

    python -m graph.docs > docs/queries.md      # what `make docs` runs

The page is a pure function of the catalogue, so a test can compare it with the committed copy
and tell the developer to regenerate it when a query changes.
"""

from __future__ import annotations

import sys

from graph import catalogue
from graph.catalogue import CypherFile, Param

INTRO = """\
# Query library

The questions `ties query` answers out of the box. Each is a `.cypher` file in
`cypher/queries/`; this page is generated from their headers by `make docs`
(`python -m graph.docs > docs/queries.md`) — edit the files, not this page.

- `ties queries` lists them; `ties query NAME -p key=value …` runs one.
- Actor parameters take an id (`KZ`), a name (`Kazakhstan`, `Russie`), an acronym (`OTSC`) or an
  alias; an optional actor parameter left empty means every actor.
- Values are always sent as query parameters, never pasted into the Cypher, and library queries
  run read-only.
- Output: `--format table` (default), `json` or `csv`. Every query returns the same rows, in the
  same order, on the embedded store and on Neo4j.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _default(param: Param) -> str:
    if param.required:
        return "required"
    return f"`{param.default}`" if param.default else "(empty)"


def _body(entry: CypherFile) -> str:
    """The Cypher after the header, with its comments (they say why)."""
    lines = entry.text.splitlines()
    start = 0
    while start < len(lines) and lines[start].startswith("//"):
        start += 1
    return "\n".join(lines[start:]).strip()


def _section(entry: CypherFile) -> list[str]:
    out = [f"## {entry.name}", "", f"**{entry.question}**", ""]
    if entry.params:
        out += ["| parameter | type | default | description |", "|---|---|---|---|"]
        out += [f"| `{p.name}` | {p.type} | {_default(p)} | {_cell(p.doc)} |" for p in entry.params]
    else:
        out.append("No parameters.")
    command = f"ties query {entry.name} {entry.example}".rstrip()
    out += ["", "```sh", command, "```", "", "```cypher", _body(entry), "```", ""]
    return out


def render() -> str:
    """The whole page, deterministic: queries in name order."""
    library = catalogue.library()
    names = sorted(library)
    lines = [INTRO, "## Contents", ""]
    lines += [f"- [{name}](#{name}) — {library[name].question}" for name in names]
    lines.append("")
    for name in names:
        lines += _section(library[name])
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
