// name: load-event-ties
// question: Write actor -> event relationships (host, participants).
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Event {id: row.target})
FOREACH (_ IN CASE WHEN row.type = 'HOSTED' THEN [1] ELSE [] END | CREATE (s)-[r:HOSTED]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARTICIPATED_IN' THEN [1] ELSE [] END | CREATE (s)-[r:PARTICIPATED_IN]->(t) SET r = row.props)
