// name: documents
// question: Every document with its title, publication date and source file, so that each
// evidence sentence on the network page names its document.
MATCH (d:Document)
RETURN d.id AS id, d.title AS title, d.date AS date, d.source AS source
ORDER BY id
