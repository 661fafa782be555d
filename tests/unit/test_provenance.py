"""Every fact the loaders read from a document quotes the sentence that states it, at a span
inside the document: a fact without its sentence is not a fact."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import read_corpus
from loaders.extract import extract_document

ROOT = Path(__file__).resolve().parents[2]
CORPORA = [ROOT / "data" / "corpus", ROOT / "tests" / "fixtures" / "real" / "dev"]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda p: p.name)
def test_every_fact_quotes_its_sentence_at_a_span_inside_the_text(corpus: Path) -> None:
    texts, _ = read_corpus(corpus)
    bad = []
    for text in texts:
        facts = extract_document(text)
        records = [*facts.ties, *facts.memberships, *facts.agreements, *facts.events]
        for record in records:
            for ev in record.evidence:
                inside = 0 <= ev.start < ev.end <= len(text.text)
                if not ev.sentence or not inside:
                    bad.append(f"{text.document.source}: {record!r:.120}")
            if not record.evidence:
                bad.append(f"{text.document.source}: no evidence: {record!r:.120}")
    assert bad == []
