"""Reference data about states and international organisations, and a fast matcher over it.

The gazetteer is built from general reference data only: every ISO 3166-1 entry from pycountry
(English names, French and Russian names from pycountry's gettext catalogues) completed by
``data/states_extra.yaml`` (everyday names, capitals, demonyms, historical states), the
organisations and their bodies of ``data/organizations.yaml``, and the false-positive blockers
of ``data/blockers.yaml``. Each file is validated when loaded (pydantic models below, then
cross-file checks), and a broken file fails with its name, the entry and the field.

Two ways in:

- :meth:`Gazetteer.lookup` resolves one surface form (``"l'OTAN"`` -> NATO);
- :meth:`Gazetteer.find` scans a text and returns every match, leftmost-longest, on word
  boundaries. It tokenises the text once and walks a token trie, so its cost grows with the
  text, not with the number of names (about 0.3 s per MB; see ``bench/``).

>>> gaz = load_gazetteer()
>>> gaz.lookup("l’OTAN").id
'nato'
>>> [(m.surface, m.entry_id, m.form) for m in gaz.find("Le partenariat kazakho-russe")]
[('kazakho', 'KZ', 'prefix'), ('russe', 'RU', 'adjective')]
"""

from __future__ import annotations

import functools
import gettext
import importlib.metadata
import importlib.resources
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal

import pycountry
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from loaders.errors import TiesError

DATASET = "ties-gazetteer"
KINDS = ("state", "organization", "body", "programme", "company")
FORMS = ("name", "acronym", "capital", "adjective", "prefix")

STATES_FILE = "states_extra.yaml"
ORGANIZATIONS_FILE = "organizations.yaml"
BLOCKERS_FILE = "blockers.yaml"


class GazetteerDataError(TiesError):
    """A gazetteer data file is malformed or inconsistent (the message names file, entry, field)."""


# --------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Entry:
    """One actor the gazetteer knows: a state (ISO alpha-2 id) or an organisation (slug id)."""

    id: str
    name: str
    kind: str
    iso2: str | None
    names: tuple[str, ...]
    acronyms: tuple[str, ...]
    capitals: tuple[str, ...]
    adjectives: tuple[str, ...]
    prefixes: tuple[str, ...]
    part_of: str | None
    founded: int | None
    members: tuple[tuple[str, int | None], ...]
    founding_members: tuple[str, ...]
    historical: bool
    # Beyond the extractor's contract; defaults keep the positional order above stable.
    observers: tuple[tuple[str, int | None], ...] = ()
    ambiguous: tuple[str, ...] = ()
    sovereign: bool = False

    def identity(self) -> dict[str, Any]:
        """The fields an actor takes from its gazetteer entry, with the dataset it comes from."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "iso2": self.iso2,
            "acronyms": tuple(sorted(self.acronyms)),
            "dataset": dataset_for(self.id),
        }


@dataclass(frozen=True)
class GazMatch:
    """One match of :meth:`Gazetteer.find`: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    entry_id: str
    form: str
    ambiguous: bool = False


# --------------------------------------------------------------------------------------------
# Normalisation

_APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u02b9\u00b4\u2032`"
_HYPHENS = "\u2010\u2011\u2012\u2013\u2212"
_PUNCT_TABLE = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_HYPHENS, "-")})
# Elided articles and prepositions ("l'OTAN", "d'Ukraine") and full articles, at the start only.
_LEADING_ARTICLE = re.compile(r"^(?:(?:l|d|qu)'\s*|(?:le|la|les|the)\s+)", re.IGNORECASE)


def _strip_accents(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalize(s: str) -> str:
    """Fold a surface form to a lookup key.

    Accents stripped (NFKD), casefolded, curly apostrophes and dash variants unified, one
    leading article dropped, whitespace collapsed.

    >>> normalize("  l’Organisation du   Traité ")
    'organisation du traite'
    >>> normalize("Türkiye"), normalize("THE Hague"), normalize("d'Ukraine")
    ('turkiye', 'hague', 'ukraine')
    """
    s = _strip_accents(s).translate(_PUNCT_TABLE).casefold()
    s = " ".join(s.split())
    return _LEADING_ARTICLE.sub("", s, count=1)


def _lookup_key(s: str) -> str:
    # Hyphen and space are interchangeable in names ("Guinée Bissau", "Guinée-Bissau").
    return normalize(s).replace("-", " ")


def _fold_char(c: str) -> str:
    """One character, accents stripped and punctuation unified; never changes the length."""
    if c in _APOSTROPHES:
        return "'"
    if c in _HYPHENS:
        return "-"
    base = _strip_accents(c)
    return base if len(base) == 1 else c


# Only the characters that change, grown lazily with the characters texts bring. A regex
# substitution over just those is several times faster than str.translate on a large text.
_FOLD_TABLE: dict[str, str] = {}
_FOLD_SEEN: set[str] = set()
_FOLD_PATTERN: re.Pattern[str] | None = None


def _fold_cased(text: str) -> str:
    """Accent-free, punctuation-unified copy of ``text`` with the same length and offsets."""
    global _FOLD_PATTERN
    if text.isascii():
        return text.replace("`", "'") if "`" in text else text
    new = set(text) - _FOLD_SEEN
    if new or _FOLD_PATTERN is None:
        for c in new:
            folded = _fold_char(c)
            if folded != c:
                _FOLD_TABLE[c] = folded
        _FOLD_SEEN.update(new)
        chars = "".join(sorted(_FOLD_TABLE)) or "`"
        _FOLD_PATTERN = re.compile(f"[{re.escape(chars)}]")
    table = _FOLD_TABLE
    return _FOLD_PATTERN.sub(lambda m: table[m.group()], text)


