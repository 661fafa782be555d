"""A corpus in, facts out: read, extract (cached, in parallel), resolve, correct, complete.

This is the whole of the loaders' side of a reload; ``graph.load`` only turns the result into
rows and writes them. It never touches a store, so a reload runs it before taking the store's
lock: readers keep the previous graph while the corpus is extracted.

* Cache: the facts of one document depend only on its record (id, title, language, date,
  SHA-256 of its text) and on the extractor (``fingerprint``). Each document's facts are kept
  as one JSON file under ``TIES_HOME/cache/extract/<fingerprint>/``, named by the SHA-256 of
  the record; a reload extracts only the documents without one. The cached facts are the facts
  the extractor returns, serialised without loss, so a reload gives the same graph with or
  without the cache. Beside them, ``reading.idx`` keeps what reading each file yielded
  (``loaders.documents.scan_corpus``): a file read before is only hashed, and its text read
  again only if it must be extracted. Resolution, corrections and background facts are
  corpus-wide: they are always recomputed, so a removed document drops out. After a reload has
  replaced the graph, ``ExtractionCache.prune`` keeps only what the next reload of that corpus
  can read: the current fingerprint's folder, and in it the entries of the documents just read
  (and the reading index, which holds only the corpus last read).
* Parallel: the documents to extract are shared over ``jobs`` processes; results come back in
  corpus order, so the output does not depend on the number of workers.
* Budget: a document longer than ``MAX_DOCUMENT_CHARS`` is skipped with that reason, and the
  others load; so is one whose extraction takes longer than ``document_budget().seconds`` or
  more memory than ``document_budget().megabytes`` above what its process held before it.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import importlib.metadata
import itertools
import json
import math
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from loaders.corrections import Corrections, Stale, apply_corrections, different_pairs
from loaders.documents import READING_FIELDS, LazyTexts, Read, Text, scan_corpus
from loaders.errors import TiesError
from loaders.model import (
    Actor,
    Agreement,
    Document,
    DocumentError,
    DocumentFacts,
    Event,
    Evidence,
    Membership,
    Mention,
    Tie,
    fact_id,
)

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]
DATA = Path(__file__).resolve().parent / "data"
# The largest document extracted, in characters (about 150,000 words: a book). Extraction is
# linear in a document's size, but one document is parsed by one process and its parse held
# whole: measured, 470k characters of prose take 15 s and 0.6 GB above the loaded models
# (BENCHMARKS.md). Beyond this bound a document is skipped with that reason; the others load.
MAX_DOCUMENT_CHARS = 1_000_000
# The time and the memory one document's extraction may take, beyond the size bound: a
# document at the bound takes about 40 s and 2 GB (BENCHMARKS.md), so only a pathological one
# reaches these. TIES_DOCUMENT_SECONDS and TIES_DOCUMENT_MEGABYTES change them.
DOCUMENT_SECONDS = 300.0
DOCUMENT_MEGABYTES = 4096
# What a reload allows a worker beyond a document's own time before it takes the worker for
# stuck: the worker's start (spaCy, a pipeline, the gazetteer: about 3 s here, more on a loaded
# machine). A worker stopped in a lock never reaches its own timer, which runs in Python.
WORKER_START_SECONDS = 120.0
CACHE_FORMAT = 1
# A caller's timer that fell due while a document ran fires right after it.
_SOON = 0.001
_PR_SET_PDEATHSIG = 1


# -- the extractor's fingerprint --------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _code_hash() -> str:
    """The loaders' own source: an edited rule is another extractor, even at the same version."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def fingerprint() -> str:
    """What the extracted facts depend on besides the document: the package's version and
    code, its data files (patterns, gazetteer, ontology, lexicons), and the versions of spaCy,
    the spaCy pipelines and pycountry. Any change gives another cache folder."""
    from loaders.parse import MODELS

    digest = hashlib.sha256(f"format {CACHE_FORMAT}\n".encode())
    packages = ["ties", "spacy", "pycountry", *sorted(MODELS.values())]
    for package in packages:
        digest.update(f"{package} {_version(package)}\n".encode())
    digest.update(f"code {_code_hash()}\n".encode())
    for path in sorted(DATA.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(DATA).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).hexdigest().encode() + b"\n")
    return digest.hexdigest()[:16]


# -- facts <-> JSON ----------------------------------------------------------------------------

_RECORDS: dict[str, type] = {
    "actors": Actor,
    "agreements": Agreement,
    "events": Event,
    "memberships": Membership,
    "ties": Tie,
}


