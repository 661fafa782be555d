// name: who-supplies-whom
// question: Who supplies whom, with what, and on what evidence?
// param: actor: actor = "" — only supplies to or from this actor (all when empty)
// example: -p actor=KZ

MATCH (s:Actor)-[r:SUPPLIES]->(t:Actor)
WHERE $actor = '' OR s.id = $actor OR t.id = $actor
RETURN s.name AS supplier,
       t.name AS recipient,
       t.kind AS recipient_kind,
       r.item AS item,
       r.date AS date,
       size(coalesce(r.evidence, [])) AS evidence_count,
       r.evidence[0] AS evidence,
       r.sources AS sources,
       s.id AS supplier_id,
       t.id AS recipient_id,
       r.fact_id AS fact
ORDER BY supplier_id, recipient_id
