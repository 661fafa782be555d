// name: changes-since
// question: What changed after a year: the agreements, ties, memberships and events dated after it, or, when undated, first reported (by a document's publication date) after it?
// param: year: int = 2020 — list the facts of the years after this one
// param: actor: actor = "" — only facts this actor takes part in (all when empty)
// example: -p year=2020

// A fact's own date wins; an undated fact counts from the earliest publication date of the
// documents that state it, and an undated fact in undated documents is not listed. Facts from
// reference data (no sentence states them) are left out. The three kinds of fact are gathered
// into one list (no UNION, so that the final rows can be ordered as one).
OPTIONAL MATCH (g:Agreement)
WHERE $actor = '' OR $actor IN coalesce(g.parties, [])
OPTIONAL MATCH (d:Document)
WHERE d.id IN coalesce(g.sources, [])
WITH g, min(d.year) AS reported, min(d.date) AS first_reported
WITH collect(CASE WHEN g IS NULL THEN null ELSE {
       year: coalesce(g.signed_year, reported),
       dated_by: CASE WHEN g.signed_year IS NULL THEN 'first reported' ELSE 'fact' END,
       fact: 'agreement', what: g.name, actors: coalesce(g.parties, []), status: g.status,
       date: coalesce(g.signed, first_reported), sources: g.sources} END) AS agreements
OPTIONAL MATCH (a:Actor)-[r]->(b:Actor)
WHERE size(coalesce(r.evidence, [])) > 0 AND ($actor = '' OR $actor IN [a.id, b.id])
OPTIONAL MATCH (d:Document)
WHERE d.id IN coalesce(r.sources, [])
WITH agreements, a, b, r, min(d.year) AS reported, min(d.date) AS first_reported
WITH agreements, collect(CASE WHEN r IS NULL THEN null ELSE {
       year: coalesce(r.year, reported),
       dated_by: CASE WHEN r.year IS NULL THEN 'first reported' ELSE 'fact' END,
       fact: type(r), what: a.name + ' -> ' + b.name, actors: [a.id, b.id], status: r.status,
       date: coalesce(r.date, first_reported), sources: r.sources} END) AS ties
OPTIONAL MATCH (e:Event)<-[:PARTICIPATED_IN|HOSTED]-(p:Actor)
WITH agreements, ties, e, p
ORDER BY p.id
WITH agreements, ties, e, collect(DISTINCT p.id) AS actors
OPTIONAL MATCH (d:Document)
WHERE d.id IN coalesce(e.sources, [])
WITH agreements, ties, e, actors, min(d.year) AS reported, min(d.date) AS first_reported
// The actor filter sits in the CASE: a WHERE here would drop the rows gathered so far.
WITH agreements, ties, collect(CASE WHEN e IS NULL OR NOT ($actor = '' OR $actor IN actors)
       THEN null ELSE {
       year: coalesce(e.year, reported),
       dated_by: CASE WHEN e.year IS NULL THEN 'first reported' ELSE 'fact' END,
       fact: e.kind, what: e.name, actors: actors, status: null,
       date: coalesce(e.start, first_reported), sources: e.sources} END) AS events
UNWIND agreements + ties + events AS row
WITH row
WHERE row.year > $year
RETURN row.year AS year, row.dated_by AS dated_by, row.fact AS fact, row.what AS what,
       row.actors AS actors, row.status AS status, row.date AS date, row.sources AS sources
ORDER BY year, fact, what, date
