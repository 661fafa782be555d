"""The real-news corpus: its gold validates against its texts, and its manifest is complete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from loaders.evaluate import SCORED_KINDS, load_gold
from tests.fixtures.validate_gold import _load, validate

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
SPLITS = (
    *("dev", "blind", "dev2", "blind2", "dev3", "blind3"),
    *("dev4", "blind4", "dev5", "blind5", "dev6", "blind6"),
    *("dev7", "blind7", "dev8", "blind8", "dev9", "blind9"),
)
# Each round of batches is split on its own: two thirds to its dev split, per language.
ROUNDS = tuple((SPLITS[i], SPLITS[i + 1]) for i in range(0, len(SPLITS), 2))


@pytest.mark.parametrize("split", SPLITS)
def test_gold_mentions_occur_and_references_name_actors(split: str) -> None:
    assert validate(REAL / f"{split}.gold.yaml", REAL / split) == []


@pytest.mark.parametrize("split", SPLITS)
def test_gold_is_read_by_the_evaluator_without_warnings(split: str) -> None:
    gold = load_gold(REAL / f"{split}.gold.yaml")
    assert gold.warnings == ()
    assert {doc.scored for doc in gold.documents} == {SCORED_KINDS}


def test_manifest_lists_every_text_with_its_source_and_split() -> None:
    manifest = _load(REAL / "manifest.yaml")
    on_disk = {(p.parent.name, p.name) for split in SPLITS for p in (REAL / split).iterdir()}
    assert {(e["split"], e["file"]) for e in manifest} == on_disk
    assert all(e["url"].startswith(("http://", "https://")) for e in manifest)


def test_at_least_sixty_texts_half_in_each_language() -> None:
    manifest = _load(REAL / "manifest.yaml")
    languages = Counter(e["language"] for e in manifest)
    assert len(manifest) >= 60
    assert abs(languages["fr"] - languages["en"]) <= 2
    splits = Counter((e["split"], e["language"]) for e in manifest)
    for dev, blind in ROUNDS:
        for lang in ("fr", "en"):
            in_round = splits[(dev, lang)] + splits[(blind, lang)]
            assert in_round > 0
            assert splits[(dev, lang)] == round(in_round * 2 / 3)
