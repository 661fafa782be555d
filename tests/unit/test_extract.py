"""Extraction on small sentences with known answers, in French and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import Text, read_corpus
from loaders.extract import extract_document
from loaders.model import Document, DocumentFacts
from loaders.rules.dates import find_dates
from loaders.rules.lexicon import load_lexicon
from loaders.rules.text import split_sentences

ROOT = Path(__file__).resolve().parents[2]


def facts(text: str, lang: str = "fr") -> DocumentFacts:
    doc = Document(id="t", title="t", lang=lang, source="t.txt", sha256="0")
    return extract_document(Text(doc, text))


def ties(f: DocumentFacts) -> set[tuple[str, str, str]]:
    return {(t.type, t.source, t.target) for t in f.ties}


def actor_ids(f: DocumentFacts) -> set[str]:
    return {a.id for a in f.actors}


# ---------------------------------------------------------------------------- text and dates


WRAPPED = (
    "CSTO Exercises Commenced In Kyrgyzstan, With Armenia Opting Out Of Participation\n"
    "In the city of Balykchi, Kyrgyzstan, the Collective Security\n"
    "Treaty Organization (CSTO) member states have commenced the\n"
    "exercises, and the drills involve military personnel from\n"
    "Belarus, Kazakhstan, Kyrgyzstan, Russia, and Tajikistan.\n"
    "The exercises will be held in three phases.\n"
)


def test_hard_wrapped_prose_is_read_as_sentences() -> None:
    """A line break inside a hard-wrapped sentence is a space for the reader (same length:
    offsets unchanged); the headline, longer than the wrap, and the sentence ends stay."""
    from loaders.rules.text import unwrap_lines

    unwrapped = unwrap_lines(WRAPPED)
    assert len(unwrapped) == len(WRAPPED)
    assert unwrapped.split("\n") == [
        "CSTO Exercises Commenced In Kyrgyzstan, With Armenia Opting Out Of Participation",
        "In the city of Balykchi, Kyrgyzstan, the Collective Security Treaty Organization "
        "(CSTO) member states have commenced the exercises, and the drills involve military "
        "personnel from Belarus, Kazakhstan, Kyrgyzstan, Russia, and Tajikistan.",
        "The exercises will be held in three phases.",
        "",
    ]
    one_per_line = "One paragraph per line, as most pages are.\nAnd another one.\n"
    assert unwrap_lines(one_per_line) == one_per_line
    assert [s.text for s in split_sentences(unwrapped)] == unwrapped.split("\n")[:3]
    f = facts(WRAPPED, "en")
    assert f.mentions
    for mention in f.mentions:
        assert " ".join(WRAPPED[mention.start : mention.end].split()) == " ".join(
            mention.surface.split()
        )


def test_sentences_keep_abbreviations_and_split_glued_stops() -> None:
    text = "M. Lavrov est arrivé. Il repart demain.LE TITRE SUIVANT"
    assert [s.text for s in split_sentences(text)] == [
        "M. Lavrov est arrivé.",
        "Il repart demain.",
        "LE TITRE SUIVANT",
    ]


@pytest.mark.parametrize(
    ("lang", "text", "value", "role"),
    [
        ("fr", "signé le 10 mai 2022", "2022-05-10", "plain"),
        ("fr", "le traité de mars 1994", "1994-03", "plain"),
        ("fr", "prolongé en juin 2012", "2012-06", "extended"),
        ("fr", "valable jusqu'en 2050", "2050", "expires"),
        ("fr", "conclu en août 1992", "1992-08", "plain"),
        ("en", "signed on March 3, 2019", "2019-03-03", "plain"),
        ("en", "extended in 2004 until 2050", "2004", "extended"),
    ],
)
def test_dates_and_what_they_date(lang: str, text: str, value: str, role: str) -> None:
    found = find_dates(load_lexicon(lang), text, 0, len(text))
    assert (found[0].value, found[0].role) == (value, role)


# ---------------------------------------------------------------------------- actors


def test_one_actor_per_state_whatever_its_name() -> None:
    f = facts("Moscou et la Fédération de Russie ont répondu. La Russie a signé.")
    russia = [a for a in f.actors if a.kind == "state"]
    assert len(russia) == 1
    assert {"Moscou", "Russie"} <= set(russia[0].aliases)


@pytest.mark.parametrize(
    ("lang", "text", "ids"),
    [
        (
            "fr",
            "Des marins espagnols et portugais ont mené des exercices avec la marine sénégalaise.",
            {"ES", "PT", "SN-navy"},
        ),
        (
            "en",
            "Spanish and Portuguese sailors held drills with the Senegalese navy.",
            {"ES", "PT", "SN-navy"},
        ),
        ("fr", "Un projet chinois inquiète le Vanuatu.", {"VU"}),
        ("en", "Vanuatu is worried by a Chinese project.", {"VU"}),
    ],
)
def test_a_states_people_name_it(lang: str, text: str, ids: set[str]) -> None:
    """People who serve a state name it as an actor ("des marins espagnols"); an adjective
    that describes a thing ("un projet chinois") does not, unless a fact uses the state."""
    assert actor_ids(facts(text, lang)) == ids


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        (
            "en",
            "The Prime Minister represented His Majesty King Mswati III at the summit.",
            {"mswati-iii"},
        ),
        ("en", "Right Hon. Cleopas Sipho Dlamini attended the summit.", {"cleopas-sipho-dlamini"}),
        (
            "en",
            "Mr. Cyril Ramaphosa, Outgoing Chairperson of the Organ, spoke.",
            {"cyril-ramaphosa"},
        ),
        ("fr", "Son Excellence M. Cleopas Dlamini a assisté au sommet.", {"cleopas-dlamini"}),
        ("fr", "Le président sortant Cyril Ramaphosa a présidé le sommet.", {"cyril-ramaphosa"}),
    ],
)
def test_styles_and_offices_are_no_part_of_a_name(lang: str, text: str, people: set[str]) -> None:
    found = {a.id for a in facts(text, lang).actors if a.kind == "person"}
    assert found == people


@pytest.mark.parametrize(
    ("lang", "text", "ids"),
    [
        (
            "fr",
            "Le contrat a été signé par le directeur général adjoint de Rosoboronexport "
            "Sergueï Ladyguine.",
            {"rosoboronexport", "serguei-ladyguine"},
        ),
        (
            "en",
            "The minister represented His Excellency Mr. Filipe Jacinto Nyusi, President of "
            "the Republic of Mozambique.",
            {"MZ", "filipe-jacinto-nyusi"},
        ),
    ],
)
def test_a_name_the_ner_cuts_or_glues(lang: str, text: str, ids: set[str]) -> None:
    """A person the NER starts inside a run of capitals ends a company's name there; a first
    name it cut off the rest of a name joins it."""
    assert actor_ids(facts(text, lang)) == ids


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        (
            "en",
            "He also held talks with his counterpart Mr. Atanasio Salvador M’tumuke.",
            {"Atanasio Salvador M’tumuke"},
        ),
        (
            "en",
            "Tanzanian President Samia Suluhu Hassan said the admission will benefit the bloc.",
            {"Samia Suluhu Hassan"},
        ),
        (
            "fr",
            "La ministre des Affaires étrangères, Mme Kandia CAMARA, a reçu le ministre.",
            {"Kandia Camara"},
        ),
        # A name of one word does not run on into the capitalised noun after it; a rank after
        # a name is no part of it.
        ("en", "Talks with Putin Administration officials were held.", set()),
        (
            "en",
            "The exercise was led by Colonel Karen Pérez and Major John Dudas.",
            {"Karen Pérez", "John Dudas"},
        ),
    ],
)
def test_a_name_the_parse_runs_on(lang: str, text: str, people: set[str]) -> None:
    """The words of a name the NER cut short that the parse joins to it belong to it."""
    assert {a.name for a in facts(text, lang).actors if a.kind == "person"} == people


def test_person_role_gives_represents() -> None:
    f = facts("Le président russe Vladimir Poutine a rencontré la presse. Poutine a souri.")
    people = [a for a in f.actors if a.kind == "person"]
    assert [p.id for p in people] == ["vladimir-poutine"]
    assert people[0].role == "president"
    assert ("REPRESENTS", "vladimir-poutine", "RU") in ties(f)
    # The short form is linked to the full name, not a second person.
    assert sum(1 for m in f.mentions if m.target == "vladimir-poutine") == 2


def test_english_person_role_and_visit() -> None:
    f = facts("Japanese Foreign Minister Yoko Kamikawa visited Manila on Tuesday.", "en")
    assert ("REPRESENTS", "yoko-kamikawa", "JP") in ties(f)
    assert ("VISITED", "yoko-kamikawa", "PH") in ties(f)


def test_company_by_its_cue_and_unknown_organisation_dropped() -> None:
    f = facts(
        "La société nationale Kazakhstan Engineering a signé un contrat. "
        "Selon La Gazette du Soir, rien n'a changé."
    )
    assert "kazakhstan-engineering" in actor_ids(f)
    assert not any("gazette" in a for a in actor_ids(f))


def test_evidence_spans_point_at_their_text() -> None:
    text = "Le Kazakhstan a adhéré à l'OTSC. La Russie a livré des chars au Kazakhstan."
    f = facts(text)
    for mention in f.mentions:
        assert text[mention.start : mention.end] == mention.surface
    for actor in f.actors:
        for ev in actor.evidence:
            assert ev.sentence in " ".join(text.split())
    for tie in f.ties:
        for ev in tie.evidence:
            assert text[ev.start : ev.end].strip()
            assert ev.sentence in " ".join(text.split())


# ---------------------------------------------------------------------------- agreements


def test_agreement_between_two_states_with_date_and_status() -> None:
    f = facts(
        "Le Traité de Coopération Militaire entre le Kazakhstan et la Russie de mars 1994 "
        "a été prolongé en 2004 jusqu'en 2050."
    )
    [agreement] = f.agreements
    assert agreement.kind == "treaty"
    assert agreement.name.startswith("Traité de Coopération Militaire")
    assert set(agreement.parties) == {"KZ", "RU"}
    assert agreement.signed == "1994-03"
    assert agreement.expires == "2050"
    assert agreement.status == "extended"
    assert agreement.scope == "bilateral"
    assert "military" in agreement.domains


def test_bare_reference_is_not_an_agreement() -> None:
    f = facts(
        "La Turquie et le Kazakhstan ont signé un accord sur le transit militaire. "
        "L'accord sera valable pour une durée de cinq ans."
    )
    [agreement] = f.agreements
    assert agreement.duration_years == 5
    assert len(agreement.evidence) == 2


def test_english_agreement_with_premodifiers() -> None:
    f = facts(
        "Japan and the Philippines signed the Reciprocal Access Agreement in July 2024.", "en"
    )
    [agreement] = f.agreements
    assert agreement.name == "Reciprocal Access Agreement"
    assert agreement.signed == "2024-07"
    assert set(agreement.parties) == {"JP", "PH"}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # "declaration" ends in "on": the complement after "with Ukraine" begins only at a
        # whole word ("on", "for"), so the declaration is no part of the agreement's name.
        (
            "The UK signed an agreement with Ukraine in accordance with the declaration "
            "adopted by the G7 member countries.",
            ["agreement with Ukraine"],
        ),
        (
            "India signed an agreement with Armenia on the supply of radars.",
            ["agreement on the supply of radars"],
        ),
    ],
)
def test_an_agreement_complement_begins_at_a_word(text: str, names: list[str]) -> None:
    assert [a.name for a in facts(text, "en").agreements] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Saab also signed off on two industrial offset agreements with Colombia.",
            ["industrial offset agreements"],
        ),
        ("The US and Japan signed the Status of Forces Agreement.", ["Status of Forces Agreement"]),
        ("Russia signed three cooperation agreements with Mali.", ["cooperation agreements"]),
    ],
)
def test_english_premodifiers_stop_at_a_preposition_or_a_number(
    text: str, names: list[str]
) -> None:
    """Words before an English agreement noun name it, but a lower-case preposition outside a
    capitalised name ("signed off on") or a count ("two") is no part of the name."""
    assert [a.name for a in facts(text, "en").agreements] == names


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_a_possessor_is_no_part_of_a_person_or_a_company(apostrophe: str) -> None:
    """ "Azerbaijan's Cabinet of Ministers" is no person; in "… and Kazakhstan's National
    Company KazMunayGas" the state owns the company, it is not in its name (either
    apostrophe)."""
    f = facts(
        f"Azerbaijan{apostrophe}s state oil company SOCAR and Kazakhstan{apostrophe}s National "
        f"Company KazMunayGas signed a memorandum, says Azerbaijan{apostrophe}s Cabinet of "
        "Ministers.",
        "en",
    )
    assert sorted((a.kind, a.name) for a in f.actors if a.kind in ("person", "company")) == [
        ("company", "National Company KazMunayGas"),
        ("company", "State Oil Company of Azerbaijan Republic"),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        (
            "fr",
            "Le mémorandum a été signé par Son Excellence Mohammed bin Mubarak bin Fadel Al "
            "Mazrouei, ministre d’État à la Défense.",
            ["Mohammed bin Mubarak bin Fadel Al Mazrouei"],
        ),
        (
            "fr",
            "Le ministre français de la Défense, Jean-Yves Le Drian, est arrivé mardi en Algérie.",
            ["Jean-Yves Le Drian"],
        ),
        (
            "en",
            "Sheikh Mansour bin Zayed Al Nahyan and Ursula von der Leyen met in Abu Dhabi.",
            ["Mansour bin Zayed Al Nahyan", "Ursula von der Leyen"],
        ),
    ],
)
def test_person_names_run_through_their_particles(lang: str, text: str, people: list[str]) -> None:
    """A title of two words ("Son Excellence") is no part of the name; a capitalised particle
    after where the NER stopped ("… Fadel" | "Al Mazrouei", "Jean-Yves" | "Le Drian") and a
    lower-case one it stopped at ("von" | "der Leyen") carry the name on."""
    f = facts(text, lang)
    assert sorted(a.name for a in f.actors if a.kind == "person") == people


def test_a_rank_after_the_exercise_noun_names_no_exercise() -> None:
    f = facts(
        "Saudi Arabia launched the Arab Gulf Security 3 drill. The event kicked off with an "
        "address from the chief of the exercise Maj. Gen. Shaya bin Salim.",
        "en",
    )
    assert [e.name for e in f.events] == ["Arab Gulf Security 3"]


@pytest.mark.parametrize(
    ("lang", "text", "name", "surfaces"),
    [
        (
            "en",
            "Exercise Kakadu began. China took part in Kakadu.",
            "Kakadu",
            ["Exercise Kakadu", "Kakadu"],
        ),
        ("en", "China took part in the exercise Kakadu.", "Kakadu", ["Kakadu"]),
        (
            "fr",
            "L'Exercice Kakadu a commencé. La Chine participe à Kakadu.",
            "Kakadu",
            ["Exercice Kakadu", "Kakadu"],
        ),
        (
            "en",
            "Operation Flintlock is the annual AFRICOM showpiece Special Operations exercise.",
            "Flintlock",
            ["Operation Flintlock"],
        ),
        (
            "fr",
            "Opération Flintlock est le grand exercice annuel de l'AFRICOM.",
            "Flintlock",
            ["Opération Flintlock"],
        ),
    ],
)
def test_a_title_word_before_an_exercise_name_is_its_title(
    lang: str, text: str, name: str, surfaces: list[str]
) -> None:
    """ "Exercise Kakadu", "Operation Flintlock": the mention is the whole title, the name what
    follows the word; "X is the … Special Operations exercise": X names it, the capitalised
    words before the noun describe it."""
    f = facts(text, lang)
    assert [e.name for e in f.events] == [name]
    assert [m.surface for m in f.mentions if m.target == f.events[0].id] == surfaces


def test_a_kind_of_exercise_names_none() -> None:
    """ "a PASSEX-type exercise" says what kind of exercise, not which."""
    f = facts("Finland staged a PASSEX-type exercise with the Estonian Navy.", "en")
    assert f.events == []


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        (
            "en",
            "KazMunayGas and SOCAR signed an agreement for the transportation of 1.5 million "
            "tons of oil per year from the Tengiz field.",
            "agreement for the transportation of 1.5 million tons of oil per year from the "
            "Tengiz field",
        ),
        (
            "fr",
            "Le Japon et les Philippines ont signé un accord d'accès réciproque des troupes.",
            "accord d'accès réciproque des troupes",
        ),
        ("en", "Russia signed three cooperation agreements with Mali.", "cooperation agreements"),
        # Through a coordination inside the complement, past the party, and through the
        # purpose the parser hangs on the verb.
        (
            "en",
            "Vittoria Shipyard has signed a contract with Croatia for the design and "
            "construction of two coastal patrol vessels.",
            "contract for the design and construction of two coastal patrol vessels",
        ),
        (
            "fr",
            "La France et l'Inde ont signé un accord sur la conception et la construction de "
            "sous-marins.",
            "accord sur la conception et la construction de sous-marins",
        ),
        (
            "en",
            "Embraer has signed a contract with the Netherlands and Austria for the European "
            "countries’ joint procurement of nine C-390 airlifters.",
            "contract for the European countries’ joint procurement of nine C-390 airlifters",
        ),
    ],
)
def test_an_agreement_name_runs_on_as_far_as_its_phrase(lang: str, text: str, name: str) -> None:
    """A name the words cut short ("agreement for the transportation", "accord d'accès") runs on
    through the phrase the parse gives it, never through a party ("… with Mali")."""
    assert [a.name for a in facts(text, lang).agreements] == [name]


def test_states_listed_after_an_organisation_are_no_part_of_its_name() -> None:
    """ "l'Union Africaine, du Soudan du Sud et de l'Ouganda" is a list; "Système … du
    Kazakhstan et de la Russie" (the sample's) stays one name."""
    f = facts(
        "Les délégations de l'Union Africaine, du Soudan du Sud et de l'Ouganda sont arrivées.",
        "fr",
    )
    assert sorted(a.name for a in f.actors) == ["African Union", "South Sudan", "Uganda"]


