"""Corrections as each store holds them, on BOTH backends: fact ids, `curated`, `note`, the
citation of an added fact, and the review queries (cypher/review/)."""

from __future__ import annotations

from graph.load import build_rows, schema_statements
from graph.review import review
from graph.store import Store
from loaders.corrections import parse_corrections
from loaders.model import fact_id
from tests.fixtures.tiny import TEXT, tiny_facts

SUPPLIES = fact_id("SUPPLIES", "RU", "KZ")
CORRECTIONS = f"""\
- same: [KZ, csto]
  note: test merge
- set: {SUPPLIES}
  property: date
  value: '1995'
  by: ana
- add: TRAINS
  source: RU
  target: KZ
  doc: doc1
  quote: La Russie livre des S-300 au Kazakhstan.
  note: crews trained with them
"""


def load_corrected(store: Store) -> list[str]:
    stale: list = []
    rows = build_rows(
        tiny_facts(),
        background=False,
        corrections=parse_corrections(CORRECTIONS, "c.yaml"),
        texts={"doc1": TEXT},
        stale=stale,
    )
    store.replace_graph(schema_statements(store.backend), rows.writes())
    return [str(s) for s in stale]


def test_corrected_facts_carry_their_provenance(store: Store) -> None:
    assert load_corrected(store) == []
    rows = store.run(
        "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONS' "
        "RETURN type(r) AS type, a.id AS source, b.id AS target, r.fact_id AS id, "
        "r.curated AS curated, r.note AS note, r.date AS date, r.sources AS sources, "
        "r.spans AS spans ORDER BY type, source, target"
    )
    assert [(r["type"], r["source"], r["target"]) for r in rows] == [
        ("MEMBER_OF", "KZ", "KZ"),
        ("PARTY_TO", "KZ", "treaty-cooperation-militaire-1994"),
        ("PARTY_TO", "RU", "treaty-cooperation-militaire-1994"),
        ("SUPPLIES", "RU", "KZ"),
        ("TRAINS", "RU", "KZ"),
    ]
    assert all(r["id"] == fact_id(r["type"], r["source"], r["target"]) for r in rows)
    supplies, trains = rows[3], rows[4]
    assert (supplies["date"], supplies["curated"], supplies["note"]) == (
        "1995",
        True,
        f"set {SUPPLIES} date = '1995' (ana)",
    )
    start = TEXT.index("La Russie livre")
    assert trains == {
        "type": "TRAINS",
        "source": "RU",
        "target": "KZ",
        "id": fact_id("TRAINS", "RU", "KZ"),
        "curated": True,
        "note": "crews trained with them",
        "date": None,
        "sources": ["doc1"],
        "spans": [f"doc1:{start}-{start + 40}"],
    }
    assert rows[0]["curated"] is None
    assert store.run(
        "MATCH (a:Actor {id: 'KZ'}) RETURN a.curated AS curated, a.note AS note, a.kind AS kind"
    ) == [{"curated": True, "note": "test merge", "kind": "state"}]


def test_review_reads_both_stores_alike(store: Store) -> None:
    load_corrected(store)
    items = [(i.reason, i.id, i.what) for i in review(store)]
    # Curated facts (SUPPLIES, TRAINS) are left out; the self-membership the test merge made
    # (csto into KZ) is there to be seen.
    assert items == [
        ("one-sentence", "f-2a68ea706a94", "PARTY_TO KZ -> treaty-cooperation-militaire-1994"),
        ("one-sentence", "f-a062e459e44c", "PARTY_TO RU -> treaty-cooperation-militaire-1994"),
        ("one-sentence", "f-c35308d62e00", "MEMBER_OF KZ -> KZ"),
    ]
