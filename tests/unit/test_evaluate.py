"""Scoring against hand-made gold with known answers (rules: tests/fixtures/FORMAT.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.evaluate import (
    Gold,
    Report,
    Score,
    agreement_name_score,
    dates_agree,
    evaluate,
    load_gold,
    normalize_name,
    parse_gold,
    types_compatible,
)
from loaders.model import (
    Actor,
    Agreement,
    Document,
    DocumentFacts,
    Event,
    Membership,
    Mention,
    Tie,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EVAL = FIXTURES / "eval"


def facts(
    source: str,
    actors: list[Actor] | None = None,
    events: list[Event] | None = None,
    agreements: list[Agreement] | None = None,
    memberships: list[Membership] | None = None,
    ties: list[Tie] | None = None,
    mentions: list[Mention] | None = None,
) -> DocumentFacts:
    doc = Document(id=source, title="", lang="fr", source=source, sha256="0" * 64)
    return DocumentFacts(
        doc,
        actors=actors or [],
        events=events or [],
        agreements=agreements or [],
        memberships=memberships or [],
        ties=ties or [],
        mentions=mentions or [],
    )


def one_doc(body: str, scored: str = "") -> Gold:
    """A one-document gold file named doc.txt; ``body`` is YAML indented by two spaces."""
    head = "documents:\n- file: doc.txt\n  language: fr\n"
    if scored:
        head += f"  scored: [{scored}]\n"
    return parse_gold(head + body, "inline.yaml")


KZ_RU = """\
  actors:
  - {name: Kazakhstan, type: state, mentions: [Kazakhstan]}
  - {name: Russia, type: state, mentions: [Russie, Moscou]}
  - {name: China, type: state, mentions: [Chine]}
