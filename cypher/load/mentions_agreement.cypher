// name: load-mentions-agreement
// question: Write Document -> Agreement MENTIONS relationships.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:Document {id: row.source})
MATCH (t:Agreement {id: row.target})
CREATE (s)-[r:MENTIONS]->(t)
SET r = row.props
