// name: hedged_ties
// question: The actor-actor facts the texts only plan or report (status planned or reported):
// left out of the network and its scores, drawn dotted on the network page so that an analyst
// sees them apart from what the texts assert. Same columns as the projection's direct ties and
// memberships.
// param: hedged — the statuses that mark a fact as not asserted (planned, reported)
// param: tie_types — the direct actor-actor relationship types the page draws
// example: ties viz
MATCH (a:Actor)-[r]->(b:Actor)
WHERE (type(r) IN $tie_types OR type(r) = 'MEMBER_OF') AND r.status IN $hedged
  AND size(coalesce(r.evidence, [])) > 0
RETURN a.id AS source, b.id AS target,
       CASE type(r) WHEN 'MEMBER_OF' THEN 'membership' ELSE type(r) END AS via,
       CASE type(r) WHEN 'MEMBER_OF' THEN b.id ELSE type(r) END AS through,
       CASE type(r) WHEN 'MEMBER_OF' THEN b.name ELSE type(r) END AS label,
       r.year AS since, null AS until, 2 AS size, size(r.evidence) AS evidence,
       true AS stated, r.status AS status, r.sources AS sources, null AS kind
ORDER BY source, target, via, status
