// name: actors
// question: Every actor with the properties the analysis and the network page show.
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, a.kind AS kind, a.sources AS sources, a.role AS role
ORDER BY id
