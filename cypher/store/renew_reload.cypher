// name: renew-reload
// question: Whether this reload still holds the reload lock, renewing it (run with each staging
// batch and before the switch): 0 means another reload took it over as abandoned.
// param: owner — this reload's token
OPTIONAL MATCH (l:ReloadLock {id: 'reload', owner: $owner})
SET l.renewed = datetime()
RETURN count(l) AS held
