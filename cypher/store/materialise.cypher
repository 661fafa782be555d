// name: materialise
// question: Make an empty FalkorDB graph exist (a graph key appears on its first query), so that
// queries against a fresh store run, and fail, as usual.
RETURN 1
