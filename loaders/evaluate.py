"""Score extracted facts against a gold file (format and rules: ``tests/fixtures/FORMAT.md``).

``load_gold`` reads and validates the YAML gold, ``evaluate`` compares it with the
``DocumentFacts`` a corpus produced and returns a ``Report`` (precision, recall and F1 per kind,
per document and micro-averaged overall, with the false positives and negatives listed).
Pure Python: no database, no NLP model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rapidfuzz import fuzz

from loaders.model import ACTOR_KINDS, FACT_STATUSES, DocumentError, DocumentFacts
from loaders.ontology import ontology

if TYPE_CHECKING:
    from loaders.corrections import Corrections, Stale

SCORED_KINDS = ("actors", "agreements", "memberships", "ties")
# The gold annotates joint exercises as actors; the graph holds them as events.
GOLD_ACTOR_TYPES = (*ACTOR_KINDS, "exercise")
# FORMAT.md says so: these gold actors never count as false negatives.
ALWAYS_OPTIONAL_ACTOR_TYPES = frozenset({"equipment", "place", "facility"})
COMPATIBLE_TYPES = frozenset(
    {frozenset({"organization", "body"}), frozenset({"place", "facility"})}
)
# FORMAT.md's list plus "protocol", which the fact model knows.
GOLD_AGREEMENT_TYPES = (
    "treaty",
    "agreement",
    "declaration",
    "memorandum",
    "programme",
    "contract",
    "plan",
    "concept",
    "protocol",
)
SCORED_TIE_TYPES = ontology().names(scored=True)
ENDED = "left"  # the membership status of a stated departure
SYMMETRIC_TIE_TYPES = frozenset(ontology().names(symmetric=True))
LANGUAGES = ("fr", "en")

# Dropped from every name; "l" is what remains of the elided "l'".
ARTICLES = frozenset({"le", "la", "l", "les", "the"})
# Dropped from agreement names before comparing them (normalised spelling: no accents).
STOP_WORDS = frozenset(
    {
        # French
        "de", "du", "des", "d", "et", "en", "sur", "pour", "un", "une", "entre", "ce", "cet",
        "cette", "ces", "au", "aux", "a", "par", "avec", "dans", "ou", "sa", "son", "ses",
        "leur", "leurs", "que", "qui", "dont",
        # English
        "of", "on", "and", "in", "for", "to", "between", "this", "that", "these", "those", "an",
        "by", "with", "at", "its", "or", "s",
    }
)  # fmt: skip
# Words naming the kind of agreement; what is left are the content words.
KIND_WORDS = frozenset(
    {
        "traite", "traites", "treaty", "treaties",
        "accord", "accords", "agreement", "agreements",
        "declaration", "declarations",
        "memorandum", "memoranda", "memorandums", "entente", "understanding",
        "programme", "programmes", "program", "programs",
        "contrat", "contrats", "contract", "contracts",
        "plan", "plans",
        "protocole", "protocoles", "protocol", "protocols",
        "concept", "concepts", "doctrine", "doctrines",
        "convention", "conventions",
        "charte", "chartes", "charter", "charters",
        "pacte", "pactes", "pact", "pacts",
        "roadmap", "roadmaps",
        "arrangement", "arrangements",
        "communique", "communiques", "statement", "statements",
    }
)  # fmt: skip
NAME_RATIO_THRESHOLD = 60.0
MIN_SHARED_CONTENT_WORDS = 2

_NON_WORD = re.compile(r"[\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
_DATE_PART = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
_GOLD_DATE = re.compile(rf"^{_DATE_PART}(?:/{_DATE_PART})?$")
_YEAR_MONTH = re.compile(r"^\s*(\d{4})(?:-(\d{1,2}))?")


# --------------------------------------------------------------------------------------------
# Names


def name_tokens(text: str) -> list[str]:
    """Words of a name after NFKD, accent stripping, case folding, punctuation and articles.

    >>> name_tokens("L'Organisation du Traité de Sécurité Collective")
    ['organisation', 'du', 'traite', 'de', 'securite', 'collective']
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold().translate(_LIGATURES)
    return [t for t in _NON_WORD.split(folded) if t and t not in ARTICLES]


def normalize_name(text: str) -> str:
    """The comparison form of a name (FORMAT.md, "Names").

    >>> normalize_name("la Fédération  de Russie")
    'federation de russie'
    >>> normalize_name("the “Steppe Eagle”") == normalize_name("Steppe-Eagle")
    True
    """
    return " ".join(name_tokens(text))


