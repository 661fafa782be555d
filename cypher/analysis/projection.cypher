// name: projection
// question: The actor-actor network: one row per reason two actors are tied, with the years it
// holds, how many evidence sentences state it and whether the documents state the tie itself
// (stated) or it follows from stated facts (inferred: two members of one organisation).
// graph/analysis.py weights and sums these rows (see `edge_weight`); the analysis, the network
// page and the actor-network exports all read this one file. Runs unchanged on Neo4j and
// FalkorDB, so centrality is the same on every store.
// Columns: source, target (ids, source < target for the symmetric reasons; null for an
// agreement, whose `members` are its parties), via (agreement, membership, co-membership or a
// relationship type), through (what ties them: an agreement or
// organisation id), label, since/until (years), size (parties or members), evidence (sentences),
// stated, status, kind (of an agreement). No document ids: an agreement's `sources` repeated
// on each of its parties' pairs made the rows grow with parties² × documents (a 150-party
// agreement read in 140 documents: 1.6 million ids at 5,000 documents); the page reads the
// evidence of the pairs it draws (edge_evidence.cypher).
// param: tie_types — the direct actor-actor relationship types to include
// param: hedged — fact statuses left out of the network (planned, reported): only what the
//        texts assert ties two actors
// param: reference — also tie actors by facts from reference data (gazetteer memberships and
//        PART_OF, which no sentence states); off by default
// param: max_members — an organisation with more members than this (the UN, the OSCE) never
//        ties its members pairwise; its size is the larger of its known membership
//        (`member_count`, from reference data) and its members in the graph
// example: ties analyze --reference --max-members 40
// An agreement is one row with its parties (`members`), whatever their number; the reader
// (graph/analysis.py, `pair_rows`) makes one row per pair of them, source < target.
MATCH (a:Actor)-[:PARTY_TO]->(g:Agreement)
WITH g, collect(DISTINCT a.id) AS members, size(coalesce(g.evidence, [])) AS evidence
WHERE size(members) > 1 AND (evidence > 0 OR $reference)
RETURN null AS source, null AS target, members, 'agreement' AS via, g.id AS through,
       g.name AS label, g.signed_year AS since, g.expires_year AS until, size(g.parties) AS size,
       evidence, evidence > 0 AS stated, g.status AS status, g.kind AS kind
UNION ALL
MATCH (a:Actor)-[m:MEMBER_OF]->(o:Actor)
WHERE NOT coalesce(m.status, '') IN $hedged
WITH a, o, m, size(coalesce(m.evidence, [])) AS evidence
WHERE evidence > 0 OR $reference
RETURN a.id AS source, o.id AS target, null AS members, 'membership' AS via, o.id AS through,
       o.name AS label,
       m.year AS since, m.until_year AS until, 2 AS size,
       evidence, evidence > 0 AS stated, m.status AS status, null AS kind
UNION ALL
// Each organisation's size is counted once, and an organisation too large to tie its members
// pairwise is left out before its pairs are made: the rows grow with the ties kept, not with
// the square of every organisation's membership.
MATCH (m:Actor)-[:MEMBER_OF]->(o:Actor)
WITH o, count(DISTINCT m) AS in_graph
WITH o, CASE WHEN coalesce(o.member_count, 0) > in_graph THEN o.member_count
             ELSE in_graph END AS members
WHERE members <= $max_members
MATCH (a:Actor)-[ma:MEMBER_OF]->(o)<-[mb:MEMBER_OF]-(b:Actor)
WHERE a.id < b.id AND NOT coalesce(ma.status, '') IN $hedged
  AND NOT coalesce(mb.status, '') IN $hedged
  AND coalesce(ma.status, '') <> 'left' AND coalesce(mb.status, '') <> 'left'
WITH a, b, o, ma, mb, members,
     size(coalesce(ma.evidence, [])) AS ea, size(coalesce(mb.evidence, [])) AS eb
// Both memberships read in documents, unless reference data is asked for.
WHERE (ea > 0 AND eb > 0) OR $reference
// Two members share an organisation from the later of their joining years to the earlier of
// their leaving years; when either joining year is unknown, so is the tie's.
RETURN a.id AS source, b.id AS target, null AS members, 'co-membership' AS via, o.id AS through,
       o.name AS label,
       CASE WHEN ma.year IS NULL OR mb.year IS NULL THEN null
            WHEN ma.year > mb.year THEN ma.year ELSE mb.year END AS since,
       CASE WHEN ma.until_year IS NULL THEN mb.until_year
            WHEN mb.until_year IS NULL THEN ma.until_year
            WHEN ma.until_year < mb.until_year THEN ma.until_year ELSE mb.until_year END AS until,
       members AS size, ea + eb AS evidence, false AS stated, null AS status, null AS kind
UNION ALL
MATCH (a:Actor)-[r]->(b:Actor)
WHERE type(r) IN $tie_types AND NOT coalesce(r.status, '') IN $hedged
WITH a, b, r, size(coalesce(r.evidence, [])) AS evidence
WHERE evidence > 0 OR $reference
RETURN a.id AS source, b.id AS target, null AS members, type(r) AS via, type(r) AS through,
       type(r) AS label,
       r.year AS since, null AS until, 2 AS size,
       evidence, evidence > 0 AS stated, r.status AS status, null AS kind
