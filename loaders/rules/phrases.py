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
from loaders.rules.text import Token, fold

MAX_NAME_TOKENS = 32
_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_NUMBER = re.compile(r"^\d")
_QUOTES_OPEN = frozenset('«“"‘')
_QUOTES_CLOSE = frozenset('»”"’')


def premodified(lex: Lexicon) -> bool:
    """Whether names of this language take their modifiers before the head (English)."""
    return lex.has("np_premodifiers_max")


@cache
def _prepositions(lex: Lexicon) -> tuple[tuple[str, ...], ...]:
    """Multi-word prepositions as token tuples, longest first."""
    preps = {tuple(_split_words(p)) for p in lex.get("np_prepositions")}
    return tuple(sorted(preps, key=len, reverse=True))


def _split_words(phrase: str) -> list[str]:
    return [w for w in re.findall(r"[^\s']+'?", phrase) if w]


@cache
def _prepositions_by_first_word(lex: Lexicon) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for prep in _prepositions(lex):  # longest first, kept so under each first word
        out.setdefault(prep[0], []).append(prep)
    return {first: tuple(preps) for first, preps in out.items()}


def match_preposition(lex: Lexicon, tokens: list[Token], i: int) -> int:
    """Length in tokens of the preposition starting at ``i`` (0 when there is none)."""
    if i >= len(tokens):
        return 0
    for prep in _prepositions_by_first_word(lex).get(tokens[i].low, ()):
        if i + len(prep) <= len(tokens) and all(
            tokens[i + k].low == word for k, word in enumerate(prep)
        ):
            return len(prep)
    return 0


def is_stop(lex: Lexicon, token: Token) -> bool:
    """Whether a token ends a noun phrase (verbs, relative pronouns, clause words)."""
    if token.low not in lex.words("np_stop_words"):
        return False
    # Folding merges words the stop list must keep apart ("à" and "a", "dès" and "des").
    accented = token.text.lower() != token.low
    if token.low in lex.words("np_stop_words_accented", optional=True):
        return accented
    if token.low in lex.words("np_stop_words_unaccented", optional=True):
        return not accented
    return True


def is_year(token: Token) -> bool:
    return bool(_YEAR.match(token.text))


def _closing_quote(tokens: list[Token], i: int, limit: int = 8) -> int | None:
    for k in range(i + 1, min(len(tokens), i + limit)):
        if tokens[k].text in _QUOTES_CLOSE:
            return k
    return None


def _adjective_like(lex: Lexicon, token: Token, adjective_starts: frozenset[int]) -> bool:
    if not lex.has("postnominal_adjectives"):
        return False  # English modifiers come before the head
    if token.start in adjective_starts or token.is_cap:
        return True
    low = token.low
    if "-" in low:
        return True
    if token.text.lower().endswith(tuple(lex.get("postnominal_adjectives.accented_ends"))):
        return True  # a participle ("unifié"), which folding would make look like a verb
    # A bare "-e" ending is as often a verb ("vise", "confirme") as an adjective.
    adjective_e = tuple(lex.get("postnominal_adjectives.e_ends"))
    if low.endswith("e") and not low.endswith(adjective_e):
        return False
    adjective_end = lex.regex("postnominal_adjectives.end_re", ignore_case=False)
    verb_end = lex.regex("postnominal_adjectives.verb_end_re", ignore_case=False)
    return bool(adjective_end.search(low)) and not verb_end.search(low)


def np_end(
    lex: Lexicon,
    tokens: list[Token],
    head: int,
    *,
    stop_at: frozenset[int] = frozenset(),
    adjective_starts: frozenset[int] = frozenset(),
    text: str = "",
    loose: bool = True,
) -> int:
    """Index one past the last token of the phrase headed by ``tokens[head]``.

    ``stop_at`` holds token start offsets where the phrase must end (dates, other names);
    ``adjective_starts`` those of state adjectives, which extend a phrase like adjectives.
    """
    months = frozenset(lex.mapping("months"))
    duration = lex.regex("duration_re")
    stop_phrase = lex.regex("np_stop_re") if lex.has("np_stop_re") else None
    year_preps = lex.words("np_year_prepositions")
    weekdays = lex.words("weekdays", optional=True)
    end = head + 1
    j = head + 1
    after_prep = False
    while j < len(tokens) and j - head < MAX_NAME_TOKENS:
        tok = tokens[j]
        if tok.start in stop_at:
            break
        if text and duration.match(fold(text[tok.start : tok.start + 60])):
            break
        if text and stop_phrase and stop_phrase.match(fold(text[tok.start : tok.start + 30])):
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
        if tok.low in lex.words("coordinators"):
            if _coordination_continues(lex, tokens, j + 1, adjective_starts, stop_at, loose):
                j += 1
                while j < len(tokens) and tokens[j].low in lex.words("np_articles"):
                    j += 1
                after_prep = True
                continue
            break
        prep = match_preposition(lex, tokens, j)
        if (
            not prep
            and lex.has("participle_object_re")
            and j == end
            and lex.regex("participle_object_re", ignore_case=False).search(tok.low)
            and not tok.is_cap
        ):
            prep = 1  # "traité instituant la Confédération": a participle brings its object
        if prep and not is_stop(lex, tok):
            k = j + prep
            if k < len(tokens) and (
                tokens[k].low in months or tokens[k].low in weekdays or tokens[k].start in stop_at
            ):
                break  # "signed a defence agreement on Thursday": a date, not the topic
            if k < len(tokens) and is_year(tokens[k]) and tok.low not in year_preps:
                break
            j = k
            while j < len(tokens) and tokens[j].low in lex.words("np_articles"):
                j += 1
            after_prep = True
            continue
        if (
            lex.has("infinitive_end_re")
            and tok.low in lex.words("np_articles")
            and j > head + 1
            and lex.regex("infinitive_end_re", ignore_case=False).search(tokens[j - 1].low)
            and tokens[j - 2].low in lex.words("infinitive_markers")
        ):
            # "visant à autoriser le transit": an infinitive takes its object along.
            j += 1
            after_prep = True
            continue
        if not tok.is_word or is_stop(lex, tok) or tok.low in months:
            break
        if _NUMBER.match(tok.text) and not (after_prep and is_year(tok)):
            break
        if lex.regex("ordinal_re", ignore_case=False).match(tok.text):
            j += 1  # "au XXIe siècle": an ordinal does not take the noun's place
            end = j
            continue
        if not after_prep and not _adjective_like(lex, tok, adjective_starts):
            break
        # French: one noun after a preposition, then adjectives; English: modifiers, then noun.
        after_prep = after_prep and premodified(lex)
        j += 1
        end = j
        # "2019-2021": a period written inside the name stays in it.
        if j + 1 < len(tokens) and tokens[j].text in "-–" and is_year(tokens[j + 1]):
            j += 2
            end = j
    return end


