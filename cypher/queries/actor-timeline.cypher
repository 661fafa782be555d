// name: actor-timeline
// question: What agreements has an actor entered into over time, with whom, and where do they stand?
// param: actor: actor — the actor: an id, a name, an acronym or an alias
// example: -p actor=KZ

MATCH (a:Actor {id: $actor})-[:PARTY_TO]->(g:Agreement)
OPTIONAL MATCH (p:Actor)-[:PARTY_TO]->(g)
WHERE p.id <> a.id
// collect() keeps the order of its input on both stores, so sort the partners first.
WITH g, p
ORDER BY p.name, p.id
WITH g, collect(p.name) AS partners
RETURN g.signed_year AS year,
       g.signed AS signed,
       g.name AS agreement,
       g.kind AS kind,
       g.status AS status,
       g.in_force AS in_force,
       g.expires AS expires,
       partners,
       g.id AS id
ORDER BY signed, id
