// name: people-and-roles
// question: Which people appear, in what role, and which state or organisation do they represent?
// param: actor: actor = "" — only this person, or the people representing this actor (all when empty)
// example: -p actor=KZ

MATCH (p:Person)
OPTIONAL MATCH (p)-[r:REPRESENTS]->(s:Actor)
WITH p, r, s
WHERE $actor = '' OR p.id = $actor OR s.id = $actor
RETURN p.name AS person,
       coalesce(r.role, p.role) AS role,
       s.name AS represents,
       s.kind AS represents_kind,
       coalesce(r.sources, p.sources) AS sources,
       p.id AS id,
       s.id AS represents_id,
       r.fact_id AS fact
ORDER BY id, represents_id
