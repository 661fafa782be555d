// name: review-facts
// question: Every fact relationship with its id, ends, status and evidence, for `ties review`.
// example: ties review --format json
// note: nodes labelled Staged or Retired are a Neo4j reload's hidden generations (graph/
// neo4j_store.py): left out, so a reader sees the current graph only.
MATCH (a)-[r]->(b)
WHERE type(r) <> 'MENTIONS' AND NOT a:Staged AND NOT a:Retired
RETURN r.fact_id AS id, type(r) AS type, a.id AS source, a.name AS source_name, b.id AS target,
       b.name AS target_name, r.status AS status, r.evidence AS evidence, r.sources AS sources,
       r.dataset AS dataset, r.curated AS curated
ORDER BY id
