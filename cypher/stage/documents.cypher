// name: stage-documents
// question: Write Document nodes into the staged generation of a Neo4j reload
// (cypher/store/promote.cypher makes it the graph).
// param: rows — [{id, props}]
UNWIND $rows AS row
MERGE (d:StagedDocument {id: row.id})
SET d:Staged, d += row.props
