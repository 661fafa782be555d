"""Publication dates: a manifest beside the corpus, an HTML meta tag, a dateline; else none."""

from __future__ import annotations

from pathlib import Path

from loaders.documents import read_corpus
from tests.conftest import SAMPLE_CORPUS

ARTICLE = "Le Kazakhstan et la Russie ont signé un accord de coopération militaire.\n"


def dates(corpus: Path) -> dict[str, tuple[str | None, str | None]]:
    texts, errors = read_corpus(corpus)
    assert not errors
    return {t.document.source: (t.document.date, t.document.date_from) for t in texts}


def test_manifest_then_meta_then_dateline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Astana, 3 mars 2021 — " + ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text(
        '<html><head><meta property="article:published_time" content="2019-06-01T08:00:00Z">'
        f"<title>B</title></head><body><p>{ARTICLE}</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_text("Publié le 05/02/2020\n" + ARTICLE, encoding="utf-8")
    (tmp_path / "d.txt").write_text(ARTICLE, encoding="utf-8")
    assert dates(tmp_path) == {
        "a.txt": ("2021-03-03", "dateline"),
        "b.html": ("2019-06-01", "meta"),
        "c.txt": ("2020-02-05", "dateline"),
        "d.txt": (None, None),
    }
    (tmp_path / "manifest.csv").write_text("file,date\nc.txt,2018-12-31\n", encoding="utf-8")
    assert dates(tmp_path)["c.txt"] == ("2018-12-31", "manifest")


def test_a_date_deep_in_the_text_is_not_a_dateline(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE * 8 + "Signé le 3 mars 2021.\n", encoding="utf-8")
    assert dates(tmp_path) == {"a.txt": (None, None)}


def test_sample_corpus_dates() -> None:
    found = {source: date for source, (date, _) in dates(SAMPLE_CORPUS).items() if date}
    assert found == {
        "001_78de5d7d51e50328.txt": "2022-05-23",
        "004_fa8826dc4ee1f24b.txt": "2024-11-27",
    }