def types_compatible(gold_type: str, system_type: str) -> bool:
    """Whether a gold actor type and a system actor type may denote the same actor.

    >>> types_compatible("body", "organization"), types_compatible("state", "place")
    (True, False)
    """
    return gold_type == system_type or frozenset({gold_type, system_type}) in COMPATIBLE_TYPES


def _agreement_words(name: str) -> list[str]:
    return [t for t in name_tokens(name) if t not in STOP_WORDS]


def agreement_name_score(a: str, b: str) -> float | None:
    """Similarity of two agreement names, or None when they do not match (FORMAT.md rule c).

    The score is rapidfuzz ``token_sort_ratio`` over the names without stop words; it ranks
    candidate pairs. A name with no content word (a bare "l'accord") matches nothing.

    >>> agreement_name_score("l'accord", "Accord sur la coopération militaire") is None
    True
    """
    words_a, words_b = _agreement_words(a), _agreement_words(b)
    content_a = {w for w in words_a if w not in KIND_WORDS}
    content_b = {w for w in words_b if w not in KIND_WORDS}
    if not content_a or not content_b:
        return None
    ratio = float(fuzz.token_sort_ratio(" ".join(words_a), " ".join(words_b)))
    if ratio >= NAME_RATIO_THRESHOLD:
        return ratio
    if (len(content_a) >= MIN_SHARED_CONTENT_WORDS and content_a <= set(words_b)) or (
        len(content_b) >= MIN_SHARED_CONTENT_WORDS and content_b <= set(words_a)
    ):
        return ratio
    return None


def _year_month(value: str | None) -> tuple[int | None, int | None]:
    """Year and month of a date or of a period's start; (None, None) when there is none."""
    if not value:
        return None, None
    match = _YEAR_MONTH.match(value.split("/", 1)[0])
    if not match:
        return None, None
    month = int(match.group(2)) if match.group(2) else None
    return int(match.group(1)), month if month and 1 <= month <= 12 else None


def dates_agree(gold_date: str | None, system_date: str | None) -> bool:
    """FORMAT.md rule (b): years agree where both give one, and months where both give one.

    >>> dates_agree("1992-05", "1992"), dates_agree("1992-05", "1992-06-01")
    (True, False)
    >>> dates_agree("2020/2030", "2020-01-01"), dates_agree(None, "1994")
    (True, True)
    """
    g_year, g_month = _year_month(gold_date)
    s_year, s_month = _year_month(system_date)
    if g_year is not None and s_year is not None and g_year != s_year:
        return False
    return g_month is None or s_month is None or g_month == s_month


# --------------------------------------------------------------------------------------------
# Gold


@dataclass(frozen=True)
class GoldActor:
    name: str
    type: str
    mentions: tuple[str, ...] = ()
    iso2: str | None = None
    optional: bool = False

    @property
    def is_optional(self) -> bool:
        return self.optional or self.type in ALWAYS_OPTIONAL_ACTOR_TYPES


class _Flagged:
    """Gold items that are optional exactly when annotated so."""

    optional: bool

    @property
    def is_optional(self) -> bool:
        return self.optional


@dataclass(frozen=True)
class GoldAgreement(_Flagged):
    name: str
    type: str
    parties: tuple[str, ...]
    name_en: str | None = None
    date: str | None = None
    status: str | None = None
    optional: bool = False
    evidence: str | None = None


@dataclass(frozen=True)
class GoldMembership(_Flagged):
    member: str
    organization: str
    optional: bool = False


@dataclass(frozen=True)
class GoldTie(_Flagged):
    type: str
    source: str
    target: str
    date: str | None = None
    optional: bool = False
    evidence: str | None = None


@dataclass(frozen=True)
class GoldDocument:
    file: str
    language: str
    scored: tuple[str, ...] = SCORED_KINDS
    actors: tuple[GoldActor, ...] = ()
    agreements: tuple[GoldAgreement, ...] = ()
    memberships: tuple[GoldMembership, ...] = ()
    ties: tuple[GoldTie, ...] = ()


@dataclass(frozen=True)
class Gold:
    """A parsed gold file. ``warnings`` lists keys that were ignored (unknown fields)."""

    path: str
    documents: tuple[GoldDocument, ...]
    warnings: tuple[str, ...] = ()


