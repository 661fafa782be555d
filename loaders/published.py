"""When a document was published: a manifest beside the corpus, an HTML date meta tag, or a
dateline near the top of the text, in that order of trust.

The date is stored on the Document node (`date`, with `date_from` saying where it was found)
and shown with the evidence; the extractor also uses its year for dates that give none ("du
27 au 28 novembre"). A document whose date cannot be found stays undated: nothing is guessed.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

# Where a manifest may sit, in the corpus folder: one row per file with its publication date.
MANIFESTS = ("manifest.csv", "manifest.json")
# HTML meta tags that hold a publication date (name=, property= or itemprop=), most specific first.
META_NAMES = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "date",
    "time",  # the first <time datetime=...> of the page
)
# A dateline is looked for this far into the text only: deeper dates are what the text is about.
DATELINE_CHARS = 400

_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-([01]\d)-([0-3]\d)(?!\d)")
_NUMERIC = re.compile(r"(?<![\d/.])([0-3]?\d)[/.]([01]?\d)[/.]((?:19|20)\d\d)(?!\d)")


@dataclass(frozen=True)
class Published:
    date: str  # YYYY-MM-DD (or YYYY-MM, YYYY from a manifest that gives no more)
    found_in: str  # manifest, meta, dateline


def iso_date(value: str) -> str | None:
    """An ISO prefix (YYYY, YYYY-MM or YYYY-MM-DD) from a date as manifests and meta tags write
    it, or None.

    >>> iso_date("2024-11-27T09:30:00+01:00"), iso_date("27/11/2024"), iso_date("2022")
    ('2024-11-27', '2024-11-27', '2022')
    >>> iso_date("soon") is None
    True
    """
    value = value.strip()
    if m := _ISO.search(value):
        return _valid(m.group(1), m.group(2), m.group(3))
    if m := _NUMERIC.search(value):
        return _valid(m.group(3), m.group(2), m.group(1))
    if m := re.fullmatch(r"((?:19|20)\d\d)(?:-([01]\d))?", value):
        return value if m.group(2) is None or 1 <= int(m.group(2)) <= 12 else None
    return None


def _valid(year: str, month: str, day: str) -> str | None:
    if 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return None


def from_meta(meta: dict[str, str]) -> str | None:
    """The publication date among an HTML page's meta tags (keys lower-cased).

    >>> from_meta({"description": "x", "article:published_time": "2023-05-02T10:00:00Z"})
    '2023-05-02'
    """
    for name in META_NAMES:
        if name in meta and (found := iso_date(meta[name])):
            return found
    return None


def from_dateline(text: str, lang: str) -> str | None:
    """The first full date (day, month, year) near the top of the text: a dateline or an
    "updated on" line. Month names come from the language lexicons (either language: a French
    page may carry an English date stamp).

    >>> from_dateline("Titre\\n\\n  • Mis à jour le: 23 May. 2022 15:38\\n\\nTexte.", "fr")
    '2022-05-23'
    >>> from_dateline("Báo Quốc Tế27/11/2024\\nÀ l'invitation", "fr")
    '2024-11-27'
    >>> from_dateline("Signed in 1992, the treaty", "en") is None
    True
    """
    head = text[:DATELINE_CHARS]
    found: list[tuple[int, str]] = []
    for pattern, order in ((_ISO, (1, 2, 3)), (_NUMERIC, (3, 2, 1))):
        for m in pattern.finditer(head):
            value = _valid(*(m.group(i) for i in order))
            if value:
                found.append((m.start(), value))
    for lexicon_lang in dict.fromkeys((lang, "fr", "en")):
        found.extend(_worded_dates(head, lexicon_lang))
    return min(found)[1] if found else None


def _worded_dates(head: str, lang: str) -> list[tuple[int, str]]:
    from loaders.rules.dates import find_dates
    from loaders.rules.lexicon import load_lexicon

    lexicon = load_lexicon(lang)
    return [
        (m.start, m.value)
        for m in find_dates(lexicon, head, 0, len(head))
        if len(m.value) == 10 and m.until is None
    ]


def from_manifest(corpus: Path, relative_path: str) -> str | None:
    """The date a manifest beside the corpus gives the file, if any."""
    folder = corpus.resolve()
    # Read once per corpus and per version of its manifests (their size and time stamp).
    stamp = tuple(
        (stat.st_mtime_ns, stat.st_size) if (path := folder / name).is_file() and
        (stat := path.stat()) else None
        for name in MANIFESTS
    )  # fmt: skip
    return _manifest(folder, stamp).get(relative_path)


@functools.lru_cache(maxsize=8)
def _manifest(corpus: Path, _stamp: tuple[object, ...]) -> dict[str, str]:
    """file (relative path) -> date, from manifest.csv (columns `file` and `date`) or
    manifest.json (a list of {file, date} or a mapping file -> date)."""
    dates: dict[str, str] = {}
    csv_path, json_path = (corpus / name for name in MANIFESTS)
    if csv_path.is_file():
        with csv_path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                _add(dates, row.get("file") or row.get("path"), row.get("date"))
    if json_path.is_file():
        data = json.loads(json_path.read_text(encoding="utf-8"))
        items = data.items() if isinstance(data, dict) else [
            (row.get("file") or row.get("path"), row.get("date")) for row in data
        ]  # fmt: skip
        for name, value in items:
            _add(dates, name, value if isinstance(value, str) else (value or {}).get("date"))
    return dates


def _add(dates: dict[str, str], name: str | None, value: str | None) -> None:
    if name and value and (found := iso_date(str(value))):
        dates[str(name)] = found


def publication_date(
    text: str, lang: str, *, meta: dict[str, str] | None = None, manifest: str | None = None
) -> Published | None:
    """The document's publication date and where it was found, or None."""
    if manifest:
        return Published(manifest, "manifest")
    if meta and (found := from_meta(meta)):
        return Published(found, "meta")
    if found := from_dateline(text, lang):
        return Published(found, "dateline")
    return None
