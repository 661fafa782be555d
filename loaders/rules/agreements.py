"""Agreements: a kind noun, the name it heads, its parties, dates, status and domains.

A bare reference ("l'accord", "ce traité", "the agreement") is not a new agreement: it points
back to the nearest named one, and whatever its sentence says (extended, in force, a duration)
is added there. Two mentions of one agreement in a document are merged when they have the same
kind, compatible dates and share content words.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from loaders.model import Agreement, Mention, Tie
from loaders.rules.context import DocContext, Ref, local_pair, resolve_group
from loaders.rules.dates import DateMention
from loaders.rules.lexicon import Lexicon
from loaders.rules.phrases import match_preposition, np_end, np_start_en, premodified
from loaders.rules.text import Sentence, Token, fold, slugify

PARTY_KINDS = frozenset({"state", "organization", "body", "company"})
_STATUS_ORDER = ("draft", "terminated", "superseded", "extended", "in_force", "signed")


@dataclass
class Draft:
    """An agreement while its document is read."""

    kind: str
    name: str
    start: int
    end: int
    sentence: Sentence
    content: list[str]
    parties: list[str] = field(default_factory=list)
    signed: str | None = None
    in_force: str | None = None
    expires: str | None = None
    extended: str | None = None
    duration: int | None = None
    statuses: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    id: str = ""
    explicit: bool = False  # parties read from the sentence, not guessed from context
    merged_into: Draft | None = None

    @property
    def year(self) -> str | None:
        date = self.signed or self.in_force
        return date[:4] if date else None

    def root(self) -> Draft:
        node = self
        while node.merged_into is not None:
            node = node.merged_into
        return node


@dataclass
class AgreementResult:
    agreements: list[Agreement]
    mentions: list[Mention]
    ties: list[Tie]


# ---------------------------------------------------------------------------- finding names


@cache
def _first_words(lex: Lexicon) -> frozenset[str]:
    """The token each kind noun of ``agreement_kinds`` begins with ("d'" of "d'accord")."""
    return frozenset(
        re.match(r"[^ ']+'?", phrase).group() for phrase in lex.mapping("agreement_kinds")
    )


def _kind_at(ctx: DocContext, tokens: list[Token], i: int) -> tuple[str, int] | None:
    """(kind, tokens used) when a kind noun starts at ``i``."""
    if tokens[i].low not in _first_words(ctx.lex):
        return None  # most words begin no kind noun: the phrases below are not built
    kinds = ctx.lex.mapping("agreement_kinds")
    for width in (3, 2, 1):
        if i + width > len(tokens):
            continue
        phrase = " ".join(t.low for t in tokens[i : i + width]).replace("' ", "'")
        if phrase in kinds:
            used = width
            # "mémorandum d'entente", "protocole d'accord": one noun.
            if i + used + 1 < len(tokens):
                pair = tokens[i + used].low + tokens[i + used + 1].low
                if ctx.lex.regex("agreement_kind_compounds_re").match(pair):
                    used += 2
            if (
                ctx.lex.has("kind_complement_re")
                and i + used + 2 < len(tokens)
                and ctx.lex.regex("kind_complement_re").match(
                    f"{tokens[i + used].low} {tokens[i + used + 1].low}"
                )
            ):
                used += 2  # "memorandum of understanding": one kind noun
            return str(kinds[phrase]), used
    return None


def _is_consent(ctx: DocContext, tok: Token) -> bool:
    """ "sans l'accord de", "d'un commun accord", "en accord avec": consent, not a text."""
    if tok.low not in ctx.lex.words("consent_nouns", optional=True):
        return False
    before = fold(ctx.text[max(0, tok.start - 40) : tok.start])
    if ctx.lex.regex("consent_before_keep_re").search(before):
        return False
    if ctx.lex.regex("consent_before_re").search(before):
        return True
    after = fold(ctx.text[tok.end : tok.end + 20])
    return bool(ctx.lex.regex("consent_after_re", ignore_case=False).match(after))


def _inside_actor(ctx: DocContext, tok: Token, kind: str) -> bool:
    ref = ctx.ref_at(tok.start, tok.end)
    if ref is None:
        return False
    # "plan d'action individuel pour le partenariat (IPAP)" is a programme and an agreement.
    return not (kind in ("plan", "agreement", "treaty", "memorandum") and ref.kind == "programme")


def _content_words(ctx: DocContext, start: int, end: int, head_end: int) -> list[str]:
    """Folded words of a name that make it specific (not kind nouns, articles, generic words)."""
    lex = ctx.lex
    generic = lex.words("agreement_generic_words") | frozenset(lex.mapping("agreement_kinds"))
    stop = lex.words("content_stop_words")
    # State names and adjectives say who the parties are, not what the agreement is about; a
    # city names it ("the Riyadh Declaration", "les accords de Minsk"), unless it only says
    # where it was signed ("l'accord à Pékin").
    places = lex.words("name_place_prepositions", optional=True)
    refs = [
        r
        for r in ctx.refs_between(start, end)
        if r.kind == "state" and (r.form != "capital" or _word_before(ctx.text, r.start) in places)
    ]
    words: list[str] = []
    for m in re.finditer(r"[^\W_]+(?:-[^\W_]+)*", ctx.text[head_end:end]):
        pos = head_end + m.start()
        if any(r.start <= pos < r.end for r in refs):
            continue
        word = fold(m.group())
        if word in stop or word in generic or word.isdigit():
            continue
        words.append(word)
    return words


def _word_before(text: str, pos: int) -> str:
    words = fold(text[max(0, pos - 20) : pos]).split()
    return words[-1] if words else ""


def _name_span(
    ctx: DocContext,
    sentence: Sentence,
    tokens: list[Token],
    i: int,
    used: int,
    stop_at: frozenset[int],
) -> tuple[int, int]:
    lex = ctx.lex
    adjectives = _adjectives(ctx, sentence)
    end = np_end(
        lex, tokens, i + used - 1, stop_at=stop_at, adjective_starts=adjectives, text=ctx.text
    )
    start = i
    if premodified(lex):
        start = np_start_en(lex, tokens, i, sentence.start, ctx.verb_starts)
    return start, end


def _is_heading(ctx: DocContext, sentence: Sentence) -> bool:
    """A line of its own without a final stop: a title or a subtitle."""
    line_start = ctx.text.rfind("\n", 0, sentence.start) + 1
    line_end = ctx.text.find("\n", sentence.end)
    line = ctx.text[line_start : line_end if line_end >= 0 else len(ctx.text)].strip()
    return line == sentence.text.strip() and not re.search(r"[.!?…»\"”)]$", line)


def find_drafts(
    ctx: DocContext, dates: dict[int, list[DateMention]]
) -> tuple[list[Draft], list[tuple[Draft | None, int, int, Sentence]]]:
    """Named agreements and bare references (with the sentence each is in)."""
    drafts: list[Draft] = []
    bare: list[tuple[Draft | None, int, int, Sentence]] = []
    for sentence in ctx.sentences:
        if sentence.text.isupper() or _is_heading(ctx, sentence):
            continue  # a headline repeats the body, in a style that hides what is a name
        tokens = ctx.tokens(sentence)
        sentence_dates = dates.get(sentence.index, [])
        # A period stays inside a name ("Concept … pour 2020-2030"); other dates end it.
        stop_at = frozenset(
            d.start for d in sentence_dates if d.until is None or d.role != "plain"
        ) | frozenset(b for b in ctx.clause_breaks if sentence.start <= b < sentence.end)
        i = 0
        while i < len(tokens):
            found = _kind_at(ctx, tokens, i)
            if found is None:
                i += 1
                continue
            kind, used = found
            tok = tokens[i]
            if _is_consent(ctx, tok) or _inside_actor(ctx, tok, kind):
                i += used
                continue
            s_idx, e_idx = _name_span(ctx, sentence, tokens, i, used, stop_at)
            start, end = tokens[s_idx].start, tokens[e_idx - 1].end
            head_end = tokens[i + used - 1].end
            content = _content_words(ctx, tokens[s_idx].start, end, head_end)
            if premodified(ctx.lex):
                content = _content_words(ctx, start, tokens[i].start, start) + content
            # "un accord kazakho-russe a été signé sur les principes…": the complement comes
            # after the verb.
            extra = _detached_complement(ctx, sentence, tokens, e_idx, stop_at, sentence_dates)
            name = " ".join(ctx.text[start:end].split())
            if extra is not None:
                x_start, x_end = extra
                more = _content_words(ctx, x_start, x_end, x_start)
                if more:
                    content += more
                    name = f"{name} {' '.join(ctx.text[x_start:x_end].split())}"
                    end = x_end  # parties named in the complement count as inside the name
            if not content:
                bare.append((None, start, end, sentence))
                i = max(e_idx, i + used)
                continue
            drafts.append(
                Draft(kind, name, start, end, sentence, content, spans=[(start, end)], names=[name])
            )
            i = max(e_idx, i + used)
    return drafts, bare


def _detached_complement(
    ctx: DocContext,
    sentence: Sentence,
    tokens: list[Token],
    e_idx: int,
    stop_at: frozenset[int],
    dates: list[DateMention],
) -> tuple[int, int] | None:
    """The "sur …"/"on …" complement after a passive verb, an "avec X" phrase or a date
    ("Accord du 23 juin 2005 portant sur la formation …")."""
    if e_idx >= len(tokens):
        return None
    begin = tokens[e_idx].start
    after_date = False
    for d in dates:
        gap = fold(ctx.text[begin : d.start])
        date_gap = ctx.lex.regex("complement_date_gap_re", ignore_case=False)
        if d.start >= begin and date_gap.fullmatch(gap):
            begin, after_date = d.end, True
            break
    rest = fold(ctx.text[begin : sentence.end])
    if rest.startswith(")"):
        rest, begin = rest[1:], begin + 1
    # Right after a date the complement may follow directly; elsewhere a verb or "avec" must.
    key = "complement_skip_after_date_re" if after_date else "complement_skip_re"
    skip = ctx.lex.regex(key, ignore_case=False).match(rest)
    if skip is None:
        return None
    pos = begin + skip.end()
    k = next((j for j, t in enumerate(tokens) if t.start >= pos), None)
    if k is None:
        return None
    lex = ctx.lex
    when = lex.words("weekdays", optional=True) | frozenset(lex.mapping("months"))
    if k + 1 < len(tokens) and tokens[k + 1].low in when:
        return None  # "an agreement with the US on Thursday": when, not what
    adjectives = _adjectives(ctx, sentence)
    # Treat the preposition as the head of a phrase and let np_end find where it stops.
    end = np_end(ctx.lex, tokens, k, stop_at=stop_at, adjective_starts=adjectives, text=ctx.text)
    if end <= k + 1:
        k_end = _after_prep_phrase(ctx, tokens, k, stop_at, adjectives)
        if k_end <= k + 1:
            return None
        end = k_end
    while end - 1 > k + 1 and match_preposition(lex, tokens, end - 1):
        end -= 1  # "… cooperation in" before a year the phrase left out
    return tokens[k].start, tokens[end - 1].end


def _adjectives(ctx: DocContext, sentence: Sentence) -> frozenset[int]:
    return frozenset(r.start for r in ctx.refs_in(sentence) if r.form in ("adjective", "prefix"))


def _after_prep_phrase(
    ctx: DocContext,
    tokens: list[Token],
    k: int,
    stop_at: frozenset[int],
    adjectives: frozenset[int],
) -> int:
    """End of "sur la création d'un complexe …" read as a phrase headed by its first noun."""
    lex = ctx.lex
    j = k + 1
    while j < len(tokens) and tokens[j].low in lex.words("np_articles"):
        j += 1
    if j >= len(tokens):
        return k
    if not premodified(lex):
        return np_end(lex, tokens, j, stop_at=stop_at, adjective_starts=adjectives, text=ctx.text)
    # "on cyber defence", "on industrial cooperation": the head is the run's last word.
    while j + 1 < len(tokens) and _premodified_head_goes_on(ctx, tokens, j + 1, stop_at):
        j += 1
    return np_end(lex, tokens, j, stop_at=stop_at, adjective_starts=adjectives, text=ctx.text)


def _premodified_head_goes_on(
    ctx: DocContext, tokens: list[Token], j: int, stop_at: frozenset[int]
) -> bool:
    """Whether the word at ``j`` still belongs to the modifiers-then-head run before it."""
    tok, lex = tokens[j], ctx.lex
    return (
        tok.is_word
        and not tok.is_cap
        and tok.start not in stop_at
        and tok.start not in ctx.verb_starts
        and tok.low not in lex.words("coordinators")
        and tok.low not in lex.words("np_articles")
        and not match_preposition(lex, tokens, j)
    )


# ---------------------------------------------------------------------------- attributes


def _clause_bounds(ctx: DocContext, sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end): the sentence cut at semicolons and colons."""
    lo, hi = sentence.start, sentence.end
    for m in re.finditer(r"[;:]", sentence.text):
        pos = sentence.start + m.start()
        if pos < start:
            lo = pos + 1
        elif pos >= end:
            hi = pos
            break
    return lo, hi


