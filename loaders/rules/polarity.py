"""Polarity and modality of a fact, read from the dependency parse of its sentence.

A fact is anchored on its predicate: the verb or noun that joins its two ends (their lowest
common ancestor in the parse). The predicate and every word above it up to the root of the
sentence make the fact's *chain*: a negation on any of them ("has not delivered", "n'a jamais
livré"), a chain word that cancels it ("refused to sell", "a démenti"), or a denial attached to
it ("…, a claim Beijing denied") means the text does not assert the fact. A modal or
conditional auxiliary, a future or conditional verb, or a chain word of planning ("plans to",
"négocie") makes it ``planned``; a marker of hearsay ("according to", "selon") makes it
``reported``. Which words do that is data: the ``polarity`` section of
``loaders/data/patterns_<lang>.yaml``, validated when it is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from loaders.rules.lexicon import load_lexicon, with_typographic_apostrophes

NEGATED = "negated"
PLANNED = "planned"
REPORTED = "reported"
# Statuses a fact keeps (a negated one is dropped); None is an asserted fact.
STATUSES = (PLANNED, REPORTED)
_RANK = {NEGATED: 0, PLANNED: 1, REPORTED: 2}
_NOMINAL_POS = ("NOUN", "PROPN", "PRON")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PolarityWords(_Strict):
    """The ``polarity`` section of one language's pattern file."""

    # Dependents of a chain word that negate it: by their label ("neg") or their lemma ("ne").
    negation_deps: tuple[str, ...] = ()
    negation_lemmas: tuple[str, ...]
    # Determiners of an argument that negate the whole fact ("no weapons were delivered").
    negative_determiners: tuple[str, ...] = ()
    # Chain words that cancel what they govern ("refuse", "deny", "annuler").
    cancel_lemmas: tuple[str, ...]
    # Labels by which a clause of denial hangs on a noun ("a claim Beijing denied": relcl).
    clause_deps: tuple[str, ...]
    # Chain words above the predicate that make it a plan ("plan", "négocier", "aller").
    planned_lemmas: tuple[str, ...]
    # Verbs that make a plan only above another verb ("le Canada compte acheter" but "la
    # CEDEAO compte quinze membres").
    planned_control_lemmas: tuple[str, ...] = ()
    control_deps: tuple[str, ...] = ()
    # Words that make a plan only with "be" on them or above them ("she is set to visit Cairo",
    # "he is due to sign") and not alone ("agreed to set up a joint venture").
    planned_be_lemmas: tuple[str, ...] = ()
    be_lemmas: tuple[str, ...] = ()
    # Auxiliaries of a chain word that make it a plan or a possibility ("could", "will").
    modal_lemmas: tuple[str, ...] = ()
    # Morphology of a chain word or its auxiliary that does the same ("Mood=Cnd"), trusted only
    # on a word with one of ``planned_endings`` when those are given (the French morphologizer
    # tags "accueille" Tense=Fut).
    planned_morph: tuple[str, ...] = ()
    # Subordinators of a chain word that make its clause a condition ("if", "until").
    planned_marks: tuple[str, ...] = ()
    planned_endings: tuple[str, ...] = ()
    # Endings that, on the infinitive or the infinitive less its last letter, make a
    # conditional ("livrer" -> "livrerait", "rendre" -> "rendrait"), which the morphologizer
    # tags as an imperfect ("livrait" keeps its own stem and is not one).
    conditional_endings: tuple[str, ...] = ()
    # Words between the predicate and an end that make the fact a bid, not a sale: "Dassault
    # vient de candidater à l'appel d'offres pour équiper la Suisse" (a plan found there in
    # general is not read: `between`).
    bid_lemmas: tuple[str, ...] = ()
    # Chain words and dependents of hearsay ("claim", "according", "selon", "reportedly").
    reported_lemmas: tuple[str, ...]
    # Adverbs of hearsay ("reportedly") and prepositions that introduce a source ("selon"):
    # the latter count only before a name, a pronoun or one of ``hearsay_sources``
    # ("selon les normes de l'OTAN" is not hearsay).
    reported_markers: tuple[str, ...]
    reported_prepositions: tuple[str, ...] = ()
    hearsay_sources: tuple[str, ...] = ()
    # Labels at which the chain stops climbing: what lies above a coordinated, parenthetical,
    # adverbial or relative clause does not scope over it ("X n'en est pas là : il fournit…").
    chain_stops: tuple[str, ...]


@cache
def words(lang: str) -> PolarityWords:
    lex = load_lexicon(lang)
    try:
        return PolarityWords.model_validate(with_typographic_apostrophes(lex.get("polarity")))
    except (KeyError, ValidationError) as exc:
        detail = " ".join(str(exc).split())
        raise ValueError(f"patterns_{lex.lang}.yaml: polarity: {detail}") from None


