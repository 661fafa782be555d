"""Cue words per language, read from ``loaders/data/patterns_<lang>.yaml`` once per process.

Each file is checked on load against ``loaders/data/patterns.schema.yaml``: a key the schema does
not list, a value of another kind or a pattern that does not compile is a ``ValueError`` naming
the file and the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = ("fr", "en")


_MISSING = object()


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One language's cues. ``words`` are folded; ``_re`` entries compile on first use.

    The rules ask for the same cues tens of thousands of times per corpus: each answer is kept
    (the data never changes once loaded), and mappings are handed out read-only.
    """

    lang: str
    data: dict[str, Any]
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)
    _compiled_as_written: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False)
    # The value at each dotted key asked for (None: absent), apart from ``_memo``: the most
    # asked question, answered without building a key.
    _values: dict[str, Any] = field(default_factory=dict, compare=False)

    def _lookup(self, key: str) -> Any:
        found = self._values.get(key, _MISSING)
        if found is _MISSING:
            found = self.data
            for part in key.split("."):
                if not isinstance(found, dict) or part not in found:
                    found = None
                    break
                found = found[part]
            self._values[key] = found
        return found

    def get(self, key: str) -> Any:
        value = self._lookup(key)
        if value is None:
            raise KeyError(f"patterns_{self.lang}.yaml has no {key!r}")
        return value

    def has(self, key: str) -> bool:
        found = self._values.get(key, _MISSING)  # asked hundreds of thousands of times
        return (self._lookup(key) if found is _MISSING else found) is not None

    def regex(self, key: str, *, ignore_case: bool = True) -> re.Pattern[str]:
        """The compiled pattern at ``key`` (dotted path), case-insensitive unless the rule
        reads raw text where case matters (``ignore_case=False``)."""
        compiled = self._compiled if ignore_case else self._compiled_as_written
        pattern = compiled.get(key)
        if pattern is None:
            pattern = re.compile(self.get(key), re.IGNORECASE if ignore_case else 0)
            compiled[key] = pattern
        return pattern

    def words(self, key: str, *, optional: bool = False) -> frozenset[str]:
        """The words at ``key``; with ``optional``, none when this language has no such cue."""
        if optional and not self.has(key):
            return frozenset()
        found = self._memo.get(("words", key))
        if found is None:
            found = self._memo[("words", key)] = frozenset(str(w) for w in self.get(key))
        return found

    def mapping(self, key: str) -> Mapping[str, Any]:
        found = self._memo.get(("mapping", key))
        if found is None:
            value = self.get(key)
            if not isinstance(value, dict):
                raise ValueError(f"patterns_{self.lang}.yaml: {key!r} must be a mapping")
            found = MappingProxyType({str(k): v for k, v in value.items()})
            self._memo[("mapping", key)] = found
        return found


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads "on", "no", "off" as booleans; in word lists they are words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

SCHEMA = DATA / "patterns.schema.yaml"
# "{months}", "{titles}": the parts of a template the code fills in.
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _compiles(source: str, where: str, pattern: Any) -> None:
    """Fail at load, naming the entry, rather than mid-corpus on the first document."""
    if not isinstance(pattern, str):
        raise ValueError(f"{source}: {where!r} must be a regex (a string)")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{source}: {where}: bad regex: {exc}") from exc


def _check_words(source: str, where: str, value: Any) -> None:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ValueError(f"{source}: {where!r} must be a list of words")


def _check_template(source: str, where: str, value: Any) -> None:
    _compiles(source, where, _PLACEHOLDER.sub("x", value) if isinstance(value, str) else value)


def _check_templates(source: str, where: str, value: Any) -> None:
    if not isinstance(value, list):
        raise ValueError(f"{source}: {where!r} must be a list of regex templates")
    for i, template in enumerate(value):
        _check_template(source, f"{where}[{i}]", template)


