"""Loading a spaCy pipeline: the regex compiler's remembered character classes change nothing."""

from __future__ import annotations

import re
import re._compiler
import re._parser

import pytest

from loaders.parse import charsets_remembered, pipeline


def _patterns(lang: str) -> list[tuple[str, int]]:
    tokenizer = pipeline(lang).tokenizer
    found = [
        tokenizer.prefix_search,
        tokenizer.suffix_search,
        tokenizer.infix_finditer,
        tokenizer.token_match,
        tokenizer.url_match,
    ]
    return [(f.__self__.pattern, f.__self__.flags) for f in found if f is not None]


def _code(pattern: str, flags: int) -> list[int]:
    return re._compiler._code(re._parser.parse(pattern, flags), flags)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_remembered_charsets_compile_the_tokenizer_patterns_to_the_same_code(lang: str) -> None:
    patterns = _patterns(lang)
    plain = [_code(pattern, flags) for pattern, flags in patterns]
    with charsets_remembered():
        remembered = [_code(pattern, flags) for pattern, flags in patterns]
        again = [_code(pattern, flags) for pattern, flags in patterns]
    assert remembered == plain
    assert again == plain
    assert len(patterns) == (5 if lang == "fr" else 4)


def test_the_compiler_is_given_back_as_it_was() -> None:
    original = re._compiler._optimize_charset
    with charsets_remembered():
        assert re._compiler._optimize_charset is not original
        assert re.compile("[a-zé]+", re.I).fullmatch("ÉTÉ") is not None
    assert re._compiler._optimize_charset is original
    with pytest.raises(ZeroDivisionError), charsets_remembered():
        1 / 0  # noqa: B018
    assert re._compiler._optimize_charset is original


def test_a_class_spelled_again_is_optimised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # The point of the memo: on an interpreter whose case-fix table it did not recognise, it
    # silently optimised every class again (Python 3.13's `_EXTRA_CASES`).
    calls: list[object] = []
    real = re._compiler._optimize_charset

    def counted(*args: object) -> object:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(re._compiler, "_optimize_charset", counted)
    pattern = "|".join(f"[a-zà-ÿ]+x{i}" for i in range(10))
    with charsets_remembered():
        for flags in (0, re.IGNORECASE):
            _code(pattern, flags)
    assert len(calls) == 2