def _signing_in(ctx: DocContext, lo: int, hi: int) -> re.Match[str] | None:
    return ctx.lex.regex("signing_re", ignore_case=False).search(fold(ctx.text[lo:hi]))


def _adjacent_date(ctx: DocContext, draft: Draft, dates: list[DateMention]) -> DateMention | None:
    """A date inside the name or right after it: "de mars 1994", "(juillet 1998)", "signé le …"."""
    lex, text = ctx.lex, ctx.text
    for d in dates:
        if draft.start <= d.start < draft.end and d.role == "plain":
            return d
        gap = fold(text[draft.end : d.start])
        if (
            d.start >= draft.end
            and len(gap) <= 40
            and d.role in ("plain", "in_force")
            and lex.regex("adjacent_date_re", ignore_case=False).fullmatch(gap)
        ):
            return d
    return None


def _clause_date(ctx: DocContext, draft: Draft, dates: list[DateMention]) -> DateMention | None:
    """A plain date in the clause of a signing verb ("En mai 2022, X et Y ont signé un accord")."""
    lo, hi = _clause_bounds(ctx, draft.sentence, draft.start, draft.end)
    if _signing_in(ctx, lo, hi) is None:
        return None
    plain = [
        d
        for d in dates
        if lo <= d.start < hi and d.role == "plain" and not (draft.start <= d.start < draft.end)
    ]
    before = [d for d in plain if d.start < draft.start]
    if before:
        return before[-1]
    return plain[0] if plain else None


