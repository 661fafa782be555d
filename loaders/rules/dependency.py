"""Facts read from the parse with spaCy's DependencyMatcher, one pattern file per language.

The ``relations`` section of ``loaders/data/patterns_<lang>.yaml`` holds two things:

- ``roles``: how an argument hangs on the word that states the fact (its *anchor*), as a chain
  of dependency steps: ``subject: [{dep: [nsubj]}]``, or in English, where the preposition
  heads its phrase, ``to: [{dep: [prep, dative], lemma: [to]}, {dep: [pobj]}]``; in French,
  where the noun heads it and the preposition is its ``case``, ``to: [{dep: [obl:arg, iobj],
  case: [à, au, aux]}]``. The role ``anchor`` is the anchor itself.
- ``patterns``: a fact kind (``data/ontology.yaml``), the anchor's lemmas and parts of speech,
  and the roles its source and target may take. Each (source role, target role) pair becomes
  one DependencyMatcher pattern.

An argument is resolved to what the document names there: the actor whose mention covers it,
the states of a resolved group ("the two countries"), the agreement whose mention covers it;
coordinated arguments ("to Greece and Cyprus") each give a fact. A fact whose ends the
ontology does not allow, or whose sentence denies it (``polarity``), is not made.
The file is validated when loaded: an unknown key, a role no pattern uses, a pattern naming an
unknown role or fact kind, is an error naming the file and the entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from loaders.model import PRESENCE, READING, Evidence, Membership, Mention, Tie
from loaders.ontology import ontology
from loaders.parse import PERSON_LABELS, Parsed, pipeline
from loaders.rules import polarity
from loaders.rules.context import DocContext, Ref, resolve_group
from loaders.rules.dates import DateMention
from loaders.rules.lexicon import load_lexicon, with_typographic_apostrophes
from loaders.rules.text import fold
from loaders.rules.treematch import AnchoredMatcher

ANCHOR = "anchor"
LEFT = "left"  # the membership status of a departure (loaders/model.py Membership.status)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One dependency step from the previous node (the anchor first) to the next."""

    dep: tuple[str, ...] = ()
    lemma: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    # ">": this step's token depends on the previous one; "<": it is the previous one's head
    # ("X, a member of NATO": from "member" up to "X"); ">>": any of its descendants (an order
    # "de trois sous-marins de la part de l'Indonésie"); "<<": any of its ancestors (the verb
    # that an exercise named deep in its object hangs on); "$++": a sibling after it (a
    # second subject of the same verb).
    op: str = ">"
    # Words of a `case` dependent of this step's token ("à", "de"): UD hangs prepositions there.
    case: tuple[str, ...] = ()
    # Lemmas this step's token must not have ("des équipements français sont arrivés au Liban":
    # goods arrive, they do not visit).
    not_lemma: tuple[str, ...] = ()


class Anchor(_Strict):
    # No lemma: any word of these parts of speech (an organisation's name, which the
    # ontology's allowed ends then check: "the Quad (India, Japan …)").
    lemma: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    dep: tuple[str, ...] = ()
    # Lemmas of dependents that rule the anchor out ("NATO partner nations Finland and
    # Sweden" are no members): a DependencyMatcher pattern cannot say "has no such child".
    not_with: tuple[str, ...] = ()
    # Labels of dependents that rule it out ("membre" with an nmod names its organisation; the
    # pattern that looks for the organisation named before only reads a bare "membres").
    not_with_deps: tuple[str, ...] = ()


class Pattern(_Strict):
    id: str
    fact: str
    anchor: Anchor
    source: tuple[str, ...]
    target: tuple[str, ...]
    # The date bound to the anchor is when the membership began ("joined in 2004").
    since: bool = False
    # The membership ended ("left ECOWAS in 2025"): the bound date is its end.
    left: bool = False
    # The target is the last thing of this kind named up to the anchor, the target role only
    # a condition ("Participating troops come from A, B": the exercise just named).
    antecedent: str | None = None
    # Further back than the two sentences before, when the document names only one thing of
    # that kind before the anchor: a list of participants ("Participating troops come from
    # A, B") names no exercise, and the story's one exercise may be several sentences back.
    antecedent_anywhere: bool = False
    # The target is that of the list of the same fact stated in the sentence just before
    # ("African nations taking part in this year's exercise include A, B. Other allied
    # partners include C, D."): a second list goes on with the first.
    continues: bool = False
    # Kinds the source must be, when the words alone do not say who gives what: in "a contract
    # with Saab" the company is the seller, a state there could be either side.
    source_kinds: tuple[str, ...] = ()
    # Kinds the target must be, narrower than the ontology's ("the Security Council of the
    # UN" is part of it; "the armed forces of Kazakhstan" are its body, which REPRESENTS says).
    target_kinds: tuple[str, ...] = ()
    # The fact is read from where someone is, not from a verb that states it ("Sunak signed
    # the agreement in Kyiv"): it holds only for a visitor whose own state the text gives and
    # is another (rules/checks.py).
    presence: bool = False
    # The anchor is a noun that presupposes the relation ("la coopération militaire entre le
    # Kazakhstan et la Turquie devrait aller au-delà …"): what the clause plans or hedges is
    # another matter; only a negation of the noun itself denies it.
    presupposed: bool = False


class NameSpec(_Strict):
    """Which dependents of an agreement's kind noun belong to its name ("memorandum of
    understanding", "accord de coopération militaire"), when the parse finds one that no
    earlier rule named."""

    left_deps: tuple[str, ...]
    right_deps: tuple[str, ...]
    # A right dependent counts only with one of these words (its case, or its own lemma when
    # it is a preposition heading its phrase): "on", "de", not "with" or "in 2016".
    right_words: tuple[str, ...]
    # Where the name stops: a relative clause, an apposition, a comma.
    stop_deps: tuple[str, ...]
    # Of those, the ones that stop it at the kind noun only, not inside its complement: "the
    # contract and the treaty" are two, "a contract for the design and construction of two
    # vessels" is one name.
    inner_deps: tuple[str, ...] = ()
    # Determiners of a generic descriptor ("the agreement", "l'accord") that points back to
    # the agreement named before it.
    definite: tuple[str, ...]
    # Nouns of a purpose that the parser hangs on the verb though it names the agreement
    # ("un protocole d'accord en vue de la création d'une coentreprise"): the name runs on
    # through such a complement right after it.
    purpose: tuple[str, ...] = ()


