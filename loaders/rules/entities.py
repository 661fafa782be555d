"""Actors in a document: gazetteer names first, then names recognised by their shape.

Order of trust: a gazetteer entry beats a pattern, a pattern beats the statistical NER. A name
recognised by its shape needs a cue that says what it is (a head noun such as "Commission", a
company word such as "Engineering", an acronym defined in brackets, a quoted name after
"exercice"); an unknown organisation without a cue is dropped, because precision matters more
than recall for actors.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from loaders.parse import PERSON_LABELS
from loaders.rules.context import ActorInfo, DocContext, Ref
from loaders.rules.lexicon import Lexicon
from loaders.rules.phrases import is_stop, np_end, premodified
from loaders.rules.text import Sentence, Token, fold, slugify, title_case

# Priorities: lower wins an overlap.
P_ACRONYM, P_QUOTED, P_SERVICE, P_COMPANY, P_NAMED, P_PERSON = 1, 2, 3, 4, 5, 6
# The NER labels of people in the two pipelines.
_ACRONYM_DEF = re.compile(r"\(\s*(?P<acr>[A-Z][A-Z0-9&\-]{1,11})\s*\)")
_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Z0-9&-]{1,11})\s*\)")
# A lookahead, so that a quote inside a quote ('«de l'initiative "Global Gateway"»') is seen.
# Quotation marks: French guillemets, English double quotes, and single curly quotes
# ("exercise ‘Talisman Sabre’"); a name never holds its own closing mark.
_QUOTED = re.compile(r"(?=[«“\"‘]\s*(?P<name>[^«»“”\"‘’\n]{2,60}?)\s*[»”\"’])")
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*\.?$")
# Containers the gazetteer entries of these kinds may swallow without a conflict.
_KEEP_NESTED_IN = frozenset({"body", "facility", "organization"})


@dataclass(frozen=True, order=True)
class Candidate:
    """A name found by a rule, before overlaps are settled."""

    priority: int
    start: int
    end: int
    id: str
    kind: str
    name: str
    form: str = "pattern"
    acronym: str | None = None


# The capitalised word right after a name's particle.
_NEXT_NAME = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
# Marks that open a quoted or bracketed name ("dubbed (Nile Protectors)", "baptisé « X »").
_OPENERS = frozenset("(«“\"‘'[")
# A dateline: capitalised places at the start of a line, then a comma, an agency in brackets,
# a slash or a dash ("ASTANA, June 9 /TASS/", "DOHA (Reuters) -", "SYDNEY/PÉKIN (Reuters)").
_DATELINE_PLACES = re.compile(r"[^\W\d_]+(?:[ /'’.-][^\W\d_]+)*")
_DATELINE_AFTER = re.compile(r"\s*(?:,|\(|/|-|–|—)")


# ---------------------------------------------------------------------------- gazetteer


def gazetteer_refs(ctx: DocContext, gazetteer, dataset_for) -> list[Ref]:
    """One Ref per gazetteer match; registers the entries as (potential) actors."""
    refs: list[Ref] = []
    capitals: dict[int, bool] = {}  # line start -> in capitals (a line holds many matches)
    for match in gazetteer.find(ctx.text):
        if match.form != "name" and _in_capitals_line(ctx.text, match.start, capitals):
            continue  # in a headline in capitals every word looks like an acronym
        if match.form == "capital" and _in_dateline(ctx.text, match.start, match.end):
            continue  # where the dispatch was written, not an actor of it
        try:
            entry = gazetteer.get(match.entry_id)
        except KeyError:
            continue
        ctx.register(ActorInfo(**entry.identity()))
        refs.append(Ref(match.start, match.end, entry.id, entry.kind, match.form, match.surface))
    return refs


# ---------------------------------------------------------------------------- helpers


def _in_dateline(text: str, start: int, end: int) -> bool:
    """The span is a place of a dispatch's dateline: capitals at the start of a line, only
    capitalised places before it, and the dateline's punctuation after the places."""
    line_start = text.rfind("\n", 0, start) + 1
    m = _DATELINE_PLACES.match(text, line_start)
    if m is None or not (line_start <= start and end <= m.end()) or m.end() - line_start > 40:
        return False
    places = text[line_start : m.end()]
    return places.isupper() and _DATELINE_AFTER.match(text, m.end()) is not None


def _in_capitals_line(text: str, pos: int, seen: dict[int, bool]) -> bool:
    start = text.rfind("\n", 0, pos) + 1
    if start not in seen:
        end = text.find("\n", pos)
        line = text[start : end if end >= 0 else len(text)]
        letters = sum(map(str.isalpha, line))
        seen[start] = letters > 12 and sum(map(str.isupper, line)) > 0.9 * letters
    return seen[start]


def _kind_of_head(lex: Lexicon, words: list[str]) -> str | None:
    """The kind the first head noun among ``words`` names."""
    heads = lex.mapping("named_heads")
    for word in words:
        if word in heads:
            kind = str(heads[word])
            if kind == "body" and lex.regex("facility_centre_re").match(" ".join(words)):
                return "facility"
            return kind
    return None


def _cap_words(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if t.is_cap and t.is_word)


def _adjective_starts(refs: list[Ref]) -> frozenset[int]:
    return frozenset(r.start for r in refs if r.form in ("adjective", "prefix"))


def _span_text(ctx: DocContext, start: int, end: int) -> str:
    return " ".join(ctx.text[start:end].split())


# ---------------------------------------------------------------------------- acronyms


def acronym_definitions(ctx: DocContext, gaz_refs: list[Ref]) -> list[Candidate]:
    """ "Name (ACR)": a name defined with its acronym, whatever the name's casing."""
    lex = ctx.lex
    known_starts = {r.start for r in gaz_refs}
    heads = lex.mapping("named_heads")
    out: list[Candidate] = []
    adjectives = _adjective_starts(gaz_refs)
    for sentence in ctx.sentences:
        tokens = ctx.tokens(sentence)
        for m in _ACRONYM_DEF.finditer(sentence.text):
            acr_start = sentence.start + m.start("acr")
            if acr_start in known_starts:
                continue
            paren = next(
                (i for i, t in enumerate(tokens) if t.start == sentence.start + m.start()), None
            )
            if paren is None or paren == 0:
                continue
            known = _known_name_before(ctx, gaz_refs, tokens[paren].start)
            if known is not None:
                # "Partenariat pour la paix (PPP)": a new acronym for a known entry.
                out.append(
                    Candidate(
                        P_ACRONYM,
                        known.start,
                        known.end,
                        known.target,
                        known.kind,
                        known.surface,
                        "pattern",
                        m.group("acr"),
                    )
                )
                continue
            head = _head_before(lex, tokens, paren, heads, adjectives)
            if head is None:
                continue
            head = _proper_name_start(tokens, head, paren, m.group("acr"))
            start, end = tokens[head].start, tokens[paren - 1].end
            words = [t.low for t in tokens[head:paren]]
            if _an_instrument(lex, words[-1]) or _inside_an_instrument(lex, tokens, head, paren):
                # "Status of Forces Agreement (SOFA)", "accord sur le statut des forces
                # (SOFA)": an agreement's acronym, no actor.
                continue
            kind = _kind_of_head(lex, words) or "organization"
            name = _span_text(ctx, start, end)
            acr = m.group("acr")
            out.append(
                Candidate(
                    P_ACRONYM, start, end, _entity_id(kind, name, acr), kind, name, "pattern", acr
                )
            )
    return out


