"""Loading speed: relationships per second into each store, batched against one row per query.

    python bench/load.py                      # embedded + the Neo4j test harness
    python bench/load.py --rels 200000 --stores neo4j
    NEO4J_URI=bolt://... NEO4J_PASSWORD=... python bench/load.py --stores neo4j

The synthetic set is seeded, so every run loads the same graph: `--actors` actors and `--rels`
typed actor-actor relationships with the properties a real fact carries (sources, spans,
evidence). Batched loading is the production path (`Store.replace_graph`, UNWIND batches, one
atomic reload). "One row per query" sends the same statement with a one-row batch, on a
sample, to give the ratio. Prints a markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph import catalogue, schema
from graph.load import schema_statements
from graph.store import Store, Write

SEED = 7


def synthetic(actors: int, rels: int) -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    kinds = ["state", "organization", "company", "person"]
    actor_rows = [
        {
            "id": f"a{i}",
            "kind": kinds[i % len(kinds)],
            "props": {"name": f"Actor {i}", "kind": kinds[i % len(kinds)], "sources": ["doc0"]},
        }
        for i in range(actors)
    ]
    types = sorted(schema.ACTOR_TIES)
    rel_rows = []
    for i in range(rels):
        doc = f"doc{i % 500}"
        rel_rows.append(
            {
                "type": types[i % len(types)],
                "source": f"a{rng.randrange(actors)}",
                "target": f"a{rng.randrange(actors)}",
                "props": {
                    "sources": [doc],
                    "spans": [f"{doc}:{i}-{i + 40}"],
                    "evidence": [f"Sentence {i} that states the tie between two actors."],
                    "year": 1992 + i % 30,
                },
            }
        )
    return actor_rows, rel_rows


def writes(actor_rows: list[dict], rel_rows: list[dict]) -> list[Write]:
    return [
        Write("actors", catalogue.get("load/actors").cypher, actor_rows),
        Write("ties", catalogue.get("load/actor_ties").cypher, rel_rows),
    ]


def time_batched(store: Store, actor_rows: list[dict], rel_rows: list[dict], batch: int) -> float:
    started = time.perf_counter()
    store.replace_graph(schema_statements(store.backend), writes(actor_rows, rel_rows), batch)
    return time.perf_counter() - started


def time_row_by_row(store: Store, rel_rows: list[dict]) -> float:
    cypher = catalogue.get("load/actor_ties").cypher
    started = time.perf_counter()
    for row in rel_rows:
        store.run(cypher, {"rows": [row]}, write=True)
    return time.perf_counter() - started


def clear(store: Store) -> None:
    """Empty the store outside the timings, so a load into an empty store is measured."""
    store.replace_graph(schema_statements(store.backend), [])


def measure(
    store: Store, actor_rows: list[dict], rel_rows: list[dict], args: argparse.Namespace
) -> tuple[float, float, float, float]:
    """Cold load (the first, paying Neo4j's JIT warm-up), warm load into an empty store (median
    of `repeats`), replace (a reload over an existing graph of the same size, which also deletes
    it in the same transaction), and one row per query on a sample."""
    n = len(rel_rows)
    cold = n / time_batched(store, actor_rows, rel_rows, args.batch)
    warm_runs = []
    for _ in range(args.repeats):
        clear(store)
        warm_runs.append(n / time_batched(store, actor_rows, rel_rows, args.batch))
    replace = n / time_batched(store, actor_rows, rel_rows, args.batch)
    clear(store)
    store.replace_graph(schema_statements(store.backend), writes(actor_rows, []), args.batch)
    single = args.sample / time_row_by_row(store, rel_rows[: args.sample])
    return cold, statistics.median(warm_runs), replace, single


def open_bench_store(name: str, home: Path) -> tuple[Store, object | None]:
    if name == "embedded":
        from graph.falkordb_store import FalkorDBStore

        return FalkorDBStore(home), None
    import os

    from graph.neo4j_store import Neo4jStore

    if os.environ.get("NEO4J_URI"):
        uri = os.environ["NEO4J_URI"]
        user = os.environ.get("NEO4J_USER", "neo4j")
        return Neo4jStore(uri, user, os.environ.get("NEO4J_PASSWORD")), None
    from tests.harness import Neo4jHarness

    # Full JIT (no TieredStopAtLevel=1 shortcut the tests use): this measures Neo4j, not start-up.
    harness = Neo4jHarness(jvm_args=()).start()
    return Neo4jStore(harness.uri, harness.user, harness.password), harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rels", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=2000, help="rows for one-row-per-query")
    parser.add_argument("--stores", default="embedded,neo4j")
    parser.add_argument("--repeats", type=int, default=3, help="timed reloads after the first")
    args = parser.parse_args()
    actor_rows, rel_rows = synthetic(args.actors, args.rels)
    print(
        "| store | relationships | batch | cold load rel/s | warm load rel/s | replace rel/s "
        "| one-row rel/s | batched / one-row |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.stores.split(","):
        with TemporaryDirectory() as tmp:
            store, harness = open_bench_store(name, Path(tmp))
            try:
                result = measure(store, actor_rows, rel_rows, args)
            finally:
                store.close()
                if harness is not None:
                    harness.stop()  # type: ignore[attr-defined]
        cold, warm, replace, single = result
        print(
            f"| {name} | {args.rels:,} | {args.batch} | {cold:,.0f} | {warm:,.0f} "
            f"| {replace:,.0f} | {single:,.0f} | {warm / single:.0f}× |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
