// name: review-actors
// question: Every actor with its kind, names and number of ties (MENTIONS aside), for
// `ties review`.
// example: ties review --reason no-tie
MATCH (a:Actor)
OPTIONAL MATCH (a)-[r]-(x)
WHERE NOT x:Document
WITH a, count(r) AS ties
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.aliases AS aliases, ties,
       a.sources AS sources, a.curated AS curated
ORDER BY id
