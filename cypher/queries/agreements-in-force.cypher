// name: agreements-in-force
// question: Which agreements were in force in a given year?
// param: year: int = 2026 — the year
// param: actor: actor = "" — only agreements this actor is party to (all when empty)
// example: -p year=2015 -p actor=KZ

// In force: signed by then, not expired by then (stated expiry, else signature plus duration)
// and not superseded by an agreement signed by then; drafts never are.
MATCH (g:Agreement)
WHERE g.signed_year <= $year
  AND coalesce(g.status, '') <> 'draft'
  AND coalesce(g.expires_year, g.signed_year + g.duration_years, $year + 1) > $year
  AND ($actor = '' OR $actor IN coalesce(g.parties, []))
OPTIONAL MATCH (newer:Agreement)-[:SUPERSEDES]->(g)
WHERE newer.signed_year <= $year
WITH g, count(newer) AS superseded
WHERE superseded = 0
RETURN g.signed AS signed,
       g.name AS agreement,
       g.kind AS kind,
       g.status AS status,
       g.expires AS expires,
       g.parties AS parties,
       g.id AS id
ORDER BY signed, id
