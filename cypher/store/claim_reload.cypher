// name: claim-reload
// question: Take the one reload lock of a Neo4j database, or say who holds it: a reload stages
// its graph in many transactions, and a second reload started meanwhile would delete that
// staged graph as leftovers (graph/neo4j_store.py). The lock is a node `:ReloadLock` keyed by
// a unique constraint, so two reloads that claim it at once cannot both create it; a lock not
// renewed for $stale_seconds (a reload killed without its `finally`) is taken over. The
// library's queries leave `ReloadLock` out, as they leave the hidden generations out.
// param: owner — this reload's token
// param: stale_seconds — how long a lock may go unrenewed before it counts as abandoned
MERGE (l:ReloadLock {id: 'reload'})
ON CREATE SET l.owner = $owner, l.renewed = datetime()
WITH l, l.owner <> $owner AND l.renewed < datetime() - duration({seconds: $stale_seconds}) AS stale
FOREACH (_ IN CASE WHEN stale THEN [1] ELSE [] END |
  SET l.owner = $owner, l.renewed = datetime())
RETURN l.owner AS owner, toString(l.renewed) AS renewed
