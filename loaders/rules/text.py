"""Text primitives: sentences, tokens, folding and slugs.

Sentences come from a regular expression, not from a parser: a parser costs ten times the
time of the whole extraction and news sentences end in a handful of recognisable ways.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import NamedTuple

from loaders.rules.lexicon import LANGUAGES, load_lexicon


@cache
def _abbreviations() -> frozenset[str]:
    """Words after which a full stop does not end a sentence (folded, without the stop).

    Every language's: sentences are split before anything reads the document's language, and
    a text quotes titles written in the other one ("M. Dupont" in English news)."""
    return frozenset().union(*(load_lexicon(lang).words("abbreviations") for lang in LANGUAGES))


_SENTENCE_END = re.compile(r"[.!?…]+[»”\"')\]]*(?=\s+|$)")
# A stop glued to the next sentence ("coopération.LE KAZAKHSTAN", "2033.Nouveaux").
_GLUED_END = re.compile(r"(?<=[a-zà-ÿ\d]{2}[.!?])(?=[A-ZÀ-Ý][A-Za-zÀ-ÿ])")
_NEXT_STARTS_SENTENCE = re.compile(r"\s*[«\"“(\[]?\s*[A-ZÀ-Ý0-9]")
_BULLET = re.compile(r"^[\s•·\-–—*]+")


@cache
def token_re() -> re.Pattern[str]:
    """Words and punctuation; an elided article ("l'", "qu'") is a token of its own in every
    document, as names keep them in any language ("Côte d'Ivoire")."""
    lexicons = [load_lexicon(lang) for lang in LANGUAGES]
    elisions = [f"(?:{lex.get('elision_re')})" for lex in lexicons if lex.has("elision_re")]
    # Ordinal endings glued to a number ("1er", "XXIe") stay in its token.
    suffixes = "|".join(
        str(lex.get("number_suffix_re")) for lex in lexicons if lex.has("number_suffix_re")
    )
    return re.compile(
        "|".join(
            [
                *elisions,
                rf"\d+(?:[.,]\d+)*(?:{suffixes})?\b",
                r"[^\W\d_](?:[\w]|[-'’.](?=[^\W_]))*",
                r"[^\w\s]",
            ]
        ),
        re.IGNORECASE,
    )


@dataclass(frozen=True)
class Sentence:
    """A sentence: its index, its character span in the document, and its raw text."""

    index: int
    start: int
    end: int
    text: str

    @property
    def clean(self) -> str:
        return collapse(self.text)

    @cached_property
    def folded(self) -> str:
        return fold(self.text)


class Token(NamedTuple):
    """A word or punctuation mark with its document offsets; ``low`` is folded for lookups;
    whether it is a word and whether it is capitalised, which the name rules ask of every
    token several times. A named tuple: built for every word of every sentence, and a
    dataclass's ``__init__`` or its cached properties made that the rules' largest cost."""

    text: str
    start: int
    end: int
    low: str
    is_word: bool
    is_cap: bool


def title_case(text: str, share: float = 0.5) -> bool:
    """Whether more than ``share`` of the words are capitalised: a headline ("Sweden Joins
    NATO"), whose verbs and common nouns are capitalised too."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return bool(words) and sum(w[:1].isupper() for w in words) > share * len(words)


def collapse(text: str) -> str:
    """Whitespace-collapsed text, as quoted in evidence."""
    return " ".join(text.split())


class _FoldTable(dict[int, str]):
    """Lazily filled translation table: one character in, one character out."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1] or char
        if unicodedata.combining(base) or len(base.lower()) != 1:
            base = char
        folded = "'" if char in "’‘ʼ`´" else base.lower()
        if len(folded) != 1:
            folded = char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


@lru_cache(maxsize=8192)  # the rules fold the same sentence for each cue they look for
def fold(text: str) -> str:
    """Lower case without accents, with straight apostrophes: the form cue lists use.

    Every character maps to exactly one character, so offsets found in the folded text are
    offsets in the original ("œ" stays "œ" for that reason).

    >>> fold("Déclaration d’Amitié")
    "declaration d'amitie"
    """
    return text.translate(_FOLD)


def slugify(text: str) -> str:
    """A stable id fragment: folded words joined by hyphens.

    >>> slugify("Vladimir Poutine"), slugify("Kamaz-Engineering")
    ('vladimir-poutine', 'kamaz-engineering')
    """
    return "-".join(w for w in re.split(r"[^a-z0-9]+", fold(text)) if w)


_new_tuple = tuple.__new__


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words and punctuation of ``text``; offsets are shifted by ``offset``.

    >>> [t.text for t in tokenize("l'accord kazakho-russe (1994).")]
    ["l'", 'accord', 'kazakho-russe', '(', '1994', ')', '.']
    """
    folded = fold(text)  # one character for one: a token's folded form is its slice
    out = []
    for m in token_re().finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        first = word[:1]
        fields = (word, start + offset, end + offset, folded[start:end])
        # tuple.__new__ directly: a named tuple's own __new__ is a Python call per token.
        out.append(_new_tuple(Token, (*fields, first.isalnum(), first.isupper())))
    return out


def _ends_with_abbreviation(text: str, stop: int) -> bool:
    """Whether the stop at ``stop`` closes an abbreviation or an initial ("M.", "J.")."""
    word = re.search(r"([^\W\d_]+)\.?$", text[max(0, stop - 12) : stop])
    if word is None:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return True
    return fold(token) in _abbreviations()


def _split_paragraph(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one line of text."""
    spans: list[tuple[int, int]] = []
    cursor = start
    segment = text[start:end]
    cuts: set[int] = {start + m.start() for m in _GLUED_END.finditer(segment)}
    for match in _SENTENCE_END.finditer(segment):
        stop = start + match.start()
        after = start + match.end()
        if text[stop] == "." and _ends_with_abbreviation(text, stop):
            continue
        if _NEXT_STARTS_SENTENCE.match(text, after) or after >= end:
            cuts.add(after)
    for cut in sorted(cuts):
        if cut > cursor:
            spans.append((cursor, cut))
            cursor = cut
    if cursor < end:
        spans.append((cursor, end))
    return spans


# A line that ends a sentence or a paragraph ends with one of these (closing quotes and
# brackets after the stop included).
_LINE_END = re.compile(r"[.!?:;…][\"'»”’)\]]*\s*$")
# A hard-wrapped document: most of its lines of some length end mid-sentence.
_WRAP_MIN_LINE = 40
_WRAP_MIN_LINES = 3


def unwrap_lines(text: str) -> str:
    """The text with the line breaks of hard-wrapped prose turned into spaces (the same
    length, so every offset still points at the document), for the sentence splitter and the
    parser, which read a line break as the end of a sentence.

    A document is hard-wrapped when at least three of its lines of 40 characters or more, and
    most of them, end mid-sentence. A break is a wrap when its line ends mid-sentence, is no
    longer than the wrap width (a longer one is a headline or a paragraph of its own), and
    the next line's first word would not have fitted on it.
    """
    lines = text.split("\n")
    long = [line.rstrip() for line in lines if len(line.rstrip()) >= _WRAP_MIN_LINE]
    open_ended = [line for line in long if not _LINE_END.search(line)]
    if len(open_ended) < _WRAP_MIN_LINES or 2 * len(open_ended) <= len(long):
        return text
    width = sorted(len(line) for line in long)[len(long) // 2]
    out = list(text)
    pos = 0
    for line, after in itertools.pairwise(lines):
        pos += len(line)
        body = line.rstrip()
        first = after.lstrip().split(" ", 1)[0]
        if (
            body
            and first
            and not _LINE_END.search(body)
            and len(body) <= width + 5
            and len(body) + 1 + len(first) > width - 5
        ):
            out[pos] = " "
        pos += 1
    return "".join(out)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a document, in order, trimmed of blanks and list bullets.

    >>> [s.text for s in split_sentences("M. Dupont est venu. Il repart.\\n• Fin")]
    ['M. Dupont est venu.', 'Il repart.', 'Fin']
    """
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        for s_start, s_end in _split_paragraph(text, line.start(), line.end()):
            chunk = text[s_start:s_end]
            lead = _BULLET.match(chunk)
            s_start += lead.end() if lead else 0
            stripped = text[s_start:s_end].rstrip()
            if not stripped.strip():
                continue
            s_end = s_start + len(stripped)
            sentences.append(Sentence(len(sentences), s_start, s_end, text[s_start:s_end]))
    return sentences
