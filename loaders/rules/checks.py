"""Facts of the rule-based readers checked against the parse: how the sentence holds them.

The readers of ``relations.py`` and ``agreements.py`` find facts from cue words and spans; the
parse then decides what the sentence says of each one: denied facts are dropped, hedged ones get
a status, dates are kept only when they modify the fact itself, ends the ontology does not allow
are refused, and where the parse reads a visit's visitor otherwise, the parse wins.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from loaders.model import (
    PRESENCE,
    READING,
    Agreement,
    Evidence,
    Membership,
    Mention,
    Tie,
    merge_status,
)
from loaders.ontology import ontology
from loaders.parse import Parsed
from loaders.rules import dependency, polarity
from loaders.rules.context import DocContext
from loaders.rules.dates import DateMention

# Structural ties: a body's place in its organisation is not an event a sentence can deny.
_UNHEDGED = frozenset({"PART_OF", "REPRESENTS"})


def _endpoint_tokens(
    ctx: DocContext, parsed: Parsed, evidence: Evidence, ends: tuple[str, ...]
) -> list[Any]:
    """The head token of each end's mention inside the evidence span."""
    tokens = []
    for end in ends:
        ref = next(
            (r for r in ctx.refs_between(evidence.start, evidence.end) if r.target == end), None
        )
        if ref is None:
            continue
        head = _head_token(parsed, ref.start, ref.end)
        if head is not None:
            tokens.append(head)
    return tokens


def _head_token(parsed: Parsed, start: int, end: int) -> Any | None:
    """The token of [start, end) that the others hang on."""
    inside = parsed.tokens_between(start, end)
    ids = {t.i for t in inside}
    return next((t for t in inside if t.head.i not in ids or t.head.i == t.i), None)


def _mention_heads(ctx: DocContext, parsed: Parsed, evidence: Evidence, end: str) -> list[Any]:
    """The head token of every mention of ``end`` inside the evidence span."""
    refs = [r for r in ctx.refs_between(evidence.start, evidence.end) if r.target == end]
    heads = (_head_token(parsed, r.start, r.end) for r in refs)
    return [h for h in heads if h is not None]


def _predicate(
    ctx: DocContext,
    parsed: Parsed,
    evidence: Evidence,
    ends: tuple[str, ...],
    *,
    every_mention: bool = False,
) -> tuple[Any, list[Any]]:
    """Where the fact is stated, and its ends' tokens: the word that joins both ends, else the
    highest word of its evidence span. With ``every_mention``, an end named twice ("the State
    Department said … the U.K. and U.S. to transfer … to Australia") is the mention that joins
    the other end lowest: the verb of the fact, not the verb that reports it."""
    if every_mention and len(ends) == 2:
        pairs = [
            [a, b]
            for a in _mention_heads(ctx, parsed, evidence, ends[0])
            for b in _mention_heads(ctx, parsed, evidence, ends[1])
        ]
        joined = [(polarity.predicate_of(p), p) for p in pairs]
        joined = [(word, p) for word, p in joined if word is not None]
        if joined:
            return max(joined, key=lambda j: len(list(j[0].ancestors)))
    tokens = _endpoint_tokens(ctx, parsed, evidence, ends)
    if len(tokens) == 2:
        return polarity.predicate_of(tokens), tokens
    span = parsed.tokens_between(evidence.start, evidence.end)
    return min(span, key=lambda t: len(list(t.ancestors)), default=None), tokens


def _reading(ctx: DocContext, parsed: Parsed, fact: Tie | Membership) -> polarity.Reading:
    ends = (fact.source, fact.target) if isinstance(fact, Tie) else (fact.member, fact.organization)
    readings = []
    for evidence in fact.evidence:
        predicate, tokens = _predicate(
            ctx, parsed, evidence, ends, every_mention=isinstance(fact, Tie)
        )
        if (
            isinstance(fact, Tie)
            and len(tokens) == 2
            and dependency.across_clauses(tokens, ctx.lang)
        ):
            # "La France a reçu le ministre et elle a livré des Rafale à la Grèce": the ends
            # belong to two clauses with subjects of their own; no one verb joins them.
            readings.append(polarity.Reading(polarity.NEGATED))
            continue
        reading = (
            polarity.ASSERTED if predicate is None else polarity.read(predicate, ctx.lang, tokens)
        )
        if predicate is not None and isinstance(fact, Tie):
            reading = polarity.weakest(reading, polarity.between(predicate, tokens, ctx.lang))
            if (event := _event_subject(parsed, evidence, predicate, ctx.lang)) is not None:
                reading = polarity.weakest(reading, polarity.read(event.head, ctx.lang))
        readings.append(reading)
    statuses = [r.status for r in readings]
    if polarity.NEGATED in statuses:
        return polarity.Reading(polarity.NEGATED)
    return polarity.Reading(merge_status(statuses))


