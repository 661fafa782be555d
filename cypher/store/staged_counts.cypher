// name: staged-counts
// question: How many nodes and relationships the staged generation of a Neo4j reload holds;
// checked at the switch against what the reload's batches reported creating (a mismatch means
// something else changed the staged graph, such as another reload, and the switch is refused).
MATCH (n:Staged)
RETURN 'nodes' AS what, count(n) AS count
UNION ALL
MATCH (:Staged)-[r]->()
RETURN 'relationships' AS what, count(r) AS count
