// name: drop-hidden
// question: Delete, in many small transactions, the nodes no reader sees: the previous graph
// once a Neo4j reload has switched (`Retired`), and what a failed or killed reload staged
// (`Staged`). Relationships first (both ends of each are hidden: generations never join), then
// the nodes. Run outside any transaction (IN TRANSACTIONS needs an implicit one). The
// `CALL { WITH … }` form runs on every Neo4j 5 (the `CALL (r)` form needs 5.23).
// param: batch — rows per transaction
MATCH (:Staged|Retired)-[r]->()
CALL { WITH r DELETE r } IN TRANSACTIONS OF $batch ROWS;
MATCH (n:Staged|Retired)
CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF $batch ROWS