def _event_subject(parsed: Parsed, evidence: Evidence, predicate: Any, lang: str) -> Any | None:
    """The noun that opens the evidence ("la visite à Ryad du président …") when the fact's
    ends meet below it and it is the subject of its clause: what that clause says of the event
    ("n'a pas eu lieu", "did not take place") holds the fact."""
    opening = parsed.tokens_between(evidence.start, evidence.start + 1)
    if not opening:
        return None
    noun = opening[0]
    if noun.pos_ != "NOUN" or noun.dep_ not in dependency.relations(lang).subject_deps:
        return None
    if noun.i == predicate.i or noun not in predicate.ancestors:
        return None
    return noun


def _every_cue_denied(ctx: DocContext, parsed: Parsed, tie: Tie) -> bool:
    """Every verb of the tie's sentence that could state it is denied ("l'Arménie avait fait
    savoir qu'elle ne participerait pas plus à cet exercice qu'elle n'avait participé à …"):
    the rule read the fact from words the sentence negates."""
    evidence = tie.evidence[0]
    first, last = ctx.sentence_at(evidence.start), ctx.sentence_at(max(evidence.end - 1, 0))
    if first is None or last is None:
        return False
    cues = dependency.cue_verbs(parsed.tokens_between(first.start, last.end), tie.type, ctx.lang)
    return bool(cues) and all(
        polarity.read(cue, ctx.lang).status == polarity.NEGATED for cue in cues
    )


def held(ctx: DocContext, parsed: Parsed, ties: list[Tie]) -> list[Tie]:
    """Ties as the text holds them: denied ones dropped, hedged ones with their status."""
    out = []
    for tie in ties:
        if tie.type in _UNHEDGED or not tie.evidence:
            out.append(tie)
            continue
        if _every_cue_denied(ctx, parsed, tie):
            continue
        reading = _reading(ctx, parsed, tie)
        if reading.status != polarity.NEGATED:
            out.append(replace(tie, status=reading.status))
    return out


def held_memberships(
    ctx: DocContext,
    parsed: Parsed,
    memberships: list[Membership],
    dates: dict[int, list[DateMention]],
) -> list[Membership]:
    out = []
    for m in memberships:
        m = _since_bound(ctx, parsed, m, dates)
        reading = _reading(ctx, parsed, m) if m.evidence and m.status is None else None
        if reading is None:
            out.append(m)
        elif reading.status != polarity.NEGATED:
            out.append(replace(m, status=reading.status))
    return out


def _bound_value(
    ctx: DocContext,
    parsed: Parsed,
    evidence: Evidence,
    ends: tuple[str, str],
    dates: dict[int, list[DateMention]],
    value: str,
) -> str | None:
    """``value`` when that date modifies the fact itself, else the one date of the sentence
    that does, else None: a date of another fact in the sentence is never taken."""
    predicate, tokens = _predicate(ctx, parsed, evidence, ends)
    sentence = ctx.sentence_at(evidence.start)
    if predicate is None or sentence is None:
        return value
    words = dependency.fact_words(predicate, tokens, ctx.lang)
    in_sentence = dates.get(sentence.index, [])
    ordered = [d for d in in_sentence if d.value == value] + [
        d for d in in_sentence if d.value != value
    ]
    for d in ordered:
        if any(dependency.bound_date(parsed, w, [d]) for w in words):
            return d.value
    return None


def _since_bound(
    ctx: DocContext, parsed: Parsed, m: Membership, dates: dict[int, list[DateMention]]
) -> Membership:
    """A membership keeps its start date only when the date modifies the membership itself
    ("membre de l'OTSC depuis 1992", "joined in 2004"), not another fact of the sentence
    ("both CSTO members, signed an agreement on 23 June 2005")."""
    if m.since is None or not m.evidence:
        return m
    ends = (m.member, m.organization)
    since = _bound_value(ctx, parsed, m.evidence[0], ends, dates, m.since)
    return m if since == m.since else replace(m, since=None)


