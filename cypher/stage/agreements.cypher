// name: stage-agreements
// question: Write Agreement nodes into the staged generation of a Neo4j reload
// (cypher/store/promote.cypher makes it the graph).
// param: rows — [{id, props}]
UNWIND $rows AS row
MERGE (n:StagedAgreement {id: row.id})
SET n:Staged, n += row.props
