// name: counts
// question: How many nodes of each label and relationships of each type does the graph hold?
MATCH (n)
UNWIND labels(n) AS label
RETURN 'node:' + label AS key, count(*) AS count
UNION ALL
MATCH ()-[r]->()
RETURN 'rel:' + type(r) AS key, count(*) AS count
