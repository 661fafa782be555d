"""Cue words per language, read from ``loaders/data/patterns_<lang>.yaml`` once per process."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"
LANGUAGES = ("fr", "en")


@dataclass(frozen=True, eq=False)
class Lexicon:
    """One language's cues. ``words`` are folded; ``_re`` entries compile on first use."""

    lang: str
    data: dict[str, Any]
    _compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, compare=False)

    def get(self, key: str) -> Any:
        value: Any = self.data
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"patterns_{self.lang}.yaml has no {key!r}")
            value = value[part]
        return value

    def has(self, key: str) -> bool:
        try:
            self.get(key)
        except KeyError:
            return False
        return True

    def regex(self, key: str, *, ignore_case: bool = True) -> re.Pattern[str]:
        """The compiled pattern at ``key`` (dotted path), case-insensitive unless the rule
        reads raw text where case matters (``ignore_case=False``)."""
        cache_key = key if ignore_case else f"{key}\0"
        pattern = self._compiled.get(cache_key)
        if pattern is None:
            pattern = re.compile(self.get(key), re.IGNORECASE if ignore_case else 0)
            self._compiled[cache_key] = pattern
        return pattern

    def words(self, key: str, *, optional: bool = False) -> frozenset[str]:
        """The words at ``key``; with ``optional``, none when this language has no such cue."""
        if optional and not self.has(key):
            return frozenset()
        return frozenset(str(w) for w in self.get(key))

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.get(key)
        if not isinstance(value, dict):
            raise ValueError(f"patterns_{self.lang}.yaml: {key!r} must be a mapping")
        return {str(k): v for k, v in value.items()}


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads "on", "no", "off" as booleans; in word lists they are words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_regexes(lang: str, data: dict[str, Any], path: str, in_re: bool) -> None:
    """Every value under a key ending in ``_re`` must compile (fail at load, not mid-corpus)."""
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        is_re = in_re or str(key).endswith("_re")
        if isinstance(value, dict):
            _check_regexes(lang, value, where, is_re)
        elif is_re:
            try:
                re.compile(value)
            except (re.error, TypeError) as exc:
                raise ValueError(f"patterns_{lang}.yaml: {where}: bad regex: {exc}") from exc


def _validate(lang: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError(f"patterns_{lang}.yaml must be a mapping")
    _check_regexes(lang, data, "", False)
    return data


@cache
def load_lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (fr or en; anything else reads as English)."""
    lang = lang if lang in LANGUAGES else "en"
    path = DATA / f"patterns_{lang}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    return Lexicon(lang, _validate(lang, data))
