"""Labels, relationship types and keys: the one source of truth for the graph's shape.

Every node has a stable ``id`` (ISO code or slug, never a database id), ``name`` and ``sources``
(document ids, or the reference dataset for background facts). Every fact relationship has
``sources``, ``evidence`` (quoted sentences) and ``spans`` (``doc:start-end``).
"""

from __future__ import annotations

from loaders.model import AGREEMENT_LINKS, TIE_TYPES

# Node labels that carry a unique `id`. Actors also get one kind label from ACTOR_LABELS.
KEYED_LABELS = ("Actor", "Agreement", "Event", "Document")

ACTOR_LABELS = {
    "state": "State",
    "organization": "Organization",
    "body": "Body",
    "company": "Company",
    "person": "Person",
    "programme": "Programme",
    "place": "Place",
    "facility": "Facility",
    "equipment": "Equipment",
}

# Relationship types by the labels they join. The load files in cypher/load/ are written for
# exactly these; tests check the two agree.
# PARTICIPATED_IN and HOSTED join an actor to an event (an exercise, a summit) or to an actor
# (a programme such as Partnership for Peace), so they appear in both groups.
ACTOR_TIES = (*TIE_TYPES, "MEMBER_OF")
EVENT_TIES = ("PARTICIPATED_IN", "HOSTED")
AGREEMENT_TIES = AGREEMENT_LINKS
PARTY_TO = "PARTY_TO"
MENTIONS = "MENTIONS"

RELATIONSHIP_TYPES = tuple(sorted({*ACTOR_TIES, *EVENT_TIES, *AGREEMENT_TIES, PARTY_TO, MENTIONS}))
# Relationships that state a fact and so must carry evidence or a dataset. MENTIONS is a
# record of where a name occurs, and carries its spans instead.
FACT_RELATIONSHIPS = tuple(t for t in RELATIONSHIP_TYPES if t != MENTIONS)
