"""Reading documents: every bad file is named with its reason, every good one is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.documents import detect_language, document_id, read_corpus
from loaders.model import DocumentError


@pytest.fixture
def messy_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Le Kazakhstan et la Russie ont signé un traité.", "utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("  \n\n ", "utf-8")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "latin1.txt").write_bytes("La Turquie a signé un accord à Ankara.".encode("latin-1"))
    (corpus / "page.html").write_text(
        "<html><head><title>Sommet</title><script>alert(1)</script></head>"
        "<body><p>Le sommet de l&#39;OTAN s&rsquo;est tenu à Vilnius.</p></body></html>",
        "utf-8",
    )
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    (corpus / ".hidden.txt").write_text("ignored", "utf-8")
    return corpus


def test_bad_files_are_named_with_their_reason(messy_corpus: Path) -> None:
    texts, errors = read_corpus(messy_corpus)
    assert errors == [
        DocumentError("binary.txt", "binary file, not text"),
        DocumentError("blank.md", "empty file"),
        DocumentError("empty.txt", "empty file"),
    ]
    assert [t.document.source for t in texts] == ["good.txt", "latin1.txt", "page.html"]


def test_latin1_is_read_with_a_warning(messy_corpus: Path) -> None:
    texts, _ = read_corpus(messy_corpus)
    latin1 = next(t for t in texts if t.document.source == "latin1.txt")
    assert latin1.text == "La Turquie a signé un accord à Ankara."
    assert latin1.warning is not None and latin1.warning.startswith("latin1.txt: not valid UTF-8")


def test_html_keeps_visible_text_only(messy_corpus: Path) -> None:
    texts, _ = read_corpus(messy_corpus)
    page = next(t for t in texts if t.document.source == "page.html")
    assert page.document.title == "Sommet"
    assert page.text == "Le sommet de l'OTAN s’est tenu à Vilnius."
    assert "alert" not in page.text


def test_utf16_with_bom_is_text(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes("Le traité de Moscou.".encode("utf-16"))
    texts, errors = read_corpus(tmp_path)
    assert not errors and texts[0].text == "Le traité de Moscou."


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, whom file modes do not stop; make the OS refusal happen instead.
    (tmp_path / "locked.txt").write_text("texte", "utf-8")
    (tmp_path / "open.txt").write_text("Le traité.", "utf-8")
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    texts, errors = read_corpus(tmp_path)
    assert errors == [DocumentError("locked.txt", "unreadable: Permission denied")]
    assert [t.document.source for t in texts] == ["open.txt"]


def test_missing_corpus(tmp_path: Path) -> None:
    texts, errors = read_corpus(tmp_path / "nope")
    assert texts == [] and errors[0].reason == "no such file or directory"


def test_language_and_ids() -> None:
    assert detect_language("Le président de la République est à Paris pour le sommet.") == "fr"
    assert detect_language("The president of the republic is in Paris for the summit.") == "en"
    assert document_id("sub dir/Été 2024.txt") == "sub-dir-t-2024"


def test_sha256_and_ids_are_stable(messy_corpus: Path) -> None:
    first, _ = read_corpus(messy_corpus)
    second, _ = read_corpus(messy_corpus)
    assert [t.document for t in first] == [t.document for t in second]


def test_files_that_would_share_an_id_get_distinct_ids(tmp_path: Path) -> None:
    for name in ("x.txt", "x.md", "a b.txt", "a-b.txt", "solo.txt"):
        (tmp_path / name).write_text("Le traité de Moscou.", "utf-8")
    texts, _ = read_corpus(tmp_path)
    ids = [t.document.id for t in texts]
    assert len(set(ids)) == len(ids) == 5
    assert "solo" in ids  # ids that do not collide keep their plain form
    again, _ = read_corpus(tmp_path)
    assert [t.document.id for t in again] == ids


def test_a_document_in_another_language_is_skipped_and_named(tmp_path: Path) -> None:
    (tmp_path / "de.txt").write_text(
        "Die Bundesregierung hat am Montag beschlossen, dass die Lieferung von Panzern an die "
        "Ukraine fortgesetzt wird. Der Minister sagte, dass es keine Alternative gebe.\n",
        encoding="utf-8",
    )
    (tmp_path / "fr.txt").write_text("La France a livré des Rafale à la Grèce.\n", encoding="utf-8")
    texts, errors = read_corpus(tmp_path)
    assert [t.document.lang for t in texts] == ["fr"]
    assert errors == [
        DocumentError("de.txt", "language 'de' not supported (French and English only)")
    ]
