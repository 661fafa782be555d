// name: review-agreements
// question: Every agreement with the number of its known parties and its evidence, for
// `ties review`.
// example: ties review --reason party
MATCH (g:Agreement)
OPTIONAL MATCH (p:Actor)-[:PARTY_TO]->(g)
WITH g, count(p) AS parties
RETURN g.id AS id, g.name AS name, parties, g.evidence AS evidence, g.sources AS sources,
       g.curated AS curated
ORDER BY id
