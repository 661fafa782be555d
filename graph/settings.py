"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

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

    @property
    def cache_path(self) -> Path:
        """Where each document's extracted facts are kept (loaders/pipeline.py)."""
        return self.home / "cache" / "extract"


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


# `scheme://user:password@host` or `scheme://token@host`: the userinfo part of any URI.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s]*)@")


def split_credentials(uri: str) -> tuple[str, str | None, str | None]:
    """The URI without its userinfo, and the user and password it held.

    >>> split_credentials("bolt://neo4j:secret123@db.example:7687")
    ('bolt://db.example:7687', 'neo4j', 'secret123')
    >>> split_credentials("neo4j+s://db.example")
    ('neo4j+s://db.example', None, None)
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return redact(uri), None, None
    if "@" not in parts.netloc:
        return uri, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    address = urlunsplit(parts._replace(netloc=hostport))
    return address, unquote(user) or None, unquote(password) if sep else None


def redact(text: str) -> str:
    """Any credentials written inside a URI replaced by `***`, wherever the URI appears.

    >>> redact("cannot reach bolt://neo4j:secret123@host:7687 (refused)")
    'cannot reach bolt://***@host:7687 (refused)'
    """
    return _USERINFO.sub(lambda m: f"{m.group('scheme')}***@", text)
