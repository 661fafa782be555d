"""Analysts' corrections: decisions kept as data, re-applied on every reload.

An extractor makes mistakes that a reload would bring back; an analyst's fix must survive it.
The decisions live in a YAML file (``corrections.yaml`` in the corpus folder by default), apart
from the documents, and are applied to the facts after extraction and cross-document
resolution, before loading, in a fixed order, so the same documents and the same file always
give the same graph. The file is a list; each item is one decision, named by its first key:

.. code-block:: yaml

    - same: [KZ, kazakhstan-1]          # one entity; the first id stays
    - different: [john-smith, jon-smith] # resolution must not merge them
    - alias: KZ                          # add a name
      name: Qazaqstan
    - not-alias: KZ                      # remove a name
      name: Centre d'entraînement
    - reject: f-39ae53d77b2a             # a fact id (or a node id: actor, agreement, event)
      doc: 000_c1372565236902e0          # optional: only that document's reading
    - set: f-39ae53d77b2a                # a fact's or node's property has this value
      property: date
      value: '2019-05-02'
    - add: SUPPLIES                      # a fact the analyst asserts, with a citation
      source: RU
      target: KZ
      doc: 000_c1372565236902e0
      quote: La Russie fournit des hélicoptères au Kazakhstan.
      note: stated in the caption

Every decision may carry ``by`` and ``note``. A changed node or fact records the notes
(``curated``; the graph shows ``curated: true`` and ``note``). A decision whose target no
longer exists is returned as *stale* with its line, never silently dropped.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from loaders.errors import TiesError
from loaders.model import (
    ACTOR_KINDS,
    Actor,
    Agreement,
    DocumentFacts,
    Event,
    Evidence,
    Membership,
    Tie,
    fact_id,
)
from loaders.ontology import ontology

FILENAME = "corrections.yaml"
HEADER = (
    "# Analysts' corrections, re-applied by every `ties reload` (see README, 'Reviewing').\n"
    "# Written by `ties correct …`; kept sorted so that a diff reads as a review.\n"
)


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    by: str | None = None
    note: str | None = None

    # The key that names the decision in the file.
    action: ClassVar[str] = ""

    @property
    def target(self) -> str:
        raise NotImplementedError

    def identity(self) -> tuple[str, ...]:
        """What a later decision of the same kind replaces (`ties correct` never duplicates)."""
        return (self.action, self.target)

    def describe(self) -> str:
        return f"{self.action} {self.target}"

    def label(self) -> str:
        """The note the graph shows: the analyst's note, or what the decision did."""
        text = self.note or self.describe()
        return f"{text} ({self.by})" if self.by else text


def _pair(value: Sequence[str]) -> tuple[str, str]:
    if len(value) != 2 or value[0] == value[1]:
        raise ValueError("expected two different ids, as [first, second]")
    return (value[0], value[1])