def dated(ctx: DocContext, parsed: Parsed, tie: Tie, dates: dict[int, list[DateMention]]) -> Tie:
    """A tie's date as the parse binds it (the ZHETSYU exercise "qui s'est déroulé … en 2009",
    not the "(de 2003 à 2012)" of the clause before)."""
    if tie.date is None or not tie.evidence:
        return tie
    date = _bound_value(ctx, parsed, tie.evidence[0], (tie.source, tie.target), dates, tie.date)
    return tie if date == tie.date else replace(tie, date=date)


# Ties whose source the parse reads from the clause (its subject). Not SUPPLIES: the parse
# misses one of two coordinated suppliers ("L'Allemagne et la Norvège ont livré …").
_PARSE_READS_SOURCE = frozenset({"VISITED"})
# Ties whose both ends the parse reads from the clause ("X leases Y to Z": Z is the lessee).
_PARSE_READS_BOTH = frozenset({"LEASES"})


def parse_wins(rule_ties: list[Tie], parse_ties: list[Tie]) -> list[Tie]:
    """A rule's VISITED whose visitor the parse gives otherwise, for the same place in the
    same sentence, is dropped: the parse read who the subject is ("À l'invitation de son
    homologue Tokayev, Poutine a effectué une visite au Kazakhstan": Putin visited, not
    Tokayev)."""
    # Who leases to whom: where the parse reads a lease in a sentence, the rule's is dropped.
    leased = {e.sentence for t in parse_ties if t.type in _PARSE_READS_BOTH for e in t.evidence}
    rule_ties = [
        t
        for t in rule_ties
        if t.type not in _PARSE_READS_BOTH or not any(e.sentence in leased for e in t.evidence)
    ]
    parsed: dict[tuple[str, str, str], set[str]] = {}
    for t in parse_ties:
        if t.type in _PARSE_READS_SOURCE:
            for e in t.evidence:
                parsed.setdefault((t.type, t.target, e.sentence), set()).add(t.source)
    return [
        t
        for t in rule_ties
        if t.type not in _PARSE_READS_SOURCE
        or not any(
            t.source not in parsed.get((t.type, t.target, e.sentence), {t.source})
            for e in t.evidence
        )
    ]


def participants_not_places(ctx: DocContext, parsed: Parsed, ties: list[Tie]) -> list[Tie]:
    """A rule's participant that the sentence names as a place ("l'exercice … en Roumanie et
    en Bulgarie", "la guerre en Ukraine") is dropped: a place is where, not who. Nor is a
    state inside a place's name ("en mer du Japon") a host or a participant, nor one that is an
    argument of another clause ("l'exercice X, organisé par l'OTSC (l'OTSC rassemble la
    Russie, l'Arménie …)")."""
    out = []
    for tie in ties:
        if tie.type in ("PARTICIPATED_IN", "HOSTED") and tie.evidence:
            # The rule's evidence span may cover the exercise only: look in its sentence.
            sentence = ctx.sentence_at(tie.evidence[0].start)
            where = (
                replace(tie.evidence[0], start=sentence.start, end=sentence.end)
                if sentence
                else tie.evidence[0]
            )
            tokens = _endpoint_tokens(ctx, parsed, where, (tie.source,))
            if tokens and dependency.inside_place_name(tokens[0], ctx.lang):
                continue
            if (
                tie.type == "PARTICIPATED_IN"
                and tokens
                and dependency.named_as_place(tokens[0], ctx.lang)
            ):
                continue
            if tie.type == "PARTICIPATED_IN" and tokens:
                event = _endpoint_tokens(ctx, parsed, where, (tie.target,))
                if event and dependency.argument_of_another_clause(
                    tokens[0], event[0], ctx.lang, adverbial=True
                ):
                    continue
                people = ctx.lex.words("people_nouns", optional=True)
                words = ctx.lex.regex("exercise_words_re")
                if event and dependency.complement_of_a_describing_word(
                    tokens[0], event[0], ctx.lang, people, words
                ):
                    continue
        if tie.type == "VISITED" and _visit_of_another(ctx, parsed, tie):
            continue
        out.append(tie)
    return out


