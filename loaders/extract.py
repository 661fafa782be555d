"""Facts from one document: actors and their mentions, agreements, memberships, ties, events.

``extract_document`` is the one entry point. It runs, in order:

1. sentences (regular expressions, ``rules.text``), spaCy's parse (``loaders.parse``) and the
   gazetteer's names;
2. names recognised by their shape (``rules.entities``) and people from spaCy's NER;
3. agreements (``rules.agreements``), then memberships, ties and exercises
   (``rules.relations``), each from cue words listed in ``data/patterns_<lang>.yaml``, checked
   against the parse (``rules.checks``: polarity, dates, allowed ends);
4. facts read from the parse by the DependencyMatcher patterns (``rules.dependency``);
5. records: one Actor per entity, sorted, every fact with its evidence.

spaCy's whole pipeline (parser, lemmas, morphology, NER) runs once per line of text
(``loaders.parse``); the syntactic rules read that parse. Everything is deterministic: no set
order leaks into the output, and the same text gives the same facts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
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
    Membership,
    Mention,
    Tie,
    merge_status,
)
from loaders.ontology import ontology
from loaders.parse import Parsed, parse
from loaders.rules import checks, dependency, entities, persons
from loaders.rules.agreements import extract_agreements
from loaders.rules.context import ActorInfo, DocContext, Ref
from loaders.rules.dates import DateMention, find_dates, same_year_mentions
from loaders.rules.entities import Candidate
from loaders.rules.lexicon import load_lexicon
from loaders.rules.relations import describes_people, extract_relations
from loaders.rules.text import fold, slugify, split_sentences, unwrap_lines

# ---------------------------------------------------------------------------- actors


def _find_entities(
    ctx: DocContext, parsed: Parsed
) -> tuple[list[Candidate], list[tuple[int, int, str]]]:
    gazetteer = load_gazetteer()
    gaz_refs = entities.gazetteer_refs(ctx, gazetteer, dataset_for)
    titles = (
        ctx.lex.words("person_titles")
        | ctx.lex.words("person_ranks", optional=True)
        | frozenset(ctx.lex.mapping("roles"))
    )
    ner = dependency.person_extents(
        parsed, ctx.lang, parsed.entities(), lambda word: fold(word).rstrip(".") in titles
    )
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
        + entities.person_candidates(ctx, ner, gaz_refs)
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


def _people_of_states(ctx: DocContext) -> set[Ref]:
    """States' adjectives that qualify people who serve them ("des marins espagnols",
    "Spanish sailors"), with those coordinated to one ("espagnols et portugais")."""
    adjectives = [r for r in ctx.refs if r.form == "adjective" and r.kind == "state"]
    gap = ctx.lex.regex("membership.listed_gap_re", ignore_case=False)
    runs: list[list[Ref]] = []
    for ref in adjectives:
        if runs and gap.fullmatch(fold(ctx.text[runs[-1][-1].end : ref.start])):
            runs[-1].append(ref)
        else:
            runs.append([ref])
    return {r for run in runs if any(describes_people(ctx, r) for r in run) for r in run}


def _actors(ctx: DocContext, used: set[str]) -> list[Actor]:
    people = _people_of_states(ctx)
    for ref in ctx.refs:
        info = ctx.actor(ref.target)
        if info is None:
            continue
        if ref.naming and _place_only(ctx, ref) and ref.target not in used:
            continue
        if ref.naming:
            info.aliases.add(" ".join(ref.surface.split()))
        # "des marins espagnols": a state's people act for it, so the adjective names it.
        if ref.naming or ref.target in used or ref in people:
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


def _new_agreements(
    ctx: DocContext, found: Iterable[dependency.NewAgreement], known: Any
) -> tuple[list[Agreement], list[Mention]]:
    """Records for the agreements the parse found signed where no rule named one."""
    used = {a.id for a in known.agreements}
    named = [fold(n) for a in known.agreements for n in (a.name, a.name_fr, a.name_en) if n]
    records: list[Agreement] = []
    mentions: list[Mention] = []
    for new in sorted(found, key=lambda n: n.start):
        if any(fold(new.name).startswith(n) for n in named):
            continue  # "Signature du Traité du Quirinal entre …": the treaty the rules named
        if len(new.name.split()) >= 3 and any(n.startswith(fold(new.name)) for n in named):
            continue  # the same agreement, its name cut shorter where the parse ended it
        if fold(new.name) in ctx.lex.mapping("agreement_kinds") and any(
            n.startswith(fold(new.name) + " ") for n in named
        ):
            # "Brazil and Colombia sign agreement to act jointly" (a headline the parse cut at
            # its kind word) while the text names "an agreement to act jointly": that one.
            continue
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


def _parties_as_states(agreements: list[Agreement], represents: dict[str, str]) -> list[Agreement]:
    """A person who signs for a state the text names ("French President Emmanuel Macron and
    Brazilian President Lula signed …") makes that state the party; the signatory stays in
    the evidence. A person whose state the text does not give stays the party."""
    out = []
    for a in agreements:
        parties = tuple(dict.fromkeys(represents.get(p, p) for p in a.parties))
        out.append(a if parties == a.parties else replace(a, parties=parties))
    return out


def _back_references(ctx: DocContext, parsed: Any, mentions: list[Mention]) -> set[str]:
    """Agreements only ever named by a definite descriptor after another agreement was named
    ("Serbia signed a contract … The widely anticipated deal …", "the Rafale deal"): they are
    that agreement again, never a new one."""
    first_start: dict[str, int] = {}
    for m in mentions:
        first_start[m.target] = min(first_start.get(m.target, m.start), m.start)
    by_target: dict[str, list[Mention]] = {}
    for m in mentions:
        by_target.setdefault(m.target, []).append(m)
    dropped = set()
    for target, own in sorted(by_target.items()):
        earlier = [t for t, start in first_start.items() if t != target and start < own[0].start]
        if earlier and all(
            dependency.definite_descriptor(parsed, m.start, m.end, ctx.lang) for m in own
        ):
            dropped.add(target)
    return dropped


def _descriptions(
    agreements: list[Agreement], parsed: Any, ctx: DocContext, mentions: list[Mention]
) -> set[str]:
    """Agreements only ever described by what they are for ("un traité visant à renforcer la
    relation franco-allemande") while the document names one of the same kind with a party in
    common ("le traité d'Aix-la-Chapelle"): the description is that agreement, not another."""
    by_target: dict[str, list[Mention]] = {}
    for m in mentions:
        by_target.setdefault(m.target, []).append(m)
    described = {
        a.id
        for a in agreements
        if by_target.get(a.id)
        and all(
            dependency.purpose_description(parsed, m.start, m.end, ctx.lang)
            for m in by_target[a.id]
        )
    }
    return {
        a.id
        for a in agreements
        if a.id in described
        and any(
            b.id not in described and b.kind == a.kind and set(a.parties) & set(b.parties)
            for b in agreements
        )
    }


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


def _merge_ties(ties: list[Tie]) -> list[Tie]:
    """One tie per (type, source, target). Evidence and properties are gathered in sets and
    sorted once per tie at the end: sorting them again on every duplicate was quadratic."""
    merged: dict[tuple[str, str, str], Tie] = {}
    evidence: dict[tuple[str, str, str], set[Any]] = {}
    properties: dict[tuple[str, str, str], set[Any]] = {}
    repeated: set[tuple[str, str, str]] = set()
    for tie in ties:
        source, target = tie.source, tie.target
        kind = ontology().facts.get(tie.type)
        if kind is not None and kind.symmetric:
            source, target = sorted((source, target))
        key = (tie.type, source, target)
        known = merged.get(key)
        evidence.setdefault(key, set()).update(tie.evidence)
        properties.setdefault(key, set()).update(tie.properties)
        if known is None:
            merged[key] = replace(tie, source=source, target=target)
            continue
        repeated.add(key)
        merged[key] = replace(
            known,
            date=known.date or tie.date,
            status=merge_status((known.status, tie.status)),
        )
    out = []
    for key in sorted(merged):
        tie = merged[key]
        if key in repeated:
            # Merged with another: sorted, as a merge always gave them (a lone tie keeps its own).
            tie = replace(
                tie,
                properties=tuple(sorted(properties[key])),
                evidence=tuple(sorted(evidence[key])),
            )
        out.append(tie)
    return out


def _membership_status(a: str | None, b: str | None) -> str | None:
    """Asserted once is asserted; a stated departure ("left") wins over both."""
    if a in (*FACT_STATUSES, None) and b in (*FACT_STATUSES, None):
        return merge_status((a, b))
    return a if a not in (*FACT_STATUSES, None) else b


def _merge_memberships(memberships: list[Membership]) -> list[Membership]:
    """One membership per (member, organisation); evidence sorted once, as in `_merge_ties`."""
    merged: dict[tuple[str, str], Membership] = {}
    evidence: dict[tuple[str, str], set[Any]] = {}
    for m in memberships:
        key = (m.member, m.organization)
        known = merged.get(key)
        if known is None:
            merged[key] = m
            continue
        evidence.setdefault(key, set(known.evidence)).update(m.evidence)
        merged[key] = replace(
            known,
            since=known.since or m.since,
            until=known.until or m.until,
            status=_membership_status(known.status, m.status),
        )
    return [
        replace(merged[k], evidence=tuple(sorted(evidence[k]))) if k in evidence else merged[k]
        for k in sorted(merged)
    ]


def _mentions(ctx: DocContext, extra: list[Mention]) -> list[Mention]:
    out = {
        Mention(ctx.doc_id, r.target, r.start, r.end, " ".join(r.surface.split()))
        for r in ctx.refs
        if r.naming
    }
    out |= set(extra)
    return sorted(out, key=lambda m: (m.start, m.end, m.target))


def _states_of_bodies(ctx: DocContext) -> dict[str, str]:
    """The state each of the document's national bodies belongs to: the state a service or
    ministry was read with ("l'armée libanaise", id ``LB-armed-forces``), or the one state
    named inside every mention of the body ("the Guyana Defense Force")."""
    found: dict[str, set[str]] = {}
    for ref in ctx.refs:
        if ref.kind != "body" or ref.nested:
            continue
        prefix = ref.target.split("-", 1)[0]
        owner = ctx.actor(prefix)
        if owner is not None and owner.kind == "state" and prefix != ref.target:
            states = {prefix}
        else:
            states = {
                r.target
                for r in ctx.refs_between(ref.start, ref.end)
                if r.kind == "state" and r is not ref
            }
        found.setdefault(ref.target, set()).update(states or {""})
    return {body: next(iter(s)) for body, s in found.items() if len(s) == 1 and "" not in s}


def _with_states_of_bodies(
    ties: list[Tie], states: dict[str, str], kind_of: Callable[[str], str | None]
) -> list[Tie]:
    """Beside each tie a state's body holds, for the fact kinds the ontology says a body speaks
    for its state in, the same tie of the state (same evidence, date and status)."""
    out = list(ties)
    for tie in ties:
        kind = ontology().facts.get(tie.type)
        if kind is None or not kind.bodies_speak_for_states:
            continue
        source = states.get(tie.source, tie.source) if "state" in kind.source else tie.source
        target = states.get(tie.target, tie.target) if "state" in kind.target else tie.target
        if (source, target) == (tie.source, tie.target) or source == target:
            continue
        if kind.bodies_speak_for_states == "between_states" and not (
            kind_of(source) == "state" and kind_of(target) == "state"
        ):
            continue
        out.append(replace(tie, source=source, target=target))
    return out


def _between_two_states(ties: list[Tie], states: dict[str, str]) -> list[Tie]:
    """Without the ties a state would hold with itself through one of its bodies ("the U.S."
    supplying the U.S. State Department): a tie between states is between two of them."""
    out = []
    for tie in ties:
        kind = ontology().facts.get(tie.type)
        if (
            kind is not None
            and "state" in kind.source
            and "state" in kind.target
            and states.get(tie.source, tie.source) == states.get(tie.target, tie.target)
        ):
            continue
        out.append(tie)
    return out


def _names_run_on(ctx: DocContext, parsed: Any, found: Any) -> list[Agreement]:
    """An agreement's name the words cut short runs on as far as the parse reads its phrase
    ("agreement for the transportation" | "of 1.5 million tons of oil per year from the Tengiz
    field", "accord d'accès" | "réciproque"): only a longer name with the same beginning, and
    only a name of the text's own (not one the gazetteer gives)."""
    first = {}
    for m in found.mentions:
        first.setdefault(m.target, m)
    out = []
    for a in found.agreements:
        m = first.get(a.id)
        longer = dependency.parsed_name(ctx, parsed, m.start, m.end) if m else None
        if (
            longer
            and not dependency.names_a_party(fold(longer[len(a.name) :]), ctx.lang)
            and a.name_en in (None, a.name)
            and a.name_fr in (None, a.name)
            and len(longer) > len(a.name)
            and fold(longer).startswith(fold(a.name))
        ):
            a = replace(a, name=longer)
        out.append(a)
    return out


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
    # Hard-wrapped prose is read as its sentences; the offsets are the document's.
    reading = unwrap_lines(text.text)
    ctx = DocContext(document.id, reading, lang, load_lexicon(lang), split_sentences(reading))
    parsed = parse(reading, lang)
    ctx.clause_breaks = dependency.clause_breaks(parsed, lang)
    ctx.verb_starts = dependency.verb_starts(parsed)
    ctx.noun_starts = dependency.noun_starts(parsed, lang)
    ctx.adverb_starts = dependency.adverb_starts(parsed)
    ctx.modifier_starts = dependency.modifier_starts(parsed, lang)
    ctx.qualified_group_starts = dependency.qualified_group_starts(parsed, lang)
    ctx.noun_clause_starts = dependency.noun_clause_starts(parsed, lang)
    ctx.described_by_participle = functools.partial(
        dependency.described_by_participle, parsed, lang
    )
    ctx.noun_between = functools.partial(dependency.noun_between, parsed)
    ctx.denied_at = functools.partial(dependency.denied_at, parsed, lang)
    ctx.own_clause_start = functools.partial(dependency.own_clause_start, parsed, lang)
    ctx.modified_phrase = functools.partial(dependency.modified_phrase, parsed, lang)
    ctx.owner_of = functools.partial(dependency.owner_of, parsed, lang)
    kept, _ = _find_entities(ctx, parsed)
    represents, role_ties = _roles(ctx)
    doc_year = document.date[:4] if document.date else None
    dates = _dates(ctx, doc_year)
    pair = None  # nothing invented: no document-level "main pair" stands in for unstated parties
    agreements = extract_agreements(ctx, dates, pair, represents)
    relations = extract_relations(ctx, pair, dates, represents, _parent_of)
    found = dependency.find(ctx, parsed, dates, agreements.mentions, relations.ties)
    exercises = {c.id for c in kept if c.kind == "exercise"}
    body_states = _states_of_bodies(ctx)
    ties = _merge_ties(
        _between_two_states(
            _with_states_of_bodies(
                checks.without_implied_visits(
                    checks.parse_wins(
                        [
                            checks.dated(ctx, parsed, t, dates)
                            for t in role_ties
                            + checks.held(
                                ctx,
                                parsed,
                                agreements.ties
                                + checks.participants_not_places(ctx, parsed, relations.ties),
                            )
                            if checks.allowed(ctx, t, exercises)
                        ],
                        found.ties,
                    )
                    + found.ties
                ),
                body_states,
                ctx.kind_of,
            ),
            body_states,
        )
    )
    memberships = _merge_memberships(
        checks.held_memberships(ctx, parsed, relations.memberships, dates) + found.memberships
    )
    new_agreements, new_mentions = _new_agreements(ctx, found.agreements.values(), agreements)
    agreement_list = _parties_as_states(
        _with_parties(_names_run_on(ctx, parsed, agreements), found.parties) + new_agreements,
        {**body_states, **represents},
    )
    agreement_mentions = agreements.mentions + new_mentions
    dropped = _back_references(ctx, parsed, agreement_mentions)
    dropped |= _descriptions(agreement_list, parsed, ctx, agreement_mentions)
    agreement_list = checks.signed_as_said(
        ctx, parsed, [a for a in agreement_list if a.id not in dropped], agreement_mentions
    )
    agreement_mentions = [m for m in agreement_mentions if m.target not in dropped]
    ties = [t for t in ties if t.source not in dropped and t.target not in dropped]
    events = _events(ctx, kept, ties)
    used = _used_ids([*agreement_list, *ties, *memberships])
    return DocumentFacts(
        document=document,
        actors=_actors(ctx, used),
        agreements=agreement_list,
        events=events,
        memberships=memberships,
        ties=ties,
        mentions=_mentions(ctx, agreement_mentions),
    )
