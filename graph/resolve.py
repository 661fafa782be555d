"""Turning what an analyst types ("Kazakhstan", "KZ", "Казахстан", "l'OTSC") into an actor id."""

from __future__ import annotations

from typing import Any

from graph import catalogue
from graph.errors import TiesError
from graph.store import Store


def resolve_actor(store: Store, value: str) -> str:
    """The id of the one actor `value` names, looked up in the graph, then in the gazetteer.

    A value that names nothing known is passed through unchanged, so a query simply returns no
    rows rather than failing on a spelling the gazetteer lacks.
    """
    value = value.strip()
    rows = store.run(
        catalogue.get("analysis/resolve_actor").cypher,
        {"value": value, "folded": value.casefold()},
    )
    ids = sorted({row["id"] for row in rows})
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        names = ", ".join(f"{row['id']} ({row['name']})" for row in rows)
        raise TiesError(f"{value!r} names several actors: {names}; pass one id")
    from loaders.gazetteer import load_gazetteer

    entry = load_gazetteer().lookup(value)
    return entry.id if entry else value


def run_library_query(
    store: Store,
    name: str,
    params: dict[str, str] | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
) -> list[dict[str, Any]]:
    """Run library query `name` with text parameters, as `ties query NAME -p k=v` does.

    Parameters are typed from the query's header, defaults filled in, and actor parameters
    resolved by id, name or alias. The query runs read-only.
    """
    entry = catalogue.library_query(name)
    values = entry.bind(dict(params or {}))
    for param in entry.params:
        if param.type == "actor" and values.get(param.name):
            values[param.name] = resolve_actor(store, str(values[param.name]))
    return store.run(entry.cypher, values, timeout=timeout, max_rows=max_rows)
