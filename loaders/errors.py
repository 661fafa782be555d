"""The root of every error ties expects and reports as one line, without a traceback.

It lives here, at the start of the data flow, so that loaders depend on nothing after them;
`graph.errors` re-exports it and adds the store's errors.
"""


class TiesError(Exception):
    """Root of every error ties expects and reports without a traceback."""
