// name: tie-evidence
// question: On what evidence (documents, sentences, spans) are two actors said to be tied?
// param: actor: actor — one actor: an id, a name, an acronym or an alias
// param: other: actor — the other actor
// example: -p actor=KZ -p other=RU

// Direct relationships, and agreements both are party to (the agreement's own evidence).
MATCH (a:Actor {id: $actor})-[r]-(x)
WHERE (x:Actor AND x.id = $other)
   OR (x:Agreement AND type(r) = 'PARTY_TO' AND $other IN coalesce(x.parties, []))
WITH r, x, x:Agreement AS via_agreement
RETURN CASE WHEN via_agreement THEN 'AGREEMENT' ELSE type(r) END AS tie,
       CASE WHEN via_agreement THEN x.name ELSE null END AS agreement,
       CASE WHEN via_agreement THEN x.signed ELSE r.date END AS date,
       CASE WHEN via_agreement THEN x.sources ELSE r.sources END AS documents,
       CASE WHEN via_agreement THEN x.evidence ELSE r.evidence END AS sentences,
       CASE WHEN via_agreement THEN x.spans ELSE r.spans END AS spans,
       CASE WHEN via_agreement THEN x.id ELSE startNode(r).id + '->' + endNode(r).id END AS id,
       r.fact_id AS fact
ORDER BY tie, id
