// name: actor-documents
// question: Which documents mention an actor, and how often?
// param: actor: actor — the actor: an id, a name, an acronym or an alias
// example: -p actor=KZ

MATCH (d:Document)-[m:MENTIONS]->(a:Actor {id: $actor})
RETURN d.id AS document,
       d.title AS title,
       d.lang AS lang,
       d.date AS date,
       m.count AS mentions,
       m.spans[0] AS first_span
ORDER BY mentions DESC, document