class _GoldLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings and reads only true/false as booleans.

    YAML 1.1 would turn ``iso2: NO`` into False and ``date: 2005-06-23`` into a date object.
    """


_GoldLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_GoldLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_DOCUMENT_KEYS = frozenset(
    {"file", "language", "scored", "actors", "agreements", "memberships", "ties"}
)
_ACTOR_KEYS = frozenset({"name", "type", "iso2", "mentions", "optional"})
_AGREEMENT_KEYS = frozenset(
    {"name", "name_en", "type", "parties", "date", "status", "optional", "evidence"}
)
_MEMBERSHIP_KEYS = frozenset({"member", "organization", "optional"})
_TIE_KEYS = frozenset({"type", "source", "target", "date", "optional", "evidence"})


class _Parser:
    """Validating reader for one gold file; every error names the file and the entry."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.warnings: list[str] = []

    def fail(self, where: str, message: str) -> ValueError:
        return ValueError(f"{self.path}: {where}: {message}")

    def mapping(self, value: Any, where: str, keys: frozenset[str]) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        for key in value:
            if key not in keys:
                # Unknown fields are tolerated so that richer gold files still load.
                self.warnings.append(f"{self.path}: {where}: ignored unknown key {key!r}")
        return value

    def text(self, value: Any, where: str, key: str, *, required: bool) -> str | None:
        if value is None:
            if required:
                raise self.fail(where, f"missing {key!r}")
            return None
        # Numbers are accepted for names and dates such as ``date: 1994``.
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(where, f"{key!r} must be a string, got {type(value).__name__}")
        text = str(value).strip()
        if not text:
            if required:
                raise self.fail(where, f"{key!r} is empty")
            return None
        return text

    def texts(self, value: Any, where: str, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"{key!r} must be a list, got {type(value).__name__}")
        out: list[str] = []
        for i, item in enumerate(value):
            text = self.text(item, where, f"{key}[{i}]", required=True)
            assert text is not None
            out.append(text)
        return tuple(out)

    def flag(self, value: Any, where: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail(where, f"'optional' must be true or false, got {value!r}")
        return value

    def choice(self, value: str, where: str, key: str, allowed: Iterable[str]) -> str:
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(where, f"{key!r} is {value!r}, expected one of {', '.join(allowed)}")
        return value

    def date(self, value: Any, where: str) -> str | None:
        date = self.text(value, where, "date", required=False)
        if date is not None and not _GOLD_DATE.match(date):
            raise self.fail(where, f"'date' {date!r} is not YYYY, YYYY-MM, YYYY-MM-DD or START/END")
        return date

    def items(self, doc: Mapping[str, Any], where: str, key: str) -> Iterator[tuple[str, Any]]:
        value = doc.get(key)
        if value is None:
            return
        if not isinstance(value, list):
            raise self.fail(where, f"{key!r} must be a list, got {type(value).__name__}")
        for i, item in enumerate(value):
            label = ""
            if isinstance(item, Mapping):
                label = str(item.get("name") or item.get("member") or item.get("type") or "")
            yield f"{where} {key}[{i}]" + (f" ({label})" if label else ""), item

    def actor(self, where: str, item: Any) -> GoldActor:
        item = self.mapping(item, where, _ACTOR_KEYS)
        name = self.text(item.get("name"), where, "name", required=True)
        kind = self.text(item.get("type"), where, "type", required=True)
        assert name is not None and kind is not None
        return GoldActor(
            name=name,
            type=self.choice(kind.lower(), where, "type", GOLD_ACTOR_TYPES),
            mentions=self.texts(item.get("mentions"), where, "mentions"),
            iso2=self.text(item.get("iso2"), where, "iso2", required=False),
            optional=self.flag(item.get("optional"), where),
        )

    def agreement(self, where: str, item: Any) -> GoldAgreement:
        item = self.mapping(item, where, _AGREEMENT_KEYS)
        name = self.text(item.get("name"), where, "name", required=True)
        kind = self.text(item.get("type"), where, "type", required=True)
        assert name is not None and kind is not None
        # An empty list is an agreement whose parties the text does not state; a missing key
        # is an annotation left unfinished.
        if item.get("parties") is None:
            raise self.fail(where, "'parties' must be given ([] when the text states none)")
        parties = self.texts(item.get("parties"), where, "parties")
        return GoldAgreement(
            name=name,
            type=self.choice(kind.lower(), where, "type", GOLD_AGREEMENT_TYPES),
            parties=parties,
            name_en=self.text(item.get("name_en"), where, "name_en", required=False),
            date=self.date(item.get("date"), where),
            status=self.text(item.get("status"), where, "status", required=False),
            optional=self.flag(item.get("optional"), where),
            evidence=self.text(item.get("evidence"), where, "evidence", required=False),
        )

    def membership(self, where: str, item: Any) -> GoldMembership:
        item = self.mapping(item, where, _MEMBERSHIP_KEYS)
        member = self.text(item.get("member"), where, "member", required=True)
        organization = self.text(item.get("organization"), where, "organization", required=True)
        assert member is not None and organization is not None
        return GoldMembership(member, organization, self.flag(item.get("optional"), where))

    def tie(self, where: str, item: Any) -> GoldTie:
        item = self.mapping(item, where, _TIE_KEYS)
        kind = self.text(item.get("type"), where, "type", required=True)
        source = self.text(item.get("source"), where, "source", required=True)
        target = self.text(item.get("target"), where, "target", required=True)
        assert kind is not None and source is not None and target is not None
        return GoldTie(
            type=self.choice(kind.upper(), where, "type", SCORED_TIE_TYPES),
            source=source,
            target=target,
            date=self.date(item.get("date"), where),
            optional=self.flag(item.get("optional"), where),
            evidence=self.text(item.get("evidence"), where, "evidence", required=False),
        )

    def scored(self, value: Any, where: str) -> tuple[str, ...]:
        if value is None:
            return SCORED_KINDS
        kinds = self.texts(value, where, "scored")
        for kind in kinds:
            self.choice(kind, where, "scored", SCORED_KINDS)
        # Canonical order keeps reports stable whatever order the annotator wrote.
        return tuple(k for k in SCORED_KINDS if k in kinds)

    def document(self, where: str, item: Any) -> GoldDocument:
        doc = self.mapping(item, where, _DOCUMENT_KEYS)
        file = self.text(doc.get("file"), where, "file", required=True)
        language = self.text(doc.get("language"), where, "language", required=True)
        assert file is not None and language is not None
        return GoldDocument(
            file=file,
            language=self.choice(language.lower(), where, "language", LANGUAGES),
            scored=self.scored(doc.get("scored"), where),
            actors=tuple(self.actor(w, i) for w, i in self.items(doc, where, "actors")),
            agreements=tuple(self.agreement(w, i) for w, i in self.items(doc, where, "agreements")),
            memberships=tuple(
                self.membership(w, i) for w, i in self.items(doc, where, "memberships")
            ),
            ties=tuple(self.tie(w, i) for w, i in self.items(doc, where, "ties")),
        )


def parse_gold(text: str, path: str = "<gold>") -> Gold:
    """Parse gold YAML text; ``path`` only labels error messages. Raises ValueError."""
    parser = _Parser(path)
    try:
        data = yaml.load(text, Loader=_GoldLoader)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    top = parser.mapping(data, "top level", frozenset({"documents"}))
    raw_docs = top.get("documents")
    if not isinstance(raw_docs, list):
        raise parser.fail("top level", "'documents' must be a list")
    documents: list[GoldDocument] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_docs):
        label = raw.get("file") if isinstance(raw, Mapping) else None
        where = f"documents[{i}]" + (f" ({label})" if label else "")
        doc = parser.document(where, raw)
        if doc.file in seen:
            raise parser.fail(where, f"file {doc.file!r} appears twice")
        seen.add(doc.file)
        documents.append(doc)
    return Gold(path=path, documents=tuple(documents), warnings=tuple(parser.warnings))