def _an_instrument(lex: Lexicon, word: str) -> bool:
    """A kind noun of an agreement that is never an actor: not a programme or a plan (the
    "Pacific Maritime Security Program" is an actor as well)."""
    kind = lex.mapping("agreement_kinds").get(fold(word))
    return kind is not None and str(kind) not in ("programme", "plan", "concept")


def _inside_an_instrument(lex: Lexicon, tokens: list[Token], head: int, paren: int) -> bool:
    """The name before the bracket ends the phrase of an agreement's kind noun just before it
    ("accord sur le statut des forces (SOFA)")."""
    for k in range(head, max(-1, head - 8), -1):
        if _an_instrument(lex, tokens[k].low) and np_end(lex, tokens, k) >= paren:
            return True
    return False


def _known_name_before(ctx: DocContext, gaz_refs: list[Ref], paren_start: int) -> Ref | None:
    for ref in gaz_refs:
        if (
            ref.form == "name"
            and ref.end <= paren_start
            and not ctx.text[ref.end : paren_start].strip()
        ):
            return ref
    return None


def _head_before(
    lex: Lexicon,
    tokens: list[Token],
    paren: int,
    heads: dict[str, object],
    adjectives: frozenset[int],
) -> int | None:
    """The earliest head noun whose phrase runs up to the bracket."""
    best: int | None = None
    k = paren - 1
    while k >= 0 and paren - k <= 16:
        tok = tokens[k]
        if tok.text in ",;:.()" or (is_stop(lex, tok) and tok.low not in heads):
            break
        nxt = tokens[k + 1] if k + 1 < paren else None
        if (
            tok.low in lex.words("coordinators")
            and nxt is not None
            and (nxt.is_cap or nxt.low in lex.words("definite_articles"))
        ):
            break  # "X et les Industries aérospatiales turques (TAI)": two names
        if tok.low in heads and np_end(lex, tokens, k, adjective_starts=adjectives) >= paren:
            best = k
        k -= 1
    if best is None:
        # A capitalised name with no head noun: "Turkish Aerospace Industries (TAI)".
        k = paren - 1
        while k >= 0 and tokens[k].is_cap and tokens[k].is_word:
            k -= 1
        if paren - (k + 1) >= 2 and _kind_of_head(lex, [t.low for t in tokens[k + 1 : paren]]):
            best = k + 1
    return best


def _proper_name_start(tokens: list[Token], head: int, paren: int, acronym: str) -> int:
    """A capitalised head noun ends a proper name that the acronym spells from its start:
    "Saudi Arabian Military Industries (SAMI)", "Hyundai Heavy Industries (HHI)" — not the
    company "Industries"."""
    if not tokens[head].is_cap:
        return head
    k = head
    while k > 0 and paren - k < 16 and tokens[k - 1].is_cap and tokens[k - 1].is_word:
        k -= 1
    if k < head and tokens[k].text[:1].lower() == acronym[:1].lower():
        return k
    return head


def acronym_uses(ctx: DocContext, definitions: list[Candidate]) -> list[Candidate]:
    """Later bare uses of an acronym defined in the document."""
    out: list[Candidate] = []
    for cand in definitions:
        if not cand.acronym:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(cand.acronym)}(?![\w-])", ctx.text):
            if re.fullmatch(r"\s*\(\s*", ctx.text[cand.end : m.start()]):
                continue  # the definition's own bracket
            out.append(
                Candidate(P_ACRONYM, m.start(), m.end(), cand.id, cand.kind, cand.name, "acronym")
            )
    return out


def _entity_id(kind: str, name: str, acronym: str | None = None) -> str:
    base = slugify(acronym) if acronym and kind != "person" else slugify(name)
    return base if kind in ("person", "company") else f"{base}"


# ---------------------------------------------------------------------------- quoted names


def quoted_names(
    ctx: DocContext, gaz_refs: list[Ref]
) -> tuple[list[Candidate], list[tuple[int, int, str]]]:
    """«Steppe Eagle» after "exercices", «Baiterek» after "fusée": kind from the noun before.

    Also returns renames ("sous le nouveau nom de «X»") as (start, end, name) for the caller to
    attach to the previous programme.
    """
    lex = ctx.lex
    heads = {
        kind: sorted((fold(w) for w in words), key=len, reverse=True)
        for kind, words in lex.mapping("quoted_heads").items()
    }
    out: list[Candidate] = []
    renames: list[tuple[int, int, str]] = []
    for sentence in ctx.sentences:
        for m in _QUOTED.finditer(sentence.text):
            name = m.group("name").strip()
            if not name[:1].isupper() and not name[:1].isdigit():
                continue
            if len(name.split()) > 5:
                continue
            start = sentence.start + m.start("name")
            end = start + len(name)
            before = fold(sentence.text[max(0, m.start() - 70) : m.start()])
            if lex.regex("rename_re").search(before):
                renames.append((start, end, name))
                continue
            kind = _quoted_kind(before, heads)
            if kind is None and _optional_naming(lex, before):
                # « Baptisées "Keris Woomera" (du nom d'armes …), ces manœuvres … »: the noun
                # the name is given to follows it, past an aside.
                aside = fold(sentence.text[m.end("name") : m.end("name") + 160]).lstrip(' »”"’')
                kind = _quoted_kind_after(re.sub(r"^\s*\([^)]*\)", "", aside).lstrip(" ,"), heads)
            if kind is None and premodified(lex):
                # English puts the noun after the name: "the "TurAz Qartali" air force drills".
                after = fold(sentence.text[m.end("name") + 1 : m.end("name") + 40])
                kind = _quoted_kind_after(after, heads)
            if kind is None:
                continue
            cid = slugify(name)
            out.append(Candidate(P_QUOTED, start, end, cid, kind, name, "quoted"))
    return out, renames


def _optional_naming(lex: Lexicon, before: str) -> bool:
    """Whether a participle of naming ("baptisées", "dubbed") comes right before a name."""
    return lex.has("naming_participle_re") and bool(
        lex.regex("naming_participle_re").search(before)
    )


def _quoted_kind_after(after: str, heads: dict[str, list[str]]) -> str | None:
    words = " ".join(re.split(r"[.;:!?,]", after)[0].split()[:3])
    for kind, nouns in heads.items():
        if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", words) for n in nouns):
            return kind
    return None


