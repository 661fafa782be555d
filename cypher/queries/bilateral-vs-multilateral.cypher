// name: bilateral-vs-multilateral
// question: For each actor, how many of its agreements are bilateral and how many multilateral?
// param: actor: actor = "" — only this actor (all when empty)
// param: limit: int = 50 — at most this many actors, those with the most agreements first
// example: -p actor=KZ

// Scope is the extracted one, else read from the number of parties; one-party documents
// (concepts, national plans) count in `agreements` but in neither share.
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)
WHERE $actor = '' OR a.id = $actor
WITH a, g,
     coalesce(
       g.scope,
       CASE
         WHEN size(g.parties) = 2 THEN 'bilateral'
         WHEN size(g.parties) > 2 THEN 'multilateral'
       END
     ) AS scope
// count() of a CASE without ELSE counts the matching rows and is an integer on both stores,
// where sum() is a float on FalkorDB.
WITH a,
     count(g) AS agreements,
     count(CASE WHEN scope = 'bilateral' THEN 1 END) AS bilateral,
     count(CASE WHEN scope = 'multilateral' THEN 1 END) AS multilateral
RETURN a.name AS actor,
       a.kind AS kind,
       agreements,
       bilateral,
       multilateral,
       CASE
         WHEN bilateral + multilateral = 0 THEN null
         ELSE round(1000.0 * bilateral / (bilateral + multilateral)) / 1000.0
       END AS bilateral_share,
       a.id AS id
ORDER BY agreements DESC, id
LIMIT $limit
