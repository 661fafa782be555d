"""The matcher that searches from each pattern's anchor finds exactly what spaCy's
DependencyMatcher holding the same patterns finds, on every real development text."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Doc

from loaders.documents import read_corpus
from loaders.parse import parse, pipeline
from loaders.rules.dependency import build_matcher
from loaders.rules.treematch import AnchoredMatcher

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def _matches(matcher, docs) -> list[list[tuple[str, list[int]]]]:
    strings = docs[0].vocab.strings
    return [sorted((strings[key], ids) for key, ids in matcher(doc)) for doc in docs]


def _docs(lang: str) -> list:
    texts = [
        t
        for folder in sorted(REAL.glob("dev*"))
        if folder.is_dir()
        for t in read_corpus(folder)[0]
        if t.document.lang == lang
    ]
    return [doc for t in texts for _, doc in parse(t.text, lang).lines()]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_anchored_matcher_gives_spacys_matches(lang: str) -> None:
    docs = _docs(lang)
    spacys, _ = build_matcher(lang, spacy=True)
    ours, _ = build_matcher(lang)
    found = _matches(ours, docs)
    assert found == _matches(spacys, docs)
    assert sum(map(len, found)) > 500


def _tree() -> Doc:
    # "Paris sells jets to Athens": sells heads every other word.
    nlp = pipeline("en")
    words = ["Paris", "sells", "jets", "to", "Athens"]
    return Doc(
        nlp.vocab,
        words=words,
        heads=[1, 1, 1, 1, 3],
        deps=["nsubj", "ROOT", "dobj", "prep", "pobj"],
        lemmas=["Paris", "sell", "jet", "to", "Athens"],
        pos=["PROPN", "VERB", "NOUN", "ADP", "PROPN"],
    )


def test_each_operator_reaches_what_spacy_says() -> None:
    doc = _tree()
    cases = {
        ">": ("sell", {}, [[1, 0], [1, 2], [1, 3]]),
        ">>": ("sell", {}, [[1, 0], [1, 2], [1, 3], [1, 4]]),
        "<": ("Athens", {}, [[4, 3]]),
        "<<": ("Athens", {}, [[4, 1], [4, 3]]),
        "$++": ("jet", {"DEP": "prep"}, [[2, 3]]),
    }
    for op, (lemma, attrs, expected) in cases.items():
        nodes = [
            {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": lemma}},
            {"LEFT_ID": "a", "REL_OP": op, "RIGHT_ID": "b", "RIGHT_ATTRS": attrs},
        ]
        ours = AnchoredMatcher(doc.vocab.strings)
        ours.add("k", [nodes])
        assert sorted(ids for _, ids in ours(doc)) == expected, op


def test_not_in_and_in_lists() -> None:
    doc = _tree()
    ours = AnchoredMatcher(doc.vocab.strings)
    ours.add(
        "k",
        [
            [
                {"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "sell"}},
                {
                    "LEFT_ID": "a",
                    "REL_OP": ">",
                    "RIGHT_ID": "b",
                    "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "dobj"]}, "LEMMA": {"NOT_IN": ["jet"]}},
                },
            ]
        ],
    )
    assert [ids for _, ids in ours(doc)] == [[1, 0]]


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"LEFT_ID": "a", "REL_OP": ".", "RIGHT_ID": "b"}, "operator '.' is not supported"),
        ({"LEFT_ID": "x", "REL_OP": ">", "RIGHT_ID": "b"}, "'x' is not an earlier node"),
        (
            {"LEFT_ID": "a", "REL_OP": ">", "RIGHT_ID": "b", "RIGHT_ATTRS": {"TAG": "NN"}},
            "token attribute 'TAG' is not supported",
        ),
    ],
)
def test_what_it_cannot_match_is_refused(node: dict, message: str) -> None:
    ours = AnchoredMatcher(pipeline("en").vocab.strings)
    with pytest.raises(ValueError) as err:
        ours.add("k", [[{"RIGHT_ID": "a", "RIGHT_ATTRS": {"LEMMA": "sell"}}, node]])
    assert str(err.value) == f"pattern 'k': {message}"