@pytest.mark.parametrize(
    ("lang", "text", "states"),
    [
        ("en", "Poland signed a deal worth US$10 billion.", ["Poland"]),
        ("en", "Poland signed a deal worth 10 billion US dollars.", ["Poland"]),
        ("fr", "La Pologne a signé un contrat de 10 milliards de dollars US.", ["Poland"]),
        ("en", "The US delivered jets to Poland.", ["Poland", "United States"]),
    ],
)
def test_a_currency_names_no_state(lang: str, text: str, states: list[str]) -> None:
    f = facts(text, lang)
    assert sorted(a.name for a in f.actors if a.kind == "state") == states


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "fr",
            "Lors de cet exercice, les capacités du personnel des Forces navales des pays "
            "impliqués seront renforcées.",
        ),
        (
            "en",
            "During the exercise, the skills of the Naval Forces of the participating countries "
            "will be improved.",
        ),
    ],
)
def test_a_body_of_unnamed_states_is_no_actor(lang: str, text: str) -> None:
    assert facts(text, lang).actors == []


def test_replacement_gives_supersedes() -> None:
    f = facts(
        "Le Kazakhstan et la Russie ont signé le Traité de Coopération Militaire de mars 1994. "
        "Un nouveau traité de coopération militaire et technique remplacerait celui de 1994."
    )
    assert any(t.type == "SUPERSEDES" for t in f.ties)


