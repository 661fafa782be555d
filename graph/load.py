"""Facts -> graph rows -> one atomic reload of the store.

The facts come from `loaders.pipeline` (read, extract with its cache and workers, resolve,
correct, background); this module only merges them into rows and writes them.

The graph is a function of the corpus: every reload rebuilds it from all documents, so the same
documents always give the same graph, and a reload that fails leaves the previous one in place
(`Store.replace_graph`). Facts about the same node or relationship found in several documents
are merged here, in Python, in a fixed order, so the rows (and hence the exports) are identical
from run to run.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import catalogue, schema
from graph.errors import TiesError
from graph.store import Finish, Runner, Staged, Store, Write
from loaders.corrections import Corrections, Stale
from loaders.model import (
    FACT_STATUSES,
    Actor,
    Agreement,
    DocumentError,
    DocumentFacts,
    Event,
    Evidence,
    Membership,
    Tie,
    fact_id,
    merge_status,
)
from loaders.pipeline import CorpusFacts, ExtractionCache, Progress, corpus_facts, resolve_corpus

MAX_EVIDENCE = 20  # quoted sentences kept per relationship; spans and sources are all kept


@dataclass
class ReloadReport:
    documents: int
    errors: list[DocumentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Analysts' decisions that found nothing to apply to (their document left, its text changed).
    stale: list[Stale] = field(default_factory=list)
    statements: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # Documents extracted this time (the others came from the extraction cache).
    extracted: list[str] = field(default_factory=list)


def schema_statements(backend: str) -> list[str]:
    name = "schema/neo4j" if backend == "neo4j" else "schema/falkordb"
    return catalogue.get(name).statements()


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores neither nulls nor maps; drop empty values so both stores hold the same."""
    return {key: value for key, value in props.items() if value not in (None, "", (), [])}


def _evidence_order(item: Evidence) -> tuple[str, int, int, str]:
    """`Evidence`'s own order (its fields in turn), as a tuple that compares in C."""
    return (item.doc, item.start, item.end, item.sentence)


def _evidence_props(evidence: Iterable[Evidence]) -> dict[str, Any]:
    unique = sorted(set(evidence), key=_evidence_order)
    sentences: list[str] = []
    for item in unique:
        if item.sentence not in sentences and len(sentences) < MAX_EVIDENCE:
            sentences.append(item.sentence)
    return {
        "sources": sorted({item.doc for item in unique}),
        "spans": [item.span for item in unique],
        "evidence": sentences,
    }


def _provenance(evidence: Sequence[Evidence], dataset: str | None) -> dict[str, Any]:
    props = _evidence_props(evidence)
    if dataset:
        props["dataset"] = dataset
        if not props["sources"]:
            props["sources"] = [dataset]
    return props


def _curation(found: Iterable[Any]) -> dict[str, Any]:
    """`curated: true` and the decisions' notes, in file order, when an analyst's decision
    changed or added this node or fact (loaders/corrections.py)."""
    if not any(record.curated for record in found):
        return {}  # nearly every node and fact: no decision touched it
    notes = list(dict.fromkeys(note for record in found for note in record.curated))
    return {"curated": True, "note": "; ".join(notes)} if notes else {}


def _first(found: Sequence[Any], attr: str) -> Any:
    """The first non-empty value of `attr` among records of one node, in document order (the
    corpus is read in sorted order, so this is stable)."""
    return next((getattr(x, attr) for x in found if getattr(x, attr)), None)


def _year(value: str | None) -> int | None:
    if value and value[:4].isdigit():
        return int(value[:4])
    return None


def _member_count(actor_id: str) -> int | None:
    """How many members reference data gives an organisation (None if it knows none): the
    network never ties the members of a very large organisation pairwise, however few of them
    a corpus names."""
    entry = _gazetteer_entries().get(actor_id)
    return len(entry.members) if entry is not None and entry.members else None


