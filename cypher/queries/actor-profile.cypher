// name: actor-profile
// question: Who is an actor: its kind, other names, and how many agreements, memberships, ties and mentions it has?
// param: actor: actor — the actor: an id, a name, an acronym or an alias
// example: -p actor=KZ

// Each OPTIONAL MATCH is counted before the next one, so the counts do not multiply.
MATCH (a:Actor {id: $actor})
OPTIONAL MATCH (a)-[:PARTY_TO]->(g:Agreement)
WITH a, count(g) AS agreements
OPTIONAL MATCH (a)-[:MEMBER_OF]->(o:Actor)
WITH a, agreements, count(o) AS memberships
OPTIONAL MATCH (a)-[r]-(x:Actor)
WITH a, agreements, memberships, count(r) AS actor_ties
OPTIONAL MATCH (a)-[e:HOSTED|PARTICIPATED_IN]->(:Event)
WITH a, agreements, memberships, actor_ties, count(e) AS events
OPTIONAL MATCH (d:Document)-[m:MENTIONS]->(a)
RETURN a.id AS id,
       a.name AS name,
       a.kind AS kind,
       a.iso2 AS iso2,
       a.role AS role,
       a.acronyms AS acronyms,
       a.aliases AS aliases,
       agreements,
       memberships,
       actor_ties,
       events,
       count(d) AS documents,
       toInteger(sum(m.count)) AS mentions,
       a.pagerank AS pagerank,
       a.community AS community,
       a.sources AS sources