class Relations(_Strict):
    names: NameSpec
    roles: dict[str, tuple[Step, ...]]
    patterns: tuple[Pattern, ...]
    # Dependents through which a common-noun argument names its actor ("l'armée malienne",
    # "the company Naval Group").
    name_deps: tuple[str, ...]
    # Of those, the modifiers whose own conjuncts name more actors ("des marins danois et
    # canadiens", "Danish and Canadian sailors"); not a complement's ("membre de l'UA et de …").
    coordinated_name_deps: tuple[str, ...] = ()
    # An order won is no goods received: verbs of receiving and the nouns of an order, whose
    # receiver sells ("DSME a obtenu une commande de la part de l'Indonésie").
    order_verbs: tuple[str, ...] = ()
    order_nouns: tuple[str, ...] = ()
    # Nouns of a relation whose complement is the other side, never the noun itself: "le
    # Sénégal, membre de l'UA, a participé" (parsed as "Sénégal et membre") is no AU.
    relational_nouns: tuple[str, ...] = ()
    # Nouns of a standing short of membership, as a state's own title ("NATO invitee Sweden",
    # "le candidat ukrainien"): a member list does not make such a state a member.
    non_member_nouns: tuple[str, ...] = ()
    # Labels of an adjective that makes a group noun another group ("as well as the neutral
    # states Austria and Switzerland" after a list of member states).
    group_adjective_deps: tuple[str, ...] = ()
    # Labels of an apposition ("le Mercosur, le marché commun sud-américain, formé par …"): a
    # word that describes the apposed noun describes the name it restates.
    apposition_deps: tuple[str, ...] = ()
    # Common nouns that point back to the last thing of a kind named just before ("the
    # exercise", "l'exercice"): kind -> lemmas.
    anaphors: dict[str, tuple[str, ...]] = {}
    # Labels of a possessor that makes such a noun definite ("this year's exercise").
    possessor_deps: tuple[str, ...] = ()
    # Labels of a passive's agent ("signed by France", "signé par la France").
    agent_deps: tuple[str, ...] = ()
    # Labels of an adverbial clause, a gerund after a preposition included ("Before visiting
    # Indonesia, …", "Avant de visiter l'Indonésie, …").
    adverbial_clause_deps: tuple[str, ...] = ()
    subordinator_deps: tuple[str, ...] = ()
    # Personal pronouns that stand for the last person named just before ("when he visited
    # India"), when exactly one person is named in that sentence and the one before.
    person_pronouns: tuple[str, ...] = ()
    # Labels that join the words of one person's name ("Thomas Motsoahae Thabane", "Mme Kandia
    # CAMARA"): a capitalised word so joined to a name the NER cut short belongs to it.
    person_name_deps: tuple[str, ...] = ()
    # Labels of a subject, and those by which a name hangs on the noun that classifies it
    # ("l'exercice ZHETSYU").
    subject_deps: tuple[str, ...]
    name_in_phrase: tuple[str, ...]
    # Relative pronouns stand for the noun their clause describes ("Mali and Niger, which form
    # the AES": "which" is Mali and Niger).
    relative_pronouns: tuple[str, ...] = ()
    relative_clause_deps: tuple[str, ...] = ()
    # Clauses that describe a noun, relative or participial ("helicopters, donated by the
    # United States, arrived"): who acts in them is not who acts in the main clause.
    noun_clause_deps: tuple[str, ...] = ()
    # Prepositions that make a name a place ("en Bulgarie", "in Ukraine"): a state named so in
    # an exercise's sentence is where it happens, not who takes part.
    place_words: tuple[str, ...] = ()
    # Labels of a preposition's object where the preposition heads its phrase (ClearNLP).
    place_object_deps: tuple[str, ...] = ()
    # Labels of a place's owner ("in Germany's port of Kiel"): the owner is named as a place.
    place_owner_deps: tuple[str, ...] = ()
    # A place restated ("in the city of Balykchi, Kyrgyzstan"): the apposed state is named as
    # a place too, as is the name a settlement noun takes ("the city of X", "la ville de X").
    place_apposition_deps: tuple[str, ...] = ()
    settlement_nouns: tuple[str, ...] = ()
    # Nouns of geography whose complement names a place, not the state ("en mer du Japon",
    # "in the Sea of Japan"): such a phrase names no actor.
    place_nouns: tuple[str, ...] = ()
    # How a noun is the predicate of its clause ("X is not a NATO member"), whose polarity is
    # then the clause's: its own label (ClearNLP "attr"), or a copula dependent (UD "cop").
    predicate_deps: tuple[str, ...] = ()
    # Verbs whose noun complement is their predicate whatever label the parser gives it
    # ("l'Iran n'est pas devenu membre": "membre" filed as obl:mod).
    predicate_heads: tuple[str, ...] = ()
    # The morphological feature and values of a finite verb, which starts a clause of its own.
    finite_feature: str = ""
    finite_forms: tuple[str, ...] = ()
    # The same feature's value for an infinitive ("un traité visant à renforcer …").
    infinitive_forms: tuple[str, ...] = ()
    copula_deps: tuple[str, ...] = ()
    # A noun that modifies another ("two arms deals"), and the dependents that make a word a
    # noun phrase's head (a determiner, a number): the parse reads such a word as a noun.
    noun_modifier_deps: tuple[str, ...] = ()
    determiner_deps: tuple[str, ...] = ()
    # What a supply verb can give that is no goods: "provides training to Malian soldiers"
    # trains them. The object's labels, and its nouns.
    object_deps: tuple[str, ...] = ()
    service_nouns: tuple[str, ...] = ()
    # Labels by which the parser sometimes hangs one item of a list of states on the first
    # ("Saudi Arabia, Iran, the UAE and Egypt became members": Iran as an apposition), or as a
    # complement without a preposition ("Dominique, Grenade, Guyane": Guyane as an nmod).
    list_apposition_deps: tuple[str, ...] = ()
    # "les pays baltes", "the NATO countries": a group noun a modifier qualifies is another
    # group than the states just named, unless a number counts it ("les deux pays voisins").
    # The qualifier's labels, and the counter's.
    group_qualifier_deps: tuple[str, ...] = ()
    # Prepositions whose object is a party of what they complement ("a contract with X").
    party_prepositions: tuple[str, ...] = ()
    # Labels of a participle or adjective that describes a noun ("la Crimée rattachée à la
    # Russie"): a state completing it describes that noun, it takes part in nothing.
    describing_deps: tuple[str, ...] = ()
    group_count_deps: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Relations:
        facts = ontology().facts
        used: set[str] = set()
        ids: set[str] = set()
        for p in self.patterns:
            if p.id in ids:
                raise ValueError(f"pattern {p.id!r} appears twice")
            ids.add(p.id)
            if p.fact not in facts:
                raise ValueError(f"pattern {p.id!r}: unknown fact kind {p.fact!r}")
            for role in (*p.source, *p.target):
                if role != ANCHOR and role not in self.roles:
                    raise ValueError(f"pattern {p.id!r}: unknown role {role!r}")
                used.add(role)
        unused = sorted(set(self.roles) - used)
        if unused:
            raise ValueError(f"roles no pattern uses: {unused}")
        for name, steps in self.roles.items():
            if any(step.op not in (">", ">>", "<", "<<", "$++") for step in steps):
                raise ValueError(f"role {name!r}: op must be '>', '>>', '<', '<<' or '$++'")
        return self


def parse_relations(data: Any, where: str) -> Relations:
    try:
        return Relations.model_validate(with_typographic_apostrophes(data))
    except ValidationError as exc:
        raise ValueError(f"{where}: relations: {' '.join(str(exc).split())}") from None


@cache
def relations(lang: str) -> Relations:
    lex = load_lexicon(lang)
    return parse_relations(lex.get("relations"), f"patterns_{lex.lang}.yaml")


# ---------------------------------------------------------------------------- compiling


def _attrs(
    dep: tuple[str, ...],
    lemma: tuple[str, ...],
    pos: tuple[str, ...],
    not_lemma: tuple[str, ...] = (),
) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    for name, values in (("DEP", dep), ("LEMMA", lemma), ("POS", pos)):
        if values:
            attrs[name] = _one_of(values)
    if not_lemma:
        found = attrs.get("LEMMA")
        attrs["LEMMA"] = {
            **({"IN": [found]} if isinstance(found, str) else found or {}),
            "NOT_IN": list(not_lemma),
        }
    return attrs


def _one_of(values: tuple[str, ...]) -> Any:
    """One value as the Matcher writes it, several as an "IN" set (spaCy's own matcher, which
    the tests compare ours to, checks a single value faster)."""
    return values[0] if len(values) == 1 else {"IN": list(values)}


def _role_nodes(steps: tuple[Step, ...], prefix: str) -> tuple[list[dict[str, Any]], str]:
    """The matcher nodes of one role, and the name of its argument node."""
    nodes: list[dict[str, Any]] = []
    left = ANCHOR
    for i, step in enumerate(steps):
        name = f"{prefix}{i}"
        nodes.append(
            {
                "LEFT_ID": left,
                "REL_OP": step.op,
                "RIGHT_ID": name,
                "RIGHT_ATTRS": _attrs(step.dep, step.lemma, step.pos, step.not_lemma),
            }
        )
        if step.case:
            nodes.append(
                {
                    "LEFT_ID": name,
                    "REL_OP": ">",
                    "RIGHT_ID": f"{name}c",
                    "RIGHT_ATTRS": {"DEP": "case", "LOWER": {"IN": list(step.case)}},
                }
            )
        left = name
    return nodes, left


@dataclass(frozen=True)
class Compiled:
    pattern: Pattern
    source_node: int  # index of the source argument among the match's tokens
    target_node: int
    # Both ends in one role ("between A and B"): the coordinated arguments pair up.
    paired: bool = False


@cache
def matcher(lang: str) -> tuple[Any, dict[str, Compiled]]:
    """The matcher of ``lang`` and what each of its keys means."""
    return build_matcher(lang)


