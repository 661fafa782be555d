// name: counts
// question: How many nodes of each label and relationships of each type does the graph hold?
// note: nodes labelled Staged or Retired are a Neo4j reload's hidden generations (graph/
// neo4j_store.py), and ReloadLock its lock: left out, so a reader sees the current graph only.
MATCH (n)
WHERE NOT n:Staged AND NOT n:Retired AND NOT n:ReloadLock
UNWIND labels(n) AS label
RETURN 'node:' + label AS key, count(*) AS count
UNION ALL
MATCH (a)-[r]->()
WHERE NOT a:Staged AND NOT a:Retired
RETURN 'rel:' + type(r) AS key, count(*) AS count
