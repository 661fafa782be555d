"""The anchor-grouped matchers with shared node patterns find exactly what one spaCy
DependencyMatcher holding every pattern finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import read_corpus
from loaders.parse import parse
from loaders.rules.dependency import build_matcher, relations

# Real articles in both languages (the development set), a few of each.
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "dev"


def _matches(matchers, docs) -> list[list[tuple[str, list[int]]]]:
    strings = docs[0].vocab.strings
    return [sorted((strings[key], ids) for key, ids in matchers(doc)) for doc in docs]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_grouped_shared_matchers_give_the_same_matches(lang: str) -> None:
    texts, _ = read_corpus(CORPUS)
    texts = [t for t in texts if t.document.lang == lang][:8]
    docs = [doc for t in texts for _, doc in parse(t.text, lang).lines()]
    plain, _ = build_matcher(lang, share=False)
    grouped, _ = build_matcher(lang, share=True)
    assert docs
    found = _matches(grouped, docs)
    assert found == _matches(plain, docs)
    assert sum(map(len, found)) > 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_group_per_anchor_word_list(lang: str) -> None:
    plain, _ = build_matcher(lang, share=False)
    grouped, _ = build_matcher(lang, share=True)
    anchors = {frozenset(p.anchor.lemma) or None for p in relations(lang).patterns}
    assert len(plain.groups) == 1
    assert [words for words, _ in grouped.groups] == sorted(
        anchors, key=lambda w: tuple(sorted(w)) if w else ()
    )