@dataclass(frozen=True)
class Reading:
    status: str | None  # None: asserted
    cue: str | None = None  # the word that decided it, for tests and review

    @property
    def asserted(self) -> bool:
        return self.status is None


ASSERTED = Reading(None)


def _is(token: Any, words: tuple[str, ...]) -> bool:
    """The token's lemma or its lower-case form is one of ``words`` (lemmatizers disagree on
    "According": accord or according)."""
    return str(token.lemma_).lower() in words or str(token.lower_) in words


def weakest(*readings: Reading) -> Reading:
    """The reading that asserts least: negated before planned before reported before asserted."""
    return min(readings, key=lambda r: _RANK.get(r.status or "", len(_RANK)))


def lowest_common_ancestor(tokens: Iterable[Any]) -> Any | None:
    """The lowest token that dominates (or is) every one of ``tokens``; None across sentences."""
    chains = [[t, *t.ancestors] for t in tokens]
    if not chains or len({id(chain[0].doc) for chain in chains}) > 1:
        return None
    # spaCy makes a new Token object on each access: tokens compare by their index.
    common = set.intersection(*({t.i for t in chain} for chain in chains))
    for token in chains[0]:
        if token.i in common:
            return token
    return None


def _negates(token: Any, w: PolarityWords) -> Any | None:
    for child in token.children:
        if child.dep_ in w.negation_deps or _is(child, w.negation_lemmas):
            return child
        # "no longer cooperates": the negation hangs on the adverb of the verb.
        if child.pos_ == "ADV" and any(
            g.dep_ in w.negation_deps or _is(g, w.negation_lemmas) for g in child.children
        ):
            return child
    return None


def _determiner_negates(token: Any, w: PolarityWords) -> Any | None:
    """ "no cooperation between France and Mali", "aucune coopération …": the noun itself."""
    for det in token.children:
        if det.dep_ == "det" and _is(det, w.negative_determiners):
            return det
    return None


def _argument_negated(token: Any, w: PolarityWords) -> Any | None:
    for child in token.children:
        for det in child.children:
            if det.dep_ == "det" and _is(det, w.negative_determiners):
                return det
    return None


def _denied_by_clause(token: Any, chain_ids: set[int], w: PolarityWords) -> Any | None:
    """ "China could supply drones to Iran, a claim Beijing denied": a clause of denial hangs on
    a noun that depends on the chain."""
    for child in token.children:
        if child.i in chain_ids:
            continue
        for clause in child.children:
            if clause.dep_ in w.clause_deps and _is(clause, w.cancel_lemmas):
                return clause
    return None


def _planned(token: Any, w: PolarityWords) -> Any | None:
    for child in token.children:
        if child.dep_ == "mark" and _is(child, w.planned_marks):
            return child
    auxiliaries = [c for c in token.children if c.dep_.startswith("aux")]
    for candidate in [token, *auxiliaries]:
        if candidate.pos_ not in ("VERB", "AUX") or candidate.ent_type_:
            continue  # a name the tagger took for a verb ("Narendra" as a future tense)
        if candidate is not token and _is(candidate, w.modal_lemmas):
            return candidate
        ending = not w.planned_endings or str(candidate.lower_).endswith(w.planned_endings)
        if ending and any(m in str(candidate.morph) for m in w.planned_morph):
            return candidate
        if _conditional(candidate, w):
            return candidate
    return None


def _conditional(token: Any, w: PolarityWords) -> bool:
    lemma, word = str(token.lemma_).lower(), str(token.lower_)
    return any(word == stem + e for stem in (lemma, lemma[:-1]) for e in w.conditional_endings)


def _controls(token: Any, i: int, w: PolarityWords) -> bool:
    """The chain word governs another verb: it is above the predicate, or has it as its
    complement ("le Canada compte acheter …": the subject hangs on "compte")."""
    return i > 0 or any(c.dep_ in w.control_deps for c in token.children)


def _planned_with_be(token: Any, w: PolarityWords) -> Any | None:
    """A plan word with "be" on it or above it: "is set" (auxiliary: the chain goes through
    "set"), "is due" (the copula heads the adjective in English, and the chain may stop at
    the copula, which joins the subject to the rest)."""
    if _is(token, w.planned_be_lemmas) and (
        _is(token.head, w.be_lemmas) or any(_is(c, w.be_lemmas) for c in token.children)
    ):
        return token
    if _is(token, w.be_lemmas):
        return next((c for c in token.children if _is(c, w.planned_be_lemmas)), None)
    return None


def _a_source(noun: Any, w: PolarityWords) -> bool:
    return noun.pos_ in ("PROPN", "PRON") or _is(noun, w.hearsay_sources)


def _a_source_noun(preposition: Any, w: PolarityWords) -> bool:
    """The highest noun or pronoun of the phrase a preposition heads is a source."""
    nominals = [t for t in preposition.subtree if t is not preposition and t.pos_ in _NOMINAL_POS]
    depth = {t.i: len(list(t.ancestors)) for t in nominals}
    top = min(nominals, key=lambda t: (depth[t.i], t.i), default=None)
    return top is not None and _a_source(top, w)


