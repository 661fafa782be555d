// name: edge-evidence
// question: For each pair of actors, the relationships between them with their evidence, for the
// network page's edge panels; `fact` is the id a correction names (an agreement's own id).
// Columns: source, target (a direct tie), or members (an agreement: its parties among
// $actors, every pair of whom it ties; source and target are null), then the fact's kind, name,
// date, evidence, sources, id, status, parties and expiry. An agreement is one row, not one per
// pair of its parties: a 150-party agreement would otherwise repeat its sentences, documents
// and parties 11,175 times (graph/viz.py makes the pairs).
// param: actors — the ids of the actors the page draws: only the pairs among them are read, so
//        the read grows with the page, not with the graph
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)
WHERE a.id IN $actors
WITH g, collect(DISTINCT a.id) AS members
WHERE size(members) > 1
RETURN null AS source, null AS target, members, g.kind AS kind, g.name AS name,
       g.signed AS date, g.evidence AS evidence, g.sources AS sources, g.id AS fact,
       g.status AS status, coalesce(g.parties, []) AS parties, g.expires AS expires
UNION ALL
MATCH (a:Actor)-[r]->(b:Actor)
WHERE type(r) <> 'MENTIONS' AND a.id IN $actors AND b.id IN $actors
RETURN a.id AS source, b.id AS target, null AS members, type(r) AS kind, type(r) AS name,
       r.date AS date, r.evidence AS evidence, r.sources AS sources, r.fact_id AS fact,
       r.status AS status, [] AS parties, r.until AS expires