def load_gold(path: str | Path) -> Gold:
    """Read and validate a gold file. Raises ValueError naming the file and the bad entry."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: cannot read gold file: {exc}") from exc
    return parse_gold(text, str(path))


# --------------------------------------------------------------------------------------------
# Scores and report


@dataclass(frozen=True)
class Score:
    """Counts for one kind; a ratio with an empty denominator is 1.0 (nothing to get wrong)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class KindResult:
    """One kind in one document: the score and, for debugging, what was wrong."""

    score: Score
    false_positives: list[str] = field(default_factory=list)
    false_negatives: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.score.to_dict(),
            "false_positives": list(self.false_positives),
            "false_negatives": list(self.false_negatives),
        }


@dataclass
class DocumentResult:
    """``kinds`` holds only the kinds scored for this document, in SCORED_KINDS order."""

    file: str
    in_system_output: bool
    kinds: dict[str, KindResult]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "in_system_output": self.in_system_output,
            "scored": list(self.kinds),
            "kinds": {kind: result.to_dict() for kind, result in self.kinds.items()},
        }


_TABLE_HEADER = f"{'kind':<12} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}"


def _row(kind: str, score: Score) -> str:
    return (
        f"{kind:<12} {score.precision:6.3f} {score.recall:6.3f} {score.f1:6.3f} "
        f"{score.tp:5d} {score.fp:5d} {score.fn:5d}"
    )


