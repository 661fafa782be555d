"""The pattern files and their schema: what a file may hold, and that the rules keep no words."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import loaders.model as model
from loaders.ontology import ontology
from loaders.rules.lexicon import DATA, LANGUAGES, load_lexicon, load_schema, read_lexicon

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "loaders" / "rules"

# Names the rules' code uses for its own bookkeeping, not for reading text. Each is a value the
# code compares with values it set itself, never with a word of a document.
INTERNAL_NAMES = frozenset(
    {
        # reference forms (rules/context.py Ref.form)
        "name",
        "acronym",
        "capital",
        "pattern",
        "ner",
        "alias",
        "quoted",
        "adjective",
        "prefix",
        "anaphor",
        # date roles and date pattern names (rules/dates.py)
        "plain",
        "dmy",
        # agreement fields and scopes (model.Agreement)
        "duration",
        "bilateral",
        "multilateral",
        # membership status; the status of a fact its sentence denies (rules/polarity.py)
        "left",
        "negated",
        # id fragment of a ministry ("KZ-ministry-defence")
        "ministry",
        # spaCy NER labels
        "PER",
        "PERSON",
        "MISC",
        # unicodedata normalisation form
        "NFKD",
        # the anchor node of a dependency pattern (rules/dependency.py), pydantic settings
        "anchor",
        "forbid",
        "after",
        # the pattern files' names ("patterns_<lang>.yaml" in error messages)
        "patterns",
        "yaml",
    }
)
# spaCy's own vocabulary, the same for every language: DependencyMatcher keys, Universal POS
# tags, and the dependency labels that structure a phrase in both label sets (the English
# model's and Universal Dependencies): auxiliaries, determiners, case markers, coordination.
SPACY_NAMES = frozenset(
    {
        *("LEFT_ID", "REL_OP", "RIGHT_ID", "RIGHT_ATTRS", "DEP", "LEMMA", "LOWER", "POS", "IN"),
        "NOT_IN",
        *("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON"),
        *("PROPN", "PUNCT", "SCONJ", "SYM", "VERB"),
        *("aux", "aux:tense", "aux:pass", "det", "case", "conj", "mark"),
    }
)
# Named groups ("(?P<year>", "(?P=name)") and template placeholders ("{titles}") are names too.
_GROUP_OR_PLACEHOLDER = re.compile(r"\(\?P(?:<\w+>|=\w+\))|\{[a-z_]+\}")
# A word: letters, possibly joined by "-" or "_" ("in_force", "military-technical").
_WORD = re.compile(r"[^\W\d_]+(?:[-_][^\W\d_]+)*")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "patterns_xx.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _schema_paths(node: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Every key of the schema as a dotted path, with its kind (or its section)."""
    for key, kind in node.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        yield path, kind
        if isinstance(kind, dict):
            yield from _schema_paths(kind, path)


