// name: export-nodes
// question: Every node of the graph with its labels and all its properties, for `ties export`.
// Runs unchanged on Neo4j and FalkorDB; graph/export.py sorts labels, keys and rows, so the
// files are the same bytes on both stores.
// example: ties export --format json -o ties.json
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS properties
