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

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from loaders.model import Evidence, Membership, Mention, Tie
from loaders.ontology import ontology
from loaders.parse import Parsed, pipeline
from loaders.rules import polarity
from loaders.rules.context import DocContext, Ref, resolve_group
from loaders.rules.dates import DateMention
from loaders.rules.lexicon import load_lexicon

ANCHOR = "anchor"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    """One dependency step from the previous node (the anchor first) to the next."""

    dep: tuple[str, ...] = ()
    lemma: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    # ">": this step's token depends on the previous one; "<": it is the previous one's head
    # ("X, a member of NATO": from "member" up to "X").
    op: str = ">"
    # Words of a `case` dependent of this step's token ("à", "de"): UD hangs prepositions there.
    case: tuple[str, ...] = ()


class Anchor(_Strict):
    lemma: tuple[str, ...]
    pos: tuple[str, ...] = ()
    dep: tuple[str, ...] = ()


class Pattern(_Strict):
    id: str
    fact: str
    anchor: Anchor
    source: tuple[str, ...]
    target: tuple[str, ...]
    # The date bound to the anchor is when the membership began ("joined in 2004").
    since: bool = False


class Relations(_Strict):
    roles: dict[str, tuple[Step, ...]]
    patterns: tuple[Pattern, ...]
    # Dependents through which a common-noun argument names its actor ("l'armée malienne",
    # "the company Naval Group").
    name_deps: tuple[str, ...]
    # Common nouns that point back to the last thing of a kind named just before ("the
    # exercise", "l'exercice"): kind -> lemmas.
    anaphors: dict[str, tuple[str, ...]] = {}

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
            if any(step.op not in (">", "<") for step in steps):
                raise ValueError(f"role {name!r}: op must be '>' or '<'")
        return self


def parse_relations(data: Any, where: str) -> Relations:
    try:
        return Relations.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{where}: relations: {' '.join(str(exc).split())}") from None


@cache
def relations(lang: str) -> Relations:
    lex = load_lexicon(lang)
    return parse_relations(lex.get("relations"), f"patterns_{lex.lang}.yaml")


# ---------------------------------------------------------------------------- compiling


def _attrs(dep: tuple[str, ...], lemma: tuple[str, ...], pos: tuple[str, ...]) -> dict[str, Any]:
    attrs: dict[str, Any] = {}
    if dep:
        attrs["DEP"] = {"IN": list(dep)}
    if lemma:
        attrs["LEMMA"] = {"IN": list(lemma)}
    if pos:
        attrs["POS"] = {"IN": list(pos)}
    return attrs


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
                "RIGHT_ATTRS": _attrs(step.dep, step.lemma, step.pos),
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


@cache
def matcher(lang: str) -> tuple[Any, dict[str, Compiled]]:
    """The DependencyMatcher of ``lang`` and what each of its keys means."""
    from spacy.matcher import DependencyMatcher

    nlp = pipeline(lang)
    rel = relations(lang)
    dm = DependencyMatcher(nlp.vocab)
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
                dm.add(key, [nodes])
                meaning[key] = Compiled(p, names.index(ends[0]), names.index(ends[1]))
    return dm, meaning


# ---------------------------------------------------------------------------- resolving


@dataclass(frozen=True)
class End:
    """What an argument stands for: an actor, an exercise or an agreement."""

    id: str
    kind: str
    start: int
    end: int