"""
KZ = Actor("kz", "Kazakhstan", "state")
RU = Actor("ru", "Russie", "state")
CN = Actor("cn", "Chine", "state")


def score(report: Report, kind: str) -> Score:
    return report.overall[kind]


def assert_prf(s: Score, p: float, r: float, f1: float) -> None:
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1))


# ------------------------------------------------------------------------------ names, types


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Fédération de Russie", "federation de russie"),
        ("l’Alliance", "Alliance"),
        ("L'Organisation du Traité", "organisation du traite"),
        ("the United Nations", "UNITED NATIONS"),
        ("Kamaz-Engineering", "Kamaz Engineering"),
        ("« Birlestik-2024 »", "birlestik 2024"),
        ("les Cœurs", "coeurs"),
        ("Tokaïev", "Tokaiev"),
    ],
)
def test_normalize_name_equal(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_other_words() -> None:
    assert normalize_name("Union des États") == "union des etats"
    assert normalize_name("Laos") == "laos"
    assert normalize_name("la") == ""


def test_types_compatible() -> None:
    assert types_compatible("organization", "body")
    assert types_compatible("body", "organization")
    assert types_compatible("place", "facility")
    assert types_compatible("state", "state")
    assert not types_compatible("state", "organization")
    assert not types_compatible("place", "state")
    assert not types_compatible("programme", "exercise")


# ------------------------------------------------------------------------------ gold parsing


def test_load_gold_fixture() -> None:
    gold = load_gold(EVAL / "small_gold.yaml")
    assert [d.file for d in gold.documents] == ["doc_a.txt", "doc_b.txt", "doc_c.txt"]
    doc_a, doc_b, _ = gold.documents
    assert doc_a.scored == ("actors", "agreements", "memberships", "ties")
    assert doc_b.scored == ("actors", "ties")  # canonical order
    # YAML 1.1 would give False and datetime.date here.
    assert doc_a.actors[-1].iso2 == "NO"
    assert doc_a.agreements[1].date == "2013-12-24"
    assert doc_a.ties[2].date == "2006"
    assert doc_a.actors[4].optional and doc_a.actors[4].is_optional
    # facility: always optional even without the flag
    assert not doc_a.actors[5].optional and doc_a.actors[5].is_optional
    assert gold.warnings == ()


def test_load_seeds_gold() -> None:
    gold = load_gold(FIXTURES / "seeds_gold.yaml")
    assert len(gold.documents) == 5
    assert sum(len(d.ties) for d in gold.documents) > 0


@pytest.mark.parametrize(
    ("path", "fragments"),
    [
        ("bad_actor_type.yaml", ["bad_actor_type.yaml", "actors[1] (Rosoboronexport)", "firm"]),
        ("missing_tie_target.yaml", ["missing_tie_target.yaml", "ties[1]", "'target'"]),
    ],
)
def test_load_gold_errors_name_file_and_entry(path: str, fragments: list[str]) -> None:
    with pytest.raises(ValueError) as err:
        load_gold(EVAL / path)
    for fragment in fragments:
        assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("  actors:\n  - {name: X, type: state, optional: yes}\n", "optional"),
        ("  actors:\n  - {type: state}\n", "'name'"),
        ("  actors: {name: X}\n", "'actors' must be a list"),
        ("  agreements:\n  - {name: A, type: accord, parties: [X]}\n", "accord"),
        ("  agreements:\n  - {name: A, type: treaty}\n", "parties"),
        ("  agreements:\n  - {name: A, type: treaty, parties: [X], date: 1992-13}\n", "date"),
        ("  ties:\n  - {type: FRIENDS, source: A, target: B}\n", "FRIENDS"),
        ("  memberships:\n  - {member: A}\n", "organization"),
        ("  scored: [actors, relations]\n", "relations"),
    ],
)
def test_parse_gold_errors(body: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=r"inline\.yaml") as err:
        one_doc(body)
    assert fragment in str(err.value)


def test_parse_gold_document_level_errors() -> None:
    with pytest.raises(ValueError, match="appears twice"):
        parse_gold("documents:\n- {file: a.txt, language: fr}\n- {file: a.txt, language: fr}\n")
    with pytest.raises(ValueError, match="language"):
        parse_gold("documents:\n- {file: a.txt, language: de}\n")
    with pytest.raises(ValueError, match="'documents' must be a list"):
        parse_gold("documents: 3\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        parse_gold("documents: [\n")


def test_unknown_keys_warn() -> None:
    gold = one_doc("  actors:\n  - {name: X, type: state, optinal: true}\n")
    assert len(gold.warnings) == 1 and "optinal" in gold.warnings[0]


# ------------------------------------------------------------------------------ actors


def test_actor_mentions_aliases_types_and_one_to_one() -> None:
    gold = one_doc(
        KZ_RU
        + """\
  - {name: Collective Security Treaty Organization, type: organization, mentions: [OTSC]}
  - {name: Ministry of Defence, type: body, mentions: [ministère de la Défense], optional: true}
  - {name: Baikonur Cosmodrome, type: facility, mentions: [cosmodrome de Baïkonour]}
  - {name: Tashkent, type: place, mentions: [Tachkent]}
  - {name: Steppe Eagle, type: exercise, mentions: [Steppe Eagle]}
""",
        scored="actors",
    )
    system = facts(
        "doc.txt",
        actors=[
            Actor("kz", "Republic of Kazakhstan", "state", aliases=("Kazakhstan",)),
            Actor("ru", "Russian Federation", "state"),
            Actor("ru2", "Russie", "state"),  # a second Russia: one-to-one makes it a FP
            Actor("csto", "Collective Security Treaty Org", "body", acronyms=("OTSC",)),
            Actor("mod", "Ministère de la Défense", "body"),  # optional gold: neither
            Actor("cos", "Cosmodrome de Baïkonour", "place"),  # place ~ facility, optional
            Actor("cn", "Chine", "organization"),  # wrong type: FP, and China is a FN
            Actor("x", "Atlantis", "state"),
        ],
        events=[
            Event("e1", "Steppe Eagle 2024", "exercise"),
            Event("v1", "visite d'État", "visit"),  # not an actor
        ],
        mentions=[
            Mention("doc.txt", "ru", 0, 6, "Moscou"),
            Mention("doc.txt", "e1", 9, 21, "Steppe Eagle"),
        ],
    )
    report = evaluate(gold, [system])
    result = report.documents[0].kinds["actors"]
    # TP: Kazakhstan, Russia (ru; ru2 is left over), CSTO, Steppe Eagle; FN: China.
    assert result.score == Score(tp=4, fp=3, fn=1)
    assert result.false_negatives == ["China (state)"]
    assert sorted(result.false_positives)[0] == "Atlantis (state)"
    assert "Chine (organization)" in result.false_positives
    assert_prf(result.score, 4 / 7, 4 / 5, 2 * (4 / 7) * (4 / 5) / (4 / 7 + 4 / 5))


def test_actor_matching_prefers_required_gold() -> None:
    # One system actor fits an optional and a required gold actor: the required one wins.
    gold = one_doc(
        """\
  actors:
  - {name: Ministry of Defence of Russia, type: body, mentions: [Ministères], optional: true}
  - {name: Ministry of Defence of Kazakhstan, type: body, mentions: [Ministères]}
