// name: export-nodes
// question: Every node of the graph with its labels and all its properties, for `ties export`.
// Runs unchanged on Neo4j and FalkorDB; graph/export.py sorts labels, keys and rows, so the
// files are the same bytes on both stores.
// example: ties export --format json -o ties.json
// note: nodes labelled Staged or Retired are a Neo4j reload's hidden generations (graph/
// neo4j_store.py), and ReloadLock its lock: left out, so a reader sees the current graph only.
MATCH (n)
WHERE NOT n:Staged AND NOT n:Retired AND NOT n:ReloadLock
RETURN labels(n) AS labels, properties(n) AS properties