def _check_mapping(source: str, where: str, value: Any, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ValueError(f"{source}: {where!r} must be a mapping of {what}")
    return value


def _check_numbers(source: str, where: str, value: Any) -> None:
    mapping = _check_mapping(source, where, value, "words to integers")
    if not all(isinstance(v, int) for v in mapping.values()):
        raise ValueError(f"{source}: {where!r} must be a mapping of words to integers")


def _check_labels(source: str, where: str, value: Any) -> None:
    mapping = _check_mapping(source, where, value, "words to labels")
    if not all(isinstance(v, str) for v in mapping.values()):
        raise ValueError(f"{source}: {where!r} must be a mapping of words to labels")


def _check_word_lists(source: str, where: str, value: Any) -> None:
    for label, words in _check_mapping(source, where, value, "labels to word lists").items():
        _check_words(source, f"{where}.{label}", words)


def _check_pairs(source: str, where: str, value: Any) -> None:
    mapping = _check_mapping(source, where, value, "words to [id, name] pairs")
    for pair in mapping.values():
        if not (
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
        ):
            raise ValueError(f"{source}: {where!r} must be a mapping of words to [id, name] pairs")


def _check_number(source: str, where: str, value: Any) -> None:
    if not isinstance(value, int):
        raise ValueError(f"{source}: {where!r} must be an integer")


def _check_text(source: str, where: str, value: Any) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{source}: {where!r} must be a string")


def _check_reserved(source: str, where: str, value: Any) -> None:
    """Reserved keys belong to another module, which validates them itself."""


KINDS: dict[str, Callable[[str, str, Any], None]] = {
    "words": _check_words,
    "regex": _compiles,
    "template": _check_template,
    "templates": _check_templates,
    "numbers": _check_numbers,
    "labels": _check_labels,
    "word_lists": _check_word_lists,
    "pairs": _check_pairs,
    "number": _check_number,
    "text": _check_text,
    "reserved": _check_reserved,
}


@cache
def load_schema() -> dict[str, Any]:
    """The allowed keys of a pattern file: a kind name per key, a mapping per section."""
    schema = yaml.load(SCHEMA.read_text(encoding="utf-8"), Loader=_Loader)
    _check_schema(schema, "")
    return schema


def _check_schema(node: dict[str, Any], path: str) -> None:
    for key, kind in node.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(kind, dict):
            _check_schema(kind, where)
        elif kind not in KINDS:
            raise ValueError(f"{SCHEMA.name}: {where}: unknown kind {kind!r}")


def _validate(source: str, data: Any, schema: dict[str, Any], path: str = "") -> None:
    """Every key of ``data`` must be in ``schema`` and hold a value of its kind."""
    if not isinstance(data, dict):
        raise ValueError(f"{source}: {path or 'the file'!r} must be a mapping")
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        kind = schema.get(key)
        if kind is None:
            raise ValueError(f"{source}: unknown key {where!r}")
        if isinstance(kind, dict):
            _validate(source, value, kind, where)
        else:
            KINDS[kind](source, where, value)


def read_lexicon(path: Path, lang: str) -> Lexicon:
    """The lexicon in the pattern file at ``path``, checked against the schema."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    _validate(path.name, data, load_schema())
    return Lexicon(lang, data)


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (fr or en; anything else reads as English)."""
    lang = lang if lang in LANGUAGES else "en"
    return read_lexicon(DATA / f"patterns_{lang}.yaml", lang)


def with_typographic_apostrophes(data: Any) -> Any:
    """``data`` with every listed word that holds an apostrophe also given with the
    typographic one ("d'" and "d’"): news sites write either, and the parser keeps the one
    the text has."""
    if isinstance(data, dict):
        return {key: with_typographic_apostrophes(value) for key, value in data.items()}
    if isinstance(data, list):
        out = [with_typographic_apostrophes(item) for item in data]
        more = [w.replace("'", "’") for w in out if isinstance(w, str) and "'" in w]
        return out + [w for w in more if w not in out]
    return data