def _lower_same_length(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    # A few characters grow when lowercased (U+0130); keep offsets aligned with the text.
    return "".join(lc if len(lc := c.lower()) == 1 else c for c in s)


_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    "a à au aux d de des du en et l la le les of the and for pour on in sur par to".split()
)


def _norm_sep(sep: str) -> str:
    """Separator between two tokens, as compared: whitespace dropped, hyphen equal to space."""
    s = "".join(sep.split())
    return " " if s in ("", "-") else s


# --------------------------------------------------------------------------------------------
# Inflection of demonyms


def french_forms(base: str) -> list[str]:
    """Masculine/feminine, singular/plural of a French demonym given in the masculine singular.

    Irregular ones are given in full with slashes.

    >>> french_forms("kazakh")
    ['kazakh', 'kazakhe', 'kazakhs', 'kazakhes']
    >>> french_forms("sud-coréen")
    ['sud-coréen', 'sud-coréenne', 'sud-coréens', 'sud-coréennes']
    >>> french_forms("russe"), french_forms("turc/turque/turcs/turques")[1]
    (['russe', 'russes'], 'turque')
    """
    if "/" in base:
        return [f.strip() for f in base.split("/") if f.strip()]
    head, _, last = base.rpartition("-")
    prefix = f"{head}-" if head else ""
    if last.endswith("e"):
        suffixes = ["", "s"]
    elif last.endswith(("s", "x", "z")):
        suffixes = ["", "e", "es"]
    elif last.endswith(("en", "on")):
        suffixes = ["", "ne", "s", "nes"]
    else:
        suffixes = ["", "e", "s", "es"]
    return [prefix + last + suffix for suffix in suffixes]


def english_forms(base: str) -> list[str]:
    """An English demonym and its plural noun ("Russian", "Russians"; "Chinese" has none).

    >>> english_forms("Kazakh"), english_forms("Swiss"), english_forms("Czech/Czechs")
    (['Kazakh', 'Kazakhs'], ['Swiss'], ['Czech', 'Czechs'])
    """
    if "/" in base:
        return [f.strip() for f in base.split("/") if f.strip()]
    if base.endswith(("ese", "sh", "ss", "ch", "s", "z", "x", "ic")):
        return [base]
    return [base, base + "s"]


# --------------------------------------------------------------------------------------------
# Schema of the data files

