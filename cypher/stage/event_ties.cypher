// name: stage-event-ties
// question: Stage: write actor -> event relationships (host, participants). Between staged nodes
// only, so readers never see them before the switch.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:StagedActor {id: row.source})
MATCH (t:StagedEvent {id: row.target})
FOREACH (_ IN CASE WHEN row.type = 'HOSTED' THEN [1] ELSE [] END | CREATE (s)-[r:HOSTED]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARTICIPATED_IN' THEN [1] ELSE [] END | CREATE (s)-[r:PARTICIPATED_IN]->(t) SET r = row.props)
