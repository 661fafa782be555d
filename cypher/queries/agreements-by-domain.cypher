// name: agreements-by-domain
// question: How many agreements of each kind are there in each domain (military, space, transit…)?
// param: actor: actor = "" — only agreements this actor is party to (all when empty)
// example: -p actor=KZ

// An agreement with several domains counts in each; one with none under "(none)".
MATCH (g:Agreement)
WHERE $actor = '' OR $actor IN coalesce(g.parties, [])
UNWIND CASE WHEN size(coalesce(g.domains, [])) = 0 THEN ['(none)'] ELSE g.domains END AS domain
WITH domain, g
ORDER BY g.signed, g.id
WITH domain, g.kind AS kind, count(g) AS agreements, collect(g.name) AS names
RETURN domain, kind, agreements, names
ORDER BY domain, kind