@functools.lru_cache(maxsize=1)
def _gazetteer_entries() -> dict[str, Any]:
    from loaders.gazetteer import load_gazetteer

    return {entry.id: entry for entry in load_gazetteer().entries()}


class GraphRows:
    """Accumulates facts from many documents, merging by node id and relationship key."""

    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, list[Actor]] = defaultdict(list)
        self.agreements: dict[str, list[Agreement]] = defaultdict(list)
        self.events: dict[str, list[Event]] = defaultdict(list)
        self.rels: dict[tuple[str, str, str], list[Tie]] = defaultdict(list)
        self.mentions: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)

    def add(self, facts: DocumentFacts) -> None:
        doc = facts.document
        self.documents[doc.id] = _clean(
            {
                "name": doc.title,
                "title": doc.title,
                "lang": doc.lang,
                "source": doc.source,
                "sha256": doc.sha256,
                "date": doc.date,
                "date_from": doc.date_from,
                "year": _year(doc.date),
                "chars": doc.chars,
                "sources": [doc.id],
            }
        )
        for actor in facts.actors:
            self.actors[actor.id].append(actor)
        for agreement in facts.agreements:
            self.agreements[agreement.id].append(agreement)
            for party in agreement.parties:
                self.rels[(schema.PARTY_TO, party, agreement.id)].append(
                    Tie(schema.PARTY_TO, party, agreement.id, evidence=agreement.evidence)
                )
        for event in facts.events:
            self.events[event.id].append(event)
        for membership in facts.memberships:
            self.add_membership(membership)
        for tie in facts.ties:
            self.rels[(tie.type, tie.source, tie.target)].append(tie)
        for mention in facts.mentions:
            self.mentions[(mention.doc, mention.target)].append((mention.start, mention.end))

    def add_membership(self, membership: Membership) -> None:
        hedged = membership.status if membership.status in FACT_STATUSES else None
        props = tuple(
            (key, value)
            for key, value in (
                ("since", membership.since),
                ("until", membership.until),
                ("status", None if hedged else membership.status),
            )
            if value
        )
        self.rels[("MEMBER_OF", membership.member, membership.organization)].append(
            Tie(
                "MEMBER_OF",
                membership.member,
                membership.organization,
                properties=props,
                date=membership.since,
                dataset=membership.dataset,
                evidence=membership.evidence,
                status=hedged,
                curated=membership.curated,
            )
        )

    # -- rows --------------------------------------------------------------------------------

    def actor_rows(self) -> list[dict[str, Any]]:
        rows = []
        for actor_id in sorted(self.actors):
            found = self.actors[actor_id]
            first = found[0]
            evidence = [e for actor in found for e in actor.evidence]
            props = _provenance(evidence, first.dataset)
            props.pop("evidence")
            props.update(
                name=first.name,
                kind=first.kind,
                iso2=first.iso2,
                role=_first(found, "role"),
                acronyms=sorted({x for a in found for x in a.acronyms}),
                aliases=sorted({x for a in found for x in a.aliases}),
                **_curation(found),
                member_count=_member_count(actor_id),
            )
            rows.append({"id": actor_id, "kind": first.kind, "props": _clean(props)})
        return rows

    def agreement_rows(self) -> list[dict[str, Any]]:
        rows = []
        for agreement_id in sorted(self.agreements):
            found = self.agreements[agreement_id]
            first = found[0]

            def pick(attr: str, found: list[Agreement] = found) -> Any:
                return _first(found, attr)

            props = _provenance([e for a in found for e in a.evidence], None)
            props.update(
                name=first.name,
                kind=first.kind,
                name_fr=pick("name_fr"),
                name_en=pick("name_en"),
                signed=pick("signed"),
                signed_year=_year(pick("signed")),
                in_force=pick("in_force"),
                expires=pick("expires"),
                expires_year=_year(pick("expires")),
                duration_years=pick("duration_years"),
                status=pick("status"),
                scope=pick("scope"),
                domains=sorted({d for a in found for d in a.domains}),
                parties=sorted({p for a in found for p in a.parties}),
                **_curation(found),
            )
            rows.append({"id": agreement_id, "props": _clean(props)})
        return rows

    def event_rows(self) -> list[dict[str, Any]]:
        rows = []
        for event_id in sorted(self.events):
            found = self.events[event_id]
            first = found[0]
            props = _provenance([e for ev in found for e in ev.evidence], None)
            props.update(
                name=first.name,
                kind=first.kind,
                start=_first(found, "start"),
                end=_first(found, "end"),
                place=_first(found, "place"),
                year=_year(_first(found, "start")),
                **_curation(found),
            )
            rows.append({"id": event_id, "props": _clean(props)})
        return rows

    def relationship_rows(
        self, rel_types: Sequence[str], targets: set[str] | None = None
    ) -> list[dict[str, Any]]:
        """Rows of these types; with `targets`, only those whose end node is one of them."""
        wanted = set(rel_types)
        rows = []
        # Only the keys wanted are sorted (the same order as sorting all and skipping).
        keys = sorted(
            key for key in self.rels if key[0] in wanted and (targets is None or key[2] in targets)
        )
        for key in keys:
            rel_type, source, target = key
            found = self.rels[key]
            props = _provenance(
                [e for tie in found for e in tie.evidence],
                next((t.dataset for t in found if t.dataset), None),
            )
            date = next((t.date for t in found if t.date), None)
            props.update(date=date, year=_year(date))
            for tie in found:
                for name, value in tie.properties:
                    props.setdefault(name, value)
            # Planned or reported in every document that states it; asserted once is asserted.
            status = merge_status(t.status for t in found)
            if status:
                props.setdefault("status", status)
            if props.get("until"):
                props["until_year"] = _year(props["until"])
            props.update(fact_id=fact_id(rel_type, source, target), **_curation(found))
            rows.append(
                {"type": rel_type, "source": source, "target": target, "props": _clean(props)}
            )
        return rows

    def mention_rows(self, ids: set[str]) -> list[dict[str, Any]]:
        rows = []
        for doc, target in sorted(key for key in self.mentions if key[1] in ids):
            unique = sorted(set(self.mentions[(doc, target)]))
            rows.append(
                {
                    "type": schema.MENTIONS,
                    "source": doc,
                    "target": target,
                    "props": {
                        "count": len(unique),
                        "spans": [f"{doc}:{start}-{end}" for start, end in unique],
                        "sources": [doc],
                    },
                }
            )
        return rows

    def writes(self) -> list[Write]:
        """Nodes first (so relationships find their ends), then relationships, in a fixed order."""
        actors = self.actor_rows()
        agreements = self.agreement_rows()
        events = self.event_rows()
        actor_ids = {row["id"] for row in actors}
        agreement_ids = {row["id"] for row in agreements}
        event_ids = {row["id"] for row in events}
        plan = [
            ("load/documents", [{"id": k, "props": v} for k, v in sorted(self.documents.items())]),
            ("load/actors", actors),
            ("load/agreements", agreements),
            ("load/events", events),
            ("load/actor_ties", self.relationship_rows(schema.ACTOR_TIES, actor_ids)),
            ("load/party_to", self.relationship_rows([schema.PARTY_TO])),
            ("load/event_ties", self.relationship_rows(schema.EVENT_TIES, event_ids)),
            ("load/agreement_links", self.relationship_rows(schema.AGREEMENT_TIES)),
            ("load/mentions_actor", self.mention_rows(actor_ids)),
            ("load/mentions_agreement", self.mention_rows(agreement_ids)),
            ("load/mentions_event", self.mention_rows(event_ids)),
        ]
        return [Write(name, catalogue.get(name).cypher, rows) for name, rows in plan]


