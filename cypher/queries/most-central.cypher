// name: most-central
// question: Which actors are the most central in the network (by PageRank)?
// param: limit: int = 10 — how many actors
// param: kind: str = "" — only actors of this kind (state, organization, company…); all when empty
// example: -p limit=10

// The scores are written by `ties analyze` (or `ties reload`); an unscored graph returns no rows.
MATCH (a:Actor)
WHERE a.pagerank IS NOT NULL AND ($kind = '' OR a.kind = $kind)
RETURN a.name AS actor,
       a.kind AS kind,
       a.pagerank AS pagerank,
       a.degree AS degree,
       a.weighted_degree AS weighted_degree,
       a.betweenness AS betweenness,
       a.eigenvector AS eigenvector,
       a.closeness AS closeness,
       a.community AS community,
       a.id AS id
ORDER BY pagerank DESC, id
LIMIT $limit