""",
        scored="actors",
    )
    report = evaluate(gold, [facts("doc.txt", actors=[Actor("m", "Ministères", "body")])])
    assert score(report, "actors") == Score(tp=1, fp=0, fn=0)


def test_optional_actor_missed_is_not_fn() -> None:
    gold = one_doc(
        "  actors:\n  - {name: Norway, type: state, mentions: [Norvège], optional: true}\n"
        "  - {name: S-300, type: equipment, mentions: [S-300]}\n",
        scored="actors",
    )
    report = evaluate(gold, [facts("doc.txt")])
    assert score(report, "actors") == Score(0, 0, 0)


# ------------------------------------------------------------------------------ agreements


def agreement_report(gold_agreement: str, *system: Agreement) -> Score:
    gold = one_doc(KZ_RU + "  agreements:\n" + gold_agreement, scored="agreements")
    return evaluate(gold, [facts("doc.txt", actors=[KZ, RU, CN], agreements=list(system))]).overall[
        "agreements"
    ]


TREATY = """\
  - name: Traité de Coopération Militaire
    name_en: Treaty on Military Cooperation
    type: treaty
    parties: [Kazakhstan, Russia]
    date: 1994-03
"""


def test_agreement_rule_a_parties() -> None:
    shares_one = Agreement("a", "traité de coopération militaire", "treaty", parties=("ru", "cn"))
    assert agreement_report(TREATY, shares_one) == Score(1, 0, 0)
    shares_none = Agreement("a", "traité de coopération militaire", "treaty", parties=("cn",))
    assert agreement_report(TREATY, shares_none) == Score(0, 1, 1)
    no_parties = Agreement("a", "traité de coopération militaire", "treaty")
    assert agreement_report(TREATY, no_parties) == Score(0, 1, 1)


@pytest.mark.parametrize(
    ("signed", "in_force", "matches"),
    [
        ("1994", None, True),  # month given on one side only
        ("1994-03-15", None, True),
        (None, "1994-03", True),  # in_force when there is no signing date
        (None, None, True),
        ("1994-04", None, False),
        ("1995", None, False),
        ("1994-03/2004-03", None, True),  # a period counts by its start
    ],
)
def test_agreement_rule_b_dates(signed: str | None, in_force: str | None, matches: bool) -> None:
    system = Agreement(
        "a", "Treaty on Military Cooperation", "treaty", parties=("kz",), signed=signed,
        in_force=in_force,
    )  # fmt: skip
    expected = Score(1, 0, 0) if matches else Score(0, 1, 1)
    assert agreement_report(TREATY, system) == expected


def test_dates_agree_periods_and_months() -> None:
    assert dates_agree("2020/2030", "2020-05")
    assert not dates_agree("2020/2030", "2030")
    assert dates_agree("2024-11-27/2024-11-28", "2024-11")
    assert not dates_agree("2024-11-27/2024-11-28", "2024-12-01")


def test_agreement_rule_c_ratio() -> None:
    # Same name in another case and with other stop words: ratio 100.
    assert (
        agreement_name_score(
            "Traité de Coopération Militaire", "le traité sur la coopération militaire"
        )
        == 100.0
    )
    # Different treaty: ratio 43.
    assert (
        agreement_name_score(
            "Traité de Coopération Militaire",
            "Traité de Bon Voisinage et d'Alliance au XXIe siècle",
        )
        is None
    )
    # The English gold name counts too.
    system = Agreement("a", "Treaty on Military Cooperation (1994)", "treaty", parties=("kz",))
    assert agreement_report(TREATY, system) == Score(1, 0, 0)


def test_agreement_rule_c_content_words() -> None:
    gold = "Accord sur la coopération militaro-technique"
    # Ratio 55.6 < 60, but all three content words of the gold name are in the system name.
    long_name = (
        "accord kazakho-russe de coopération militaro-technique signé à Astana en décembre 2013 "
        "par les ministres de la défense"
    )
    assert agreement_name_score(gold, long_name) == pytest.approx(55.64, abs=0.01)
    # Same, but "technique" is missing: ratio 50 and no word inclusion.
    assert agreement_name_score(gold, long_name.replace("militaro-technique", "militaire")) is None
    # A single content word ("conjoint") is not enough for the inclusion rule.
    assert (
        agreement_name_score(
            "un mémorandum conjoint", "mémorandum conjoint sur la défense aérienne régionale"
        )
        is None
    )


@pytest.mark.parametrize("bare", ["l'accord", "L’Accord", "le traité", "the agreement", "accords"])
def test_bare_kind_word_matches_nothing(bare: str) -> None:
    assert agreement_name_score(bare, "Accord") is None
    assert agreement_name_score(bare, bare) is None
    assert agreement_name_score("accord de coopération militaire", bare) is None
    gold = "  - {name: l'accord, type: agreement, parties: [Kazakhstan]}\n"
    system = Agreement("a", bare, "agreement", parties=("kz",))
    assert agreement_report(gold, system) == Score(0, 1, 1)


def test_agreements_best_pairs_first_one_to_one() -> None:
    gold = """\
  - {name: Traité de Coopération Militaire, type: treaty, parties: [Kazakhstan, Russia]}
  - name: Traité de Coopération Militaire et Technique
    type: treaty
    parties: [Kazakhstan]
    date: 2013
