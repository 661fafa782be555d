"""The DependencyMatcher with shared node patterns finds exactly what spaCy's own finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.documents import read_corpus
from loaders.parse import parse
from loaders.rules.dependency import build_matcher

# Real articles in both languages (the development set), a few of each.
CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "dev"


def _matches(dm, docs) -> list[list[tuple[str, list[int]]]]:
    strings = docs[0].vocab.strings
    return [sorted((strings[key], ids) for key, ids in dm(doc)) for doc in docs]


def _node_patterns(dm) -> set[str]:
    return {
        json.dumps(dm._matcher.get(key)[1], sort_keys=True)
        for token_keys in dm._tokens_to_key.values()
        for keys in token_keys
        for key in keys
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_shared_node_patterns_give_the_same_matches(lang: str) -> None:
    texts, _ = read_corpus(CORPUS)
    texts = [t for t in texts if t.document.lang == lang][:8]
    docs = [doc for t in texts for _, doc in parse(t.text, lang).lines()]
    plain, _ = build_matcher(lang, share=False)
    shared, _ = build_matcher(lang, share=True)
    assert docs
    found = _matches(shared, docs)
    assert found == _matches(plain, docs)
    assert sum(map(len, found)) > 0
    # Each distinct node pattern is in the inner Matcher once.
    assert len(shared._matcher) == len(_node_patterns(shared)) < len(plain._matcher)
