"""One root exception, so the CLI can turn every expected failure into a one-line message."""

from loaders.errors import TiesError

__all__ = [
    "ConnectionFailed",
    "QueryNotFound",
    "ReadOnlyViolation",
    "StoreError",
    "TiesError",
]


class StoreError(TiesError):
    """The store refused or could not run something (bad Cypher, unreachable server...)."""


class ConnectionFailed(StoreError):
    """The store could not be reached or refused our credentials."""


class QueryNotFound(TiesError):
    """No library query has that name."""


class ReadOnlyViolation(StoreError):
    """A write was attempted in a read-only query."""
