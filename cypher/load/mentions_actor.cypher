// name: load-mentions-actor
// question: Write Document -> Actor MENTIONS relationships.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:Document {id: row.source})
MATCH (t:Actor {id: row.target})
CREATE (s)-[r:MENTIONS]->(t)
SET r = row.props
