"""Every query of the project, as `.cypher` files shipped as package data."""
