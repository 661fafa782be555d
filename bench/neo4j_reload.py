"""A large reload into Neo4j: the write alone, from facts already extracted.

    python bench/neo4j_reload.py CORPUS [--copies K] [--analysis] [--batch N]

Reads CORPUS's facts through the extraction cache of TIES_HOME (run `ties reload CORPUS` once
first to fill it, or the documents are extracted now, before the clock), then, with `--copies K`,
clones every document K times under new ids (`<id>~k`, its evidence, spans and mentions with it):
a graph of K times the documents and mentions, whose agreements and ties are those of CORPUS with
K times the sources and spans. Then times `graph.load.write_facts` into the Neo4j of NEO4J_URI,
NEO4J_USER, NEO4J_PASSWORD (the production write: stage, switch, drop the previous graph), twice:
into the store as found, then over the graph just written (a reload that replaces a graph of the
same size). With `--analysis` the scores are computed in the switch, as `ties reload` does; with
`--page FILE`, the network page is then written from the store as `ties viz` writes it (the
stored scores, the drawn pairs' evidence). Prints one line per run and the server's heap after
it (JMX, if the server allows it), and this process's peak memory.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.load import write_facts
from graph.settings import Settings
from graph.store import Runner, open_store
from loaders.model import DocumentFacts, Evidence
from loaders.pipeline import CorpusFacts, ExtractionCache, corpus_facts


def clone(facts: DocumentFacts, k: int) -> DocumentFacts:
    """The same document under the id `<id>~k`: its evidence and mentions point at the copy."""
    old = facts.document.id
    new = f"{old}~{k}"

    def moved(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        return tuple(dataclasses.replace(e, doc=new) if e.doc == old else e for e in evidence)

    def each(records: list) -> list:  # type: ignore[type-arg]
        return [dataclasses.replace(r, evidence=moved(r.evidence)) for r in records]

    return DocumentFacts(
        document=dataclasses.replace(facts.document, id=new, source=f"{facts.document.source}~{k}"),
        actors=each(facts.actors),
        agreements=each(facts.agreements),
        events=each(facts.events),
        memberships=each(facts.memberships),
        ties=each(facts.ties),
        mentions=[dataclasses.replace(m, doc=new) for m in facts.mentions if m.doc == old],
    )


def grown(facts: CorpusFacts, copies: int) -> CorpusFacts:
    if copies <= 1:
        return facts
    documents = [clone(doc, k) for k in range(copies) for doc in facts.documents]
    return dataclasses.replace(facts, documents=documents)


def heap(store: object) -> str:
    try:
        rows = store.run(  # type: ignore[attr-defined]
            "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
            "RETURN attributes.HeapMemoryUsage.value.properties AS heap"
        )
        used = rows[0]["heap"]["used"] / 2**20
        return f"heap used now {used:.0f} MiB of {rows[0]['heap']['max'] / 2**20:.0f} MiB"
    except Exception as exc:  # the procedure may be refused; the figure is optional
        return f"heap not readable ({str(exc)[:80]})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--analysis", action="store_true")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--page", type=Path, default=None)
    args = parser.parse_args()

    home = Path(os.environ.get("TIES_HOME", ".ties"))
    settings = Settings(
        "neo4j",
        home,
        os.environ["NEO4J_URI"],
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD"),
        None,
    )
    started = time.perf_counter()
    facts = corpus_facts(args.corpus, cache=ExtractionCache(settings.cache_path), jobs=2)
    facts = grown(facts, args.copies)
    print(
        f"facts of {len(facts.documents)} documents ready in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    finish = None
    if args.analysis:
        from graph.analysis import project_and_score

        def finish(run: Runner) -> None:
            project_and_score(run)

    with open_store(settings) as store:
        for run in range(args.runs):
            began = time.perf_counter()
            report = write_facts(store, facts, batch_size=args.batch, finish=finish)
            seconds = time.perf_counter() - began
            nodes = sum(
                v
                for k, v in report.counts.items()
                if k in ("node:Actor", "node:Agreement", "node:Event", "node:Document")
            )
            rels = sum(v for k, v in report.counts.items() if k.startswith("rel:"))
            print(
                f"run {run + 1}: {len(facts.documents)} documents, {nodes} nodes, {rels} "
                f"relationships, {report.statements} statements, {seconds:.1f} s; {heap(store)}",
                flush=True,
            )
        if args.page is not None:
            from graph.viz import write_html

            began = time.perf_counter()
            drawn = write_html(store, args.page)
            print(
                f"page: {drawn.nodes} actors and {drawn.edges} ties drawn of "
                f"{drawn.nodes_total} actors, {args.page.stat().st_size} bytes, "
                f"{time.perf_counter() - began:.1f} s",
                flush=True,
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory of this process: {peak} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
