// name: stage-agreement-links
// question: Stage: write agreement -> agreement relationships (extends, supersedes, amends).
// Between staged nodes only, so readers never see them before the switch.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:StagedAgreement {id: row.source})
MATCH (t:StagedAgreement {id: row.target})
FOREACH (_ IN CASE WHEN row.type = 'AMENDS' THEN [1] ELSE [] END | CREATE (s)-[r:AMENDS]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'EXTENDS' THEN [1] ELSE [] END | CREATE (s)-[r:EXTENDS]->(t) SET r = row.props)
FOREACH (_ IN CASE WHEN row.type = 'SUPERSEDES' THEN [1] ELSE [] END | CREATE (s)-[r:SUPERSEDES]->(t) SET r = row.props)
