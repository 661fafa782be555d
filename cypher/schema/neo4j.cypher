// name: schema-neo4j
// question: Unique keys of the graph on Neo4j 5; applied on every reload (IF NOT EXISTS). The
// Staged* keys are those of a reload's staged generation (cypher/stage/), looked up by id while
// its relationships are written.
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT agreement_id IF NOT EXISTS FOR (n:Agreement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT staged_actor_id IF NOT EXISTS FOR (n:StagedActor) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT staged_agreement_id IF NOT EXISTS FOR (n:StagedAgreement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT staged_event_id IF NOT EXISTS FOR (n:StagedEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT staged_document_id IF NOT EXISTS FOR (n:StagedDocument) REQUIRE n.id IS UNIQUE;
// One reload at a time (store/claim_reload.cypher): the key that makes claiming the lock atomic.
CREATE CONSTRAINT reload_lock_id IF NOT EXISTS FOR (n:ReloadLock) REQUIRE n.id IS UNIQUE
