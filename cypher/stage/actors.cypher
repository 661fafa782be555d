// name: stage-actors
// question: Write Actor nodes into the staged generation of a Neo4j reload. The kind label
// (State, Organization, …) is set by cypher/store/promote.cypher from `staged_kind`: a staged
// node carries no label a reader matches.
// param: rows — [{id, kind, props}]
UNWIND $rows AS row
MERGE (a:StagedActor {id: row.id})
SET a:Staged, a += row.props, a.staged_kind = row.kind
