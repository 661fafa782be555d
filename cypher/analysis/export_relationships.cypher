// name: export-relationships
// question: Every relationship of the graph with its type, its two ends (labels and id) and all
// its properties, for `ties export`.
// example: ties export --format csv -o ties-csv/
// note: nodes labelled Staged or Retired are a Neo4j reload's hidden generations (graph/
// neo4j_store.py): left out, so a reader sees the current graph only.
MATCH (a)-[r]->(b)
WHERE NOT a:Staged AND NOT a:Retired
RETURN type(r) AS type, labels(a) AS start_labels, a.id AS start_id,
       labels(b) AS end_labels, b.id AS end_id, properties(r) AS properties
