"""Random bytes and random text through the document reader and the extractor (Hypothesis).

Bounded: a fixed number of examples, derandomised, so the run is the same in CI every time.
The promise: a document is read or skipped with a named reason; extraction gives facts whose
spans lie inside the stored text, or a named `TiesError`; nothing else is ever raised.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.documents import read_document
from loaders.errors import TiesError
from loaders.model import DocumentError

BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WORDS = [
    "Le", "Kazakhstan", "et", "la", "Russie", "ont", "signé", "le", "traité", "de",
    "coopération", "en", "mars", "1994", ".", "est", "membre", "l'OTSC", "France", "livre",
    "\u00ad", "\u200b", "\x01", "\x1b[31m", "\ufeff", "\r\n", "\x0c", "é", "\u0301", "«", "»",
]  # fmt: skip


@BOUNDED
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_random_bytes_are_read_or_named(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    result = read_document(path, tmp_path)
    if isinstance(result, DocumentError):
        assert result.path == path.name and result.reason
    else:
        assert "\x00" not in result.text and "\u200b" not in result.text


@BOUNDED
@given(
    pieces=st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=4)), min_size=8, max_size=60)
)
def test_random_text_is_extracted_or_named(tmp_path: Path, pieces: list[str]) -> None:
    from loaders.extract import extract_document

    path = tmp_path / "doc.txt"
    path.write_bytes(" ".join(pieces).encode("utf-8", "surrogatepass"))
    text = read_document(path, tmp_path)
    if isinstance(text, DocumentError):
        return
    try:
        facts = extract_document(text)
    except TiesError:
        return  # a named skip
    for actor in facts.actors:
        for evidence in actor.evidence:
            assert 0 <= evidence.start <= evidence.end <= len(text.text)
