"""Extraction speed: words per second on the sample corpus replicated to at least 1 MB.

    python bench/extract.py [corpus_dir] [--min-bytes N] [--cores N]

With ``--cores 1`` (the default) the process is pinned to one core with single-threaded BLAS;
with more, ``extract_document`` runs in a pool of that many processes (forked once the models
are loaded). Each run also times spaCy's own ``nlp.pipe`` over the same texts with the same
pipeline (``n_process`` = cores), so the rules' cost shows as a ratio. Prints markdown table
rows (the lead copies them into BENCHMARKS.md). Models and the gazetteer load before the clock.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _single_threaded(cores: int) -> None:
    """Keep numeric libraries single-threaded (before numpy/spaCy load); pin when one core."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    if cores == 1 and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def replicated(texts: list, min_bytes: int) -> list:
    """Copies of the corpus, each document under a new id, until ``min_bytes`` is reached."""
    from loaders.documents import Text

    out: list = []
    size = 0
    copy = 0
    while size < min_bytes:
        for text in texts:
            doc = replace(text.document, id=f"{text.document.id}-{copy}")
            out.append(Text(doc, text.text, text.warning))
            size += len(text.text.encode("utf-8"))
        copy += 1
    return out


def time_extract(corpus: list, cores: int) -> tuple[float, float]:
    """Wall seconds and this process's CPU seconds (on one core, the CPU time is what a shared
    machine does not distort; with workers it leaves them out)."""
    from loaders.extract import extract_document

    start, cpu = time.perf_counter(), time.process_time()
    if cores == 1:
        for text in corpus:
            extract_document(text)
    else:
        # The reload's own parallel path (loaders/pipeline.py), results in corpus order.
        from loaders.pipeline import extract_texts

        for _ in extract_texts(corpus, cores):
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def time_spacy(corpus: list, cores: int) -> tuple[float, float]:
    """spaCy's own nlp.pipe over the same lines, same pipelines, the same number of processes."""
    from loaders.parse import pipeline

    start, cpu = time.perf_counter(), time.process_time()
    for lang in sorted({t.document.lang for t in corpus}):
        nlp = pipeline(lang)
        if nlp is None:
            continue
        lines = [
            line for t in corpus if t.document.lang == lang for line in t.text.split("\n") if line
        ]
        for _ in nlp.pipe(lines, n_process=cores, batch_size=64):
            pass
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT / "data" / "corpus"))
    parser.add_argument("--min-bytes", type=int, default=1_000_000)
    parser.add_argument("--cores", type=int, default=1)
    args = parser.parse_args()
    _single_threaded(args.cores)
    from loaders.documents import read_corpus
    from loaders.extract import extract_document

    texts, errors = read_corpus(Path(args.corpus))
    if not texts:
        raise SystemExit(f"no readable document in {args.corpus}: {errors}")
    for text in texts:  # load every language's pipeline and the gazetteer outside the timing
        extract_document(text)
    corpus = replicated(texts, args.min_bytes)
    words = sum(len(t.text.split()) for t in corpus)
    megabytes = sum(len(t.text.encode("utf-8")) for t in corpus) / 1e6
    seconds, cpu = time_extract(corpus, args.cores)
    spacy_seconds, spacy_cpu = time_spacy(corpus, args.cores)
    machine = f"{platform.machine()} python {platform.python_version()}"
    print(
        "| benchmark | cores | documents | MB | words | seconds | words/s | vs spaCy "
        "| CPU s | words/CPU s | vs spaCy (CPU) | machine |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    rows = (("extract_document", seconds, cpu), ("spaCy nlp.pipe alone", spacy_seconds, spacy_cpu))
    for name, secs, cpu_secs in rows:
        first = name == "extract_document"
        ratio = f"{spacy_seconds / secs:.2f}x" if first else "1"
        # With workers the CPU time is theirs, not this process's: not shown.
        on_cpu = args.cores == 1
        cpu_cols = (
            f"{cpu_secs:.1f} | {words / cpu_secs:,.0f} | "
            + (f"{spacy_cpu / cpu_secs:.2f}x" if first else "1")
            if on_cpu
            else "n/a | n/a | n/a"
        )
        print(
            f"| {name} | {args.cores} | {len(corpus)} | {megabytes:.2f} | {words} | {secs:.1f} | "
            f"{words / secs:,.0f} | {ratio} | {cpu_cols} | {machine} |"
        )


if __name__ == "__main__":
    main()
