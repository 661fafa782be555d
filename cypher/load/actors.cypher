// name: load-actors
// question: Write Actor nodes with their kind label (labels cannot be parameters, so each
// kind is a static branch).
// param: rows — [{id, kind, props}]
UNWIND $rows AS row
MERGE (a:Actor {id: row.id})
SET a += row.props
FOREACH (_ IN CASE WHEN row.kind = 'state' THEN [1] ELSE [] END | SET a:State)
FOREACH (_ IN CASE WHEN row.kind = 'organization' THEN [1] ELSE [] END | SET a:Organization)
FOREACH (_ IN CASE WHEN row.kind = 'body' THEN [1] ELSE [] END | SET a:Body)
FOREACH (_ IN CASE WHEN row.kind = 'company' THEN [1] ELSE [] END | SET a:Company)
FOREACH (_ IN CASE WHEN row.kind = 'person' THEN [1] ELSE [] END | SET a:Person)
FOREACH (_ IN CASE WHEN row.kind = 'programme' THEN [1] ELSE [] END | SET a:Programme)
FOREACH (_ IN CASE WHEN row.kind = 'place' THEN [1] ELSE [] END | SET a:Place)
FOREACH (_ IN CASE WHEN row.kind = 'facility' THEN [1] ELSE [] END | SET a:Facility)
FOREACH (_ IN CASE WHEN row.kind = 'equipment' THEN [1] ELSE [] END | SET a:Equipment)
