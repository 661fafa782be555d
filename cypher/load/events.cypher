// name: load-events
// question: Write Event nodes.
// param: rows — [{id, props}]
UNWIND $rows AS row
MERGE (n:Event {id: row.id})
SET n += row.props
