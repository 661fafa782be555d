"""The corpus pipeline (loaders/pipeline.py): the extraction cache, parallel extraction, the
per-document bound. Small real documents, the real extractor, no mocks of what is tested."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from loaders import pipeline
from loaders.documents import read_corpus
from loaders.errors import TiesError
from loaders.pipeline import (
    ExtractionCache,
    corpus_facts,
    extract_corpus,
    facts_from_json,
    facts_to_json,
)
from tests.conftest import SAMPLE_CORPUS

ONE = "La Russie et le Kazakhstan ont signé un accord de coopération militaire en 2022.\n"
TWO = "France and India signed a defence agreement in Paris in 2023.\n"
THREE = "Le Kazakhstan est membre de l'Organisation du traité de sécurité collective.\n"


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_facts_survive_the_cache_format_unchanged() -> None:
    texts, _ = read_corpus(SAMPLE_CORPUS)
    for facts in extract_corpus(texts).facts:
        assert facts_from_json(facts_to_json(facts)) == facts


def test_a_reload_extracts_only_new_and_changed_documents(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO})
    cache = ExtractionCache(tmp_path / "cache")
    first = corpus_facts(corpus, cache=cache)
    assert first.extracted == ["a", "b"]
    assert corpus_facts(corpus, cache=cache).extracted == []
    write(corpus, {"c.txt": THREE})
    assert corpus_facts(corpus, cache=cache).extracted == ["c"]
    write(corpus, {"a.txt": ONE.replace("2022", "2021")})
    assert corpus_facts(corpus, cache=cache).extracted == ["a"]
    (corpus / "c.txt").unlink()
    after = corpus_facts(corpus, cache=cache)
    assert after.extracted == []
    assert [d.document.id for d in after.documents] == ["a", "b"]


def test_cached_facts_are_the_facts_extracted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLE_CORPUS, corpus)
    cache = ExtractionCache(tmp_path / "cache")
    fresh = corpus_facts(corpus)
    cold = corpus_facts(corpus, cache=cache)
    warm = corpus_facts(corpus, cache=cache)
    assert warm.extracted == [] and len(cold.extracted) == 5
    assert warm.documents == cold.documents == fresh.documents
    assert warm.background == fresh.background


def test_another_extractor_does_not_read_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write(tmp_path / "corpus", {"a.txt": ONE})
    assert corpus_facts(corpus, cache=ExtractionCache(tmp_path / "cache")).extracted == ["a"]
    monkeypatch.setattr(pipeline, "fingerprint", lambda: "another-extractor")
    assert corpus_facts(corpus, cache=ExtractionCache(tmp_path / "cache")).extracted == ["a"]


def test_parallel_extraction_gives_the_serial_facts_in_corpus_order() -> None:
    texts, _ = read_corpus(SAMPLE_CORPUS)
    serial = extract_corpus(texts, jobs=1)
    parallel = extract_corpus(texts, jobs=2)
    assert parallel.extracted == serial.extracted == [t.document.id for t in texts]
    assert parallel.facts == serial.facts


def test_a_document_beyond_the_bound_is_skipped_and_the_rest_loads(tmp_path: Path) -> None:
    # One line of one repeated name, just over the bound (the case that took 1.4 GB at 110 KB
    # and killed the process at 2 MB): named with its reason, and the good document loads.
    huge = "Kazakhstan " * (pipeline.MAX_DOCUMENT_CHARS // 11 + 1)
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "huge.txt": huge})
    facts = corpus_facts(corpus, jobs=2)
    assert [d.document.id for d in facts.documents] == ["a"]
    assert [(e.path, e.reason) for e in facts.errors] == [
        (
            "huge.txt",
            "too large to extract (1,000,010 characters; the limit is 1,000,000 per document): "
            "split it into several files",
        )
    ]


def _b_misbehaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, on_b: Any, budget: tuple[str, str], jobs: int
) -> tuple[list[str], list[tuple[str, str]]]:
    """Extract a.txt, b.txt and c.txt with ``on_b`` run in the extractor for b and the budget
    setting ``budget``: the documents loaded and the errors."""
    from loaders import extract

    real = extract.extract_document

    def extractor(text):  # type: ignore[no-untyped-def]
        if text.document.id == "b":
            on_b()
        return real(text)

    monkeypatch.setattr(extract, "extract_document", extractor)
    monkeypatch.setenv(*budget)
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO, "c.txt": THREE})
    facts = corpus_facts(corpus, jobs=jobs)
    return [d.document.id for d in facts.documents], [(e.path, e.reason) for e in facts.errors]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_over_its_time_is_skipped_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    def stuck() -> None:
        time.sleep(60)  # as a pathological document would, in the extractor

    handler = signal.signal(signal.SIGALRM, signal.SIG_DFL)  # the test runner's hang guard
    delay, _ = signal.setitimer(signal.ITIMER_REAL, 0)
    try:
        loaded, errors = _b_misbehaves(
            tmp_path, monkeypatch, stuck, ("TIES_DOCUMENT_SECONDS", "0.5"), jobs
        )
        assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, delay)
    assert loaded == ["a", "c"]
    assert errors == [
        (
            "b.txt",
            "took longer than 0.5 s to extract (the limit per document; "
            "TIES_DOCUMENT_SECONDS changes it)",
        )
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_document_over_its_memory_is_skipped_and_the_rest_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    import resource

    def greedy() -> None:
        bytearray(1024 * 1024 * 1024)  # 1 GiB, more than the budget below

    before = resource.getrlimit(resource.RLIMIT_DATA)
    loaded, errors = _b_misbehaves(
        tmp_path, monkeypatch, greedy, ("TIES_DOCUMENT_MEGABYTES", "256"), jobs
    )
    assert loaded == ["a", "c"]
    assert errors == [
        (
            "b.txt",
            "out of memory while extracting it (the limit is 256 MB per document; "
            "TIES_DOCUMENT_MEGABYTES changes it)",
        )
    ]
    assert resource.getrlimit(resource.RLIMIT_DATA) == before


@pytest.mark.parametrize("value", ["0", "-3", "soon", "inf", "nan"])
def test_a_bad_document_budget_fails_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TIES_DOCUMENT_SECONDS", value)
    corpus = write(tmp_path / "corpus", {"a.txt": ONE})
    with pytest.raises(TiesError) as raised:
        corpus_facts(corpus, jobs=1)
    assert str(raised.value) == f"TIES_DOCUMENT_SECONDS must be a positive number, not {value!r}"


def test_a_worker_killed_stops_the_extraction_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loaders import extract

    real = extract.extract_document

    def killed_on_b(text):  # type: ignore[no-untyped-def]
        if text.document.id == "b":
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer does
        return real(text)

    monkeypatch.setattr(extract, "extract_document", killed_on_b)
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO, "c.txt": THREE})
    with pytest.raises(TiesError, match=r"an extracting process died \(out of memory\?\)"):
        corpus_facts(corpus, jobs=2)


def test_a_callers_timer_runs_on_after_a_document() -> None:
    # A test runner's hang guard (pytest-timeout) or an application's alarm is not lost to the
    # document timer: it gets its handler back and fires when it was due.
    fired: list[int] = []
    handler = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    delay, _ = signal.setitimer(signal.ITIMER_REAL, 0.3)
    try:
        with pipeline._within(pipeline.Budget(seconds=5.0, megabytes=512)):
            time.sleep(0.1)
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0.0 < left <= 0.2
        time.sleep(0.4)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, delay)


def test_a_worker_that_stops_answering_stops_the_extraction_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker stopped for good (as one forked while another thread held a lock it then needs)
    # never reaches its own timer: the reload gives up on it after the document's time and the
    # worker's start, and no worker outlives the reload.
    from loaders import extract

    real = extract.extract_document

    def stopped_on_b(text):  # type: ignore[no-untyped-def]
        if text.document.id == "b":
            os.kill(os.getpid(), signal.SIGSTOP)
        return real(text)

    monkeypatch.setattr(extract, "extract_document", stopped_on_b)
    monkeypatch.setattr(pipeline, "WORKER_START_SECONDS", 2.0)
    monkeypatch.setenv("TIES_DOCUMENT_SECONDS", "1")
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO, "c.txt": THREE})
    with pytest.raises(TiesError) as raised:
        corpus_facts(corpus, jobs=2)
    assert str(raised.value) == (
        "an extracting process stopped answering: no result for b.txt after 3 s; "
        "the graph is unchanged"
    )
    assert multiprocessing.active_children() == []


def test_workers_are_fresh_interpreters_while_another_thread_runs() -> None:
    texts, _ = read_corpus(SAMPLE_CORPUS)
    assert pipeline._start_context().get_start_method() == "fork"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert pipeline._start_context().get_start_method() == "forkserver"
        parallel = extract_corpus(texts[:3], jobs=2)
    finally:
        release.set()
        other.join()
    assert parallel.facts == extract_corpus(texts[:3], jobs=1).facts
    assert pipeline._start_context().get_start_method() == "fork"


def test_the_fingerprint_names_the_extractor() -> None:
    assert len(pipeline.fingerprint()) == 16
    assert pipeline.fingerprint() == pipeline.fingerprint()


def test_prune_keeps_the_entries_of_this_corpus_and_this_extractor_only(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO})
    root = tmp_path / "cache"
    write(root / "0123456789abcdef" / "ab", {"ab12.json": "{}"})  # an older extractor's
    write(root, {"stray.txt": "x"})
    cache = ExtractionCache(root)
    first = corpus_facts(corpus, cache=cache)
    assert first.extracted == ["a", "b"]
    gone = pipeline.document_key(first.read[1])
    (corpus / "b.txt").unlink()
    facts = corpus_facts(corpus, cache=cache)
    assert [d.id for d in facts.read] == ["a"]
    key = pipeline.document_key(facts.read[0])
    in_progress = write(cache.folder / "zz", {".entry.tmp": "{"})  # another reload writing
    assert cache.prune(facts.read) == 3
    left = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert left == [
        f"{cache.folder.name}/{key[:2]}/{key}.json",
        f"{cache.folder.name}/reading.idx",  # the readings of the corpus last read only
        f"{cache.folder.name}/zz/.entry.tmp",
    ]
    # The removed document's folder went with its entry, unless another entry shares it.
    assert (cache.folder / gone[:2]).exists() == (gone[:2] in (key[:2], "zz"))
    assert in_progress.exists()
    # The pruned cache still serves the corpus: nothing is extracted again.
    assert corpus_facts(corpus, cache=cache).extracted == []
    assert cache.prune(facts.read) == 0


def test_prune_of_a_cache_never_written_removes_nothing(tmp_path: Path) -> None:
    assert ExtractionCache(tmp_path / "absent").prune([]) == 0
    assert not (tmp_path / "absent").exists()


def rows_of(facts: pipeline.CorpusFacts) -> list[tuple[str, list[dict[str, object]]]]:
    from graph.load import rows_from

    return [(w.name, w.rows) for w in rows_from(facts).writes()]


def test_every_change_to_a_corpus_gives_the_rows_of_a_reload_without_the_cache(
    tmp_path: Path,
) -> None:
    """Added, edited, renamed, removed documents, a new manifest date, an HTML page and a file
    in Windows-1252: with the reading index and the extraction cache warm, the same documents
    and the same rows, field for field, as reading and extracting everything again."""
    corpus = write(tmp_path / "corpus", {"a.txt": ONE, "b.txt": TWO})
    (corpus / "d.html").write_text(
        "<html><head><title>Accord</title><meta name='date' content='2023-05-02'></head>"
        f"<body><p>{TWO}</p></body></html>",
        encoding="utf-8",
    )
    (corpus / "e.txt").write_bytes(ONE.replace("signé", "sign\xe9").encode("cp1252"))
    cache = ExtractionCache(tmp_path / "cache")

    def same(extracted: list[str]) -> None:
        # Two jobs: from the second reload on, a worker starts before the corpus is read; it
        # takes one or two new documents, and is stopped when there are none or more.
        warm = corpus_facts(corpus, cache=cache, jobs=2)
        assert multiprocessing.active_children() == []
        plain = corpus_facts(corpus)
        assert warm.extracted == extracted
        assert warm.read == plain.read
        assert warm.warnings == plain.warnings and warm.warnings
        assert rows_of(warm) == rows_of(plain)

    same(["a", "b", "d", "e"])
    same([])  # every document from the reading index and the cache
    write(corpus, {"c.txt": THREE})
    same(["c"])  # added
    write(corpus, {"a.txt": ONE.replace("2022", "2021")})
    same(["a"])  # edited
    (corpus / "b.txt").rename(corpus / "z.txt")
    same(["z"])  # renamed: another id, the same reading
    (corpus / "c.txt").unlink()
    same([])  # removed
    write(corpus, {"manifest.csv": "file,date\nz.txt,2024-03-01\n"})
    same(["z"])  # a date from the manifest: another record
    assert corpus_facts(corpus, cache=cache).read[-1].date == "2024-03-01"


def test_a_reading_index_that_cannot_be_used_is_ignored(tmp_path: Path) -> None:
    corpus = write(tmp_path / "corpus", {"a.txt": ONE})
    cache = ExtractionCache(tmp_path / "cache")
    first = corpus_facts(corpus, cache=cache)
    index = cache.folder / pipeline.READING_INDEX
    assert index.is_file()
    for broken in ("{", "[]", '{"x": {"title": 1}}'):
        index.write_text(broken, encoding="utf-8")
        again = corpus_facts(corpus, cache=cache)
        assert again.read == first.read and again.extracted == []
