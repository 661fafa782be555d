"""Cross-document entity resolution: one node per real person or company, order-independent."""

from __future__ import annotations

from loaders.model import Actor, Document, DocumentFacts, Evidence, Mention, Tie
from loaders.resolve import resolve_across_documents


def doc(doc_id: str, *names: str) -> DocumentFacts:
    actors = [
        Actor(n.lower().replace(" ", "-"), n, "person", evidence=(Evidence(doc_id, 0, 1, "s"),))
        for n in names
    ]
    return DocumentFacts(
        document=Document(doc_id, doc_id, "fr", f"{doc_id}.txt", "0" * 64),
        actors=actors,
        ties=[Tie("REPRESENTS", a.id, "KZ") for a in actors],
        mentions=[Mention(doc_id, a.id, 0, 1, a.name) for a in actors],
    )


def ids(all_facts: list[DocumentFacts]) -> set[str]:
    return {a.id for facts in all_facts for a in facts.actors}


def test_transliterations_and_surnames_merge_everywhere() -> None:
    facts = [doc("d1", "Kassym-Jomart Tokaïev"), doc("d2", "Kassym-Jomart Tokayev", "Tokayev")]
    resolved = resolve_across_documents(facts)
    assert ids(resolved) == {"kassym-jomart-tokayev"}
    assert {t.source for f in resolved for t in f.ties} == {"kassym-jomart-tokayev"}
    assert {m.target for f in resolved for m in f.mentions} == {"kassym-jomart-tokayev"}


def test_relatives_and_ambiguous_surnames_stay_apart() -> None:
    facts = [doc("d1", "Joe Biden", "Hunter Biden"), doc("d2", "Biden")]
    assert ids(resolve_across_documents(facts)) == {"joe-biden", "hunter-biden", "biden"}


def test_result_does_not_depend_on_document_order() -> None:
    a, b = doc("d1", "Sergueï Lavrov"), doc("d2", "Sergei Lavrov")
    assert ids(resolve_across_documents([a, b])) == ids(resolve_across_documents([b, a]))