# ---------------------------------------------------------------------------- memberships, ties


def test_membership_list() -> None:
    f = facts(
        "L'Organisation du traité de sécurité collective (OTSC) regroupe l'Arménie, la "
        "Biélorussie, le Kazakhstan, le Kirghizistan, la Russie et le Tadjikistan."
    )
    members = {m.member for m in f.memberships if m.organization == "csto"}
    assert members == {"AM", "BY", "KZ", "KG", "RU", "TJ"}


def test_joining_and_negation() -> None:
    f = facts(
        "Le Kazakhstan a adhéré au Partenariat pour la paix en 1995. "
        "Le pays n'a pas l'intention de rejoindre les BRICS."
    )
    pairs = {(m.member, m.organization) for m in f.memberships}
    assert ("KZ", "nato-pfp") in pairs
    assert not any(org == "brics" for _, org in pairs)


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "La Russie a fourni au Kazakhstan des missiles.", ("SUPPLIES", "RU", "KZ")),
        ("en", "Turkey supplied dozens of drones to Azerbaijan.", ("SUPPLIES", "TR", "AZ")),
        ("fr", "Le Kazakhstan achète des armes auprès de la Russie.", ("SUPPLIES", "RU", "KZ")),
        ("fr", "La Russie est le principal allié du Kazakhstan.", ("ALLIED_WITH", "KZ", "RU")),
        ("en", "India trains Armenian officers.", ("TRAINS", "IN", "AM")),
    ],
)
def test_tie_direction(lang: str, text: str, expected: tuple[str, str, str]) -> None:
    assert expected in ties(facts(text, lang))


