// name: renewals-due
// question: Which agreements expire or come up for renewal between a year and a number of years later?
// param: year: int = 2026 — the first year of the window
// param: within: int = 5 — how many years the window spans after `year`
// param: actor: actor = "" — only agreements this actor is party to (all when empty)
// example: -p year=2020 -p within=5

// The due year is the stated expiry, else the signature year plus the stated duration.
// Drafts have not started and superseded or terminated agreements have ended.
MATCH (g:Agreement)
WHERE NOT coalesce(g.status, '') IN ['draft', 'superseded', 'terminated']
  AND ($actor = '' OR $actor IN coalesce(g.parties, []))
WITH g,
     CASE
       WHEN g.expires_year IS NOT NULL THEN g.expires_year
       ELSE g.signed_year + g.duration_years
     END AS due,
     CASE
       WHEN g.expires_year IS NOT NULL THEN 'expires'
       ELSE 'signed + duration'
     END AS basis
WHERE due >= $year AND due <= $year + $within
RETURN due,
       due - $year AS years_from_now,
       basis,
       g.name AS agreement,
       g.kind AS kind,
       g.status AS status,
       g.signed AS signed,
       g.expires AS expires,
       g.duration_years AS duration_years,
       g.parties AS parties,
       g.id AS id
ORDER BY due, id
