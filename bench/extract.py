"""Extraction speed: words per second on the sample corpus replicated to at least 1 MB.

Run ``python bench/extract.py [corpus_dir] [--min-bytes N]``; prints one markdown table row
(the lead copies it into BENCHMARKS.md). Models and the gazetteer load before the clock starts,
so the figure is the steady-state rate of ``extract_document`` on one core.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

# One core, as the target says: pin the process and keep numeric libraries single-threaded
# (set before numpy/spaCy are imported).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.documents import Text, read_corpus  # noqa: E402
from loaders.extract import extract_document  # noqa: E402


def replicated(texts: list[Text], min_bytes: int) -> list[Text]:
    """Copies of the corpus, each document under a new id, until ``min_bytes`` is reached."""
    out: list[Text] = []
    size = 0
    copy = 0
    while size < min_bytes:
        for text in texts:
            doc = replace(text.document, id=f"{text.document.id}-{copy}")
            out.append(Text(doc, text.text, text.warning))
            size += len(text.text.encode("utf-8"))
        copy += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "data" / "corpus"))
    parser.add_argument("--min-bytes", type=int, default=1_000_000)
    args = parser.parse_args()
    texts, errors = read_corpus(Path(args.corpus))
    if not texts:
        raise SystemExit(f"no readable document in {args.corpus}: {errors}")
    extract_document(texts[0])  # load spaCy and the gazetteer outside the timing
    corpus = replicated(texts, args.min_bytes)
    words = sum(len(t.text.split()) for t in corpus)
    megabytes = sum(len(t.text.encode("utf-8")) for t in corpus) / 1e6
    start = time.perf_counter()
    for text in corpus:
        extract_document(text)
    seconds = time.perf_counter() - start
    print("| benchmark | documents | MB | words | seconds | words/s | machine |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| extract (bench/extract.py) | {len(corpus)} | {megabytes:.2f} | {words} | "
        f"{seconds:.1f} | {words / seconds:,.0f} | {platform.machine()} python "
        f"{platform.python_version()} |"
    )


if __name__ == "__main__":
    main()
