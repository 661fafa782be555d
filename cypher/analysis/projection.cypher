// name: projection
// question: The actor-actor network: one row per reason two actors are tied, with the years it
// holds. graph/analysis.py weights and sums these rows (see `edge_weight`). Runs unchanged on
// Neo4j and FalkorDB, so centrality is the same on every store.
// param: tie_types — the direct actor-actor relationship types to include
// param: hedged — fact statuses left out of the network (planned, reported): only what the
//        texts assert ties two actors
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)<-[:PARTY_TO]-(b:Actor)
WHERE a.id < b.id
RETURN a.id AS source, b.id AS target, 'agreement' AS via, g.id AS through, g.name AS label,
       g.signed_year AS since, g.expires_year AS until, size(g.parties) AS size
UNION ALL
MATCH (a:Actor)-[m:MEMBER_OF]->(o:Actor)
WHERE NOT coalesce(m.status, '') IN $hedged
RETURN a.id AS source, o.id AS target, 'membership' AS via, o.id AS through, o.name AS label,
       m.year AS since, m.until_year AS until, 2 AS size
UNION ALL
MATCH (a:Actor)-[ma:MEMBER_OF]->(o:Actor)<-[mb:MEMBER_OF]-(b:Actor)
WHERE a.id < b.id AND NOT coalesce(ma.status, '') IN $hedged
  AND NOT coalesce(mb.status, '') IN $hedged
WITH a, b, o, ma, mb
MATCH (m:Actor)-[:MEMBER_OF]->(o)
WITH a, b, o, ma, mb, count(m) AS members
// Two members share an organisation from the later of their joining years to the earlier of
// their leaving years.
RETURN a.id AS source, b.id AS target, 'co-membership' AS via, o.id AS through,
       o.name AS label,
       CASE WHEN ma.year IS NULL THEN mb.year WHEN mb.year IS NULL THEN ma.year
            WHEN ma.year > mb.year THEN ma.year ELSE mb.year END AS since,
       CASE WHEN ma.until_year IS NULL THEN mb.until_year
            WHEN mb.until_year IS NULL THEN ma.until_year
            WHEN ma.until_year < mb.until_year THEN ma.until_year ELSE mb.until_year END AS until,
       members AS size
UNION ALL
MATCH (a:Actor)-[r]->(b:Actor)
WHERE type(r) IN $tie_types AND NOT coalesce(r.status, '') IN $hedged
RETURN a.id AS source, b.id AS target, type(r) AS via, type(r) AS through, type(r) AS label,
       r.year AS since, null AS until, 2 AS size
