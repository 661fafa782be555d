"""Grown corpora: real articles with their states substituted, so the graph grows with the corpus.

    python bench/corpus.py --documents 5000 --out DIR [--seed 12] [--start K]

Writes documents ``K .. N-1`` (default: all N) of one seeded, deterministic stream into DIR, as
``NNNNN_<source stem>.txt``. Document ``i`` depends only on the seed and ``i``, so the first 500
documents of ``--documents 5000`` are, byte for byte, ``--documents 500``: nested prefixes of one
stream (500 ⊂ 5,000 ⊂ 20,000), and ``--start 5000 --documents 5001`` writes the one document that
grows the 5,000-document corpus by one.

Document ``i`` is one of the real articles kept in the repository (``data/corpus`` and
``tests/fixtures/real/dev``; never the blind set), drawn with a per-document random generator,
with every state the gazetteer finds in it replaced by another one drawn, without repeats inside
the document, from a cast of every sovereign state whose name in the article's language the
gazetteer reads back as that state:

- a state's name becomes the new state's name in the document's language ("Russie" ->
  "Kenya" in French, "Russia" -> "Kenya" in English);
- a demonym becomes the new state's demonym when it has one in that language, inflected like the
  one it replaces (English singular/plural; French gender and number when the replaced form
  shows them, masculine otherwise: "russe" cannot tell); otherwise the new state's name;
- a capital, a seat of government ("Kremlin") or an acronym ("US") becomes the new state's
  name (capitals are not given per language in the data);
- a compound prefix ("sino-") becomes the new state's prefix when it has one, and stays as it is
  otherwise (the document then keeps that state there).

French articles and prepositions in front of a name are not adjusted ("au Mali" can become
"au Algérie"): the gazetteer reads the name all the same. Organisations, people, companies and
dates are kept, so facts about them repeat while the state pairs vary.
"""

from __future__ import annotations

import argparse
import functools
import gettext
import importlib.resources
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pycountry  # noqa: E402

from loaders.documents import detect_language  # noqa: E402
from loaders.gazetteer import (  # noqa: E402
    STATES_FILE,
    StatesFile,
    english_forms,
    french_forms,
    load_gazetteer,
    validate_file,
)

SOURCES = (ROOT / "data" / "corpus", ROOT / "tests" / "fixtures" / "real" / "dev")
DEFAULT_SEED = 12


@dataclass(frozen=True)
class Cast:
    """One state of the cast: its forms in one language."""

    id: str
    name: str
    grammar: str  # how the name takes its article, see grammar()
    adjective: tuple[str, ...]  # inflected forms, as french_forms/english_forms give them
    prefix: str | None


@dataclass(frozen=True)
class Source:
    """One real article, with the state mentions the gazetteer finds in it."""

    stem: str
    text: str
    lang: str
    states: tuple[str, ...]  # distinct state ids, in order of first mention
    mentions: tuple[tuple[int, int, str, str, str], ...]  # start, end, surface, id, form


def source_files() -> list[Path]:
    """The real articles the stream draws from, in a fixed order."""
    return sorted((p for d in SOURCES for p in d.iterdir() if p.suffix == ".txt"), key=str)


def _reads_as(name: str, ident: str, form: str) -> bool:
    """The gazetteer reads ``name``, whole and unambiguously, as this state in this form."""
    found = load_gazetteer().find(name)
    return (
        len(found) == 1
        and found[0].start == 0
        and found[0].end == len(name)
        and found[0].entry_id == ident
        and found[0].form == form
    )


# French names that take no article ("Israël a signé", "à Cuba"), and masculine ones in -e.
_FR_BARE = frozenset(
    "bahreïn cuba chypre djibouti haïti israël madagascar malte maurice monaco oman singapour "
    "saint-marin taïwan sao kiribati nauru tuvalu palau samoa tonga vanuatu sri".split()
)
_FR_MASCULINE_E = frozenset("mexique cambodge mozambique zimbabwe belize suriname".split())
_FR_PLURAL = frozenset("bahamas comores fidji maldives philippines seychelles".split())
_EN_THE = ("united ", "republic", "islands", "kingdom", "netherlands", "philippines", "bahamas")
_EN_THE += ("maldives", "comoros")


def grammar(name: str, lang: str) -> str:
    """How a state's name takes its article, so that a name replaces one of the same kind.

    French: ``bare`` (no article), ``plural`` (les), ``elided`` (l'), ``f`` (la), ``m`` (le);
    English: ``the`` or ``bare``. A rule of thumb on the name, with the exceptions above.

    >>> [grammar(n, "fr") for n in ("Israël", "Philippines", "Inde", "Russie", "Mexique", "Mali")]
    ['bare', 'plural', 'elided', 'f', 'm', 'm']
    >>> [grammar(n, "en") for n in ("United States", "Kenya", "Philippines")]
    ['the', 'bare', 'the']
    """
    low = name.casefold()
    if lang != "fr":
        return "the" if any(w in low for w in _EN_THE) else "bare"
    first = low.split()[0].split("-")[0]
    if first in _FR_BARE or low in _FR_BARE:
        return "bare"
    if first in ("îles", "iles", "émirats", "etats", "états", "pays") or low in _FR_PLURAL:
        return "plural"
    if low[:1] in "aeiouyéèêîâôû":
        return "elided"
    if first in ("république", "fédération", "principauté") or (
        low.endswith("e") and first not in _FR_MASCULINE_E
    ):
        return "f"
    return "m"


