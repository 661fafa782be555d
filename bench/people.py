"""Linking the people of one document: seconds for N distinct made-up full names.

    python bench/people.py [--sizes 2000 8000]

`loaders.rules.persons.link_people` gives every person candidate the id of its full name; a
document naming many people (a list of delegates, a roll of names) once compared each name with
every name before it. Prints one markdown row per size (the lead copies them into
BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.rules.entities import P_PERSON, Candidate
from loaders.rules.persons import link_people

SYLLABLES = ["ka", "lo", "mi", "ra", "tu", "sen", "vo", "dar", "bel", "ni", "gor", "fa", "zu"]


def names(n: int, seed: int = 1) -> list[Candidate]:
    rng = random.Random(seed)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()

    return [
        Candidate(P_PERSON, i * 20, i * 20 + 15, "", "person", f"{word()} {word()}", "ner")
        for i in range(n)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 8000])
    args = parser.parse_args()
    print("| names | seconds | people |")
    print("|---:|---:|---:|")
    for n in args.sizes:
        candidates = names(n)
        began = time.perf_counter()
        linked = link_people(candidates)
        seconds = time.perf_counter() - began
        print(f"| {n:,} | {seconds:.3f} | {len({c.id for c in linked}):,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