def set_dates(ctx: DocContext, draft: Draft, dates: list[DateMention]) -> None:
    inside = [d for d in dates if draft.start <= d.start < draft.end]
    for d in inside:
        if d.until and d.role == "plain" and draft.in_force is None:
            # "Concept … pour 2020-2030": the period it covers.
            draft.in_force, draft.expires = d.value, d.until
    signed = _adjacent_date(ctx, draft, dates)
    if signed is not None and signed.until and signed.role == "plain":
        draft.in_force, draft.expires = signed.value, signed.until
        signed = None
    if signed is None and draft.in_force is None:
        signed = _clause_date(ctx, draft, dates)
    if signed is not None:
        if signed.role == "in_force":
            draft.in_force = signed.value
        else:
            draft.signed = signed.value
    after = [d for d in dates if d.start >= draft.end]
    for d in after:
        if d.role == "expires" and draft.expires is None:
            draft.expires = d.value
        elif d.role == "extended" and draft.extended is None:
            draft.extended = d.value
        elif (
            d.role in ("in_force", "since")
            and draft.in_force is None
            and draft.signed is None
            and d.start - draft.end <= 40
        ):
            draft.in_force = d.value


def _status_after(ctx: DocContext, draft: Draft, start: int, end: int) -> None:
    """Statuses said about an agreement in the words around a mention of it."""
    lex = ctx.lex
    lo, hi = _clause_bounds(ctx, draft.sentence, start, end)
    sentence = ctx.sentence_at(start) or draft.sentence
    lo, hi = _clause_bounds(ctx, sentence, start, end)
    before = fold(ctx.text[max(lo, start - 60) : start])
    after = fold(ctx.text[end:hi])
    if lex.regex("draft_re").search(before) or lex.regex(
        "draft_after_re", ignore_case=False
    ).search(after[:120]):
        draft.statuses.add("draft")
    if lex.regex("extended_re").search(after[:120]):
        draft.statuses.add("extended")
    if lex.regex("terminated_re").search(after[:80]):
        draft.statuses.add("terminated")
    if lex.regex("in_force_re").search(after[:60]) or lex.regex("in_force_re").search(before[-30:]):
        draft.statuses.add("in_force")
    if _signing_in(ctx, max(lo, start - 60), min(hi, end + 60)):
        draft.statuses.add("signed")
    m = lex.regex("duration_re").search(after[:160])
    if m and draft.duration is None:
        draft.duration = _number(ctx, m.group("n"))


