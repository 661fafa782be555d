// name: export-relationships
// question: Every relationship of the graph with its type, its two ends (labels and id) and all
// its properties, for `ties export`.
// example: ties export --format csv -o ties-csv/
MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a) AS start_labels, a.id AS start_id,
       labels(b) AS end_labels, b.id AS end_id, properties(r) AS properties
