// name: promote
// question: The second half of a Neo4j reload's switch, in the same transaction as retire.cypher:
// every staged node takes the labels readers match (its keyed label, and for an actor the kind
// label cypher/load/actors.cypher would have set) and loses the staging labels. The staged
// relationships join staged nodes only, so they become the graph with them.
MATCH (n:Staged)
REMOVE n:Staged
FOREACH (_ IN CASE WHEN n:StagedActor THEN [1] ELSE [] END | REMOVE n:StagedActor SET n:Actor)
FOREACH (_ IN CASE WHEN n:StagedAgreement THEN [1] ELSE [] END | REMOVE n:StagedAgreement SET n:Agreement)
FOREACH (_ IN CASE WHEN n:StagedEvent THEN [1] ELSE [] END | REMOVE n:StagedEvent SET n:Event)
FOREACH (_ IN CASE WHEN n:StagedDocument THEN [1] ELSE [] END | REMOVE n:StagedDocument SET n:Document)
FOREACH (_ IN CASE WHEN n.staged_kind = 'state' THEN [1] ELSE [] END | SET n:State)
FOREACH (_ IN CASE WHEN n.staged_kind = 'organization' THEN [1] ELSE [] END | SET n:Organization)
FOREACH (_ IN CASE WHEN n.staged_kind = 'body' THEN [1] ELSE [] END | SET n:Body)
FOREACH (_ IN CASE WHEN n.staged_kind = 'company' THEN [1] ELSE [] END | SET n:Company)
FOREACH (_ IN CASE WHEN n.staged_kind = 'person' THEN [1] ELSE [] END | SET n:Person)
FOREACH (_ IN CASE WHEN n.staged_kind = 'programme' THEN [1] ELSE [] END | SET n:Programme)
FOREACH (_ IN CASE WHEN n.staged_kind = 'place' THEN [1] ELSE [] END | SET n:Place)
FOREACH (_ IN CASE WHEN n.staged_kind = 'facility' THEN [1] ELSE [] END | SET n:Facility)
FOREACH (_ IN CASE WHEN n.staged_kind = 'equipment' THEN [1] ELSE [] END | SET n:Equipment)
REMOVE n.staged_kind
