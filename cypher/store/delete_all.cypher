// name: delete-all
// question: Remove every node and relationship (the first statement of an atomic Neo4j reload;
// the whole reload is one transaction, so batching the delete would save no memory, and a
// LIMIT loop rescans the store each time: measured 2x slower on 100k relationships).
MATCH (n) DETACH DELETE n
