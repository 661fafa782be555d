// name: release-reload
// question: Give back the reload lock, if this reload still holds it.
// param: owner — this reload's token
MATCH (l:ReloadLock {id: 'reload', owner: $owner})
DELETE l
