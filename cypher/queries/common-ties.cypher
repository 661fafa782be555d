// name: common-ties
// question: Which actors are tied to both of two actors, directly or through a shared agreement or event?
// param: actor: actor — the first actor: an id, a name, an acronym or an alias
// param: other: actor — the second actor
// example: -p actor=KZ -p other=RU

// A tie is a direct relationship, or two hops through one agreement or event (shown as
// AGREEMENT or EVENT). Only fact types are walked (every one of graph/schema.py; a unit test checks),
// so mentions in a shared document neither count nor blow up the expansion.
// Tie types are sorted before collect(), which keeps its input order.
MATCH p = (a:Actor {id: $actor})-[:ALLIED_WITH|AMENDS|COOPERATES_WITH|EXTENDS|HOSTED|JOINT_VENTURE|LEASES|MEMBER_OF|PARTICIPATED_IN|PART_OF|PARTY_TO|REPRESENTS|SUPERSEDES|SUPPLIES|TRAINS|VISITED*1..2]-(c:Actor)
WHERE c.id <> $other AND c.id <> $actor
  AND (length(p) = 1 OR NOT nodes(p)[1]:Actor)
WITH c, CASE
       WHEN length(p) = 1 THEN type(relationships(p)[0])
       WHEN nodes(p)[1]:Agreement THEN 'AGREEMENT'
       ELSE 'EVENT'
     END AS tie
ORDER BY tie
WITH c, collect(DISTINCT tie) AS with_actor
MATCH q = (c)-[:ALLIED_WITH|AMENDS|COOPERATES_WITH|EXTENDS|HOSTED|JOINT_VENTURE|LEASES|MEMBER_OF|PARTICIPATED_IN|PART_OF|PARTY_TO|REPRESENTS|SUPERSEDES|SUPPLIES|TRAINS|VISITED*1..2]-(b:Actor {id: $other})
WHERE length(q) = 1 OR NOT nodes(q)[1]:Actor
WITH c, with_actor,
     CASE
       WHEN length(q) = 1 THEN type(relationships(q)[0])
       WHEN nodes(q)[1]:Agreement THEN 'AGREEMENT'
       ELSE 'EVENT'
     END AS tie
ORDER BY tie
WITH c, with_actor, collect(DISTINCT tie) AS with_other
RETURN c.name AS actor,
       c.kind AS kind,
       with_actor,
       with_other,
       c.pagerank AS pagerank,
       c.id AS id
ORDER BY size(with_actor) + size(with_other) DESC, id
