// name: resolve-actor
// question: Which actor ids does a value name: an id, a name, an acronym or an alias?
// param: value — what the user typed
// param: folded — the same, lower-cased
MATCH (a:Actor)
WHERE a.id = $value OR toLower(a.id) = $folded OR toLower(a.name) = $folded
   OR $value IN a.acronyms OR $value IN a.aliases
RETURN a.id AS id, a.name AS name
ORDER BY id
