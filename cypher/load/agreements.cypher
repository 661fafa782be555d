// name: load-agreements
// question: Write Agreement nodes.
// param: rows — [{id, props}]
UNWIND $rows AS row
MERGE (n:Agreement {id: row.id})
SET n += row.props