def test_exercise_host_and_participants() -> None:
    f = facts(
        "En juillet 2024, le Kazakhstan a accueilli l'exercice militaire « Birlestik-2024 » "
        "avec les forces armées du Kirghizistan et de l'Ouzbékistan."
    )
    [event] = f.events
    assert (event.name, event.kind) == ("Birlestik-2024", "exercise")
    found = ties(f)
    assert ("HOSTED", "KZ", event.id) in found
    assert {("PARTICIPATED_IN", s, event.id) for s in ("KG", "UZ")} <= found


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "Chile hosted the exercise Southern Star in May.", "Southern Star"),
        ("en", "Troops took part in Cold Lynx 2023, a multinational exercise.", "Cold Lynx 2023"),
        (
            "fr",
            "Le Maroc a accueilli l'exercice de maintien de la paix African Lion.",
            "African Lion",
        ),
    ],
)
def test_unquoted_exercise_names(lang: str, text: str, name: str) -> None:
    assert name in {e.name for e in facts(text, lang).events}


def test_passive_and_coordinated_hosts() -> None:
    f = facts(
        "L'exercice Sable Rouge, organisé par le Maroc et coorganisé par la France, a réuni "
        "des soldats du Sénégal et du Ghana."
    )
    [event] = f.events
    found = ties(f)
    assert {("HOSTED", "MA", event.id), ("HOSTED", "FR", event.id)} <= found
    assert {("PARTICIPATED_IN", s, event.id) for s in ("SN", "GH")} <= found
    f = facts("Peru and Chile co-hosted Pacific Shield, an exercise with forces from Japan.", "en")
    [event] = f.events
    assert {("HOSTED", "PE", event.id), ("HOSTED", "CL", event.id)} <= ties(f)


