"""Noun-phrase extents without a parser: where a name that starts at a head noun ends.

French names grow to the right of their head ("Traité d'Amitié, de Coopération et d'Assistance
Mutuelle"), English ones mostly to the left ("the Reciprocal Access Agreement") and then to the
right ("Agreement on Defence Cooperation"). Both stop at verbs, relative pronouns, dates and
punctuation; what counts as which is in the lexicon.
"""

from __future__ import annotations

import re
from functools import cache

from loaders.rules.lexicon import Lexicon
from loaders.rules.text import Token

MAX_NAME_TOKENS = 32
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_NUMBER = re.compile(r"^\d")
# French adjectives and participles end like this; finite verbs mostly do not.
_FR_ADJECTIVE_END = re.compile(
    r"(?:al|ale|aux|ales|el|elle|els|elles|ique|iques|if|ive|ifs|ives|aire|aires|ien|ienne|iens"
    r"|iennes|ais|aise|aises|ain|aine|ains|aines|e|ee|es|ees|eur|eurs|euse|euses|ant|ants|ante"
    r"|antes|ent|ents|ente|entes|oint|ointe|ointes|un|une|uns|unes|ier|iere|iers|ieres|in|ine"
    r"|ins|ines|ial|iale|iaux|if|eux|ou|ue|ues)$"
)
_FR_VERB_END = re.compile(r"(?:ait|aient|ont|era|eront|erait|eraient|it|isent|ons|ez)$")
_QUOTES_OPEN = frozenset("«“\"‘")
_QUOTES_CLOSE = frozenset("»”\"’")


@cache
def _prepositions(lex: Lexicon) -> tuple[tuple[str, ...], ...]:
    """Multi-word prepositions as token tuples, longest first."""
    preps = {tuple(_split_words(p)) for p in lex.get("np_prepositions")}
    return tuple(sorted(preps, key=len, reverse=True))


def _split_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[^\s']+'?", phrase) if w]


def match_preposition(lex: Lexicon, tokens: list[Token], i: int) -> int:
    """Length in tokens of the preposition starting at ``i`` (0 when there is none)."""
    for prep in _prepositions(lex):
        if i + len(prep) <= len(tokens) and all(
            tokens[i + k].low == word for k, word in enumerate(prep)
        ):
            return len(prep)
    return 0


def is_year(token: Token) -> bool:
    return bool(_YEAR.match(token.text))


def _closing_quote(tokens: list[Token], i: int, limit: int = 8) -> int | None:
    for k in range(i + 1, min(len(tokens), i + limit)):
        if tokens[k].text in _QUOTES_CLOSE:
            return k
    return None


def _adjective_like(lex: Lexicon, token: Token, adjective_starts: frozenset[int]) -> bool:
    if lex.lang == "en":
        return False  # English modifiers come before the head
    if token.start in adjective_starts or token.is_cap:
        return True
    low = token.low
    if "-" in low:
        return True
    return bool(_FR_ADJECTIVE_END.search(low)) and not _FR_VERB_END.search(low)


def np_end(
    lex: Lexicon,
    tokens: list[Token],
    head: int,
    *,
    stop_at: frozenset[int] = frozenset(),
    adjective_starts: frozenset[int] = frozenset(),
    text: str = "",
) -> int:
    """Index one past the last token of the phrase headed by ``tokens[head]``.

    ``stop_at`` holds token start offsets where the phrase must end (dates, other names);
    ``adjective_starts`` those of state adjectives, which extend a phrase like adjectives.
    """
    stops = lex.words("np_stop_words")
    months = frozenset(lex.mapping("months"))
    duration = lex.regex("duration_re")
    end = head + 1
    j = head + 1
    after_prep = False
    while j < len(tokens) and j - head < MAX_NAME_TOKENS:
        tok = tokens[j]
        if tok.start in stop_at:
            break
        if text and duration.match(text, tok.start):
            break
        if tok.text in _QUOTES_OPEN:
            close = _closing_quote(tokens, j)
            if close is None:
                break
            j = end = close + 1
            after_prep = False
            continue
        if tok.text == ",":
            if _title_list_continues(lex, tokens, j + 1):
                j += 1
                continue
            break
        if tok.low in ("et", "and"):
            if _coordination_continues(lex, tokens, j + 1, adjective_starts, stop_at):
                j += 1
                after_prep = True
                continue
            break
        prep = match_preposition(lex, tokens, j)
        if prep and tok.low not in stops:
            k = j + prep
            if k < len(tokens) and (tokens[k].low in months or tokens[k].start in stop_at):
                break
            if k < len(tokens) and is_year(tokens[k]) and tok.low not in ("pour", "for"):
                break
            j = k
            while j < len(tokens) and tokens[j].low in lex.words("np_articles"):
                j += 1
            after_prep = True
            continue
        if not tok.is_word or tok.low in stops or tok.low in months:
            break
        if _NUMBER.match(tok.text) and not (after_prep and is_year(tok)):
            break
        if not after_prep and not _adjective_like(lex, tok, adjective_starts):
            break
        # French: one noun after a preposition, then adjectives; English: modifiers, then noun.
        after_prep = after_prep and lex.lang == "en"
        j += 1
        end = j
        # "2019-2021": a period written inside the name stays in it.
        if j + 1 < len(tokens) and tokens[j].text in "-–" and is_year(tokens[j + 1]):
            j += 2
            end = j
    return end


def _title_list_continues(lex: Lexicon, tokens: list[Token], i: int) -> bool:
    """", de Coopération et d'Assistance": a comma inside a capitalised title."""
    if i + 1 >= len(tokens):
        return False
    if tokens[i].low in ("de", "d'", "du", "des", "of") and tokens[i + 1].is_cap:
        return True
    return lex.lang == "fr" and tokens[i].low in ("tournee", "tourne") and tokens[i + 1].is_word


def _coordination_continues(
    lex: Lexicon,
    tokens: list[Token],
    i: int,
    adjective_starts: frozenset[int],
    stop_at: frozenset[int],
) -> bool:
    if i >= len(tokens) or tokens[i].start in stop_at:
        return False
    tok = tokens[i]
    if tok.low in ("de", "d'", "du", "des", "a", "au", "aux", "of", "on", "for"):
        return True
    if tok.start in adjective_starts:
        return True
    if tok.low in lex.words("np_articles") and i + 1 < len(tokens):
        nxt = tokens[i + 1]
        return nxt.is_word and nxt.low not in lex.words("agreement_kinds") and nxt.is_cap
    return tok.is_cap and tok.low not in lex.words("agreement_kinds")


def np_start_en(lex: Lexicon, tokens: list[Token], head: int, sentence_start: int) -> int:
    """English pre-modifiers: index of the first token of "the [Reciprocal Access] Agreement"."""
    stops = lex.words("np_stop_words") | lex.words("np_articles")
    start = head
    k = head - 1
    while k >= 0 and head - k <= 8:
        tok = tokens[k]
        if not tok.is_word or tok.low in stops:
            break
        if tok.low.endswith(("'s", "’s")):
            break
        if k == 0 and tok.start == sentence_start and not tok.is_cap:
            break
        if _NUMBER.match(tok.text) and not is_year(tok):
            break
        start = k
        k -= 1
    return start
