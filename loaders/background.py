"""Background facts from reference data: what the gazetteer knows about actors a corpus names.

When a document names a body of an organisation, the graph also holds the organisation and
the PART_OF tie; when it names an organisation and some of its member states, the graph holds
those memberships. These facts carry the dataset they come from instead of a document span,
and are never scored as extraction (they are added at load time, not by the extractor).
"""

from __future__ import annotations

from collections.abc import Iterable

from loaders.gazetteer import Entry, dataset_for, load_gazetteer
from loaders.model import Actor, Membership, Tie


def gazetteer_actor(entry: Entry) -> Actor:
    return Actor(**entry.identity())


def background_facts(actor_ids: Iterable[str]) -> tuple[list[Actor], list[Membership], list[Tie]]:
    """Parent organisations, PART_OF and MEMBER_OF facts for the actors of a corpus."""
    gazetteer = load_gazetteer()
    known = {e.id: e for e in gazetteer.entries()}
    present = {actor_id for actor_id in actor_ids if actor_id in known}
    actors: list[Actor] = []
    ties: list[Tie] = []
    for actor_id in sorted(present):
        entry = known[actor_id]
        parent = entry.part_of
        if parent and parent in known:
            if parent not in present:
                actors.append(gazetteer_actor(known[parent]))
            ties.append(Tie("PART_OF", entry.id, parent, dataset=dataset_for(entry.id)))
    everyone = present | {a.id for a in actors}
    memberships = [
        Membership(
            member=member,
            organization=org_id,
            since=str(since) if since else None,
            status="member",
            dataset=dataset_for(org_id),
        )
        for org_id in sorted(everyone)
        if known[org_id].kind in ("organization", "body")
        for member, since in sorted(known[org_id].members, key=lambda m: m[0])
        if member in everyone
    ]
    return actors, memberships, ties
