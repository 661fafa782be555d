"""Turning what an analyst types ("Kazakhstan", "KZ", "Казахстан", "l'OTSC") into an actor id.

One resolver for the CLI, the library and the network page: an exact id wins over everything
(``UA`` is Ukraine even when the African Union is "l'UA"); then a name, acronym or alias of
exactly one actor of the graph; then the gazetteer. A value that names nothing is an error
that suggests the closest names.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from graph import catalogue
from graph.errors import TiesError
from graph.store import Store

SUGGESTIONS = 5


def resolve_actor(store: Store, value: str) -> str:
    """The id of the one actor `value` names, looked up in the graph, then in the gazetteer.

    Raises TiesError when `value` names several actors of the graph (listing them) or nothing
    the graph or the gazetteer knows (suggesting the closest names).
    """
    value = value.strip()
    rows = store.run(
        catalogue.get("analysis/resolve_actor").cypher,
        {"value": value, "folded": value.casefold()},
    )
    ids = sorted({row["id"] for row in rows})
    if value in ids:
        return value
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        names = ", ".join(f"{row['id']} ({row['name']})" for row in rows)
        raise TiesError(f"{value!r} names several actors: {names}; pass one id")
    from loaders.gazetteer import load_gazetteer

    entry = load_gazetteer().lookup(value)
    if entry is not None:
        return entry.id
    names = store.run(catalogue.get("analysis/actor_names").cypher)
    raise TiesError(unknown_actor_message(value, names))


def unknown_actor_message(value: str, actors: list[dict[str, Any]]) -> str:
    """The one-line error for a name no actor goes by, with the closest names.

    >>> unknown_actor_message("Putin", [{"id": "vladimir-putin", "name": "Vladimir Putin",
    ...     "acronyms": [], "aliases": ["Poutine"]}])
    "no actor 'Putin'; did you mean: vladimir-putin (Vladimir Putin)?"
    >>> unknown_actor_message("Nowhereland", [])
    "no actor 'Nowhereland' (the graph holds no actors)"
    """
    found = suggestions(value, actors)
    if not actors:
        return f"no actor {value!r} (the graph holds no actors)"
    if not found:
        return f"no actor {value!r}: no id, name, acronym or alias is close to it"
    listed = ", ".join(f"{row['id']} ({row['name']})" for row in found)
    return f"no actor {value!r}; did you mean: {listed}?"


def suggestions(value: str, actors: list[dict[str, Any]], limit: int = SUGGESTIONS) -> list[Any]:
    """The actors whose id, name, acronym or alias is closest to `value`: a word of a name
    equal to it first ("Putin" in "Vladimir Putin"), then by string similarity."""
    key = _fold(value)
    scored: dict[str, tuple[float, dict[str, Any]]] = {}
    for actor in actors:
        names = [actor["id"], actor.get("name") or "", *actor.get("acronyms", [])]
        names.extend(actor.get("aliases") or [])
        best = 0.0
        for name in names:
            folded = _fold(str(name))
            if not folded:
                continue
            score = difflib.SequenceMatcher(None, key, folded).ratio()
            if key in folded.split() or (len(key) >= 4 and key in folded):
                score = max(score, 0.9 + 0.1 * score)
            best = max(best, score)
        if best >= 0.7:
            scored[actor["id"]] = (best, actor)
    ranked = sorted(scored.values(), key=lambda item: (-item[0], item[1]["id"]))
    return [actor for _, actor in ranked[:limit]]


def _fold(text: str) -> str:
    """Lower case, no accents, one space between words."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(plain.replace("'", " ").replace("’", " ").split())


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
