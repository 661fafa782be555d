// name: schema-falkordb
// question: Unique keys of the graph on embedded FalkorDB. It has no CREATE CONSTRAINT: each
// index below is also made UNIQUE by the store through GRAPH.CONSTRAINT. Applied to every new
// graph generation, so never repeated on one graph (FalkorDB errors on a repeated index).
CREATE INDEX FOR (n:Actor) ON (n.id);
CREATE INDEX FOR (n:Agreement) ON (n.id);
CREATE INDEX FOR (n:Event) ON (n.id);
CREATE INDEX FOR (n:Document) ON (n.id);
