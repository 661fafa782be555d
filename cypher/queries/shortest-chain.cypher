// name: shortest-chain
// question: What is the shortest chain of ties, agreements and events linking two actors?
// param: actor: actor — where the chain starts: an id, a name, an acronym or an alias
// param: other: actor — where it ends
// example: -p actor=US -p other=RU

// Only fact relationships: a MENTIONS hop through a document would link any two actors named
// in the same article. The type list is every fact type of graph/schema.py (a unit test checks).
// Neo4j refuses a shortest path from a node to itself, hence the b <> a guard.
MATCH (a:Actor {id: $actor})
MATCH (b:Actor {id: $other})
WHERE b.id <> a.id
WITH a, b
MATCH p = allShortestPaths((a)-[:ALLIED_WITH|AMENDS|COOPERATES_WITH|EXTENDS|HOSTED|JOINT_VENTURE|LEASES|MEMBER_OF|PARTICIPATED_IN|PART_OF|PARTY_TO|REPRESENTS|SUPERSEDES|SUPPLIES|TRAINS|VISITED*..6]-(b))
// Project before sorting: FalkorDB cannot ORDER BY an expression over the path itself.
// `path` spells each hop with its direction, as Cypher draws it.
WITH [n IN nodes(p) | n.name] AS chain,
     [n IN nodes(p) | n.id] AS ids,
     reduce(
       text = nodes(p)[0].name, i IN range(0, length(p) - 1) |
       text
       + CASE
           WHEN startNode(relationships(p)[i]) = nodes(p)[i]
             THEN ' -[' + type(relationships(p)[i]) + ']-> '
           ELSE ' <-[' + type(relationships(p)[i]) + ']- '
         END
       + nodes(p)[i + 1].name
     ) AS path
RETURN DISTINCT size(ids) - 1 AS hops, path, chain, ids
ORDER BY ids, path
