"""The state shared by the rules while one document is read: sentences, references, actors."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.model import Evidence
from loaders.rules.lexicon import Lexicon
from loaders.rules.text import Sentence, Token, fold, tokenize

# Reference forms that name an actor outright; the others (adjectives, compound prefixes,
# pronouns, pair phrases) only count once a fact uses them.
NAMING_FORMS = frozenset({"name", "acronym", "capital", "pattern", "ner", "alias", "quoted"})
AGENT_KINDS = frozenset({"state", "organization", "body", "company", "person"})


@dataclass(frozen=True, order=True)
class Ref:
    """A span of the document that stands for an actor or an event."""

    start: int
    end: int
    target: str
    kind: str
    form: str
    surface: str
    nested: bool = False  # inside a longer name (a state inside "Forces armées du Kazakhstan")

    @property
    def naming(self) -> bool:
        return self.form in NAMING_FORMS


@dataclass
class ActorInfo:
    """What the document says about one actor; becomes a model.Actor at the end."""

    id: str
    name: str
    kind: str
    iso2: str | None = None
    acronyms: tuple[str, ...] = ()
    dataset: str | None = None
    role: str | None = None
    aliases: set[str] = field(default_factory=set)
    evidence: set[Evidence] = field(default_factory=set)


@dataclass
class DocContext:
    doc_id: str
    text: str
    lang: str
    lex: Lexicon
    sentences: list[Sentence]
    refs: list[Ref] = field(default_factory=list)
    actors: dict[str, ActorInfo] = field(default_factory=dict)
    # Where the parse puts a finite verb: a name read from the words never runs past one
    # ("the Protocol on Amendments | amends the Treaty on Open Skies").
    clause_breaks: frozenset[int] = frozenset()
    # Where the parse puts any verb: no pre-modifier of a name is one ("reading the Riyadh
    # Declaration").
    verb_starts: frozenset[int] = frozenset()
    noun_starts: frozenset[int] = frozenset()
    adverb_starts: frozenset[int] = frozenset()
    # Start offsets of proper names the parse reads as modifiers of another noun ("the US
    # Secretary of State"): such a name qualifies that noun, it is no argument of its own.
    modifier_starts: frozenset[int] = frozenset()
    qualified_group_starts: frozenset[int] = frozenset()
    noun_clause_starts: frozenset[int] = frozenset()
    # For a participle that describes a noun with no subject or agent of its own ("a contract
    # signed in 2016"), its noun's offset: who acts in the clause around it did not do what it
    # says. Without a parse, none.
    described_by_participle: Callable[[int], int | None] = field(default=lambda pos: None)
    # Whether the parse reads a common noun in [start, end). Without a parse, no.
    noun_between: Callable[[int, int], bool] = field(default=lambda start, end: False)
    # Whether the verb at an offset is one the sentence denies: a signing there names no
    # signatory. Without a parse, none is.
    denied_at: Callable[[int], bool] = field(default=lambda pos: False)
    # Where the clause of the verb at an offset begins, when that verb has a subject of its own
    # in a clause joined to another ("Nigeria fought Mali, while Colombia signed a deal with
    # Peru"): who acts before it acts in the other clause.
    own_clause_start: Callable[[int], int | None] = field(default=lambda pos: None)
    # The span of the noun phrase that the word at an offset modifies, when it modifies a
    # noun ("new partners, including Turkey"): what it lists belongs to that phrase only.
    modified_phrase: Callable[[int], tuple[int, int] | None] = field(default=lambda pos: None)
    # The offset of the possessor of the noun at an offset ("India's decision"), if any.
    owner_of: Callable[[int], int | None] = field(default=lambda pos: None)
    _starts: list[int] = field(default_factory=list)
    _tokens: dict[int, list[Token]] = field(default_factory=dict)
    _ref_starts: list[int] = field(default_factory=list)
    # One quoted text per sentence, shared by every Evidence that quotes it: a copy per
    # mention made a long sentence's memory grow with the square of its length.
    _quotes: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]

    # ------------------------------------------------------------------ sentences

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return None
        sentence = self.sentences[i]
        return sentence if pos < max(sentence.end, sentence.start + 1) else None

    def tokens(self, sentence: Sentence) -> list[Token]:
        cached = self._tokens.get(sentence.index)
        if cached is None:
            cached = tokenize(sentence.text, sentence.start)
            self._tokens[sentence.index] = cached
        return cached

    def evidence(self, start: int, end: int) -> Evidence:
        # A span is quoted by the sentence it starts in: never before the text's start.
        start = min(max(start, 0), max(end - 1, 0))
        sentence = self.sentence_at(start)
        if sentence is None:
            return Evidence(self.doc_id, start, end, " ".join(self.text[start:end].split()))
        quote = self._quotes.get(sentence.index)
        if quote is None:
            quote = self._quotes[sentence.index] = sentence.clean
        return Evidence(self.doc_id, start, end, quote)

    # ------------------------------------------------------------------ references

    def set_refs(self, refs: list[Ref]) -> None:
        self.refs = sorted(set(refs))
        self._ref_starts = [r.start for r in self.refs]

    def refs_between(self, start: int, end: int, *, nested: bool = True) -> list[Ref]:
        """References wholly inside [start, end), in text order."""
        i = bisect.bisect_left(self._ref_starts, start)
        out: list[Ref] = []
        for ref in self.refs[i:]:
            if ref.start >= end:
                break
            if ref.end <= end and (nested or not ref.nested):
                out.append(ref)
        return out

    def refs_starting(self, start: int, end: int) -> list[Ref]:
        """References that start in [start, end), in text order."""
        i, j = (
            bisect.bisect_left(self._ref_starts, start),
            bisect.bisect_left(self._ref_starts, end),
        )
        return self.refs[i:j]

    def refs_in(self, sentence: Sentence, *, nested: bool = True) -> list[Ref]:
        return self.refs_between(sentence.start, sentence.end, nested=nested)

    def ref_at(self, start: int, end: int) -> Ref | None:
        """The outermost reference covering [start, end), if any."""
        best: Ref | None = None
        for ref in self.refs_between(max(0, start - 200), end + 200):
            if (
                ref.start <= start
                and ref.end >= end
                and (best is None or ref.end - ref.start > best.end - best.start)
            ):
                best = ref
        return best

    def state_counts(self) -> Counter[str]:
        return Counter(r.target for r in self.refs if r.kind == "state")

    # ------------------------------------------------------------------ actors

    def actor(self, actor_id: str) -> ActorInfo | None:
        return self.actors.get(actor_id)

    def register(self, info: ActorInfo) -> ActorInfo:
        """Add an actor, or return the one already known under the same id."""
        known = self.actors.get(info.id)
        if known is None:
            self.actors[info.id] = info
            return info
        if known.role is None and info.role is not None:
            known.role = info.role
        return known

    def kind_of(self, target: str) -> str | None:
        info = self.actors.get(target)
        return info.kind if info else None


def _states_before(ctx: DocContext, pos: int) -> list[str]:
    """States named before ``pos`` in its sentence and the two before, in text order of their
    last mention (capitals used as places left out)."""
    sentence = ctx.sentence_at(pos)
    first = ctx.sentences[max(0, sentence.index - 2)].start if sentence else 0
    found: list[str] = []
    for ref in reversed(ctx.refs_between(first, pos)):
        # "the Sudanese and Egyptian armies … the two armies": adjectives name states too.
        named = ref.naming or ref.form == "adjective"
        if ref.kind == "state" and named and ref.target not in found:
            if ref.form == "capital" and ctx.lex.regex("capital_place_before_re").search(
                fold(ctx.text[max(0, ref.start - 12) : ref.start])
            ):
                continue  # "lors du sommet de Kigali": a place, not one of the states meant
            found.append(ref.target)
    found.reverse()
    return found


def local_pair(ctx: DocContext, pos: int, *, only: bool = False) -> tuple[str, str] | None:
    """The pair "the two countries" or "bilateral" points back to: the last two states named
    just before ``pos`` (never the document's most mentioned pair); with ``only``, none
    unless they are the only two."""
    found = _states_before(ctx, pos)
    if len(found) < 2 or (only and len(found) > 2):
        return None
    # In the order the text first names them, the order a reader would write the pair.
    first = {r.target: r.start for r in reversed(ctx.refs_between(0, pos))}
    a, b = sorted(found[-2:], key=lambda t: (first.get(t, 0), t))
    return a, b


def resolve_group(ctx: DocContext, start: int, end: int, pair: tuple[str, str] | None) -> list[str]:
    """States meant by "les deux pays", "the three countries", "ces pays" in [start, end).

    The states named last before the phrase (this sentence, then the two before), as many as
    the phrase counts; with too few in sight, ``pair`` when given (a caller's own pair), else
    none: an unresolved phrase stays unresolved.
    """
    m = ctx.lex.regex("group_phrase_re", ignore_case=False).search(fold(ctx.text[start:end]))
    if m is None:
        return []
    pos = start + m.start()
    word = m.group("n")
    wanted = None
    if word:
        numbers = ctx.lex.mapping("numbers")
        wanted = int(numbers[word]) if word in numbers else None
    if start + m.end() - len(m.group().split()[-1]) in ctx.qualified_group_starts:
        return []  # "les pays baltes": another group than the states just named
    found = _states_before(ctx, pos)
    if wanted is not None:
        if len(found) >= wanted:
            return found[-wanted:]
        return list(pair) if wanted == 2 and pair else []
    if len(found) >= 2:
        pair_word = m.group().split()[-1] in ctx.lex.words("group_pair_words")
        return found[-2:] if pair_word else found
    return list(pair) if pair else []
