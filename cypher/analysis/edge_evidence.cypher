// name: edge-evidence
// question: For each pair of actors the network page draws, the relationships between them with
// their evidence, for the page's edge panels; `fact` is the id a correction names (an
// agreement's own id).
// Columns: source, target (a direct tie, as stored), or members (an agreement: its parties among
// $actors; source and target are null), then the fact's kind, name, date, evidence, sources, id,
// status, parties and expiry. An agreement is one row, not one per pair of its parties: a
// 150-party agreement would otherwise repeat its sentences, documents and parties once per pair
// (graph/viz.py keeps the drawn pairs among its members, through each member's drawn ties).
// param: pairs — the pairs the page draws, each [a, b] (ids, a < b): the direct ties are read
//        for these pairs only, each by two index look-ups on :Actor(id) and the ties between
//        those two nodes, so the read grows with the page (`--max-edges`), not with the graph
// param: actors — the actors of those pairs: agreements are read once each, when at least two
//        of their parties are drawn (one scan of those actors' PARTY_TO; per pair it was slower)
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)
WHERE a.id IN $actors
WITH g, collect(DISTINCT a.id) AS members
WHERE size(members) > 1
RETURN null AS source, null AS target, members, g.kind AS kind, g.name AS name,
       g.signed AS date, g.evidence AS evidence, g.sources AS sources, g.id AS fact,
       g.status AS status, coalesce(g.parties, []) AS parties, g.expires AS expires
UNION ALL
UNWIND $pairs AS pair
MATCH (a:Actor {id: pair[0]}), (b:Actor {id: pair[1]})
MATCH (a)-[r]-(b)
WHERE type(r) <> 'MENTIONS'
RETURN startNode(r).id AS source, endNode(r).id AS target, null AS members, type(r) AS kind,
       type(r) AS name, r.date AS date, r.evidence AS evidence, r.sources AS sources,
       r.fact_id AS fact, r.status AS status, [] AS parties, r.until AS expires