def _tuples(value: Any) -> Any:
    """JSON arrays back to the tuples the frozen records hold."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def facts_to_json(facts: DocumentFacts) -> dict[str, Any]:
    """The facts as plain JSON; each quoted sentence is written once and referred to by index
    (a long sentence quoted by many mentions would otherwise be repeated in the file)."""
    sentences: dict[str, int] = {}

    def record(item: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(item):
            value = getattr(item, f.name)
            if f.name == "evidence":
                value = [
                    [e.doc, e.start, e.end, sentences.setdefault(e.sentence, len(sentences))]
                    for e in value
                ]
            out[f.name] = value
        return out

    body = {kind: [record(x) for x in getattr(facts, kind)] for kind in _RECORDS}
    body["mentions"] = [asdict(m) for m in facts.mentions]
    return {"document": asdict(facts.document), "sentences": list(sentences), **body}


def facts_from_json(data: dict[str, Any]) -> DocumentFacts:
    sentences = data["sentences"]

    def record(cls: type, raw: dict[str, Any]) -> Any:
        values = {k: _tuples(v) for k, v in raw.items() if k != "evidence"}
        evidence = tuple(Evidence(d, s, e, sentences[i]) for d, s, e, i in raw["evidence"])
        return cls(**values, evidence=evidence)

    facts = DocumentFacts(document=Document(**data["document"]))
    for kind, cls in _RECORDS.items():
        setattr(facts, kind, [record(cls, raw) for raw in data[kind]])
    facts.mentions = [Mention(**raw) for raw in data["mentions"]]
    return facts


# -- the cache ---------------------------------------------------------------------------------


def document_key(document: Document) -> str:
    """What a document's facts depend on, hashed: its whole record (the id and date are in the
    facts; the SHA-256 stands for the text)."""
    payload = json.dumps(asdict(document), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


READING_INDEX = "reading.idx"


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file renamed over `path`; a full disk or a read-only home
    costs the cache, never the reload."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise


class ExtractionCache:
    """One JSON file per document under ``root/<fingerprint>/``, written atomically, and the
    index of the corpus's readings (``reading.idx``)."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / fingerprint()
        # A reload asks for each document's entry three times (has, get, prune).
        self._paths: dict[Document, Path] = {}

    def readings(self) -> dict[str, dict[str, Any]]:
        """What reading each file of the last corpus yielded (`scan_corpus`'s `known`)."""
        try:
            data = json.loads((self.folder / READING_INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {
            key: value
            for key, value in data.items()
            if isinstance(value, dict) and set(value) == set(READING_FIELDS)
        }

    def put_readings(self, readings: dict[str, dict[str, Any]]) -> None:
        """Keep these readings (those of the corpus just read) for the next reload."""
        text = json.dumps(readings, ensure_ascii=False, sort_keys=True)
        _write_atomically(self.folder / READING_INDEX, text)

    def _path(self, document: Document) -> Path:
        path = self._paths.get(document)
        if path is None:
            key = document_key(document)
            path = self._paths[document] = self.folder / key[:2] / f"{key}.json"
        return path

    def has(self, document: Document) -> bool:
        """Whether an entry exists (it may still turn out unreadable: `get`)."""
        return self._path(document).is_file()

    def get(self, document: Document) -> DocumentFacts | None:
        path = self._path(document)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            facts = facts_from_json(data)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # absent, or unreadable: extract again (and overwrite it)
        return facts if facts.document == document else None

    def prune(self, keep: Iterable[Document]) -> int:
        """Remove every entry but those of the documents in `keep` (the corpus just loaded),
        and every other extractor's folder: a removed or changed document's facts, and those of
        an older extractor, are never read again. Returns the number of files removed. Never
        fails: what cannot be removed stays (the cache is only a cache)."""
        wanted = {self._path(document) for document in keep}
        removed = 0
        with contextlib.suppress(OSError):
            for entry in sorted(self.folder.parent.iterdir()):
                if entry == self.folder:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    removed += sum(1 for path in entry.rglob("*") if not path.is_dir())
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        entry.unlink()
                        removed += 1
        with contextlib.suppress(OSError):
            for sub in sorted(self.folder.iterdir()):
                files = sorted(sub.iterdir()) if sub.is_dir() else [sub]
                for path in files:
                    # A `.tmp` file is another reload's entry being written: its own to finish.
                    # The reading index holds only the corpus last read (`put_readings`).
                    if (
                        path not in wanted
                        and not path.name.endswith(".tmp")
                        and path.name != READING_INDEX
                    ):
                        with contextlib.suppress(OSError):
                            path.unlink()
                            removed += 1
                if sub.is_dir():
                    with contextlib.suppress(OSError):
                        sub.rmdir()  # only when empty
        return removed

    def put(self, facts: DocumentFacts) -> None:
        text = json.dumps(facts_to_json(facts), ensure_ascii=False, sort_keys=True)
        _write_atomically(self._path(facts.document), text)


# -- extraction --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """What one document's extraction may take: wall seconds, and megabytes of data memory
    above what its process held before it."""

    seconds: float
    megabytes: int


def document_budget() -> Budget:
    """The per-document budget: the defaults, or TIES_DOCUMENT_SECONDS/TIES_DOCUMENT_MEGABYTES.

    Raises `TiesError` for a value that is not a positive number."""
    values = []
    for name, default, kind in (
        ("TIES_DOCUMENT_SECONDS", DOCUMENT_SECONDS, float),
        ("TIES_DOCUMENT_MEGABYTES", DOCUMENT_MEGABYTES, int),
    ):
        raw = os.environ.get(name)
        try:
            value = default if raw is None else kind(raw)
        except ValueError:
            value = 0
        if not (value > 0 and math.isfinite(value)):
            raise TiesError(f"{name} must be a positive number, not {raw!r}")
        values.append(value)
    return Budget(float(values[0]), int(values[1]))


class _OverTime(Exception):
    """Raised in the extracting thread when a document's time is up."""


def _data_bytes() -> int | None:
    """This process's data segment (VmData, what RLIMIT_DATA limits), or None off Linux."""
    try:
        with open("/proc/self/status", encoding="utf-8", errors="replace") as status:
            for line in status:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


@contextlib.contextmanager
def _within(budget: Budget) -> Iterator[None]:
    """Run the block under ``budget``: a timer that raises `_OverTime` in it (main thread only:
    a library caller's thread is not interrupted), and a data-memory limit above what the
    process holds now, so an allocation past it raises MemoryError in the block instead of
    waking the kernel's OOM killer. Both are taken back after the block."""
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    held = _data_bytes()
    limits = resource.getrlimit(resource.RLIMIT_DATA) if held is not None else None
    if timed:

        def over_time(signum: int, frame: Any) -> None:
            raise _OverTime

        previous = signal.signal(signal.SIGALRM, over_time)
        started = time.monotonic()
        outer, _ = signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    if limits is not None and held is not None:
        soft = held + budget.megabytes * 1024 * 1024
        hard = limits[1]
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(
                resource.RLIMIT_DATA,
                (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard),
            )
    try:
        yield
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if outer:  # a caller's own timer (a test runner's hang guard) runs on, not lost
                left = outer - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, _SOON))
        if limits is not None:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_DATA, limits)