"""
    # "a" fits both gold treaties (ratio 100 and 84), "b" only the first (its date rules out
    # the second). Taking pairs in gold order would give "a" to the first treaty and leave
    # the second unmatched; best pairs first matches both.
    a = Agreement("a", "traité de coopération militaire et technique", "treaty", parties=("kz",))
    b = Agreement("b", "traité de coopération militaire", "treaty", parties=("kz",), signed="1994")
    assert agreement_report(gold, a, b) == Score(2, 0, 0)
    # A duplicate of the same treaty is a false positive.
    assert agreement_report(gold, a, b, b) == Score(2, 1, 0)


def test_optional_agreement() -> None:
    gold = (
        "  - {name: un mémorandum conjoint, type: memorandum, parties: [Kazakhstan],"
        " optional: true}\n"
    )
    found = Agreement("m", "Mémorandum conjoint", "memorandum", parties=("kz",))
    assert agreement_report(gold, found) == Score(0, 0, 0)
    assert agreement_report(gold) == Score(0, 0, 0)


# ------------------------------------------------------------------------------ memberships, ties


def test_memberships_through_actor_matching_and_fallback() -> None:
    gold = one_doc(
        KZ_RU
        + """\
  - {name: Collective Security Treaty Organization, type: organization, mentions: [OTSC]}
  memberships:
  - {member: Kazakhstan, organization: Collective Security Treaty Organization}
  - {member: Russia, organization: Collective Security Treaty Organization}
  - {member: China, organization: Shanghai Cooperation Organisation}
""",
        scored="memberships",
    )
    system = facts(
        "doc.txt",
        actors=[
            KZ,
            Actor("ru", "Russia", "state"),
            Actor("ru2", "Russie", "organization"),  # matches no gold actor: name fallback
            Actor("csto", "OTSC", "body"),
            Actor("sco", "Shanghai Cooperation Organisation", "organization"),  # not in gold
        ],
        memberships=[
            Membership("kz", "csto"),
            Membership("ru2", "csto"),
            Membership("ru", "csto"),  # the same fact again: counted once
            Membership("kz", "sco"),
        ],
    )
    result = evaluate(gold, [system]).documents[0].kinds["memberships"]
    assert result.score == Score(2, 1, 1)
    assert result.false_positives == ["Kazakhstan -> Shanghai Cooperation Organisation"]
    assert result.false_negatives == ["China -> Shanghai Cooperation Organisation"]


def tie_score(gold_ties: str, *system: Tie, events: list[Event] | None = None) -> Score:
    gold = one_doc(
        KZ_RU + "  - {name: Steppe Eagle, type: exercise}\n  ties:\n" + gold_ties, scored="ties"
    )
    system_facts = facts("doc.txt", actors=[KZ, RU, CN], events=events, ties=list(system))
    return evaluate(gold, [system_facts]).overall["ties"]


def test_allied_with_is_symmetric_other_ties_are_not() -> None:
    gold = "  - {type: ALLIED_WITH, source: Kazakhstan, target: Russia}\n"
    assert tie_score(gold, Tie("ALLIED_WITH", "ru", "kz")) == Score(1, 0, 0)
    assert tie_score(gold, Tie("ALLIED_WITH", "kz", "ru"), Tie("ALLIED_WITH", "ru", "kz")) == Score(
        1, 0, 0
    )
    gold = "  - {type: SUPPLIES, source: Russia, target: Kazakhstan}\n"
    assert tie_score(gold, Tie("SUPPLIES", "ru", "kz")) == Score(1, 0, 0)
    assert tie_score(gold, Tie("SUPPLIES", "kz", "ru")) == Score(0, 1, 1)
    assert tie_score(gold, Tie("TRAINS", "ru", "kz")) == Score(0, 1, 1)


def test_ties_to_exercises_unscored_types_and_optional() -> None:
    gold = """\
  - {type: HOSTED, source: Kazakhstan, target: Steppe Eagle}
  - {type: PARTICIPATED_IN, source: China, target: Steppe Eagle, optional: true}
  - {type: PARTICIPATED_IN, source: Russia, target: Steppe Eagle, optional: true}
