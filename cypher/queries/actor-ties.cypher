// name: actor-ties
// question: What ties does an actor have, of every kind, with whom, and on what evidence?
// param: actor: actor — the actor: an id, a name, an acronym or an alias
// param: limit: int = 200 — at most this many rows
// example: -p actor=KZ

// Mentions are where a name occurs, not a tie: documents are left out.
MATCH (a:Actor {id: $actor})-[r]-(other)
WHERE NOT other:Document
RETURN type(r) AS tie,
       CASE WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       other.name AS other_name,
       CASE
         WHEN other:Actor THEN 'actor'
         WHEN other:Agreement THEN 'agreement'
         ELSE 'event'
       END AS other_type,
       other.kind AS other_kind,
       coalesce(r.date, other.signed, other.start) AS date,
       size(coalesce(r.evidence, [])) AS evidence_count,
       r.evidence[0] AS first_evidence,
       r.sources AS sources,
       other.id AS other_id,
       r.fact_id AS fact
ORDER BY tie, direction, other_id
LIMIT $limit
