// name: load-mentions-event
// question: Write Document -> Event MENTIONS relationships.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:Document {id: row.source})
MATCH (t:Event {id: row.target})
CREATE (s)-[r:MENTIONS]->(t)
SET r = row.props