def exercise_names(ctx: DocContext, gaz_refs: list[Ref]) -> list[Candidate]:
    """Unquoted exercise names: "the Balikatan exercise", "l'exercice Zapad-2021"."""
    lex = ctx.lex
    generic = lex.words("exercise_generic")
    words = lex.regex("exercise_words_re")
    known = {(r.start, r.end) for r in gaz_refs}
    out: list[Candidate] = []
    for sentence in ctx.sentences:
        tokens = ctx.tokens(sentence)
        for i, tok in enumerate(tokens):
            if not words.fullmatch(tok.low):
                continue
            chain: list[Token] = []
            if premodified(lex):
                j = i
                # "the BALTOPS naval exercise": lower-case generic words between the name and
                # the exercise word are stepped over, and left out of the name.
                while j > 1 and not tokens[j - 1].is_cap and tokens[j - 1].low in generic:
                    j -= 1
                end = j
                if (
                    j > 1
                    and re.fullmatch(r"\d{1,4}", tokens[j - 1].text)
                    and tokens[j - 2].is_cap
                    and tokens[j - 2].is_word
                ):
                    j -= 1  # "the Interaction 2024 exercise"
                while (
                    j > 0
                    and tokens[j - 1].is_cap
                    and tokens[j - 1].is_word
                    # a capitalised generic word inside a name is the name's ("Joint Warrior")
                    and (tokens[j - 1].low not in generic or j < end)
                ):
                    j -= 1
                if all(t.text.isdigit() for t in tokens[j:end]):
                    # "the Joint Sea 2021 exercise": a year alone is no name; capitalised
                    # generic words before it are the name.
                    while j > 0 and tokens[j - 1].is_cap and tokens[j - 1].is_word:
                        j -= 1
                chain = _after_possessor(lex, tokens[j:end])  # "Russia's Union 2024 exercise"
                # Three words in four capitalised: "Saudi Arabia launched the Arab Gulf Security
                # 3 drill", dense with names, is no headline.
                if chain and title_case(sentence.text, share=0.74):
                    # A headline capitalises every word: "… Agree to Hold Regular Joint
                    # Military Exercises" names no exercise, unless the text names it so again.
                    name = ctx.text[chain[0].start : chain[-1].end]
                    body = ctx.text[: sentence.start] + ctx.text[sentence.end :]
                    chain = chain if name in body else []
                if j == 0 and chain and chain[0] is tokens[0]:
                    chain = chain[1:] if len(chain) > 1 else []
                # « "This exercise will … », "The Balikatan exercise": not the name's words.
                while chain and chain[0].low in lex.words("exercise_not_names"):
                    chain = chain[1:]
            # "X is the annual … Special Operations exercise": the subject names it, and the
            # words before the noun only describe it.
            defined = _exercise_name_defined(lex, tokens, i)
            options = [defined] if defined else []
            options += [chain] if chain else []
            options += [
                _exercise_name_after(lex, tokens, i, generic),
                _exercise_name_apposed(lex, tokens, i),
                _exercise_name_given(lex, tokens, i),
            ]
            chain = next(
                (c for c in options if c and not any((t.start, t.end) in known for t in c)), []
            )
            if not chain or (len(chain) == 1 and chain[0].start in ctx.adverb_starts):
                continue  # "Parallèlement, l'exercice …": a sentence's first word, no name
            kinds = lex.words("exercise_kind_suffixes", optional=True)
            if any(chain[-1].low.endswith(k) for k in kinds):
                continue  # "a PASSEX-type exercise": a kind of exercise, not one's name
            if any(r.start <= chain[0].start < r.end for r in gaz_refs):
                continue
            # "Exercise Kakadu", "Operation Flintlock": a capitalised exercise word (or title
            # word) right before the name is the name's title; the mention is the whole, the
            # name what follows.
            title = (
                tok.start
                if tok.is_cap and i + 1 < len(tokens) and tokens[i + 1] is chain[0]
                else None
            )
            if len(chain) > 1 and chain[0].low in lex.words("exercise_titles", optional=True):
                title, chain = chain[0].start, chain[1:]
            name = _span_text(ctx, chain[0].start, chain[-1].end)
            out.append(
                Candidate(
                    P_QUOTED,
                    chain[0].start if title is None else title,
                    chain[-1].end,
                    slugify(name),
                    "exercise",
                    name,
                    "pattern",
                )
            )
    return out


def _cap_run(lex: Lexicon, tokens: list[Token], k: int) -> list[Token]:
    """Capitalised words from ``k`` on, with a year or number closing the name ("X 2024")."""
    m = k
    while m < len(tokens) and tokens[m].is_cap and tokens[m].is_word:
        m += 1
        # "Croix du Sud", "Cruz del Sur": a name particle between two capitalised words.
        if (
            m + 1 < len(tokens)
            and tokens[m].low in lex.words("place_name_particles")
            and tokens[m + 1].is_cap
            and tokens[m + 1].is_word
        ):
            m += 1
    if m > k and m < len(tokens) and re.fullmatch(r"\d{1,4}", tokens[m].text):
        m += 1
    return tokens[k:m]


def _exercise_name_after(
    lex: Lexicon, tokens: list[Token], i: int, generic: frozenset[str]
) -> list[Token]:
    """ "the exercise Neon Defender", "l'exercice multinational de maintien de la paix X"."""
    k = i + 1
    # Lower-case generic words are stepped over; capitalised, they begin the name ("the
    # exercise Joint Warrior").
    while k < len(tokens) and tokens[k].low in generic and not tokens[k].is_cap:
        k += 1
    if lex.has("exercise_complement_words"):
        # Lowercase complements of the head ("de maintien de la paix"), never a place phrase.
        skip = lex.words("exercise_complement_words")
        m = k
        while m < len(tokens) and m - k < 8 and not tokens[m].is_cap:
            if tokens[m].low not in skip and not (
                tokens[m].is_word and m > k and tokens[m - 1].low in skip
            ):
                break
            m += 1
        if m > k and m < len(tokens) and tokens[m].is_cap and tokens[m - 1].low not in skip:
            k = m
    chain = _cap_run(lex, tokens, k)
    if chain and chain[0].low in lex.words("exercise_not_names"):
        return []
    if chain and _a_title(lex, chain[0]):
        return []  # "the chief of the exercise Maj. Gen. X": a person's rank follows
    return chain


def _a_title(lex: Lexicon, token: Token) -> bool:
    """A person's title or rank ("Maj.", "Gen", "M."), which begins no other name."""
    titles = lex.words("person_titles") | frozenset(lex.mapping("roles"))
    return token.low.rstrip(".") in titles or token.low in titles


def _exercise_name_given(lex: Lexicon, tokens: list[Token], i: int) -> list[Token]:
    """ "joint drills dubbed (Nile Protectors)", "des manœuvres baptisées « Bouclier du
    Sahel »", "exercises with the United States called Eagle Partner 2023": the name a naming
    word gives, a few words on, inside the clause."""
    if not lex.has("exercise_naming_words"):
        return []
    naming = lex.words("exercise_naming_words")
    for k in range(i + 1, min(len(tokens), i + 9)):
        if tokens[k].text in ".;:!?":
            return []
        if tokens[k].low in naming:
            m = k + 1
            while m < len(tokens) and tokens[m].text in _OPENERS:
                m += 1
            chain = _cap_run(lex, tokens, m)
            if chain and chain[0].low in lex.words("exercise_not_names"):
                return []
            return chain
    return []


def _exercise_name_defined(lex: Lexicon, tokens: list[Token], i: int) -> list[Token]:
    """ "Flintlock is the largest special operations exercise", « Le Flintlock est le plus
    grand exercice … »: the capitalised subject that opens the sentence, a copula, then words
    up to the exercise word — lowercase ones, or after an article any but a preposition ("… is
    the annual AFRICOM showpiece Special Operations exercise": the subject is the name, the
    capitalised words describe it)."""
    if not lex.has("exercise_copulas"):
        return []
    copulas = lex.words("exercise_copulas")
    stops = lex.words("np_prepositions")
    k = i - 1
    while k > 0 and i - k <= 6 and tokens[k].is_word:
        if tokens[k].low in copulas:
            break
        k -= 1
    if k <= 0 or tokens[k].low not in copulas:
        return []
    between = tokens[k + 1 : i]
    if any(t.is_cap for t in between) and (
        tokens[k + 1].low.replace("\u2019", "'") not in lex.words("apposition_articles")
        or any(t.low in stops for t in between)
    ):
        return []  # "X is one of the Zapad exercises": a name inside is another's
    first = 1 if tokens[0].low.replace("\u2019", "'") in lex.words("apposition_articles") else 0
    chain = _cap_run(lex, tokens, first)
    if not chain or len(chain) != k - first or chain[0].low in lex.words("exercise_not_names"):
        return []
    return chain