def build_matcher(lang: str, *, spacy: bool = False) -> tuple[Any, dict[str, Compiled]]:
    """A new matcher holding every pattern of ``lang``: searched from the anchor
    (``treematch``), or with ``spacy`` spaCy's own DependencyMatcher, which finds the same
    matches more slowly (the tests compare the two)."""
    from spacy.matcher import DependencyMatcher

    nlp = pipeline(lang)
    rel = relations(lang)
    found: Any = DependencyMatcher(nlp.vocab) if spacy else AnchoredMatcher(nlp.vocab.strings)
    meaning: dict[str, Compiled] = {}
    for p in rel.patterns:
        for s in p.source:
            for t in p.target:
                nodes = [
                    {
                        "RIGHT_ID": ANCHOR,
                        "RIGHT_ATTRS": _attrs(p.anchor.dep, p.anchor.lemma, p.anchor.pos),
                    }
                ]
                ends = []
                for role, prefix in ((s, "s"), (t, "t")):
                    if role == ANCHOR:
                        ends.append(ANCHOR)
                        continue
                    more, end = _role_nodes(rel.roles[role], prefix)
                    nodes += more
                    ends.append(end)
                names = [n["RIGHT_ID"] for n in nodes]
                key = f"{p.id}|{s}|{t}"
                found.add(key, [nodes])
                meaning[key] = Compiled(
                    p, names.index(ends[0]), names.index(ends[1]), paired=s == t != ANCHOR
                )
    return found, meaning


# ---------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class End:
    """What an argument stands for: an actor, an exercise or an agreement."""

    id: str
    kind: str
    start: int
    end: int


def _covering(ctx: DocContext, pos: int) -> Ref | None:
    """The longest reference covering ``pos`` within 200 characters either side of it."""
    best = None
    for ref in ctx.refs_starting(max(0, pos - 200), pos + 1):
        if pos < ref.end <= pos + 200 and (
            best is None or ref.end - ref.start > best.end - best.start
        ):
            best = ref
    return best


def _ref_end(ctx: DocContext, ref: Ref) -> End | None:
    kind = ref.kind if ref.kind == "exercise" else ctx.kind_of(ref.target)
    return End(ref.target, kind, ref.start, ref.end) if kind else None


def _agreement_at(mentions: list[Mention], pos: int) -> End | None:
    for m in mentions:
        if m.start <= pos < m.end:
            return End(m.target, "agreement", m.start, m.end)
    return None


def _antecedent(ctx: DocContext, pos: int, kind: str) -> Ref | None:
    """The last mention of a ``kind`` before ``pos``, in its sentence or the two before."""
    sentence = ctx.sentence_at(pos)
    first = ctx.sentences[max(0, sentence.index - 2)].start if sentence else 0
    before = [r for r in ctx.refs_between(first, pos) if r.kind == kind and r.naming]
    return before[-1] if before else None


def _coordinated_subject(
    ctx: DocContext, parsed: Parsed, pronoun: Any, agreements: list[Mention], rel: Relations
) -> list[End]:
    """ "Le Kazakhstan a participé … et il a accueilli …": the subject pronoun of a verb
    coordinated with another stands for that verb's subject."""
    verb = pronoun.head
    if pronoun.dep_ not in rel.subject_deps or verb.dep_ != "conj":
        return []
    subjects = [c for c in verb.head.children if c.dep_ in rel.subject_deps and c.pos_ != "PRON"]
    return [e for s in subjects for e in _resolve_one(ctx, parsed, s, agreements, rel)]


def _only_person_before(ctx: DocContext, pos: int) -> Ref | None:
    """The one person named before ``pos`` in its sentence and the one before; None when
    there is none or more than one (then "he" is not resolved)."""
    sentence = ctx.sentence_at(pos)
    first = ctx.sentences[max(0, sentence.index - 1)].start if sentence else 0
    people = [r for r in ctx.refs_between(first, pos) if r.kind == "person" and r.naming]
    return people[-1] if len({r.target for r in people}) == 1 else None


