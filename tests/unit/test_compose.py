"""docker-compose.yml cannot be started here (no Docker engine), but it is checked offline."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_matches_the_compose_spec() -> None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(ROOT / "docker-compose.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_neo4j_526_with_apoc_healthcheck_and_volume() -> None:
    spec = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = spec["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    assert "apoc" in neo4j["environment"]["NEO4J_PLUGINS"]
    assert {"7474:7474", "7687:7687"} <= set(neo4j["ports"])
    assert "healthcheck" in neo4j
    assert "neo4j-data" in spec["volumes"]
    assert "${NEO4J_PASSWORD" in neo4j["environment"]["NEO4J_AUTH"]  # no secret in the repo