@dataclass
class Report:
    """Results in gold document order; ``overall`` is micro-averaged over scored documents."""

    documents: list[DocumentResult]
    # Corrections that found nothing to apply to (`evaluate_corpus` with corrections).
    stale: list[Stale] = field(default_factory=list)

    @property
    def overall(self) -> dict[str, Score]:
        totals = {kind: Score() for kind in SCORED_KINDS}
        for doc in self.documents:
            for kind, result in doc.kinds.items():
                totals[kind] = totals[kind] + result.score
        return totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": {kind: score.to_dict() for kind, score in self.overall.items()},
            "documents": [doc.to_dict() for doc in self.documents],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def totals_dict(self) -> dict[str, Any]:
        """Only the overall scores: what may be read of a blind set."""
        return {"overall": self.to_dict()["overall"], "documents": len(self.documents)}

    def to_table(self, details: bool = False, totals: bool = False) -> str:
        """Fixed-width text: overall rows, then one block per document (FP/FN with details).

        ``totals`` stops after the overall rows, so that a blind set's errors stay unread.
        """
        lines = [f"overall (micro-averaged over {len(self.documents)} documents)", _TABLE_HEADER]
        lines += [_row(kind, score) for kind, score in self.overall.items()]
        for doc in [] if totals else self.documents:
            note = "" if doc.in_system_output else "  [no system output]"
            lines += ["", f"{doc.file}{note}", _TABLE_HEADER]
            for kind in SCORED_KINDS:
                result = doc.kinds.get(kind)
                if result is None:
                    lines.append(f"{kind:<12} not scored")
                    continue
                lines.append(_row(kind, result.score))
                if details:
                    lines += [f"    FP {item}" for item in result.false_positives]
                    lines += [f"    FN {item}" for item in result.false_negatives]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Matching one document


@dataclass(frozen=True)
class _SystemEntity:
    """Anything a system fact can point at: actor, event or agreement, with its name forms."""

    id: str
    name: str
    type: str | None  # actor type, or None for what the gold does not annotate as an actor
    forms: frozenset[str]
    exact: frozenset[str]  # normalised canonical name, preferred when matching


class _GoldEntities:
    """Gold actors plus names referenced by facts but not annotated as actors.

    Keys: ``g:<index>`` for gold actors, ``n:<normalised name>`` for the other names.
    """

    def __init__(self, doc: GoldDocument) -> None:
        self.actors = doc.actors
        self.display: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self._by_name: dict[str, str] = {}
        self._by_mention: dict[str, str] = {}
        for i, actor in enumerate(doc.actors):
            key = self._add(f"g:{i}", actor.name)
            self._by_name.setdefault(normalize_name(actor.name), key)
        for i, actor in enumerate(doc.actors):
            for mention in actor.mentions:
                self._by_mention.setdefault(normalize_name(mention), f"g:{i}")
        self._by_name.pop("", None)
        self._by_mention.pop("", None)
        # Registered up front so that fallback lookups do not depend on scoring order.
        for agreement in doc.agreements:
            for party in agreement.parties:
                self.ref(party)
        for membership in doc.memberships:
            self.ref(membership.member)
            self.ref(membership.organization)
        for tie in doc.ties:
            self.ref(tie.source)
            self.ref(tie.target)

    def _add(self, key: str, name: str) -> str:
        if key not in self.order:
            self.order[key] = len(self.order)
            self.display[key] = name
        return key

    def ref(self, name: str) -> str:
        """The key of a name used by a gold agreement, membership or tie."""
        norm = normalize_name(name)
        key = self._by_name.get(norm) or self._by_mention.get(norm)
        if key is None:
            key = self._add(f"n:{norm}", name)
            self._by_name[norm] = key
        return key

    def lookup(self, forms: Iterable[str]) -> str | None:
        """Fallback for a system entity no gold actor was matched to: the name rule alone."""
        forms = set(forms)
        for index in (self._by_name, self._by_mention):
            keys = {index[f] for f in forms if f in index}
            if keys:
                return min(keys, key=self.order.__getitem__)
        return None


