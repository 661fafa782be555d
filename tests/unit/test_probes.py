"""Phrasing probes: each short text gives exactly the facts listed beside it.

The probes (tests/fixtures/probes/probes.yaml) were written to order: negation, refusal and
denial, planned and reported facts, passives, reverse verbs, coordination, relative clauses,
apposition, anaphora, generic descriptors, dates bound to their fact, agreements whose parties
are not stated. Equality, not inclusion: a fact the text does not state is a failure too.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from loaders.documents import Text
from loaders.extract import extract_document
from loaders.model import Document, DocumentFacts

PROBES = Path(__file__).resolve().parents[1] / "fixtures" / "probes" / "probes.yaml"


def _probes() -> list[dict[str, Any]]:
    return yaml.safe_load(PROBES.read_text(encoding="utf-8"))["probes"]


def _extract(text: str, lang: str) -> DocumentFacts:
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = Document(id="probe", title="probe", lang=lang, source="probe.txt", sha256=sha)
    return extract_document(Text(doc, text))


def _options(row: list[Any], fixed: int) -> dict[str, Any]:
    return row[fixed] if len(row) > fixed else {}


def expected(probe: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    ties = [
        (*r[:3], _options(r, 3).get("date"), _options(r, 3).get("status"))
        for r in probe.get("ties", [])
    ]
    members = [
        (*r[:2], _options(r, 2).get("since"), _options(r, 2).get("status"))
        for r in probe.get("memberships", [])
    ]
    agreements = [
        (r[0], tuple(r[1]), _options(r, 2).get("signed")) for r in probe.get("agreements", [])
    ]
    return {"ties": sorted(ties), "memberships": sorted(members), "agreements": sorted(agreements)}


def found(facts: DocumentFacts) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "ties": sorted((t.type, t.source, t.target, t.date, t.status) for t in facts.ties),
        "memberships": sorted(
            (m.member, m.organization, m.since, m.status) for m in facts.memberships
        ),
        "agreements": sorted(
            (a.kind, tuple(sorted(a.parties)), a.signed) for a in facts.agreements
        ),
    }


def _cases() -> list[Any]:
    return [
        pytest.param(
            p,
            id=p["id"],
            marks=[pytest.mark.xfail(reason=p["xfail"], strict=True)] if "xfail" in p else [],
        )
        for p in _probes()
    ]


@pytest.mark.parametrize("probe", _cases())
def test_probe_gives_exactly_its_facts(probe: dict[str, Any]) -> None:
    assert found(_extract(probe["text"], probe["lang"])) == expected(probe)


def test_probes_are_half_french_half_english() -> None:
    langs = [p["lang"] for p in _probes()]
    assert len(langs) >= 60
    assert abs(langs.count("fr") - langs.count("en")) <= 2


def test_every_id_a_probe_expects_is_a_string() -> None:
    # YAML reads a bare NO (Norway) as false: an expectation that could never be met, and that
    # a strict xfail would hide.
    for probe in _probes():
        rows = probe.get("ties", []) + probe.get("memberships", [])
        ids = [v for row in rows for v in row if not isinstance(v, dict)]
        ids += [p for row in probe.get("agreements", []) for p in row[1]]
        assert all(isinstance(v, str) for v in ids), probe["id"]