def _a_party_complement(token: Any, rel: Relations) -> bool:
    """ "a contract with the Netherlands and Austria": a name after a party preposition is a
    party, even where the agreement's mention runs over it."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if (
        str(token.head.lemma_).lower() in rel.party_prepositions
        and token.dep_ in rel.place_object_deps
    ):
        return True
    return any(
        c.dep_ == "case" and str(c.lemma_).lower() in rel.party_prepositions for c in token.children
    )


def _antecedent_end(
    ctx: DocContext, parsed: Parsed, anchor: Any, kind: str, anywhere: bool = False
) -> list[tuple[Any, End]]:
    pos = parsed.end_of(anchor)
    ref = _antecedent(ctx, pos, kind)
    if ref is None and _points_back(anchor, kind, ctx.lang):
        ref = _only_one_named_before(ctx, pos, kind)
    if ref is None and anywhere:
        ref = _story_topic(ctx, pos, kind)
    return [(anchor, End(ref.target, kind, ref.start, ref.end))] if ref else []


def _points_back(anchor: Any, kind: str, lang: str) -> bool:
    """The clause names its ``kind`` by a definite noun ("this year's exercise", "l'exercice")."""
    rel = relations(lang)
    lemmas = rel.anaphors.get(kind, ())
    return any(
        str(t.lemma_).lower() in lemmas
        and (_definite(t, rel) or any(c.dep_ in rel.possessor_deps for c in t.children))
        for t in anchor.subtree
    )


def _definite(token: Any, rel: Relations) -> bool:
    """The noun has a definite article or demonstrative, maybe fused into its preposition
    ("the exercise", "du bloc")."""
    return any(
        c.dep_ in ("det", "case") and str(c.lower_) in rel.names.definite for c in token.children
    )


def _only_one_named_before(ctx: DocContext, pos: int, kind: str) -> Ref | None:
    """Further back than `_antecedent` looks (a quotation may stand between "the exercise" and
    its name): the one ``kind`` the document names, never a choice between two."""
    named = [r for r in ctx.refs_between(0, len(ctx.text)) if r.kind == kind and r.naming]
    before = [r for r in named if r.end <= pos]
    return before[-1] if before and len({r.target for r in named}) == 1 else None


def _continued(
    ctx: DocContext, parsed: Parsed, anchor: Any, ties: list[Tie], fact: str
) -> list[tuple[Any, End]]:
    """The one target of the ``fact``s read in the sentence just before the anchor's, when
    they are a list (two or more sources)."""
    sentence = ctx.sentence_at(parsed.start_of(anchor))
    if sentence is None or sentence.index == 0:
        return []
    before = ctx.sentences[sentence.index - 1]
    stated = [
        t
        for t in ties
        if t.type == fact and t.status is None and before.start <= t.evidence[0].start < before.end
    ]
    if len({t.target for t in stated}) != 1 or len({t.source for t in stated}) < 2:
        return []
    target = stated[0].target
    refs = [r for r in ctx.refs_between(0, before.end) if r.target == target and r.naming]
    if not refs:
        return []
    return [(anchor, End(target, refs[-1].kind, refs[-1].start, refs[-1].end))]


def _not_a_member_as_listed(token: Any, name: Any, listed: Any, rel: Relations) -> bool:
    """A listed state titled by a standing short of membership ("NATO invitee Sweden"), or
    one named in another group joined to the list ("16 NATO member states, as well as the
    neutral states Austria and Switzerland"). ``name`` is the word that names the state."""
    for word in (token, name):
        if word is None:
            continue
        # Its title hangs on it ("invitee Sweden"), or it on its title ("le candidat
        # Ukraine"); a conjunct is another item ("la France … et le partenaire Japon").
        titles = [c for c in word.children if c.dep_ != "conj"]
        if word.dep_ != "conj" and word.head.i != word.i:
            titles.append(word.head)
        if any(str(t.lemma_).lower() in rel.non_member_nouns for t in titles):
            return True
    other_group = token.i != listed.i and token.pos_ == "NOUN"
    return other_group and any(c.dep_ in rel.group_adjective_deps for c in token.children)


def _story_topic(ctx: DocContext, pos: int, kind: str) -> Ref | None:
    """The one ``kind`` the document names, when its lead (first two sentences) names it: the
    story's subject, which a list of participants far below still speaks of."""
    ref = _only_one_named_before(ctx, pos, kind)
    lead = ctx.sentences[min(1, len(ctx.sentences) - 1)].end if ctx.sentences else 0
    named = [r for r in ctx.refs_between(0, lead) if r.kind == kind and r.naming]
    return ref if ref is not None and named else None


def _resolve_one(
    ctx: DocContext,
    parsed: Parsed,
    token: Any,
    agreements: list[Mention],
    rel: Relations,
) -> list[End]:
    pos = parsed.start_of(token)
    found = _agreement_at(agreements, pos)
    if found is not None and not _a_party_complement(token, rel):
        return [found]
    ref = _covering(ctx, pos)
    if ref is not None:
        end = _ref_end(ctx, ref)
        return [end] if end else []
    if str(token.lower_) in rel.relative_pronouns and token.head.dep_ in rel.relative_clause_deps:
        described = token.head.head
        return [
            e
            for t in [described, *described.conjuncts]
            for e in _resolve_one(ctx, parsed, t, agreements, rel)
        ]
    if token.pos_ == "PRON" and str(token.lower_) in rel.person_pronouns:
        person = _only_person_before(ctx, pos)
        if person is not None:
            return [End(person.target, "person", pos, parsed.end_of(token))]
        return _coordinated_subject(ctx, parsed, token, agreements, rel)
    if token.pos_ not in ("NOUN", "PROPN"):
        return []  # another pronoun or a clause: unknown, never guessed
    if str(token.lemma_).lower() in rel.place_nouns + rel.relational_nouns:
        return []
    # The phrase's first and last words (``subtree``'s ends, without walking it).
    lo, hi = parsed.start_of(token.left_edge), parsed.end_of(token.right_edge)
    group = resolve_group(ctx, lo, hi, None)
    if group:
        return [End(g, ctx.kind_of(g) or "state", lo, hi) for g in group]
    # "the exercise Bright Star" is named by its own dependents ...
    # "des marins danois et canadiens": each coordinated modifier names one.
    out = []
    # "the two South Korean companies donated …": companies of a state are not the state.
    companies = str(token.lemma_).lower() in ctx.lex.words("company_nouns", optional=True)
    for child in token.children:
        if child.dep_ not in rel.name_deps:
            continue
        coordinated = child.conjuncts if child.dep_ in rel.coordinated_name_deps else ()
        for named in [child, *coordinated]:
            ref = _covering(ctx, parsed.start_of(named)) or _first_named(ctx, parsed, named)
            if ref is not None and companies and ref.form == "adjective":
                continue
            if ref is not None and (end := _ref_end(ctx, ref)) is not None:
                out.append(end)
    if not out and companies:
        out = _company_named_after(ctx, parsed, token, rel)
    if out:
        return out
    # ... "the exercise" alone points back to the exercise just named; "another exercise" not.
    # The article may be fused into the preposition ("du bloc").
    definite = _definite(token, rel)
    for kind, lemmas in rel.anaphors.items():
        if not definite or str(token.lemma_).lower() not in lemmas:
            continue
        if ref := _antecedent(ctx, pos, kind):
            return [End(ref.target, kind, pos, parsed.end_of(token))]
    return []


def _company_named_after(ctx: DocContext, parsed: Parsed, noun: Any, rel: Relations) -> list[End]:
    """ "au constructeur nigérian Proforce": the company named right after a company noun and
    its own modifiers, which the parser sometimes hangs elsewhere (a name it does not know)."""
    doc = noun.doc
    i = noun.i + 1
    while i < len(doc) and doc[i].head.i == noun.i and doc[i].dep_ in rel.name_deps:
        i += 1
    if i >= len(doc):
        return []
    ref = _covering(ctx, parsed.start_of(doc[i]))
    if ref is None or ref.kind != "company" or not ref.naming:
        return []
    end = _ref_end(ctx, ref)
    return [end] if end else []


def _gives_a_service(verb: Any, lang: str) -> bool:
    """Every object of the verb is a service noun ("provides military training"), none a
    good ("training and equipment")."""
    rel = relations(lang)
    objects = [c for c in verb.children if c.dep_ in rel.object_deps]
    items = [t for o in objects for t in [o, *o.conjuncts]]
    return bool(items) and all(str(t.lemma_).lower() in rel.service_nouns for t in items)


def _left_coordinated(token: Any, rel: Relations) -> list[Any]:
    """A name the parser left out of a coordinated subject: in "Embraer et Boeing ont signé"
    the French model hangs "et" on the verb and "Embraer" elsewhere, so "Boeing" has no
    conjunct. The proper noun just before a "cc" of the subject's own verb is one."""
    if token.dep_ not in rel.subject_deps or token.i < 2:
        return []
    cc, before = token.doc[token.i - 1], token.doc[token.i - 2]
    if cc.dep_ != "cc" or cc.head.i != token.head.i or before.pos_ != "PROPN":
        return []
    if before.dep_ in rel.subject_deps or before.i in {c.i for c in token.conjuncts}:
        return []
    return [before]


def _wins_an_order(verb: Any, lang: str) -> bool:
    """A verb of receiving whose object is an order or a contract: who receives it sells."""
    rel = relations(lang)
    if str(verb.lemma_).lower() not in rel.order_verbs:
        return False
    objects = [c for c in verb.children if c.dep_ in rel.object_deps]
    return any(str(o.lemma_).lower() in rel.order_nouns for o in objects)


def _first_named(ctx: DocContext, parsed: Parsed, token: Any) -> Ref | None:
    """The person named inside the phrase of ``token`` after a title the names leave out
    ("S.E.M. Alassane Ouattara")."""
    lo, hi = parsed.start_of(token.left_edge), parsed.end_of(token.right_edge)
    people = [r for r in ctx.refs_between(lo, hi) if r.naming and r.kind == "person"]
    return people[0] if len(people) == 1 and token.pos_ == "PROPN" else None


def resolve(
    ctx: DocContext, parsed: Parsed, token: Any, agreements: list[Mention], lang: str
) -> list[tuple[Any, End]]:
    """Each thing the argument at ``token`` names, with the token that names it; coordinated
    arguments included."""
    rel = relations(lang)
    out: list[tuple[Any, End]] = []
    for t in [token, *token.conjuncts, *_left_coordinated(token, rel)]:
        out += [(t, e) for e in _resolve_one(ctx, parsed, t, agreements, rel)]
    if out and all(e.kind == "state" for _, e in out):
        out += _apposed_states(ctx, parsed, [t for t, _ in out], agreements, rel)
    return out


def _apposed_states(
    ctx: DocContext, parsed: Parsed, items: list[Any], agreements: list[Mention], rel: Relations
) -> list[tuple[Any, End]]:
    """States the parser hung on a list of states as appositions, or as complements with no
    preposition: one state is never another state's apposition, so they are more items of the
    list, and so are the states hung on them in turn ("Dominique, Grenade, Guyane, Haïti, …")."""
    out: list[tuple[Any, End]] = []
    seen = {t.i for t in items}
    todo = list(items)
    while todo:
        item = todo.pop(0)
        for child in item.children:
            if child.i in seen or not _list_item(child, rel):
                continue
            for t in [child, *child.conjuncts]:
                if t.i in seen:
                    continue
                seen.add(t.i)
                ends = [
                    e for e in _resolve_one(ctx, parsed, t, agreements, rel) if e.kind == "state"
                ]
                out += [(t, e) for e in ends]
                if ends:
                    todo.append(t)
    return out


def _list_item(token: Any, rel: Relations) -> bool:
    if token.dep_ not in rel.list_apposition_deps or token.pos_ != "PROPN":
        return False
    return not any(c.dep_ == "case" for c in token.children)


# ---------------------------------------------------------------------------- facts


@dataclass
class NewAgreement:
    """An agreement the parse finds signed ("both sides signed a memorandum of understanding")
    where no rule named one."""

    kind: str
    name: str
    start: int
    end: int
    parties: list[str]
    signed: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Party:
    """An actor the parse gives as party to an agreement, and the date bound to the signing."""

    actor: str
    agreement: str
    evidence: Evidence
    signed: str | None = None


@dataclass
class Found:
    ties: list[Tie]
    memberships: list[Membership]
    parties: list[Party]
    agreements: dict[int, NewAgreement]


def fact_words(predicate: Any, ends: list[Any], lang: str) -> list[Any]:
    """The words that state a fact: its predicate, the words down to its ends ("became a
    member of NATO": "member"), and the verbs of clauses that describe an end ("l'exercice
    ZHETSYU, qui s'est déroulé … en 2009")."""
    words = [predicate]
    for end in ends:
        words += [
            t
            for t in [end, *end.ancestors]
            if t.i != predicate.i and any(a.i == predicate.i for a in t.ancestors)
        ]
        # The name's own noun phrase ("l'exercice « ZHETSYU », qui s'est déroulé …").
        phrase = [end, end.head] if end.dep_ in relations(lang).name_in_phrase else [end]
        words += [c for t in phrase for c in t.children if c.pos_ in ("VERB", "AUX")]
    return words


def across_clauses(ends: list[Any], lang: str) -> bool:
    """The two ends hang on different coordinated clauses, one of which has a subject of its
    own: the sentence states no fact between them."""
    top = polarity.lowest_common_ancestor(ends)
    if top is None:
        return False
    subjects = relations(lang).subject_deps
    for end in ends:
        path = [end, *end.ancestors]
        below = [t for t in path if t.head.i == top.i and t.i != top.i]
        if (
            below
            and below[0].dep_ == "conj"
            and below[0].pos_ in ("VERB", "AUX")
            and any(c.dep_ in subjects for c in below[0].children)
            and not any(e.i in {t.i for t in below[0].subtree} for e in ends if e is not end)
        ):
            return True
    return False


def bound_date(parsed: Parsed, anchor: Any, dates: list[DateMention]) -> DateMention | None:
    """The date that modifies the anchor itself: between the date and the anchor the parse
    has only the date's own words and prepositions ("signed … in 2023"), never another verb
    or noun ("the Horizon 2047 roadmap": 2047 belongs to the name, not to the signing)."""
    for d in dates:
        token = parsed.token_at(d.start)
        if token is None or token.doc is not anchor.doc:
            continue
        for above in [token, *token.ancestors]:
            if above.i == anchor.i:
                return d
            inside = d.start <= parsed.start_of(above) < d.end
            if not inside and above.pos_ not in ("ADP", "SCONJ"):
                break
    return None


def _word_ok(child: Any, spec: NameSpec) -> bool:
    words = [str(child.lemma_).lower(), str(child.lower_)]
    words += [str(c.lower_) for c in child.children if c.dep_ == "case"]
    return any(w in spec.right_words for w in words)


def _name_range(token: Any, spec: NameSpec, dates: frozenset[str]) -> tuple[int, int]:
    """Token indices [lo, hi] of the agreement's name: the kind noun's phrase up to the clause
    boundary (a relative clause, an apposition, a comma), determiners left out, and never a
    complement that holds a day or a month ("an agreement on Thursday" is dated, not named)."""
    lo = hi = token.i
    for child in token.lefts:
        if child.dep_ in spec.left_deps:
            lo = min(lo, child.left_edge.i)
    for child in token.rights:
        if child.dep_ in spec.stop_deps or child.text in (",", ";", "(", ":", "—", "–"):
            break
        if child.dep_ not in spec.right_deps and not _word_ok(child, spec):
            break
        if any(str(t.lower_) in dates for t in child.subtree):
            break
        inner = [
            t.i
            for t in child.subtree
            if t.i != child.i
            and t.dep_ in spec.stop_deps
            and t.dep_ not in spec.inner_deps
            # A possessive's apostrophe ("the European countries' joint procurement").
            and t.text not in ("'", "’")
        ]
        inner += [t.i for t in child.subtree if t.text in (",", ";", "(")]
        hi = max(hi, min(inner) - 1 if inner else child.right_edge.i)
        if inner:
            break
    for child in token.head.rights if token.head.i != token.i else ():
        if child.left_edge.i == hi + 1 and str(child.lemma_).lower() in spec.purpose:
            hi = child.right_edge.i
    return lo, hi


def names_a_party(words: str, lang: str) -> bool:
    """``words`` hold a party preposition ("… with Colombia"): a party, not more of a name."""
    return not set(words.split()).isdisjoint(relations(lang).party_prepositions)


def parsed_name(ctx: DocContext, parsed: Parsed, start: int, end: int) -> str | None:
    """The name the parse gives the agreement mentioned in [start, end): its kind noun's phrase
    (the first kind noun of the mention), or None when the mention holds no kind noun."""
    kinds = ctx.lex.mapping("agreement_kinds")
    for token in parsed.tokens_between(start, end):
        if token.pos_ not in ("NOUN", "PROPN"):
            continue
        if kinds.get(fold(str(token.lower_))) or kinds.get(fold(str(token.lemma_).lower())):
            spec = relations(ctx.lang).names
            dates = ctx.lex.words("weekdays", optional=True) | frozenset(ctx.lex.mapping("months"))
            lo, hi = _name_range(token, spec, dates)
            # "a contract with the Ministry … for the design and construction of …": who it
            # is signed with is a party, no part of the name.
            rel = relations(ctx.lang)
            parties = {t.i for c in token.rights if _party_complement(c, rel) for t in c.subtree}
            words = "".join(t.text_with_ws for t in token.doc[lo : hi + 1] if t.i not in parties)
            return " ".join(words.split())
    return None


def _party_complement(token: Any, rel: Relations) -> bool:
    """A complement that names a party ("with France", "avec la France")."""
    return str(token.lemma_).lower() in rel.party_prepositions or any(
        c.dep_ == "case" and str(c.lower_) in rel.party_prepositions for c in token.children
    )


def _new_agreement(
    ctx: DocContext, parsed: Parsed, token: Any, spec: NameSpec
) -> tuple[str, int, int] | None:
    """(kind, start, end) of an agreement named by a kind noun the rules left unnamed."""
    kinds = ctx.lex.mapping("agreement_kinds")
    # The lexicon's keys are folded ("memorandum", "traite"): so must the words be.
    kind = kinds.get(fold(str(token.lower_))) or kinds.get(fold(str(token.lemma_).lower()))
    if kind is None or token.pos_ not in ("NOUN", "PROPN"):
        return None
    dates = ctx.lex.words("weekdays", optional=True) | frozenset(ctx.lex.mapping("months"))
    lo, hi = _name_range(token, spec, dates)
    doc = token.doc
    return str(kind), parsed.start_of(doc[lo]), parsed.end_of(doc[hi])


def _matches(lang: str, parsed: Parsed) -> Iterator[tuple[Compiled, list[Any]]]:
    dm, meaning = matcher(lang)
    for _, doc in parsed.lines():
        seen = set()
        # Of two patterns reading one fact between the same words, the one that dates a
        # joining ("became a member") is kept.
        found = [
            (token_ids, not meaning[doc.vocab.strings[match_id]].pattern.since, match_id)
            for match_id, token_ids in dm(doc)
        ]
        for token_ids, _, match_id in sorted(found):
            compiled = meaning[doc.vocab.strings[match_id]]
            ends = (token_ids[compiled.source_node], token_ids[compiled.target_node])
            mark = (compiled.pattern.fact, token_ids[0], ends)
            if mark in seen:
                continue
            seen.add(mark)
            yield compiled, [doc[i] for i in token_ids]


def _sign_new(
    ctx: DocContext,
    parsed: Parsed,
    found: Found,
    anchor: Any,
    noun: Any,
    sources: list[tuple[Any, End]],
    dates: dict[int, list[DateMention]],
    agreements: list[Mention],
) -> None:
    """Parties signing an agreement no rule named: a new agreement, its name from the parse."""
    spec = relations(ctx.lang).names
    new = _new_agreement(ctx, parsed, noun, spec)
    if new is None:
        return
    parties = [e.id for _, e in sources if ontology().allows("PARTY_TO", e.kind, "agreement")]
    if polarity.read(anchor, ctx.lang, [t for t, _ in sources] + [noun]).status is not None:
        return  # not signed, or not yet: no party
    definite = any(c.dep_ == "det" and str(c.lower_) in spec.definite for c in noun.children)
    earlier = [m for m in agreements if m.end <= new[1]]
    if definite and not earlier:
        return  # "the agreement" with nothing named before: what it refers to is unknown
    if definite:
        # "the agreement" after a named one is that one: its parties, never a new agreement.
        evidence = ctx.evidence(new[1], new[2])
        found.parties += [Party(p, earlier[-1].target, evidence) for p in parties]
        return
    if not parties:
        return  # an unnamed instrument with no party stated says nothing an analyst can use
    kind, start, end = new
    sentence = ctx.sentence_at(start)
    date = bound_date(parsed, anchor, dates.get(sentence.index, []) if sentence else [])
    key = start
    known = found.agreements.get(key)
    if known is None:
        found.agreements[key] = NewAgreement(
            kind,
            " ".join(ctx.text[start:end].split()),
            start,
            end,
            parties,
            date.value if date else None,
            ctx.evidence(start, end),
        )
    else:
        known.parties = list(dict.fromkeys([*known.parties, *parties]))


def find(
    ctx: DocContext,
    parsed: Parsed,
    dates: dict[int, list[DateMention]],
    agreements: list[Mention],
    earlier: list[Tie] = (),
) -> Found:
    """Every fact the patterns of the document's language read in it; ``earlier``, the ties
    other readers found, for a list that goes on with one of theirs."""
    found = Found([], [], [], {})
    if parsed.docs == [] or not load_lexicon(ctx.lang).has("relations"):
        return found
    onto = ontology()
    rel = relations(ctx.lang)
    # What an argument names depends only on its word: one answer for every pattern asking.
    resolved: dict[tuple[int, int], list[tuple[Any, End]]] = {}

    def resolved_at(token: Any) -> list[tuple[Any, End]]:
        key = (id(token.doc), token.i)
        if key not in resolved:
            resolved[key] = resolve(ctx, parsed, token, agreements, ctx.lang)
        return resolved[key]

    for compiled, tokens in _matches(ctx.lang, parsed):
        p = compiled.pattern
        anchor = tokens[0]
        if any(
            str(c.lemma_).lower() in p.anchor.not_with or c.dep_ in p.anchor.not_with_deps
            for c in anchor.children
        ):
            continue
        source_token = tokens[compiled.source_node]
        sources = resolved_at(source_token)
        target_token = tokens[compiled.target_node]
        targets = resolved_at(target_token)
        if p.antecedent is not None:
            # "Participants in the summit included …": a complement says what they take part
            # in; only a bare list looks back to the story's exercise, however far.
            anywhere = p.antecedent_anywhere and not any(
                c.dep_ in rel.group_qualifier_deps for c in target_token.children
            )
            targets = _antecedent_end(ctx, parsed, anchor, p.antecedent, anywhere)
        if p.continues:
            targets = _continued(ctx, parsed, anchor, [*earlier, *found.ties], p.fact)
        if p.fact == "PARTY_TO":
            # Only an agreement can be signed: "un contrat avec la France" is the contract,
            # not France.
            targets = [(t, e) for t, e in targets if e.kind == "agreement"]
        if p.fact == "PARTY_TO" and not targets:
            _sign_new(ctx, parsed, found, anchor, target_token, sources, dates, agreements)
            continue
        # One role for both ends ("a joint venture between A and B"): each pair once, in
        # the order the text names them.
        paired = compiled.paired
        for s_tok, s in sources:
            for t_tok, t in targets:
                if s.id == t.id or not onto.allows(p.fact, s.kind, t.kind):
                    continue
                if paired and s_tok.i >= t_tok.i:
                    continue
                if p.source_kinds and s.kind not in p.source_kinds:
                    continue
                if p.target_kinds and t.kind not in p.target_kinds:
                    continue
                if p.fact == "MEMBER_OF" and _not_a_member_as_listed(
                    s_tok, parsed.token_at(s.start), source_token, rel
                ):
                    continue
                # A membership a noun phrase states ("Quad countries — India, …") holds
                # whatever the clause then says of the countries.
                # So does a presupposed one ("Le pays hôte, l'Inde, n'a pas encore publié …":
                # India hosts, whatever it has not done yet), its anchor a noun or a modifier.
                nominal = (p.fact == "MEMBER_OF" or p.presupposed) and (
                    (anchor.pos_ in ("NOUN", "PROPN") or (p.presupposed and anchor.pos_ == "ADJ"))
                    and not _predicate_noun(anchor, ctx.lang)
                )
                reading = polarity.read(anchor, ctx.lang, [s_tok, t_tok], climb=not nominal)
                top = polarity.lowest_common_ancestor([s_tok, t_tok])
                if not nominal and top is not None and top in anchor.ancestors:
                    # The ends meet above the anchor ("India did not sign a deal with France
                    # to buy jets"): what the sentence says there holds the fact too.
                    reading = polarity.weakest(reading, polarity.read(top, ctx.lang))
                reading = polarity.weakest(reading, *_clauses_on_the_way(tokens, ctx.lang))
                if p.fact == "SUPPLIES" and (
                    _gives_a_service(anchor, ctx.lang) or _wins_an_order(anchor, ctx.lang)
                ):
                    continue
                if reading.status == polarity.NEGATED:
                    continue
                a_start = parsed.start_of(anchor)
                sentence = ctx.sentence_at(a_start)
                # The evidence is the sentence that states the fact: an end found in an earlier
                # sentence ("the exercise" named before) is not quoted in its place.
                near = [
                    e
                    for e in (s, t)
                    if sentence is None or sentence.start <= e.start < sentence.end
                ]
                lo = min([a_start, *(e.start for e in near)])
                hi = max([parsed.end_of(anchor), *(e.end for e in near)])
                evidence = ctx.evidence(lo, hi)
                in_sentence = dates.get(sentence.index, []) if sentence else []
                words = fact_words(anchor, [s_tok, t_tok], ctx.lang)
                if p.since and top is not None and top in anchor.ancestors:
                    # "Finland became NATO's member in April 2023": the joining's verb, where
                    # both ends meet, dates it.
                    words.append(top)
                date = next(
                    (d for d in in_sentence if any(bound_date(parsed, w, [d]) for w in words)),
                    None,
                )
                value = date.value if date else None
                if p.fact == "MEMBER_OF":
                    found.memberships.append(
                        Membership(
                            s.id,
                            t.id,
                            # A joining's date, or one a "since" sets ("membre de l'OTAN
                            # depuis 1952").
                            since=value if p.since or (date and date.role == "since") else None,
                            until=value if p.left else None,
                            # A stated departure is a membership that ended ("left"), unless
                            # the text only plans or reports it.
                            status=reading.status or (LEFT if p.left else None),
                            evidence=(evidence,),
                        )
                    )
                elif p.fact == "PARTY_TO":
                    if reading.status is None:
                        found.parties.append(Party(s.id, t.id, evidence, value))
                else:
                    found.ties.append(
                        Tie(
                            p.fact,
                            s.id,
                            t.id,
                            date=value,
                            properties=((READING, PRESENCE),) if p.presence else (),
                            evidence=(evidence,),
                            status=reading.status,
                        )
                    )
    return found


def _clauses_on_the_way(tokens: list[Any], lang: str) -> list[polarity.Reading]:
    """How the clauses that a match passes through hold their own verb: "nations that are not
    taking part in the exercise include Mali" names no participant."""
    rel = relations(lang)
    return [
        polarity.read(t, lang, climb=False)
        for t in tokens[1:]
        if t.dep_ in rel.noun_clause_deps and t.pos_ in ("VERB", "AUX")
    ]


def inside_place_name(token: Any, lang: str) -> bool:
    """The token completes a noun of geography ("mer du Japon", "Sea of Japan"): it names
    that place, not its state."""
    rel = relations(lang)
    head = token.head
    if rel.place_object_deps and token.dep_ in rel.place_object_deps:
        head = head.head  # "Sea" <- "of" <- "Japan"
    return head.i != token.i and str(head.lemma_).lower() in rel.place_nouns


def named_as_place(token: Any, lang: str) -> bool:
    """The token is the object of a place preposition: its own ``case`` dependent (UD) or the
    preposition that heads it (ClearNLP)."""
    rel = relations(lang)
    words = rel.place_words
    if any(c.dep_ == "case" and str(c.lower_) in words for c in token.children):
        return True
    up = token.head
    if up.i != token.i and token.dep_ in (*rel.place_owner_deps, *rel.place_apposition_deps):
        return named_as_place(up, lang)
    # "the city of Balykchi": the settlement noun's complement, through its preposition when
    # that heads the phrase (ClearNLP).
    if token.dep_ in rel.place_object_deps and up.head.i != up.i:
        up = up.head
    if up.i != token.i and str(up.lemma_).lower() in rel.settlement_nouns:
        return named_as_place(up, lang)
    return token.dep_ in rel.place_object_deps and str(token.head.lower_) in words


def purpose_description(parsed: Parsed, start: int, end: int, lang: str) -> bool:
    """The agreement phrase at [start, end) describes what an agreement is for through an
    infinitive ("un traité visant à renforcer la relation", "a deal to purchase tanks")."""
    rel = relations(lang)
    forms = set(rel.infinitive_forms)
    return any(
        t.pos_ in ("VERB", "AUX") and forms & set(t.morph.get(rel.finite_feature))
        for t in parsed.tokens_between(start, end)
    )


def definite_descriptor(parsed: Parsed, start: int, end: int, lang: str) -> bool:
    """The agreement phrase at [start, end) is a definite descriptor: its head noun has a
    definite determiner and no complement that would name it ("the widely anticipated deal",
    "the Rafale deal"; not "the Treaty on Open Skies", nor "a new deal")."""
    tokens = parsed.tokens_between(start, end)
    if not tokens:
        return False
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    if not heads:
        return False
    head = heads[0]
    names = relations(lang).names
    determiners = [c for c in head.children if c.dep_ == "det"]
    if not any(str(d.lower_) in names.definite for d in determiners):
        return False
    if head.is_title:
        return False  # "the Abraham Accords", "the Defence and Security Cooperation Treaty"
    if any(c.like_num for c in head.lefts):
        return False  # "the second K2 contract" is another one
    # Anything to the right but an adjective restricts the noun ("le traité d'Aix-la-Chapelle",
    # "l'accord signé en août 1992").
    return not any(c.dep_ in names.right_deps and c.pos_ != "ADJ" for c in head.rights)


def _predicate_noun(token: Any, lang: str) -> bool:
    """The noun is its clause's predicate ("X is a NATO member")."""
    rel = relations(lang)
    if token.dep_ in rel.subject_deps:
        return False
    return (
        token.dep_ in rel.predicate_deps
        or any(c.dep_ in rel.copula_deps for c in token.children)
        or str(token.head.lemma_).lower() in rel.predicate_heads
    )


def argument_of_another_clause(
    token: Any, event: Any, lang: str, *, adverbial: bool = False
) -> bool:
    """``token`` is an argument of a verb whose clause does not hold ``event`` and has a
    subject of its own ("l'OTSC rassemble la Russie …" inside a sentence about an exercise).
    With ``adverbial``, also of an adverbial clause with none ("Before visiting Indonesia, the
    frigate took part in Kakadu": Indonesia is where it went, not who took part)."""
    verb = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or event.i in {t.i for t in verb.subtree}:
        return False
    rel = relations(lang)
    if adverbial and _introduced_adverbial(verb, rel):
        return True
    own = {t.i for t in token.subtree}
    return any(c.dep_ in rel.subject_deps and c.i not in own for c in verb.children)


def _introduced_adverbial(verb: Any, rel: Relations) -> bool:
    """An adverbial clause a preposition or a subordinator opens ("Before visiting …", "Avant
    de visiter …"); not a bare participle, whose subject may be the event itself ("…, marquant
    une coopération entre l'Inde, les États-Unis, le Japon")."""
    return verb.dep_ in rel.adverbial_clause_deps and (
        verb.head.pos_ == "ADP" or any(c.dep_ in rel.subordinator_deps for c in verb.children)
    )


def complement_of_a_describing_word(
    token: Any, event: Any, lang: str, people: frozenset[str], exercise_words: Any
) -> bool:
    """``token`` completes a participle or adjective that describes a noun other than the
    exercise and its people ("l'exercice se tient non loin de la Crimée rattachée à la
    Russie": Russia completes "rattachée", which describes Crimea). "Les troupes envoyées par
    la Russie participent" keeps Russia: the word describes troops."""
    word = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX", "ADJ")), None)
    if word is None or word.dep_ not in relations(lang).describing_deps:
        return False
    if event.i in {t.i for t in word.subtree}:
        return False
    described = word.head
    if described.i == event.i or exercise_words.fullmatch(fold(str(described.lower_))):
        return False  # "le plus grand exercice … organisé par X": the exercise's own organiser
    return fold(str(described.lower_)) not in people


def inside_noun_clause(token: Any, event: Any, lang: str) -> bool:
    """``token`` hangs on a verb of a clause that describes a noun of ``event``'s clause
    ("Four helicopters, donated by the United States, arrived in Costa Rica": the United
    States donated, the helicopters arrived). Not the other way round: "Macron, who arrived in
    Paris, said" keeps Macron as who arrived."""
    verb = next((t for t in token.ancestors if t.pos_ in ("VERB", "AUX")), None)
    main = next((t for t in event.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or main is None or verb is main:
        return False
    clauses = relations(lang).noun_clause_deps
    return verb.dep_ in clauses and main in verb.ancestors


def clause_breaks(parsed: Parsed, lang: str) -> frozenset[int]:
    """Start offsets of the finite verbs of the document."""
    rel = relations(lang)
    forms = set(rel.finite_forms)
    return frozenset(
        parsed.start_of(t)
        for doc in parsed.docs
        for t in doc
        if t.pos_ in ("VERB", "AUX") and forms & set(t.morph.get(rel.finite_feature))
    )


@cache
def _verb_anchors(lang: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for p in relations(lang).patterns:
        if "VERB" in p.anchor.pos:
            out.setdefault(p.fact, set()).update(p.anchor.lemma)
    return {fact: frozenset(lemmas) for fact, lemmas in out.items()}


def cue_verbs(tokens: list[Any], fact: str, lang: str) -> list[Any]:
    """The verbs among ``tokens`` that the patterns take as stating ``fact``."""
    lemmas = _verb_anchors(lang).get(fact, frozenset())
    return [t for t in tokens if t.pos_ == "VERB" and str(t.lemma_).lower() in lemmas]


@dataclass(frozen=True)
class _Words:
    """A parsed line's words as ``Doc.to_array`` columns (string ids): reading them is far
    cheaper than making a spaCy Token for each word of the document, four times over."""

    starts: list[int]  # document offsets
    pos: list[int]
    dep: list[int]
    heads: list[int]
    child_deps: list[set[int]]


def _lines_as_words(parsed: Parsed) -> list[_Words]:
    from numpy import int64
    from spacy.attrs import DEP, HEAD, IDX, POS

    known = parsed.derived.get(_Words.__name__)
    if known is not None:
        return known
    out = []
    for offset, doc in parsed.lines():
        table = doc.to_array([IDX, POS, DEP, HEAD])
        idx, pos, dep = table[:, :3].T.tolist()
        heads = (table[:, 3].astype(int64) + range(len(doc))).tolist()
        child_deps: list[set[int]] = [set() for _ in heads]
        for i, head in enumerate(heads):
            if head != i:
                child_deps[head].add(dep[i])
        out.append(_Words([offset + i for i in idx], pos, dep, heads, child_deps))
    parsed.derived[_Words.__name__] = out
    return out


def _ids(parsed: Parsed, *names: str) -> frozenset[int]:
    """The string ids of labels or tags, as ``Doc.to_array`` gives them."""
    strings = parsed.docs[0].vocab.strings
    return frozenset(strings[n] for n in names)


def _starts_of(parsed: Parsed, keep: Callable[[_Words, int], bool]) -> frozenset[int]:
    """Start offsets of the parsed words that ``keep`` accepts (the line's words, an index)."""
    return frozenset(
        words.starts[i]
        for words in _lines_as_words(parsed)
        for i in range(len(words.starts))
        if keep(words, i)
    )


def verb_starts(parsed: Parsed) -> frozenset[int]:
    """Start offsets of the words the parse reads as verbs (not auxiliaries)."""
    if not parsed.docs:
        return frozenset()
    verb = _ids(parsed, "VERB")
    return _starts_of(parsed, lambda w, i: w.pos[i] in verb)


def adverb_starts(parsed: Parsed) -> frozenset[int]:
    """Start offsets of the words the parse reads as adverbs ("Parallèlement", "Additionally")."""
    if not parsed.docs:
        return frozenset()
    adverb = _ids(parsed, "ADV")
    return _starts_of(parsed, lambda w, i: w.pos[i] in adverb)


def modifier_starts(parsed: Parsed, lang: str) -> frozenset[int]:
    """Start offsets of proper names that modify a common or proper noun after them ("the US
    Secretary of State", "NATO allies")."""
    if not parsed.docs:
        return frozenset()
    rel = relations(lang)
    name, nouns = _ids(parsed, "PROPN"), _ids(parsed, "NOUN", "PROPN")
    modifiers = _ids(parsed, *rel.noun_modifier_deps)
    return _starts_of(
        parsed,
        lambda w, i: (
            w.pos[i] in name
            and w.dep[i] in modifiers
            and w.heads[i] > i
            and w.pos[w.heads[i]] in nouns
        ),
    )


def noun_clause_starts(parsed: Parsed, lang: str) -> frozenset[int]:
    """Start offsets of the words inside a clause that describes a noun ("The summit, chaired
    by Saudi King Salman, approved …", "France, which chairs the EU, signed …"): who is named
    there is not the clause's own subject."""
    clauses = set(relations(lang).noun_clause_deps)
    return frozenset(
        parsed.start_of(t)
        for doc in parsed.docs
        for clause in doc
        if clause.dep_ in clauses
        for t in clause.subtree
    )


def denied_at(parsed: Parsed, lang: str, pos: int) -> bool:
    """Whether the verb at character ``pos`` is one the sentence denies ("did not sign",
    "refused to sign"). Asked of a few cue words only: reading every verb cost 20 % of the
    rules' time."""
    token = parsed.token_at(pos)
    return (
        token is not None
        and token.pos_ == "VERB"
        and polarity.read(token, lang).status == polarity.NEGATED
    )


def noun_between(parsed: Parsed, start: int, end: int) -> bool:
    """Whether the parse reads a common noun in [start, end)."""
    return any(t.pos_ == "NOUN" for t in parsed.tokens_between(start, end))


def described_by_participle(parsed: Parsed, lang: str, pos: int) -> int | None:
    """When the verb at character ``pos`` describes a noun with neither a subject nor an agent
    of its own ("a contract signed in 2016", "l'accord signé en 2016"), that noun's offset."""
    rel = relations(lang)
    t = parsed.token_at(pos)
    if (
        t is None
        or t.pos_ != "VERB"
        or t.dep_ not in rel.describing_deps
        or any(c.dep_ in rel.subject_deps + rel.agent_deps for c in t.children)
    ):
        return None
    return parsed.start_of(t.head)


def qualified_group_starts(parsed: Parsed, lang: str) -> frozenset[int]:
    """Start offsets of nouns a modifier qualifies and no number counts ("les Pays baltes",
    "les pays africains"): such a group phrase does not stand for the states named before."""
    if not parsed.docs:
        return frozenset()
    rel = relations(lang)
    nouns = _ids(parsed, "NOUN", "PROPN")
    qualifiers, counts = (
        _ids(parsed, *rel.group_qualifier_deps),
        _ids(parsed, *rel.group_count_deps),
    )

    def qualified(w: _Words, i: int) -> bool:
        if w.pos[i] not in nouns:
            return False
        deps = w.child_deps[i]
        return bool(deps & qualifiers) and not deps & counts

    return _starts_of(parsed, qualified)


def noun_starts(parsed: Parsed, lang: str) -> frozenset[int]:
    """Start offsets of the words the parse reads as common nouns inside a noun phrase: a
    modifier of another noun ("two arms deals") or a noun with its own determiner or number.
    A noun alone is not enough: the parser tags some verbs as nouns ("forme", "visite")."""
    if not parsed.docs:
        return frozenset()
    rel = relations(lang)
    noun = _ids(parsed, "NOUN")
    modifiers, determiners = (
        _ids(parsed, *rel.noun_modifier_deps),
        _ids(parsed, *rel.determiner_deps),
    )
    return _starts_of(
        parsed,
        lambda w, i: (
            w.pos[i] in noun
            and (w.dep[i] in modifiers or not determiners.isdisjoint(w.child_deps[i]))
        ),
    )


def _name_word(token: Any) -> bool:
    """A capitalised word that can be part of a person's name (not the sentence's first)."""
    return (
        token.text[:1].isupper()
        and token.pos_ in ("PROPN", "NOUN")
        and not token.is_sent_start
        and any(c.isalpha() for c in token.text)
    )


def _joined_by_name_dep(a: Any, b: Any, deps: tuple[str, ...]) -> bool:
    """Whether the parse joins two neighbouring words as parts of one name: one hangs on the
    other, or both hang on the same word, through a name label."""
    return (
        (a.head.i == b.i and a.dep_ in deps)
        or (b.head.i == a.i and b.dep_ in deps)
        or (a.head.i == b.head.i and a.dep_ in deps and b.dep_ in deps)
    )


def _person_end(doc: Any, start: int, end: int, rel: Relations, is_title: Any) -> int:
    """End token of a person the NER found in ``[start, end)``, run on through the words that
    the parse joins to it as parts of one name, one space apart: the NER's next person ("Samia
    Suluhu" + "Hassan"), or, after a name of two words or more, a capitalised word of no other
    entity and no title ("Atanasio Salvador" + "M'tumuke", "Mme Kandia" + "CAMARA"). Not
    before a name the NER gave as one word ("Putin Administration"), nor leftwards ("Foreign
    Minister" + "X"): both were wrong more often than right on the real sets."""
    deps = rel.person_name_deps
    while end < len(doc):
        word, last = doc[end], doc[end - 1]
        another = word.ent_iob_ == "B" and word.ent_type_ in PERSON_LABELS
        if not (
            last.whitespace_ == " "
            and _name_word(word)
            and (another or (word.ent_iob_ == "O" and end - start >= 2))
            and not is_title(word.text)
            and _joined_by_name_dep(last, word, deps)
        ):
            break
        end += 1
        while another and end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    return end


def person_extents(
    parsed: Parsed, lang: str, ner: list[tuple[int, int, str]], is_title: Callable[[str], bool]
) -> list[tuple[int, int, str]]:
    """The NER's (start, end, label) with each person run on to the words of the name the
    parse joins to it; a person swallowed by another's extent is gone."""
    rel = relations(lang)
    if not rel.person_name_deps:
        return ner
    grown: dict[tuple[int, int], tuple[int, int]] = {}
    for offset, doc in parsed.lines():
        for ent in doc.ents:
            if ent.label_ not in PERSON_LABELS:
                continue
            end = _person_end(doc, ent.start, ent.end, rel, is_title)
            if end != ent.end:
                span = doc[ent.start : end]
                key = (offset + ent.start_char, offset + ent.end_char)
                grown[key] = (offset + span.start_char, offset + span.end_char)
    if not grown:
        return ner
    out: list[tuple[int, int, str]] = []
    covered: list[tuple[int, int]] = sorted(grown.values())
    for start, end, label in ner:
        if (start, end) in grown:
            out.append((*grown[(start, end)], label))
        elif not any(s <= start and end <= e for s, e in covered):
            out.append((start, end, label))
    return out


def own_clause_start(parsed: Parsed, lang: str, pos: int) -> int | None:
    """Start of the clause of the verb at character ``pos``, when the verb is not the
    sentence's main one and has a subject of its own: the subjects of the clause it is joined
    to are not its subjects."""
    token = parsed.token_at(pos)
    if token is None or token.pos_ not in ("VERB", "AUX") or token.head.i == token.i:
        return None
    # Joined to another clause's verb; not hung on a name by a parse that lost the subject
    # ("Amman – Le Maroc et la Jordanie ont signé": "signé" a conjunct of "Maroc").
    if token.head.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ in relations(lang).subject_deps for c in token.children):
        return None
    return parsed.start_of(token.left_edge)


def modified_phrase(parsed: Parsed, lang: str, pos: int) -> tuple[int, int] | None:
    """The span of the noun phrase the word at character ``pos`` hangs on, when that word is a
    verb form or a preposition hanging on a noun or a name: "including" in "new partners,
    including Turkey and Russia" lists partners, not the members of "the French army" named
    earlier in the sentence."""
    token = parsed.token_at(pos)
    if (
        token is None
        or token.pos_ not in ("VERB", "ADP")
        or token.head.i == token.i
        or token.head.pos_ not in ("NOUN", "PROPN")
    ):
        return None  # "ses membres sont …": a cue that is its own noun
    head = token.head
    while head.dep_ in relations(lang).apposition_deps and head.head.i != head.i:
        head = head.head
    return parsed.start_of(head.left_edge), parsed.end_of(head.right_edge)


def owner_of(parsed: Parsed, lang: str, pos: int) -> int | None:
    """The offset of the possessor of the noun at character ``pos`` ("India's decision")."""
    token = parsed.token_at(pos)
    if token is None:
        return None
    deps = relations(lang).possessor_deps
    owner = next((c for c in token.children if c.dep_ in deps), None)
    return parsed.start_of(owner) if owner is not None else None