def _number(ctx: DocContext, word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = ctx.lex.mapping("numbers").get(fold(word))
    return int(value) if value is not None else None


@cache
def _domain_words(lex: Lexicon) -> tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]:
    """Each domain with its words as whole-word patterns, compiled once per lexicon."""
    return tuple(
        (str(d), tuple(re.compile(rf"(?<![\w-]){re.escape(fold(w))}(?![\w-])") for w in words))
        for d, words in lex.mapping("domains").items()
    )


def set_domains(ctx: DocContext, draft: Draft) -> None:
    text = fold(" ".join(draft.names))
    found = {d for d, words in _domain_words(ctx.lex) if any(w.search(text) for w in words)}
    for specific, general in ctx.lex.mapping("domain_hides").items():
        if specific in found:
            found.discard(str(general))
    draft.domains |= found


# ---------------------------------------------------------------------------- parties


def _is_location(ctx: DocContext, ref: Ref) -> bool:
    before = fold(ctx.text[max(0, ref.start - 20) : ref.start])
    return bool(ctx.lex.regex("location_before_re").search(before))


def _party_refs(refs: list[Ref]) -> list[Ref]:
    return [r for r in refs if r.kind in PARTY_KINDS]


def explicit_parties(
    ctx: DocContext, draft: Draft, pair: tuple[str, str] | None, represents: dict[str, str]
) -> None:
    """Parties the sentence names: inside the name, after "avec", subjects of "signer", or
    "les deux pays"."""
    lex = ctx.lex
    lo, hi = _clause_bounds(ctx, draft.sentence, draft.start, draft.end)
    parties: list[str] = []
    # Named inside the name, except places ("la production … au Kazakhstan", "the Riyadh
    # Declaration": a city names where it was signed, not who signed).
    for ref in _party_refs(ctx.refs_between(draft.start, draft.end)):
        if ref.form not in ("adjective", "prefix") and _is_location(ctx, ref):
            continue
        if ref.form == "capital":
            continue
        if ref.form == "adjective" and draft.kind == "contract":
            continue
        parties.append(ref.target)
    name_text = fold(ctx.text[draft.start : draft.end])
    after = ctx.text[draft.end : hi]
    m = lex.regex("parties_with_re", ignore_case=False).match(fold(after))
    signing = _signing_in(ctx, lo, hi)
    # Subjects are sought from the signing verb's own clause on ("Nigeria fought Mali, while
    # Colombia signed a deal with Peru": not Nigeria, not Mali).
    first = _own_clause(ctx, lo, draft.start, signing)
    if m:
        seg_end = draft.end + _segment_end(ctx, fold(after), m.end())
        parties += [
            r.target
            for r in _party_refs(ctx.refs_between(draft.end, seg_end, nested=False))
            if r.form not in ("adjective", "prefix") and not _is_location(ctx, r)
        ]
        if not (signing and _signed_by_no_one(ctx, draft, lo + signing.start())):
            parties += _subjects(ctx, first, draft.start, represents)
    elif signing and not _signed_by_no_one(ctx, draft, lo + signing.start()):
        parties += _subjects(ctx, first, draft.start, represents)
        parties += resolve_group(ctx, first, draft.start, pair)
    near = local_pair(ctx, draft.start)
    if near and (
        lex.regex("pair_phrase_re").search(name_text)
        or (
            not parties
            and lex.regex("pair_phrase_re", ignore_case=False).search(fold(ctx.text[lo:hi]))
        )
    ):
        parties += list(near)
    elif not parties and lex.regex("bilateral_re", ignore_case=False).search(name_text):
        # "bilatéral" names no one: its pair only when just two states are in sight ("un
        # projet chinois" named a sentence before the Australia–Vanuatu treaty is not one).
        parties += local_pair(ctx, draft.start, only=True) or []
    draft.parties = list(dict.fromkeys(p for p in parties if p))
    draft.explicit = bool(draft.parties)


