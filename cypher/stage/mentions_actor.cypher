// name: stage-mentions-actor
// question: Stage: write Document -> Actor MENTIONS relationships. Between staged nodes only, so
// readers never see them before the switch.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:StagedDocument {id: row.source})
MATCH (t:StagedActor {id: row.target})
CREATE (s)-[r:MENTIONS]->(t)
SET r = row.props
