// name: joint-exercises
// question: Which joint exercises took place, when and where, who hosted them and who took part?
// param: kind: str = exercise — the kind of event (exercise, visit, summit); all kinds when empty
// param: actor: actor = "" — only events this actor hosted or took part in (all when empty)
// example: -p actor=KZ

MATCH (e:Event)
WHERE $kind = '' OR e.kind = $kind
OPTIONAL MATCH (x:Actor)-[r:HOSTED|PARTICIPATED_IN]->(e)
// collect() keeps the order of its input on both stores, so sort the actors first.
WITH e, x, r
ORDER BY x.name, x.id
WITH e,
     collect(CASE WHEN type(r) = 'HOSTED' THEN x.name END) AS hosts,
     collect(CASE WHEN type(r) = 'PARTICIPATED_IN' THEN x.name END) AS participants,
     collect(x.id) AS actor_ids
WHERE $actor = '' OR $actor IN actor_ids
RETURN e.name AS event,
       e.kind AS kind,
       e.start AS start_date,
       e.end AS end_date,
       e.place AS place,
       hosts,
       participants,
       e.sources AS sources,
       e.id AS id
ORDER BY start_date, id
