"""The projection query counts each organisation's members once: the same rows as the query
that recounted them for every pair of members (kept in tests/fixtures/cypher as the reference),
on the sample corpus, on both stores."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from graph import analysis, catalogue
from graph.store import Store
from loaders.model import FACT_STATUSES, DocumentFacts
from tests.integration.test_network import load_facts

BEFORE = Path(__file__).resolve().parents[1] / "fixtures" / "cypher" / "projection_before.cypher"


def rows(store: Store, cypher: str, reference: bool, max_members: int) -> Counter[str]:
    """The rows as a multiset (the store's row order is not part of the contract), one per pair
    (`analysis.pair_rows`: the projection returns an agreement once with its parties), without
    the `sources` column the reference query still has (the projection no longer returns it)."""
    params: dict[str, Any] = {
        "tie_types": analysis.direct_tie_types(),
        "hedged": list(FACT_STATUSES),
        "reference": reference,
        "max_members": max_members,
    }
    found = analysis.pair_rows(store.run(cypher, params))
    return Counter(
        json.dumps({k: v for k, v in row.items() if k != "sources"}, sort_keys=True)
        for row in found
    )


@pytest.mark.parametrize(("reference", "max_members"), [(False, 40), (True, 40), (True, 6)])
def test_same_rows_as_the_per_pair_count(
    store: Store, sample_facts: list[DocumentFacts], reference: bool, max_members: int
) -> None:
    load_facts(store, sample_facts)
    before = rows(store, BEFORE.read_text(encoding="utf-8"), reference, max_members)
    after = rows(store, catalogue.get("analysis/projection").cypher, reference, max_members)
    assert after == before
    vias = Counter(json.loads(row)["via"] for row in after.elements())
    assert vias["co-membership"] > 0  # the rewritten block is exercised


def test_the_size_limit_applies_before_the_pairs(store: Store) -> None:
    from tests.integration.test_network import _big_organisation

    load_facts(store, _big_organisation(5), background=False)
    for max_members in (4, 5):
        before = rows(store, BEFORE.read_text(encoding="utf-8"), False, max_members)
        after = rows(store, catalogue.get("analysis/projection").cypher, False, max_members)
        assert after == before
    pairs = rows(store, catalogue.get("analysis/projection").cypher, False, 5)
    assert sum(json.loads(r)["via"] == "co-membership" for r in pairs.elements()) == 10


def test_rows_carry_no_document_ids(store: Store, sample_facts: list[DocumentFacts]) -> None:
    """An agreement's documents repeated on every pair of its parties grew the rows with
    parties² × documents; nothing reads them from the projection. An agreement is one row."""
    load_facts(store, sample_facts)
    params: dict[str, Any] = {
        "tie_types": analysis.direct_tie_types(),
        "hedged": list(FACT_STATUSES),
        "reference": True,
        "max_members": 40,
    }
    raw = store.run(catalogue.get("analysis/projection").cypher, params)
    agreements = [row["through"] for row in raw if row["via"] == "agreement"]
    assert agreements and len(agreements) == len(set(agreements))  # once each, not per pair
    found = analysis.pair_rows(raw)
    assert {tuple(sorted(row)) for row in found} == {
        (
            "evidence",
            "kind",
            "label",
            "since",
            "size",
            "source",
            "stated",
            "status",
            "target",
            "through",
            "until",
            "via",
        )
    }