def _exercise_name_apposed(lex: Lexicon, tokens: list[Token], i: int) -> list[Token]:
    """ "Nordic Response 2024, a NATO exercise": a name, a comma, an indefinite head."""
    k = i - 1
    while k >= 0 and i - k <= 6 and tokens[k].text not in ",;:.()":
        k -= 1
    if k < 1 or tokens[k].text != "," or tokens[k + 1].low not in lex.words("apposition_articles"):
        return []
    m = k
    while m > 0 and (
        (tokens[m - 1].is_cap and tokens[m - 1].is_word)
        or (re.fullmatch(r"\d{1,4}", tokens[m - 1].text) and m - 1 > 0 and tokens[m - 2].is_cap)
    ):
        m -= 1
    chain = tokens[m:k]
    if chain and chain[0].low in lex.words("exercise_not_names"):
        chain = chain[1:]
    definite = tokens[k + 1].low.replace("\u2019", "'") in lex.words("definite_articles")
    if definite and _after_preposition(lex, tokens, m):
        # "… pour l'Afrique, l'exercice se déroule": a complement, then the clause's subject;
        # "took part in Cold Lynx 2023, a multinational exercise" stays a name.
        return []
    months = lex.mapping("months")
    if any(t.low in months for t in chain):
        return []
    return chain if any(t.is_cap for t in chain) else []


def _after_preposition(lex: Lexicon, tokens: list[Token], m: int) -> bool:
    """The words before ``tokens[m]``, an article stepped over, end on a preposition."""
    k = m - 1
    if k >= 0 and tokens[k].low.replace("’", "'") in lex.words("apposition_articles"):
        k -= 1
    return k >= 0 and tokens[k].low in lex.words("exercise_not_names")


def _quoted_kind(before: str, heads: dict[str, list[str]]) -> str | None:
    """The kind named by the nearest head noun within the few words before a quote."""
    clause = re.split(r"[.;:!?]|,\s", before)[-1]
    words = clause.split()[-8:]
    window = " ".join(words)
    best: tuple[int, str] | None = None
    for kind, nouns in heads.items():
        for noun in nouns:
            for m in re.finditer(rf"(?<![\w-]){re.escape(noun)}(?![\w-])", window):
                if best is None or m.end() > best[0]:
                    best = (m.end(), kind)
    return best[1] if best else None


# ---------------------------------------------------------------------------- services, ministries


