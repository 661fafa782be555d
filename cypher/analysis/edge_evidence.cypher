// name: edge-evidence
// question: For each pair of actors, the relationships between them with their evidence, for the
// network page's edge panels; `fact` is the id a correction names (an agreement's own id).
// param: actors — the ids of the actors the page draws: only the pairs among them are read, so
//        the read grows with the page, not with the graph
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)<-[:PARTY_TO]-(b:Actor)
WHERE a.id < b.id AND a.id IN $actors AND b.id IN $actors
RETURN a.id AS source, b.id AS target, g.kind AS kind, g.name AS name, g.signed AS date,
       g.evidence AS evidence, g.sources AS sources, g.id AS fact, g.status AS status,
       coalesce(g.parties, []) AS parties, g.expires AS expires
UNION ALL
MATCH (a:Actor)-[r]->(b:Actor)
WHERE type(r) <> 'MENTIONS' AND a.id IN $actors AND b.id IN $actors
RETURN a.id AS source, b.id AS target, type(r) AS kind, type(r) AS name, r.date AS date,
       r.evidence AS evidence, r.sources AS sources, r.fact_id AS fact, r.status AS status,
       [] AS parties, r.until AS expires
