"""Cross-document entity resolution for actors the gazetteer does not know (people, companies).

Within a document the extractor already links "Vladimir Poutine" and "Poutine". Across
documents the same person is often transliterated differently ("Tokaïev" in one French
article, "Tokayev" in another) or named by surname only. This step merges such actors into one
id before loading, so the graph holds one node per real entity.

Rules, chosen to be conservative (a wrong merge is worse than a missed one):

* two multi-word names merge when every word but the last is the same after normalisation and
  the last words are near-identical (rapidfuzz ratio >= `LAST_NAME_SIMILARITY`): transliteration
  variants, not different people of the same family;
* a one-word name merges into a multi-word name whose last word matches it, but only when
  exactly one such name exists in the corpus;
* only actors of the same kind merge; gazetteer actors (states, organisations) never do.

The canonical id is the one of the longest name, then the most documents, then the smallest id,
so the result does not depend on the order documents are read in.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.fuzz import ratio

from loaders.gazetteer import normalize
from loaders.model import Actor, DocumentFacts

RESOLVED_KINDS = ("person", "company")
LAST_NAME_SIMILARITY = 80.0


def _words(name: str) -> list[str]:
    return normalize(name).replace("-", " ").split()


def _same_entity(a: list[str], b: list[str]) -> bool:
    """Whether two multi-word names are variants of one another.

    >>> _same_entity(["kassym", "jomart", "tokaiev"], ["kassym", "jomart", "tokayev"])
    True
    >>> _same_entity(["joe", "biden"], ["hunter", "biden"])
    False
    """
    if len(a) != len(b) or len(a) < 2 or a[:-1] != b[:-1]:
        return False
    return ratio(a[-1], b[-1]) >= LAST_NAME_SIMILARITY


def canonical_ids(
    actors: Iterable[tuple[Actor, int]], apart: set[frozenset[str]] | None = None
) -> dict[str, str]:
    """Map each resolvable actor id to the id of the entity it is merged into.

    `actors` pairs each actor with the number of documents that name it; `apart` holds pairs of
    ids an analyst said are different entities (loaders/corrections.py): no merge joins them.

    >>> a = Actor("kassym-jomart-tokaiev", "Kassym-Jomart Tokaïev", "person")
    >>> b = Actor("kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "person")
    >>> c = Actor("tokayev", "Tokayev", "person")
    >>> sorted(canonical_ids([(a, 1), (b, 2), (c, 1)]).items())
    [('kassym-jomart-tokaiev', 'kassym-jomart-tokayev'), ('tokayev', 'kassym-jomart-tokayev')]
    """
    by_kind: dict[str, dict[str, tuple[Actor, int]]] = defaultdict(dict)
    for actor, count in actors:
        if actor.kind in RESOLVED_KINDS and not actor.dataset:
            by_kind[actor.kind].setdefault(actor.id, (actor, 0))
            previous = by_kind[actor.kind][actor.id][1]
            by_kind[actor.kind][actor.id] = (actor, previous + count)
    mapping: dict[str, str] = {}
    for found in by_kind.values():
        ids = sorted(found)
        words = {actor_id: _words(found[actor_id][0].name) for actor_id in ids}
        parent = {actor_id: actor_id for actor_id in ids}
        members = {actor_id: {actor_id} for actor_id in ids}

        def root(x: str, parent: dict[str, str] = parent) -> str:
            while parent[x] != x:
                x = parent[x]
            return x

        def rank(x: str, found: dict[str, tuple[Actor, int]] = found) -> tuple[int, int, str]:
            actor, count = found[x]
            return (-len(actor.name), -count, x)

        def union(
            x: str,
            y: str,
            parent: dict[str, str] = parent,
            members: dict[str, set[str]] = members,
        ) -> None:
            rx, ry = root(x), root(y)
            if rx == ry or any(
                frozenset((p, q)) in (apart or ()) for p in members[rx] for q in members[ry]
            ):
                return
            keep, drop = sorted((rx, ry), key=rank)
            parent[drop] = keep
            members[keep] |= members.pop(drop)

        multi = [x for x in ids if len(words[x]) >= 2]
        for i, x in enumerate(multi):
            for y in multi[i + 1 :]:
                if _same_entity(words[x], words[y]):
                    union(x, y)
        for x in ids:
            if len(words[x]) == 1:
                matches = {
                    root(y)
                    for y in multi
                    if ratio(words[y][-1], words[x][0]) >= LAST_NAME_SIMILARITY
                }
                if len(matches) == 1:
                    union(x, matches.pop())
        for x in ids:
            if root(x) != x:
                mapping[x] = root(x)
    return mapping


def resolve_across_documents(
    all_facts: list[DocumentFacts], apart: set[frozenset[str]] | None = None
) -> list[DocumentFacts]:
    """The same facts with merged actors renamed to their canonical id everywhere; pairs in
    `apart` are never merged."""
    names = [(actor, 1) for facts in all_facts for actor in facts.actors]
    mapping = canonical_ids(names, apart)
    if not mapping:
        return all_facts
    canonical = {actor.id: actor for facts in all_facts for actor in facts.actors}
    # A document that names none of the merged actors is unchanged: not rebuilt (most of them).
    return [
        _rename(facts, mapping, canonical) if _names_any(facts, mapping) else facts
        for facts in all_facts
    ]


def _names_any(facts: DocumentFacts, ids: dict[str, str]) -> bool:
    """Whether `_rename` could change these facts: some id of `ids` is in them, or two of their
    actors share an id, or an agreement names a party twice (`_rename` merges those)."""
    actors = [a.id for a in facts.actors]
    return (
        len(set(actors)) != len(actors)
        or any(x in ids for x in actors)
        or any(len(set(a.parties)) != len(a.parties) for a in facts.agreements)
        or any(p in ids for a in facts.agreements for p in a.parties)
        or any(x.member in ids or x.organization in ids for x in facts.memberships)
        or any(t.source in ids or t.target in ids for t in facts.ties)
        or any(x.target in ids for x in facts.mentions)
    )


def rename_actors(all_facts: list[DocumentFacts], mapping: dict[str, str]) -> list[DocumentFacts]:
    """Merge actors by an analyst's decision: each id of `mapping` becomes its value everywhere,
    and takes the kept actor's name, kind and code (whatever kinds the two had)."""
    canonical = {actor.id: actor for facts in all_facts for actor in facts.actors}
    renamed = [_rename(facts, mapping, canonical) for facts in all_facts]
    for facts in renamed:
        facts.actors = [
            dataclasses.replace(a, kind=canonical[a.id].kind, iso2=canonical[a.id].iso2)
            if a.id in mapping.values()
            else a
            for a in facts.actors
        ]
    return renamed


def _rename(
    facts: DocumentFacts, mapping: dict[str, str], canonical: dict[str, Actor]
) -> DocumentFacts:
    def m(actor_id: str) -> str:
        return mapping.get(actor_id, actor_id)

    actors: dict[str, Actor] = {}
    for actor in facts.actors:
        target = m(actor.id)
        if target == actor.id:
            merged = actor
        else:
            head = canonical[target]
            merged = dataclasses.replace(
                actor,
                id=target,
                name=head.name,
                aliases=tuple(sorted({*actor.aliases, actor.name})),
            )
        if target in actors:
            kept = actors[target]
            merged = dataclasses.replace(
                kept,
                aliases=tuple(sorted({*kept.aliases, *merged.aliases})),
                evidence=tuple(sorted({*kept.evidence, *merged.evidence})),
                role=kept.role or merged.role,
            )
        actors[target] = merged
    return dataclasses.replace(
        facts,
        actors=list(actors.values()),
        agreements=[
            dataclasses.replace(a, parties=tuple(dict.fromkeys(m(p) for p in a.parties)))
            for a in facts.agreements
        ],
        memberships=[
            dataclasses.replace(x, member=m(x.member), organization=m(x.organization))
            for x in facts.memberships
        ],
        ties=[dataclasses.replace(t, source=m(t.source), target=m(t.target)) for t in facts.ties],
        mentions=[dataclasses.replace(x, target=m(x.target)) for x in facts.mentions],
    )