def _system_entities(facts: DocumentFacts) -> dict[str, _SystemEntity]:
    surfaces: dict[str, list[str]] = {}
    for mention in facts.mentions:
        surfaces.setdefault(mention.target, []).append(mention.surface)

    def forms(*names: Iterable[str | None]) -> frozenset[str]:
        out = {normalize_name(n) for group in names for n in group if n}
        out.discard("")
        return frozenset(out)

    entities: dict[str, _SystemEntity] = {}
    for agreement in facts.agreements:
        entities.setdefault(
            agreement.id,
            _SystemEntity(
                agreement.id,
                agreement.name,
                None,
                forms([agreement.name, agreement.name_fr, agreement.name_en]),
                forms([agreement.name]),
            ),
        )
    for event in facts.events:
        entities[event.id] = _SystemEntity(
            event.id,
            event.name,
            "exercise" if event.kind == "exercise" else None,
            forms([event.name], surfaces.get(event.id, ())),
            forms([event.name]),
        )
    # Actors last so that they win an id clash.
    for actor in facts.actors:
        entities[actor.id] = _SystemEntity(
            actor.id,
            actor.name,
            actor.kind,
            forms([actor.name], actor.aliases, actor.acronyms, surfaces.get(actor.id, ())),
            forms([actor.name]),
        )
    return entities


def _system_actors(facts: DocumentFacts, entities: dict[str, _SystemEntity]) -> list[str]:
    """Ids of what is scored as an actor, in output order, without repeats."""
    ids = [a.id for a in facts.actors] + [e.id for e in facts.events if e.kind == "exercise"]
    return [i for i in dict.fromkeys(ids) if entities[i].type is not None]


def _max_matching(left: list[int], candidates: dict[int, list[str]]) -> dict[int, str]:
    """Maximum bipartite matching (augmenting paths), deterministic.

    A left vertex once matched stays matched, so the order of ``left`` is a priority order.
    """
    owner: dict[str, int] = {}

    def assign(u: int, seen: set[str]) -> bool:
        for v in candidates[u]:
            if v in seen:
                continue
            seen.add(v)
            if v not in owner or assign(owner[v], seen):
                owner[v] = u
                return True
        return False

    for u in left:
        assign(u, set())
    return {u: v for v, u in owner.items()}


def _priority(items: Iterable[Any]) -> list[int]:
    """Indices with required gold items first, so that optional ones never take their match."""
    flags = [item.is_optional for item in items]
    return sorted(range(len(flags)), key=lambda i: (flags[i], i))


def _actor_desc(name: str, kind: str | None) -> str:
    return f"{name} ({kind})" if kind else name