def _string_literals(path: Path) -> Iterator[ast.Constant]:
    """String constants of a module, f-string parts included, docstrings and error messages
    (the arguments of ``raise``) excluded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    messages = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and node.exc is not None
        for inner in ast.walk(node.exc)
    }
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        is_string = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_string and id(node) not in docstrings and id(node) not in messages:
            yield node


def _vocabulary() -> frozenset[str]:
    """What a literal of the rules may name: lexicon keys (paths and their parts), the model's
    closed vocabularies (kinds, statuses, tie types), regex group names, internal names."""
    words = set(INTERNAL_NAMES) | SPACY_NAMES | set(ontology().facts)
    for path, _ in _schema_paths(load_schema()):
        words.add(path)
        words.update(path.split("."))
    for value in vars(model).values():
        if isinstance(value, tuple | frozenset) and all(isinstance(v, str) for v in value):
            words.update(value)
    for lang in LANGUAGES:
        text = (DATA / f"patterns_{lang}.yaml").read_text(encoding="utf-8")
        words.update(re.findall(r"\(\?P<(\w+)>", text))
    for module in RULES.glob("*.py"):
        words.update(re.findall(r"\(\?P<(\w+)>", module.read_text(encoding="utf-8")))
    return frozenset(words)


# ---------------------------------------------------------------------------- the schema


def test_pattern_files_load() -> None:
    for lang in LANGUAGES:
        assert load_lexicon(lang).data


def test_unknown_key_names_file_and_key(tmp_path: Path) -> None:
    path = _write(tmp_path, "coordinators: [et]\nno_such_cue: [x]\n")
    with pytest.raises(ValueError, match=r"patterns_xx\.yaml: unknown key 'no_such_cue'"):
        read_lexicon(path, "fr")


def test_unknown_key_inside_a_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "ties:\n  SUPPLIES:\n    verb_re: x\n    bogus_re: y\n")
    with pytest.raises(
        ValueError, match=r"patterns_xx\.yaml: unknown key 'ties\.SUPPLIES\.bogus_re'"
    ):
        read_lexicon(path, "fr")


def test_bad_regex_names_the_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, 'membership:\n  join_re: "\\\\b(?:adher"\n')
    with pytest.raises(ValueError, match=r"patterns_xx\.yaml: membership\.join_re: bad regex"):
        read_lexicon(path, "fr")


def test_bad_template_names_the_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, 'date_formats:\n  range: "(?P<month>{months}"\n')
    with pytest.raises(ValueError, match=r"patterns_xx\.yaml: date_formats\.range: bad regex"):
        read_lexicon(path, "fr")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("coordinators: et\n", "coordinators"),
        ("months: {janvier: premier}\n", "months"),
        ("np_premodifiers_max: [8]\n", "np_premodifiers_max"),
        ("ministries: {defense: [defence]}\n", "ministries"),
        ("signing_re: [sign]\n", "signing_re"),
    ],
)
def test_wrong_kind_names_file_and_entry(tmp_path: Path, text: str, entry: str) -> None:
    with pytest.raises(ValueError, match=rf"patterns_xx\.yaml: '{entry}' must be"):
        read_lexicon(_write(tmp_path, text), "fr")


def test_reserved_keys_take_any_value(tmp_path: Path) -> None:
    text = "relations:\n  - {pattern: [{RIGHT_ID: v}], anything: goes}\npolarity: 3\n"
    lexicon = read_lexicon(_write(tmp_path, text), "fr")
    assert lexicon.has("relations") and lexicon.has("polarity")


def test_every_schema_key_is_read_by_a_rule() -> None:
    """A key is read when its dotted path is a string literal of loaders/**/*.py, or when its
    section is read and its own name is a literal (``formats["range"]``, f"date_cues_re.{role}"
    with "since" among the roles). Reserved keys belong to another module."""
    literals = {
        node.value.rstrip(".")
        for module in (ROOT / "loaders").rglob("*.py")
        for node in _string_literals(module)
    }
    read: set[str] = set()
    unread = []
    for path, kind in _schema_paths(load_schema()):
        parent, _, name = path.rpartition(".")
        if kind == "reserved":
            continue
        if path in literals or ((not parent or parent in read) and name in literals):
            read.add(path)
        elif not isinstance(kind, dict):
            unread.append(path)
    assert not unread, f"schema keys no rule reads: {unread}"


def test_pattern_files_hold_only_read_keys() -> None:
    """The files are checked against the schema on load; the schema lists only read keys (test
    above), so no file holds a key no rule reads."""
    schema_paths = {path for path, _ in _schema_paths(load_schema())}
    for lang in LANGUAGES:
        assert set(load_lexicon(lang).data) <= schema_paths


# ---------------------------------------------------------------------------- the rules' code


def test_rules_hold_no_word_literals() -> None:
    """No French or English word sits in the Python of loaders/rules/: words are data.

    Heuristic: every string literal of ``loaders/rules/*.py`` (docstrings aside; lexicon.py,
    the loader, aside: its literals are error messages) is scanned, named groups and template
    placeholders removed. Each word in it with 3 or more consecutive letters must be a name
    the code uses to look things up or to keep its books: a lexicon key (a dotted path of the
    schema or a part of one), a value of the model's closed vocabularies (kinds, statuses, tie
    types), a regex group name, or one of INTERNAL_NAMES. Anything else ("depuis", "the",
    "near") is a word of a language and belongs in patterns_<lang>.yaml. Words of one or two
    letters ("de", "of") escape the heuristic; reviews catch those.
    """
    vocabulary = _vocabulary()
    offenders = []
    for module in sorted(RULES.glob("*.py")):
        if module.name == "lexicon.py":
            continue
        for node in _string_literals(module):
            text = _GROUP_OR_PLACEHOLDER.sub(" ", node.value)
            if text.rstrip(".") in vocabulary:
                continue
            for word in _WORD.findall(text):
                if re.search(r"[^\W\d_]{3}", word) and word not in vocabulary:
                    offenders.append(f"{module.name}:{node.lineno}: {word!r} in {node.value!r}")
    assert not offenders, "word literals in loaders/rules:\n" + "\n".join(offenders)


# Patterns that read raw text where a capital is the point (a name's inner capital, a regnal
# or ordinal number, the capitalised word before a company).
CASE_SENSITIVE = frozenset(
    {"ordinal_re", "name_inner_capital_re", "regnal_number_re", "company_context.before_re"}
)
_ESCAPES_AND_NAMES = re.compile(r"\\[A-Za-z]|\(\?P<\w+>|\(\?P=\w+\)|\{[a-z_]+\}")


def _patterns(data: dict, path: str = "") -> list[tuple[str, str]]:
    out = []
    for key, value in data.items():
        where = f"{path}.{key}" if path else key
        if isinstance(value, dict):
            out += _patterns(value, where)
        elif isinstance(value, str) and key.endswith("_re"):
            out.append((where, value))
    return out


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cue_patterns_hold_no_capital(lang: str) -> None:
    """Cues are searched in folded text (no capitals) as written, without IGNORECASE: a
    capital in one would never match there."""
    capitals = [
        where
        for where, pattern in _patterns(load_lexicon(lang).data)
        if where not in CASE_SENSITIVE
        and (words := _ESCAPES_AND_NAMES.sub("", pattern)) != words.lower()
    ]
    assert capitals == []
