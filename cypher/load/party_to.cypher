// name: load-party-to
// question: Write actor -> agreement PARTY_TO relationships.
// param: rows — [{type, source, target, props}]
UNWIND $rows AS row
MATCH (s:Actor {id: row.source})
MATCH (t:Agreement {id: row.target})
CREATE (s)-[r:PARTY_TO]->(t)
SET r = row.props
