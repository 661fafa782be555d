"""Dates in running text, as ISO prefixes (YYYY, YYYY-MM, YYYY-MM-DD), with what they date.

The words before a date say what it is: "jusqu'en 2050" is an expiry, "prolongé en 2012" an
extension, "depuis 1994" a start. Only dates that carry a year are returned, except the day
ranges of visits, whose year is taken from the document date when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from loaders.rules.lexicon import Lexicon
from loaders.rules.text import fold

_YEAR = r"(?:1[89]\d\d|20\d\d)"
ROLES = ("plain", "expires", "extended", "in_force", "since", "from")


@dataclass(frozen=True, order=True)
class DateMention:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD
    role: str = "plain"
    until: str | None = None  # end of a period ("2020-2030", "du 27 au 28 novembre")

    @property
    def year(self) -> str:
        return self.value[:4]


def _date_format(lex: Lexicon, template: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """A date format of the lexicon with its month names and year pattern filled in."""
    months = "|".join(sorted(lex.mapping("months"), key=len, reverse=True))
    filled = template.replace("{months}", months).replace("{year}", _YEAR)
    return re.compile(filled, flags)


@cache
def _patterns(lex: Lexicon) -> list[tuple[str, re.Pattern[str]]]:
    formats = lex.mapping("date_formats")
    return [
        ("range", _date_format(lex, formats["range"])),
        *(("dmy", _date_format(lex, p)) for p in formats["day_month_year"]),
        ("period", _date_format(lex, formats["period"], flags=0)),
        ("my", _date_format(lex, formats["month_year"])),
        ("y", re.compile(rf"(?<![\d.,/-])(?P<year>{_YEAR})(?![\d.,]\d|-\d|\s*(?:km|kg|t\b|%))")),
    ]


def _month(lex: Lexicon, name: str) -> int:
    return int(lex.mapping("months")[fold(name).rstrip(".")])


def _role(lex: Lexicon, text: str, start: int) -> str:
    before = fold(text[max(0, start - 48) : start])
    for role in ("expires", "extended", "in_force", "since", "from"):
        if lex.regex(f"date_cues_re.{role}").search(before):
            return role
    return "plain"


def find_dates(
    lex: Lexicon, text: str, start: int, end: int, doc_year: str | None = None
) -> list[DateMention]:
    """Dates inside text[start:end], outermost first matched, in text order."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    segment = fold(text[start:end])  # "décembre", "août": month names are listed folded
    for kind, pattern in _patterns(lex):
        for m in pattern.finditer(segment):
            s, e = start + m.start(), start + m.end()
            if any(s < t_end and e > t_start for t_start, t_end in taken):
                continue
            mention = _mention(lex, text, kind, m, s, e, doc_year)
            if mention is not None:
                found.append(mention)
                taken.append((s, e))
    return sorted(found)


def _mention(
    lex: Lexicon,
    text: str,
    kind: str,
    m: re.Match[str],
    s: int,
    e: int,
    doc_year: str | None,
) -> DateMention | None:
    role = _role(lex, text, s)
    groups = m.groupdict()
    year = groups.get("year") or doc_year
    if year is None:
        return None
    if kind == "range":
        month = _month(lex, groups["month"])
        first = f"{year}-{month:02d}-{int(groups['day']):02d}"
        last = f"{year}-{month:02d}-{int(groups['day2']):02d}"
        return DateMention(s, e, first, role, last)
    if kind == "dmy":
        month = _month(lex, groups["month"])
        day = int(groups["day"])
        if not 1 <= day <= 31:
            return None
        return DateMention(s, e, f"{year}-{month:02d}-{day:02d}", role)
    if kind == "period":
        if groups["year2"] <= year:
            return None
        return DateMention(s, e, year, role, groups["year2"])
    if kind == "my":
        return DateMention(s, e, f"{year}-{_month(lex, groups['month']):02d}", role)
    return DateMention(s, e, year, role)


def same_year_mentions(
    lex: Lexicon, text: str, start: int, end: int, last_year: str | None
) -> list[DateMention]:
    """ "La même année" / "the same year": the last year mentioned before, as a plain date."""
    if last_year is None:
        return []
    pattern = lex.regex("same_year_re")
    return [
        DateMention(start + m.start(), start + m.end(), last_year)
        for m in pattern.finditer(fold(text[start:end]))
    ]
