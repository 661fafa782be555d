// name: retire
// question: The first half of a Neo4j reload's switch: every node that is not staged (the
// previous graph) loses the labels readers match and becomes `Retired`, invisible to the library
// queries, then is deleted in batches once the switch has committed (drop_hidden.cypher).
// Removing the keyed labels first lets the staged nodes take the same ids under the unique
// constraints in the same transaction.
MATCH (n)
WHERE NOT n:Staged AND NOT n:ReloadLock
SET n:Retired
REMOVE n:Actor:Agreement:Event:Document
REMOVE n:State:Organization:Body:Company:Person:Programme:Place:Facility:Equipment