def extract_one(text: Text, budget: Budget | None = None) -> DocumentFacts | DocumentError:
    """One document's facts, or why it was skipped. Never raises for a bad document."""
    from loaders import extract

    chars = len(text.text)
    if chars > MAX_DOCUMENT_CHARS:
        return DocumentError(
            text.document.source,
            f"too large to extract ({chars:,} characters; the limit is "
            f"{MAX_DOCUMENT_CHARS:,} per document): split it into several files",
        )
    try:
        budget = budget or document_budget()
        # What any document needs is loaded before its clock starts: the first document of a
        # process does not pay for the pipeline and the gazetteer.
        _warm_up([text])
        with _within(budget):
            return extract.extract_document(text)
    except _OverTime:
        return DocumentError(
            text.document.source,
            f"took longer than {budget.seconds:g} s to extract (the limit per document; "
            "TIES_DOCUMENT_SECONDS changes it)",
        )
    except TiesError as exc:
        return DocumentError(text.document.source, str(exc))
    except MemoryError:
        return DocumentError(
            text.document.source,
            f"out of memory while extracting it (the limit is {budget.megabytes:,} MB per "
            "document; TIES_DOCUMENT_MEGABYTES changes it)",
        )


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _warm_up(texts: Sequence[Text]) -> None:
    """Load the pipelines and the gazetteer once, before the workers fork, so they share them."""
    from loaders.gazetteer import load_gazetteer
    from loaders.parse import pipeline

    load_gazetteer()
    for lang in sorted({t.document.lang for t in texts}):
        pipeline(lang if lang in ("fr", "en") else "en")


