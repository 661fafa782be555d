// name: missing-provenance
// question: How many nodes and relationships lack their sources (both should be zero)?
MATCH (n)
WHERE n.sources IS NULL OR size(n.sources) = 0
RETURN 'nodes' AS what, count(n) AS count
UNION ALL
MATCH ()-[r]->()
WHERE r.sources IS NULL OR size(r.sources) = 0
RETURN 'relationships' AS what, count(r) AS count