def services_and_ministries(ctx: DocContext, gaz_refs: list[Ref]) -> list[Candidate]:
    """ "forces armées du Kazakhstan", "marine kazakhe", "ministère turc de la Défense"."""
    if ctx.lex.has("service_of_state_re"):
        return _services_en(ctx, gaz_refs)
    lex = ctx.lex
    states = sorted((r for r in gaz_refs if r.kind == "state"), key=lambda r: r.start)
    by_start = {r.start: r for r in states}
    folded = fold(ctx.text)
    out: list[Candidate] = []
    services = lex.mapping("armed_services")
    pattern = "|".join(re.escape(s) for s in sorted(services, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", folded):
        state = _state_after(lex, folded, m.end(), by_start)
        if state is None or _is_enumeration(lex, folded, state.end):
            continue
        slug, english = services[m.group()]
        entry = ctx.actor(state.target)
        name = f"{english} of {entry.name if entry else state.surface}"
        out.append(
            Candidate(P_SERVICE, m.start(), state.end, f"{state.target}-{slug}", "body", name)
        )
    ministries = lex.mapping("ministries")
    domain = "|".join(re.escape(d) for d in sorted(ministries, key=len, reverse=True))
    heads = "|".join(re.escape(fold(h)) for h in lex.get("ministry_heads"))
    ministry = re.compile(
        rf"(?<![\w-])(?:{heads})(?P<adj>\s+[\w-]+)?\s+(?:{lex.get('ministry_domain_before_re')})\s*"
        rf"(?P<dom>{domain})(?![\w-])"
    )
    for m in ministry.finditer(folded):
        state = None
        if m.group("adj"):
            state = by_start.get(m.start("adj") + 1)
            if state is None or state.form != "adjective":
                continue
        else:
            after = re.match(r"\s+([\w-]+)", folded[m.end() :])
            if after:
                state = by_start.get(m.end() + after.start(1))
            if state is None:
                state = _state_after(lex, folded, m.end(), by_start)
        if state is None:
            continue
        slug, english = ministries[m.group("dom")]
        entry = ctx.actor(state.target)
        end = max(m.end(), state.end) if state.start > m.start() else m.end()
        name = f"{english} of {entry.name if entry else state.surface}"
        out.append(
            Candidate(P_SERVICE, m.start(), end, f"{state.target}-ministry-{slug}", "body", name)
        )
    return out


def _state_after(lex: Lexicon, folded: str, pos: int, by_start: dict[int, Ref]) -> Ref | None:
    """A state adjective right after ``pos``, or "(de la République) du/de X"."""
    m = lex.regex("service_state_after_re", ignore_case=False).match(folded[pos:])
    if m is None:
        return None
    ref = by_start.get(pos + m.end())
    if ref is None:
        # "Forces Armées de la République du Kazakhstan": the gazetteer may own the long name.
        long_name = lex.regex("service_state_long_name_re", ignore_case=False)
        ref = by_start.get(pos + len(long_name.match(folded[pos:]).group()))
    if ref is None:
        return None
    preposition = lex.regex("service_state_preposition_re", ignore_case=False)
    has_prep = bool(preposition.match(folded[pos:]))
    if ref.form == "adjective" and has_prep:
        return None
    if ref.form not in ("adjective",) and not has_prep:
        return None
    return ref


def _is_enumeration(lex: Lexicon, folded: str, pos: int) -> bool:
    """ "forces armées de l'Azerbaïdjan, du Kazakhstan, …": a list of participants."""
    return bool(lex.regex("service_enumeration_re", ignore_case=False).match(folded[pos:]))


def _services_en(ctx: DocContext, gaz_refs: list[Ref]) -> list[Candidate]:
    lex = ctx.lex
    by_end = {r.end: r for r in gaz_refs if r.kind == "state"}
    by_start = {r.start: r for r in gaz_refs if r.kind == "state"}
    folded = fold(ctx.text)
    out: list[Candidate] = []
    for table, prefix in (("armed_services", ""), ("ministries", "ministry-")):
        mapping = lex.mapping(table)
        pattern = "|".join(re.escape(s) for s in sorted(mapping, key=len, reverse=True))
        for m in re.finditer(rf"(?<![\w-])(?:{pattern})(?![\w-])", folded):
            state = None
            before = lex.regex("service_state_before_re", ignore_case=False).search(
                folded[max(0, m.start() - 4) : m.start()]
            )
            if before is not None:
                state = by_end.get(m.start() - len(before.group()))
            start = state.start if state else m.start()
            end = m.end()
            if state is None:
                after = lex.regex("service_of_state_re", ignore_case=False).match(folded[m.end() :])
                if after:
                    state = by_start.get(m.end() + after.end())
                    if state is not None:
                        end = state.end
            if state is None:
                continue
            slug, english = mapping[m.group()]
            entry = ctx.actor(state.target)
            name = f"{english} of {entry.name if entry else state.surface}"
            cid = f"{state.target}-{prefix}{slug}"
            out.append(Candidate(P_SERVICE, start, end, cid, "body", name))
    return out


# ---------------------------------------------------------------------------- companies


def companies(
    ctx: DocContext, gaz_refs: list[Ref], ner: list[tuple[int, int, str]]
) -> list[Candidate]:
    """Company names: a company word inside, a company noun before, or an apposition."""
    out: list[Candidate] = []
    # Each sentence is handed only the names near it: scanning every reference of the document
    # for every sentence made a long document's cost grow with its square.
    refs_near = _near_sentences(ctx.sentences, gaz_refs)
    ner_near = _near_sentences(ctx.sentences, ner)
    for n, sentence in enumerate(ctx.sentences):
        tokens = ctx.tokens(sentence)
        out += _companies_by_word(ctx, tokens, ner_near[n])
        out += _companies_after_noun(ctx, sentence, tokens, refs_near[n])
        out += _companies_by_context(ctx, sentence, tokens, refs_near[n], ner_near[n])
    return [c for c in out if not _named_as_a_place(ctx, c.start)]


def _named_as_a_place(ctx: DocContext, start: int) -> bool:
    """A name right after a place preposition or a settlement noun ("au port de Tiên Sa",
    "held in Victoria Falls") names a place, whatever the NER made of it."""
    lex = ctx.lex
    return lex.has("place_before_name_re") and bool(
        lex.regex("place_before_name_re").search(fold(ctx.text[max(0, start - 30) : start]))
    )


def _near_sentences[T](sentences: list[Sentence], spans: list[T]) -> list[list[T]]:
    """For each sentence, the spans (anything with a start and an end, as `Ref` or a tuple)
    that overlap it or end just before it, in their given order."""
    ends = [s.end for s in sentences]
    out: list[list[T]] = [[] for _ in sentences]
    for span in spans:
        start, end = (span[0], span[1]) if isinstance(span, tuple) else (span.start, span.end)  # type: ignore[attr-defined]
        i = bisect.bisect_left(ends, start)
        while i < len(sentences) and sentences[i].start - 1 <= end:
            out[i].append(span)
            i += 1
    return out


def _joins_names(lex: Lexicon, gap: list[str]) -> bool:
    """Whether the tokens between two capitalised runs join them: ",", "et", ", et"."""
    coordinators = lex.words("coordinators")
    if gap == [","] or (len(gap) == 1 and gap[0] in coordinators):
        return True
    return len(gap) == 2 and gap[0] == "," and gap[1] in coordinators


def _coordinated_chains(
    ctx: DocContext, tokens: list[Token], gaz_refs: list[Ref]
) -> list[list[tuple[int, int]]]:
    """Capitalised runs that no gazetteer name covers, grouped when joined by "et"/"and"/","."""
    lex = ctx.lex
    skip = lex.words("company_context.not_first")
    heads = lex.mapping("named_heads")
    covered = [(r.start, r.end) for r in gaz_refs]
    chains: list[tuple[int, int]] = []
    for i, j in _cap_chains(tokens):
        while i < j and tokens[i].low in skip:
            i += 1
        # "US Lockheed Martin": a state's name before a company's is not part of it.
        while i < j and any(s <= tokens[i].start and tokens[i].end <= e for s, e in covered):
            i += 1
        if i >= j or j - i > 5 or (j - i == 1 and tokens[i].low in heads):
            continue
        if any(s < tokens[j - 1].end and e > tokens[i].start for s, e in covered):
            continue
        chains.append((i, j))
    groups: list[list[tuple[int, int]]] = []
    for chain in chains:
        if groups:
            _, prev_end = groups[-1][-1]
            gap = [t.low for t in tokens[prev_end : chain[0]]]
            if _joins_names(lex, gap):
                groups[-1].append(chain)
                continue
        groups.append([chain])
    return groups


def _companies_by_context(
    ctx: DocContext,
    sentence: Sentence,
    tokens: list[Token],
    gaz_refs: list[Ref],
    ner: list[tuple[int, int, str]],
) -> list[Candidate]:
    """Names that only their role shows to be companies: "ordered … from X", "X delivered …
    to", "a joint venture of X and Y", "X et Y ont créé une coentreprise", "le suédois X"."""
    lex = ctx.lex
    if not lex.has("company_context"):
        return []
    before_re = lex.regex("company_context.before_re")
    after_re = lex.regex("company_context.after_re")
    people = [(s, e) for s, e, label in ner if label in PERSON_LABELS]
    titles = lex.words("person_titles") | frozenset(lex.mapping("roles"))
    adjectives = {r.end: r for r in gaz_refs if r.form == "adjective"}
    out: list[Candidate] = []
    for group in _coordinated_chains(ctx, tokens, gaz_refs):
        first, last = tokens[group[0][0]], tokens[group[-1][1] - 1]
        before = fold(ctx.text[max(sentence.start, first.start - 120) : first.start])
        after = fold(ctx.text[last.end : min(sentence.end, last.end + 120)])
        by_adjective = False
        adj = adjectives.get(first.start - 1)
        if adj is not None and lex.regex("company_context.adjective_article_re").search(
            fold(ctx.text[max(0, adj.start - 4) : adj.start])
        ):
            by_adjective = True  # "le suédois Saab"
        if not (before_re.search(before) or after_re.match(after) or by_adjective):
            continue
        for i, j in group:
            if j - i == 1 and tokens[i].low in lex.words("company_context.alias_stop"):
                continue  # "purchased from Western powers": one common word, no company
            start, end = tokens[i].start, tokens[j - 1].end
            if any(s <= start and end <= e for s, e in people) and _title_before(
                ctx, start, titles
            ):
                continue  # "le président X" is a person whatever follows
            if tokens[i].low in lex.mapping("months"):
                continue
            name = _span_text(ctx, start, end)
            out.append(Candidate(P_COMPANY, start, end, slugify(name), "company", name))
    return out


def repeated_names(ctx: DocContext, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates, plus other mentions of a company or exercise found once by its cue: the
    same words again, an exercise without its year ("Nordic Response"), a company by its first
    word ("Elbit" for "Elbit Systems") or by the acronym after it ("… Systems (TKMS)")."""
    lex = ctx.lex
    stop = lex.words("company_context.alias_stop")
    found: dict[str, tuple[str, str, str]] = {}
    for cand in candidates:
        # A name first given in quotes ("the exercise ‘Talisman Sabre’") is found again bare.
        if cand.kind not in ("company", "exercise") or cand.form not in ("pattern", "quoted"):
            continue
        words = cand.name.split()
        forms = {cand.name}
        if cand.kind == "exercise" and len(words) > 1 and re.fullmatch(r"\d{1,4}", words[-1]):
            forms.add(" ".join(words[:-1]))
        if (
            cand.kind == "company"
            and len(words) > 1
            and len(words[0]) >= 5
            and fold(words[0]) not in stop
            and not words[0].isupper()
        ):
            forms.add(words[0])
        for form in forms:
            found.setdefault(form, (cand.id, cand.kind, cand.name))
    # "ThyssenKrupp Marine Systems (TKMS)", "l'Obangame Express 2023 (OE23)": the acronym after
    # any mention of the name names it wherever it occurs (the fullest name first: "Mitsubishi
    # Heavy Industries (MHI)" is not "Industries").
    acronyms: dict[str, tuple[str, str, str]] = {}
    for form, named in sorted(found.items(), key=lambda item: (-len(item[0]), item[0])):
        for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", ctx.text):
            after = _ACRONYM_AFTER.match(ctx.text, m.end())
            if after:
                acronyms.setdefault(after.group(1), named)
    found.update(acronyms)  # over a candidate of the acronym alone: it is that name's
    # A name found again by its own cue keeps the identity of its first, fuller mention.
    out = [
        c
        for c in candidates
        if not (c.kind == "company" and c.name in found and found[c.name][0] != c.id)
    ]
    for form, (cid, kind, name) in sorted(found.items()):
        for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", ctx.text):
            out.append(Candidate(P_COMPANY, m.start(), m.end(), cid, kind, name, "alias"))
    return out


def _cap_chains(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of capitalised words (with "&", "of" inside), as token index ranges."""
    capital = [t.is_cap and t.is_word for t in tokens]
    n = len(tokens)
    chains: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if capital[i]:
            j = i + 1
            while j < n and (
                capital[j] or (tokens[j].text == "&" and j + 1 < n and tokens[j + 1].is_cap)
            ):
                j += 1
            chains.append((i, j))
            i = j
        else:
            i += 1
    return chains


def _company_word(lex: Lexicon, token: Token) -> bool:
    words = lex.words("company_words")
    parts = token.low.split("-")
    return any(p in words for p in parts[1:] or parts) or bool(
        lex.regex("company_suffix_re").search(token.low) and len(token.low) > 7
    )


def _companies_by_word(
    ctx: DocContext, tokens: list[Token], ner: list[tuple[int, int, str]]
) -> list[Candidate]:
    lex = ctx.lex
    heads = lex.mapping("named_heads")
    # "de Rosoboronexport Sergueï Ladyguine": a person's name that the NER starts inside a run
    # of capitals ends the company's name there.
    people = {start for start, _, label in ner if label in PERSON_LABELS}
    out: list[Candidate] = []
    for i, j in _cap_chains(tokens):
        j = next((k for k in range(i + 1, j) if tokens[k].start in people), j)
        chain = _after_possessor(lex, tokens[i:j])
        if any(t.low in heads and heads[t.low] != "company" for t in chain):
            continue
        single = len(chain) == 1 and "-" not in chain[0].text
        if single and not lex.regex("company_suffix_re").search(chain[0].low):
            continue
        if not any(_company_word(lex, t) for t in chain):
            continue
        if len(chain) >= 2 and all(t.low in lex.words("company_words") for t in chain):
            continue
        name = _span_text(ctx, chain[0].start, chain[-1].end)
        out.append(
            Candidate(P_COMPANY, chain[0].start, chain[-1].end, slugify(name), "company", name)
        )
    return out


def _after_possessor(lex: Lexicon, chain: list[Token]) -> list[Token]:
    """ "France's Dassault Aviation": the possessor names the company's state, not the
    company."""
    if not lex.has("possessive_re"):
        return chain
    possessive = lex.regex("possessive_re")
    owned = [k for k, t in enumerate(chain[:-1]) if possessive.search(t.text)]
    return chain[owned[-1] + 1 :] if owned else chain


def _companies_after_noun(
    ctx: DocContext, sentence: Sentence, tokens: list[Token], gaz_refs: list[Ref]
) -> list[Candidate]:
    """ "l'entreprise d'État kazakhe X", "deux entreprises …, X et Y", "drone maker X"."""
    lex = ctx.lex
    nouns = lex.words("company_nouns")
    heads = lex.mapping("named_heads")
    out: list[Candidate] = []
    for i, tok in enumerate(tokens):
        if tok.low not in nouns:
            continue
        k = i + 1
        # Up to five words of description ("d'État kazakhe", "aérospatiale du monde").
        while (
            k < len(tokens)
            and k - i <= 10
            and tokens[k].low not in lex.words("company_context.description_stop")
            and (
                not tokens[k].is_cap
                or tokens[k - 1].low in lex.words("company_context.description_joins")
            )
            and tokens[k].text not in ',;:.()«»"“”'
        ):
            k += 1
        names: list[tuple[int, int]] = []
        if k < len(tokens) and tokens[k].text == ",":
            k += 1
        while k < len(tokens) and tokens[k].text in '«“"':
            k += 1
        while k < len(tokens):
            j = k
            while j < len(tokens) and tokens[j].is_cap and tokens[j].is_word:
                j += 1
            if j == k:
                break
            names.append((k, j))
            while j < len(tokens) and tokens[j].text in '»”"':
                j += 1
            joins = tokens[j].low == "," or tokens[j].low in lex.words("coordinators")
            if j + 1 < len(tokens) and joins and tokens[j + 1].is_cap:
                k = j + 1
                continue
            break
        for a, b in names:
            chain = _after_possessor(lex, tokens[a:b])  # "… and Kazakhstan's National Company X"
            if chain[0].low in heads and heads[chain[0].low] != "company":
                continue
            if len(chain) == 1 and chain[0].low in lex.words("company_context.alias_stop"):
                continue  # "companies donated COVID-19 relief": one common word, no company
            if len(chain) == 1 and any(
                r.start == chain[0].start and r.end == chain[0].end for r in gaz_refs
            ):
                continue
            name = _span_text(ctx, chain[0].start, chain[-1].end)
            out.append(
                Candidate(P_COMPANY, chain[0].start, chain[-1].end, slugify(name), "company", name)
            )
    return out


# ---------------------------------------------------------------------------- named phrases


def named_phrases(ctx: DocContext, gaz_refs: list[Ref]) -> list[Candidate]:
    """ "Commission Intergouvernementale sur la Coopération", "Université nationale de défense"."""
    lex = ctx.lex
    heads = lex.mapping("named_heads")
    adjectives = _adjective_starts(gaz_refs)
    # "Union africaine et de la CEDEAO", "l'Union africaine, du Soudan du Sud et de
    # l'Ouganda": a known organisation or state after "et de la" or ", du" starts a name of
    # its own (or is one of a list), it does not extend the one before.
    # A state after "et de la" may still be the name's ("Système … du Kazakhstan et de la
    # Russie"); after a comma it is one of a list.
    coordinated = frozenset(
        r.start
        for r in gaz_refs
        if (
            r.kind in ("organization", "body")
            and lex.regex("coordinated_name_before_re", ignore_case=False).search(
                fold(ctx.text[max(0, r.start - 12) : r.start])
            )
        )
        or (
            r.kind == "state"
            and r.form == "name"
            and lex.regex("listed_state_before_re", ignore_case=False).search(
                fold(ctx.text[max(0, r.start - 12) : r.start])
            )
        )
    )
    out: list[Candidate] = []
    for sentence in ctx.sentences:
        tokens = ctx.tokens(sentence)
        titles = _agreement_titles(lex, tokens, adjectives)
        for i, tok in enumerate(tokens):
            if premodified(lex) and not tok.is_cap and str(heads.get(tok.low)) == "programme":
                cand = _programme_en(ctx, tokens, i)
                if cand:
                    out.append(cand)
                continue
            if (
                not tok.is_cap
                or tok.low not in heads
                or str(heads[tok.low]) in ("programme", "company")
            ):
                continue
            if any(s < tok.start < e for s, e in titles):
                continue  # "Traité de Bon Voisinage et d'Alliance": a word of a title
            if premodified(lex):
                cand = _named_en(ctx, tokens, i)
                if cand:
                    out.append(cand)
                continue
            end = np_end(
                lex,
                tokens,
                i,
                stop_at=coordinated,
                adjective_starts=adjectives,
                text=ctx.text,
                loose=False,
            )
            phrase = tokens[i:end]
            if len(phrase) < 2:
                continue
            sentence_initial = i == 0 or (i == 1 and tokens[0].low in lex.words("np_articles"))
            if sentence_initial and _cap_words(phrase[1:]) == 0:
                continue
            if all(t.low in lex.words("name_filler_words") for t in phrase[1:]):
                continue
            if _cap_words(phrase[1:]) == 0 and any(
                t.low in lex.words("generic_group_words", optional=True) for t in phrase[1:]
            ):
                continue  # "les Forces navales des pays impliqués": whose, the text does not say
            kind = _kind_of_head(lex, [t.low for t in phrase]) or "body"
            name = _span_text(ctx, phrase[0].start, phrase[-1].end)
            out.append(
                Candidate(P_NAMED, phrase[0].start, phrase[-1].end, slugify(name), kind, name)
            )
    return out


def _programme_en(ctx: DocContext, tokens: list[Token], i: int) -> Candidate | None:
    """ "its Official Security Assistance programme": capitalised words before a lowercase head."""
    j = i
    while j > 0 and tokens[j - 1].is_cap and tokens[j - 1].is_word:
        j -= 1
    if i - j < 2:
        return None
    name = _span_text(ctx, tokens[j].start, tokens[i - 1].end)
    return Candidate(P_NAMED, tokens[j].start, tokens[i - 1].end, slugify(name), "programme", name)


def _agreement_titles(
    lex: Lexicon, tokens: list[Token], adjectives: frozenset[int]
) -> list[tuple[int, int]]:
    """Spans of capitalised agreement names, whose words are not names of their own."""
    kinds = lex.mapping("agreement_kinds")
    spans: list[tuple[int, int]] = []
    for i, tok in enumerate(tokens):
        if tok.is_cap and tok.low in kinds:
            end = np_end(lex, tokens, i, adjective_starts=adjectives)
            spans.append((tok.start, tokens[end - 1].end))
    return spans


def _named_en(ctx: DocContext, tokens: list[Token], i: int) -> Candidate | None:
    """English names put the head last ("National Security Council") or first ("Council of")."""
    lex = ctx.lex
    inner = lex.words("name_inner_prepositions")
    complements = lex.words("name_complement_prepositions")
    coordinators = lex.words("coordinators")
    start = i
    while start > 0:
        prev = tokens[start - 1]
        if prev.is_cap and prev.is_word and prev.low not in lex.words("definite_articles"):
            start -= 1
        elif prev.low in inner and start > 1 and tokens[start - 2].is_cap and start < i:
            start -= 1  # "Association of Southeast Asian Nations Regional Forum"
        else:
            break
    end = i + 1
    while end + 1 < len(tokens) and tokens[end].low in complements and tokens[end + 1].is_cap:
        end += 2
        while (
            end < len(tokens)
            and (tokens[end].is_cap or tokens[end].low in coordinators)
            and tokens[end].is_word
        ):
            end += 1
    if tokens[end - 1].low in coordinators:
        end -= 1
    phrase = tokens[start:end]
    if _cap_words(phrase) < 2:
        return None
    if _of_unnamed_group(lex, tokens, end):
        return None  # "the Naval Forces of the participating countries": whose is not said
    kind = _kind_of_head(lex, [tokens[i].low]) or "body"
    name = _span_text(ctx, phrase[0].start, phrase[-1].end)
    return Candidate(P_NAMED, phrase[0].start, phrase[-1].end, slugify(name), kind, name)


def _of_unnamed_group(lex: Lexicon, tokens: list[Token], end: int) -> bool:
    """The name is followed by "of the participating countries": a group the text names no
    member of."""
    if end >= len(tokens) or tokens[end].low not in lex.words("name_complement_prepositions"):
        return False
    groups = lex.words("generic_group_words", optional=True)
    for tok in tokens[end + 1 : end + 5]:
        if tok.is_cap or not tok.is_word:
            return False
        if tok.low in groups:
            return True
    return False


# ---------------------------------------------------------------------------- people


def person_candidates(
    ctx: DocContext, ner: list[tuple[int, int, str]], gaz_refs: Sequence[Ref] = ()
) -> list[Candidate]:
    """People from the NER, cleaned of titles and of a state named before them ("Presidents of
    Uzbekistan X and Kazakhstan Y"); single names need a title before them."""
    lex = ctx.lex
    titles = lex.words("person_titles") | frozenset(lex.mapping("roles"))
    states = {r.start: r.end for r in gaz_refs if r.kind == "state"}
    # "Directeur Général de Saab": a known company or organisation after the name ends it.
    named = {r.start: r.end for r in gaz_refs if r.kind in ("state", "organization", "company")}
    out: list[Candidate] = []
    for start, end, label in _joined_people(ctx.text, ner, titles):
        if start in states and states[start] < end and ctx.text[states[start]].isspace():
            start = states[start] + 1
        end = _before_state_after(ctx, start, end, named)
        if label not in ("PER", "PERSON", "MISC"):
            continue
        if label == "MISC" and not (
            len(ctx.text[start:end].split()) >= 2 and _title_before(ctx, start, titles)
        ):
            continue  # the NER sometimes files "le président kazakh X Y" under MISC
        start = _first_name_after_title(ctx, start, end, titles)
        surface = ctx.text[start:end]
        words = surface.split()
        while taken := _title_words(words, titles):
            # A title of one or two words ("M.", "Son Excellence") is no part of the name.
            for word in words[:taken]:
                start += ctx.text[start:end].index(word) + len(word)
            start += len(ctx.text[start:end]) - len(ctx.text[start:end].lstrip())
            words = words[taken:]
        if surface.endswith(tuple(lex.words("possessive_ends", optional=True))):
            end -= 2
            words[-1] = words[-1][:-2] if words else ""
        if lex.has("possessive_re") and any(
            lex.regex("possessive_re").search(w) for w in words[:-1]
        ):
            continue  # "Azerbaijan’s Cabinet of Ministers" names no person
        particles = lex.words("name_particles")
        regnal = lex.regex("regnal_number_re", ignore_case=False)
        words = _written_as_names(words, regnal)
        end, words = _through_particles(ctx.text, end, words, particles)
        if not words or not all(_NAME_TOKEN.match(w) or w in particles for w in words):
            continue
        if not words[0][:1].isupper() or _in_quotes(ctx.text, start, end):
            continue
        if _a_vessel(ctx, start, end, words):
            continue
        if _named_as_a_place(ctx, start):
            continue  # "held in Victoria Falls", "the port of Bandar Abbas": a place
        if any(_inner_capital(lex, w) for w in words if not regnal.match(w)):
            continue
        if len(words) == 1 and not _title_before(ctx, start, titles):
            out.append(Candidate(P_PERSON + 1, start, end, "", "person", words[0], "ner"))
            continue
        out.append(Candidate(P_PERSON, start, end, "", "person", " ".join(words), "ner"))
    return out


def _joined_people(
    text: str, ner: list[tuple[int, int, str]], titles: frozenset[str]
) -> list[tuple[int, int, str]]:
    """A first name the NER cut off the rest ("Filipe" "Jacinto Nyusi"), a space apart, is one
    person with it: one capitalised word, not a title ("Président"), not a compound
    ("Indo-Pacifique Kurt Campbell")."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(ner):
        first = text[out[-1][0] : out[-1][1]] if out else ""
        if (
            out
            and label in PERSON_LABELS
            and out[-1][2] in PERSON_LABELS
            and text[out[-1][1] : start] == " "
            and first.isalpha()
            and first[:1].isupper()
            and fold(first) not in titles
        ):
            out[-1] = (out[-1][0], end, out[-1][2])
        else:
            out.append((start, end, label))
    return out


def _title_words(words: list[str], titles: frozenset[str]) -> int:
    """How many of the first words (two, one or none) are a title."""
    for n in (2, 1):
        if len(words) >= n and fold(" ".join(words[:n])).rstrip(".") in titles:
            return n
    return 0


def _through_particles(
    text: str, end: int, words: list[str], particles: frozenset[str]
) -> tuple[int, list[str]]:
    """A name the NER cut after a particle ("Ursula von der" | "Leyen", "Ursula von" | "der
    Leyen") runs on through the particles after it to the capitalised word after them; without
    such a word it stays as it was. So does a name the NER cut before a capitalised particle
    ("Mohammed bin Mubarak bin Fadel" | "Al Mazrouei", "Jean-Yves" | "Le Drian")."""
    if not words:
        return end, words
    if words[-1] not in particles:
        return _through_capital_particles(text, end, words, particles)
    at, more = end, list(words)
    while more[-1] in particles:
        m = _NEXT_NAME.match(text, at)
        if m is None or not (m.group(1)[0].isupper() or m.group(1) in particles):
            return end, words
        at, more = m.end(), [*more, m.group(1)]
    return at, more


def _through_capital_particles(
    text: str, end: int, words: list[str], particles: frozenset[str]
) -> tuple[int, list[str]]:
    at, more = end, list(words)
    while (m := _NEXT_NAME.match(text, at)) and m.group(1)[0].isupper():
        particle = m.group(1)
        after = _NEXT_NAME.match(text, m.end())
        if fold(particle) not in particles or after is None or not after.group(1)[0].isupper():
            break
        if fold(after.group(1)) in particles:
            break
        at, more = after.end(), [*more, particle, after.group(1)]
    return at, more


def _a_vessel(ctx: DocContext, start: int, end: int, words: list[str]) -> bool:
    """A ship named after a person: after a ship noun or a ship prefix ("USS"), or before
    "-class"."""
    lex = ctx.lex
    if not lex.has("vessel_prefixes"):
        return False
    raw_before = ctx.text[max(0, start - 40) : start]
    last = re.findall(r"\w+", raw_before)[-1:]
    prefixes = lex.words("vessel_prefixes")
    if fold(words[0]) in prefixes or (last and last[0].isupper() and fold(last[0]) in prefixes):
        return True
    # "Jose Rizal-class": the class word the NER took inside the name.
    suffix = "-" + words[-1].rsplit("-", 1)[-1] if "-" in words[-1] else ""
    return bool(
        lex.regex("vessel_before_re", ignore_case=False).search(fold(raw_before))
        or lex.regex("vessel_after_re").match(ctx.text[end : end + 8])
        or (suffix and lex.regex("vessel_after_re").match(suffix))
    )


def _before_state_after(ctx: DocContext, start: int, end: int, states: dict[int, int]) -> int:
    """End of a name that the NER ran on into the state after it ("Abdallah II de Jordanie"):
    the state and the particle before it are not part of the name."""
    particles = ctx.lex.words("name_particles")
    for s, e in states.items():
        if start < s and e == end:
            words = ctx.text[start:s].split()
            if len(words) >= 2 and fold(words[-1]) in particles:
                particle = start + len(ctx.text[start:s].rstrip()) - len(words[-1])
                return start + len(ctx.text[start:particle].rstrip())
    return end


def _written_as_names(words: list[str], regnal: re.Pattern[str]) -> list[str]:
    """A surname in capitals, as official communiqués write it ("Alassane OUATTARA"), is
    written as a name ("Ouattara"); a name all in capitals, or a regnal number ("Abdallah
    II"), is left as it is."""
    capitals = [w.isupper() and len(w) > 2 and not regnal.match(w) for w in words]
    if not any(capitals) or all(capitals):
        return words
    return [w.title() if upper else w for w, upper in zip(words, capitals, strict=True)]


def _inner_capital(lex: Lexicon, word: str) -> bool:
    """ "TếBáo" is two words glued together, not a name; "McDonald" is the exception."""
    for part in re.split(r"[-'’]", word):
        tail = part[1:]
        glued = lex.regex("name_inner_capital_re", ignore_case=False)
        if any(c.isupper() for c in tail) and not glued.match(part):
            return True
    return False


def _in_quotes(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip()
    after = text[end : end + 3].lstrip()
    return before[-1:] in '«“"' and after[:1] in '»”"'


def _first_name_after_title(ctx: DocContext, start: int, end: int, titles: frozenset[str]) -> int:
    """Where a one-word name the NER found begins, with the capitalised word between it and a
    title before ("Lieutenant-General Murat" | "Bektanov": the NER took the surname only)."""
    if " " in ctx.text[start:end].strip():
        return start
    found = re.search(r"(\S+) ([^\W\d_][^\W\d_'’-]*) $", ctx.text[max(0, start - 60) : start])
    if found is None or not found.group(2)[:1].isupper() or found.group(2).isupper():
        return start
    first = fold(found.group(2))
    if first in titles or fold(found.group(1)).rstrip(".") not in titles:
        return start
    return start - len(found.group(2)) - 1


def _title_before(ctx: DocContext, start: int, titles: frozenset[str]) -> bool:
    before = fold(ctx.text[max(0, start - 60) : start]).rstrip(" ,")
    words = re.findall(r"[\w'-]+\.?", before)
    if not words:
        return False
    last = words[-1].rstrip(".")
    if last in titles or words[-1] in titles:
        return True
    # "le président russe Vladimir Poutine": a title then a nationality adjective.
    return len(words) >= 2 and (words[-2] in titles or " ".join(words[-2:]) in titles)


# ---------------------------------------------------------------------------- resolution


def resolve_overlaps(
    gaz_refs: list[Ref], candidates: list[Candidate]
) -> tuple[list[Ref], list[Candidate]]:
    """Keep the gazetteer refs, then candidates by priority and length, without overlaps.

    A candidate that wholly contains gazetteer refs keeps them as nested refs when it is a
    body, facility or organisation ("Forces armées du Kazakhstan" still mentions Kazakhstan);
    inside a company or a person name they are dropped ("Kazakhstan Engineering").
    """
    taken: list[tuple[int, int]] = []
    kept: list[Candidate] = []
    naming = [r for r in gaz_refs if r.form != "adjective" and r.form != "prefix"]
    dropped_refs: set[Ref] = set()
    nested_refs: set[Ref] = set()
    order = sorted(candidates, key=lambda c: (c.priority, -(c.end - c.start), c.start, c.id))
    for cand in order:
        if any(cand.start < e and cand.end > s for s, e in taken):
            continue
        inside = [r for r in gaz_refs if r.start >= cand.start and r.end <= cand.end]
        crossing = [
            r for r in naming if r.start < cand.end and r.end > cand.start and r not in inside
        ]
        if crossing:
            continue
        if any(
            r.start == cand.start and r.end == cand.end for r in inside if r.form != "adjective"
        ):
            continue
        if cand.form == "acronym" and any(
            r.start <= cand.start and r.end >= cand.end for r in gaz_refs
        ):
            continue

        if cand.kind in _KEEP_NESTED_IN:
            # A state inside "Forces armées du Kazakhstan" is mentioned; an organisation inside
            # "ASEAN Regional Forum" is only part of another name.
            nested_refs.update(r for r in inside if r.kind == "state")
            dropped_refs.update(r for r in inside if r.kind != "state" and r.form != "adjective")
        else:
            dropped_refs.update(r for r in inside if r.form != "adjective")
        taken.append((cand.start, cand.end))
        kept.append(cand)
    refs = [
        Ref(r.start, r.end, r.target, r.kind, r.form, r.surface, nested=r in nested_refs)
        for r in gaz_refs
        if r not in dropped_refs
    ]
    return refs, sorted(kept, key=lambda c: (c.start, c.end))