def test_companies_by_their_role() -> None:
    f = facts("Vietnam ordered four corvettes from Zelenodolsk in 2019.", "en")
    assert ("SUPPLIES", "zelenodolsk", "VN") in ties(f)
    f = facts("Une coentreprise entre Thales et le suédois Saab produira des radars.")
    assert ("JOINT_VENTURE", "thales", "saab") in ties(f)
    f = facts("Ghana is a joint venture partner: Quorn and Mabel formed a joint venture.", "en")
    assert ("JOINT_VENTURE", "quorn", "mabel") in ties(f)


def test_passive_training_and_trips() -> None:
    f = facts("Kenyan pilots were trained by the Royal Air Force in Wales.", "en")
    assert any(t[0] == "TRAINS" and t[2] == "KE" for t in ties(f))
    assert not any(t[0] == "TRAINS" and t[1] == "KE" for t in ties(f))
    f = facts("Les marins ghanéens sont formés à Brest par des instructeurs français.")
    assert ("TRAINS", "FR", "GH") in ties(f)
    f = facts("President Ana Costa made a trip to Madrid. She later travelled to Rome.", "en")
    visited = {t[2] for t in ties(f) if t[0] == "VISITED"}
    assert {"ES", "IT"} <= visited


@pytest.mark.parametrize(
    ("lang", "text", "members", "org"),
    [
        ("en", "Chile, which belongs to the Pacific Alliance, met Peru.", {"CL"}, "pacific"),
        (
            "en",
            "The bloc's four members, Peru, Chile, Colombia and Mexico, met in Lima.",
            {"PE", "CL", "CO", "MX"},
            None,
        ),
        ("fr", "Le Chili fait aussi partie de l'APEC.", {"CL"}, "apec"),
        (
            "fr",
            "Le Portugal, membre de l'OTAN depuis 1949 et de l'UE depuis 1986, vote.",
            {"PT"},
            "eu",
        ),
        ("fr", "L'ASEAN, qui a accueilli le Cambodge en 1999, se réunit.", {"KH"}, "asean"),
    ],
)
def test_membership_phrasings(lang: str, text: str, members: set[str], org: str | None) -> None:
    if org is None:
        text = "The Pacific Alliance met. " + text
    f = facts(text, lang)
    got = {m.member for m in f.memberships if org is None or m.organization.startswith(org)}
    assert members <= got