def _warm_languages(langs: Sequence[str]) -> None:
    """In a worker started before the corpus is read: import spaCy and the language classes
    of the languages the corpus held last time, and load the gazetteer, so that a document
    found new waits only for its own pipeline. The pipelines themselves are left to the
    documents: loading one the new documents do not need took longer than reading the corpus."""
    import importlib

    from loaders.gazetteer import load_gazetteer
    from loaders.parse import charsets_remembered

    with contextlib.suppress(TiesError, ImportError):
        load_gazetteer()
        with charsets_remembered():
            for lang in sorted(set(langs) & {"fr", "en"}):
                importlib.import_module(f"spacy.lang.{lang}")


def _start_context() -> multiprocessing.context.BaseContext:
    """fork when this process runs no other thread: the workers inherit the loaded pipelines.
    A process forked while another thread holds a lock inherits the lock held, with no thread
    to release it; a worker that needs it waits forever (a CI run hung so, after tqdm's monitor
    thread had started in the test process). With other threads (a notebook's kernel, a test
    runner), then, a fresh interpreter per worker (forkserver), which loads its own pipeline."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _patience() -> float:
    """How long a reload waits for the next result before it takes its worker for stuck."""
    try:
        seconds = document_budget().seconds
    except TiesError:  # each document reports the bad setting as its own error
        seconds = DOCUMENT_SECONDS
    return seconds + WORKER_START_SECONDS


def _worker_init() -> None:
    """A worker dies with the reload that started it (Linux `PR_SET_PDEATHSIG`), so a killed
    reload leaves no orphan; it ignores the terminal's Ctrl-C and takes SIGTERM plainly: the
    reload decides when its workers stop (`Pool.terminate`)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def extract_texts(texts: Sequence[Text], jobs: int = 1) -> Iterator[DocumentFacts | DocumentError]:
    """Each text's facts (or error), in the order given, extracted by ``jobs`` processes.

    A worker killed from outside (the kernel's OOM killer) stops the extraction with an error,
    rather than a wait for it forever."""
    running = _Extracting(texts, jobs)
    try:
        yield from running.results()
    finally:
        running.close()


class _Extracting:
    """An extraction under way: with more than one job, the workers start at once, and the
    results are collected (in the order given) by `results()`; `close()` ends the workers.

    With ``share_models`` (many documents) the parent loads the pipelines before the workers
    fork, so they share them; without (a few documents, one worker each), each worker loads its
    own, and the parent is free meanwhile (to load the cached documents' facts)."""

    def __init__(
        self,
        texts: Sequence[Text],
        jobs: int,
        share_models: bool = True,
        ready: ProcessPoolExecutor | None = None,
    ) -> None:
        self.texts = list(texts)
        self.pool: ProcessPoolExecutor | None = None
        self.futures: list[Any] = []
        if ready is not None and self.texts and not share_models:
            # A worker started (and warmed) before the corpus was read takes the few documents.
            self.pool = ready
            self._submit()
            return
        if ready is not None:
            _stop(ready)
        if jobs <= 1 or not self.texts or (len(self.texts) <= 1 and share_models):
            return
        if share_models:
            with contextlib.suppress(TiesError):  # a missing pipeline is each document's error
                _warm_up(self.texts)
        self.pool = ProcessPoolExecutor(
            min(jobs, len(self.texts)), mp_context=_start_context(), initializer=_worker_init
        )
        self._submit()

    @staticmethod
    def early(langs: Sequence[str]) -> ProcessPoolExecutor:
        """One worker started now, warming up for ``langs`` while the corpus is read and the
        cached facts load: when a reload adds a document or two to a large corpus, the
        worker's start (about 3 s: spaCy, a pipeline, the gazetteer) was what it waited for."""
        pool = ProcessPoolExecutor(1, mp_context=_start_context(), initializer=_worker_init)
        try:
            pool.submit(_warm_languages, tuple(langs))
        except BaseException:
            _stop(pool)
            raise
        return pool

    def _submit(self) -> None:
        assert self.pool is not None
        try:
            self.futures = [self.pool.submit(extract_one, text) for text in self.texts]
        except BaseException:
            self.close()
            raise

    def results(self) -> Iterator[DocumentFacts | DocumentError]:
        if self.pool is None:
            yield from map(extract_one, self.texts)
            return
        # Collected in order: when one is awaited, every earlier one is done, so it is running
        # or next in line, and a live worker answers within the document's time and its start.
        patience = _patience()
        for text, future in zip(self.texts, self.futures, strict=True):
            try:
                result = future.result(timeout=patience)
            except BrokenProcessPool:
                raise TiesError(
                    f"an extracting process died (out of memory?) before "
                    f"{text.document.source} was extracted; the graph is unchanged"
                ) from None
            except TimeoutError:
                raise TiesError(
                    f"an extracting process stopped answering: no result for "
                    f"{text.document.source} after {patience:g} s; the graph is unchanged"
                ) from None
            yield result

    def close(self) -> None:
        """Done, failed or interrupted: no worker outlives the reload's extraction."""
        if self.pool is None:
            return
        _stop(self.pool)
        self.pool = None