def rows_from(facts: CorpusFacts) -> GraphRows:
    """Rows for a corpus's facts, as `loaders.pipeline` gives them (resolved, corrected and
    completed with the background): this module only merges them into rows."""
    rows = GraphRows()
    for document in facts.documents:
        rows.add(document)
    for actor in facts.background.actors:
        rows.actors[actor.id].append(actor)
    for membership in facts.background.memberships:
        rows.add_membership(membership)
    for tie in facts.background.ties:
        rows.rels[(tie.type, tie.source, tie.target)].append(tie)
    return rows


def build_rows(
    all_facts: Iterable[DocumentFacts],
    background: bool = True,
    corrections: Corrections | None = None,
    texts: dict[str, str] | None = None,
    stale: list[Stale] | None = None,
) -> GraphRows:
    """Rows for extracted documents: resolved, corrected and completed by the pipeline
    (`loaders.pipeline.resolve_corpus`), then merged; stale decisions appended to `stale`."""
    facts = resolve_corpus(
        list(all_facts), background=background, corrections=corrections, texts=texts
    )
    if stale is not None:
        stale.extend(facts.stale)
    return rows_from(facts)


def write_facts(
    store: Store,
    facts: CorpusFacts,
    *,
    batch_size: int = 1000,
    finish: Finish | None = None,
) -> ReloadReport:
    """Replace the store's graph with these facts in one atomic step (`Store.replace_graph`).

    Only this step needs the store: extract first (`loaders.pipeline.corpus_facts`), then open
    the store, so readers keep the previous graph while the corpus is extracted."""
    report = ReloadReport(
        documents=len(facts.documents),
        errors=list(facts.errors),
        warnings=list(facts.warnings),
        stale=list(facts.stale),
        extracted=list(facts.extracted),
    )
    rows = rows_from(facts)

    def counted(run: Runner) -> None:
        # The counts are read from the new graph too, so the report needs nothing after the
        # switch: what it says is what readers now see.
        report.counts = _counts(run)

    def before_switch(run: Runner) -> None:
        counted(run)
        if finish is not None:
            finish(run)

    def write_counted(write: Callable[[Runner, Any], None]) -> Callable[[Runner, Any], None]:
        def both(run: Runner, computed: Any) -> None:
            counted(run)
            write(run, computed)

        return both

    # A staged finish stays staged (its compute step may run while readers use the store).
    last: Finish = (
        Staged(finish.read, finish.compute, write_counted(finish.write))
        if isinstance(finish, Staged)
        else before_switch
    )

    try:
        report.statements = store.replace_graph(
            schema_statements(store.backend), rows.writes(), batch_size, last
        )
    except TiesError as exc:
        raise TiesError(f"{exc}; the previous graph is unchanged") from None
    return report


def reload(
    store: Store,
    corpus: Path,
    *,
    progress: Progress | None = None,
    batch_size: int = 1000,
    corrections: Corrections | None = None,
    finish: Finish | None = None,
    exclude: Sequence[Path] = (),
    jobs: int = 1,
    cache: ExtractionCache | None = None,
) -> ReloadReport:
    """Read, extract and load a whole corpus, replacing the graph in one atomic step.

    `corrections` (loaders/corrections.py) are applied after extraction and resolution; read
    them before calling, so that a malformed file fails before anything is extracted. The CLI
    calls the two halves itself, so that the store is opened only for the write."""
    facts = corpus_facts(
        corpus,
        exclude=exclude,
        corrections=corrections,
        jobs=jobs,
        cache=cache,
        progress=progress,
    )
    return write_facts(store, facts, batch_size=batch_size, finish=finish)


def graph_counts(store: Store) -> dict[str, int]:
    """Node counts by label and relationship counts by type, from the store itself."""
    return _counts(lambda cypher, params=None: store.run(cypher, params))


def _counts(run: Runner) -> dict[str, int]:
    rows = run(catalogue.get("analysis/counts").cypher, None)
    return {row["key"]: int(row["count"]) for row in rows}