def _visit_of_another(ctx: DocContext, parsed: Parsed, tie: Tie) -> bool:
    """The rule's visitor is named as a place ("the chief of staff stopped in Khartoum after a
    visit to Kinshasa"), or acts in a clause describing a noun of the visit's clause
    ("helicopters, donated by the United States, arrived in Costa Rica"), or the visited place
    hangs on a verb whose subject is someone else ("Modi welcomed the Amir as he arrived in New
    Delhi": "he" arrived, Modi did not)."""
    sentence = ctx.sentence_at(tie.evidence[0].start) if tie.evidence else None
    if sentence is None:
        return False
    where = replace(tie.evidence[0], start=sentence.start, end=sentence.end)
    visitor = _endpoint_tokens(ctx, parsed, where, (tie.source,))
    place = _endpoint_tokens(ctx, parsed, where, (tie.target,))
    if visitor and dependency.named_as_place(visitor[0], ctx.lang):
        return True
    if visitor and place and dependency.inside_noun_clause(visitor[0], place[0], ctx.lang):
        return True
    return bool(
        visitor and place and dependency.argument_of_another_clause(place[0], visitor[0], ctx.lang)
    )


def allowed(ctx: DocContext, tie: Tie, exercises: set[str]) -> bool:
    """The ontology allows this tie between these kinds (data/ontology.yaml): an exercise does
    not train, a person does not receive arms. Ends of a kind the document does not know (an
    agreement) are left to the rule that made them."""
    facts = ontology().facts
    if tie.type not in facts:
        return True
    kinds = ["exercise" if e in exercises else ctx.kind_of(e) for e in (tie.source, tie.target)]
    if None in kinds:
        return True
    return ontology().allows(tie.type, str(kinds[0]), str(kinds[1]))


def _abroad(tie: Tie, state_of: dict[str, str]) -> bool:
    """A visit read from presence holds only for a visitor whose own state is given and is
    not the place ("Sunak signed in Kyiv"; not "Putin said in Moscow", nor an unknown)."""
    if (READING, PRESENCE) not in tie.properties:
        return True
    own = state_of.get(tie.source)
    return own is not None and own != tie.target


def without_implied_visits(ties: list[Tie]) -> list[Tie]:
    """ "Le président français Emmanuel Macron s'est rendu au Brésil": Macron visited Brazil;
    France visiting Brazil is only implied by his role, so the sentence gives no state visit.
    Nobody visits their own state, and a visit read from presence needs the visitor's state."""
    represents = {(t.source, t.target) for t in ties if t.type == "REPRESENTS"}
    state_of = {person: state for person, state in sorted(represents)}
    ties = [
        t
        for t in ties
        if t.type != "VISITED" or ((t.source, t.target) not in represents and _abroad(t, state_of))
    ]
    by_person = {
        (state, t.target, e.sentence)
        for t in ties
        if t.type == "VISITED"
        for person, state in represents
        if person == t.source
        for e in t.evidence
    }
    return [
        t
        for t in ties
        if not (
            t.type == "VISITED"
            and t.evidence
            and all((t.source, t.target, e.sentence) in by_person for e in t.evidence)
        )
    ]


def signed_as_said(
    ctx: DocContext, parsed: Parsed, agreements: list[Agreement], mentions: list[Mention]
) -> list[Agreement]:
    """An agreement marked signed whose every mention hangs on a verb the sentence denies
    ("India did not sign a deal with France") was not signed: its status is left unknown."""
    by_target: dict[str, list[Mention]] = {}
    for m in mentions:
        by_target.setdefault(m.target, []).append(m)
    out = []
    for a in agreements:
        own = by_target.get(a.id, [])
        if a.status == "signed" and own and all(_denied_verb(parsed, m, ctx.lang) for m in own):
            a = replace(a, status=None)
        out.append(a)
    return out


def _denied_verb(parsed: Parsed, mention: Mention, lang: str) -> bool:
    head = _head_token(parsed, mention.start, mention.end)
    if head is None:
        return False
    verb = next((t for t in head.ancestors if t.pos_ in ("VERB", "AUX")), None)
    return verb is not None and polarity.read(verb, lang).status == polarity.NEGATED