def _own_clause(ctx: DocContext, lo: int, start: int, signing: re.Match[str] | None) -> int:
    """Where the signing verb's own clause begins, when it has one before the agreement."""
    if signing is None:
        return lo
    begins = ctx.own_clause_start(lo + signing.start())
    return max(lo, begins) if begins is not None and begins < start else lo


def _signed_by_no_one(ctx: DocContext, draft: Draft, signing: int) -> bool:
    """The signing is denied, or describes the agreement itself and names no signer ("France
    delivered jets to India in 2020, after a contract signed in 2016"): the clause's subject
    did not sign."""
    if ctx.denied_at(signing):
        return True  # "India and France did not sign an agreement on …"
    noun = ctx.described_by_participle(signing)
    return noun is not None and draft.start <= noun < draft.end


def fallback_parties(
    ctx: DocContext, drafts: list[Draft], pair: tuple[str, str] | None, represents: dict[str, str]
) -> None:
    """For agreements the sentence gives no party: siblings in a list of agreements, the
    subject of the clause, the previous agreement; else none."""
    previous: Draft | None = None
    for draft in sorted(drafts, key=lambda d: d.start):
        if not draft.parties:
            siblings = [
                p
                for d in drafts
                if d is not draft and d.sentence.index == draft.sentence.index
                for p in d.parties
            ]
            lo, _ = _clause_bounds(ctx, draft.sentence, draft.start, draft.end)
            inside_other = [(d.start, d.end) for d in drafts if d is not draft]
            _, hi = _clause_bounds(ctx, draft.sentence, draft.start, draft.end)
            subjects = _clause_actors(ctx, lo, hi, inside_other)
            if siblings:
                draft.parties = list(dict.fromkeys(siblings))
            elif subjects and _compound_demonym(ctx, lo, hi):
                # "une fusée kazakho-russe": a compound adjective that names the pair; any
                # other state of the clause is not said to be a party.
                draft.parties = subjects
            elif previous is not None and previous.sentence.index >= draft.sentence.index - 1:
                draft.parties = list(previous.parties)
            # Otherwise the parties stay unknown: the document's main pair is a guess.
        previous = draft


def _compound_demonym(ctx: DocContext, lo: int, hi: int) -> bool:
    return any(r.form == "prefix" for r in ctx.refs_between(lo, hi, nested=False))


def _clause_actors(ctx: DocContext, lo: int, hi: int, exclude: list[tuple[int, int]]) -> list[str]:
    """Every state, organisation or company the clause names (adjectives included)."""
    out: list[str] = []
    for ref in ctx.refs_between(lo, hi, nested=False):
        if ref.kind not in PARTY_KINDS or any(s <= ref.start < e for s, e in exclude):
            continue
        if ref.form == "prefix" or (ref.form == "adjective" and ref.kind != "state"):
            continue
        out.append(ref.target)
    return list(dict.fromkeys(out))


def _segment_end(ctx: DocContext, folded: str, pos: int) -> int:
    m = ctx.lex.regex("segment_end_re", ignore_case=False).search(folded[pos:])
    return pos + (m.start() if m else len(folded) - pos)


def _names_an_agreement(ctx: DocContext, pos: int) -> bool:
    """The word at ``pos`` is an agreement's kind ("… Declaration", "… Accords")."""
    words = fold(ctx.text[pos : pos + 40]).split()
    kinds = ctx.lex.mapping("agreement_kinds")
    return bool(words) and words[0].strip(".,;:") in kinds