def _covering(ctx: DocContext, pos: int) -> Ref | None:
    best = None
    for ref in ctx.refs_between(max(0, pos - 200), pos + 200):
        if ref.start <= pos < ref.end and (
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


def _resolve_one(
    ctx: DocContext,
    parsed: Parsed,
    token: Any,
    agreements: list[Mention],
    rel: Relations,
) -> list[End]:
    pos = parsed.start_of(token)
    found = _agreement_at(agreements, pos)
    if found is not None:
        return [found]
    ref = _covering(ctx, pos)
    if ref is not None:
        end = _ref_end(ctx, ref)
        return [end] if end else []
    if token.pos_ not in ("NOUN", "PROPN"):
        return []  # a pronoun or a clause: unknown, never guessed
    subtree = list(token.subtree)
    lo, hi = parsed.start_of(subtree[0]), parsed.end_of(subtree[-1])
    group = resolve_group(ctx, lo, hi, None)
    if group:
        return [End(g, ctx.kind_of(g) or "state", lo, hi) for g in group]
    for kind, lemmas in rel.anaphors.items():
        if str(token.lemma_).lower() in lemmas and (ref := _antecedent(ctx, pos, kind)):
            return [End(ref.target, kind, pos, parsed.end_of(token))]
    out = []
    for child in token.children:
        if child.dep_ in rel.name_deps:
            ref = _covering(ctx, parsed.start_of(child))
            if ref is not None and (end := _ref_end(ctx, ref)) is not None:
                out.append(end)
    return out


def resolve(
    ctx: DocContext, parsed: Parsed, token: Any, agreements: list[Mention], lang: str
) -> list[tuple[Any, End]]:
    """Each thing the argument at ``token`` names, with the token that names it; coordinated
    arguments included."""
    rel = relations(lang)
    out: list[tuple[Any, End]] = []
    for t in [token, *token.conjuncts]:
        out += [(t, e) for e in _resolve_one(ctx, parsed, t, agreements, rel)]
    return out


# ---------------------------------------------------------------------------- facts


@dataclass
class Found:
    ties: list[Tie]
    memberships: list[Membership]
    parties: list[tuple[str, str, Evidence]]  # (actor, agreement, evidence)


def _bound_date(parsed: Parsed, anchor: Any, dates: list[DateMention]) -> DateMention | None:
    """The date that modifies the anchor itself: the first verb (or the anchor) above the
    date's token is the anchor."""
    for d in dates:
        token = parsed.token_at(d.start)
        if token is None or token.doc is not anchor.doc:
            continue
        for above in [token, *token.ancestors]:
            if above.i == anchor.i:
                return d
            if above.pos_ in ("VERB", "AUX") and above.i != token.i:
                break
    return None


def _matches(lang: str, parsed: Parsed) -> Iterator[tuple[Compiled, list[Any]]]:
    dm, meaning = matcher(lang)
    for _, doc in parsed.lines():
        seen = set()
        for match_id, token_ids in sorted(dm(doc), key=lambda m: (m[1], m[0])):
            key = doc.vocab.strings[match_id]
            compiled = meaning[key]
            ends = (token_ids[compiled.source_node], token_ids[compiled.target_node])
            mark = (compiled.pattern.fact, token_ids[0], ends)
            if mark in seen:
                continue
            seen.add(mark)
            yield compiled, [doc[i] for i in token_ids]


def find(
    ctx: DocContext,
    parsed: Parsed,
    dates: dict[int, list[DateMention]],
    agreements: list[Mention],
) -> Found:
    """Every fact the patterns of the document's language read in it."""
    found = Found([], [], [])
    if parsed.docs == [] or not load_lexicon(ctx.lang).has("relations"):
        return found
    onto = ontology()
    for compiled, tokens in _matches(ctx.lang, parsed):
        p = compiled.pattern
        anchor = tokens[0]
        sources = resolve(ctx, parsed, tokens[compiled.source_node], agreements, ctx.lang)
        targets = resolve(ctx, parsed, tokens[compiled.target_node], agreements, ctx.lang)
        for s_tok, s in sources:
            for t_tok, t in targets:
                if s.id == t.id or not onto.allows(p.fact, s.kind, t.kind):
                    continue
                reading = polarity.read(anchor, ctx.lang, [s_tok, t_tok])
                if reading.status == polarity.NEGATED:
                    continue
                a_start = parsed.start_of(anchor)
                lo = min(s.start, t.start, a_start)
                hi = max(s.end, t.end, parsed.end_of(anchor))
                evidence = ctx.evidence(lo, hi)
                sentence = ctx.sentence_at(a_start)
                in_sentence = dates.get(sentence.index, []) if sentence else []
                date = _bound_date(parsed, anchor, in_sentence)
                value = date.value if date else None
                if p.fact == "MEMBER_OF":
                    found.memberships.append(
                        Membership(
                            s.id,
                            t.id,
                            since=value if p.since else None,
                            status=reading.status,
                            evidence=(evidence,),
                        )
                    )
                elif p.fact == "PARTY_TO":
                    if reading.status is None:
                        found.parties.append((s.id, t.id, evidence))
                else:
                    found.ties.append(
                        Tie(
                            p.fact,
                            s.id,
                            t.id,
                            date=value,
                            evidence=(evidence,),
                            status=reading.status,
                        )
                    )
    return found
