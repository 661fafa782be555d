// name: load-documents
// question: Write Document nodes.
// param: rows — [{id, props}]
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d += row.props