def _subjects(
    ctx: DocContext,
    lo: int,
    start: int,
    represents: dict[str, str],
    exclude: list[tuple[int, int]] | None = None,
) -> list[str]:
    """Actors before the agreement in its clause that are not places or complements."""
    out: list[str] = []
    for ref in ctx.refs_between(lo, start, nested=False):
        if exclude and any(s <= ref.start < e for s, e in exclude):
            continue
        if ctx.text[: ref.start].rstrip().endswith("("):
            continue  # "la CEI (Communauté des États indépendants)": the same actor again
        if ctx.lex.regex("subject_genitive_before_re", ignore_case=False).search(
            fold(ctx.text[max(0, ref.start - 12) : ref.start])
        ):
            continue  # "le premier État de la CEI": a complement, not a signatory
        if ref.form == "capital" and _names_an_agreement(ctx, ref.end):
            continue  # "signed the Astana Declaration and the Convention": a place in a name
        if ref.kind == "person" and ref.start in ctx.noun_clause_starts:
            continue  # "The summit, chaired by Saudi King Salman, approved …": not who signs
        if _names_members(ctx, ref):
            continue  # "Kazakhstan and Russia, both CSTO members, signed": what they belong to
        if ref.kind == "person" and ref.target in represents:
            out.append(represents[ref.target])
            continue
        if ref.kind not in PARTY_KINDS or (ref.form == "adjective" and ref.kind != "state"):
            continue
        if _is_location(ctx, ref):
            continue
        if ref.form == "adjective":
            continue
        out.append(ref.target)
    return out


def _names_members(ctx: DocContext, ref: Ref) -> bool:
    """An organisation named as what its members are ("CSTO members", "NATO's member states")."""
    key = "membership.org_member_re"
    return (
        ref.kind == "organization"
        and ctx.lex.has(key)
        and bool(
            ctx.lex.regex(key, ignore_case=False).match(fold(ctx.text[ref.end : ref.end + 40]))
        )
    )


# ---------------------------------------------------------------------------- references


def attach_bare(
    ctx: DocContext,
    drafts: list[Draft],
    bare: list[tuple[Draft | None, int, int, Sentence]],
    dates: dict[int, list[DateMention]],
    pair: tuple[str, str] | None,
    represents: dict[str, str],
) -> list[Draft]:
    """Bare references: dated ones become agreements, the others point back to one."""
    created: list[Draft] = []
    for _, start, end, sentence in bare:
        sentence_dates = dates.get(sentence.index, [])
        probe = Draft("", "", start, end, sentence, [])
        date = _adjacent_date(ctx, probe, sentence_dates)
        tokens = ctx.tokens(sentence)
        head = next(
            (t for t in tokens if t.start >= start and _kind_at(ctx, tokens, tokens.index(t))), None
        )
        if head is None:
            continue
        kind = _kind_at(ctx, tokens, tokens.index(head))[0]
        if date is not None and date.role == "plain" and not head.low.endswith("s"):
            # "l'accord du 23 juin 2005", "l'accord signé en août 1992" are named by their
            # date; in "un mémorandum d'entente le 13 juin" the date only says when.
            lex = ctx.lex
            gap = fold(ctx.text[end : date.start]).split()
            only_articles = lex.words("np_articles") - lex.words("genitive_words")
            named = bool(gap) and not all(w in only_articles for w in gap)
            name_end = _dated_name_end(ctx, sentence, date.end) if named else end
            name = " ".join(ctx.text[start:name_end].split())
            draft = Draft(
                kind,
                name,
                start,
                name_end,
                sentence,
                [date.value],
                spans=[(start, name_end)],
                names=[name],
            )
            created.append(draft)
            continue
        antecedent = _antecedent(ctx, drafts + created, kind, start, sentence)
        if antecedent is not None:
            antecedent.spans.append((start, end))
            _status_after(ctx, antecedent, start, end)
            for d in sentence_dates:
                if d.start >= end and d.role == "expires" and antecedent.expires is None:
                    antecedent.expires = d.value
                if d.start >= end and d.role == "extended" and antecedent.extended is None:
                    antecedent.extended = d.value
        elif len({r.target for r in ctx.refs_between(start, end) if r.kind == "state"}) >= 2:
            # "the agreement between Serbia and France": no topic, but the phrase names the
            # parties of one instrument, and none was named before it.
            name = " ".join(ctx.text[start:end].split())
            created.append(
                Draft(kind, name, start, end, sentence, [], spans=[(start, end)], names=[name])
            )
    return created


def _dated_name_end(ctx: DocContext, sentence: Sentence, pos: int) -> int:
    """ "l'accord signé en août 1992 entre les deux Ministères de la Défense": keep the "entre"."""
    rest = ctx.text[pos : sentence.end]
    m = ctx.lex.regex("dated_name_between_re", ignore_case=False).match(rest)
    return pos + (m.end() if m else 0)


