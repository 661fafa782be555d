// name: agreements
// question: Every agreement with its kind, status, years and parties, for the notebook's
// agreements timeline.
MATCH (g:Agreement)
RETURN g.id AS id, g.name AS name, g.kind AS kind, g.status AS status,
       g.signed_year AS signed, g.expires_year AS expires, coalesce(g.parties, []) AS parties,
       size(coalesce(g.evidence, [])) AS evidence
ORDER BY id