@dataclass
class _DocumentMatcher:
    gold: GoldDocument
    facts: DocumentFacts
    entities: dict[str, _SystemEntity] = field(init=False)
    gold_entities: _GoldEntities = field(init=False)
    system_actor_ids: list[str] = field(init=False)
    actor_match: dict[str, int] = field(init=False)  # system id -> gold actor index

    def __post_init__(self) -> None:
        self.entities = _system_entities(self.facts)
        self.gold_entities = _GoldEntities(self.gold)
        self.system_actor_ids = _system_actors(self.facts, self.entities)
        self.actor_match = self._match_actors()

    def _match_actors(self) -> dict[str, int]:
        candidates: dict[int, list[str]] = {}
        for g, actor in enumerate(self.gold.actors):
            gold_forms = {normalize_name(n) for n in (actor.name, *actor.mentions)} - {""}
            gold_name = normalize_name(actor.name)
            found = [
                (gold_name not in self.entities[s].exact, rank, s)
                for rank, s in enumerate(self.system_actor_ids)
                if self.entities[s].forms & gold_forms
                and types_compatible(actor.type, self.entities[s].type or "")
            ]
            candidates[g] = [s for _, _, s in sorted(found)]
        matching = _max_matching(_priority(self.gold.actors), candidates)
        return {s: g for g, s in matching.items()}

    def resolve(self, system_id: str) -> str:
        """The gold entity a system id stands for, else a system-only key."""
        if system_id in self.actor_match:
            return f"g:{self.actor_match[system_id]}"
        entity = self.entities.get(system_id)
        if entity is not None:
            key = self.gold_entities.lookup(entity.forms)
            if key is not None:
                return key
        return f"s:{system_id}"

    def name_of(self, system_id: str) -> str:
        entity = self.entities.get(system_id)
        return entity.name if entity else system_id

    # ---------------------------------------------------------------- kinds

    def actors(self) -> KindResult:
        matched_gold = set(self.actor_match.values())
        result = KindResult(Score())
        tp = fp = fn = 0
        for s in self.system_actor_ids:
            if s not in self.actor_match:
                fp += 1
                result.false_positives.append(_actor_desc(self.name_of(s), self.entities[s].type))
        for g, actor in enumerate(self.gold.actors):
            if actor.is_optional:
                continue
            if g in matched_gold:
                tp += 1
            else:
                fn += 1
                result.false_negatives.append(_actor_desc(actor.name, actor.type))
        result.score = Score(tp, fp, fn)
        return result

    def agreements(self) -> KindResult:
        gold = self.gold.agreements
        system = self.facts.agreements
        gold_parties = [{self.gold_entities.ref(p) for p in a.parties} for a in gold]
        system_parties = [{self.resolve(p) for p in a.parties} for a in system]
        pairs: list[tuple[float, int, int, int, int]] = []
        for g, ga in enumerate(gold):
            gold_names = [n for n in (ga.name, ga.name_en) if n]
            for s, sa in enumerate(system):
                shared = gold_parties[g] & system_parties[s]
                # Parties the text does not state cannot be asked to match.
                if (gold_parties[g] and not shared) or not dates_agree(
                    ga.date, sa.signed or sa.in_force
                ):
                    continue
                system_names = list(
                    dict.fromkeys(n for n in (sa.name, sa.name_fr, sa.name_en) if n)
                )
                scores = [
                    score
                    for gn in gold_names
                    for sn in system_names
                    if (score := agreement_name_score(gn, sn)) is not None
                ]
                if scores:
                    pairs.append((-max(scores), -len(shared), int(ga.is_optional), g, s))
        pairs.sort()
        gold_used: dict[int, int] = {}
        system_used: set[int] = set()
        for _, _, _, g, s in pairs:
            if g not in gold_used and s not in system_used:
                gold_used[g] = s
                system_used.add(s)
        result = KindResult(Score())
        for s, sa in enumerate(system):
            if s not in system_used:
                result.false_positives.append(
                    self._agreement_desc(sa.name, sa.signed or sa.in_force, sa.parties, True)
                )
        tp = 0
        for g, ga in enumerate(gold):
            if ga.is_optional:
                continue
            if g in gold_used:
                tp += 1
            else:
                result.false_negatives.append(
                    self._agreement_desc(ga.name, ga.date, ga.parties, False)
                )
        result.score = Score(tp, len(result.false_positives), len(result.false_negatives))
        return result

    def _agreement_desc(
        self, name: str, date: str | None, parties: Iterable[str], system: bool
    ) -> str:
        names = [self.name_of(p) if system else p for p in parties]
        return f"{name} [{date or '-'}] ({', '.join(names)})"

    def _pairs(
        self,
        gold_keys: list[tuple[str, ...]],
        gold_items: Iterable[Any],
        system_keys: list[tuple[str, ...]],
        system_labels: list[str],
        gold_labels: list[str],
    ) -> KindResult:
        """Exact matching on keys; duplicate system facts (same key) count once."""
        unique: dict[tuple[str, ...], str] = {}
        for key, label in zip(system_keys, system_labels, strict=True):
            unique.setdefault(key, label)
        gold_items = list(gold_items)
        used: set[tuple[str, ...]] = set()
        matched: set[int] = set()
        for g in _priority(gold_items):
            key = gold_keys[g]
            if key in unique and key not in used:
                used.add(key)
                matched.add(g)
        result = KindResult(Score())
        result.false_positives = [label for key, label in unique.items() if key not in used]
        result.false_negatives = [
            gold_labels[g]
            for g, item in enumerate(gold_items)
            if not item.is_optional and g not in matched
        ]
        tp = sum(1 for g in matched if not gold_items[g].is_optional)
        result.score = Score(tp, len(result.false_positives), len(result.false_negatives))
        return result

    def memberships(self) -> KindResult:
        ref = self.gold_entities.ref
        gold = self.gold.memberships
        # Only what the text asserts is scored: planned and reported facts are not gold facts,
        # and a membership the text says ended ("left") says the state is not a member.
        system = [m for m in self.facts.memberships if m.status not in (*FACT_STATUSES, ENDED)]
        return self._pairs(
            [(ref(m.member), ref(m.organization)) for m in gold],
            gold,
            [(self.resolve(m.member), self.resolve(m.organization)) for m in system],
            [f"{self.name_of(m.member)} -> {self.name_of(m.organization)}" for m in system],
            [f"{m.member} -> {m.organization}" for m in gold],
        )

    def ties(self) -> KindResult:
        ref = self.gold_entities.ref
        gold = self.gold.ties
        system = [
            t
            for t in self.facts.ties
            if t.type in SCORED_TIE_TYPES and t.status not in FACT_STATUSES
        ]
        return self._pairs(
            [_tie_key(t.type, ref(t.source), ref(t.target)) for t in gold],
            gold,
            [_tie_key(t.type, self.resolve(t.source), self.resolve(t.target)) for t in system],
            [f"{t.type} {self.name_of(t.source)} -> {self.name_of(t.target)}" for t in system],
            [f"{t.type} {t.source} -> {t.target}" for t in gold],
        )


