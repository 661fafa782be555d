// name: agreements-between
// question: Which agreements have two actors both signed, in date order?
// param: actor: actor — one party: an id, a name, an acronym or an alias
// param: other: actor — the other party
// example: -p actor=KZ -p other=RU

// Dates are "YYYY", "YYYY-MM" or "YYYY-MM-DD" strings, so they sort as text; undated last.
MATCH (a:Actor {id: $actor})-[:PARTY_TO]->(g:Agreement)<-[:PARTY_TO]-(b:Actor {id: $other})
RETURN g.signed AS signed,
       g.name AS agreement,
       g.kind AS kind,
       g.status AS status,
       g.scope AS scope,
       g.expires AS expires,
       g.domains AS domains,
       g.parties AS parties,
       g.evidence[0] AS evidence,
       g.id AS id
ORDER BY signed, id
