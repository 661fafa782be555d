// name: write-scores
// question: Write centrality scores and communities onto the actor nodes, so Cypher can
// ORDER BY them.
// param: rows — [{id, degree, weighted_degree, betweenness, eigenvector, pagerank, closeness, community}]
UNWIND $rows AS row
MATCH (a:Actor {id: row.id})
SET a.degree = row.degree,
    a.weighted_degree = row.weighted_degree,
    a.betweenness = row.betweenness,
    a.eigenvector = row.eigenvector,
    a.pagerank = row.pagerank,
    a.closeness = row.closeness,
    a.community = row.community
