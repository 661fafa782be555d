"""Documents in, typed facts out. Nothing here touches a database."""
