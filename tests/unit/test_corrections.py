"""The corrections file: exact errors with their lines, a sorted readable file, and each
decision applied to a tiny known corpus (loaders/corrections.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.load import build_rows
from loaders.corrections import (
    Reject,
    Same,
    Set,
    apply_corrections,
    parse_corrections,
    record_decision,
)
from loaders.errors import TiesError
from loaders.model import fact_id
from loaders.resolve import canonical_ids
from tests.fixtures.tiny import TEXT, tiny_facts

SUPPLIES = fact_id("SUPPLIES", "RU", "KZ")
MEMBER = fact_id("MEMBER_OF", "KZ", "csto")


def test_fact_ids_are_a_hash_of_kind_and_ends() -> None:
    assert SUPPLIES == "f-39ae53d77b2a"
    assert fact_id("SUPPLIES", "KZ", "RU") != SUPPLIES
    assert fact_id("TRAINS", "RU", "KZ") != SUPPLIES


MALFORMED = [
    ("- reject: f-1\n  by: ana\n  nte: typo\n", "line 3: reject: unknown key 'nte'"),
    ("- same: [KZ]\n", "line 1: same: expected two different ids, as [first, second]"),
    (
        "- frob: KZ\n",
        "line 1: a decision names exactly one of same, different, alias, not-alias, reject, "
        "set, add (found none)",
    ),
    ("- reject: f-1\n- set: f-1\n  property: date\n", "line 2: set: value: Field required"),
    (
        "- add: SUPPLIES\n  source: RU\n  target: KZ\n  note: n\n",
        "line 1: add: cite either doc and quote, or a free-text citation",
    ),
    ("- reject: [f-1\n", "line 2: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("reject: f-1\n", "line 1: expected a list of decisions"),
    ("- just text\n", "line 1: a decision is a mapping such as 'reject: FACT-ID'"),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED)
def test_a_malformed_file_is_one_error_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(TiesError) as caught:
        parse_corrections(text, "c.yaml")
    assert str(caught.value) == f"c.yaml {message}"


def test_an_unknown_fact_kind_is_refused() -> None:
    text = "- add: SELLS\n  source: RU\n  target: KZ\n  citation: x\n  note: n\n"
    with pytest.raises(TiesError, match=r"^c.yaml line 1: add: unknown fact kind 'SELLS'"):
        parse_corrections(text, "c.yaml")


def test_an_empty_file_holds_no_decision() -> None:
    assert parse_corrections("# nothing yet\n", "c.yaml").entries == []


def test_the_file_is_written_sorted_and_a_same_target_replaces(tmp_path: Path) -> None:
    path = tmp_path / "corrections.yaml"
    assert record_decision(path, Set(set=SUPPLIES, property="date", value="1994")) == (False, 4)
    assert record_decision(path, Reject(reject=MEMBER, note="not stated", by="ana")) == (False, 4)
    assert record_decision(path, Same(same=("KZ", "kazakhstan-1"))) == (False, 4)
    assert record_decision(path, Set(set=SUPPLIES, property="date", value="1995")) == (True, 10)
    assert path.read_text(encoding="utf-8") == (
        "# Analysts' corrections, re-applied by every `ties reload` (see README, 'Reviewing').\n"
        "# Written by `ties correct …`; kept sorted so that a diff reads as a review.\n"
        "\n"
        "- same: [KZ, kazakhstan-1]\n"
        "\n"
        f"- reject: {MEMBER}\n"
        "  by: ana\n"
        "  note: not stated\n"
        "\n"
        f"- set: {SUPPLIES}\n"
        "  property: date\n"
        "  value: '1995'\n"
    )
    assert [e.line for e in parse_corrections(path.read_text(), "c").entries] == [4, 6, 10]


def _apply(text: str) -> tuple[list, list[str]]:
    facts, stale = apply_corrections(
        tiny_facts(), parse_corrections(text, "c.yaml"), {"doc1": TEXT}
    )
    return facts, [str(s) for s in stale]


def test_reject_set_and_add_change_the_facts_and_say_so() -> None:
    facts, stale = _apply(
        f"- reject: {MEMBER}\n  note: not stated\n"
        f"- set: {SUPPLIES}\n  property: date\n  value: '1995'\n  note: the year of delivery\n"
        "- add: TRAINS\n  source: RU\n  target: KZ\n  doc: doc1\n"
        "  quote: La Russie livre des S-300 au Kazakhstan.\n  note: crews trained with them\n"
    )
    assert stale == []
    (doc,) = facts
    assert doc.memberships == []
    supplies, trains = doc.ties
    assert (supplies.date, supplies.curated) == ("1995", ("the year of delivery",))
    assert trains.curated == ("crews trained with them",)
    (evidence,) = trains.evidence
    assert TEXT[evidence.start : evidence.end] == "La Russie livre des S-300 au Kazakhstan."
    assert tiny_facts()[0].memberships, "the input facts are not changed"


def test_rows_carry_fact_ids_and_provenance() -> None:
    facts, _ = _apply(f"- set: {SUPPLIES}\n  property: date\n  value: '1995'\n  by: ana\n")
    rows = build_rows(facts, background=False).relationship_rows(["SUPPLIES"])
    assert rows[0]["props"]["fact_id"] == SUPPLIES
    assert rows[0]["props"]["curated"] is True
    assert rows[0]["props"]["note"] == f"set {SUPPLIES} date = '1995' (ana)"


def test_same_merges_actors_into_the_kept_id() -> None:
    facts, stale = _apply("- same: [RU, csto]\n  note: test merge\n")
    assert stale == []
    actors = {a.id: a for a in facts[0].actors}
    assert sorted(actors) == ["KZ", "RU"]
    assert actors["RU"].kind == "state"
    assert actors["RU"].curated == ("test merge",)
    assert "Collective Security Treaty Organization" in actors["RU"].aliases
    assert facts[0].memberships[0].organization == "RU"


def test_alias_and_not_alias() -> None:
    facts, stale = _apply("- alias: KZ\n  name: Qazaqstan\n- not-alias: csto\n  name: OTSC\n")
    assert stale == []
    actors = {a.id: a for a in facts[0].actors}
    assert actors["KZ"].aliases == ("Kazakhstan", "Qazaqstan")
    assert actors["csto"].acronyms == ()


def test_stale_decisions_are_named_with_their_lines() -> None:
    _, stale = _apply(
        "- reject: f-000000000000\n"
        "- add: TRAINS\n  source: RU\n  target: KZ\n  doc: gone\n  quote: x\n  note: n\n"
        "- add: TRAINS\n  source: RU\n  target: KZ\n  doc: doc1\n  quote: not there\n  note: n\n"
        f"- set: {SUPPLIES}\n  property: colour\n  value: red\n"
        "- same: [KZ, nobody]\n"
    )
    assert stale == [
        "c.yaml line 1: reject f-000000000000: no fact or node f-000000000000 "
        "(its text changed or left)",
        "c.yaml line 2: added TRAINS RU KZ: document gone is not in the corpus",
        "c.yaml line 8: added TRAINS RU KZ: the quote is not in doc1 any more",
        f"c.yaml line 14: set {SUPPLIES} colour = 'red': a tie has no property 'colour' "
        "(date, status, item, terms, asset, until, domain, role)",
        "c.yaml line 17: same: nobody merged into KZ: no actor nobody in the corpus",
    ]


def test_different_keeps_resolution_apart() -> None:
    from loaders.model import Actor

    a = Actor("kassym-jomart-tokaiev", "Kassym-Jomart Tokaïev", "person")
    b = Actor("kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "person")
    assert canonical_ids([(a, 1), (b, 1)]) == {"kassym-jomart-tokayev": "kassym-jomart-tokaiev"}
    apart = {frozenset((a.id, b.id))}
    assert canonical_ids([(a, 1), (b, 1)], apart) == {}


def test_a_party_to_fact_has_no_property_to_set() -> None:
    party = fact_id("PARTY_TO", "KZ", "treaty-cooperation-militaire-1994")
    _, stale = _apply(f"- set: {party}\n  property: role\n  value: guarantor\n")
    assert stale == [
        f"c.yaml line 1: set {party} role = 'guarantor': a PARTY_TO fact has no property of its "
        "own: set the agreement's"
    ]


def test_reject_a_node_drops_it_with_its_facts() -> None:
    facts, stale = _apply("- reject: csto\n- reject: treaty-cooperation-militaire-1994\n")
    assert stale == []
    (doc,) = facts
    assert [a.id for a in doc.actors] == ["KZ", "RU"]
    assert (doc.memberships, doc.agreements) == ([], [])
    assert [t.type for t in doc.ties] == ["SUPPLIES"]
