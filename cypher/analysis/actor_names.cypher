// name: actor-names
// question: Every name an actor goes by (id, name, acronyms, aliases), for "did you mean"
// suggestions and the network page's search.
MATCH (a:Actor)
RETURN a.id AS id, a.name AS name, coalesce(a.acronyms, []) AS acronyms,
       coalesce(a.aliases, []) AS aliases
ORDER BY id