def _antecedent(
    ctx: DocContext, drafts: list[Draft], kind: str, start: int, sentence: Sentence
) -> Draft | None:
    """The agreement a bare "l'accord" means: among those mentioned in the last few
    sentences, the one the text talks about most (the topic), then the nearest."""

    def recent(d: Draft) -> list[int]:
        return [
            s
            for s, _ in d.spans
            if s < start and (ctx.sentence_at(s) or d.sentence).index >= sentence.index - 3
        ]

    candidates = [d for d in drafts if recent(d)]
    same = [d for d in candidates if d.kind == kind]
    pool = same or candidates
    if not pool:
        return None
    return max(pool, key=lambda d: (len([s for s, _ in d.spans if s < start]), max(recent(d))))


# ---------------------------------------------------------------------------- merging and ids


def _compatible_dates(a: Draft, b: Draft) -> bool:
    da, db = a.signed or a.in_force, b.signed or b.in_force
    if not da or not db:
        return True
    n = min(len(da), len(db))
    return da[:n] == db[:n]


def _apposition(lex: Lexicon, text: str, first: Draft, second: Draft) -> bool:
    """ "la Charte du Liptako-Gourma, un pacte de défense mutuelle": one agreement described."""
    gap = fold(text[first.end : second.start])
    return bool(lex.regex("apposition_gap_re", ignore_case=False).fullmatch(gap))


def merge_drafts(lex: Lexicon, drafts: list[Draft], text: str = "") -> list[Draft]:
    """Fold later mentions of one agreement into the first: same kind, dates agree, and either
    two shared content words, or a shared word and the same year."""
    kept: list[Draft] = []
    for draft in sorted(drafts, key=lambda d: d.start):
        target = None
        previous = kept[-1] if kept else None
        if previous is not None and _apposition(lex, text, previous, draft):
            _absorb(previous, draft, keep_name=True)
            continue
        fresh = lex.regex("fresh_agreement_before_re", ignore_case=False).search(
            fold(text[max(0, draft.start - 30) : draft.start])
        )
        for earlier in kept:
            if fresh or earlier.kind != draft.kind or not _compatible_dates(earlier, draft):
                continue  # "un nouvel accord" is another agreement than the one before
            shared = set(earlier.content) & set(draft.content)
            same_year = earlier.year is not None and earlier.year == draft.year
            parties_ok = (
                not earlier.parties
                or not draft.parties
                or set(earlier.parties) & set(draft.parties)
            )
            same_name = bool(shared) and set(earlier.content) == set(draft.content)
            if parties_ok and (
                len(shared) >= 2
                or same_name  # "the Riyadh Declaration" twice
                or (shared and same_year)
                or (same_year and not _specific(draft))
            ):
                target = earlier
                break
        if target is None:
            kept.append(draft)
            continue
        _absorb(target, draft)
    return kept


def _specific(draft: Draft) -> bool:
    return any(not w.isdigit() for w in draft.content)


def _absorb(target: Draft, other: Draft, *, keep_name: bool = False) -> None:
    other.merged_into = target
    target.spans += other.spans
    target.names += other.names
    if not keep_name and len(other.name) > len(target.name) and _specific(other):
        target.name = other.name
    target.content = list(dict.fromkeys(target.content + other.content))
    target.parties = list(dict.fromkeys(target.parties + other.parties))
    for attr in ("signed", "in_force", "expires", "extended", "duration"):
        if getattr(target, attr) is None:
            setattr(target, attr, getattr(other, attr))
    target.statuses |= other.statuses
    target.domains |= other.domains


def assign_ids(ctx: DocContext, drafts: list[Draft]) -> None:
    """kind + up to five content words + year: the same agreement gets the same id anywhere."""
    used: Counter[str] = Counter()
    party_words = {fold(w) for d in drafts for p in d.parties for w in re.split(r"\W+", p)}
    for draft in sorted(drafts, key=lambda d: d.start):
        words = [w for w in draft.content if w not in party_words and not w.isdigit()][:5]
        parts = [draft.kind, *words]
        if draft.year:
            parts.append(draft.year)
        base = slugify(" ".join(parts)) or draft.kind
        used[base] += 1
        draft.id = base if used[base] == 1 else f"{base}-{used[base]}"


def _status(draft: Draft) -> str | None:
    for status in _STATUS_ORDER:
        if status in draft.statuses:
            return status
    if draft.signed:
        return "signed"
    return None


def _scope(ctx: DocContext, parties: list[str]) -> str | None:
    kinds = [ctx.kind_of(p) for p in parties]
    if len(parties) > 2 or "organization" in kinds:
        return "multilateral"
    if len(parties) == 2:
        return "bilateral"
    return None


def to_records(ctx: DocContext, drafts: list[Draft]) -> AgreementResult:
    agreements: list[Agreement] = []
    mentions: list[Mention] = []
    for draft in sorted(drafts, key=lambda d: d.id):
        spans = sorted(set(draft.spans))
        evidence = tuple(sorted({ctx.evidence(s, e) for s, e in spans}))
        name_field = str(ctx.lex.get("agreement_name_field"))
        agreements.append(
            Agreement(
                id=draft.id,
                name=draft.name,
                kind=draft.kind,
                parties=tuple(draft.parties),
                signed=draft.signed,
                in_force=draft.in_force,
                expires=draft.expires,
                duration_years=draft.duration,
                status=_status(draft),
                scope=_scope(ctx, draft.parties),
                domains=tuple(sorted(draft.domains)),
                evidence=evidence,
                **{name_field: draft.name},
            )
        )
        mentions += [
            Mention(ctx.doc_id, draft.id, s, e, " ".join(ctx.text[s:e].split())) for s, e in spans
        ]
    return AgreementResult(agreements, mentions, [])


