// name: actor-memberships
// question: Which organisations is an actor a member of, since when and on what source?
// param: actor: actor — the member: an id, a name, an acronym or an alias
// example: -p actor=KZ

MATCH (a:Actor {id: $actor})-[m:MEMBER_OF]->(o:Actor)
RETURN o.name AS organization,
       o.kind AS kind,
       m.since AS since,
       m.until AS until,
       m.status AS status,
       m.dataset AS dataset,
       m.sources AS sources,
       m.evidence[0] AS evidence,
       o.id AS id,
       m.fact_id AS fact
ORDER BY since, id
