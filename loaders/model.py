"""The fact records that loaders produce and the graph layer consumes.

Every fact carries its evidence (document id, character span, quoted sentence). Facts that come
from reference data instead of a document name the dataset in ``dataset``. Records are frozen
dataclasses so that a corpus yields the same facts, in the same order, on every run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from loaders.ontology import ontology

# The kinds and fact types are declared once, in data/ontology.yaml (loaders/ontology.py).
_ONTOLOGY = ontology()
ACTOR_KINDS = _ONTOLOGY.actor_kinds
AGREEMENT_KINDS = _ONTOLOGY.agreement_kinds
AGREEMENT_STATUSES = _ONTOLOGY.agreement_statuses
EVENT_KINDS = _ONTOLOGY.event_kinds
# Actor -> actor ties (and actor -> event), plus the structural ones the gold format scores.
TIE_TYPES = _ONTOLOGY.names(network=True)
AGREEMENT_LINKS = tuple(n for n, k in _ONTOLOGY.facts.items() if k.between_agreements)
FACT_STATUSES = _ONTOLOGY.statuses
# A tie property saying how the tie was read, when not from a verb that states it: "presence"
# for a visit read from where someone acted ("Sunak signed the agreement in Kyiv").
READING = "reading"
PRESENCE = "presence"


def merge_status(statuses: Iterable[str | None]) -> str | None:
    """The status of a fact read in several places: asserted once (None) is asserted;
    otherwise planned wins over reported."""
    known = list(statuses)
    if not known or any(s is None for s in known):
        return None
    return min(known, key=lambda s: (s != "planned", s or ""))


def fact_id(kind: str, source: str, target: str) -> str:
    """The stable id of a fact as stored: one relationship of type `kind` from `source` to
    `target`, merged over every document that states it.

    A hash of the three, so it survives re-extraction, a reordered corpus and another document
    stating the same fact; a decision about one document's reading names that document too.

    >>> fact_id("SUPPLIES", "RU", "KZ")
    'f-39ae53d77b2a'
    """
    digest = hashlib.sha256(f"{kind}\x1f{source}\x1f{target}".encode()).hexdigest()
    return f"f-{digest[:12]}"


@dataclass(frozen=True, order=True)
class Evidence:
    """Where a fact was read: a document, a character span in it, and the quoted sentence."""

    doc: str
    start: int
    end: int
    sentence: str

    @property
    def span(self) -> str:
        return f"{self.doc}:{self.start}-{self.end}"


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    lang: str
    source: str
    sha256: str
    date: str | None = None  # publication date, YYYY-MM-DD when found (loaders/published.py)
    chars: int = 0
    date_from: str | None = None  # where the date was found: manifest, meta or dateline


@dataclass(frozen=True)
class Mention:
    """One occurrence of an actor, agreement or event in a document."""

    doc: str
    target: str
    start: int
    end: int
    surface: str


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    iso2: str | None = None
    acronyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    role: str | None = None
    dataset: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # The notes of the analysts' decisions that changed it (loaders/corrections.py).
    curated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    kind: str
    parties: tuple[str, ...] = ()
    name_fr: str | None = None
    name_en: str | None = None
    signed: str | None = None
    in_force: str | None = None
    expires: str | None = None
    duration_years: int | None = None
    status: str | None = None
    scope: str | None = None
    domains: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    # The notes of the analysts' decisions that changed it (loaders/corrections.py).
    curated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Event:
    id: str
    name: str
    kind: str
    start: str | None = None
    end: str | None = None
    place: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # The notes of the analysts' decisions that changed it (loaders/corrections.py).
    curated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Membership:
    member: str
    organization: str
    since: str | None = None
    until: str | None = None
    # None while a member; "left"; or how the text holds the fact: "planned", "reported".
    status: str | None = None
    dataset: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # The notes of the analysts' decisions that changed it (loaders/corrections.py).
    curated: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tie:
    """A typed relationship: actor -> actor, actor -> agreement/event, agreement -> agreement."""

    type: str
    source: str
    target: str
    date: str | None = None
    properties: tuple[tuple[str, str], ...] = ()
    dataset: str | None = None
    evidence: tuple[Evidence, ...] = ()
    # None: the text asserts it; "planned" or "reported": it says so with a hedge
    # (FACT_STATUSES). A fact the text denies is never made.
    status: str | None = None
    # The notes of the analysts' decisions that changed or added it (loaders/corrections.py).
    curated: tuple[str, ...] = ()


@dataclass
class DocumentFacts:
    """Everything extracted from one document."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentError:
    """A document that could not be read, and why. Loading goes on without it."""

    path: str
    reason: str