@pytest.mark.parametrize(
    ("lang", "text", "members", "org"),
    [
        ("en", "NATO members Poland and Romania host troops.", {"PL", "RO"}, "nato"),
        ("en", "Hungary, an EU member state, blocked the decision.", {"HU"}, "eu"),
        (
            "en",
            "The Gulf Cooperation Council met. The six-member bloc groups Saudi Arabia, Qatar "
            "and Oman.",
            {"SA", "QA", "OM"},
            "gcc",
        ),
        ("en", "ASEAN's members include Vietnam, Laos and Cambodia.", {"VN", "LA", "KH"}, "asean"),
        ("en", "Finland joined NATO in 2023 and Sweden joined it in 2024.", {"FI", "SE"}, "nato"),
        (
            "en",
            "Iran is a member of BRICS, which Egypt joined in 2024 alongside Ethiopia.",
            {"IR", "EG", "ET"},
            "brics",
        ),
        ("en", "The SCO has ten members, including India and Pakistan.", {"IN", "PK"}, "sco"),
        ("en", "The Arab League readmitted Syria in May 2023.", {"SY"}, "arab-league"),
        ("fr", "L'OTAN compte 32 membres, dont la Pologne et la Roumanie.", {"PL", "RO"}, "nato"),
        (
            "fr",
            "La Finlande a rejoint l'OTAN en 2023, et la Suède en est devenue le 32e membre.",
            {"FI", "SE"},
            "nato",
        ),
        ("fr", "Le Togo et le Bénin font partie de la CEDEAO.", {"TG", "BJ"}, "ecowas"),
        (
            "fr",
            "La Ligue arabe a été fondée en 1945 par l'Égypte, l'Irak et la Jordanie.",
            {"EG", "IQ", "JO"},
            "arab-league",
        ),
        ("fr", "Le Maroc a réintégré l'Union africaine en 2017.", {"MA"}, "au"),
        (
            "fr",
            "La Norvège appartient à l'AELE avec la Suisse et le Liechtenstein.",
            {"NO", "CH", "LI"},
            "efta",
        ),
    ],
)
def test_membership_phrasings_more(
    lang: str, text: str, members: set[str], org: str | None
) -> None:
    f = facts(text, lang)
    got = {m.member for m in f.memberships if org is None or m.organization == org}
    assert members <= got


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Timor-Leste, which has observer status, is expected to become a member of ASEAN."),
        ("en", "Georgia hopes to join NATO, and Serbia has applied to join the European Union."),
        ("en", "Kazakhstan declined an invitation to join BRICS."),
        ("en", "Ukraine, a candidate for EU membership, is not a NATO member."),
        ("en", "The bloc's members include close partners of Washington and of Beijing."),
        ("fr", "L'UE a ouvert les négociations d'adhésion avec l'Ukraine."),
        ("fr", "La Moldavie, qui n'appartient pas à l'OTAN, a signé un accord."),
        ("fr", "La Russie a averti les membres de l'OTAN."),
        ("fr", "La Géorgie souhaite rejoindre l'OTAN."),
    ],
)
def test_not_members(lang: str, text: str) -> None:
    assert facts(text, lang).memberships == []


