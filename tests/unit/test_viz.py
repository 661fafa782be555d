"""The network page on tiny hand-made networks: offline, escaped, deterministic."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from graph import analysis, catalogue, viz
from graph.errors import TiesError
from graph.store import Store
from graph.viz import (
    NetworkData,
    external_references,
    render_page,
    script_json,
    write_html,
)

EVIL = "<script>alert(1)</script>"
CLOSE = "</script>"

ACTORS = [
    {"id": "KZ", "name": "Kazakhstan", "kind": "state"},
    {"id": "RU", "name": "Russia", "kind": "state"},
    {"id": "csto", "name": "CSTO", "kind": "organization"},
    {"id": "evil", "name": f"Evil {EVIL} Corp {CLOSE}", "kind": "company"},
    {"id": "lonely", "name": "Lonely Place", "kind": "place"},
]
ROWS = [
    {"source": "KZ", "target": "RU", "via": "agreement", "through": "t1",
     "label": "Treaty of Friendship", "since": 1992, "until": None, "size": 2},
    {"source": "KZ", "target": "csto", "via": "membership", "through": "csto",
     "label": "CSTO", "since": 1994, "until": None, "size": 2},
    {"source": "RU", "target": "csto", "via": "membership", "through": "csto",
     "label": "CSTO", "since": 1992, "until": None, "size": 2},
    {"source": "RU", "target": "evil", "via": "SUPPLIES", "through": "SUPPLIES",
     "label": "SUPPLIES", "since": 2010, "until": None, "size": 2},
]  # fmt: skip
EVIDENCE = [
    {"source": "KZ", "target": "RU", "kind": "treaty", "name": "Treaty of Friendship",
     "date": "1992-05-25", "evidence": ["Kazakhstan and Russia signed the treaty."],
     "sources": ["doc-1"]},
    {"source": "RU", "target": "evil", "kind": "SUPPLIES", "name": "SUPPLIES",
     "date": "2010", "evidence": [f"Russia supplies {EVIL} and {CLOSE} to Evil Corp."],
     "sources": ["doc-<2>"]},
]  # fmt: skip


def network(
    actors: list[dict[str, Any]] = ACTORS, rows: list[dict[str, Any]] = ROWS
) -> NetworkData:
    graph = analysis.build_graph(actors, rows)
    return NetworkData(graph, analysis.score_actors(graph), rows, EVIDENCE)


def embedded_data(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="ties-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._attrs: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._attrs = dict(attrs)
            self.found.append((self._attrs, ""))

    def handle_data(self, data: str) -> None:
        if self._attrs is not None:
            attrs, text = self.found[-1]
            self.found[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._attrs = None


def scripts(page: str) -> list[tuple[dict[str, str | None], str]]:
    """Every script element of the page with its text, split where a browser would split."""
    parser = _Scripts()
    parser.feed(page)
    return parser.found


class FakeStore(Store):
    """Answers the three analysis reads by the query's text; records what was asked."""

    backend = "fake"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def run(
        self, cypher: str, params: dict[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        answers = {
            catalogue.get("analysis/actors").cypher: ACTORS,
            catalogue.get("analysis/projection").cypher: ROWS,
            catalogue.get("analysis/edge_evidence").cypher: EVIDENCE,
            catalogue.get("analysis/actor_names").cypher: [
                {"id": "RU", "name": "Russia", "acronyms": [], "aliases": ["Russie"]}
            ],
            catalogue.get("analysis/documents").cypher: [
                {"id": "doc-1", "title": "Treaty", "date": "1992-05-25", "source": "doc-1.txt"}
            ],
            catalogue.get("analysis/hedged_ties").cypher: [],
        }
        assert not write
        self.asked.append(cypher)
        return [dict(row) for row in answers[cypher]]

    def replace_graph(self, schema: Any, writes: Any, batch_size: int = 1000) -> int:
        raise NotImplementedError

    def describe(self) -> str:
        return "fake"

    def close(self) -> None:
        pass


def test_page_has_no_external_reference() -> None:
    page = render_page(network()).html
    assert external_references(page) == []
    for pattern in (r"""src=["']https?:""", r"""href=["']https?:""", r"@import"):
        assert not re.search(pattern, page, re.I), pattern
    assert "node_modules" not in page
    assert "bootstrap" not in page.lower()
    # vis-network itself is inlined, with a CSP that forbids any fetch.
    assert "vis-network" in page and "default-src 'none'" in page


def test_document_text_is_escaped_everywhere() -> None:
    page = render_page(network()).html
    assert EVIL not in page
    assert "alert(1)" in page  # the text is there, escaped
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    # Parsed as a browser would: exactly the page's three scripts, none injected or cut short.
    found = scripts(page)
    assert [attrs.get("type") for attrs, _ in found] == [None, "application/json", None]
    data = json.loads(found[1][1])
    assert data["actors"]["evil"]["name"] == f"Evil {EVIL} Corp {CLOSE}"
    sentences = [
        s for pair in data["pairs"].values() for item in pair["evidence"] for s in item["sentences"]
    ]
    assert f"Russia supplies {EVIL} and {CLOSE} to Evil Corp." in sentences


def test_script_never_uses_innerhtml() -> None:
    page = render_page(network()).html
    ours = page[page.index('id="ties-data"') :]
    assert "innerHTML" not in ours
    assert "textContent" in ours


def test_json_escapes_line_separators() -> None:
    text = script_json({"a": "x\u2028y\u2029z&"})
    assert "\u2028" not in text and "\u2029" not in text and "&" not in text
    assert json.loads(text) == {"a": "x\u2028y\u2029z&"}


def test_same_network_same_bytes() -> None:
    shuffled_actors = list(reversed(ACTORS))
    shuffled_rows = list(reversed(ROWS))
    first = render_page(network()).html
    second = render_page(network(shuffled_actors, shuffled_rows)).html
    assert first == second


def test_nodes_edges_and_evidence() -> None:
    page = render_page(network())
    assert (page.nodes, page.edges, page.nodes_total, page.filtered) == (5, 4, 5, False)
    data = embedded_data(page.html)
    assert [node["id"] for node in data["nodes"]] == ["KZ", "RU", "csto", "evil", "lonely"]
    colours = {node["id"]: node["color"] for node in data["nodes"]}
    assert colours["KZ"] == colours["RU"] != colours["csto"]
    pair = next(p for p in data["pairs"].values() if {p["source"], p["target"]} == {"KZ", "RU"})
    assert pair["weight"] == 1.0
    assert pair["evidence"][0]["sources"] == ["doc-1"]
    assert pair["reasons"] == [
        {"via": "agreement", "label": "Treaty of Friendship", "since": 1992, "until": None,
         "weight": 1.0, "stated": True, "status": None}
    ]  # fmt: skip
    assert [t["type"] for t in data["tieTypes"]] == ["agreement", "membership", "SUPPLIES"]
    assert data["meta"]["minYear"] == 1992
    assert [k["kind"] for k in data["kinds"]] == ["state", "organization", "company", "place"]
    # Hover data: kind, every score and the top ties.
    kz = data["actors"]["KZ"]
    assert kz["kindLabel"] == "State"
    assert set(kz["scores"]) == set(analysis.SCORES)
    assert [tie["id"] for tie in kz["top"]] == ["RU", "csto"]


def test_size_follows_the_chosen_score() -> None:
    data = embedded_data(render_page(network(), size_by="degree").html)
    sizes = {node["id"]: node["size"] for node in data["nodes"]}
    assert sizes["RU"] == max(sizes.values())  # RU has the most ties
    assert sizes["lonely"] == min(sizes.values())
    assert data["meta"]["sizeBy"] == "degree"


def test_max_nodes_keeps_the_top_and_says_so() -> None:
    page = render_page(network(), size_by="degree", max_nodes=2)
    assert (page.nodes, page.nodes_total, page.filtered) == (2, 5, True)
    data = embedded_data(page.html)
    assert sorted(n["id"] for n in data["nodes"]) == ["KZ", "RU"]  # degree 2 and 3, then id
    assert "Showing the 2 actors with the highest degree out of 5" in data["meta"]["note"]
    assert page.edges == 1


def test_large_networks_freeze_their_layout() -> None:
    actors = [{"id": f"a{i:03d}", "name": f"Actor {i}", "kind": "state"} for i in range(250)]
    rows = [
        {"source": f"a{i:03d}", "target": f"a{(i + 1) % 250:03d}", "via": "SUPPLIES",
         "through": "SUPPLIES", "label": "SUPPLIES", "since": None, "until": None, "size": 2}
        for i in range(250)
    ]  # fmt: skip
    data = embedded_data(render_page(network(actors, rows)).html)
    assert data["meta"]["freezeLayout"] is True
    assert data["options"]["layout"]["improvedLayout"] is False
    small = embedded_data(render_page(network()).html)
    assert small["meta"]["freezeLayout"] is False
    assert small["options"]["layout"]["randomSeed"] == analysis.SEED


def test_as_of_hides_actors_whose_ties_come_later() -> None:
    graph = analysis.build_graph(ACTORS, ROWS, as_of=2000)
    data = NetworkData(graph, analysis.score_actors(graph), ROWS, EVIDENCE, as_of=2000)
    page = render_page(data)
    ids = [n["id"] for n in embedded_data(page.html)["nodes"]]
    assert ids == ["KZ", "RU", "csto", "lonely"]  # evil's only tie starts in 2010
    assert page.edges == 3


def test_empty_network_still_makes_a_page() -> None:
    page = render_page(network([], []))
    assert (page.nodes, page.edges) == (0, 0)
    assert "no actors yet" in embedded_data(page.html)["meta"]["note"]


def test_bad_options_are_refused() -> None:
    with pytest.raises(TiesError, match="choose one of"):
        render_page(network(), size_by="fame")
    with pytest.raises(TiesError, match="at least 1"):
        render_page(network(), max_nodes=0)


def test_write_html_reads_the_store_and_writes_one_file(tmp_path: Path) -> None:
    store = FakeStore()
    out = tmp_path / "sub" / "network.html"
    report = write_html(store, out, size_by="betweenness")
    assert report.path == out and out.is_file()
    assert (report.nodes, report.edges, report.nodes_total, report.filtered) == (5, 4, 5, False)
    assert sorted(p.name for p in out.parent.iterdir()) == ["network.html"]
    assert catalogue.get("analysis/edge_evidence").cypher in store.asked
    again = tmp_path / "again.html"
    write_html(FakeStore(), again, size_by="betweenness")
    assert out.read_bytes() == again.read_bytes()


def test_every_actor_kind_has_a_colour_and_a_legend_label() -> None:
    from graph import schema, viz

    assert set(viz.KIND_COLORS) == set(schema.ACTOR_LABELS) == set(viz.KIND_LABELS)


def test_planned_and_reported_ties_are_drawn_apart_and_never_scored() -> None:
    """A fact the texts only plan or report is a dotted, weightless pair on the page: it adds
    no edge to the network the scores are computed on."""
    hedged = [
        {"source": "KZ", "target": "lonely", "via": "SUPPLIES", "through": "SUPPLIES",
         "label": "SUPPLIES", "since": None, "until": None, "size": 2, "stated": True,
         "status": "planned"},
    ]  # fmt: skip
    base = network()
    data = NetworkData(base.graph, base.scores, base.rows, base.evidence, hedged=hedged)
    page = render_page(data)
    assert not data.graph.has_edge("KZ", "lonely")
    pairs = embedded_data(page.html)["pairs"].values()
    pair = next(p for p in pairs if {p["source"], p["target"]} == {"KZ", "lonely"})
    assert pair["weight"] == 0.0
    assert pair["reasons"] == [
        {"via": "SUPPLIES", "label": "SUPPLIES", "since": None, "until": None, "weight": 0.0,
         "stated": True, "status": "planned"}
    ]  # fmt: skip
    assert page.edges == render_page(network()).edges + 1


def test_evidence_is_bounded_per_pair_and_the_rest_is_one_query_away() -> None:
    """Seven one-sentence agreements of fourteen parties between KZ and RU, the fifth with
    seven documents, and one direct tie: the page embeds EVIDENCE_PER_PAIR sentences, the
    direct tie first (the most specific to the pair), then the agreements in their sorted
    order; five documents and twelve parties of a fact; and counts the rest."""
    from graph.viz import EVIDENCE_PER_PAIR

    assert EVIDENCE_PER_PAIR == 5
    parties = [f"p{j:02d}" for j in range(14)]
    many = [
        {"source": "KZ", "target": "RU", "kind": "treaty", "name": f"Treaty {i}",
         "date": f"200{i}", "evidence": [f"Sentence {i}."], "sources": [f"doc-{i}"],
         "fact": f"t{i}", "parties": parties}
        for i in range(7)
    ]  # fmt: skip
    many[3]["sources"] = [f"doc-3-{j}" for j in range(7)]
    many.append(
        {"source": "KZ", "target": "RU", "kind": "SUPPLIES", "name": "SUPPLIES",
         "date": "2020", "evidence": ["Russia supplies Kazakhstan."], "sources": ["doc-9"],
         "fact": "f-direct"}
    )  # fmt: skip
    base = network()
    documents = {f"doc-{i}": {"title": f"T{i}", "date": "", "source": ""} for i in range(10)}
    data = NetworkData(base.graph, base.scores, base.rows, many, documents=documents)
    page = render_page(data)
    pairs = embedded_data(page.html)["pairs"].values()
    pair = next(p for p in pairs if {p["source"], p["target"]} == {"KZ", "RU"})
    assert [item["sentences"] for item in pair["evidence"]] == [
        ["Russia supplies Kazakhstan."], ["Sentence 0."], ["Sentence 1."], ["Sentence 2."],
        ["Sentence 3."]
    ]  # fmt: skip
    assert pair["evidence"][4]["sources"] == ["doc-3-0", "doc-3-1", "doc-3-2", "doc-3-3", "doc-3-4"]
    assert pair["evidence"][4]["sourcesMore"] == 2
    assert pair["evidence"][1]["parties"] == parties[:12]
    assert pair["evidence"][1]["partiesMore"] == 2
    assert "sourcesMore" not in pair["evidence"][1] and "partiesMore" not in pair["evidence"][0]
    assert pair["more"] == {
        "sentences": 3, "facts": 3, "query": "ties query tie-evidence -p actor=KZ -p other=RU"
    }  # fmt: skip
    # A pair whose evidence fits says nothing more; the documents listed are only those shown.
    small = embedded_data(render_page(network()).html)
    assert all(p["more"] is None for p in small["pairs"].values())
    assert sorted(embedded_data(page.html)["documents"]) == ["doc-0", "doc-1", "doc-2", "doc-9"]


def test_a_long_sentence_list_is_cut_inside_one_fact() -> None:
    from graph.viz import bounded_evidence

    item = {"sentences": [f"s{i}" for i in range(12)], "sources": [], "parties": []}
    found = bounded_evidence(("a b", "c"), [item, {"sentences": [], "sources": [], "parties": []}])
    assert found == {
        "evidence": [{"sentences": ["s0", "s1", "s2", "s3", "s4"], "sources": [], "parties": []}],
        "more": {"sentences": 7, "facts": 1,
                 "query": "ties query tie-evidence -p 'actor=a b' -p other=c"},
    }  # fmt: skip


def test_a_pair_with_many_reasons_embeds_one_per_kind_and_years() -> None:
    """Twelve agreements between KZ and RU, eight signed in 2001 and four undated: above
    REASONS_PER_PAIR the page merges them by kind, years and status, weights summed, so the year
    slider adds up the same weight."""
    rows = [
        {"source": "KZ", "target": "RU", "via": "agreement", "through": f"t{i:02d}",
         "label": f"Treaty {i:02d}", "since": 2001 if i < 8 else None, "until": None, "size": 2}
        for i in range(12)
    ]  # fmt: skip
    pair = next(iter(embedded_data(render_page(network(ACTORS[:2], rows)).html)["pairs"].values()))
    assert pair["weight"] == 12.0
    assert pair["reasons"] == [
        {"via": "agreement", "label": "Treaty 00 and 7 more", "since": 2001, "until": None,
         "weight": 8.0, "stated": True, "status": None, "count": 8},
        {"via": "agreement", "label": "Treaty 08 and 3 more", "since": None, "until": None,
         "weight": 4.0, "stated": True, "status": None, "count": 4},
    ]  # fmt: skip


def test_evidence_is_read_only_for_the_pairs_drawn() -> None:
    """Given a reader, the page asks it for the pairs it draws, once."""
    asked: list[list[tuple[str, str]]] = []

    def read(pairs: Any) -> list[dict[str, Any]]:
        asked.append(list(pairs))
        return EVIDENCE

    base = network()
    data = NetworkData(base.graph, base.scores, base.rows, read)
    page = render_page(data, size_by="degree", max_nodes=2)
    assert asked == [[("KZ", "RU")]]
    pair = next(iter(embedded_data(page.html)["pairs"].values()))
    assert pair["evidence"][0]["sentences"] == ["Kazakhstan and Russia signed the treaty."]


def test_an_agreement_read_once_gives_the_same_evidence_as_one_row_per_pair() -> None:
    """edge_evidence.cypher returns an agreement once with its parties among the drawn actors
    (`members`); every pair of them gets the fact, exactly as one row per pair gave it."""
    fact = {
        "kind": "treaty",
        "name": "Tashkent Treaty",
        "date": "1992-05-15",
        "evidence": ["Armenia, Kazakhstan and Russia signed the treaty."],
        "sources": ["doc-2", "doc-1"],
        "fact": "tashkent-treaty",
        "status": None,
        "parties": ["RU", "KZ", "AM"],
        "expires": None,
    }
    direct = {"source": "RU", "target": "KZ", "kind": "SUPPLIES", "name": "SUPPLIES",
              "evidence": ["Russia supplies Kazakhstan."], "sources": ["doc-3"], "fact": "f-1",
              "parties": []}  # fmt: skip
    per_pair = [
        {**fact, "source": a, "target": b} for a, b in (("AM", "KZ"), ("AM", "RU"), ("KZ", "RU"))
    ]
    once = [{**fact, "source": None, "target": None, "members": ["RU", "AM", "KZ"]}]
    expected = viz._evidence_by_pair([*per_pair, direct])
    assert viz._evidence_by_pair([*once, direct]) == expected
    assert sorted(expected) == [("AM", "KZ"), ("AM", "RU"), ("KZ", "RU")]
    assert [item["kind"] for item in expected[("KZ", "RU")]] == ["SUPPLIES", "treaty"]
    assert expected[("AM", "KZ")] == [
        {
            "kind": "treaty",
            "name": "Tashkent Treaty",
            "date": "1992-05-15",
            "sentences": ["Armenia, Kazakhstan and Russia signed the treaty."],
            "sources": ["doc-1", "doc-2"],
            "id": "tashkent-treaty",
            "status": "",
            "parties": ["AM", "KZ", "RU"],
            "until": "",
        }
    ]


# -- the bound on ties drawn (--max-edges) -------------------------------------------------------

# Five actors; each row is a bilateral agreement of weight 1, so a pair's weight is its rows:
# A-B 3, A-C 2, B-C 2, A-D 1, D-E 1.
BOUND_ACTORS = [{"id": x, "name": f"Actor {x}", "kind": "state"} for x in "ABCDE"]
BOUND_ROWS = [
    {"source": a, "target": b, "via": "agreement", "through": f"{a}{b}{i}",
     "label": f"Agreement {a}{b}{i}", "since": 2000 + i, "until": None, "size": 2}
    for a, b, n in (("A", "B", 3), ("A", "C", 2), ("B", "C", 2), ("A", "D", 1), ("D", "E", 1))
    for i in range(n)
]  # fmt: skip


def bound_network(read: Any = ()) -> NetworkData:
    graph = analysis.build_graph(BOUND_ACTORS, BOUND_ROWS)
    return NetworkData(graph, analysis.score_actors(graph), BOUND_ROWS, read)


def drawn(page: viz.Page) -> list[tuple[str, str]]:
    return sorted((p["source"], p["target"]) for p in embedded_data(page.html)["pairs"].values())


def test_max_edges_keeps_each_actors_strongest_tie_then_the_strongest_others() -> None:
    """By weight, the four strongest ties are A-B, A-C, B-C, A-D; but E's only tie, D-E, is its
    strongest, so it comes before B-C (each actor's strongest tie first, then the rest)."""
    page = render_page(bound_network(), max_edges=4)
    assert drawn(page) == [("A", "B"), ("A", "C"), ("A", "D"), ("D", "E")]
    assert (page.nodes, page.edges, page.edges_total, page.filtered) == (5, 4, 5, False)
    # Ties of equal weight in the order of their ids: A-D before D-E, A-C before B-C.
    assert drawn(render_page(bound_network(), max_edges=2)) == [("A", "B"), ("A", "C")]
    assert len(drawn(render_page(bound_network(), max_edges=5))) == 5


def test_an_actor_whose_ties_are_all_left_out_is_not_drawn() -> None:
    """With three ties: A-B, A-C, A-D (the strongest ties of A, B, C and D, in weight order);
    E's only tie does not fit, so E is left out rather than drawn as if it had none."""
    page = render_page(bound_network(), max_edges=3)
    assert drawn(page) == [("A", "B"), ("A", "C"), ("A", "D")]
    data = embedded_data(page.html)
    assert [node["id"] for node in data["nodes"]] == ["A", "B", "C", "D"]
    assert (page.nodes, page.edges, page.nodes_total, page.edges_total) == (4, 3, 5, 5)
    meta = data["meta"]
    assert (meta["tiesTotal"], meta["tiesDrawn"], meta["actorsLeftOut"]) == (5, 3, 1)
    assert meta["note"] == (
        "Showing all 5 actors and 3 of the 5 ties among them (each actor's strongest and those "
        "that keep connected actors connected first, then the strongest); 1 of these actors is "
        "left out: none of its ties is among those drawn. "
        "`ties viz --max-nodes N --max-edges M` draws more; "
        "`ties query actor-ties -p actor=ID` lists an actor's ties."
    )
    # Each actor says how many of its ties are not drawn, and the query that lists them all.
    hidden = {
        node: (actor.get("notDrawn"), actor.get("query"))
        for node, actor in data["actors"].items()
        if "notDrawn" in actor
    }
    assert hidden == {
        "B": (1, "ties query actor-ties -p actor=B"),
        "C": (1, "ties query actor-ties -p actor=C"),
        "D": (1, "ties query actor-ties -p actor=D"),
    }
    assert "notDrawn" not in data["actors"]["A"]


def test_a_page_within_both_bounds_says_nothing_is_left_out() -> None:
    page = render_page(bound_network())
    data = embedded_data(page.html)
    assert (page.edges, page.edges_total) == (5, 5)
    assert data["meta"]["note"] == ""
    assert all("notDrawn" not in actor for actor in data["actors"].values())


def test_max_nodes_and_max_edges_together() -> None:
    """The top three by weighted degree (A 6, B 5, C 4) and at most two ties among them."""
    page = render_page(bound_network(), size_by="weighted_degree", max_nodes=3, max_edges=2)
    assert drawn(page) == [("A", "B"), ("A", "C")]
    data = embedded_data(page.html)
    assert data["meta"]["note"].startswith(
        "Showing the 3 actors with the highest weighted degree out of 5 and 2 of the 3 ties "
        "among them (each actor's strongest and those that keep connected actors connected "
        "first, then the strongest). "
    )
    # A's ties to D, B's and C's to each other: in the network, not on the page.
    assert {n: a["notDrawn"] for n, a in data["actors"].items()} == {"A": 1, "B": 1, "C": 1}


def test_only_the_drawn_pairs_evidence_is_read_and_kept() -> None:
    asked: list[list[tuple[str, str]]] = []
    agreement = {
        "source": None,
        "target": None,
        "members": ["D", "C", "B", "A", "E"],
        "kind": "treaty",
        "name": "Five-party treaty",
        "evidence": ["All five signed."],
        "sources": ["doc-5"],
        "fact": "five",
        "parties": ["A", "B", "C", "D", "E"],
    }
    direct = {"source": "E", "target": "D", "kind": "SUPPLIES", "name": "SUPPLIES",
              "evidence": ["E supplies D."], "sources": ["doc-6"], "fact": "f-6"}  # fmt: skip

    def read(pairs: Any) -> list[dict[str, Any]]:
        asked.append(list(pairs))
        return [agreement, direct]

    data = embedded_data(render_page(bound_network(read), max_edges=3).html)
    assert asked == [[("A", "B"), ("A", "C"), ("A", "D")]]
    assert sorted((p["source"], p["target"]) for p in data["pairs"].values()) == asked[0]
    for pair in data["pairs"].values():
        assert [item["id"] for item in pair["evidence"]] == ["five"]
    assert "E supplies D." not in json.dumps(data)


def test_the_bound_holds_on_a_dense_network_and_the_page_is_the_same_whatever_the_order() -> None:
    actors = [{"id": f"a{i:02d}", "name": f"Actor {i}", "kind": "state"} for i in range(40)]
    rows = [
        {"source": f"a{i:02d}", "target": f"a{j:02d}", "via": "agreement", "through": f"t{i}-{j}",
         "label": "T", "since": None, "until": None, "size": 2 + (i * j) % 3}
        for i in range(40) for j in range(i + 1, 40)
    ]  # fmt: skip
    graph = analysis.build_graph(actors, rows)
    data = NetworkData(graph, analysis.score_actors(graph), rows)
    page = render_page(data, max_edges=60)
    assert (page.nodes, page.edges, page.edges_total) == (40, 60, 780)
    pairs = drawn(page)
    assert len(pairs) == 60
    shuffled = list(reversed(rows))
    again = analysis.build_graph(list(reversed(actors)), shuffled)
    other = NetworkData(again, analysis.score_actors(again), shuffled)
    assert render_page(other, max_edges=60).html == page.html
    # Every actor has ties of weight 1 (size 2: i * j divisible by 3), the heaviest: only
    # those are drawn.
    assert {p["weight"] for p in embedded_data(page.html)["pairs"].values()} == {1.0}


def test_max_edges_must_be_positive() -> None:
    with pytest.raises(TiesError, match="max_edges must be at least 1"):
        render_page(bound_network(), max_edges=0)


def test_actors_with_a_tie_come_before_those_with_none() -> None:
    """Even with the highest score, an actor with no tie only fills a place left over."""
    from dataclasses import replace

    base = network()
    scores = [replace(s, pagerank=0.9) if s.id == "lonely" else s for s in base.scores]
    data = NetworkData(base.graph, scores, base.rows, base.evidence)
    ids = [n["id"] for n in embedded_data(render_page(data, max_nodes=4).html)["nodes"]]
    assert ids == ["KZ", "RU", "csto", "evil"]
    ids = [n["id"] for n in embedded_data(render_page(data, max_nodes=5).html)["nodes"]]
    assert ids == ["KZ", "RU", "csto", "evil", "lonely"]


def test_the_ties_drawn_keep_connected_actors_connected() -> None:
    """Two triangles of weight-3 ties joined by one weight-1 tie C-D. Each actor's strongest
    tie alone would leave the bridge last; the maximum spanning forest (A-B, A-C, D-E, D-F and
    the bridge C-D) comes first, so five ties keep the six actors in one piece."""
    actors = [{"id": x, "name": f"Actor {x}", "kind": "state"} for x in "ABCDEF"]
    triangles = [("A", "B"), ("A", "C"), ("B", "C"), ("D", "E"), ("D", "F"), ("E", "F")]
    rows = [
        {"source": a, "target": b, "via": "agreement", "through": f"{a}{b}{i}",
         "label": f"Agreement {a}{b}{i}", "since": None, "until": None, "size": 2}
        for (a, b), n in [*((t, 3) for t in triangles), (("C", "D"), 1)]
        for i in range(n)
    ]  # fmt: skip
    graph = analysis.build_graph(actors, rows)
    data = NetworkData(graph, analysis.score_actors(graph), rows)
    page = render_page(data, max_edges=5)
    assert drawn(page) == [("A", "B"), ("A", "C"), ("C", "D"), ("D", "E"), ("D", "F")]
    assert drawn(render_page(data, max_edges=6)) == [
        ("A", "B"), ("A", "C"), ("B", "C"), ("C", "D"), ("D", "E"), ("D", "F")
    ]  # fmt: skip


def test_a_large_page_with_a_hedged_pair_is_laid_out() -> None:
    """Above FREEZE_ABOVE actors the page is laid out here (igraph's Fruchterman-Reingold),
    which refuses a weight of 0: the weightless, dotted pair of a planned tie pulls as the
    weakest tie instead of failing the page (it failed a 5,001-document reload's page)."""
    from graph.viz import FREEZE_ABOVE

    ids = [f"s{i:03d}" for i in range(FREEZE_ABOVE + 2)]
    actors = [{"id": i, "name": f"State {i}", "kind": "state"} for i in ids]
    rows = [
        {"source": a, "target": b, "via": "SUPPLIES", "through": "SUPPLIES",
         "label": "SUPPLIES", "since": 2010, "until": None, "size": 2}
        for a, b in itertools.pairwise(ids)
    ]  # fmt: skip
    hedged = [
        {"source": ids[0], "target": ids[-1], "via": "SUPPLIES", "through": "SUPPLIES",
         "label": "SUPPLIES", "since": None, "until": None, "size": 2, "stated": True,
         "status": "planned"},
    ]  # fmt: skip
    graph = analysis.build_graph(actors, rows)
    data = NetworkData(graph, analysis.score_actors(graph), rows, [], hedged=hedged)
    page = render_page(data)
    nodes = embedded_data(page.html)["nodes"]
    assert len(nodes) == len(ids)
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert page.edges == len(rows) + 1