def _title_list_continues(lex: Lexicon, tokens: list[Token], i: int) -> bool:
    """ ", de Coopération et d'Assistance": a comma inside a capitalised title."""
    if i + 1 >= len(tokens):
        return False
    if tokens[i].low in lex.words("genitive_words") and tokens[i + 1].is_cap:
        return True
    participles = lex.words("title_list_participles", optional=True)
    return tokens[i].low in participles and tokens[i + 1].is_word


def _coordination_continues(
    lex: Lexicon,
    tokens: list[Token],
    i: int,
    adjective_starts: frozenset[int],
    stop_at: frozenset[int],
    loose: bool = True,
) -> bool:
    """Whether "et"/"and" at ``i - 1`` joins two parts of one name; ``loose`` lets lowercase
    nouns join (agreement complements), otherwise only capitalised words do (proper names)."""
    if i >= len(tokens) or tokens[i].start in stop_at:
        return False
    tok = tokens[i]
    if tok.start in adjective_starts:
        return True
    heads = lex.words("agreement_kinds") | frozenset(lex.mapping("named_heads"))
    prepositions = lex.words("coordination_prepositions")
    datives = lex.words("coordination_datives", optional=True)
    k = i + 1 if tok.low in prepositions else i
    article = k < len(tokens) and tokens[k].low in lex.words("np_articles")
    if article:
        k += 1
    if k >= len(tokens):
        return False
    nxt = tokens[k]
    # A preposition fused with its article ("du", "au") is an article too.
    fused = k == i + 1 and tok.low in lex.words("np_articles")
    if nxt.is_cap and fold(nxt.low) in heads and (article or fused or tok.low in datives):
        return False  # "… et à l'Institut de défense": the next name begins
    if (article or fused) and _names_a_kind(tokens, k, heads):
        return False  # "the EAC Protocol … and the EAC Treaty", "… et du Traité de la CEDEAO"
    if k > i:
        if tok.low in prepositions:
            return True
        # "sur les principes et les conditions d'utilisation": nouns joined inside a complement
        if nxt.is_cap:
            return True
        if not loose:
            return False
        follow = tokens[k + 1] if k + 1 < len(tokens) else None
        return (
            nxt.is_word
            and not is_stop(lex, nxt)
            and not _NUMBER.match(nxt.text)
            and follow is not None
            and follow.low in lex.words("genitive_words")
        )
    return tok.is_cap and tok.low not in heads


def _names_a_kind(tokens: list[Token], k: int, heads: frozenset[str]) -> bool:
    """Whether the capitalised words from ``k`` on end in a head noun ("EAC Treaty")."""
    j = k
    while j < len(tokens) and j - k < 4 and tokens[j].is_cap:
        if fold(tokens[j].low) in heads:
            return True
        j += 1
    return False


def np_start_en(
    lex: Lexicon,
    tokens: list[Token],
    head: int,
    sentence_start: int,
    verbs: frozenset[int] = frozenset(),
) -> int:
    """English pre-modifiers: index of the first token of "the [Reciprocal Access] Agreement".
    ``verbs`` holds the start offsets of the words the parse reads as verbs: a pre-modifier
    never is one ("after reading the Riyadh Declaration")."""
    articles = lex.words("np_articles")
    start = head
    k = head - 1
    while k >= 0 and head - k <= int(lex.get("np_premodifiers_max")):
        tok = tokens[k]
        if not tok.is_word or is_stop(lex, tok) or tok.low in articles or tok.start in verbs:
            break
        if tok.low.endswith(tuple(lex.get("possessive_ends"))):
            break
        if k == 0 and tok.start == sentence_start and not tok.is_cap:
            break
        if (_NUMBER.match(tok.text) and not is_year(tok)) or tok.low in lex.mapping("numbers"):
            break  # "two industrial offset agreements": how many, not which
        if _a_preposition_outside_a_name(lex, tokens, k):
            break  # "signed off on two … agreements"
        start = k
        k -= 1
    return start


def _a_preposition_outside_a_name(lex: Lexicon, tokens: list[Token], k: int) -> bool:
    """A lower-case preposition, unless it joins two capitalised words of one name ("Status
    of Forces Agreement")."""
    if tokens[k].is_cap or not match_preposition(lex, tokens, k):
        return False
    inside = 0 < k < len(tokens) - 1 and tokens[k - 1].is_cap and tokens[k + 1].is_cap
    return not inside