def _stop(pool: ProcessPoolExecutor) -> None:
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(Exception):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


@dataclass
class Extraction:
    """Each document's facts, in corpus order, and which of them were extracted this time."""

    facts: list[DocumentFacts] = field(default_factory=list)
    errors: list[DocumentError] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)  # document ids, not from the cache


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the cached facts load: millions of objects, all
    kept, none in a cycle, and each time the heap grew by a quarter the collector walked all of
    them again (5.5 of 6.3 s of collection in an add-one reload of 5,001 documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def extract_corpus(
    texts: Sequence[Text | Read],
    *,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
    meanwhile: Callable[[], None] | None = None,
    ready: ProcessPoolExecutor | None = None,
) -> Extraction:
    """The facts of every text: from the cache when it has them, else extracted (and cached).
    A document only scanned (`Read`) has its text read when it must be extracted.

    The documents without a cache entry start extracting first; when they are no more than
    ``jobs``, the workers load their own pipelines while this process loads the cached facts,
    so adding a document to a large corpus costs about the longer of the two, not their sum;
    ``meanwhile`` (the caller's own preparation) runs then too; ``ready``, a worker started
    before the corpus was read (`_Extracting.early`), takes those few documents, and is
    stopped when there are none or many. A cache entry that turns out unreadable is extracted
    after the others."""
    found: dict[int, DocumentFacts | DocumentError] = {}
    missing = [i for i, text in enumerate(texts) if cache is None or not cache.has(text.document)]
    few = cache is not None and len(missing) <= jobs
    running = _Extracting(
        [_text(texts[i]) for i in missing], jobs, share_models=not few, ready=ready
    )
    extraction = Extraction()
    try:
        late: list[int] = []
        if cache is not None:
            to_extract = set(missing)
            with _collector_paused():
                for i, text in enumerate(texts):
                    if i not in to_extract:
                        cached = cache.get(text.document)
                        if cached is not None:
                            found[i] = cached
                        else:
                            late.append(i)
        if running.pool is not None:
            # While the workers extract: what resolving the corpus will need anyway.
            with contextlib.suppress(TiesError):
                from loaders.gazetteer import load_gazetteer

                load_gazetteer()
            if meanwhile is not None:
                meanwhile()
        results: Iterable[DocumentFacts | DocumentError] = running.results()
        if late:
            results = itertools.chain(results, extract_texts([_text(texts[i]) for i in late], jobs))
        if progress is not None:
            results = progress(results, len(missing) + len(late), "extracting")
        for i, result in zip([*missing, *late], results, strict=True):
            found[i] = result
            if isinstance(result, DocumentFacts):
                extraction.extracted.append(result.document.id)
                if cache is not None:
                    cache.put(result)
    finally:
        running.close()
    order = {doc_id: n for n, doc_id in enumerate(t.document.id for t in texts)}
    extraction.extracted.sort(key=order.__getitem__)
    for i in range(len(texts)):
        result = found[i]
        if isinstance(result, DocumentError):
            extraction.errors.append(result)
        else:
            extraction.facts.append(result)
    return extraction


def _text(item: Text | Read) -> Text:
    return item.text() if isinstance(item, Read) else item


# -- corpus-wide steps -------------------------------------------------------------------------


@dataclass
class Background:
    """What the gazetteer adds about the actors a corpus names (loaders/background.py)."""

    actors: list[Actor] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)