def _tie_key(kind: str, source: str, target: str) -> tuple[str, ...]:
    if kind in SYMMETRIC_TIE_TYPES:
        source, target = sorted((source, target))
    return (kind, source, target)


def _missing_document(doc: GoldDocument) -> dict[str, KindResult]:
    """A gold document the system did not output: every required gold item is missed."""
    labels: dict[str, list[str]] = {
        "actors": [_actor_desc(a.name, a.type) for a in doc.actors if not a.is_optional],
        "agreements": [
            f"{a.name} [{a.date or '-'}] ({', '.join(a.parties)})"
            for a in doc.agreements
            if not a.is_optional
        ],
        "memberships": [
            f"{m.member} -> {m.organization}" for m in doc.memberships if not m.is_optional
        ],
        "ties": [f"{t.type} {t.source} -> {t.target}" for t in doc.ties if not t.is_optional],
    }
    return {kind: KindResult(Score(fn=len(labels[kind])), [], labels[kind]) for kind in doc.scored}


def score_document(gold: GoldDocument, facts: DocumentFacts | None) -> DocumentResult:
    """Score one document; ``facts`` None means the system produced nothing for it."""
    if facts is None:
        return DocumentResult(gold.file, False, _missing_document(gold))
    matcher = _DocumentMatcher(gold, facts)
    kinds = {kind: getattr(matcher, kind)() for kind in gold.scored}
    return DocumentResult(gold.file, True, kinds)


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def evaluate_corpus(
    gold: Gold, corpus: str | Path, corrections: Corrections | None = None
) -> tuple[Report, list[DocumentError]]:
    """Extract every document of ``corpus`` and score the facts against ``gold``, with the
    analysts' ``corrections`` applied when given (``report.stale``: those that found nothing).

    Returns the report and the documents that could not be read (skipped, as a reload does).
    """
    from loaders.corrections import apply_corrections
    from loaders.documents import read_corpus
    from loaders.extract import extract_document

    texts, errors = read_corpus(Path(corpus))
    facts = [extract_document(text) for text in texts]
    facts, stale = apply_corrections(
        facts, corrections, {text.document.id: text.text for text in texts}
    )
    report = evaluate(gold, facts)
    report.stale = stale
    return report, errors


def evaluate(gold: Gold, facts: Iterable[DocumentFacts]) -> Report:
    """Score system facts against the gold.

    A gold ``file`` is looked up as the document's ``source`` (path inside the corpus), then by
    base name; the first system document wins a clash. System documents absent from the gold
    are ignored.
    """
    by_source: dict[str, DocumentFacts] = {}
    by_name: dict[str, DocumentFacts] = {}
    for doc_facts in facts:
        source = doc_facts.document.source.replace("\\", "/")
        by_source.setdefault(source, doc_facts)
        by_name.setdefault(_basename(source), doc_facts)
    results = []
    for doc in gold.documents:
        file = doc.file.replace("\\", "/")
        found = by_source.get(file) or by_name.get(_basename(file))
        results.append(score_document(doc, found))
    return Report(results)
