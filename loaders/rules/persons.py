"""People: one actor per person per document, short forms linked, roles read from titles."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from loaders.rules.context import DocContext, Ref
from loaders.rules.entities import P_PERSON, Candidate
from loaders.rules.lexicon import Lexicon
from loaders.rules.text import fold, slugify


def name_key(word: str) -> str:
    """A spelling-tolerant key for a surname: "Tokaïev" and "Tokayev" share it.

    >>> name_key("Tokaïev") == name_key("Tokayev")
    True
    """
    key = fold(word).replace("y", "i").replace("'", "")
    return re.sub(r"(.)\1+", r"\1", key)


def link_people(candidates: list[Candidate]) -> list[Candidate]:
    """Give every person candidate the id of its full name; drop unlinked bare surnames.

    A single word is linked to the one full name whose last word has the same key, or else the
    one it begins; a bare word that the NER called a person without a title before it is kept
    only when linked.
    """
    people = [c for c in candidates if c.kind == "person"]
    # Full names by the key of their last word, in the order first met: only names with the
    # same last word can be the same person, so a document naming many people compares each
    # name with its namesakes only, not with every name before it.
    by_surname: dict[str, dict[str, Candidate]] = {}
    for cand in sorted(people, key=lambda c: c.start):
        words = cand.name.split()
        if len(words) < 2:
            continue
        key = " ".join(name_key(w) for w in words)
        namesakes = by_surname.setdefault(key.split()[-1], {})
        if not any(_same_person(key, known) for known in namesakes):
            namesakes[key] = cand
    by_last = {last: list(names.values()) for last, names in by_surname.items()}
    # Some people are named by their first word alone ("M. Prabowo" for Prabowo Subianto):
    # a bare word that ends no full name links to the one full name it begins.
    by_first: dict[str, list[Candidate]] = {}
    for names in by_surname.values():
        for known in names.values():
            by_first.setdefault(name_key(known.name.split()[0]), []).append(known)
    out: list[Candidate] = []
    for cand in candidates:
        if cand.kind != "person":
            out.append(cand)
            continue
        words = cand.name.split()
        canonical: Candidate | None
        if len(words) >= 2:
            key = " ".join(name_key(w) for w in words)
            namesakes = by_surname.get(key.split()[-1], {})
            canonical = next((c for k, c in namesakes.items() if _same_person(key, k)), cand)
        else:
            matches = by_last.get(name_key(words[0])) or by_first.get(name_key(words[0]), [])
            canonical = matches[0] if len(matches) == 1 else None
            if canonical is None and cand.priority > P_PERSON:
                continue
        name = canonical.name if canonical else cand.name
        out.append(replace(cand, id=slugify(name), name=name, priority=P_PERSON))
    return out


def _same_person(a: str, b: str) -> bool:
    """Same surname key, and first names that agree where both are given; or a surname of
    two words or more that ends the other name ("Le Drian" in "Jean-Yves Le Drian")."""
    wa, wb = a.split(), b.split()
    if wa[-1] != wb[-1]:
        return False
    if wa[0] == wb[0] or wa[0][:1] == wb[0][:1]:
        return True
    short, long = sorted((wa, wb), key=len)
    return 2 <= len(short) < len(long) and long[-len(short) :] == short


# ---------------------------------------------------------------------------- roles


def role_of(ctx: DocContext, ref: Ref) -> tuple[str | None, str | None]:
    """(role, state id) from the title before a person's name, or after it in apposition."""
    found = _role_before(ctx, ref)
    if found[0] is None and found[1] is None:
        found = _role_after(ctx, ref)
    return found


# The title patterns below are built from a language's whole list of titles: built once per
# lexicon (a lexicon never changes once loaded), not at every name.


@cache
def _roles(lex: Lexicon) -> dict[str, str]:
    return {fold(k): str(v) for k, v in lex.mapping("roles").items()}


@cache
def _titles(lex: Lexicon) -> str:
    return "|".join(re.escape(t) for t in sorted(_roles(lex), key=len, reverse=True))


@cache
def _gap_re(lex: Lexicon) -> re.Pattern[str]:
    domains = "|".join(re.escape(d) for d in lex.mapping("ministries"))
    words = "|".join(re.escape(str(w)) for w in lex.get("title_fillers"))
    filler = rf"(?:\s+|,|@|\b(?:{words}|{domains}|{_titles(lex)})\b)"
    return re.compile(rf"(?:{filler})*")


