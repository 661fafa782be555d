"""The extraction cache: a full extraction of a corpus against a reload after adding one document.

    python bench/cache.py [--documents N] [--jobs N]
    python bench/cache.py --cli [--documents N]     # the whole `ties reload --no-html`

The corpus is the sample and the real test articles, copied under new names until it holds N
documents (each copy its own document: its id is in its facts). Timed, with the models loaded
before the clock, through `loaders.pipeline.corpus_facts` (read, extract, resolve, background:
everything a reload does before it opens the store):

1. without the cache; 2. with an empty cache (extract and write every document); 3. with the
cache warm and one new document added. With ``--cli`` the same three runs are whole
`ties reload --no-html` commands on a fresh embedded store (models loaded, extraction, write,
scores), each a new process. Prints markdown table rows for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SOURCES = [
    ROOT / "data" / "corpus",
    ROOT / "tests" / "fixtures" / "real" / "dev",
    ROOT / "tests" / "fixtures" / "real" / "blind",
]


def make_corpus(folder: Path, documents: int) -> Path:
    """`documents` files copied round-robin from the sources, each under its own name."""
    files = sorted(p for source in SOURCES for p in source.iterdir() if p.suffix == ".txt")
    folder.mkdir(parents=True)
    for n in range(documents):
        source = files[n % len(files)]
        shutil.copyfile(source, folder / f"{n:05d}_{source.name}")
    return folder


def timed(label: str, run: object) -> tuple[str, float, int]:
    start = time.perf_counter()
    facts = run()  # type: ignore[operator]
    return label, time.perf_counter() - start, len(facts.extracted)


def reload_seconds(corpus: Path, home: Path, *extra: str) -> tuple[float, int]:
    """Wall time of one `ties reload --no-html --json`, and how many documents it extracted."""
    env = {**os.environ, "TIES_HOME": str(home), "TIES_STORE": "embedded"}
    command = [sys.executable, "-m", "graph.cli", "reload", str(corpus), "--no-html", "--json"]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, *extra], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - start, json.loads(done.stdout)["extracted"]


def main_cli(documents: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp) / "corpus", documents)
        rows = [("no cache", *reload_seconds(corpus, Path(tmp) / "plain", "--no-cache"))]
        rows.append(("empty cache", *reload_seconds(corpus, Path(tmp) / "home")))
        extra = sorted(SOURCES[1].iterdir())[0]
        shutil.copyfile(extra, corpus / f"{documents:05d}_new_{extra.name}")
        rows.append(("cache + 1 new document", *reload_seconds(corpus, Path(tmp) / "home")))
    full = rows[0][1]
    print("| ties reload --no-html | documents | extracted | seconds | of full |")
    print("|---|---:|---:|---:|---:|")
    for label, seconds, extracted in rows:
        print(f"| {label} | {documents} | {extracted} | {seconds:.1f} | {seconds / full:.0%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cli", action="store_true", help="time whole `ties reload` commands")
    args = parser.parse_args()
    if args.cli:
        main_cli(args.documents)
        return
    from loaders.documents import read_corpus
    from loaders.pipeline import ExtractionCache, _warm_up, corpus_facts

    with tempfile.TemporaryDirectory() as tmp:
        corpus = make_corpus(Path(tmp) / "corpus", args.documents)
        texts, _ = read_corpus(corpus)
        _warm_up(texts)
        words = sum(len(t.text.split()) for t in texts)
        cache = ExtractionCache(Path(tmp) / "cache")
        rows = [
            timed("no cache", lambda: corpus_facts(corpus, jobs=args.jobs)),
            timed("empty cache", lambda: corpus_facts(corpus, jobs=args.jobs, cache=cache)),
        ]
        extra = sorted(SOURCES[1].iterdir())[0]
        shutil.copyfile(extra, corpus / f"{args.documents:05d}_new_{extra.name}")
        rows.append(
            timed(
                "cache + 1 new document", lambda: corpus_facts(corpus, jobs=args.jobs, cache=cache)
            )
        )
    machine = f"{platform.machine()} python {platform.python_version()}"
    full = rows[0][1]
    print("| corpus_facts | documents | words | jobs | extracted | seconds | of full | machine |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, seconds, extracted in rows:
        print(
            f"| {label} | {args.documents} | {words} | {args.jobs} | {extracted} | "
            f"{seconds:.1f} | {seconds / full:.0%} | {machine} |"
        )


if __name__ == "__main__":
    main()
