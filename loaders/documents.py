"""Reading documents: files in, normalised text out, with the reason when a file cannot be used.

A bad file never stops a corpus: `read_corpus` returns the good documents and a list of
`DocumentError`s that the CLI prints one line each.

Reading a file (decoding, normalising, its language, its publication date) costs more than
extracting nothing from it: a reload that finds most documents in the extraction cache would
spend most of its reading time on files it read before. `scan_corpus` therefore takes what an
earlier reading yielded (`Reading`: title, language, date, length, warning), keyed by what it
depends on (the file's SHA-256, whether it is HTML, the date a manifest gives it), and reads
the text of such a file again only when something needs it (`Read.text`): a document to
extract, or an analyst's added fact to place. The record is the one a full reading gives,
field for field; the reading code itself is part of the extractor's fingerprint, so an edited
reader starts from an empty cache.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from loaders.errors import TiesError
from loaders.model import Document, DocumentError
from loaders.published import from_manifest, publication_date

SUFFIXES = (".txt", ".md", ".html", ".htm")
MAX_BYTES = 20_000_000

LANGUAGES = Path(__file__).resolve().parent / "data" / "languages.yaml"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Text:
    """A readable document: its record, its text, and a warning if it needed a fallback."""

    document: Document
    text: str
    warning: str | None = None


# What reading one file yielded, as the reading cache keeps it: the record's fields that come
# from the bytes (the id and source come from the path), and the decoding warning.
READING_FIELDS = ("title", "lang", "date", "date_from", "chars", "warning")


@dataclass(frozen=True)
class Read:
    """A document as a reload first sees it: its record, and where its text is.

    `held` is the text when this reading produced it; a document known from the reading cache
    has none, and `text()` reads its file again (only the documents to extract need it)."""

    document: Document
    path: Path
    base: Path
    warning: str | None = None
    held: Text | None = field(default=None, repr=False, compare=False)

    def text(self) -> Text:
        """The document's text, with this record. Raises `TiesError` if the file changed since
        it was scanned (its record would not be the one its facts are cached under)."""
        found = self.held or read_document(self.path, self.base)
        if isinstance(found, DocumentError) or found.document.sha256 != self.document.sha256:
            raise TiesError(
                f"{self.document.source} changed while it was being read; run the reload again"
            )
        return Text(self.document, found.text, self.warning)


class LazyTexts(Mapping[str, str]):
    """Document id -> text, each text read when it is first asked for."""

    def __init__(self, reads: Sequence[Read]) -> None:
        self._reads = {read.document.id: read for read in reads}
        self._texts: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self._texts:
            self._texts[key] = self._reads[key].text().text
        return self._texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._reads)

    def __len__(self) -> int:
        return len(self._reads)


def reading_key(data_sha256: str, path: Path, manifest: str | None) -> str:
    """What a reading depends on besides the reader: the bytes, HTML or not, the manifest's date."""
    kind = "html" if path.suffix.lower() in (".html", ".htm") else "text"
    return f"{data_sha256} {kind} {manifest or ''}"