@cache
def _role_re(lex: Lexicon, key: str) -> re.Pattern[str]:
    """``role_before_re`` or ``role_after_re`` with the language's titles in place."""
    return re.compile(str(lex.get(key)).replace("{titles}", _titles(lex)))


@cache
def _domains(lex: Lexicon) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each ministry's domain word as a pattern, longest first, with its English name."""
    return tuple(
        (re.compile(rf"\b{re.escape(domain)}\b"), str(english))
        for domain, (_, english) in sorted(
            lex.mapping("ministries").items(), key=lambda kv: -len(kv[0])
        )
    )


def _gap_allowed(ctx: DocContext, gap: str) -> bool:
    """Whether the words between a title and a name are only its complements."""
    return _gap_re(ctx.lex).fullmatch(gap) is not None


def _masked(ctx: DocContext, start: int, end: int) -> tuple[str, list[Ref]]:
    """Folded text of [start, end) with every actor ref replaced by "@" signs."""
    chars = list(fold(ctx.text[start:end]))
    refs = [r for r in ctx.refs_between(start, end) if r.kind == "state"]
    for r in refs:
        for i in range(r.start - start, r.end - start):
            chars[i] = "@"
    return "".join(chars), refs


def _role_before(ctx: DocContext, ref: Ref) -> tuple[str | None, str | None]:
    sentence = ctx.sentence_at(ref.start)
    lo = max(sentence.start if sentence else 0, ref.start - 120)
    window, states = _masked(ctx, lo, ref.start)
    roles = _roles(ctx.lex)
    labels = ctx.lex.mapping("role_labels")
    for m in _role_re(ctx.lex, "role_before_re").finditer(window):
        gap = window[m.end() :]
        if not _gap_allowed(ctx, gap):
            continue
        title = m.group("t")
        role = roles[title]
        deputy = str(labels["deputy"])
        if m.group().startswith(tuple(ctx.lex.get("deputy_prefixes"))) and not role.startswith(
            deputy
        ):
            role = f"{deputy} {role}"
        domain = _ministry_domain(ctx, gap)
        if domain and labels["minister"] in role:
            role = f"{role} of {domain}"
        state = _first_state(states, lo + m.end()) or _state_just_before(ctx, lo + m.start())
        return (None if role == labels["counterpart"] else role), state
    return None, None


def _role_after(ctx: DocContext, ref: Ref) -> tuple[str | None, str | None]:
    sentence = ctx.sentence_at(ref.start)
    hi = min(sentence.end if sentence else len(ctx.text), ref.end + 80)
    window, states = _masked(ctx, ref.end, hi)
    roles = _roles(ctx.lex)
    m = _role_re(ctx.lex, "role_after_re").match(window)
    if m is None:
        return None, None
    # "… son homologue Tokayev, le président russe Vladimir Poutine": a title followed by
    # another person's name is that person's, not an apposition to the name before it.
    title_end = ref.end + m.end() + 2
    if any(
        r.kind == "person" and r.target != ref.target
        for r in ctx.refs_between(ref.end + m.start("t"), title_end + 40)
        if r.start <= title_end
    ):
        return None, None
    role = roles[m.group("t")]
    state = _first_state(states, ref.end + m.start("rest")) if m.group("rest") else None
    return (None if role == ctx.lex.mapping("role_labels")["counterpart"] else role), state


def _ministry_domain(ctx: DocContext, gap: str) -> str | None:
    for domain, english in _domains(ctx.lex):
        if domain.search(gap):
            for prefix in ctx.lex.get("ministry_name_prefixes"):
                english = str(english).replace(str(prefix), "")
            return str(english).lower()
    return None


def _state_just_before(ctx: DocContext, pos: int) -> str | None:
    """ "Russian President X", "India's Prime Minister X": the state before the title."""
    refs = [r for r in ctx.refs_between(max(0, pos - 40), pos) if r.kind == "state"]
    if refs and re.fullmatch(r"(?:'s|’s)?\s*", ctx.text[refs[-1].end : pos]):
        return refs[-1].target
    return None


def _first_state(states: list[Ref], after: int) -> str | None:
    for r in states:
        if r.start >= after:
            return r.target
    return None
