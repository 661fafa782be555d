// name: actors
// question: Every actor with the properties the analysis and the network page show, and the
// scores the last reload or `ties analyze` stored on it (null where none was stored).
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.sources AS sources, a.role AS role,
       a.degree AS degree, a.weighted_degree AS weighted_degree,
       a.betweenness AS betweenness, a.eigenvector AS eigenvector, a.pagerank AS pagerank,
       a.closeness AS closeness, a.community AS community
ORDER BY id
