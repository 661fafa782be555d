"""What is most worth a human look in the graph, for `ties review`.

Extraction errors cluster in a few places: facts the text only reports or plans, facts read in
one sentence only, agreements with a single known party (the other side was missed), two nodes
for one entity (near-identical names), and actors tied to nothing (often a name taken for an
actor). Each item names the id a decision in the corrections file takes (loaders/corrections.py)
and the evidence to judge it by. Facts and nodes an analyst already curated are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from rapidfuzz import fuzz, process

from graph import catalogue
from graph.store import Store
from loaders.gazetteer import normalize

# The reasons, in the order they are listed (the likeliest errors first).
REASONS = ("hedged", "one-party", "near-duplicate", "one-sentence", "no-tie")
NEAR_DUPLICATE = 88.0  # rapidfuzz ratio of normalised names, 0-100


@dataclass(frozen=True)
class Item:
    reason: str
    id: str
    what: str
    evidence: str
    sources: tuple[str, ...]

    def as_row(self) -> dict[str, Any]:
        row = asdict(self)
        row["sources"] = list(self.sources)
        return row


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        return str(value[0]) if value else ""
    return "" if value is None else str(value)


def _sources(value: Any) -> tuple[str, ...]:
    return tuple(sorted(str(x) for x in value)) if isinstance(value, list | tuple) else ()


def fact_items(rows: Iterable[Mapping[str, Any]]) -> list[Item]:
    """Hedged facts (planned, reported) and facts read in one sentence only."""
    items = []
    for row in rows:
        if row.get("curated") or row.get("dataset") or not row.get("id"):
            continue
        what = f"{row['type']} {row['source']} -> {row['target']}"
        evidence = row.get("evidence") or []
        status = row.get("status")
        if status in ("planned", "reported"):
            reason, what = "hedged", f"{what} ({status})"
        elif len(evidence) == 1:
            reason = "one-sentence"
        else:
            continue
        items.append(Item(reason, row["id"], what, _first(evidence), _sources(row.get("sources"))))
    return items


def agreement_items(rows: Iterable[Mapping[str, Any]]) -> list[Item]:
    """Agreements with fewer than two known parties: the other side was likely missed."""

    def known(count: int) -> str:
        return f"{count} known part{'y' if count == 1 else 'ies'}"

    return [
        Item(
            "one-party",
            row["id"],
            f"{row['name']} ({known(int(row['parties']))})",
            _first(row.get("evidence")),
            _sources(row.get("sources")),
        )
        for row in rows
        if int(row["parties"]) < 2 and not row.get("curated")
    ]


def actor_items(rows: Iterable[Mapping[str, Any]]) -> list[Item]:
    """Actors with near-identical names (two nodes for one entity?) and actors with no tie."""
    rows = [r for r in rows if not r.get("curated")]
    items = [
        Item("no-tie", r["id"], f"{r['kind']} {r['name']}", "", _sources(r.get("sources")))
        for r in rows
        if int(r["ties"]) == 0
    ]
    by_kind: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kind[str(row["kind"])].append(row)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        names = [normalize(str(r["name"])) for r in group]
        scores = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=NEAR_DUPLICATE)
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j:
                a, b = group[i], group[j]
                items.append(
                    Item(
                        "near-duplicate",
                        f"{a['id']} {b['id']}",
                        f"{kind} {a['name']} ~ {b['name']}",
                        "",
                        tuple(sorted({*_sources(a.get("sources")), *_sources(b.get("sources"))})),
                    )
                )
    return items


def review(store: Store, reasons: Iterable[str] = REASONS) -> list[Item]:
    """The items worth a look, by reason (in REASONS order), then id."""
    wanted = set(reasons)
    items = [
        *fact_items(store.run(catalogue.get("review/facts").cypher)),
        *agreement_items(store.run(catalogue.get("review/agreements").cypher)),
        *actor_items(store.run(catalogue.get("review/actors").cypher)),
    ]
    return sorted(
        (i for i in items if i.reason in wanted), key=lambda i: (REASONS.index(i.reason), i.id)
    )