def test_ties_new_phrasings() -> None:
    f = facts("Singapore trains its pilots in Australia and the United States.", "en")
    assert ("TRAINS", "AU", "SG") in ties(f)
    assert ("TRAINS", "SG", "AU") not in ties(f)
    f = facts("Le président Emmanuel Macron s'est rendu à Berlin en mai, puis à Rome.")
    visited = {t[2] for t in ties(f) if t[0] == "VISITED"}
    assert {"DE", "IT"} <= visited
    f = facts("Tonga and Fiji took part in the exercise Croix du Sud, hosted by France.", "en")
    assert any(t[0] == "HOSTED" and t[1] == "FR" for t in ties(f))
    assert any(e.name == "Croix du Sud" for e in f.events)
    f = facts("Kazakhstan joined Russia in the Interaction 2024 exercise.", "en")
    assert any(e.name == "Interaction 2024" for e in f.events)
    f = facts(
        "Le Bénin fait partie de la CEDEAO, et le Sénégal a participé à l'exercice Flintlock."
    )
    took_part = {t[1] for t in ties(f) if t[0] == "PARTICIPATED_IN"}
    assert "SN" in took_part and "BJ" not in took_part


def test_list_stops_at_observers() -> None:
    f = facts(
        "L'ASEAN compte dix États, dont la Thaïlande et le Vietnam, et des observateurs comme "
        "le Timor oriental et la Papouasie-Nouvelle-Guinée."
    )
    assert {m.member for m in f.memberships} == {"TH", "VN"}


# ---------------------------------------------------------------------------- whole documents


def test_same_output_twice_on_the_sample_corpus() -> None:
    texts, _ = read_corpus(ROOT / "data" / "corpus")
    first = [extract_document(t) for t in texts]
    second = [extract_document(t) for t in texts]
    assert first == second
    for doc in first:
        assert [a.id for a in doc.actors] == sorted(a.id for a in doc.actors)
        assert len({a.id for a in doc.agreements}) == len(doc.agreements)


@pytest.mark.parametrize(
    ("lang", "text", "status"),
    [
        ("en", "India signed a deal with France to buy jets.", "signed"),
        ("en", "India did not sign a deal with France to buy jets.", None),
    ],
)
def test_an_agreement_is_signed_only_when_the_signing_is_not_denied(
    lang: str, text: str, status: str | None
) -> None:
    assert [(a.name, a.status) for a in facts(text, lang).agreements] == [
        ("deal with France", status)
    ]


@pytest.mark.parametrize(
    ("lang", "text", "stating"),
    [
        (
            "en",
            "NATO began its annual BALTOPS naval exercise in Kiel. "
            "Participating troops come from Belgium, Denmark and France.",
            "Participating troops come from Belgium, Denmark and France.",
        ),
        (
            "fr",
            "L'exercice Flintlock 2018 a commencé. "
            "Les pays africains participants comprennent le Burkina Faso, le Cameroun et le Mali.",
            "Les pays africains participants comprennent le Burkina Faso, le Cameroun et le Mali.",
        ),
    ],
)
def test_a_fact_is_quoted_by_the_sentence_that_states_it(
    lang: str, text: str, stating: str
) -> None:
    # The exercise is named a sentence before the participants: that sentence names it, the
    # next one states who takes part, and only that one is the evidence.
    ties = facts(text, lang).ties
    assert len(ties) == 3
    assert {e.sentence for t in ties for e in t.evidence} == {stating}
    assert all(e.start >= text.index(stating) for t in ties for e in t.evidence)


@pytest.mark.parametrize(
    ("lang", "text", "army"),
    [
        (
            "en",
            "Nigeria's army fought Boko Haram and the Islamic State, and Hamas met the PKK.",
            "NG-army",
        ),
        (
            "fr",
            "L'armée nigériane combat Boko Haram et l'État islamique, et le Hamas a reçu le PKK.",
            "NG-armed-forces",
        ),
    ],
)
def test_armed_groups_are_organisations(lang: str, text: str, army: str) -> None:
    """Non-state armed groups come from the gazetteer as organisations, in both languages."""
    assert {a.id: a.kind for a in facts(text, lang).actors if a.kind != "state"} == {
        army: "body",
        "boko-haram": "organization",
        "islamic-state": "organization",
        "hamas": "organization",
        "pkk": "organization",
    }


