// name: stage-party-to
// question: Stage: write actor -> agreement PARTY_TO relationships. Between staged nodes only, so
// readers never see them before the switch.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:StagedActor {id: row.source})
MATCH (t:StagedAgreement {id: row.target})
CREATE (s)-[r:PARTY_TO]->(t)
SET r = row.props
