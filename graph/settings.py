"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = ".ties"


@dataclass(frozen=True)
class Settings:
    store: str
    home: Path
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str | None

    @property
    def html_path(self) -> Path:
        return self.home / "network.html"


def load_settings(
    store: str | None = None,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> Settings:
    """Command-line values win over the environment; neo4j is the default once a URI is known."""
    env = os.environ
    neo4j_uri = uri or env.get("NEO4J_URI") or None
    chosen = store or env.get("TIES_STORE") or ("neo4j" if neo4j_uri else "embedded")
    return Settings(
        store=chosen,
        home=Path(env.get("TIES_HOME") or DEFAULT_HOME),
        neo4j_uri=neo4j_uri,
        neo4j_user=user or env.get("NEO4J_USER") or "neo4j",
        neo4j_password=password if password is not None else env.get("NEO4J_PASSWORD"),
        neo4j_database=env.get("NEO4J_DATABASE") or None,
    )