@pytest.mark.parametrize(
    ("lang", "text", "exercises"),
    [
        (
            "fr",
            "Baptisées « Keris Woomera » (du nom d'armes traditionnelles), ces manœuvres "
            "aériennes se déroulent sur l'île de Java.",
            {"keris-woomera"},
        ),
        (
            "en",
            'Dubbed "Keris Woomera" (after traditional weapons), the drills take place on the '
            "island of Java.",
            {"keris-woomera"},
        ),
        ("fr", "Baptisé « Horizon » (du nom du projet), ce bâtiment ouvrira en mai.", set()),
        ("en", 'Dubbed "Horizon" (after the project), the building opens in May.', set()),
    ],
)
def test_a_name_given_before_its_noun(lang: str, text: str, exercises: set[str]) -> None:
    """A participle of naming before a quoted name gives it the kind of the noun after it,
    past an aside in brackets."""
    assert {e.id for e in facts(text, lang).events if e.kind == "exercise"} == exercises


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        (
            "fr",
            "Le nouveau président indonésien Prabowo Subianto a signé l'accord. M. Prabowo s'est "
            "rendu à Pékin début novembre.",
            {"prabowo-subianto"},
        ),
        (
            "en",
            "Indonesian President Prabowo Subianto signed the agreement. Mr. Prabowo travelled "
            "to Beijing in November.",
            {"prabowo-subianto"},
        ),
        # A first word two full names share links to neither.
        (
            "en",
            "Kim Jong Un met Kim Yo Jong in Pyongyang. Mr. Kim later travelled to Beijing.",
            {"kim", "kim-jong-un", "kim-yo-jong"},
        ),
    ],
)
def test_a_person_named_by_the_first_word(lang: str, text: str, people: set[str]) -> None:
    """A bare word that ends no full name is the one full name it begins."""
    assert {a.id for a in facts(text, lang).actors if a.kind == "person"} == people


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "Estonia signed an agreement with Germany on cyber defence.",
            {"agreement on cyber defence"},
        ),
        (
            "India signed an agreement with Airbus on industrial cooperation.",
            {"agreement on industrial cooperation"},
        ),
        (
            "India signed an agreement with France on the supply of jets.",
            {"agreement on the supply of jets"},
        ),
    ],
)
def test_an_english_complement_ends_on_its_head(text: str, names: set[str]) -> None:
    """An agreement's "on …" complement after its partner runs to the head noun, which English
    puts after its modifiers ("cyber defence", not "cyber")."""
    assert {a.name for a in facts(text, "en").agreements} == names


@pytest.mark.parametrize(
    ("text", "exercises"),
    [
        ("Kazakhstan and Uzbekistan Agree to Hold Regular Joint Military Exercises", set()),
        (
            "Russia and China Begin Joint Sea 2021 Exercise\n"
            "Russia and China began the Joint Sea 2021 exercise on Monday.",
            {"joint-sea-2021"},
        ),
    ],
)
def test_a_headline_names_an_exercise_only_as_the_text_does(text: str, exercises: set[str]) -> None:
    """Capitals before "Exercises" in a title-case headline name an exercise only when the text
    names it so again."""
    assert {e.id for e in facts(text, "en").events if e.kind == "exercise"} == exercises


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        ("en", "The summit was held in Victoria Falls, Zimbabwe.", set()),
        ("en", "The cargo reached the Iranian port of Bandar Abbas.", set()),
        ("en", "The letter was handed to Emmanuel Macron.", {"emmanuel-macron"}),
        ("fr", "Les navires sont arrivés au port de Bandar Abbas.", set()),
        ("fr", "Le sommet s'est tenu près de Victoria Falls.", set()),
        ("fr", "La lettre a été remise à Emmanuel Macron.", {"emmanuel-macron"}),
    ],
)
def test_a_place_the_ner_takes_for_a_person(lang: str, text: str, people: set[str]) -> None:
    """A name right after a place preposition or a settlement noun is a place; one after
    "to"/"à" may be a person."""
    assert {a.id for a in facts(text, lang).actors if a.kind == "person"} == people


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "The Philippine Navy received the second Jose Rizal-class frigate from Hyundai."),
        ("fr", "La marine philippine a reçu la deuxième frégate Jose Rizal-class de Hyundai."),
    ],
)
def test_a_ship_class_named_after_a_person_is_no_person(lang: str, text: str) -> None:
    assert {a.id for a in facts(text, lang).actors if a.kind == "person"} == set()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Les navires ont accosté vendredi au port de Tiên Sa."),
        ("en", "The ships docked on Friday at the port of Tien Sa."),
    ],
)
def test_a_port_is_no_company(lang: str, text: str) -> None:
    assert actor_ids(facts(text, lang)) == set()


@pytest.mark.parametrize(
    ("lang", "text", "people"),
    [
        (
            "en",
            "His Highness the Amir Sheikh Tamim bin Hamad Al Thani received the minister.",
            {"Tamim bin Hamad Al Thani"},
        ),
        (
            "fr",
            "Le commandant Renan Paillereau a reçu le ministre. Le cheikh Tamim ben Hamad "
            "Al-Thani est arrivé.",
            {"Renan Paillereau", "Tamim ben Hamad Al-Thani"},
        ),
    ],
)
def test_styles_and_ranks_are_no_part_of_a_name(lang: str, text: str, people: set[str]) -> None:
    assert {a.name for a in facts(text, lang).actors if a.kind == "person"} == people


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Jean-Yves Le Drian est arrivé à Alger. Le Drian a rencontré son homologue."),
        ("en", "Jean-Yves Le Drian arrived in Algiers. Le Drian met his counterpart."),
    ],
)
def test_a_surname_of_two_words_is_the_full_name(lang: str, text: str) -> None:
    assert {a.id for a in facts(text, lang).actors if a.kind == "person"} == {"jean-yves-le-drian"}