def supersedes(ctx: DocContext, drafts: list[Draft]) -> list[Tie]:
    """ "un nouvel accord … qui remplacerait celui en vigueur depuis 1994": new SUPERSEDES old."""
    ties: list[Tie] = []
    for draft in drafts:
        for s, e in draft.spans:
            sentence = ctx.sentence_at(s)
            if sentence is None:
                continue
            after = fold(ctx.text[e : sentence.end])
            m = ctx.lex.regex("supersede_re").search(after[:150])
            if m is None:
                continue
            year = re.search(r"\b(1[89]\d\d|20\d\d)\b", after[m.end() : m.end() + 80])
            old = [
                d
                for d in drafts
                if d is not draft and d.start < s and (year is None or d.year == year.group(1))
            ]
            if not old:
                continue
            target = max(old, key=lambda d: (d.kind == draft.kind, d.start))
            ev = ctx.evidence(s, min(sentence.end, e + m.end()))
            ties.append(Tie("SUPERSEDES", draft.id, target.id, evidence=(ev,)))
    return ties


def extract_agreements(
    ctx: DocContext,
    dates: dict[int, list[DateMention]],
    pair: tuple[str, str] | None,
    represents: dict[str, str],
) -> AgreementResult:
    drafts, bare = find_drafts(ctx, dates)
    for draft in drafts:
        set_dates(ctx, draft, dates.get(draft.sentence.index, []))
        explicit_parties(ctx, draft, pair, represents)
        _status_after(ctx, draft, draft.start, draft.end)
    created = attach_bare(ctx, drafts, bare, dates, pair, represents)
    for draft in created:
        set_dates(ctx, draft, dates.get(draft.sentence.index, []))
        explicit_parties(ctx, draft, pair, represents)
        _status_after(ctx, draft, draft.start, draft.end)
    drafts += created
    fallback_parties(ctx, drafts, pair, represents)
    drafts = [d for d in drafts if _credible(ctx, d)]
    drafts = merge_drafts(ctx.lex, drafts, ctx.text)
    for draft in drafts:
        set_domains(ctx, draft)
    assign_ids(ctx, drafts)
    result = to_records(ctx, drafts)
    result.ties = supersedes(ctx, drafts)
    return result


def _proper_name(ctx: DocContext, draft: Draft) -> bool:
    """A capitalised name not at the start of its sentence, or one followed by an acronym."""
    head = ctx.text[draft.start : draft.end]
    capitalised = head[:1].isupper() and draft.start != draft.sentence.start
    # "The Treaty on …" at the start of a sentence: the kind word itself is capitalised.
    words = head.split()
    inner = len(words) > 1 and words[1][:1].isupper()
    acronym = re.match(r"\s*\([A-Z]{2,}", ctx.text[draft.end : draft.end + 6])
    return bool(capitalised or inner or acronym)


def _credible(ctx: DocContext, draft: Draft) -> bool:
    """Programmes, plans, concepts and contracts are common words: keep those that show a sign
    of being a text (a capital, a date, a signature, an acronym, a status). A doctrine or a
    national concept is one actor's policy, not an agreement between parties: never kept."""
    if draft.kind == "concept":
        return False
    if draft.kind in ("treaty", "agreement", "memorandum", "declaration", "protocol"):
        # With no party stated, a proper name or a dated treaty makes it a known text (the
        # NPT, "le traité sur la non-prolifération … entré en vigueur en 1970"); the parties
        # stay unknown rather than guessed.
        known = draft.kind == "treaty" and bool(draft.signed or draft.in_force or draft.statuses)
        return bool(draft.parties) or _proper_name(ctx, draft) or known
    heads = ctx.lex.words("programme_heads", optional=True)
    head = next(
        (
            t
            for t in draft.sentence.text[draft.start - draft.sentence.start :].split()[:8]
            if fold(t) in heads
        ),
        None,
    )
    if draft.kind == "programme" and (
        not (draft.explicit or "signed" in draft.statuses)
        or (head is not None and head.islower() and draft.name[:1].isupper())
    ):
        return False  # "its Official Security Assistance programme" is a programme that runs
    head = ctx.text[draft.start : draft.end]
    capitalised = head[:1].isupper() and draft.start != draft.sentence.start
    acronym = re.match(r"\s*\([A-Z]{2,}", ctx.text[draft.end : draft.end + 6])
    signs = capitalised or acronym or draft.signed or draft.in_force or draft.statuses - {"draft"}
    return bool(signs) and bool(draft.parties)