Text = Annotated[str, StringConstraints(min_length=1, pattern=r"^\S(?:.*\S)?$")]
Iso2 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:[-+][a-z0-9]+)*$")]
# "FR" or "FI 2023"; an organisation slug is allowed where an organisation is a member (G20).
MemberRef = Annotated[str, StringConstraints(pattern=r"^(?:[A-Z]{2}|[a-z][a-z0-9-]*)(?: \d{4})?$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class StateSpec(_Model):
    """One state's additions in states_extra.yaml."""

    name: Text | None = None
    en: list[Text] = []
    fr: list[Text] = []
    ru: list[Text] = []
    acronyms: list[Text] = []
    capitals: list[Text] = []
    metonyms: list[Text] = []
    adj_en: list[Text] = []
    adj_fr: list[Text] = []
    prefixes: list[Text] = []
    ambiguous: list[Text] = []
    drop: list[Text] = []


class NamedStateSpec(StateSpec):
    """A state pycountry does not have (historical, or no ISO 3166-1 code): name required."""

    name: Text


class StatesFile(_Model):
    territories: list[Iso2]
    extra_states: dict[Iso2, NamedStateSpec] = {}
    historical: dict[Iso2, NamedStateSpec] = {}
    states: dict[Iso2, StateSpec]


class Acronyms(_Model):
    en: list[Text] = []
    fr: list[Text] = []
    ru: list[Text] = []


class OrganizationSpec(_Model):
    """One entry of organizations.yaml."""

    id: Slug
    name: Text
    kind: Literal["organization", "body", "programme", "company"]
    en: list[Text] = []
    fr: list[Text] = []
    ru: list[Text] = []
    acronyms: Acronyms = Acronyms()
    adj_en: list[Text] = []
    adj_fr: list[Text] = []
    part_of: Slug | None = None
    founded: Annotated[int, Field(ge=1800, le=2100)] | None = None
    founding_members: list[MemberRef] = []
    members: list[MemberRef] = []
    observers: list[MemberRef] = []
    ambiguous: list[Text] = []
    historical: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> OrganizationSpec:
        if self.kind in ("organization", "company") and self.part_of:
            raise ValueError(f"an {self.kind} has no part_of (make it a body or programme)")
        if self.kind in ("body", "programme") and not self.part_of:
            raise ValueError(f"a {self.kind} needs part_of")
        if self.kind == "company" and (self.members or self.founding_members or self.observers):
            raise ValueError("a company has no members")
        if not (
            self.en
            or self.fr
            or self.ru
            or self.acronyms.en
            or self.acronyms.fr
            or self.acronyms.ru
        ):
            raise ValueError("needs at least one name or acronym")
        return self


class OrganizationsFile(_Model):
    organizations: list[OrganizationSpec]


class BlockersFile(_Model):
    phrases: list[Text] = []
    adj_en: list[Text] = []
    adj_fr: list[Text] = []


_SCHEMAS: dict[str, type[_Model]] = {
    STATES_FILE: StatesFile,
    ORGANIZATIONS_FILE: OrganizationsFile,
    BLOCKERS_FILE: BlockersFile,
}


class _YamlLoader(yaml.SafeLoader):
    """YAML 1.1 reads yes/no/on/off as booleans; "NO" is Norway. Only true/false are booleans."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


# The same loader on libyaml's parser when PyYAML has it (several times faster on the
# gazetteer's files; the constructor and resolvers, hence the values, are the same).
_FastYamlLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):

    class _FastYamlLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        yaml_implicit_resolvers = _YamlLoader.yaml_implicit_resolvers


def _load_yaml(text: str) -> Any:
    if _FastYamlLoader is not None:
        try:
            return yaml.load(text, Loader=_FastYamlLoader)
        except yaml.YAMLError:
            pass  # read again below, for the pure-Python parser's message
    return yaml.load(text, Loader=_YamlLoader)


def _entry_label(raw: Any, loc: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    """Name the entry an error location points into, and the field path inside it."""
    if len(loc) >= 2 and isinstance(raw, Mapping):
        container = raw.get(loc[0])
        if isinstance(container, list) and isinstance(loc[1], int) and loc[1] < len(container):
            item = container[loc[1]]
            ident = item.get("id") if isinstance(item, Mapping) else None
            return (f"{loc[0]}[{loc[1]}] ({ident})" if ident else f"{loc[0]}[{loc[1]}]"), loc[2:]
        if isinstance(container, Mapping):
            return f"{loc[0]}.{loc[1]}", loc[2:]
    if loc:
        return str(loc[0]), loc[1:]
    return "(file)", ()


def _parse(text: str, filename: str, schema: type[_Model]) -> Any:
    try:
        raw = _load_yaml(text)  # SafeLoader subclasses: no arbitrary objects
    except yaml.YAMLError as exc:
        raise GazetteerDataError(f"{filename}: not valid YAML: {exc}") from exc
    if not isinstance(raw, Mapping):
        raise GazetteerDataError(f"{filename}: expected a mapping at the top level")
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            entry, field_path = _entry_label(raw, tuple(err["loc"]))
            where = ".".join(str(p) for p in field_path) or "(entry)"
            lines.append(f"{filename}: entry {entry}: field {where}: {err['msg']}")
        raise GazetteerDataError("\n".join(lines)) from None


def validate_file(path: Path | str, kind: str | None = None) -> Any:
    """Parse and schema-check one data file; ``kind`` is its file name when the name differs.

    Returns the validated model (:class:`StatesFile`, :class:`OrganizationsFile` or
    :class:`BlockersFile`); raises :class:`GazetteerDataError` naming file, entry and field.
    Cross-file checks (ids that resolve, surfaces that collide) happen in :func:`build_gazetteer`.
    """
    path = Path(path)
    schema = _SCHEMAS.get(kind or path.name)
    if schema is None:
        raise GazetteerDataError(f"{path.name}: unknown gazetteer file (kind: {sorted(_SCHEMAS)})")
    parsed = _parse(path.read_text(encoding="utf-8"), path.name, schema)
    if isinstance(parsed, OrganizationsFile):
        _check_unique_ids(parsed, path.name)
    return parsed


def _check_unique_ids(orgs: OrganizationsFile, filename: str) -> None:
    seen: set[str] = set()
    for i, org in enumerate(orgs.organizations):
        if org.id in seen:
            raise GazetteerDataError(
                f"{filename}: entry organizations[{i}] ({org.id}): field id: duplicate id"
            )
        seen.add(org.id)


# --------------------------------------------------------------------------------------------
# States from pycountry

# First words of the part after the comma in pycountry's inverted names ("Korea, Republic of").
_DESIGNATORS = frozenset(
    "republic république state état états the federated plurinational bolivarian islamic "
    "united îles île islands british u.s. province fédération democratic".split()
)


def _clean_generated(name: str) -> str:
    """Turn a pycountry/gettext name into the form a text would use."""
    name = re.sub(r"\s*\([^)]*\)", "", name).strip()
    if name.count(", ") == 1:
        head, tail = name.split(", ")
        if tail.split()[0].casefold() in _DESIGNATORS:
            name = f"{tail}{head}" if tail.endswith(("'", "’")) else f"{tail} {head}"
    name = re.sub(r"^(?:the|The|L'|L’|l'|l’)\s*", "", name)
    return name[:1].upper() + name[1:]


@functools.cache
def _translations(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def _pycountry_names(country: Any) -> list[str]:
    raw = [country.name]
    raw += [
        getattr(country, attr)
        for attr in ("official_name", "common_name")
        if getattr(country, attr, None)
    ]
    names = list(raw)
    for lang in ("fr", "ru"):
        names += [_translations(lang).gettext(n) for n in raw]
    return [_clean_generated(n) for n in names]


@functools.cache  # read once: a metadata lookup per fact was a fifth of extraction
def pycountry_version() -> str:
    try:
        return importlib.metadata.version("pycountry")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored copies
        return "unknown"


def _canonical_name(country: Any, spec: StateSpec) -> str:
    if spec.name:
        return spec.name
    if getattr(country, "common_name", None):
        return country.common_name
    if ", " not in country.name:
        return re.sub(r"\s*\([^)]*\)", "", country.name)
    return _clean_generated(getattr(country, "official_name", None) or country.name)


# --------------------------------------------------------------------------------------------
# The matcher


@dataclass(frozen=True, slots=True)
class _Payload:
    entry_id: str
    form: str  # one of FORMS, or "block"
    rule: str  # "exact" | "name" | "adj_fr" | "adj_en" | "block"
    ambiguous: bool
    tokens: tuple[str, ...]  # the surface's tokens, accents folded, case kept
    case_free: bool  # long names match in any case
    cap_index: int  # token that must be capitalised in the text (-1: none)


SurfaceKey = tuple[tuple[str, ...], str]  # (separators between tokens, trailing punctuation)


class _Node:
    __slots__ = ("by_key", "children", "surfaces")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        # Surfaces that end at this node, filled while building.
        self.by_key: dict[SurfaceKey, list[_Payload]] = {}
        # The same, frozen for matching: longest trailing punctuation first ("OPEC+", "OPEC").
        self.surfaces: list[tuple[tuple[str, ...], str, list[_Payload]]] = []

    def freeze(self) -> None:
        items = sorted(self.by_key.items(), key=lambda kv: -len(kv[0][1]))
        self.surfaces = [(seps, trail, payloads) for (seps, trail), payloads in items]
        for child in self.children.values():
            child.freeze()


_FORM_PRIORITY = {"acronym": 0, "name": 1, "capital": 2, "adjective": 3, "prefix": 4}


def _split_surface(surface: str) -> tuple[list[str], tuple[str, ...], str, str]:
    """Tokens (folded, case kept), separators, trailing punctuation, leading punctuation."""
    folded = _fold_cased(surface)
    spans = [m.span() for m in _WORD.finditer(folded)]
    if not spans:
        return [], (), "", folded
    tokens = [folded[s:e] for s, e in spans]
    seps = tuple(_norm_sep(folded[spans[k][1] : spans[k + 1][0]]) for k in range(len(spans) - 1))
    trail = "".join(folded[spans[-1][1] :].split())
    lead = folded[: spans[0][0]].strip()
    return tokens, seps, trail, lead


def _case_ok(p: _Payload, toks: list[str]) -> bool:
    rule = p.rule
    if rule == "exact":
        return tuple(toks) == p.tokens
    if rule == "name":
        return p.case_free or p.cap_index < 0 or toks[p.cap_index][:1].isupper()
    if rule == "adj_fr":
        return all(t.islower() or t.istitle() for t in toks)
    if rule == "adj_en":
        return all(t.istitle() for t in toks)
    return True  # block


@dataclass(frozen=True, slots=True)
class _Hit:
    last: int  # index of the last token covered
    end: int  # character end (trailing punctuation included)
    payload: _Payload | None  # None: a blocker consumed the span
    ambiguous: bool


class Gazetteer:
    """States, organisations and bodies, with lookup and a leftmost-longest text matcher."""

    def __init__(
        self,
        entries: Iterable[Entry],
        surfaces: Iterable[tuple[str, _Payload]],
        prefixes: Mapping[str, str],
    ) -> None:
        self._entries = {e.id: e for e in entries}
        self._root = _Node()
        self._lookup: dict[str, list[tuple[str, str, bool]]] = {}
        for surface, payload in surfaces:
            self._add(surface, payload)
        self._root.freeze()
        # Folded lowercase prefix -> entry id.
        self._prefixes = dict(prefixes)
        for prefix, entry_id in self._prefixes.items():
            self._lookup.setdefault(prefix, []).append((entry_id, "prefix", False))
        # Tokens at which a match can start: the scan skips every other token at C speed.
        self._starters = frozenset(self._root.children) | frozenset(self._prefixes)

    def _add(self, surface: str, payload: _Payload) -> None:
        tokens, seps, trail, _ = _split_surface(surface)
        node = self._root
        for token in tokens:
            node = node.children.setdefault(token.lower(), _Node())
        bucket = node.by_key.setdefault((seps, trail), [])
        if payload not in bucket:
            bucket.append(payload)
        if payload.form != "block":
            self._lookup.setdefault(_lookup_key(surface), []).append(
                (payload.entry_id, payload.form, payload.ambiguous)
            )

    # -- queries --------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry:
        """The entry with this id; KeyError if there is none."""
        return self._entries[entry_id]

    def entries(self) -> list[Entry]:
        """Every entry, sorted by id."""
        return [self._entries[k] for k in sorted(self._entries)]

    def lookup(self, surface: str) -> Entry | None:
        """The entry a name, acronym, capital, adjective or prefix denotes, or None.

        Case, accents, apostrophe style and a leading article do not matter. A surface claimed by
        several entries resolves only when exactly one of them uses it unambiguously, or, failing
        that, when exactly one has it as an acronym of the same case ("GUAM" vs "Guam").

        >>> gaz = load_gazetteer()
        >>> gaz.lookup("la Fédération de Russie").id, gaz.lookup("Moscou").id
        ('RU', 'RU')
        >>> gaz.lookup("Congo") is None  # the Republic or the DR: cannot tell
        True
        >>> gaz.lookup("GUAM").id, gaz.lookup("Guam").id
        ('guam', 'GU')
        """
        candidates = self._lookup.get(_lookup_key(surface))
        if not candidates and (", " in surface or "(" in surface):
            # ISO-style names from other datasets ("Korea, Republic of", "Holy See (Vatican...)").
            candidates = self._lookup.get(_lookup_key(_clean_generated(surface)))
        if not candidates:
            return None
        clear = {c[0] for c in candidates if not c[2]}
        pool = clear or {c[0] for c in candidates}
        if len(pool) == 1:
            return self._entries[next(iter(pool))]
        # Same key, different actors: an exact-case acronym wins, else the one non-acronym.
        bare = _LEADING_ARTICLE.sub("", " ".join(surface.translate(_PUNCT_TABLE).split()))
        exact = {e for e in pool if bare in self._entries[e].acronyms}
        if len(exact) == 1:
            return self._entries[exact.pop()]
        named = {c[0] for c in candidates if c[0] in pool and c[1] != "acronym"}
        if len(named) == 1:
            return self._entries[named.pop()]
        return None

    def find(self, text: str, include_ambiguous: bool = False) -> list[GazMatch]:
        """Every gazetteer mention in ``text``: non-overlapping, leftmost-longest, by start.

        Names match in any case as long as their first capitalised word is capitalised in the
        text (names of three content words or more match in any case); acronyms match their
        exact case; French adjectives match lowercase or capitalised, English ones capitalised.
        Accents and apostrophe styles do not matter, and elisions are split off ("l'OTAN").
        A prefix ("sino", "kazakho") matches only inside a hyphenated compound that ends in
        another match ("sino-russe"). Surfaces marked ambiguous in the data, and surfaces two
        entries share, are skipped unless ``include_ambiguous`` (shared ones always are).

        >>> [(m.surface, m.entry_id) for m in load_gazetteer().find("l’OTSC et Moscou")]
        [('OTSC', 'csto'), ('Moscou', 'RU')]
        """
        cased = _fold_cased(text)
        low = _lower_same_length(cased)
        # Both built in C: no Python-level work per token until a token starts a surface.
        toks: list[str] = _WORD.findall(low)
        spans: list[re.Match[str]] = list(_WORD.finditer(low))
        starters = self._starters
        prefixes = self._prefixes
        out: list[GazMatch] = []
        n = len(toks)
        i = 0
        while i < n:
            if toks[i] not in starters:
                i += 1
                continue
            hit = self._match_at(i, cased, low, spans, toks, include_ambiguous)
            if hit is not None:
                if hit.payload is not None:
                    start = spans[i].start()
                    out.append(
                        GazMatch(
                            start,
                            hit.end,
                            text[start : hit.end],
                            hit.payload.entry_id,
                            hit.payload.form,
                            hit.ambiguous,
                        )
                    )
                i = hit.last + 1
                continue
            chain = self._prefix_chain(i, cased, low, spans, toks)
            if chain:
                for k in chain:
                    s, e = spans[k].span()
                    out.append(GazMatch(s, e, text[s:e], prefixes[toks[k]], "prefix"))
                i = chain[-1] + 1
                continue
            i += 1
        return out

    # -- matching internals ---------------------------------------------------------------

    def _match_at(
        self,
        i: int,
        cased: str,
        low: str,
        spans: list[re.Match[str]],
        toks: list[str],
        include_ambiguous: bool,
    ) -> _Hit | None:
        """The longest acceptable surface starting at token ``i``."""
        node = self._root
        ends_here: list[tuple[int, list[tuple[tuple[str, ...], str, list[_Payload]]]]] = []
        j = i
        n = len(toks)
        while j < n:
            child = node.children.get(toks[j])
            if child is None:
                break
            node = child
            if node.surfaces:
                ends_here.append((j, node.surfaces))
            j += 1
        for j, surfaces in reversed(ends_here):
            seps = tuple(_norm_sep(low[spans[k].end() : spans[k + 1].start()]) for k in range(i, j))
            text_toks: list[str] | None = None
            for surface_seps, trail, payloads in surfaces:
                if surface_seps != seps:
                    continue
                end = spans[j].end()
                if trail:
                    if not low.startswith(trail, end):
                        continue
                    end += len(trail)
                if text_toks is None:
                    text_toks = [cased[spans[k].start() : spans[k].end()] for k in range(i, j + 1)]
                hit = self._decide(payloads, text_toks, j, end, include_ambiguous)
                if hit is not None:
                    return hit
        return None

    @staticmethod
    def _decide(
        payloads: list[_Payload], toks: list[str], last: int, end: int, include_ambiguous: bool
    ) -> _Hit | None:
        passing = [p for p in payloads if _case_ok(p, toks)]
        if not passing:
            return None
        if any(p.form == "block" for p in passing):
            return _Hit(last, end, None, False)
        if len({p.entry_id for p in passing}) > 1:
            # An exact-case acronym beats a name ("GUAM" the organisation, not Guam).
            exact = [p for p in passing if p.rule == "exact"]
            if len({p.entry_id for p in exact}) != 1:
                return None
            passing = exact
        clear = [p for p in passing if not p.ambiguous]
        if not clear and not include_ambiguous:
            return None
        best = min(clear or passing, key=lambda p: _FORM_PRIORITY[p.form])
        return _Hit(last, end, best, not clear)

    def _prefix_chain(
        self, i: int, cased: str, low: str, spans: list[re.Match[str]], toks: list[str]
    ) -> list[int]:
        """Token indexes of the prefixes of a compound starting at ``i`` ("sino-russo-...")."""
        chain: list[int] = []
        k = i
        n = len(toks)
        while k + 1 < n and toks[k] in self._prefixes:
            word = cased[spans[k].start() : spans[k].end()]
            if (
                not (word.islower() or word.istitle())
                or low[spans[k].end() : spans[k + 1].start()] != "-"
            ):
                return []
            chain.append(k)
            k += 1
            # The compound must end in a real match (any case rule, ambiguous or not).
            hit = self._match_at(k, cased, low, spans, toks, include_ambiguous=True)
            if hit is not None and hit.payload is not None:
                return chain
        return []


# --------------------------------------------------------------------------------------------
# Building


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)


def _member_list(
    refs: list[str], founded: int | None, founders: list[str]
) -> tuple[tuple[str, int | None], ...]:
    out: list[tuple[str, int | None]] = []
    for ref in refs:
        ident, _, year = ref.partition(" ")
        since = int(year) if year else (founded if ident in founders else None)
        out.append((ident, since))
    return tuple(sorted(out, key=lambda m: m[0]))


class _Builder:
    """Collects entries and surfaces, and checks everything that spans entries or files."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.surfaces: list[tuple[str, _Payload]] = []
        self.prefixes: dict[str, str] = {}
        self.errors: list[str] = []

    def add_entry(self, entry: Entry, forms: list[Form], where: str, ambiguous: list[str]) -> None:
        """Register an entry and its surfaces; ``ambiguous`` ones are flagged for find()."""
        if entry.id in self.entries:
            self.errors.append(f"{where}: field id: duplicate id {entry.id}")
            return
        known = {_lookup_key(k) for f in forms for k in (f.surface, f.base)}
        for a in ambiguous:
            if _lookup_key(a) not in known:
                self.errors.append(f"{where}: field ambiguous: {a!r} is none of the entry's forms")
        amb = {_lookup_key(a) for a in ambiguous}
        self.entries[entry.id] = entry
        for f in forms:
            payload = self._payload(f.surface, entry.id, f.form, f.rule, f.is_ambiguous(amb), where)
            if payload is not None:
                self.surfaces.append((f.surface, payload))

    def _payload(
        self, surface: str, entry_id: str, form: str, rule: str, ambiguous: bool, where: str
    ) -> _Payload | None:
        tokens, _, _, lead = _split_surface(surface)
        if not tokens or lead:
            self.errors.append(f"{where}: surface {surface!r} must start with a letter or digit")
            return None
        content = sum(1 for t in tokens if t.lower() not in _STOPWORDS)
        case_free = rule == "name" and content >= 3
        cap_index = next((k for k, t in enumerate(tokens) if t[:1].isupper()), -1)
        if rule == "name" and not case_free and cap_index < 0:
            self.errors.append(
                f"{where}: name {surface!r} has no capitalised word (it would match common words)"
            )
            return None
        return _Payload(entry_id, form, rule, ambiguous, tuple(tokens), case_free, cap_index)

    def add_prefix(self, prefix: str, entry_id: str, where: str) -> None:
        key = _lower_same_length(_fold_cased(prefix))
        if not re.fullmatch(r"\w+", key):
            self.errors.append(f"{where}: field prefixes: {prefix!r} must be one word")
            return
        other = self.prefixes.setdefault(key, entry_id)
        if other != entry_id:
            self.errors.append(f"{where}: field prefixes: {prefix!r} is also {other}'s prefix")

    def check_collisions(self) -> None:
        """Two entries may share a surface only if both mark it ambiguous, or if it is an
        exact-case acronym for one of them (case then tells them apart)."""
        owners: dict[tuple[Any, ...], dict[str, list[_Payload]]] = {}
        for surface, p in self.surfaces:
            if p.form == "block":
                continue
            tokens, seps, trail, _ = _split_surface(surface)
            key = (tuple(t.lower() for t in tokens), seps, trail)
            owners.setdefault(key, {}).setdefault(p.entry_id, []).append(p)
        for key, by_entry in sorted(owners.items()):
            if len(by_entry) < 2:
                continue
            # Unambiguous, not exact-case: find() could not choose between such owners.
            loose = [
                e
                for e, ps in by_entry.items()
                if any(not p.ambiguous and p.rule != "exact" for p in ps)
            ]
            exact = [e for e, ps in by_entry.items() if any(p.rule == "exact" for p in ps)]
            # Nor between two owners of the very same exact-case acronym.
            exact_owners: dict[tuple[str, ...], set[str]] = {}
            for e, ps in by_entry.items():
                for p in ps:
                    if p.rule == "exact" and not p.ambiguous:
                        exact_owners.setdefault(p.tokens, set()).add(e)
            exact_clash = any(len(o) > 1 for o in exact_owners.values())
            if len(loose) > 1 or (loose and not exact) or exact_clash:
                self.errors.append(
                    f"surface {' '.join(key[0])!r} is shared by {sorted(by_entry)}: mark it "
                    f"ambiguous in each, or drop it from all but one"
                )


@dataclass(frozen=True, slots=True)
class Form:
    """One surface of an entry before it goes into the matcher."""

    surface: str
    form: str  # one of FORMS
    rule: str  # case rule, see _case_ok
    base: str  # the data's form it was generated from ("kazakh" for "kazakhes")

    def is_ambiguous(self, ambiguous_keys: set[str]) -> bool:
        # Marking a demonym ambiguous marks all its inflections.
        return bool({_lookup_key(self.surface), _lookup_key(self.base)} & ambiguous_keys)


def _adjective_forms(adj_fr: list[str], adj_en: list[str]) -> list[Form]:
    forms = [Form(f, "adjective", "adj_fr", base) for base in adj_fr for f in french_forms(base)]
    forms += [Form(f, "adjective", "adj_en", base) for base in adj_en for f in english_forms(base)]
    return forms


def _pick(forms: list[Form], form: str, ambiguous: list[str]) -> tuple[str, ...]:
    amb = {_lookup_key(a) for a in ambiguous}
    return _dedupe(f.surface for f in forms if f.form == form and not f.is_ambiguous(amb))


def _state_forms(spec: StateSpec, generated: list[str]) -> list[Form]:
    dropped = {_lookup_key(k) for d in spec.drop for k in (d, _clean_generated(d))}
    names = [
        n
        for n in _dedupe([*generated, *spec.en, *spec.fr, *spec.ru])
        if _lookup_key(n) not in dropped
    ]
    forms = [Form(n, "name", "name", n) for n in names]
    forms += [Form(a, "acronym", "exact", a) for a in _dedupe(spec.acronyms)]
    forms += [Form(c, "capital", "name", c) for c in _dedupe([*spec.capitals, *spec.metonyms])]
    return forms + _adjective_forms(spec.adj_fr, spec.adj_en)


def _state_entry(
    ident: str, name: str, spec: StateSpec, forms: list[Form], *, historical: bool, sovereign: bool
) -> Entry:
    def pick(form: str) -> tuple[str, ...]:
        return _pick(forms, form, spec.ambiguous)

    adjectives = _dedupe(s.lower() for s in pick("adjective"))
    return Entry(
        id=ident,
        name=name,
        kind="state",
        iso2=ident,
        names=pick("name"),
        acronyms=pick("acronym"),
        capitals=pick("capital"),
        adjectives=adjectives,
        prefixes=_dedupe(p.lower() for p in spec.prefixes),
        part_of=None,
        founded=None,
        members=(),
        founding_members=(),
        historical=historical,
        ambiguous=_dedupe(spec.ambiguous),
        sovereign=sovereign,
    )


def _org_forms(org: OrganizationSpec) -> list[Form]:
    forms = [Form(n, "name", "name", n) for n in _dedupe([*org.en, *org.fr, *org.ru])]
    acronyms = _dedupe([*org.acronyms.en, *org.acronyms.fr, *org.acronyms.ru])
    forms += [Form(a, "acronym", "exact", a) for a in acronyms]
    # French house style writes an acronym read as a word in title case ("l'Otan", "la
    # Cedeao"): four letters or more, so that short ones ("Onu"? "Ue"?) stay exact.
    forms += [
        Form(a.title(), "acronym", "exact", a.title())
        for a in _dedupe(org.acronyms.fr)
        if len(a) >= 4 and a.isalpha() and a.isupper()
    ]
    return forms + _adjective_forms(org.adj_fr, org.adj_en)


def _build(states: StatesFile, orgs: OrganizationsFile, blockers: BlockersFile) -> Gazetteer:
    b = _Builder()
    codes = {c.alpha_2 for c in pycountry.countries}
    for section, keys in (("territories", states.territories), ("states", states.states)):
        for code in keys:
            if code not in codes:
                b.errors.append(f"{STATES_FILE}: entry {section}.{code}: not an ISO 3166-1 code")
    for section, table in (
        ("extra_states", states.extra_states),
        ("historical", states.historical),
    ):
        for code in table:
            if code in codes:
                b.errors.append(
                    f"{STATES_FILE}: entry {section}.{code}: already in pycountry "
                    f"(put it under states)"
                )
    territories = set(states.territories)
    empty = StateSpec()
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        code = country.alpha_2
        spec = states.states.get(code, empty)
        forms = _state_forms(spec, _pycountry_names(country))
        entry = _state_entry(
            code,
            _canonical_name(country, spec),
            spec,
            forms,
            historical=False,
            sovereign=code not in territories,
        )
        where = f"{STATES_FILE}: entry states.{code}"
        b.add_entry(entry, forms, where, spec.ambiguous)
        for p in spec.prefixes:
            b.add_prefix(p, code, where)
    for section, table, historical in (
        ("extra_states", states.extra_states, False),
        ("historical", states.historical, True),
    ):
        for code, spec in sorted(table.items()):
            forms = _state_forms(spec, [])
            entry = _state_entry(
                code, spec.name, spec, forms, historical=historical, sovereign=True
            )
            where = f"{STATES_FILE}: entry {section}.{code}"
            b.add_entry(entry, forms, where, spec.ambiguous)
            for p in spec.prefixes:
                b.add_prefix(p, code, where)

    for i, org in enumerate(orgs.organizations):
        forms = _org_forms(org)
        entry = Entry(
            id=org.id,
            name=org.name,
            kind=org.kind,
            iso2=None,
            names=_pick(forms, "name", org.ambiguous),
            acronyms=_pick(forms, "acronym", org.ambiguous),
            capitals=(),
            adjectives=_dedupe(s.lower() for s in _pick(forms, "adjective", org.ambiguous)),
            prefixes=(),
            part_of=org.part_of,
            founded=org.founded,
            members=_member_list(org.members, org.founded, org.founding_members),
            founding_members=tuple(org.founding_members),
            historical=org.historical,
            observers=_member_list(org.observers, None, []),
            ambiguous=_dedupe(org.ambiguous),
        )
        b.add_entry(
            entry,
            forms,
            f"{ORGANIZATIONS_FILE}: entry organizations[{i}] ({org.id})",
            org.ambiguous,
        )

    for i, org in enumerate(orgs.organizations):
        where = f"{ORGANIZATIONS_FILE}: entry organizations[{i}] ({org.id})"
        if org.part_of:
            parent = b.entries.get(org.part_of)
            if parent is None or parent.kind != "organization":
                b.errors.append(f"{where}: field part_of: {org.part_of!r} is not an organization")
        for field_name in ("founding_members", "members", "observers"):
            for ref in getattr(org, field_name):
                ident = ref.partition(" ")[0]
                if ident not in b.entries:
                    b.errors.append(f"{where}: field {field_name}: {ident!r} is no known entry")
                elif ident == org.id:
                    b.errors.append(f"{where}: field {field_name}: an entry cannot contain itself")

    for phrase in blockers.phrases:
        _add_blocker(b, phrase)
    for base in blockers.adj_fr:
        for form in french_forms(base):
            _add_blocker(b, form)
    for base in blockers.adj_en:
        for form in english_forms(base):
            _add_blocker(b, form)

    b.check_collisions()
    if b.errors:
        raise GazetteerDataError("\n".join(b.errors))
    return Gazetteer(b.entries.values(), b.surfaces, b.prefixes)


def _add_blocker(b: _Builder, phrase: str) -> None:
    tokens, _, _, lead = _split_surface(phrase)
    if not tokens or lead:
        b.errors.append(f"{BLOCKERS_FILE}: phrase {phrase!r} must start with a letter or digit")
        return
    b.surfaces.append((phrase, _Payload("", "block", "block", False, tuple(tokens), True, -1)))


def _read(source: Path | Traversable, filename: str) -> str:
    try:
        return (source / filename).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise GazetteerDataError(f"{filename}: missing from {source}") from exc


def build_gazetteer(data_dir: Path | Traversable) -> Gazetteer:
    """Validate the three data files of ``data_dir`` and build a gazetteer from them."""
    states = _parse(_read(data_dir, STATES_FILE), STATES_FILE, StatesFile)
    orgs = _parse(_read(data_dir, ORGANIZATIONS_FILE), ORGANIZATIONS_FILE, OrganizationsFile)
    _check_unique_ids(orgs, ORGANIZATIONS_FILE)
    blockers = _parse(_read(data_dir, BLOCKERS_FILE), BLOCKERS_FILE, BlockersFile)
    return _build(states, orgs, blockers)


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer of the package's own data files, built once per process."""
    return build_gazetteer(importlib.resources.files("loaders") / "data")


def dataset_for(entry_id: str) -> str:
    """Provenance of an entry's background facts; pycountry's version for its states.

    >>> dataset_for("nato")
    'ties-gazetteer'
    >>> dataset_for("RU").startswith("ties-gazetteer, pycountry ")
    True
    """
    entry = load_gazetteer().get(entry_id)
    if entry.kind == "state" and pycountry.countries.get(alpha_2=entry.id) is not None:
        return f"{DATASET}, pycountry {pycountry_version()}"
    return DATASET
