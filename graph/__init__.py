"""Everything after facts: schema, stores, loading, analysis, visualisation, CLI."""
