// name: organization-members
// question: Who are the members of an organisation, and since when?
// param: organization: actor — the organisation: an id, a name or an acronym (OTSC, NATO…)
// example: -p organization=CSTO

MATCH (m:Actor)-[r:MEMBER_OF]->(o:Actor {id: $organization})
RETURN m.name AS member,
       m.kind AS kind,
       r.since AS since,
       r.status AS status,
       r.dataset AS dataset,
       r.sources AS sources,
       m.id AS id,
       r.fact_id AS fact
ORDER BY member, id
