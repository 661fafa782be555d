"""bench/corpus.py: the grown corpora are one seeded stream, the same bytes every time, nested
prefixes of each other, and every state in them is one the gazetteer reads, named in the
document's language."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from loaders.gazetteer import load_gazetteer
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def corpus():  # bench/ is scripts, not a package: load the module from its file
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_nested_prefixes(corpus, tmp_path: Path) -> None:
    corpus.write(tmp_path / "a", 20)
    corpus.write(tmp_path / "b", 20)
    corpus.write(tmp_path / "first8", 8)
    corpus.write(tmp_path / "rest", 20, start=8)
    a = files(tmp_path / "a")
    assert files(tmp_path / "b") == a
    assert files(tmp_path / "first8") == dict(list(a.items())[:8])
    assert {**files(tmp_path / "first8"), **files(tmp_path / "rest")} == a
    corpus.write(tmp_path / "other", 20, seed=13)
    assert files(tmp_path / "other") != a


def test_the_stream_draws_from_the_repo_articles_in_a_fixed_order(corpus, tmp_path: Path) -> None:
    assert [p.name for p in corpus.write(tmp_path, 12)] == [
        "00000_D04_fr_chine_salomon_securite.txt",
        "00001_C11_en_poland_k2_second_contract.txt",
        "00002_B06_en_saudi_thaad_deal.txt",
        "00003_A08_fr_canada_f35_lockheed.txt",
        "00004_D04_fr_chine_salomon_securite.txt",
        "00005_A05_fr_djibouti_france_revue_tcmd.txt",
        "00006_A05_fr_djibouti_france_revue_tcmd.txt",
        "00007_D02_fr_japon_philippines_raa.txt",
        "00008_D10_en_asean_summit_timor_leste.txt",
        "00009_A05_fr_djibouti_france_revue_tcmd.txt",
        "00010_C01_fr_vilnius_erdogan_suede_otan.txt",
        "00011_B14_en_armenia_india_arms.txt",
    ]
    sources = {p.parent.name for p in corpus.source_files()}
    assert sources == {"corpus", "dev"}  # never the blind set


def test_states_are_substituted_with_names_in_the_documents_language(corpus) -> None:
    # French (A08: "Le Canada compte acheter …", "L'armée canadienne", "constructeur
    # américain", "le conflit en Ukraine"): a name that takes the same article, the demonym
    # inflected as the one it replaces.
    name, text = corpus.document(3)
    assert name == "00003_A08_fr_canada_f35_lockheed.txt"
    assert text.splitlines()[:2] == [
        "Le Népal compte acheter 88 avions de combat F-35 à Lockheed Martin (ministre)",
        "L'armée népalaise compte acheter 88 avions de combat F-35 du constructeur fidjien "
        "Lockheed Martin, un contrat de plusieurs milliards de dollars pour remplacer sa flotte "
        "vieillissante, a annoncé lundi la ministre des Armées, Anita Anand.",
    ]
    assert text.splitlines()[2].endswith("le conflit en Andorre.")
    # English (C11: "Poland on Friday signed …", "Seoul's defense ministry"): a capital
    # becomes the new state's name.
    _, text = corpus.document(1)
    assert text.startswith(
        "South Sudan on Friday signed a deal worth about $6.5 billion to purchase the second "
        "batch of K2 tanks from Hyundai Rotem, Guinea-Bissau's defense ministry said"
    )


def test_every_state_named_is_a_cast_name_in_the_documents_language(corpus) -> None:
    gaz = load_gazetteer()
    stems = {s.stem: s for s in corpus.sources()}
    for i in range(20):
        name, text = corpus.document(i)
        src = stems[name[6:-4]]
        cast = {c.name for c in corpus.cast(src.lang)}
        found = {m.surface for m in gaz.find(text) if m.form == "name" and gaz.get(m.entry_id).iso2}
        ids = {c.id for c in corpus.cast(src.lang)}
        kept = {m[2] for m in src.mentions if m[4] == "name" and m[3] not in ids}  # territories
        assert found & cast, name
        assert found <= cast | kept, name


def test_grammar_of_state_names(corpus) -> None:
    names = ("Cuba", "États-Unis", "Italie", "Chine", "Japon")
    assert [corpus.grammar(n, "fr") for n in names] == ["bare", "plural", "elided", "f", "m"]
