"""Every `.cypher` file of the project, read once, with its header parsed.

A file starts with `//` header lines::

    // name: actor-ties
    // question: What are all the ties of an actor?
    // param: actor: actor — an actor id, name or alias
    // param: limit: int = 50 — at most this many rows
    // example: -p actor=KZ

A `param` line is `NAME[: TYPE][= DEFAULT] — DESCRIPTION`; a parameter without a default is
required. TYPE is one of `str` (the default), `int`, `float`, `date` (YYYY, YYYY-MM or
YYYY-MM-DD, passed as that text, the form dates are stored in) or `actor` (resolved by id, name
or alias before the query runs). A value that is not of its type is refused with a clear message.
"""

from __future__ import annotations

import itertools
import re
import shlex
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from graph.errors import QueryNotFound, TiesError

PARAM_TYPES = ("str", "int", "float", "date", "actor")
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_HEADER_KEY = re.compile(r"^(name|question|param|example|note|returns):\s*(.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*(?::\s*(?P<type>\w+))?\s*(?:=\s*(?P<default>[^—]*?))?\s*"
    r"(?:—\s*(?P<doc>.*))?$"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str = "str"
    default: str | None = None
    doc: str = ""

    @property
    def required(self) -> bool:
        return self.default is None

    def convert(self, raw: str) -> Any:
        return convert(self.name, self.type, raw)


_TYPE_NAMES = {"int": "an integer", "float": "a number", "date": "a date (YYYY[-MM[-DD]])"}


def convert(name: str, ptype: str, raw: str) -> Any:
    """A `-p` text value as its declared type, or a one-line refusal.

    >>> convert("limit", "int", "5"), convert("since", "date", "2024-03")
    (5, '2024-03')
    """
    value = raw.strip()
    try:
        if ptype == "int":
            return int(value)
        if ptype == "float":
            number = float(value)
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(value)
            return number
        if ptype == "date":
            if not _DATE.match(value):
                raise ValueError(value)
            return value
    except ValueError:
        raise TiesError(f"parameter {name} must be {_TYPE_NAMES[ptype]}, not {raw!r}") from None
    if ptype not in PARAM_TYPES:
        raise TiesError(
            f"parameter {name}: unknown type {ptype!r}; one of {', '.join(PARAM_TYPES)}"
        )
    return raw


def typed_params(given: dict[str, str]) -> dict[str, Any]:
    """Ad-hoc `-p NAME[:TYPE]=VALUE` pairs as typed values (`-p limit:int=5` is the number 5;
    without a type the value is text). `actor` is not offered here: it needs a store.

    >>> typed_params({"limit:int": "5", "name": "Kazakhstan"})
    {'limit': 5, 'name': 'Kazakhstan'}
    """
    values: dict[str, Any] = {}
    for key, raw in given.items():
        name, _, ptype = key.partition(":")
        ptype = ptype.strip() or "str"
        if ptype == "actor":
            raise TiesError(f"parameter {name}: the actor type is for library queries")
        values[name.strip()] = convert(name.strip(), ptype, raw)
    return values


@dataclass(frozen=True)
class CypherFile:
    name: str
    path: str
    text: str
    question: str = ""
    params: tuple[Param, ...] = ()
    example: str = ""
    header: dict[str, str] = field(default_factory=dict)

    def statements(self) -> list[str]:
        """The file's statements: a schema file holds several, separated by `;`."""
        body = "\n".join(line for line in self.text.splitlines() if not line.startswith("//"))
        return [part.strip() for part in body.split(";") if part.strip()]

    @property
    def cypher(self) -> str:
        return "\n".join(
            line for line in self.text.splitlines() if not line.startswith("//")
        ).strip()

    def example_params(self) -> dict[str, str]:
        """The `-p key=value` pairs of the example line."""
        words = shlex.split(self.example)
        pairs: dict[str, str] = {}
        for flag, value in itertools.pairwise(words):
            if flag == "-p" and "=" in value:
                key, _, raw = value.partition("=")
                pairs[key] = raw
        return pairs

    def bind(self, given: dict[str, str]) -> dict[str, Any]:
        """Typed parameter values: the given ones, then the defaults; unknown names refused."""
        known = {param.name: param for param in self.params}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise TiesError(
                f"query {self.name} has no parameter {', '.join(unknown)}; "
                f"it takes: {', '.join(known) or 'none'}"
            )
        values: dict[str, Any] = {}
        for param in self.params:
            if param.name in given:
                values[param.name] = param.convert(given[param.name])
            elif param.required:
                raise TiesError(f"query {self.name} needs -p {param.name}=… ({param.doc})")
            else:
                values[param.name] = param.convert(param.default or "")
        return values


def parse(name: str, path: str, text: str) -> CypherFile:
    header: dict[str, str] = {}
    params: list[Param] = []
    last = ""
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        content = line[2:].strip()
        match = _HEADER_KEY.match(content)
        if not match:
            # A line that starts with no `key:` continues the previous header line.
            if last and last != "param" and content:
                header[last] += " " + content
            continue
        key, value = match.group(1), match.group(2).strip()
        last = key
        if key == "param":
            params.append(_parse_param(path, value))
        elif key in header:
            header[key] += " " + value
        else:
            header[key] = value
    return CypherFile(
        name=header.get("name", name),
        path=path,
        text=text,
        question=header.get("question", ""),
        params=tuple(params),
        example=header.get("example", ""),
        header=header,
    )


def _parse_param(path: str, spec: str) -> Param:
    match = _PARAM.match(spec)
    if not match:
        raise TiesError(f"{path}: cannot read parameter line {spec!r}")
    ptype = match.group("type") or "str"
    if ptype not in PARAM_TYPES:
        raise TiesError(f"{path}: parameter type {ptype!r} is not one of {PARAM_TYPES}")
    default = match.group("default")
    if default is not None:
        default = default.strip().strip('"')
    return Param(match.group("name"), ptype, default, (match.group("doc") or "").strip())


@cache
def catalogue() -> dict[str, CypherFile]:
    """Every shipped `.cypher` file by `folder/stem` (e.g. `queries/actor-ties`)."""
    root = resources.files("cypher")
    found: dict[str, CypherFile] = {}
    for folder in sorted(entry for entry in root.iterdir() if entry.is_dir()):
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name.endswith(".cypher"):
                key = f"{folder.name}/{item.name[: -len('.cypher')]}"
                found[key] = parse(key, key + ".cypher", item.read_text(encoding="utf-8"))
    return found


def get(key: str) -> CypherFile:
    try:
        return catalogue()[key]
    except KeyError:
        raise QueryNotFound(f"no cypher file {key}") from None


def library() -> dict[str, CypherFile]:
    """The user query library (`cypher/queries/`), by query name."""
    return {entry.name: entry for key, entry in catalogue().items() if key.startswith("queries/")}


def library_query(name: str) -> CypherFile:
    queries = library()
    if name not in queries:
        close = [q for q in sorted(queries) if name.replace("_", "-") in q]
        hint = f"; did you mean {', '.join(close)}?" if close else "; `ties queries` lists them"
        raise QueryNotFound(f"no library query named {name!r}{hint}")
    return queries[name]