@dataclass
class CorpusFacts:
    """Everything a reload writes, and what it reports."""

    documents: list[DocumentFacts]
    background: Background
    errors: list[DocumentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Analysts' decisions that found nothing to apply to (their document left, its text changed).
    stale: list[Stale] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    # The record of every document read, as the cache keys it (`ExtractionCache.prune`).
    read: list[Document] = field(default_factory=list)


def relation_keys(facts: Iterable[DocumentFacts]) -> set[tuple[str, str, str]]:
    """(type, source, target) of every relationship the documents' facts make."""
    keys: set[tuple[str, str, str]] = set()
    for doc in facts:
        keys |= {("PARTY_TO", p, a.id) for a in doc.agreements for p in a.parties}
        keys |= {("MEMBER_OF", m.member, m.organization) for m in doc.memberships}
        keys |= {(t.type, t.source, t.target) for t in doc.ties}
    return keys


def _without_rejected(
    background: Background, stale: list[Stale], stated: set[tuple[str, str, str]]
) -> tuple[Background, list[Stale]]:
    """A `reject` of a fact from reference data (a gazetteer membership) finds it only once the
    background is known: drop that fact, and the decision is not stale after all. A fact some
    document also states is the document's, and stays."""
    mine = [("MEMBER_OF", m.member, m.organization) for m in background.memberships]
    mine += [(t.type, t.source, t.target) for t in background.ties]
    by_id: dict[str, tuple[str, str, str] | None] = {fact_id(*key): key for key in mine}
    by_id.update({fact_id(*key): None for key in stated})
    dropped: set[tuple[str, str, str]] = set()
    left = []
    for item in stale:
        key = by_id.get(item.target) if item.action == "reject" else None
        if key is not None:
            dropped.add(key)
        else:
            left.append(item)
    kept = Background(
        actors=background.actors,
        memberships=[
            m
            for m in background.memberships
            if ("MEMBER_OF", m.member, m.organization) not in dropped
        ],
        ties=[t for t in background.ties if (t.type, t.source, t.target) not in dropped],
    )
    return kept, left


def resolve_corpus(
    all_facts: list[DocumentFacts],
    *,
    background: bool = True,
    corrections: Corrections | None = None,
    texts: Mapping[str, str] | None = None,
) -> CorpusFacts:
    """Entities resolved across documents, analysts' `corrections` applied, then (with
    `background`) what the gazetteer knows about the actors named."""
    from loaders.resolve import resolve_across_documents

    resolved = resolve_across_documents(list(all_facts), different_pairs(corrections))
    corrected, stale = apply_corrections(resolved, corrections, texts)
    extra = Background()
    if background:
        from loaders.background import background_facts

        actor_ids = dict.fromkeys(a.id for doc in corrected for a in doc.actors)
        extra = Background(*background_facts(list(actor_ids)))
        extra, stale = _without_rejected(extra, stale, relation_keys(corrected))
    return CorpusFacts(documents=corrected, background=extra, stale=stale)


def corpus_facts(
    corpus: Path,
    *,
    exclude: Sequence[Path] = (),
    corrections: Corrections | None = None,
    jobs: int = 1,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> CorpusFacts:
    """Read, extract, resolve, correct and complete a whole corpus; ``meanwhile`` runs while
    workers extract the few documents missing from the cache (see `extract_corpus`).

    Raises `TiesError` when no document could be read or extracted (nothing to load)."""
    document_budget()  # a bad TIES_DOCUMENT_* setting fails here, before anything is read
    known = cache.readings() if cache is not None else None
    # A corpus read before is likely to need few extractions: start their worker now.
    ready = _Extracting.early([r["lang"] for r in known.values()]) if known and jobs > 1 else None
    try:
        texts, read_errors, readings = scan_corpus(corpus, exclude, known)
        if cache is not None and readings != known:
            cache.put_readings(readings)
        if not texts:
            reason = "; ".join(f"{e.path}: {e.reason}" for e in read_errors)
            reason = reason or "no .txt/.md/.html files"
            raise TiesError(f"no readable documents in {corpus} ({reason}); the graph is unchanged")
    except BaseException:
        if ready is not None:
            _stop(ready)
        raise
    extraction = extract_corpus(
        texts, jobs=jobs, cache=cache, progress=progress, meanwhile=meanwhile, ready=ready
    )
    errors = [*read_errors, *extraction.errors]
    if not extraction.facts:
        reasons = "; ".join(f"{e.path}: {e.reason}" for e in errors[:3])
        raise TiesError(
            f"no document of {corpus} could be extracted ({reasons}); the graph is unchanged"
        )
    result = resolve_corpus(
        extraction.facts,
        corrections=corrections,
        texts=LazyTexts(texts),
    )
    result.errors = errors
    result.warnings = [text.warning for text in texts if text.warning]
    result.extracted = extraction.extracted
    result.read = [text.document for text in texts]
    return result
