"""spaCy DependencyMatcher patterns, searched from their anchor.

spaCy's ``DependencyMatcher`` runs every node of every pattern through a token ``Matcher`` over
the whole line, then tries the cartesian product of each node's candidates. Our patterns'
head steps carry no attributes ("<": the word a member noun describes), so each of them is a
candidate at every token: measured on the sample corpus, that product was about 40 % of the
rules' time. Here a match grows from the anchor outwards, node by node along its
``LEFT_ID``, so only the tokens the tree relation reaches are tried.

The patterns are the same dictionaries (``RIGHT_ID``, ``LEFT_ID``, ``REL_OP``,
``RIGHT_ATTRS``), and ``__call__`` returns what ``DependencyMatcher.__call__`` returns:
``(key hash, token indices in node order)``, the same matches
(``tests/unit/test_dependency_matcher.py`` compares both on the real development texts).
Only the operators and token attributes the pattern files use are accepted; anything else is
an error when the pattern is added, never a silent mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

# Token attributes a node may test: the Matcher's names, each a column of ``Doc.to_array``.
ATTRS = ("DEP", "LEMMA", "POS", "LOWER")
_LEMMA = ATTRS.index("LEMMA")
OPS = (">", "<", ">>", "<<", "$++")


@dataclass(frozen=True)
class _Test:
    """One attribute's condition: its value among ``allowed`` (if any), not among ``denied``.
    Values are the string store's ids, as ``Doc.to_array`` gives them."""

    attr: int  # the column in ``_Line.columns``
    allowed: frozenset[int] | None
    denied: frozenset[int]


@dataclass(frozen=True)
class _Node:
    left: int  # index of the node this one hangs on (-1: the anchor)
    op: str
    tests: tuple[_Test, ...]


@dataclass(frozen=True)
class _Compiled:
    key: int
    anchor: tuple[_Test, ...]
    nodes: tuple[_Node, ...]


def _tests(attrs: dict[str, Any], strings: Any, where: str) -> tuple[_Test, ...]:
    out = []
    for name, value in attrs.items():
        if name not in ATTRS:
            raise ValueError(f"{where}: token attribute {name!r} is not supported")
        column = ATTRS.index(name)
        if isinstance(value, str):
            out.append(_Test(column, frozenset([strings[value]]), frozenset()))
            continue
        unknown = set(value) - {"IN", "NOT_IN"}
        if not isinstance(value, dict) or unknown:
            raise ValueError(f"{where}: {name} must be a string or IN/NOT_IN, got {value!r}")
        allowed = value.get("IN")
        out.append(
            _Test(
                column,
                None if allowed is None else frozenset(strings[v] for v in allowed),
                frozenset(strings[v] for v in value.get("NOT_IN", ())),
            )
        )
    return tuple(out)


class _Line:
    """One parsed line's token attributes and tree, read once from spaCy."""

    def __init__(self, columns: list[list[int]], heads: list[int]) -> None:
        self.columns = columns
        self.heads = heads
        self._reached: dict[tuple[int, str], list[int]] = {}

    @cached_property
    def children(self) -> list[list[int]]:
        """Each token's dependents, in text order (built only for a line a pattern starts in)."""
        out: list[list[int]] = [[] for _ in self.heads]
        for i, head in enumerate(self.heads):
            if head != i:
                out[head].append(i)
        return out

    def accepts(self, i: int, tests: tuple[_Test, ...]) -> bool:
        for test in tests:
            value = self.columns[test.attr][i]
            if test.allowed is not None and value not in test.allowed:
                return False
            if value in test.denied:
                return False
        return True

    def reached(self, i: int, op: str) -> list[int]:
        """The tokens ``op`` leads to from token ``i``, as the DependencyMatcher defines it."""
        key = (i, op)
        found = self._reached.get(key)
        if found is None:
            found = self._reached[key] = self._OPS[op](self, i)
        return found

    def _children(self, i: int) -> list[int]:
        return self.children[i]

    def _head(self, i: int) -> list[int]:
        return [] if self.heads[i] == i else [self.heads[i]]

    def _descendants(self, i: int) -> list[int]:
        out: list[int] = []
        todo = list(self.children[i])
        while todo:
            j = todo.pop()
            out.append(j)
            todo += self.children[j]
        return out

    def _ancestors(self, i: int) -> list[int]:
        out: list[int] = []
        while self.heads[i] != i:
            i = self.heads[i]
            out.append(i)
        return out

    def _right_siblings(self, i: int) -> list[int]:
        # The head's children after it: for a root, which is its own head, its own (spaCy's
        # definition, kept so that both matchers agree).
        return [j for j in self.children[self.heads[i]] if j > i]

    _OPS: ClassVar[dict[str, Callable[[_Line, int], list[int]]]] = {
        ">": _children,
        "<": _head,
        ">>": _descendants,
        "<<": _ancestors,
        "$++": _right_siblings,
    }