"""
    events = [Event("ex", "Steppe Eagle", "exercise")]
    result = tie_score(
        gold,
        Tie("HOSTED", "kz", "ex"),
        Tie("PARTICIPATED_IN", "cn", "ex"),  # optional, found: not a FP
        Tie("COOPERATES_WITH", "kz", "ru"),  # not a scored type: ignored
        Tie("PARTICIPATED_IN", "kz", "ex"),  # not in gold
        events=events,
    )
    assert result == Score(1, 1, 0)


# ------------------------------------------------------------------------------ whole report


def fixture_system() -> list[DocumentFacts]:
    """System output for small_gold.yaml; expected counts are in test_fixture_report."""
    doc_a = facts(
        "corpus/doc_a.txt",
        actors=[
            KZ,
            Actor("ru", "Russian Federation", "state"),
            Actor("ru2", "Fédération de Russie", "state"),  # duplicate Russia: FP
            Actor("csto", "OTSC", "body"),
            Actor("mod", "Ministère de la Défense", "body"),  # optional gold
            Actor("astana", "Astana", "place"),  # type clash with Kazakhstan: FP
            Actor("baik", "Cosmodrome de Baïkonour", "facility"),  # always optional
        ],
        events=[Event("ev1", "Steppe Eagle", "exercise"), Event("v1", "visite", "visit")],
        mentions=[Mention("doc_a", "ru", 0, 6, "Moscou")],
        agreements=[
            Agreement(
                "t1",
                "Traité d'amitié, de coopération et d'assistance mutuelle",
                "treaty",
                parties=("kz", "ru2"),
                signed="1992-05-25",
            ),
            Agreement("t2", "l'accord", "agreement", parties=("kz", "ru"), signed="2013"),
            Agreement(
                "t3",
                "accord kazakho-russe de coopération militaro-technique signé à Astana en "
                "décembre 2013 par les ministres de la défense",
                "agreement",
                parties=("kz",),
                signed="2013-12",
            ),
            Agreement("t4", "Mémorandum conjoint", "memorandum", parties=("kz",)),
        ],
        memberships=[
            Membership("kz", "csto"),
            Membership("ru2", "csto"),
            Membership("astana", "csto"),  # resolves to Kazakhstan by name: same fact
            Membership("kz", "nato"),  # unknown id: FP
        ],
        ties=[
            Tie("ALLIED_WITH", "ru", "kz"),
            Tie("ALLIED_WITH", "kz", "ru"),
            Tie("SUPPLIES", "kz", "ru"),
            Tie("HOSTED", "kz", "ev1"),
            Tie("COOPERATES_WITH", "kz", "ru"),
            Tie("LEASES", "ru", "baik"),
        ],
    )
    doc_b = facts(
        "corpus/sub/doc_b.txt",
        actors=[
            Actor("fr", "France", "state"),
            Actor("em", "Emmanuel Macron", "person"),
            Actor("kz", "Kazakhstan", "state"),
        ],
        agreements=[Agreement("x", "Unrelated Treaty", "treaty", parties=("fr",))],
        ties=[Tie("VISITED", "em", "kz")],
    )
    extra = facts("corpus/doc_z.txt", actors=[Actor("q", "Qatar", "state")])
    return [doc_a, doc_b, extra]


def test_fixture_report() -> None:
    report = evaluate(load_gold(EVAL / "small_gold.yaml"), fixture_system())
    assert [d.file for d in report.documents] == ["doc_a.txt", "doc_b.txt", "doc_c.txt"]
    doc_a, doc_b, doc_c = report.documents
    assert doc_a.kinds["actors"].score == Score(4, 2, 1)
    assert doc_a.kinds["agreements"].score == Score(2, 1, 0)
    assert doc_a.kinds["agreements"].false_positives == [
        "l'accord [2013] (Kazakhstan, Russian Federation)"
    ]
    assert doc_a.kinds["memberships"].score == Score(2, 1, 0)
    assert doc_a.kinds["ties"].score == Score(2, 1, 1)
    assert doc_a.kinds["ties"].false_negatives == ["SUPPLIES Russia -> Kazakhstan"]
    assert list(doc_b.kinds) == ["actors", "ties"]
    assert doc_b.kinds["actors"].score == Score(3, 0, 0)
    assert doc_b.kinds["ties"].score == Score(1, 0, 0)
    assert not doc_c.in_system_output
    assert doc_c.kinds["actors"].score == Score(0, 0, 1)
    assert doc_c.kinds["actors"].false_negatives == ["Turkey (state)"]
    assert doc_c.kinds["ties"].score == Score(0, 0, 0)

    overall = report.overall
    assert overall["actors"] == Score(7, 2, 2)
    assert overall["agreements"] == Score(2, 1, 0)
    assert overall["memberships"] == Score(2, 1, 0)
    assert overall["ties"] == Score(3, 1, 1)
    assert_prf(overall["actors"], 7 / 9, 7 / 9, 7 / 9)
    assert_prf(overall["agreements"], 2 / 3, 1.0, 0.8)
    assert_prf(overall["ties"], 0.75, 0.75, 0.75)


def test_scored_subset_excludes_kinds() -> None:
    gold = one_doc(
        KZ_RU + "  ties:\n  - {type: ALLIED_WITH, source: Kazakhstan, target: Russia}\n", "actors"
    )
    report = evaluate(gold, [facts("doc.txt", actors=[KZ], ties=[Tie("SUPPLIES", "kz", "ru")])])
    assert list(report.documents[0].kinds) == ["actors"]
    assert report.overall["ties"] == Score(0, 0, 0)
    assert report.overall["actors"] == Score(1, 0, 2)
    assert "ties         not scored" in report.to_table()


def test_empty_denominators() -> None:
    assert (Score().precision, Score().recall, Score().f1) == (1.0, 1.0, 1.0)
    assert_prf(Score(fn=3), 1.0, 0.0, 0.0)
    assert_prf(Score(fp=3), 0.0, 1.0, 0.0)


def test_json_and_table_are_stable() -> None:
    gold = load_gold(EVAL / "small_gold.yaml")
    first = evaluate(gold, fixture_system())
    second = evaluate(gold, list(reversed(fixture_system())))
    text = json.dumps(first.to_dict(), ensure_ascii=False)
    assert text == json.dumps(second.to_dict(), ensure_ascii=False)
    assert first.to_json() == second.to_json()
    assert first.to_table(details=True) == second.to_table(details=True)
    data = json.loads(text)
    assert list(data) == ["overall", "documents"]
    assert list(data["overall"]) == ["actors", "agreements", "memberships", "ties"]
    assert list(data["overall"]["actors"]) == ["precision", "recall", "f1", "tp", "fp", "fn"]
    assert data["overall"]["actors"]["precision"] == 0.7778
    doc_a = data["documents"][0]
    assert list(doc_a) == ["file", "in_system_output", "scored", "kinds"]
    assert list(doc_a["kinds"]["ties"]) == [
        "precision", "recall", "f1", "tp", "fp", "fn", "false_positives", "false_negatives",
    ]  # fmt: skip
    table = first.to_table()
    assert table.splitlines()[1].split() == ["kind", "P", "R", "F1", "TP", "FP", "FN"]
    assert "actors        0.778  0.778  0.778     7     2     2" in table
    assert "doc_c.txt  [no system output]" in table