def _reported(token: Any, w: PolarityWords) -> Any | None:
    for child in token.children:
        if _is(child, w.reported_markers):
            return child
        # "according to Reuters": the preposition heads the phrase (English labels), and the
        # phrase's first noun says who: "according to a statement by Saab" cites a statement
        # (as "selon un communiqué de Saab" does below), not hearsay.
        if _is(child, w.reported_prepositions) and _a_source_noun(child, w):
            return child
        # ... "selon Reuters": the noun heads it and the preposition is its case (UD).
        for grandchild in child.children:
            if (
                grandchild.dep_ == "case"
                and _is(grandchild, w.reported_prepositions)
                and _a_source(child, w)
            ):
                return grandchild
    return None


def chain(predicate: Any, lang: str) -> list[Any]:
    """The predicate and the words above it whose negation or modality scope over it."""
    w = words(lang)
    out = [predicate]
    token = predicate
    while token.dep_ not in w.chain_stops and token.head.i != token.i:
        token = token.head
        out.append(token)
    return out


def between(predicate: Any, ends: list[Any], lang: str) -> Reading:
    """How the words between the predicate and an end hold the fact: a word of hearsay ("L'Iran
    est accusé de livrer à la Russie": the parse joins Iran and Russia above "accusé") or a
    cancellation, or a bid. A plain negation there is left to the predicate's reading; a plan
    there ("a proposal to sell weapons to Nigeria") is not read yet (it cost dev two true
    ties)."""
    w = words(lang)
    found: list[Reading] = []
    for end in ends:
        for token in end.ancestors:
            if token.i == predicate.i:
                break
            if _is(token, w.cancel_lemmas):
                found.append(Reading(NEGATED, str(token.text)))
            elif _is(token, w.reported_lemmas):
                found.append(Reading(REPORTED, str(token.text)))
            elif _is(token, w.bid_lemmas):
                found.append(Reading(PLANNED, str(token.text)))
    return weakest(ASSERTED, *found)


def predicate_of(ends: list[Any]) -> Any | None:
    """The word that states a fact between ``ends``: their lowest common ancestor, or the
    coordinated verb below it that one end hangs on ("Tokyo agreed to X and has provided Y to
    Z": "provided" for Tokyo -> Z)."""
    top = lowest_common_ancestor(ends)
    if top is None:
        return None
    for end in ends:
        path = [end, *end.ancestors]
        below = [t for t in path if t.head.i == top.i and t.i != top.i]
        if below and below[0].dep_ == "conj" and below[0].pos_ in ("VERB", "AUX"):
            return below[0]
    return top


def _within_name(predicate: Any, ends: list[Any]) -> bool:
    """The fact lies inside the noun phrase of one of its ends ("the United States, an ally of
    Australia, is not a member…"): what the clause says of that end is not about the fact."""
    if not any(e.i == predicate.i for e in ends):
        return False
    others = [e for e in ends if e.i != predicate.i]
    steps = [t for e in others for t in [e, *e.ancestors] if t.head.i == predicate.i]
    return bool(steps) and all(t.dep_ != "conj" for t in steps)


def read(
    predicate: Any, lang: str, ends: list[Any] | None = None, *, climb: bool = True
) -> Reading:
    """How the sentence holds the fact anchored on ``predicate`` (between ``ends``, when they
    are known): negated, planned, reported, or asserted. With ``climb`` false only the
    predicate's own words count: "Quad countries — India, Japan — will take part" does not make
    India's Quad membership a plan."""
    w = words(lang)
    inside = not climb or _within_name(predicate, ends or [])
    links = [predicate] if inside else chain(predicate, lang)
    chain_ids = {t.i for t in links}
    found: list[Reading] = []
    for i, token in enumerate(links):
        # The predicate itself may be the verb that governs the fact: "Washington refused to
        # sell … to Ankara" joins its two ends at "refused".
        cue = (
            _negates(token, w)
            or (token if _is(token, w.cancel_lemmas) else None)
            or _denied_by_clause(token, chain_ids, w)
            or (_argument_negated(token, w) if i == 0 else None)
            or (_determiner_negates(token, w) if i == 0 else None)
        )
        if cue is not None:
            return Reading(NEGATED, str(cue.text))
        cue = (
            _planned(token, w)
            or (token if _is(token, w.planned_lemmas) else None)
            or (token if _controls(token, i, w) and _is(token, w.planned_control_lemmas) else None)
            or _planned_with_be(token, w)
        )
        if cue is not None:
            found.append(Reading(PLANNED, str(cue.text)))
        cue = _reported(token, w) or (token if _is(token, w.reported_lemmas) else None)
        if cue is not None:
            found.append(Reading(REPORTED, str(cue.text)))
    return min(found, key=lambda r: _RANK[r.status or ""], default=ASSERTED)
