"""The projection query before and after counting each organisation's members once.

    .venv/bin/python bench/projection.py                       # 100, 300 and 600 states
    .venv/bin/python bench/projection.py --states 100 300

A seeded generated graph on the embedded store: `states` states, one document stating every
membership; one organisation holding every state (above the default `max_members`, like the
UN), and organisations of 5 to 40 members, each state in about three of them. Both queries run
with the default parameters (`reference` off, `max_members` = graph.analysis.MAX_MEMBERS); the
old one is kept in tests/fixtures/cypher/projection_before.cypher. Rows must be equal (the
script checks); prints a markdown table of rows and seconds for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import analysis, catalogue, load  # noqa: E402
from graph.falkordb_store import FalkorDBStore  # noqa: E402
from graph.store import Store  # noqa: E402
from loaders.model import (  # noqa: E402
    FACT_STATUSES,
    Actor,
    Document,
    DocumentFacts,
    Evidence,
    Membership,
)

BEFORE = ROOT / "tests" / "fixtures" / "cypher" / "projection_before.cypher"
SEED = 11


def generated_facts(states: int, seed: int = SEED) -> list[DocumentFacts]:
    rng = random.Random(seed)
    text = "Every state named here is a member of the organisations named here."
    evidence = (Evidence("gen", 0, 5, text),)
    ids = [f"S{i:04d}" for i in range(states)]
    actors = [Actor(s, f"State {s}", "state", evidence=evidence) for s in ids]
    memberships = []
    organisations = [("everyone", ids)]
    for index in range(states * 3 // 20):
        organisations.append((f"org{index:04d}", rng.sample(ids, rng.randint(5, 40))))
    for org, members in organisations:
        actors.append(Actor(org, f"Organisation {org}", "organization", evidence=evidence))
        memberships += [Membership(s, org, evidence=evidence) for s in members]
    document = Document("gen", "Generated", "en", "gen.txt", "0" * 64, chars=len(text))
    return [DocumentFacts(document=document, actors=actors, memberships=memberships)]


def timed_rows(store: Store, cypher: str) -> tuple[Counter[str], float]:
    params: dict[str, Any] = {
        "tie_types": analysis.direct_tie_types(),
        "hedged": list(FACT_STATUSES),
        "reference": False,
        "max_members": analysis.MAX_MEMBERS,
    }
    start = time.perf_counter()
    found = analysis.pair_rows(store.run(cypher, params))
    seconds = time.perf_counter() - start
    # The reference query still returned each row's document ids; the projection no longer does.
    rows = ({k: v for k, v in row.items() if k != "sources"} for row in found)
    return Counter(json.dumps(row, sort_keys=True) for row in rows), seconds


def measure(store: Store, states: int) -> str:
    facts = generated_facts(states)
    store.replace_graph(load.schema_statements(store.backend), load.build_rows(facts).writes())
    memberships = len(facts[0].memberships)
    before, before_s = timed_rows(store, BEFORE.read_text(encoding="utf-8"))
    after, after_s = timed_rows(store, catalogue.get("analysis/projection").cypher)
    if before != after:
        raise SystemExit(f"rows differ at {states} states")
    return (
        f"| {store.backend} | {states:,} | {memberships:,} | {sum(after.values()):,} | "
        f"{before_s:.2f} | {after_s:.2f} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--states", type=int, nargs="+", default=[100, 300, 600])
    args = parser.parse_args(argv)
    print("| store | states | memberships | rows (same both) | before s | after s |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as home:
        store: Store = FalkorDBStore(Path(home))
        try:
            for states in args.states:
                print(measure(store, states), flush=True)
        finally:
            store.close()


if __name__ == "__main__":
    main()