class Same(_Decision):
    action: ClassVar[str] = "same"
    same: tuple[str, ...]

    @field_validator("same")
    @classmethod
    def _two(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _pair(value)

    @property
    def target(self) -> str:
        return self.same[1]

    def describe(self) -> str:
        return f"same: {self.same[1]} merged into {self.same[0]}"


class Different(_Decision):
    action: ClassVar[str] = "different"
    different: tuple[str, ...]

    @field_validator("different")
    @classmethod
    def _two(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        first, second = sorted(_pair(value))
        return (first, second)

    @property
    def target(self) -> str:
        return " ".join(self.different)


class Alias(_Decision):
    action: ClassVar[str] = "alias"
    alias: str
    name: str

    @property
    def target(self) -> str:
        return self.alias

    def identity(self) -> tuple[str, ...]:
        return (self.action, self.alias, self.name)

    def describe(self) -> str:
        return f"alias {self.name!r} of {self.alias}"


class NotAlias(_Decision):
    action: ClassVar[str] = "not-alias"
    not_alias: str = Field(alias="not-alias")
    name: str

    @property
    def target(self) -> str:
        return self.not_alias

    def identity(self) -> tuple[str, ...]:
        return (self.action, self.not_alias, self.name)

    def describe(self) -> str:
        return f"{self.name!r} is not a name of {self.not_alias}"


class Reject(_Decision):
    action: ClassVar[str] = "reject"
    reject: str
    doc: str | None = None

    @property
    def target(self) -> str:
        return self.reject

    def identity(self) -> tuple[str, ...]:
        return (self.action, self.reject, self.doc or "")


class Set(_Decision):
    action: ClassVar[str] = "set"
    set: str
    property: str
    value: str

    @property
    def target(self) -> str:
        return self.set

    def identity(self) -> tuple[str, ...]:
        return (self.action, self.set, self.property)

    def describe(self) -> str:
        return f"set {self.set} {self.property} = {self.value!r}"


class Add(_Decision):
    action: ClassVar[str] = "add"
    add: str
    source: str
    target_id: str = Field(alias="target")
    doc: str | None = None
    quote: str | None = None
    citation: str | None = None
    date: str | None = None
    note: str  # an asserted fact always says why

    @field_validator("add")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        kinds = ontology().facts
        if value not in kinds:
            raise ValueError(f"unknown fact kind {value!r} (one of {', '.join(kinds)})")
        return value

    @model_validator(mode="after")
    def _one_citation(self) -> Add:
        quoted = bool(self.doc and self.quote)
        if quoted == bool(self.citation) or bool(self.doc) != bool(self.quote):
            raise ValueError("cite either doc and quote, or a free-text citation")
        return self

    @property
    def target(self) -> str:
        return f"{self.add} {self.source} {self.target_id}"

    def describe(self) -> str:
        return f"added {self.target}"


DECISIONS: dict[str, type[_Decision]] = {
    "same": Same,
    "different": Different,
    "alias": Alias,
    "not-alias": NotAlias,
    "reject": Reject,
    "set": Set,
    "add": Add,
}
# Keys written after the decision's own key, in this order; then by and note.
_FIELD_ORDER = ("name", "property", "value", "source", "target", "date", "doc", "quote", "citation")


@dataclass(frozen=True)
class Entry:
    """A decision and the line of the file it starts on."""

    decision: _Decision
    line: int


@dataclass
class Corrections:
    path: str
    entries: list[Entry] = field(default_factory=list)

    def of(self, kind: type[_Decision]) -> list[Entry]:
        return [e for e in self.entries if isinstance(e.decision, kind)]


@dataclass(frozen=True)
class Stale:
    """A decision whose target is not in the corpus any more: reported, never dropped silently."""

    path: str
    line: int
    decision: str
    reason: str
    action: str = ""
    target: str = ""

    def __str__(self) -> str:
        return f"{self.path} line {self.line}: {self.decision}: {self.reason}"


# -- reading ---------------------------------------------------------------------------------


def _fail(path: str, line: int | None, message: str) -> TiesError:
    where = f"{path} line {line}" if line else path
    return TiesError(f"{where}: {message}")


def _key_line(node: yaml.Node, key: Any, line: int) -> int:
    """The line of `key` in a decision's mapping, so an error points at the bad key itself."""
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if key_node.value == key:
                return key_node.start_mark.line + 1
    return line


def parse_decision(item: Any, path: str, line: int, node: yaml.Node | None = None) -> _Decision:
    if not isinstance(item, dict):
        raise _fail(path, line, "a decision is a mapping such as 'reject: FACT-ID'")
    kinds = [key for key in item if key in DECISIONS]
    if len(kinds) != 1:
        named = ", ".join(DECISIONS)
        found = f"found {', '.join(kinds)}" if kinds else "found none"
        raise _fail(path, line, f"a decision names exactly one of {named} ({found})")
    try:
        return DECISIONS[kinds[0]].model_validate(item)
    except ValidationError as exc:
        # A misspelt key is the likeliest mistake, and explains the missing one: name it first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        error = errors[0]
        where = ".".join(str(x) for x in error["loc"])
        if node is not None and error["loc"]:
            line = _key_line(node, error["loc"][0], line)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown key {where!r}"
        elif where and where != kinds[0]:
            message = f"{where}: {message}"
        raise _fail(path, line, f"{kinds[0]}: {message}") from None


def parse_corrections(text: str, path: str = FILENAME) -> Corrections:
    """Validate a corrections file; any mistake is one TiesError naming the file and line."""
    try:
        # BaseLoader: every scalar stays a string, so '2019-05-02' is a date as written.
        root = yaml.compose(text, Loader=yaml.BaseLoader)
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _fail(path, mark.line + 1 if mark else None, f"not valid YAML: {problem}") from None
    if root is None or data in (None, "", []):
        return Corrections(path)
    if not isinstance(root, yaml.SequenceNode):
        raise _fail(path, root.start_mark.line + 1, "expected a list of decisions")
    entries = [
        Entry(parse_decision(item, path, node.start_mark.line + 1, node), node.start_mark.line + 1)
        for node, item in zip(root.value, data, strict=True)
    ]
    return Corrections(path, entries)


def load_corrections(path: str | Path) -> Corrections:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TiesError(f"{path}: no such corrections file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TiesError(f"{path}: cannot read it ({exc})") from None
    return parse_corrections(text, str(path))


# -- writing ---------------------------------------------------------------------------------


def _sort_key(decision: _Decision) -> tuple[int, tuple[str, ...]]:
    return (list(DECISIONS).index(decision.action), decision.identity())


def _as_item(decision: _Decision) -> dict[str, Any]:
    data = decision.model_dump(by_alias=True, exclude_none=True)
    key = decision.action
    item: dict[str, Any] = {key: list(data.pop(key)) if key in ("same", "different") else None}
    if item[key] is None:
        item[key] = data.pop(key)
    for name in (*_FIELD_ORDER, "by", "note"):
        if name in data:
            item[name] = data.pop(name)
    item.update(data)
    return item


class _Dumper(yaml.SafeDumper):
    """Block mappings, but short id lists on one line: `same: [KZ, kazakhstan-1]`."""


def _flow_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


def render_corrections(decisions: Iterable[_Decision]) -> str:
    """The file's text: a header, then the decisions sorted by kind and target, one blank line
    between them, so that adding one is a small, readable diff."""
    blocks = [
        "- "
        + yaml.dump(_as_item(d), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        .replace("\n", "\n  ")
        .rstrip(" ")
        for d in sorted(decisions, key=_sort_key)
    ]
    return HEADER + "\n" + "\n".join(blocks)


_Dumper.add_representer(list, _flow_list)


def record_decision(path: str | Path, decision: _Decision) -> tuple[bool, int]:
    """Write `decision` into the file (created if missing), replacing one about the same
    target. Returns whether one was replaced and the line the decision now starts on."""
    path = Path(path)
    current = load_corrections(path).entries if path.exists() else []
    kept = [e.decision for e in current if e.decision.identity() != decision.identity()]
    replaced = len(kept) != len(current)
    text = render_corrections([*kept, decision])
    path.write_text(text, encoding="utf-8")
    written = parse_corrections(text, str(path))
    line = next(e.line for e in written.entries if e.decision.identity() == decision.identity())
    return replaced, line


# -- applying --------------------------------------------------------------------------------


def different_pairs(corrections: Corrections | None) -> set[frozenset[str]]:
    """The pairs cross-document resolution must keep apart."""
    if corrections is None:
        return set()
    return {frozenset(e.decision.different) for e in corrections.of(Different)}  # type: ignore[attr-defined]


def _note(record: Any, decision: _Decision) -> Any:
    return dataclasses.replace(record, curated=(*record.curated, decision.label()))


@dataclass
class _Run:
    """One application of the decisions to a corpus' facts."""

    corrections: Corrections
    facts: list[DocumentFacts]
    texts: dict[str, str]
    stale: list[Stale] = field(default_factory=list)

    def stale_entry(self, entry: Entry, reason: str) -> None:
        self.stale.append(
            Stale(
                self.corrections.path,
                entry.line,
                entry.decision.describe(),
                reason,
                entry.decision.action,
                entry.decision.target,
            )
        )

    def actor_ids(self) -> set[str]:
        return {a.id for f in self.facts for a in f.actors}

    def party_ids(self) -> set[str]:
        return {
            fact_id("PARTY_TO", p, a.id)
            for f in self.facts
            for a in f.agreements
            for p in a.parties
        }

    def docs(self) -> dict[str, DocumentFacts]:
        return {f.document.id: f for f in self.facts}

    def map_actors(self, entry: Entry, ids: set[str], change: Callable[[Actor], Actor]) -> None:
        for facts in self.facts:
            facts.actors = [
                _note(change(a), entry.decision) if a.id in ids else a for a in facts.actors
            ]

    # -- actors -------------------------------------------------------------------------

    def same(self, entry: Entry) -> None:
        from loaders.resolve import rename_actors

        keep, drop = entry.decision.same  # type: ignore[attr-defined]
        known = self.actor_ids()
        missing = [x for x in (keep, drop) if x not in known]
        if missing:
            self.stale_entry(entry, f"no actor {', '.join(missing)} in the corpus")
            return
        self.facts = rename_actors(self.facts, {drop: keep})
        self.map_actors(entry, {keep}, lambda a: a)

    def different(self, entry: Entry) -> None:
        missing = [x for x in entry.decision.different if x not in self.actor_ids()]  # type: ignore[attr-defined]
        if len(missing) == 2:
            self.stale_entry(entry, f"no actor {', '.join(missing)} in the corpus")

    def alias(self, entry: Entry) -> None:
        decision: Alias = entry.decision  # type: ignore[assignment]
        if decision.alias not in self.actor_ids():
            self.stale_entry(entry, f"no actor {decision.alias} in the corpus")
            return

        def add(actor: Actor) -> Actor:
            return dataclasses.replace(
                actor, aliases=tuple(sorted({*actor.aliases, decision.name}))
            )

        self.map_actors(entry, {decision.alias}, add)

    def not_alias(self, entry: Entry) -> None:
        decision: NotAlias = entry.decision  # type: ignore[assignment]
        named = {
            a.id
            for f in self.facts
            for a in f.actors
            if a.id == decision.not_alias and decision.name in (*a.aliases, *a.acronyms)
        }
        if not named:
            self.stale_entry(entry, f"{decision.not_alias} has no name {decision.name!r}")
            return

        def remove(actor: Actor) -> Actor:
            return dataclasses.replace(
                actor,
                aliases=tuple(x for x in actor.aliases if x != decision.name),
                acronyms=tuple(x for x in actor.acronyms if x != decision.name),
            )

        self.map_actors(entry, named, remove)

    # -- facts ----------------------------------------------------------------------------

    def reject(self, entry: Entry) -> None:
        decision: Reject = entry.decision  # type: ignore[assignment]
        docs = self.docs()
        if decision.doc and decision.doc not in docs:
            self.stale_entry(entry, f"document {decision.doc} is not in the corpus")
            return
        target = decision.reject
        hits = 0
        for facts in self.facts:
            if decision.doc and facts.document.id != decision.doc:
                continue
            before = _count(facts) + len(facts.actors)
            # An actor id: a name taken for an actor goes, with every fact it is an end of.
            facts.actors = [a for a in facts.actors if a.id != target]
            facts.ties = [t for t in facts.ties if target not in (t.source, t.target)]
            facts.memberships = [
                m for m in facts.memberships if target not in (m.member, m.organization)
            ]
            facts.agreements = [
                dataclasses.replace(
                    a,
                    parties=tuple(
                        p for p in a.parties if target not in (p, fact_id("PARTY_TO", p, a.id))
                    ),
                )
                for a in facts.agreements
                if a.id != target
            ]
            facts.events = [e for e in facts.events if e.id != target]
            facts.ties = [t for t in facts.ties if fact_id(t.type, t.source, t.target) != target]
            facts.memberships = [
                m
                for m in facts.memberships
                if fact_id("MEMBER_OF", m.member, m.organization) != target
            ]
            hits += before - _count(facts) - len(facts.actors)
        if not hits:
            where = f" in {decision.doc}" if decision.doc else ""
            self.stale_entry(entry, f"no fact or node {target}{where} (its text changed or left)")

    def set(self, entry: Entry) -> None:
        decision: Set = entry.decision  # type: ignore[assignment]
        hits = 0
        problems: list[str] = []
        for facts in self.facts:
            for kind in ("actors", "agreements", "events", "ties", "memberships"):
                records = getattr(facts, kind)
                changed = []
                for record in records:
                    if _key(record) == decision.set:
                        try:
                            record = _note(_set(record, decision), decision)
                            hits += 1
                        except ValueError as exc:
                            problems.append(str(exc))
                    changed.append(record)
                setattr(facts, kind, changed)
        if problems:
            self.stale_entry(entry, problems[0])
        elif not hits and decision.set in self.party_ids():
            reason = "a PARTY_TO fact has no property of its own: set the agreement's"
            self.stale_entry(entry, reason)
        elif not hits:
            self.stale_entry(entry, f"no fact or node {decision.set} in the corpus")

    def add(self, entry: Entry) -> None:
        decision: Add = entry.decision  # type: ignore[assignment]
        docs = self.docs()
        if decision.doc:
            if decision.doc not in docs:
                self.stale_entry(entry, f"document {decision.doc} is not in the corpus")
                return
            home = docs[decision.doc]
            text = self.texts.get(decision.doc)
            start = text.find(decision.quote or "") if text is not None else 0
            if start < 0:
                self.stale_entry(entry, f"the quote is not in {decision.doc} any more")
                return
            evidence: tuple[Evidence, ...] = (
                Evidence(
                    decision.doc, start, start + len(decision.quote or ""), decision.quote or ""
                ),
            )
            dataset = None
        else:
            home = self.facts[0]
            evidence, dataset = (), decision.citation
        ends = self.actor_ids() | {a.id for f in self.facts for a in f.agreements}
        ends |= {e.id for f in self.facts for e in f.events}
        missing = [x for x in (decision.source, decision.target_id) if x not in ends]
        if missing:
            self.stale_entry(entry, f"no actor or node {', '.join(missing)} in the corpus")
            return
        label = (decision.label(),)
        if decision.add == "MEMBER_OF":
            home.memberships.append(
                Membership(
                    decision.source,
                    decision.target_id,
                    since=decision.date,
                    dataset=dataset,
                    evidence=evidence,
                    curated=label,
                )
            )
        else:
            home.ties.append(
                Tie(
                    decision.add,
                    decision.source,
                    decision.target_id,
                    date=decision.date,
                    dataset=dataset,
                    evidence=evidence,
                    curated=label,
                )
            )


def _count(facts: DocumentFacts) -> int:
    parties = sum(len(a.parties) for a in facts.agreements)
    return (
        len(facts.agreements) + len(facts.events) + len(facts.ties) + len(facts.memberships)
    ) + parties


def _key(record: Any) -> str:
    """The id a decision names this record by: a node's id, a fact's fact id."""
    if isinstance(record, Tie):
        return fact_id(record.type, record.source, record.target)
    if isinstance(record, Membership):
        return fact_id("MEMBER_OF", record.member, record.organization)
    return str(record.id)


# Properties a `set` may change, by record; `date` of a membership is its `since`.
_SETTABLE: dict[type, tuple[str, ...]] = {
    Actor: ("name", "kind", "iso2", "role"),
    Agreement: (
        "name",
        "kind",
        "name_fr",
        "name_en",
        "signed",
        "in_force",
        "expires",
        "duration_years",
        "status",
        "scope",
    ),
    Event: ("name", "kind", "start", "end", "place"),
    Membership: ("since", "until", "status"),
    Tie: ("date", "status"),
}


# The properties a tie's text may give (data/ontology.yaml's facts; design.md's data model).
_TIE_PROPERTIES = ("item", "terms", "asset", "until", "domain", "role")


def _set(record: Any, decision: Set) -> Any:
    name, value = decision.property, decision.value
    if isinstance(record, Membership) and name == "date":
        name = "since"
    if isinstance(record, Actor) and name == "kind" and value not in ACTOR_KINDS:
        raise ValueError(f"unknown actor kind {value!r}")
    if name in _SETTABLE[type(record)]:
        typed: Any = int(value) if name == "duration_years" else value
        return dataclasses.replace(record, **{name: typed})
    if isinstance(record, Tie) and name in _TIE_PROPERTIES:
        props = tuple((k, v) for k, v in record.properties if k != name)
        return dataclasses.replace(record, properties=tuple(sorted((*props, (name, value)))))
    allowed = ", ".join(
        _SETTABLE[type(record)] + (_TIE_PROPERTIES if isinstance(record, Tie) else ())
    )
    raise ValueError(f"a {type(record).__name__.lower()} has no property {name!r} ({allowed})")


# The order decisions are applied in: merges first (fact ids are those of the merged graph),
# then names, then rejections, property values and added facts.
_STEPS: tuple[tuple[type[_Decision], str], ...] = (
    (Same, "same"),
    (Different, "different"),
    (Alias, "alias"),
    (NotAlias, "not_alias"),
    (Reject, "reject"),
    (Set, "set"),
    (Add, "add"),
)


def apply_corrections(
    facts: list[DocumentFacts],
    corrections: Corrections | None,
    texts: dict[str, str] | None = None,
) -> tuple[list[DocumentFacts], list[Stale]]:
    """The facts with every decision applied, and the decisions that found nothing to apply to.

    `facts` are not changed; `texts` (document id -> text) place an added fact's quote.
    """
    if corrections is None or not corrections.entries or not facts:
        return facts, []
    run = _Run(corrections, [dataclasses.replace(f) for f in facts], texts or {})
    for f in run.facts:
        for kind in ("actors", "agreements", "events", "ties", "memberships"):
            setattr(f, kind, list(getattr(f, kind)))
    by_kind: dict[type, list[Entry]] = defaultdict(list)
    for entry in corrections.entries:
        by_kind[type(entry.decision)].append(entry)
    for kind, method in _STEPS:
        for entry in by_kind[kind]:
            getattr(run, method)(entry)
    return run.facts, sorted(run.stale, key=lambda s: s.line)