@functools.cache
def cast(lang: str) -> tuple[Cast, ...]:
    """Every sovereign state the gazetteer reads back from its name in ``lang``, by id."""
    gaz = load_gazetteer()
    data = importlib.resources.files("loaders") / "data" / STATES_FILE
    with importlib.resources.as_file(data) as path:
        specs: StatesFile = validate_file(path, STATES_FILE)
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    out = []
    for entry in gaz.entries():
        if entry.kind != "state" or not entry.sovereign or entry.historical:
            continue
        spec = specs.states.get(entry.id) or specs.extra_states.get(entry.id)
        country = pycountry.countries.get(alpha_2=entry.id)
        if lang == "fr":
            names = []
            if country is not None:  # the everyday name first; spec.fr also has former ones
                raw = [getattr(country, "common_name", None), country.name]
                names += [french.gettext(n) for n in raw if n]
            names += spec.fr if spec else []
            bases = spec.adj_fr if spec else []
            forms = french_forms
        else:
            names = [entry.name, *(spec.en if spec else [])]
            bases = spec.adj_en if spec else []
            forms = english_forms
        name = next((n for n in names if _reads_as(n, entry.id, "name")), None)
        if name is None:
            continue
        inflected = [tuple(forms(base)) for base in bases]
        adjective = next(
            (fs for fs in inflected if all(_reads_as(f, entry.id, "adjective") for f in fs)), ()
        )
        prefix = next(
            (p for p in (spec.prefixes if spec else []) if p.lower() in entry.prefixes), None
        )
        out.append(Cast(entry.id, name, grammar(name, lang), adjective, prefix))
    return tuple(out)


@functools.cache
def sources() -> tuple[Source, ...]:
    """The real articles, each with its state mentions (read once)."""
    gaz = load_gazetteer()
    out = []
    for path in source_files():
        text = path.read_bytes().decode("utf-8")
        lang = detect_language(text)
        mentions = tuple(
            (m.start, m.end, m.surface, m.entry_id, m.form)
            for m in gaz.find(text)
            if gaz.get(m.entry_id).kind == "state"
        )
        states = tuple(dict.fromkeys(m[3] for m in mentions))
        out.append(Source(path.stem, text, lang, states, mentions))
    return tuple(out)


def _inflect(surface: str, old: tuple[str, ...], new: tuple[str, ...], lang: str) -> str:
    """The form of ``new`` that agrees as ``surface`` does among ``old``'s forms."""
    key = surface.lower()
    index = next((k for k, f in enumerate(old) if f.lower() == key), 0)
    if lang == "en":  # [singular, plural] or [invariable]
        plural = len(old) == 2 and index == 1
        return new[1] if plural and len(new) == 2 else new[0]
    # French: 4 forms m, f, m.pl, f.pl; 2 forms (ends in -e) sg, pl; 3 forms (-s/-x/-z) m, f, f.pl.
    gender, plural = {
        4: [("m", False), ("f", False), ("m", True), ("f", True)],
        3: [("m", None), ("f", False), ("f", True)],
        2: [(None, False), (None, True)],
    }.get(len(old), [(None, None)])[min(index, max(len(old) - 1, 0))]
    female = gender == "f"
    if len(new) == 4:
        return new[(2 if plural else 0) + female]
    if len(new) == 3:
        return new[2] if female and plural else new[1] if female else new[0]
    if len(new) == 2:
        return new[1] if plural else new[0]
    return new[0]


def _like_case(surface: str, replacement: str) -> str:
    if surface[:1].isupper() and not replacement[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _old_adjective(state: str, surface: str, lang: str) -> tuple[str, ...]:
    """The inflection list the surface belongs to, from the gazetteer's data for that state."""
    key = surface.lower()
    for base in load_gazetteer().get(state).adjectives:
        forms = tuple((french_forms if lang == "fr" else english_forms)(base))
        if key in (f.lower() for f in forms):
            return forms
    return (surface,)


def document(i: int, seed: int = DEFAULT_SEED) -> tuple[str, str]:
    """Document ``i`` of the stream: its file name and its text."""
    rng = random.Random(f"ties-corpus:{seed}:{i}")
    src = sources()[rng.randrange(len(sources()))]
    people = cast(src.lang)
    by_id = {c.id: c for c in people}
    # Each state of the article becomes a state whose name takes the same article, drawn
    # without repeats (from the whole cast once that kind is used up).
    mapping: dict[str, Cast] = {}
    taken: set[str] = set()
    for old in (s for s in src.states if s in by_id):
        kind = by_id[old].grammar
        pool = [c for c in people if c.grammar == kind and c.id not in taken]
        pool = pool or [c for c in people if c.id not in taken]
        new = pool[rng.randrange(len(pool))]
        mapping[old] = new
        taken.add(new.id)
    pieces = []
    at = 0
    for start, end, surface, state, form in src.mentions:
        new = mapping.get(state)
        if new is None:
            continue
        if form == "name":
            replacement = new.name
        elif form == "adjective":
            old = _old_adjective(state, surface, src.lang)
            if new.adjective:
                replacement = _like_case(surface, _inflect(surface, old, new.adjective, src.lang))
            else:
                replacement = new.name
        elif form == "prefix":
            if new.prefix is None:
                continue
            replacement = _like_case(surface, new.prefix)
        else:  # capital, seat of government, acronym
            replacement = new.name
        pieces += [src.text[at:start], replacement]
        at = end
    pieces.append(src.text[at:])
    return f"{i:05d}_{src.stem}.txt", "".join(pieces)


def write(out: Path, documents: int, start: int = 0, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write documents ``start .. documents-1`` of the stream into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(start, documents):
        name, text = document(i, seed)
        path = out / name
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, required=True, help="N: stream length")
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--start", type=int, default=0, help="first document written (K)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    paths = write(args.out, args.documents, args.start, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} documents, {size:,} bytes -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
