"""Facts from one document: actors and their mentions, agreements, memberships, ties, events.

``extract_document`` is the one entry point. It runs, in order:

1. sentences (regular expressions, ``rules.text``) and the gazetteer's names;
2. names recognised by their shape (``rules.entities``) and people from spaCy's NER;
3. agreements (``rules.agreements``), then memberships, ties and exercises
   (``rules.relations``), each from cue words listed in ``data/patterns_<lang>.yaml``;
4. records: one Actor per entity, sorted, every fact with its evidence.

spaCy's whole pipeline (parser, lemmas, morphology, NER) runs once per line of text
(``loaders.parse``); the syntactic rules read that parse. Everything is deterministic: no set
order leaks into the output, and the same text gives the same facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from loaders.documents import Text
from loaders.gazetteer import dataset_for, load_gazetteer
from loaders.model import (
    FACT_STATUSES,
    Actor,
    Agreement,
    DocumentFacts,
    Event,
    Evidence,
    Membership,
    Mention,
    Tie,
    merge_status,
)
from loaders.ontology import ontology
from loaders.parse import Parsed, parse
from loaders.rules import dependency, entities, persons, polarity
from loaders.rules.agreements import extract_agreements
from loaders.rules.context import ActorInfo, DocContext, Ref
from loaders.rules.dates import DateMention, find_dates, same_year_mentions
from loaders.rules.entities import Candidate
from loaders.rules.lexicon import load_lexicon
from loaders.rules.relations import extract_relations
from loaders.rules.text import fold, slugify, split_sentences

# Structural ties: a body's place in its organisation is not an event a sentence can deny.
_UNHEDGED = frozenset({"PART_OF", "REPRESENTS"})

# ---------------------------------------------------------------------------- actors


def _find_entities(
    ctx: DocContext, parsed: Parsed
) -> tuple[list[Candidate], list[tuple[int, int, str]]]:
    gazetteer = load_gazetteer()
    gaz_refs = entities.gazetteer_refs(ctx, gazetteer, dataset_for)
    ner = parsed.entities()
    definitions = entities.acronym_definitions(ctx, gaz_refs)
    quoted, renames = entities.quoted_names(ctx, gaz_refs)
    candidates = (
        definitions
        + entities.acronym_uses(ctx, definitions)
        + quoted
        + entities.exercise_names(ctx, gaz_refs)
        + entities.services_and_ministries(ctx, gaz_refs)
        + entities.companies(ctx, gaz_refs, ner)
        + entities.named_phrases(ctx, gaz_refs)
        + entities.person_candidates(ctx, ner)
    )
    candidates = entities.repeated_names(ctx, candidates)
    candidates = persons.link_people(candidates)
    refs, kept = entities.resolve_overlaps(gaz_refs, candidates)
    kept = _canonical_names(kept)
    for cand in kept:
        if cand.kind != "exercise":
            ctx.register(ActorInfo(cand.id, cand.name, cand.kind, acronyms=_acronyms(cand)))
    refs += [Ref(c.start, c.end, c.id, c.kind, c.form, ctx.text[c.start : c.end]) for c in kept]
    refs += _rename_refs(ctx, kept, renames)
    ctx.set_refs(refs)
    return kept, renames


def _acronyms(cand: Candidate) -> tuple[str, ...]:
    return (cand.acronym,) if cand.acronym else ()


def _canonical_names(kept: list[Candidate]) -> list[Candidate]:
    """Every candidate of an id carries the name of its first full mention.

    A name that is the beginning of exactly one longer name of the same kind is that entity
    ("Université nationale de défense" after "Université nationale de défense du Kazakhstan").
    """
    longer: dict[str, set[str]] = {}
    ids = {(c.id, c.kind) for c in kept if c.kind not in ("person", "exercise")}
    for short, kind in ids:
        for long_id, long_kind in ids:
            if kind == long_kind and long_id.startswith(f"{short}-"):
                longer.setdefault(short, set()).add(long_id)
    alias = {short: next(iter(ls)) for short, ls in longer.items() if len(ls) == 1}
    kept = [replace(c, id=alias.get(c.id, c.id)) for c in kept]
    names: dict[str, str] = {}
    for cand in sorted(kept, key=lambda c: (c.form in ("acronym", "alias"), c.start)):
        names.setdefault(cand.id, cand.name)
    return [replace(c, name=names[c.id]) for c in kept]


def _rename_refs(
    ctx: DocContext, kept: list[Candidate], renames: list[tuple[int, int, str]]
) -> list[Ref]:
    """ "sous le nouveau nom de «X»": X is another name of the last programme named."""
    out: list[Ref] = []
    for start, end, surface in renames:
        earlier = [
            c for c in kept if c.start < start and c.kind in ("programme", "company", "exercise")
        ]
        if earlier:
            target = max(earlier, key=lambda c: c.start)
            out.append(Ref(start, end, target.id, target.kind, "alias", surface))
    return out


def _roles(ctx: DocContext) -> tuple[dict[str, str], list[Tie]]:
    """Roles of the people named and REPRESENTS ties to their states."""
    represents: dict[str, str] = {}
    ties: list[Tie] = []
    for ref in ctx.refs:
        if ref.kind != "person":
            continue
        role, state = persons.role_of(ctx, ref)
        info = ctx.actor(ref.target)
        if info is not None and role and info.role is None:
            info.role = role
        if state and ref.target not in represents:
            represents[ref.target] = state
            props = (("role", role),) if role else ()
            ties.append(
                Tie(
                    "REPRESENTS",
                    ref.target,
                    state,
                    properties=props,
                    evidence=(ctx.evidence(ref.start, ref.end),),
                )
            )
    return represents, ties


# ---------------------------------------------------------------------------- dates, pair


def _dates(ctx: DocContext, doc_year: str | None) -> dict[int, list[DateMention]]:
    out: dict[int, list[DateMention]] = {}
    last_year: str | None = None
    for sentence in ctx.sentences:
        found = find_dates(ctx.lex, ctx.text, sentence.start, sentence.end, doc_year)
        found += same_year_mentions(ctx.lex, ctx.text, sentence.start, sentence.end, last_year)
        found.sort()
        if found:
            out[sentence.index] = found
        # "la même année" is the year of the last event told, not of an expiry or a start.
        told = [d for d in found if d.role in ("plain", "extended")]
        if told:
            last_year = told[-1].year
    return out


def _main_pair(ctx: DocContext) -> tuple[str, str] | None:
    """The two states a document is about: its two most mentioned, each at least twice."""
    counts = ctx.state_counts()
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    if len(top) < 2 or top[1][1] < 2:
        return None
    # In the order the document first names them, the order a reader would write the pair.
    first = {r.target: r.start for r in reversed(ctx.refs)}
    a, b = sorted((top[0][0], top[1][0]), key=lambda t: (first.get(t, 0), t))
    return a, b


# ---------------------------------------------------------------------------- records


def _used_ids(facts: Iterable[Any]) -> set[str]:
    used: set[str] = set()
    for fact in facts:
        if isinstance(fact, Tie):
            used |= {fact.source, fact.target}
        elif isinstance(fact, Membership):
            used |= {fact.member, fact.organization}
        else:
            used |= set(getattr(fact, "parties", ()))
    return used


def _place_only(ctx: DocContext, ref: Ref) -> bool:
    """A capital used as a place ("depuis Tachkent", a "Paris /" dateline), not as its state."""
    if ref.form != "capital":
        return False
    before = fold(ctx.text[max(0, ref.start - 24) : ref.start])
    if ctx.lex.regex("location_before_re").search(before) or ctx.lex.regex(
        "capital_origin_before_re"
    ).search(before):
        return True
    line_start = ctx.text.rfind("\n", 0, ref.start) + 1
    after = ctx.text[ref.end : ref.end + 4]
    return not ctx.text[line_start : ref.start].strip() and bool(re.match(r"\s*[/(—–-]", after))


def _actors(ctx: DocContext, used: set[str]) -> list[Actor]:
    for ref in ctx.refs:
        info = ctx.actor(ref.target)
        if info is None:
            continue
        if ref.naming and _place_only(ctx, ref) and ref.target not in used:
            continue
        if ref.naming:
            info.aliases.add(" ".join(ref.surface.split()))
        if ref.naming or ref.target in used:
            info.evidence.add(ctx.evidence(ref.start, ref.end))
    out: list[Actor] = []
    for info in sorted(ctx.actors.values(), key=lambda a: a.id):
        if not info.evidence:
            continue
        out.append(
            Actor(
                id=info.id,
                name=info.name,
                kind=info.kind,
                iso2=info.iso2,
                acronyms=info.acronyms,
                aliases=tuple(sorted(info.aliases)),
                role=info.role,
                dataset=info.dataset,
                evidence=tuple(sorted(info.evidence)),
            )
        )
    return out


def _events(ctx: DocContext, kept: list[Candidate], ties: list[Tie]) -> list[Event]:
    dated = {t.target: t.date for t in ties if t.type in ("HOSTED", "PARTICIPATED_IN") and t.date}
    events: dict[str, Event] = {}
    for cand in kept:
        if cand.kind != "exercise":
            continue
        ev = ctx.evidence(cand.start, cand.end)
        known = events.get(cand.id)
        evidence = tuple(sorted({*(known.evidence if known else ()), ev}))
        events[cand.id] = Event(
            cand.id, cand.name, "exercise", start=dated.get(cand.id), evidence=evidence
        )
    return [events[k] for k in sorted(events)]


# ---------------------------------------------------------------------------- polarity


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
        inside = parsed.tokens_between(ref.start, ref.end)
        ids = {t.i for t in inside}
        heads = [t for t in inside if t.head.i not in ids or t.head.i == t.i]
        if heads:
            tokens.append(heads[0])
    return tokens


def _predicate(
    ctx: DocContext, parsed: Parsed, evidence: Evidence, ends: tuple[str, ...]
) -> tuple[Any, list[Any]]:
    """Where the fact is stated, and its ends' tokens: the word that joins both ends, else the
    highest word of its evidence span."""
    tokens = _endpoint_tokens(ctx, parsed, evidence, ends)
    if len(tokens) == 2:
        return polarity.predicate_of(tokens), tokens
    span = parsed.tokens_between(evidence.start, evidence.end)
    return min(span, key=lambda t: len(list(t.ancestors)), default=None), tokens


def _reading(ctx: DocContext, parsed: Parsed, fact: Tie | Membership) -> polarity.Reading:
    ends = (fact.source, fact.target) if isinstance(fact, Tie) else (fact.member, fact.organization)
    readings = []
    for evidence in fact.evidence:
        predicate, tokens = _predicate(ctx, parsed, evidence, ends)
        if (
            isinstance(fact, Tie)
            and len(tokens) == 2
            and dependency.across_clauses(tokens, ctx.lang)
        ):
            # "La France a reçu le ministre et elle a livré des Rafale à la Grèce": the ends
            # belong to two clauses with subjects of their own; no one verb joins them.
            readings.append(polarity.Reading(polarity.NEGATED))
            continue
        readings.append(
            polarity.ASSERTED if predicate is None else polarity.read(predicate, ctx.lang, tokens)
        )
    statuses = [r.status for r in readings]
    if polarity.NEGATED in statuses:
        return polarity.Reading(polarity.NEGATED)
    return polarity.Reading(merge_status(statuses))


def _held(ctx: DocContext, parsed: Parsed, ties: list[Tie]) -> list[Tie]:
    """Ties as the text holds them: denied ones dropped, hedged ones with their status."""
    out = []
    for tie in ties:
        if tie.type in _UNHEDGED or not tie.evidence:
            out.append(tie)
            continue
        reading = _reading(ctx, parsed, tie)
        if reading.status != polarity.NEGATED:
            out.append(replace(tie, status=reading.status))
    return out


def _held_memberships(
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


def _dated(ctx: DocContext, parsed: Parsed, tie: Tie, dates: dict[int, list[DateMention]]) -> Tie:
    """A tie's date as the parse binds it (the ZHETSYU exercise "qui s'est déroulé … en 2009",
    not the "(de 2003 à 2012)" of the clause before)."""
    if tie.date is None or not tie.evidence:
        return tie
    date = _bound_value(ctx, parsed, tie.evidence[0], (tie.source, tie.target), dates, tie.date)
    return tie if date == tie.date else replace(tie, date=date)


def _new_agreements(
    ctx: DocContext, found: Iterable[dependency.NewAgreement], known: Any
) -> tuple[list[Agreement], list[Mention]]:
    """Records for the agreements the parse found signed where no rule named one."""
    used = {a.id for a in known.agreements}
    records: list[Agreement] = []
    mentions: list[Mention] = []
    for new in sorted(found, key=lambda n: n.start):
        base = slugify(" ".join([new.kind, new.name, (new.signed or "")[:4]])) or new.kind
        agreement_id, n = base, 1
        while agreement_id in used:
            n += 1
            agreement_id = f"{base}-{n}"
        used.add(agreement_id)
        records.append(
            Agreement(
                id=agreement_id,
                name=new.name,
                kind=new.kind,
                parties=tuple(new.parties),
                signed=new.signed,
                status="signed",
                evidence=(new.evidence,),
            )
        )
        mentions.append(Mention(ctx.doc_id, agreement_id, new.start, new.end, new.name))
    return records, mentions


def _with_parties(agreements: list[Agreement], parties: list[dependency.Party]) -> list[Agreement]:
    """Agreements with the parties the parse gives them ("X and Y signed the treaty"), and the
    date bound to that signing verb when there is one (it wins over a date merely near)."""
    more: dict[str, list[str]] = {}
    signed: dict[str, str] = {}
    for party in parties:
        more.setdefault(party.agreement, []).append(party.actor)
        if party.signed:
            signed.setdefault(party.agreement, party.signed)
    out = []
    for a in agreements:
        if a.id in more:
            a = replace(a, parties=tuple(dict.fromkeys([*a.parties, *more[a.id]])))
        if a.id in signed:
            a = replace(a, signed=signed[a.id])
        out.append(a)
    return out


def _parse_wins(rule_ties: list[Tie], parse_ties: list[Tie]) -> list[Tie]:
    """A rule's VISITED whose visitor the parse gives otherwise, for the same place in the same
    sentence, is dropped: the parse read who the subject is ("À l'invitation de son homologue
    Tokayev, Poutine a effectué une visite au Kazakhstan": Putin visited, not Tokayev)."""
    parsed = {
        (t.target, e.sentence): t.source
        for t in parse_ties
        if t.type == "VISITED"
        for e in t.evidence
    }
    return [
        t
        for t in rule_ties
        if t.type != "VISITED"
        or not any(parsed.get((t.target, e.sentence), t.source) != t.source for e in t.evidence)
    ]


def _allowed(ctx: DocContext, tie: Tie, exercises: set[str]) -> bool:
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


def _without_implied_visits(ties: list[Tie]) -> list[Tie]:
    """ "Le président français Emmanuel Macron s'est rendu au Brésil": Macron visited Brazil;
    France visiting Brazil is only implied by his role, so the sentence gives no state visit."""
    represents = {(t.source, t.target) for t in ties if t.type == "REPRESENTS"}
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


def _merge_ties(ties: list[Tie]) -> list[Tie]:
    merged: dict[tuple[str, str, str], Tie] = {}
    for tie in ties:
        source, target = tie.source, tie.target
        if tie.type == "ALLIED_WITH":
            source, target = sorted((source, target))
        key = (tie.type, source, target)
        known = merged.get(key)
        if known is None:
            merged[key] = replace(tie, source=source, target=target)
            continue
        merged[key] = replace(
            known,
            date=known.date or tie.date,
            properties=tuple(sorted(set(known.properties) | set(tie.properties))),
            evidence=tuple(sorted(set(known.evidence) | set(tie.evidence))),
            status=merge_status((known.status, tie.status)),
        )
    return [merged[k] for k in sorted(merged)]


def _membership_status(a: str | None, b: str | None) -> str | None:
    """Asserted once is asserted; a stated departure ("left") wins over both."""
    if a in (*FACT_STATUSES, None) and b in (*FACT_STATUSES, None):
        return merge_status((a, b))
    return a if a not in (*FACT_STATUSES, None) else b


def _merge_memberships(memberships: list[Membership]) -> list[Membership]:
    merged: dict[tuple[str, str], Membership] = {}
    for m in memberships:
        key = (m.member, m.organization)
        known = merged.get(key)
        if known is None:
            merged[key] = m
            continue
        merged[key] = replace(
            known,
            since=known.since or m.since,
            until=known.until or m.until,
            status=_membership_status(known.status, m.status),
            evidence=tuple(sorted(set(known.evidence) | set(m.evidence))),
        )
    return [merged[k] for k in sorted(merged)]


def _mentions(ctx: DocContext, extra: list[Mention]) -> list[Mention]:
    out = {
        Mention(ctx.doc_id, r.target, r.start, r.end, " ".join(r.surface.split()))
        for r in ctx.refs
        if r.naming
    }
    out |= set(extra)
    return sorted(out, key=lambda m: (m.start, m.end, m.target))


def _parent_of(entry_id: str) -> str | None:
    try:
        entry = load_gazetteer().get(entry_id)
    except KeyError:
        return None
    return getattr(entry, "part_of", None)


def extract_document(text: Text) -> DocumentFacts:
    """All the facts one document states, each with its evidence."""
    document = text.document
    lang = document.lang if document.lang in ("fr", "en") else "en"
    ctx = DocContext(document.id, text.text, lang, load_lexicon(lang), split_sentences(text.text))
    parsed = parse(text.text, lang)
    kept, _ = _find_entities(ctx, parsed)
    represents, role_ties = _roles(ctx)
    doc_year = document.date[:4] if document.date else None
    dates = _dates(ctx, doc_year)
    pair = None  # nothing invented: no document-level "main pair" stands in for unstated parties
    agreements = extract_agreements(ctx, dates, pair, represents)
    relations = extract_relations(ctx, pair, dates, represents, _parent_of)
    found = dependency.find(ctx, parsed, dates, agreements.mentions)
    exercises = {c.id for c in kept if c.kind == "exercise"}
    ties = _merge_ties(
        _without_implied_visits(
            _parse_wins(
                [
                    _dated(ctx, parsed, t, dates)
                    for t in role_ties + _held(ctx, parsed, agreements.ties + relations.ties)
                    if _allowed(ctx, t, exercises)
                ],
                found.ties,
            )
            + found.ties
        )
    )
    memberships = _merge_memberships(
        _held_memberships(ctx, parsed, relations.memberships, dates) + found.memberships
    )
    new_agreements, new_mentions = _new_agreements(ctx, found.agreements.values(), agreements)
    agreement_list = _with_parties(agreements.agreements, found.parties) + new_agreements
    events = _events(ctx, kept, ties)
    used = _used_ids([*agreement_list, *ties, *memberships])
    return DocumentFacts(
        document=document,
        actors=_actors(ctx, used),
        agreements=agreement_list,
        events=events,
        memberships=memberships,
        ties=ties,
        mentions=_mentions(ctx, agreements.mentions + new_mentions),
    )
