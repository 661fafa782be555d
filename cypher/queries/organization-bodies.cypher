// name: organization-bodies
// question: Which bodies, forces and programmes belong to which organisation?
// param: organization: actor = "" — only this organisation (all when empty)
// example: -p organization=NATO

MATCH (x:Actor)-[r:PART_OF]->(o:Actor)
WHERE $organization = '' OR o.id = $organization
RETURN o.name AS organization,
       x.name AS part,
       x.kind AS kind,
       r.date AS since,
       r.sources AS sources,
       o.id AS organization_id,
       x.id AS part_id
ORDER BY organization_id, part_id
