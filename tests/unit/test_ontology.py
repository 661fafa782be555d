"""The ontology file: validated on load, the one source of the model, evaluator and analysis."""

from __future__ import annotations

import pytest

import loaders.model as model
from graph.analysis import direct_tie_types
from loaders.evaluate import SCORED_TIE_TYPES, SYMMETRIC_TIE_TYPES
from loaders.ontology import ontology, parse_ontology

_GOOD_HEAD = (
    "actor_kinds: [state, organization]\nagreement_kinds: [treaty]\n"
    "agreement_statuses: [signed]\nevent_kinds: [exercise]\nstatuses: [planned]\n"
)


def test_model_constants_come_from_the_ontology() -> None:
    o = ontology()
    assert o.actor_kinds == model.ACTOR_KINDS
    assert model.FACT_STATUSES == ("planned", "reported")
    assert model.AGREEMENT_LINKS == ("EXTENDS", "SUPERSEDES", "AMENDS")
    assert o.names(network=True) == model.TIE_TYPES
    assert SCORED_TIE_TYPES == (
        "ALLIED_WITH",
        "SUPPLIES",
        "TRAINS",
        "VISITED",
        "LEASES",
        "JOINT_VENTURE",
        "PART_OF",
        "PARTICIPATED_IN",
        "HOSTED",
    )
    assert frozenset({"ALLIED_WITH", "COOPERATES_WITH"}) == SYMMETRIC_TIE_TYPES
    assert direct_tie_types() == sorted(model.TIE_TYPES)


def test_end_kinds_decide_what_a_fact_may_join() -> None:
    o = ontology()
    assert o.allows("VISITED", "person", "state")
    assert not o.allows("TRAINS", "exercise", "body")
    assert not o.allows("SUPPLIES", "state", "person")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("facts:\n  X: {source: [state], target: [planet]}\n", "unknown end kinds ['planet']"),
        ("facts:\n  X: {source: [state], target: [state], colour: red}\n", "colour"),
        ("facts: {}\nextra: 1\n", "extra"),
    ],
)
def test_a_bad_ontology_names_the_file_and_the_entry(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"ontology\.yaml") as info:
        parse_ontology(_GOOD_HEAD + text, "ontology.yaml")
    assert message in str(info.value)