class AnchoredMatcher:
    """Patterns keyed by their anchor's lemmas; a pattern whose anchor has none is tried at
    every token."""

    def __init__(self, strings: Any) -> None:
        self._strings = strings
        self._by_lemma: dict[int, list[_Compiled]] = {}
        self._any: list[_Compiled] = []

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        """Like ``DependencyMatcher.add``: each of ``patterns`` under ``key``."""
        for nodes in patterns:
            self._add(key, nodes)

    def _add(self, key: str, nodes: list[dict[str, Any]]) -> None:
        where = f"pattern {key!r}"
        first, *rest = nodes
        ids = {first["RIGHT_ID"]: -1}
        compiled = []
        for node in rest:
            if node.get("REL_OP") not in OPS:
                raise ValueError(f"{where}: operator {node.get('REL_OP')!r} is not supported")
            if node["LEFT_ID"] not in ids:
                raise ValueError(f"{where}: {node['LEFT_ID']!r} is not an earlier node")
            tests = _tests(node.get("RIGHT_ATTRS", {}), self._strings, where)
            compiled.append(_Node(ids[node["LEFT_ID"]], node["REL_OP"], tests))
            ids[node["RIGHT_ID"]] = len(compiled) - 1
        anchor = _tests(first.get("RIGHT_ATTRS", {}), self._strings, where)
        pattern = _Compiled(self._strings.add(key), anchor, tuple(compiled))
        lemmas = next((t for t in anchor if t.attr == _LEMMA and t.allowed), None)
        if lemmas is None:
            self._any.append(pattern)
            return
        for lemma in sorted(lemmas.allowed or ()):
            self._by_lemma.setdefault(lemma, []).append(pattern)

    def __call__(self, doc: Any) -> list[tuple[int, list[int]]]:
        from numpy import int64
        from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS

        table = doc.to_array([DEP, LEMMA, POS, LOWER, HEAD])  # the order of ATTRS, then HEAD
        columns = table[:, :4].T.tolist()
        if not self._any and self._by_lemma.keys().isdisjoint(columns[_LEMMA]):
            return []
        # HEAD is the head's offset from the token, stored unsigned: cast back to signed.
        heads = (table[:, 4].astype(int64) + range(len(doc))).tolist()
        line = _Line(columns, heads)
        starts = [
            (i, pattern)
            for i, lemma in enumerate(columns[_LEMMA])
            if lemma in self._by_lemma
            for pattern in self._by_lemma[lemma]
        ]
        for pattern in self._any:
            # Only the words whose value passes the anchor's first listed test: a test per
            # word of the line would cost more than all the rest.
            first = next((t for t in pattern.anchor if t.allowed is not None), None)
            if first is None:
                starts += [(i, pattern) for i in range(len(heads))]
            else:
                column = columns[first.attr]
                starts += [(i, pattern) for i in range(len(heads)) if column[i] in first.allowed]
        out: list[tuple[int, list[int]]] = []
        for i, pattern in starts:
            if line.accepts(i, pattern.anchor):
                out += [(pattern.key, ids) for ids in _grow(line, pattern, i)]
        return out


def _grow(line: _Line, pattern: _Compiled, anchor: int) -> list[list[int]]:
    """Every assignment of tokens to the pattern's nodes, the anchor first."""
    partial = [[anchor]]
    for node in pattern.nodes:
        partial = [
            [*ids, j]
            for ids in partial
            for j in line.reached(ids[node.left + 1], node.op)
            if line.accepts(j, node.tests)
        ]
        if not partial:
            break
    return partial
