// name: draft-agreements
// question: Which agreements are still drafts or only planned, between whom and in what fields?
// param: actor: actor = "" — only drafts this actor is party to (all when empty)
// example: -p actor=KZ

MATCH (g:Agreement)
WHERE g.status = 'draft' AND ($actor = '' OR $actor IN coalesce(g.parties, []))
OPTIONAL MATCH (p:Actor)-[:PARTY_TO]->(g)
WITH g, p
ORDER BY p.name, p.id
WITH g, collect(p.name) AS parties
RETURN g.name AS agreement,
       g.kind AS kind,
       parties,
       g.domains AS domains,
       g.sources AS sources,
       g.evidence[0] AS evidence,
       g.id AS id
ORDER BY id
