"""The quality ratchet: no F1 on the real sets or the sample set falls below its baseline.

The figures come from `ties eval --totals --json` (only totals: the blind set's per-document
errors stay unread). A change that raises a figure updates tests/fixtures/quality-baseline.json
in the same commit (`python -m tests.fixtures.quality --write`).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from loaders.evaluate import SCORED_KINDS
from tests.fixtures.quality import SETS, TOLERANCE, read_baseline


def _eval_totals(name: str) -> dict[str, float]:
    gold, corpus = SETS[name]
    args = ["eval", "--gold", str(gold), "--corpus", str(corpus), "--totals", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    overall = json.loads(result.stdout)["overall"]
    return {kind: round(overall[kind]["f1"], 3) for kind in SCORED_KINDS}


def test_baseline_covers_every_set_and_kind() -> None:
    baseline = read_baseline()
    assert {name: sorted(scores) for name, scores in baseline.items()} == {
        name: sorted(SCORED_KINDS) for name in SETS
    }


@pytest.mark.parametrize("name", list(SETS))
def test_no_f1_falls_below_its_baseline(name: str) -> None:
    baseline = read_baseline()[name]
    scores = _eval_totals(name)
    fallen = {
        kind: f"{scores[kind]:.3f} < baseline {baseline[kind]:.3f} - {TOLERANCE}"
        for kind in SCORED_KINDS
        if scores[kind] < baseline[kind] - TOLERANCE
    }
    assert fallen == {}
