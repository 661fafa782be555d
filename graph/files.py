"""Writing output files: whole or not at all, and an OS refusal becomes one clear error line."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from graph.errors import TiesError


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write through a temporary file and a rename, so a reader (a browser, Gephi) sees the old
    file or the new one, never half of one."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_dir():
        raise TiesError(f"cannot write {path}: it is a directory; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise TiesError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600); an exported page or graph is meant to be
        # shared, so give it the mode any new file of the user gets.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise TiesError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
