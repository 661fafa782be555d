"""Memberships, typed ties and joint exercises, read from cue words and word order.

Who does what to whom comes from the position of actors around a cue inside its clause: the
agent is the nearest actor before the cue that is not a place or a complement ("au
Kazakhstan", "de la Russie"), the receiver the first actor after it introduced by "à", "au",
"to"… Reverse cues ("achète", "buys", "étudient dans") swap the two.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from loaders.model import Event, Membership, Tie
from loaders.rules.context import AGENT_KINDS, DocContext, Ref, local_pair, resolve_group
from loaders.rules.dates import DateMention
from loaders.rules.lexicon import Lexicon
from loaders.rules.text import Sentence, fold, title_case

STATE = frozenset({"state"})
VISITORS = frozenset({"person", "state", "organization"})
ORG_KINDS = frozenset({"organization", "body", "programme"})


# Quotation marks that close a quotation (a straight quote may open one as well).
CLOSING_QUOTES = ("»", "”")


@dataclass
class Relations:
    memberships: list[Membership] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


@dataclass
class Reader:
    """Helpers bound to one document: clause bounds, agents, receivers, pronouns."""

    ctx: DocContext
    pair: tuple[str, str] | None
    dates: dict[int, list[DateMention]]
    represents: dict[str, str]
    subjects: dict[int, str] = field(default_factory=dict)  # sentence index -> state id
    # lexicon key -> sentence index -> the cue spans found there: each reader asks again.
    found_cues: dict[str, dict[int, list[tuple[int, int]]]] = field(default_factory=dict)
    folded: str = field(init=False, default="")  # the document's text, folded once

    def __post_init__(self) -> None:
        self.folded = fold(self.ctx.text)
        last: str | None = None
        for sentence in self.ctx.sentences:
            if last is not None:
                self.subjects[sentence.index] = last
            for ref in self.ctx.refs_in(sentence, nested=False):
                if (
                    ref.kind == "state"
                    and ref.naming
                    and not self.is_place(ref)
                    and not self.is_complement(ref)
                ):
                    last = ref.target
                    break

    # -------------------------------------------------------------- text around refs

    def before(self, pos: int, width: int = 40) -> str:
        return fold(self.ctx.text[max(0, pos - width) : pos])

    def is_place(self, ref: Ref) -> bool:
        return bool(self.ctx.lex.regex("location_before_re").search(self.before(ref.start, 24)))

    def is_complement(self, ref: Ref) -> bool:
        """ "entre la Russie et la Chine", "with Japan": a name that cannot be the subject."""
        lex = self.ctx.lex
        return lex.has("complement_before_re") and bool(
            lex.regex("complement_before_re").search(self.before(ref.start, 24))
        )

    def is_genitive(self, ref: Ref) -> bool:
        return bool(self.ctx.lex.regex("genitive_before_re").search(self.before(ref.start, 12)))

    def is_viewpoint(self, ref: Ref) -> bool:
        """ "Pour Moscou, l'adhésion de …", "For Moscow, …": whose view the clause gives, not
        who acts in it."""
        lex = self.ctx.lex
        return (
            lex.has("viewpoint_before_re")
            and bool(lex.regex("viewpoint_before_re").search(self.before(ref.start, 14)))
            and self.ctx.text[ref.end : ref.end + 2].lstrip().startswith(",")
        )

    def is_target(self, ref: Ref) -> bool:
        return bool(self.ctx.lex.regex("target_before_re").search(self.before(ref.start, 40)))

    def clause(self, sentence: Sentence, pos: int) -> tuple[int, int]:
        lo, hi = sentence.start, sentence.end
        for m in re.finditer(r"[;:]|\s[–—]\s", sentence.text):
            cut = sentence.start + m.start()
            if cut < pos:
                lo = cut + 1
            else:
                hi = cut
                break
        return lo, hi

    def refs(
        self, lo: int, hi: int, kinds: frozenset[str] = AGENT_KINDS, *, nested: bool = False
    ) -> list[Ref]:
        return [r for r in self.ctx.refs_between(lo, hi, nested=nested) if r.kind in kinds]

    def resolve(self, ref: Ref) -> str:
        """A person stands for the state they represent where a fact needs a state."""
        return ref.target

    # -------------------------------------------------------------- agents

    def subclause_start(self, sentence: Sentence, pos: int) -> int:
        """Start of the coordinated clause holding ``pos`` (", et …", ", and …")."""
        lo, _ = self.clause(sentence, pos)
        folded = fold(self.ctx.text[lo:pos])
        cuts = list(_rx(self.ctx.lex, "subclause_cut_re").finditer(folded))
        return lo + cuts[-1].end() if cuts else lo

    def subclause_end(self, sentence: Sentence, pos: int, hi: int) -> int:
        """End of the coordinated clause holding ``pos``: before ", et la Russie a livré…"."""
        m = _rx(self.ctx.lex, "subclause_cut_re").search(fold(self.ctx.text[pos:hi]))
        return pos + m.start() if m else hi

    def _agents(self, lo: int, pos: int, kinds: frozenset[str]) -> list[Ref]:
        return [
            r
            for r in self.refs(lo, pos, kinds)
            if r.naming
            and not self.is_place(r)
            and not self.is_genitive(r)
            and not self.is_modifier(r)
            and not self.is_viewpoint(r)
        ]

    def is_modifier(self, ref: Ref) -> bool:
        """ "the Quad-led initiative": a name used as a modifier, not as a party."""
        return bool(re.match(r"-[a-z]", self.ctx.text[ref.end : ref.end + 2]))

    def agent_before(
        self,
        sentence: Sentence,
        pos: int,
        kinds: frozenset[str] = AGENT_KINDS,
        *,
        naming: bool = True,
    ) -> Ref | str | None:
        """The subject of the verb at ``pos``: the first actor of its clause that is not a
        place or a complement; the antecedent of "qui"; the state a pronoun stands for."""
        lex = self.ctx.lex
        lo, _ = self.clause(sentence, pos)
        sub = self.subclause_start(sentence, pos)
        text_before = fold(self.ctx.text[sub:pos])
        # "qu'ils exportent": a pronoun right before the verb is its subject, not a name
        # further back.
        pronoun = _rx(lex, "pronoun_before_verb_re").search(text_before)
        if pronoun:
            if kinds == VISITORS and pronoun.group(1) in lex.words("person_pronouns"):
                person = self._last_person(sentence, pos)
                if person is not None:
                    return person  # "He later travelled to Doha"
            if pronoun.group(1) in lex.words("state_pronouns"):
                # "…, et elle a rejoint": the subject of this sentence, else the last one's.
                here = self._subject_in(sentence, sub) if sub > sentence.start else None
                return here or self.subjects.get(sentence.index) or self._subject_in(sentence, lo)
            return None
        # "…, qui a fabriqué": the antecedent of the relative pronoun.
        rel = _rx(lex, "relative_before_re").search(text_before)
        if rel:
            before_rel = self._agents(lo, sub + rel.start(1), kinds)
            if before_rel:
                return before_rel[-1]
        for start in (sub, lo):
            agents = self._agents(start, pos, kinds)
            if agents:
                people = [r for r in agents if r.kind == "person"]
                return people[0] if kinds == VISITORS and people else agents[0]
            if (
                start == sub
                and sub > lo
                and self.ctx.lex.regex("subject_pronouns_re").match(text_before.strip())
            ):
                return self.subjects.get(sentence.index) or self._subject_in(sentence, lo)
        if not naming:
            near = [
                r
                for r in self.refs(max(lo, pos - 40), pos, kinds)
                if r.form == "adjective" and not self._of_companies(r)
            ]
            if near:
                return near[-1]
        if self.ctx.lex.regex("subject_pronouns_re").match(
            _rx(lex, "leading_date_re").sub("", text_before.strip())[:12].split(",")[0].strip()
        ) or _rx(lex, "pronoun_subject_start_re").match(text_before):
            return self.subjects.get(sentence.index) or self._subject_in(sentence, lo)
        return None

    def _of_companies(self, ref: Ref) -> bool:
        """ "the two South Korean companies", "des entreprises françaises": an adjective of the
        companies, which are not their state."""
        nouns = self.ctx.lex.words("company_nouns", optional=True)
        around = re.findall(r"[\w'-]+", fold(self.ctx.text[ref.end : ref.end + 20]))[:1]
        before = re.findall(r"[\w'-]+", fold(self.ctx.text[max(0, ref.start - 20) : ref.start]))
        return bool(around and around[0] in nouns) or bool(before and before[-1] in nouns)

    def group_before(self, sentence: Sentence, pos: int) -> list[str]:
        lo = self.subclause_start(sentence, pos)
        found = resolve_group(self.ctx, lo, pos, self.pair)
        if not found:
            found = resolve_group(self.ctx, self.clause(sentence, pos)[0], pos, self.pair)
        return found

    def _subject_in(self, sentence: Sentence, lo: int) -> str | None:
        for ref in self.refs(sentence.start, lo, STATE):
            if ref.naming and not self.is_place(ref) and not self.is_complement(ref):
                return ref.target
        return None

    def _last_person(self, sentence: Sentence, pos: int) -> Ref | None:
        """The one person named before ``pos``, in this sentence or the one before; None when
        two are named (which one "he" means is then a guess)."""
        first = self.ctx.sentences[max(0, sentence.index - 1)].start
        people = [r for r in self.refs(first, pos, frozenset({"person"})) if r.naming]
        return people[-1] if len({r.target for r in people}) == 1 else None

    def target_after(
        self,
        sentence: Sentence,
        pos: int,
        kinds: frozenset[str] = AGENT_KINDS,
        *,
        marked: bool = True,
        limit: int = 160,
    ) -> Ref | None:
        """The receiver after ``pos`` in the clause: introduced by "à", "au", "to"…, or the
        direct object right after the verb ("supply the Coast Guard with", "forment l'armée")."""
        _, hi = self.clause(sentence, pos)
        hi = self.subclause_end(sentence, pos, hi)
        for ref in self.refs(pos, min(hi, pos + limit), kinds, nested=False):
            if self.is_modifier(ref):
                continue
            if ref.form == "adjective":
                if describes_people(self.ctx, ref):
                    return ref  # "train Azerbaijani officers", "militaires kazakhs"
                continue
            if not ref.naming:
                continue
            gap = fold(self.ctx.text[pos : ref.start])
            direct = _rx(self.ctx.lex, "direct_object_gap_re").fullmatch(gap)
            if not marked or self.is_target(ref) or direct:
                return ref
        return None

    def date_in(self, sentence: Sentence, lo: int, hi: int) -> str | None:
        for d in self.dates.get(sentence.index, []):
            if lo <= d.start < hi and d.role in ("plain", "since"):
                return d.value
        return None


def _target_id(ref: Ref | str | None) -> str | None:
    if ref is None:
        return None
    return ref if isinstance(ref, str) else ref.target


def _tie(
    reader: Reader,
    kind: str,
    source: Ref | str | None,
    target: Ref | str | None,
    sentence: Sentence,
    cue: tuple[int, int],
    **props: str,
) -> Tie | None:
    src, dst = _target_id(source), _target_id(target)
    if not src or not dst or src == dst:
        return None
    # The sentence that states the fact is its evidence: an end named in an earlier sentence
    # ("the exercise" just named) is not quoted in its place.
    spans = [cue] + [
        (r.start, r.end)
        for r in (source, target)
        if isinstance(r, Ref) and sentence.start <= r.start < sentence.end
    ]
    start = min(s for s, _ in spans)
    end = max(e for _, e in spans)
    lo, hi = reader.clause(sentence, cue[0])
    date = reader.date_in(sentence, lo, hi)
    ev = reader.ctx.evidence(start, end)
    return Tie(kind, src, dst, date=date, properties=tuple(sorted(props.items())), evidence=(ev,))


def describes_people(ctx: DocContext, ref: Ref) -> bool:
    """The adjective at ``ref`` qualifies people who serve its state ("officiers
    azerbaïdjanais", "Spanish sailors")."""
    people = ctx.lex.words("people_nouns")
    before = re.findall(r"[\w'-]+", fold(ctx.text[max(0, ref.start - 30) : ref.start]))
    after = re.findall(r"[\w'-]+", fold(ctx.text[ref.end : ref.end + 20]))
    if after and after[0] in people:
        return True
    if before and before[-1] in people:
        return True
    # "pilotes de chasse grecs": the people noun, a complement, then the adjective.
    complements = ctx.lex.words("people_complement_words")
    return len(before) >= 3 and before[-3] in people and before[-2] in complements


def _rx(lex: Lexicon, key: str) -> re.Pattern[str]:
    """A pattern of the lexicon matched as written: these run on folded text, where the
    case is already gone."""
    return lex.regex(key, ignore_case=False)


def _optional_search(lex: Lexicon, key: str, text: str) -> bool:
    """Whether a cue this language may not have occurs in ``text``."""
    return lex.has(key) and bool(_rx(lex, key).search(text))


def _cues(reader: Reader, sentence: Sentence, key: str) -> list[tuple[int, int]]:
    by_sentence = reader.found_cues.get(key)
    if by_sentence is None:
        by_sentence = reader.found_cues[key] = _find_cues(reader, key)
    return by_sentence.get(sentence.index, [])


def _find_cues(reader: Reader, key: str) -> dict[int, list[tuple[int, int]]]:
    """The spans of the cue at ``key`` in each sentence (by index), found in one pass over the
    document: a pass per sentence and cue cost more than the searching itself. A match must lie
    inside one sentence."""
    lex = reader.ctx.lex
    if not lex.has(key):
        return {}
    ctx = reader.ctx
    text = ctx.text
    out: dict[int, list[tuple[int, int]]] = {}
    prose: dict[int, bool] = {}
    # Folded text has no capital, nor the cue patterns (tests/unit/test_lexicon.py): matched
    # as written, without IGNORECASE, which only slowed every search down.
    for m in _rx(lex, key).finditer(reader.folded):
        start, end = m.span()
        sentence = ctx.sentence_at(start)
        if sentence is None or end > sentence.end:
            continue
        ref = ctx.ref_at(start, end)
        if ref is not None and ref.naming:
            continue  # a cue word inside a name ("Alliance of Sahel States")
        # A tie's verb; not a membership's cue, which a name states as well ("NATO Member
        # States").
        if (
            key.startswith("ties.")
            and start > sentence.start
            and text[start].isupper()
            and not text[start + 1 : end].isupper()
        ):
            if sentence.index not in prose:
                prose[sentence.index] = not title_case(sentence.text)
            if prose[sentence.index]:
                continue  # capitalised inside a sentence: a word of a name ("its Armed Forces")
        out.setdefault(sentence.index, []).append((start, end))
    return out


# ---------------------------------------------------------------------------- memberships


def _membership(
    reader: Reader,
    member: str | None,
    org: Ref | str | None,
    sentence: Sentence,
    span: tuple[int, int],
    status: str | None = None,
    *,
    joining: bool = True,
) -> Membership | None:
    """``joining``: the phrase states a joining or a founding, dated by any date beside it
    ("joined in 2004"); else only a "since" dates it ("a NATO member since 1952"), never a date
    of another fact ("Turkey, a NATO member, objected in 2024")."""
    org_id = _target_id(org)
    if not member or not org_id or member == org_id:
        return None
    if reader.ctx.kind_of(member) != "state":
        return None
    if reader.ctx.kind_of(org_id) not in ORG_KINDS:
        return None
    date = None
    for d in reader.dates.get(sentence.index, []):
        roles = ("plain", "since") if joining else ("since",)
        if span[0] - 60 <= d.start <= span[1] + 60 and d.role in roles:
            date = d.value
            break
    ev = reader.ctx.evidence(*span)
    return Membership(
        member,
        org_id,
        since=date if status is None else None,
        status=status,
        until=date if status == "left" else None,
        evidence=(ev,),
    )


def _negated(reader: Reader, sentence: Sentence, pos: int, end: int | None = None) -> bool:
    """A negation in the clause before ``pos``, or around a verb at [pos, end) ("n'appartient
    pas", "is not")."""
    lo, hi = reader.clause(sentence, pos)
    stop = pos if end is None else min(hi, end + 6)
    return bool(
        reader.ctx.lex.regex("negation_re", ignore_case=False).search(
            fold(reader.ctx.text[lo:stop])
        )
    )


def _org_anaphor(reader: Reader, sentence: Sentence, pos: int, hi: int) -> Ref | None:
    """ "cette organisation", "l'Alliance", "the 10-member bloc" used for the last organisation
    named, when one starts within 60 characters after ``pos``."""
    spans = _anaphors(reader, pos, min(hi, pos + 60))
    return _antecedent(reader, *spans[0]) if spans else None


def _anaphors(reader: Reader, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans of "the bloc", "l'organisation"… in [lo, hi) that are not part of a name."""
    lex = reader.ctx.lex
    out: list[tuple[int, int]] = []
    if not lex.has("membership.anaphor_re") or hi <= lo:
        return out
    for m in lex.regex("membership.anaphor_re", ignore_case=False).finditer(
        fold(reader.ctx.text[lo:hi])
    ):
        s, e = lo + m.start(), lo + m.end()
        if any(
            r.naming and r.start < e and r.end > s
            for r in reader.ctx.refs_between(max(0, s - 200), e + 200)
        ):
            continue  # "l'Union européenne" is a name, not "l'union"
        out.append((s, e))
    return out


def _antecedent(reader: Reader, pos: int, end: int | None = None) -> Ref | None:
    """The last organisation named before ``pos``; for "l'Alliance", "the Forum", "la Ligue"
    (the anaphor at [pos, end)), the last one whose name has that head noun, if any."""
    earlier = [
        r
        for r in reader.ctx.refs_between(0, pos, nested=False)
        if r.kind == "organization" and r.naming
    ]
    if end is not None:
        words = re.findall(r"\w+", fold(reader.ctx.text[pos:end]))
        head = words[-1] if words else ""
        if head in reader.ctx.lex.words("membership.anaphor_heads"):
            named = [r for r in earlier if head in re.findall(r"\w+", fold(r.surface))]
            if named:
                return named[-1]
    return earlier[-1] if earlier else None


def _anaphor_refs(reader: Reader, sentence: Sentence) -> list[Ref]:
    """ "the bloc", "l'organisation" in ``sentence`` as references to their antecedent."""
    out: list[Ref] = []
    for s, e in _anaphors(reader, sentence.start, sentence.end):
        org = _antecedent(reader, s, e)
        if org is not None:
            out.append(Ref(s, e, org.target, org.kind, "anaphor", reader.ctx.text[s:e]))
    return out


def _prospective(reader: Reader, sentence: Sentence, pos: int, end: int, after: int = 40) -> bool:
    """Candidates, observers, applicants and future members ("is expected to become", "a
    obtenu le statut de candidat", "négociations d'adhésion") in the subclause of ``pos``."""
    lex = reader.ctx.lex
    if not lex.has("membership.prospect_re"):
        return False
    lo = max(reader.subclause_start(sentence, pos), pos - 80)
    _, hi = reader.clause(sentence, pos)
    hi = min(reader.subclause_end(sentence, end, hi), end + after)
    return bool(
        lex.regex("membership.prospect_re", ignore_case=False).search(fold(reader.ctx.text[lo:hi]))
    )


def _with_coordinated(reader: Reader, sentence: Sentence, first: Ref, limit: int) -> list[Ref]:
    """``first`` and the states coordinated with it, all before ``limit``."""
    out = [first]
    for ref in _coordinated(reader, sentence, first):
        if ref.end <= limit and ref.kind == "state":
            out.append(ref)
    return out


def _co_members(reader: Reader, sentence: Sentence, pos: int, hi: int) -> list[Ref]:
    """ "… along with Vanuatu and Solomon Islands", "… avec la Suisse et le Liechtenstein":
    states listed right after an organisation as fellow members."""
    lex = reader.ctx.lex
    if not lex.has("membership.with_re"):
        return []
    m = lex.regex("membership.with_re", ignore_case=False).match(fold(reader.ctx.text[pos:hi]))
    if not m:
        return []
    first = reader.refs(pos + m.end(), min(hi, pos + m.end() + 12), STATE, nested=False)
    if not first or not first[0].naming:
        return []
    return _with_coordinated(reader, sentence, first[0], hi)


def memberships(reader: Reader) -> list[Membership]:
    out: list[Membership | None] = []
    ctx = reader.ctx
    for sentence in ctx.sentences:
        out += _lists(reader, sentence)
        # "les BRICS, qui ont accueilli l'Égypte, l'Éthiopie et l'Iran"
        out += _admissions(reader, sentence)
        out += _members_of(reader, sentence)
        out += _org_members(reader, sentence)
        out += _joins(reader, sentence)
        out += _pronoun_joins(reader, sentence)
        out += _within(reader, sentence)
    kept = [m for m in out if m is not None]
    return kept


def _lists(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """ "X regroupe A, B et C", "the 10-member bloc groups A…", "founded in 2001 by A, B…"."""
    out: list[Membership | None] = []
    lex = reader.ctx.lex
    folded = fold(sentence.text)
    cues = [
        (m, False, False)
        for m in lex.regex("membership.list_re", ignore_case=False).finditer(folded)
    ]
    if lex.has("membership.list_verb_re"):
        cues += [
            (m, True, False)
            for m in lex.regex("membership.list_verb_re", ignore_case=False).finditer(folded)
        ]
    if lex.has("membership.made_up_re"):
        # "le Mercosur, formé par le Brésil, l'Argentine …": an organisation's make-up; a
        # force or a service "formé par" a state is trained by it (TRAINS).
        cues += [
            (m, False, True)
            for m in lex.regex("membership.made_up_re", ignore_case=False).finditer(folded)
        ]
    for m, tight, organisations_only in cues:
        pos = sentence.start + m.start()
        end = sentence.start + m.end()
        lo, hi = reader.clause(sentence, pos)
        if end > hi:
            # A cue that ends on its colon ("compte six membres : …"): the list follows it.
            hi = reader.clause(sentence, end)[1]
        # The organisation before the cue, or the one whose name the cue starts in ("the
        # European Union's 27 member states include").
        named = [r for r in reader.refs(lo, end, ORG_KINDS - {"programme"}) if r.start < pos]
        candidates = named + [
            r for r in _anaphor_refs(reader, sentence) if lo <= r.start and r.end <= pos
        ]
        candidates.sort(key=lambda r: r.start)
        phrase = reader.ctx.modified_phrase(pos)
        if phrase is not None and not tight:
            # "moved closer to new partners, including Turkey and Russia": the cue lists the
            # noun it hangs on, so the organisation must be in that noun's phrase.
            candidates = [r for r in candidates if phrase[0] <= r.start < phrase[1]]
        if tight:
            # "groups" is a verb only right after its subject ("the bloc groups",
            # "ASEAN, which groups").
            candidates = [
                r
                for r in candidates
                if _rx(lex, "membership.list_subject_gap_re").fullmatch(
                    fold(reader.ctx.text[r.end : pos])
                )
            ]
        if organisations_only:
            candidates = [r for r in candidates if r.kind == "organization"]
        org: Ref | None = candidates[-1] if candidates else None
        if org is None and not organisations_only:
            org = _org_anaphor(reader, sentence, lo, end)
        if org is None or _negated(reader, sentence, pos):
            continue
        prospect = (
            lex.regex("membership.prospect_re", ignore_case=False).search(
                fold(reader.ctx.text[end:hi])
            )
            if lex.has("membership.prospect_re")
            else None
        )
        stop = end + prospect.start() if prospect else hi  # "… et des observateurs comme"
        for ref in _listed_states(reader, end, stop):
            out.append(_membership(reader, ref.target, org, sentence, (lo, hi)))
    return out


def _listed_states(reader: Reader, end: int, hi: int) -> list[Ref]:
    """The states listed after a cue ending at ``end``: the first one near the cue ("regroupe
    dix pays, dont le Vietnam"), not a complement ("partners of Washington"), then those
    coordinated with it ("A, B et C", "de la France, de l'Allemagne et de l'Italie")."""
    states = [
        r for r in reader.refs(end, hi, STATE, nested=False) if r.naming and not reader.is_place(r)
    ]
    if not states:
        return []
    gap = fold(reader.ctx.text[end : states[0].start])
    lex = reader.ctx.lex
    if len(gap) > 45 or _rx(lex, "membership.listed_complement_re").search(gap):
        return []
    out = [states[0]]
    for ref in states[1:]:
        gap = fold(reader.ctx.text[out[-1].end : ref.start])
        if not _rx(lex, "membership.listed_gap_re").fullmatch(gap):
            break
        out.append(ref)
    return out


def _members_of(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """ "premier État de la CEI", "les pays membres de l'OTSC, dont le Kazakhstan", "both
    founding members of the Forum", "membres de l'UE et de l'OTAN"."""
    out: list[Membership | None] = []
    ctx = reader.ctx
    orgs = reader.refs(sentence.start, sentence.end, ORG_KINDS) + _anaphor_refs(reader, sentence)
    for org in sorted(orgs, key=lambda r: r.start):
        before = reader.before(org.start, 60)
        if not ctx.lex.regex("membership.member_of_re").search(before):
            continue
        lo, hi = reader.clause(sentence, org.start)
        if _negated(reader, sentence, org.start) or _prospective(
            reader, sentence, org.start, org.end, after=0
        ):
            continue
        first = max(lo, reader.subclause_start(sentence, org.start), org.start - 140)
        cue = ctx.lex.regex("membership.member_of_re").search(before)
        object_np = cue is not None and _rx(ctx.lex, "membership.object_before_re").search(
            before[: cue.start()]
        )
        members: list[Ref | str] = [
            r
            for r in reader.refs(first, org.start, STATE)
            if r.naming
            and not reader.is_place(r)
            and not reader.is_modifier(r)
            and not object_np  # "La Russie a averti les membres de l'OTAN"
        ]
        agent = None
        if not members and _rx(ctx.lex, "membership.pronoun_subject_re").match(
            fold(ctx.text[first : org.start])
        ):
            # "…, and it is a member of": the subject the pronoun stands for.
            agent = reader.agent_before(sentence, org.start, STATE)
        count = _count_before(ctx, before, cue.start()) if cue is not None else None
        if not members and agent is None and count is not None:
            # "Les deux pays ont besoin d'une ratification des trente États membres de
            # l'organisation": the members are the ones counted, not a group named before.
            members = list(resolve_group(ctx, org.start - len(before) + count, org.start, None))
        elif not members:
            members = [agent] if agent else list(reader.group_before(sentence, org.start))
        after = fold(ctx.text[org.end : hi])
        listed = _rx(ctx.lex, "membership.listed_after_re").match(after)
        if listed:
            members += [r for r in reader.refs(org.end, hi, STATE) if r.naming]
        org_list = _org_list(reader, org, hi)
        members += _co_members(reader, sentence, org_list[-1].end, hi)
        joining = cue is not None and bool(
            _optional_search(ctx.lex, "membership.becoming_before_re", before[: cue.start()])
        )
        for o in org_list:
            for member in members:
                span = (max(sentence.start, org.start - 40), o.end)
                out.append(
                    _membership(reader, _target_id(member), o, sentence, span, joining=joining)
                )
    return out


def _count_before(ctx: DocContext, before: str, cue: int) -> int | None:
    """Where in ``before`` the counted member phrase starts, with its article ("des trente
    États membres de"), or None when the phrase has no count of its own."""
    words = list(re.finditer(r"[\w'-]+", before[:cue]))
    if not words or not (
        words[-1].group().isdigit() or words[-1].group() in ctx.lex.mapping("numbers")
    ):
        return None
    return words[-2].start() if len(words) > 1 else words[-1].start()


def _org_members(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """An organisation's name before "member(s)": "NATO members Poland and Romania", "Turkey,
    a NATO member,", "Hungary is an EU member state"."""
    out: list[Membership | None] = []
    lex = reader.ctx.lex
    if not lex.has("membership.org_member_re"):
        return out
    orgs = reader.refs(sentence.start, sentence.end, frozenset({"organization"}))
    # Where each organisation's coordination begins: "an EU and NATO member" is apposed at "EU".
    lead: dict[int, int] = {}
    for index, org in enumerate(orgs):
        if not org.naming:
            continue
        # "EU and NATO member Lithuania": an organisation coordinated with the next one shares
        # its member noun.
        carrier = org
        following = orgs[index + 1] if index + 1 < len(orgs) else None
        if following is not None and _rx(lex, "membership.coordinated_org_gap_re").fullmatch(
            fold(reader.ctx.text[org.end : following.start])
        ):
            carrier = following
            lead[index + 1] = lead.get(index, org.start)
        start = lead.get(index, org.start)
        m = lex.regex("membership.org_member_re").match(
            fold(reader.ctx.text[carrier.end : carrier.end + 40])
        )
        if not m or _rx(lex, "membership.non_member_re").search(reader.before(org.start, 6)):
            continue
        _, hi = reader.clause(sentence, org.start)
        if _negated(reader, sentence, org.start) or _prospective(
            reader, sentence, org.start, carrier.end + m.end(), after=0
        ):
            continue
        cue_end = carrier.end + m.end()
        members: list[Ref] = []
        first = reader.refs(cue_end, min(hi, cue_end + 14), STATE, nested=False)
        if first and first[0].naming:
            members = _with_coordinated(reader, sentence, first[0], hi)  # "NATO members A and B"
        elif lex.has("membership.apposition_re") and lex.regex("membership.apposition_re").search(
            reader.before(start, 40)
        ):
            agent = reader.agent_before(sentence, start, STATE)
            if isinstance(agent, Ref):
                members = _with_coordinated(reader, sentence, agent, start)
            elif agent:
                out.append(
                    _membership(reader, agent, org, sentence, (org.start, cue_end), joining=False)
                )
        for ref in members:
            span = (min(ref.start, org.start), max(ref.end, cue_end))
            out.append(_membership(reader, ref.target, org, sentence, span, joining=False))
        if not members and not first:
            # "the two NATO member states", "les deux États membres de l'OTAN": the states the
            # counted phrase stands for.
            for state in resolve_group(reader.ctx, max(sentence.start, start - 20), cue_end, None):
                out.append(
                    _membership(reader, state, org, sentence, (org.start, cue_end), joining=False)
                )
    return out


def _pronoun_joins(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """ "la Suède en est devenue le 32e membre", "became its tenth member", "l'a rejointe":
    the organisation is the last one named."""
    out: list[Membership | None] = []
    for start, end in _cues(reader, sentence, "membership.pronoun_re"):
        if _negated(reader, sentence, start, end) or _prospective(reader, sentence, start, end):
            continue
        org = _antecedent(reader, start)
        if org is None:
            continue
        lo, _ = reader.clause(sentence, start)
        # "Finland joined NATO in 2023 and Sweden joined it in 2024": the nearest subject.
        near = [
            r
            for r in reader.refs(max(lo, start - 40, org.end), start, STATE, nested=False)
            if r.naming and not reader.is_place(r)
        ]
        members = (
            [r.target for r in _with_coordinated(reader, sentence, near[-1], start)]
            if near
            else _member_subjects(reader, sentence, start, end)
        )
        for member in members:
            out.append(_membership(reader, member, org, sentence, (start, end)))
    return out


def _admissions(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """An organisation named right before "qui ont accueilli" / "welcomed", or the subject of
    "admitted" / "réintégrer", and the states it took in, listed after the verb."""
    out: list[Membership | None] = []
    if not reader.ctx.lex.has("membership.admit_re"):
        return out
    for start, end in _cues(reader, sentence, "membership.admit_re"):
        lo, hi = reader.clause(sentence, start)
        orgs = [
            r
            for r in reader.refs(max(lo, start - 25), start, frozenset({"organization"}))
            if r.naming
        ]
        if not orgs:
            # The organisation that is the subject: first in the subclause, before any state.
            sub = reader.subclause_start(sentence, start)
            heads = sorted(
                [r for r in reader.refs(sub, start, AGENT_KINDS) if r.naming]
                + [r for r in _anaphor_refs(reader, sentence) if sub <= r.start < start],
                key=lambda r: r.start,
            )
            if heads and heads[0].kind == "organization":
                orgs = [heads[0]]
        if not orgs or _negated(reader, sentence, start):
            continue
        first = reader.refs(end, min(hi, end + 12), STATE, nested=False)
        if not first or not first[0].naming:
            continue
        for ref in [first[0], *_coordinated(reader, sentence, first[0])]:
            if ref.start > first[0].start or ref is first[0]:
                out.append(
                    _membership(reader, ref.target, orgs[-1], sentence, (orgs[-1].start, ref.end))
                )
    return out


def _org_list(reader: Reader, org: Ref, hi: int) -> list[Ref]:
    """ "membre de la CEDEAO et de l'Union africaine": every organisation of the list."""
    orgs = [org]
    for ref in reader.refs(org.end, hi, ORG_KINDS):
        gap = fold(reader.ctx.text[orgs[-1].end : ref.start])
        if ref.target == orgs[-1].target and re.fullmatch(r"\s*\(\s*", gap):
            continue
        if _rx(reader.ctx.lex, "membership.coordinated_org_gap_re").fullmatch(gap):
            orgs.append(ref)
        else:
            break
    return orgs


def _member_subjects(reader: Reader, sentence: Sentence, cue_start: int, cue_end: int) -> list[str]:
    """Who joins or leaves: "l'adhésion du Kazakhstan", "le retrait du Mali, du Burkina Faso et
    du Niger", the subject of the verb and the states coordinated with it ("Le Togo et le Bénin
    font partie"), or "les trois États"."""
    lex = reader.ctx.lex
    after = fold(reader.ctx.text[cue_end : cue_end + 40])
    if _rx(lex, "membership.genitive_after_re").match(after):
        listed: list[str] = []
        pos = cue_end
        for ref in reader.refs(cue_end, cue_end + 160, STATE):
            gap = fold(reader.ctx.text[pos : ref.start])
            if ref.naming and _rx(lex, "membership.coordinated_state_gap_re").fullmatch(gap):
                listed.append(ref.target)
                pos = ref.end
            else:
                break
        if listed:
            return listed
    agent = reader.agent_before(sentence, cue_start, STATE)
    if isinstance(agent, Ref):
        return [r.target for r in _with_coordinated(reader, sentence, agent, cue_start)]
    if agent is not None:
        return [agent]
    return reader.group_before(sentence, cue_start)


def _joins(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    out: list[Membership | None] = []
    lex = reader.ctx.lex
    for key, status in (("membership.join_re", None), ("membership.leave_re", "left")):
        for start, end in _cues(reader, sentence, key):
            if _negated(reader, sentence, start, end):
                continue
            if status is None and _prospective(reader, sentence, start, end):
                continue
            _, hi = reader.clause(sentence, start)
            nxt = reader.refs(end, min(hi, end + 14), AGENT_KINDS, nested=False)
            if (
                nxt
                and nxt[0].kind == "state"
                and nxt[0].naming
                and _rx(lex, "membership.article_gap_re").fullmatch(
                    fold(reader.ctx.text[end : nxt[0].start])
                )
                and reader.ctx.lex.has("membership.admit_re")
                and reader.ctx.lex.regex("membership.admit_re").search(
                    fold(reader.ctx.text[start:end])
                )
            ):
                continue  # "réintégrer la Syrie": an admission, read by _admissions
            after = reader.refs(end, min(hi, end + 120), ORG_KINDS | STATE, nested=False)
            after = [
                r for r in after if r.naming and r.kind != "state" and not reader.is_modifier(r)
            ]
            org: Ref | str | None = after[0] if after else _org_anaphor(reader, sentence, end, hi)
            if org is None:
                out += _relative_join(reader, sentence, start, end, status)
                continue
            cue = fold(reader.ctx.text[start:end])
            if (
                isinstance(org, Ref)
                and reader.ctx.kind_of(org.target) == "programme"
                and status is None
                and _rx(lex, "membership.participation_re").search(cue)
            ):
                continue  # taking part in a programme is PARTICIPATED_IN, not membership
            members = _member_subjects(reader, sentence, start, end)
            if after and status is None:
                members += [r.target for r in _co_members(reader, sentence, after[0].end, hi)]
            for member in members:
                span = (start, org.end if isinstance(org, Ref) else end)
                out.append(_membership(reader, member, org, sentence, span, status))
    return out


def _relative_join(
    reader: Reader, sentence: Sentence, start: int, end: int, status: str | None
) -> list[Membership | None]:
    """The organisation is before the cue: "BRICS, which Iran joined in 2024 alongside Egypt",
    "les pays membres, dont fait partie le Kazakhstan"."""
    out: list[Membership | None] = []
    lo, hi = reader.clause(sentence, start)
    earlier = reader.refs(lo, start, ORG_KINDS - {"programme"})
    if not earlier:
        return out
    org = earlier[-1]
    rel = _rx(reader.ctx.lex, "membership.relative_join_re").match(
        fold(reader.ctx.text[org.end : start]),
    )
    if rel:
        subjects = [
            r
            for r in reader.refs(org.end, start, STATE, nested=False)
            if r.naming and not reader.is_place(r)
        ]
        if subjects:
            members = subjects
            if status is None:
                members += _co_members(reader, sentence, end, hi)
            for ref in members:
                out.append(
                    _membership(reader, ref.target, org, sentence, (org.start, ref.end), status)
                )
            return out
    # "dont fait partie le Kazakhstan": the state the cue names; not one that qualifies another
    # noun further on ("… presented it to the US Secretary of State").
    # "The Indian Navy joined five French … ships": an organisation that is the cue's own
    # subject joins something itself; it takes no member there. Nor does one inside a
    # quotation the cue's clause reports ("« … avec l'Union européenne … », a expliqué le
    # président argentin").
    between = reader.ctx.text[org.end : start]
    if not between.strip() or any(q in between for q in CLOSING_QUOTES):
        return out
    # A cue that ends on its preposition takes the organisation after it: a state there is
    # that slot's ("the Presidency of the Republic of Turkiye"), no member of one before.
    if _optional_search(
        reader.ctx.lex, "membership.cue_preposition_end_re", fold(reader.ctx.text[start:end])
    ):
        return out
    state_after = [
        r
        for r in reader.refs(end, hi, STATE)
        if r.start not in reader.ctx.modifier_starts and not _possessor(reader, r)
    ]
    # In the cue's own phrase, no comma apart: "applied for NATO membership in May 2022, …, a
    # decision spurred by Russia's war" names no member after it.
    if (
        state_after
        and not set(",;") & set(reader.ctx.text[end : state_after[0].start])
        # "font partie du programme de coopération du Japon": a noun between, whose
        # complement the state is.
        and not reader.ctx.noun_between(end, state_after[0].start)
    ):
        out.append(
            _membership(
                reader,
                state_after[0].target,
                org,
                sentence,
                (org.start, state_after[0].end),
                status,
            )
        )
    return out


def _within(reader: Reader, sentence: Sentence) -> list[Membership | None]:
    """ "X et Y coopèrent … dans le cadre de l'OTSC, de l'OCS et de la CICA"."""
    out: list[Membership | None] = []
    ctx = reader.ctx
    for org in reader.refs(sentence.start, sentence.end, frozenset({"organization"})):
        if not ctx.lex.regex("membership.within_re").search(reader.before(org.start, 50)):
            continue
        lo, hi = reader.clause(sentence, org.start)
        states = [
            r
            for r in reader.refs(lo, org.start, STATE, nested=True)
            if r.naming and not reader.is_place(r)
        ]
        if not states or _negated(reader, sentence, org.start):
            continue
        orgs = [org] + [
            r for r in reader.refs(org.end, hi, frozenset({"organization"})) if r.naming
        ]
        for o in orgs:
            for s in states:
                out.append(
                    _membership(reader, s.target, o, sentence, (s.start, o.end), joining=False)
                )
    return out


# ---------------------------------------------------------------------------- ties


def supplies(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    lex = reader.ctx.lex
    for start, end in _cues(reader, sentence, "ties.SUPPLIES.verb_re"):
        if start in reader.ctx.noun_starts and not _optional_search(
            lex, "ties.SUPPLIES.noun_recipient_re", fold(reader.ctx.text[end : end + 40])
        ):
            continue  # a verb's form the parse reads as a noun ("two arms deals with France")
        source = reader.agent_before(sentence, start, naming=False)
        noun = reader.ctx.described_by_participle(start)
        owner = reader.ctx.owner_of(noun) if noun is not None else None
        if owner is not None:
            # "requested a reconsideration of India's decision to supply weapons to Armenia":
            # the owner of the decision supplies, not the clause's subject.
            source = reader.ctx.ref_at(owner, owner + 1)
        target = reader.target_after(sentence, end)
        out.append(_tie(reader, "SUPPLIES", source, target, sentence, (start, end)))
    verbs = _cues(reader, sentence, "ties.SUPPLIES.verb_re")
    for start, end in _cues(reader, sentence, "ties.SUPPLIES.noun_re"):
        if (start, end) in verbs or not _rx(lex, "ties.SUPPLIES.of_re").match(
            fold(reader.ctx.text[end : end + 5])
        ):
            continue  # "to supply the Coast Guard" is the verb; the noun says "supply of"
        _, hi = reader.clause(sentence, start)
        near = reader.refs(end, min(hi, end + 50), AGENT_KINDS, nested=False)
        source = next((r for r in near if r.form == "adjective" or not reader.is_target(r)), None)
        target = reader.target_after(sentence, source.end if source else end)
        out.append(_tie(reader, "SUPPLIES", source, target, sentence, (start, end)))
    for start, end in _cues(reader, sentence, "ties.SUPPLIES.reverse_re"):
        if _optional_search(
            lex, "ties.SUPPLIES.order_won_re", fold(reader.ctx.text[max(0, start - 40) : start])
        ):
            continue  # an order won: its winner sells (patterns: obtenir-une-commande)
        if _optional_search(
            lex, "ties.SUPPLIES.not_goods_re", fold(reader.ctx.text[end : end + 60])
        ):
            continue  # "received a message from Moscow": no goods
        buyer = reader.agent_before(sentence, start)
        _, hi = reader.clause(sentence, start)
        hi = reader.subclause_end(sentence, end, hi)
        seller = None
        for ref in reader.refs(end, min(hi, end + 120), AGENT_KINDS, nested=False):
            gap = fold(reader.ctx.text[max(end, ref.start - 40) : ref.start])
            if ref.naming and (
                _rx(lex, "ties.SUPPLIES.seller_re").search(gap)
                # "a acheté 30 Rafale à Dassault Aviation": "à" names a seller only if a company
                or (
                    ref.kind == "company"
                    and _optional_search(lex, "ties.SUPPLIES.company_seller_re", gap)
                )
                # "a acheté des drones à la Turquie": a state after "à la", "à l'"
                or (
                    ref.kind == "state"
                    and ref.form == "name"
                    and _optional_search(lex, "ties.SUPPLIES.state_seller_re", gap)
                )
            ):
                seller = ref
                break
        out.append(_tie(reader, "SUPPLIES", seller, buyer, sentence, (start, end)))
    return out


def _passive_trains(
    reader: Reader, sentence: Sentence
) -> tuple[list[Tie | None], list[tuple[int, int]]]:
    """ "Bahraini pilots were trained by the US Air Force", "les pilotes grecs sont formés …
    par des instructeurs de la société X": the trainer follows "by"/"par"."""
    out: list[Tie | None] = []
    spans: list[tuple[int, int]] = []
    for start, end in _cues(reader, sentence, "ties.TRAINS.passive_re"):
        spans.append((start, end))
        lo, hi = reader.clause(sentence, start)
        trainer: Ref | None = None
        for ref in reader.refs(end, min(hi, end + 90), AGENT_KINDS, nested=False):
            if ref.naming and not reader.is_modifier(ref):
                trainer = ref
                break
            if ref.form == "adjective" and describes_people(reader.ctx, ref):
                trainer = ref  # "par des instructeurs russes"
                break
        # "the Afghan Air Force officers are being trained": the people of a state or of its
        # service, named just before the verb.
        trainees = [
            r
            for r in reader.refs(max(lo, start - 60), start, AGENT_KINDS)
            if (r.form == "adjective" or r.kind == "body") and describes_people(reader.ctx, r)
        ]
        trainee: Ref | str | None = trainees[-1] if trainees else None
        if trainee is None:
            trainee = reader.agent_before(sentence, start)
        trainee_id = _target_id(trainee)
        if trainee_id and reader.ctx.kind_of(trainee_id) == "organization":
            continue  # "le Mercosur, formé par le Brésil, l'Argentine …": made up of, not trained
        out.append(_tie(reader, "TRAINS", trainer, trainee, sentence, (start, end)))
    return out, spans


def _inside_a_name(reader: Reader, sentence: Sentence, start: int, end: int) -> bool:
    """A capitalised cue inside a name ("the British Peace Support Training Team"), in a
    sentence that is not a headline in capitals, is no verb."""
    text = reader.ctx.text
    if start == sentence.start or not text[start].isupper():
        return False
    words = re.findall(r"\w{4,}", text[sentence.start : sentence.end])
    if sum(w[0].islower() for w in words) <= 1:
        return False  # "Russia Trains Malian Troops"
    after = re.match(r"\s+(\w)", text[end : end + 3])
    before = re.search(r"(\w)\w*\s+$", text[max(sentence.start, start - 30) : start])
    return bool(after and after.group(1).isupper()) or bool(before and before.group(1).isupper())


def trains(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    passive: list[tuple[int, int]] = []
    if reader.ctx.lex.has("ties.TRAINS.passive_re"):
        out, passive = _passive_trains(reader, sentence)
    for start, end in _cues(reader, sentence, "ties.TRAINS.verb_re"):
        if any(s <= start < e for s, e in passive) or _inside_a_name(reader, sentence, start, end):
            continue
        if start in reader.ctx.noun_starts and not _optional_search(
            reader.ctx.lex, "ties.TRAINS.noun_recipient_re", fold(reader.ctx.text[end : end + 40])
        ):
            continue  # a noun ("to export their counter narcotics training amongst …")
        source = reader.agent_before(sentence, start, naming=False)
        own = _rx(reader.ctx.lex, "ties.TRAINS.own_re").match(
            fold(reader.ctx.text[end : end + 50]),
        )
        if own:
            # "Singapore trains its pilots in Australia": trained by the host, not training it.
            _, hi = reader.clause(sentence, start)
            hosts = reader.refs(end + own.end(), min(hi, end + own.end() + 12), STATE)
            if hosts and hosts[0].naming:
                for host in _targets_from(reader, sentence, hosts[0]):
                    out.append(_tie(reader, "TRAINS", host, source, sentence, (start, end)))
            continue
        limit = 80
        if start in reader.ctx.noun_starts:
            # The noun "training" trains whom its own phrase names: "the training of troops,
            # the Nigerian embassy in Moscow said" trains no one in Moscow.
            comma = reader.ctx.text.find(",", end, end + limit)
            limit = comma - end if comma >= 0 else limit
        target = reader.target_after(sentence, end, marked=False, limit=limit)
        out.append(_tie(reader, "TRAINS", source, target, sentence, (start, end)))
    school = reader.ctx.lex.regex("ties.TRAINS.school_re")
    for start, end in _cues(reader, sentence, "ties.TRAINS.reverse_re"):
        if any(start < e and end > s for s, e in passive):
            continue
        lo, hi = reader.clause(sentence, start)
        students = [
            r
            for r in reader.refs(max(lo, start - 50), start, STATE)
            if not reader.is_place(r) or r.form == "adjective"
        ]
        m = school.search(fold(reader.ctx.text[end:hi])[:60])
        if not students or m is None:
            continue
        after_school = end + m.end()
        hosts = reader.refs(after_school, min(hi, after_school + 50), STATE)
        if hosts:
            out.append(_tie(reader, "TRAINS", hosts[0], students[-1], sentence, (start, end)))
    return out


def _targets_from(reader: Reader, sentence: Sentence, first: Ref) -> list[Ref]:
    """The first receiver and those coordinated with it ("à Bamako et à Ouagadougou")."""
    _, hi = reader.clause(sentence, first.start)
    out = [first]
    for ref in reader.refs(first.end, hi, STATE, nested=False):
        gap = fold(reader.ctx.text[out[-1].end : ref.start])
        # "à Washington en septembre, puis à Paris", "Manila, and then Hanoi"
        if ref.naming and _rx(reader.ctx.lex, "ties.VISITED.places_gap_re").fullmatch(
            gap,
        ):
            out.append(ref)
        else:
            break
    return out


def _apposed_visitor(reader: Reader, sentence: Sentence, start: int, end: int) -> Ref | None:
    """The one named just before a participle set off by a comma (", arrivé à Bakou")."""
    text = reader.ctx.text
    if not re.search(r",\s*$", text[max(sentence.start, start - 3) : start]):
        return None
    if not _optional_search(reader.ctx.lex, "ties.VISITED.apposed_re", fold(text[start:end])):
        return None
    lo, _ = reader.clause(sentence, start)
    named = reader._agents(lo, start, VISITORS)
    people = [r for r in named if r.kind == "person"]
    return people[-1] if people else (named[-1] if named else None)


def visits(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    for start, end in _cues(reader, sentence, "ties.VISITED.verb_re"):
        if start in reader.ctx.noun_starts and _rx(reader.ctx.lex, "ties.VISITED.noun_of_re").match(
            fold(reader.ctx.text[end : reader.clause(sentence, start)[1]])
        ):
            continue  # "lors de la visite d'État du président …": the noun's, read below
        source = _apposed_visitor(reader, sentence, start, end) or reader.agent_before(
            sentence, start, VISITORS
        )
        target = reader.target_after(sentence, end, STATE, marked=False, limit=60)
        if target is None:
            continue
        for place in _targets_from(reader, sentence, target):
            out.append(_tie(reader, "VISITED", source, place, sentence, (start, end)))
    for start, end in _cues(reader, sentence, "ties.VISITED.presence_re"):
        visitor = _apposed_visitor(reader, sentence, start, end) or reader.agent_before(
            sentence, start, VISITORS
        )
        if not isinstance(visitor, Ref) or visitor.kind != "person":
            continue
        # The place right after the preposition (an article at most): not "in contact with".
        place = reader.target_after(sentence, end, STATE, marked=False, limit=60)
        gap = fold(reader.ctx.text[end : place.start]) if place is not None else ""
        if place is not None and _rx(reader.ctx.lex, "ties.VISITED.presence_gap_re").fullmatch(gap):
            out.append(_tie(reader, "VISITED", visitor, place, sentence, (start, end)))
    for start, end in _cues(reader, sentence, "ties.VISITED.noun_re"):
        _, hi = reader.clause(sentence, start)
        after = fold(reader.ctx.text[end:hi])
        place_first = _visit_to_a_place_by(reader, sentence, (start, end), hi)
        if place_first is not None:
            out.append(place_first)
            continue
        if not _rx(reader.ctx.lex, "ties.VISITED.noun_of_re").match(after):
            continue
        visitors = [
            r
            for r in reader.refs(
                end, min(hi, end + 90), frozenset({"person", "state"}), nested=False
            )
            if r.naming
        ]
        if not visitors:
            continue
        visitor = visitors[0]
        target = reader.target_after(sentence, visitor.end, STATE, limit=40)
        out.append(_tie(reader, "VISITED", visitor, target, sentence, (start, end)))
    return out


def _visit_to_a_place_by(
    reader: Reader, sentence: Sentence, cue: tuple[int, int], hi: int
) -> Tie | None:
    """ "la visite d'État à Ryad du Premier ministre pakistanais, Shehbaz Sharif", "a visit to
    Riyadh by Prime Minister Shehbaz Sharif": the place first, then who came."""
    lex = reader.ctx.lex
    text = reader.ctx.text
    place_cue = _rx(lex, "ties.VISITED.noun_place_re").match(fold(text[cue[1] : hi]))
    if place_cue is None:
        return None
    at = cue[1] + place_cue.end()
    places = [r for r in reader.refs(at, min(hi, at + 40), STATE, nested=False) if r.naming]
    if not places or text[at : places[0].start].strip():
        return None  # the place must follow its preposition
    place = places[0]
    by = _rx(lex, "ties.VISITED.place_then_visitor_re").match(fold(text[place.end : hi]))
    if by is None:
        return None
    after = place.end + by.end()
    visitors = [
        r
        for r in reader.refs(after, min(hi, after + 90), frozenset({"person", "state"}))
        if r.naming and r.target != place.target
    ]
    if not visitors:
        return None
    return _tie(reader, "VISITED", visitors[0], place, sentence, cue)


def leases(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    kinds = frozenset({"facility", "state", "place"})
    for start, end in _cues(reader, sentence, "ties.LEASES.noun_re"):
        _, hi = reader.clause(sentence, start)
        assets = [r for r in reader.refs(end, min(hi, end + 60), kinds, nested=False) if r.naming]
        if not assets:
            continue
        tail = fold(reader.ctx.text[assets[0].end : hi])
        m = _rx(reader.ctx.lex, "ties.LEASES.by_re").match(tail)
        if m is None:
            continue
        lessee = reader.refs(assets[0].end + m.end(), hi, AGENT_KINDS)
        if lessee:
            out.append(_tie(reader, "LEASES", lessee[0], assets[0], sentence, (start, end)))
    for start, end in _cues(reader, sentence, "ties.LEASES.verb_re"):
        lessee = reader.agent_before(sentence, start)
        asset = reader.target_after(sentence, end, kinds, marked=False, limit=60)
        out.append(_tie(reader, "LEASES", lessee, asset, sentence, (start, end)))
    return out


def joint_ventures(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    lex = reader.ctx.lex
    pair_re = lex.regex("pair_phrase_re")
    for start, end in _cues(reader, sentence, "ties.JOINT_VENTURE.noun_re"):
        lo, hi = reader.clause(sentence, start)
        actors = [
            r
            for r in reader.refs(lo, hi, frozenset({"state", "company", "organization"}))
            if r.naming
            and not reader.is_place(r)
            and not reader.is_target(r)
            and not _names_the_venture(reader, end, r)
        ]
        actors += _state_nouns(reader, lo, hi, actors)
        actors.sort(key=lambda r: r.start)
        if _rx(lex, "ties.JOINT_VENTURE.of_re").match(fold(reader.ctx.text[end : end + 10])):
            partners = [r for r in actors if r.start > end]
            if len({r.target for r in partners}) >= 2:
                actors = partners  # "X is a joint venture of A and B": A and B, not X
        ids = list(dict.fromkeys(r.target for r in actors))
        companies = [i for i in ids if reader.ctx.kind_of(i) == "company"]
        chosen = companies if len(companies) >= 2 else ids
        if len(chosen) >= 2:
            out.append(_tie(reader, "JOINT_VENTURE", chosen[0], chosen[1], sentence, (start, end)))
            continue
        previous = reader.ctx.sentences[sentence.index - 1].text if sentence.index else ""
        near = local_pair(reader.ctx, start)
        if near and (pair_re.search(fold(sentence.text)) or pair_re.search(fold(previous))):
            out.append(_tie(reader, "JOINT_VENTURE", near[0], near[1], sentence, (start, end)))
    return out


def _names_the_venture(reader: Reader, cue_end: int, ref: Ref) -> bool:
    """ "l'entreprise commune «Kamaz-Engineering»": the venture's own name, not a partner."""
    if not cue_end <= ref.start <= cue_end + 4:
        return False
    return not _rx(reader.ctx.lex, "ties.JOINT_VENTURE.partner_re").match(
        fold(reader.ctx.text[cue_end : ref.start]) + " ",
    )


def _state_nouns(reader: Reader, lo: int, hi: int, known: list[Ref]) -> list[Ref]:
    """ "l'État mongol", "the Norwegian state", "le gouvernement kazakh": a state as a party."""
    nouns = reader.ctx.lex.regex("state_noun_re")
    out: list[Ref] = []
    taken = {r.target for r in known}
    for ref in reader.refs(lo, hi, STATE):
        if ref.form != "adjective" or ref.target in taken:
            continue
        around = fold(reader.ctx.text[max(lo, ref.start - 16) : min(hi, ref.end + 12)])
        if nouns.search(around):
            out.append(ref)
            taken.add(ref.target)
    return out


def _definite_before(reader: Reader, start: int) -> bool:
    """A definite article opens the noun phrase ending at ``start``, over up to two modifiers
    ("the alliance", "the military alliance"); not over a preposition ("the Treaty of
    Alliance" is the treaty's article)."""
    lex = reader.ctx.lex
    before = fold(reader.ctx.text[max(0, start - 30) : start])
    words = re.findall(r"[\w']+", before)[-3:]
    articles = lex.words("definite_articles")
    joining = lex.words("coordinators") | frozenset(
        p for p in lex.get("np_prepositions") if " " not in p
    )
    for word in reversed(words):
        if word in articles:
            return True
        if word in joining:
            return False
    return False


def alliances(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    lex = reader.ctx.lex
    pair_re = lex.regex("pair_phrase_re")
    for start, end in _cues(reader, sentence, "ties.ALLIED_WITH.noun_re"):
        if _optional_search(
            lex, "ties.ALLIED_WITH.attributive_re", reader.folded[start : end + 20]
        ):
            continue
        if _negated(reader, sentence, start, end):
            continue  # "le Japon, qui n'est pas un allié des États-Unis"
        lo, hi = reader.clause(sentence, start)
        states = [r for r in reader.refs(lo, hi, STATE, nested=True) if r.naming]
        after = fold(reader.ctx.text[end:hi])
        if _rx(lex, "ties.ALLIED_WITH.of_re").match(after):
            ally = [r for r in reader.refs(end, min(hi, end + 40), STATE) if r.naming]
            subject = reader.agent_before(sentence, start, STATE)
            subjects: list[Ref | str] = (
                [subject] if subject else list(reader.group_before(sentence, start))
            )
            if ally and subjects:
                for subj in subjects:
                    out.append(_tie(reader, "ALLIED_WITH", subj, ally[0], sentence, (start, end)))
                continue
        between = _rx(lex, "ties.ALLIED_WITH.between_re").search(fold(reader.ctx.text[lo:hi]))
        if not between and _definite_before(reader, start):
            continue  # "rejoigne l'alliance", "join the alliance": an organisation named before
        if any(
            r.form == "adjective" and (r.start <= end + 2 if r.start >= end else r.end >= start - 1)
            for r in reader.refs(max(lo, start - 30), min(hi, end + 30), STATE)
        ):
            # "son allié bélarusse", "its Belarusian ally": the ally is that state, not the
            # clause's others.
            continue
        distinct = list(dict.fromkeys(r.target for r in states))
        if len(distinct) == 2 and (between or abs(states[0].start - start) < 120):
            out.append(
                _tie(reader, "ALLIED_WITH", distinct[0], distinct[1], sentence, (start, end))
            )
            continue
        group = resolve_group(reader.ctx, max(lo, start - 30), min(hi, end + 30), reader.pair)
        if len(group) == 2:
            out.append(_tie(reader, "ALLIED_WITH", group[0], group[1], sentence, (start, end)))
        elif (near := local_pair(reader.ctx, start)) and pair_re.search(
            fold(reader.ctx.text[max(lo, start - 30) : min(hi, end + 30)])
        ):
            out.append(_tie(reader, "ALLIED_WITH", near[0], near[1], sentence, (start, end)))
    return out


def part_of(
    reader: Reader, sentence: Sentence, parent_of: Callable[[str], str | None]
) -> list[Tie | None]:
    out: list[Tie | None] = []
    ctx = reader.ctx
    refs: list[Ref] = []
    for r in ctx.refs_in(sentence, nested=False):
        if not r.naming:
            continue
        if (
            refs
            and refs[-1].target == r.target
            and re.fullmatch(r"\s*\(\s*", ctx.text[refs[-1].end : r.start])
        ):
            continue  # "Organisation … (OTSC)": the acronym in brackets repeats the name
        refs.append(r)
    for i, ref in enumerate(refs[:-1]):
        if ctx.kind_of(ref.target) not in ("body", "programme"):
            continue
        nxt = refs[i + 1]
        gap = fold(ctx.text[ref.end : nxt.start])
        if ctx.kind_of(nxt.target) not in ORG_KINDS:
            continue
        if _rx(ctx.lex, "ties.PART_OF.gap_re").fullmatch(gap):
            out.append(_tie(reader, "PART_OF", ref, nxt, sentence, (ref.start, nxt.end)))
    within = ctx.lex.regex("ties.PART_OF.within_re")
    created = ctx.lex.regex("ties.PART_OF.created_re")
    for org in refs:
        if ctx.kind_of(org.target) != "organization":
            continue
        if not within.search(reader.before(org.start, 40)) or not created.search(
            fold(sentence.text)
        ):
            continue
        for ref in refs:
            if ref.target != org.target and ctx.kind_of(ref.target) == "body":
                out.append(
                    _tie(
                        reader,
                        "PART_OF",
                        ref,
                        org,
                        sentence,
                        (min(ref.start, org.start), max(ref.end, org.end)),
                    )
                )
    out += [
        _tie(reader, "PART_OF", ref, org, sentence, (ref.start, ref.end))
        for ref, org in _named_within(ctx, refs)
    ]
    return out


def _named_within(ctx: DocContext, refs: list[Ref]) -> list[tuple[Ref, str]]:
    """A body whose own name holds the name of one organisation the document names ("the ASEAN
    Secretariat", "le Secrétariat de l'ASEAN", "the EAC Council of Ministers") is part of it:
    its name says so."""
    from loaders.gazetteer import load_gazetteer

    heads = ctx.lex.mapping("named_heads")
    out = []
    for ref in refs:
        if ctx.kind_of(ref.target) != "body":
            continue
        name = ctx.text[ref.start : ref.end]
        inside = {
            m.entry_id: m
            for m in load_gazetteer().find(name)
            if m.entry_id != ref.target and ctx.kind_of(m.entry_id) == "organization"
        }
        if len(inside) != 1:
            continue
        org = next(iter(inside.values()))
        # The rest of the name must be a body's head ("Secretariat", "Council of Ministers"),
        # not more of another name ("Combined Joint Expeditionary Force").
        rest = fold(name[: org.start] + " " + name[org.end :]).split()
        if any(heads.get(word) == "body" for word in rest):
            out.append((ref, org.entry_id))
    return out


def gazetteer_part_of(reader: Reader, parent_of: Callable[[str], str | None]) -> list[Tie | None]:
    """A body the gazetteer places under an organisation that the document also names."""
    ctx = reader.ctx
    out: list[Tie | None] = []
    for sentence in ctx.sentences:
        refs = [r for r in ctx.refs_in(sentence) if r.naming]
        named = {r.target: r for r in reversed(refs)}
        for target, ref in sorted(named.items()):
            parent = parent_of(target)
            # Only when the sentence names both: the text, not the gazetteer, is the evidence.
            if parent and parent in named:
                span = (min(ref.start, named[parent].start), max(ref.end, named[parent].end))
                out.append(_tie(reader, "PART_OF", ref, parent, sentence, span))
    return out


def participations(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    out: list[Tie | None] = []
    ctx = reader.ctx
    for start, end in _cues(reader, sentence, "ties.PARTICIPATED_IN.verb_re"):
        if _negated(reader, sentence, start):
            continue
        _, hi = reader.clause(sentence, start)
        hi = reader.subclause_end(sentence, end, hi)  # not the exercise of ", et le Sénégal …"
        targets = [
            r
            for r in reader.refs(
                end, min(hi, end + 110), frozenset({"programme", "body", "exercise"}), nested=False
            )
            if r.naming
        ]
        if not targets:
            continue
        for member in _member_subjects(reader, sentence, start, end):
            out.append(_tie(reader, "PARTICIPATED_IN", member, targets[0], sentence, (start, end)))
    _ = ctx
    return out


def exercises(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    """Hosts and participants of the exercises named in a sentence."""
    out: list[Tie | None] = []
    ctx = reader.ctx
    for event in reader.refs(sentence.start, sentence.end, frozenset({"exercise"})):
        lo, hi = reader.clause(sentence, event.start)
        host: Ref | str | None = None
        host_ref: Ref | None = None
        for start, _ in _cues(reader, sentence, "ties.HOSTED.verb_re"):
            if lo <= start < event.start:
                host = reader.agent_before(sentence, start, frozenset({"state", "body"}))
                host_ref = host if isinstance(host, Ref) else None
        if host is None:
            tail = fold(ctx.text[event.end : hi])
            m = _rx(ctx.lex, "ties.HOSTED.place_after_re").match(tail)
            if m:
                places = reader.refs(event.end + m.end(), event.end + m.end() + 30, STATE)
                if places:
                    host, host_ref = places[0], places[0]
        hosts: list[Ref | str] = []
        if host is not None:
            hosts.append(host)
            if isinstance(host, Ref):
                hosts += _coordinated(reader, sentence, host)
        hosts += _passive_hosts(reader, sentence, event, lo, hi)
        for h in hosts:
            out.append(_tie(reader, "HOSTED", h, event, sentence, (event.start, event.end)))
        # Not the states of an earlier coordinated clause (", et le Sénégal a participé …").
        sub = reader.subclause_start(sentence, event.start)
        out += _participants(reader, sentence, event, sub, hi, host_ref)
    return out


def _coordinated(reader: Reader, sentence: Sentence, first: Ref) -> list[Ref]:
    """Actors of the same kind joined to ``first`` by "et"/"and"/commas, before and after it
    ("Indonesia and the United States co-hosted …")."""
    lo, hi = reader.clause(sentence, first.start)
    kinds = frozenset({first.kind})
    coord = _rx(reader.ctx.lex, "ties.HOSTED.coordinated_re")
    out: list[Ref] = []
    last = first
    for ref in reader.refs(first.end, hi, kinds, nested=False):
        if not ref.naming:
            continue
        if _possessor(reader, ref):
            break  # "France, Germany's closest ally, joined": Germany owns the apposition
        if coord.fullmatch(fold(reader.ctx.text[last.end : ref.start])):
            out.append(ref)
            last = ref
        else:
            break
    nxt = first
    for ref in reversed(reader.refs(lo, first.start, kinds, nested=False)):
        if not ref.naming:
            continue
        if coord.fullmatch(fold(reader.ctx.text[ref.end : nxt.start])):
            out.append(ref)
            nxt = ref
        else:
            break
    return out


def _possessor(reader: Reader, ref: Ref) -> bool:
    """The name owns the noun after it ("Germany's closest ally", "Japan's programme")."""
    ends = tuple(reader.ctx.lex.words("possessive_ends", optional=True))
    return bool(ends) and fold(reader.ctx.text[ref.end : ref.end + 2]).startswith(ends)


def _passive_hosts(reader: Reader, sentence: Sentence, event: Ref, lo: int, hi: int) -> list[Ref]:
    """ "X, a NATO exercise hosted by Norway", "organisé par l'Égypte et coorganisé par les
    États-Unis", "coorganisé avec les États-Unis": hosts named after the event."""
    ctx = reader.ctx
    if not ctx.lex.has("ties.HOSTED.passive_re"):
        return []
    out: list[Ref] = []
    text = fold(ctx.text[event.end : hi])
    for m in ctx.lex.regex("ties.HOSTED.passive_re").finditer(text):
        pos = event.end + m.end()
        after = [
            r
            for r in reader.refs(pos, min(hi, pos + 40), frozenset({"state", "body"}), nested=False)
            if r.naming
        ]
        if after and _rx(ctx.lex, "ties.HOSTED.article_gap_re").fullmatch(
            fold(ctx.text[pos : after[0].start])
        ):
            out.append(after[0])
            out += [r for r in _coordinated(reader, sentence, after[0]) if r.start > pos]
    return out


def _participants(
    reader: Reader, sentence: Sentence, event: Ref, lo: int, hi: int, host_ref: Ref | None
) -> list[Tie | None]:
    """States and armed forces named in the clause of an exercise, or "the two countries"."""
    out: list[Tie | None] = []
    kinds = frozenset({"state", "body"})
    near = _rx(reader.ctx.lex, "ties.PARTICIPATED_IN.near_before_re")
    named = [
        r
        for r in reader.refs(lo, hi, kinds, nested=True)
        if r is not host_ref
        and r.naming
        and not reader.is_modifier(r)
        # An organisation's organ names who runs an exercise; armed forces who take part.
        and not (r.kind == "body" and _from_gazetteer(reader, r.target))
        and not near.search(reader.before(r.start, 12))
    ]
    # A state inside a named force ("forces armées du Kazakhstan") is the force's, not a second
    # participant.
    outer = [r for r in named if not r.nested or r.kind != "state"]
    for ref in outer:
        out.append(_tie(reader, "PARTICIPATED_IN", ref, event, sentence, (ref.start, ref.end)))
    for state in resolve_group(reader.ctx, lo, hi, reader.pair):
        out.append(
            _tie(reader, "PARTICIPATED_IN", state, event, sentence, (event.start, event.end))
        )
    return out


def _from_gazetteer(reader: Reader, target: str) -> bool:
    info = reader.ctx.actor(target)
    return bool(info is not None and info.dataset)


def later_participation(reader: Reader, sentence: Sentence) -> list[Tie | None]:
    """ "X took part … alongside Y": in the exercise named in the sentence before."""
    out: list[Tie | None] = []
    if sentence.index == 0 or reader.refs(sentence.start, sentence.end, frozenset({"exercise"})):
        return out
    previous = reader.ctx.sentences[sentence.index - 1]
    events = reader.refs(previous.start, previous.end, frozenset({"exercise"}))
    if not events:
        return out
    for start, end in _cues(reader, sentence, "ties.PARTICIPATED_IN.verb_re"):
        lo, hi = reader.clause(sentence, start)
        if reader.refs(start, hi, frozenset({"programme", "body", "organization"})):
            continue
        # "Nations that are not taking part in it include Mali": the participants are read
        # from the clause around the cue, whose own verb the negation holds.
        if _negated(reader, sentence, start, end):
            continue
        if _optional_search(
            reader.ctx.lex, "ties.PARTICIPATED_IN.in_other_re", fold(reader.ctx.text[end:hi])
        ):
            continue
        out += _participants(reader, sentence, events[-1], lo, hi, None)
    return out


def extract_relations(
    ctx: DocContext,
    pair: tuple[str, str] | None,
    dates: dict[int, list[DateMention]],
    represents: dict[str, str],
    parent_of: Callable[[str], str | None],
) -> Relations:
    reader = Reader(ctx, pair, dates, represents)
    ties: list[Tie | None] = []
    for sentence in ctx.sentences:
        ties += supplies(reader, sentence)
        ties += trains(reader, sentence)
        ties += visits(reader, sentence)
        ties += leases(reader, sentence)
        ties += joint_ventures(reader, sentence)
        ties += alliances(reader, sentence)
        ties += part_of(reader, sentence, parent_of)
        ties += participations(reader, sentence)
        ties += exercises(reader, sentence)
        ties += later_participation(reader, sentence)
    ties += gazetteer_part_of(reader, parent_of)
    return Relations(memberships=memberships(reader), ties=[t for t in ties if t is not None])