class _TextExtractor(HTMLParser):
    """Collects visible text and the <title>; script and style bodies are not text."""

    _SKIP = frozenset({"script", "style", "noscript", "template"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.meta: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            values = {key.lower(): value or "" for key, value in attrs}
            key = values.get("name") or values.get("property") or values.get("itemprop")
            if key and values.get("content"):
                self.meta.setdefault(key.lower(), values["content"])
        elif tag == "time" and "datetime" in dict(attrs):
            self.meta.setdefault("time", dict(attrs)["datetime"] or "")
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title += data
        else:
            self.parts.append(data)


def iter_corpus_files(corpus: Path, exclude: Sequence[Path] = ()) -> Iterator[Path]:
    """The files of a corpus folder that look like documents, in a stable order.

    Hidden files and everything in hidden folders (`.git/`, `.ties/`) are not documents, nor
    is anything under an `exclude` folder (the store's own folder, whose `network.html` would
    otherwise be read back as an article when it lies inside the corpus).
    """
    skipped = {_resolved(folder) for folder in exclude}
    for folder, dirs, files in os.walk(corpus):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and _resolved(here / d) not in skipped
        )
        if _resolved(here) in skipped:
            continue
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES or not path.is_file():
                continue
            yield path


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def read_corpus(
    corpus: Path, exclude: Sequence[Path] = ()
) -> tuple[list[Text], list[DocumentError]]:
    """Read every document of a folder (or a single file); bad files become errors, not crashes."""
    reads, errors, _ = scan_corpus(corpus, exclude)
    return [read.text() for read in reads], errors


def scan_corpus(
    corpus: Path,
    exclude: Sequence[Path] = (),
    known: Mapping[str, dict[str, Any]] | None = None,
) -> tuple[list[Read], list[DocumentError], dict[str, dict[str, Any]]]:
    """Every document of a folder (or a single file), as `read_corpus` reads them, except that
    a file whose reading is `known` (`reading_key` -> `READING_FIELDS`) is not read again: only
    its bytes are hashed. Returns the documents, the files that cannot be used, and the
    readings of this corpus's documents (to keep for the next reload)."""
    if not corpus.exists():
        return [], [DocumentError(str(corpus), "no such file or directory")], {}
    paths = [corpus] if corpus.is_file() else sorted(iter_corpus_files(corpus, exclude), key=_order)
    base = corpus.parent if corpus.is_file() else corpus
    known = known or {}
    reads: list[Read] = []
    errors: list[DocumentError] = []
    readings: dict[str, dict[str, Any]] = {}
    for path in paths:
        rel = path.relative_to(base).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.append(DocumentError(rel, f"unreadable: {exc.strerror or exc}"))
            continue
        sha256 = hashlib.sha256(data).hexdigest()
        key = reading_key(sha256, path, from_manifest(base, rel))
        reading = known.get(key)
        if reading is not None and len(data) <= MAX_BYTES:
            document = Document(
                id=document_id(rel),
                title=reading["title"],
                lang=reading["lang"],
                source=rel,
                sha256=sha256,
                date=reading["date"],
                chars=reading["chars"],
                date_from=reading["date_from"],
            )
            warning = reading["warning"]
            reads.append(Read(document, path, base, f"{rel}: {warning}" if warning else None))
            readings[key] = reading
            continue
        result = _read_data(data, path, rel, base)
        if isinstance(result, DocumentError):
            errors.append(result)
            continue
        doc = result.document
        warning = result.warning.removeprefix(f"{rel}: ") if result.warning else None
        readings[key] = {
            "title": doc.title,
            "lang": doc.lang,
            "date": doc.date,
            "date_from": doc.date_from,
            "chars": doc.chars,
            "warning": warning,
        }
        reads.append(Read(doc, path, base, result.warning, held=result))
    return _unique_ids(reads), errors, readings


def _order(path: Path) -> str:
    # The order rglob gave before (sorted full paths), so document order and ids are unchanged.
    return str(path)


def _unique_ids(reads: list[Read]) -> list[Read]:
    """`x.txt` and `x.md`, or `a b.txt` and `a-b.txt`, would share an id and mix their spans:
    such files get an id that also encodes the whole path (still stable from run to run)."""
    counts: dict[str, int] = {}
    for read in reads:
        counts[read.document.id] = counts.get(read.document.id, 0) + 1
    unique = []
    for read in reads:
        doc = read.document
        if counts[doc.id] > 1:
            digest = hashlib.sha256(doc.source.encode("utf-8")).hexdigest()[:8]
            doc = dataclasses.replace(doc, id=f"{document_id(doc.source + '.')}-{digest}")
            read = dataclasses.replace(read, document=doc)
        unique.append(read)
    return unique


def read_document(path: Path, base: Path) -> Text | DocumentError:
    """Read one file; return why not when it cannot be used."""
    rel = path.relative_to(base).as_posix()
    try:
        data = path.read_bytes()
    except OSError as exc:
        return DocumentError(rel, f"unreadable: {exc.strerror or exc}")
    return _read_data(data, path, rel, base)


def _read_data(data: bytes, path: Path, rel: str, base: Path) -> Text | DocumentError:
    if len(data) > MAX_BYTES:
        return DocumentError(rel, f"too large ({len(data)} bytes, limit {MAX_BYTES})")
    if not data.strip():
        return DocumentError(rel, "empty file")
    if _looks_binary(data):
        return DocumentError(rel, "binary file, not text")
    text, warning = _decode(data)
    meta: dict[str, str] = {}
    if path.suffix.lower() in (".html", ".htm"):
        text, title, meta = _html_to_text(text)
    else:
        title = ""
    text = normalise_text(text)
    if not text.strip():
        return DocumentError(rel, "no text after extraction")
    lang = detect_language(text)
    if not supported(lang):
        return DocumentError(rel, f"language {lang!r} not supported (French and English only)")
    published = publication_date(text, lang, meta=meta, manifest=from_manifest(base, rel))
    document = Document(
        id=document_id(rel),
        title=title.strip() or _first_line(text),
        lang=lang,
        source=rel,
        sha256=hashlib.sha256(data).hexdigest(),
        date=published.date if published else None,
        chars=len(text),
        date_from=published.found_in if published else None,
    )
    return Text(document, text, f"{rel}: {warning}" if warning else None)


def document_id(relative_path: str) -> str:
    """A stable id from the path inside the corpus: the same file always gets the same id."""
    stem = relative_path.rsplit(".", 1)[0]
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-") or "document"


def normalise_text(text: str) -> str:
    r"""NFC, one newline convention, no BOM, no invisible characters, no control characters but
    tab and newline; offsets into this text are the spans we cite.

    Zero-width characters and soft hyphens sit inside words ("Kazakh\u00adstan") and made the
    name unrecognisable; control characters (\x01, ESC) are noise that terminals and XML choke
    on. They are removed before anything reads the text, so every span is counted on the text
    that is stored.

    >>> normalise_text("Kazakh\u00adstan et la Rus\u200bsie\r\n\x1b[1m")
    'Kazakhstan et la Russie\n[1m'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # str.replace, not str.translate: translate walks the text in Python-level steps (it was
    # a fifth of reading a corpus); same result.
    text = _INVISIBLE.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))
    return unicodedata.normalize("NFC", text)


# Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM anywhere; C0/C1 controls
# (tab and newline are text; vertical tab and form feed become newlines below).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f]")


@functools.cache
def _languages() -> tuple[tuple[str, ...], dict[str, frozenset[str]]]:
    data = yaml.safe_load(LANGUAGES.read_text(encoding="utf-8"))
    words = {lang: frozenset(str(w) for w in ws) for lang, ws in data["function_words"].items()}
    return tuple(data["read"]), words


def detect_language(text: str) -> str:
    """The language whose function words are most frequent in the text (data/languages.yaml):
    cheap, offline and good enough for news. Ties go to French, then English."""
    read, words = _languages()
    # Each distinct word once, weighted by its count (Counter counts in C).
    found = Counter(_WORD.findall(text[:20000].lower()))
    counts = {lang: sum(found[w] for w in known & found.keys()) for lang, known in words.items()}
    best = max(counts.values())
    # On a tie the languages we read win, in the order listed (French first, as before).
    order = [*read, *sorted(set(counts) - set(read))]
    return next((lang for lang in order if counts[lang] == best), read[0])


def supported(lang: str) -> bool:
    return lang in _languages()[0]


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with a byte-order mark: NULs are expected
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return control > len(head) * 0.05


def _decode(data: bytes) -> tuple[str, str | None]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16 text, decoded"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    # Windows-1252 is a superset of Latin-1 for printable text and what French sites emit.
    try:
        return data.decode("cp1252"), f"not valid UTF-8 ({where}); read as Windows-1252/Latin-1"
    except UnicodeDecodeError:
        return data.decode("latin-1"), f"not valid UTF-8 ({where}); read as Latin-1"


def _html_to_text(raw: str) -> tuple[str, str, dict[str, str]]:
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    text = re.sub(r"[ \t]+", " ", html.unescape("".join(parser.parts)))
    text = re.sub(r"\n\s*\n+", "\n\n", text)
    return text.strip(), parser.title, parser.meta


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200]
    return ""
