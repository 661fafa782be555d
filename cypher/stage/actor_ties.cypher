// name: stage-actor-ties
// question: Stage: write typed actor -> actor relationships (types cannot be parameters: one
// static branch each). Between staged nodes only, so readers never see them before the switch.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:StagedActor {id: row.source})
MATCH (t:StagedActor {id: row.target})
FOREACH (_ IN CASE WHEN row.type = 'ALLIED_WITH' THEN [1] ELSE [] END | CREATE (s)-[r:ALLIED_WITH]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'COOPERATES_WITH' THEN [1] ELSE [] END | CREATE (s)-[r:COOPERATES_WITH]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'HOSTED' THEN [1] ELSE [] END | CREATE (s)-[r:HOSTED]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'JOINT_VENTURE' THEN [1] ELSE [] END | CREATE (s)-[r:JOINT_VENTURE]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'LEASES' THEN [1] ELSE [] END | CREATE (s)-[r:LEASES]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'MEMBER_OF' THEN [1] ELSE [] END | CREATE (s)-[r:MEMBER_OF]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PARTICIPATED_IN' THEN [1] ELSE [] END | CREATE (s)-[r:PARTICIPATED_IN]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'PART_OF' THEN [1] ELSE [] END | CREATE (s)-[r:PART_OF]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'REPRESENTS' THEN [1] ELSE [] END | CREATE (s)-[r:REPRESENTS]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SUPPLIES' THEN [1] ELSE [] END | CREATE (s)-[r:SUPPLIES]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'TRAINS' THEN [1] ELSE [] END | CREATE (s)-[r:TRAINS]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'VISITED' THEN [1] ELSE [] END | CREATE (s)-[r:VISITED]->(t) SET r = row.props)
