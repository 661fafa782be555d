// name: missing-provenance
// question: How many nodes and relationships lack their sources (both should be zero)?
// note: nodes labelled Staged or Retired are a Neo4j reload's hidden generations (graph/
// neo4j_store.py), and ReloadLock its lock: left out, so a reader sees the current graph only.
MATCH (n)
WHERE NOT n:Staged AND NOT n:Retired AND NOT n:ReloadLock
  AND (n.sources IS NULL OR size(n.sources) = 0)
RETURN 'nodes' AS what, count(n) AS count
UNION ALL
MATCH (a)-[r]->()
WHERE NOT a:Staged AND NOT a:Retired
  AND (r.sources IS NULL OR size(r.sources) = 0)
RETURN 'relationships' AS what, count(r) AS count
